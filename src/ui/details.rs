//! The details panel of the selected incident: its date, place, actors, type, fatalities and
//! sources, each as the engine read it; then the source article with the evidence sentences
//! highlighted and every place mention marked (resolved, unresolved), a click on a mention
//! showing its ranked candidates and why.

use crate::engine::corrections::Edit;
use crate::engine::model::{Incident, LocationStatus, MentionStatus, PlaceMention};
use crate::ui::Command;
use crate::ui::markers::colour_of;
use crate::ui::workspace::{LoadedArticle, Workspace};
use egui::{Color32, RichText, Sense, Ui};

const EVIDENCE: Color32 = Color32::from_rgb(0xff, 0xf1, 0xa8);
const RESOLVED: Color32 = Color32::from_rgb(0x00, 0x5f, 0xa3);
const UNRESOLVED: Color32 = Color32::from_rgb(0xc2, 0x4e, 0x00);

/// "7 June 2025", "week of 7 June 2025", "June 2025", with "year inferred" when it was.
pub fn date_text(i: &Incident) -> String {
    date_words(
        i,
        ["week of %-d %B %Y", "%B %Y", "%-d %B %Y"],
        " (year inferred)",
    )
    .unwrap_or_else(|| "Date unknown".into())
}

/// The date for a table cell: "7 Jun 2025", "wk 7 Jun 2025", "Jun 2025", a "?" after an
/// inferred year.
pub fn short_date(i: &Incident) -> String {
    date_words(i, ["wk %-d %b %Y", "%b %Y", "%-d %b %Y"], "?").unwrap_or_else(|| "undated".into())
}

/// The date in one of three formats (known to the week, to the month, to the day), marked
/// when its year was inferred; None when undated.
fn date_words(i: &Incident, formats: [&str; 3], inferred: &str) -> Option<String> {
    let date: chrono::NaiveDate = i.event_date.as_deref()?.parse().ok()?;
    let format = match i.time_precision {
        Some(2) => formats[0],
        Some(3) => formats[1],
        _ => formats[2],
    };
    let mark = if i.year_inferred { inferred } else { "" };
    Some(format!("{}{mark}", date.format(format)))
}

/// Where, in words: the place and how exact, or the name that could not be found.
pub fn place_text(i: &Incident) -> String {
    match (&i.location, i.status) {
        (Some(l), LocationStatus::Located) => l.place.name.clone(),
        (Some(l), _) => format!("near {} (within {:.0} km)", l.place.name, l.uncertainty_km),
        (None, _) => match &i.place_mention {
            Some(name) => format!("\u{201c}{name}\u{201d}: not found in the gazetteer"),
            None => "No place named".into(),
        },
    }
}

/// What the details panel remembers between frames.
#[derive(Debug, Default)]
pub struct DetailsState {
    /// (article id, mention index) whose candidates are shown.
    pub mention: Option<(String, usize)>,
    /// The Correct section's fields.
    pub correct: crate::ui::correct_form::CorrectForm,
    /// The publication date being typed, per article id.
    pub published: std::collections::HashMap<String, String>,
}

pub fn show(
    ui: &mut Ui,
    incident: &Incident,
    workspace: &Workspace,
    state: &mut DetailsState,
) -> Vec<Command> {
    let mut commands = Vec::new();
    ui.horizontal(|ui| {
        let (rect, _) = ui.allocate_exact_size(egui::vec2(14.0, 14.0), Sense::hover());
        ui.painter().circle_filled(
            rect.center(),
            6.0,
            colour_of(incident.event_type.as_deref()),
        );
        ui.heading(
            incident
                .event_type
                .as_deref()
                .unwrap_or("Event of unknown type"),
        );
    });
    egui::Grid::new("incident fields")
        .num_columns(2)
        .spacing([12.0, 4.0])
        .striped(true)
        .show(ui, |ui| {
            field(
                ui,
                "Sub-event",
                incident.sub_event_type.as_deref().unwrap_or("unknown"),
            );
            let precision = match incident.time_precision {
                Some(1) => "day",
                Some(2) => "week",
                Some(3) => "month",
                _ => "unknown",
            };
            field(
                ui,
                "Date",
                &format!("{} · precision {precision}", date_text(incident)),
            );
            field(ui, "Place", &place_text(incident));
            if let Some(l) = &incident.location {
                let admin = [l.place.admin1.as_deref(), l.place.admin2.as_deref()]
                    .into_iter()
                    .flatten()
                    .collect::<Vec<_>>()
                    .join(" › ");
                field(
                    ui,
                    "Admin",
                    if admin.is_empty() { "unknown" } else { &admin },
                );
                field(
                    ui,
                    "Gazetteer",
                    &format!(
                        "{} · {} · {} ({})",
                        l.place.name, l.place.id, l.place.feature_code, l.place.source
                    ),
                );
                field(
                    ui,
                    "Geo precision",
                    &format!("{} · {:.3}, {:.3}", l.geo_precision, l.lat, l.lon),
                );
            }
            let actor = |a: &Option<String>, assoc: &Option<String>| match (a, assoc) {
                (Some(a), Some(b)) => format!("{a} (with {b})"),
                (Some(a), None) => a.clone(),
                (None, _) => "not named".into(),
            };
            field(
                ui,
                "Actor 1",
                &actor(&incident.actor1, &incident.assoc_actor_1),
            );
            field(
                ui,
                "Actor 2",
                &actor(&incident.actor2, &incident.assoc_actor_2),
            );
            let deaths = match (incident.fatalities, &incident.fatalities_text) {
                (Some(n), Some(t)) => format!("{n} (\u{201c}{t}\u{201d})"),
                (Some(n), None) => n.to_string(),
                (None, Some(t)) => format!("unknown (\u{201c}{t}\u{201d})"),
                (None, None) => "not reported".into(),
            };
            field(ui, "Fatalities", &deaths);
            field(ui, "Sources", &incident.sources.join(", "));
        });
    if incident.actors_from_article {
        ui.small(
            "One side was not named with the event; it was taken from the article's main actors.",
        );
    }
    if let Some(tie) = place_tie(incident, workspace) {
        ui.label(RichText::new(tie).color(UNRESOLVED));
    }
    commands.extend(crate::ui::same_event::show(ui, incident, workspace));
    for note in &incident.corrections {
        ui.label(
            RichText::new(format!("Corrected: {note}"))
                .color(UNRESOLVED)
                .italics(),
        );
    }
    egui::CollapsingHeader::new("Correct this incident")
        .id_salt("correct")
        .show(ui, |ui| {
            commands.extend(crate::ui::correct_form::show(
                ui,
                incident,
                &mut state.correct,
            ));
        });
    ui.separator();

    let mut articles: Vec<&str> = incident
        .evidence
        .iter()
        .map(|e| e.article_id.as_str())
        .collect();
    articles.dedup();
    egui::ScrollArea::vertical()
        .id_salt("article text")
        .auto_shrink([false, false])
        .show(ui, |ui| {
            for id in articles {
                let Some(article) = workspace.article(id) else {
                    continue;
                };
                ui.label(RichText::new(&article.article.source).strong());
                commands.extend(published_row(ui, &article.article, state));
                article_text(ui, article, incident, state);
                if let Some((aid, m)) = &state.mention
                    && aid == id
                    && let Some(mention) = article.result.mentions.get(*m)
                {
                    candidates(ui, mention, &incident.id, &mut commands);
                }
                ui.add_space(12.0);
            }
        });
    commands
}

/// The warning of the mention the incident is placed by, when homonyms far apart tied for it.
fn place_tie(incident: &Incident, workspace: &Workspace) -> Option<String> {
    let span = incident.place_span?;
    let article = workspace.article(&incident.evidence.first()?.article_id)?;
    let mention = article.result.mentions.iter().find(|m| m.span == span)?;
    crate::engine::geocode::tie_warning(mention)
}

/// "Published 2025-06-07" with a field to set it: the article's relative dates ("hier",
/// "last Sunday") count from it.
fn published_row(
    ui: &mut Ui,
    article: &crate::engine::model::Article,
    state: &mut DetailsState,
) -> Option<Command> {
    let typed = state
        .published
        .entry(article.id.clone())
        .or_insert_with(|| article.published.clone().unwrap_or_default());
    let mut command = None;
    ui.horizontal(|ui| {
        let label = ui.label(RichText::new("Published").weak());
        ui.add(
            egui::TextEdit::singleline(typed)
                .hint_text("YYYY-MM-DD, unknown")
                .desired_width(100.0),
        )
        .labelled_by(label.id);
        let date = typed.trim().parse::<chrono::NaiveDate>().ok();
        let valid = typed.trim().is_empty() || date.is_some();
        let changed = date.map(|d| d.to_string()) != article.published;
        if ui
            .add_enabled(valid && changed, egui::Button::new("Set publication date"))
            .on_hover_text("Its relative dates (\u{201c}hier\u{201d}, \u{201c}last Sunday\u{201d}) count from it")
            .clicked()
        {
            command = Some(Command::SetPublished {
                article: article.id.clone(),
                date: date.map(|d| d.to_string()),
            });
        }
    });
    command
}

fn field(ui: &mut Ui, name: &str, value: &str) {
    ui.label(RichText::new(name).weak());
    ui.add(egui::Label::new(value).wrap());
    ui.end_row();
}

/// The article, paragraph by paragraph: evidence highlighted, mentions clickable.
fn article_text(
    ui: &mut Ui,
    loaded: &LoadedArticle,
    incident: &Incident,
    state: &mut DetailsState,
) {
    let text = loaded.article.text.as_str();
    let evidence: Vec<(usize, usize)> = incident
        .evidence
        .iter()
        .filter(|e| e.article_id == loaded.article.id)
        .map(|e| (e.span.start, e.span.end))
        .collect();
    let in_evidence = |at: usize| evidence.iter().any(|(s, e)| *s <= at && at < *e);
    let mentions = &loaded.result.mentions;
    // Cut points: mention edges and evidence edges, within each paragraph.
    let mut start = 0;
    for paragraph in text.split_inclusive("\n\n") {
        let end = start + paragraph.len();
        let mut cuts: Vec<usize> = vec![start, end];
        cuts.extend(evidence.iter().flat_map(|(s, e)| [*s, *e]));
        cuts.extend(mentions.iter().flat_map(|m| [m.span.start, m.span.end]));
        cuts.retain(|c| (start..=end).contains(c) && text.is_char_boundary(*c));
        cuts.sort_unstable();
        cuts.dedup();
        ui.horizontal_wrapped(|ui| {
            ui.spacing_mut().item_spacing.x = 0.0;
            for pair in cuts.windows(2) {
                let (a, b) = (pair[0], pair[1]);
                let piece = text[a..b].trim_end_matches('\n');
                if piece.is_empty() {
                    continue;
                }
                let mut rich = RichText::new(piece);
                if in_evidence(a) {
                    rich = rich.background_color(EVIDENCE).color(Color32::BLACK);
                }
                let mention = mentions
                    .iter()
                    .position(|m| m.span.start <= a && b <= m.span.end);
                match mention {
                    Some(m) => {
                        let colour = match mentions[m].status {
                            MentionStatus::Unresolved => UNRESOLVED,
                            _ => RESOLVED,
                        };
                        let label =
                            egui::Label::new(rich.color(colour).underline()).sense(Sense::click());
                        let response = ui.add(label).on_hover_text("Show the gazetteer candidates");
                        if response.clicked() {
                            state.mention = Some((loaded.article.id.clone(), m));
                        }
                    }
                    None => {
                        ui.label(rich);
                    }
                }
            }
        });
        ui.add_space(6.0);
        start = end;
    }
}

fn candidates(ui: &mut Ui, mention: &PlaceMention, incident: &str, commands: &mut Vec<Command>) {
    egui::Frame::group(ui.style()).show(ui, |ui| {
        let status = match mention.status {
            MentionStatus::Resolved => "resolved",
            MentionStatus::Foreign => "abroad",
            MentionStatus::Unresolved => "not resolved: no candidate fits well enough",
        };
        ui.label(RichText::new(format!("\u{201c}{}\u{201d} — {status}", mention.text)).strong());
        if let Some(of) = &mention.variant_of {
            ui.small(format!("read as a spelling of {of}"));
        }
        if let Some(tie) = crate::engine::geocode::tie_warning(mention) {
            ui.label(RichText::new(tie).color(UNRESOLVED));
        }
        if mention.candidates.is_empty() {
            ui.label("No gazetteer entry has this name.");
        }
        if mention.status == MentionStatus::Unresolved
            && ui
                .button("Name this place…")
                .on_hover_text(
                    "Add it to the places you named: every article that mentions it finds it",
                )
                .clicked()
        {
            commands.push(Command::NamePlace {
                name: mention.text.clone(),
                at: None,
            });
        }
        for (rank, c) in mention.candidates.iter().enumerate() {
            let admin = [c.place.admin1.as_deref(), c.place.admin2.as_deref()]
                .into_iter()
                .flatten()
                .collect::<Vec<_>>()
                .join(" › ");
            let chosen = mention.place.as_ref().is_some_and(|p| p.id == c.place.id);
            let title = format!(
                "{}. {} ({}, {}) — score {:.2}{}",
                rank + 1,
                c.place.name,
                c.place.kind.label(),
                if admin.is_empty() {
                    c.place.country.as_str()
                } else {
                    admin.as_str()
                },
                c.score,
                if chosen { " — chosen" } else { "" }
            );
            egui::CollapsingHeader::new(title)
                .id_salt((&mention.text, rank))
                .show(ui, |ui| {
                    for reason in &c.reasons {
                        ui.small(reason.to_string());
                    }
                    ui.horizontal(|ui| {
                        if ui.small_button("Show on map").clicked() {
                            commands.push(Command::ZoomTo {
                                lat: c.place.lat,
                                lon: c.place.lon,
                                zoom: 10.0,
                            });
                        }
                        if ui
                            .small_button("Use this place")
                            .on_hover_text("Place the selected incident here (a correction)")
                            .clicked()
                        {
                            commands.push(Command::Correct {
                                incident: incident.to_string(),
                                edit: Edit::Candidate {
                                    place: c.place.as_ref().clone(),
                                },
                            });
                        }
                    });
                });
        }
    });
}
