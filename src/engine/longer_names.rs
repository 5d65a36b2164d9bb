//! Whether a name the gazetteer knows, found in a text, is only part of a longer name: "Hassi"
//! in "Hassi Bakari", "Kati" in "Kati-Sananfra"; and the words after a town that make no longer
//! name ("Gao Region", "Bamako Central Prison", "in Gao Saturday", "the Gao-Gossi road").

use crate::engine::normalize::fold_key;
use std::ops::Range;

/// A match that is only the start or end of a longer name: "Soum" in "Soum-Bellah", "Hassi" in
/// "Hassi Bakari" (when "Hassi Bakari" is unknown). A following admin word ("Gao Region") or an
/// acronym ("Kidal CMA") does not make a longer name, nor does a day or month ("in Gao
/// Saturday"), a place of the town's ("the Timbuktu Mausoleums", "Bamako Prison"), or a road
/// named by its two ends ("the Gao-Gossi road", "l'axe Gao-Ansongo").
pub(crate) fn part_of_longer_name(original: &str, span: &Range<usize>) -> bool {
    let before = &original[..span.start];
    let after = &original[span.end..];
    // '‑' (U+2011, the non-breaking hyphen) is three bytes: strip it as a char, never slice.
    let hyphens = ['-', '‑'];
    let joined_after = after
        .strip_prefix(hyphens)
        .filter(|rest| rest.chars().next().is_some_and(char::is_alphabetic));
    let joined_before = before
        .strip_suffix(hyphens)
        .filter(|rest| rest.chars().next_back().is_some_and(char::is_alphabetic));
    if joined_after.is_some() || joined_before.is_some() {
        // The compound's two words, and what stands around them.
        let words = |s: &str| s.len() - s.trim_start_matches(char::is_alphabetic).len();
        let rest = joined_after.map_or(after, |a| &a[words(a)..]);
        let lead = joined_before.map_or(before, |b| b.trim_end_matches(char::is_alphabetic));
        return !names_a_road(lead, rest);
    }
    let Some(next) = after.strip_prefix(' ') else {
        return false;
    };
    let word: String = next
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '\'' || *c == '’')
        .collect();
    let capitalised = word.chars().next().is_some_and(char::is_uppercase);
    let acronym = word
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(char::is_uppercase);
    capitalised && !acronym && !WORDS_AFTER_A_TOWN.contains(&fold_key(&word).as_str())
}

/// Capitalised words that follow a town's name in English without making a longer name: the
/// kind of area it names, the days and months a note dates the event by, the town's own
/// buildings and sites, and adjectives before them.
const WORDS_AFTER_A_TOWN: &[&str] = &[
    "region",
    "cercle",
    "circle",
    "commune",
    "district",
    "province",
    "prefecture",
    "department",
    "town",
    "village",
    "city",
    "area",
    "camp",
    "base",
    "airport",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "prison",
    "court",
    "mausoleum",
    "mausoleums",
    "shrine",
    "shrines",
    "mosque",
    "hospital",
    "market",
    "bridge",
    "stadium",
    "university",
    "garrison",
    "barracks",
    "school",
    "police",
    "gendarmerie",
    // Adjectives that name no place: "Bamako Central Prison", "Gao Regional Hospital", "the
    // Kidal Islamic positions", "Lere Muslim farmers".
    "central",
    "regional",
    "civilian",
    "civil",
    "military",
    "islamic",
    "islamist",
    "muslim",
    "christian",
];

/// Whether the words around "X-Y" make it a road between two places: "the X-Y road", "l'axe
/// X-Y", "le tronçon X-Y".
fn names_a_road(before: &str, after: &str) -> bool {
    let not_letter = |c: char| !c.is_alphabetic();
    let next = after
        .trim_start()
        .split(not_letter)
        .next()
        .unwrap_or_default();
    let previous = before
        .trim_end()
        .rsplit(not_letter)
        .next()
        .unwrap_or_default();
    let (next, previous) = (next.to_lowercase(), previous.to_lowercase());
    matches!(
        next.as_str(),
        "road" | "axis" | "highway" | "route" | "corridor" | "stretch" | "track"
    ) || matches!(
        previous.as_str(),
        "axe" | "route" | "tronçon" | "troncon" | "piste" | "corridor" | "road" | "axis"
    )
}
