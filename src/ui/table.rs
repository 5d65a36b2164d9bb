//! The incident table: date, place, type, actors, fatalities and source of the shown
//! incidents, sorted by any column; a click on a row selects its incident and pans the map to
//! it, and a selection made on the map scrolls the table to its row.

use crate::engine::model::Incident;
use crate::ui::Command;
use crate::ui::details::{date_text, place_text, short_date};
use crate::ui::filter::Filtered;
use crate::ui::markers::colour_of;
use egui::{Align, Layout, RichText, Sense, Ui};
use egui_extras::{Column, TableBuilder};
use serde::{Deserialize, Serialize};

/// The column the table is sorted on.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum SortBy {
    Date,
    Place,
    Type,
    Actors,
    Fatalities,
    Source,
}

const COLUMNS: [(SortBy, &str); 6] = [
    (SortBy::Date, "Date"),
    (SortBy::Place, "Place"),
    (SortBy::Type, "Type"),
    (SortBy::Actors, "Actors"),
    (SortBy::Fatalities, "Killed"),
    (SortBy::Source, "Source"),
];

/// The table's sort, kept between runs.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct TableSettings {
    pub sort: SortBy,
    pub descending: bool,
}

impl Default for TableSettings {
    fn default() -> TableSettings {
        TableSettings {
            sort: SortBy::Date,
            descending: true,
        }
    }
}

/// The table's rows, redone when the incidents, the filters or the sort change.
#[derive(Debug, Default)]
pub struct TableState {
    /// Every incident in sort order, for (workspace version, sort).
    sorted: Vec<usize>,
    sorted_key: Option<(u64, TableSettings)>,
    /// The shown ones among them, for the filters' generation.
    rows: Vec<usize>,
    rows_key: Option<(u64, u64, TableSettings)>,
    /// The selection the table last saw, to scroll to one made elsewhere.
    seen_selection: Option<String>,
}

impl TableState {
    /// The shown incidents in table order (indices into the workspace's incidents).
    pub fn rows(
        &mut self,
        settings: TableSettings,
        version: u64,
        incidents: &[Incident],
        filtered: &Filtered,
    ) -> &[usize] {
        if self.sorted_key != Some((version, settings)) {
            self.sorted = sorted(incidents, settings);
            self.sorted_key = Some((version, settings));
        }
        let key = Some((version, filtered.generation(), settings));
        if self.rows_key != key {
            self.rows = self
                .sorted
                .iter()
                .copied()
                .filter(|i| filtered.is_shown(*i))
                .collect();
            self.rows_key = key;
        }
        &self.rows
    }
}

/// Every incident's index, in the order of the sort; unknown values last either way.
fn sorted(incidents: &[Incident], settings: TableSettings) -> Vec<usize> {
    let key = |i: &Incident| -> (bool, String, u32) {
        match settings.sort {
            SortBy::Date => (
                i.event_date.is_none(),
                i.event_date.clone().unwrap_or_default(),
                0,
            ),
            SortBy::Place => (i.location.is_none(), place_text(i).to_lowercase(), 0),
            SortBy::Type => (
                i.event_type.is_none(),
                format!(
                    "{} {}",
                    i.event_type.as_deref().unwrap_or_default(),
                    i.sub_event_type.as_deref().unwrap_or_default()
                ),
                0,
            ),
            SortBy::Actors => {
                let actors = actors_text(i);
                (actors.is_empty(), actors.to_lowercase(), 0)
            }
            SortBy::Fatalities => (
                i.fatalities.is_none(),
                String::new(),
                i.fatalities.unwrap_or(0),
            ),
            SortBy::Source => (i.sources.is_empty(), i.sources.join(", "), 0),
        }
    };
    let keys: Vec<(bool, String, u32)> = incidents.iter().map(key).collect();
    let mut order: Vec<usize> = (0..incidents.len()).collect();
    order.sort_by(|&a, &b| {
        let (ka, kb) = (&keys[a], &keys[b]);
        let value = (&ka.1, ka.2).cmp(&(&kb.1, kb.2));
        let value = if settings.descending {
            value.reverse()
        } else {
            value
        };
        ka.0.cmp(&kb.0).then(value).then(a.cmp(&b))
    });
    order
}

fn actors_text(i: &Incident) -> String {
    match (&i.actor1, &i.actor2) {
        (Some(a), Some(b)) => format!("{a} vs {b}"),
        (Some(a), None) => a.clone(),
        (None, Some(b)) => format!("? vs {b}"),
        (None, None) => String::new(),
    }
}

/// The table of `rows`; returns what a click on a row or a header asked for.
pub fn show(
    ui: &mut Ui,
    settings: &mut TableSettings,
    state: &mut TableState,
    incidents: &[Incident],
    rows: &[usize],
    selected: Option<&str>,
) -> Vec<Command> {
    let mut commands = Vec::new();
    let row_height = ui.text_style_height(&egui::TextStyle::Body) + 6.0;
    let mut table = TableBuilder::new(ui)
        .id_salt("incident table")
        .striped(true)
        .resizable(true)
        .sense(Sense::click())
        .cell_layout(Layout::left_to_right(Align::Center))
        .column(Column::initial(100.0).at_least(60.0).clip(true))
        .column(Column::initial(90.0).at_least(50.0).clip(true))
        .column(Column::initial(80.0).at_least(40.0).clip(true))
        .column(Column::initial(80.0).at_least(40.0).clip(true))
        .column(Column::initial(40.0).at_least(30.0))
        .column(Column::remainder().at_least(40.0).clip(true))
        .min_scrolled_height(0.0)
        .auto_shrink([false, false]);
    // A selection made elsewhere (the map): bring its row into view.
    if selected.map(str::to_string) != state.seen_selection {
        state.seen_selection = selected.map(str::to_string);
        if let Some(row) = selected.and_then(|id| rows.iter().position(|&i| incidents[i].id == id))
        {
            table = table.scroll_to_row(row, Some(Align::Center));
        }
    }
    table
        .header(row_height, |mut header| {
            for (column, title) in COLUMNS {
                header.col(|ui| {
                    let sorted_here = settings.sort == column;
                    let text = RichText::new(title).strong();
                    let button = ui
                        .add(egui::Button::new(text).frame(false))
                        .on_hover_text(format!("Sort by {}", title.to_lowercase()));
                    if sorted_here {
                        sort_arrow(ui, settings.descending);
                    }
                    if button.clicked() {
                        if sorted_here {
                            settings.descending = !settings.descending;
                        } else {
                            settings.sort = column;
                            settings.descending =
                                matches!(column, SortBy::Date | SortBy::Fatalities);
                        }
                    }
                });
            }
        })
        .body(|body| {
            body.rows(row_height, rows.len(), |mut row| {
                let incident = &incidents[rows[row.index()]];
                row.set_selected(selected == Some(incident.id.as_str()));
                row.col(|ui| {
                    let (dot, _) = ui.allocate_exact_size(egui::vec2(10.0, 10.0), Sense::hover());
                    ui.painter().circle_filled(
                        dot.center(),
                        4.0,
                        colour_of(incident.event_type.as_deref()),
                    );
                    cell(ui, short_date(incident)).on_hover_text(date_text(incident));
                });
                row.col(|ui| {
                    cell(ui, place_text(incident));
                });
                row.col(|ui| {
                    cell(
                        ui,
                        incident
                            .sub_event_type
                            .as_deref()
                            .or(incident.event_type.as_deref())
                            .unwrap_or("unknown type")
                            .to_string(),
                    );
                });
                row.col(|ui| {
                    cell(ui, actors_text(incident));
                });
                row.col(|ui| {
                    cell(
                        ui,
                        incident.fatalities.map_or("?".into(), |n| n.to_string()),
                    );
                });
                row.col(|ui| {
                    cell(ui, incident.sources.join(", "));
                });
                if row.response().clicked() {
                    commands.push(Command::Select(incident.id.clone()));
                    if let Some(l) = &incident.location {
                        commands.push(Command::PanTo {
                            lat: l.lat,
                            lon: l.lon,
                        });
                    }
                }
            });
        });
    // The table's own clicks set the selection: no scrolling to it.
    if let Some(Command::Select(id)) = commands.first() {
        state.seen_selection = Some(id.clone());
    }
    commands
}

/// A small triangle after the sorted column's title: pointing down when descending.
fn sort_arrow(ui: &mut Ui, descending: bool) {
    let (rect, _) = ui.allocate_exact_size(egui::vec2(9.0, 9.0), Sense::hover());
    let (c, h) = (rect.center(), 3.5);
    let points = if descending {
        vec![
            c + egui::vec2(-h, -h * 0.6),
            c + egui::vec2(h, -h * 0.6),
            c + egui::vec2(0.0, h * 0.8),
        ]
    } else {
        vec![
            c + egui::vec2(-h, h * 0.6),
            c + egui::vec2(h, h * 0.6),
            c + egui::vec2(0.0, -h * 0.8),
        ]
    };
    let ink = ui.visuals().strong_text_color();
    ui.painter()
        .add(egui::Shape::convex_polygon(points, ink, egui::Stroke::NONE));
}

fn cell(ui: &mut Ui, text: String) -> egui::Response {
    ui.add(egui::Label::new(text).truncate().selectable(false))
}
