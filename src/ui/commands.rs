//! Carrying out commands: what the panels, the map, the menus and the file dialogs asked for,
//! done at the end of the frame (`App::apply`); file dialogs run on threads of their own.

use crate::ui::Command;
use crate::ui::app::{App, Basemap};
use crate::ui::jobs::{Source, Task};
use crate::ui::tiles::{TileServer, TileStore};
use std::path::PathBuf;

impl App {
    /// Carries out what a panel, the map or a dialog asked for.
    pub fn apply(&mut self, ctx: &egui::Context, command: Command) {
        match command {
            Command::Select(id) => {
                self.selected = Some(id);
                self.settings.show_details = true;
                self.details.mention = None;
            }
            Command::Deselect => self.selected = None,
            Command::ZoomTo { lat, lon, zoom } => self.map.zoom_to(lat, lon, zoom),
            Command::PanTo { lat, lon } => self.map.pan_to(lat, lon),
            Command::FitToIncidents => self.fit_shown(),
            Command::SetFilters(filters) => {
                self.settings.filters = *filters;
                self.update_filtered();
                ctx.request_repaint();
            }
            Command::OpenFiles => self.dialog(|| {
                rfd::FileDialog::new()
                    .set_title("Open articles")
                    .add_filter("Articles", &["txt", "md", "html", "htm", "jsonl"])
                    .add_filter("All files", &["*"])
                    .pick_files()
                    .map(Command::AddPaths)
            }),
            Command::OpenFolder => self.dialog(|| {
                rfd::FileDialog::new()
                    .set_title("Open a folder of articles")
                    .pick_folder()
                    .map(|f| Command::AddPaths(vec![f]))
            }),
            Command::ImportGazetteer => self.dialog(|| {
                rfd::FileDialog::new()
                    .set_title("Import a GeoNames country dump")
                    .add_filter("GeoNames dump", &["txt", "zip"])
                    .pick_file()
                    .map(Command::ImportGazetteerFile)
            }),
            Command::ImportGazetteerFile(path) => self.import_gazetteer(path),
            Command::AddPaths(paths) => self
                .worker
                .submit(Task::Extract(vec![Source::Paths(paths)])),
            Command::AddBytes { name, bytes } => self
                .worker
                .submit(Task::Extract(vec![Source::Bytes { name, bytes }])),
            Command::CancelWork => self.worker.cancel(),
            Command::SetBasemap(basemap) => self.set_basemap(ctx, basemap),
            Command::OpenTileArchive => self.dialog(|| {
                rfd::FileDialog::new()
                    .set_title("Open a tile archive")
                    .add_filter("PMTiles archive (raster)", &["pmtiles"])
                    .pick_file()
                    .map(|path| Command::UseCustomTiles(path.display().to_string()))
            }),
            Command::UseCustomTiles(template) => {
                self.settings.custom_url = template;
                self.set_basemap(ctx, Basemap::Custom);
            }
            Command::ExportData { format, only_shown } => {
                let name = format!(
                    "incidents-{}.{}",
                    chrono::Local::now().format("%Y-%m-%d"),
                    format.extension()
                );
                self.dialog(move || {
                    rfd::FileDialog::new()
                        .set_title("Export incidents")
                        .set_file_name(name)
                        .add_filter(format.extension(), &[format.extension()])
                        .save_file()
                        .map(|path| Command::ExportDataTo {
                            format,
                            only_shown,
                            path,
                        })
                });
            }
            Command::ExportDataTo {
                format,
                only_shown,
                path,
            } => self.export_data(format, only_shown, path),
            Command::Correct { incident, edit } => self.correct(&incident, edit),
            Command::Merge { incident, other } => self.merge(&incident, &other),
            Command::Split { incident, part } => self.split(&incident, &part),
            Command::SetPublished { article, date } => self.set_published(&article, date),
            Command::Undo => self.undo(),
            Command::Redo => self.redo(),
            Command::NamePlace { name, at } => {
                let (lat, lon) = at.unwrap_or_else(|| {
                    let (lat, lon, _) = self.map.center_and_zoom();
                    (lat, lon)
                });
                self.place_form = Some(crate::ui::places::PlaceForm::new(&name, lat, lon));
            }
            Command::AddUserPlace(place) => self.add_user_places(vec![*place]),
            Command::ExportPlaces => self.dialog(|| {
                rfd::FileDialog::new()
                    .set_title("Export the places you named")
                    .set_file_name("places.csv")
                    .add_filter("CSV or GeoJSON", &["csv", "geojson"])
                    .save_file()
                    .map(Command::ExportPlacesTo)
            }),
            Command::ExportPlacesTo(path) => self.export_places(path),
            Command::ImportPlaces => self.dialog(|| {
                rfd::FileDialog::new()
                    .set_title("Import places")
                    .add_filter("CSV or GeoJSON", &["csv", "geojson", "json"])
                    .pick_file()
                    .map(Command::ImportPlacesFrom)
            }),
            Command::ImportPlacesFrom(path) => self.import_places(path),
            Command::AskWorkspace(action) => self.ask_workspace(action),
            Command::Workspace(action, path) => self.workspace_action(action, &path),
            Command::OpenBriefing => self.briefing.open = true,
            Command::ExportBriefing(target) => self.export_briefing(ctx, target),
            Command::BriefingDrawn(drawn) => self.briefing_drawn(ctx, drawn),
            Command::Notice(text) => self.notice = Some((text, std::time::Instant::now())),
            Command::NoteProblem { input, problem } => self.workspace.note_problem(input, problem),
        }
    }

    /// Imports a GeoNames dump; every loaded article is read again with it.
    pub fn import_gazetteer(&mut self, path: PathBuf) {
        self.worker.submit(Task::ImportGazetteer(path));
        let articles = self.workspace.all_articles();
        if !articles.is_empty() {
            self.worker
                .submit(Task::Extract(vec![Source::Articles(articles)]));
        }
    }

    pub(super) fn dialog(&self, pick: impl FnOnce() -> Option<Command> + Send + 'static) {
        // The dialog blocks; on its own thread the map keeps drawing meanwhile.
        let tx = self.dialogs.0.clone();
        let _ = std::thread::Builder::new()
            .name("file dialog".into())
            .spawn(move || {
                if let Some(command) = pick() {
                    let _ = tx.send(command);
                }
            });
    }

    pub(super) fn set_basemap(&mut self, ctx: &egui::Context, basemap: Basemap) {
        self.settings.basemap = basemap;
        let server = match basemap {
            Basemap::OpenStreetMap => Some(TileServer::openstreetmap()),
            Basemap::OpenTopoMap => Some(TileServer::opentopomap()),
            Basemap::Custom => Some(TileServer::custom(&self.settings.custom_url)),
            Basemap::Offline => None,
        };
        if self.map.tiles.as_ref().map(|t| t.server()) != server.as_ref() {
            self.map.tiles = server.map(|s| TileStore::new(s, ctx));
        }
    }
}
