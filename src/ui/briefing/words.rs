//! The words of a briefing picture: its title (by default from the filters), the period it
//! covers, the filters in force and when it was made.

use crate::engine::model::Incident;
use crate::ui::filter::{self, Filters, TYPES};
use std::collections::BTreeSet;

/// The words around the map.
#[derive(Debug, Clone, PartialEq)]
pub struct Briefing {
    pub title: String,
    /// The dates the picture covers ("1 Jun 2025 – 7 Jun 2025", "All dates (…)").
    pub period: String,
    /// The filters in force, in one line ("No filters" when none).
    pub filters: String,
    /// When and by what the picture was made.
    pub generated: String,
}

impl Briefing {
    /// The words for these filters and the incidents they show (`total`: of how many read).
    pub fn new(filters: &Filters, shown: &[&Incident], total: usize, undated: usize) -> Briefing {
        let parts = filter::filter_parts(filters, undated);
        let articles: BTreeSet<&str> = shown
            .iter()
            .flat_map(|i| i.sources.iter().map(String::as_str))
            .collect();
        let from = match articles.len() {
            1 => " from 1 article".to_string(),
            n => format!(" from {n} articles"),
        };
        let mut line = if shown.len() == total {
            format!("All {total} incidents read{from}")
        } else {
            format!(
                "{} of {total} incidents read, shown ones{from}",
                shown.len()
            )
        };
        if parts.is_empty() {
            line.push_str(" · no filters");
        } else {
            line.push_str(" · ");
            line.push_str(&parts.join(" · "));
        }
        Briefing {
            title: default_title(filters),
            period: period_text(filters.range, shown),
            filters: line,
            generated: generated_now(),
        }
    }
}

/// A title from the filters: "Battles in Mali, 1 Jun 2025 – 7 Jun 2025", "Incidents
/// involving JNIM in Mali".
pub fn default_title(filters: &Filters) -> String {
    let shown: Vec<&str> = filter::TYPE_NAMES[..TYPES - 1]
        .iter()
        .copied()
        .filter(|t| !filters.hidden_types.contains(*t))
        .collect();
    let mut title = match shown.as_slice() {
        [one] if !filters.hidden_types.is_empty() => (*one).to_string(),
        [a, b] => format!("{a} and {}", b.to_lowercase()),
        _ => "Incidents".to_string(),
    };
    if (1..=2).contains(&filters.actors.len()) {
        let actors: Vec<&str> = filters.actors.iter().map(|a| short_actor(a)).collect();
        title.push_str(&format!(" involving {}", actors.join(" or ")));
    }
    title.push_str(" in Mali");
    if let Some(range) = filters.range {
        title.push_str(", ");
        title.push_str(&filter::range_text(range));
    }
    title
}

/// "JNIM" for "JNIM: Group for Support of Islam and Muslims".
fn short_actor(actor: &str) -> &str {
    actor.split(':').next().unwrap_or(actor).trim()
}

/// The dates covered: the time filter's, else every date of the incidents shown.
pub fn period_text(
    range: Option<(chrono::NaiveDate, chrono::NaiveDate)>,
    shown: &[&Incident],
) -> String {
    if let Some(range) = range {
        return filter::range_text(range);
    }
    let spans = shown.iter().filter_map(|i| i.period());
    match spans.reduce(|a, b| (a.0.min(b.0), a.1.max(b.1))) {
        Some(span) => format!("All dates ({})", filter::range_text(span)),
        None => "All dates (none of the incidents is dated)".into(),
    }
}

/// "Generated 22 Nov 2026 09:14 (UTC+01:00) · Incident Map 0.1.0".
pub fn generated_now() -> String {
    format!(
        "Generated {} · Incident Map {}",
        chrono::Local::now().format("%-d %b %Y %H:%M (UTC%:z)"),
        env!("CARGO_PKG_VERSION")
    )
}

/// The types to hide so that only these show (names matched ignoring case).
pub fn hidden_types_except(shown: &[String]) -> BTreeSet<String> {
    filter::TYPE_NAMES
        .iter()
        .filter(|t| !shown.iter().any(|s| s.eq_ignore_ascii_case(t)))
        .map(|t| (*t).to_string())
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn titles_say_what_the_filters_keep() {
        let mut filters = Filters::default();
        assert_eq!(default_title(&filters), "Incidents in Mali");
        filters.hidden_types = hidden_types_except(&["battles".into()]);
        filters
            .actors
            .insert("JNIM: Group for Support of Islam and Muslims".into());
        filters.range = Some((
            chrono::NaiveDate::from_ymd_opt(2025, 6, 1).expect("date"),
            chrono::NaiveDate::from_ymd_opt(2025, 6, 7).expect("date"),
        ));
        assert_eq!(
            default_title(&filters),
            "Battles involving JNIM in Mali, 1 Jun 2025 – 7 Jun 2025"
        );
    }
}
