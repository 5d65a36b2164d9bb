//! The user gazetteer in the app: Boulkessi, missing even from GeoNames, named once from the
//! map's right-click menu, places the incidents of seeds 000 and 001 at once, and is still
//! there at the next start.

mod common;

use common::app::{app_with, right_click_map, settle, type_into, with_workspace};
use egui_kittest::Harness;
use egui_kittest::kittest::Queryable;
use incident_map::ui::App;
use std::path::PathBuf;

/// Ids of the incidents whose place name is Boulkessi, and how many of them are at (lat, lon).
fn boulkessi(harness: &Harness<'static, App>, lat: f64, lon: f64) -> (Vec<String>, usize) {
    let named: Vec<_> = harness
        .state()
        .workspace()
        .incidents()
        .iter()
        .filter(|i| i.place_mention.as_deref() == Some("Boulkessi"))
        .collect();
    let placed = named
        .iter()
        .filter(|i| {
            i.location
                .as_ref()
                .is_some_and(|l| (l.lat - lat).abs() < 1e-6 && (l.lon - lon).abs() < 1e-6)
        })
        .count();
    (named.iter().map(|i| i.id.clone()).collect(), placed)
}

#[test]
fn boulkessi_named_once_from_the_map_places_seeds_000_and_001() {
    let Some(shared) = common::shared_dir("naming Boulkessi in the app") else {
        return;
    };
    let seeds: Vec<PathBuf> = std::fs::read_dir(shared.join("seeds"))
        .expect("the seeds")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| {
            let name = p.file_name().map(|n| n.to_string_lossy().into_owned());
            name.is_some_and(|n| n.starts_with("000_") || n.starts_with("001_"))
        })
        .collect();
    assert_eq!(seeds.len(), 2);
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = dir.path().join("w.imap");
    let mut harness = app_with(with_workspace(&workspace, seeds));
    let (named, placed) = boulkessi(&harness, 14.8, -1.32);
    assert!(named.iter().any(|id| id.starts_with("000_")), "{named:?}");
    assert_eq!(placed, 0);

    // Right-click the map ▸ Name this place…
    right_click_map(&mut harness);
    harness.get_by_label("Name this place…").click();
    harness.run_steps(4);
    type_into(&mut harness, "Name", "Boulkessi");
    type_into(&mut harness, "Latitude", "14.80");
    type_into(&mut harness, "Longitude", "-1.32");
    harness.get_by_label("Add to the user gazetteer").click();
    harness.run_steps(2);
    settle(&mut harness);

    let (named, placed) = boulkessi(&harness, 14.8, -1.32);
    assert_eq!(
        placed,
        named.len(),
        "every Boulkessi incident placed: {named:?}"
    );
    assert!(named.iter().any(|id| id.starts_with("000_")));
    assert!(named.iter().any(|id| id.starts_with("001_")));
    assert_eq!(harness.state().user_places().len(), 1);
    drop(harness);

    let harness = app_with(with_workspace(&workspace, Vec::new()));
    let (named_again, placed_again) = boulkessi(&harness, 14.8, -1.32);
    assert_eq!(named_again, named, "the same incidents after a restart");
    assert_eq!(placed_again, named.len(), "still placed after a restart");
}
