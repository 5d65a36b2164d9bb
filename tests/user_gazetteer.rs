//! The user gazetteer from the command line: a place named once in a workspace is found by
//! every article that mentions it (Boulkessi, missing even from GeoNames, in seeds 000 and 001
//! at once); places go out as CSV or GeoJSON and come into another workspace; a workspace
//! that is not one is refused and left as it was.

mod common;

use common::incident_map;
use std::path::Path;

fn run(args: &[&str]) -> String {
    let out = incident_map(args);
    assert!(
        out.status.success(),
        "incident-map {args:?} failed: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8_lossy(&out.stdout).into_owned()
}

/// (incident id, location, lat, lon) of every incident `extract` gives, as CSV.
fn located(args: &[&str]) -> Vec<(String, String, String, String)> {
    let csv = run(args);
    let mut reader = csv::Reader::from_reader(csv.as_bytes());
    let header = reader.headers().expect("a header").clone();
    let column = |name: &str| header.iter().position(|h| h == name).expect(name);
    let (id, location, lat, lon) = (
        column("event_id_cnty"),
        column("location"),
        column("latitude"),
        column("longitude"),
    );
    reader
        .records()
        .map(|r| {
            let r = r.expect("a row");
            (
                r[id].into(),
                r[location].into(),
                r[lat].into(),
                r[lon].into(),
            )
        })
        .collect()
}

#[test]
fn boulkessi_named_once_places_the_incidents_of_seeds_000_and_001() {
    let Some(shared) = common::shared_dir("user gazetteer on the seeds") else {
        return;
    };
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = dir.path().join("w.imap");
    let w = workspace.to_str().expect("a path");
    let seeds = shared.join("seeds");
    let seeds = seeds.to_str().expect("a path");

    let before = located(&["extract", seeds, "--format", "csv"]);
    let unlocated_before: Vec<&String> = before
        .iter()
        .filter(|(id, location, ..)| {
            location.is_empty() && (id.starts_with("000_") || id.starts_with("001_"))
        })
        .map(|(id, ..)| id)
        .collect();
    assert!(
        !unlocated_before.is_empty(),
        "Boulkessi is unresolved without the user gazetteer"
    );

    let added = run(&[
        "gazetteer",
        "add",
        "Boulkessi",
        "14.80",
        "-1.32",
        "--workspace",
        w,
    ]);
    assert!(added.starts_with("user:1\tBoulkessi"), "{added}");
    let after = located(&["extract", seeds, "--format", "csv", "--workspace", w]);
    let at_boulkessi: Vec<&String> = after
        .iter()
        .filter(|(_, location, lat, lon)| {
            location == "Boulkessi" && lat == "14.80000" && lon == "-1.32000"
        })
        .map(|(id, ..)| id)
        .collect();
    for id in &unlocated_before {
        assert!(
            at_boulkessi.contains(id),
            "{id} is not at Boulkessi: {after:?}"
        );
    }
    assert!(at_boulkessi.iter().any(|id| id.starts_with("000_")));
    assert!(at_boulkessi.iter().any(|id| id.starts_with("001_")));
}

#[test]
fn places_are_listed_removed_shared_and_applied_to_any_article() {
    let dir = tempfile::tempdir().expect("temp dir");
    let article = dir.path().join("2025-05-03_attaque.txt");
    // A place no gazetteer knows (written for this test).
    std::fs::write(
        &article,
        "Des hommes armés ont attaqué le poste de Wassakoré-Nord le 3 mai 2025. \
         Trois soldats ont été tués.\n",
    )
    .expect("written");
    let article = article.to_str().expect("a path");
    let first = dir.path().join("first.imap");
    let second = dir.path().join("second.imap");
    let (w1, w2) = (
        first.to_str().expect("path"),
        second.to_str().expect("path"),
    );

    let unplaced = located(&["extract", article, "--format", "csv"]);
    assert!(
        unplaced.iter().all(|(_, location, ..)| location.is_empty()),
        "{unplaced:?}"
    );

    run(&[
        "gazetteer",
        "add",
        "Wassakoré-Nord",
        "15.1",
        "-2.5",
        "--alias",
        "Wassakore",
        "--workspace",
        w1,
    ]);
    run(&[
        "gazetteer",
        "add",
        "Tombola",
        "14.0",
        "-4.0",
        "--workspace",
        w1,
    ]);
    let list = run(&["gazetteer", "list", "--workspace", w1]);
    assert!(
        list.contains("user:1\tWassakoré-Nord (also Wassakore)\t15.10000, -2.50000"),
        "{list}"
    );
    assert!(list.contains("user:2\tTombola"), "{list}");
    run(&["gazetteer", "remove", "user:2", "--workspace", w1]);
    assert!(!run(&["gazetteer", "list", "--workspace", w1]).contains("Tombola"));

    // Shared through a file, in both formats, into a colleague's workspace.
    for name in ["places.csv", "places.geojson"] {
        let file = dir.path().join(name);
        let file = file.to_str().expect("a path");
        run(&["gazetteer", "export", file, "--workspace", w1]);
        let _ = std::fs::remove_file(&second);
        run(&["gazetteer", "import", file, "--workspace", w2]);
        let placed = located(&["extract", article, "--format", "csv", "--workspace", w2]);
        assert!(
            placed
                .iter()
                .any(|(_, location, lat, lon)| location == "Wassakoré-Nord"
                    && lat == "15.10000"
                    && lon == "-2.50000"),
            "{name}: {placed:?}"
        );
    }

    let missing = incident_map(&["gazetteer", "list"]);
    assert!(!missing.status.success());
    assert!(String::from_utf8_lossy(&missing.stderr).contains("--workspace"));
}

#[test]
fn a_file_that_is_not_a_workspace_is_refused_and_left_as_it_was() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = dir.path().join("notes.imap");
    std::fs::write(&notes, "Réunion de 10 h : points à revoir.\n").expect("written");
    let before = std::fs::read(&notes).expect("read");
    let out = incident_map(&[
        "gazetteer",
        "add",
        "X",
        "14",
        "-4",
        "--workspace",
        notes.to_str().expect("path"),
    ]);
    assert_eq!(out.status.code(), Some(2));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("notes.imap") && stderr.contains("not an Incident Map workspace"),
        "{stderr}"
    );
    assert_eq!(std::fs::read(&notes).expect("read"), before);
    assert!(Path::new(&notes).exists());
}
