//! One event reported by several articles becomes one incident with several sources: same
//! event type, a shared actor, places within 10 km (or the same unresolved name), and dates
//! within two days. Every merge is reported, so that the analyst can undo it.

use crate::engine::geo::distance_km;
use crate::engine::model::{ArticleResult, Incident};
use crate::engine::normalize::fold_key;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::HashMap;

/// Places further apart than this are different events.
pub const MAX_DISTANCE_KM: f64 = 10.0;
/// Dates further apart than this are different events.
pub const MAX_DAYS_APART: i64 = 2;

/// Two incidents merged: `absorbed` (from another article) now lives in `kept`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Merge {
    pub kept: String,
    pub absorbed: String,
    pub reason: String,
}

/// Why two incidents from different articles are the same event, or None.
pub fn same_event(a: &Incident, b: &Incident) -> Option<String> {
    if a.event_type.is_none() || a.event_type != b.event_type {
        return None;
    }
    let actors = |i: &Incident| {
        [i.actor1.clone(), i.actor2.clone()]
            .into_iter()
            .flatten()
            .collect::<Vec<_>>()
    };
    let shared = actors(a).into_iter().find(|x| actors(b).contains(x))?;
    let place = match (&a.location, &b.location) {
        (Some(x), Some(y)) => {
            let km = distance_km((x.lat, x.lon), (y.lat, y.lon));
            (km <= MAX_DISTANCE_KM).then(|| format!("{km:.0} km apart"))?
        }
        (None, None) => {
            let name = |i: &Incident| i.place_mention.as_deref().map(fold_key);
            (name(a).is_some() && name(a) == name(b)).then(|| {
                format!(
                    "both at unresolved \"{}\"",
                    a.place_mention.as_deref().unwrap_or("")
                )
            })?
        }
        _ => return None,
    };
    let date = |i: &Incident| {
        i.event_date
            .as_deref()
            .and_then(|d| d.parse::<NaiveDate>().ok())
    };
    let when = match (date(a), date(b)) {
        (Some(x), Some(y)) if a.year_inferred || b.year_inferred => {
            // Without a known year only the day of the year can be compared.
            let days = (x.with_year(2001)? - y.with_year(2001)?).num_days().abs();
            (days <= MAX_DAYS_APART).then(|| format!("dates {days} days apart (year inferred)"))?
        }
        (Some(x), Some(y)) => {
            let days = (x - y).num_days().abs();
            (days <= MAX_DAYS_APART).then(|| format!("dates {days} days apart"))?
        }
        _ => "no date to contradict".to_string(),
    };
    Some(format!(
        "{}; shared actor {shared}; {place}; {when}",
        a.event_type.as_deref().unwrap_or("")
    ))
}

/// Merges the same event across articles, in reading order: the first report keeps the
/// incident and gains the others' sources and evidence; never two reports `apart` keeps apart.
pub fn across_articles(results: &mut [ArticleResult], apart: Apart) -> Vec<Merge> {
    let mut merger = Merger::new(apart);
    let mut merges = Vec::new();
    for later in 0..results.len() {
        let (earlier, rest) = results.split_at_mut(later);
        merges.extend(merger.next(earlier, &mut rest[0]));
    }
    merges
}

/// Where the incidents merged so far are kept, each at an (article, incident) position: per
/// article (`[ArticleResult]`, the CLI's batch), or in one list in reading order
/// (`Vec<Incident>`, the app's, at (0, index): no second copy of what is merged).
pub trait Merged {
    fn at(&self, position: (usize, usize)) -> Option<&Incident>;
    fn at_mut(&mut self, position: (usize, usize)) -> Option<&mut Incident>;
    /// Where the `i`th incident of the next article will be once it is added.
    fn next_position(&self, i: usize) -> (usize, usize);
}

impl Merged for [ArticleResult] {
    fn at(&self, (a, i): (usize, usize)) -> Option<&Incident> {
        self.get(a)?.incidents.get(i)
    }
    fn at_mut(&mut self, (a, i): (usize, usize)) -> Option<&mut Incident> {
        self.get_mut(a)?.incidents.get_mut(i)
    }
    fn next_position(&self, i: usize) -> (usize, usize) {
        (self.len(), i)
    }
}

impl Merged for Vec<Incident> {
    fn at(&self, (_, i): (usize, usize)) -> Option<&Incident> {
        self.get(i)
    }
    fn at_mut(&mut self, (_, i): (usize, usize)) -> Option<&mut Incident> {
        self.get_mut(i)
    }
    fn next_position(&self, i: usize) -> (usize, usize) {
        (0, self.len() + i)
    }
}

/// Merges articles one at a time, in reading order, finding the candidates for each incident
/// through an index (event type and a grid of ~10 km cells, or the unresolved name) instead of
/// comparing it with every incident before it.
#[derive(Debug, Default)]
pub struct Merger {
    /// Positions (see `Merged`) of the incidents merged so far, by where they are.
    index: HashMap<Key, Vec<(usize, usize)>>,
    apart: Apart,
}

/// A report of an event: an article's id and a sentence of it the incident rests on.
pub type Report = (String, String);

/// Reports the analyst split apart: never merged into one incident, whatever the rule says.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Apart {
    pairs: Vec<[Report; 2]>,
}

impl Apart {
    pub fn new(pairs: Vec<[Report; 2]>) -> Apart {
        Apart { pairs }
    }

    pub fn is_empty(&self) -> bool {
        self.pairs.is_empty()
    }

    /// Whether `incoming` may not be merged into `kept`: one rests on a report of a pair and
    /// the other on the pair's other report.
    pub fn forbids(&self, kept: &Incident, incoming: &Incident) -> bool {
        let rests_on = |i: &Incident, (article, sentence): &Report| {
            i.evidence
                .iter()
                .any(|e| &e.article_id == article && &e.sentence == sentence)
        };
        self.pairs.iter().any(|[x, y]| {
            (rests_on(kept, x) && rests_on(incoming, y))
                || (rests_on(kept, y) && rests_on(incoming, x))
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Hash)]
enum Key {
    Cell(String, i32, i32),
    Name(String, String),
    /// Neither a place nor a name: only other such incidents can match.
    Nowhere(String),
}

/// Grid cells of 0.1°: about 11 km of latitude, and of longitude up to 25°N, so every place
/// within `MAX_DISTANCE_KM` is in the 3 × 5 cells around (wider in longitude for latitudes
/// where a degree shrinks).
const CELL_DEGREES: f64 = 0.1;

fn cell(lat: f64, lon: f64) -> (i32, i32) {
    (
        (lat / CELL_DEGREES).floor() as i32,
        (lon / CELL_DEGREES).floor() as i32,
    )
}

fn key_of(i: &Incident) -> Option<Key> {
    let kind = i.event_type.clone()?;
    Some(match (&i.location, &i.place_mention) {
        (Some(l), _) => {
            let (y, x) = cell(l.lat, l.lon);
            Key::Cell(kind, y, x)
        }
        (None, Some(name)) => Key::Name(kind, fold_key(name)),
        (None, None) => Key::Nowhere(kind),
    })
}

/// The keys an incident's match may be filed under.
fn keys_near(i: &Incident) -> Vec<Key> {
    match key_of(i) {
        Some(Key::Cell(kind, y, x)) => {
            let lat = i.location.as_ref().map_or(0.0, |l| l.lat);
            // Longitude cells narrow away from the equator: look further east and west.
            let reach = (1.0 / lat.to_radians().cos().max(0.05)).ceil() as i32 + 1;
            let mut keys = Vec::new();
            for dy in -1..=1 {
                for dx in -reach..=reach {
                    keys.push(Key::Cell(kind.clone(), y + dy, x + dx));
                }
            }
            keys
        }
        Some(key) => vec![key],
        None => Vec::new(),
    }
}

impl Merger {
    /// A merger that keeps `apart`'s reports apart.
    pub fn new(apart: Apart) -> Merger {
        Merger {
            index: HashMap::new(),
            apart,
        }
    }

    pub fn apart(&self) -> &Apart {
        &self.apart
    }

    /// The same merger, keeping `apart`'s reports apart from now on.
    pub fn with_apart(self, apart: Apart) -> Merger {
        Merger { apart, ..self }
    }

    /// Merges `current`, the next article in reading order, into `earlier` (all the articles
    /// before it, already merged): each of its incidents that is the same event as an earlier
    /// one is absorbed by the first such (in reading order); the rest stay in `current`.
    pub fn next<M: Merged + ?Sized>(
        &mut self,
        earlier: &mut M,
        current: &mut ArticleResult,
    ) -> Vec<Merge> {
        let mut merges = Vec::new();
        let mut kept_incidents = Vec::new();
        for incident in std::mem::take(&mut current.incidents) {
            let mut candidates: Vec<(usize, usize)> = keys_near(&incident)
                .iter()
                .filter_map(|k| self.index.get(k))
                .flatten()
                .copied()
                .collect();
            candidates.sort_unstable();
            candidates.dedup();
            let target = candidates.into_iter().find_map(|position| {
                let kept = earlier.at(position)?;
                if self.apart.forbids(kept, &incident) {
                    return None;
                }
                same_event(kept, &incident).map(|why| (position, why))
            });
            match target
                .and_then(|(position, why)| Some((position, why, earlier.at_mut(position)?)))
            {
                Some((position, reason, kept)) => {
                    merges.push(Merge {
                        kept: kept.id.clone(),
                        absorbed: incident.id.clone(),
                        reason,
                    });
                    absorb(kept, incident);
                    // Its place may have become more precise: file it there too.
                    if let Some(key) = key_of(kept) {
                        let entry = self.index.entry(key).or_default();
                        if !entry.contains(&position) {
                            entry.push(position);
                        }
                    }
                }
                None => kept_incidents.push(incident),
            }
        }
        for (i, incident) in kept_incidents.iter().enumerate() {
            if let Some(key) = key_of(incident) {
                self.index
                    .entry(key)
                    .or_default()
                    .push(earlier.next_position(i));
            }
        }
        current.incidents = kept_incidents;
        merges
    }
}

/// Makes `other` part of `kept`: its sources, evidence and merged parts; its place and date when
/// more precise; actors `kept` lacks; the lowest reported fatalities.
pub fn absorb(kept: &mut Incident, other: Incident) {
    for source in other.sources {
        if !kept.sources.contains(&source) {
            kept.sources.push(source);
        }
    }
    kept.evidence.extend(other.evidence);
    kept.merged_from.push(other.id);
    kept.merged_from.extend(other.merged_from);
    let better_place = match (&kept.location, &other.location) {
        (Some(k), Some(o)) => o.geo_precision < k.geo_precision,
        (None, Some(_)) => true,
        _ => false,
    };
    if better_place {
        kept.location = other.location;
        kept.status = other.status;
        kept.place_mention = other.place_mention;
        kept.candidates = other.candidates;
    }
    let better_date = match (kept.time_precision, other.time_precision) {
        (Some(k), Some(o)) => o < k || (o == k && kept.year_inferred && !other.year_inferred),
        (None, Some(_)) => true,
        _ => false,
    };
    if better_date {
        (kept.event_date, kept.time_precision, kept.year_inferred) =
            (other.event_date, other.time_precision, other.year_inferred);
        (kept.date_evidence, kept.date_source) = (other.date_evidence, other.date_source);
    }
    kept.actor1 = kept.actor1.take().or(other.actor1);
    kept.actor2 = kept.actor2.take().or(other.actor2);
    // ACLED: the lowest reported figure.
    kept.fatalities = match (kept.fatalities, other.fatalities) {
        (Some(a), Some(b)) if a > 0 && b > 0 => Some(a.min(b)),
        (Some(a), Some(b)) => Some(a.max(b)),
        (a, b) => a.or(b),
    };
}

/// How near another incident is to be offered to the analyst as possibly the same event.
pub const NEAR_KM: f64 = 50.0;
pub const NEAR_DAYS: i64 = 7;

/// The incidents of `all` that might be the same event as `incident`, nearest first (at most
/// `limit`): placed within `NEAR_KM` of it (or at the same unresolved name) and dated within
/// `NEAR_DAYS` (or undated). Each with why, in words ("3 km away, 1 day apart").
pub fn near_in_space_and_time(
    incident: &Incident,
    all: &[Incident],
    limit: usize,
) -> Vec<(usize, String)> {
    let date = |i: &Incident| {
        i.event_date
            .as_deref()
            .and_then(|d| d.parse::<NaiveDate>().ok())
    };
    let when = date(incident);
    let mut near: Vec<(f64, usize, String)> = all
        .iter()
        .enumerate()
        .filter(|(_, other)| other.id != incident.id)
        .filter_map(|(k, other)| {
            let (km, place) = match (&incident.location, &other.location) {
                // Half a degree of latitude is over 50 km: most are out before any trigonometry.
                (Some(a), Some(b)) if (a.lat - b.lat).abs() > 0.5 => return None,
                (Some(a), Some(b)) => {
                    let km = distance_km((a.lat, a.lon), (b.lat, b.lon));
                    (km <= NEAR_KM).then(|| (km, format!("{km:.0} km away")))?
                }
                (None, None) => {
                    let name = |i: &Incident| i.place_mention.as_deref().map(fold_key);
                    (name(incident).is_some() && name(incident) == name(other))
                        .then(|| (0.0, "same unresolved place".to_string()))?
                }
                _ => return None,
            };
            let (days, time) = match (when, date(other)) {
                (Some(a), Some(b)) => {
                    let days = (a - b).num_days().abs();
                    let words = match days {
                        0 => "same day".to_string(),
                        1 => "1 day apart".to_string(),
                        n => format!("{n} days apart"),
                    };
                    (days <= NEAR_DAYS).then_some((days, words))?
                }
                _ => (NEAR_DAYS, "a date unknown".to_string()),
            };
            Some((km + 5.0 * days as f64, k, format!("{place}, {time}")))
        })
        .collect();
    near.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.cmp(&b.1)));
    near.into_iter()
        .take(limit)
        .map(|(_, k, why)| (k, why))
        .collect()
}
