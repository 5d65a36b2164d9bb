//! The GPU side of the map's pictures: egui's OpenGL painter drawing a picture into a
//! framebuffer of its own, and the callbacks that copy it to the window or clear the map's
//! ground there.

use eframe::egui_glow::{self, CallbackFn};
use eframe::glow::{self, HasContext as _};
use egui::epaint::{ClippedPrimitive, Primitive};
use egui::{Context, PaintCallback, PaintCallbackInfo, Rect, Shape};
use std::mem::ManuallyDrop;
use std::sync::{Arc, Mutex, PoisonError};

impl Gpu {
    pub fn new(ctx: &Context, beneath: Option<Arc<Mutex<Gpu>>>) -> Gpu {
        Gpu {
            ctx: ctx.clone(),
            picture: Vec::new(),
            ground: None,
            beneath,
            over_picture: false,
            on_screen: true,
            pixels_per_point: 1.0,
            stale: true,
            area: None,
            offset_px: None,
            painter: None,
            target: None,
            mirror: None,
            broken: false,
        }
    }
}

/// The callback that clears the map's area of the window to `ground`: the map's first shape,
/// an opaque rectangle over all of it, when the map is drawn directly.
pub fn clear(ground: egui::Color32, clip: Rect) -> Shape {
    let callback = CallbackFn::new(move |info, painter| {
        // SAFETY: the context is current in a paint callback; the window's framebuffer is
        // bound (egui paints into it) and only its map area is cleared.
        unsafe { clear_area(painter.gl(), &info.clip_rect_in_pixels(), ground) };
    });
    Shape::Callback(PaintCallback {
        rect: clip,
        callback: Arc::new(callback),
    })
}

/// The callback that copies a sheet's picture into the window, drawing it first if stale.
pub fn copy(gpu: &Arc<Mutex<Gpu>>, clip: Rect) -> Shape {
    let gpu = gpu.clone();
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
pub struct Gpu {
    ctx: Context,
    /// The map, tessellated, and whether the target does not hold it yet.
    pub picture: Vec<ClippedPrimitive>,
    /// The colour the picture starts from (its first shape, left out of `picture`); None to
    /// start from what is beneath it.
    pub ground: Option<egui::Color32>,
    /// The picture beneath this one, and whether it is shown this frame: if so this one starts
    /// from a copy of it, else from the window.
    pub beneath: Option<Arc<Mutex<Gpu>>>,
    pub over_picture: bool,
    /// Whether this is the top picture, copied to the window (those beneath it are in it).
    pub on_screen: bool,
    pub pixels_per_point: f32,
    pub stale: bool,
    /// The region the picture holds, when it holds more than the window shows (the map drawn
    /// where it was anchored); None: the window's own pixels.
    pub area: Option<PictureArea>,
    /// Added to a window pixel (from the top left), the picture's pixel showing there.
    pub offset_px: Option<[i32; 2]>,
    /// egui's painter for drawing into the target, with the window painter's textures lent.
    /// Never destroyed: destroying it would delete the textures it borrowed; its own few GL
    /// objects go with the context.
    painter: Option<ManuallyDrop<egui_glow::Painter>>,
    target: Option<Target>,
    /// The picture upside down, copied to the window from here (`Rows::UpsideDown`).
    mirror: Option<Target>,
    pub broken: bool,
}

/// A picture's own pixel grid: a region of the map drawn where it was anchored, from a whole
/// pixel at its top left.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct PictureArea {
    /// The region's top left, in window pixels.
    origin_px: [i32; 2],
    size_px: [u32; 2],
    pixels_per_point: f32,
}

impl PictureArea {
    /// The whole pixels covering `region` (points).
    pub fn around(region: Rect, pixels_per_point: f32) -> PictureArea {
        let min = (region.min.to_vec2() * pixels_per_point).floor();
        let max = (region.max.to_vec2() * pixels_per_point).ceil();
        PictureArea {
            origin_px: [min.x as i32, min.y as i32],
            size_px: [
                (max.x - min.x).max(1.0) as u32,
                (max.y - min.y).max(1.0) as u32,
            ],
            pixels_per_point,
        }
    }

    /// A shape of the region, moved into the picture's grid.
    pub fn into_picture(self, mut shape: egui::epaint::ClippedShape) -> egui::epaint::ClippedShape {
        let ppp = self.pixels_per_point;
        let by = -egui::vec2(self.origin_px[0] as f32, self.origin_px[1] as f32) / ppp;
        shape.shape.translate(by);
        shape.clip_rect = shape.clip_rect.translate(by);
        shape
    }

    /// Where the picture's pixels are, from the window's, when the map is shown `offset`
    /// (points, whole pixels) from where it was drawn.
    pub fn source_offset(self, offset: egui::Vec2, pixels_per_point: f32) -> [i32; 2] {
        let offset = offset * pixels_per_point;
        [
            -(offset.x.round() as i32) - self.origin_px[0],
            -(offset.y.round() as i32) - self.origin_px[1],
        ]
    }
}

/// A framebuffer the size of the window (or of the region drawn), holding the picture: a
/// texture whose texels are laid out as the window's pixels are (blue, green, red, alpha), so
/// that Mesa can copy one to the other as they are (`Rows::UpsideDown`).
struct Target {
    framebuffer: glow::Framebuffer,
    colour: glow::Texture,
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
        let size = self.area.map_or(info.screen_size_px, |a| a.size_px);
        if self.target.as_ref().is_none_or(|t| t.size != size) {
            for old in [self.target.take(), self.mirror.take()]
                .into_iter()
                .flatten()
            {
                // SAFETY: the context is current in a paint callback; the objects are ours.
                unsafe {
                    gl.delete_framebuffer(old.framebuffer);
                    gl.delete_texture(old.colour);
                }
            }
            self.target = Some(Target::new(&gl, size)?);
            self.mirror = Some(Target::new(&gl, size)?);
            self.stale = true;
        }
        let (Some(target), Some(mirror)) = (&self.target, &self.mirror) else {
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
            // A region's picture is all of its target; a window's, the map's area of it.
            let whole = whole_of(size);
            let drawn = if self.area.is_some() { &whole } else { &area };
            unsafe {
                match self.ground {
                    Some(ground) => {
                        gl.bind_framebuffer(glow::FRAMEBUFFER, Some(target.framebuffer));
                        clear_area(&gl, drawn, ground);
                    }
                    // What is drawn beneath the map so far, then the map over it.
                    None => blit(
                        &gl,
                        beneath,
                        Some(target.framebuffer),
                        drawn,
                        [0, 0],
                        Rows::AsTheyAre,
                    ),
                }
                gl.bind_framebuffer(glow::FRAMEBUFFER, Some(target.framebuffer));
            }
            painter.paint_primitives(size, self.pixels_per_point, &self.picture);
            // SAFETY: as above.
            unsafe {
                let whole = whole_of(size);
                blit(
                    &gl,
                    Some(target.framebuffer),
                    Some(mirror.framebuffer),
                    &whole,
                    [0, 0],
                    Rows::UpsideDown { height: size[1] },
                );
            }
            self.stale = false;
        }
        // SAFETY: as above.
        let error = unsafe {
            if self.on_screen {
                // From the window's pixels (bottom left) to the picture's.
                let from = match (self.area, self.offset_px) {
                    (Some(a), Some([dx, dy])) => {
                        [dx, a.size_px[1] as i32 - info.screen_size_px[1] as i32 - dy]
                    }
                    _ => [0, 0],
                };
                let rows = Rows::UpsideDown { height: size[1] };
                blit(&gl, Some(mirror.framebuffer), screen, &area, from, rows);
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
            let colour = gl.create_texture()?;
            gl.bind_texture(glow::TEXTURE_2D, Some(colour));
            gl.tex_parameter_i32(
                glow::TEXTURE_2D,
                glow::TEXTURE_MIN_FILTER,
                glow::NEAREST as i32,
            );
            gl.tex_parameter_i32(
                glow::TEXTURE_2D,
                glow::TEXTURE_MAG_FILTER,
                glow::NEAREST as i32,
            );
            gl.tex_image_2d(
                glow::TEXTURE_2D,
                0,
                glow::RGBA as i32,
                width as i32,
                height as i32,
                0,
                glow::BGRA,
                glow::UNSIGNED_BYTE,
                glow::PixelUnpackData::Slice(None),
            );
            gl.bind_texture(glow::TEXTURE_2D, None);
            let framebuffer = gl.create_framebuffer()?;
            gl.bind_framebuffer(glow::FRAMEBUFFER, Some(framebuffer));
            gl.framebuffer_texture_2d(
                glow::FRAMEBUFFER,
                glow::COLOR_ATTACHMENT0,
                glow::TEXTURE_2D,
                Some(colour),
                0,
            );
            let status = gl.check_framebuffer_status(glow::FRAMEBUFFER);
            gl.bind_framebuffer(glow::FRAMEBUFFER, None);
            if status != glow::FRAMEBUFFER_COMPLETE {
                gl.delete_framebuffer(framebuffer);
                gl.delete_texture(colour);
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

/// Clears `area` (in pixels, from the bottom left) of the bound framebuffer to `colour`.
///
/// # Safety
/// The context must be current and the framebuffer bound alive.
unsafe fn clear_area(
    gl: &glow::Context,
    area: &egui::epaint::ViewportInPixels,
    colour: egui::Color32,
) {
    let [r, g, b, a] = colour.to_normalized_gamma_f32();
    // SAFETY: the caller's.
    unsafe {
        gl.enable(glow::SCISSOR_TEST);
        gl.scissor(
            area.left_px,
            area.from_bottom_px,
            area.width_px,
            area.height_px,
        );
        gl.clear_color(r, g, b, a);
        gl.clear(glow::COLOR_BUFFER_BIT);
    }
}

/// All of a framebuffer of `size` pixels.
fn whole_of([width, height]: [u32; 2]) -> egui::epaint::ViewportInPixels {
    egui::epaint::ViewportInPixels {
        left_px: 0,
        top_px: 0,
        from_bottom_px: 0,
        width_px: width as i32,
        height_px: height as i32,
    }
}

/// How a copy reads its source's rows.
#[derive(Clone, Copy)]
enum Rows {
    AsTheyAre,
    /// Upside down, in a framebuffer `height` pixels high: the picture's rows into its mirror,
    /// and the mirror's back into the window the right way up.
    ///
    /// Mesa keeps a window's rows top down and a framebuffer's bottom up, so a plain copy of a
    /// picture to the window is a flip, which llvmpipe draws as a textured quad: 1.7 ms of its
    /// CPU a frame at 1280×800. A copy that flips too is one of rows in the same order, a
    /// memory copy of about 0.2 ms on the app's thread (benches/README.md). Any OpenGL draws
    /// the same pixels.
    UpsideDown {
        height: u32,
    },
}

/// Copies `area` (in pixels, from the bottom left) from one framebuffer to the other, read
/// `shift` pixels away in the source, its rows read as `rows` says.
///
/// # Safety
/// The context must be current and both framebuffers alive.
unsafe fn blit(
    gl: &glow::Context,
    from: Option<glow::Framebuffer>,
    to: Option<glow::Framebuffer>,
    area: &egui::epaint::ViewportInPixels,
    [dx, dy]: [i32; 2],
    rows: Rows,
) {
    let (x0, y0) = (area.left_px, area.from_bottom_px);
    let (x1, y1) = (x0 + area.width_px, y0 + area.height_px);
    let (from_y0, from_y1) = match rows {
        Rows::AsTheyAre => (y0 + dy, y1 + dy),
        Rows::UpsideDown { height } => (height as i32 - (y0 + dy), height as i32 - (y1 + dy)),
    };
    // SAFETY: the caller's.
    unsafe {
        gl.disable(glow::SCISSOR_TEST);
        gl.bind_framebuffer(glow::READ_FRAMEBUFFER, from);
        gl.bind_framebuffer(glow::DRAW_FRAMEBUFFER, to);
        gl.blit_framebuffer(
            x0 + dx,
            from_y0,
            x1 + dx,
            from_y1,
            x0,
            y0,
            x1,
            y1,
            glow::COLOR_BUFFER_BIT,
            glow::NEAREST,
        );
    }
}
