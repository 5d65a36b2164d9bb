//! Files written whole or not at all: written beside under a `.partial` name, then renamed
//! over the target, so no reader ever sees half a file.

use anyhow::{Context, Result};
use std::path::{Path, PathBuf};

/// Writes `text` to `path`, whole or not at all.
pub fn write(path: &Path, text: &str) -> Result<()> {
    let partial = partial_path(path);
    let written = std::fs::write(&partial, text).and_then(|_| std::fs::rename(&partial, path));
    if written.is_err() {
        let _ = std::fs::remove_file(&partial);
    }
    written.with_context(|| format!("{}: cannot write", path.display()))
}

/// Where a file is written before it is renamed into place.
pub fn partial_path(path: &Path) -> PathBuf {
    let mut name = path.file_name().unwrap_or_default().to_os_string();
    name.push(".partial");
    path.with_file_name(name)
}
