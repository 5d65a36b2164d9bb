//! Data-driven engine tests: sentences written for these tests (tests/fixtures/engine_cases.json)
//! and the incidents and mentions expected from them, with the bundled gazetteer.

use incident_map::engine::Engine;
use incident_map::engine::gazetteer::Gazetteer;
use incident_map::engine::model::{Article, MentionStatus};
use serde_json::Value;

#[test]
fn engine_cases() {
    let cases: Vec<Value> = serde_json::from_str(include_str!("fixtures/engine_cases.json"))
        .expect("valid fixture JSON");
    let engine = Engine::new(Gazetteer::bundled());
    let mut failures = Vec::new();
    for case in &cases {
        let name = case["name"].as_str().unwrap_or("?");
        let text = case["text"].as_str().unwrap_or("");
        let article = Article {
            id: name.into(),
            source: "case".into(),
            text: text.into(),
            ..Default::default()
        };
        let result = engine.extract(&article);
        let mentions: Vec<&str> = result.mentions.iter().map(|m| m.text.as_str()).collect();
        let mut fail = |what: String| failures.push(format!("{name}: {what}"));

        if let Some(expected) = case["incidents"].as_array() {
            if expected.len() != result.incidents.len() {
                fail(format!(
                    "{} incidents, expected {}: {:#?}",
                    result.incidents.len(),
                    expected.len(),
                    result.incidents
                ));
                continue;
            }
            for (want, got) in expected.iter().zip(&result.incidents) {
                let props = incident_map::io::export::properties(got);
                for (key, value) in want.as_object().into_iter().flatten() {
                    let actual = if key == "location_country" {
                        props["country"].clone()
                    } else {
                        props.get(key).cloned().unwrap_or(Value::Null)
                    };
                    if &actual != value {
                        fail(format!("{key} = {actual}, expected {value}"));
                    }
                }
            }
        }
        for want in case["mentions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if !mentions.iter().any(|m| m.starts_with(want)) {
                fail(format!("no mention {want:?} in {mentions:?}"));
            }
        }
        for unwanted in case["not_mentions"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            if mentions.contains(&unwanted) {
                fail(format!("unexpected mention {unwanted:?}"));
            }
        }
        for want in case["unresolved"]
            .as_array()
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
        {
            let ok = result
                .mentions
                .iter()
                .any(|m| m.text == want && m.status == MentionStatus::Unresolved);
            if !ok {
                fail(format!("{want:?} is not an unresolved mention"));
            }
        }
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

#[test]
fn no_input_makes_the_engine_panic() {
    let engine = Engine::new(Gazetteer::bundled());
    let nasty = [
        "",
        " ",
        "\n\n\n",
        "é",
        "(",
        ")",
        "((((",
        "à",
        "à ",
        "de ",
        "camp de ",
        "cercle de (",
        "Gao (",
        "Gao (,",
        "Gao (Bourem, ",
        "à 50 km de",
        "à une",
        "\u{0301}Gao",
        "Ɲafunke",
        "ﬁ Gao",
        "GAO – – KIDAL",
        "Kidal-",
        "-Kidal",
        "near ",
        "in the village of",
        "’’’",
        "...",
        "Mopti.Sévaré",
        "İstanbul à Gao",
        "\u{FEFF}Tombouctou",
    ];
    for text in nasty {
        let article = Article {
            id: "x".into(),
            source: "x".into(),
            text: text.into(),
            ..Default::default()
        };
        let _ = engine.extract(&article);
    }
}

/// Random texts built from place names, cue words, punctuation and odd characters.
#[test]
fn random_texts_never_make_the_engine_panic() {
    let words = [
        "Gao",
        "Kidal",
        "Bamako",
        "cercle",
        "de",
        "région",
        "(",
        ")",
        ",",
        ".",
        "à",
        "50",
        "km",
        "au",
        "nord",
        "l'est",
        "near",
        "in",
        "the",
        "village",
        "of",
        "camp",
        "Jama'at",
        "attaque",
        "frappes",
        "Niger",
        "fleuve",
        "-",
        "–",
        "’",
        "é",
        "\u{0301}",
        "\n",
        "  ",
        "Ɲafunke",
        "Sikasso",
        "Region",
        "depuis",
        "2012",
        "Photo",
        ":",
        "|",
        "entre",
        "et",
        "Tin-Essako",
        "\u{FEFF}",
        "🙂",
        "İ",
        "ß",
        "ﬁ",
        "«",
        "»",
        "[",
        "]",
        "Boulkessi",
        "Douna",
        "Mopti",
        "Sévaré",
        "en",
        "provenance",
        "Côte",
        "d'Ivoire",
    ];
    let engine = Engine::new(Gazetteer::bundled());
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    for _ in 0..3000 {
        let mut text = String::new();
        let len = (state % 40) as usize;
        for _ in 0..len {
            state ^= state << 13;
            state ^= state >> 7;
            state ^= state << 17;
            text.push_str(words[(state % words.len() as u64) as usize]);
            if !state.is_multiple_of(3) {
                text.push(' ');
            }
        }
        let article = Article {
            id: "r".into(),
            source: "r".into(),
            text,
            ..Default::default()
        };
        let result = engine.extract(&article);
        for incident in &result.incidents {
            for e in &incident.evidence {
                assert_eq!(
                    article.text.get(e.span.range()),
                    Some(e.sentence.as_str()),
                    "evidence spans point into the text"
                );
            }
        }
        for m in &result.mentions {
            assert!(
                article.text.get(m.span.range()).is_some(),
                "mention spans are valid: {:?}",
                article.text
            );
        }
    }
}
