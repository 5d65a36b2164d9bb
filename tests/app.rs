//! The desktop app, driven through egui_kittest with no display and no network (Offline
//! basemap): what the analyst sees on start, selecting, dropping files, the unlocated list,
//! and two image snapshots of the map.

mod common;

use common::app::{app, located, settle};
use egui_kittest::kittest::Queryable;
use incident_map::ui::details::{date_text, place_text};
use std::sync::Arc;

#[test]
fn starts_on_the_sample_articles_with_their_incidents_listed() {
    let harness = app(Vec::new());
    let workspace = harness.state().workspace();
    let count = workspace.incidents().len();
    assert!(
        count >= 5,
        "the samples report several incidents, got {count}"
    );
    harness.get_by_label(&format!("{count} incidents"));
    for incident in workspace.incidents() {
        // Each incident's place line is in the list (unlocated ones twice: list and panel).
        let place = place_text(incident);
        assert!(
            !harness
                .get_all_by_label(&place)
                .collect::<Vec<_>>()
                .is_empty(),
            "no list entry for {place}"
        );
    }
}

#[test]
fn selecting_an_incident_shows_its_evidence_sentence() {
    let mut harness = app(Vec::new());
    let incident = located(&harness, false);
    harness.get_by_label(&place_text(&incident)).click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().selected().map(|i| &i.id),
        Some(&incident.id)
    );
    // The details: the incident's date, then its evidence, highlighted in the article text.
    assert!(
        harness
            .query_all_by_label_contains(&date_text(&incident))
            .count()
            >= 2
    );
    let evidence = &incident.evidence[0].sentence;
    let start: String = evidence.chars().take(12).collect();
    assert!(
        harness.query_by_label_contains(&start).is_some(),
        "the evidence sentence is shown: {evidence}"
    );
    // Escape deselects.
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(harness.state().selected().is_none());
}

#[derive(Debug)]
struct Dropped(std::path::PathBuf);

impl egui::DroppedFile for Dropped {
    fn path(&self) -> &std::path::Path {
        &self.0
    }

    fn bytes(&self) -> Result<Vec<u8>, String> {
        std::fs::read(&self.0).map_err(|e| e.to_string())
    }
}

/// Drops these files on the window, as the OS hands them over: by path.
fn drop_files(
    harness: &mut egui_kittest::Harness<'static, incident_map::ui::App>,
    paths: &[&std::path::Path],
) {
    for path in paths {
        harness
            .input_mut()
            .dropped_files
            .push(Arc::new(Dropped(path.to_path_buf())));
    }
}

#[test]
fn dropped_files_add_their_incidents_and_bad_ones_are_logged() {
    let mut harness = app(Vec::new());
    let before = harness.state().workspace().incidents().len();
    let dir = tempfile::tempdir().expect("a temp dir");
    let article = dir.path().join("2025-11-02_attaque-tessit.txt");
    std::fs::write(
        &article,
        "Attaque contre le camp de Tessit\n\nLe 1er novembre 2025, des combattants de l'EIGS ont \
         attaqué le camp militaire de Tessit. Selon une source locale, quatre soldats ont été tués.",
    )
    .expect("the article is written");
    let binary = dir.path().join("photo.txt");
    std::fs::write(&binary, [0u8, 159, 146, 150, 0, 0, 7]).expect("the binary file is written");
    drop_files(&mut harness, &[&article, &binary]);
    settle(&mut harness);
    let workspace = harness.state().workspace();
    assert_eq!(workspace.incidents().len(), before + 1);
    let new = workspace
        .incidents()
        .iter()
        .find(|i| i.sources.iter().any(|s| s.contains("attaque-tessit")))
        .expect("the dropped article's incident");
    assert_eq!(
        new.location.as_ref().map(|l| l.place.name.as_str()),
        Some("Tessit")
    );
    assert!(
        workspace
            .log()
            .iter()
            .any(|e| e.input.contains("photo.txt")),
        "the binary file is in the log: {:?}",
        workspace.log()
    );
    harness.get_by_label("Log (1)");

    // The same file again changes nothing.
    drop_files(&mut harness, &[&article]);
    settle(&mut harness);
    assert_eq!(harness.state().workspace().incidents().len(), before + 1);
}

#[test]
fn a_dropped_file_deleted_before_it_is_read_is_logged_and_the_rest_loads() {
    let mut harness = app(Vec::new());
    let before = harness.state().workspace().incidents().len();
    let dir = tempfile::tempdir().expect("a temp dir");
    let kept = dir.path().join("2025-11-03_frappe-menaka.txt");
    std::fs::write(
        &kept,
        "Le 2 novembre 2025, une frappe de drone a tué six combattants de l'EIGS près de Ménaka.",
    )
    .expect("the article is written");
    let gone = dir.path().join("2025-11-04_gone.txt");
    std::fs::write(&gone, "Le 3 novembre 2025, une attaque a visé Tessit.").expect("written");
    drop_files(&mut harness, &[&gone, &kept]);
    // The OS listed it when it was dropped; it is gone by the time it is read.
    std::fs::remove_file(&gone).expect("removed");
    settle(&mut harness);
    let workspace = harness.state().workspace();
    assert_eq!(workspace.incidents().len(), before + 1);
    let entry = workspace
        .log()
        .iter()
        .find(|e| e.input.contains("2025-11-04_gone.txt"))
        .unwrap_or_else(|| panic!("the vanished file is logged: {:?}", workspace.log()));
    assert_eq!(entry.problem, incident_map::io::ingest::NOT_FOUND);
    harness.get_by_label("Log (1)");
}

#[test]
fn unlocated_incidents_are_listed_with_the_name_not_found() {
    let harness = app(Vec::new());
    let workspace = harness.state().workspace();
    let unlocated: Vec<_> = workspace
        .unlocated()
        .iter()
        .map(|&i| workspace.incidents()[i].clone())
        .collect();
    assert!(
        !unlocated.is_empty(),
        "a sample names a village the gazetteer lacks"
    );
    harness.get_by_label(&format!("Unlocated ({})", unlocated.len()));
    for incident in &unlocated {
        let name = incident
            .place_mention
            .as_deref()
            .expect("the name as written");
        // In the unlocated panel and in the full list.
        let rows = harness
            .query_all_by_label_contains(&format!(
                "\u{201c}{name}\u{201d}: not found in the gazetteer"
            ))
            .count();
        assert_eq!(rows, 2, "{name}");
    }
}

#[test]
fn snapshot_map_with_markers_rings_and_a_cluster() {
    let mut harness = app(Vec::new());
    harness.snapshot("map_samples_offline");
    // Zoomed out, Nioro and Diéma (80 km apart) gather into one bubble, its ring split by type.
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(
        &ctx,
        incident_map::ui::Command::ZoomTo {
            lat: 16.0,
            lon: -3.0,
            zoom: 5.2,
        },
    );
    harness.run_steps(3);
    harness.snapshot("map_samples_offline_zoomed_out");
}

#[test]
fn snapshot_offline_basemap_over_mali() {
    let empty = tempfile::tempdir().expect("a temp dir");
    let mut harness = app(vec![empty.path().to_path_buf()]);
    assert!(harness.state().workspace().incidents().is_empty());
    harness.get_by_label("0 incidents");
    harness.snapshot("offline_basemap_mali");
}

/// Regression: when the articles were all read before the app's first frame (a fast machine),
/// that frame fitted the map to the size it guessed before any was drawn, so the start view
/// (and CI's snapshots) depended on the timing.
#[test]
fn the_start_fit_frames_the_map_as_drawn_when_the_articles_are_read_before_the_first_frame() {
    common::app::private_home();
    let app = incident_map::ui::App::headless(incident_map::ui::Startup {
        basemap: Some(incident_map::ui::Basemap::Offline),
        ..Default::default()
    });
    // The samples take well under a second to read; the first frame then takes them all.
    std::thread::sleep(std::time::Duration::from_secs(4));
    let mut harness = egui_kittest::Harness::builder()
        .with_size(common::app::SIZE)
        .wgpu()
        .build_ui_state(|ui, app: &mut incident_map::ui::App| app.show(ui), app);
    assert!(
        !harness.state().busy(),
        "the articles were read before the first frame (else this test shows nothing)"
    );
    settle(&mut harness);
    let fitted = harness.state().map_view();
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, incident_map::ui::Command::FitToIncidents);
    harness.run_steps(2);
    assert_eq!(
        fitted,
        harness.state().map_view(),
        "the start view is the fit"
    );
}

#[test]
fn the_map_picture_is_drawn_again_when_the_map_changes_and_only_then() {
    let mut harness = app(Vec::new());
    let ctx = harness.ctx.clone();
    harness.state_mut().keep_map_as_picture(&ctx);
    harness.run_steps(2);
    let frames = |h: &egui_kittest::Harness<'static, incident_map::ui::App>| {
        h.state()
            .map_picture_frames()
            .expect("the map is kept as a picture")
    };
    let first = frames(&harness);
    assert!(
        first.basemap_redrawn >= 1,
        "the first frame draws the picture"
    );

    // Still frames, and the pointer over the incident list and over an empty part of the map:
    // nothing on the map changes, the pictures are copied.
    harness.run_steps(3);
    let list = harness.get_by_label("Date").rect().center();
    let map = harness.state().map_rect();
    for at in [list, map.left_bottom() + egui::vec2(60.0, -60.0)] {
        harness
            .input_mut()
            .events
            .push(egui::Event::PointerMoved(at));
        harness.run_steps(2);
    }
    let still = frames(&harness);
    assert_eq!(still.redrawn, first.redrawn, "nothing on the map changed");
    assert!(still.reused >= first.reused + 7, "{still:?}");

    // A selection: the pin stands out (and the details panel opens, narrowing the map).
    let incident = located(&harness, false);
    harness.get_by_label(&place_text(&incident)).click();
    // The panel opens over a frame or two; the pictures are drawn the frame after the map
    // holds still.
    harness.run_steps(4);
    let selected = frames(&harness);
    assert!(selected.redrawn > still.redrawn, "selection: {selected:?}");
    // The brush slides over a still view, the markers changing every frame: the basemap is not
    // drawn again (its labels hold still until the markers settle), the markers are. They
    // follow the brush a frame late, or more while the machine is busy (the clusters of the
    // last filters are shown until those of these are made), so they are counted after. The
    // slide ends on other filters than it started from: ended where it started, a slide fast
    // enough to show only the last filters' clusters can change nothing on the map, and the
    // test waited for a redraw that never came (seen once, in a full test run).
    for days in [Some((0, 1)), None, Some((0, 1)), None, Some((0, 1))] {
        let mut filters = harness.state().filters().clone();
        filters.set_days(days);
        harness.state_mut().apply(
            &ctx,
            incident_map::ui::Command::SetFilters(Box::new(filters)),
        );
        harness.run_steps(1);
    }
    let filtered = frames(&harness);
    assert_eq!(
        filtered.basemap_redrawn, selected.basemap_redrawn,
        "{filtered:?}"
    );
    // Their clusters are made on another thread, which a busy machine may not run for a few
    // frames: the frames go on until they are drawn.
    let deadline = std::time::Instant::now() + std::time::Duration::from_secs(30);
    while frames(&harness).redrawn == selected.redrawn && std::time::Instant::now() < deadline {
        harness.run_steps(1);
        std::thread::sleep(std::time::Duration::from_millis(5));
    }
    harness.run_steps(3);
    let filtered = frames(&harness);
    assert!(
        filtered.redrawn > selected.redrawn,
        "filtered: {filtered:?}"
    );

    // A move of the view draws the basemap again too.
    let (lat, lon, zoom) = harness.state().map_view();
    harness.state_mut().apply(
        &ctx,
        incident_map::ui::Command::ZoomTo {
            lat: lat + 0.2,
            lon,
            zoom,
        },
    );
    harness.run_steps(2);
    let moved = frames(&harness);
    assert!(
        moved.basemap_redrawn > filtered.basemap_redrawn,
        "view moved: {moved:?}"
    );
}
