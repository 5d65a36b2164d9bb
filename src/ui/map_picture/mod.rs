//! The map kept as pictures: drawn once each time what it shows settles after a change, and
//! copied to the window on the frames in between (hovering, typing in a panel, a progress bar
//! moving).
//!
//! Without a GPU, Mesa's llvmpipe fills the window's pixels in software, and a map with 100,000
//! incidents covers them several times over (sea, land, count bubbles, rings): 40–70 ms a frame.
//! Copying a picture of it costs little. The map's shapes are still built every frame, so
//! input, hovering and hit tests work as before; they are only compared with the last ones
//! drawn. There are two pictures, the basemap and what is drawn over it, so that markers
//! changing over a still view (the time brush, playback) leave the basemap alone.
//!
//! Each picture's shapes are compared with the last frame's. While they change (a pan, the
//! brush playing, a tile arriving), they are drawn straight into the window, with those over
//! them: drawing a picture and then copying it would cost two copies of the map more each
//! frame. The first frame they are the same again, the picture is drawn from them, through
//! egui's own OpenGL painter and shaders (the same pixels the window would have drawn); from
//! then on it is copied. A picture is used only while its shapes are the very ones of this
//! frame and the picture beneath it has not changed: never on a hand-kept list of causes.
//!
//! Each frame copies one picture to the window, the top one: it holds those beneath. It is
//! copied from an upside-down copy of it made when it is drawn, as Mesa can copy that one to
//! the window's rows (top down) as a plain memory copy (`gpu::Rows::UpsideDown`). A picture
//! that starts with an opaque rectangle over the whole map (the Offline basemap's sea) starts
//! from a clear to that colour instead of a copy of what is beneath and a rectangle filled
//! over it, and drawn straight into the window it is a clear of the map's area too: a software
//! renderer clears a framebuffer far faster than it blends one.
//!
//! OpenGL (glow) only: under wgpu (the fallback renderer, and the kittest tests) the map is
//! drawn directly. When a picture cannot be made (an OpenGL without framebuffer blits, an
//! error), the app says so once on stderr and draws the map directly from then on.

mod gpu;

use egui::epaint::ClippedShape;
use egui::layers::ShapeIdx;
use egui::{Context, LayerId, Rect, Shape};
use gpu::Gpu;
use std::sync::{Arc, Mutex, PoisonError};

/// Set to `0` to draw the map directly every frame (for comparing, or a driver that misdraws);
/// to `changing` to draw it as while it changes, every frame (for comparing that path: CI).
pub const SWITCH: &str = "INCIDENT_MAP_MAP_PICTURE";

/// Whether the map may be kept as a picture on this run (`INCIDENT_MAP_MAP_PICTURE=0` says no).
/// The environment is read once.
pub fn wanted() -> bool {
    switch().as_deref() != Some("0")
}

/// Whether every frame is drawn as while the map changes (`INCIDENT_MAP_MAP_PICTURE=changing`).
pub fn always_changing() -> bool {
    switch().as_deref() == Some("changing")
}

fn switch() -> &'static Option<String> {
    static SWITCHED: std::sync::OnceLock<Option<String>> = std::sync::OnceLock::new();
    SWITCHED.get_or_init(|| std::env::var(SWITCH).ok())
}

/// Where the map's shapes were drawn (`map_anchor`): over `region`, `offset` from the screen.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Shift {
    pub offset: egui::Vec2,
    pub region: Rect,
}

/// Moves the map's shapes (painted on `layer` from `first` on, over a shift's region) onto the
/// screen, clipped to `clip`: the map drawn directly.
pub fn move_onto_screen(ctx: &Context, layer: LayerId, first: ShapeIdx, clip: Rect, shift: Shift) {
    ctx.graphics_mut(|layers| {
        let list = layers.entry(layer);
        for i in first.0..list.next_idx().0 {
            list.mutate_shape(ShapeIdx(i), |shape| on_screen(shape, clip, shift.offset));
        }
    });
}

/// A shape drawn `offset` away from the screen, moved there and clipped to `clip`. Drawn over
/// an anchor's region, much of the map lies outside the view: a shape wholly outside it (a
/// label, a town's dot) is left out, and so are a mesh's triangles there (the markers, the
/// land), not handed to the renderer to be tessellated and clipped.
fn on_screen(shape: &mut ClippedShape, clip: Rect, offset: egui::Vec2) {
    shape.shape.translate(offset);
    shape.clip_rect = shape.clip_rect.translate(offset).intersect(clip);
    cull(&mut shape.shape, shape.clip_rect);
}

fn cull(shape: &mut Shape, clip: Rect) {
    match shape {
        Shape::Mesh(mesh) if !clip.contains_rect(mesh.calc_bounds()) => {
            *mesh = Arc::new(within(mesh, clip));
        }
        Shape::Vec(shapes) => shapes.iter_mut().for_each(|s| cull(s, clip)),
        Shape::Mesh(_) | Shape::Noop | Shape::Callback(_) => {}
        other => {
            if !other.visual_bounding_rect().intersects(clip) {
                *other = Shape::Noop;
            }
        }
    }
}

/// The triangles of `mesh` that reach into `clip`, with the vertices they use.
fn within(mesh: &egui::Mesh, clip: Rect) -> egui::Mesh {
    let mut out = egui::Mesh::with_texture(mesh.texture_id);
    let mut kept = vec![u32::MAX; mesh.vertices.len()];
    let corner = |i: u32| mesh.vertices.get(i as usize).map(|v| v.pos);
    for triangle in mesh.indices.chunks_exact(3) {
        let (Some(a), Some(b), Some(c)) = (
            corner(triangle[0]),
            corner(triangle[1]),
            corner(triangle[2]),
        ) else {
            continue;
        };
        if !Rect::from_min_max(a.min(b).min(c), a.max(b).max(c)).intersects(clip) {
            continue;
        }
        for &i in triangle {
            let slot = &mut kept[i as usize];
            if *slot == u32::MAX {
                *slot = out.vertices.len() as u32;
                out.vertices.push(mesh.vertices[i as usize]);
            }
            out.indices.push(*slot);
        }
    }
    out
}

/// The app's side: the map as pictures stacked bottom up (the basemap, then the markers and
/// overlays), so that markers changing over a still view redraw only theirs.
pub struct MapPicture {
    sheets: [Sheet; 2],
    pub frames: Frames,
    /// How each picture was shown last frame.
    modes: [Mode; 2],
}

/// How the frames went, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Frames {
    /// Frames that drew the map anew, in part or whole (into the window or a picture).
    pub redrawn: u64,
    /// Frames that drew the basemap anew (and so what is over it).
    pub basemap_redrawn: u64,
    /// Frames that only copied the pictures.
    pub reused: u64,
}

/// How a run of the map's shapes is shown this frame.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Mode {
    /// Its picture, copied: the shapes are those it holds, over an unchanged picture beneath.
    Copy,
    /// Its picture drawn anew from the shapes, then copied: they are the same as last frame's
    /// but the picture does not hold them (or what is beneath it changed).
    Draw,
    /// The shapes drawn straight into the window: they changed since last frame, or those
    /// beneath them are drawn so.
    Direct,
    /// Nothing drawn: an empty run (no basemap), with no slot of its own.
    Empty,
}

/// One picture of a run of the map's shapes.
struct Sheet {
    /// The shapes (with the pixels per point and the region they were drawn over) of the last
    /// frame.
    last: Option<(Vec<ClippedShape>, f32, Option<Rect>)>,
    /// Whether the picture holds `last`.
    holds_last: bool,
    gpu: Arc<Mutex<Gpu>>,
}

impl MapPicture {
    /// `ctx` is woken when the picture fails, so the next frame draws the map directly.
    pub fn new(ctx: &Context) -> MapPicture {
        let basemap = Arc::new(Mutex::new(Gpu::new(ctx, None)));
        let overlay = Arc::new(Mutex::new(Gpu::new(ctx, Some(basemap.clone()))));
        let sheet = |gpu| Sheet {
            last: None,
            holds_last: false,
            gpu,
        };
        MapPicture {
            sheets: [sheet(basemap), sheet(overlay)],
            frames: Frames::default(),
            modes: [Mode::Empty; 2],
        }
    }

    /// Whether the last frame showed the pictures unchanged (nothing on the map moved).
    pub fn still(&self) -> bool {
        self.modes
            .iter()
            .all(|m| matches!(m, Mode::Copy | Mode::Empty))
    }

    /// False once a picture could not be made: the map is then drawn directly.
    pub fn works(&self) -> bool {
        self.sheets
            .iter()
            .all(|s| !s.gpu.lock().unwrap_or_else(PoisonError::into_inner).broken)
    }

    /// Takes the shapes painted on `layer` from `starts[0]` on (the map, shown in `clip`): the
    /// basemap up to `starts[1]`, what is drawn over it after. Each run that changed since last
    /// frame (or is over one that did) is left to be drawn directly; in place of each other run
    /// goes one callback that copies its picture, drawn anew first if it does not hold the
    /// run's shapes over the picture beneath. With a `shift` the shapes were drawn over its
    /// region, as the map was where it was anchored: a picture then holds all the region, and
    /// the view's part of it is copied, `offset` away.
    pub fn retain(
        &mut self,
        ctx: &Context,
        layer: LayerId,
        starts: [ShapeIdx; 2],
        clip: Rect,
        shift: Option<Shift>,
    ) {
        let (ranges, mut runs) = take_shapes(ctx, layer, starts);
        let pixels_per_point = ctx.pixels_per_point();
        // The map's area, in the frame the shapes were drawn in.
        let offset = shift.map_or(egui::Vec2::ZERO, |s| s.offset);
        let drawn_clip = clip.translate(-offset);
        // A region's picture starts from its ground (the Offline sea), not from the window.
        if shift.is_some() && ground_of(&runs[0], drawn_clip).is_none() {
            for (run, range) in runs.iter_mut().zip(&ranges) {
                for shape in run.iter_mut() {
                    on_screen(shape, clip, offset);
                }
                put_back(ctx, layer, range.clone(), std::mem::take(run));
            }
            self.sheets.iter_mut().for_each(|s| s.last = None);
            self.count([Mode::Direct; 2]);
            self.modes = [Mode::Direct; 2];
            return;
        }
        let region = shift.map(|s| s.region);
        let mut modes = [Mode::Empty; 2];
        for (n, (sheet, shapes)) in self.sheets.iter_mut().zip(&runs).enumerate() {
            if shapes.is_empty() {
                sheet.last = None;
                sheet.holds_last = false;
                continue;
            }
            let same = sheet.last.as_ref().is_some_and(|(last, ppp, drawn_over)| {
                *ppp == pixels_per_point && *drawn_over == region && last == shapes
            });
            let beneath = modes[..n].iter().copied().find(|m| *m != Mode::Empty);
            modes[n] = match beneath {
                _ if !same || always_changing() => Mode::Direct,
                Some(Mode::Direct) => Mode::Direct,
                Some(Mode::Draw) => Mode::Draw,
                _ if sheet.holds_last => Mode::Copy,
                _ => Mode::Draw,
            };
            if !same {
                sheet.last = Some((shapes.clone(), pixels_per_point, region));
            }
            sheet.holds_last = matches!(modes[n], Mode::Copy | Mode::Draw);
        }
        self.count(modes);
        self.modes = modes;

        // Each run back in its slots, or its picture's callback in its first one.
        let pictured: Vec<usize> = (0..2)
            .filter(|&n| matches!(modes[n], Mode::Copy | Mode::Draw))
            .collect();
        for (n, (shapes, range)) in runs.into_iter().zip(ranges).enumerate() {
            let sheet = &self.sheets[n];
            let mut gpu = sheet.gpu.lock().unwrap_or_else(PoisonError::into_inner);
            match modes[n] {
                Mode::Empty => {}
                Mode::Direct => {
                    drop(gpu);
                    let ground = ground_of(&shapes, drawn_clip);
                    let first = ShapeIdx(range.start);
                    let mut shapes = shapes;
                    if shift.is_some() {
                        shapes.iter_mut().for_each(|s| on_screen(s, clip, offset));
                    }
                    put_back(ctx, layer, range, shapes);
                    // An opaque ground under all of the map: cleared, not blended.
                    if let Some(ground) = ground {
                        ctx.graphics_mut(|layers| {
                            layers
                                .entry(layer)
                                .set(first, clip, gpu::clear(ground, clip));
                        });
                    }
                }
                Mode::Copy | Mode::Draw => {
                    if modes[n] == Mode::Draw {
                        let ground = ground_of(&shapes, drawn_clip);
                        let painted = shapes.into_iter().skip(usize::from(ground.is_some()));
                        // A region's picture has a pixel grid of its own, from its top left
                        // (on a whole pixel, so that it is drawn as the window would be).
                        let area = region.map(|r| gpu::PictureArea::around(r, pixels_per_point));
                        let painted: Vec<ClippedShape> = match area {
                            Some(area) => painted.map(|s| area.into_picture(s)).collect(),
                            None => painted.collect(),
                        };
                        gpu.picture = ctx.tessellate(painted, pixels_per_point);
                        gpu.ground = ground;
                        gpu.pixels_per_point = pixels_per_point;
                        gpu.area = area;
                        gpu.stale = true;
                    }
                    gpu.offset_px = gpu.area.map(|a| a.source_offset(offset, pixels_per_point));
                    gpu.over_picture = pictured.iter().any(|&b| b < n);
                    gpu.on_screen = !pictured.iter().any(|&a| a > n);
                    drop(gpu);
                    let start = ShapeIdx(range.start);
                    ctx.graphics_mut(|layers| {
                        layers
                            .entry(layer)
                            .set(start, clip, gpu::copy(&sheet.gpu, clip));
                    });
                }
            }
        }
    }

    fn count(&mut self, modes: [Mode; 2]) {
        let drawn = |m: Mode| matches!(m, Mode::Direct | Mode::Draw);
        if modes.iter().any(|m| drawn(*m)) {
            self.frames.redrawn += 1;
        } else {
            self.frames.reused += 1;
        }
        if drawn(modes[0]) {
            self.frames.basemap_redrawn += 1;
        }
    }
}

/// Puts `shapes` back in the slots `range` of `layer` they were taken from.
fn put_back(
    ctx: &Context,
    layer: LayerId,
    range: std::ops::Range<usize>,
    shapes: Vec<ClippedShape>,
) {
    ctx.graphics_mut(|layers| {
        let list = layers.entry(layer);
        for (i, shape) in range.zip(shapes) {
            list.mutate_shape(ShapeIdx(i), |slot| *slot = shape);
        }
    });
}

/// The shapes painted on `layer` from `starts[0]` on, in two runs split at `starts[1]`, each
/// left behind as empty shapes; with the slots each run held.
fn take_shapes(
    ctx: &Context,
    layer: LayerId,
    starts: [ShapeIdx; 2],
) -> ([std::ops::Range<usize>; 2], [Vec<ClippedShape>; 2]) {
    ctx.graphics_mut(|layers| {
        let list = layers.entry(layer);
        let end = list.next_idx().0;
        let split = starts[1].0.clamp(starts[0].0, end);
        let ranges = [starts[0].0..split, split..end];
        let mut take = |range: std::ops::Range<usize>| -> Vec<ClippedShape> {
            range
                .map(|i| {
                    let mut taken = ClippedShape {
                        clip_rect: Rect::NOTHING,
                        shape: Shape::Noop,
                        transform_after_tessellation: Default::default(),
                    };
                    list.mutate_shape(ShapeIdx(i), |shape| {
                        taken.transform_after_tessellation = shape.transform_after_tessellation;
                        std::mem::swap(shape, &mut taken);
                    });
                    taken
                })
                .collect()
        };
        let runs = [take(ranges[0].clone()), take(ranges[1].clone())];
        (ranges, runs)
    })
}

/// The colour of an opaque rectangle over all of `clip` that `shapes` start with: a picture
/// of them can start from a clear to it.
fn ground_of(shapes: &[ClippedShape], clip: Rect) -> Option<egui::Color32> {
    let first = shapes.first()?;
    let Shape::Rect(rect) = &first.shape else {
        return None;
    };
    let plain = rect.fill.is_opaque()
        && rect.stroke.is_empty()
        && rect.corner_radius == egui::CornerRadius::ZERO
        && rect.blur_width == 0.0
        && rect.brush.is_none()
        && rect.angle == 0.0;
    (plain
        && rect.rect.contains_rect(clip)
        && first.clip_rect.contains_rect(clip)
        && first.transform_after_tessellation == egui::emath::TSTransform::IDENTITY)
        .then_some(rect.fill)
}

#[cfg(test)]
mod tests;
