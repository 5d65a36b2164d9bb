//! Geocoding: for each mention, rank the gazetteer candidates on what the article says (admin
//! hints, neighbouring places, countries named, cue words, feature class, population) and
//! answer "none of these" when nothing fits well enough.

use crate::engine::gazetteer::{Gazetteer, Place, PlaceKind};
use crate::engine::geo::distance_km;
use crate::engine::mentions::RawMention;
use crate::engine::model::{Candidate, Cue, MentionStatus, PlaceMention, PlaceRef};

/// Below this score no candidate is taken: the mention stays unresolved, its candidates kept.
pub const NONE_OF_THESE: f64 = 0.6;
/// How many ranked candidates a mention keeps for the analyst.
const KEPT_CANDIDATES: usize = 5;

/// What the whole article says that helps place each mention.
struct Context<'g> {
    /// (sentence, mention index, area) for every admin area named with a cue ("cercle de X").
    areas: Vec<(usize, usize, &'g Place)>,
    /// (sentence, ISO code) for every country named.
    countries: Vec<(usize, String)>,
    /// (mention index, place) for mentions with a single candidate in Mali.
    anchors: Vec<(usize, &'g Place)>,
}

pub fn geocode(
    gazetteer: &Gazetteer,
    mentions: &[RawMention],
    sentence_of: &[usize],
    text: &str,
) -> Vec<PlaceMention> {
    let candidates: Vec<Vec<&Place>> = mentions
        .iter()
        .map(|m| {
            gazetteer
                .lookup(&m.key)
                .iter()
                .filter_map(|&i| gazetteer.place(i))
                .collect()
        })
        .collect();
    let context = context_of(mentions, &candidates, sentence_of);
    mentions
        .iter()
        .enumerate()
        .map(|(i, m)| {
            resolve(
                gazetteer,
                &context,
                i,
                m,
                &candidates[i],
                sentence_of[i],
                text,
            )
        })
        .collect()
}

fn context_of<'g>(
    mentions: &[RawMention],
    candidates: &[Vec<&'g Place>],
    sentence_of: &[usize],
) -> Context<'g> {
    let mut context = Context {
        areas: Vec::new(),
        countries: Vec::new(),
        anchors: Vec::new(),
    };
    for (i, (m, cands)) in mentions.iter().zip(candidates).enumerate() {
        let sentence = sentence_of[i];
        let wanted = match m.cue {
            Cue::Cercle => Some(PlaceKind::Cercle),
            Cue::Region => Some(PlaceKind::Region),
            _ => None,
        };
        if let Some(kind) = wanted
            && let Some(area) = cands.iter().find(|p| p.kind == kind && p.in_mali())
        {
            context.areas.push((sentence, i, area));
        }
        if let Some(country) = cands.iter().find(|p| p.kind == PlaceKind::Country) {
            context.countries.push((sentence, country.country.clone()));
        }
        let mut in_mali = cands
            .iter()
            .filter(|p| p.in_mali() && p.kind != PlaceKind::Country);
        if let (Some(only), None) = (in_mali.next(), in_mali.next())
            && !only.kind.is_admin_area()
        {
            context.anchors.push((i, only));
        }
    }
    context
}

fn resolve(
    gazetteer: &Gazetteer,
    context: &Context,
    index: usize,
    mention: &RawMention,
    candidates: &[&Place],
    sentence: usize,
    text: &str,
) -> PlaceMention {
    let mut ranked: Vec<Candidate> = candidates
        .iter()
        .map(|place| {
            let (score, reasons) = score(gazetteer, context, index, mention, place, sentence);
            let unit = gazetteer.unit(place);
            Candidate {
                place: PlaceRef::new(place, unit.region, unit.cercle),
                score,
                reasons,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.place.id.cmp(&b.place.id))
    });
    ranked.truncate(KEPT_CANDIDATES);

    let chosen = ranked.first().filter(|c| c.score >= NONE_OF_THESE).cloned();
    let status = match &chosen {
        None => MentionStatus::Unresolved,
        Some(c) if c.place.kind == PlaceKind::Country || c.place.country != "ML" => {
            MentionStatus::Foreign
        }
        Some(_) => MentionStatus::Resolved,
    };
    let geo_precision =
        chosen
            .as_ref()
            .map(|c| match (c.place.kind.geo_precision(), mention.relation) {
                (1, Some(_)) => 2,
                (p, _) => p,
            });
    PlaceMention {
        span: mention.span,
        text: text
            .get(mention.span.range())
            .unwrap_or_default()
            .to_string(),
        key: mention.key.clone(),
        cue: mention.cue,
        relation: mention.relation,
        sentence,
        status,
        place: chosen.map(|c| c.place),
        geo_precision,
        candidates: ranked,
    }
}

fn score(
    gazetteer: &Gazetteer,
    context: &Context,
    index: usize,
    mention: &RawMention,
    place: &Place,
    sentence: usize,
) -> (f64, Vec<String>) {
    let mut reasons = Vec::new();
    let mut total = base_score(mention.cue, place.kind);
    reasons.push(format!("{:?} named {:?}: {total:+.2}", place.kind, mention.cue).to_lowercase());

    let country_named_here = context
        .countries
        .iter()
        .any(|(s, c)| *s == sentence && *c == place.country);
    if place.kind == PlaceKind::Country {
        // Recognised so its towns are not taken for Mali's; never a location by itself.
    } else if place.in_mali() {
        total += 1.0;
        reasons.push("in Mali: +1.00".into());
    } else if country_named_here {
        total += 1.2;
        reasons.push(format!("{} named in the sentence: +1.20", place.country));
    }

    // Areas named by other mentions: the mention "cercle de Goundam" is no hint about itself.
    let other_areas = || context.areas.iter().filter(|(_, i, _)| *i != index);
    let areas_here: Vec<&Place> = other_areas()
        .filter(|(s, _, _)| *s == sentence)
        .map(|(_, _, a)| *a)
        .collect();
    if place.kind != PlaceKind::Country && !areas_here.iter().any(|a| a.id == place.id) {
        if let Some(area) = areas_here.iter().find(|a| gazetteer.contains(a, place)) {
            total += 1.5;
            reasons.push(format!("inside {} named in the sentence: +1.50", area.name));
        } else if !areas_here.is_empty() {
            total -= 0.5;
            reasons.push("outside the admin area the sentence names: -0.50".into());
        } else if let Some((_, _, area)) =
            other_areas().find(|(_, _, a)| a.id != place.id && gazetteer.contains(a, place))
        {
            total += 0.7;
            reasons.push(format!("inside {} named in the article: +0.70", area.name));
        }
    }

    if place.kind != PlaceKind::Country {
        let nearest = context
            .anchors
            .iter()
            .filter(|(i, p)| *i != index && p.id != place.id)
            .map(|(_, p)| (p, distance_km((p.lat, p.lon), (place.lat, place.lon))))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((anchor, km)) = nearest {
            let bonus = 0.8 * (-km / 150.0).exp();
            if bonus >= 0.01 {
                total += bonus;
                reasons.push(format!("{km:.0} km from {}: {bonus:+.2}", anchor.name));
            }
        }
    }

    let rank = match place.feature_code.as_str() {
        "PPLC" => 0.3,
        "PPLA" => 0.25,
        "PPLA2" => 0.2,
        "PPLA3" => 0.1,
        "PPLA4" => 0.05,
        _ => 0.0,
    };
    if rank > 0.0 {
        total += rank;
        reasons.push(format!(
            "seat of an admin unit ({}): {rank:+.2}",
            place.feature_code
        ));
    }
    if gazetteer.is_main_name(place, &mention.key) {
        total += 0.1;
        reasons.push("the entry's main name: +0.10".into());
    }

    if place.population > 0 {
        let bonus = 0.25 * ((place.population as f64 + 1.0).log10() / 6.0).min(1.0);
        total += bonus;
        reasons.push(format!("population {}: {bonus:+.2}", place.population));
    }
    (total, reasons)
}

/// How well a kind of place fits the words that introduce it.
fn base_score(cue: Cue, kind: PlaceKind) -> f64 {
    use PlaceKind::*;
    match (cue, kind) {
        // A country's name means the country, not a town abroad that shares it ("nord du Mali").
        (_, Country) => 1.5,
        (Cue::Cercle, Cercle) | (Cue::Region, Region) | (Cue::Water, Water) => 1.5,
        (Cue::Cercle, Region) | (Cue::Region, Cercle) => 0.3,
        (Cue::Cercle | Cue::Region, _) => 0.4,
        (Cue::Camp, Town | Airport | Feature) => 1.0,
        (_, Town) => 1.0,
        (_, Airport) => 0.8,
        (_, Cercle | Region) => 0.45,
        (_, District) => 0.4,
        (_, Feature) => 0.25,
        (_, Water) => 0.1,
    }
}
