//! Event words: finds the words that report an event in a sentence (from the trigger lexicon,
//! data the engine embeds), and tells background, hypothetical and generic sentences apart.

use crate::engine::cues::re;
use crate::engine::data_lines;
use crate::engine::incidents::SentenceEvent;
use crate::engine::normalize::{Folded, fold_key, is_word_byte};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use std::ops::Range;
use std::sync::LazyLock;

const TRIGGERS_TSV: &str = include_str!("data/event_triggers.tsv");
const SUPPRESSORS: &str = include_str!("data/event_suppressors.txt");

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Trigger {
    pub event_type: String,
    pub sub_event_type: String,
    pub strong: bool,
}

/// A lexicon pattern: a folded phrase that may continue with more letters when `prefix`.
#[derive(Debug, Clone)]
struct Pattern {
    prefix: bool,
    trigger: Option<Trigger>,
}

#[derive(Debug, Clone)]
pub struct EventLexicon {
    triggers: Option<AhoCorasick>,
    trigger_patterns: Vec<Pattern>,
    suppressors: Option<AhoCorasick>,
    suppressor_patterns: Vec<Pattern>,
}

/// An event word found in a sentence.
#[derive(Debug, Clone, PartialEq)]
pub struct FoundEvent {
    pub trigger: Trigger,
    /// Byte offset of the word in the original text.
    pub at: usize,
}

impl Default for EventLexicon {
    fn default() -> Self {
        Self::new()
    }
}

impl EventLexicon {
    pub fn new() -> EventLexicon {
        let rows = data_lines(TRIGGERS_TSV).filter_map(|line| {
            let cols: Vec<&str> = line.split('\t').collect();
            let [pattern, strength, event_type, sub_event_type] = cols[..] else {
                return None;
            };
            let trigger = Trigger {
                event_type: event_type.to_string(),
                sub_event_type: sub_event_type.to_string(),
                strong: strength == "strong",
            };
            Some((pattern.to_string(), Some(trigger)))
        });
        let (triggers, trigger_patterns) = compile(rows);
        let (suppressors, suppressor_patterns) =
            compile(data_lines(SUPPRESSORS).map(|l| (l.to_string(), None)));
        EventLexicon {
            triggers,
            trigger_patterns,
            suppressors,
            suppressor_patterns,
        }
    }

    /// The events a sentence reports (one per event type, one violent type at most), or none
    /// when it is hypothetical, generic or history.
    ///
    /// `sentence` is the sentence's range in the folded article; offsets come back in the original.
    pub fn events(
        &self,
        folded: &Folded,
        sentence: Range<usize>,
        reference_year: Option<i32>,
    ) -> Vec<FoundEvent> {
        let Some(text) = folded.text.get(sentence.clone()) else {
            return Vec::new();
        };
        if is_background(text, reference_year) {
            return Vec::new();
        }
        let suppressors: Vec<usize> = matches(&self.suppressors, &self.suppressor_patterns, text)
            .map(|(_, at)| at)
            .collect();
        let found: Vec<(&Trigger, usize)> = matches(&self.triggers, &self.trigger_patterns, text)
            .filter(|(_, at)| !suppressors.iter().any(|s| in_same_clause(text, *s, *at)))
            .filter_map(|(p, at)| {
                let at = sentence.start + at;
                Some((p.trigger.as_ref()?, folded.original_span(at..at + 1).start))
            })
            .collect();
        // A weak word ("killed", "seized") yields to a strong one of its own family only:
        // "killed the leader and arrested several others" is still a killing.
        let strong_in = |violent: bool| {
            found
                .iter()
                .any(|(t, _)| t.strong && is_violent(t) == violent)
        };
        let (strong_violent, strong_other) = (strong_in(true), strong_in(false));
        let mut events: Vec<FoundEvent> = Vec::new();
        let kept = found.iter().filter(|(t, _)| {
            t.strong
                || !if is_violent(t) {
                    strong_violent
                } else {
                    strong_other
                }
        });
        for &(trigger, at) in kept {
            // One violent event per sentence ("assaulted the base after a mortar barrage"):
            // the first violent trigger names it. A withdrawal, blockade or protest is apart.
            let clash = |e: &FoundEvent| {
                e.trigger.event_type == trigger.event_type
                    || is_violent(&e.trigger) && is_violent(trigger)
            };
            if !events.iter().any(clash) {
                events.push(FoundEvent {
                    trigger: trigger.clone(),
                    at,
                });
            }
        }
        // A protest that turns violent is a riot, not both.
        if events.iter().any(|e| e.trigger.event_type == "Riots") {
            events.retain(|e| e.trigger.event_type != "Protests");
        }
        // Looting, arrests and seizures in the course of a violent event are part of it, as
        // ACLED codes them: "attacked the village and stole cattle" is one attack.
        if events.iter().any(|e| is_violent(&e.trigger)) {
            events.retain(|e| !is_incidental(&e.trigger));
        }
        events
    }
}

/// How far (bytes) a hedging word reaches: "une offensive majeure qui pourrait", "could attack".
const SUPPRESSOR_REACH: usize = 50;

/// Whether a hedging word at `a` governs the event word at `b`: near it, in the same clause.
fn in_same_clause(text: &str, a: usize, b: usize) -> bool {
    let (from, to) = if a < b { (a, b) } else { (b, a) };
    to - from <= SUPPRESSOR_REACH
        && !text
            .get(from..to)
            .unwrap_or(",")
            .contains([',', ';', ':', '(', ')'])
}

/// ACLED's violent event types: one of them per sentence.
fn is_violent(t: &Trigger) -> bool {
    matches!(
        t.event_type.as_str(),
        "Battles" | "Explosions/Remote violence" | "Violence against civilians"
    )
}

/// Words that put a crowd or the police that faces it in a sentence.
static CROWD: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:manifestants?|protestataires|protesters?|demonstrators?|youths?|jeunes|crowds?|foule|mob|residents|habitants|police|policiers|gendarmes?|forces de l'ordre|security forces|teargas|tear gas|gaz lacrymogenes?|live (?:fire|rounds|ammunition)|balles reelles)\b",
    )
});

/// What a crowd does when a protest turns into a riot.
static CROWD_VIOLENCE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:clash[a-z]*|affrontement[a-z]*|heurts|vandalis[a-z]*|saccag[a-z]*|pill[a-z]*|loot[a-z]*|ransack[a-z]*|torched|set fire|mis le feu|incendi[a-z]*|burn(?:ed|t|ing)|brule[a-z]*|(?:threw|throwing|jet[a-z]*) (?:des )?(?:stones|rocks|pierres|projectiles)|stormed|barricad[a-z]*|riot[a-z]*|emeute[a-z]*|turned violent|attacked|ont attaque|fought|assault[a-z]*|beat(?: up)?|lynch[a-z]*|burn|set ablaze)\b",
    )
});
/// "against the", "following the": what comes next is the protest's cause, not its violence.
static CAUSE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:against|contre|following|after|apres|suite a|suite aux?|over|denounce|denoncer) (?:the |a |an |le |la |les |l'|des |de |du |d')?$",
    )
});

/// Whether a folded sentence tells of a crowd's violence (not of the violence it protests).
fn crowd_violence(text: &str) -> bool {
    CROWD_VIOLENCE
        .find_iter(text)
        .any(|m| !CAUSE.is_match(crate::engine::normalize::before(text, m.start(), 40)))
}

/// How many sentences after a protest its violence may still be told.
const PROTEST_REACH: usize = 2;

/// ACLED codes a demonstration with its violence as one event. When the crowd turns violent
/// (clashes with the police, looting, stones thrown), the protest sentence and the sentences of
/// its paragraph that tell that violence become one riot. Otherwise, violence in the protest's
/// own sentence is the force used against it, part of the protest event. `folded_sentence`
/// gives a sentence's folded text and paragraph.
pub fn protests_turned_violent<'t>(
    events: &mut [SentenceEvent],
    folded_sentence: impl Fn(usize) -> Option<(&'t str, usize)>,
) {
    let riot = Trigger {
        event_type: "Riots".into(),
        sub_event_type: "Violent demonstration".into(),
        strong: true,
    };
    let protests: Vec<(usize, Trigger)> = events
        .iter()
        .filter(|e| e.trigger.event_type == "Protests")
        .map(|e| (e.sentence, e.trigger.clone()))
        .collect();
    for (protest, protest_trigger) in protests {
        let Some((_, paragraph)) = folded_sentence(protest) else {
            continue;
        };
        let rioting = |sentence: usize| {
            (protest..=protest + PROTEST_REACH).contains(&sentence)
                && folded_sentence(sentence).is_some_and(|(text, p)| {
                    p == paragraph
                        && (sentence == protest || CROWD.is_match(text))
                        && crowd_violence(text)
                })
        };
        let part_of_it = |e: &SentenceEvent| {
            e.trigger.event_type == "Riots"
                || (is_violent(&e.trigger) && e.trigger.event_type != "Explosions/Remote violence")
                || e.trigger.sub_event_type == "Looting/property destruction"
        };
        let riot_sentences: Vec<usize> = (protest..=protest + PROTEST_REACH)
            .filter(|s| rioting(*s))
            .collect();
        for e in events.iter_mut() {
            let in_protest = e.sentence == protest;
            if !riot_sentences.is_empty() {
                let protest_word = in_protest && e.trigger.event_type == "Protests";
                if protest_word
                    || (riot_sentences.contains(&e.sentence) || in_protest) && part_of_it(e)
                {
                    e.trigger = riot.clone();
                }
            } else if in_protest && part_of_it(e) && e.trigger.event_type != "Riots" {
                e.trigger = protest_trigger.clone();
            }
        }
    }
}

/// A development that a violent event in the same sentence absorbs: looting, arrests, and
/// what a weak word suggests ("entered the village and killed...").
fn is_incidental(t: &Trigger) -> bool {
    t.event_type == "Strategic developments"
        && (matches!(
            t.sub_event_type.as_str(),
            "Looting/property destruction" | "Arrests"
        ) || !t.strong)
}

fn compile(
    rows: impl Iterator<Item = (String, Option<Trigger>)>,
) -> (Option<AhoCorasick>, Vec<Pattern>) {
    let mut keys = Vec::new();
    let mut patterns = Vec::new();
    for (pattern, trigger) in rows {
        let prefix = pattern.ends_with('*');
        keys.push(fold_key(pattern.trim_end_matches('*')));
        patterns.push(Pattern { prefix, trigger });
    }
    let automaton = AhoCorasickBuilder::new()
        .kind(Some(crate::engine::normalize::automaton_kind(keys.len())))
        .match_kind(MatchKind::LeftmostLongest)
        .build(&keys)
        .ok();
    (automaton, patterns)
}

/// Patterns found in `text` that start on a word boundary and end on one (or continue, for prefixes).
fn matches<'p>(
    automaton: &Option<AhoCorasick>,
    patterns: &'p [Pattern],
    text: &'p str,
) -> impl Iterator<Item = (&'p Pattern, usize)> {
    let bytes = text.as_bytes();
    automaton
        .iter()
        .flat_map(move |a| a.find_iter(text))
        .filter_map(move |m| {
            let pattern = &patterns[m.pattern().as_usize()];
            let starts_word = m.start() == 0 || !is_word_byte(bytes[m.start() - 1]);
            let ends_word = m.end() >= bytes.len() || !is_word_byte(bytes[m.end()]);
            (starts_word && (ends_word || pattern.prefix)).then_some((pattern, m.start()))
        })
}

/// History rather than news: "depuis 2012", "de 2012 à 2014", "depuis longtemps", "in 2012"
/// when that year is before the article's reference year.
fn is_background(folded: &str, reference_year: Option<i32>) -> bool {
    if BACKGROUND.is_match(folded) {
        return true;
    }
    let Some(reference) = reference_year else {
        return false;
    };
    // "in 2018" is history unless the sentence also dates its own news: "On 17 December 2019,
    // gunmen killed a fisherman who had survived an attempt in 2018."
    let current = YEAR
        .find_iter(folded)
        .filter_map(|m| m.as_str().parse::<i32>().ok())
        .any(|year| year >= reference);
    !current
        && PAST_YEAR
            .captures_iter(folded)
            .filter_map(|c| c.get(1)?.as_str().parse::<i32>().ok())
            .any(|year| year < reference)
}

static BACKGROUND: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:depuis (?:longtemps|l'independance|des annees|(?:19|20)\d\d)|de (?:19|20)\d\d a (?:19|20)\d\d|since (?:19|20)\d\d|between (?:19|20)\d\d and|for years|pendant des annees)\b",
    )
});
static YEAR: LazyLock<Regex> = LazyLock::new(|| re(r"\b(?:19|20)\d\d\b"));
static PAST_YEAR: LazyLock<Regex> =
    LazyLock::new(|| re(r"\b(?:en|in|au cours de l'annee|durant l'annee) ((?:19|20)\d\d)\b"));

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::normalize::fold;

    fn types(sentence: &str) -> Vec<String> {
        let folded = fold(sentence);
        EventLexicon::new()
            .events(&folded, 0..folded.text.len(), Some(2025))
            .into_iter()
            .map(|e| e.trigger.event_type)
            .collect()
    }

    #[test]
    fn triggers_give_event_types() {
        let cases: [(&str, &[&str]); 8] = [
            (
                "Des jihadistes ont attaqué le camp de Dioura.",
                &["Battles"],
            ),
            (
                "L'armée a mené des frappes aériennes près de Ber.",
                &["Explosions/Remote violence"],
            ),
            (
                "Three civilians were abducted near Ménaka.",
                &["Violence against civilians"],
            ),
            (
                "L'armée a achevé son retrait du camp, théâtre de deux attaques.",
                &["Strategic developments", "Battles"],
            ),
            (
                "Les assaillants ont été neutralisés et le dépôt détruit par des frappes.",
                &["Explosions/Remote violence"],
            ),
            ("Des manifestants ont bloqué la route.", &["Protests"]),
            ("Le temps était clément.", &[]),
            ("Le pays subit un blocus.", &["Strategic developments"]),
        ];
        for (sentence, expected) in cases {
            assert_eq!(types(sentence), expected, "{sentence}");
        }
    }

    #[test]
    fn a_star_only_ends_a_trigger_pattern() {
        for line in data_lines(TRIGGERS_TSV).chain(data_lines(SUPPRESSORS)) {
            let pattern = line.split('\t').next().unwrap_or_default();
            assert!(
                !pattern.trim_end_matches('*').contains('*'),
                "{pattern}: a * matches only at the end of a pattern"
            );
        }
    }

    #[test]
    fn violence_outranks_what_comes_with_it() {
        let cases: [(&str, &[&str]); 4] = [
            // A weak killing word against a strong arrest word: the killing stays, the
            // arrests are part of it.
            (
                "Soldiers killed a militant and arrested three others.",
                &["Violence against civilians"],
            ),
            (
                "Gunmen entered the village and killed a herder.",
                &["Violence against civilians"],
            ),
            // A withdrawal is a development of its own.
            (
                "The army withdrew from the camp after an attack.",
                &["Strategic developments", "Battles"],
            ),
            // "stab" is no prefix of "Stabilization".
            ("The Stabilization Mission met the governor.", &[]),
        ];
        for (sentence, expected) in cases {
            assert_eq!(types(sentence), expected, "{sentence}");
        }
    }

    #[test]
    fn background_and_hypothetical_sentences_report_nothing() {
        for sentence in [
            "L'armée y a subi des défaites de 2012 à 2014.",
            "Depuis 2012, les combats se sont multipliés dans le nord.",
            "Une offensive majeure pourrait marquer un tournant.",
            "Des frappes similaires se poursuivront.",
            "In 2019, an attack killed 20 soldiers there.",
        ] {
            assert_eq!(types(sentence), Vec::<String>::new(), "{sentence}");
        }
    }
}
