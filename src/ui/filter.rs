//! Which incidents are shown: the analyst's filters and time brush (kept between runs), what
//! each incident is filtered on (indexed once per change of the workspace), and one pass over
//! the incidents that gives the shown set with every count the panels and the timeline draw.
//! No egui here: the benchmark and the tests drive it directly.

use crate::engine::model::Incident;
use crate::ui::selection::{FilterIndex, Selection};
use chrono::{Datelike, NaiveDate};
use serde::{Deserialize, Serialize};
use std::collections::BTreeSet;

/// ACLED's six event types, then incidents whose type the text did not give.
pub const TYPE_NAMES: [&str; 7] = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Strategic developments",
    "Protests",
    "Riots",
    UNKNOWN_TYPE,
];
pub const UNKNOWN_TYPE: &str = "Type unknown";
pub const TYPES: usize = TYPE_NAMES.len();

/// The location statuses, in the order of `Selection::by_status` and `Filters::statuses`.
pub const STATUS_NAMES: [&str; 3] = ["Located", "Approximate", "Unlocated"];

/// A day as a number: days since 1 January 1970.
pub type Day = i32;

const EPOCH_FROM_CE: i32 = 719_163;

pub fn day_of(date: NaiveDate) -> Day {
    date.num_days_from_ce() - EPOCH_FROM_CE
}

/// The date of a day number (days outside chrono's range clamp to its ends).
pub fn date_of(day: Day) -> NaiveDate {
    NaiveDate::from_num_days_from_ce_opt(day.saturating_add(EPOCH_FROM_CE)).unwrap_or(if day < 0 {
        NaiveDate::MIN
    } else {
        NaiveDate::MAX
    })
}

/// The days an incident may have happened on (`Incident::period`), as day numbers.
pub fn span_of(incident: &Incident) -> Option<(Day, Day)> {
    incident.period().map(|(a, b)| (day_of(a), day_of(b)))
}

/// What the analyst chose to see. Empty sets mean "all"; types are kept as the hidden ones,
/// so a type that appears later shows.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Filters {
    /// The brushed days, inclusive; None: all time. An incident known only to the week or
    /// month is in when its period overlaps the range.
    pub range: Option<(NaiveDate, NaiveDate)>,
    /// Undated incidents are shown, whatever the range (on by default: nothing hides).
    pub include_undated: bool,
    pub hidden_types: BTreeSet<String>,
    /// Shown: incidents with any of these as an actor (actor1, actor2 or associated).
    pub actors: BTreeSet<String>,
    /// Shown: incidents read from any of these articles.
    pub sources: BTreeSet<String>,
    /// Geo precision 1, 2, 3 shown (unlocated incidents have none; `statuses` covers them).
    pub precisions: [bool; 3],
    /// Located, approximate, unlocated shown.
    pub statuses: [bool; 3],
    /// Words that must all occur in the place, the actors or the notes (case and accents
    /// ignored).
    pub search: String,
}

impl Default for Filters {
    fn default() -> Filters {
        Filters {
            range: None,
            include_undated: true,
            hidden_types: BTreeSet::new(),
            actors: BTreeSet::new(),
            sources: BTreeSet::new(),
            precisions: [true; 3],
            statuses: [true; 3],
            search: String::new(),
        }
    }
}

impl Filters {
    /// The brushed range as day numbers.
    pub fn days(&self) -> Option<(Day, Day)> {
        self.range.map(|(a, b)| (day_of(a), day_of(b)))
    }

    pub fn set_days(&mut self, days: Option<(Day, Day)>) {
        self.range = days.map(|(a, b)| (date_of(a.min(b)), date_of(a.max(b))));
    }
}

/// The index of an event type in `TYPE_NAMES`.
pub fn type_index(event_type: Option<&str>) -> usize {
    event_type
        .and_then(|t| TYPE_NAMES[..TYPES - 1].iter().position(|n| *n == t))
        .unwrap_or(TYPES - 1)
}

/// The incident's actors: actor1, actor2, then the associated ones.
pub fn actors_of(i: &Incident) -> impl Iterator<Item = &str> {
    [&i.actor1, &i.actor2, &i.assoc_actor_1, &i.assoc_actor_2]
        .into_iter()
        .filter_map(|a| a.as_deref())
}

/// The filters in one line, for the top of the map: a screenshot says what it shows.
/// "Showing 12 of 40 incidents · 1 Jun 2025 – 7 Jun 2025 · Battles · actors: JNIM".
pub fn summary(filters: &Filters, shown: usize, total: usize, undated: usize) -> String {
    let mut parts = vec![if shown == total {
        format!("Showing all {total} incidents")
    } else {
        format!("Showing {shown} of {total} incidents")
    }];
    parts.push(match filters.range {
        Some(range) => range_text(range),
        None => "all dates".into(),
    });
    parts.extend(filter_parts(filters, undated));
    parts.join(" · ")
}

/// "7 Jun 2025", or "1 Jun 2025 – 7 Jun 2025".
pub fn range_text((a, b): (NaiveDate, NaiveDate)) -> String {
    if a == b {
        a.format("%-d %b %Y").to_string()
    } else {
        format!("{} – {}", a.format("%-d %b %Y"), b.format("%-d %b %Y"))
    }
}

/// What the filters other than time say, one part each: undated, types, actors, articles,
/// precision, status, search. Empty when nothing is filtered out.
pub fn filter_parts(filters: &Filters, undated: usize) -> Vec<String> {
    let mut parts = Vec::new();
    if undated > 0 {
        parts.push(if filters.include_undated {
            format!("{undated} undated included")
        } else {
            format!("{undated} undated hidden")
        });
    }
    if !filters.hidden_types.is_empty() {
        let shown: Vec<&str> = TYPE_NAMES
            .iter()
            .copied()
            .filter(|t| !filters.hidden_types.contains(*t))
            .collect();
        parts.push(if shown.is_empty() {
            "no event type".into()
        } else {
            shown.join(", ")
        });
    }
    let list = |label: &str, names: &BTreeSet<String>| {
        (!names.is_empty()).then(|| {
            let names: Vec<&str> = names.iter().map(String::as_str).collect();
            format!("{label}: {}", names.join(", "))
        })
    };
    parts.extend(list("actors", &filters.actors));
    parts.extend(list("articles", &filters.sources));
    let levels = |label: &str, on: &[bool; 3], names: [&str; 3]| {
        (on.iter().any(|x| !x)).then(|| {
            let names: Vec<&str> = (0..3).filter(|k| on[*k]).map(|k| names[k]).collect();
            format!("{label}: {}", names.join(", "))
        })
    };
    parts.extend(levels(
        "geo precision",
        &filters.precisions,
        ["1", "2", "3"],
    ));
    parts.extend(levels(
        "status",
        &filters.statuses,
        ["located", "approximate", "unlocated"],
    ));
    if !filters.search.trim().is_empty() {
        parts.push(format!("search \u{201c}{}\u{201d}", filters.search.trim()));
    }
    parts
}

/// The index and the selection for the current incidents and filters, redone only when one
/// of them changed; `generation` counts the changes (views cache what they derive on it).
#[derive(Debug, Default)]
pub struct Filtered {
    pub index: FilterIndex,
    pub selection: Selection,
    key: Option<(u64, Filters)>,
    generation: u64,
}

impl Filtered {
    pub fn update(&mut self, version: u64, incidents: &[Incident], filters: &Filters) {
        if self
            .key
            .as_ref()
            .is_some_and(|(v, f)| *v == version && f == filters)
        {
            return;
        }
        self.index.update(version, incidents);
        self.selection = self.index.select(incidents, filters);
        self.key = Some((version, filters.clone()));
        self.generation += 1;
    }

    pub fn generation(&self) -> u64 {
        self.generation
    }

    pub fn is_shown(&self, i: usize) -> bool {
        self.selection.shown.get(i).copied().unwrap_or(false)
    }
}
