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
    egui::CollapsingHeader::new(chosen_title("Actors", "any", chosen))
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
            let (names, counts) = (index.actors(), &selection.by_actor);
            name_list(
                ui,
                "actor list",
                names,
                counts,
                &mut next.actors,
                &state.actor_query,
            );
        });
    egui::CollapsingHeader::new(level_title("Geo precision", &next.precisions))
        .id_salt("filter precision")
        .show(ui, |ui| {
            level_list(
                ui,
                PRECISION_NAMES,
                &selection.by_precision,
                &mut next.precisions,
            );
        });
    egui::CollapsingHeader::new(level_title("Status", &next.statuses))
        .id_salt("filter status")
        .show(ui, |ui| {
            level_list(ui, STATUS_NAMES, &selection.by_status, &mut next.statuses);
        });
    egui::CollapsingHeader::new(chosen_title("Articles", "all", next.sources.len()))
        .id_salt("filter sources")
        .show(ui, |ui| {
            let (names, counts) = (index.sources(), &selection.by_source);
            name_list(ui, "source list", names, counts, &mut next.sources, "");
        });
    if next != *filters {
        commands.push(Command::SetFilters(Box::new(next)));
    }
    commands
}

/// "Actors: any", or "Actors: 2 chosen".
fn chosen_title(title: &str, none: &str, chosen: usize) -> RichText {
    if chosen == 0 {
        RichText::new(format!("{title}: {none}"))
    } else {
        RichText::new(format!("{title}: {chosen} chosen")).strong()
    }
}

/// "Status: all", or "Status: 2 of 3".
fn level_title(title: &str, on: &[bool; 3]) -> RichText {
    match on.iter().filter(|x| **x).count() {
        3 => RichText::new(format!("{title}: all")),
        n => RichText::new(format!("{title}: {n} of 3")).strong(),
    }
}

/// A checkbox per level with its count.
fn level_list(ui: &mut Ui, names: [&str; 3], counts: &[usize; 3], on: &mut [bool; 3]) {
    for (k, name) in names.iter().enumerate() {
        ui.checkbox(&mut on[k], format!("{name} ({})", counts[k]));
    }
}

/// A scrolling list of names with their counts, ticked when chosen; `query` narrows it (the
/// chosen ones stay listed).
fn name_list(
    ui: &mut Ui,
    id: &str,
    names: &[String],
    counts: &[usize],
    chosen: &mut BTreeSet<String>,
    query: &str,
) {
    let query = query.to_lowercase();
    egui::ScrollArea::vertical()
        .id_salt(id)
        .max_height(150.0)
        .show(ui, |ui| {
            for (k, name) in names.iter().enumerate() {
                let mut on = chosen.contains(name);
                if !on && !query.is_empty() && !name.to_lowercase().contains(&query) {
                    continue;
                }
                let count = counts.get(k).copied().unwrap_or(0);
                if ui.checkbox(&mut on, format!("{name} ({count})")).changed() {
                    toggle(chosen, name, on);
                }
            }
        });
}

fn toggle(set: &mut BTreeSet<String>, name: &str, present: bool) {
    if present {
        set.insert(name.to_string());
    } else {
        set.remove(name);
    }
}
