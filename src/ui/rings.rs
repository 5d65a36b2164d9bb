//! Uncertainty rings: the translucent disc around an approximate incident (geo_precision 2
//! or 3) showing how far from its marker it may have happened, drawn as one lean mesh.
//!
//! egui tessellates a large circle with 128 points and feathers both its fill and its
//! outline: some 900 triangles a ring. A software renderer (Mesa llvmpipe) pays for every
//! triangle it sets up, so 60 rings in view at town zoom cost 6 ms a frame that redraws them
//! (benches/README.md). Here a ring takes as many sides as keep it within a quarter pixel of a
//! true circle, a fill without feathering (its edge lies under the outline), and an outline
//! feathered on both sides: 5 triangles a side, 315 for a ring 200 pixels across.

use egui::epaint::{Mesh, Vertex, WHITE_UV};
use egui::{Color32, Pos2, Rect, Shape};

/// The translucent fill of the rings may cover the view this many times over; the smallest
/// rings are filled first, the rest are drawn as outlines. Overlapping fills beyond this only
/// muddy the map (and each costs a full pass of blending on a software renderer).
const RING_FILL_BUDGET: f32 = 1.5;
/// Width of a ring's outline, in points.
const OUTLINE: f32 = 1.0;
/// How far a ring's sides may stray inside the true circle, in pixels.
const SAGITTA_PX: f32 = 0.25;

/// An uncertainty ring on screen.
pub struct Ring {
    pub at: Pos2,
    pub radius: f32,
    pub colour: Color32,
}

/// The rings, smallest first: filled while their area stays within `RING_FILL_BUDGET` times
/// `view_area` (the map's area on screen), outlined only after that. They are drawn over
/// `drawn_over`: the view, or the region around it the map is anchored over (`map_anchor`),
/// whose rings share the one budget, so that which are filled does not change as the view
/// pans across it. A ring that holds all of `drawn_over` is outlined only too: its fill would
/// tint everything and mark nothing.
pub fn ring_shapes(
    mut rings: Vec<Ring>,
    drawn_over: Rect,
    view_area: f32,
    pixels_per_point: f32,
) -> Shape {
    rings.sort_by(|a, b| a.radius.total_cmp(&b.radius));
    let mut budget = RING_FILL_BUDGET * view_area;
    let holds_all = |r: &Ring| {
        [
            drawn_over.left_top(),
            drawn_over.right_top(),
            drawn_over.left_bottom(),
            drawn_over.right_bottom(),
        ]
        .iter()
        .all(|corner| corner.distance(r.at) <= r.radius)
    };
    let mut mesh = Mesh::default();
    for ring in &rings {
        // The part of the disc inside the view is at most the view itself.
        let area = (std::f32::consts::PI * ring.radius * ring.radius).min(view_area);
        let fill = if area <= budget && !holds_all(ring) {
            budget -= area;
            ring.colour.gamma_multiply(0.16)
        } else {
            Color32::TRANSPARENT
        };
        add_ring(
            &mut mesh,
            ring,
            fill,
            ring.colour.gamma_multiply(0.6),
            pixels_per_point,
        );
    }
    Shape::mesh(mesh)
}

/// How many sides a circle of this radius (pixels) takes to stay within `SAGITTA_PX` of it.
fn sides(radius_px: f32) -> u32 {
    let half_angle = (1.0 - SAGITTA_PX / radius_px.max(SAGITTA_PX)).acos();
    (std::f32::consts::PI / half_angle.max(1e-3))
        .ceil()
        .clamp(12.0, 512.0) as u32
}

/// One ring: the fill out to its radius, then the outline just outside it (where egui strokes
/// a circle), its edges feathered over a pixel.
fn add_ring(mesh: &mut Mesh, ring: &Ring, fill: Color32, outline: Color32, pixels_per_point: f32) {
    let feather = 1.0 / pixels_per_point;
    let n = sides((ring.radius + OUTLINE) * pixels_per_point);
    let unit: Vec<egui::Vec2> = (0..n)
        .map(|k| {
            let angle = std::f32::consts::TAU * k as f32 / n as f32;
            egui::vec2(angle.cos(), angle.sin())
        })
        .collect();
    let vertex = |pos: Pos2, color: Color32| Vertex {
        pos,
        uv: WHITE_UV,
        color,
    };
    if fill != Color32::TRANSPARENT {
        let centre = mesh.vertices.len() as u32;
        mesh.vertices.push(vertex(ring.at, fill));
        mesh.vertices.extend(
            unit.iter()
                .map(|u| vertex(ring.at + *u * ring.radius, fill)),
        );
        for k in 0..n {
            mesh.add_triangle(centre, centre + 1 + k, centre + 1 + (k + 1) % n);
        }
    }
    // The outline's profile across it: (distance from the ring's radius, colour), inside out.
    // A line thinner than the feathering is a tent of its own weight; a wider one is flat
    // between feathered edges.
    let middle = ring.radius + OUTLINE / 2.0;
    let profile: Vec<(f32, Color32)> = if OUTLINE <= feather {
        vec![
            (middle - feather, Color32::TRANSPARENT),
            (middle, outline.gamma_multiply(OUTLINE / feather)),
            (middle + feather, Color32::TRANSPARENT),
        ]
    } else {
        let core = (OUTLINE - feather) / 2.0;
        vec![
            (middle - core - feather, Color32::TRANSPARENT),
            (middle - core, outline),
            (middle + core, outline),
            (middle + core + feather, Color32::TRANSPARENT),
        ]
    };
    let first = mesh.vertices.len() as u32;
    for (radius, colour) in &profile {
        mesh.vertices.extend(
            unit.iter()
                .map(|u| vertex(ring.at + *u * radius.max(0.0), *colour)),
        );
    }
    for band in 0..profile.len() as u32 - 1 {
        let (inner, outer) = (first + band * n, first + (band + 1) * n);
        for k in 0..n {
            let next = (k + 1) % n;
            mesh.add_triangle(inner + k, outer + k, outer + next);
            mesh.add_triangle(inner + k, outer + next, inner + next);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::pos2;

    fn ring(radius: f32) -> Ring {
        Ring {
            at: pos2(400.0, 300.0),
            radius,
            colour: Color32::from_rgb(200, 40, 40),
        }
    }

    fn triangles(shape: &Shape) -> usize {
        match shape {
            Shape::Mesh(mesh) => mesh.indices.len() / 3,
            _ => 0,
        }
    }

    #[test]
    fn a_ring_stays_within_a_quarter_pixel_of_its_circle_with_few_sides() {
        for radius_px in [6.0_f32, 20.0, 200.0, 2000.0] {
            let n = sides(radius_px) as f32;
            let sagitta = radius_px * (1.0 - (std::f32::consts::PI / n).cos());
            assert!(sagitta <= SAGITTA_PX + 1e-3, "{radius_px} px: {sagitta}");
        }
        // Where egui takes some 900 triangles.
        let view = Rect::from_min_size(pos2(0.0, 0.0), egui::vec2(800.0, 600.0));
        let shape = ring_shapes(vec![ring(200.0)], view, view.area(), 1.0);
        assert!(triangles(&shape) <= 320, "{}", triangles(&shape));
    }

    #[test]
    fn fills_stop_at_the_budget_and_outlines_go_on() {
        let view = Rect::from_min_size(pos2(0.0, 0.0), egui::vec2(800.0, 600.0));
        // Each of these covers the view: one fill is within the budget, the second is not.
        let wide = || ring(450.0);
        let one = triangles(&ring_shapes(vec![wide()], view, view.area(), 1.0));
        let two = triangles(&ring_shapes(vec![wide(), wide()], view, view.area(), 1.0));
        let outline_only = one - sides(451.0) as usize;
        assert_eq!(two, one + outline_only);
    }

    /// Regression: drawn over the anchored region around the view (2.45 times its area), the
    /// rings took the region's area as their budget, and a frame with the markers changing
    /// blended 2.45 times the translucent fill the view is allowed.
    #[test]
    fn rings_drawn_over_a_region_share_the_budget_of_the_view_on_screen() {
        let view = Rect::from_min_size(pos2(192.0, 192.0), egui::vec2(800.0, 600.0));
        let region = view.expand(192.0);
        // Eight rings of 250 pixels, each 0.41 of the view: a budget of one and a half views
        // fills three, the region's all eight.
        let rings = || -> Vec<Ring> {
            (0..8)
                .map(|k| Ring {
                    at: pos2(300.0 + 100.0 * k as f32, 400.0),
                    ..ring(250.0)
                })
                .collect()
        };
        let all_filled = triangles(&ring_shapes(rings(), region, region.area(), 1.0));
        let in_budget = triangles(&ring_shapes(rings(), region, view.area(), 1.0));
        let fill = sides(251.0) as usize;
        assert_eq!(all_filled - in_budget, 5 * fill, "five fills fewer");
    }

    #[test]
    fn the_outline_weighs_the_same_at_every_pixel_density() {
        // The outline's coverage summed across it is its width, thin or wide on screen.
        for pixels_per_point in [1.0, 2.0] {
            let mut mesh = Mesh::default();
            add_ring(
                &mut mesh,
                &ring(100.0),
                Color32::TRANSPARENT,
                Color32::WHITE,
                pixels_per_point,
            );
            let n = sides(101.0 * pixels_per_point) as usize;
            // Along one spoke: the radii and alphas of the profile.
            let spoke: Vec<(f32, f32)> = mesh
                .vertices
                .iter()
                .step_by(n)
                .map(|v| (v.pos.x - 400.0, f32::from(v.color.a()) / 255.0))
                .collect();
            let weight: f32 = spoke
                .windows(2)
                .map(|w| (w[1].0 - w[0].0) * (w[0].1 + w[1].1) / 2.0)
                .sum();
            assert!(
                (weight - OUTLINE).abs() < 0.02,
                "{pixels_per_point}: {weight}"
            );
        }
    }
}
