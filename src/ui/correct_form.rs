//! The details panel's "Correct this incident" section: the analyst sets the date and its
//! precision, the event type, the actors and the death toll, or marks it not an incident.
//! Each button returns a `Command::Correct`; the place is corrected from the candidates list
//! or the map (right-click ▸ Place the incident here).

use crate::engine::corrections::Edit;
use crate::engine::model::Incident;
use crate::ui::Command;
use crate::ui::filter::{TYPE_NAMES, TYPES};
use egui::{RichText, Ui};

/// The form's fields, filled from the incident when another one is selected.
#[derive(Debug, Default)]
pub struct CorrectForm {
    /// The incident the fields were filled from, and how many corrections it had then (an
    /// undo or a correction refills them).
    for_id: String,
    corrections_seen: usize,
    date: String,
    precision: u8,
    event_type: Option<String>,
    sub_event_type: String,
    actor1: String,
    actor2: String,
    fatalities: String,
    /// What is wrong with what was typed, until it is fixed.
    problem: Option<String>,
}

impl CorrectForm {
    fn fill(&mut self, i: &Incident) {
        *self = CorrectForm {
            for_id: i.id.clone(),
            corrections_seen: i.corrections.len(),
            date: i.event_date.clone().unwrap_or_default(),
            precision: i.time_precision.unwrap_or(1),
            event_type: i.event_type.clone(),
            sub_event_type: i.sub_event_type.clone().unwrap_or_default(),
            actor1: i.actor1.clone().unwrap_or_default(),
            actor2: i.actor2.clone().unwrap_or_default(),
            fatalities: i.fatalities.map(|n| n.to_string()).unwrap_or_default(),
            problem: None,
        };
    }
}

/// Some(text) unless blank.
fn given(text: &str) -> Option<String> {
    Some(text.trim().to_string()).filter(|t| !t.is_empty())
}

pub fn show(ui: &mut Ui, incident: &Incident, form: &mut CorrectForm) -> Vec<Command> {
    if form.for_id != incident.id || form.corrections_seen != incident.corrections.len() {
        form.fill(incident);
    }
    let mut edits: Vec<Edit> = Vec::new();
    egui::Grid::new("correct incident")
        .num_columns(2)
        .spacing([8.0, 6.0])
        .show(ui, |ui| {
            let label = ui.label("Date");
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut form.date)
                        .hint_text("YYYY-MM-DD, empty: undated")
                        .desired_width(110.0),
                )
                .labelled_by(label.id);
                egui::ComboBox::from_label("precision")
                    .selected_text(precision_name(form.precision))
                    .show_ui(ui, |ui| {
                        for p in 1..=3 {
                            ui.selectable_value(&mut form.precision, p, precision_name(p));
                        }
                    });
                if ui.button("Set date").clicked() {
                    match given(&form.date) {
                        None => edits.push(Edit::Date {
                            date: None,
                            precision: None,
                        }),
                        Some(text) => match text.parse::<chrono::NaiveDate>() {
                            Ok(date) => edits.push(Edit::Date {
                                date: Some(date.to_string()),
                                precision: Some(form.precision),
                            }),
                            Err(_) => {
                                form.problem = Some(format!("{text:?} is not a date (YYYY-MM-DD)"))
                            }
                        },
                    }
                }
            });
            ui.end_row();

            let label = ui.label("Type");
            ui.horizontal(|ui| {
                egui::ComboBox::from_label("event type")
                    .selected_text(form.event_type.as_deref().unwrap_or("unknown"))
                    .show_ui(ui, |ui| {
                        for name in &TYPE_NAMES[..TYPES - 1] {
                            ui.selectable_value(&mut form.event_type, Some((*name).into()), *name);
                        }
                        ui.selectable_value(&mut form.event_type, None, "unknown");
                    });
                ui.add(
                    egui::TextEdit::singleline(&mut form.sub_event_type)
                        .hint_text("sub-event type")
                        .desired_width(150.0),
                )
                .labelled_by(label.id);
                if ui.button("Set type").clicked() {
                    edits.push(Edit::EventType {
                        event_type: form.event_type.clone(),
                        sub_event_type: given(&form.sub_event_type),
                    });
                }
            });
            ui.end_row();

            let label = ui.label("Actors");
            ui.horizontal(|ui| {
                for (actor, hint) in [(&mut form.actor1, "actor 1"), (&mut form.actor2, "actor 2")]
                {
                    ui.add(
                        egui::TextEdit::singleline(actor)
                            .hint_text(hint)
                            .desired_width(120.0),
                    )
                    .labelled_by(label.id);
                }
                if ui.button("Set actors").clicked() {
                    edits.push(Edit::Actors {
                        actor1: given(&form.actor1),
                        actor2: given(&form.actor2),
                    });
                }
            });
            ui.end_row();

            let label = ui.label("Killed");
            ui.horizontal(|ui| {
                ui.add(
                    egui::TextEdit::singleline(&mut form.fatalities)
                        .hint_text("empty: unknown")
                        .desired_width(70.0),
                )
                .labelled_by(label.id);
                if ui.button("Set fatalities").clicked() {
                    match given(&form.fatalities).map(|t| t.parse::<u32>()) {
                        None => edits.push(Edit::Fatalities { fatalities: None }),
                        Some(Ok(n)) => edits.push(Edit::Fatalities {
                            fatalities: Some(n),
                        }),
                        Some(Err(_)) => {
                            form.problem = Some(format!("{:?} is not a number", form.fatalities))
                        }
                    }
                }
            });
            ui.end_row();
        });
    if ui
        .button("Not an incident")
        .on_hover_text(
            "The engine read an incident where the article reports none (Undo brings it back)",
        )
        .clicked()
    {
        edits.push(Edit::NotAnIncident);
    }
    if !incident.candidates.is_empty() {
        ui.label(
            "Place: the gazetteer's candidates for \u{201c}".to_string()
                + incident.place_mention.as_deref().unwrap_or("")
                + "\u{201d}",
        );
        for c in incident.candidates.iter() {
            let chosen = incident
                .location
                .as_ref()
                .is_some_and(|l| l.place.id == c.place.id);
            let admin = [c.place.admin1.as_deref(), c.place.admin2.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" › ");
            let text = format!("{} ({admin}) · score {:.2}", c.place.name, c.score);
            if ui
                .add_enabled(!chosen, egui::Button::new(text).small())
                .clicked()
            {
                edits.push(Edit::Candidate {
                    place: c.place.as_ref().clone(),
                });
            }
        }
    }
    ui.small("Or right-click the map › Place the incident here.");
    if let Some(problem) = &form.problem {
        ui.label(RichText::new(problem).color(egui::Color32::from_rgb(0xb0, 0x50, 0x00)));
    }
    if !edits.is_empty() {
        form.problem = None;
    }
    edits
        .into_iter()
        .map(|edit| Command::Correct {
            incident: incident.id.clone(),
            edit,
        })
        .collect()
}

fn precision_name(p: u8) -> &'static str {
    match p {
        2 => "week",
        3 => "month",
        _ => "day",
    }
}
