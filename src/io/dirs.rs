//! Where the app keeps its files: the tile cache (OS cache dir) and imported gazetteers (OS
//! data dir). `INCIDENT_MAP_HOME` puts both under one folder (tests, portable installs).

use std::path::PathBuf;

const APP_DIR: &str = "incident-map";

/// The folder for files that can be fetched again (map tiles).
pub fn cache_dir() -> Option<PathBuf> {
    if let Some(home) = override_home() {
        return Some(home.join("cache"));
    }
    platform_dir("XDG_CACHE_HOME", ".cache", "Library/Caches", "LOCALAPPDATA")
        .map(|d| d.join(APP_DIR))
}

/// The folder for what the analyst brought in (imported gazetteers).
pub fn data_dir() -> Option<PathBuf> {
    if let Some(home) = override_home() {
        return Some(home.join("data"));
    }
    platform_dir(
        "XDG_DATA_HOME",
        ".local/share",
        "Library/Application Support",
        "APPDATA",
    )
    .map(|d| d.join(APP_DIR))
}

fn override_home() -> Option<PathBuf> {
    std::env::var_os("INCIDENT_MAP_HOME")
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
}

fn platform_dir(xdg: &str, unix: &str, mac: &str, windows: &str) -> Option<PathBuf> {
    if cfg!(windows) {
        return std::env::var_os(windows).map(PathBuf::from);
    }
    let home = std::env::var_os("HOME").map(PathBuf::from);
    if cfg!(target_os = "macos") {
        return home.map(|h| h.join(mac));
    }
    std::env::var_os(xdg)
        .filter(|v| !v.is_empty())
        .map(PathBuf::from)
        .or_else(|| home.map(|h| h.join(unix)))
}
