//! The frame the map is drawn in. While the view moves by whole pixels at one zoom, the map is
//! drawn as it was where the view was anchored, over a margin around that view, and moved onto
//! the screen afterwards: through a pan its shapes stay the very same, so the picture the map
//! is kept as (`map_picture`) is moved rather than drawn again.
//!
//! The view is anchored again when it moves by a fraction of a pixel (walkers' glide after a
//! drag, a jump to an incident), out of the margin, or when the zoom, the map's rectangle or the
//! pixels per point change: the map is then drawn where it is, as without an anchor.

use egui::{Painter, Rect, Ui, Vec2};
use walkers::{MapMemory, MercatorProjection, Position, Projection, Projector};

/// How far (points) the view may move from where it was anchored, in each direction, before it
/// is anchored again: the margin drawn around the view.
pub const MARGIN: f32 = 192.0;

/// The view the map was anchored at.
#[derive(Debug, Clone, Copy, PartialEq)]
struct Anchor {
    center: Position,
    zoom: f64,
    rect: Rect,
    pixels_per_point: f32,
}

/// How this frame's map is drawn: as at the anchor, then moved by `offset`.
#[derive(Clone)]
pub struct DrawFrame {
    /// Centred at the anchor.
    memory: MapMemory,
    center: Position,
    /// What is drawn, in the anchor's frame: the anchored view and the margin around it.
    pub region: Rect,
    /// From the anchor's frame to the screen (points; whole pixels).
    pub offset: Vec2,
}

impl DrawFrame {
    /// Projects into the anchor's frame, over `region`.
    pub fn projector(&self) -> Projector<'_> {
        Projector::new(self.region, &MercatorProjection, &self.memory, self.center)
    }
}

/// The painter a map layer draws with: over the anchor's region when anchored (its shapes are
/// moved onto the screen and clipped to the map afterwards), else over the map as it is.
pub fn painter(ui: &Ui, frame: Option<&DrawFrame>, screen: &Projector) -> Painter {
    match frame {
        Some(frame) => {
            let mut painter = ui.painter().clone();
            painter.set_clip_rect(frame.region);
            painter
        }
        None => ui.painter().with_clip_rect(screen.clip_rect()),
    }
}

/// Keeps the anchor from frame to frame.
#[derive(Default)]
pub struct Anchoring {
    anchor: Option<Anchor>,
}

impl Anchoring {
    /// This frame's drawing frame for a map shown at `rect` with this `memory`: the same anchor
    /// while the view moved from it by whole pixels within the margin, at the same zoom, size
    /// and pixels per point; else a new anchor at this view. None when the map follows a
    /// position of its own (never here: the app's map is always detached).
    pub fn frame(
        &mut self,
        memory: &MapMemory,
        rect: Rect,
        pixels_per_point: f32,
    ) -> Option<DrawFrame> {
        let center = memory.detached()?;
        let zoom = memory.zoom();
        let here = Anchor {
            center,
            zoom,
            rect,
            pixels_per_point,
        };
        let offset = self
            .anchor
            .filter(|a| a.zoom == zoom && a.rect == rect && a.pixels_per_point == pixels_per_point)
            .and_then(|a| whole_pixels(a.center, center, zoom, pixels_per_point));
        let offset = match offset {
            Some(offset) => offset,
            None => {
                self.anchor = Some(here);
                Vec2::ZERO
            }
        };
        let anchor = self.anchor.unwrap_or(here);
        let mut anchored = MapMemory::default();
        anchored.center_at(anchor.center);
        anchored.set_zoom(zoom).ok()?;
        Some(DrawFrame {
            memory: anchored,
            center: anchor.center,
            region: rect.expand(MARGIN),
            offset,
        })
    }
}

/// How far the map moved on screen from a view centred at `from` to one centred at `to`, when
/// that is whole pixels within the margin.
fn whole_pixels(from: Position, to: Position, zoom: f64, pixels_per_point: f32) -> Option<Vec2> {
    let (a, b) = (
        MercatorProjection.project(from, zoom),
        MercatorProjection.project(to, zoom),
    );
    let ppp = f64::from(pixels_per_point);
    let axis = |d: f64| {
        let pixels = d * ppp;
        let whole = pixels.round();
        ((pixels - whole).abs() < 1e-3 && d.abs() <= f64::from(MARGIN))
            .then_some((whole / ppp) as f32)
    };
    Some(Vec2::new(axis(a.x() - b.x())?, axis(a.y() - b.y())?))
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{pos2, vec2};
    use walkers::lat_lon;

    fn memory_at(lat: f64, lon: f64, zoom: f64) -> MapMemory {
        let mut memory = MapMemory::default();
        memory.center_at(lat_lon(lat, lon));
        memory.set_zoom(zoom).expect("a valid zoom");
        memory
    }

    /// The centre of a view `rect` moved by `pixels` on screen (the map dragged that way).
    fn dragged(memory: &MapMemory, rect: Rect, pixels: Vec2) -> MapMemory {
        let center = memory.detached().expect("detached");
        let projector = Projector::new(rect, &MercatorProjection, memory, center);
        let moved = projector.unproject(rect.center().to_vec2() - pixels);
        memory_at(moved.y(), moved.x(), memory.zoom())
    }

    #[test]
    fn a_pan_by_whole_pixels_keeps_the_anchor_and_draws_where_the_screen_shows() {
        let rect = Rect::from_min_size(pos2(200.0, 30.0), vec2(900.0, 600.0));
        let start = memory_at(15.0, -2.5, 7.0);
        let mut anchoring = Anchoring::default();
        let first = anchoring.frame(&start, rect, 1.0).expect("a frame");
        assert_eq!(first.offset, Vec2::ZERO);

        let moved = dragged(&start, rect, vec2(37.0, -12.0));
        let frame = anchoring.frame(&moved, rect, 1.0).expect("a frame");
        assert_eq!(frame.offset, vec2(37.0, -12.0));
        // A place drawn in the anchor's frame, moved by the offset, is where the view shows it.
        let timbuktu = lat_lon(16.77, -3.0);
        let screen = Projector::new(rect, &MercatorProjection, &moved, timbuktu);
        let drawn = frame.projector().project(timbuktu).to_pos2() + frame.offset;
        assert!(drawn.distance(screen.project(timbuktu).to_pos2()) < 1e-3);
    }

    #[test]
    fn a_fraction_of_a_pixel_a_zoom_or_a_resize_anchors_anew() {
        let rect = Rect::from_min_size(pos2(0.0, 0.0), vec2(900.0, 600.0));
        let start = memory_at(15.0, -2.5, 7.0);
        let mut anchoring = Anchoring::default();
        let _ = anchoring.frame(&start, rect, 1.0);
        let glide = dragged(&start, rect, vec2(3.4, 0.0));
        assert_eq!(
            anchoring.frame(&glide, rect, 1.0).map(|f| f.offset),
            Some(Vec2::ZERO)
        );
        // At 1.5 pixels a point, 2/3 point is one whole pixel.
        let _ = anchoring.frame(&start, rect, 1.5);
        let step = dragged(&start, rect, vec2(2.0 / 3.0, 0.0));
        let offset = anchoring.frame(&step, rect, 1.5).map(|f| f.offset);
        assert!(
            offset.is_some_and(|o| (o.x * 1.5 - 1.0).abs() < 1e-5),
            "{offset:?}"
        );

        let _ = anchoring.frame(&start, rect, 1.0);
        let far = dragged(&start, rect, vec2(MARGIN + 1.0, 0.0));
        assert_eq!(
            anchoring.frame(&far, rect, 1.0).map(|f| f.offset),
            Some(Vec2::ZERO)
        );
        let _ = anchoring.frame(&start, rect, 1.0);
        let zoomed = memory_at(15.0, -2.5, 8.0);
        assert_eq!(
            anchoring.frame(&zoomed, rect, 1.0).map(|f| f.offset),
            Some(Vec2::ZERO)
        );
        let _ = anchoring.frame(&start, rect, 1.0);
        let moved = dragged(&start, rect, vec2(5.0, 0.0));
        let wider = rect.expand(10.0);
        assert_eq!(
            anchoring.frame(&moved, wider, 1.0).map(|f| f.offset),
            Some(Vec2::ZERO)
        );
    }
}
