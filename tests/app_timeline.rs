//! The timeline, the filters and the incident table, driven as an analyst does: brushing
//! dates, ticking types and actors, searching, clicking a row, stepping playback; the state
//! surviving a restart; and an image snapshot of the timeline.

mod common;

use chrono::NaiveDate;
use common::app::{app, app_with, located, settle};
use common::{fold, shared_dir};
use egui::accesskit::Role;
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use incident_map::engine::model::Incident;
use incident_map::ui::details::place_text;
use incident_map::ui::filter::{Filters, day_of};
use incident_map::ui::timeline::full_view;
use incident_map::ui::{App, Basemap, Command, Startup};
use std::collections::HashMap;
use std::path::PathBuf;

/// An article of mine with three incidents on 2, 9 and 16 February 2024.
fn dated_fixture() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/timeline/2024-02-20_dated-fixture.txt")
}

fn date(s: &str) -> NaiveDate {
    s.parse().expect("a test date")
}

/// The point on the timeline's bars over the middle of day `d` (the view showing all dates).
fn x_of(harness: &Harness<'static, App>, d: NaiveDate) -> egui::Pos2 {
    let rect = harness.get_by_label("Timeline").rect();
    let (from, to) = full_view(&harness.state().filtered().selection.days);
    let day = f64::from(day_of(d)) + 0.5;
    let x = rect.left() + ((day - from) / (to - from) * f64::from(rect.width())) as f32;
    egui::pos2(x, rect.top() + 30.0)
}

/// Drags across the timeline's bars from the middle of day `a` to the middle of day `b`.
fn brush(harness: &mut Harness<'static, App>, a: NaiveDate, b: NaiveDate) {
    let (start, end) = (x_of(harness, a), x_of(harness, b));
    let y = start.y;
    harness.hover_at(start);
    harness.step();
    harness.drag_at(start);
    harness.step();
    harness.hover_at(egui::pos2((start.x + end.x) / 2.0, y));
    harness.step();
    harness.hover_at(end);
    harness.step();
    harness.drop_at(end);
    harness.run_steps(3);
}

fn shown(harness: &Harness<'static, App>) -> usize {
    harness.state().shown_count()
}

fn total(harness: &Harness<'static, App>) -> usize {
    harness.state().workspace().incidents().len()
}

fn set_filters(harness: &mut Harness<'static, App>, filters: Filters) {
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, Command::SetFilters(Box::new(filters)));
    harness.run_steps(3);
}

#[test]
fn brushing_a_range_shows_its_incidents_and_the_undated_ones() {
    let Some(shared) = shared_dir("brushing_a_range_shows_its_incidents_and_the_undated_ones")
    else {
        return;
    };
    let mut harness = app(vec![shared.join("seeds"), dated_fixture()]);
    let undated = harness
        .state()
        .workspace()
        .incidents()
        .iter()
        .filter(|i| i.event_date.is_none())
        .count();
    let all = total(&harness);
    assert_eq!(shown(&harness), all);

    // The fixture's three February 2024 incidents (the seeds are all later), and the undated
    // ones, which stay in view unless the analyst hides them.
    brush(&mut harness, date("2024-02-01"), date("2024-02-20"));
    let range = harness.state().filters().range.expect("a brushed range");
    assert_eq!(range, (date("2024-02-01"), date("2024-02-20")));
    assert_eq!(shown(&harness), 3 + undated);
    harness.get_by_label(&format!("{} of {all} incidents", 3 + undated));
    // The summary line over the map says what the screenshot shows.
    harness.get_by_label_contains(&format!(
        "Showing {} of {all} incidents · 1 Feb 2024 – 20 Feb 2024 · {undated} undated included",
        3 + undated
    ));

    harness
        .get_by_label(&format!("Include undated ({undated})"))
        .click();
    harness.run_steps(3);
    assert_eq!(shown(&harness), 3);

    // Only the 9 February one.
    brush(&mut harness, date("2024-02-08"), date("2024-02-10"));
    assert_eq!(shown(&harness), 1);

    // Double-click resets the brush. kittest's clock moves 0.25 s a frame and egui takes one
    // click a frame: give the two clicks the time a hand would.
    harness
        .ctx
        .options_mut(|o| o.input_options.max_double_click_delay = 1.0);
    let centre = harness.get_by_label("Timeline").rect().center();
    harness.hover_at(centre);
    harness.step();
    for pressed in [true, false, true, false] {
        harness.event(egui::Event::PointerButton {
            pos: centre,
            button: egui::PointerButton::Primary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.run_steps(2);
    assert_eq!(harness.state().filters().range, None);
    assert_eq!(shown(&harness), all - undated);
}

#[test]
fn brushing_the_fixture_without_the_seeds() {
    // The same brush on the bundled samples and the fixture: runs on every clone.
    let mut harness = app(vec![dated_fixture()]);
    assert_eq!(total(&harness), 3);
    brush(&mut harness, date("2024-02-05"), date("2024-02-20"));
    assert_eq!(shown(&harness), 2, "9 and 16 February");
    harness.get_by_label("2 of 3 incidents");

    // Hovering a bar says its date and counts.
    harness.hover_at(x_of(&harness, date("2024-02-09")));
    harness.run_steps(6);
    harness.get_by_label_contains("9 February 2024\nExplosions/Remote violence: 1");
}

fn count(incidents: &[Incident], keep: impl Fn(&Incident) -> bool) -> usize {
    incidents.iter().filter(|i| keep(i)).count()
}

#[test]
fn type_and_actor_filters_show_what_they_name() {
    let mut harness = app(Vec::new());
    let incidents = harness.state().workspace().incidents().to_vec();
    let all = incidents.len();
    let battles = count(&incidents, |i| i.event_type.as_deref() == Some("Battles"));
    assert!(battles > 0 && battles < all);
    harness
        .get_by_role_and_label(Role::CheckBox, &format!("Battles ({battles})"))
        .click();
    harness.run_steps(3);
    assert_eq!(shown(&harness), all - battles);
    harness.get_by_label("Event types: 1 hidden");
    harness.get_by_label("Clear filters").click();
    harness.run_steps(3);
    assert_eq!(shown(&harness), all);

    let actor = "JNIM: Group for Support of Islam and Muslims";
    let with_actor = count(&incidents, |i| {
        [&i.actor1, &i.actor2, &i.assoc_actor_1, &i.assoc_actor_2]
            .iter()
            .any(|a| a.as_deref() == Some(actor))
    });
    assert!(with_actor > 0 && with_actor < all);
    harness.get_by_label("Actors: any").click();
    harness.run_steps(2);
    harness
        .get_by_role_and_label(Role::CheckBox, &format!("{actor} ({with_actor})"))
        .click();
    harness.run_steps(3);
    assert_eq!(shown(&harness), with_actor);
    harness.get_by_label_contains(&format!("actors: {actor}"));
}

#[test]
fn search_matches_places_actors_and_notes_whatever_the_accents() {
    let mut harness = app(Vec::new());
    let incidents = harness.state().workspace().incidents().to_vec();
    let expected = count(&incidents, |i| {
        let text = format!("{} {}", place_text(i), i.notes());
        fold(&text).contains("menaka")
    });
    assert!(expected > 0 && expected < incidents.len());
    let search = harness.get_by_role_and_label(Role::TextInput, "Search");
    search.focus();
    search.type_text("MENAKA");
    harness.run_steps(3);
    assert_eq!(shown(&harness), expected);
    harness.get_by_label_contains("search \u{201c}MENAKA\u{201d}");
}

#[test]
fn a_click_in_the_table_selects_the_incident_and_pans_the_map_to_it() {
    let mut harness = app(Vec::new());
    // The last one: the map starts fitted to all, so panning to it is a real move.
    let incident = located(&harness, true);
    let place = place_text(&incident);
    harness.get_by_label(&place).click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().selected().map(|i| &i.id),
        Some(&incident.id)
    );
    let location = incident.location.expect("located");
    let (lat, lon, _) = harness.state().map_view();
    assert!(
        (lat - location.lat).abs() < 1e-6 && (lon - location.lon).abs() < 1e-6,
        "the map is centred on {place}: {lat}, {lon}"
    );
}

#[test]
fn playback_steps_move_the_brush_and_change_the_count() {
    let mut harness = app(vec![dated_fixture()]);
    // A one-day window that skips empty days: each step lands on the next incident.
    let mut filters = harness.state().filters().clone();
    filters.range = None;
    set_filters(&mut harness, filters);
    harness.get_by_label("Window: 7 days").click();
    harness.run_steps(2);
    harness.get_by_label("1 day").click();
    harness.run_steps(2);
    let mut seen = Vec::new();
    for _ in 0..3 {
        harness.get_by_label("Step").click();
        harness.run_steps(3);
        seen.push((harness.state().filters().range, shown(&harness)));
    }
    let ranges: Vec<_> = seen.iter().map(|(r, _)| r.expect("a range").0).collect();
    assert_eq!(
        ranges,
        [date("2024-02-02"), date("2024-02-09"), date("2024-02-16")]
    );
    assert!(seen.iter().all(|(_, n)| *n == 1));
    // Stepping on from a brush drawn by hand starts from that brush.
    let mut filters = harness.state().filters().clone();
    filters.range = Some((date("2024-02-01"), date("2024-02-03")));
    set_filters(&mut harness, filters);
    harness.get_by_label("Step").click();
    harness.run_steps(3);
    assert_eq!(
        harness.state().filters().range,
        Some((date("2024-02-09"), date("2024-02-09")))
    );

    // Cumulative: the count grows with each step.
    choose_cumulative(&mut harness);
    harness.get_by_label("Start").click();
    harness.run_steps(3);
    let mut counts = vec![shown(&harness)];
    for _ in 0..2 {
        harness.get_by_label("Step").click();
        harness.run_steps(3);
        counts.push(shown(&harness));
    }
    assert_eq!(counts, [1, 2, 3]);

    // Play runs on by itself, then stops at the end.
    harness.get_by_label("Start").click();
    harness.run_steps(2);
    harness.get_by_label("Play").click();
    harness.run_steps(40);
    assert_eq!(shown(&harness), 3);
    harness.get_by_label("Play");
}

fn choose_cumulative(harness: &mut Harness<'static, App>) {
    harness.get_by_label("Cumulative").click();
    harness.run_steps(2);
}

/// eframe's storage, in memory: what a restart reads back.
#[derive(Default)]
struct MemoryStorage(HashMap<String, String>);

impl eframe::Storage for MemoryStorage {
    fn get_string(&self, key: &str) -> Option<String> {
        self.0.get(key).cloned()
    }
    fn set_string(&mut self, key: &str, value: String) {
        self.0.insert(key.to_string(), value);
    }
    fn remove_string(&mut self, key: &str) {
        self.0.remove(key);
    }
    fn flush(&mut self) {}
}

#[test]
fn filters_brush_and_playback_survive_a_restart() {
    let mut harness = app(Vec::new());
    let mut filters = Filters::default();
    filters.set_days(Some((
        day_of(date("2025-05-01")),
        day_of(date("2025-08-31")),
    )));
    filters.hidden_types.insert("Riots".into());
    filters.actors.insert("Military Forces of Mali".into());
    filters.search = "ansongo".into();
    filters.include_undated = false;
    set_filters(&mut harness, filters.clone());
    choose_cumulative(&mut harness);
    let mut storage = MemoryStorage::default();
    eframe::App::save(harness.state_mut(), &mut storage);

    let restarted = App::restored(
        Some(&storage),
        Startup {
            basemap: Some(Basemap::Offline),
            ..Default::default()
        },
    );
    assert_eq!(restarted.filters(), &filters);
    assert_eq!(
        restarted.playback().mode,
        incident_map::ui::time_axis::PlayMode::Cumulative
    );
}

#[test]
fn snapshot_timeline_brushed() {
    let mut harness = app_with(Startup {
        inputs: vec![dated_fixture(), samples_dir()],
        basemap: Some(Basemap::Offline),
        ..Default::default()
    });
    settle(&mut harness);
    let mut filters = Filters::default();
    filters.set_days(Some((
        day_of(date("2025-03-01")),
        day_of(date("2025-06-30")),
    )));
    set_filters(&mut harness, filters);
    let rect = harness.get_by_label("Timeline").rect();
    let image = harness.render().expect("the app renders");
    let crop = image::imageops::crop_imm(
        &image,
        rect.left() as u32,
        (rect.top() - 30.0) as u32,
        rect.width() as u32,
        rect.height() as u32 + 30,
    )
    .to_image();
    egui_kittest::image_snapshot(&crop, "timeline_brushed");
}

fn samples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("assets/samples")
}
