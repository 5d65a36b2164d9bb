//! Builds incidents from an article's event sentences: each event sentence is placed by the
//! most specific place it names, then sentences about the same event merge into one incident.

use crate::engine::actors::{self, ActorLexicon, ActorMention};
use crate::engine::events::Trigger;
use crate::engine::fatalities::{self, Deaths};
use crate::engine::gazetteer::{Gazetteer, PlaceKind};
use crate::engine::model::{
    Article, Cue, Evidence, Incident, IncidentLocation, LocationStatus, MentionStatus,
    PlaceMention, Span,
};
use crate::engine::when::Timeline;

/// One sentence's event, before merging.
#[derive(Debug, Clone)]
pub struct SentenceEvent {
    pub sentence: usize,
    pub span: Span,
    pub trigger: Trigger,
    /// From the article's headline, which restates its lead rather than adding an event.
    pub headline: bool,
    /// Byte offset of the event word in the article.
    pub trigger_at: usize,
}

/// Who took part and who died, per sentence of the article.
pub struct Who<'a> {
    pub lexicon: &'a ActorLexicon,
    pub mentions: &'a [ActorMention],
    /// Indexed by sentence.
    pub deaths: &'a [Option<Deaths>],
    /// Every event word of the article, to bound each event's clause.
    pub triggers: &'a [usize],
}

impl Who<'_> {
    /// ACLED actor1 and actor2 from the incident's sentences: the first sentence that names an
    /// initiator gives both roles; a target named later completes them.
    fn actors(
        &self,
        evidence: &[(usize, Span)],
        triggers: &[usize],
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
            let (a1, a2) = actors::roles(&here, trigger, clause_start..clause_end);
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
        (name(actor1), name(actor2))
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
            n.as_ref()
                .and_then(|n| self.lexicon.normalize(n))
                .and_then(|n| self.lexicon.find_name(n).map(|a| a.kind.clone()))
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

    fn fatalities(&self, evidence: &[(usize, Span)]) -> (Option<u32>, Option<String>) {
        let reports: Vec<Option<Deaths>> = evidence
            .iter()
            .map(|(s, _)| self.deaths.get(*s).cloned().flatten())
            .collect();
        fatalities::for_incident(&reports)
    }
}

fn is_state_side(kind: &str) -> bool {
    matches!(kind, "state" | "external" | "international")
}

fn is_armed_non_state(kind: &str) -> bool {
    matches!(kind, "islamist" | "rebel" | "militia" | "unidentified")
}

/// Where a sentence places its events.
#[derive(Debug, Clone, PartialEq)]
struct Placement {
    /// The mention that gives the position, when one resolved.
    anchor: Option<usize>,
    /// The mention that names the place (the unresolved village when the anchor is its region).
    named: usize,
    geo_precision: Option<u8>,
}

impl Placement {
    /// Identity for merging: the same position, or the same unresolved name.
    fn key(&self, mentions: &[PlaceMention]) -> String {
        match self.anchor {
            Some(a) => {
                let id = mentions[a].place.as_ref().map_or("", |p| p.id.as_str());
                format!("{id}@{}", self.geo_precision.unwrap_or(0))
            }
            None => format!("unresolved:{}", mentions[self.named].key),
        }
    }
}

/// Default uncertainty radius (km) of a relative location with no stated distance.
const NEAR_RADIUS_KM: f64 = 25.0;
/// Uncertainty radius of an incident placed at a cercle's or region's representative town.
const CERCLE_RADIUS_KM: f64 = 60.0;
const REGION_RADIUS_KM: f64 = 150.0;

/// The most specific place a sentence names for its events.
fn placement(mentions: &[PlaceMention], sentence: usize) -> Option<Placement> {
    let here: Vec<usize> = (0..mentions.len())
        .filter(|&i| mentions[i].sentence == sentence && mentions[i].cue != Cue::Origin)
        .collect();
    // A town abroad is placed where it is (its country says so); a country never is.
    let resolved = |i: &&usize| match mentions[**i].status {
        MentionStatus::Resolved => true,
        MentionStatus::Foreign => mentions[**i]
            .place
            .as_ref()
            .is_some_and(|p| p.kind != PlaceKind::Country),
        MentionStatus::Unresolved => false,
    };
    let unresolved = here
        .iter()
        .copied()
        .find(|&i| mentions[i].status == MentionStatus::Unresolved);
    let admin = |i: &&usize| {
        mentions[**i]
            .place
            .as_ref()
            .is_some_and(|p| p.kind.is_admin_area())
    };

    // Among places named outright, one introduced by "in"/"à" is where the event happened.
    let exact = here
        .iter()
        .filter(resolved)
        .filter(|i| !admin(i) && mentions[**i].relation.is_none())
        .min_by_key(|i| {
            (
                mentions[**i].status != MentionStatus::Resolved,
                mentions[**i].cue != Cue::At,
            )
        });
    let relative = here
        .iter()
        .filter(resolved)
        .find(|i| !admin(i) && mentions[**i].relation.is_some());
    let area = here.iter().filter(resolved).filter(admin).min_by_key(|i| {
        if mentions[**i]
            .place
            .as_ref()
            .is_some_and(|p| p.kind == PlaceKind::Cercle)
        {
            0
        } else {
            1
        }
    });

    let (anchor, named) = match (exact, relative, area, unresolved) {
        (Some(&e), _, _, _) => (Some(e), e),
        (None, Some(&r), _, u) => (Some(r), u.unwrap_or(r)),
        (None, None, Some(&a), u) => (Some(a), u.unwrap_or(a)),
        (None, None, None, Some(u)) => (None, u),
        (None, None, None, None) => return None,
    };
    let geo_precision = anchor.and_then(|a| mentions[a].geo_precision);
    Some(Placement {
        anchor,
        named,
        geo_precision,
    })
}

struct Draft {
    trigger: Trigger,
    placement: Option<Placement>,
    sentences: Vec<(usize, Span)>,
    /// Offsets of its event words.
    triggers: Vec<usize>,
}

pub fn build(
    article: &Article,
    gazetteer: &Gazetteer,
    mentions: &[PlaceMention],
    events: &[SentenceEvent],
    timeline: &Timeline,
    who: &Who,
) -> Vec<Incident> {
    let mut drafts: Vec<Draft> = Vec::new();
    let mut floating: Vec<&SentenceEvent> = Vec::new();
    // Body sentences first: a headline then joins the incident its lead reports, if any.
    let body = events.iter().filter(|e| !e.headline);
    for event in body.chain(events.iter().filter(|e| e.headline)) {
        let Some(placement) = placement(mentions, event.sentence) else {
            floating.push(event);
            continue;
        };
        let key = placement.key(mentions);
        let same_type = |d: &&mut Draft| d.trigger.event_type == event.trigger.event_type;
        let same_place =
            |d: &&mut Draft| d.placement.as_ref().is_some_and(|p| p.key(mentions) == key);
        let same = if event.headline {
            let mut of_type: Vec<&mut Draft> = drafts.iter_mut().filter(|d| same_type(d)).collect();
            let at = of_type.iter().position(same_place).unwrap_or(0);
            (!of_type.is_empty()).then(|| of_type.swap_remove(at))
        } else {
            drafts.iter_mut().find(|d| same_type(d) && same_place(d))
        };
        match same {
            Some(draft) => {
                draft.sentences.push((event.sentence, event.span));
                draft.triggers.push(event.trigger_at);
            }
            None => drafts.push(Draft {
                trigger: event.trigger.clone(),
                placement: Some(placement),
                sentences: vec![(event.sentence, event.span)],
                triggers: vec![event.trigger_at],
            }),
        }
    }
    absorb_coarse_into_fine(&mut drafts, mentions, gazetteer);
    attach_floating(&mut drafts, floating);

    drafts.sort_by_key(|d| d.sentences.iter().map(|s| s.0).min());
    drafts
        .into_iter()
        .enumerate()
        .map(|(n, draft)| incident(article, mentions, timeline, who, n, draft))
        .collect()
}

/// An incident placed only at a region or cercle merges into a finer incident of the same type
/// inside that area: "une attaque dans la région de Tombouctou" and "le camp de Niafunké".
fn absorb_coarse_into_fine(
    drafts: &mut Vec<Draft>,
    mentions: &[PlaceMention],
    gazetteer: &Gazetteer,
) {
    let place_of = |d: &Draft| {
        let anchor = d.placement.as_ref()?.anchor?;
        let id = &mentions[anchor].place.as_ref()?.id;
        gazetteer.places().iter().find(|p| &p.id == id)
    };
    let mut i = 0;
    while i < drafts.len() {
        let coarse = place_of(&drafts[i]).filter(|p| p.kind.is_admin_area());
        let target = coarse.and_then(|area| {
            (0..drafts.len()).find(|&j| {
                j != i
                    && drafts[j].trigger.event_type == drafts[i].trigger.event_type
                    && place_of(&drafts[j]).is_some_and(|p| {
                        !p.kind.is_admin_area() && gazetteer.admin().contains(area, p)
                    })
            })
        });
        match target {
            Some(j) => {
                let absorbed = drafts.remove(i);
                let j = if j > i { j - 1 } else { j };
                drafts[j].sentences.extend(absorbed.sentences);
                drafts[j].triggers.extend(absorbed.triggers);
                drafts[j].sentences.sort_by_key(|s| s.0);
            }
            None => i += 1,
        }
    }
}

/// Event sentences that name no place join an incident: the nearest one before them of the
/// same type ("lors de l'attaque" looks back), else the nearest after within three sentences,
/// else the nearest of any type. When the article names no place at all, they form one
/// unlocated incident per type.
fn attach_floating(drafts: &mut Vec<Draft>, floating: Vec<&SentenceEvent>) {
    let placed = drafts.len();
    for event in floating {
        let at = event.sentence;
        let before = |d: &Draft| {
            d.sentences
                .iter()
                .filter(|s| s.0 <= at)
                .map(|s| at - s.0)
                .min()
        };
        let after = |d: &Draft| {
            d.sentences
                .iter()
                .filter(|s| s.0 > at)
                .map(|s| s.0 - at)
                .min()
        };
        let same_type = |j: &usize| drafts[*j].trigger.event_type == event.trigger.event_type;
        let nearest = |by: &dyn Fn(&Draft) -> Option<usize>, only_same: bool, limit: usize| {
            (0..placed)
                .filter(|j| !only_same || same_type(j))
                .filter_map(|j| by(&drafts[j]).filter(|d| *d <= limit).map(|d| (d, j)))
                .min()
                .map(|(_, j)| j)
        };
        let target = nearest(&before, true, usize::MAX)
            .or_else(|| nearest(&after, true, 3))
            .or_else(|| nearest(&|d: &Draft| before(d).or(after(d)), false, usize::MAX))
            .or_else(|| (placed..drafts.len()).find(|j| same_type(j)));
        match target {
            Some(j) => {
                drafts[j].sentences.push((event.sentence, event.span));
                drafts[j].triggers.push(event.trigger_at);
            }
            None => drafts.push(Draft {
                trigger: event.trigger.clone(),
                placement: None,
                sentences: vec![(event.sentence, event.span)],
                triggers: vec![event.trigger_at],
            }),
        }
    }
    for draft in drafts.iter_mut() {
        draft.sentences.sort_by_key(|s| s.0);
        draft.sentences.dedup();
    }
}

fn incident(
    article: &Article,
    mentions: &[PlaceMention],
    timeline: &Timeline,
    who: &Who,
    n: usize,
    draft: Draft,
) -> Incident {
    let when = timeline.date_of(&draft.sentences, &draft.triggers);
    let (mut actor1, mut actor2) = who.actors(&draft.sentences, &draft.triggers);
    let actors_from_article =
        who.fill_from_article(&draft.trigger.event_type, &mut actor1, &mut actor2);
    let (fatalities, fatalities_text) = who.fatalities(&draft.sentences);
    let evidence = draft
        .sentences
        .iter()
        .map(|(_, span)| Evidence {
            article_id: article.id.clone(),
            span: *span,
            sentence: article
                .text
                .get(span.range())
                .unwrap_or_default()
                .to_string(),
        })
        .collect();
    let placement = draft.placement.as_ref();
    let named = placement.map(|p| &mentions[p.named]);
    let anchor = placement.and_then(|p| p.anchor).map(|a| &mentions[a]);
    let location = anchor.and_then(|m| {
        let place = m.place.clone()?;
        let geo_precision = m.geo_precision.unwrap_or(3);
        let uncertainty_km = match (geo_precision, place.kind) {
            (1, _) => 0.0,
            (_, PlaceKind::Region) => REGION_RADIUS_KM,
            (_, PlaceKind::Cercle) => CERCLE_RADIUS_KM,
            _ => m
                .relation
                .and_then(|r| r.distance_km)
                .map_or(NEAR_RADIUS_KM, |d| d.max(5.0)),
        };
        Some(IncidentLocation {
            lat: place.lat,
            lon: place.lon,
            place,
            geo_precision,
            uncertainty_km,
        })
    });
    let status = match &location {
        Some(l) if l.geo_precision == 1 => LocationStatus::Located,
        Some(_) => LocationStatus::Approximate,
        None => LocationStatus::Unlocated,
    };
    Incident {
        id: format!("{}#{}", article.id, n + 1),
        sources: vec![article.source.clone()],
        event_type: Some(draft.trigger.event_type.clone()),
        sub_event_type: Some(draft.trigger.sub_event_type.clone()),
        event_date: when.as_ref().map(|w| w.date.format("%Y-%m-%d").to_string()),
        time_precision: when.as_ref().map(|w| w.precision),
        year_inferred: when.as_ref().is_some_and(|w| w.year_inferred),
        date_evidence: when.as_ref().and_then(|w| w.evidence),
        date_source: when.as_ref().map(|w| w.source),
        actor1,
        actor2,
        actors_from_article,
        fatalities,
        fatalities_text,
        status,
        location,
        place_mention: named.map(|m| m.text.clone()),
        place_span: named.map(|m| m.span),
        candidates: anchor
            .or(named)
            .map(|m| m.candidates.clone())
            .unwrap_or_default(),
        evidence,
        merged_from: Vec::new(),
    }
}
