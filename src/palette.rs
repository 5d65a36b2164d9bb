//! The event types' colours, one table for the map, the timeline, the legend and the exports
//! (KML styles), so a type is the same colour in the app and in Google Earth.

/// ACLED's event types with the colour each is drawn in, as RGB (Okabe-Ito based:
/// distinguishable with the common colour-vision deficiencies, readable on both basemaps).
pub const EVENT_RGB: [(&str, [u8; 3]); 6] = [
    ("Battles", [0xD5, 0x5E, 0x00]),
    ("Explosions/Remote violence", [0xE6, 0x9F, 0x00]),
    ("Violence against civilians", [0xC7, 0x3B, 0x8A]),
    ("Strategic developments", [0x00, 0x72, 0xB2]),
    ("Protests", [0x00, 0x9E, 0x73]),
    ("Riots", [0x6A, 0x4C, 0x93]),
];

/// Incidents whose type the text did not give.
pub const UNKNOWN_RGB: [u8; 3] = [0x70, 0x70, 0x70];

/// The colour of an event type (grey when unknown).
pub fn rgb_of(event_type: Option<&str>) -> [u8; 3] {
    rgb_at(index_of(event_type))
}

/// An event type's place in `EVENT_RGB`, the legend's order; `EVENT_RGB.len()` when unknown.
pub fn index_of(event_type: Option<&str>) -> usize {
    EVENT_RGB
        .iter()
        .position(|(t, _)| Some(*t) == event_type)
        .unwrap_or(EVENT_RGB.len())
}

/// The colour of the event type at `index` in `EVENT_RGB` (grey past the last).
pub fn rgb_at(index: usize) -> [u8; 3] {
    EVENT_RGB.get(index).map_or(UNKNOWN_RGB, |(_, c)| *c)
}
