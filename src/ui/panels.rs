//! The side panels and overlays around the map: the head of the incident list with the
//! unlocated incidents, the log of inputs that could not be read, and the map legend. Each returns the commands its
//! clicks asked for; none changes the app itself.

use crate::engine::model::Incident;
use crate::ui::Command;
use crate::ui::details::{date_text, place_text};
use crate::ui::filter::{TYPE_NAMES, TYPES};
use crate::ui::markers::colour_of;
use crate::ui::workspace::Workspace;
use egui::{Color32, RichText, Sense, Stroke, Ui};

/// One clickable row for an incident: colour, date, type, place.
fn incident_row(ui: &mut Ui, incident: &Incident, selected: bool, commands: &mut Vec<Command>) {
    let response = ui
        .horizontal(|ui| {
            let (rect, _) = ui.allocate_exact_size(egui::vec2(12.0, 12.0), Sense::hover());
            ui.painter().circle_filled(
                rect.center(),
                5.0,
                colour_of(incident.event_type.as_deref()),
            );
            let title = format!(
                "{} · {}",
                date_text(incident),
                incident.sub_event_type.as_deref().unwrap_or("unknown type")
            );
            ui.vertical(|ui| {
                ui.add(
                    egui::Label::new(RichText::new(title).strong())
                        .truncate()
                        .selectable(false),
                );
                ui.add(
                    egui::Label::new(RichText::new(place_text(incident)).small())
                        .truncate()
                        .selectable(false),
                );
            });
        })
        .response
        .interact(Sense::click());
    let response = if selected {
        ui.painter().rect_stroke(
            response.rect.expand(2.0),
            3.0,
            Stroke::new(1.5, ui.visuals().selection.stroke.color),
            egui::StrokeKind::Outside,
        );
        response
    } else {
        response
    };
    if response.clicked() {
        commands.push(Command::Select(incident.id.clone()));
    }
}

/// The head of the left panel: how many incidents are shown (`shown` marks them, indexed like
/// the workspace's; missing entries are shown) and how many of those are on the map, and the
/// unlocated ones (all of them, whatever the filters: what is missing from the map) with a
/// count badge.
pub fn list_head(
    ui: &mut Ui,
    workspace: &Workspace,
    (shown, count): (&[bool], usize),
    selected: Option<&str>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let incidents = workspace.incidents();
    let unlocated = workspace.unlocated();
    if count == incidents.len() {
        ui.heading(format!("{} incidents", incidents.len()));
    } else {
        ui.heading(format!("{count} of {} incidents", incidents.len()));
    }
    ui.label(format!(
        "{} on the map · {} articles",
        on_the_map(count, shown, unlocated),
        workspace.articles().len()
    ));

    let badge = RichText::new(format!("Unlocated ({})", unlocated.len())).strong();
    let badge = if unlocated.is_empty() {
        badge
    } else {
        badge.color(Color32::from_rgb(0xb0, 0x50, 0x00))
    };
    egui::CollapsingHeader::new(badge)
        .id_salt("unlocated")
        .default_open(true)
        .show(ui, |ui| {
            if unlocated.is_empty() {
                ui.label("Every incident has a place on the map.");
            }
            let area = egui::ScrollArea::vertical()
                .id_salt("unlocated list")
                .max_height(row_height(ui) * 4.0);
            rows(ui, area, workspace, unlocated, selected, &mut commands);
        });
    commands
}

/// How many of the `count` incidents `shown` are on the map: those not `unlocated`.
fn on_the_map(count: usize, shown: &[bool], unlocated: &[usize]) -> usize {
    let is_shown = |i: usize| shown.get(i).copied().unwrap_or(true);
    count.saturating_sub(unlocated.iter().filter(|&&i| is_shown(i)).count())
}

fn row_height(ui: &Ui) -> f32 {
    ui.text_style_height(&egui::TextStyle::Body) * 2.4
}

/// The incidents `order` names, one row each, laid out only where the scroll area shows them.
fn rows(
    ui: &mut Ui,
    area: egui::ScrollArea,
    workspace: &Workspace,
    order: &[usize],
    selected: Option<&str>,
    commands: &mut Vec<Command>,
) {
    let incidents = workspace.incidents();
    area.show_rows(ui, row_height(ui), order.len(), |ui, shown| {
        for &i in &order[shown] {
            let is_selected = selected == Some(incidents[i].id.as_str());
            incident_row(ui, &incidents[i], is_selected, commands);
        }
    });
}

/// The problems met while reading inputs, one per line with the input named.
pub fn log_window(ctx: &egui::Context, workspace: &Workspace, open: &mut bool) {
    egui::Window::new("Log")
        .open(open)
        .default_width(520.0)
        .show(ctx, |ui| {
            if workspace.log().is_empty() && workspace.orphans().is_empty() {
                ui.label("Nothing to report: every input was read.");
            }
            egui::ScrollArea::vertical().show(ui, |ui| {
                for entry in workspace.log() {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new(&entry.input).strong());
                        ui.label(&entry.problem);
                    });
                }
                // Kept, not dropped: they apply again if their incident comes back.
                for orphan in workspace.orphans() {
                    ui.horizontal_wrapped(|ui| {
                        ui.label(RichText::new("correction").strong());
                        ui.label(format!(
                            "its incident ({}) is no longer read from the articles; the \
                             correction is kept and applies again if it comes back",
                            orphan.label
                        ));
                    });
                }
            });
        });
}

/// The legend: the event types on the map with how many of each are shown, what marker
/// shapes mean, then `notes` (lines of counts, in the briefing picture). Nothing when there
/// is nothing to say.
/// An opaque disc with an edge of another colour around it, as two discs one over the other:
/// small filled circles are drawn from egui's pre-rasterized discs, one quad each, where a
/// stroked circle is tessellated into some 170 thin triangles (the legend is drawn over the
/// map every frame).
fn dot(painter: &egui::Painter, at: egui::Pos2, radius: f32, fill: Color32, edge: Stroke) {
    painter.circle_filled(at, radius + edge.width, edge.color);
    painter.circle_filled(at, radius, fill);
}

pub fn legend(ui: &mut Ui, shown_by_type: &[usize; TYPES], notes: &[String]) {
    let present: Vec<(&str, Color32, usize)> = TYPE_NAMES
        .iter()
        .zip(shown_by_type)
        .filter(|(_, n)| **n > 0)
        .map(|(t, n)| (*t, colour_of(Some(t)), *n))
        .collect();
    if present.is_empty() && notes.is_empty() {
        return;
    }
    let ink = Color32::from_gray(30);
    egui::Frame::new()
        .fill(Color32::from_white_alpha(250))
        .stroke(Stroke::new(1.0, Color32::from_gray(170)))
        .corner_radius(4.0)
        .inner_margin(egui::Margin::same(6))
        .show(ui, |ui| {
            ui.spacing_mut().item_spacing.y = 1.0;
            let text = |s: &str| RichText::new(s).size(11.5).color(ink);
            let row = |ui: &mut Ui, draw: &dyn Fn(&egui::Painter, egui::Pos2), label: &str| {
                ui.horizontal(|ui| {
                    let (rect, _) = ui.allocate_exact_size(egui::vec2(18.0, 16.0), Sense::hover());
                    draw(ui.painter(), rect.center());
                    ui.label(text(label));
                });
            };
            for (name, colour, count) in present {
                row(
                    ui,
                    &|p, c| {
                        dot(p, c, 5.5, colour, Stroke::new(1.0, Color32::WHITE));
                    },
                    &format!("{name} ({count})"),
                );
            }
            ui.add_space(3.0);
            let grey = Color32::from_gray(90);
            row(
                ui,
                &|p, c| {
                    dot(p, c, 5.0, grey, Stroke::new(1.5, Color32::WHITE));
                },
                "exact place",
            );
            row(
                ui,
                &|p, c| {
                    p.circle(
                        c,
                        8.0,
                        grey.gamma_multiply(0.16),
                        Stroke::new(1.0, grey.gamma_multiply(0.6)),
                    );
                    dot(p, c, 4.0, Color32::WHITE, Stroke::new(2.5, grey));
                },
                "approximate (ring: uncertainty)",
            );
            row(
                ui,
                &|p, c| {
                    dot(p, c, 7.5, grey, Stroke::new(1.5, Color32::WHITE));
                },
                "larger: more killed",
            );
            if !notes.is_empty() {
                ui.add_space(3.0);
                ui.separator();
                for note in notes {
                    ui.label(text(note));
                }
            }
        });
}

#[cfg(test)]
mod tests {
    use super::on_the_map;

    /// Regression: with 10,399 of 100,000 incidents shown, the head said "96,967 on the map",
    /// counting every located incident whatever the filters.
    #[test]
    fn on_the_map_counts_the_shown_incidents_that_have_a_place() {
        // Six incidents, 1 and 4 unlocated; 0, 1 and 2 shown.
        let shown = [true, true, true, false, false, false];
        assert_eq!(on_the_map(3, &shown, &[1, 4]), 2);
        // Everything shown (missing entries are shown).
        assert_eq!(on_the_map(6, &[], &[1, 4]), 4);
        assert_eq!(on_the_map(0, &[false; 6], &[1, 4]), 0);
    }
}
