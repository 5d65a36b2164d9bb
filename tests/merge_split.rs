//! The analyst merges two incidents into one and splits a merged one (the engine's merge across
//! articles or their own) back into two: a round trip gives back what the engine read, the
//! corrections outlive re-extraction, and `extract --workspace` applies them as the app does.
//! Articles written for this test (tests/fixtures/merge/): two reports of one attack at
//! Tessit, and a drone strike there the next day (another type of event: the engine keeps it
//! apart).

use incident_map::engine::Engine;
use incident_map::engine::corrections::{self, Anchor, Correction, Edit};
use incident_map::engine::gazetteer::Gazetteer;
use incident_map::engine::merge;
use incident_map::engine::model::{Article, ArticleResult, Incident};
use incident_map::io::store::{Change, Store, StoredCorrection};
use incident_map::ui::workspace::{Workspace, content_hash};

const ARTICLES: [(&str, &str); 3] = [
    ("a.txt", include_str!("fixtures/merge/a.txt")),
    ("b.txt", include_str!("fixtures/merge/b.txt")),
    ("c.txt", include_str!("fixtures/merge/c.txt")),
];

fn articles() -> Vec<Article> {
    ARTICLES
        .iter()
        .map(|(id, text)| Article {
            id: id.to_string(),
            source: id.to_string(),
            text: text.to_string(),
            published: Some("2025-06-10".into()),
            ..Default::default()
        })
        .collect()
}

fn hash_of(id: &str) -> Option<String> {
    let text = ARTICLES.iter().find(|(a, _)| *a == id)?.1;
    Some(format!("{:016x}", content_hash(text)))
}

fn id_of_hash(hash: &str) -> Option<String> {
    ARTICLES
        .iter()
        .map(|(id, _)| id.to_string())
        .find(|id| hash_of(id).as_deref() == Some(hash))
}

/// Each article read on its own, before any merge.
fn read(engine: &Engine) -> Vec<ArticleResult> {
    articles().iter().map(|a| engine.extract(a)).collect()
}

/// The anchor of an article's first incident, as the app makes it from that article's reading.
fn anchor(results: &[ArticleResult], article: usize) -> Anchor {
    let incidents = &results[article].incidents;
    corrections::anchor_of(&incidents[0], incidents, hash_of).expect("an anchor")
}

/// Merged across articles (minus the splits), then corrected: the incidents shown.
fn shown(engine: &Engine, made: &[Correction]) -> Vec<Incident> {
    let mut results = read(engine);
    merge::across_articles(&mut results, corrections::kept_apart(made, id_of_hash));
    let orphans = corrections::apply_to_results(&mut results, made, hash_of, None);
    assert!(orphans.is_empty(), "{orphans:?}");
    results.into_iter().flat_map(|r| r.incidents).collect()
}

/// Each incident's source articles.
type Sources = Vec<Vec<&'static str>>;

fn sources(incidents: &[Incident]) -> Vec<Vec<String>> {
    incidents.iter().map(|i| i.sources.clone()).collect()
}

/// The incidents without the analyst's notes, to compare with what the engine read.
fn without_notes(mut incidents: Vec<Incident>) -> Vec<Incident> {
    for i in &mut incidents {
        i.corrections.clear();
    }
    incidents
}

#[test]
fn merges_and_splits_do_what_they_say_in_any_order() {
    let engine = Engine::new(Gazetteer::bundled());
    let reports = read(&engine);
    for (article, report) in reports.iter().enumerate() {
        assert_eq!(report.incidents.len(), 1, "article {article}: {report:#?}");
    }
    let (a, b, c) = (
        anchor(&reports, 0),
        anchor(&reports, 1),
        anchor(&reports, 2),
    );
    let split_b = Correction {
        anchor: a.clone(),
        edit: Edit::Split { part: b.clone() },
    };
    let merge_c = Correction {
        anchor: a.clone(),
        edit: Edit::Merge { other: c.clone() },
    };
    let split_c = Correction {
        anchor: a.clone(),
        edit: Edit::Split { part: c.clone() },
    };
    let engine_read = shown(&engine, &[]);
    let cases: Vec<(&str, Vec<Correction>, Sources)> = vec![
        (
            "as read",
            vec![],
            vec![vec!["a.txt", "b.txt"], vec!["c.txt"]],
        ),
        (
            "the engine's merge split",
            vec![split_b.clone()],
            vec![vec!["a.txt"], vec!["b.txt"], vec!["c.txt"]],
        ),
        (
            "two incidents merged",
            vec![merge_c.clone()],
            vec![vec!["a.txt", "b.txt", "c.txt"]],
        ),
        (
            "merged then split: the merge is undone",
            vec![merge_c.clone(), split_c.clone()],
            vec![vec!["a.txt", "b.txt"], vec!["c.txt"]],
        ),
        (
            "split then merged again",
            vec![split_c, merge_c.clone()],
            vec![vec!["a.txt", "b.txt", "c.txt"]],
        ),
        (
            "split, and the split part merged back by hand",
            vec![
                split_b.clone(),
                Correction {
                    anchor: a.clone(),
                    edit: Edit::Merge { other: b.clone() },
                },
            ],
            vec![vec!["a.txt", "b.txt"], vec!["c.txt"]],
        ),
    ];
    for (name, made, expected) in cases {
        let incidents = shown(&engine, &made);
        assert_eq!(sources(&incidents), expected, "{name}");
    }

    // Merged: c's evidence, sources and id are part of a's incident, and it says so.
    let merged = shown(&engine, std::slice::from_ref(&merge_c));
    // a's sentence, b's two, c's one.
    assert_eq!(merged[0].evidence.len(), 4);
    assert_eq!(merged[0].merged_from, ["b.txt#1", "c.txt#1"]);
    assert_eq!(
        merged[0].corrections,
        [format!("merged by the analyst with {}", c.label)]
    );
    // The ACLED rule for the toll of a merged event: the lowest reported.
    assert_eq!(merged[0].fatalities, Some(2));

    // Split: b's report is its own incident again, exactly as the engine read it alone.
    let split = shown(&engine, &[split_b]);
    assert_eq!(without_notes(vec![split[1].clone()]), reports[1].incidents);
    assert_eq!(
        split[0].corrections,
        [format!("{} split off by the analyst", b.label)]
    );

    // The round trip: merged, then split, gives back the engine's reading.
    let round_trip = shown(
        &engine,
        &[
            Correction {
                anchor: a.clone(),
                edit: Edit::Merge { other: c.clone() },
            },
            Correction {
                anchor: a,
                edit: Edit::Split { part: c },
            },
        ],
    );
    assert_eq!(without_notes(round_trip), engine_read);
}

#[test]
fn the_app_workspace_splits_and_merges_again_when_the_split_is_undone() {
    let engine = Engine::new(Gazetteer::bundled());
    let reports = read(&engine);
    let mut workspace = Workspace::default();
    for (article, result) in articles().into_iter().zip(reports.clone()) {
        workspace.add(article, result);
    }
    workspace.refresh();
    let merged = workspace.incidents().to_vec();
    assert_eq!(sources(&merged).len(), 2);

    let split = Correction {
        anchor: anchor(&reports, 0),
        edit: Edit::Split {
            part: anchor(&reports, 1),
        },
    };
    workspace.set_corrections(vec![split.clone()]);
    workspace.refresh();
    assert_eq!(
        sources(workspace.incidents()),
        [vec!["a.txt"], vec!["b.txt"], vec!["c.txt"]]
    );
    assert!(
        workspace.merges().is_empty(),
        "the merge is not reported any more"
    );

    // Undone: merged again.
    workspace.set_corrections(Vec::new());
    workspace.refresh();
    assert_eq!(workspace.incidents(), merged.as_slice());

    // A split in force while the articles are added one by one (a workspace reopened).
    let mut reopened = Workspace::default();
    reopened.set_corrections(vec![split]);
    for (article, result) in articles().into_iter().zip(reports) {
        reopened.add(article, result);
    }
    reopened.refresh();
    assert_eq!(
        sources(reopened.incidents()),
        [vec!["a.txt"], vec!["b.txt"], vec!["c.txt"]]
    );
}

#[test]
fn extract_with_a_workspace_splits_and_merges_as_the_app_does() {
    let dir = tempfile::tempdir().expect("temp dir");
    let mut paths = Vec::new();
    for (id, text) in ARTICLES {
        let path = dir.path().join(id);
        std::fs::write(&path, text).expect("written");
        paths.push(path.to_string_lossy().into_owned());
    }
    let engine = Engine::new(Gazetteer::bundled());
    let reports = read(&engine);
    let (a, b, c) = (
        anchor(&reports, 0),
        anchor(&reports, 1),
        anchor(&reports, 2),
    );
    let workspace = dir.path().join("w.imap");
    let mut store = Store::create(&workspace).expect("created");
    let stored = |seq: i64, edit: Edit| {
        Change::PutCorrection(StoredCorrection {
            seq,
            at: "2026-12-05T10:00:00Z".into(),
            json: serde_json::to_string(&Correction {
                anchor: a.clone(),
                edit,
            })
            .expect("JSON"),
            undone: false,
        })
    };
    store
        .write(&[
            stored(1, Edit::Split { part: b }),
            stored(2, Edit::Merge { other: c }),
        ])
        .expect("written");
    drop(store);

    let out = std::process::Command::new(env!("CARGO_BIN_EXE_incident-map"))
        .args(["extract", "--format", "jsonl", "--workspace"])
        .arg(&workspace)
        .args(&paths)
        .output()
        .expect("the binary runs");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(out.status.success(), "{stderr}");
    assert!(!stderr.contains("merged"), "b is kept apart: {stderr}");
    let lines: Vec<serde_json::Value> = String::from_utf8_lossy(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON"))
        .collect();
    let sources: Vec<&str> = lines
        .iter()
        .map(|l| l["properties"]["source"].as_str().unwrap_or(""))
        .collect();
    assert_eq!(sources, ["a.txt; c.txt", "b.txt"], "{stderr}");
    assert_eq!(
        lines[0]["properties"]["merged_from"],
        serde_json::json!(["c.txt#1"])
    );
}

#[test]
fn the_incidents_offered_for_a_merge_are_near_in_space_and_time() {
    let engine = Engine::new(Gazetteer::bundled());
    let mut incidents = shown(&engine, &[]);
    let strike = incidents[1].clone();
    let mut far = strike.clone();
    far.id = "far".into();
    if let Some(l) = far.location.as_mut() {
        // 0.6° north: about 67 km.
        l.lat += 0.6;
    }
    let mut later = strike.clone();
    later.id = "later".into();
    later.event_date = Some("2025-06-30".into());
    let mut undated = strike.clone();
    undated.id = "undated".into();
    undated.event_date = None;
    incidents.extend([far, later, undated]);
    let offered: Vec<(&str, String)> = merge::near_in_space_and_time(&incidents[0], &incidents, 8)
        .into_iter()
        .map(|(k, why)| (incidents[k].id.as_str(), why))
        .collect();
    assert_eq!(
        offered,
        [
            (strike.id.as_str(), "0 km away, 1 day apart".to_string()),
            ("undated", "0 km away, a date unknown".to_string()),
        ]
    );
}
