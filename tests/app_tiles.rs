//! Map tiles, with a real HTTP server on 127.0.0.1: tiles are drawn when it serves them, drawn
//! again from the disk cache once it has stopped; with no server at all the Offline basemap
//! shows and the status bar says the tiles are unreachable. And tiles from a local PMTiles
//! archive, written by the test.

mod common;

use common::app::{app_with, settle};
use common::tile_server::{TILE, TileServer, tile_png};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use incident_map::ui::{App, Startup};
use std::net::TcpListener;
use std::sync::atomic::Ordering;
use std::time::{Duration, Instant};

fn app_on(url: &str) -> Harness<'static, App> {
    app_with(Startup {
        tiles: Some(url.to_string()),
        ..Default::default()
    })
}

/// Steps until `done` holds (tiles arrive on their own threads), for at most 30 s.
fn step_until(harness: &mut Harness<'static, App>, done: impl Fn(&App) -> bool) {
    let deadline = Instant::now() + Duration::from_secs(30);
    while !done(harness.state()) {
        assert!(Instant::now() < deadline, "timed out waiting on the tiles");
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    harness.run_steps(3);
}

/// The tiles loaded once none has arrived for half a second (at most 30 s), the frame drawn
/// with that count.
fn loaded_when_quiet(harness: &mut Harness<'static, App>) -> usize {
    let loaded = |h: &Harness<'static, App>| h.state().tile_health().map_or(0, |t| t.loaded);
    let deadline = Instant::now() + Duration::from_secs(30);
    let mut count = loaded(harness);
    let mut since = Instant::now();
    while since.elapsed() < Duration::from_millis(500) {
        assert!(Instant::now() < deadline, "tiles kept arriving for 30 s");
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
        if loaded(harness) != count {
            count = loaded(harness);
            since = Instant::now();
        }
    }
    harness.run_steps(2);
    loaded(harness)
}

/// Share of the rendered window in `colour`.
fn share_of(harness: &mut Harness<'static, App>, colour: [u8; 3]) -> f64 {
    let image = harness.render().expect("the frame renders");
    let hits = image
        .pixels()
        .filter(|p| (0..3).all(|k| p.0[k].abs_diff(colour[k]) <= 3))
        .count();
    hits as f64 / (image.width() * image.height()) as f64
}

#[test]
fn tiles_are_drawn_then_come_from_the_cache_when_the_server_is_gone() {
    let mut server = TileServer::start();
    let mut harness = app_on(&server.url);
    settle(&mut harness);
    step_until(&mut harness, |app| {
        app.tile_health().is_some_and(|h| h.loaded >= 4)
    });
    assert!(server.requests.load(Ordering::SeqCst) >= 4);
    let drawn = share_of(&mut harness, TILE);
    assert!(drawn > 0.3, "tiles cover the map: {drawn:.2} of the window");
    // The status bar counts them; the map credits the server by its host. (Regression: tiles
    // still arriving between the last frame and the count read made the label one frame
    // behind, "14 loaded" for 16: count once no tile has come for half a second.)
    let loaded = loaded_when_quiet(&mut harness);
    harness.get_by_label(&format!("Tiles: {loaded} loaded"));
    let host = server.url.split('/').nth(2).expect("a host");
    harness.get_by_label_contains(&format!("Tiles: {host}"));
    drop(harness);

    server.stop();
    let served = server.requests.load(Ordering::SeqCst);
    let mut harness = app_on(&server.url);
    settle(&mut harness);
    step_until(&mut harness, |app| {
        app.tile_health().is_some_and(|h| h.loaded >= 4)
    });
    let drawn = share_of(&mut harness, TILE);
    assert!(
        drawn > 0.3,
        "cached tiles cover the map: {drawn:.2} of the window"
    );
    assert_eq!(
        server.requests.load(Ordering::SeqCst),
        served,
        "nothing was asked of the server"
    );
}

#[test]
fn with_no_server_the_offline_basemap_shows_and_the_status_says_why() {
    // A port nothing listens on: bound, then released.
    let port = TcpListener::bind("127.0.0.1:0")
        .and_then(|l| l.local_addr())
        .map(|a| a.port())
        .expect("a free port");
    let url = format!("http://127.0.0.1:{port}/nothing/{{z}}/{{x}}/{{y}}.png");
    let mut harness = app_on(&url);
    settle(&mut harness);
    step_until(&mut harness, |app| {
        app.tile_health().is_some_and(|h| h.failing)
    });
    harness.get_by_label_contains("Tiles unreachable");
    // Mali's land colour of the Offline basemap fills much of the map.
    let land = share_of(&mut harness, [0xF6, 0xF1, 0xE6]);
    assert!(
        land > 0.15,
        "the Offline basemap shows: {land:.2} of the window"
    );
}

fn varint(out: &mut Vec<u8>, mut n: u64) {
    while n >= 0x80 {
        out.push((n as u8 & 0x7f) | 0x80);
        n >>= 7;
    }
    out.push(n as u8);
}

/// A PMTiles v3 archive of zooms 0–3 where every tile is `tile` (one directory entry whose run
/// covers all 85 tile ids), directories uncompressed, with an attribution in its metadata.
fn pmtiles_archive(tile: &[u8]) -> Vec<u8> {
    let mut directory = Vec::new();
    for n in [1, 0, 85, tile.len() as u64, 1] {
        varint(&mut directory, n); // 1 entry: id 0, run 85, length, offset 0 (+1)
    }
    let metadata = br#"{"name":"test","attribution":"Test tiles, nobody's"}"#;
    let root = 127u64;
    let meta = root + directory.len() as u64;
    let leaves = meta + metadata.len() as u64;
    let data = leaves;
    let mut out = b"PMTiles\x03".to_vec();
    for n in [
        root,
        directory.len() as u64,
        meta,
        metadata.len() as u64,
        leaves,
        0,
        data,
        tile.len() as u64,
        85,
        1,
        1,
    ] {
        out.extend_from_slice(&n.to_le_bytes());
    }
    // clustered, directories uncompressed, tiles uncompressed, PNG, zooms 0–3
    out.extend_from_slice(&[1, 1, 1, 2, 0, 3]);
    for degrees in [-180i32, -85, 180, 85] {
        out.extend_from_slice(&(degrees * 10_000_000).to_le_bytes());
    }
    out.push(2);
    out.extend_from_slice(&[0; 8]);
    assert_eq!(out.len(), 127);
    out.extend_from_slice(&directory);
    out.extend_from_slice(metadata);
    out.extend_from_slice(tile);
    out
}

#[test]
fn a_local_pmtiles_archive_is_drawn_and_credited_without_a_network() {
    let dir = tempfile::tempdir().expect("a temp dir");
    let path = dir.path().join("mali.pmtiles");
    std::fs::write(&path, pmtiles_archive(&tile_png())).expect("the archive is written");
    let mut harness = app_on(&path.display().to_string());
    settle(&mut harness);
    step_until(&mut harness, |app| {
        app.tile_health()
            .is_some_and(|h| h.loaded >= 1 || h.failing)
    });
    let health = harness.state().tile_health();
    assert!(
        health.as_ref().is_some_and(|h| !h.failing),
        "the archive reads: {health:?}"
    );
    let drawn = share_of(&mut harness, TILE);
    assert!(
        drawn > 0.3,
        "its tiles cover the map: {drawn:.2} of the window"
    );
    harness.get_by_label_contains("Test tiles, nobody's");

    // A file that is not an archive: said so, and the Offline basemap shows.
    let bad = dir.path().join("notes.pmtiles");
    std::fs::write(&bad, "not a tile archive").expect("written");
    let mut harness = app_on(&bad.display().to_string());
    settle(&mut harness);
    harness.get_by_label_contains("Tile archive unreadable");
}
