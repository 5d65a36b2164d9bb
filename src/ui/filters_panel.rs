//! The filters above the incident table: search, event types (the legend's colours, with
//! counts), actors (searchable), geo precision, location status and source article. It edits
//! a copy of the filters and returns it as a command; counts are those `Selection` gives.

use crate::ui::Command;
use crate::ui::filter::{Filters, STATUS_NAMES, TYPE_NAMES};
use crate::ui::markers::colour_of;
use crate::ui::selection::{FilterIndex, Selection};
use egui::{RichText, Sense, Ui};
use std::collections::BTreeSet;

/// What the panel remembers between frames only.
#[derive(Debug, Default)]
pub struct FiltersPanelState {
    /// Narrows the actor list.
    pub actor_query: String,
}

const PRECISION_NAMES: [&str; 3] = ["1 · at the place", "2 · near a place", "3 · in a region"];

pub fn show(
    ui: &mut Ui,
    filters: &Filters,
    index: &FilterIndex,
    selection: &Selection,
    state: &mut FiltersPanelState,
) -> Vec<Command> {
    let mut next = filters.clone();
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        let label = ui.label("Search");
        ui.add(
            egui::TextEdit::singleline(&mut next.search)
                .id_salt("incident search")
                .hint_text("places, actors, notes")
                .desired_width(f32::INFINITY),
        )
        .labelled_by(label.id);
    });
    ui.horizontal(|ui| {
        if ui
            .button("Fit map to filtered")
            .on_hover_text("Zoom the map to the incidents shown")
            .clicked()
        {
            commands.push(Command::FitToIncidents);
        }
        let any = *filters != Filters::default();
        if ui
            .add_enabled(any, egui::Button::new("Clear filters"))
            .clicked()
        {
            next = Filters::default();
        }
    });

    let hidden = next.hidden_types.len();
    egui::CollapsingHeader::new(if hidden == 0 {
        RichText::new("Event types: all")
    } else {
        RichText::new(format!("Event types: {hidden} hidden")).strong()
    })
    .id_salt("filter types")
    .default_open(true)
    .show(ui, |ui| {
        ui.spacing_mut().item_spacing.y = 1.0;
        for (t, name) in TYPE_NAMES.iter().enumerate() {
            let count = selection.by_type[t];
            let hidden = next.hidden_types.contains(*name);
            // Every type the incidents have, at 0 too when the other filters leave none.
            if !hidden && !index.has_type(t) {
                continue;
            }
            ui.horizontal(|ui| {
                let mut on = !hidden;
                let (dot, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), Sense::hover());
                ui.painter()
                    .circle_filled(dot.center(), 5.0, colour_of(Some(name)));
                if ui.checkbox(&mut on, format!("{name} ({count})")).changed() {
                    toggle(&mut next.hidden_types, name, !on);
                }
            });
        }
    });

    let chosen = next.actors.len();
    egui::CollapsingHeader::new(if chosen == 0 {
        "Actors: any".to_string()
    } else {
        format!("Actors: {chosen} chosen")
    })
    .id_salt("filter actors")
    .show(ui, |ui| {
        ui.horizontal(|ui| {
            ui.add(
                egui::TextEdit::singleline(&mut state.actor_query)
                    .id_salt("actor search")
                    .hint_text("Find an actor")
                    .desired_width(160.0),
            );
            if ui
                .add_enabled(chosen > 0, egui::Button::new("Any actor"))
                .clicked()
            {
                next.actors.clear();
            }
        });
        let query = state.actor_query.to_lowercase();
        egui::ScrollArea::vertical()
            .id_salt("actor list")
            .max_height(160.0)
            .show(ui, |ui| {
                for (k, name) in index.actors().iter().enumerate() {
                    let count = selection.by_actor.get(k).copied().unwrap_or(0);
                    let mut on = next.actors.contains(name);
                    if !query.is_empty() && !name.to_lowercase().contains(&query) && !on {
                        continue;
                    }
                    if ui.checkbox(&mut on, format!("{name} ({count})")).changed() {
                        toggle(&mut next.actors, name, on);
                    }
                }
            });
    });

    let on = next.precisions.iter().filter(|p| **p).count();
    egui::CollapsingHeader::new(section("Geo precision", on, 3))
        .id_salt("filter precision")
        .show(ui, |ui| {
            for (k, name) in PRECISION_NAMES.iter().enumerate() {
                let label = format!("{name} ({})", selection.by_precision[k]);
                ui.checkbox(&mut next.precisions[k], label);
            }
        });
    let on = next.statuses.iter().filter(|p| **p).count();
    egui::CollapsingHeader::new(section("Status", on, 3))
        .id_salt("filter status")
        .show(ui, |ui| {
            for (k, name) in STATUS_NAMES.iter().enumerate() {
                let label = format!("{name} ({})", selection.by_status[k]);
                ui.checkbox(&mut next.statuses[k], label);
            }
        });
    let chosen = next.sources.len();
    egui::CollapsingHeader::new(if chosen == 0 {
        "Articles: all".to_string()
    } else {
        format!("Articles: {chosen} chosen")
    })
    .id_salt("filter sources")
    .show(ui, |ui| {
        egui::ScrollArea::vertical()
            .id_salt("source list")
            .max_height(140.0)
            .show(ui, |ui| {
                for (k, name) in index.sources().iter().enumerate() {
                    let count = selection.by_source.get(k).copied().unwrap_or(0);
                    let mut on = next.sources.contains(name);
                    if ui.checkbox(&mut on, format!("{name} ({count})")).changed() {
                        toggle(&mut next.sources, name, on);
                    }
                }
            });
    });
    if next != *filters {
        commands.push(Command::SetFilters(Box::new(next)));
    }
    commands
}

fn section(title: &str, on: usize, of: usize) -> RichText {
    if on == of {
        RichText::new(format!("{title}: all"))
    } else {
        RichText::new(format!("{title}: {on} of {of}")).strong()
    }
}

fn toggle(set: &mut BTreeSet<String>, name: &str, present: bool) {
    if present {
        set.insert(name.to_string());
    } else {
        set.remove(name);
    }
}
