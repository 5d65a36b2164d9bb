//! Bad inputs each get a one-line error naming the file, and the rest of the batch still comes
//! out: binary, empty, 50 MB, Latin-1, HTML with script, malformed .jsonl line, bad GeoNames file.

mod common;

use common::incident_map;
use serde_json::Value;
use std::fs;
use std::path::Path;

const GOOD: &str =
    "Des hommes armés ont attaqué le poste de gendarmerie de Niono dans la nuit de samedi.";

fn write(dir: &Path, name: &str, bytes: &[u8]) {
    fs::write(dir.join(name), bytes).expect("write fixture");
}

fn batch(dir: &Path) {
    write(dir, "good.txt", GOOD.as_bytes());
    write(
        dir,
        "binary.txt",
        &[0x89, b'P', b'N', b'G', 0, 0, 0, 0x0d, 1, 2, 3, 0, 255, 254],
    );
    write(dir, "empty.txt", b"");
    let mut big = Vec::with_capacity(50 * 1024 * 1024);
    while big.len() < 50 * 1024 * 1024 {
        big.extend_from_slice(b"Une ligne de texte sans importance pour remplir le fichier.\n");
    }
    write(dir, "huge.txt", &big);
    write(dir, "latin1.txt", b"L'arm\xE9e malienne a repouss\xE9 une attaque contre le camp de Tessalit, selon l'\xE9tat-major.");
    write(
        dir,
        "page.html",
        b"<html><head><title>Gao</title><script>var x = 'attaque \xC3\xA0 Kidal';</script></head><body><p>Des jihadistes ont attaqu\xC3\xA9 un convoi pr\xC3\xA8s de Gao.</p></body></html>",
    );
    write(
        dir,
        "batch.jsonl",
        b"{\"id\": \"a\", \"text\": \"Une embuscade a vis\xC3\xA9 des soldats pr\xC3\xA8s de Douentza.\"}\n{\"id\": \"b\", \"text\": \n{\"id\": \"c\", \"text\": \"Des frappes a\xC3\xA9riennes ont touch\xC3\xA9 Ber.\"}\n",
    );
}

#[test]
fn each_bad_input_gets_one_line_and_the_rest_still_loads() {
    let dir = tempfile::tempdir().expect("temp dir");
    batch(dir.path());
    let bad_gazetteer = dir.path().join("not-geonames.csv");
    fs::write(&bad_gazetteer, "name,lat,lon\nGao,16.27,-0.04\n").expect("write");
    let out = incident_map(&[
        "extract",
        "--format",
        "jsonl",
        "--gazetteer",
        &bad_gazetteer.to_string_lossy(),
        &dir.path().to_string_lossy(),
    ]);
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(
        out.status.code(),
        Some(1),
        "some inputs failed: exit 1\n{stderr}"
    );

    let expected = [
        ("binary.txt", "binary file"),
        ("empty.txt", "empty file"),
        ("huge.txt", "single articles over 16 MB are refused"),
        ("batch.jsonl:2", "invalid JSON line"),
        ("not-geonames.csv:1", "expected 19 tab-separated columns"),
    ];
    let lines: Vec<&str> = stderr.lines().collect();
    assert_eq!(
        lines.len(),
        expected.len(),
        "one line per bad input:\n{stderr}"
    );
    for (file, reason) in expected {
        assert!(
            lines.iter().any(|l| l.contains(file) && l.contains(reason)),
            "no line for {file} ({reason}):\n{stderr}"
        );
    }

    let incidents: Vec<Value> = stdout
        .lines()
        .map(|l| serde_json::from_str(l).expect("JSON line"))
        .collect();
    let sources: Vec<&str> = incidents
        .iter()
        .filter_map(|i| i["properties"]["source"].as_str())
        .collect();
    for good in ["good.txt", "latin1.txt", "page.html", "batch.jsonl"] {
        assert!(
            sources.contains(&good),
            "{good} gave no incident: {sources:?}"
        );
    }
    let latin1 = incidents
        .iter()
        .find(|i| i["properties"]["source"] == "latin1.txt")
        .expect("latin1 incident");
    assert!(
        latin1["properties"]["notes"]
            .as_str()
            .unwrap_or("")
            .contains("L'armée malienne a repoussé"),
        "decoded as Windows-1252"
    );
    let html = incidents
        .iter()
        .find(|i| i["properties"]["source"] == "page.html")
        .expect("html incident");
    assert_eq!(
        html["properties"]["location"], "Gao",
        "script text (Kidal) is not read"
    );
    assert_eq!(
        incidents
            .iter()
            .filter(|i| i["properties"]["source"] == "batch.jsonl")
            .count(),
        2,
        "the good .jsonl lines load"
    );
}

#[test]
fn a_missing_input_is_an_error_line_and_the_exit_status_is_1() {
    let dir = tempfile::tempdir().expect("temp dir");
    write(dir.path(), "good.txt", GOOD.as_bytes());
    let missing = dir.path().join("missing.txt");
    let out = incident_map(&[
        "extract",
        &missing.to_string_lossy(),
        &dir.path().join("good.txt").to_string_lossy(),
    ]);
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert_eq!(stderr.lines().count(), 1, "{stderr}");
    assert!(stderr.contains("missing.txt"));
    let collection: Value = serde_json::from_slice(&out.stdout).expect("GeoJSON still written");
    assert_eq!(collection["features"].as_array().map(Vec::len), Some(1));
}

#[test]
fn usage_errors_exit_with_2() {
    assert_eq!(incident_map(&["extract"]).status.code(), Some(2));
    assert_eq!(
        incident_map(&["extract", "--format", "shp", "x.txt"])
            .status
            .code(),
        Some(2)
    );
}
