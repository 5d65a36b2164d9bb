//! Importing the GeoNames dump through the app (File ▸ Import GeoNames dump… ends in the
//! command this test sends): the status bar names it, the loaded articles are geocoded again
//! with it, and the next start uses it. Needs ../shared (the seeds and ML.txt).

mod common;

use common::app::{app, private_home, settle};
use common::shared_dir;
use egui_kittest::kittest::Queryable;
use incident_map::engine::model::LocationStatus;
use incident_map::ui::Command;

#[test]
fn an_imported_dump_geocodes_the_loaded_articles_again_and_is_kept() {
    let Some(shared) =
        shared_dir("an_imported_dump_geocodes_the_loaded_articles_again_and_is_kept")
    else {
        return;
    };
    let mut harness = app(vec![shared.join("seeds")]);
    let exact = |app: &incident_map::ui::App| {
        app.workspace()
            .incidents()
            .iter()
            .filter(|i| i.status == LocationStatus::Located)
            .count()
    };
    let exact_before = exact(harness.state());
    let bundled_entries = harness
        .state()
        .gazetteer()
        .map(|g| g.1)
        .expect("a gazetteer");

    let ctx = harness.ctx.clone();
    harness.state_mut().apply(
        &ctx,
        Command::ImportGazetteerFile(shared.join("gazetteer/ML.txt")),
    );
    settle(&mut harness);

    let (description, entries) = harness.state().gazetteer().cloned().expect("a gazetteer");
    assert!(description.contains("ML.txt"), "{description}");
    assert!(entries > bundled_entries + 20_000, "{entries} entries");
    harness.get_by_label_contains("ML.txt");
    // Re-geocoded: Douna, a village the bundled gazetteer lacks, now has its exact pin.
    let exact_after = exact(harness.state());
    assert!(
        exact_after > exact_before,
        "exact pins: {exact_before} before, {exact_after} after"
    );
    assert!(harness.state().workspace().incidents().iter().any(|i| {
        i.status == LocationStatus::Located
            && i.location.as_ref().is_some_and(|l| l.place.name == "Douna")
    }));
    assert!(
        private_home().join("data/gazetteers/ML.txt").is_file(),
        "the dump is kept"
    );
    drop(harness);

    // The next start uses it without being asked.
    let next = app(vec![shared.join("seeds")]);
    let (description, _) = next.state().gazetteer().cloned().expect("a gazetteer");
    assert!(description.contains("ML.txt"), "{description}");
}
