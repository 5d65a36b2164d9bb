//! Count bubbles drawn ahead into an atlas of stamps, so that each bubble on the map is one
//! quad: its white halo, its ring split by event type and its dark centre, anti-aliased once
//! when the stamp is made. Drawn as bands of the sprite atlas instead, a bubble was about 50
//! thin triangles, and a software renderer (Mesa llvmpipe) shades every 4 × 4 block a triangle
//! touches: with 100,000 incidents at zoom 7 the 230 bubbles in view cost 3–4 ms a frame more
//! than one plain quad each. Stamps win back about 1.4 ms of it (benches/README.md).
//!
//! A stamp is keyed by the bubble's radius in whole pixels and its ring's shares in 64ths of a
//! turn, so neighbouring counts and small changes of a large bubble share one; while the time
//! brush slides, 20 to 40 of the 210 stamps in view are new each frame. Stamps not used over
//! the last two frames make room for new ones; when the atlas is full of stamps in use, a
//! bubble is drawn as bands (`draw_bubble` in `markers`), and if most of the atlas held stamps
//! not drawn that frame (sizes no longer in view), it starts afresh the next.

use crate::palette::{self, EVENT_RGB};
use crate::ui::clusters::BUBBLE_HALO_PX;
use egui::{Color32, ColorImage, Context, Mesh, Pos2, Rect, TextureHandle, TextureOptions, pos2};
use std::collections::HashMap;
use std::f32::consts::TAU;

/// The ring's outer edge, past the disc's radius, in points: a point of halo shows beyond it.
const RING_OUTSET: f32 = 2.0;
/// Where a bubble's ring ends inside, as a share of its outer radius (it is 4.5 points wide at
/// most).
const RING_INNER: f32 = 0.74;
/// The bubble's centre, under its count.
pub const BUBBLE_CENTRE: Color32 = Color32::from_rgb(0x2b, 0x2b, 0x2b);
/// The ring's shares are kept in these parts of a turn (5.6° each).
const TURN_PARTS: u32 = 64;
/// The kinds of incident a ring tells apart: the event types in the legend's order, then
/// those of unknown type.
pub const KINDS: usize = EVENT_RGB.len() + 1;
/// Slots are as wide as their stamps rounded up to this many pixels: a shelf of the atlas
/// holds slots of one width.
const SLOT_STEP: usize = 8;
/// The atlas's side at first: room by area for about 80 bubbles of middling size (56 pixels
/// wide), a megabyte to clear
/// and upload at start. It doubles each time a frame finds it full of stamps in use.
const FIRST_PAGE: usize = 512;
/// Its largest side (within what the renderer allows): room by area for about a thousand
/// bubbles of middling size at one pixel per point, about 300 at two.
const LARGEST_PAGE: usize = 2048;

/// A count bubble's radii, in the unit its radius is given in.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct BubbleShape {
    /// The white halo's outer edge.
    pub halo: f32,
    /// The ring's outer edge.
    pub outer: f32,
    /// The ring's inner edge, where the dark centre starts.
    pub inside: f32,
}

impl BubbleShape {
    /// The shape of a bubble whose disc is `radius` points, at `scale` pixels a point.
    pub fn new(radius: f32, scale: f32) -> BubbleShape {
        let outer = radius + RING_OUTSET;
        BubbleShape {
            halo: (radius + BUBBLE_HALO_PX) * scale,
            outer: outer * scale,
            inside: (outer * RING_INNER + 0.5).max(radius - 2.5) * scale,
        }
    }
}

/// An incident's kind: its event type's place in the legend, or unknown (the last).
pub fn kind_of(event_type: Option<&str>) -> u8 {
    // At most KINDS - 1 (`palette::index_of`), well within a byte.
    palette::index_of(event_type).min(KINDS - 1) as u8
}

/// The colour a kind is drawn in.
pub fn colour_of_kind(kind: usize) -> Color32 {
    let [r, g, b] = palette::rgb_at(kind);
    Color32::from_rgb(r, g, b)
}

/// How many of `members` are of each kind (`kinds` holds every incident's).
pub fn count_kinds(members: &[usize], kinds: &[u8]) -> [u32; KINDS] {
    let mut counts = [0; KINDS];
    for &m in members {
        if let Some(count) = kinds.get(m).and_then(|&k| counts.get_mut(usize::from(k))) {
            *count += 1;
        }
    }
    counts
}

/// What a stamp shows: a bubble's radius in pixels and its ring's share of each kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct Stamp {
    radius_px: u16,
    /// Parts of a turn per kind, clockwise from the top in the legend's order: every kind
    /// present has one at least, and they make a whole turn.
    parts: [u8; KINDS],
}

impl Stamp {
    /// What a new slot holds until its stamp is drawn: no bubble has a radius of 0.
    const EMPTY: Stamp = Stamp {
        radius_px: 0,
        parts: [0; KINDS],
    };

    /// The stamp of a bubble whose disc is `radius` points at `pixels_per_point`, whose members are
    /// `counts` of each kind.
    pub fn new(radius: f32, pixels_per_point: f32, counts: &[u32; KINDS]) -> Stamp {
        Stamp {
            radius_px: (radius * pixels_per_point).round().clamp(1.0, 1000.0) as u16,
            parts: parts_of_turn(counts),
        }
    }

    /// The side of its picture in pixels: the halo and a clear pixel around it, even.
    fn side(self, pixels_per_point: f32) -> usize {
        let shape = BubbleShape::new(
            f32::from(self.radius_px) / pixels_per_point,
            pixels_per_point,
        );
        2 * (shape.halo + 1.0).ceil() as usize
    }
}

/// What the stamps of one radius and slot share, worked out once: their halo and centre, and
/// where each pixel of their ring lies.
struct Outline {
    side: usize,
    /// The halo and the centre, the ring's pixels left white.
    base: Vec<Color32>,
    ring: Vec<RingPixel>,
}

/// A pixel the ring shows in.
struct RingPixel {
    index: usize,
    /// Its angle, as a share of a turn clockwise from the top.
    turn: f32,
    /// A turn's length at its distance from the centre, in pixels.
    circumference: f32,
    /// How much of it the ring, the centre and the bubble as a whole cover.
    ring: f32,
    inside: f32,
    alpha: f32,
}

impl Outline {
    fn new(radius_px: u16, pixels_per_point: f32, side: usize) -> Outline {
        let shape = BubbleShape::new(f32::from(radius_px) / pixels_per_point, pixels_per_point);
        let centre = side as f32 / 2.0;
        // How much of a pixel `d` from the centre lies inside a circle of radius `edge`.
        let cover = |edge: f32, d: f32| (edge + 0.5 - d).clamp(0.0, 1.0);
        let reach = (shape.halo + 0.5).powi(2);
        let mut base = vec![Color32::TRANSPARENT; side * side];
        let mut ring = Vec::new();
        for y in 0..side {
            let dy = y as f32 + 0.5 - centre;
            for x in 0..side {
                let dx = x as f32 + 0.5 - centre;
                if dx * dx + dy * dy >= reach {
                    continue;
                }
                let d = (dx * dx + dy * dy).sqrt();
                let (alpha, inside) = (cover(shape.halo, d), cover(shape.inside, d));
                let index = y * side + x;
                base[index] = premultiplied(blended(WHITE, DARK, inside), alpha);
                let ring_cover = cover(shape.outer, d);
                if ring_cover > 0.0 && inside < 1.0 {
                    ring.push(RingPixel {
                        index,
                        turn: (dx.atan2(-dy) / TAU).rem_euclid(1.0),
                        circumference: TAU * d,
                        ring: ring_cover,
                        inside,
                        alpha,
                    });
                }
            }
        }
        Outline { side, base, ring }
    }

    /// The picture of a bubble with a ring of these parts.
    fn picture(&self, parts: [u8; KINDS]) -> ColorImage {
        let sectors = Sectors::new(parts);
        let mut pixels = self.base.clone();
        for p in &self.ring {
            let ring = blended(WHITE, sectors.colour_at(p.turn, p.circumference), p.ring);
            pixels[p.index] = premultiplied(blended(ring, DARK, p.inside), p.alpha);
        }
        ColorImage::new([self.side, self.side], pixels)
    }
}

const WHITE: [f32; 3] = [255.0; 3];
const DARK: [f32; 3] = [
    BUBBLE_CENTRE.r() as f32,
    BUBBLE_CENTRE.g() as f32,
    BUBBLE_CENTRE.b() as f32,
];

/// `under` with `over` blended `weight` over it.
fn blended(under: [f32; 3], over: [f32; 3], weight: f32) -> [f32; 3] {
    std::array::from_fn(|c| under[c] + (over[c] - under[c]) * weight)
}

fn premultiplied(rgb: [f32; 3], alpha: f32) -> Color32 {
    // (Plain rounding of values never negative: `round` is a call without SSE4.1.)
    let [r, g, b] = rgb.map(|c| (c * alpha + 0.5) as u8);
    Color32::from_rgba_premultiplied(r, g, b, (alpha * 255.0 + 0.5) as u8)
}

/// A ring's sectors: those of the kinds present, clockwise from the top, as shares of a turn.
struct Sectors {
    /// Each sector's end and colour; each starts where the one before ends (the last at 1).
    ends: Vec<(f32, [f32; 3])>,
}

impl Sectors {
    fn new(parts: [u8; KINDS]) -> Sectors {
        let mut sum = 0;
        let ends = (0..KINDS)
            .filter(|&kind| parts[kind] > 0)
            .map(|kind| {
                sum += u32::from(parts[kind]);
                let colour = colour_of_kind(kind);
                let rgb = [colour.r(), colour.g(), colour.b()].map(f32::from);
                (sum as f32 / TURN_PARTS as f32, rgb)
            })
            .collect();
        Sectors { ends }
    }

    /// The ring's colour at `turn` on a circle `circumference` pixels long: its sector's,
    /// blended with the next one's within half a pixel of their edge.
    fn colour_at(&self, turn: f32, circumference: f32) -> [f32; 3] {
        let n = self.ends.len();
        let Some(k) = self.ends.iter().position(|(end, _)| turn < *end) else {
            return self.ends.last().map_or([255.0; 3], |(_, rgb)| *rgb);
        };
        let rgb = self.ends[k].1;
        if n < 2 {
            return rgb;
        }
        let start = if k == 0 { 0.0 } else { self.ends[k - 1].0 };
        // From the pixel's centre to each edge of its sector, in pixels along the circle.
        let (to_start, to_end) = (
            (turn - start) * circumference,
            (self.ends[k].0 - turn) * circumference,
        );
        if to_start < 0.5 {
            blended(rgb, self.ends[(k + n - 1) % n].1, 0.5 - to_start)
        } else if to_end < 0.5 {
            blended(rgb, self.ends[(k + 1) % n].1, 0.5 - to_end)
        } else {
            rgb
        }
    }
}

/// Each kind's share of a turn in `TURN_PARTS`: the largest remainders round up, and a kind
/// present never vanishes (it keeps one part, taken from the largest).
fn parts_of_turn(counts: &[u32; KINDS]) -> [u8; KINDS] {
    let total: u32 = counts.iter().sum();
    let mut parts = [0_u8; KINDS];
    if total == 0 {
        return parts;
    }
    let exact = counts.map(|n| n as f32 * TURN_PARTS as f32 / total as f32);
    for k in 0..KINDS {
        if counts[k] > 0 {
            parts[k] = (exact[k].floor() as u8).max(1);
        }
    }
    let mut sum: u32 = parts.iter().map(|&p| u32::from(p)).sum();
    // At most a part per kind short, or one per kind over: each loop ends within KINDS turns.
    while sum < TURN_PARTS {
        let Some(k) = (0..KINDS).filter(|&k| counts[k] > 0).max_by(|&a, &b| {
            (exact[a] - f32::from(parts[a])).total_cmp(&(exact[b] - f32::from(parts[b])))
        }) else {
            break;
        };
        parts[k] += 1;
        sum += 1;
    }
    while sum > TURN_PARTS {
        let Some(k) = (0..KINDS)
            .filter(|&k| parts[k] > 1)
            .max_by_key(|&k| parts[k])
        else {
            break;
        };
        parts[k] -= 1;
        sum -= 1;
    }
    parts
}

/// A shelf of the atlas: a row of slots as high as they are wide.
struct Shelf {
    y: usize,
    side: usize,
    /// The stamp in each slot, left to right, and the last frame it was drawn in.
    slots: Vec<(Stamp, u64)>,
}

/// The atlas of stamps, filled as bubbles are drawn.
pub struct BubbleStamps {
    texture: TextureHandle,
    /// The atlas's side, and the side it may grow to.
    page: usize,
    largest: usize,
    pixels_per_point: f32,
    shelves: Vec<Shelf>,
    /// Where each stamp is: (shelf, slot).
    placed: HashMap<Stamp, (usize, usize)>,
    /// The outlines of the stamps made, by radius in pixels and slot.
    outlines: HashMap<(u16, usize), Outline>,
    /// The frames the bubbles were drawn in, counted, and egui's pass of the last.
    frame: u64,
    pass: Option<u64>,
    /// Whether a stamp found no room this frame.
    full: bool,
}

impl BubbleStamps {
    pub fn new(ctx: &Context) -> BubbleStamps {
        BubbleStamps::with_pages(ctx, FIRST_PAGE, LARGEST_PAGE)
    }

    /// An atlas `page` pixels wide that may grow to `largest`, within what the renderer allows.
    fn with_pages(ctx: &Context, page: usize, largest: usize) -> BubbleStamps {
        let largest = largest
            .min(ctx.input(|i| i.max_texture_side))
            .max(SLOT_STEP);
        let page = page.clamp(SLOT_STEP, largest);
        BubbleStamps {
            texture: ctx.load_texture(
                "bubble-stamps",
                ColorImage::filled([page, page], Color32::TRANSPARENT),
                // Each texel is drawn on one pixel (`draw`).
                TextureOptions::NEAREST,
            ),
            page,
            largest,
            pixels_per_point: ctx.pixels_per_point(),
            shelves: Vec::new(),
            placed: HashMap::new(),
            outlines: HashMap::new(),
            frame: 0,
            pass: None,
            full: false,
        }
    }

    /// Starts drawing this pass's bubbles (once a pass: further calls do nothing). The stamps
    /// of another scale are dropped. When the last frame found the atlas full, all of them are
    /// too: if most of its slots held stamps it did not draw (sizes no longer in view), the
    /// shelves are laid out afresh; else the atlas grows, while it may (beyond that, a view
    /// with more bubbles than room draws the rest as bands).
    pub fn begin(&mut self, ctx: &Context) {
        let pass = ctx.cumulative_pass_nr();
        if self.pass == Some(pass) {
            return;
        }
        self.pass = Some(pass);
        let last = self.frame;
        self.frame += 1;
        if ctx.pixels_per_point() != self.pixels_per_point {
            *self = BubbleStamps {
                frame: self.frame,
                pass: self.pass,
                ..BubbleStamps::with_pages(ctx, self.page, self.largest)
            };
            return;
        }
        if std::mem::take(&mut self.full) {
            let (slots, idle) = self
                .shelves
                .iter()
                .flat_map(|shelf| &shelf.slots)
                .fold((0, 0), |(n, idle), (_, used)| {
                    (n + 1, idle + usize::from(*used != last))
                });
            if 2 * idle >= slots {
                self.shelves.clear();
                self.placed.clear();
            } else if self.page < self.largest {
                *self = BubbleStamps {
                    frame: self.frame,
                    pass: self.pass,
                    ..BubbleStamps::with_pages(ctx, 2 * self.page, self.largest)
                };
            }
        }
    }

    /// Draws `stamp` centred at `at` into `mesh` (on this atlas's texture: see `mesh`), as one
    /// quad on whole pixels; false when the atlas has no room for it this frame.
    pub fn draw(&mut self, mesh: &mut Mesh, stamp: Stamp, at: Pos2) -> bool {
        let ppp = self.pixels_per_point;
        let side = stamp.side(ppp);
        let Some((x, y, slot)) = self.place(stamp, side) else {
            self.full = true;
            return false;
        };
        let inset = (slot - side) / 2;
        let page = self.page as f32;
        let uv = Rect::from_min_size(
            pos2((x + inset) as f32 / page, (y + inset) as f32 / page),
            egui::vec2(side as f32 / page, side as f32 / page),
        );
        // On whole pixels, each texel is one pixel: as sharp as drawn.
        let half = side as f32 / 2.0;
        let min = pos2((at.x * ppp - half).round(), (at.y * ppp - half).round()) / ppp;
        let rect = Rect::from_min_size(min, egui::vec2(side as f32, side as f32) / ppp);
        mesh.add_rect_with_uv(rect, uv, Color32::WHITE);
        true
    }

    /// An empty mesh on the atlas.
    pub fn mesh(&self) -> Mesh {
        Mesh::with_texture(self.texture.id())
    }

    /// The corner of `stamp`'s slot and the slot's side, drawing it there first if it is new.
    fn place(&mut self, stamp: Stamp, side: usize) -> Option<(usize, usize, usize)> {
        let frame = self.frame;
        if let Some(&(s, k)) = self.placed.get(&stamp) {
            let shelf = &mut self.shelves[s];
            shelf.slots[k].1 = frame;
            return Some((k * shelf.side, shelf.y, shelf.side));
        }
        let slot = side.div_ceil(SLOT_STEP) * SLOT_STEP;
        let (s, k) = self.free_slot(slot)?;
        let (old, _) = std::mem::replace(&mut self.shelves[s].slots[k], (stamp, frame));
        self.placed.remove(&old);
        self.placed.insert(stamp, (s, k));
        let (x, y) = (k * slot, self.shelves[s].y);
        let ppp = self.pixels_per_point;
        let outline = self
            .outlines
            .entry((stamp.radius_px, slot))
            .or_insert_with(|| Outline::new(stamp.radius_px, ppp, slot));
        self.texture.set_partial(
            [x, y],
            outline.picture(stamp.parts),
            TextureOptions::NEAREST,
        );
        Some((x, y, slot))
    }

    /// A slot `side` pixels wide for a new stamp: (shelf, slot), its stamp to be replaced. A
    /// new one on a shelf of that width, or on a new shelf; else the one of that width drawn
    /// longest ago, if not in this frame nor the last (the map's picture may still show it:
    /// `map_picture` compares a frame's shapes with the last frame's, not its textures).
    fn free_slot(&mut self, side: usize) -> Option<(usize, usize)> {
        let (page, frame) = (self.page, self.frame);
        if side > page {
            return None;
        }
        let room = |shelf: &Shelf| shelf.side == side && (shelf.slots.len() + 1) * side <= page;
        if let Some(s) = self.shelves.iter().position(room) {
            let shelf = &mut self.shelves[s];
            shelf.slots.push((Stamp::EMPTY, 0));
            return Some((s, shelf.slots.len() - 1));
        }
        let y = self.shelves.last().map_or(0, |last| last.y + last.side);
        if y + side <= page {
            self.shelves.push(Shelf {
                y,
                side,
                slots: vec![(Stamp::EMPTY, 0)],
            });
            return Some((self.shelves.len() - 1, 0));
        }
        self.shelves
            .iter()
            .enumerate()
            .filter(|(_, shelf)| shelf.side == side)
            .flat_map(|(s, shelf)| {
                let used = shelf.slots.iter().map(|(_, used)| *used);
                used.enumerate().map(move |(k, used)| (s, k, used))
            })
            .filter(|(_, _, used)| used + 1 < frame)
            .min_by_key(|(_, _, used)| *used)
            .map(|(s, k, _)| (s, k))
    }
}

#[cfg(test)]
#[path = "bubble_stamps_tests.rs"]
mod tests;
