//! Where the Offline map's labels stand clear of the markers: placed anew once the markers
//! settle, held while they change frame after frame (the time brush sliding, playback).
//!
//! Held, the labels do not jump about under markers that come and go, and the basemap they are
//! drawn with (beneath the markers) stays the same: its picture is copied, not drawn anew each
//! frame. The frame after the markers stop changing, the labels are placed clear of them.

use egui::{Pos2, Rect};

/// The frame the markers' rects are measured in: the map's zoom, and where a fixed point of
/// the world is drawn. Rects from two frames that differ are not comparable.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct MarkerFrame {
    pub zoom: f64,
    pub origin: Pos2,
}

/// The markers' rects of the last frame (and whether they were current), and those the labels
/// are placed clear of.
#[derive(Debug, Default)]
pub struct LabelHold {
    last: Option<(MarkerFrame, Vec<Rect>, bool)>,
    held: Option<(MarkerFrame, Vec<Rect>)>,
}

impl LabelHold {
    /// Takes this frame's markers (`now`, measured in `frame`; `current`: false while they are
    /// those of earlier filters, shown until the clusters of these are made: markers settle
    /// only when two current frames show the same). Returns the rects the labels are to stand
    /// clear of, and whether they are held from an earlier frame (the labels then wait for the
    /// markers to settle: the caller asks for another frame, so they do not wait forever).
    pub fn step(&mut self, frame: MarkerFrame, now: Vec<Rect>, current: bool) -> (&[Rect], bool) {
        let settled = current
            && self.last.as_ref().is_some_and(|(f, rects, was_current)| {
                *was_current && *f == frame && *rects == now
            });
        let comparable = self.held.as_ref().is_some_and(|(f, _)| *f == frame);
        if settled || !comparable {
            self.held = Some((frame, now.clone()));
        }
        self.last = Some((frame, now, current));
        let held: &[Rect] = self.held.as_ref().map_or(&[], |(_, rects)| rects);
        let waiting = self
            .last
            .as_ref()
            .is_some_and(|(_, rects, _)| rects != held);
        (held, waiting)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn frame(zoom: f64) -> MarkerFrame {
        MarkerFrame {
            zoom,
            origin: Pos2::new(10.0, 20.0),
        }
    }

    fn markers(at: &[f32]) -> Vec<Rect> {
        at.iter()
            .map(|x| Rect::from_center_size(Pos2::new(*x, 50.0), egui::vec2(10.0, 10.0)))
            .collect()
    }

    #[test]
    fn labels_follow_the_first_markers_at_once() {
        let mut hold = LabelHold::default();
        let (rects, waiting) = hold.step(frame(6.0), markers(&[1.0, 2.0]), true);
        assert_eq!(rects, markers(&[1.0, 2.0]).as_slice());
        assert!(!waiting);
    }

    #[test]
    fn labels_hold_while_the_markers_change_and_settle_the_frame_after() {
        let mut hold = LabelHold::default();
        hold.step(frame(6.0), markers(&[1.0]), true);
        hold.step(frame(6.0), markers(&[1.0]), true);
        // The brush slides: the markers change each frame, the labels stay where they were.
        for x in [2.0, 3.0, 4.0] {
            let (rects, waiting) = hold.step(frame(6.0), markers(&[x]), true);
            assert_eq!(rects, markers(&[1.0]).as_slice());
            assert!(
                waiting,
                "a held placement asks for the frame that settles it"
            );
        }
        // It stops: the next frame shows the same markers, and the labels move clear of them.
        let (rects, waiting) = hold.step(frame(6.0), markers(&[4.0]), true);
        assert_eq!(rects, markers(&[4.0]).as_slice());
        assert!(!waiting);
    }

    #[test]
    fn labels_are_placed_at_once_when_the_view_zooms() {
        let mut hold = LabelHold::default();
        hold.step(frame(6.0), markers(&[1.0]), true);
        let (rects, waiting) = hold.step(frame(7.0), markers(&[5.0]), true);
        assert_eq!(rects, markers(&[5.0]).as_slice());
        assert!(!waiting);
    }

    #[test]
    fn labels_are_placed_at_once_when_the_map_moves_under_them() {
        let mut hold = LabelHold::default();
        hold.step(frame(6.0), markers(&[1.0]), true);
        let moved = MarkerFrame {
            origin: Pos2::new(11.0, 20.0),
            ..frame(6.0)
        };
        let (rects, _) = hold.step(moved, markers(&[2.0]), true);
        assert_eq!(rects, markers(&[2.0]).as_slice());
    }

    /// Regression: the markers shown while the clusters of new filters are made (those of the
    /// last filters) stayed the same for a frame now and then as the brush slid, and the labels
    /// were placed anew each time: the basemap's picture was drawn again 9 to 17 times in 120
    /// frames instead of 6.
    #[test]
    fn markers_of_earlier_filters_never_settle_the_labels() {
        let mut hold = LabelHold::default();
        hold.step(frame(6.0), markers(&[1.0]), true);
        for _ in 0..3 {
            let (rects, waiting) = hold.step(frame(6.0), markers(&[2.0]), false);
            assert_eq!(rects, markers(&[1.0]).as_slice());
            assert!(waiting);
        }
        // The clusters of these filters: the same markers, but the last frame's were not
        // current, so not settled yet; the frame after, they are.
        let (rects, _) = hold.step(frame(6.0), markers(&[2.0]), true);
        assert_eq!(rects, markers(&[1.0]).as_slice());
        let (rects, _) = hold.step(frame(6.0), markers(&[2.0]), true);
        assert_eq!(rects, markers(&[2.0]).as_slice());
    }
}
