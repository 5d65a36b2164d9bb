//! The Offline basemap's lines (borders, regions' outlines, rivers) as few triangles as they
//! can be: a border two countries share drawn once, and only the parts of a line near the view.

use egui::{Pos2, Rect, Shape, Stroke};
use std::collections::HashSet;

/// An outline in (lon, lat): its parts, each with whether it is a whole ring (closed).
pub type Outline = Vec<(Vec<(f64, f64)>, bool)>;

/// The shapes of the parts of a line (a ring if `closed`, its last point its first) that cross
/// `clip` (the painter's clip rectangle), added to `shapes`: a border running far outside the
/// view is not tessellated. Every point drawn costs a software renderer six thin triangles; at
/// country zoom a third of the neighbours' borders lie outside the view, at town zoom nearly
/// all of them.
pub fn line_shapes(
    shapes: &mut Vec<Shape>,
    clip: Rect,
    points: Vec<Pos2>,
    closed: bool,
    stroke: Stroke,
) {
    // Room for the stroke's width and feathering.
    let view = clip.expand(4.0);
    for (part, closed) in parts_in_view(points, closed, view) {
        shapes.push(if closed {
            Shape::closed_line(part, stroke)
        } else {
            Shape::line(part, stroke)
        });
    }
}

/// The runs of a line's segments that touch `view`, each with whether it is still a ring.
fn parts_in_view(points: Vec<Pos2>, closed: bool, view: Rect) -> Vec<(Vec<Pos2>, bool)> {
    runs(points, closed, |a, b| {
        Rect::from_two_pos(a, b).intersects(view)
    })
}

/// The runs of a line's segments that `keep` keeps, each with whether it is still a ring (all
/// of a ring kept). A ring's walk starts just after a segment left out, so no run is cut in
/// two where the ring closes (its last point is its first).
fn runs<P: Copy>(
    mut points: Vec<P>,
    closed: bool,
    keep: impl Fn(P, P) -> bool,
) -> Vec<(Vec<P>, bool)> {
    let Some(gap) = points.windows(2).position(|s| !keep(s[0], s[1])) else {
        return vec![(points, closed)];
    };
    if closed && points.len() > 2 {
        points.pop();
        points.rotate_left(gap + 1);
        if let Some(&first) = points.first() {
            points.push(first);
        }
    }
    let mut parts = Vec::new();
    let mut part: Vec<P> = Vec::new();
    for s in points.windows(2) {
        if keep(s[0], s[1]) {
            if part.is_empty() {
                part.push(s[0]);
            }
            part.push(s[1]);
        } else if !part.is_empty() {
            parts.push((std::mem::take(&mut part), false));
        }
    }
    if !part.is_empty() {
        parts.push((part, false));
    }
    parts
}

/// The outlines with each segment two of them share left in one only: that of `first` (Mali),
/// else the earlier one's. A border drawn twice costs twice the triangles and darkens its
/// anti-aliased edges. (The bundled borders come from TopoJSON, so shared borders have the
/// very same points.)
pub fn draw_shared_once(mut outlines: Vec<Outline>, first: Option<usize>) -> Vec<Outline> {
    let key = |a: (f64, f64), b: (f64, f64)| {
        let (p, q) = if a <= b { (a, b) } else { (b, a) };
        [p.0.to_bits(), p.1.to_bits(), q.0.to_bits(), q.1.to_bits()]
    };
    let mut order: Vec<usize> = (0..outlines.len()).collect();
    order.sort_by_key(|&i| Some(i) != first);
    let mut drawn: HashSet<[u64; 4]> = HashSet::new();
    for i in order {
        let mut own = Vec::new();
        for (ring, closed) in std::mem::take(&mut outlines[i]) {
            let mine: HashSet<[u64; 4]> = ring
                .windows(2)
                .map(|s| key(s[0], s[1]))
                .filter(|k| !drawn.contains(k))
                .collect();
            own.extend(runs(ring, closed, |a, b| mine.contains(&key(a, b))));
            drawn.extend(mine);
        }
        outlines[i] = own;
    }
    outlines
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn only_the_parts_of_a_border_near_the_view_are_drawn() {
        let view = Rect::from_min_size(Pos2::ZERO, egui::vec2(100.0, 100.0));
        let ring = |points: &[(f32, f32)]| -> Vec<Pos2> {
            points.iter().map(|&(x, y)| egui::pos2(x, y)).collect()
        };
        // Wholly in view: one ring, as it was.
        let inside = ring(&[(10.0, 10.0), (90.0, 10.0), (50.0, 90.0), (10.0, 10.0)]);
        assert_eq!(
            parts_in_view(inside.clone(), true, view),
            vec![(inside, true)]
        );
        // A ring that starts in view and runs far out of it: one open line through the view,
        // not cut where the ring closes, and nothing of its far side.
        let crossing = ring(&[
            (50.0, 50.0),
            (50.0, 400.0),
            (500.0, 400.0),
            (500.0, -300.0),
            (50.0, -300.0),
            (50.0, 50.0),
        ]);
        assert_eq!(
            parts_in_view(crossing, true, view),
            vec![(ring(&[(50.0, -300.0), (50.0, 50.0), (50.0, 400.0)]), false)]
        );
        // A river leaving and coming back: two lines.
        let river = ring(&[(10.0, 10.0), (300.0, 10.0), (300.0, 90.0), (10.0, 90.0)]);
        assert_eq!(
            parts_in_view(river, false, view),
            vec![
                (ring(&[(10.0, 10.0), (300.0, 10.0)]), false),
                (ring(&[(300.0, 90.0), (10.0, 90.0)]), false)
            ]
        );
    }

    #[test]
    fn a_segment_two_outlines_share_stays_in_the_first_one_only() {
        let square = vec![(0.0, 0.0), (1.0, 0.0), (1.0, 1.0), (0.0, 1.0), (0.0, 0.0)];
        let beside = vec![(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0), (1.0, 0.0)];
        let outlines = vec![vec![(square.clone(), true)], vec![(beside.clone(), true)]];
        // Without a first, the earlier keeps the shared side, x = 1.
        let drawn = draw_shared_once(outlines.clone(), None);
        assert_eq!(drawn[0], vec![(square.clone(), true)]);
        assert_eq!(
            drawn[1],
            vec![(vec![(1.0, 0.0), (2.0, 0.0), (2.0, 1.0), (1.0, 1.0)], false)]
        );
        // With the second first, it stays whole and the square gives the side up.
        let drawn = draw_shared_once(outlines, Some(1));
        assert_eq!(drawn[1], vec![(beside, true)]);
        assert_eq!(
            drawn[0],
            vec![(vec![(1.0, 1.0), (0.0, 1.0), (0.0, 0.0), (1.0, 0.0)], false)]
        );
    }
}
