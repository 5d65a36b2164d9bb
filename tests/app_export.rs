//! Exports from the app: the incidents the filters show (or all) written to a file in the
//! format chosen, with the outcome in the status bar.

mod common;

use common::app::app;
use egui_kittest::kittest::Queryable;
use incident_map::io::export::Format;
use incident_map::ui::Command;
use incident_map::ui::filter::Filters;
use std::time::{Duration, Instant};

#[test]
fn exporting_data_writes_the_shown_incidents() {
    let mut harness = app(Vec::new());
    let all = harness.state().workspace().incidents().len();
    let mut filters = Filters::default();
    filters.hidden_types.insert("Battles".into());
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, Command::SetFilters(Box::new(filters)));
    harness.run_steps(2);
    let shown = harness.state().shown_count();
    assert!(shown > 0 && shown < all);

    let dir = tempfile::tempdir().expect("temp dir");
    for (only_shown, expected) in [(true, shown), (false, all)] {
        let path = dir.path().join(format!("export-{only_shown}.geojson"));
        harness.state_mut().apply(
            &ctx,
            Command::ExportDataTo {
                format: Format::Geojson,
                only_shown,
                path: path.clone(),
            },
        );
        // Written on a thread of its own; the status bar says when it is done.
        let deadline = Instant::now() + Duration::from_secs(20);
        while harness
            .state()
            .notice()
            .is_none_or(|n| !n.contains(&format!("export-{only_shown}")))
        {
            assert!(Instant::now() < deadline, "no notice of the export");
            harness.step();
            std::thread::sleep(Duration::from_millis(10));
        }
        harness.run_steps(1);
        harness.get_by_label(&format!(
            "Exported {expected} incidents to export-{only_shown}.geojson"
        ));
        let json: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(&path).expect("the export"))
                .expect("valid GeoJSON");
        assert_eq!(json["features"].as_array().map(Vec::len), Some(expected));
    }

    // A folder that does not exist: the log says so, naming the file.
    let bad = dir.path().join("missing/export.kml");
    harness.state_mut().apply(
        &ctx,
        Command::ExportDataTo {
            format: Format::Kml,
            only_shown: true,
            path: bad,
        },
    );
    let deadline = Instant::now() + Duration::from_secs(20);
    while harness.state().workspace().log().is_empty() {
        assert!(
            Instant::now() < deadline,
            "no log entry for the failed export"
        );
        harness.step();
        std::thread::sleep(Duration::from_millis(10));
    }
    let entry = &harness.state().workspace().log()[0];
    assert!(entry.input.ends_with("export.kml") && entry.problem.contains("export failed"));
}
