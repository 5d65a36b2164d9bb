//! The details panel's "Same event?" section: the reports merged into the selected incident,
//! each of which the analyst can split off, and the incidents near it in space and time,
//! each of which they can merge in. Buttons return `Command::Split` and `Command::Merge`.

use crate::engine::corrections::label_of;
use crate::engine::merge::{NEAR_DAYS, NEAR_KM, near_in_space_and_time};
use crate::engine::model::Incident;
use crate::ui::Command;
use crate::ui::workspace::Workspace;
use egui::Ui;

/// How many nearby incidents are offered.
const OFFERED: usize = 8;

pub fn show(ui: &mut Ui, incident: &Incident, workspace: &Workspace) -> Vec<Command> {
    let mut commands = Vec::new();
    if !incident.merged_from.is_empty() {
        ui.label(format!(
            "Merged into this incident: {} other report(s) of the event",
            incident.merged_from.len()
        ));
        for part in &incident.merged_from {
            let words = workspace
                .reported(part)
                .map_or_else(|| part.clone(), |(i, _)| report_words(i));
            let hover = "Another event: make it its own incident again";
            if row(ui, words, "Split off", hover) {
                commands.push(Command::Split {
                    incident: incident.id.clone(),
                    part: part.clone(),
                });
            }
        }
    }
    egui::CollapsingHeader::new("Same event as…")
        .id_salt("same event")
        .show(ui, |ui| {
            // Only while open: it looks through every incident.
            let all = workspace.incidents();
            let near = near_in_space_and_time(incident, all, OFFERED);
            if near.is_empty() {
                ui.label(format!(
                    "No other incident within {NEAR_KM:.0} km and {NEAR_DAYS} days."
                ));
            }
            for (k, why) in near {
                let Some(other) = all.get(k) else { continue };
                let words = format!("{} ({why})", report_words(other));
                let hover = "The same event: make it part of this incident";
                if row(ui, words, "Merge", hover) {
                    commands.push(Command::Merge {
                        incident: incident.id.clone(),
                        other: other.id.clone(),
                    });
                }
            }
        });
    commands
}

/// A line of words and a button after them; whether the button was clicked.
fn row(ui: &mut Ui, words: String, button: &str, hover: &str) -> bool {
    ui.horizontal(|ui| {
        ui.label(words);
        ui.button(button).on_hover_text(hover).clicked()
    })
    .inner
}

/// "Battles, Tessit, 2025-06-07 · b.txt"
fn report_words(i: &Incident) -> String {
    format!("{} · {}", label_of(i), i.sources.join(", "))
}
