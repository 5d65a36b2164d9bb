//! The desktop app (egui + walkers): the map of incidents, the panels around it, and the
//! background work that feeds them. Panels and map plugins return `Command`s; `App` carries
//! them out. Everything slow runs on the worker thread (`jobs`).

mod app;
pub mod briefing;
mod bubble_stamps;
pub mod clusters;
mod commands;
pub mod correct_form;
pub mod details;
pub mod edits;
pub mod exports;
pub mod filter;
mod filters_panel;
pub mod jobs;
mod label_hold;
pub mod map_anchor;
pub mod map_picture;
mod map_view;
pub mod marker_index;
pub mod markers;
pub mod offline;
pub mod offscreen;
pub mod outlines;
pub mod panels;
pub mod persist;
pub mod pin_drag;
pub mod places;
pub mod rings;
pub mod same_event;
mod screenshot;
pub mod search;
pub mod selection;
pub mod shape_memo;
mod sprites;
pub mod table;
mod tile_fetch;
pub mod tiles;
pub mod time_axis;
pub mod timeline;
pub mod timeline_bars;
mod window;
pub mod workspace;
pub mod workspace_files;
pub mod workspace_view;

pub use app::{App, Basemap, Startup};

use std::path::PathBuf;

/// What a click asked for. Panels and the map return these; `App::apply` carries them out.
#[derive(Debug, Clone, PartialEq)]
pub enum Command {
    /// Select the incident with this id (stable across re-merges, unlike an index).
    Select(String),
    Deselect,
    ZoomTo {
        lat: f64,
        lon: f64,
        zoom: f64,
    },
    /// Centre the map here, keeping its zoom.
    PanTo {
        lat: f64,
        lon: f64,
    },
    /// Fit the map to the incidents the filters show (or to Mali when there are none).
    FitToIncidents,
    /// Show what these filters and this time brush select.
    SetFilters(Box<filter::Filters>),
    OpenFiles,
    OpenFolder,
    ImportGazetteer,
    ImportGazetteerFile(PathBuf),
    AddPaths(Vec<PathBuf>),
    AddBytes {
        name: PathBuf,
        bytes: Vec<u8>,
    },
    CancelWork,
    SetBasemap(Basemap),
    /// Ask for a local .pmtiles archive to draw the map from.
    OpenTileArchive,
    /// Draw the map from this URL template or .pmtiles archive (the custom basemap).
    UseCustomTiles(String),
    /// Export the incidents (the shown ones, or all) in this format: asks where.
    ExportData {
        format: crate::io::export::Format,
        only_shown: bool,
    },
    /// Export them to this file.
    ExportDataTo {
        format: crate::io::export::Format,
        only_shown: bool,
        path: PathBuf,
    },
    /// Correct the incident with this id.
    Correct {
        incident: String,
        edit: crate::engine::corrections::Edit,
    },
    /// The incident `other` is the same event as `incident`: merge it in.
    Merge {
        incident: String,
        other: String,
    },
    /// The part `part` (an incident as its article reported it) of the merged incident
    /// `incident` is another event: split it off.
    Split {
        incident: String,
        part: String,
    },
    /// Set the publication date of the article with this id (None: unknown).
    SetPublished {
        article: String,
        date: Option<String>,
    },
    Undo,
    Redo,
    /// Ask for a workspace file (a dialog), then act on it.
    AskWorkspace(workspace_files::WorkspaceAction),
    /// New / open / save as: this workspace file.
    Workspace(workspace_files::WorkspaceAction, PathBuf),
    /// Open the Name a place window for `name` at this point (None: the map's centre).
    NamePlace {
        name: String,
        at: Option<(f64, f64)>,
    },
    /// Add this place to the user gazetteer: every article is read again with it.
    AddUserPlace(Box<crate::io::store::UserPlace>),
    /// Ask where to export the user gazetteer, then export it there.
    ExportPlaces,
    ExportPlacesTo(PathBuf),
    /// Ask which file of places to import, then import it.
    ImportPlaces,
    ImportPlacesFrom(PathBuf),
    /// Open the Export briefing image window.
    OpenBriefing,
    /// Draw the briefing picture and send it there.
    ExportBriefing(exports::BriefingTarget),
    /// A briefing picture is done (or could not be made).
    BriefingDrawn(Result<exports::BriefingDrawn, String>),
    /// Something done, for the status bar (an export written).
    Notice(String),
    /// An input that could not be taken in, for the log.
    NoteProblem {
        input: String,
        problem: String,
    },
}

/// Whether the window's painter dithers colours to 8 bits. Dithering smooths gradients, which
/// the app does not draw (its flat colours come out the same), and costs the software renderer
/// (llvmpipe) about 2 ms a frame. The map's pictures are painted with the same setting, so they
/// match the window.
pub const DITHERING: bool = false;

/// How the window is drawn: OpenGL (glow) unless `INCIDENT_MAP_RENDERER=wgpu`. On a machine
/// without a GPU, Mesa's llvmpipe draws an empty 1280×800 frame in ~1.3 ms through OpenGL
/// and ~12 ms through wgpu's Vulkan (lavapipe): the analysts' laptops often have no GPU
/// worth the name.
pub fn renderer() -> eframe::Renderer {
    match std::env::var("INCIDENT_MAP_RENDERER").as_deref() {
        Ok("wgpu") => eframe::Renderer::Wgpu,
        _ => eframe::Renderer::Glow,
    }
}

/// Opens the window and runs the app until it is closed. Where OpenGL cannot start (no
/// driver), the window opens with wgpu instead, and says so on stderr.
pub fn run(startup: Startup) -> anyhow::Result<()> {
    let first = renderer();
    match run_with(first, startup.clone()) {
        Err(
            e @ (eframe::Error::Glutin(_)
            | eframe::Error::NoGlutinConfigs(..)
            | eframe::Error::OpenGL(_)),
        ) if first == eframe::Renderer::Glow => {
            eprintln!("incident-map: OpenGL could not start ({e}); drawing with wgpu instead");
            run_with(eframe::Renderer::Wgpu, startup)
        }
        other => other,
    }
    .map_err(|e| anyhow::anyhow!("cannot open the window: {e}"))
}

fn run_with(renderer: eframe::Renderer, startup: Startup) -> eframe::Result {
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default()
            .with_title("Incident Map")
            .with_inner_size([1280.0, 800.0])
            .with_min_inner_size([720.0, 480.0])
            .with_drag_and_drop(true),
        persist_window: true,
        renderer,
        dithering: DITHERING,
        // Beside the imported gazetteers, so INCIDENT_MAP_HOME isolates everything.
        persistence_path: crate::io::dirs::data_dir().map(|d| d.join("app.ron")),
        ..Default::default()
    };
    eframe::run_native(
        "Incident Map",
        options,
        Box::new(move |cc| Ok(Box::new(App::new(cc, startup)))),
    )
}
