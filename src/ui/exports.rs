//! File ▸ Export: the briefing image window (title, size), drawing the picture (`briefing`)
//! on a thread of its own, then saving it as PNG or copying it to the clipboard; and writing
//! the data exports, also on a thread of their own.

use crate::engine::model::Incident;
use crate::ui::Command;
use crate::ui::app::App;
use crate::ui::briefing::{self, Briefing, Scene, View};
use crate::ui::offscreen::{Canvas, MAX_SIDE};
use egui::{RichText, Ui};
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::Arc;

/// The picture's size.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PictureSize {
    /// The map's own size in the window (1×).
    Window,
    /// Twice as many pixels each way, words and markers as large on the page.
    Double,
    /// `BriefingSettings::custom` pixels.
    Custom,
}

/// What is kept between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BriefingSettings {
    pub size: PictureSize,
    /// Width and height of a custom size, in pixels.
    pub custom: [u32; 2],
}

impl Default for BriefingSettings {
    fn default() -> BriefingSettings {
        BriefingSettings {
            size: PictureSize::Window,
            custom: [1920, 1080],
        }
    }
}

/// The window's state while the app runs.
#[derive(Debug, Default)]
pub struct BriefingDialog {
    pub open: bool,
    /// The title as the analyst wrote it; None: the default, which follows the filters.
    pub title: Option<String>,
    /// The picture being drawn ("2560×1600 px"), while it is.
    pub drawing: Option<String>,
}

/// Where a picture goes.
#[derive(Debug, Clone, PartialEq)]
pub enum BriefingTarget {
    /// Ask where to save it.
    AskFile,
    File(PathBuf),
    Clipboard,
}

/// A picture drawn and sent where it was asked.
#[derive(Debug, Clone, PartialEq)]
pub struct BriefingDrawn {
    /// Saved there, or to copy to the clipboard (done by the app's thread, which owns it).
    pub saved: Result<PathBuf, Arc<egui::ColorImage>>,
    pub size: [u32; 2],
    /// Tiles that never arrived: the Offline basemap shows in their place.
    pub tiles_missing: Option<String>,
}

/// The picture's pixels and scale for `size`, from the map's size in the window (points).
pub fn canvas_for(size: PictureSize, custom: [u32; 2], map: egui::Vec2, ppp: f32) -> Canvas {
    let (w, h) = ((map.x * ppp).round() as u32, (map.y * ppp).round() as u32);
    match size {
        PictureSize::Window => Canvas {
            width: w,
            height: h,
            pixels_per_point: ppp,
        },
        PictureSize::Double => Canvas {
            width: 2 * w,
            height: 2 * h,
            pixels_per_point: 2.0 * ppp,
        },
        PictureSize::Custom => Canvas::sized(custom[0], custom[1]),
    }
}

impl App {
    /// The picture's pixels and scale for the size chosen.
    pub fn briefing_canvas(&self, pixels_per_point: f32) -> Canvas {
        let settings = &self.settings.briefing;
        canvas_for(
            settings.size,
            settings.custom,
            self.map.size(),
            pixels_per_point,
        )
    }

    /// The title the picture will have: the analyst's, else the filters' default.
    pub fn briefing_title(&self) -> String {
        self.briefing
            .title
            .clone()
            .unwrap_or_else(|| briefing::default_title(&self.settings.filters))
    }

    /// The words of the picture: the filters', with the analyst's title if there is one.
    fn briefing_words(&self) -> (Briefing, Vec<Incident>) {
        let shown: Vec<&Incident> = self
            .workspace
            .incidents()
            .iter()
            .enumerate()
            .filter(|(i, _)| self.filtered.is_shown(*i))
            .map(|(_, incident)| incident)
            .collect();
        let mut words = Briefing::new(
            &self.settings.filters,
            &shown,
            self.workspace.incidents().len(),
            self.filtered.selection.undated,
        );
        if let Some(title) = &self.briefing.title {
            words.title = title.clone();
        }
        (words, shown.into_iter().cloned().collect())
    }

    /// The Export briefing image window, when open.
    pub(super) fn briefing_window(&mut self, ctx: &egui::Context) -> Vec<Command> {
        let mut commands = Vec::new();
        let mut open = self.briefing.open;
        egui::Window::new("Export briefing image")
            .open(&mut open)
            .resizable(false)
            .collapsible(false)
            .show(ctx, |ui| self.briefing_form(ui, &mut commands));
        self.briefing.open = open;
        commands
    }

    fn briefing_form(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let default_title = briefing::default_title(&self.settings.filters);
        let label = ui.label("Title");
        let mut title = self.briefing.title.clone().unwrap_or(default_title);
        let edit = ui.add(egui::TextEdit::singleline(&mut title).desired_width(460.0));
        if edit.labelled_by(label.id).changed() {
            self.briefing.title = Some(title);
        }
        if self.briefing.title.is_some() && ui.button("Title from the filters").clicked() {
            self.briefing.title = None;
        }
        ui.add_space(6.0);
        ui.label("Size");
        let ppp = ui.ctx().pixels_per_point();
        let choices = [
            PictureSize::Window,
            PictureSize::Double,
            PictureSize::Custom,
        ];
        for choice in choices {
            let custom = self.settings.briefing.custom;
            let canvas = canvas_for(choice, custom, self.map.size(), ppp);
            let text = match choice {
                PictureSize::Window => {
                    format!("Window (1×): {}×{} px", canvas.width, canvas.height)
                }
                PictureSize::Double => format!("2×: {}×{} px", canvas.width, canvas.height),
                PictureSize::Custom => "Custom".to_string(),
            };
            ui.radio_value(&mut self.settings.briefing.size, choice, text);
        }
        if self.settings.briefing.size == PictureSize::Custom {
            ui.horizontal(|ui| {
                let [w, h] = &mut self.settings.briefing.custom;
                for (name, value) in [("Width", w), ("Height", h)] {
                    let label = ui.label(name);
                    ui.add(
                        egui::DragValue::new(value)
                            .range(16..=MAX_SIDE)
                            .suffix(" px"),
                    )
                    .labelled_by(label.id);
                }
            });
        }
        let canvas = self.briefing_canvas(ppp);
        let too_large = canvas.width > MAX_SIDE || canvas.height > MAX_SIDE;
        let note = if too_large {
            format!("Larger than {MAX_SIDE} px on a side: choose a smaller size.")
        } else {
            format!(
                "The map's view in {}×{} px, words and markers at {}×. Tiles are fetched for \
                 this size, never stretched.",
                canvas.width, canvas.height, canvas.pixels_per_point
            )
        };
        ui.label(RichText::new(note).small());
        ui.add_space(6.0);
        ui.add_enabled_ui(self.briefing.drawing.is_none() && !too_large, |ui| {
            ui.horizontal(|ui| {
                if ui.button("Save PNG…").clicked() {
                    commands.push(Command::ExportBriefing(BriefingTarget::AskFile));
                }
                if ui.button("Copy to clipboard").clicked() {
                    commands.push(Command::ExportBriefing(BriefingTarget::Clipboard));
                }
            });
        });
        if let Some(what) = &self.briefing.drawing {
            ui.horizontal(|ui| {
                ui.spinner();
                ui.label(format!("Drawing the picture, {what}…"));
            });
        }
    }

    /// Draws the picture on a thread of its own, for `target` (asking where first if need be).
    pub(super) fn export_briefing(&mut self, ctx: &egui::Context, target: BriefingTarget) {
        let path = match target {
            BriefingTarget::AskFile => {
                let name = format!("briefing-{}.png", chrono::Local::now().format("%Y-%m-%d"));
                self.dialog(move || {
                    rfd::FileDialog::new()
                        .set_title("Save the briefing image")
                        .set_file_name(name)
                        .add_filter("PNG image", &["png"])
                        .save_file()
                        .map(|path| Command::ExportBriefing(BriefingTarget::File(path)))
                });
                return;
            }
            BriefingTarget::File(path) => Some(path),
            BriefingTarget::Clipboard => None,
        };
        let canvas = self.briefing_canvas(ctx.pixels_per_point());
        let (words, incidents) = self.briefing_words();
        let (lat, lon, zoom) = self.map.center_and_zoom();
        let scene = Scene {
            incidents,
            towns: self.map.offline.towns().to_vec(),
            tiles: self.map.tiles.as_ref().map(|t| t.server().clone()),
            view: View::Frame {
                lat,
                lon,
                zoom,
                size: self.map.size(),
            },
        };
        self.briefing.drawing = Some(format!("{}×{} px", canvas.width, canvas.height));
        let tx = self.dialogs.0.clone();
        let wake = ctx.clone();
        let spawned = std::thread::Builder::new()
            .name("briefing image".into())
            .spawn(move || {
                let drawn = briefing::render(scene, &words, canvas).and_then(|picture| {
                    let saved = match path {
                        Some(path) => {
                            crate::io::picture::save_png(&path, &picture.image)?;
                            Ok(path)
                        }
                        None => Err(Arc::new(egui::ColorImage::from_rgba_unmultiplied(
                            [
                                picture.image.width() as usize,
                                picture.image.height() as usize,
                            ],
                            picture.image.as_raw(),
                        ))),
                    };
                    Ok(BriefingDrawn {
                        saved,
                        size: [canvas.width, canvas.height],
                        tiles_missing: picture.tiles_missing,
                    })
                });
                let _ = tx.send(Command::BriefingDrawn(drawn.map_err(|e| format!("{e:#}"))));
                wake.request_repaint();
            });
        if let Err(e) = spawned {
            self.briefing_drawn(ctx, Err(format!("cannot start drawing: {e}")));
        }
    }

    /// A picture is done: say where it went (or why it did not), copy it if asked.
    pub(super) fn briefing_drawn(
        &mut self,
        ctx: &egui::Context,
        drawn: Result<BriefingDrawn, String>,
    ) {
        self.briefing.drawing = None;
        let text = match drawn {
            Ok(drawn) => {
                let [w, h] = drawn.size;
                let mut text = match drawn.saved {
                    Ok(path) => {
                        let name = path.file_name().unwrap_or_default().to_string_lossy();
                        format!("Saved the briefing image {name} ({w}×{h} px)")
                    }
                    Err(image) => {
                        ctx.copy_image((*image).clone());
                        format!("Copied the briefing image ({w}×{h} px) to the clipboard")
                    }
                };
                if drawn.tiles_missing.is_some() {
                    text.push_str("; some tiles did not arrive, the Offline basemap shows there");
                }
                text
            }
            Err(problem) => {
                self.workspace
                    .note_problem("briefing image", format!("not made: {problem}"));
                "The briefing image could not be made: see the Log".to_string()
            }
        };
        self.notice = Some((text, std::time::Instant::now()));
    }

    /// Writes the incidents (the shown ones, or all) to `path` on a thread of its own; the
    /// outcome comes back as a notice, or a problem in the log.
    pub(super) fn export_data(
        &mut self,
        format: crate::io::export::Format,
        only_shown: bool,
        path: PathBuf,
    ) {
        let incidents: Vec<Incident> = self
            .workspace
            .incidents()
            .iter()
            .enumerate()
            .filter(|(i, _)| !only_shown || self.filtered.is_shown(*i))
            .map(|(_, incident)| incident.clone())
            .collect();
        let tx = self.dialogs.0.clone();
        let ctx = self.ctx.clone();
        let _ = std::thread::Builder::new()
            .name("export".into())
            .spawn(move || {
                let refs: Vec<&Incident> = incidents.iter().collect();
                let command = match crate::io::export::save(&path, format, &refs) {
                    Ok(left_out) => Command::Notice(export_notice(&path, refs.len(), left_out)),
                    Err(e) => Command::NoteProblem {
                        input: path.display().to_string(),
                        problem: format!("export failed: {e:#}"),
                    },
                };
                let _ = tx.send(command);
                if let Some(ctx) = ctx.get() {
                    ctx.request_repaint();
                }
            });
    }
}

/// "Exported 40 incidents to incidents.kml (3 without a place left out)".
fn export_notice(path: &std::path::Path, count: usize, left_out: usize) -> String {
    let name = path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    );
    let written = count - left_out;
    let mut text = format!("Exported {written} incidents to {name}");
    if left_out > 0 {
        text.push_str(&format!(" ({left_out} without a place left out)"));
    }
    text
}
