//! Shapes kept with what they were drawn from, so that a frame drawing the same thing again
//! copies them instead of making them again: the Offline basemap and its labels, whose every
//! vertex is projected (a tangent and a logarithm each) while the view stands still and only
//! the markers change over it (the time brush, playback), or nothing changes at all.

use egui::{Galley, Painter, Pos2, Rect, Shape};
use std::sync::{Arc, Mutex, PoisonError};
use walkers::{Projector, lat_lon};

/// What a drawing in map coordinates depends on besides its data: where the projector puts
/// the map (its zoom, where it puts one fixed point, the rectangle it maps to), the painter's
/// clip and the scale text is laid out at.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct View {
    zoom: f64,
    origin: Pos2,
    projected: Rect,
    clip: Rect,
    pixels_per_point: f32,
}

impl View {
    pub fn of(painter: &Painter, projector: &Projector) -> View {
        View {
            zoom: projector.zoom(),
            origin: projector.project(lat_lon(0.0, 0.0)).to_pos2(),
            projected: projector.clip_rect(),
            clip: painter.clip_rect(),
            pixels_per_point: painter.pixels_per_point(),
        }
    }
}

/// Which laid-out text is still good: egui lays text out again, pointing into a new font
/// atlas, when the atlas fills up or the text options change. A small galley laid out every
/// frame is the same one until then, and a new one after. (It is held, so its address cannot
/// come back as another's.)
#[derive(Debug, Clone)]
pub struct Fonts(Arc<Galley>);

impl Fonts {
    pub fn of(painter: &Painter) -> Fonts {
        Fonts(painter.layout_no_wrap(
            "0".to_owned(),
            egui::FontId::default(),
            egui::Color32::PLACEHOLDER,
        ))
    }
}

impl PartialEq for Fonts {
    fn eq(&self, other: &Fonts) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

/// The last shapes drawn, with the key they were drawn for.
pub struct ShapeMemo<K> {
    kept: Mutex<Option<(K, Vec<Shape>)>>,
}

impl<K> Default for ShapeMemo<K> {
    fn default() -> Self {
        ShapeMemo {
            kept: Mutex::new(None),
        }
    }
}

impl<K: PartialEq> ShapeMemo<K> {
    /// The shapes for `key`: those kept if they were drawn for the same key, else `draw`'s,
    /// kept in their place. (Meshes are shared, not copied; a line's points are copied.)
    pub fn get(&self, key: K, draw: impl FnOnce() -> Vec<Shape>) -> Vec<Shape> {
        let mut kept = self.kept.lock().unwrap_or_else(PoisonError::into_inner);
        match kept.as_ref() {
            Some((was, shapes)) if *was == key => shapes.clone(),
            _ => {
                let shapes = draw();
                *kept = Some((key, shapes.clone()));
                shapes
            }
        }
    }

    /// Forgets the kept shapes (the data they were drawn from changed).
    pub fn forget(&self) {
        *self.kept.lock().unwrap_or_else(PoisonError::into_inner) = None;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    #[test]
    fn shapes_are_drawn_again_only_for_another_key_or_once_forgotten() {
        let memo = ShapeMemo::default();
        let draws = Cell::new(0);
        let draw = |x: f32| {
            draws.set(draws.get() + 1);
            vec![Shape::circle_filled(
                Pos2::new(x, 0.0),
                1.0,
                egui::Color32::RED,
            )]
        };
        let first = memo.get(1, || draw(1.0));
        assert_eq!(memo.get(1, || draw(9.0)), first);
        assert_eq!(draws.get(), 1);
        assert_ne!(memo.get(2, || draw(2.0)), first);
        assert_eq!(draws.get(), 2);
        memo.forget();
        memo.get(2, || draw(2.0));
        assert_eq!(draws.get(), 3);
    }
}
