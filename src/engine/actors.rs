//! Who: the actor dictionary (data: `data/actors.tsv`, aliases in French, English and acronyms),
//! actor mentions in the text, and ACLED roles: actor1 the initiator, actor2 the target.

use crate::engine::cues::re;
use crate::engine::model::Span;
use crate::engine::normalize::{Folded, fold_key, on_word_boundaries};
use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use regex::Regex;
use std::sync::LazyLock;

const ACTORS_TSV: &str = include_str!("data/actors.tsv");
/// The dictionary's name for jihadists no group is named for.
pub const GENERIC_ISLAMIST: &str = "Islamist Militia (Mali)";

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Actor {
    /// ACLED-style name, as outputs show it.
    pub name: String,
    /// islamist, state, rebel, militia, external, international, civilians, protesters...
    pub kind: String,
    /// The group it belongs to (a katiba's parent), when any.
    pub parent: Option<String>,
}

/// An actor named in the text.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ActorMention {
    pub actor: usize,
    pub span: Span,
    pub role: Role,
    /// Joined to the mention before it: "JNIM and ISGS", "FAMa et Wagner".
    pub joined: bool,
}

/// What the words before a mention say of its role.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Role {
    /// "par X", "by X", "X a revendiqué": X did it.
    Agent,
    /// "contre X", "against X", "visant X", "attack on X": it was done to X.
    Target,
    /// Nothing: the role follows from the word order.
    Unmarked,
}

#[derive(Debug, Clone)]
pub struct ActorLexicon {
    actors: Vec<Actor>,
    automaton: Option<AhoCorasick>,
    /// For each alias in the automaton, the actor it names.
    alias_actor: Vec<usize>,
}

impl Default for ActorLexicon {
    fn default() -> Self {
        Self::new()
    }
}

impl ActorLexicon {
    pub fn new() -> ActorLexicon {
        let mut actors = Vec::new();
        let mut aliases = Vec::new();
        let mut alias_actor = Vec::new();
        for line in crate::engine::data_lines(ACTORS_TSV) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [name, kind, parent, names] = cols[..] else {
                continue;
            };
            for alias in std::iter::once(name)
                .chain(names.split('|'))
                .map(fold_key)
                .filter(|a| !a.is_empty())
            {
                if !aliases.contains(&alias) {
                    aliases.push(alias);
                    alias_actor.push(actors.len());
                }
            }
            actors.push(Actor {
                name: name.to_string(),
                kind: kind.to_string(),
                parent: (!parent.is_empty()).then(|| parent.to_string()),
            });
        }
        let automaton = AhoCorasickBuilder::new()
            .kind(Some(crate::engine::normalize::automaton_kind(
                aliases.len(),
            )))
            .match_kind(MatchKind::LeftmostLongest)
            .build(&aliases)
            .ok();
        ActorLexicon {
            actors,
            automaton,
            alias_actor,
        }
    }

    pub fn actor(&self, index: usize) -> Option<&Actor> {
        self.actors.get(index)
    }

    /// The actor with exactly this dictionary name.
    pub fn find_name(&self, name: &str) -> Option<&Actor> {
        self.actors.iter().find(|a| a.name == name)
    }

    /// Every actor named in the text, in order, with the role its context marks.
    pub fn find(&self, folded: &Folded) -> Vec<ActorMention> {
        let text = folded.text.as_str();
        let Some(automaton) = &self.automaton else {
            return Vec::new();
        };
        let mut found: Vec<ActorMention> = Vec::new();
        let mut previous_end: Option<usize> = None;
        for m in automaton
            .find_iter(text)
            .filter(|m| on_word_boundaries(text, &(m.start()..m.end())))
        {
            let before = crate::engine::normalize::before(text, m.start(), 40);
            let after = &text[m.end()..];
            // "JNIM claimed responsibility", "le JNIM a revendiqué": the claimant did it.
            let claims = CLAIM_AFTER.is_match(after.get(..after.len().min(40)).unwrap_or(after));
            let joined = previous_end.is_some_and(|end| {
                matches!(
                    text.get(end..m.start()),
                    Some(" and " | " et " | " or " | " and/or " | " ou " | ", " | " and or ")
                )
            });
            previous_end = Some(m.end());
            found.push(ActorMention {
                actor: self.alias_actor[m.pattern().as_usize()],
                span: folded.original_span(m.start()..m.end()).into(),
                role: if claims {
                    Role::Agent
                } else {
                    role_before(before)
                },
                joined,
            });
        }
        found
    }

    /// Drops a generic mention ("des jihadistes", "les moudjahidines") that a specific group
    /// named just after it identifies: "des jihadistes du JNIM", "les moudjahidines d'Al-Qaïda, le JNIM".
    pub fn identify_generics(&self, mentions: &mut Vec<ActorMention>, original: &str) {
        let generic = |m: &ActorMention| {
            self.actors
                .get(m.actor)
                .is_some_and(|a| a.name == GENERIC_ISLAMIST)
        };
        let specific = |m: &ActorMention| {
            self.actors
                .get(m.actor)
                .is_some_and(|a| a.kind == "islamist" && a.name != GENERIC_ISLAMIST)
        };
        let vague = |m: &ActorMention| {
            generic(m)
                || self
                    .actors
                    .get(m.actor)
                    .is_some_and(|a| a.kind == "unidentified")
        };
        let mut keep = vec![true; mentions.len()];
        for i in 0..mentions.len() {
            // "JNIM militants", "presumed ISGS fighters", "Katiba Macina (JNIM) militants": the
            // vague noun right after a named group is that group.
            let named_just_before = i > 0
                && !vague(&mentions[i - 1])
                && original
                    .get(mentions[i - 1].span.end..mentions[i].span.start)
                    .is_some_and(|gap| gap.len() <= 4 && gap.chars().all(|c| " ()-/".contains(c)));
            if vague(&mentions[i]) && named_just_before {
                keep[i] = false;
                continue;
            }
            if !generic(&mentions[i]) {
                continue;
            }
            let end = mentions[i].span.end;
            let named_next = mentions[i + 1..].iter().find(|m| {
                let between = original.get(end..m.span.start).unwrap_or(".");
                specific(m) && m.span.start - end <= 100 && !between.contains(['.', ';', '\n'])
            });
            if let Some(next) = named_next {
                keep[i] = false;
                let role = mentions[i].role;
                let next_at = next.span.start;
                if let Some(n) = mentions.iter_mut().find(|m| m.span.start == next_at) {
                    // The role the generic phrase carried ("menées par des jihadistes du JNIM").
                    if n.role == Role::Unmarked {
                        n.role = role;
                    }
                }
            }
        }
        let mut k = keep.into_iter();
        mentions.retain(|_| k.next().unwrap_or(true));
    }

    /// The dictionary's name for an actor written any way (an alias, or ACLED's name with its
    /// years: "Military Forces of Mali (2013-2020)"): the first actor named in it.
    pub fn normalize(&self, written: &str) -> Option<&str> {
        let key = fold_key(written);
        let automaton = self.automaton.as_ref()?;
        let m = automaton
            .find_iter(&key)
            .find(|m| on_word_boundaries(&key, &(m.start()..m.end())))?;
        self.actors
            .get(self.alias_actor[m.pattern().as_usize()])
            .map(|a| a.name.as_str())
    }
}

fn role_before(before: &str) -> Role {
    if AGENT.is_match(before) {
        Role::Agent
    } else if TARGET.is_match(before) {
        Role::Target
    } else {
        Role::Unmarked
    }
}

const DET: &str = r"(?:(?:les|le|la|l'|des|du|de la|d'|un|une|the|a|an|some|several|many|dozens of|two|three|four|five|six|seven|eight|nine|ten|eleven|twelve|twenty|thirty|deux|trois|quatre|cinq|sept|huit|neuf|dix|vingt|trente|plusieurs|dizaines de|\d+) )*";

static CLAIM_AFTER: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^(?: militants| fighters| combattants| jihadists)?(?: [a-z]+ly| later| also| then| finally| aurait| a aussi| a finalement)? (?:claimed|has claimed|have claimed|a revendique|ont revendique|revendique|claims)\b",
    )
});
static AGENT: LazyLock<Regex> = LazyLock::new(|| {
    // "par le JNIM", "by the army", and "par des frappes aériennes des forces armées".
    re(&format!(
        r"(?:\b(?:par|by)(?: [a-z']+){{1,4}} (?:des|du|de la|de l'|d'|of the|of)|\bpar|\bby|claimed by|revendiquee? par) {DET}$"
    ))
});
static TARGET: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:\bcontre|\bagainst|\bvisant|\btargeting|\bciblant|\bsur|\bon|\bdans les rangs|\bamong|\b(?:fired|firing|shot|shooting) at|\bkidnapped|\babducted|\bkilled|\bkilling|\btuant|\benleve|\bambushed|\battacked|\bassaulted|\bfired on|\bfired upon|\bopened fire on|\bshot|\bshot dead|\bexecuted|\bexecute|\babducted|\bassassinated|\bassassine|\bbeheaded|\bkidnappe|\bcaptured|\bcapture) {DET}(?:(?:de |des |du |of )?)$"
    ))
});

/// ACLED roles from the actors named in an incident's sentence: actor1 the initiator, actor2
/// the target. Marked roles ("par X", "contre X") decide; otherwise the actor named before the
/// event word initiates it and the one after is its target.
///
/// `clause` bounds the event's own words: a "par X" after another event word of the sentence
/// belongs to that other event ("son retrait ..., théâtre de deux attaques menées par X").
///
/// In the passive ("six soldats ont été tués par...", "a vehicle was hit by an IED"), the actor
/// named before the event word is its target; only a marked agent initiates. With no one named
/// before the event word, the first actor after it is its author when `author_may_follow`
/// ("clashes between JNIM and the army"), never for a mine or an IED, which strikes whoever
/// is named after it ("an IED exploded under an army vehicle").
pub fn roles(
    mentions: &[ActorMention],
    trigger_at: usize,
    clause: std::ops::Range<usize>,
    passive: bool,
    author_may_follow: bool,
) -> (Option<usize>, Option<usize>) {
    let mine = |m: &&ActorMention| clause.contains(&m.span.start);
    let unmarked = || mentions.iter().filter(|m| m.role == Role::Unmarked);
    let agent = mentions
        .iter()
        .filter(mine)
        .find(|m| m.role == Role::Agent)
        .map(|m| m.actor);
    let subject = unmarked()
        .enumerate()
        .filter(|(_, m)| m.span.start < trigger_at)
        .last();
    // "JNIM and ISGS militants clashed": the first named initiates, the second is the other side.
    let (subject, partner) = match subject {
        Some((i, m)) if m.joined && i > 0 => {
            (unmarked().nth(i - 1).map(|p| p.actor), Some(m.actor))
        }
        Some((_, m)) => (Some(m.actor), None),
        None => (None, None),
    };
    let actor1 = if passive { agent } else { agent.or(subject) };
    if actor1.is_none() && !passive && author_may_follow && partner.is_none() {
        // "Clashes between JNIM and the army", "Looting: gunmen seized a vehicle": with no one
        // named before the event word and no target marked, the first named after it is its
        // author and the next one the other side.
        let marked_target = mentions.iter().filter(mine).any(|m| m.role == Role::Target);
        let mut later = unmarked()
            .filter(|m| m.span.start > trigger_at && clause.contains(&m.span.start))
            .map(|m| m.actor);
        if !marked_target && let Some(first) = later.next() {
            return (Some(first), later.find(|a| *a != first));
        }
    }
    let other = |m: &&ActorMention| Some(m.actor) != actor1;
    let target = mentions
        .iter()
        .filter(mine)
        .filter(|m| m.role == Role::Target)
        .find(other)
        .map(|m| m.actor);
    let after = || {
        unmarked()
            .filter(|m| m.span.start > trigger_at)
            .find(other)
            .map(|m| m.actor)
    };
    // In the passive ("X a été attaqué par Y") the target is named first, unmarked.
    let named_first = || {
        (passive || agent.is_some())
            .then(|| unmarked().find(other).map(|m| m.actor))
            .flatten()
    };
    let actor2 = partner
        .filter(|p| Some(*p) != actor1)
        .or(target)
        .or_else(named_first)
        .or_else(after);
    let actor1 = actor1.or_else(|| {
        (!passive)
            .then(|| {
                unmarked()
                    .find(|m| Some(m.actor) != actor2)
                    .map(|m| m.actor)
            })
            .flatten()
    });
    (actor1, actor2)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::engine::normalize::fold;

    fn named(sentence: &str, trigger: &str) -> (Option<String>, Option<String>) {
        let lexicon = ActorLexicon::new();
        let mentions = lexicon.find(&fold(sentence));
        let at = sentence.find(trigger).expect("trigger in sentence");
        let (a1, a2) = roles(&mentions, at, 0..sentence.len(), false, true);
        let name = |i: Option<usize>| i.and_then(|i| lexicon.actor(i)).map(|a| a.name.clone());
        (name(a1), name(a2))
    }

    #[test]
    fn aliases_name_one_actor() {
        let lexicon = ActorLexicon::new();
        for alias in [
            "GSIM",
            "Jama'at Nusratul Islam wal Muslimin",
            "groupe de soutien à l’islam et aux musulmans",
        ] {
            assert_eq!(
                lexicon.normalize(alias),
                Some("JNIM: Group for Support of Islam and Muslims"),
                "{alias}"
            );
        }
        assert_eq!(
            lexicon.normalize("Military Forces of Mali (2013-2020)"),
            Some("Military Forces of Mali")
        );
        assert_eq!(
            lexicon.normalize("ISGS"),
            lexicon.normalize("État islamique au Sahel")
        );
        assert_eq!(
            lexicon.normalize("Police Forces of Mali (2013-2020) Gendarmerie"),
            Some("Police Forces of Mali")
        );
    }

    #[test]
    fn roles_follow_acled() {
        let jnim = Some("JNIM: Group for Support of Islam and Muslims".to_string());
        let fama = Some("Military Forces of Mali".to_string());
        assert_eq!(
            named("Le JNIM a attaqué un poste de l'armée malienne.", "attaqué"),
            (jnim.clone(), fama.clone())
        );
        assert_eq!(
            named(
                "Un poste de l'armée malienne a été attaqué par le JNIM.",
                "attaqué"
            ),
            (jnim.clone(), fama.clone())
        );
        assert_eq!(
            named(
                "L'armée malienne a mené des frappes contre le JNIM.",
                "frappes"
            ),
            (fama.clone(), jnim.clone())
        );
        assert_eq!(
            named(
                "Drone strikes by the Malian army targeted JNIM positions.",
                "strikes"
            ),
            (fama.clone(), jnim.clone())
        );
        // No one named before the event word: the first named after it is its author.
        assert_eq!(
            named(
                "Des affrontements entre le JNIM et l'armée malienne ont eu lieu.",
                "affrontements"
            ),
            (jnim.clone(), fama.clone())
        );
        // ...unless the one named after it is marked as the target.
        assert_eq!(
            named("An attack against the Malian army by JNIM.", "attack"),
            (jnim, fama)
        );
    }
}
