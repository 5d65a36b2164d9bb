//! Discs and rings drawn as textured quads from one small atlas, anti-aliased once when it is
//! made. Hundreds of count bubbles then cost a few triangles each rather than the hundreds a
//! tessellated circle takes, which a software renderer (Mesa llvmpipe) pays for dearly.

use egui::{Color32, ColorImage, Context, Mesh, Pos2, Rect, TextureHandle, TextureOptions, pos2};
use std::f32::consts::{FRAC_PI_3, TAU};

/// Side of the large cells of the atlas, in texels: near the size bubbles are drawn at (25 to
/// 70 pixels across), so plain bilinear filtering keeps their edges smooth. With mipmaps, the
/// software renderer (llvmpipe) read twice the texels for every pixel of every bubble: 4 ms
/// more for a frame that redraws 100,000 incidents' markers (benches/README.md).
const CELL: usize = 64;
/// The smaller discs, for lone markers (10 to 40 pixels across): each disc is drawn from the
/// smallest cell at least its size, so it is never shrunk more than twice and stays smooth
/// without mipmaps.
const SMALL_CELLS: [usize; 2] = [32, 16];
/// The atlas: the large disc and ring side by side, the smaller discs in a row beneath.
const ATLAS: [usize; 2] = [2 * CELL, CELL + SMALL_CELLS[0]];
/// A shape's radius as a share of its cell's half-side: the margin lets a ring sector's
/// covering triangles stay inside the cell.
const FILL: f32 = 1.0 / 1.2;
/// Inner radius of the ring, as a share of its outer radius.
pub const RING_INNER: f32 = 0.74;

/// The atlas of white discs and a white ring, tinted when drawn.
pub struct Sprites {
    texture: TextureHandle,
}

/// A cell of the atlas: its corner and side, in texels.
#[derive(Clone, Copy)]
struct Cell {
    x: usize,
    y: usize,
    side: usize,
}

const LARGE_DISC: Cell = Cell {
    x: 0,
    y: 0,
    side: CELL,
};
const RING: Cell = Cell {
    x: CELL,
    y: 0,
    side: CELL,
};
/// The discs, smallest first.
const DISCS: [Cell; 3] = [
    Cell {
        x: SMALL_CELLS[0],
        y: CELL,
        side: SMALL_CELLS[1],
    },
    Cell {
        x: 0,
        y: CELL,
        side: SMALL_CELLS[0],
    },
    LARGE_DISC,
];

impl Cell {
    /// The radius of the shape drawn in this cell, in texels.
    fn shape_radius(self) -> f32 {
        self.side as f32 / 2.0 * FILL
    }

    /// The texture coordinates of a point at `local` (from -0.5 to 0.5 of the cell's side,
    /// from its centre).
    fn uv(self, local: egui::Vec2) -> Pos2 {
        let side = self.side as f32;
        pos2(
            (self.x as f32 + side * (0.5 + local.x)) / ATLAS[0] as f32,
            (self.y as f32 + side * (0.5 + local.y)) / ATLAS[1] as f32,
        )
    }
}

impl Sprites {
    pub fn new(ctx: &Context) -> Sprites {
        let mut image = ColorImage::filled(ATLAS, Color32::TRANSPARENT);
        let mut paint = |cell: Cell, inner_share: f32| {
            let outer = cell.shape_radius();
            for y in 0..cell.side {
                for x in 0..cell.side {
                    let alpha =
                        coverage(cell.side, x, y, |d| d <= outer && d >= outer * inner_share);
                    image.pixels[(cell.y + y) * ATLAS[0] + cell.x + x] =
                        Color32::from_white_alpha(alpha);
                }
            }
        };
        for cell in DISCS {
            paint(cell, 0.0);
        }
        paint(RING, RING_INNER);
        Sprites {
            texture: ctx.load_texture("marker-sprites", image, TextureOptions::LINEAR),
        }
    }

    /// An empty mesh on the atlas, for discs and rings drawn at `pixels_per_point`.
    pub fn mesh(&self, pixels_per_point: f32) -> SpriteMesh {
        SpriteMesh {
            mesh: Mesh::with_texture(self.texture.id()),
            pixels_per_point,
        }
    }
}

/// Discs and ring sectors on the atlas, in one mesh.
pub struct SpriteMesh {
    pub mesh: Mesh,
    pixels_per_point: f32,
}

impl SpriteMesh {
    /// A filled disc, from the smallest cell that holds it without enlarging it (the largest
    /// otherwise).
    pub fn disc(&mut self, at: Pos2, radius: f32, colour: Color32) {
        let texels = radius * self.pixels_per_point;
        let cell = DISCS
            .into_iter()
            .find(|c| c.shape_radius() >= texels)
            .unwrap_or(LARGE_DISC);
        let half = radius / FILL;
        let rect = Rect::from_center_size(at, egui::vec2(2.0 * half, 2.0 * half));
        let uv = Rect::from_min_max(
            cell.uv(egui::vec2(-0.5, -0.5)),
            cell.uv(egui::vec2(0.5, 0.5)),
        );
        self.mesh.add_rect_with_uv(rect, uv, colour);
    }

    /// The part of a ring of outer radius `radius` from angle `from` over `sweep` (radians,
    /// clockwise on screen from the x axis), as a fan of at most six triangles.
    pub fn ring(&mut self, at: Pos2, radius: f32, from: f32, sweep: f32, colour: Color32) {
        let sweep = sweep.clamp(0.0, TAU);
        let steps = (sweep / FRAC_PI_3).ceil().max(1.0);
        let step = sweep / steps;
        // The triangles' far side must pass outside the ring: reach past it by 1/cos(step/2).
        let reach = radius / (step / 2.0).cos();
        let half = radius / FILL;
        let uv = |p: Pos2| RING.uv((p - at) / (2.0 * half));
        let mesh = &mut self.mesh;
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

/// Alpha of the texel at (x, y) of a cell `side` texels wide inside `shape` (a test on the
/// distance from the cell's centre), from 4 × 4 samples.
fn coverage(side: usize, x: usize, y: usize, shape: impl Fn(f32) -> bool) -> u8 {
    let centre = side as f32 / 2.0;
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
        let mut sprite_mesh = sprites.mesh(1.0);
        sprite_mesh.ring(pos2(100.0, 100.0), 20.0, 0.0, TAU, Color32::RED);
        let mesh = &sprite_mesh.mesh;
        assert_eq!(mesh.indices.len(), 6 * 3);
        let cell = Rect::from_min_max(
            RING.uv(egui::vec2(-0.5, -0.5)),
            RING.uv(egui::vec2(0.5, 0.5)),
        );
        assert_eq!(
            cell,
            Rect::from_min_max(pos2(0.5, 0.0), pos2(1.0, 64.0 / 96.0))
        );
        assert!(mesh.vertices.iter().all(|v| cell.contains(v.uv)));
        sprite_mesh.disc(pos2(100.0, 100.0), 20.0, Color32::RED);
        assert_eq!(sprite_mesh.mesh.indices.len(), 8 * 3);
    }

    /// A disc's texels per pixel on screen, at this radius and pixels per point.
    fn texels_per_pixel(radius: f32, pixels_per_point: f32) -> f32 {
        let sprites = Sprites::new(&Context::default());
        let mut sprite_mesh = sprites.mesh(pixels_per_point);
        sprite_mesh.disc(pos2(50.0, 50.0), radius, Color32::RED);
        let v = &sprite_mesh.mesh.vertices;
        let (du, dx) = (
            (v[1].uv.x - v[0].uv.x).abs() * ATLAS[0] as f32,
            (v[1].pos.x - v[0].pos.x).abs() * pixels_per_point,
        );
        du / dx
    }

    #[test]
    fn a_disc_is_drawn_from_a_cell_never_enlarged_nor_shrunk_more_than_twice() {
        for pixels_per_point in [1.0, 1.5, 2.0] {
            // Up to the large cell's disc: beyond it, bubbles are enlarged from it.
            for radius in [3.5, 5.0, 6.5, 8.0, 12.0, 18.0, 21.0]
                .into_iter()
                .filter(|r| r * pixels_per_point <= LARGE_DISC.shape_radius())
            {
                let scale = texels_per_pixel(radius, pixels_per_point);
                assert!(
                    (1.0..=2.0).contains(&scale),
                    "radius {radius} at {pixels_per_point}: {scale} texels a pixel"
                );
            }
        }
    }

    #[test]
    fn the_atlas_is_discs_and_a_ring() {
        for side in [CELL, SMALL_CELLS[0], SMALL_CELLS[1]] {
            let outer = side as f32 / 2.0 * FILL;
            let at = |d: f32| {
                coverage(side, (side as f32 / 2.0 + d) as usize, side / 2, |r| {
                    r <= outer
                })
            };
            assert_eq!(at(0.0), 255);
            assert_eq!(at(outer + 1.5), 0);
        }
        let outer = CELL as f32 / 2.0 * FILL;
        let ring = |d: f32| {
            coverage(CELL, (CELL as f32 / 2.0 + d) as usize, CELL / 2, |r| {
                r <= outer && r >= outer * RING_INNER
            })
        };
        assert_eq!(ring(0.0), 0);
        assert_eq!(ring(outer * (1.0 + RING_INNER) / 2.0), 255);
    }
}
