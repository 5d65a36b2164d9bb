//! The data exports read back as QGIS and Google Earth read them: with GDAL's `ogrinfo`
//! (feature counts, field values, geometry), the KML parsed as XML with its time elements,
//! the CSV header against ACLED's column names. Inputs: the bundled sample articles.

mod common;

use common::incident_map;
use std::path::{Path, PathBuf};
use std::process::Command;

/// Set by .ci/run, which installs gdal-bin: a missing `ogrinfo` then fails instead of skipping.
const REQUIRE_GDAL: &str = "INCIDENT_MAP_REQUIRE_GDAL";

/// ACLED's export columns, in ACLED's order (the codebook's, 2023 on).
const ACLED_COLUMNS: [&str; 31] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "disorder_type",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "inter1",
    "actor2",
    "assoc_actor_2",
    "inter2",
    "interaction",
    "civilian_targeting",
    "iso",
    "region",
    "country",
    "admin1",
    "admin2",
    "admin3",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "source_scale",
    "notes",
    "fatalities",
    "tags",
    "timestamp",
];

fn samples() -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("assets/samples")
        .display()
        .to_string()
}

/// Extracts the samples to `dir/out.EXT` in this format; returns the file and stderr.
fn export(dir: &Path, format: &str) -> (PathBuf, String) {
    let path = dir.join(format!("out.{format}"));
    let out = incident_map(&[
        "extract",
        "--format",
        format,
        "-o",
        &path.display().to_string(),
        &samples(),
    ]);
    assert!(out.status.success(), "{format}: {out:?}");
    (path, String::from_utf8_lossy(&out.stderr).into_owned())
}

/// `ogrinfo ARGS`, or None (with a note) where GDAL is not installed.
fn ogrinfo(test: &str, args: &[&str]) -> Option<String> {
    match Command::new("ogrinfo").args(args).output() {
        Ok(out) => {
            assert!(out.status.success(), "ogrinfo {args:?}: {out:?}");
            Some(String::from_utf8_lossy(&out.stdout).into_owned())
        }
        Err(e) => {
            if std::env::var_os(REQUIRE_GDAL).is_some() {
                panic!("{test}: ogrinfo cannot run ({e}) and {REQUIRE_GDAL} is set");
            }
            eprintln!("SKIPPED {test}: GDAL's ogrinfo is not installed (apt install gdal-bin)");
            None
        }
    }
}

fn feature_count(summary: &str) -> usize {
    summary
        .lines()
        .find_map(|l| l.strip_prefix("Feature Count: "))
        .and_then(|n| n.trim().parse().ok())
        .unwrap_or_else(|| panic!("no feature count in {summary}"))
}

/// The samples' incidents as the GeoJSON gives them: (located count, unlocated count).
fn counts(dir: &Path) -> (usize, usize) {
    let (path, _) = export(dir, "geojson");
    let text = std::fs::read_to_string(path).expect("the GeoJSON");
    let json: serde_json::Value = serde_json::from_str(&text).expect("valid JSON");
    let features = json["features"].as_array().expect("features");
    let located = features.iter().filter(|f| !f["geometry"].is_null()).count();
    (located, features.len() - located)
}

#[test]
fn geopackage_opens_as_a_point_layer_with_the_fields() {
    let test = "geopackage_opens_as_a_point_layer_with_the_fields";
    let dir = tempfile::tempdir().expect("temp dir");
    let (located, unlocated) = counts(dir.path());
    assert!(
        unlocated > 0,
        "a sample names a village the gazetteer lacks"
    );
    let (path, stderr) = export(dir.path(), "gpkg");
    assert!(
        stderr.contains(&format!("{unlocated} incident(s) without a place left out")),
        "{stderr}"
    );
    let path = path.display().to_string();
    let Some(summary) = ogrinfo(test, &["-so", "-al", &path]) else {
        return;
    };
    assert!(summary.contains("Layer name: incidents"), "{summary}");
    assert!(summary.contains("Geometry: Point"), "{summary}");
    assert!(summary.contains("ID[\"EPSG\",4326]"), "{summary}");
    assert_eq!(feature_count(&summary), located);
    assert!(!summary.contains("Warning"), "{summary}");
    // One incident, field by field: the mine of the samples, "entre Ansongo et Ménaka": on the
    // way, near Ansongo (precision 2).
    let Some(row) = ogrinfo(
        test,
        &["-al", "-q", &path, "-where", "location = 'Ansongo'"],
    ) else {
        return;
    };
    for expected in [
        "event_type (String) = Explosions/Remote violence",
        "fatalities (Integer64) = 3",
        "event_date (Date) = 2025/04/29",
        "geo_precision (Integer64) = 2",
        "POINT (0.50",
    ] {
        assert!(row.contains(expected), "{expected} in {row}");
    }
}

#[test]
fn kml_is_xml_with_times_styles_and_evidence() {
    let test = "kml_is_xml_with_times_styles_and_evidence";
    let dir = tempfile::tempdir().expect("temp dir");
    let (located, _) = counts(dir.path());
    let (path, _) = export(dir.path(), "kml");
    let text = std::fs::read_to_string(&path).expect("the KML");

    // Well-formed XML, read element by element.
    let mut reader = quick_xml::Reader::from_str(&text);
    let (mut placemarks, mut times, mut styles, mut depth) = (0, 0, 0, 0i32);
    loop {
        match reader.read_event() {
            Ok(quick_xml::events::Event::Start(e)) => {
                depth += 1;
                match e.name().as_ref() {
                    b"Placemark" => placemarks += 1,
                    b"TimeStamp" | b"TimeSpan" => times += 1,
                    b"Style" => styles += 1,
                    _ => {}
                }
            }
            Ok(quick_xml::events::Event::End(_)) => depth -= 1,
            Ok(quick_xml::events::Event::Eof) => break,
            Ok(_) => {}
            Err(e) => panic!("not well-formed XML at {}: {e}", reader.buffer_position()),
        }
    }
    assert_eq!(depth, 0);
    assert_eq!(placemarks, located);
    assert_eq!(times, located, "every sample incident is dated");
    assert_eq!(styles, 7, "one style per event type, and one for unknown");
    assert!(text.contains("<TimeStamp><when>2025-04-29</when></TimeStamp>"));
    assert!(
        text.contains("<TimeSpan><begin>"),
        "week-known incidents as spans"
    );

    let Some(summary) = ogrinfo(test, &["-so", "-al", &path.display().to_string()]) else {
        return;
    };
    assert_eq!(feature_count(&summary), located);
    let Some(all) = ogrinfo(test, &["-al", "-q", &path.display().to_string()]) else {
        return;
    };
    assert!(all.contains("Air/drone strike · Inékar"), "{all}");
    assert!(all.contains("timestamp (DateTime) = 2025/04/29"), "{all}");
}

#[test]
fn csv_header_follows_acled_and_keeps_the_unlocated() {
    let test = "csv_header_follows_acled_and_keeps_the_unlocated";
    let dir = tempfile::tempdir().expect("temp dir");
    let (located, unlocated) = counts(dir.path());
    let (path, _) = export(dir.path(), "csv");
    let text = std::fs::read_to_string(&path).expect("the CSV");
    let header: Vec<&str> = text.lines().next().expect("a header").split(',').collect();
    // ACLED's columns we fill come first, named as ACLED names them and in ACLED's order.
    let ours: Vec<&str> = header
        .iter()
        .copied()
        .take_while(|c| ACLED_COLUMNS.contains(c))
        .collect();
    let positions: Vec<usize> = ours
        .iter()
        .map(|c| {
            ACLED_COLUMNS
                .iter()
                .position(|a| a == c)
                .unwrap_or(usize::MAX)
        })
        .collect();
    assert!(positions.windows(2).all(|w| w[0] < w[1]), "{ours:?}");
    for column in [
        "event_id_cnty",
        "event_date",
        "event_type",
        "actor1",
        "latitude",
        "longitude",
        "notes",
        "fatalities",
    ] {
        assert!(ours.contains(&column), "{column}");
    }
    let Some(summary) = ogrinfo(test, &["-so", "-al", &path.display().to_string()]) else {
        return;
    };
    // Every incident, the unlocated ones with empty coordinates.
    assert_eq!(feature_count(&summary), located + unlocated);
}

#[test]
fn geojson_is_read_by_gdal_with_every_incident() {
    let test = "geojson_is_read_by_gdal_with_every_incident";
    let dir = tempfile::tempdir().expect("temp dir");
    let (located, unlocated) = counts(dir.path());
    let path = dir.path().join("out.geojson").display().to_string();
    let Some(summary) = ogrinfo(test, &["-so", "-al", &path]) else {
        return;
    };
    assert_eq!(feature_count(&summary), located + unlocated);
    assert!(summary.contains("event_type: String"), "{summary}");
}

#[test]
fn a_geopackage_needs_an_output_file() {
    let out = incident_map(&["extract", "--format", "gpkg", &samples()]);
    assert_eq!(out.status.code(), Some(2));
    assert!(String::from_utf8_lossy(&out.stderr).contains("-o FILE.gpkg"));
}
