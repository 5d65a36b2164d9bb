//! Fuzzes reading one dropped file (text, Markdown or HTML): decoding, encoding detection,
//! the HTML parser. The first byte picks the file's extension.
#![no_main]

use incident_map::io::ingest::read_bytes;
use libfuzzer_sys::fuzz_target;
use std::path::Path;

fuzz_target!(|data: &[u8]| {
    let Some((&pick, body)) = data.split_first() else {
        return;
    };
    let name = ["a.txt", "a.md", "a.html", "a.htm", "2025-06-07 a.txt"][pick as usize % 5];
    let batch = read_bytes(Path::new(name), body);
    // One file gives one article or one error, never both, never neither.
    assert_eq!(batch.articles.len() + batch.errors.len(), 1);
    for article in &batch.articles {
        assert!(!article.text.trim().is_empty(), "an article with no text");
    }
});
