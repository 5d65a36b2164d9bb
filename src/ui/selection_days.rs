//! The timeline's counts: per day and event type, the incidents passing every filter but
//! time, those dated to a day counted on it and those known to a week or month spread over it.

use super::FilterIndex;
use crate::ui::filter::{Day, TYPES};

/// Per-day counts of the incidents passing every filter but time, by event type: those
/// dated to the day, and those known to a week or month spread evenly over it.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct DayCounts {
    pub first: Day,
    pub exact: Vec<[u32; TYPES]>,
    pub spread: Vec<[f32; TYPES]>,
}

impl DayCounts {
    /// The counts of a day (zeros outside the counted stretch).
    pub fn at(&self, day: Day) -> ([u32; TYPES], [f32; TYPES]) {
        let i = i64::from(day) - i64::from(self.first);
        match usize::try_from(i) {
            Ok(i) if i < self.exact.len() => (self.exact[i], self.spread[i]),
            _ => ([0; TYPES], [0.0; TYPES]),
        }
    }

    pub fn last(&self) -> Day {
        self.first + self.exact.len() as Day - 1
    }

    /// Whether any incident may fall on `day`.
    pub fn any_on(&self, day: Day) -> bool {
        let (exact, spread) = self.at(day);
        exact.iter().any(|n| *n > 0) || spread.iter().any(|n| *n > 1e-6)
    }

    /// Counts one incident: on its day, or spread over its period (into `diff`, a difference
    /// array summed once at the end).
    fn add(&mut self, diff: &mut [[f64; TYPES]], a: Day, b: Day, ty: usize) {
        let last = self.last();
        let (a, b) = (a.max(self.first), b.min(last));
        if a > b {
            return;
        }
        let (ia, ib) = ((a - self.first) as usize, (b - self.first) as usize);
        if ia == ib {
            self.exact[ia][ty] += 1;
        } else {
            let share = 1.0 / (ib - ia + 1) as f64;
            diff[ia][ty] += share;
            diff[ib + 1][ty] -= share;
        }
    }
}

impl FilterIndex {
    /// The timeline's counts: the incidents that fail no filter but time (`verdicts` are the
    /// others'), per day and type (a week or month spread over its days), and the undated.
    pub(super) fn timeline_counts(&self, verdicts: &[u8]) -> (DayCounts, usize) {
        let mut days = self.empty_days();
        let mut undated = 0;
        let mut diff: Vec<[f64; TYPES]> = vec![[0.0; TYPES]; days.exact.len() + 1];
        for (i, _) in verdicts.iter().enumerate().filter(|(_, v)| **v == 0) {
            match self.spans.get(i).copied().flatten() {
                None => undated += 1,
                Some((a, b)) => days.add(&mut diff, a, b, usize::from(self.types[i])),
            }
        }
        let mut running = [0.0f64; TYPES];
        for (day, step) in days.spread.iter_mut().zip(&diff) {
            for t in 0..TYPES {
                running[t] += step[t];
                day[t] = running[t].max(0.0) as f32;
            }
        }
        (days, undated)
    }

    fn empty_days(&self) -> DayCounts {
        let (first, last) = self.days.unwrap_or((0, -1));
        let len = usize::try_from(last - first + 1).unwrap_or(0);
        DayCounts {
            first,
            exact: vec![[0; TYPES]; len],
            spread: vec![[0.0; TYPES]; len],
        }
    }
}
