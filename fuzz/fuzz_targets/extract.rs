//! Fuzzes normalisation and extraction with the bundled gazetteer: the engine must not panic
//! on any text, and every span it returns must lie on character boundaries of that text.
#![no_main]

use incident_map::engine::Engine;
use incident_map::engine::gazetteer::Gazetteer;
use incident_map::engine::merge::{Apart, across_articles};
use incident_map::engine::model::{Article, Span};
use incident_map::engine::normalize::fold;
use libfuzzer_sys::fuzz_target;
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::new(Gazetteer::bundled()))
}

fn check(text: &str, span: Span, what: &str) {
    assert!(
        text.get(span.range()).is_some(),
        "{what} span {span:?} is not a slice of the text"
    );
}

fuzz_target!(|data: &[u8]| {
    let input = String::from_utf8_lossy(data);
    // An optional first line is the publication date, so dates relative to it are read too.
    let (published, text) = match input.split_once('\n') {
        Some((first, rest)) if first.len() <= 12 => (Some(first.to_string()), rest),
        _ => (None, input.as_ref()),
    };
    let folded = fold(text);
    let all = folded.original_span(0..folded.text.len());
    assert!(text.get(all).is_some(), "the offset map leaves the text");

    let half = text.len() / 2;
    let half = (0..=half).rev().find(|&i| text.is_char_boundary(i)).unwrap_or(0);
    let articles = [text, &text[half..]].map(|t| Article {
        id: format!("{}.txt", t.len()),
        source: "fuzz.txt".into(),
        title: None,
        text: t.to_string(),
        published: published.clone(),
    });
    let mut results: Vec<_> = articles.iter().map(|a| engine().extract(a)).collect();
    for (article, result) in articles.iter().zip(&results) {
        for mention in &result.mentions {
            check(&article.text, mention.span, "mention");
        }
        for incident in &result.incidents {
            for evidence in &incident.evidence {
                check(&article.text, evidence.span, "evidence");
            }
            if let Some(span) = incident.place_span {
                check(&article.text, span, "place");
            }
            if let Some(span) = incident.date_evidence {
                check(&article.text, span, "date");
            }
        }
    }
    across_articles(&mut results, Apart::default());
});
