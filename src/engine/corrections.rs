//! Analyst corrections: what the analyst changed about an incident, anchored to the sentence
//! the incident was read from (not to its number, which re-extraction may change), and
//! applied over the engine's incidents. A correction whose incident is no longer found is
//! returned as an orphan, never dropped silently.

use crate::engine::gazetteer::{AdminTable, Place, PlaceKind};
use crate::engine::merge::{self, Apart};
use crate::engine::model::{ArticleResult, Incident, IncidentLocation, LocationStatus, PlaceRef};
use serde::{Deserialize, Serialize};

/// The source of a place the analyst put an incident at.
pub const PLACED_BY_ANALYST: &str = "placed by the analyst";

/// Which incident a correction is about: its article (by content hash, which survives
/// renaming), the first sentence it was read from in that article, and which of the
/// incidents read from that sentence it is (usually the only one).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Anchor {
    pub article_hash: String,
    pub sentence: String,
    pub nth: usize,
    /// The incident in words when it was corrected, to report it if it disappears.
    pub label: String,
}

impl Anchor {
    /// Whether both name the same report (article and sentence), whatever their `nth`.
    fn same_report(&self, other: &Anchor) -> bool {
        self.article_hash == other.article_hash && self.sentence == other.sentence
    }
}

/// What the analyst changed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "edit", rename_all = "snake_case")]
pub enum Edit {
    /// Put the incident at this point (a pin dragged, or "Place here").
    PlaceHere {
        lat: f64,
        lon: f64,
        name: Option<String>,
    },
    /// Put it at this gazetteer entry, chosen from the ranked candidates.
    Candidate {
        place: PlaceRef,
    },
    /// The engine read an incident where there is none.
    NotAnIncident,
    /// The date (ISO) and its ACLED time precision; None: undated.
    Date {
        date: Option<String>,
        precision: Option<u8>,
    },
    EventType {
        event_type: Option<String>,
        sub_event_type: Option<String>,
    },
    Actors {
        actor1: Option<String>,
        actor2: Option<String>,
    },
    Fatalities {
        fatalities: Option<u32>,
    },
    /// The incident `other` names is the same event: it becomes part of this one.
    Merge {
        other: Anchor,
    },
    /// The report `part` names, merged into this incident (by the engine or the analyst), is
    /// another event: it is its own incident again, and never merged with this one.
    Split {
        part: Anchor,
    },
    /// The article's publication date (ISO; None: unknown), which its relative dates ("hier",
    /// "last Sunday") count from. About the article (its anchor has no sentence): it is set
    /// before the article is read, not applied over incidents.
    Published {
        date: Option<String>,
    },
}

/// A correction: an edit of one incident (or, for `Published`, of an article).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Correction {
    pub anchor: Anchor,
    pub edit: Edit,
}

/// A correction whose incident was not found among those given.
#[derive(Debug, Clone, PartialEq)]
pub struct Orphan {
    /// Its index in the corrections given.
    pub index: usize,
    pub label: String,
}

/// The anchor of `incident` among `incidents` (the current list), given how to find an
/// article's content hash from its id. None when it has no evidence to anchor to.
pub fn anchor_of(
    incident: &Incident,
    incidents: &[Incident],
    hash_of: impl Fn(&str) -> Option<String>,
) -> Option<Anchor> {
    let evidence = incident.evidence.first()?;
    let article_hash = hash_of(&evidence.article_id)?;
    let nth = incidents
        .iter()
        .filter(|i| i.evidence.first().is_some_and(|e| e == evidence))
        .position(|i| i.id == incident.id)
        .unwrap_or(0);
    Some(Anchor {
        article_hash,
        sentence: evidence.sentence.clone(),
        nth,
        label: label_of(incident),
    })
}

/// "Battles, Boulkessi, 2025-06-04" — an incident in a few words.
pub fn label_of(incident: &Incident) -> String {
    let place = incident
        .location
        .as_ref()
        .map(|l| l.place.name.clone())
        .or_else(|| incident.place_mention.clone())
        .unwrap_or_else(|| "no place".into());
    format!(
        "{}, {}, {}",
        incident.event_type.as_deref().unwrap_or("type unknown"),
        place,
        incident.event_date.as_deref().unwrap_or("undated")
    )
}

/// Applies `corrections` in order to `incidents`; incidents marked "not an incident" or merged
/// into another are taken out. `hash_of` gives an article id's content hash; `admin` places an
/// analyst's point in its region and cercle. Returns the corrections whose incident was not
/// found.
pub fn apply(
    incidents: &mut Vec<Incident>,
    corrections: &[Correction],
    hash_of: impl Fn(&str) -> Option<String>,
    admin: Option<&AdminTable>,
) -> Vec<Orphan> {
    let (orphans, kept) = apply_marking(incidents, corrections, &hash_of, admin);
    let mut keep = kept.into_iter();
    incidents.retain(|_| keep.next().unwrap_or(true));
    orphans
}

/// `apply` over several articles' incidents at once, so that an incident of one article can
/// be merged into another's. Returns the corrections whose incident is in none of them.
pub fn apply_to_results(
    results: &mut [ArticleResult],
    corrections: &[Correction],
    hash_of: impl Fn(&str) -> Option<String>,
    admin: Option<&AdminTable>,
) -> Vec<Orphan> {
    let owners: Vec<usize> = results
        .iter()
        .enumerate()
        .flat_map(|(r, result)| std::iter::repeat_n(r, result.incidents.len()))
        .collect();
    let mut all: Vec<Incident> = results
        .iter_mut()
        .flat_map(|r| std::mem::take(&mut r.incidents))
        .collect();
    let (orphans, kept) = apply_marking(&mut all, corrections, &hash_of, admin);
    for ((incident, owner), kept) in all.into_iter().zip(owners).zip(kept) {
        if kept && let Some(result) = results.get_mut(owner) {
            result.incidents.push(incident);
        }
    }
    orphans
}

/// What became of an incident as the corrections were applied.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Fate {
    Kept,
    /// Marked not an incident: later corrections of it do nothing.
    Removed,
    /// Merged into another: its anchors now find that one.
    Absorbed,
}

/// Applies the corrections; returns the orphans and which incidents are kept.
fn apply_marking(
    incidents: &mut [Incident],
    corrections: &[Correction],
    hash_of: &impl Fn(&str) -> Option<String>,
    admin: Option<&AdminTable>,
) -> (Vec<Orphan>, Vec<bool>) {
    let mut orphans = Vec::new();
    let mut fate = vec![Fate::Kept; incidents.len()];
    for (index, correction) in corrections.iter().enumerate() {
        let orphan = || Orphan {
            index,
            label: correction.anchor.label.clone(),
        };
        if matches!(correction.edit, Edit::Published { .. }) {
            continue;
        }
        let Some(at) = find(incidents, &correction.anchor, hash_of, &fate) else {
            orphans.push(orphan());
            continue;
        };
        if fate[at] == Fate::Removed {
            continue;
        }
        let note = match &correction.edit {
            Edit::Merge { other } => {
                if split_later(&corrections[index + 1..], &correction.anchor, other) {
                    continue;
                }
                let Some(absorbed) = find(incidents, other, hash_of, &fate) else {
                    orphans.push(orphan());
                    continue;
                };
                if absorbed == at || fate[absorbed] == Fate::Removed {
                    continue;
                }
                fate[absorbed] = Fate::Absorbed;
                let other_incident = incidents[absorbed].clone();
                merge::absorb(&mut incidents[at], other_incident);
                format!("merged by the analyst with {}", other.label)
            }
            Edit::Split { part } => format!("{} split off by the analyst", part.label),
            Edit::NotAnIncident => {
                fate[at] = Fate::Removed;
                "marked not an incident by the analyst".into()
            }
            other => edit(&mut incidents[at], other, admin),
        };
        incidents[at].corrections.push(note);
    }
    let kept = fate.into_iter().map(|f| f == Fate::Kept).collect();
    (orphans, kept)
}

/// Whether a correction in `later` splits the reports `a` and `b` apart again.
fn split_later(later: &[Correction], a: &Anchor, b: &Anchor) -> bool {
    later.iter().any(|c| match &c.edit {
        Edit::Split { part } => {
            (c.anchor.same_report(a) && part.same_report(b))
                || (c.anchor.same_report(b) && part.same_report(a))
        }
        _ => false,
    })
}

/// The reports the corrections split apart, for the merger, given how to find an article's id
/// from its content hash (pairs whose article is not loaded are left out).
pub fn kept_apart(
    corrections: &[Correction],
    id_of_hash: impl Fn(&str) -> Option<String>,
) -> Apart {
    let report = |a: &Anchor| Some((id_of_hash(&a.article_hash)?, a.sentence.clone()));
    let pairs = corrections
        .iter()
        .filter_map(|c| match &c.edit {
            Edit::Split { part } => Some([report(&c.anchor)?, report(part)?]),
            _ => None,
        })
        .collect();
    Apart::new(pairs)
}

/// The publication dates the corrections set, by article content hash (the last one set wins).
pub fn publication_dates(
    corrections: &[Correction],
) -> std::collections::HashMap<String, Option<String>> {
    corrections
        .iter()
        .filter_map(|c| match &c.edit {
            Edit::Published { date } => Some((c.anchor.article_hash.clone(), date.clone())),
            _ => None,
        })
        .collect()
}

/// The anchor of a correction about a whole article (its publication date).
pub fn article_anchor(article_hash: String, label: String) -> Anchor {
    Anchor {
        article_hash,
        sentence: String::new(),
        nth: 0,
        label,
    }
}

/// The incident an anchor names: among those not merged into another that rest on the
/// anchor's sentence in the anchor's article, the `nth` (or the last there is).
fn find(
    incidents: &[Incident],
    anchor: &Anchor,
    hash_of: &impl Fn(&str) -> Option<String>,
    fate: &[Fate],
) -> Option<usize> {
    let matching: Vec<usize> = incidents
        .iter()
        .enumerate()
        .filter(|(k, i)| {
            fate.get(*k) != Some(&Fate::Absorbed)
                && i.evidence.iter().any(|e| {
                    e.sentence == anchor.sentence
                        && hash_of(&e.article_id).as_deref() == Some(anchor.article_hash.as_str())
                })
        })
        .map(|(k, _)| k)
        .collect();
    matching
        .get(anchor.nth)
        .or_else(|| matching.last())
        .copied()
}

/// Makes the edit; returns what was changed, in words, for the details panel.
fn edit(incident: &mut Incident, edit: &Edit, admin: Option<&AdminTable>) -> String {
    let was = |value: Option<&str>| value.unwrap_or("none").to_string();
    match edit {
        Edit::PlaceHere { lat, lon, name } => {
            let before = place_words(incident);
            let place = Place {
                id: format!("analyst:{lat:.5},{lon:.5}"),
                name: name
                    .clone()
                    .unwrap_or_else(|| format!("{lat:.4}, {lon:.4}")),
                aliases: Vec::new(),
                lat: *lat,
                lon: *lon,
                kind: PlaceKind::Town,
                feature_code: String::new(),
                country: "ML".into(),
                admin1_code: String::new(),
                admin2_code: String::new(),
                population: 0,
                source: PLACED_BY_ANALYST.into(),
            };
            // Its region and cercle: the nearest cercle seat's, as for any town of Mali.
            let unit = admin.map(|a| a.unit_of(&place)).unwrap_or_default();
            set_place(incident, PlaceRef::new(&place, unit.region, unit.cercle));
            format!("place set by the analyst (was {before})")
        }
        Edit::Candidate { place } => {
            let before = place_words(incident);
            set_place(incident, place.clone());
            format!("place chosen by the analyst among the candidates (was {before})")
        }
        // Applied by `apply_marking`, which needs the other incidents.
        Edit::NotAnIncident | Edit::Merge { .. } | Edit::Split { .. } => String::new(),
        Edit::Date { date, precision } => {
            let before = was(incident.event_date.as_deref());
            incident.event_date = date.clone();
            incident.time_precision = date.as_ref().and(*precision);
            incident.year_inferred = false;
            format!("date set by the analyst (was {before})")
        }
        Edit::EventType {
            event_type,
            sub_event_type,
        } => {
            let before = was(incident.event_type.as_deref());
            incident.event_type = event_type.clone();
            incident.sub_event_type = sub_event_type.clone();
            format!("event type set by the analyst (was {before})")
        }
        Edit::Actors { actor1, actor2 } => {
            let before = format!(
                "{} / {}",
                was(incident.actor1.as_deref()),
                was(incident.actor2.as_deref())
            );
            incident.actor1 = actor1.clone();
            incident.actor2 = actor2.clone();
            incident.actors_from_article = false;
            format!("actors set by the analyst (was {before})")
        }
        // Set on the article before it is read (`publication_dates`); never reaches here.
        Edit::Published { .. } => "publication date set by the analyst".into(),
        Edit::Fatalities { fatalities } => {
            let before = incident
                .fatalities
                .map_or("unknown".to_string(), |n| n.to_string());
            incident.fatalities = *fatalities;
            format!("fatalities set by the analyst (was {before})")
        }
    }
}

fn place_words(incident: &Incident) -> String {
    incident
        .location
        .as_ref()
        .map_or_else(|| "unlocated".to_string(), |l| l.place.name.clone())
}

fn set_place(incident: &mut Incident, place: PlaceRef) {
    incident.location = Some(IncidentLocation {
        lat: place.lat,
        lon: place.lon,
        place: place.into(),
        geo_precision: 1,
        uncertainty_km: 0.0,
    });
    incident.status = LocationStatus::Located;
}
