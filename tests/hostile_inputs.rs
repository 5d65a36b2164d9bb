//! A hostile-input corpus, made at test time (nothing large is committed): NULs, empty and
//! 100 MB files, UTF-16 with and without BOM, Latin-1 and mixed encodings, 5,000-level nested
//! HTML, a symlink loop, bad .jsonl lines, a zip bomb, a path-traversal zip and bad GeoNames
//! files. Each bad input gets one line naming it and the reason; every readable article still
//! comes out.

mod common;

use common::incident_map;
use std::fs;
use std::io::Write;
use std::path::Path;

const ARTICLE: &str =
    "Le 7 juin 2025, des jihadistes ont attaqué le camp militaire de Tessit, tuant cinq soldats.";

fn corpus(dir: &Path) {
    let put = |name: &str, bytes: &[u8]| fs::write(dir.join(name), bytes).expect("write");
    put("nuls.txt", &[0u8; 64 * 1024]);
    put("empty.txt", b"");
    let le: Vec<u8> = ARTICLE.encode_utf16().flat_map(u16::to_le_bytes).collect();
    let be: Vec<u8> = ARTICLE.encode_utf16().flat_map(u16::to_be_bytes).collect();
    put("utf16le-nobom.txt", &le);
    put("utf16be-nobom.txt", &be);
    put("utf16le-bom.txt", &[&[0xFF, 0xFE][..], &le].concat());
    put(
        "latin1.txt",
        b"Le 8 juin 2025, l'arm\xE9e a frapp\xE9 des positions pr\xE8s de M\xE9naka.",
    );
    put(
        "mixed.txt",
        b"Le 9 juin 2025, l'arm\xC3\xA9e a frapp\xC3\xA9 Gao. L'arm\xE9e a repouss\xE9 une attaque.",
    );
    let nested = format!(
        "{}<p>{ARTICLE}</p>{}",
        "<div>".repeat(5000),
        "</div>".repeat(5000)
    );
    put("nested.html", nested.as_bytes());
    put(
        "lines.jsonl",
        format!("{{\"id\": 1, \"text\": \"{ARTICLE}\"}}\n{{not json\n\n[1, 2]\n").as_bytes(),
    );
    // 100 MB, sparse: refused on its size before a byte is read.
    let huge = fs::File::create(dir.join("huge.txt")).expect("create");
    huge.set_len(100 * 1024 * 1024).expect("size");
    // A folder that contains itself.
    let looped = dir.join("looped");
    fs::create_dir(&looped).expect("mkdir");
    fs::write(looped.join("inside.txt"), ARTICLE).expect("write");
    #[cfg(unix)]
    std::os::unix::fs::symlink(&looped, looped.join("again")).expect("symlink");
}

#[test]
fn every_hostile_input_gets_one_line_and_the_readable_ones_load() {
    let dir = tempfile::tempdir().expect("temp dir");
    corpus(dir.path());
    let out = incident_map(&[
        "extract",
        "--format",
        "jsonl",
        "--no-merge",
        &dir.path().display().to_string(),
    ]);
    assert_eq!(out.status.code(), Some(1), "{out:?}");
    let stderr = String::from_utf8_lossy(&out.stderr);
    let stdout = String::from_utf8_lossy(&out.stdout);
    // (file, reason) for each refused input: one line each.
    for (file, reason) in [
        ("nuls.txt", "binary file"),
        ("empty.txt", "empty"),
        ("huge.txt", "MB"),
        ("lines.jsonl:2", ""),
        ("lines.jsonl:4", ""),
    ] {
        let lines: Vec<&str> = stderr
            .lines()
            .filter(|l| l.contains(&format!("{file}:")) || l.contains(&format!("{file} ")))
            .collect();
        assert_eq!(lines.len(), 1, "{file} in {stderr}");
        assert!(lines[0].contains(reason), "{file}: {}", lines[0]);
    }
    // Everything readable is read: each article's incident, from every encoding.
    for source in [
        "utf16le-nobom.txt",
        "utf16be-nobom.txt",
        "utf16le-bom.txt",
        "latin1.txt",
        "mixed.txt",
        "nested.html",
        "lines.jsonl",
        "inside.txt",
    ] {
        assert!(
            stdout.lines().any(|l| l.contains(source)),
            "no incident from {source}: {stderr}"
        );
    }
    assert!(stdout.contains("Ménaka") && stdout.contains("Tessit") && stdout.contains("Gao"));
}

fn zip_with(path: &Path, name: &str, write: impl FnOnce(&mut dyn Write)) {
    let file = fs::File::create(path).expect("create");
    let mut zip = zip::ZipWriter::new(file);
    let options = zip::write::SimpleFileOptions::default()
        .compression_method(zip::CompressionMethod::Deflated)
        .large_file(true);
    zip.start_file(name, options).expect("entry");
    write(&mut zip);
    zip.finish().expect("finish");
}

#[test]
fn a_zip_bomb_and_bad_geonames_files_are_refused_with_their_reason() {
    let dir = tempfile::tempdir().expect("temp dir");
    let article = dir.path().join("a.txt");
    fs::write(&article, ARTICLE).expect("write");
    // 64 MB of zeros on one line, deflated to ~64 KB.
    let bomb = dir.path().join("ML.zip");
    zip_with(&bomb, "ML.txt", |w| {
        let block = vec![0u8; 1024 * 1024];
        for _ in 0..64 {
            w.write_all(&block).expect("write");
        }
    });
    // A valid row, in an entry named to climb out of the archive.
    let traversal = dir.path().join("traversal.zip");
    zip_with(&traversal, "../../escaped/ML.txt", |w| {
        let row = "2460596\tGao\tGao\t\t16.27\t-0.04\tP\tPPLA\tML\t\t09\t\t\t\t86633\t\t262\tAfrica/Bamako\t2020-01-01\n";
        w.write_all(row.as_bytes()).expect("write");
    });
    let columns = dir.path().join("columns.txt");
    fs::write(&columns, "1\tGao\t16.27\n").expect("write");
    let coordinates = dir.path().join("coordinates.txt");
    // 19 columns, latitude and longitude not numbers.
    let row = "1\tGao\tGao\t\tabc\txyz\tP\tPPL\tML\t\t\t\t\t\t0\t\t0\tAfrica/Bamako\t2020-01-01";
    fs::write(&coordinates, row).expect("write");
    for (gazetteer, expected) in [
        (&bomb, "a line longer than 1 MB"),
        (
            &traversal,
            "entry \"../../escaped/ML.txt\" points outside the archive; refused",
        ),
        (&columns, "columns.txt:1: expected 19 tab-separated columns"),
        (
            &coordinates,
            "coordinates.txt:1: latitude \"abc\" is not a coordinate",
        ),
    ] {
        let out = incident_map(&[
            "extract",
            "--gazetteer",
            &gazetteer.display().to_string(),
            &article.display().to_string(),
        ]);
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert_eq!(out.status.code(), Some(1), "{stderr}");
        assert_eq!(stderr.lines().count(), 1, "{stderr}");
        assert!(stderr.contains(expected), "{expected} in {stderr}");
        // The article is still extracted, with the bundled gazetteer.
        assert!(String::from_utf8_lossy(&out.stdout).contains("Tessit"));
    }
    let parent = dir.path().parent().expect("temp dir has a parent");
    assert!(!parent.join("escaped").exists() && !dir.path().join("escaped").exists());
}
