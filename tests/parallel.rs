//! Extraction runs across all cores (rayon) and gives exactly the serial result: the same
//! incidents, merges and order, whatever the number of threads.

mod common;

use common::shared_dir;
use std::path::PathBuf;
use std::process::Command;

fn extract_with_threads(threads: usize, inputs: &[String]) -> Vec<u8> {
    let out = Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .env("RAYON_NUM_THREADS", threads.to_string())
        .args(["extract", "--format", "geojson", "--mentions"])
        .args(inputs)
        .output()
        .expect("the binary runs");
    assert!(out.status.success(), "{out:?}");
    out.stdout
}

#[test]
fn parallel_extraction_is_the_serial_one() {
    let root = PathBuf::from(env!("CARGO_MANIFEST_DIR"));
    let mut inputs = vec![
        root.join("assets/samples").display().to_string(),
        root.join("tests/fixtures/timeline").display().to_string(),
    ];
    if let Some(shared) = shared_dir("parallel_extraction_is_the_serial_one (seeds part)") {
        inputs.push(shared.join("seeds").display().to_string());
    }
    let serial = extract_with_threads(1, &inputs);
    assert!(serial.len() > 1000);
    for threads in [2, 4] {
        assert!(
            extract_with_threads(threads, &inputs) == serial,
            "{threads} threads gave another output than one"
        );
    }
}
