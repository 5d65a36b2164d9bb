//! `incident-map [FILE|DIR...]`: opens the desktop app on the workspace (the default one, or
//! `--workspace W.imap`) and those articles (the bundled samples when there are none).
//! `INCIDENT_MAP_SCREENSHOT=FILE` saves a screenshot once all is loaded and closes (after
//! dragging the map by `INCIDENT_MAP_SCREENSHOT_PAN=DX,DY` points, when set);
//! `INCIDENT_MAP_TIMING=1` prints the time to the first frame and to the incidents on screen.

use anyhow::Result;
use incident_map::ui::{self, Basemap, Startup};
use std::path::PathBuf;
use std::process::ExitCode;

pub fn run(
    inputs: Vec<PathBuf>,
    basemap: Option<&str>,
    tiles: Option<String>,
    workspace: Option<PathBuf>,
) -> Result<ExitCode> {
    let started = std::time::Instant::now();
    let startup = Startup {
        inputs,
        screenshot: std::env::var_os("INCIDENT_MAP_SCREENSHOT")
            .filter(|v| !v.is_empty())
            .map(PathBuf::from),
        screenshot_pan: std::env::var("INCIDENT_MAP_SCREENSHOT_PAN")
            .ok()
            .and_then(|v| {
                let (x, y) = v.split_once(',')?;
                Some(egui::vec2(x.trim().parse().ok()?, y.trim().parse().ok()?))
            }),
        basemap: basemap.map(|b| match b {
            "topo" => Basemap::OpenTopoMap,
            "offline" => Basemap::Offline,
            _ => Basemap::OpenStreetMap,
        }),
        tiles,
        timing: std::env::var_os("INCIDENT_MAP_TIMING").map(|_| started),
        // The one named, else the last one used, else the default one in the data folder.
        default_workspace: workspace.is_none(),
        workspace: workspace.or_else(|| {
            incident_map::io::dirs::data_dir()
                .map(|d| d.join(format!("workspace.{}", incident_map::io::store::EXTENSION)))
        }),
    };
    ui::run(startup).map_err(|e| {
        e.context(
            "with no display, `incident-map summary` and `incident-map extract` work headless",
        )
    })?;
    Ok(ExitCode::SUCCESS)
}
