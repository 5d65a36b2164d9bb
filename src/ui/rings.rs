//! Uncertainty rings: the translucent disc around an approximate incident (geo_precision 2
//! or 3) showing how far from its marker it may have happened, drawn on the markers' atlas.
//!
//! A software renderer (Mesa llvmpipe) pays for every triangle it sets up, and for every block
//! of pixels a triangle's edge crosses. egui tessellates a large circle with 128 points and
//! feathers both its fill and its outline: some 900 triangles a ring. Here a ring's fill is
//! one quad (a disc of the atlas, enlarged), and its outline takes as many sides as keep it
//! within a quarter pixel of a true circle, each side one quad across the line whose texels
//! (a line's profile on the atlas) feather it: 2 triangles a side, 126 in all for a ring of
//! radius 200 pixels. Drawn as a fan of thin triangles from its centre, the fills cost a
//! brushing frame at zoom 8 about 2 ms more of the renderer's CPU; the outlines in plain
//! colour, a band for each feathered edge, twice the triangles (benches/README.md).

use crate::ui::sprites::SpriteMesh;
use egui::epaint::{Mesh, Vertex};
use egui::{Color32, Pos2, Rect};

/// The translucent fills of the rings may add up to this share of the view's area; the
/// smallest rings are filled first, the rest are drawn as outlines. Fills over more of the map
/// tint more than they mark, and a software renderer blends every pixel of them: with 100,000
/// incidents the fills at zoom 8 added up to a whole view, and halving them took about 1 ms
/// off a frame with the markers changing (benches/README.md). A ring covering more than half
/// the view is outlined only.
const RING_FILL_BUDGET: f32 = 0.5;
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

/// The rings, smallest first, added to `sprites` (an empty mesh on the atlas): filled while
/// their area stays within `RING_FILL_BUDGET` times `view_area` (the map's area on screen),
/// outlined only after that. They are drawn over `drawn_over`: the view, or the region around
/// it the map is anchored over (`map_anchor`), whose rings share the one budget, so that which
/// are filled does not change as the view pans across it. A ring that holds all of
/// `drawn_over` is outlined only too: its fill would tint everything and mark nothing.
pub fn ring_mesh(
    mut sprites: SpriteMesh,
    mut rings: Vec<Ring>,
    drawn_over: Rect,
    view_area: f32,
) -> Mesh {
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
    for ring in &rings {
        // The part of the disc inside the view is at most the view itself.
        let area = (std::f32::consts::PI * ring.radius * ring.radius).min(view_area);
        if area <= budget && !holds_all(ring) {
            budget -= area;
            sprites.disc(
                ring.at,
                fill_radius(ring.radius),
                ring.colour.gamma_multiply(0.16),
            );
        }
        add_outline(&mut sprites, ring, ring.colour.gamma_multiply(0.6));
    }
    sprites.mesh
}

/// The radius of a ring's fill: out to the middle of its outline. The disc's edge fades over
/// a texel of its atlas cell each side (`SpriteMesh::edge_blur`), so under the outline while
/// that is a pixel or less (rings of radius up to about 26 pixels, its largest cell's); wider,
/// the fade stays centred on the outline and reaches past it, from under half the fill's own
/// faint alpha down to nothing.
fn fill_radius(radius: f32) -> f32 {
    radius + OUTLINE / 2.0
}

/// How many sides a circle of this radius (pixels) takes to stay within `SAGITTA_PX` of it.
fn sides(radius_px: f32) -> u32 {
    let half_angle = (1.0 - SAGITTA_PX / radius_px.max(SAGITTA_PX)).acos();
    (std::f32::consts::PI / half_angle.max(1e-3))
        .ceil()
        .clamp(12.0, 512.0) as u32
}

/// A ring's outline, just outside its radius (where egui strokes a circle), anti-aliased over
/// a pixel: one band of two triangles a side, its cross-section a line's profile on the atlas.
fn add_outline(sprites: &mut SpriteMesh, ring: &Ring, outline: Color32) {
    let profile = sprites.line_profile(OUTLINE);
    let n = sides((ring.radius + OUTLINE) * sprites.pixels_per_point());
    let middle = ring.radius + OUTLINE / 2.0;
    let (inner, outer) = ((middle - profile.half).max(0.0), middle + profile.half);
    let color = outline.gamma_multiply(profile.peak);
    let mesh = &mut sprites.mesh;
    let first = mesh.vertices.len() as u32;
    for k in 0..n {
        let angle = std::f32::consts::TAU * k as f32 / n as f32;
        let unit = egui::vec2(angle.cos(), angle.sin());
        for (radius, uv) in [(inner, profile.inner_uv), (outer, profile.outer_uv)] {
            mesh.vertices.push(Vertex {
                pos: ring.at + unit * radius,
                uv,
                color,
            });
        }
    }
    for k in 0..n {
        let (this, next) = (first + 2 * k, first + 2 * ((k + 1) % n));
        mesh.add_triangle(this, this + 1, next + 1);
        mesh.add_triangle(this, next + 1, next);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::sprites::Sprites;
    use egui::pos2;

    fn ring(radius: f32) -> Ring {
        Ring {
            at: pos2(400.0, 300.0),
            radius,
            colour: Color32::from_rgb(200, 40, 40),
        }
    }

    /// The rings' triangles, drawn at one pixel per point.
    fn triangles(rings: Vec<Ring>, drawn_over: Rect, view_area: f32) -> usize {
        let sprites = Sprites::new(&egui::Context::default());
        ring_mesh(sprites.mesh(1.0), rings, drawn_over, view_area)
            .indices
            .len()
            / 3
    }

    /// A fill: one quad.
    const FILL_TRIANGLES: usize = 2;

    #[test]
    fn a_ring_stays_within_a_quarter_pixel_of_its_circle_with_few_sides() {
        for radius_px in [6.0_f32, 20.0, 200.0, 2000.0] {
            let n = sides(radius_px) as f32;
            let sagitta = radius_px * (1.0 - (std::f32::consts::PI / n).cos());
            assert!(sagitta <= SAGITTA_PX + 1e-3, "{radius_px} px: {sagitta}");
        }
        // Where egui takes some 900 triangles.
        let view = Rect::from_min_size(pos2(0.0, 0.0), egui::vec2(800.0, 600.0));
        let n = triangles(vec![ring(200.0)], view, view.area());
        assert!(n <= 260, "{n}");
    }

    #[test]
    fn fills_stop_at_the_budget_and_outlines_go_on() {
        let view = Rect::from_min_size(pos2(0.0, 0.0), egui::vec2(800.0, 600.0));
        // Each of these covers 0.26 of the view: one fill is within the budget, the second is
        // not.
        let wide = || ring(200.0);
        let one = triangles(vec![wide()], view, view.area());
        let two = triangles(vec![wide(), wide()], view, view.area());
        let outline_only = one - FILL_TRIANGLES;
        assert_eq!(two, one + outline_only);
    }

    /// Regression: drawn over the anchored region around the view (2.45 times its area), the
    /// rings took the region's area as their budget, and a frame with the markers changing
    /// blended 2.45 times the translucent fill the view is allowed.
    #[test]
    fn rings_drawn_over_a_region_share_the_budget_of_the_view_on_screen() {
        let view = Rect::from_min_size(pos2(192.0, 192.0), egui::vec2(800.0, 600.0));
        let region = view.expand(192.0);
        // Sixteen rings of 100 pixels, each 0.065 of the view: half the view fills seven,
        // half the region all sixteen.
        let rings = || -> Vec<Ring> {
            (0..16)
                .map(|k| Ring {
                    at: pos2(300.0 + 40.0 * k as f32, 400.0),
                    ..ring(100.0)
                })
                .collect()
        };
        let all_filled = triangles(rings(), region, region.area());
        let in_budget = triangles(rings(), region, view.area());
        assert_eq!(
            all_filled - in_budget,
            9 * FILL_TRIANGLES,
            "nine fills fewer"
        );
    }

    #[test]
    fn a_fill_reaches_its_outline_and_fades_out_under_it() {
        let sprites = Sprites::new(&egui::Context::default());
        let view = Rect::from_min_size(pos2(0.0, 0.0), egui::vec2(800.0, 600.0));
        for (radius, pixels_per_point) in [(8.0, 1.0), (20.0, 1.0), (60.0, 1.0), (20.0, 2.0)] {
            let mesh = ring_mesh(
                sprites.mesh(pixels_per_point),
                vec![ring(radius)],
                view,
                view.area(),
            );
            // The fill's quad comes first, then the outline's rings of vertices, inside out.
            let quad = mesh.vertices[..4].iter().fold(Rect::NOTHING, |r, v| {
                r.union(Rect::from_min_max(v.pos, v.pos))
            });
            let outline: Vec<f32> = mesh.vertices[4..]
                .iter()
                .map(|v| v.pos.distance(ring(radius).at))
                .collect();
            let (inner, outer) = outline
                .iter()
                .fold((f32::MAX, 0.0_f32), |(a, b), d| (a.min(*d), b.max(*d)));
            let (fill, blur) = (
                fill_radius(radius),
                sprites
                    .mesh(pixels_per_point)
                    .edge_blur(fill_radius(radius)),
            );
            assert!(
                quad.width() / 2.0 >= fill + blur,
                "{radius}: the quad holds the fade"
            );
            // Solid out to where the outline starts; gone where it ends (a small ring), or
            // the fade centred on it (a large one).
            let middle = (inner + outer) / 2.0;
            assert!(
                (fill - middle).abs() < 0.05,
                "{radius}: {fill} against {middle}"
            );
            if radius * pixels_per_point <= 26.0 {
                assert!(
                    fill - blur >= inner - 0.05 && fill + blur <= outer + 0.05,
                    "{radius} at {pixels_per_point}: fade {} to {}, outline {inner} to {outer}",
                    fill - blur,
                    fill + blur
                );
            }
        }
    }

    #[test]
    fn the_outline_weighs_the_same_at_every_pixel_density() {
        // The outline's coverage summed across it is its width, thin or wide on screen: its
        // vertices' alpha times the atlas's, filtered as a renderer does, along one spoke.
        let sprites = Sprites::new(&egui::Context::default());
        for pixels_per_point in [0.75, 1.0, 1.5, 2.0, 3.0] {
            let mut mesh = sprites.mesh(pixels_per_point);
            add_outline(&mut mesh, &ring(100.0), Color32::WHITE);
            let [inner, outer] = [&mesh.mesh.vertices[0], &mesh.mesh.vertices[1]];
            let steps = 1000;
            let weight: f32 = (0..steps)
                .map(|i| {
                    let t = (i as f32 + 0.5) / steps as f32;
                    let uv = inner.uv + (outer.uv - inner.uv) * t;
                    let alpha = f32::from(inner.color.a()) / 255.0;
                    alpha * crate::ui::sprites::alpha_at(uv)
                })
                .sum::<f32>()
                * (outer.pos.x - inner.pos.x)
                / steps as f32;
            assert!(
                (weight - OUTLINE).abs() < 0.02,
                "{pixels_per_point}: {weight}"
            );
        }
    }

    #[test]
    fn an_outline_is_one_band_of_two_triangles_a_side() {
        let sprites = Sprites::new(&egui::Context::default());
        let mut mesh = sprites.mesh(1.0);
        add_outline(&mut mesh, &ring(200.0), Color32::WHITE);
        let n = sides(201.0) as usize;
        assert_eq!(mesh.mesh.indices.len() / 3, 2 * n);
        // Where it was 4 a side: a band from each edge to its middle.
        assert!(n <= 65, "{n}");
        // The figure the module's doc gives.
        assert_eq!(mesh.mesh.indices.len() / 3, 126);
    }
}
