//! Analyst corrections over the engine's incidents (the bundled samples): each kind of edit
//! does what it says and leaves its note; corrections outlive re-extraction (they are anchored
//! to sentences, not incident numbers); one whose incident is gone is reported as an orphan.

use incident_map::engine::Engine;
use incident_map::engine::corrections::{self, Anchor, Correction, Edit};
use incident_map::engine::gazetteer::Gazetteer;
use incident_map::engine::model::{Incident, LocationStatus};
use incident_map::samples;
use incident_map::ui::workspace::content_hash;
use std::collections::HashMap;

/// The samples' incidents, and each article id's content hash.
fn read() -> (Vec<Incident>, HashMap<String, String>) {
    let engine = Engine::new(Gazetteer::bundled());
    let articles = samples::articles();
    let hashes = articles
        .iter()
        .map(|a| (a.id.clone(), format!("{:016x}", content_hash(&a.text))))
        .collect();
    let incidents = articles
        .iter()
        .flat_map(|a| engine.extract(a).incidents)
        .collect();
    (incidents, hashes)
}

fn anchor(incident: &Incident, all: &[Incident], hashes: &HashMap<String, String>) -> Anchor {
    corrections::anchor_of(incident, all, |id| hashes.get(id).cloned()).expect("an anchor")
}

type Check = fn(&Incident) -> bool;

#[test]
fn each_edit_changes_its_field_and_says_so_and_survives_re_extraction() {
    let (incidents, hashes) = read();
    assert!(incidents.len() >= 3, "the samples give incidents");
    let cases: Vec<(Edit, Check, &str)> = vec![
        (
            Edit::PlaceHere {
                lat: 14.8,
                lon: -1.32,
                name: Some("Camp".into()),
            },
            |i| {
                i.location.as_ref().is_some_and(|l| {
                    (l.lat, l.lon, l.geo_precision) == (14.8, -1.32, 1) && l.place.name == "Camp"
                }) && i.status == LocationStatus::Located
            },
            "place set by the analyst",
        ),
        (
            Edit::Date {
                date: Some("2025-06-07".into()),
                precision: Some(2),
            },
            |i| i.event_date.as_deref() == Some("2025-06-07") && i.time_precision == Some(2),
            "date set by the analyst",
        ),
        (
            Edit::EventType {
                event_type: Some("Riots".into()),
                sub_event_type: Some("Violent demonstration".into()),
            },
            |i| i.event_type.as_deref() == Some("Riots"),
            "event type set by the analyst",
        ),
        (
            Edit::Actors {
                actor1: Some("Wagner Group".into()),
                actor2: None,
            },
            |i| i.actor1.as_deref() == Some("Wagner Group") && i.actor2.is_none(),
            "actors set by the analyst",
        ),
        (
            Edit::Fatalities {
                fatalities: Some(12),
            },
            |i| i.fatalities == Some(12),
            "fatalities set by the analyst",
        ),
    ];
    for (edit, check, note) in cases {
        let target = &incidents[1];
        let correction = Correction {
            anchor: anchor(target, &incidents, &hashes),
            edit: edit.clone(),
        };
        // Applied to this reading, and to a new one (as after an engine upgrade).
        for mut read in [incidents.clone(), read().0] {
            let orphans = corrections::apply(
                &mut read,
                std::slice::from_ref(&correction),
                |id| hashes.get(id).cloned(),
                None,
            );
            assert!(orphans.is_empty(), "{edit:?}: {orphans:?}");
            let corrected = read
                .iter()
                .find(|i| i.id == target.id)
                .expect("still there");
            assert!(check(corrected), "{edit:?} not applied: {corrected:?}");
            assert!(
                corrected.corrections.iter().any(|c| c.starts_with(note)),
                "{:?}",
                corrected.corrections
            );
            let others = read.iter().filter(|i| i.id != target.id);
            assert!(others.clone().all(|i| i.corrections.is_empty()));
            assert_eq!(others.count(), incidents.len() - 1);
        }
    }
}

#[test]
fn not_an_incident_takes_it_out_and_later_corrections_of_it_do_nothing() {
    let (mut incidents, hashes) = read();
    let before = incidents.len();
    let target = incidents[0].clone();
    let anchor = anchor(&target, &incidents, &hashes);
    let list = [
        Correction {
            anchor: anchor.clone(),
            edit: Edit::NotAnIncident,
        },
        Correction {
            anchor,
            edit: Edit::Fatalities {
                fatalities: Some(3),
            },
        },
    ];
    let orphans = corrections::apply(&mut incidents, &list, |id| hashes.get(id).cloned(), None);
    assert!(orphans.is_empty());
    assert_eq!(incidents.len(), before - 1);
    assert!(incidents.iter().all(|i| i.id != target.id));
}

#[test]
fn a_correction_whose_incident_is_gone_is_reported_not_dropped() {
    let (mut incidents, hashes) = read();
    let target = incidents[0].clone();
    let mut anchor = anchor(&target, &incidents, &hashes);
    // The sentence is no longer in the article (it was edited, or the engine no longer reads
    // an incident there).
    anchor.sentence.push_str(" (texte modifié)");
    let list = [Correction {
        anchor,
        edit: Edit::NotAnIncident,
    }];
    let orphans = corrections::apply(&mut incidents, &list, |id| hashes.get(id).cloned(), None);
    assert_eq!(orphans.len(), 1);
    assert_eq!(orphans[0].index, 0);
    assert_eq!(orphans[0].label, corrections::label_of(&target));
    assert_eq!(incidents.len(), read().0.len(), "nothing else changed");
}

#[test]
fn extract_with_a_workspace_applies_its_corrections_and_names_those_left_over() {
    use incident_map::io::store::{Change, Store, StoredCorrection};
    let dir = tempfile::tempdir().expect("temp dir");
    let text = "Le 3 mai 2025, des hommes armés ont attaqué un poste de l'armée à Ségou, tuant \
                trois soldats.\n";
    let article = dir.path().join("2025-05-04_segou.txt");
    std::fs::write(&article, text).expect("written");
    let article = article.to_str().expect("a path");
    let run = |args: &[&str]| {
        std::process::Command::new(env!("CARGO_BIN_EXE_incident-map"))
            .args(args)
            .output()
            .expect("the binary runs")
    };
    let read = run(&["extract", article, "--format", "jsonl"]);
    let first: serde_json::Value = serde_json::from_slice(
        read.stdout
            .split(|b| *b == b'\n')
            .next()
            .expect("an incident"),
    )
    .expect("JSON");
    let sentence = first["properties"]["evidence"][0]["sentence"]
        .as_str()
        .expect("its sentence")
        .to_string();
    assert_eq!(first["properties"]["fatalities"], 3);

    let anchor = Anchor {
        article_hash: format!("{:016x}", content_hash(text)),
        sentence: sentence.clone(),
        nth: 0,
        label: "Battles, Ségou, 2025-05-03".into(),
    };
    let gone = Anchor {
        sentence: format!("{sentence} (une phrase qui n'existe plus)"),
        label: "Riots, Gao, 2025-05-01".into(),
        ..anchor.clone()
    };
    let stored = |seq: i64, anchor: Anchor, undone: bool| {
        let correction = Correction {
            anchor,
            edit: Edit::Fatalities {
                fatalities: Some(7 + seq as u32),
            },
        };
        Change::PutCorrection(StoredCorrection {
            seq,
            at: "2026-11-22T10:00:00Z".into(),
            json: serde_json::to_string(&correction).expect("JSON"),
            undone,
        })
    };
    let workspace = dir.path().join("w.imap");
    let mut store = Store::create(&workspace).expect("created");
    store
        .write(&[
            stored(0, anchor.clone(), false),
            stored(1, gone, false),
            // Undone: not in force.
            stored(2, anchor, true),
        ])
        .expect("written");
    drop(store);

    let corrected = run(&[
        "extract",
        article,
        "--format",
        "jsonl",
        "--workspace",
        workspace.to_str().expect("a path"),
    ]);
    let stderr = String::from_utf8_lossy(&corrected.stderr);
    let first: serde_json::Value = serde_json::from_slice(
        corrected
            .stdout
            .split(|b| *b == b'\n')
            .next()
            .expect("an incident"),
    )
    .expect("JSON");
    assert_eq!(first["properties"]["fatalities"], 7, "{stderr}");
    assert_eq!(
        first["properties"]["corrections"],
        "fatalities set by the analyst (was 3)"
    );
    assert!(
        stderr.contains("a correction of Riots, Gao, 2025-05-01 was not applied"),
        "{stderr}"
    );
}
