//! Finds place mentions: gazetteer names on word boundaries of the folded text (aho-corasick),
//! plus names the gazetteer lacks, caught by context patterns ("camp de X", "near X") and kept
//! as unresolved. Reads the cue words around each mention (cercle, région, 50 km de, from...).

use crate::engine::gazetteer::Gazetteer;
use crate::engine::model::{Cue, Relation, Span};
use crate::engine::normalize::{Folded, fold_key, on_word_boundaries};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

const NOT_PLACES: &str = include_str!("data/not_places.txt");
const NON_PLACE_PHRASES: &str = include_str!("data/non_place_phrases.txt");

/// A place name found in the text, before geocoding.
#[derive(Debug, Clone, PartialEq)]
pub struct RawMention {
    /// Span in the original text.
    pub span: Span,
    /// Span in the folded text.
    pub folded: Range<usize>,
    pub key: String,
    pub cue: Cue,
    pub relation: Option<Relation>,
    /// True when the gazetteer has the name.
    pub known: bool,
}

/// Compiled matchers for one gazetteer. Build once, use for every article.
#[derive(Debug, Clone)]
pub struct MentionFinder {
    names: Option<AhoCorasick>,
    keys: Vec<String>,
    phrases: Option<AhoCorasick>,
    not_places: HashSet<String>,
}

fn lines(data: &str) -> impl Iterator<Item = String> + '_ {
    data.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(fold_key)
}

fn automaton(keys: &[String]) -> Option<AhoCorasick> {
    AhoCorasickBuilder::new()
        .match_kind(MatchKind::LeftmostLongest)
        .build(keys)
        .ok()
}

impl MentionFinder {
    pub fn new(gazetteer: &Gazetteer) -> MentionFinder {
        let not_places: HashSet<String> = lines(NOT_PLACES).collect();
        let mut keys: Vec<String> = gazetteer
            .keys()
            .filter(|k| k.len() >= 3 && !not_places.contains(*k))
            .map(str::to_string)
            .collect();
        keys.sort();
        let phrases: Vec<String> = lines(NON_PLACE_PHRASES).collect();
        MentionFinder {
            names: automaton(&keys),
            keys,
            phrases: automaton(&phrases),
            not_places,
        }
    }

    /// All place mentions of one article, in text order, without overlaps.
    /// `french` picks the cue words that introduce unknown names ("à X" would be English "a").
    pub fn find(&self, original: &str, folded: &Folded, french: bool) -> Vec<RawMention> {
        let text = folded.text.as_str();
        let blocked = self.blocked_spans(text);
        let is_blocked =
            |r: &Range<usize>| blocked.iter().any(|b| b.start < r.end && r.start < b.end);
        let mut found: Vec<RawMention> = Vec::new();

        if let Some(names) = &self.names {
            for m in names.find_iter(text) {
                let range = m.start()..m.end();
                let span = folded.original_span(range.clone());
                if on_word_boundaries(text, &range)
                    && starts_upper(&original[span.clone()])
                    && !is_blocked(&range)
                    && !names_a_river(text, &range)
                {
                    found.push(self.mention(
                        text,
                        range,
                        span,
                        &self.keys[m.pattern().as_usize()],
                        true,
                    ));
                }
            }
        }

        // Names the gazetteer lacks, introduced by a context pattern.
        let cues = if french {
            &*FRENCH_NAME_CUE
        } else {
            &*ENGLISH_NAME_CUE
        };
        for caps in cues.captures_iter(text) {
            let Some(cue) = caps.get(0) else { continue };
            for range in self.names_after(original, folded, cue.end()) {
                let overlaps = found
                    .iter()
                    .any(|f| f.folded.start < range.end && range.start < f.folded.end);
                if !overlaps && !is_blocked(&range) {
                    let span = folded.original_span(range.clone());
                    found.push(self.mention(text, range.clone(), span, &text[range], false));
                }
            }
        }

        // An unresolved name once introduced is a place wherever else the article uses it.
        let unknown: HashSet<String> = found
            .iter()
            .filter(|m| !m.known)
            .map(|m| m.key.clone())
            .collect();
        for key in unknown {
            for (at, _) in text.match_indices(key.as_str()) {
                let range = at..at + key.len();
                let span = folded.original_span(range.clone());
                let overlaps = found
                    .iter()
                    .any(|f| f.folded.start < range.end && range.start < f.folded.end);
                if !overlaps
                    && on_word_boundaries(text, &range)
                    && starts_upper(&original[span.clone()])
                {
                    found.push(self.mention(text, range, span, &key, false));
                }
            }
        }
        found.sort_by_key(|m| m.folded.start);
        found
    }

    fn mention(
        &self,
        text: &str,
        folded: Range<usize>,
        span: Range<usize>,
        key: &str,
        known: bool,
    ) -> RawMention {
        let before = window_before(text, folded.start);
        let mut after_end = text.len().min(folded.end + 40);
        while !text.is_char_boundary(after_end) {
            after_end -= 1;
        }
        let after = &text[folded.end..after_end];
        RawMention {
            span: span.into(),
            key: key.to_string(),
            cue: cue_of(before, after),
            relation: relation_of(before),
            known,
            folded,
        }
    }

    /// Spans of organisation names, landmarks and people's names: no place inside them.
    fn blocked_spans(&self, text: &str) -> Vec<Range<usize>> {
        let mut spans: Vec<Range<usize>> = self
            .phrases
            .iter()
            .flat_map(|p| p.find_iter(text))
            .map(|m| m.start()..m.end())
            .filter(|r| on_word_boundaries(text, r))
            .collect();
        spans.extend(
            PERSON
                .captures_iter(text)
                .filter_map(|c| c.get(1))
                .map(|m| m.range()),
        );
        spans.extend(JNIM.find_iter(text).map(|m| m.range()));
        spans
    }

    /// Capitalised names starting at folded offset `at`: "Boulkessi", "Boulkessi et Douna".
    fn names_after(&self, original: &str, folded: &Folded, at: usize) -> Vec<Range<usize>> {
        let text = folded.text.as_str();
        let mut out = Vec::new();
        let mut pos = at;
        loop {
            let Some(range) = capitalised_name(original, folded, pos) else {
                break;
            };
            let key = &text[range.clone()];
            if self.not_places.contains(key) || key.len() < 3 {
                break;
            }
            out.push(range.clone());
            let rest = &text[range.end..];
            let joiner = [" et ", " and ", ", ", " ou ", " or "]
                .iter()
                .find(|j| rest.starts_with(**j));
            match joiner {
                Some(j) => pos = range.end + j.len(),
                None => break,
            }
        }
        out
    }
}

/// A run of capitalised words in the original text starting at folded offset `at`, as a folded range.
fn capitalised_name(original: &str, folded: &Folded, at: usize) -> Option<Range<usize>> {
    let text = folded.text.as_str();
    let mut end = at;
    let mut words = 0;
    let mut pos = at;
    while words < 4 && pos < text.len() {
        let word_end = text[pos..]
            .find([' ', ',', '.', ';', ':', '(', ')', '"'])
            .map_or(text.len(), |e| pos + e);
        if word_end == pos {
            break;
        }
        let span = folded.original_span(pos..word_end);
        let word = &original[span];
        let particle = words > 0 && matches!(word, "el" | "ag" | "ould" | "ben");
        if !(starts_upper(word) || particle)
            || word.chars().filter(|c| c.is_uppercase()).count() > 1 && word.len() <= 5
        {
            break;
        }
        if !particle {
            end = word_end;
        }
        words += 1;
        pos = word_end + 1;
        if text.as_bytes().get(word_end) != Some(&b' ') {
            break;
        }
    }
    (end > at).then_some(at..end)
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

fn window_before(text: &str, at: usize) -> &str {
    let mut start = at.saturating_sub(70);
    while !text.is_char_boundary(start) {
        start += 1;
    }
    &text[start..at]
}

/// "fleuve Niger", "boucle du Niger", "Niger river": the river, not the country.
fn names_a_river(text: &str, range: &Range<usize>) -> bool {
    let before = window_before(text, range.start);
    let after = &text[range.end..];
    RIVER_BEFORE.is_match(before) || after.starts_with(" river")
}

fn cue_of(before: &str, after: &str) -> Cue {
    if ORIGIN.is_match(before) {
        Cue::Origin
    } else if CERCLE.is_match(before) {
        Cue::Cercle
    } else if REGION.is_match(before) || after.starts_with(" region") {
        Cue::Region
    } else if WATER.is_match(before) {
        Cue::Water
    } else if CAMP.is_match(before) {
        Cue::Camp
    } else if LOCALITY.is_match(before) {
        Cue::Locality
    } else {
        Cue::Plain
    }
}

/// A relative location from the words just before a name: "à 50 km au nord de X", "near X".
fn relation_of(before: &str) -> Option<Relation> {
    if let Some(c) = DISTANCE.captures(before) {
        let km = c.get(1).and_then(|m| number(m.as_str()));
        let km = km.map(|n| {
            if c.get(2).is_some_and(|u| u.as_str().starts_with("mile")) {
                n * 1.609
            } else {
                n
            }
        });
        return Some(Relation {
            distance_km: km,
            bearing_deg: c.get(3).and_then(|b| bearing(b.as_str())),
        });
    }
    if let Some(c) = DIRECTION.captures(before) {
        return Some(Relation {
            distance_km: None,
            bearing_deg: c.get(1).and_then(|b| bearing(b.as_str())),
        });
    }
    (NEAR.is_match(before) || ROAD.is_match(before)).then_some(Relation {
        distance_km: None,
        bearing_deg: None,
    })
}

fn number(s: &str) -> Option<f64> {
    let s = s
        .trim()
        .trim_start_matches("une ")
        .trim_start_matches("un ");
    s.parse().ok().or(match s {
        "dizaine" => Some(10.0),
        "quinzaine" => Some(15.0),
        "vingtaine" => Some(20.0),
        "trentaine" => Some(30.0),
        "quarantaine" => Some(40.0),
        "cinquantaine" => Some(50.0),
        "soixantaine" => Some(60.0),
        "centaine" => Some(100.0),
        "quelques" | "a few" | "several" => Some(10.0),
        _ => None,
    })
}

fn bearing(direction: &str) -> Option<f64> {
    let d = direction.trim().trim_end_matches("ern");
    Some(match d {
        "nord" | "north" => 0.0,
        "nord est" | "northeast" | "north east" => 45.0,
        "est" | "east" => 90.0,
        "sud est" | "southeast" | "south east" => 135.0,
        "sud" | "south" => 180.0,
        "sud ouest" | "southwest" | "south west" => 225.0,
        "ouest" | "west" => 270.0,
        "nord ouest" | "northwest" | "north west" => 315.0,
        _ => return None,
    })
}

fn re(pattern: &str) -> Regex {
    // The patterns are literals of this file, checked by the unit tests below.
    Regex::new(pattern).unwrap_or_else(|e| panic!("invalid built-in pattern {pattern}: {e}"))
}

const DIRECTIONS: &str = r"nord est|nord ouest|sud est|sud ouest|nord|sud|est|ouest|north ?east|north ?west|south ?east|south ?west|north|south|east|west";
const OF: &str = r"(?:de |d'|du |des )";

static CERCLE: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?:cercles?|circle|cercle de la commune) {OF}?$")));
static REGION: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:regions?|region administrative) {OF}$|(?:the |in )region of $"
    ))
});
static WATER: LazyLock<Regex> =
    LazyLock::new(|| re(&format!(r"(?:puits|oued|mare|well|wells|wadi) {OF}?$")));
static CAMP: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:camp|base|poste|garnison|caserne|position|emprise|military camp|military base|army base|camp militaire|base militaire|poste militaire)(?: militaire| avance)? {OF}?(?:of )?$"
    ))
});
static LOCALITY: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:village|localite|commune|secteurs?|hameau|ville|quartier|zone|foire|marche|town|locality|area|market) {OF}?(?:of )?$"
    ))
});
static ORIGIN: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:en provenance|venant|venus?|originaires?|fuyant|refugies?) {OF}$|(?:coming|fleeing|refugees) from $"
    ))
});
static RIVER_BEFORE: LazyLock<Regex> =
    LazyLock::new(|| re(r"(?:fleuve|boucle du|delta (?:interieur |central )?du|rive du|the) $"));
static DISTANCE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:a |about |some )?(?:environ |quelque |une |un |a )?(\d+(?:[.,]\d+)?|dizaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|soixantaine|centaine|quelques|a few|several) ?(?:de |d')?(km|kilometres?|kilometers?|miles?) (?:(?:au |a l'|a |to the )?({DIRECTIONS}) )?(?:{OF}|of |from )$"
    ))
});
static DIRECTION: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:a l'|au |a |dans le |to the |in the |just )?({DIRECTIONS})(?:ern)? (?:{OF}|of )$"
    ))
});
static NEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:pres|non loin|aux environs|dans les environs|autour|a proximite|aux abords|en peripherie|aux alentours|vers) {OF}$|(?:\bnear|outside|around|close to|on the outskirts of|in the vicinity of|nearby) $"
    ))
});
/// A road named by its towns: "sur la route de Markala", "l'axe Ségou", "on the road to Gao".
static ROAD: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:route|axe|piste|troncon|corridor) {OF}?(?:[a-z']+ (?:(?:a|et) )?)?$|(?:road|highway|axis|route) (?:to |from |between )$"
    ))
});
/// Jama'at Nusrat al-Islam wal-Muslimin in its many spellings: no place inside it.
static JNIM: LazyLock<Regex> =
    LazyLock::new(|| re(r"jama'?a?t?\s?nus?rat?\s?(?:ul|al)?\s?islam\s?wa\s?l?\s?muslim[a-z]*"));
/// Words that introduce a name even when the gazetteer lacks it, in French...
static FRENCH_NAME_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:^|[\s(,;:])(?:(?:camp|base|poste|village|localite|commune|secteurs?|cercle|region|hameau|ville|puits|oued|route|axe)(?: militaire)? {OF}|a |pres {OF}|non loin {OF}|entre )"
    ))
});
/// ...and in English.
static ENGLISH_NAME_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[\s(,;:])(?:(?:in|near|at|outside|between) (?:the (?:village|town|locality|area|commune) of )?|(?:village|town|locality|commune) of )",
    )
});
/// Titles before people's names: the name that follows is a person, not a place.
static PERSON: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:president|colonel|general|capitaine|commandant|lieutenant|ministre|chef de la junte|imam|cheick|cheikh|sheikh|emir|m\.|mme|mr\.?|porte parole|spokesman|leader|dr\.?|abou|abu|amadou koufa|iyad ag) ((?:[a-z'][a-z']+ ?){1,3})",
    )
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_pattern_compiles() {
        for pattern in [
            &CERCLE,
            &REGION,
            &WATER,
            &CAMP,
            &LOCALITY,
            &ORIGIN,
            &RIVER_BEFORE,
            &DISTANCE,
            &DIRECTION,
            &NEAR,
            &ROAD,
            &FRENCH_NAME_CUE,
            &ENGLISH_NAME_CUE,
            &PERSON,
            &JNIM,
        ] {
            let _ = pattern.is_match("");
        }
    }

    #[test]
    fn relations_read_distance_and_direction() {
        let cases = [
            ("a une cinquantaine de kilometres de ", Some(50.0), None),
            ("a 50 km au nord est de ", Some(50.0), Some(45.0)),
            ("about 30 km north of ", Some(30.0), Some(0.0)),
            ("a l'est de ", None, Some(90.0)),
            ("northeast of ", None, Some(45.0)),
            ("pres de ", None, None),
            ("near ", None, None),
            ("sur la route de ", None, None),
            ("a une vingtaine de km au sud de ", Some(20.0), Some(180.0)),
        ];
        for (before, km, bearing) in cases {
            let r = relation_of(before).unwrap_or_else(|| panic!("no relation in {before:?}"));
            assert_eq!((r.distance_km, r.bearing_deg), (km, bearing), "{before:?}");
        }
        assert_eq!(relation_of("l'attaque de "), None);
    }
}
