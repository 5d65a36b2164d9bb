//! Drawing egui into a picture with no window and no display: the same UI code the app runs,
//! rendered by egui-wgpu into a texture and read back (on a machine without a GPU, wgpu finds
//! Mesa's software rasterizer, as the kittest tests do). Used by the briefing image.

use anyhow::{Context as _, Result, anyhow, bail};
use eframe::egui_wgpu::{self, RenderState, ScreenDescriptor, WgpuConfiguration, wgpu};
use egui::{Context, RawInput, Ui, ViewportId};
use std::time::{Duration, Instant};

/// The largest side of a picture (wgpu's guaranteed texture size is 8192).
pub const MAX_SIDE: u32 = 7680;
/// How long the GPU may take to draw or copy one picture.
const GPU_WAIT: Duration = Duration::from_secs(60);

/// A picture to draw: its size in pixels and how many pixels a point is.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Canvas {
    pub width: u32,
    pub height: u32,
    pub pixels_per_point: f32,
}

impl Canvas {
    /// A picture of this many pixels whose words and markers grow with it: 1 pixel a point
    /// up to 1920×1080, 2 at 3840×2160, 4 at 7680×4320 (in half steps) — a larger picture is
    /// a sharper one, not one with smaller words.
    pub fn sized(width: u32, height: u32) -> Canvas {
        let scale = (width as f32 / 1920.0).min(height as f32 / 1080.0).max(1.0);
        Canvas {
            width,
            height,
            pixels_per_point: (scale * 2.0).round() / 2.0,
        }
    }

    /// The picture's size in points (what the UI code lays out in).
    pub fn size_in_points(&self) -> egui::Vec2 {
        egui::vec2(self.width as f32, self.height as f32) / self.pixels_per_point
    }
}

/// A context to draw a picture with: the light theme (pictures go into white documents), no
/// animations.
pub fn context() -> Context {
    let ctx = Context::default();
    ctx.set_theme(egui::Theme::Light);
    ctx.all_styles_mut(|style| style.animation_time = 0.0);
    ctx
}

/// Runs `draw` in passes on `ctx` (from `context`) until it says it is ready or `deadline`
/// passes, then draws the last pass into a picture.
pub fn render(
    ctx: &Context,
    canvas: Canvas,
    deadline: Instant,
    mut draw: impl FnMut(&mut Ui) -> bool,
) -> Result<image::RgbaImage> {
    if canvas.width == 0 || canvas.height == 0 {
        bail!(
            "a picture of {}×{} pixels is empty",
            canvas.width,
            canvas.height
        );
    }
    if canvas.width > MAX_SIDE || canvas.height > MAX_SIDE {
        bail!(
            "{}×{} pixels is larger than {MAX_SIDE} on a side",
            canvas.width,
            canvas.height
        );
    }
    if !(0.25..=16.0).contains(&canvas.pixels_per_point) {
        bail!("a scale of {} is out of range", canvas.pixels_per_point);
    }
    let gpu = gpu()?;
    let mut input = RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            canvas.size_in_points(),
        )),
        ..Default::default()
    };
    if let Some(viewport) = input.viewports.get_mut(&ViewportId::ROOT) {
        viewport.native_pixels_per_point = Some(canvas.pixels_per_point);
    }
    let mut pass = 0;
    // Freed after the pass that last painted with them, i.e. when the next one is uploaded.
    let mut to_free: Vec<egui::TextureId> = Vec::new();
    let output = loop {
        let mut ready = false;
        let mut output = ctx.run_ui(input.clone(), |ui| ready = draw(ui));
        upload(
            &gpu,
            std::mem::take(&mut output.textures_delta),
            &mut to_free,
        );
        pass += 1;
        // Areas size themselves on their first pass: never stop before the third.
        if (ready && pass >= 3) || Instant::now() >= deadline || pass >= 10_000 {
            break output;
        }
        if !ready {
            std::thread::sleep(Duration::from_millis(15));
        }
        input.time = Some(input.time.unwrap_or(0.0) + 0.015);
    };
    let ppp = ctx.pixels_per_point();
    let primitives = ctx.tessellate(output.shapes, ppp);
    let screen = ScreenDescriptor {
        size_in_pixels: [canvas.width, canvas.height],
        pixels_per_point: ppp,
    };
    draw_and_read(&gpu, &primitives, &screen)
}

/// A wgpu device for drawing offscreen, preferring what wgpu prefers (a GPU when there is
/// one, else the software rasterizer).
fn gpu() -> Result<RenderState> {
    let setup =
        egui_wgpu::WgpuSetup::CreateNew(egui_wgpu::WgpuSetupCreateNew::without_display_handle());
    let instance = pollster::block_on(setup.new_instance());
    let config = WgpuConfiguration {
        wgpu_setup: setup,
        ..Default::default()
    };
    pollster::block_on(RenderState::create(
        &config,
        &instance,
        None,
        egui_wgpu::RendererOptions::default(),
    ))
    .map_err(|e| {
        anyhow!(
            "no GPU or software renderer to draw with ({e}); on Debian, install \
             mesa-vulkan-drivers"
        )
    })
}

/// Uploads a pass's new textures, after freeing those the pass before let go of.
fn upload(gpu: &RenderState, mut delta: egui::TexturesDelta, to_free: &mut Vec<egui::TextureId>) {
    let mut renderer = gpu.renderer.write();
    for id in to_free.drain(..) {
        renderer.free_texture(&id);
    }
    for (id, images) in delta.set.drain() {
        for image in images {
            renderer.update_texture(&gpu.device, &gpu.queue, id, &image);
        }
    }
    to_free.extend(delta.free.drain());
}

fn draw_and_read(
    gpu: &RenderState,
    primitives: &[egui::ClippedPrimitive],
    screen: &ScreenDescriptor,
) -> Result<image::RgbaImage> {
    let [width, height] = screen.size_in_pixels;
    let device = &gpu.device;
    let mut encoder = device.create_command_encoder(&wgpu::CommandEncoderDescriptor {
        label: Some("briefing"),
    });
    let mut renderer = gpu.renderer.write();
    let user_buffers =
        renderer.update_buffers(device, &gpu.queue, &mut encoder, primitives, screen);
    let extent = wgpu::Extent3d {
        width,
        height,
        depth_or_array_layers: 1,
    };
    let texture = device.create_texture(&wgpu::TextureDescriptor {
        label: Some("briefing picture"),
        size: extent,
        mip_level_count: 1,
        sample_count: 1,
        dimension: wgpu::TextureDimension::D2,
        format: gpu.target_format,
        usage: wgpu::TextureUsages::RENDER_ATTACHMENT | wgpu::TextureUsages::COPY_SRC,
        view_formats: &[],
    });
    let view = texture.create_view(&wgpu::TextureViewDescriptor::default());
    {
        let mut pass = encoder
            .begin_render_pass(&wgpu::RenderPassDescriptor {
                label: Some("briefing pass"),
                color_attachments: &[Some(wgpu::RenderPassColorAttachment {
                    view: &view,
                    resolve_target: None,
                    ops: wgpu::Operations {
                        load: wgpu::LoadOp::Clear(wgpu::Color::WHITE),
                        store: wgpu::StoreOp::Store,
                    },
                    depth_slice: None,
                })],
                ..Default::default()
            })
            .forget_lifetime();
        renderer.render(&mut pass, primitives, screen);
    }
    // Rows of a copy are padded to 256 bytes.
    let row = width as usize * 4;
    let align = wgpu::COPY_BYTES_PER_ROW_ALIGNMENT as usize;
    let padded_row = row.div_ceil(align) * align;
    let buffer = device.create_buffer(&wgpu::BufferDescriptor {
        label: Some("briefing readback"),
        size: (padded_row * height as usize) as u64,
        usage: wgpu::BufferUsages::MAP_READ | wgpu::BufferUsages::COPY_DST,
        mapped_at_creation: false,
    });
    encoder.copy_texture_to_buffer(
        texture.as_image_copy(),
        wgpu::TexelCopyBufferInfo {
            buffer: &buffer,
            layout: wgpu::TexelCopyBufferLayout {
                offset: 0,
                bytes_per_row: Some(padded_row as u32),
                rows_per_image: None,
            },
        },
        extent,
    );
    let submitted = gpu.queue.submit(
        user_buffers
            .into_iter()
            .chain(std::iter::once(encoder.finish())),
    );
    let (tx, rx) = std::sync::mpsc::channel();
    buffer
        .slice(..)
        .map_async(wgpu::MapMode::Read, move |r| drop(tx.send(r)));
    device
        .poll(wgpu::PollType::Wait {
            submission_index: Some(submitted),
            timeout: Some(GPU_WAIT),
        })
        .map_err(|e| anyhow!("the GPU did not finish the picture: {e}"))?;
    rx.recv_timeout(GPU_WAIT)
        .context("the picture was never read back")?
        .map_err(|e| anyhow!("the picture could not be read back: {e}"))?;
    let mapped = buffer
        .slice(..)
        .get_mapped_range()
        .map_err(|e| anyhow!("the picture could not be read back: {e}"))?;
    let mut pixels = Vec::with_capacity(row * height as usize);
    for line in mapped.chunks_exact(padded_row) {
        pixels.extend_from_slice(&line[..row]);
    }
    if matches!(
        gpu.target_format,
        wgpu::TextureFormat::Bgra8Unorm | wgpu::TextureFormat::Bgra8UnormSrgb
    ) {
        for px in pixels.chunks_exact_mut(4) {
            px.swap(0, 2);
        }
    }
    image::RgbaImage::from_raw(width, height, pixels)
        .ok_or_else(|| anyhow!("the picture read back has the wrong size"))
}
