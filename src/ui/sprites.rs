//! Discs, bands of them (a bubble's halo and ring) and lines (a ring's outline), drawn as
//! textured quads from one small atlas, anti-aliased once when it is made. A lone marker then costs 4 triangles and a count
//! bubble about 50, where egui's tessellated circles take hundreds, and each covers little
//! more than the pixels it shows: a software renderer (Mesa llvmpipe) pays for every triangle
//! it sets up and every pixel it blends.

use egui::{Color32, ColorImage, Context, Mesh, Pos2, Rect, TextureHandle, TextureOptions, pos2};
use std::f32::consts::TAU;

/// Side of the large cells of the atlas, in texels: near the size bubbles are drawn at (25 to
/// 70 pixels across), so plain bilinear filtering keeps their edges smooth. With mipmaps, the
/// software renderer (llvmpipe) read twice the texels for every pixel of every bubble: 4 ms
/// more for a frame that redraws 100,000 incidents' markers (benches/README.md).
const CELL: usize = 64;
/// The smaller discs, for lone markers (10 to 40 pixels across): each disc is drawn from the
/// smallest cell at least its size, so it is never shrunk more than twice and stays smooth
/// without mipmaps.
const SMALL_CELLS: [usize; 2] = [32, 16];
/// The atlas: the large disc, the smaller discs in a row beneath, and right of them the rows
/// of the lines' cross-sections (`LINE_ROWS`).
const ATLAS: [usize; 2] = [CELL, CELL + SMALL_CELLS[0]];
/// A disc's radius as a share of its cell's half-side: the margin lets a band's covering
/// quads stay inside the cell.
const FILL: f32 = 1.0 / 1.2;
/// How far past a disc's edge its quad or band reaches, in texels of its cell: the edge's
/// anti-aliasing and the bilinear filter's half texel.
const EDGE_TEXELS: f32 = 1.5;
/// The widest angle of a band's quads: their outer side strays outside the circle by
/// 1/cos(15°), 3.5%.
const BAND_STEP: f32 = std::f32::consts::PI / 6.0;

/// Rows of texels across an anti-aliased line: one clear texel, 1 to `LINE_ROWS` opaque ones,
/// one clear; bilinear filtering between their centres draws the line's cross-section. They lie
/// right of the small discs, a clear row between each.
const LINE_ROWS: usize = 3;
const LINE_X: usize = SMALL_CELLS[0] + SMALL_CELLS[1];
const LINE_Y: usize = CELL + 1;

/// The atlas of white discs, tinted when drawn.
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
        Sprites {
            texture: ctx.load_texture("marker-sprites", atlas(), TextureOptions::LINEAR),
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

/// Discs and bands of discs on the atlas, in one mesh (and shapes of plain colour: see
/// `solid_uv`).
pub struct SpriteMesh {
    pub mesh: Mesh,
    pixels_per_point: f32,
}

impl SpriteMesh {
    /// The pixels per point the mesh is drawn at.
    pub fn pixels_per_point(&self) -> f32 {
        self.pixels_per_point
    }

    /// The cross-section of a line `width` points wide, anti-aliased over a pixel: a line
    /// thinner than a pixel is a tent of its own weight, a wider one flat between feathered
    /// edges (exactly so at whole pixels per point up to `LINE_ROWS`, near it between them).
    /// A quad across the line from `inner_uv` to `outer_uv`, `half` each side of its middle,
    /// draws it in one band of two triangles, where plain colours need a band per edge.
    pub fn line_profile(&self, width: f32) -> LineProfile {
        let feather = 1.0 / self.pixels_per_point;
        let solid = (width / feather).round().clamp(1.0, LINE_ROWS as f32) as usize;
        let half = ((width + feather) / 2.0).max(feather);
        // The row's profile weighs solid / (solid + 1) of the band: its colour makes up the
        // line's width.
        let peak = (width * (solid + 1) as f32 / (2.0 * half * solid as f32)).min(1.0);
        let (x, y) = line_row(solid);
        let uv = |texel: usize| {
            pos2(
                (texel as f32 + 0.5) / ATLAS[0] as f32,
                (y as f32 + 0.5) / ATLAS[1] as f32,
            )
        };
        LineProfile {
            inner_uv: uv(x),
            outer_uv: uv(x + solid + 1),
            half,
            peak,
        }
    }

    /// How far a disc of `radius` points drawn here blurs past its edge, in points: a texel
    /// of the cell it is drawn from (its anti-aliasing and the bilinear filter's half texel
    /// each side).
    pub fn edge_blur(&self, radius: f32) -> f32 {
        radius / cell_for(radius * self.pixels_per_point).shape_radius()
    }

    /// A filled disc, from the smallest cell that holds it without enlarging it (the largest
    /// otherwise).
    pub fn disc(&mut self, at: Pos2, radius: f32, colour: Color32) {
        let cell = cell_for(radius * self.pixels_per_point);
        // The quad reaches just past the disc's anti-aliased edge, not over the cell's whole
        // margin: a software renderer blends every pixel of it.
        let reach = (1.0 + EDGE_TEXELS / cell.shape_radius()).min(1.0 / FILL);
        let half = radius * reach;
        let rect = Rect::from_center_size(at, egui::vec2(2.0 * half, 2.0 * half));
        let local = 0.5 * FILL * reach;
        let uv = Rect::from_min_max(
            cell.uv(egui::vec2(-local, -local)),
            cell.uv(egui::vec2(local, local)),
        );
        self.mesh.add_rect_with_uv(rect, uv, colour);
    }

    /// The band between `inner` and `radius` (the outer edge, anti-aliased) of a disc, from
    /// angle `from` over `sweep`, as quads of at most 30°: where a disc would be covered over
    /// inside (a bubble's halo under its ring, its ring under its centre), only the band is
    /// blended. `inner` is where the band's inner corners lie; it may stray inside by a few
    /// percent between them.
    pub fn band(
        &mut self,
        at: Pos2,
        radius: f32,
        inner: f32,
        from: f32,
        sweep: f32,
        colour: Color32,
    ) {
        let sweep = sweep.clamp(0.0, TAU);
        let steps = (sweep / BAND_STEP).ceil().max(1.0);
        let step = sweep / steps;
        let texels = LARGE_DISC.shape_radius();
        // The outer side passes outside the disc's edge, anti-aliasing included.
        let reach = radius * (1.0 + EDGE_TEXELS / texels) / (step / 2.0).cos();
        let half = radius / FILL;
        let uv = |p: Pos2| LARGE_DISC.uv((p - at) / (2.0 * half));
        let mesh = &mut self.mesh;
        let first = mesh.vertices.len() as u32;
        for k in 0..=steps as u32 {
            let angle = from + step * k as f32;
            let unit = egui::vec2(angle.cos(), angle.sin());
            for p in [at + unit * inner.max(0.0), at + unit * reach] {
                mesh.vertices.push(egui::epaint::Vertex {
                    pos: p,
                    uv: uv(p),
                    color: colour,
                });
            }
            if k > 0 {
                let i = first + 2 * k;
                mesh.add_triangle(i - 2, i - 1, i + 1);
                mesh.add_triangle(i - 2, i + 1, i);
            }
        }
    }
}

/// The atlas's texels: the discs, anti-aliased, and the lines' rows.
fn atlas() -> ColorImage {
    let mut image = ColorImage::filled(ATLAS, Color32::TRANSPARENT);
    for cell in DISCS {
        let outer = cell.shape_radius();
        for y in 0..cell.side {
            for x in 0..cell.side {
                let alpha = coverage(cell.side, x, y, |d| d <= outer);
                image.pixels[(cell.y + y) * ATLAS[0] + cell.x + x] =
                    Color32::from_white_alpha(alpha);
            }
        }
    }
    for solid in 1..=LINE_ROWS {
        let (x, y) = line_row(solid);
        for k in 1..=solid {
            image.pixels[y * ATLAS[0] + x + k] = Color32::WHITE;
        }
    }
    image
}

/// The atlas's alpha at `uv`, filtered bilinearly as a renderer samples it.
#[cfg(test)]
pub(crate) fn alpha_at(uv: Pos2) -> f32 {
    static ATLAS_IMAGE: std::sync::OnceLock<ColorImage> = std::sync::OnceLock::new();
    let image = ATLAS_IMAGE.get_or_init(atlas);
    let (x, y) = (uv.x * ATLAS[0] as f32 - 0.5, uv.y * ATLAS[1] as f32 - 0.5);
    let texel = |x: f32, y: f32| {
        let (x, y) = (
            x.clamp(0.0, (ATLAS[0] - 1) as f32) as usize,
            y.clamp(0.0, (ATLAS[1] - 1) as f32) as usize,
        );
        f32::from(image.pixels[y * ATLAS[0] + x].a()) / 255.0
    };
    let (x0, y0) = (x.floor(), y.floor());
    let (fx, fy) = (x - x0, y - y0);
    let top = texel(x0, y0) * (1.0 - fx) + texel(x0 + 1.0, y0) * fx;
    let bottom = texel(x0, y0 + 1.0) * (1.0 - fx) + texel(x0 + 1.0, y0 + 1.0) * fx;
    top * (1.0 - fy) + bottom * fy
}

/// A line's cross-section on the atlas (`SpriteMesh::line_profile`).
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct LineProfile {
    /// Texture coordinates of the line's two edges, where it has faded to nothing.
    pub inner_uv: Pos2,
    pub outer_uv: Pos2,
    /// From the line's middle to either edge, in points.
    pub half: f32,
    /// The share of the line's colour drawn where it is most opaque.
    pub peak: f32,
}

/// The first texel of the row with `solid` opaque texels.
fn line_row(solid: usize) -> (usize, usize) {
    (LINE_X, LINE_Y + 2 * (solid - 1))
}

/// The cell a disc `texels` in radius is drawn from: the smallest that holds it without
/// enlarging it, else the largest.
fn cell_for(texels: f32) -> Cell {
    DISCS
        .into_iter()
        .find(|c| c.shape_radius() >= texels)
        .unwrap_or(LARGE_DISC)
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
    fn a_full_band_is_twelve_quads_inside_its_cell_and_a_disc_one_quad_hugging_its_edge() {
        let sprites = Sprites::new(&Context::default());
        let mut sprite_mesh = sprites.mesh(1.0);
        let at = pos2(100.0, 100.0);
        sprite_mesh.band(at, 20.0, 15.0, 0.0, TAU, Color32::RED);
        let mesh = &sprite_mesh.mesh;
        assert_eq!(mesh.indices.len(), 12 * 2 * 3);
        let cell = Rect::from_min_max(
            LARGE_DISC.uv(egui::vec2(-0.5, -0.5)),
            LARGE_DISC.uv(egui::vec2(0.5, 0.5)),
        );
        assert_eq!(
            cell,
            Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 64.0 / 96.0))
        );
        assert!(mesh.vertices.iter().all(|v| cell.contains(v.uv)));
        // The band covers the ring between its radii: its quads' sides stray inside the outer
        // circle nowhere, and its inner corners lie on the inner one.
        let distances: Vec<f32> = mesh.vertices.iter().map(|v| v.pos.distance(at)).collect();
        assert!(
            distances
                .iter()
                .all(|d| (*d - 15.0).abs() < 1e-3 || *d * 0.96 > 20.0)
        );
        sprite_mesh.disc(at, 20.0, Color32::RED);
        assert_eq!(sprite_mesh.mesh.indices.len(), 26 * 3);
        let quad = &sprite_mesh.mesh.vertices[sprite_mesh.mesh.vertices.len() - 4..];
        let half = (quad[1].pos.x - quad[0].pos.x).abs() / 2.0;
        assert!(
            (20.5..22.0).contains(&half),
            "the quad reaches {half} for a disc of 20"
        );
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
    fn the_atlas_is_discs() {
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
    }
}
