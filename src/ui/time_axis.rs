//! The timeline's arithmetic, apart from its drawing: the bins a visible span is counted in
//! (days, weeks or months), the dated ticks under them, and one step of playback.

use crate::ui::filter::{Day, TYPES, date_of, day_of};
use crate::ui::selection::DayCounts;
use chrono::{Datelike, Months, NaiveDate};
use serde::{Deserialize, Serialize};

/// How long a histogram bar is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bin {
    Day,
    /// Monday to Sunday.
    Week,
    Month,
}

impl Bin {
    /// The finest bin whose bars are at least `min_px` wide at `px_per_day`.
    pub fn for_scale(px_per_day: f64, min_px: f64) -> Bin {
        if px_per_day >= min_px {
            Bin::Day
        } else if px_per_day * 7.0 >= min_px {
            Bin::Week
        } else {
            Bin::Month
        }
    }

    /// The bin holding `day`: its first day and the first day after it.
    pub fn around(self, day: Day) -> (Day, Day) {
        match self {
            Bin::Day => (day, day + 1),
            Bin::Week => {
                let start = day - date_of(day).weekday().num_days_from_monday() as Day;
                (start, start + 7)
            }
            Bin::Month => {
                let date = date_of(day);
                let first = date.with_day(1).unwrap_or(date);
                let next = first.checked_add_months(Months::new(1)).unwrap_or(first);
                (day_of(first), day_of(next).max(day + 1))
            }
        }
    }

    /// The bins covering `from..=to`, in order.
    pub fn covering(self, from: Day, to: Day) -> impl Iterator<Item = (Day, Day)> {
        let mut at = from;
        std::iter::from_fn(move || {
            (at <= to).then(|| {
                let bin = self.around(at);
                at = bin.1;
                bin
            })
        })
    }

    /// Its length in days, roughly (months as 30): how far one playback step moves.
    pub fn days(self) -> f64 {
        match self {
            Bin::Day => 1.0,
            Bin::Week => 7.0,
            Bin::Month => 30.0,
        }
    }
}

/// One histogram bar's counts per event type: incidents dated to the day, and the shares of
/// those known to the week or month.
pub type Bar = ([u32; TYPES], [f32; TYPES]);

/// The bar of the bin `start..end`.
pub fn bar(days: &DayCounts, (start, end): (Day, Day)) -> Bar {
    let mut exact = [0u32; TYPES];
    let mut spread = [0f32; TYPES];
    let from = start.max(days.first);
    let to = (end - 1).min(days.last());
    for day in from..=to {
        let (e, s) = days.at(day);
        for t in 0..TYPES {
            exact[t] += e[t];
            spread[t] += s[t];
        }
    }
    (exact, spread)
}

/// Tick marks for the axis: the day each falls on and its label, at least `min_px` apart.
pub fn ticks(from: f64, to: f64, px_per_day: f64, min_px: f64) -> Vec<(Day, String)> {
    // (step, unit) candidates, finest first: days, weeks, months, years.
    const STEPS: [(u32, char); 13] = [
        (1, 'd'),
        (2, 'd'),
        (7, 'w'),
        (14, 'w'),
        (1, 'm'),
        (2, 'm'),
        (3, 'm'),
        (6, 'm'),
        (12, 'm'),
        (24, 'm'),
        (60, 'm'),
        (120, 'm'),
        (600, 'm'),
    ];
    let approx_days = |(n, unit): (u32, char)| {
        f64::from(n)
            * match unit {
                'd' => 1.0,
                'w' => 1.0,
                _ => 30.4,
            }
    };
    let step = STEPS
        .into_iter()
        .find(|s| approx_days(*s) * px_per_day >= min_px)
        .unwrap_or(STEPS[STEPS.len() - 1]);
    let (first, last) = (from.floor() as Day, to.ceil() as Day);
    let mut out = Vec::new();
    let mut previous_year: Option<i32> = None;
    let mut label = |day: Day, out: &mut Vec<(Day, String)>| {
        let date = date_of(day);
        let year_changed = previous_year != Some(date.year());
        previous_year = Some(date.year());
        let text = match (step.1, year_changed) {
            ('m', _) if step.0 >= 12 => date.format("%Y").to_string(),
            ('m', true) => date.format("%b %Y").to_string(),
            ('m', false) => date.format("%b").to_string(),
            (_, true) => date.format("%-d %b %Y").to_string(),
            (_, false) => date.format("%-d %b").to_string(),
        };
        out.push((day, text));
    };
    match step.1 {
        'm' => {
            let start = date_of(first);
            let months = start.year() * 12 + start.month0() as i32;
            let mut m = months - months.rem_euclid(step.0 as i32);
            while let Some(date) =
                NaiveDate::from_ymd_opt(m.div_euclid(12), m.rem_euclid(12) as u32 + 1, 1)
            {
                let day = day_of(date);
                if day > last {
                    break;
                }
                if day >= first {
                    label(day, &mut out);
                }
                m += step.0 as i32;
            }
        }
        unit => {
            let n = step.0 as Day;
            // Weeks start on Mondays; days count from the epoch so ticks stay put when panning.
            let mut day = if unit == 'w' {
                Bin::Week.around(first).0
            } else {
                first - first.rem_euclid(n)
            };
            while day <= last {
                if day >= first {
                    label(day, &mut out);
                }
                day += n;
            }
        }
    }
    out
}

/// How playback moves the brush.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum PlayMode {
    /// A window of `window_days` slides forward.
    Window,
    /// Everything up to the playhead.
    Cumulative,
}

/// Playback's settings, kept between runs.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Playback {
    pub mode: PlayMode,
    pub window_days: u32,
    /// 0.5× to 10×; at 1× the playhead moves one histogram bar a second.
    pub speed: f32,
    /// Jump over stretches with no incident.
    pub skip_empty: bool,
}

impl Default for Playback {
    fn default() -> Playback {
        Playback {
            mode: PlayMode::Window,
            window_days: 7,
            speed: 1.0,
            skip_empty: true,
        }
    }
}

impl Playback {
    /// Where playback starts: the first counted day in view of the whole window.
    pub fn start(&self, days: &DayCounts) -> Day {
        let first = first_busy_day(days, days.first).unwrap_or(days.first);
        match self.mode {
            PlayMode::Window => first + self.window_days.max(1) as Day - 1,
            PlayMode::Cumulative => first,
        }
    }

    /// The playhead `by` days further on, over empty stretches when asked; None past the end.
    pub fn advance(&self, at: f64, by: f64, days: &DayCounts) -> Option<f64> {
        let next = at + by;
        if next.floor() as Day > days.last() {
            return None;
        }
        if !self.skip_empty {
            return Some(next);
        }
        let (from, to) = self.brush(next, days.first);
        let from = match self.mode {
            PlayMode::Window => from,
            // Cumulative: what the step added.
            PlayMode::Cumulative => at.floor() as Day + 1,
        };
        if (from..=to).any(|d| days.any_on(d)) {
            return Some(next);
        }
        // The next day with an incident becomes the brush's last day.
        first_busy_day(days, to + 1).map(f64::from)
    }

    /// The days shown with the playhead at `at`.
    pub fn brush(&self, at: f64, first: Day) -> (Day, Day) {
        let end = at.floor() as Day;
        match self.mode {
            PlayMode::Window => (end - self.window_days.max(1) as Day + 1, end),
            PlayMode::Cumulative => (first.min(end), end),
        }
    }
}

fn first_busy_day(days: &DayCounts, from: Day) -> Option<Day> {
    (from.max(days.first)..=days.last()).find(|d| days.any_on(*d))
}
