//! One pass over the incidents: which ones the filters show, and every count the panels and
//! the timeline draw beside them (per event type, actor, article, precision, status and day).
//! What each incident is filtered on is read once per change of the workspace.

use crate::engine::gazetteer::FastHasher;
use crate::engine::model::{Incident, LocationStatus};
use crate::ui::filter::{Day, Filters, TYPE_NAMES, TYPES, actors_of, span_of, type_index};
use crate::ui::search::SearchIndex;
use std::collections::{BTreeSet, HashMap};
use std::hash::BuildHasherDefault;

/// The filters an incident can fail, one bit each.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Facet {
    Time = 1,
    Type = 2,
    Actor = 4,
    Source = 8,
    Precision = 16,
    Status = 32,
    Search = 64,
}

/// The shown incidents and the counts around them. Each facet's counts are of the incidents
/// passing every other filter, so a checkbox's count says what ticking it would add.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Selection {
    pub shown: Vec<bool>,
    pub count: usize,
    pub by_type: [usize; TYPES],
    /// Parallel to `FilterIndex::actors` and `FilterIndex::sources`.
    pub by_actor: Vec<usize>,
    pub by_source: Vec<usize>,
    pub by_precision: [usize; 3],
    pub by_status: [usize; 3],
    /// Undated incidents passing every filter but time.
    pub undated: usize,
    pub days: DayCounts,
}

/// From how many incidents `FilterIndex::select` splits its pass over two threads.
const TWO_THREADS_FROM: usize = 20_000;

/// The shown incidents' counts over a stretch of them (`FilterIndex::tally`).
#[derive(Debug, Default)]
struct Tally {
    count: usize,
    by_type: [usize; TYPES],
    by_actor: Vec<usize>,
    by_source: Vec<usize>,
    by_precision: [usize; 3],
    by_status: [usize; 3],
}

impl Tally {
    fn add(&mut self, c: Count) {
        match c {
            Count::Shown => self.count += 1,
            Count::Type(t) => self.by_type[usize::from(t)] += 1,
            Count::Actor(a) => self.by_actor[a as usize] += 1,
            Count::Source(s) => self.by_source[s as usize] += 1,
            Count::Precision(p) => self.by_precision[usize::from(p)] += 1,
            Count::Status(s) => self.by_status[usize::from(s)] += 1,
        }
    }
}

/// Adds `more` into `into`, entry by entry.
fn add(into: &mut [usize], more: &[usize]) {
    for (a, b) in into.iter_mut().zip(more) {
        *a += b;
    }
}

/// Two lists of counts summed entry by entry (either may be empty).
fn sum(mut a: Vec<usize>, b: Vec<usize>) -> Vec<usize> {
    if a.len() < b.len() {
        return sum(b, a);
    }
    add(&mut a, &b);
    a
}

/// What each incident is filtered on, read once per workspace version.
#[derive(Debug, Default)]
pub struct FilterIndex {
    version: Option<u64>,
    spans: Vec<Option<(Day, Day)>>,
    types: Vec<u8>,
    precisions: Vec<u8>,
    statuses: Vec<u8>,
    /// Up to four actor ids per incident (`NO_ACTOR` pads).
    actor_ids: Vec<[u32; 4]>,
    /// Each incident's source ids: `source_ids[source_starts[i]..source_starts[i + 1]]`.
    source_starts: Vec<u32>,
    source_ids: Vec<u32>,
    actors: Vec<String>,
    sources: Vec<String>,
    /// Words of the places, actors and notes, for the search (made on the first search).
    search_index: Option<SearchIndex>,
    days: Option<(Day, Day)>,
    /// Which event types occur.
    type_present: [bool; TYPES],
    /// The last search and which incidents match it.
    search: Option<(String, Vec<bool>)>,
    /// The filters but time, and what they decide alone: brushing keeps it.
    timeless: Option<Timeless>,
    /// The last selection, for the next to slide from.
    last: Option<slide::Last>,
    /// The dated incidents by first and last day (made on the first slide).
    day_order: Option<slide::DayOrder>,
    /// How many selections were made by sliding the last one.
    slides: usize,
}

#[path = "selection_days.rs"]
mod days;
#[path = "selection_slide.rs"]
mod slide;

pub use days::DayCounts;

/// A count an incident adds one to (`FilterIndex::counts_of`).
#[derive(Debug, Clone, Copy)]
enum Count {
    Shown,
    Type(u8),
    Actor(u32),
    Source(u32),
    /// `geo_precision` less one.
    Precision(u8),
    Status(u8),
}

/// The facets each incident fails under the filters but time, and the timeline's counts,
/// which depend on those filters only: the incidents passing them all, per day, and undated.
#[derive(Debug)]
struct Timeless {
    filters: Filters,
    verdicts: Vec<u8>,
    days: DayCounts,
    undated: usize,
}

const NO_ACTOR: u32 = u32::MAX;

/// The longest stretch of days the timeline counts over (two centuries): a wild date in one
/// article must not make every count array huge.
const MAX_DAYS: i32 = 73_000;

/// Names numbered in order of first appearance.
#[derive(Default)]
struct Names<'a> {
    ids: HashMap<&'a str, u32, BuildHasherDefault<FastHasher>>,
    names: Vec<&'a str>,
}

impl<'a> Names<'a> {
    fn id(&mut self, name: &'a str) -> u32 {
        if let Some(id) = self.ids.get(name) {
            return *id;
        }
        let id = self.names.len() as u32;
        self.ids.insert(name, id);
        self.names.push(name);
        id
    }

    /// Puts the names, sorted, in `out`; returns each first-appearance id's sorted id.
    fn sorted(&self, out: &mut Vec<String>) -> Vec<u32> {
        let mut order: Vec<u32> = (0..self.names.len() as u32).collect();
        order.sort_by_key(|id| self.names[*id as usize]);
        *out = order
            .iter()
            .map(|id| self.names[*id as usize].to_string())
            .collect();
        let mut new_id = vec![0; order.len()];
        for (sorted, old) in order.iter().enumerate() {
            new_id[*old as usize] = sorted as u32;
        }
        new_id
    }
}

impl FilterIndex {
    /// Reads the incidents again when the workspace changed (`version` says when).
    pub fn update(&mut self, version: u64, incidents: &[Incident]) {
        if self.version == Some(version) {
            return;
        }
        *self = FilterIndex {
            version: Some(version),
            ..FilterIndex::default()
        };
        let mut actor_names = Names::default();
        let mut source_names = Names::default();
        self.source_starts.push(0);
        for i in incidents {
            let span = span_of(i);
            if let Some((a, b)) = span {
                let d = self.days.get_or_insert((a, b));
                *d = (d.0.min(a), d.1.max(b));
            }
            self.spans.push(span);
            let t = type_index(i.event_type.as_deref());
            self.type_present[t] = true;
            self.types.push(t as u8);
            self.precisions.push(
                i.location
                    .as_ref()
                    .map_or(0, |l| l.geo_precision.clamp(1, 3)),
            );
            self.statuses.push(match i.status {
                LocationStatus::Located => 0,
                LocationStatus::Approximate => 1,
                LocationStatus::Unlocated => 2,
            });
            let mut ids = [NO_ACTOR; 4];
            for (slot, name) in ids.iter_mut().zip(actors_of(i)) {
                *slot = actor_names.id(name);
            }
            self.actor_ids.push(ids);
            self.source_ids
                .extend(i.sources.iter().map(|s| source_names.id(s)));
            self.source_starts.push(self.source_ids.len() as u32);
        }
        // Ids in order of appearance, then renumbered so that names sort.
        let actor_order = actor_names.sorted(&mut self.actors);
        for id in self
            .actor_ids
            .iter_mut()
            .flatten()
            .filter(|a| **a != NO_ACTOR)
        {
            *id = actor_order[*id as usize];
        }
        let source_order = source_names.sorted(&mut self.sources);
        for id in &mut self.source_ids {
            *id = source_order[*id as usize];
        }
        if let Some((a, b)) = &mut self.days {
            *a = (*a).max(*b - MAX_DAYS);
        }
    }

    /// The actors named anywhere, sorted.
    pub fn actors(&self) -> &[String] {
        &self.actors
    }

    /// The articles incidents were read from, sorted.
    pub fn sources(&self) -> &[String] {
        &self.sources
    }

    /// Whether any incident has this event type (index into `TYPE_NAMES`).
    pub fn has_type(&self, t: usize) -> bool {
        self.type_present.get(t).copied().unwrap_or(false)
    }

    /// How many selections since the last change of the workspace were made by sliding the
    /// one before (the time range alone changed, by a little), not by a whole pass.
    pub fn slides(&self) -> usize {
        self.slides
    }

    /// The first and last day any dated incident may fall on.
    pub fn days(&self) -> Option<(Day, Day)> {
        self.days
    }

    /// Which incidents the filters show, and the counts around them: one pass over them, or,
    /// when only the time range moved and by a little, the last selection slid.
    pub fn select(&mut self, incidents: &[Incident], filters: &Filters) -> Selection {
        let selection = self.select_anew(incidents, filters);
        self.last = Some(slide::Last::new(filters, &selection));
        selection
    }

    fn select_anew(&mut self, incidents: &[Incident], filters: &Filters) -> Selection {
        let n = self.types.len().min(incidents.len());
        // Brushing changes only the time: the other facets' verdicts are kept.
        let timeless = Filters {
            range: None,
            include_undated: true,
            ..filters.clone()
        };
        if self.timeless.as_ref().is_none_or(|t| t.filters != timeless) {
            let verdicts = self.verdicts(incidents, &timeless);
            let (days, undated) = self.timeline_counts(&verdicts);
            self.timeless = Some(Timeless {
                filters: timeless,
                verdicts,
                days,
                undated,
            });
        }
        if let Some(slid) = self.slide(filters, n) {
            return slid;
        }
        let Some(cached) = self.timeless.as_ref() else {
            return Selection::default();
        };
        let mut out = Selection {
            shown: vec![false; n],
            days: cached.days.clone(),
            undated: cached.undated,
            ..Selection::default()
        };
        let verdicts = &cached.verdicts[..n.min(cached.verdicts.len())];
        let this = &*self;
        // Two halves on two threads when there are many: brushing redoes this every frame, on
        // the way to drawing it (100,000 incidents: 0.7 ms on one thread).
        let half = if n >= TWO_THREADS_FROM { n / 2 } else { n };
        let (front, back) = out.shown.split_at_mut(half.min(verdicts.len()));
        let split = front.len();
        let (front_verdicts, back_verdicts) = verdicts.split_at(split);
        let tallies = std::thread::scope(|scope| {
            let back_job = (!back.is_empty()).then(|| {
                std::thread::Builder::new()
                    .name("selection".into())
                    .spawn_scoped(scope, move || {
                        this.tally(back_verdicts, filters, split, back)
                    })
            });
            let front_tally = this.tally(front_verdicts, filters, 0, front);
            let back_tally = match back_job {
                Some(Ok(job)) => job.join().ok(),
                _ => None,
            };
            (front_tally, back_tally)
        });
        let back_tally = match tallies.1 {
            Some(tally) => tally,
            // No thread (or it failed): the second half here.
            None => this.tally(back_verdicts, filters, split, &mut out.shown[split..]),
        };
        for tally in [tallies.0, back_tally] {
            out.count += tally.count;
            add(&mut out.by_type, &tally.by_type);
            add(&mut out.by_precision, &tally.by_precision);
            add(&mut out.by_status, &tally.by_status);
            out.by_actor = sum(out.by_actor, tally.by_actor);
            out.by_source = sum(out.by_source, tally.by_source);
        }
        out
    }

    /// The shown incidents and the counts of a stretch of them, from the `first`: `verdicts`
    /// are their other facets' (time aside); `shown` is set for those the filters show.
    fn tally(&self, verdicts: &[u8], filters: &Filters, first: usize, shown: &mut [bool]) -> Tally {
        let range = filters.days();
        let mut out = Tally {
            by_actor: vec![0; self.actors.len()],
            by_source: vec![0; self.sources.len()],
            ..Tally::default()
        };
        for (k, (&verdict, shown)) in verdicts.iter().zip(shown.iter_mut()).enumerate() {
            let i = first + k;
            let on_time = match (self.spans[i], range) {
                (None, _) => filters.include_undated,
                (Some(_), None) => true,
                (Some((a, b)), Some((from, to))) => a <= to && b >= from,
            };
            *shown = self.counts_of(i, verdict, on_time, |c| out.add(c));
        }
        out
    }

    /// Calls `add` with each count incident `i` adds one to, given the facets it fails but
    /// time (`verdict`) and whether it falls in the time range; returns whether it is shown.
    /// A facet's counts are of the incidents failing no other facet.
    #[inline]
    fn counts_of(&self, i: usize, verdict: u8, on_time: bool, mut add: impl FnMut(Count)) -> bool {
        let failed = if on_time {
            verdict
        } else {
            verdict | Facet::Time as u8
        };
        if failed.count_ones() > 1 {
            // Fails two filters or more: counts nowhere.
            return false;
        }
        let all_but = |facet: Facet| failed & !(facet as u8) == 0;
        if failed == 0 {
            add(Count::Shown);
        }
        if all_but(Facet::Type) {
            add(Count::Type(self.types[i]));
        }
        if all_but(Facet::Actor) {
            for &a in self.actor_ids[i].iter().filter(|a| **a != NO_ACTOR) {
                add(Count::Actor(a));
            }
        }
        if all_but(Facet::Source) {
            for &s in self.sources_of(i) {
                add(Count::Source(s));
            }
        }
        let precision = self.precisions[i];
        if all_but(Facet::Precision) && precision > 0 {
            add(Count::Precision(precision - 1));
        }
        if all_but(Facet::Status) {
            add(Count::Status(self.statuses[i]));
        }
        failed == 0
    }

    fn sources_of(&self, i: usize) -> &[u32] {
        let (a, b) = (self.source_starts[i], self.source_starts[i + 1]);
        self.source_ids
            .get(a as usize..b as usize)
            .unwrap_or_default()
    }

    /// Each incident's failed facets, time aside: one bit per filter it fails.
    fn verdicts(&mut self, incidents: &[Incident], filters: &Filters) -> Vec<u8> {
        let n = self.types.len().min(incidents.len());
        let search = self
            .search_hits(incidents, &filters.search)
            .map(<[bool]>::to_vec);
        let wanted = |names: &[String], chosen: &BTreeSet<String>| -> Option<Vec<bool>> {
            (!chosen.is_empty()).then(|| names.iter().map(|a| chosen.contains(a)).collect())
        };
        let (actors, sources) = (
            wanted(&self.actors, &filters.actors),
            wanted(&self.sources, &filters.sources),
        );
        let types: [bool; TYPES] =
            std::array::from_fn(|t| !filters.hidden_types.contains(TYPE_NAMES[t]));
        // One loop per filter in use (a filter at its default fails nobody).
        let mut verdicts = vec![0u8; n];
        let mut mark = |facet: Facet, passes: &dyn Fn(usize) -> bool| {
            for (i, v) in verdicts.iter_mut().enumerate() {
                if !passes(i) {
                    *v |= facet as u8;
                }
            }
        };
        if types.contains(&false) {
            mark(Facet::Type, &|i| types[usize::from(self.types[i])]);
        }
        if let Some(wanted) = &actors {
            mark(Facet::Actor, &|i| {
                self.actor_ids[i]
                    .iter()
                    .any(|&a| a != NO_ACTOR && wanted[a as usize])
            });
        }
        if let Some(wanted) = &sources {
            mark(Facet::Source, &|i| {
                self.sources_of(i).iter().any(|&s| wanted[s as usize])
            });
        }
        if filters.precisions.contains(&false) {
            mark(Facet::Precision, &|i| {
                let p = self.precisions[i];
                p == 0 || filters.precisions[usize::from(p) - 1]
            });
        }
        if filters.statuses.contains(&false) {
            mark(Facet::Status, &|i| {
                filters.statuses[usize::from(self.statuses[i])]
            });
        }
        if let Some(hits) = &search {
            mark(Facet::Search, &|i| hits[i]);
        }
        verdicts
    }

    /// Which incidents hold every word of `query`; None when it has none. The index is made
    /// on the first search (most sessions never search) and the answer kept until the query
    /// changes, so brushing does not search again.
    fn search_hits(&mut self, incidents: &[Incident], query: &str) -> Option<&[bool]> {
        if query.trim().is_empty() {
            return None;
        }
        if self.search.as_ref().is_none_or(|(q, _)| q != query) {
            let index = match &mut self.search_index {
                Some(index) if index.len() == incidents.len() => index,
                slot => slot.insert(SearchIndex::new(incidents)),
            };
            let hits = index.hits(query)?;
            self.search = Some((query.to_string(), hits));
        }
        self.search.as_ref().map(|(_, hits)| hits.as_slice())
    }
}
