//! Discs and rings drawn as textured quads from one small atlas, anti-aliased once when it is
//! made. Hundreds of count bubbles then cost a few triangles each rather than the hundreds a
//! tessellated circle takes, which a software renderer (Mesa llvmpipe) pays for dearly.

use egui::{Color32, ColorImage, Context, Mesh, Pos2, Rect, TextureHandle, TextureOptions, pos2};
use std::f32::consts::{FRAC_PI_3, TAU};

/// Side of one cell of the atlas, in texels: near the size the sprites are drawn at (25 to 70
/// pixels across), so plain bilinear filtering keeps their edges smooth. With mipmaps, the
/// software renderer (llvmpipe) read twice the texels for every pixel of every bubble: 4 ms
/// more for a frame that redraws 100,000 incidents' markers (benches/README.md).
const CELL: usize = 64;
/// A shape's radius as a share of its cell's half-side: the margin lets a ring sector's
/// covering triangles stay inside the cell.
const FILL: f32 = 1.0 / 1.2;
/// Inner radius of the ring, as a share of its outer radius.
pub const RING_INNER: f32 = 0.74;

/// The atlas: a disc in the left cell, a ring in the right one, both white (tinted when drawn).
pub struct Sprites {
    texture: TextureHandle,
}

impl Sprites {
    pub fn new(ctx: &Context) -> Sprites {
        let mut image = ColorImage::filled([2 * CELL, CELL], Color32::TRANSPARENT);
        let outer = CELL as f32 / 2.0 * FILL;
        for y in 0..CELL {
            for x in 0..CELL {
                let disc = coverage(x, y, |d| d <= outer);
                let ring = coverage(x, y, |d| d <= outer && d >= outer * RING_INNER);
                image.pixels[y * 2 * CELL + x] = Color32::from_white_alpha(disc);
                image.pixels[y * 2 * CELL + CELL + x] = Color32::from_white_alpha(ring);
            }
        }
        Sprites {
            texture: ctx.load_texture("marker-sprites", image, TextureOptions::LINEAR),
        }
    }

    /// An empty mesh on the atlas, for `disc` and `ring` to add to.
    pub fn mesh(&self) -> Mesh {
        Mesh::with_texture(self.texture.id())
    }

    /// A filled disc.
    pub fn disc(&self, mesh: &mut Mesh, at: Pos2, radius: f32, colour: Color32) {
        let half = radius / FILL;
        let rect = Rect::from_center_size(at, egui::vec2(2.0 * half, 2.0 * half));
        mesh.add_rect_with_uv(
            rect,
            Rect::from_min_max(pos2(0.0, 0.0), pos2(0.5, 1.0)),
            colour,
        );
    }

    /// The part of a ring of outer radius `radius` from angle `from` over `sweep` (radians,
    /// clockwise on screen from the x axis), as a fan of at most six triangles.
    pub fn ring(
        &self,
        mesh: &mut Mesh,
        at: Pos2,
        radius: f32,
        from: f32,
        sweep: f32,
        colour: Color32,
    ) {
        let sweep = sweep.clamp(0.0, TAU);
        let steps = (sweep / FRAC_PI_3).ceil().max(1.0);
        let step = sweep / steps;
        // The triangles' far side must pass outside the ring: reach past it by 1/cos(step/2).
        let reach = radius / (step / 2.0).cos();
        let half = radius / FILL;
        let uv = |p: Pos2| {
            let local = (p - at) / (2.0 * half);
            pos2(0.75 + local.x / 2.0, 0.5 + local.y)
        };
        let centre = mesh.vertices.len() as u32;
        mesh.vertices.push(egui::epaint::Vertex {
            pos: at,
            uv: uv(at),
            color: colour,
        });
        for k in 0..=steps as u32 {
            let angle = from + step * k as f32;
            let p = at + egui::vec2(angle.cos(), angle.sin()) * reach;
            mesh.vertices.push(egui::epaint::Vertex {
                pos: p,
                uv: uv(p),
                color: colour,
            });
            if k > 0 {
                mesh.add_triangle(centre, centre + k, centre + k + 1);
            }
        }
    }
}

/// Alpha of the texel at (x, y) inside `shape` (a test on the distance from the cell's centre),
/// from 4 × 4 samples.
fn coverage(x: usize, y: usize, shape: impl Fn(f32) -> bool) -> u8 {
    let centre = CELL as f32 / 2.0;
    let inside = (0..16)
        .filter(|s| {
            let sx = x as f32 + (s % 4) as f32 / 4.0 + 0.125 - centre;
            let sy = y as f32 + (s / 4) as f32 / 4.0 + 0.125 - centre;
            shape((sx * sx + sy * sy).sqrt())
        })
        .count();
    (inside * 255 / 16) as u8
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_full_ring_is_six_triangles_and_stays_inside_its_cell() {
        let sprites = Sprites::new(&Context::default());
        let mut mesh = sprites.mesh();
        sprites.ring(&mut mesh, pos2(100.0, 100.0), 20.0, 0.0, TAU, Color32::RED);
        assert_eq!(mesh.indices.len(), 6 * 3);
        assert!(
            mesh.vertices
                .iter()
                .all(|v| (0.5..=1.0).contains(&v.uv.x) && (0.0..=1.0).contains(&v.uv.y))
        );
        sprites.disc(&mut mesh, pos2(100.0, 100.0), 20.0, Color32::RED);
        assert_eq!(mesh.indices.len(), 8 * 3);
    }

    #[test]
    fn the_atlas_is_a_disc_and_a_ring() {
        let outer = CELL as f32 / 2.0 * FILL;
        let at = |d: f32| coverage((CELL as f32 / 2.0 + d) as usize, CELL / 2, |r| r <= outer);
        assert_eq!(at(0.0), 255);
        assert_eq!(at(outer + 2.0), 0);
        let ring = |d: f32| {
            coverage((CELL as f32 / 2.0 + d) as usize, CELL / 2, |r| {
                r <= outer && r >= outer * RING_INNER
            })
        };
        assert_eq!(ring(0.0), 0);
        assert_eq!(ring(outer * (1.0 + RING_INNER) / 2.0), 255);
    }
}
