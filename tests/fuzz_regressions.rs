//! One test per crash the fuzzers in fuzz/ found, named after the bug, on a minimal input that
//! reproduced it (the fuzzers' own artifacts are not kept).

use incident_map::engine::Engine;
use incident_map::engine::gazetteer::Gazetteer;
use incident_map::engine::model::Article;
use incident_map::io::ingest::{iso_date_in, read_bytes};
use std::path::Path;

/// fuzz target `jsonl` and `ingest`: a date-shaped run of bytes with a multibyte character
/// inside ("1234-1é12") was sliced at byte 5..7, through the "é", and panicked.
#[test]
fn a_date_scan_sliced_through_a_multibyte_character() {
    assert_eq!(iso_date_in("1234-1é12"), None);
    assert_eq!(
        iso_date_in("2025-06-0é 2025-06-07"),
        Some("2025-06-07".into())
    );
    let line = r#"{"id": "a", "text": "Une attaque a visé Tessit.", "date": "1234-1é12"}"#;
    let batch = read_bytes(Path::new("batch.jsonl"), line.as_bytes());
    assert_eq!(batch.articles.len(), 1, "{:?}", batch.errors);
    assert_eq!(batch.articles[0].published, None);
    let page = r#"<html><head><meta property="article:published_time" content="2025-1é-07">
        </head><body><p>Une attaque a visé Tessit.</p></body></html>"#;
    let batch = read_bytes(Path::new("page.html"), page.as_bytes());
    assert_eq!(batch.articles.len(), 1, "{:?}", batch.errors);
    assert_eq!(batch.articles[0].published, None);
    let batch = read_bytes(Path::new("1234-1é12 note.txt"), "Tessit".as_bytes());
    assert_eq!(batch.articles[0].published, None);
}

/// fuzz target `extract`: a place name joined to another by a non-breaking hyphen (U+2011,
/// three bytes: "Gao‑Ansongo") was sliced one byte past the hyphen's start, and panicked.
/// It must read exactly as the same text with an ASCII hyphen does.
#[test]
fn a_non_breaking_hyphen_after_or_before_a_place_name_was_sliced_through() {
    let engine = Engine::new(Gazetteer::bundled());
    let read = |text: &str| {
        let article = Article {
            id: "a.txt".into(),
            source: "a.txt".into(),
            text: text.into(),
            ..Article::default()
        };
        let result = engine.extract(&article);
        let names: Vec<(String, String)> = result
            .mentions
            .iter()
            .map(|m| (m.text.replace('‑', "-"), format!("{:?}", m.status)))
            .collect();
        (names, result.incidents.len())
    };
    let text = "Le 3 mai 2025, des jihadistes ont attaqué un convoi sur l'axe Gao‑Ansongo, \
                puis près de Ansongo‑Ménaka, tuant deux soldats.";
    let with_nb_hyphen = read(text);
    assert_eq!(with_nb_hyphen, read(&text.replace('‑', "-")));
    assert!(
        with_nb_hyphen.1 >= 1,
        "the attack is still read: {with_nb_hyphen:?}"
    );
}
