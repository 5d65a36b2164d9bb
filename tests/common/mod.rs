//! Helpers shared by the integration tests: where ../shared is, and running the binary.

#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output};

/// Set by .ci/run: a missing ../shared is then a failure, not a skip.
pub const REQUIRE_SHARED: &str = "INCIDENT_MAP_REQUIRE_SHARED";

/// ../shared beside the project, or None (with a note on stderr) when this clone has none.
pub fn shared_dir(test: &str) -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.join("seeds").is_dir() {
        return Some(dir);
    }
    if std::env::var_os(REQUIRE_SHARED).is_some() {
        panic!("{test}: ../shared is missing and {REQUIRE_SHARED} is set");
    }
    eprintln!("SKIPPED {test}: ../shared (reference data) is not beside this clone");
    None
}

pub fn incident_map(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .args(args)
        .output()
        .expect("the incident-map binary runs")
}

pub fn fold(s: &str) -> String {
    incident_map::engine::normalize::fold_key(s)
}
pub mod app;
pub mod invented;
pub mod tile_server;
