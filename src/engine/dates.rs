//! Dates in the text, French and English: absolute ("7 juin 2025", "June 7, 2025", "07/06/2025"),
//! partial ("le 24 novembre", "Samedi 7 juin", "on Sunday") and relative ("hier", "la semaine
//! dernière", "mi-juin", "moins d'une semaine après"), resolved against a reference date with
//! ACLED's time precision (1 day, 2 week, 3 month, coded to the middle of the period).

use crate::engine::cues::re;
use crate::engine::gate::Gate;
use crate::engine::model::Span;
use crate::engine::normalize::Folded;
use chrono::{Datelike, Days, NaiveDate, Weekday};
use regex::{Captures, Regex};
use serde::{Deserialize, Serialize};
use std::sync::LazyLock;

/// A date the text gives, resolved.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct DateMention {
    /// Span in the original text.
    pub span: Span,
    pub date: NaiveDate,
    /// ACLED time precision: 1 the day, 2 within a week, 3 within a month.
    pub precision: u8,
    /// The text gives no year; it was taken as the latest fitting one before the reference.
    pub year_inferred: bool,
    /// True for dates that need a reference ("hier", "on Sunday", "mi-juin" without a year).
    pub relative: bool,
}

impl DateMention {
    /// A resolved date whose span `find` sets once it knows where the match is.
    fn unplaced(
        date: NaiveDate,
        precision: u8,
        year_inferred: bool,
        relative: bool,
    ) -> DateMention {
        DateMention {
            span: Span { start: 0, end: 0 },
            date,
            precision,
            year_inferred,
            relative,
        }
    }
}

/// What relative dates are resolved against.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Reference {
    pub date: NaiveDate,
    /// True when it is the publication date; false when it is only a bound (today).
    pub published: bool,
}

const MONTHS: &str = "janvier|fevrier|mars|avril|mai|juin|juillet|aout|septembre|octobre|novembre|decembre|january|february|march|april|may|june|july|august|september|october|november|december|jan|feb|febr|sept|oct|nov|dec";
const WEEKDAYS: &str = "lundi|mardi|mercredi|jeudi|vendredi|samedi|dimanche|monday|tuesday|wednesday|thursday|friday|saturday|sunday";

fn month_number(name: &str) -> Option<u32> {
    Some(match name {
        "janvier" | "january" | "jan" => 1,
        "fevrier" | "february" | "feb" | "febr" => 2,
        "mars" | "march" => 3,
        "avril" | "april" => 4,
        "mai" | "may" => 5,
        "juin" | "june" => 6,
        "juillet" | "july" => 7,
        "aout" | "august" => 8,
        "septembre" | "september" | "sept" => 9,
        "octobre" | "october" | "oct" => 10,
        "novembre" | "november" | "nov" => 11,
        "decembre" | "december" | "dec" => 12,
        _ => return None,
    })
}

fn weekday(name: &str) -> Option<Weekday> {
    Some(match name {
        "lundi" | "monday" => Weekday::Mon,
        "mardi" | "tuesday" => Weekday::Tue,
        "mercredi" | "wednesday" => Weekday::Wed,
        "jeudi" | "thursday" => Weekday::Thu,
        "vendredi" | "friday" => Weekday::Fri,
        "samedi" | "saturday" => Weekday::Sat,
        "dimanche" | "sunday" => Weekday::Sun,
        _ => return None,
    })
}

/// "1er", "premier", "07", "22nd" → day of month.
fn day_number(s: &str) -> Option<u32> {
    let digits: String = s.chars().take_while(char::is_ascii_digit).collect();
    let day = if s == "premier" || s == "first" {
        1
    } else {
        digits.parse().ok()?
    };
    (1..=31).contains(&day).then_some(day)
}

/// "dimanche 7 juin 2025", "le 24 novembre", "7-8 June", "June 7, 2025", "December 11-12".
static DAY_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\b(?:(?P<wd>{WEEKDAYS}) )?(?:(?:le|du|on|the) )?(?P<d>\d{{1,2}}(?:er|st|nd|rd|th)?|premier)(?:(?: au | to | and | et | ?- ?)(?P<d2>\d{{1,2}}))?(?: of)? (?P<m>{MONTHS})\b\.?(?:,? (?P<y>(?:19|20)\d\d))?|\b(?:(?P<wd_en>{WEEKDAYS}),? )?(?P<m_en>{MONTHS}) (?P<d_en>\d{{1,2}})(?:st|nd|rd|th)?(?: ?- ?(?P<d2_en>\d{{1,2}}))?(?:,? (?P<y_en>(?:19|20)\d\d))?\b"
    ))
});
/// Words before a date that make it part of a name: "Movement of June 5".
static NAMED_AFTER_DATE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"\b(?:movement of|mouvement du|rally of|front du|plateforme du|coalition du|m5|day of) $")
});
/// "the week of October 11", "la semaine du 11 octobre".
static WEEK_OF: LazyLock<Regex> = LazyLock::new(|| re(r"\b(?:week of|semaine du) $"));
/// "07/06/2025", "7.6.2025", "2025-06-07" (folded, its hyphens are spaces).
static NUMERIC: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:(?P<d>\d{1,2})[/.](?P<m>\d{1,2})[/.](?P<y>(?:19|20)\d\d)|(?P<iy>(?:19|20)\d\d) (?P<im>\d\d) (?P<id>\d\d))\b",
    )
});
/// "début juin", "mi-juin", "fin novembre 2024", "early June", "mid-June", "late November",
/// "en juin", "in June 2020".
static PART_OF_MONTH: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\b(?P<part>debut|mi|fin|early|mid|late|en|in|courant|au cours du mois de|durant le mois de) (?:de |d')?(?P<m>{MONTHS})\b(?: (?P<y>(?:19|20)\d\d))?"
    ))
});
/// "hier", "avant-hier", "yesterday", "samedi dernier", "last Sunday", "on Sunday", "cette
/// semaine", "la semaine dernière", "in the night of Saturday to Sunday".
static RELATIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\b(?P<bh>avant hier|the day before yesterday)\b|\b(?P<h>hier|yesterday|la veille)\b|\b(?P<today>aujourd'hui|today|ce matin|this morning)\b|\b(?P<tw>cette semaine|this week|en debut de semaine|earlier this week)\b|\b(?P<lw>la semaine derniere|la semaine passee|last week|la semaine precedente)\b|\b(?:la nuit de|dans la nuit de|in the night of|on the night of|overnight) (?P<nwd>{WEEKDAYS}) (?:a|au|to|into)\b|\b(?:(?P<last_wd>{WEEKDAYS}) (?:dernier|passe)|last (?P<last_wd_en>{WEEKDAYS}))\b|\b(?:(?:on|ce|le|this) )?(?P<wd>{WEEKDAYS})\b"
    ))
});
/// "moins d'une semaine après", "quelques jours plus tard", "two days later", "le lendemain".
static AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:(?P<week>moins d'une semaine (?:apres|plus tard)|less than a week (?:after|later)|quelques jours (?:apres|plus tard)|a few days (?:after|later))|(?P<next>le lendemain|the next day|the following day)|(?P<n>deux|trois|two|three|2|3) (?:jours|days) (?:apres|plus tard|later|after))\b",
    )
});

/// The date forms above, scanned for together: most texts hold one or two of them.
static FORMS: LazyLock<Gate<Form>> = LazyLock::new(|| Gate::new(&Form::ALL, Form::pattern));

#[derive(Clone, Copy, PartialEq)]
enum Form {
    Numeric,
    DayMonth,
    PartOfMonth,
    Relative,
    After,
}

impl Form {
    const ALL: [Form; 5] = [
        Form::Numeric,
        Form::DayMonth,
        Form::PartOfMonth,
        Form::Relative,
        Form::After,
    ];

    fn pattern(self) -> &'static Regex {
        match self {
            Form::Numeric => &NUMERIC,
            Form::DayMonth => &DAY_MONTH,
            Form::PartOfMonth => &PART_OF_MONTH,
            Form::Relative => &RELATIVE,
            Form::After => &AFTER,
        }
    }
}

/// Whether the text holds dates that read differently against another reference: relative
/// words, or year-less dates (given the mentions `find` returned).
pub fn needs_reference(folded: &Folded, found: &[DateMention]) -> bool {
    found.iter().any(|m| m.relative || m.year_inferred)
        || RELATIVE.is_match(&folded.text)
        || AFTER.is_match(&folded.text)
}

/// Every date in the folded text, resolved against `reference` (None: only complete dates).
pub fn find(folded: &Folded, reference: Option<Reference>) -> Vec<DateMention> {
    let text = folded.text.as_str();
    let mut found: Vec<DateMention> = Vec::new();
    // Earlier patterns win where matches overlap: complete dates before partial ones.
    let mut push = |range: std::ops::Range<usize>, m: Option<DateMention>| {
        let span: Span = folded.original_span(range).into();
        if let Some(m) = m
            && !found
                .iter()
                .any(|f| f.span.start < span.end && span.start < f.span.end)
        {
            found.push(DateMention { span, ..m });
        }
    };
    let present = FORMS.scan(text);
    // The matches of a form, or none when the scan found it absent.
    let each = |form: Form| {
        present
            .has(form)
            .then(|| form.pattern().captures_iter(text))
            .into_iter()
            .flatten()
    };
    for c in each(Form::Numeric) {
        push(c.get(0).map_or(0..0, |m| m.range()), numeric(&c));
    }
    for c in each(Form::DayMonth) {
        let Some(whole) = c.get(0) else { continue };
        // The words before the day itself ("Mouvement du | 5 juin"), not before the whole match.
        let day_at = c
            .name("d")
            .or_else(|| c.name("m_en"))
            .map_or(whole.start(), |d| d.start());
        let before = crate::engine::normalize::before(text, day_at, 20);
        if NAMED_AFTER_DATE.is_match(before) {
            // "Movement of June 5", "Mouvement du 5 juin": a name, not a date.
            continue;
        }
        let mut date = day_month(&c, reference);
        if WEEK_OF.is_match(before) {
            // "the week of October 11": the middle of that week, at week precision.
            date = date.and_then(|d| {
                Some(DateMention {
                    date: d.date.checked_add_days(Days::new(3))?,
                    precision: 2,
                    ..d
                })
            });
        }
        push(whole.range(), date);
    }
    for c in each(Form::PartOfMonth) {
        push(
            c.get(0).map_or(0..0, |m| m.range()),
            part_of_month(&c, reference),
        );
    }
    for c in each(Form::Relative) {
        push(
            c.get(0).map_or(0..0, |m| m.range()),
            relative(&c, reference),
        );
    }
    found.sort_by_key(|m| m.span.start);
    // "moins d'une semaine après" counts from the date before it in the text.
    let mut after: Vec<DateMention> = Vec::new();
    for c in each(Form::After) {
        let Some(whole) = c.get(0) else { continue };
        let span = folded.original_span(whole.range());
        let Some(anchor) = found.iter().rev().find(|m| m.span.end <= span.start) else {
            continue;
        };
        let (days, precision) = match (c.name("week"), c.name("next"), c.name("n")) {
            (Some(_), _, _) => (3, 2),
            (_, Some(_), _) => (1, anchor.precision),
            (_, _, Some(n)) => (
                if matches!(n.as_str(), "deux" | "two" | "2") {
                    2
                } else {
                    3
                },
                anchor.precision,
            ),
            _ => continue,
        };
        if let Some(date) = anchor.date.checked_add_days(Days::new(days)) {
            after.push(DateMention {
                span: span.into(),
                date,
                precision: precision.max(anchor.precision),
                year_inferred: anchor.year_inferred,
                relative: true,
            });
        }
    }
    found.extend(after);
    found.sort_by_key(|m| m.span.start);
    found
}

fn numeric(c: &Captures) -> Option<DateMention> {
    let n = |k: &str| c.name(k).and_then(|m| m.as_str().parse::<u32>().ok());
    let (y, m, d) = match (n("y"), n("iy")) {
        (Some(y), _) => (y, n("m")?, n("d")?),
        (_, Some(y)) => (y, n("im")?, n("id")?),
        _ => return None,
    };
    let date = NaiveDate::from_ymd_opt(y as i32, m, d)?;
    Some(DateMention::unplaced(date, 1, false, false))
}

fn day_month(c: &Captures, reference: Option<Reference>) -> Option<DateMention> {
    let get = |a: &str, b: &str| c.name(a).or_else(|| c.name(b)).map(|m| m.as_str());
    let month = month_number(get("m", "m_en")?)?;
    let day = day_number(get("d", "d_en")?)?;
    let last_day = get("d2", "d2_en")
        .and_then(day_number)
        .filter(|d2| *d2 > day && *d2 - day <= 6);
    let wd = get("wd", "wd_en").and_then(weekday);
    let year: Option<i32> = get("y", "y_en").and_then(|y| y.parse().ok());
    // A range "11-12 December", "24 au 26 juillet": its middle day.
    let (day, precision) = match last_day {
        Some(d2) => ((day + d2) / 2, if d2 - day <= 1 { 1 } else { 2 }),
        None => (day, 1),
    };
    let (date, year_inferred) = match year {
        Some(y) => (NaiveDate::from_ymd_opt(y, month, day)?, false),
        None => infer_year(month, day, wd, reference?)?,
    };
    Some(DateMention::unplaced(
        date,
        precision,
        year_inferred,
        year.is_none(),
    ))
}

/// The latest year putting day/month on or before the reference; with a weekday, the latest
/// year where that day falls on that weekday (which then fixes the year).
fn infer_year(
    month: u32,
    day: u32,
    wd: Option<Weekday>,
    reference: Reference,
) -> Option<(NaiveDate, bool)> {
    let limit = reference.date;
    let candidates = (limit.year() - 30..=limit.year())
        .rev()
        .filter_map(|y| NaiveDate::from_ymd_opt(y, month, day));
    match wd {
        Some(w) => candidates
            .filter(|d| *d <= limit)
            .find(|d| d.weekday() == w)
            .map(|d| (d, false)),
        None => candidates.clone().find(|d| *d <= limit).map(|d| (d, true)),
    }
}

fn part_of_month(c: &Captures, reference: Option<Reference>) -> Option<DateMention> {
    let month = month_number(c.name("m")?.as_str())?;
    let (day, precision) = match c.name("part")?.as_str() {
        "debut" | "early" => (5, 3),
        "mi" | "mid" => (15, 2),
        "fin" | "late" => (25, 3),
        _ => (15, 3),
    };
    let year: Option<i32> = c.name("y").and_then(|y| y.as_str().parse().ok());
    let (date, year_inferred) = match year {
        Some(y) => (NaiveDate::from_ymd_opt(y, month, day)?, false),
        None => {
            // The month before or at the reference: "fin novembre" written in December.
            let r = reference?.date;
            let y = if month <= r.month() {
                r.year()
            } else {
                r.year() - 1
            };
            (NaiveDate::from_ymd_opt(y, month, day)?, true)
        }
    };
    Some(DateMention::unplaced(
        date,
        precision,
        year_inferred,
        year.is_none(),
    ))
}

fn relative(c: &Captures, reference: Option<Reference>) -> Option<DateMention> {
    let reference = reference.filter(|r| r.published)?;
    let r = reference.date;
    let days_back = |n: u64| r.checked_sub_days(Days::new(n));
    let (date, precision) = if c.name("bh").is_some() {
        (days_back(2)?, 1)
    } else if c.name("h").is_some() {
        (days_back(1)?, 1)
    } else if c.name("today").is_some() {
        (r, 1)
    } else if c.name("tw").is_some() {
        // This week so far: the middle of Monday..reference.
        let elapsed = r.weekday().num_days_from_monday() as u64;
        (days_back(elapsed - elapsed / 2)?, 2)
    } else if c.name("lw").is_some() {
        let monday = days_back(r.weekday().num_days_from_monday() as u64 + 7)?;
        (monday.checked_add_days(Days::new(3))?, 2)
    } else if let Some(w) = ["nwd", "wd"]
        .iter()
        .find_map(|k| c.name(k))
        .and_then(|m| weekday(m.as_str()))
    {
        (last_weekday(r, w, true)?, 1)
    } else if let Some(w) = c
        .name("last_wd")
        .or_else(|| c.name("last_wd_en"))
        .and_then(|m| weekday(m.as_str()))
    {
        (last_weekday(r, w, false)?, 1)
    } else {
        return None;
    };
    Some(DateMention::unplaced(date, precision, false, true))
}

/// The latest `weekday` on or before (`inclusive`) or strictly before the reference.
fn last_weekday(reference: NaiveDate, weekday: Weekday, inclusive: bool) -> Option<NaiveDate> {
    let back =
        (7 + reference.weekday().num_days_from_monday() - weekday.num_days_from_monday()) % 7;
    let back = if back == 0 && !inclusive { 7 } else { back };
    reference.checked_sub_days(Days::new(back as u64))
}
