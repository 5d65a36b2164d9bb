//! Acceptance: `incident-map extract` on the five seed articles, scored by ../shared/gold/seeds.json
//! (read its `about`): at least 9 of the 10 gold incidents matched one-to-one, and nothing pinned
//! on a must-not-locate place; with the bundled gazetteer alone and with GeoNames ML.txt.

mod common;

use common::{fold, incident_map, shared_dir};
use incident_map::engine::geo::distance_km;
use serde_json::Value;
use std::path::Path;

struct Score {
    matched: usize,
    total: usize,
    report: Vec<String>,
}

/// Whether feature `f` is an acceptable answer for gold incident `g`.
fn fits(f: &Value, g: &Value) -> bool {
    let p = &f["properties"];
    if let Some([lon, lat]) = f["geometry"]["coordinates"]
        .as_array()
        .map(|c| [c[0].as_f64(), c[1].as_f64()])
    {
        let (Some(lon), Some(lat)) = (lon, lat) else {
            return false;
        };
        return g["accept"].as_array().into_iter().flatten().any(|a| {
            let (alat, alon, radius) = (
                a[0].as_f64().unwrap_or(0.0),
                a[1].as_f64().unwrap_or(0.0),
                a[2].as_f64().unwrap_or(0.0),
            );
            distance_km((lat, lon), (alat, alon)) <= radius
        });
    }
    let named = p["place_mention"].as_str().map(fold).unwrap_or_default();
    g["unlocated_ok"].as_bool() == Some(true)
        && !named.is_empty()
        && g["place"]
            .as_str()
            .unwrap_or("")
            .split('/')
            .any(|part| fold(part.trim()) == named)
}

/// Maximum one-to-one matching of gold incidents to features (augmenting paths).
fn max_matching(gold: &[Value], features: &[&Value]) -> usize {
    fn augment(
        g: usize,
        gold: &[Value],
        features: &[&Value],
        owner: &mut Vec<Option<usize>>,
        seen: &mut Vec<bool>,
    ) -> bool {
        for f in 0..features.len() {
            if !seen[f] && fits(features[f], &gold[g]) {
                seen[f] = true;
                if owner[f].is_none_or(|o| augment(o, gold, features, owner, seen)) {
                    owner[f] = Some(g);
                    return true;
                }
            }
        }
        false
    }
    let mut owner = vec![None; features.len()];
    (0..gold.len())
        .filter(|&g| {
            augment(
                g,
                gold,
                features,
                &mut owner,
                &mut vec![false; features.len()],
            )
        })
        .count()
}

fn score(shared: &Path, extra: &[&str]) -> Score {
    let seeds = shared.join("seeds");
    let mut args = vec!["extract", "--format", "geojson"];
    args.extend_from_slice(extra);
    let seeds_arg = seeds.to_string_lossy().into_owned();
    args.push(&seeds_arg);
    let out = incident_map(&args);
    assert!(
        out.status.success(),
        "extract failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    let collection: Value = serde_json::from_slice(&out.stdout).expect("GeoJSON output");
    assert_eq!(collection["type"], "FeatureCollection");
    let features = collection["features"].as_array().expect("features");

    let gold: Value = serde_json::from_str(
        &std::fs::read_to_string(shared.join("gold/seeds.json")).expect("gold"),
    )
    .expect("gold JSON");
    let mut result = Score {
        matched: 0,
        total: 0,
        report: Vec::new(),
    };
    for (file, article) in gold["articles"].as_object().expect("articles") {
        let text = std::fs::read_to_string(seeds.join(file)).expect("seed text");
        let mine: Vec<&Value> = features
            .iter()
            .filter(|f| f["properties"]["source"] == file.as_str())
            .collect();
        for f in &mine {
            let notes = f["properties"]["notes"].as_str().unwrap_or("");
            for e in f["properties"]["evidence"].as_array().into_iter().flatten() {
                let sentence = e["sentence"].as_str().unwrap_or("");
                assert!(
                    !sentence.is_empty() && text.contains(sentence),
                    "{file}: evidence is not in the article: {sentence:?}"
                );
            }
            assert!(!notes.is_empty(), "{file}: incident without notes");
            if let Some(c) = f["geometry"]["coordinates"].as_array() {
                let (lon, lat) = (c[0].as_f64().unwrap_or(0.0), c[1].as_f64().unwrap_or(0.0));
                for bad in article["must_not_locate"].as_array().into_iter().flatten() {
                    let (blat, blon, radius) = (
                        bad[1].as_f64().unwrap_or(0.0),
                        bad[2].as_f64().unwrap_or(0.0),
                        bad[3].as_f64().unwrap_or(0.0),
                    );
                    assert!(
                        distance_km((lat, lon), (blat, blon)) > radius,
                        "{file}: incident pinned on must-not-locate {}: {}",
                        bad[0],
                        f["properties"]
                    );
                }
            }
        }
        let gold_incidents = article["incidents"].as_array().expect("incidents");
        let matched = max_matching(gold_incidents, &mine);
        result.matched += matched;
        result.total += gold_incidents.len();
        result.report.push(format!(
            "{file}: {matched}/{} matched, {} incidents",
            gold_incidents.len(),
            mine.len()
        ));
    }
    result
}

fn check(extra: &[&str], label: &str) {
    let Some(shared) = shared_dir(label) else {
        return;
    };
    let mut extra_args: Vec<String> = Vec::new();
    for a in extra {
        extra_args.push(a.replace("{shared}", &shared.to_string_lossy()));
    }
    let refs: Vec<&str> = extra_args.iter().map(String::as_str).collect();
    let s = score(&shared, &refs);
    eprintln!("{label}:\n  {}", s.report.join("\n  "));
    assert!(
        s.matched >= 9,
        "{label}: only {}/{} gold incidents matched:\n{}",
        s.matched,
        s.total,
        s.report.join("\n")
    );
}

#[test]
fn seeds_match_gold_with_the_bundled_gazetteer() {
    check(&[], "seeds_match_gold_with_the_bundled_gazetteer");
}

#[test]
fn seeds_match_gold_with_geonames_ml_txt() {
    check(
        &["--gazetteer", "{shared}/gazetteer/ML.txt"],
        "seeds_match_gold_with_geonames_ml_txt",
    );
}
