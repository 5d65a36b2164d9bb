//! `incident-map eval` on a CSV written for this test (bundled gazetteer): the figures it prints,
//! the kinds of its misses, its ceiling (the nearest candidate of any name) and its misses file.

mod common;

use common::incident_map;
use std::path::PathBuf;

/// Four notes: one placed right, one placed at the wrong one of its two names, one naming no
/// place, one naming a village the gazetteer lacks. Extra columns are ignored; `alt` is a
/// second text column naming no place at all.
const GOLD: &str = "\
id,text,alt,gold_lat,gold_lon,comment
r1,\"On 3 March 2024, gunmen attacked soldiers in Douentza.\",Nothing.,15.0060,-2.9517,right
r2,\"On 3 March 2024, militants from Gao attacked soldiers in Douentza.\",Nothing.,16.2717,-0.0447,gold at Gao
r3,Protesters marched against the government.,Nothing.,12.6500,-8.0000,no place
r4,\"On 3 March 2024, gunmen attacked the village of Kolokoumbé.\",Nothing.,14.0000,-3.0000,unknown village
";

fn scratch(test: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("incident-map-{test}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("a scratch dir");
    dir
}

fn line<'a>(stdout: &'a str, prefix: &str) -> &'a str {
    stdout
        .lines()
        .find(|l| l.trim_start().starts_with(prefix))
        .unwrap_or_else(|| panic!("no line {prefix:?} in:\n{stdout}"))
        .trim()
}

#[test]
fn eval_prints_accuracy_the_ceiling_and_the_kinds_of_misses() {
    let dir = scratch("eval");
    let gold = dir.join("gold.csv");
    let misses = dir.join("misses.csv");
    std::fs::write(&gold, GOLD).expect("write the gold CSV");
    let out = incident_map(&[
        "eval",
        "--gold",
        gold.to_str().expect("a UTF-8 path"),
        "--misses",
        misses.to_str().expect("a UTF-8 path"),
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(
        out.status.success(),
        "{stdout}{}",
        String::from_utf8_lossy(&out.stderr)
    );

    assert_eq!(line(&stdout, "answered:"), "answered: 0.500");
    assert_eq!(line(&stdout, "acc@10km:"), "acc@10km: 0.250");
    // Gao was a candidate of r2: perfect ranking would have placed it.
    assert!(
        line(&stdout, "ceiling").ends_with("acc@10km 0.500, acc@50km 0.500"),
        "{stdout}"
    );
    assert_eq!(
        line(&stdout, "wrong place or homonym:"),
        "wrong place or homonym: 1 (1)"
    );
    assert_eq!(line(&stdout, "no place found:"), "no place found: 1 (0)");
    assert_eq!(line(&stdout, "unresolved name:"), "unresolved name: 1 (0)");

    let mut reader = csv::Reader::from_path(&misses).expect("the misses CSV");
    let headers = reader.headers().expect("a header").clone();
    let column = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name} in {headers:?}"))
    };
    let (id, kind, answer, nearest) = (
        column("id"),
        column("kind"),
        column("answer"),
        column("nearest_candidate_km"),
    );
    let rows: Vec<csv::StringRecord> = reader.records().map(|r| r.expect("a row")).collect();
    let ids: Vec<&str> = rows.iter().map(|r| &r[id]).collect();
    assert_eq!(ids, ["r2", "r3", "r4"]);
    assert_eq!(&rows[0][kind], "wrong place or homonym");
    assert_eq!(&rows[0][answer], "Douentza");
    let nearest_km: f64 = rows[0][nearest].parse().expect("a distance");
    assert!(nearest_km < 1.0, "Gao's candidate is {nearest_km} km off");
    assert_eq!(
        &rows[1][nearest], "",
        "a note naming no place has no candidate"
    );

    // Another text column: none of its notes names a place.
    let out = incident_map(&[
        "eval",
        "--gold",
        gold.to_str().expect("a UTF-8 path"),
        "--text-column",
        "alt",
    ]);
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert_eq!(line(&stdout, "answered:"), "answered: 0.000");
    assert_eq!(line(&stdout, "no place found:"), "no place found: 4 (0)");
    let _ = std::fs::remove_dir_all(&dir);
}
