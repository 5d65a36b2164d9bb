//! The time brush sliding (or playback): only the incidents that enter or leave the time
//! range are counted again, found from the dated incidents sorted by their first and by their
//! last day. A slide of a day over 100,000 incidents touches a few hundred of them, where a
//! whole pass reads them all (about 0.6 ms of the UI thread's time, every frame of a slide).

use super::{Count, FilterIndex, Selection};
use crate::ui::filter::{Day, Filters};

/// The last selection made, and the filters it was made under: the start of the next slide.
#[derive(Debug)]
pub(super) struct Last {
    filters: Filters,
    selection: Selection,
}

impl Last {
    pub(super) fn new(filters: &Filters, selection: &Selection) -> Last {
        Last {
            filters: filters.clone(),
            selection: selection.clone(),
        }
    }
}

/// The dated incidents, by first day and by last day (made on the first slide).
#[derive(Debug, Default)]
pub(super) struct DayOrder {
    by_first: Vec<(Day, u32)>,
    by_last: Vec<(Day, u32)>,
}

impl DayOrder {
    fn of(spans: &[Option<(Day, Day)>]) -> DayOrder {
        let dated = || {
            spans
                .iter()
                .enumerate()
                .filter_map(|(i, s)| s.map(|span| (span, i as u32)))
        };
        let mut by_first: Vec<(Day, u32)> = dated().map(|((a, _), i)| (a, i)).collect();
        let mut by_last: Vec<(Day, u32)> = dated().map(|((_, b), i)| (b, i)).collect();
        by_first.sort_unstable();
        by_last.sort_unstable();
        DayOrder { by_first, by_last }
    }

    /// The incidents that may be in one range and not the other: those whose first day lies
    /// between the two ranges' ends (`a <= to` changes) or whose last day lies between their
    /// starts (`b >= from` changes); each once, ascending.
    fn between(&self, was: (Day, Day), now: (Day, Day)) -> Vec<usize> {
        // First days in (lower end, higher end]; last days in [lower start, higher start).
        let firsts = stretch(&self.by_first, was.1.min(now.1) + 1, was.1.max(now.1) + 1);
        let lasts = stretch(&self.by_last, was.0.min(now.0), was.0.max(now.0));
        let mut out: Vec<usize> = firsts
            .iter()
            .chain(lasts)
            .map(|&(_, i)| i as usize)
            .collect();
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// The entries of `sorted` whose day is in `from..until`.
fn stretch(sorted: &[(Day, u32)], from: Day, until: Day) -> &[(Day, u32)] {
    let start = sorted.partition_point(|&(d, _)| d < from);
    let end = sorted.partition_point(|&(d, _)| d < until).max(start);
    &sorted[start..end]
}

/// A move of the range that may change more than this share of the incidents (one in eight)
/// is a jump, not a slide: it is counted by a whole pass.
const MOST_CHANGED: usize = 8;

impl FilterIndex {
    /// The selection under `filters` by sliding the last one, when they differ from its
    /// filters by the time range only, over the same `n` incidents; None when a whole pass is
    /// needed.
    pub(super) fn slide(&mut self, filters: &Filters, n: usize) -> Option<Selection> {
        // Taken, not copied: `select` keeps whichever selection it makes next.
        let last = self.last.take()?;
        let (was, now) = (last.filters.days()?, filters.days()?);
        let timeless = |f: &Filters| Filters {
            range: None,
            ..f.clone()
        };
        if timeless(&last.filters) != timeless(filters) {
            return None;
        }
        let verdicts = &self.timeless.as_ref()?.verdicts;
        if last.selection.shown.len() != n || verdicts.len() < n || self.spans.len() < n {
            return None;
        }
        let order = self
            .day_order
            .get_or_insert_with(|| DayOrder::of(&self.spans));
        let changed = order.between(was, now);
        if changed.len() > n / MOST_CHANGED {
            return None;
        }
        let mut out = last.selection;
        let on_time = |i: usize, (from, to): (Day, Day)| {
            self.spans[i].is_some_and(|(a, b)| a <= to && b >= from)
        };
        for i in changed.into_iter().filter(|&i| i < n) {
            let (before, after) = (on_time(i, was), on_time(i, now));
            if before == after {
                continue;
            }
            self.counts_of(i, verdicts[i], before, |c| out.bump(c, false));
            let shown = self.counts_of(i, verdicts[i], after, |c| out.bump(c, true));
            out.shown[i] = shown;
        }
        self.slides += 1;
        Some(out)
    }
}

impl Selection {
    /// One more (`up`) or one fewer in the count `c`.
    fn bump(&mut self, c: Count, up: bool) {
        let counter = match c {
            Count::Shown => &mut self.count,
            Count::Type(t) => &mut self.by_type[usize::from(t)],
            Count::Actor(a) => match self.by_actor.get_mut(a as usize) {
                Some(n) => n,
                None => return,
            },
            Count::Source(s) => match self.by_source.get_mut(s as usize) {
                Some(n) => n,
                None => return,
            },
            Count::Precision(p) => &mut self.by_precision[usize::from(p)],
            Count::Status(s) => &mut self.by_status[usize::from(s)],
        };
        *counter = if up {
            counter.saturating_add(1)
        } else {
            counter.saturating_sub(1)
        };
    }
}
