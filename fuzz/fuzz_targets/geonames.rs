//! Fuzzes the GeoNames dump parser, and merging what it accepts over the bundled gazetteer.
#![no_main]

use incident_map::engine::gazetteer::Gazetteer;
use incident_map::engine::normalize::fold_key;
use incident_map::io::geonames::parse;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn bundled() -> &'static Gazetteer {
    static BUNDLED: OnceLock<Gazetteer> = OnceLock::new();
    BUNDLED.get_or_init(Gazetteer::bundled)
}

fuzz_target!(|data: &[u8]| {
    let Ok(places) = parse(data, "fuzz.txt") else {
        return;
    };
    assert!(!places.is_empty(), "an accepted dump with no rows");
    let names: Vec<String> = places.iter().flat_map(|p| p.names()).map(fold_key).collect();
    let mut gazetteer = bundled().clone();
    gazetteer.merge(places, "fuzz.txt");
    for key in &names {
        let _ = gazetteer.lookup(key);
        let _ = gazetteer.lookup_variant(key);
    }
});
