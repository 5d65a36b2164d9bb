//! The invariants ARCHITECTURE.md states, checked on the source tree.

use std::fs;
use std::path::{Path, PathBuf};

fn rust_files(dir: &Path) -> Vec<PathBuf> {
    let mut out = Vec::new();
    for entry in fs::read_dir(dir).expect("read src dir").flatten() {
        let path = entry.path();
        if path.is_dir() {
            out.extend(rust_files(&path));
        } else if path.extension().is_some_and(|e| e == "rs") {
            out.push(path);
        }
    }
    out.sort();
    out
}

fn src(sub: &str) -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("src")
        .join(sub)
}

/// The code of a file before its `#[cfg(test)]` module.
fn non_test_code(path: &Path) -> String {
    let text = fs::read_to_string(path).expect("read source");
    text.split("#[cfg(test)]")
        .next()
        .unwrap_or_default()
        .to_string()
}

#[test]
fn the_engine_does_no_io_and_knows_no_ui() {
    let forbidden = [
        "egui",
        "eframe",
        "walkers",
        "rfd",
        "reqwest",
        "std::fs",
        "std::net",
        "std::env",
        "std::process",
        "std::io",
        "File::",
        "println!",
        "eprintln!",
        "crate::io",
        "crate::ui",
    ];
    for file in rust_files(&src("engine")) {
        let code = non_test_code(&file);
        for word in forbidden {
            assert!(
                !code.contains(word),
                "{} uses {word}: the engine is pure",
                file.display()
            );
        }
    }
}

#[test]
fn the_engine_has_no_unwrap_or_expect_outside_tests() {
    for file in rust_files(&src("engine")) {
        let code = non_test_code(&file);
        for word in [".unwrap()", ".expect("] {
            assert!(
                !code.contains(word),
                "{} calls {word} outside tests",
                file.display()
            );
        }
    }
}

#[test]
fn every_module_says_what_it_is_for_and_stays_small() {
    for file in rust_files(&src("")) {
        let text = fs::read_to_string(&file).expect("read source");
        assert!(
            text.starts_with("//!"),
            "{} does not open with a //! line",
            file.display()
        );
        let lines = text.lines().count();
        assert!(
            lines <= 550,
            "{} has {lines} lines; split it",
            file.display()
        );
    }
}

#[test]
fn no_module_is_named_core() {
    for file in rust_files(&src("")) {
        let name = file.file_stem().and_then(|s| s.to_str()).unwrap_or("");
        assert_ne!(
            name,
            "core",
            "{}: a module named core shadows Rust's core",
            file.display()
        );
    }
}
