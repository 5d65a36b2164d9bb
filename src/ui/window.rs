//! The window, laid out: menu bar, status bar, incident list, details, map; files dropped on
//! it; Escape to deselect (the self-screenshot used by CI is `screenshot.rs`). Panels return
//! commands, which `App::apply` carries out at the end of the frame.

use crate::io::export::Format;
use crate::io::ingest;
use crate::ui::app::{App, Basemap};
use crate::ui::map_view::Overlays;
use crate::ui::{Command, details, filters_panel, panels, table, timeline};
use egui::{Color32, RichText, Ui};

impl App {
    /// Draws one frame of the whole app inside `ui`.
    pub fn show(&mut self, ui: &mut Ui) {
        let ctx = ui.ctx().clone();
        self.bind(&ctx);
        self.take_reports();
        let mut commands: Vec<Command> = self.dialogs.1.try_iter().collect();
        commands.extend(dropped_files(&ctx));
        if ctx.input(|i| i.key_pressed(egui::Key::Escape)) {
            commands.push(Command::Deselect);
        }
        commands.extend(undo_keys(&ctx));

        if self.in_window {
            // The panels leave their fill to the window's clear (`panel_frame`); their scroll
            // areas still fade their edges into the panels' colour, found here.
            let behind = egui::Frame::NONE.fill(ui.visuals().panel_fill);
            let info = egui::UiStackInfo::default().with_frame(behind);
            ui.scope_builder(egui::UiBuilder::new().ui_stack_info(info), |ui| {
                self.panels(ui, &mut commands)
            });
        } else {
            self.panels(ui, &mut commands);
        }

        let mut show_log = self.show_log;
        panels::log_window(&ctx, &self.workspace, &mut show_log);
        self.show_log = show_log;
        commands.extend(self.briefing_window(&ctx));
        commands.extend(crate::ui::places::window(&ctx, &mut self.place_form));
        drop_overlay(&ctx);
        for command in commands {
            self.apply(&ctx, command);
        }
        self.save_view(&ctx);
        self.screenshot_when_ready(&ctx);
    }

    /// Menu bar, status bar, timeline, incident list, details and map.
    fn panels(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        // The markers' clusters are made on another thread while the panels are laid out.
        self.index_markers();
        self.map.markers.prepare(self.map.memory.zoom());
        egui::Panel::top("menu")
            .frame(self.panel_frame(ui))
            .show(ui, |ui| {
                egui::MenuBar::new().ui(ui, |ui| self.menu(ui, commands));
            });
        egui::Panel::bottom("status")
            .frame(self.panel_frame(ui))
            .show(ui, |ui| self.status_bar(ui, commands));
        egui::Panel::bottom("timeline")
            .frame(self.panel_frame(ui))
            .default_size(150.0)
            .size_range(90.0..=400.0)
            .resizable(true)
            .show(ui, |ui| {
                commands.extend(timeline::show(
                    ui,
                    &mut self.settings.timeline,
                    &mut self.timeline,
                    &self.settings.filters,
                    &self.filtered.selection,
                ));
            });
        egui::Panel::left("incidents")
            .frame(self.panel_frame(ui))
            .default_size(430.0)
            .resizable(true)
            .show(ui, |ui| self.incidents_panel(ui, commands));
        if let Some(incident) = self.selected().cloned() {
            egui::Panel::right("details")
                .frame(self.panel_frame(ui))
                .default_size(420.0)
                .resizable(true)
                .show(ui, |ui| {
                    commands.extend(details::show(
                        ui,
                        &incident,
                        &self.workspace,
                        &mut self.details,
                    ));
                });
        }
        egui::CentralPanel::no_frame().show(ui, |ui| self.map_panel(ui, commands));
    }

    fn menu(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        ui.menu_button("File", |ui| {
            self.workspace_menu(ui, commands);
            ui.separator();
            if ui.button("Open files…").clicked() {
                commands.push(Command::OpenFiles);
            }
            if ui.button("Open folder…").clicked() {
                commands.push(Command::OpenFolder);
            }
            ui.separator();
            if ui.button("Export briefing image…").clicked() {
                commands.push(Command::OpenBriefing);
            }
            ui.menu_button("Export data", |ui| {
                let shown = self.filtered.selection.count;
                let total = self.workspace.incidents().len();
                ui.checkbox(
                    &mut self.settings.export_shown_only,
                    format!("Only the {shown} shown (of {total})"),
                );
                let only_shown = self.settings.export_shown_only;
                for (format, label) in [
                    (Format::Geojson, "GeoJSON…"),
                    (Format::Csv, "CSV, ACLED columns…"),
                    (Format::Kml, "KML, Google Earth…"),
                    (Format::Gpkg, "GeoPackage, QGIS…"),
                ] {
                    if ui.button(label).clicked() {
                        commands.push(Command::ExportData { format, only_shown });
                    }
                }
            });
            ui.separator();
            if ui.button("Import GeoNames dump…").clicked() {
                commands.push(Command::ImportGazetteer);
            }
            ui.menu_button("Places you named", |ui| {
                ui.label(format!("{} in this workspace", self.user_places.len()));
                if ui.button("Name a place…").clicked() {
                    commands.push(Command::NamePlace {
                        name: String::new(),
                        at: None,
                    });
                }
                if ui.button("Export places…").clicked() {
                    commands.push(Command::ExportPlaces);
                }
                if ui.button("Import places…").clicked() {
                    commands.push(Command::ImportPlaces);
                }
            });
            ui.separator();
            if ui.button("Quit").clicked() {
                ui.ctx().send_viewport_cmd(egui::ViewportCommand::Close);
            }
        });
        ui.menu_button("Edit", |ui| {
            let (undo, redo) = self.undo_redo_labels();
            let undo_text = undo.map_or("Undo".into(), |l| format!("Undo {l}"));
            if ui
                .add_enabled(
                    self.edits_can(true),
                    egui::Button::new(undo_text).shortcut_text("Ctrl+Z"),
                )
                .clicked()
            {
                commands.push(Command::Undo);
            }
            let redo_text = redo.map_or("Redo".into(), |l| format!("Redo {l}"));
            if ui
                .add_enabled(
                    self.edits_can(false),
                    egui::Button::new(redo_text).shortcut_text("Ctrl+Shift+Z"),
                )
                .clicked()
            {
                commands.push(Command::Redo);
            }
        });
        ui.menu_button("Basemap", |ui| {
            let current = self.settings.basemap;
            for (basemap, label) in [
                (Basemap::OpenStreetMap, "OpenStreetMap"),
                (Basemap::OpenTopoMap, "OpenTopoMap"),
                (Basemap::Custom, "Custom tiles (server or .pmtiles file)"),
                (Basemap::Offline, "Offline (no network)"),
            ] {
                if ui.radio(current == basemap, label).clicked() {
                    commands.push(Command::SetBasemap(basemap));
                }
            }
            ui.separator();
            ui.label("Custom: URL template ({z}/{x}/{y}) or .pmtiles path:");
            let response = ui.text_edit_singleline(&mut self.settings.custom_url);
            if response.lost_focus() && current == Basemap::Custom {
                commands.push(Command::SetBasemap(Basemap::Custom));
            }
            if ui.button("Open .pmtiles file…").clicked() {
                commands.push(Command::OpenTileArchive);
            }
        });
        ui.menu_button("View", |ui| {
            if ui.button("Fit map to filtered incidents").clicked() {
                commands.push(Command::FitToIncidents);
            }
            if ui.button("Log").clicked() {
                self.show_log = true;
            }
        });
    }

    /// A side or top panel's frame. In eframe's window, which is cleared with the panels' own
    /// colour (`clear_color`), it leaves the fill out: the software renderer (llvmpipe) would
    /// spend about 2 ms a frame filling those pixels again with the same colour.
    fn panel_frame(&self, ui: &Ui) -> egui::Frame {
        let frame = egui::Frame::side_top_panel(ui.style());
        if self.in_window {
            frame.fill(Color32::TRANSPARENT)
        } else {
            frame
        }
    }

    fn status_bar(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        ui.horizontal(|ui| {
            if let Some((text, detail, warn)) = self.persistence.status_line() {
                let text = if warn {
                    RichText::new(text).color(Color32::from_rgb(0xb0, 0x50, 0x00))
                } else {
                    RichText::new(text)
                };
                ui.label(text).on_hover_text(detail);
                ui.separator();
            }
            match &self.gazetteer {
                Some((description, _)) => ui.label(format!("Gazetteer: {description}")),
                None => ui.label("Gazetteer: loading…"),
            };
            ui.separator();
            if let Some(health) = self.map.tiles.as_ref().map(|t| t.health().clone()) {
                if health.failing {
                    let error = health.last_error.unwrap_or_default();
                    let archive = self
                        .map
                        .tiles
                        .as_ref()
                        .is_some_and(|t| t.server().archive_path().is_some());
                    let text = if archive {
                        "Tile archive unreadable: Offline basemap shown"
                    } else {
                        "Tiles unreachable: Offline basemap shown, retrying"
                    };
                    ui.label(RichText::new(text).color(Color32::from_rgb(0xb0, 0x50, 0x00)))
                        .on_hover_text(error);
                } else {
                    ui.label(format!("Tiles: {} loaded", health.loaded));
                }
                ui.separator();
            }
            let problems = self.workspace.log().len() + self.workspace.orphans().len();
            let log = if problems == 0 {
                "Log".to_string()
            } else {
                format!("Log ({problems})")
            };
            if ui.button(log).clicked() {
                self.show_log = true;
            }
            if let Some(notice) = self.notice() {
                ui.separator();
                ui.label(notice.to_string());
                // Cleared when it is no longer fresh, even if nothing else moves.
                ui.ctx()
                    .request_repaint_after(std::time::Duration::from_secs(9));
            }
            if let Some((done, total, what)) = self.progress.clone() {
                ui.separator();
                let fraction = if total == 0 {
                    0.0
                } else {
                    done as f32 / total as f32
                };
                ui.add(
                    egui::ProgressBar::new(fraction)
                        .desired_width(160.0)
                        .text(format!("{done}/{total}")),
                );
                ui.label(what);
                if ui.button("Cancel").clicked() {
                    commands.push(Command::CancelWork);
                }
            } else if self.busy() {
                ui.separator();
                ui.spinner();
            }
        });
    }
}

/// Ctrl+Z and Ctrl+Shift+Z (Cmd on a Mac), unless a text field has the keyboard (it has its
/// own undo).
fn undo_keys(ctx: &egui::Context) -> Option<Command> {
    if ctx.egui_wants_keyboard_input() {
        return None;
    }
    let redo = egui::KeyboardShortcut::new(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    let undo = egui::KeyboardShortcut::new(egui::Modifiers::COMMAND, egui::Key::Z);
    ctx.input_mut(|i| {
        if i.consume_shortcut(&redo) {
            Some(Command::Redo)
        } else if i.consume_shortcut(&undo) {
            Some(Command::Undo)
        } else {
            None
        }
    })
}

/// Files dropped on the window: by path where there is one, else by content.
fn dropped_files(ctx: &egui::Context) -> Vec<Command> {
    let dropped = ctx.input(|i| i.raw.dropped_files.clone());
    let mut paths = Vec::new();
    let mut commands = Vec::new();
    for file in dropped {
        let path = file.path().to_path_buf();
        if path.exists() {
            paths.push(path);
        } else {
            match file.bytes() {
                Ok(bytes) => commands.push(Command::AddBytes { name: path, bytes }),
                Err(e) => commands.push(Command::NoteProblem {
                    input: path.display().to_string(),
                    // A full path the OS gave that is gone now: the file moved or was deleted
                    // between the drop and this frame. Else a drop with no file behind it.
                    problem: if path.is_absolute() {
                        ingest::NOT_FOUND.into()
                    } else {
                        format!("cannot read the dropped file: {e}")
                    },
                }),
            }
        }
    }
    if !paths.is_empty() {
        commands.insert(0, Command::AddPaths(paths));
    }
    commands
}

/// While files hover over the window: what dropping them will do.
fn drop_overlay(ctx: &egui::Context) {
    let hovered = ctx.input(|i| i.raw.hovered_files.clone());
    if hovered.is_empty() {
        return;
    }
    let folders = hovered
        .iter()
        .filter(|f| f.path.as_deref().is_some_and(std::path::Path::is_dir))
        .count();
    let screen = ctx.content_rect();
    let dim = egui::LayerId::new(egui::Order::Foreground, egui::Id::unique("drop overlay"));
    ctx.layer_painter(dim)
        .rect_filled(screen, 0.0, Color32::from_black_alpha(150));
    // The words on a dark plate above the dimmed window, readable over any map.
    egui::Area::new(egui::Id::unique("drop overlay text"))
        .order(egui::Order::Tooltip)
        .pivot(egui::Align2::CENTER_CENTER)
        .fixed_pos(screen.center())
        .interactable(false)
        .show(ctx, |ui| {
            egui::Frame::NONE
                .fill(Color32::from_black_alpha(215))
                .corner_radius(10.0)
                .inner_margin(egui::Margin::symmetric(28, 18))
                .show(ui, |ui| {
                    ui.label(
                        RichText::new(drop_text(hovered.len() - folders, folders))
                            .size(28.0)
                            .color(Color32::WHITE),
                    );
                });
        });
}

/// "Drop to add 3 files", "Drop to add 1 folder", "Drop to add 2 files and 1 folder".
fn drop_text(files: usize, folders: usize) -> String {
    let count =
        |n: usize, one: &str, many: &str| format!("{n} {}", if n == 1 { one } else { many });
    match (files, folders) {
        (_, 0) => format!("Drop to add {}", count(files, "file", "files")),
        (0, _) => format!("Drop to add {}", count(folders, "folder", "folders")),
        _ => format!(
            "Drop to add {} and {}",
            count(files, "file", "files"),
            count(folders, "folder", "folders")
        ),
    }
}

impl App {
    /// The left panel: counts and unlocated incidents, the filters, the incident table.
    fn incidents_panel(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        let selected = self.selected.as_deref();
        let selection = &self.filtered.selection;
        let shown = (selection.shown.as_slice(), selection.count);
        commands.extend(panels::list_head(ui, &self.workspace, shown, selected));
        ui.separator();
        commands.extend(filters_panel::show(
            ui,
            &self.settings.filters,
            &self.filtered.index,
            &self.filtered.selection,
            &mut self.filters_panel,
        ));
        ui.separator();
        let incidents = self.workspace.incidents();
        let rows = self.table.rows(
            self.settings.table,
            self.workspace.version(),
            incidents,
            &self.filtered,
        );
        let rows = rows.to_vec();
        commands.extend(table::show(
            ui,
            &mut self.settings.table,
            &mut self.table,
            incidents,
            &rows,
            selected,
        ));
    }

    /// Which incidents the map shows (kept as they are if nothing changed).
    fn index_markers(&mut self) {
        self.map.markers.update(
            self.workspace.version(),
            self.filtered.generation(),
            self.workspace.incidents(),
            &self.filtered.selection.shown,
        );
    }

    fn map_panel(&mut self, ui: &mut Ui, commands: &mut Vec<Command>) {
        // Again, should a panel have changed what is shown.
        self.index_markers();
        let filters = &self.settings.filters;
        let selection = &self.filtered.selection;
        let summary = crate::ui::filter::summary(
            filters,
            selection.count,
            self.workspace.incidents().len(),
            selection.undated,
        );
        let mut shown_by_type = selection.by_type;
        for (t, name) in crate::ui::filter::TYPE_NAMES.iter().enumerate() {
            if filters.hidden_types.contains(*name) {
                shown_by_type[t] = 0;
            }
        }
        let attribution = self.map.attribution();
        let selected = self.selected.clone();
        self.map.show(
            ui,
            self.workspace.incidents(),
            selected.as_deref(),
            Overlays {
                attribution: &attribution,
                summary: &summary,
                shown_by_type: &shown_by_type,
            },
            commands,
        );
    }
}
