//! The user gazetteer in the app: "Name this place…" (from the map's right-click menu, or from
//! a name the gazetteer lacks), the places kept in the workspace, and every loaded article read
//! again when one is added, so each mention of it finds it at once. Export and import as CSV
//! or GeoJSON to share them.

use crate::io::store::{Change, UserPlace};
use crate::io::user_gazetteer;
use crate::ui::Command;
use crate::ui::app::App;
use crate::ui::jobs::{Source, Task};
use egui::{RichText, Ui};
use std::path::PathBuf;

/// The Name a place window's fields, while it is open.
#[derive(Debug, Default, Clone, PartialEq)]
pub struct PlaceForm {
    pub name: String,
    /// Other spellings, comma-separated.
    pub aliases: String,
    pub lat: String,
    pub lon: String,
    pub admin1: String,
    pub admin2: String,
    problem: Option<String>,
}

impl PlaceForm {
    /// A form for `name` (may be empty) at this point.
    pub fn new(name: &str, lat: f64, lon: f64) -> PlaceForm {
        PlaceForm {
            name: name.to_string(),
            lat: format!("{lat:.5}"),
            lon: format!("{lon:.5}"),
            ..PlaceForm::default()
        }
    }

    /// The place the fields describe, or what is wrong with them.
    fn place(&self) -> Result<UserPlace, String> {
        let number = |text: &str, what: &str| {
            text.trim()
                .replace(',', ".")
                .parse::<f64>()
                .map_err(|_| format!("the {what} {text:?} is not a number"))
        };
        let optional = |t: &str| Some(t.trim().to_string()).filter(|t| !t.is_empty());
        let place = UserPlace {
            id: String::new(),
            name: self.name.trim().to_string(),
            aliases: self.aliases.split(',').filter_map(optional).collect(),
            lat: number(&self.lat, "latitude")?,
            lon: number(&self.lon, "longitude")?,
            admin1: optional(&self.admin1),
            admin2: optional(&self.admin2),
            added_at: chrono::Utc::now().to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        };
        user_gazetteer::validate(&place).map_err(|e| e.to_string())?;
        Ok(place)
    }
}

/// The window; returns the place to add when the analyst confirms.
pub fn window(ctx: &egui::Context, form: &mut Option<PlaceForm>) -> Vec<Command> {
    let mut commands = Vec::new();
    let Some(fields) = form.as_mut() else {
        return commands;
    };
    let mut open = true;
    let mut done = false;
    egui::Window::new("Name a place")
        .open(&mut open)
        .collapsible(false)
        .resizable(false)
        .show(ctx, |ui| {
            ui.label("Every article that mentions it finds it, ahead of any homonym.");
            egui::Grid::new("place fields")
                .num_columns(2)
                .spacing([8.0, 6.0])
                .show(ui, |ui| {
                    for (label, value, hint) in [
                        ("Name", &mut fields.name, "as the articles write it"),
                        (
                            "Also written",
                            &mut fields.aliases,
                            "other spellings, comma-separated",
                        ),
                        ("Latitude", &mut fields.lat, "degrees north"),
                        (
                            "Longitude",
                            &mut fields.lon,
                            "degrees east (west: negative)",
                        ),
                        ("Region", &mut fields.admin1, "optional"),
                        (
                            "Cercle",
                            &mut fields.admin2,
                            "optional (default: the nearest)",
                        ),
                    ] {
                        field(ui, label, value, hint);
                    }
                });
            if let Some(problem) = &fields.problem {
                ui.label(RichText::new(problem).color(egui::Color32::from_rgb(0xb0, 0x50, 0x00)));
            }
            if ui.button("Add to the user gazetteer").clicked() {
                match fields.place() {
                    Ok(place) => {
                        commands.push(Command::AddUserPlace(Box::new(place)));
                        done = true;
                    }
                    Err(problem) => fields.problem = Some(problem),
                }
            }
        });
    if !open || done {
        *form = None;
    }
    commands
}

fn field(ui: &mut Ui, label: &str, value: &mut String, hint: &str) {
    let label = ui.label(label);
    ui.add(
        egui::TextEdit::singleline(value)
            .hint_text(hint)
            .desired_width(260.0),
    )
    .labelled_by(label.id);
    ui.end_row();
}

impl App {
    /// Keeps the place in the workspace and reads every loaded article again with it.
    pub(super) fn add_user_places(&mut self, places: Vec<UserPlace>) {
        let mut names = Vec::new();
        for mut place in places {
            let n = (1..)
                .find(|n| !self.user_places.iter().any(|p| p.id == format!("user:{n}")))
                .unwrap_or(1);
            place.id = format!("user:{n}");
            names.push(place.name.clone());
            self.persistence
                .send(vec![Change::PutUserPlace(place.clone())]);
            self.user_places.push(place);
        }
        self.worker
            .submit(Task::SetUserPlaces(self.user_places.clone()));
        self.worker.submit(Task::StartEngine);
        let articles = self.workspace.all_articles();
        let count = articles.len();
        if count > 0 {
            self.worker
                .submit(Task::Extract(vec![Source::Articles(articles)]));
        }
        self.notice = Some((
            format!("Named {}: reading {count} articles again", names.join(", ")),
            std::time::Instant::now(),
        ));
    }

    /// The places the analyst named.
    pub fn user_places(&self) -> &[UserPlace] {
        &self.user_places
    }

    /// Writes the user gazetteer to a CSV or GeoJSON file (by its extension).
    pub(super) fn export_places(&mut self, path: PathBuf) {
        let text = match user_gazetteer::export(&path, &self.user_places) {
            Ok(()) => format!(
                "Exported {} places to {}",
                self.user_places.len(),
                path.display()
            ),
            Err(e) => {
                self.workspace
                    .note_problem(path.display().to_string(), format!("{e:#}"));
                "The places could not be exported: see the Log".into()
            }
        };
        self.notice = Some((text, std::time::Instant::now()));
    }

    /// Adds the places of a CSV or GeoJSON file.
    pub(super) fn import_places(&mut self, path: PathBuf) {
        match user_gazetteer::import(&path) {
            Ok(places) => self.add_user_places(places),
            Err(e) => {
                self.workspace
                    .note_problem(path.display().to_string(), format!("{e:#}"));
                self.notice = Some((
                    "The places could not be imported: see the Log".into(),
                    std::time::Instant::now(),
                ));
            }
        }
    }
}
