//! Corrections in the app: made from the details panel and the map's right-click menu, undone
//! and redone with Ctrl+Z / Ctrl+Shift+Z, kept in the workspace file across a restart, and
//! still applied after the articles are read again with GeoNames ML.txt imported.

mod common;

use common::app::{app_with, right_click_map, settle, type_into, with_workspace};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use incident_map::engine::model::Incident;
use incident_map::ui::{App, Command};
use std::path::{Path, PathBuf};

/// An article of our own: one attack at Ségou, three soldiers killed.
fn article(dir: &Path) -> PathBuf {
    let path = dir.join("2025-05-04_segou.txt");
    std::fs::write(
        &path,
        "Le 3 mai 2025, des hommes armés ont attaqué un poste de l'armée à Ségou, tuant trois \
         soldats.\n",
    )
    .expect("written");
    path
}

fn the_incident(harness: &Harness<'static, App>) -> Incident {
    let incidents = harness.state().workspace().incidents();
    assert_eq!(incidents.len(), 1, "{incidents:#?}");
    incidents[0].clone()
}

/// The app on a workspace of its own with the test article, its incident selected (the
/// folder lives as long as the first value).
fn app_on_the_article_selected() -> (tempfile::TempDir, Harness<'static, App>) {
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = dir.path().join("w.imap");
    let mut harness = app_with(with_workspace(&workspace, vec![article(dir.path())]));
    select(&mut harness);
    (dir, harness)
}

/// Selects the one incident there is.
fn select(harness: &mut Harness<'static, App>) {
    the_incident(harness);
    select_first(harness);
}

#[test]
fn a_correction_is_undone_redone_kept_across_a_restart_and_a_new_gazetteer() {
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = dir.path().join("w.imap");
    let text = article(dir.path());
    let mut harness = app_with(with_workspace(&workspace, vec![text]));
    assert_eq!(the_incident(&harness).fatalities, Some(3));
    select(&mut harness);

    harness.get_by_label("Correct this incident").click();
    harness.run_steps(2);
    type_into(&mut harness, "Killed", "7");
    harness.get_by_label("Set fatalities").click();
    harness.run_steps(3);
    let corrected = the_incident(&harness);
    assert_eq!(corrected.fatalities, Some(7));
    assert_eq!(
        corrected.corrections,
        vec!["fatalities set by the analyst (was 3)".to_string()]
    );
    harness.get_by_label("Corrected: fatalities set by the analyst (was 3)");

    // Undo and redo from the keyboard (the text field let go of it first).
    harness.key_press(egui::Key::Escape);
    harness.run_steps(1);
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, Command::Select(corrected.id.clone()));
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(2);
    assert_eq!(the_incident(&harness).fatalities, Some(3), "undone");
    assert!(
        harness
            .state()
            .notice()
            .is_some_and(|n| n.starts_with("Undone: fatalities"))
    );
    harness.key_press_modifiers(
        egui::Modifiers::COMMAND | egui::Modifiers::SHIFT,
        egui::Key::Z,
    );
    harness.run_steps(2);
    assert_eq!(the_incident(&harness).fatalities, Some(7), "redone");
    drop(harness);

    // A restart on the same workspace: the article and its correction are back.
    let mut harness = app_with(with_workspace(&workspace, Vec::new()));
    assert_eq!(
        the_incident(&harness).fatalities,
        Some(7),
        "kept across a restart"
    );
    assert!(harness.state().workspace().orphans().is_empty());

    // Read again with GeoNames imported: the correction still applies.
    let Some(shared) = common::shared_dir("corrections after importing ML.txt") else {
        return;
    };
    harness
        .state_mut()
        .import_gazetteer(shared.join("gazetteer/ML.txt"));
    settle(&mut harness);
    let gazetteer = harness
        .state()
        .gazetteer()
        .map(|(g, _)| g.clone())
        .unwrap_or_default();
    assert!(gazetteer.contains("ML.txt"), "{gazetteer}");
    let incident = the_incident(&harness);
    assert_eq!(incident.fatalities, Some(7), "survives re-extraction");
    assert!(harness.state().workspace().orphans().is_empty());
}

#[test]
fn right_click_places_the_selected_incident_and_not_an_incident_takes_it_out() {
    let (_dir, mut harness) = app_on_the_article_selected();

    // Right-click the middle of the map.
    let (lat, lon, _) = harness.state().map_view();
    right_click_map(&mut harness);
    harness.get_by_label("Place the incident here").click();
    harness.run_steps(3);
    let placed = the_incident(&harness);
    let location = placed.location.expect("placed");
    assert!(
        (location.lat - lat).abs() < 0.05 && (location.lon - lon).abs() < 0.05,
        "placed at {}, {} for a click at the map's centre {lat}, {lon}",
        location.lat,
        location.lon
    );
    assert_eq!(location.geo_precision, 1);
    assert!(placed.corrections[0].starts_with("place set by the analyst (was Ségou"));

    harness.get_by_label("Correct this incident").click();
    harness.run_steps(2);
    harness.get_by_label("Not an incident").click();
    harness.run_steps(3);
    assert!(harness.state().workspace().incidents().is_empty());
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(&ctx, Command::Undo);
    harness.run_steps(2);
    assert_eq!(the_incident(&harness).id, placed.id, "Undo brings it back");
}

#[test]
fn a_publication_date_set_by_the_analyst_re_anchors_relative_dates_and_is_undoable() {
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = dir.path().join("w.imap");
    // No date in the file name, none in the text: "hier" has nothing to count from.
    let path = dir.path().join("depeche.txt");
    std::fs::write(
        &path,
        "Hier, des hommes armés ont attaqué un poste de l'armée à Ségou, tuant deux soldats.\n",
    )
    .expect("written");
    let mut harness = app_with(with_workspace(&workspace, vec![path]));
    assert_eq!(
        the_incident(&harness).event_date,
        None,
        "undated without a publication date"
    );
    select(&mut harness);

    type_into(&mut harness, "Published", "2025-06-10");
    harness.get_by_label("Set publication date").click();
    harness.run_steps(2);
    settle(&mut harness);
    assert_eq!(
        the_incident(&harness).event_date.as_deref(),
        Some("2025-06-09"),
        "\u{201c}hier\u{201d} counts from the date set"
    );

    let ctx = harness.ctx.clone();
    harness.state_mut().apply(&ctx, Command::Undo);
    settle(&mut harness);
    assert_eq!(the_incident(&harness).event_date, None, "undone");
    harness.state_mut().apply(&ctx, Command::Redo);
    settle(&mut harness);
    assert_eq!(
        the_incident(&harness).event_date.as_deref(),
        Some("2025-06-09")
    );
    drop(harness);

    // At the next start the article is read with the analyst's date; the file keeps its own.
    let harness = app_with(with_workspace(&workspace, Vec::new()));
    assert_eq!(
        the_incident(&harness).event_date.as_deref(),
        Some("2025-06-09")
    );
    let stored = incident_map::io::store::Store::open(&workspace)
        .and_then(|s| s.articles())
        .expect("the workspace");
    assert_eq!(
        stored[0].article.published, None,
        "saved as read from the file"
    );
}

/// Two reports of one attack at Tessit (which the engine merges) and a drone strike there the
/// next day (another event type, kept apart): tests/fixtures/merge/.
fn tessit_reports() -> Vec<PathBuf> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures/merge");
    ["a.txt", "b.txt", "c.txt"]
        .iter()
        .map(|name| dir.join(name))
        .collect()
}

fn sources(harness: &Harness<'static, App>) -> Vec<Vec<String>> {
    let mut all: Vec<Vec<String>> = harness
        .state()
        .workspace()
        .incidents()
        .iter()
        .map(|i| i.sources.clone())
        .collect();
    all.sort();
    all
}

fn select_first(harness: &mut Harness<'static, App>) {
    let id = harness.state().workspace().incidents()[0].id.clone();
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(&ctx, Command::Select(id));
    harness.run_steps(3);
}

#[test]
fn a_merged_incident_is_split_and_two_are_merged_from_the_details_panel() {
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = dir.path().join("w.imap");
    let reports = tessit_reports();
    let mut harness = app_with(with_workspace(&workspace, reports));
    let merged = vec![
        vec!["a.txt".to_string(), "b.txt".into()],
        vec!["c.txt".into()],
    ];
    assert_eq!(sources(&harness), merged);

    // The engine's merge of a and b, split: three incidents; undone: two again.
    select_first(&mut harness);
    harness.get_by_label("Split off").click();
    settle(&mut harness);
    assert_eq!(
        sources(&harness),
        [vec!["a.txt"], vec!["b.txt"], vec!["c.txt"]]
    );
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    settle(&mut harness);
    assert_eq!(sources(&harness), merged, "the split undone");

    // The strike offered as near in space and time, and merged in by hand.
    select_first(&mut harness);
    harness.get_by_label("Same event as…").click();
    harness.run_steps(2);
    harness.get_by_label("Merge").click();
    settle(&mut harness);
    assert_eq!(
        sources(&harness),
        [vec!["a.txt".to_string(), "b.txt".into(), "c.txt".into()]]
    );
    drop(harness);

    // Kept across a restart; split again there, back to the engine's reading.
    let mut harness = app_with(with_workspace(&workspace, Vec::new()));
    assert_eq!(sources(&harness).len(), 1, "the merge is kept");
    select_first(&mut harness);
    let split_c = harness
        .get_all_by_label("Split off")
        .nth(1)
        .expect("a Split off button for the strike");
    split_c.click();
    settle(&mut harness);
    assert_eq!(sources(&harness), merged, "the round trip");
}

/// The primary button pressed or released at `pos`.
fn primary(pos: egui::Pos2, pressed: bool) -> egui::Event {
    egui::Event::PointerButton {
        pos,
        button: egui::PointerButton::Primary,
        pressed,
        modifiers: egui::Modifiers::NONE,
    }
}

/// One event, then one frame.
fn one_frame(harness: &mut Harness<'static, App>, event: egui::Event) {
    harness.input_mut().events.push(event);
    harness.run_steps(1);
}

/// A press, a move in six steps and a release of the primary button, one frame each.
fn drag(harness: &mut Harness<'static, App>, from: egui::Pos2, to: egui::Pos2) {
    drag_holding(harness, from, to, 0);
}

/// A drag held still for `hold` frames before the release (so the map does not glide on).
fn drag_holding(
    harness: &mut Harness<'static, App>,
    from: egui::Pos2,
    to: egui::Pos2,
    hold: usize,
) {
    one_frame(harness, egui::Event::PointerMoved(from));
    one_frame(harness, primary(from, true));
    for step in 1..=6 {
        let at = from + (to - from) * (step as f32 / 6.0);
        one_frame(harness, egui::Event::PointerMoved(at));
    }
    harness.run_steps(hold);
    harness.input_mut().events.push(primary(to, false));
    harness.run_steps(3);
}

#[test]
fn the_selected_pin_is_dragged_to_a_new_place_and_the_map_holds_still() {
    let (_dir, mut harness) = app_on_the_article_selected();
    let before = the_incident(&harness).location.expect("Ségou is placed");
    let ctx = harness.ctx.clone();
    harness.state_mut().apply(
        &ctx,
        Command::PanTo {
            lat: before.lat,
            lon: before.lon,
        },
    );
    harness.run_steps(3);
    let (lat, lon, zoom) = harness.state().map_view();
    let centre = harness.state().map_rect().center();

    // Dragging the map elsewhere than the pin pans it, and moves no pin.
    let beside = centre - egui::vec2(150.0, 0.0);
    drag(&mut harness, beside, beside + egui::vec2(0.0, 40.0));
    assert_eq!(the_incident(&harness).location, Some(before.clone()));
    assert!(
        harness.state().map_view().0 > lat,
        "the map panned north: {:?} from {lat}",
        harness.state().map_view()
    );
    harness.state_mut().apply(&ctx, Command::PanTo { lat, lon });
    harness.run_steps(3);

    drag(&mut harness, centre, centre + egui::vec2(120.0, 60.0));
    assert_eq!(
        harness.state().map_view(),
        (lat, lon, zoom),
        "the map did not pan"
    );
    let moved = the_incident(&harness);
    let after = moved.location.expect("still placed");
    // East by 120 points and south by 60, in Web Mercator at this zoom (256-point tiles).
    let points_per_degree = 256.0 * 2f64.powf(zoom) / 360.0;
    let east = (after.lon - before.lon) * points_per_degree;
    assert!((east - 120.0).abs() < 6.0, "moved {east} points east");
    assert!(
        after.lat < before.lat - 0.5 * 60.0 / points_per_degree,
        "moved south"
    );
    assert_eq!(after.geo_precision, 1);
    assert!(moved.corrections[0].starts_with("place set by the analyst (was Ségou"));

    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::Z);
    harness.run_steps(3);
    assert_eq!(the_incident(&harness).location, Some(before), "undone");
}

/// Where a place is shown on the map (points), from the map's centre and zoom.
fn on_screen(harness: &Harness<'static, App>, lat: f64, lon: f64) -> egui::Pos2 {
    use incident_map::ui::clusters::mercator;
    let (c_lat, c_lon, zoom) = harness.state().map_view();
    let world = 256.0 * 2f64.powf(zoom);
    let (p, c) = (mercator(lat, lon), mercator(c_lat, c_lon));
    let centre = harness.state().map_rect().center();
    centre
        + egui::vec2(
            ((p[0] - c[0]) * world) as f32,
            ((p[1] - c[1]) * world) as f32,
        )
}

/// A pan by whole pixels leaves the map drawn where it was anchored and moves it onto the
/// screen (`map_anchor`): a marker must be hit where it shows, the pin grabbed there and
/// dropped where the pointer lets go.
#[test]
fn after_a_pan_by_whole_pixels_markers_are_hit_where_they_show() {
    let (_dir, mut harness) = app_on_the_article_selected();
    let before = the_incident(&harness).location.expect("Ségou is placed");
    // Deselected (the details panel closes, the map widens), then panned: seven points a
    // frame, whole pixels, so the map stays anchored and is moved. Held still before the
    // release, so it does not glide on by fractions of a pixel.
    harness.key_press(egui::Key::Escape);
    harness.run_steps(2);
    assert!(harness.state().selected().is_none());
    let beside = harness.state().map_rect().center() - egui::vec2(150.0, 0.0);
    drag_holding(&mut harness, beside, beside + egui::vec2(-42.0, 42.0), 30);
    let shown = on_screen(&harness, before.lat, before.lon);
    for event in [
        egui::Event::PointerMoved(shown),
        primary(shown, true),
        primary(shown, false),
    ] {
        one_frame(&mut harness, event);
    }
    harness.run_steps(2);
    assert!(harness.state().selected().is_some(), "the marker clicked");

    // Selected (the map narrows again), panned, then the pin dragged.
    let beside = harness.state().map_rect().center() - egui::vec2(150.0, 0.0);
    drag_holding(&mut harness, beside, beside + egui::vec2(42.0, -42.0), 30);
    let pin = on_screen(&harness, before.lat, before.lon);
    let (lat, lon, zoom) = harness.state().map_view();
    drag(&mut harness, pin, pin + egui::vec2(120.0, 60.0));
    assert_eq!(
        harness.state().map_view(),
        (lat, lon, zoom),
        "the pin, not the map"
    );
    let after = the_incident(&harness).location.expect("still placed");
    let dropped = on_screen(&harness, after.lat, after.lon);
    let aimed = pin + egui::vec2(120.0, 60.0);
    assert!(
        dropped.distance(aimed) < 1.0,
        "dropped at {dropped:?}, let go at {aimed:?}"
    );
}
