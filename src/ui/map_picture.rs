//! The map kept as pictures: drawn once each time what it shows changes, and copied to the
//! window on the frames in between (hovering, typing in a panel, a progress bar moving).
//!
//! Without a GPU, Mesa's llvmpipe fills the window's pixels in software, and a map with 100,000
//! incidents covers them several times over (sea, land, count bubbles, rings): 40–70 ms a frame.
//! Copying a picture of it costs little. The map's shapes are still built every frame, so
//! input, hovering and hit tests work as before; they are only compared with the last ones
//! drawn. There are two pictures, the basemap and what is drawn over it, so that markers
//! changing over a still view (the time brush, playback) leave the basemap alone. When a
//! picture's shapes differ in any way (a tile arrived, a filter changed, the view moved, a pin
//! was selected), or the picture beneath it was drawn again, it is drawn again from its shapes,
//! through egui's own OpenGL painter and shaders: the same pixels the window would have drawn.
//!
//! Each frame copies one picture to the window, the top one: it holds those beneath. A picture
//! that starts with an opaque rectangle over the whole map (the Offline basemap's sea) starts
//! from a clear to that colour instead of a copy of what is beneath and a rectangle filled
//! over it: a software renderer clears a framebuffer far faster than it blends one.
//!
//! OpenGL (glow) only: under wgpu (the fallback renderer, and the kittest tests) the map is
//! drawn directly. When a picture cannot be made (an OpenGL without framebuffer blits, an
//! error), the app says so once on stderr and draws the map directly from then on.

use eframe::egui_glow::{self, CallbackFn};
use eframe::glow::{self, HasContext as _};
use egui::epaint::{ClippedPrimitive, ClippedShape, Primitive};
use egui::layers::ShapeIdx;
use egui::{Context, LayerId, PaintCallback, PaintCallbackInfo, Rect, Shape};
use std::mem::ManuallyDrop;
use std::sync::{Arc, Mutex, PoisonError};

/// Set to `0` to draw the map directly every frame (for comparing, or a driver that misdraws).
pub const SWITCH: &str = "INCIDENT_MAP_MAP_PICTURE";

/// Whether the map may be kept as a picture on this run (`INCIDENT_MAP_MAP_PICTURE=0` says no).
/// The environment is read once.
pub fn wanted() -> bool {
    static WANTED: std::sync::OnceLock<bool> = std::sync::OnceLock::new();
    *WANTED.get_or_init(|| std::env::var(SWITCH).map_or(true, |v| v != "0"))
}

/// The app's side: the map as pictures stacked bottom up (the basemap, then the markers and
/// overlays), so that markers changing over a still view redraw only theirs.
pub struct MapPicture {
    sheets: [Sheet; 2],
    pub frames: Frames,
    /// Whether the last frame copied the pictures alone (the map held still).
    still: bool,
}

/// How the frames went, counted.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Frames {
    /// Frames that drew the map anew, in part or whole.
    pub redrawn: u64,
    /// Frames that drew the basemap anew (and so what is over it).
    pub basemap_redrawn: u64,
    /// Frames that only copied the pictures.
    pub reused: u64,
}

/// One picture of a run of the map's shapes: what it was drawn from, and its GPU side.
struct Sheet {
    /// The shapes (and pixels per point) the picture was last drawn from.
    drawn_from: Option<(Vec<ClippedShape>, f32)>,
    gpu: Arc<Mutex<Gpu>>,
}

impl MapPicture {
    /// `ctx` is woken when the picture fails, so the next frame draws the map directly.
    pub fn new(ctx: &Context) -> MapPicture {
        let sheet = |beneath: Option<&Sheet>| Sheet {
            drawn_from: None,
            gpu: Arc::new(Mutex::new(Gpu {
                ctx: ctx.clone(),
                picture: Vec::new(),
                ground: None,
                beneath: beneath.map(|b| b.gpu.clone()),
                over_picture: false,
                on_screen: true,
                pixels_per_point: 1.0,
                stale: true,
                painter: None,
                target: None,
                broken: false,
            })),
        };
        let basemap = sheet(None);
        let overlay = sheet(Some(&basemap));
        MapPicture {
            sheets: [basemap, overlay],
            frames: Frames::default(),
            still: false,
        }
    }

    /// Whether the last frame showed the pictures unchanged (nothing on the map moved).
    pub fn still(&self) -> bool {
        self.still
    }

    /// False once a picture could not be made: the map is then drawn directly.
    pub fn works(&self) -> bool {
        self.sheets
            .iter()
            .all(|s| !s.gpu.lock().unwrap_or_else(PoisonError::into_inner).broken)
    }

    /// Takes the shapes painted on `layer` from `starts[0]` on (the map, drawn over `clip`):
    /// the basemap up to `starts[1]`, what is drawn over it after. In place of each run it puts
    /// one callback that copies its picture, drawn anew first if the run's shapes are not the
    /// ones it was drawn from, or if a picture beneath it was drawn anew.
    pub fn retain(&mut self, ctx: &Context, layer: LayerId, starts: [ShapeIdx; 2], clip: Rect) {
        let mut runs = take_shapes(ctx, layer, starts);
        let pixels_per_point = ctx.pixels_per_point();
        let mut beneath_redrawn = false;
        for (n, (sheet, shapes)) in self.sheets.iter_mut().zip(&mut runs).enumerate() {
            let same = sheet
                .drawn_from
                .as_ref()
                .is_some_and(|(drawn, ppp)| *ppp == pixels_per_point && drawn == shapes);
            if !same {
                let shapes = std::mem::take(shapes);
                let ground = ground_of(&shapes, clip);
                let painted = shapes.iter().skip(usize::from(ground.is_some())).cloned();
                let primitives = ctx.tessellate(painted.collect(), pixels_per_point);
                let mut gpu = sheet.gpu.lock().unwrap_or_else(PoisonError::into_inner);
                gpu.picture = primitives;
                gpu.ground = ground;
                gpu.pixels_per_point = pixels_per_point;
                gpu.stale = true;
                drop(gpu);
                sheet.drawn_from = Some((shapes, pixels_per_point));
            } else if beneath_redrawn {
                // The same shapes over a new picture beneath: drawn again over it.
                sheet
                    .gpu
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .stale = true;
            }
            beneath_redrawn |= !same;
            if n == 0 && !same {
                self.frames.basemap_redrawn += 1;
            }
        }
        self.still = !beneath_redrawn;
        if self.still {
            self.frames.reused += 1;
        } else {
            self.frames.redrawn += 1;
        }
        // An empty run (no basemap drawn) has nothing to show, and no slot of its own.
        let shown = self.sheets.each_ref().map(|sheet| {
            sheet
                .drawn_from
                .as_ref()
                .is_some_and(|(s, _)| !s.is_empty())
        });
        for (n, (sheet, start)) in self.sheets.iter().zip(starts).enumerate() {
            if !shown[n] {
                continue;
            }
            let mut gpu = sheet.gpu.lock().unwrap_or_else(PoisonError::into_inner);
            gpu.over_picture = n > 0 && shown[n - 1];
            gpu.on_screen = !shown[n + 1..].contains(&true);
            drop(gpu);
            ctx.graphics_mut(|layers| layers.entry(layer).set(start, clip, copy(sheet, clip)));
        }
    }
}

/// The shapes painted on `layer` from `starts[0]` on, in two runs split at `starts[1]`, each
/// left behind as an empty shape.
fn take_shapes(ctx: &Context, layer: LayerId, starts: [ShapeIdx; 2]) -> [Vec<ClippedShape>; 2] {
    ctx.graphics_mut(|layers| {
        let list = layers.entry(layer);
        let end = list.next_idx().0;
        let split = starts[1].0.clamp(starts[0].0, end);
        let mut take = |range: std::ops::Range<usize>| -> Vec<ClippedShape> {
            range
                .filter_map(|i| {
                    let mut taken = None;
                    list.mutate_shape(ShapeIdx(i), |shape| {
                        let noop = ClippedShape {
                            clip_rect: Rect::NOTHING,
                            shape: Shape::Noop,
                            transform_after_tessellation: shape.transform_after_tessellation,
                        };
                        taken = Some(std::mem::replace(shape, noop));
                    });
                    taken
                })
                .collect()
        };
        [take(starts[0].0..split), take(split..end)]
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

/// The callback that copies a sheet's picture into the window, drawing it first if stale.
fn copy(sheet: &Sheet, clip: Rect) -> Shape {
    let gpu = sheet.gpu.clone();
    let callback = CallbackFn::new(move |info, painter| {
        let mut gpu = gpu.lock().unwrap_or_else(PoisonError::into_inner);
        if gpu.broken {
            return;
        }
        if let Err(problem) = gpu.paint(&info, painter) {
            eprintln!(
                "incident-map: the map cannot be kept as a picture ({problem}); \
                 drawing it every frame instead"
            );
            gpu.broken = true;
            gpu.ctx.request_repaint();
        }
    });
    Shape::Callback(PaintCallback {
        rect: clip,
        callback: Arc::new(callback),
    })
}

/// The GPU side, used from egui's paint callback with the window's OpenGL context current.
struct Gpu {
    ctx: Context,
    /// The map, tessellated, and whether the target does not hold it yet.
    picture: Vec<ClippedPrimitive>,
    /// The colour the picture starts from (its first shape, left out of `picture`); None to
    /// start from what is beneath it.
    ground: Option<egui::Color32>,
    /// The picture beneath this one, and whether it is shown this frame: if so this one starts
    /// from a copy of it, else from the window.
    beneath: Option<Arc<Mutex<Gpu>>>,
    over_picture: bool,
    /// Whether this is the top picture, copied to the window (those beneath it are in it).
    on_screen: bool,
    pixels_per_point: f32,
    stale: bool,
    /// egui's painter for drawing into the target, with the window painter's textures lent.
    /// Never destroyed: destroying it would delete the textures it borrowed; its own few GL
    /// objects go with the context.
    painter: Option<ManuallyDrop<egui_glow::Painter>>,
    target: Option<Target>,
    broken: bool,
}

/// A framebuffer the size of the window, holding the picture.
struct Target {
    framebuffer: glow::Framebuffer,
    colour: glow::Renderbuffer,
    size: [u32; 2],
}

impl Gpu {
    fn paint(
        &mut self,
        info: &PaintCallbackInfo,
        window: &egui_glow::Painter,
    ) -> Result<(), String> {
        let gl = window.gl().clone();
        if gl.version().major < 3 {
            return Err(format!(
                "OpenGL {} has no framebuffer blits",
                gl.version().major
            ));
        }
        // SAFETY: the context is current in a paint callback. Errors left by earlier calls are
        // cleared (a few at most: a lost context reports one forever), so one raised below is
        // ours.
        for _ in 0..8 {
            if unsafe { gl.get_error() } == glow::NO_ERROR {
                break;
            }
        }
        let size = info.screen_size_px;
        if self.target.as_ref().is_none_or(|t| t.size != size) {
            if let Some(old) = self.target.take() {
                // SAFETY: the context is current in a paint callback; the objects are ours.
                unsafe {
                    gl.delete_framebuffer(old.framebuffer);
                    gl.delete_renderbuffer(old.colour);
                }
            }
            self.target = Some(Target::new(&gl, size)?);
            self.stale = true;
        }
        let Some(target) = &self.target else {
            return Err("no framebuffer".into());
        };
        let screen = window.intermediate_fbo();
        let area = info.clip_rect_in_pixels();
        if self.stale {
            let painter = match &mut self.painter {
                Some(painter) => painter,
                None => self.painter.insert(ManuallyDrop::new(
                    egui_glow::Painter::new(gl.clone(), "", None, crate::ui::DITHERING)
                        .map_err(|e| e.to_string())?,
                )),
            };
            lend_textures(&self.picture, window, painter);
            // The picture beneath (drawn by its own callback, just before this one), or the
            // window.
            let beneath = match (&self.beneath, self.over_picture) {
                (Some(gpu), true) => gpu
                    .lock()
                    .unwrap_or_else(PoisonError::into_inner)
                    .target
                    .as_ref()
                    .map(|t| t.framebuffer),
                _ => screen,
            };
            // SAFETY: the context is current; every object bound is alive (ours or egui's).
            unsafe {
                match self.ground {
                    Some(ground) => {
                        gl.bind_framebuffer(glow::FRAMEBUFFER, Some(target.framebuffer));
                        gl.enable(glow::SCISSOR_TEST);
                        gl.scissor(
                            area.left_px,
                            area.from_bottom_px,
                            area.width_px,
                            area.height_px,
                        );
                        let [r, g, b, a] = ground.to_normalized_gamma_f32();
                        gl.clear_color(r, g, b, a);
                        gl.clear(glow::COLOR_BUFFER_BIT);
                    }
                    // What is drawn beneath the map so far, then the map over it.
                    None => blit(&gl, beneath, Some(target.framebuffer), &area),
                }
                gl.bind_framebuffer(glow::FRAMEBUFFER, Some(target.framebuffer));
            }
            painter.paint_primitives(size, self.pixels_per_point, &self.picture);
            self.stale = false;
        }
        // SAFETY: as above.
        let error = unsafe {
            if self.on_screen {
                blit(&gl, Some(target.framebuffer), screen, &area);
            }
            gl.bind_framebuffer(glow::FRAMEBUFFER, screen);
            gl.get_error()
        };
        match error {
            // A multisampled window, for one, refuses the copy.
            glow::NO_ERROR => Ok(()),
            error => Err(format!("OpenGL error {error:#x}")),
        }
    }
}

impl Target {
    fn new(gl: &glow::Context, [width, height]: [u32; 2]) -> Result<Target, String> {
        // SAFETY: the context is current in a paint callback; the objects are created here.
        unsafe {
            let colour = gl.create_renderbuffer()?;
            gl.bind_renderbuffer(glow::RENDERBUFFER, Some(colour));
            gl.renderbuffer_storage(glow::RENDERBUFFER, glow::RGBA8, width as i32, height as i32);
            let framebuffer = gl.create_framebuffer()?;
            gl.bind_framebuffer(glow::FRAMEBUFFER, Some(framebuffer));
            gl.framebuffer_renderbuffer(
                glow::FRAMEBUFFER,
                glow::COLOR_ATTACHMENT0,
                glow::RENDERBUFFER,
                Some(colour),
            );
            let status = gl.check_framebuffer_status(glow::FRAMEBUFFER);
            gl.bind_framebuffer(glow::FRAMEBUFFER, None);
            gl.bind_renderbuffer(glow::RENDERBUFFER, None);
            if status != glow::FRAMEBUFFER_COMPLETE {
                gl.delete_framebuffer(framebuffer);
                gl.delete_renderbuffer(colour);
                return Err(format!("framebuffer incomplete (status {status:#x})"));
            }
            Ok(Target {
                framebuffer,
                colour,
                size: [width, height],
            })
        }
    }
}

/// Gives the picture's painter the window painter's textures for every mesh it will draw
/// (fonts, count bubbles, tiles): the same OpenGL objects, shared, not copies.
fn lend_textures(
    picture: &[ClippedPrimitive],
    window: &egui_glow::Painter,
    painter: &mut egui_glow::Painter,
) {
    for primitive in picture {
        if let Primitive::Mesh(mesh) = &primitive.primitive
            && let Some(native) = window.texture(mesh.texture_id)
            && painter.texture(mesh.texture_id) != Some(native)
        {
            // The one replaced is queued for deletion only on destroy(), never called.
            painter.replace_native_texture(mesh.texture_id, native);
        }
    }
}

/// Copies `area` (in pixels, from the bottom left) from one framebuffer to the other.
///
/// # Safety
/// The context must be current and both framebuffers alive.
unsafe fn blit(
    gl: &glow::Context,
    from: Option<glow::Framebuffer>,
    to: Option<glow::Framebuffer>,
    area: &egui::epaint::ViewportInPixels,
) {
    let (x0, y0) = (area.left_px, area.from_bottom_px);
    let (x1, y1) = (x0 + area.width_px, y0 + area.height_px);
    // SAFETY: the caller's.
    unsafe {
        gl.disable(glow::SCISSOR_TEST);
        gl.bind_framebuffer(glow::READ_FRAMEBUFFER, from);
        gl.bind_framebuffer(glow::DRAW_FRAMEBUFFER, to);
        gl.blit_framebuffer(
            x0,
            y0,
            x1,
            y1,
            x0,
            y0,
            x1,
            y1,
            glow::COLOR_BUFFER_BIT,
            glow::NEAREST,
        );
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use egui::{Color32, RawInput, pos2, vec2};

    /// One frame painting a basemap square and a marker over it, kept as pictures.
    fn frame(ctx: &Context, picture: &mut MapPicture, land: Color32, marker: Color32) {
        let mut output = ctx.run_ui(RawInput::default(), |ui| {
            let layer = ui.layer_id();
            let rect = Rect::from_min_size(pos2(0.0, 0.0), vec2(200.0, 200.0));
            let next = || ui.ctx().graphics_mut(|g| g.entry(layer).next_idx());
            let start = next();
            ui.painter().rect_filled(rect, 0.0, land);
            let split = next();
            ui.painter().circle_filled(rect.center(), 5.0, marker);
            picture.retain(ui.ctx(), layer, [start, split], rect);
        });
        // No painter uploads the fonts here.
        output.textures_delta.clear();
    }

    fn stale(picture: &MapPicture) -> [bool; 2] {
        picture
            .sheets
            .each_ref()
            .map(|s| s.gpu.lock().unwrap_or_else(PoisonError::into_inner).stale)
    }

    /// The GPU side has drawn every picture (what the paint callback does).
    fn drawn(picture: &MapPicture) {
        for sheet in &picture.sheets {
            sheet
                .gpu
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .stale = false;
        }
    }

    #[test]
    fn a_picture_is_drawn_again_when_its_shapes_or_those_beneath_change() {
        let ctx = Context::default();
        let mut picture = MapPicture::new(&ctx);
        let (land, sea, red, blue) = (
            Color32::KHAKI,
            Color32::LIGHT_BLUE,
            Color32::RED,
            Color32::BLUE,
        );
        frame(&ctx, &mut picture, land, red);
        assert_eq!(stale(&picture), [true, true]);
        drawn(&picture);
        // Nothing changed: both copied.
        frame(&ctx, &mut picture, land, red);
        assert_eq!(stale(&picture), [false, false]);
        assert!(picture.still());
        // The marker changed: only it is drawn again.
        frame(&ctx, &mut picture, land, blue);
        assert_eq!(stale(&picture), [false, true]);
        drawn(&picture);
        // The basemap changed under the same marker (a tile arrived): the marker's picture
        // holds the old basemap beneath it, so it is drawn again too.
        frame(&ctx, &mut picture, sea, blue);
        assert_eq!(stale(&picture), [true, true]);
        assert_eq!(
            picture.frames,
            Frames {
                redrawn: 3,
                basemap_redrawn: 2,
                reused: 1
            }
        );
    }

    #[test]
    fn a_picture_starts_from_a_clear_only_under_an_opaque_rectangle_over_the_map() {
        let map = Rect::from_min_size(pos2(10.0, 10.0), vec2(200.0, 100.0));
        let shape = |rect: Rect, colour: Color32| ClippedShape {
            clip_rect: map,
            shape: Shape::rect_filled(rect, 0.0, colour),
            transform_after_tessellation: Default::default(),
        };
        let sea = Color32::LIGHT_BLUE;
        assert_eq!(ground_of(&[shape(map, sea)], map), Some(sea));
        assert_eq!(ground_of(&[shape(map.expand(50.0), sea)], map), Some(sea));
        // Not over all of the map, see-through, or not first: drawn as any other shape.
        assert_eq!(ground_of(&[shape(map.shrink(1.0), sea)], map), None);
        assert_eq!(ground_of(&[shape(map, sea.gamma_multiply(0.5))], map), None);
        let dot = ClippedShape {
            clip_rect: map,
            shape: Shape::circle_filled(map.center(), 3.0, Color32::RED),
            transform_after_tessellation: Default::default(),
        };
        assert_eq!(ground_of(&[dot, shape(map, sea)], map), None);
        assert_eq!(ground_of(&[], map), None);
    }
}
