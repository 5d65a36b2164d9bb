//! The app and its workspace file: articles read are saved and come back at the next start
//! (the samples only when the workspace is empty), the workspace's places apply to every
//! article, and a file that is not a workspace is left alone while the app says it is not
//! saving.

mod common;

use common::app::{app_with, settle, with_workspace};
use egui_kittest::kittest::Queryable;
use incident_map::io::store::{Change, Store, UserPlace};
use incident_map::ui::App;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// An article of our own, about a place no gazetteer knows.
fn article(dir: &Path) -> PathBuf {
    let path = dir.join("2025-05-03_poste.txt");
    std::fs::write(
        &path,
        "Des hommes armés ont attaqué le poste de Wassakoré-Nord le 3 mai 2025, \
         tuant trois soldats.\n",
    )
    .expect("written");
    path
}

fn wait_saved(harness: &mut egui_kittest::Harness<'static, App>) {
    let deadline = Instant::now() + Duration::from_secs(20);
    while harness
        .state()
        .persistence()
        .status()
        .is_none_or(|s| s.pending > 0 || s.saved_at.is_none())
    {
        assert!(Instant::now() < deadline, "not saved within 20 s");
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    harness.run_steps(1);
}

#[test]
fn articles_read_are_there_at_the_next_start_and_places_apply_to_them() {
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = dir.path().join("w.imap");
    let text = article(dir.path());

    let mut harness = app_with(with_workspace(&workspace, vec![text.clone()]));
    wait_saved(&mut harness);
    harness.get_by_label("Saved");
    let ids: Vec<String> = harness
        .state()
        .workspace()
        .articles()
        .iter()
        .map(|a| a.article.id.clone())
        .collect();
    assert_eq!(ids, vec!["2025-05-03_poste.txt".to_string()]);
    let incident = &harness.state().workspace().incidents()[0];
    assert!(
        incident.location.is_none(),
        "no gazetteer knows the place yet"
    );
    drop(harness);

    // The analyst named the place (here through the file, as `gazetteer add` does).
    let mut store = Store::open(&workspace).expect("the workspace");
    store
        .write(&[Change::PutUserPlace(UserPlace {
            id: "user:1".into(),
            name: "Wassakoré-Nord".into(),
            aliases: Vec::new(),
            lat: 15.1,
            lon: -2.5,
            admin1: None,
            admin2: None,
            added_at: "2026-11-22T10:00:00Z".into(),
        })])
        .expect("written");
    drop(store);
    std::fs::remove_file(&text).expect("the article file gone: the workspace keeps its text");

    let mut harness = app_with(with_workspace(&workspace, Vec::new()));
    settle(&mut harness);
    let articles = harness.state().workspace().articles();
    assert_eq!(articles.len(), 1, "the saved article, not the samples");
    let incident = &harness.state().workspace().incidents()[0];
    let location = incident
        .location
        .as_ref()
        .expect("placed by the user gazetteer");
    assert_eq!((location.lat, location.lon), (15.1, -2.5));
}

#[test]
fn a_file_that_is_not_a_workspace_is_left_alone_and_nothing_is_saved() {
    let dir = tempfile::tempdir().expect("temp dir");
    let notes = dir.path().join("notes.imap");
    std::fs::write(&notes, "Compte rendu de la réunion du lundi.\n").expect("written");
    let before = std::fs::read(&notes).expect("read");

    let mut harness = app_with(with_workspace(&notes, Vec::new()));
    settle(&mut harness);
    harness.get_by_label("Not saved: workspace unusable");
    assert!(
        harness
            .state()
            .persistence()
            .problem()
            .is_some_and(|p| p.contains("notes.imap")),
        "{:?}",
        harness.state().persistence().problem()
    );
    // The samples still show; the file is as it was.
    assert!(!harness.state().workspace().incidents().is_empty());
    drop(harness);
    assert_eq!(std::fs::read(&notes).expect("read"), before);
}

#[test]
fn save_as_open_and_new_switch_workspaces_and_a_foreign_file_changes_nothing() {
    use incident_map::ui::Command;
    use incident_map::ui::workspace_files::WorkspaceAction;
    let dir = tempfile::tempdir().expect("temp dir");
    let first = dir.path().join("first.imap");
    let copy = dir.path().join("copy.imap");
    let fresh = dir.path().join("fresh.imap");
    let mut harness = app_with(with_workspace(&first, vec![article(dir.path())]));
    wait_saved(&mut harness);
    let ctx = harness.ctx.clone();
    let act = |harness: &mut egui_kittest::Harness<'static, App>, action, path: &Path| {
        harness
            .state_mut()
            .apply(&ctx, Command::Workspace(action, path.to_path_buf()));
        settle(harness);
    };
    let articles = |harness: &egui_kittest::Harness<'static, App>| {
        harness.state().workspace().articles().len()
    };

    // Save As: the copy is the file saved to from now on; the first one keeps what it had.
    act(&mut harness, WorkspaceAction::SaveAs, &copy);
    assert_eq!(harness.state().persistence().path(), Some(copy.as_path()));
    let second = dir.path().join("2025-06-01_autre.txt");
    std::fs::write(
        &second,
        "Le 1er juin 2025, une mine a tué deux civils près de Gao.\n",
    )
    .expect("written");
    harness
        .state_mut()
        .apply(&ctx, Command::AddPaths(vec![second]));
    settle(&mut harness);
    wait_saved(&mut harness);
    assert_eq!(articles(&harness), 2);

    // Open the first again: one article, as it was left.
    act(&mut harness, WorkspaceAction::Open, &first);
    assert_eq!(articles(&harness), 1);
    assert_eq!(harness.state().persistence().path(), Some(first.as_path()));

    // New: empty (no samples in a workspace the analyst made), and listed among the recent.
    act(&mut harness, WorkspaceAction::New, &fresh);
    assert_eq!(articles(&harness), 0);
    let recent = harness.state().recent_workspaces().to_vec();
    assert_eq!(recent[..3], [fresh.clone(), first.clone(), copy.clone()]);

    // A file that is not a workspace: refused, left as it was, the current one stays.
    let notes = dir.path().join("notes.imap");
    std::fs::write(&notes, "Pas un espace de travail.\n").expect("written");
    let before = std::fs::read(&notes).expect("read");
    act(&mut harness, WorkspaceAction::Open, &notes);
    assert_eq!(harness.state().persistence().path(), Some(fresh.as_path()));
    assert!(
        harness
            .state()
            .notice()
            .is_some_and(|n| n.contains("cannot be opened"))
    );
    assert_eq!(std::fs::read(&notes).expect("read"), before);
    drop(harness);
    let store = Store::open(&copy).expect("the copy opens");
    assert_eq!(store.articles().expect("articles").len(), 2);
}

#[test]
fn the_view_is_kept_in_the_workspace_and_comes_back_with_it() {
    use incident_map::ui::Command;
    let dir = tempfile::tempdir().expect("temp dir");
    let workspace = dir.path().join("w.imap");
    let mut harness = app_with(with_workspace(&workspace, vec![article(dir.path())]));
    let mut filters = harness.state().filters().clone();
    filters.search = "poste".into();
    filters.include_undated = false;
    let incident = harness.state().workspace().incidents()[0].id.clone();
    let ctx = harness.ctx.clone();
    for command in [
        Command::SetFilters(Box::new(filters.clone())),
        Command::ZoomTo {
            lat: 14.0,
            lon: -3.0,
            zoom: 8.0,
        },
        Command::Select(incident.clone()),
    ] {
        harness.state_mut().apply(&ctx, command);
    }
    // A change settles for half a second before it is handed to the autosaver.
    let settled = Instant::now() + Duration::from_millis(700);
    while Instant::now() < settled {
        harness.step();
        std::thread::sleep(Duration::from_millis(20));
    }
    wait_saved(&mut harness);
    drop(harness);
    let kept = Store::open(&workspace)
        .expect("the workspace")
        .ui_state("view")
        .expect("readable")
        .expect("a view kept");
    assert!(kept.contains("\"search\":\"poste\""), "{kept}");

    // Another start, with none of the app's own settings: the workspace brings its view.
    let harness = app_with(with_workspace(&workspace, Vec::new()));
    assert_eq!(harness.state().filters(), &filters);
    let (lat, lon, zoom) = harness.state().map_view();
    assert!(
        (lat - 14.0).abs() < 1e-6 && (lon + 3.0).abs() < 1e-6 && (zoom - 8.0).abs() < 1e-6,
        "{lat}, {lon}, {zoom}"
    );
    assert_eq!(
        harness.state().selected().map(|i| i.id.clone()),
        Some(incident)
    );
}
