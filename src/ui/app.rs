//! The app: settings kept between runs, the runtime state, and one frame — the worker's
//! reports applied, input files taken in, the panels and the map drawn, their commands done.

use crate::engine::model::Incident;
use crate::samples;
use crate::ui::Command;
use crate::ui::details::DetailsState;
use crate::ui::edits::Edits;
use crate::ui::exports::{BriefingDialog, BriefingSettings};
use crate::ui::filter::{Filtered, Filters};
use crate::ui::filters_panel::FiltersPanelState;
use crate::ui::jobs::{Report, Source, Task, Worker};
use crate::ui::map_view::MapView;
use crate::ui::persist::Persistence;
use crate::ui::table::{TableSettings, TableState};
use crate::ui::timeline::{TimelineSettings, TimelineState};
use crate::ui::workspace::Workspace;
use crate::ui::workspace_view::WorkspaceView;
use serde::{Deserialize, Serialize};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, OnceLock};

/// The map's background.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Basemap {
    OpenStreetMap,
    OpenTopoMap,
    /// A tile server of the analyst's (`Settings::custom_url`), e.g. a local one, or a local
    /// .pmtiles archive.
    Custom,
    /// Drawn by the app from bundled data; needs no network.
    Offline,
}

/// What is kept between runs (eframe persistence).
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(default)]
pub(super) struct Settings {
    pub(super) basemap: Basemap,
    pub(super) custom_url: String,
    /// (lat, lon, zoom) of the last view.
    pub(super) view: Option<(f64, f64, f64)>,
    pub(super) show_details: bool,
    /// What the analyst chose to see, the time brush included.
    pub(super) filters: Filters,
    pub(super) timeline: TimelineSettings,
    pub(super) table: TableSettings,
    /// Data exports hold only the incidents shown (else all).
    pub(super) export_shown_only: bool,
    /// The briefing picture's size.
    pub(super) briefing: BriefingSettings,
    /// The workspace files opened lately, newest first, and the last one (reopened at start
    /// when the command line names none).
    pub(super) recent_workspaces: Vec<PathBuf>,
    pub(super) last_workspace: Option<PathBuf>,
}

impl Default for Settings {
    fn default() -> Settings {
        Settings {
            basemap: Basemap::OpenStreetMap,
            custom_url: "http://127.0.0.1:8080/{z}/{x}/{y}.png".into(),
            view: None,
            show_details: true,
            filters: Filters::default(),
            timeline: TimelineSettings::default(),
            table: TableSettings::default(),
            export_shown_only: true,
            briefing: BriefingSettings::default(),
            recent_workspaces: Vec::new(),
            last_workspace: None,
        }
    }
}

const SETTINGS_KEY: &str = "incident-map settings";

/// How the app starts.
#[derive(Debug, Clone, Default)]
pub struct Startup {
    /// Files and folders to open; none: the bundled sample articles.
    pub inputs: Vec<PathBuf>,
    /// Save a screenshot here once everything is loaded, then close (CI, docs).
    pub screenshot: Option<PathBuf>,
    /// Before the screenshot, drag the map this far (points), a few points a frame (CI: the
    /// map's picture moved by a pan must show what drawing it there shows).
    pub screenshot_pan: Option<egui::Vec2>,
    /// Start on this basemap whatever was chosen last time (tests: Offline, no network).
    pub basemap: Option<Basemap>,
    /// A tile server's URL template (`{z}/{x}/{y}`): start on it as the custom basemap.
    pub tiles: Option<String>,
    /// When the process started: print the time to the first frame and to the incidents on
    /// screen (`INCIDENT_MAP_TIMING`), for the start-up benchmark.
    pub timing: Option<std::time::Instant>,
    /// The workspace file to open (created if need be) and autosave to; None: nothing is
    /// kept (tests).
    pub workspace: Option<PathBuf>,
    /// `workspace` is only the default: reopen the one used last time if there is one.
    pub default_workspace: bool,
}

pub struct App {
    pub(super) settings: Settings,
    pub(super) workspace: Workspace,
    pub(super) worker: Worker,
    pub(super) progress: Option<(usize, usize, String)>,
    pub(super) gazetteer: Option<(String, usize)>,
    pub(super) selected: Option<String>,
    pub(super) details: DetailsState,
    pub(super) map: MapView,
    /// The incidents the filters show, and the counts around them.
    pub(super) filtered: Filtered,
    pub(super) timeline: TimelineState,
    pub(super) table: TableState,
    pub(super) filters_panel: FiltersPanelState,
    pub(super) show_log: bool,
    /// Drawn in eframe's window, which `clear_color` clears with the panels' colour.
    pub(super) in_window: bool,
    pub(super) briefing: BriefingDialog,
    /// The workspace file the articles are saved to.
    pub(super) persistence: Persistence,
    /// The analyst's corrections, with undo and redo.
    pub(super) edits: Edits,
    /// The places the analyst named (the workspace's user gazetteer).
    pub(super) user_places: Vec<crate::io::store::UserPlace>,
    /// The Name a place window, while open.
    pub(super) place_form: Option<crate::ui::places::PlaceForm>,
    /// Each article's publication date as read from it (file name, metadata), by content
    /// hash: what it returns to when the analyst's date is undone, and what is saved.
    pub(super) published_read: std::collections::HashMap<u64, Option<String>>,
    /// The last thing done, for the status bar, and when.
    pub(super) notice: Option<(String, std::time::Instant)>,
    /// The view last saved into the workspace file.
    pub(super) view_saver: crate::ui::workspace_view::ViewSaver,
    /// Commands that arrive from file dialogs running on their own threads.
    pub(super) dialogs: (Sender<Command>, Receiver<Command>),
    pub(super) screenshot: Option<PathBuf>,
    pub(super) screenshot_done: Option<Receiver<Result<(), String>>>,
    /// What is left of the pan asked for before the screenshot.
    pub(super) screenshot_pan: Option<egui::Vec2>,
    /// Since when (egui's clock) everything has been ready for the screenshot.
    pub(super) screenshot_ready_since: Option<f64>,
    /// Start-up timing still to print: (process start, first frame printed).
    pub(super) timing: Option<(std::time::Instant, bool)>,
    /// The egui context, once known (the worker wakes it).
    pub(super) ctx: Arc<OnceLock<egui::Context>>,
}

impl App {
    /// The app inside eframe, with its settings restored.
    pub fn new(cc: &eframe::CreationContext<'_>, startup: Startup) -> App {
        let mut app = App::restored(cc.storage, startup);
        app.bind(&cc.egui_ctx);
        app
    }

    /// The app with the settings `storage` kept from the last run (tests: a restart), and no
    /// window yet.
    pub fn restored(storage: Option<&dyn eframe::Storage>, startup: Startup) -> App {
        let settings = storage
            .and_then(|s| eframe::get_value::<Settings>(s, SETTINGS_KEY))
            .unwrap_or_default();
        App::with_settings(settings, startup)
    }

    /// The app with default settings and no window yet (tests); it binds to the egui context
    /// of the first frame it draws.
    pub fn headless(startup: Startup) -> App {
        App::with_settings(Settings::default(), startup)
    }

    fn with_settings(mut settings: Settings, startup: Startup) -> App {
        if let Some(basemap) = startup.basemap {
            settings.basemap = basemap;
        }
        if let Some(url) = &startup.tiles {
            settings.custom_url = url.clone();
            settings.basemap = Basemap::Custom;
        }
        let ctx: Arc<OnceLock<egui::Context>> = Arc::default();
        let mut worker = Worker::start(waker_of(&ctx));
        // The workspace last opened, when the command line named none; else the one named.
        let workspace_path = startup
            .default_workspace
            .then(|| settings.last_workspace.clone().filter(|p| p.exists()))
            .flatten()
            .or_else(|| startup.workspace.clone());
        let (persistence, opened) = match &workspace_path {
            Some(path) => Persistence::open(path, waker_of(&ctx)),
            None => Default::default(),
        };
        if let Some(path) = workspace_path.filter(|_| persistence.problem().is_none()) {
            settings.recent_workspaces.retain(|p| *p != path);
            settings.recent_workspaces.insert(0, path.clone());
            settings.recent_workspaces.truncate(8);
            settings.last_workspace = Some(path);
        }
        let mut kept_view = WorkspaceView::parse(opened.view.as_deref());
        if let Some(view) = kept_view.as_mut().filter(|_| !startup.inputs.is_empty()) {
            // Articles named on the command line are what the analyst wants to see: fit to them.
            view.map = None;
        }
        let (edits, unreadable) = Edits::load(opened.corrections);
        let mut opened_articles = opened.articles;
        let published_read = published_as_corrected(&mut opened_articles, &edits);
        let mut workspace = Workspace::default();
        workspace.set_corrections(edits.active());
        for problem in unreadable {
            workspace.note_problem("workspace", problem);
        }
        let user_places = opened.places;
        if !user_places.is_empty() {
            worker.submit(Task::SetUserPlaces(user_places.clone()));
        }
        worker.submit(Task::StartEngine);
        // The workspace's articles, then those named; the samples when there is nothing else.
        let mut sources = Vec::new();
        let had_articles = !opened_articles.is_empty();
        if had_articles {
            sources.push(Source::Articles(opened_articles));
        }
        if !startup.inputs.is_empty() {
            sources.push(Source::Paths(startup.inputs.clone()));
        } else if !had_articles {
            sources.push(Source::Articles(samples::articles()));
        }
        worker.submit(Task::Extract(sources));
        // Articles named on the command line are what the analyst wants to see: fit to them.
        let view = settings.view.filter(|_| startup.inputs.is_empty());
        let mut map = MapView::new(view);
        // Pans move the map's picture rather than draw it again (see `map_anchor`).
        map.anchoring = Some(crate::ui::map_anchor::Anchoring::default());
        let mut app = App {
            map,
            settings,
            workspace,
            worker,
            progress: None,
            gazetteer: None,
            selected: None,
            details: DetailsState::default(),
            filtered: Filtered::default(),
            timeline: TimelineState::default(),
            table: TableState::default(),
            filters_panel: FiltersPanelState::default(),
            show_log: false,
            in_window: false,
            briefing: BriefingDialog::default(),
            persistence,
            edits,
            user_places,
            place_form: None,
            published_read,
            notice: None,
            dialogs: channel(),
            screenshot: startup.screenshot,
            screenshot_pan: startup.screenshot_pan,
            screenshot_done: None,
            screenshot_ready_since: None,
            timing: startup.timing.map(|t| (t, false)),
            view_saver: Default::default(),
            ctx,
        };
        if let Some(view) = kept_view {
            app.restore_view(view);
        }
        app
    }

    /// A function that wakes the UI (background threads call it after reporting).
    pub(super) fn waker(&self) -> impl Fn() + Send + 'static {
        waker_of(&self.ctx)
    }

    /// Ties the app to the egui context that draws it: repaints, textures, theme.
    pub(super) fn bind(&mut self, ctx: &egui::Context) {
        if self.ctx.set(ctx.clone()).is_ok() {
            // Light: screenshots go into white briefing documents.
            ctx.set_theme(egui::Theme::Light);
            self.set_basemap(ctx, self.settings.basemap);
        }
    }

    pub fn workspace(&self) -> &Workspace {
        &self.workspace
    }

    /// Whether background work is queued or under way.
    pub fn busy(&self) -> bool {
        self.worker.busy()
    }

    /// Keeps the map as a picture between changes (see `map_picture`). eframe's OpenGL window
    /// does it by itself; elsewhere the picture is never drawn, only its bookkeeping runs.
    pub fn keep_map_as_picture(&mut self, ctx: &egui::Context) {
        if self.map.picture.is_none() {
            self.map.picture = Some(crate::ui::map_picture::MapPicture::new(ctx));
        }
    }

    /// How the frames drew the map, when it is kept as a picture.
    pub fn map_picture_frames(&self) -> Option<crate::ui::map_picture::Frames> {
        self.map.picture.as_ref().map(|p| p.frames)
    }

    /// Draws one frame in eframe's window: `show`, with the map kept as a picture when the
    /// window draws with OpenGL (unless `INCIDENT_MAP_MAP_PICTURE=0`).
    pub fn show_in_window(&mut self, ui: &mut egui::Ui, frame: &eframe::Frame) {
        if frame.gl().is_some() && crate::ui::map_picture::wanted() {
            self.keep_map_as_picture(ui.ctx());
        }
        self.in_window = true;
        self.show(ui);
    }

    /// The filters and the time brush in use.
    pub fn filters(&self) -> &Filters {
        &self.settings.filters
    }

    /// Playback's settings (mode, window, speed).
    pub fn playback(&self) -> &crate::ui::time_axis::Playback {
        &self.settings.timeline.playback
    }

    /// How many incidents the filters show.
    pub fn shown_count(&self) -> usize {
        self.filtered.selection.count
    }

    /// The incidents the filters show, and the counts around them (as of the last frame).
    pub fn filtered(&self) -> &Filtered {
        &self.filtered
    }

    /// The map's centre (lat, lon) and zoom.
    pub fn map_view(&self) -> (f64, f64, f64) {
        self.map.center_and_zoom()
    }

    /// Where the map is in the window (as last drawn).
    pub fn map_rect(&self) -> egui::Rect {
        self.map.rect()
    }

    pub fn selected(&self) -> Option<&Incident> {
        let id = self.selected.as_deref()?;
        self.workspace.incidents().iter().find(|i| i.id == id)
    }

    /// Adds an article the engine has read, as the worker's reports do (benchmarks, tests).
    pub fn add_extracted(
        &mut self,
        article: crate::engine::model::Article,
        result: crate::engine::model::ArticleResult,
    ) {
        self.workspace.add(article, result);
    }

    /// How the tile server is doing (None on the Offline basemap).
    pub fn tile_health(&self) -> Option<crate::ui::tiles::Health> {
        self.map.tiles.as_ref().map(|t| t.health().clone())
    }

    /// The gazetteer in use: its description and number of entries.
    pub fn gazetteer(&self) -> Option<&(String, usize)> {
        self.gazetteer.as_ref()
    }

    /// Saves a loaded article and its reading to the workspace file.
    fn save_article(&mut self, id: Option<&str>) {
        let Some(loaded) = id.and_then(|id| self.workspace.article(id)) else {
            return;
        };
        let engine = format!(
            "incident-map {} · {}",
            env!("CARGO_PKG_VERSION"),
            self.gazetteer.as_ref().map_or("", |(g, _)| g.as_str())
        );
        // Saved with the date read from it: the analyst's date is a correction, kept apart.
        let mut article = loaded.article.clone();
        if let Some(read) = self.published_read.get(&loaded.hash) {
            article.published = read.clone();
        }
        self.persistence
            .article_read(&article, loaded.hash, &loaded.result, &engine);
    }

    /// The workspace file and how saving to it goes.
    pub fn persistence(&self) -> &Persistence {
        &self.persistence
    }

    /// The last notice, while it is fresh (a few seconds).
    pub fn notice(&self) -> Option<&str> {
        self.notice
            .as_ref()
            .filter(|(_, at)| at.elapsed() < std::time::Duration::from_secs(8))
            .map(|(text, _)| text.as_str())
    }

    /// Brings the shown incidents up to date with the workspace and the filters.
    pub(super) fn update_filtered(&mut self) {
        self.filtered.update(
            self.workspace.version(),
            self.workspace.incidents(),
            &self.settings.filters,
        );
    }

    /// Fits the map to the incidents the filters show.
    pub(super) fn fit_shown(&mut self) {
        let filtered = &self.filtered;
        self.map.fit(
            self.workspace
                .incidents()
                .iter()
                .enumerate()
                .filter(|(i, _)| filtered.is_shown(*i))
                .map(|(_, incident)| incident),
        );
    }

    pub(super) fn take_reports(&mut self) {
        for report in self.worker.drain() {
            match report {
                Report::Progress { done, total, what } => self.progress = Some((done, total, what)),
                Report::Extracted { article, result } => {
                    let id = if self
                        .workspace
                        .article(&article.id)
                        .is_some_and(|a| a.article.text == article.text)
                    {
                        // Read again with a new gazetteer.
                        self.workspace.replace_result(*result);
                        Some(article.id)
                    } else {
                        self.published_read
                            .entry(crate::io::store::content_hash(&article.text))
                            .or_insert_with(|| article.published.clone());
                        let added = self.workspace.add(*article, *result);
                        added
                            .then(|| {
                                self.workspace
                                    .articles()
                                    .last()
                                    .map(|a| a.article.id.clone())
                            })
                            .flatten()
                    };
                    self.save_article(id.as_deref());
                }
                Report::Problem { input, problem } => self.workspace.note_problem(input, problem),
                Report::EngineReady {
                    gazetteer,
                    entries,
                    towns,
                    admin,
                } => {
                    self.gazetteer = Some((gazetteer, entries));
                    self.map.offline.set_towns(towns);
                    self.workspace.set_admin(*admin);
                }
                Report::Finished { .. } => self.progress = None,
            }
        }
        self.workspace.refresh();
        self.update_filtered();
        if let Some((start, first_printed)) = &mut self.timing
            && !*first_printed
        {
            eprintln!(
                "incident-map: first frame {} ms after start",
                start.elapsed().as_millis()
            );
            *first_printed = true;
        }
        if self.map.fit_pending && !self.worker.busy() && !self.map.size_known() {
            // Everything is in but the map's size is not known yet: fit on the next frame.
            if let Some(ctx) = self.ctx.get() {
                ctx.request_repaint();
            }
        } else if self.map.fit_pending && !self.worker.busy() {
            // Everything asked for at start is in, and the map's size known: show it.
            self.map.fit_pending = false;
            self.fit_shown();
            if let Some((start, _)) = self.timing.take() {
                eprintln!(
                    "incident-map: {} incidents on screen {} ms after start",
                    self.workspace.incidents().len(),
                    start.elapsed().as_millis()
                );
            }
        }
    }
}

/// Records each article's publication date as read, then gives it the one the corrections
/// in force set, if any.
pub(super) fn published_as_corrected(
    articles: &mut [crate::engine::model::Article],
    edits: &Edits,
) -> std::collections::HashMap<u64, Option<String>> {
    let wanted = crate::engine::corrections::publication_dates(&edits.active());
    let mut read = std::collections::HashMap::new();
    for article in articles {
        let hash = crate::io::store::content_hash(&article.text);
        read.insert(hash, article.published.clone());
        if let Some(date) = wanted.get(&format!("{hash:016x}")) {
            article.published = date.clone();
        }
    }
    read
}

fn waker_of(ctx: &Arc<OnceLock<egui::Context>>) -> impl Fn() + Send + 'static {
    let ctx = ctx.clone();
    move || {
        if let Some(ctx) = ctx.get() {
            ctx.request_repaint();
        }
    }
}

impl eframe::App for App {
    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        self.show_in_window(ui, frame);
    }

    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        visuals.panel_fill.to_normalized_gamma_f32()
    }

    fn save(&mut self, storage: &mut dyn eframe::Storage) {
        self.settings.view = self.map.view();
        eframe::set_value(storage, SETTINGS_KEY, &self.settings);
    }

    fn auto_save_interval(&self) -> std::time::Duration {
        // Filters and the brush are work too: kept within seconds, not eframe's 30.
        std::time::Duration::from_secs(5)
    }
}
