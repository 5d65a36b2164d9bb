//! Driving the app in tests: an egui_kittest harness around `App`, rendering with wgpu on
//! whatever adapter the machine has (Mesa llvmpipe without a GPU), no window, no network.

use egui_kittest::Harness;
use incident_map::ui::{App, Basemap, Startup};
use std::path::PathBuf;
use std::time::{Duration, Instant};

/// The window size every app test and snapshot uses.
pub const SIZE: [f32; 2] = [1280.0, 800.0];

/// The app on the Offline basemap (no tile server), opened on `inputs` (none: the samples).
pub fn app(inputs: Vec<PathBuf>) -> Harness<'static, App> {
    app_with(Startup {
        inputs,
        screenshot: None,
        basemap: Some(Basemap::Offline),
        ..Default::default()
    })
}

/// The app as `startup` says.
pub fn app_with(startup: Startup) -> Harness<'static, App> {
    private_home();
    let mut harness = Harness::builder()
        .with_size(SIZE)
        .wgpu()
        .build_ui_state(|ui, app: &mut App| app.show(ui), App::headless(startup));
    settle(&mut harness);
    harness
}

/// Steps until the background work is done and the frame no longer changes.
pub fn settle(harness: &mut Harness<'static, App>) {
    let deadline = Instant::now() + Duration::from_secs(60);
    loop {
        harness.step();
        if !harness.state().busy() {
            break;
        }
        assert!(
            Instant::now() < deadline,
            "background work did not finish in 60 s"
        );
        std::thread::sleep(Duration::from_millis(5));
    }
    // The reports of the last task, then the fit they trigger, then a still frame.
    harness.run_steps(4);
}

/// A private home for the app's files (imported gazetteers, settings), per test process.
pub fn private_home() -> PathBuf {
    static HOME: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();
    HOME.get_or_init(|| {
        remove_homes_of_finished_runs();
        let dir = std::env::temp_dir().join(format!("incident-map-test-{}", std::process::id()));
        let _ = std::fs::remove_dir_all(&dir);
        // SAFETY: set once, before any app of this process exists (every harness is built
        // through `app`, which calls this first), so no other thread reads the environment.
        unsafe { std::env::set_var("INCIDENT_MAP_HOME", &dir) };
        dir
    })
    .clone()
}

/// Removes the homes earlier test processes left behind (a static is never dropped, so each
/// process leaves its own): those whose process is gone. Where processes cannot be looked up
/// (no /proc), none is removed.
fn remove_homes_of_finished_runs() {
    if !std::path::Path::new("/proc/self").exists() {
        return;
    }
    let Ok(entries) = std::fs::read_dir(std::env::temp_dir()) else {
        return;
    };
    for entry in entries.flatten() {
        let name = entry.file_name();
        let Some(pid) = name
            .to_str()
            .and_then(|n| n.strip_prefix("incident-map-test-"))
            .filter(|pid| pid.parse::<u32>().is_ok())
        else {
            continue;
        };
        if !std::path::Path::new("/proc").join(pid).exists() {
            let _ = std::fs::remove_dir_all(entry.path());
        }
    }
}

/// The first (or, with `last`, the last) sample incident with a place on the map.
pub fn located(
    harness: &Harness<'static, App>,
    last: bool,
) -> incident_map::engine::model::Incident {
    let incidents = harness.state().workspace().incidents();
    let located = |i: &&incident_map::engine::model::Incident| i.location.is_some();
    let found = if last {
        incidents.iter().rfind(located)
    } else {
        incidents.iter().find(located)
    };
    found.cloned().expect("a located sample incident")
}

/// The app on the Offline basemap, opening `inputs`, saving to the workspace file `workspace`.
pub fn with_workspace(workspace: &std::path::Path, inputs: Vec<PathBuf>) -> Startup {
    Startup {
        inputs,
        basemap: Some(Basemap::Offline),
        workspace: Some(workspace.to_path_buf()),
        ..Default::default()
    }
}

/// Replaces the text of the field labelled `label` with `text`, as typed.
pub fn type_into(harness: &mut Harness<'static, App>, label: &str, text: &str) {
    use egui::accesskit::Role;
    use egui_kittest::kittest::Queryable;
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .focus();
    harness.run_steps(1);
    harness.key_press_modifiers(egui::Modifiers::COMMAND, egui::Key::A);
    harness
        .get_by_role_and_label(Role::TextInput, label)
        .type_text(text);
    harness.run_steps(1);
}

/// A right-click at the middle of the map, its menu then open.
pub fn right_click_map(harness: &mut Harness<'static, App>) {
    let centre = harness.state().map_rect().center();
    let input = harness.input_mut();
    input.events.push(egui::Event::PointerMoved(centre));
    for pressed in [true, false] {
        input.events.push(egui::Event::PointerButton {
            pos: centre,
            button: egui::PointerButton::Secondary,
            pressed,
            modifiers: egui::Modifiers::NONE,
        });
    }
    harness.run_steps(3);
}
