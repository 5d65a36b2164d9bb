//! Finds place mentions: gazetteer names on word boundaries of the folded text (aho-corasick),
//! plus names the gazetteer lacks, caught by context patterns ("camp de X", "near X") and kept
//! as unresolved. Reads the cue words around each mention (cercle, région, 50 km de, from...).

use crate::engine::cues::{OF, re, read_cues, terrain_of};
use crate::engine::gazetteer::{Gazetteer, Terrain};
use crate::engine::longer_names::part_of_longer_name;
use crate::engine::model::{Cue, Relation, Span};
use crate::engine::normalize::{Folded, fold_key, on_word_boundaries};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use std::collections::HashSet;
use std::ops::Range;
use std::sync::LazyLock;

const NOT_PLACES: &str = include_str!("data/not_places.txt");
const NON_PLACE_PHRASES: &str = include_str!("data/non_place_phrases.txt");
const COMMON_WORDS: &str = include_str!("data/common_words.txt");

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
    /// The kind of terrain the text names it as ("the X mountains"), with `Cue::Terrain`.
    pub terrain: Option<Terrain>,
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
    common_words: HashSet<String>,
}

fn lines(data: &str) -> impl Iterator<Item = String> + '_ {
    crate::engine::data_lines(data).map(fold_key)
}

fn automaton(keys: &[String]) -> Option<AhoCorasick> {
    AhoCorasickBuilder::new()
        .kind(Some(crate::engine::normalize::automaton_kind(keys.len())))
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
            common_words: lines(COMMON_WORDS).collect(),
        }
    }

    /// All place mentions of one article, in text order, without overlaps.
    /// `french` picks the cue words that introduce unknown names ("à X" would be English "a").
    pub fn find(&self, original: &str, folded: &Folded, french: bool) -> Vec<RawMention> {
        let text = folded.text.as_str();
        let blocked = self.blocked_spans(original, folded);
        let is_blocked =
            |r: &Range<usize>| blocked.iter().any(|b| b.start < r.end && r.start < b.end);
        let mut found: Vec<RawMention> = Vec::new();

        if let Some(names) = &self.names {
            for m in names.find_iter(text) {
                let range = m.start()..m.end();
                let span = folded.original_span(range.clone());
                let key = &self.keys[m.pattern().as_usize()];
                // "More than ten gunmen...": capitalised only because it starts the sentence.
                let common_word_first =
                    self.common_words.contains(key) && starts_sentence(original, span.start);
                if on_word_boundaries(text, &range)
                    && starts_upper(&original[span.clone()])
                    && !common_word_first
                    && !is_blocked(&range)
                    && !names_a_river(text, &range)
                    && !part_of_longer_name(original, &span)
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
        for cue in cues.find_iter(text) {
            let prefix = tamasheq_in(original, folded, cue.end());
            for range in self.names_after(original, folded, cue.end()) {
                // "to In-Delimane": the "In" the cue was read from begins the name.
                let range = match prefix {
                    Some(start) if range.start == cue.end() => start..range.end,
                    _ => range,
                };
                let overlaps = found
                    .iter()
                    .any(|f| f.folded.start < range.end && range.start < f.folded.end);
                if !overlaps && !is_blocked(&range) {
                    let span = folded.original_span(range.clone());
                    found.push(self.mention(text, range.clone(), span, &text[range], false));
                }
            }
        }

        // English names the gazetteer lacks, followed by their kind: "Sambere village".
        if !french {
            for caps in NAME_THEN_NOUN.captures_iter(original) {
                let Some(name) = caps.get(1) else { continue };
                let range = folded.folded_range(name.range());
                let key = &text[range.clone()];
                let overlaps = found
                    .iter()
                    .any(|f| f.folded.start < range.end && range.start < f.folded.end);
                if !overlaps
                    && !is_blocked(&range)
                    && !self.not_places.contains(key)
                    && !self.common_words.contains(key)
                {
                    found.push(self.mention(text, range.clone(), name.range(), key, false));
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
        share_cues_across_and(text, &mut found);
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
        let (cue, relation) = read_cues(before, after);
        RawMention {
            span: span.into(),
            key: key.to_string(),
            cue,
            relation,
            terrain: (cue == Cue::Terrain)
                .then(|| terrain_of(before, after))
                .flatten(),
            known,
            folded,
        }
    }

    /// Spans of organisation names, landmarks and people's names: no place inside them.
    fn blocked_spans(&self, original: &str, folded: &Folded) -> Vec<Range<usize>> {
        let text = folded.text.as_str();
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
                .filter_map(|c| c.get(1).or_else(|| c.get(2)))
                .filter_map(|m| capitalised_words(original, folded, m.range())),
        );
        spans.extend(JNIM.find_iter(text).map(|m| m.range()));
        spans.extend(MOVEMENT_OF.find_iter(text).map(|m| m.range()));
        spans.extend(AGREEMENT.find_iter(text).map(|m| m.range()));
        spans.extend(PEOPLE.find_iter(text).map(|m| m.range()));
        spans
    }

    /// Capitalised names starting at folded offset `at`: "Boulkessi", "Boulkessi et Douna".
    fn names_after(&self, original: &str, folded: &Folded, at: usize) -> Vec<Range<usize>> {
        let text = folded.text.as_str();
        let mut out = Vec::new();
        let mut pos = at;
        while let Some(range) = capitalised_name(original, folded, pos) {
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

/// A name joined to the one before it by "and" ("en route to Sevare and Bamako", "the villages
/// of Kirane and Guavinane") is introduced by the same words, unless words of its own introduce
/// it. A comma is no such joiner: in "the village of Douna, Mopti" the second name is an area.
fn share_cues_across_and(text: &str, found: &mut [RawMention]) {
    for i in 1..found.len() {
        let (done, rest) = found.split_at_mut(i);
        let (first, second) = (&done[i - 1], &mut rest[0]);
        let between = text.get(first.folded.end..second.folded.start);
        let joined =
            between.is_some_and(|b| matches!(b, " and " | " et " | " & " | " or " | " ou "));
        if joined && second.cue == Cue::Plain && second.relation.is_none() {
            second.cue = first.cue;
            second.relation = first.relation;
            second.terrain = first.terrain;
        }
    }
}

/// The words of a folded range that are capitalised in the original, up to the first that is
/// not: the name after a title. "an imam in Gao": none; "Imam Mahmoud Dicko in Bamako":
/// "mahmoud dicko".
fn capitalised_words(original: &str, folded: &Folded, range: Range<usize>) -> Option<Range<usize>> {
    let text = folded.text.get(range.clone())?;
    let mut end = range.start;
    let mut at = range.start;
    for word in text.split(' ') {
        let word_range = at..at + word.len();
        at = word_range.end + 1;
        if word.is_empty() {
            continue;
        }
        let span = folded.original_span(word_range.clone());
        if !original.get(span).is_some_and(starts_upper) {
            break;
        }
        end = word_range.end;
    }
    (end > range.start).then_some(range.start..end)
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

/// True when only white space or quotes stand between `at` and the start of the sentence.
fn starts_sentence(original: &str, at: usize) -> bool {
    let before =
        original[..at].trim_end_matches(|c: char| c.is_whitespace() || "\"'«“‘[(-–—".contains(c));
    before.is_empty() || before.ends_with(['.', '!', '?', ':', ';', '\n', '|'])
}

/// Where "In" begins when the cue "in " ending at folded offset `cue_end` is the Tamasheq
/// prefix of the name after it ("In-Delimane", "In Tillit"): capitalised, mid-sentence.
fn tamasheq_in(original: &str, folded: &Folded, cue_end: usize) -> Option<usize> {
    let start = cue_end.checked_sub(3)?;
    if folded.text.get(start..cue_end)? != "in " {
        return None;
    }
    let span = folded.original_span(start..start + 2);
    (original.get(span.clone())? == "In" && !starts_sentence(original, span.start)).then_some(start)
}

fn starts_upper(s: &str) -> bool {
    s.chars().next().is_some_and(char::is_uppercase)
}

fn window_before(text: &str, at: usize) -> &str {
    crate::engine::normalize::before(text, at, 70)
}

/// "fleuve Niger", "boucle du Niger", "Niger river": the river, not the country of that name.
fn names_a_river(text: &str, range: &Range<usize>) -> bool {
    if !matches!(&text[range.clone()], "niger" | "senegal") {
        return false;
    }
    let before = window_before(text, range.start);
    let after = &text[range.end..];
    RIVER_BEFORE.is_match(before) || after.starts_with(" river")
}

static RIVER_BEFORE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:fleuve|boucle du|delta (?:interieur |central )?du|rives? du|vallee du|bassin du) $")
});
/// Jama'at Nusrat al-Islam wal-Muslimin in its many spellings: no place inside it.
static JNIM: LazyLock<Regex> =
    LazyLock::new(|| re(r"jama'?a?t?\s?nus?rat?\s?(?:ul|al)?\s?islam\s?wa\s?l?\s?muslim[a-z]*"));
/// The armed movements named after a land, in English and French: "Coordination of Movements
/// of the Azawad", "High Council for the Unity of Azawad", "Front de libération du Macina".
static MOVEMENT_OF: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:movements?|mouvements?|council|conseil|coordination|coalition|front|platform|plateforme|liberation|salvation|salut|unity|unite)\b(?: [a-z']+){0,3}? (?:of|for|de|du|pour)(?: the| l'| la)? ?(?:azawad|macina)\b",
    )
});
/// Peace agreements named after the city they were signed in: "the Ouagadougou peace
/// agreement", "the Algiers accord", "l'accord de paix d'Alger".
static AGREEMENT: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b[a-z'-]+ (?:peace )?(?:agreement|accords?)\b|\baccords? (?:de paix )?(?:d'|de )[a-z'-]+\b",
    )
});
/// A people named by what it is: "the Kounta ethnic group", "a Daoussahak clan", "l'ethnie
/// kounta", "la tribu des Kel Ansar". Many a people shares its name with a village; here it
/// is not the village.
static PEOPLE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b[a-z'-]+ (?:ethnic (?:group|community|minority|militias?)|tribe|tribesmen|clan)\b|\b(?:ethnie|tribu|fraction)s? (?:des |de |d')?[a-z'-]+\b",
    )
});
/// Words that introduce a name even when the gazetteer lacks it, in French...
static FRENCH_NAME_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:^|[\s(,;:])(?:(?:camp|base|poste|village|localite|commune|secteurs?|cercle|region|hameau|ville|puits|oued|route|axe|foret|vallee|massif|montagnes?)(?: militaire| classee)? {OF}|a |pres {OF}|non loin {OF}|entre )"
    ))
});
/// ...and in English.
static ENGLISH_NAME_CUE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"(?:^|[\s(,;:])(?:(?:in|near|at|outside|between) (?:the (?:village|town|locality|area|commune|hamlet) of )?|(?:villages?|towns?|localit(?:y|ies)|communes?|hamlets?) of |(?:outskirts|vicinity) of (?:the (?:village|town) of )?|(?:residents|inhabitants) of |(?:forest|valley|mountains|massif) of (?:the )?|coded (?:as|at) )",
    )
});
/// An English name followed by the kind of place it is: "Sambere village", "Tinzaouatene camp",
/// "the Diabaly area", "the Ifoghas mountains".
static NAME_THEN_NOUN: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(\p{Lu}[\p{L}'’]+(?:[ -]\p{Lu}[\p{L}'’]+)?) (?:village|town|commune|locality|camp|area|mountains?|massif|hills|valley|forest)\b",
    )
});
/// Titles before people's names, written out or abbreviated ("Gen. Amadou Haya Sanogo"): the
/// name that follows is a person, not a place.
static PERSON: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:president|colonel|general|capitaine|captain|commandant|lieutenant|sergeant|sergent|adjudant|gen\.|gal\.|col\.|lt\.|capt\.|cpt\.|cne\.|cdt\.|sgt\.|ministre|chef de la junte|imam|cheick|cheikh|sheikh|emir|m\.|mme|mr\.?|porte parole|spokesman|leader|dr\.?|abou|abu|amadou koufa|iyad ag) ((?:[a-z'][a-z']+ ?){1,3})|\b(?:ould|ag|ben|bin|ibn) ([a-z'][a-z'-]+)",
    )
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_built_in_pattern_compiles() {
        for pattern in [
            &RIVER_BEFORE,
            &NAME_THEN_NOUN,
            &FRENCH_NAME_CUE,
            &ENGLISH_NAME_CUE,
            &PERSON,
            &JNIM,
            &MOVEMENT_OF,
            &AGREEMENT,
            &PEOPLE,
        ] {
            let _ = pattern.is_match("");
        }
    }
}
