//! File ▸ New workspace / Open workspace / Save workspace as, and the recent workspaces: the
//! app leaves one workspace file (everything in it saved) for another. A file that cannot be
//! opened is refused with the reason, left as it was, and the current workspace stays.

use crate::io::store::EXTENSION;
use crate::ui::Command;
use crate::ui::app::App;
use crate::ui::edits::Edits;
use crate::ui::jobs::{Source, Task};
use crate::ui::persist::Persistence;
use crate::ui::workspace::Workspace;
use std::path::{Path, PathBuf};

/// How many workspaces File ▸ Open recent lists.
const RECENT: usize = 8;

impl App {
    /// Opens (`create`: creates) the workspace at `path` and makes it the one shown and saved.
    pub(super) fn switch_workspace(&mut self, path: &Path, create: bool) {
        if create && path.exists() {
            self.say_file(
                path,
                "already exists: choose a new name for a new workspace",
            );
            return;
        }
        if !create && !path.exists() {
            self.say_file(path, "no such file");
            return;
        }
        let (persistence, opened) = Persistence::open(path, self.waker());
        if let Some(problem) = persistence.problem() {
            let problem = problem.to_string();
            self.workspace
                .note_problem(path.display().to_string(), problem);
            self.notice = Some((
                "That workspace cannot be opened (see the Log); this one stays open".into(),
                std::time::Instant::now(),
            ));
            return;
        }
        // The old file has everything written before it is let go, its view included.
        self.save_view_now();
        if let Err(e) = self.persistence.flush() {
            self.workspace
                .note_problem("workspace", format!("last changes not saved: {e}"));
        }
        self.persistence = persistence;
        let (edits, unreadable) = Edits::load(opened.corrections);
        self.edits = edits;
        let log = self.workspace.log().to_vec();
        self.workspace = Workspace::default();
        for entry in log {
            self.workspace.note_problem(entry.input, entry.problem);
        }
        for problem in unreadable {
            self.workspace.note_problem("workspace", problem);
        }
        self.workspace.set_corrections(self.edits.active());
        self.selected = None;
        self.user_places = opened.places;
        self.worker
            .submit(Task::SetUserPlaces(self.user_places.clone()));
        self.worker.submit(Task::StartEngine);
        let mut articles = opened.articles;
        self.published_read = crate::ui::app::published_as_corrected(&mut articles, &self.edits);
        let count = articles.len();
        if count > 0 {
            self.worker
                .submit(Task::Extract(vec![Source::Articles(articles)]));
        }
        self.map.fit_pending = true;
        self.view_saver = Default::default();
        if let Some(view) = crate::ui::workspace_view::WorkspaceView::parse(opened.view.as_deref())
        {
            self.restore_view(view);
        }
        self.remember(path);
        let name = file_name(path);
        let text = if create {
            format!("New workspace {name}")
        } else {
            format!("Opened {name}: {count} articles")
        };
        self.notice = Some((text, std::time::Instant::now()));
    }

    /// Copies the workspace to `path` and goes on saving there.
    pub(super) fn save_workspace_as(&mut self, path: &Path) {
        let wake = self.waker();
        match self.persistence.save_as(path, wake) {
            Ok(()) => {
                self.remember(path);
                self.notice = Some((
                    format!("Saved as {}", file_name(path)),
                    std::time::Instant::now(),
                ));
            }
            Err(e) => self.say_file(path, &format!("not saved: {e}")),
        }
    }

    /// The workspaces opened lately, newest first.
    pub fn recent_workspaces(&self) -> &[PathBuf] {
        &self.settings.recent_workspaces
    }

    fn remember(&mut self, path: &Path) {
        let recent = &mut self.settings.recent_workspaces;
        recent.retain(|p| p != path);
        recent.insert(0, path.to_path_buf());
        recent.truncate(RECENT);
        self.settings.last_workspace = Some(path.to_path_buf());
    }

    fn say_file(&mut self, path: &Path, problem: &str) {
        self.workspace
            .note_problem(path.display().to_string(), problem.to_string());
        self.notice = Some((
            format!("{}: {problem}", file_name(path)),
            std::time::Instant::now(),
        ));
    }

    /// The File menu's workspace entries.
    pub(super) fn workspace_menu(&self, ui: &mut egui::Ui, commands: &mut Vec<Command>) {
        if ui.button("New workspace…").clicked() {
            commands.push(Command::AskWorkspace(WorkspaceAction::New));
        }
        if ui.button("Open workspace…").clicked() {
            commands.push(Command::AskWorkspace(WorkspaceAction::Open));
        }
        let saving = self.persistence.path().is_some();
        if ui
            .add_enabled(saving, egui::Button::new("Save workspace as…"))
            .clicked()
        {
            commands.push(Command::AskWorkspace(WorkspaceAction::SaveAs));
        }
        let recent: Vec<PathBuf> = self
            .recent_workspaces()
            .iter()
            .filter(|p| Some(p.as_path()) != self.persistence.path())
            .cloned()
            .collect();
        ui.add_enabled_ui(!recent.is_empty(), |ui| {
            ui.menu_button("Open recent", |ui| {
                for path in recent {
                    if ui
                        .button(file_name(&path))
                        .on_hover_text(path.display().to_string())
                        .clicked()
                    {
                        commands.push(Command::Workspace(WorkspaceAction::Open, path));
                    }
                }
            });
        });
    }

    /// Asks where (a file dialog on its own thread), then does `action` there.
    pub(super) fn ask_workspace(&self, action: WorkspaceAction) {
        self.dialog(move || {
            let dialog = rfd::FileDialog::new().add_filter("Incident Map workspace", &[EXTENSION]);
            let path = match action {
                WorkspaceAction::Open => dialog.set_title("Open a workspace").pick_file(),
                WorkspaceAction::New => dialog
                    .set_title("New workspace")
                    .set_file_name(format!("workspace.{EXTENSION}"))
                    .save_file(),
                WorkspaceAction::SaveAs => dialog
                    .set_title("Save the workspace as")
                    .set_file_name(format!("workspace.{EXTENSION}"))
                    .save_file(),
            }?;
            Some(Command::Workspace(action, with_extension(path)))
        });
    }

    /// Carries out a workspace action on `path`.
    pub(super) fn workspace_action(&mut self, action: WorkspaceAction, path: &Path) {
        match action {
            WorkspaceAction::New => self.switch_workspace(path, true),
            WorkspaceAction::Open => self.switch_workspace(path, false),
            WorkspaceAction::SaveAs => self.save_workspace_as(path),
        }
    }
}

/// What File ▸ … asks to do with a workspace file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum WorkspaceAction {
    New,
    Open,
    SaveAs,
}

/// `.imap` added when the name has no extension.
fn with_extension(path: PathBuf) -> PathBuf {
    if path.extension().is_none() {
        path.with_extension(EXTENSION)
    } else {
        path
    }
}

fn file_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
