//! Who took part and who died: ACLED actor roles from the incident's sentences (and the
//! article's main actors where a side goes unnamed), ACLED's coding conventions, fatalities.

use crate::engine::actors::{self, ActorLexicon, ActorMention};
use crate::engine::coding_words::{
    CLAIM, HARM, INTERVENTION, LOOTING, MOB, PARTICIPLE, PASSIVE, QUANTITY, RESPONSE,
};
use crate::engine::events::Trigger;
use crate::engine::fatalities::{self, Deaths};
use crate::engine::model::Span;

/// ACLED's actor for armed men no one identifies.
const UNIDENTIFIED: &str = "Unidentified Armed Group (Mali)";
/// How many sentences after an incident a claim of it may come.
const CLAIM_REACH: usize = 3;

/// Who took part and who died, per sentence of the article.
pub struct Who<'a> {
    pub lexicon: &'a ActorLexicon,
    pub mentions: &'a [ActorMention],
    /// Indexed by sentence.
    pub deaths: &'a [Option<Deaths>],
    /// Every event word of the article, to bound each event's clause.
    pub triggers: &'a [usize],
    /// The article's text, folded.
    pub folded: &'a crate::engine::normalize::Folded,
    /// The article's sentences.
    pub sentences: &'a [crate::engine::sentences::Sentence],
}

/// An incident coded the ACLED way.
pub struct Coded {
    pub event_type: String,
    pub sub_event_type: String,
    pub actor1: Option<String>,
    pub actor2: Option<String>,
    pub assoc_actor_1: Option<String>,
    pub assoc_actor_2: Option<String>,
    pub actors_from_article: bool,
}

impl Who<'_> {
    /// Type and actors of an incident, with ACLED's conventions: an attack whose target is
    /// civilians is violence against civilians, a killing of armed men is a battle; protesters
    /// and rioters are the first actor of protests and riots; a katiba's events are its
    /// parent group's, the katiba being the associated actor.
    pub fn code(
        &self,
        trigger: &Trigger,
        evidence: &[(usize, Span)],
        triggers: &[usize],
        folded: impl FnOnce() -> String,
    ) -> Coded {
        let text = folded();
        let (mut actor1, mut actor2) = self.actors(evidence, triggers, trigger);
        let (mut event_type, mut sub_event_type) =
            (trigger.event_type.clone(), trigger.sub_event_type.clone());
        let kind = |a: &Option<String>| {
            a.as_deref()
                .and_then(|n| self.lexicon.find_name(n))
                .map(|x| x.kind.clone())
        };
        // Unarmed people who turn violent are a mob (ACLED's riot, mob violence): "residents
        // lynched a robber", "youths attacked the gendarmerie".
        if matches!(
            event_type.as_str(),
            "Battles" | "Violence against civilians"
        ) && kind(&actor1).is_some_and(|k| matches!(k.as_str(), "civilians" | "rioters"))
            && MOB.is_match(&text)
            && !RESPONSE.is_match(&text)
        {
            (event_type, sub_event_type) = ("Riots".into(), "Mob violence".into());
            actor1 = Some("Rioters (Mali)".into());
        }
        // Civilians, protesters and rioters are never the initiator of violence or looting.
        if (is_violent(&event_type) || sub_event_type == "Looting/property destruction")
            && kind(&actor1)
                .is_some_and(|k| matches!(k.as_str(), "civilians" | "protesters" | "rioters"))
        {
            actor2 = actor2.or(actor1.take());
        }
        let target = kind(&actor2);
        match event_type.as_str() {
            // An attack that only takes or destroys property is looting.
            _ if matches!(sub_event_type.as_str(), "Armed clash" | "Attack")
                && LOOTING.is_match(&text)
                && !HARM.is_match(&text)
                && !RESPONSE.is_match(&text)
                && self.fatalities(evidence).0.unwrap_or(0) == 0 =>
            {
                (event_type, sub_event_type) = (
                    "Strategic developments".into(),
                    "Looting/property destruction".into(),
                );
            }
            "Battles"
                if sub_event_type == "Armed clash"
                    && target.as_deref() == Some("civilians")
                    && !RESPONSE.is_match(&text) =>
            {
                (event_type, sub_event_type) =
                    ("Violence against civilians".into(), "Attack".into());
            }
            // A killing is a battle when the victims are armed: soldiers, rebels, a rival
            // group's member ("3 jihadists killed", "executed a JNIM member").
            "Violence against civilians"
                if sub_event_type == "Attack"
                    && (self.victims_armed(evidence, target.as_deref())
                        || RESPONSE.is_match(&text)) =>
            {
                (event_type, sub_event_type) = ("Battles".into(), "Armed clash".into());
            }
            "Protests" | "Riots" => {
                let crowd = if event_type == "Riots" {
                    "Rioters (Mali)"
                } else {
                    "Protesters (Mali)"
                };
                if actor1.as_deref() != Some(crowd) {
                    let state = actor1
                        .take()
                        .filter(|a| kind(&Some(a.clone())).is_some_and(|k| is_state_side(&k)));
                    actor2 = actor2.filter(|a| a != crowd).or(state);
                    actor1 = Some(crowd.to_string());
                }
                if event_type == "Protests" && INTERVENTION.is_match(&text) {
                    sub_event_type = "Protest with intervention".into();
                }
            }
            _ => {}
        }
        let actors_from_article = self.fill_from_article(&event_type, &mut actor1, &mut actor2);
        // ACLED's name for a perpetrator nobody names, of violence or of looting.
        if actor1.is_none()
            && (is_violent(&event_type) || sub_event_type == "Looting/property destruction")
        {
            actor1 = Some(UNIDENTIFIED.to_string());
        }
        let parent = |a: &mut Option<String>| {
            let p = a
                .as_deref()
                .and_then(|n| self.lexicon.find_name(n))
                .and_then(|x| x.parent.clone());
            p.and_then(|p| a.replace(p))
        };
        let assoc_actor_1 = parent(&mut actor1);
        let assoc_actor_2 = parent(&mut actor2);
        Coded {
            event_type,
            sub_event_type,
            actor1,
            actor2,
            assoc_actor_1,
            assoc_actor_2,
            actors_from_article,
        }
    }

    /// ACLED actor1 and actor2 from the incident's sentences: the first sentence that names an
    /// initiator gives both roles; a target named later completes them.
    fn actors(
        &self,
        evidence: &[(usize, Span)],
        triggers: &[usize],
        event: &Trigger,
    ) -> (Option<String>, Option<String>) {
        let mut actor1 = None;
        let mut actor2 = None;
        for (_, span) in evidence {
            let here: Vec<ActorMention> = self
                .mentions
                .iter()
                .copied()
                .filter(|m| span.contains(m.span))
                .collect();
            let trigger = triggers
                .iter()
                .copied()
                .find(|t| span.start <= *t && *t < span.end)
                .unwrap_or(span.start);
            let others = || {
                self.triggers
                    .iter()
                    .copied()
                    .filter(|t| span.start <= *t && *t < span.end && !triggers.contains(t))
            };
            let clause_start = others()
                .filter(|t| *t < trigger)
                .max()
                .unwrap_or(span.start);
            let clause_end = others().filter(|t| *t > trigger).min().unwrap_or(span.end);
            // The article is folded once; its folded text keeps the space before the event word.
            let folded = self.folded.text.as_str();
            let clause = self.folded.folded_range(clause_start..trigger);
            let before = folded
                .get(clause.clone())
                .map_or("", |c| crate::engine::normalize::before(c, c.len(), 40));
            // "3 jihadists killed", "deux soldats tués": a toll, whose nouns are the victims.
            let word = folded
                .get(clause.end..)
                .and_then(|t| t.split_whitespace().next())
                .unwrap_or("");
            let toll = PARTICIPLE.is_match(word) && QUANTITY.is_match(before);
            let passive = toll || PASSIVE.is_match(before);
            // A mine, an IED or a shell strikes whoever is named after it.
            let author_may_follow = !matches!(
                event.sub_event_type.as_str(),
                "Remote explosive/landmine/IED" | "Shelling/artillery/missile attack"
            );
            // "The JNIM claimed the ambush": a claim in a later sentence of the incident names
            // the author its first sentence left vague.
            if actor1.is_some()
                && self.vague(actor1)
                && let Some(claimant) = here
                    .iter()
                    .find(|m| m.role == actors::Role::Agent && Some(m.actor) != actor2)
                    .filter(|_| self.tells_a_claim(*span))
            {
                actor1 = Some(claimant.actor);
            }
            let (a1, a2) = actors::roles(
                &here,
                trigger,
                clause_start..clause_end,
                passive,
                author_may_follow,
            );
            if actor1.is_none() && a1.is_some() {
                actor1 = a1;
                actor2 = actor2.or(a2);
            } else if actor2.is_none() {
                // A later sentence naming the other side: "l'armée a repoussé l'attaque".
                actor2 = a2
                    .filter(|a| Some(*a) != actor1)
                    .or(a1.filter(|a| Some(*a) != actor1));
            }
        }
        let name = |i: Option<usize>| {
            i.and_then(|i| self.lexicon.actor(i))
                .map(|a| a.name.clone())
        };
        // "JNIM claimed responsibility." / "The device was planted by JNIM." in the next sentence.
        if let Some(claimant) = self.claim_after(evidence).filter(|c| Some(*c) != actor1) {
            if actor1.is_some() && actor2.is_none() {
                actor2 = actor1;
            }
            actor1 = Some(claimant);
        }
        // "... JNIM claimed the attack two days later": a claim further on names an author no
        // one named, or one only described ("gunmen", "jihadists").
        if self.vague(actor1)
            && let Some(claimant) = self.claim_later(evidence).filter(|c| Some(*c) != actor2)
        {
            actor1 = Some(claimant);
        }
        (name(actor1), name(actor2))
    }

    /// No actor, or one only described: "gunmen", "jihadists".
    fn vague(&self, actor: Option<usize>) -> bool {
        actor
            .and_then(|a| self.lexicon.actor(a))
            .is_none_or(|a| a.kind == "unidentified" || a.name == actors::GENERIC_ISLAMIST)
    }

    /// Whether a sentence reports a claim of responsibility.
    fn tells_a_claim(&self, span: Span) -> bool {
        self.folded
            .text
            .get(self.folded.folded_range(span.range()))
            .is_some_and(|t| CLAIM.is_match(t))
    }

    /// An actor that claims the incident ("X claimed the attack", "revendiqué par X") in one
    /// of the next sentences of its paragraph.
    fn claim_later(&self, evidence: &[(usize, Span)]) -> Option<usize> {
        let (last, _) = evidence.iter().max_by_key(|(s, _)| *s)?;
        let paragraph = self.sentences.get(*last)?.paragraph;
        self.sentences
            .iter()
            .skip(last + 1)
            .take(CLAIM_REACH)
            .take_while(|s| s.paragraph == paragraph)
            .filter(|s| self.tells_a_claim(s.span))
            .find_map(|s| {
                self.mentions
                    .iter()
                    .find(|m| s.span.contains(m.span) && m.role == actors::Role::Agent)
                    .map(|m| m.actor)
            })
    }

    /// The article's main armed actors: the state side and the non-state side, by how often it
    /// names them (a group named outright before "jihadistes" or "hommes armés").
    fn main_sides(&self) -> (Option<usize>, Option<usize>) {
        let mut counts: Vec<(usize, usize)> = Vec::new();
        for m in self.mentions {
            match counts.iter_mut().find(|(a, _)| *a == m.actor) {
                Some((_, n)) => *n += 1,
                None => counts.push((m.actor, 1)),
            }
        }
        let kind = |a: usize| self.lexicon.actor(a).map_or("", |x| x.kind.as_str());
        let generic = |a: usize| {
            matches!(kind(a), "unidentified")
                || self
                    .lexicon
                    .actor(a)
                    .is_some_and(|x| x.name.ends_with("Militia (Mali)") && x.kind == "islamist")
        };
        let best = |side: &dyn Fn(&str) -> bool| {
            let of_side = counts.iter().filter(|(a, _)| side(kind(*a)));
            let specific = of_side
                .clone()
                .filter(|(a, _)| !generic(*a))
                .max_by_key(|(_, n)| *n);
            specific
                .or_else(|| of_side.max_by_key(|(_, n)| *n))
                .map(|(a, _)| *a)
        };
        (best(&is_state_side), best(&is_armed_non_state))
    }

    /// Fills the side a violent incident or a blockade leaves unnamed with the article's main
    /// actor of that side. Returns true when it did (the output says so).
    fn fill_from_article(
        &self,
        event_type: &str,
        actor1: &mut Option<String>,
        actor2: &mut Option<String>,
    ) -> bool {
        let violent = matches!(
            event_type,
            "Battles" | "Explosions/Remote violence" | "Violence against civilians"
        );
        if !violent && event_type != "Strategic developments" {
            return false;
        }
        let (state, armed) = self.main_sides();
        let name = |i: Option<usize>| {
            i.and_then(|i| self.lexicon.actor(i))
                .map(|a| a.name.clone())
        };
        let kind_of = |n: &Option<String>| {
            n.as_deref()
                .and_then(|n| self.lexicon.find_name(n))
                .map(|a| a.kind.clone())
        };
        let has = |side: &dyn Fn(&str) -> bool| {
            [&*actor1, &*actor2]
                .iter()
                .any(|a| kind_of(a).is_some_and(|k| side(&k)))
        };
        let (has_armed, has_state) = (has(&is_armed_non_state), has(&is_state_side));
        let named_none = actor1.is_none() && actor2.is_none();
        let mut filled = false;
        let mut put = |who: Option<String>, first: bool| {
            let slot = if first && actor1.is_none() {
                &mut *actor1
            } else if actor2.is_none() {
                &mut *actor2
            } else {
                &mut *actor1
            };
            if slot.is_none() && who.is_some() {
                *slot = who;
                filled = true;
            }
        };
        // A withdrawal or an arrest has its actors in its sentence; a blockade often names none.
        if !has_armed && (violent || named_none) {
            put(name(armed), true);
        }
        if violent && event_type != "Violence against civilians" && !has_state {
            put(name(state), false);
        }
        filled
    }

    /// An actor that claims the incident, or is named its author ("par X", "by X"), in the
    /// sentence right after its own, when that sentence reports no event of its own.
    fn claim_after(&self, evidence: &[(usize, Span)]) -> Option<usize> {
        let next = self.sentences.get(self.quiet_next_sentence(evidence)?)?;
        self.mentions
            .iter()
            .find(|m| next.span.contains(m.span) && m.role == actors::Role::Agent)
            .map(|m| m.actor)
    }

    /// Whether the victims of a killing are armed: the target is an armed actor, or, with no
    /// target named, the sentences name armed actors and no civilians.
    fn victims_armed(&self, evidence: &[(usize, Span)], target_kind: Option<&str>) -> bool {
        if let Some(kind) = target_kind {
            return is_state_side(kind) || is_armed_non_state(kind);
        }
        let kinds: Vec<&str> = self
            .mentions
            .iter()
            .filter(|m| evidence.iter().any(|(_, span)| span.contains(m.span)))
            .filter_map(|m| self.lexicon.actor(m.actor).map(|a| a.kind.as_str()))
            .collect();
        let armed = kinds
            .iter()
            .filter(|k| is_state_side(k) || is_armed_non_state(k))
            .count();
        armed >= 2 && !kinds.contains(&"civilians")
    }

    /// The incident's toll from its sentences, and from the next sentence when that one reports
    /// no event of its own ("Islamists clashed with soldiers in Gao. 2 dead.").
    pub fn fatalities(&self, evidence: &[(usize, Span)]) -> (Option<u32>, Option<String>) {
        let mut reports: Vec<Option<Deaths>> = evidence
            .iter()
            .map(|(s, _)| self.deaths.get(*s).cloned().flatten())
            .collect();
        if reports.iter().all(Option::is_none)
            && let Some(next) = self.quiet_next_sentence(evidence)
        {
            reports.push(self.deaths.get(next).cloned().flatten());
        }
        fatalities::for_incident(&reports)
    }

    /// The sentence after the incident's last one, when in the same paragraph and reporting
    /// no event of its own.
    fn quiet_next_sentence(&self, evidence: &[(usize, Span)]) -> Option<usize> {
        let (last, span) = evidence.iter().max_by_key(|(s, _)| *s)?;
        let next = self.sentences.get(last + 1)?;
        let same_paragraph = self
            .sentences
            .get(*last)
            .is_some_and(|l| l.paragraph == next.paragraph);
        let reports_event = self
            .triggers
            .iter()
            .any(|t| next.span.start <= *t && *t < next.span.end);
        (same_paragraph && !reports_event && next.span.start >= span.end && next.skip.is_none())
            .then_some(last + 1)
    }
}

fn is_violent(event_type: &str) -> bool {
    matches!(
        event_type,
        "Battles" | "Explosions/Remote violence" | "Violence against civilians"
    )
}

fn is_state_side(kind: &str) -> bool {
    matches!(kind, "state" | "external" | "international")
}

fn is_armed_non_state(kind: &str) -> bool {
    matches!(kind, "islamist" | "rebel" | "militia" | "unidentified")
}
