//! GeoNames import: the dump as a .txt or a .zip (as geonames.org serves it), merged over the
//! bundled gazetteer; archives are read, never extracted, so entry names cannot escape.

use incident_map::engine::Engine;
use incident_map::engine::gazetteer::{Gazetteer, PlaceKind};
use incident_map::engine::model::Article;
use incident_map::io::geonames;
use std::io::Write;
use std::path::Path;

/// Rows written for this test (19 columns); the ids are GeoNames-shaped but the places invented.
const ROWS: &str = "9990001\tTinzarkoun\tTinzarkoun\tTin Zarkoun,Tinzarkun\t16.81\t-0.52\tP\tPPL\tML\t\t09\t\t\t\t0\t\t280\tAfrica/Bamako\t2020-01-01\n\
9990002\tKoubouni\tKoubouni\t\t14.20\t-3.10\tH\tWLL\tML\t\t04\t\t\t\t0\t\t280\tAfrica/Bamako\t2020-01-01\n";

fn write_zip(path: &Path, entries: &[(&str, &str)]) {
    let mut zip = zip::ZipWriter::new(std::fs::File::create(path).expect("create zip"));
    for (name, content) in entries {
        zip.start_file(*name, zip::write::SimpleFileOptions::default())
            .expect("zip entry");
        zip.write_all(content.as_bytes()).expect("zip write");
    }
    zip.finish().expect("zip finish");
}

#[test]
fn a_zip_dump_imports_like_the_txt_and_merges_over_the_bundled_gazetteer() {
    let dir = tempfile::tempdir().expect("temp dir");
    let zip_path = dir.path().join("ML.zip");
    write_zip(
        &zip_path,
        &[("readme.txt", "GeoNames readme\n"), ("ML.txt", ROWS)],
    );
    let txt_path = dir.path().join("ML.txt");
    std::fs::write(&txt_path, ROWS).expect("write txt");

    let from_zip = geonames::import(&zip_path).expect("zip imports");
    let from_txt = geonames::import(&txt_path).expect("txt imports");
    assert_eq!(from_zip, from_txt);
    assert_eq!(from_zip.len(), 2);
    assert_eq!(from_zip[1].kind, PlaceKind::Water);

    let mut gazetteer = Gazetteer::bundled();
    let before = gazetteer.len();
    gazetteer.merge(from_zip, "ML.zip");
    assert_eq!(gazetteer.len(), before + 2);
    let engine = Engine::new(gazetteer);
    let article = Article {
        id: "t".into(),
        source: "t".into(),
        text: "Des hommes armés ont attaqué le village de Tin Zarkoun.".into(),
        ..Default::default()
    };
    let incident = &engine.extract(&article).incidents[0];
    let location = incident
        .location
        .as_ref()
        .expect("located through the imported alias");
    assert_eq!(location.place.name, "Tinzarkoun");
    assert_eq!(
        location.place.admin1.as_deref(),
        Some("Gao"),
        "admin units found for imported places"
    );
}

#[test]
fn hostile_zips_get_a_clear_error_and_write_nothing() {
    let dir = tempfile::tempdir().expect("temp dir");
    let no_dump = dir.path().join("empty.zip");
    write_zip(&no_dump, &[("readme.txt", "nothing here\n")]);
    let err = geonames::import(&no_dump).unwrap_err().to_string();
    assert!(
        err.contains("empty.zip") && err.contains("no GeoNames .txt dump"),
        "{err}"
    );

    let traversal = dir.path().join("traversal.zip");
    write_zip(&traversal, &[("../../outside/ML.txt", ROWS)]);
    // Nothing would be written (entries are read in memory), but an archive made to climb out
    // of itself is refused, with the entry named.
    let err = geonames::import(&traversal).unwrap_err().to_string();
    assert!(
        err.contains("traversal.zip")
            && err.contains("\"../../outside/ML.txt\" points outside the archive"),
        "{err}"
    );
    assert!(
        !dir.path().join("../outside").exists(),
        "nothing is extracted"
    );

    let not_zip = dir.path().join("fake.zip");
    std::fs::write(&not_zip, "not a zip").expect("write");
    let err = geonames::import(&not_zip).unwrap_err().to_string();
    assert!(
        err.contains("fake.zip") && err.contains("not a readable zip"),
        "{err}"
    );
}
