//! Fuzzes the .jsonl batch reader: each line is an article object or an error naming it.
#![no_main]

use incident_map::io::ingest::read_bytes;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let batch = read_bytes(Path::new("batch.jsonl"), data);
    let lines = data.split(|&b| b == b'\n').count();
    // At most one article or one error per line (a read error ends the batch with one more).
    assert!(batch.articles.len() + batch.errors.len() <= lines + 1);
    for error in &batch.errors {
        assert!(!error.reason.is_empty());
    }
});
