//! One event reported by several articles becomes one incident with several sources: same
//! event type, a shared actor, places within 10 km (or the same unresolved name), and dates
//! within two days. Every merge is reported, so that the analyst can undo it.

use crate::engine::geo::distance_km;
use crate::engine::model::{ArticleResult, Incident};
use crate::engine::normalize::fold_key;
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};

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
/// incident and gains the others' sources and evidence.
pub fn across_articles(results: &mut [ArticleResult]) -> Vec<Merge> {
    let mut merges = Vec::new();
    for later in 1..results.len() {
        let (earlier, rest) = results.split_at_mut(later);
        let current = &mut rest[0];
        let mut kept_incidents = Vec::new();
        for incident in std::mem::take(&mut current.incidents) {
            let target = earlier
                .iter_mut()
                .flat_map(|r| r.incidents.iter_mut())
                .find_map(|k| same_event(k, &incident).map(|why| (k, why)));
            match target {
                Some((kept, reason)) => {
                    merges.push(Merge {
                        kept: kept.id.clone(),
                        absorbed: incident.id.clone(),
                        reason,
                    });
                    absorb(kept, incident);
                }
                None => kept_incidents.push(incident),
            }
        }
        current.incidents = kept_incidents;
    }
    merges
}

fn absorb(kept: &mut Incident, other: Incident) {
    for source in other.sources {
        if !kept.sources.contains(&source) {
            kept.sources.push(source);
        }
    }
    kept.evidence.extend(other.evidence);
    kept.merged_from.push(other.id);
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
