//! Getting articles into the app, as the analyst sees it happen: the overlay while files hover
//! over the window, and a long extraction's progress bar with its Cancel button.

mod common;

use common::app::{app, settle};
use egui_kittest::kittest::Queryable;
use incident_map::ui::Command;
use std::time::{Duration, Instant};

fn hover(paths: &[&std::path::Path]) -> Vec<egui::HoveredFile> {
    paths
        .iter()
        .map(|p| egui::HoveredFile {
            path: Some(p.to_path_buf()),
            mime: String::new(),
        })
        .collect()
}

#[test]
fn hovering_files_says_what_dropping_them_will_add() {
    let mut harness = app(Vec::new());
    let dir = tempfile::tempdir().expect("a temp dir");
    let (a, b) = (dir.path().join("a.txt"), dir.path().join("b.html"));
    for file in [&a, &b] {
        std::fs::write(file, "Texte.").expect("the file is written");
    }
    assert!(harness.query_by_label_contains("Drop to add").is_none());

    harness.input_mut().hovered_files = hover(&[&a, &b]);
    harness.run_steps(2);
    harness.get_by_label("Drop to add 2 files");

    harness.input_mut().hovered_files = hover(&[&a, dir.path()]);
    harness.run_steps(2);
    harness.get_by_label("Drop to add 1 file and 1 folder");

    // The pointer leaves the window: the overlay goes.
    harness.input_mut().hovered_files.clear();
    harness.run_steps(2);
    assert!(harness.query_by_label_contains("Drop to add").is_none());
}

#[test]
fn a_long_extraction_shows_progress_and_cancel_stops_it() {
    let mut harness = app(Vec::new());
    let before = harness.state().workspace().articles().len();
    let dir = tempfile::tempdir().expect("a temp dir");
    let paragraph = "Le 3 mars 2025, des hommes armés ont attaqué le poste de la gendarmerie de \
                     Niono. Selon une source locale, deux gendarmes ont été tués et le poste a été \
                     incendié avant le retrait des assaillants vers la forêt voisine. ";
    const ARTICLES: usize = 1500;
    for n in 0..ARTICLES {
        // Each article different (the app reads a text once, by content).
        let text = format!("Dépêche {n}\n\n{}", paragraph.repeat(20));
        std::fs::write(dir.path().join(format!("{n:04}.txt")), text).expect("written");
    }
    let ctx = harness.ctx.clone();
    harness
        .state_mut()
        .apply(&ctx, Command::AddPaths(vec![dir.path().to_path_buf()]));

    // The status bar shows the progress and a Cancel button while the worker reads.
    let deadline = Instant::now() + Duration::from_secs(60);
    while harness.query_by_label("Cancel").is_none() {
        assert!(Instant::now() < deadline, "no progress shown in 60 s");
        harness.step();
    }
    harness.get_by_label_contains("reading");
    harness.get_by_label("Cancel").click();
    settle(&mut harness);

    let workspace = harness.state().workspace();
    let read = workspace.articles().len() - before;
    assert!(
        read < ARTICLES,
        "Cancel stopped the batch ({read} of {ARTICLES} read)"
    );
    assert!(
        workspace.log().iter().any(|e| e.input == "cancelled"
            && e.problem
                .ends_with(&format!("of {ARTICLES} articles were not read"))),
        "the log says how many were left: {:?}",
        workspace.log()
    );
    assert!(harness.query_by_label("Cancel").is_none());
}
