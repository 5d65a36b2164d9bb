//! The app's own screenshot (`--screenshot FILE`, used by CI under Xvfb): taken once the
//! articles are loaded, the map drawn and held still, and the overlays faded in; then the
//! window closes.

use crate::ui::app::App;

/// How long after everything is ready and the fades are done the screenshot is taken, in
/// seconds: a margin for the frame that shows them whole.
const SETTLE_S: f64 = 0.3;
/// How far (points) the map is dragged each frame when a pan is asked for before the shot.
const PAN_STEP: f32 = 7.0;

impl App {
    /// With a screenshot asked for: once everything is loaded and drawn, save it and close.
    pub(super) fn screenshot_when_ready(&mut self, ctx: &egui::Context) {
        if let Some(done) = &self.screenshot_done {
            if let Ok(result) = done.try_recv() {
                if let Err(e) = result {
                    eprintln!("incident-map: screenshot not saved: {e}");
                }
                ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            }
            ctx.request_repaint();
            return;
        }
        let Some(path) = self.screenshot.clone() else {
            return;
        };
        let tiles_settled = self
            .map
            .tiles
            .as_ref()
            .is_none_or(|t| t.health().failing || t.health().loaded > 0);
        // With the map kept as a picture, the shot is of a frame that copied it: the picture
        // held, as the analyst sees it between changes (CI compares it with the map drawn
        // directly, and with the map drawn as while it changes).
        let map_still =
            self.map.picture.as_ref().is_none_or(|p| {
                p.still() || !p.works() || crate::ui::map_picture::always_changing()
            });
        // The status bar says "Saved" in the shot: the view is kept in the workspace file.
        let saving = self.view_waiting() || self.persistence.saving();
        if self.busy() || self.map.fit_pending || !tiles_settled || !map_still || saving {
            self.screenshot_ready_since = None;
            ctx.request_repaint();
            return;
        }
        // A pan asked for: a few points a frame, as a drag moves the map, from a still map.
        if let Some(left) = self.screenshot_pan.filter(|left| *left != egui::Vec2::ZERO) {
            let step = left.clamp(-egui::Vec2::splat(PAN_STEP), egui::Vec2::splat(PAN_STEP));
            self.map.pan_by(step);
            self.screenshot_pan = Some(left - step);
            self.screenshot_ready_since = None;
            ctx.request_repaint();
            return;
        }
        // And so for a while: the overlays over the map fade in when they first show
        // (egui's animation time), and a shot taken sooner catches them half drawn.
        let now = ctx.input(|i| i.time);
        let since = *self.screenshot_ready_since.get_or_insert(now);
        if now - since < f64::from(ctx.global_style().animation_time) + SETTLE_S {
            ctx.request_repaint();
            return;
        }
        let (tx, rx) = std::sync::mpsc::channel();
        self.screenshot_done = Some(rx);
        ctx.request_screenshot(move |image| {
            let _ = tx.send(save_png(&path, &image));
        });
    }
}

fn save_png(path: &std::path::Path, image: &egui::ColorImage) -> Result<(), String> {
    let [w, h] = image.size;
    let pixels: Vec<u8> = image.pixels.iter().flat_map(|c| c.to_array()).collect();
    let buffer = image::RgbaImage::from_raw(w as u32, h as u32, pixels)
        .ok_or("the screenshot's size does not match its pixels")?;
    crate::io::picture::save_png(path, &buffer).map_err(|e| format!("{e:#}"))
}
