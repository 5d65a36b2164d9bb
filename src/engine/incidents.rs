//! Builds incidents from an article's event sentences: each event sentence is placed by the
//! most specific place it names, then sentences about the same event merge into one incident.

use crate::engine::events::Trigger;
use crate::engine::gazetteer::{Gazetteer, PlaceKind};
use crate::engine::model::{
    Article, Cue, Evidence, Incident, IncidentLocation, LocationStatus, MentionStatus,
    PlaceMention, Span,
};
use crate::engine::normalize::Folded;
use crate::engine::sentences::Sentence;
use crate::engine::when::Timeline;
pub use crate::engine::who::Who;

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

/// Which of two places named outright a sentence's event is at: the one a coder's note says
/// it was placed at ("coded as X"); then one introduced as where ("in X", "the village of X",
/// "the camp of X") before a bare name, and a bare name before a place someone belongs to ("the
/// mayor of X").
fn cue_rank(cue: Cue) -> u8 {
    match cue {
        Cue::Coded => 0,
        Cue::At | Cue::Locality | Cue::Camp => 1,
        Cue::Belonging => 3,
        _ => 2,
    }
}

/// The most specific place a sentence names for its events.
fn placement(mentions: &[PlaceMention], sentence: usize) -> Option<Placement> {
    let here: Vec<usize> = (0..mentions.len())
        .filter(|&i| {
            mentions[i].sentence == sentence
                && !matches!(mentions[i].cue, Cue::Origin | Cue::Destination)
        })
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
    // An area, or a town given as one: "Boulikessi (Mondoro, Mopti)" names the commune of
    // Mondoro as the village's area, not Mondoro as the place of the event.
    let admin = |i: &&usize| {
        let m = &mentions[**i];
        matches!(m.cue, Cue::Cercle | Cue::Region)
            || m.place.as_ref().is_some_and(|p| p.kind.is_admin_area())
    };

    // A river places an event only when nothing else does: "a bridge on the Niger river near
    // Markala" is near Markala. (A well or a pond is a place like a village.)
    let water = |i: &&usize| {
        mentions[**i]
            .place
            .as_ref()
            .is_some_and(|p| p.kind == PlaceKind::Water && p.feature_code.starts_with("STM"))
    };
    // Among places named outright, one introduced by "in"/"à" is where the event happened.
    let exact_of = |rivers: bool| {
        here.iter()
            .filter(resolved)
            .filter(|i| !admin(i) && mentions[**i].relation.is_none() && water(i) == rivers)
            .min_by_key(|i| {
                (
                    mentions[**i].status != MentionStatus::Resolved,
                    cue_rank(mentions[**i].cue),
                )
            })
    };
    let relative = here
        .iter()
        .filter(resolved)
        .find(|i| !admin(i) && !water(i) && mentions[**i].relation.is_some());
    let exact = exact_of(false).or_else(|| relative.is_none().then(|| exact_of(true)).flatten());
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
    let town_as_area = |a: usize| {
        mentions[a]
            .place
            .as_ref()
            .is_some_and(|p| !p.kind.is_admin_area())
            && matches!(mentions[a].cue, Cue::Cercle | Cue::Region)
    };
    // Somewhere in the area a town stands for: near it, not at it.
    let geo_precision = anchor.and_then(|a| {
        let p = mentions[a].geo_precision?;
        Some(if town_as_area(a) { p.max(2) } else { p })
    });
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
    attach_floating(&mut drafts, floating, mentions, who.sentences);

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
        gazetteer.by_id(id)
    };
    let mut i = 0;
    while i < drafts.len() {
        let coarse = place_of(&drafts[i]).filter(|p| p.kind.is_admin_area());
        let target = coarse.and_then(|area| {
            (0..drafts.len()).find(|&j| {
                j != i
                    && drafts[j].trigger.event_type == drafts[i].trigger.event_type
                    && place_of(&drafts[j])
                        .is_some_and(|p| !p.kind.is_admin_area() && gazetteer.contains(area, p))
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

/// How far back an event sentence that names no place, in an article whose events all name
/// none, looks for the sentence of its paragraph that set the scene: "Gunmen rode into
/// Bentia on Sunday. One soldier was wounded."
const SCENE_SENTENCES: usize = 2;

/// Event sentences that name no place join an incident: the nearest one before them of the
/// same type ("lors de l'attaque" looks back), else the nearest after within three sentences,
/// else the nearest of any type. When no event sentence names a place, an event is placed
/// where one of the two sentences before it in its paragraph (else the one after) sets the
/// scene, and that sentence is part of its evidence; only when none does do they form one
/// unlocated incident per type.
fn attach_floating(
    drafts: &mut Vec<Draft>,
    floating: Vec<&SentenceEvent>,
    mentions: &[PlaceMention],
    sentences: &[Sentence],
) {
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
            None => {
                let scene = scene_of(mentions, sentences, at);
                let mut evidence = vec![(event.sentence, event.span)];
                evidence.extend(scene.as_ref().map(|(s, _)| (*s, sentences[*s].span)));
                drafts.push(Draft {
                    trigger: event.trigger.clone(),
                    placement: scene.map(|(_, placement)| placement),
                    sentences: evidence,
                    triggers: vec![event.trigger_at],
                })
            }
        }
    }
    for draft in drafts.iter_mut() {
        draft.sentences.sort_by_key(|s| s.0);
        draft.sentences.dedup();
    }
}

/// Where the sentences around event sentence `at` set the scene, and which: the nearest of the
/// two before it in its paragraph that names a place, else the one after it.
fn scene_of(
    mentions: &[PlaceMention],
    sentences: &[Sentence],
    at: usize,
) -> Option<(usize, Placement)> {
    let paragraph = sentences.get(at)?.paragraph;
    (1..=SCENE_SENTENCES.min(at))
        .map(|back| at - back)
        .chain([at + 1])
        .filter(|&s| sentences.get(s).is_some_and(|s| s.paragraph == paragraph))
        .find_map(|s| Some((s, placement(mentions, s)?)))
}

/// The incident's sentences, folded, for the coding rules that read them.
fn evidence_text(folded: &Folded, draft: &Draft) -> String {
    let sentences: Vec<&str> = draft
        .sentences
        .iter()
        .filter_map(|(_, span)| folded.text.get(folded.folded_range(span.range())))
        .collect();
    sentences.join(" ")
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
    let coded = who.code(&draft.trigger, &draft.sentences, &draft.triggers, || {
        evidence_text(who.folded, &draft)
    });
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
        event_type: Some(coded.event_type),
        sub_event_type: Some(coded.sub_event_type),
        event_date: when.as_ref().map(|w| w.date.to_string()),
        time_precision: when.as_ref().map(|w| w.precision),
        year_inferred: when.as_ref().is_some_and(|w| w.year_inferred),
        date_evidence: when.as_ref().and_then(|w| w.evidence),
        date_source: when.as_ref().map(|w| w.source),
        actor1: coded.actor1,
        actor2: coded.actor2,
        assoc_actor_1: coded.assoc_actor_1,
        assoc_actor_2: coded.assoc_actor_2,
        actors_from_article: coded.actors_from_article,
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
        corrections: Vec::new(),
    }
}
