//! Geocoding: for each mention, rank the gazetteer candidates on what the article says (admin
//! hints, neighbouring places, countries named, cue words, feature class, population) and
//! answer "none of these" when nothing fits well enough.

use crate::engine::cues::re;
use crate::engine::gazetteer::{Gazetteer, Place, PlaceKind, Variant};
use crate::engine::geo::distance_km;
use crate::engine::mentions::RawMention;
use crate::engine::model::{Candidate, Cue, Factor, MentionStatus, PlaceMention, Reason};
use crate::engine::normalize::{Folded, fold_key, window};
use crate::engine::ranking::{Context, MAX_HOMONYMS, Why, score};
use crate::engine::sentences::Sentence;
use regex::Regex;
use std::borrow::Cow;
use std::sync::LazyLock;

/// Below this score no candidate is taken: the mention stays unresolved, its candidates kept.
pub const NONE_OF_THESE: f64 = 0.6;
/// How far (bytes) around a country's name a word for its border is looked for.
const BORDER_REACH: usize = 30;
/// How many ranked candidates a mention keeps for the analyst.
const KEPT_CANDIDATES: usize = 5;

/// The article as geocoding reads it.
pub struct ArticleText<'a> {
    pub original: &'a str,
    pub folded: &'a Folded,
    pub sentences: &'a [Sentence],
}

pub fn geocode(
    gazetteer: &Gazetteer,
    mentions: &[RawMention],
    sentence_of: &[usize],
    article: &ArticleText,
) -> Vec<PlaceMention> {
    let text = article.original;
    // A name the gazetteer lacks as written may be a spelling variant of one it has.
    let mut variants: Vec<Option<Variant>> = Vec::with_capacity(mentions.len());
    let candidates: Vec<Vec<&Place>> = mentions
        .iter()
        .map(|m| {
            let mut exact = gazetteer.lookup(&m.key).to_vec();
            if let Some(kind) = m.terrain {
                // "the Ifoghas mountains": also the mountains named "Adrar des Ifôghas".
                for i in gazetteer.lookup_terrain(&m.key, kind) {
                    if !exact.contains(&i) {
                        exact.push(i);
                    }
                }
            }
            let (indices, variant) = if m.known || !exact.is_empty() {
                (exact, None)
            } else {
                gazetteer.lookup_variant(&m.key)
            };
            let places: Vec<&Place> = indices
                .iter()
                .filter_map(|&i| gazetteer.place(i))
                // Variants are read for Mali's names, transliterated many ways. A name the
                // gazetteer lacks is not a town abroad that looks a little like it: "Diabaly"
                // (a Malian town missing from the bundled gazetteer) is not Diarabana, Côte
                // d'Ivoire. It stays unresolved, for the analyst to name.
                .filter(|p| variant.is_none() || p.in_mali())
                .collect();
            variants.push(variant.filter(|_| !places.is_empty()));
            places
        })
        .collect();
    let mentions = &admin_hints_after_places(mentions, &candidates, text);
    let mut context = context_of(mentions, &candidates, sentence_of, text);
    context.reach = stated_reach(mentions, &candidates, text);
    context.borders.extend(borders_by_adjective(article));
    mentions
        .iter()
        .enumerate()
        .map(|(i, m)| {
            let mut resolved = resolve(
                gazetteer,
                &context,
                i,
                m,
                &candidates[i],
                sentence_of[i],
                text,
            );
            if let Some(variant) = variants[i] {
                mark_variant(&mut resolved, variant);
            }
            resolved
        })
        .collect()
}

/// The words between a place and the area it lies in: "the X area of Y", "the X base in Y".
const AREA_OF: &[&str] = &[
    " area of ",
    " area in ",
    " area of the ",
    " area in the ",
    " base in ",
    " camp in ",
];

/// Admin hints right after a place: "Dioungani, Mopti", "Douekire, Tombouctou Region" (a
/// region's or cercle's name after a place and a comma, as ACLED's "(Douentza, Mopti)" is,
/// unless it is one item of a list: "Boni, Douentza and Hombori"), and "the Boumboum area of
/// Douentza".
fn admin_hints_after_places<'m>(
    mentions: &'m [RawMention],
    candidates: &[Vec<&Place>],
    text: &str,
) -> Cow<'m, [RawMention]> {
    let mut out = Cow::Borrowed(mentions);
    for i in 1..mentions.len() {
        let (previous, here) = (&mentions[i - 1], &mentions[i]);
        let joined_by_comma = text.get(previous.span.end..here.span.start) == Some(", ");
        let after = text.get(here.span.end..).unwrap_or("");
        let list_goes_on = {
            let rest = after.trim_start_matches([',', ' ']);
            let comma_then_name = after.starts_with(", ") && rest.starts_with(char::is_uppercase);
            let conjunction = ["and ", "et ", "or ", "ou "]
                .iter()
                .any(|c| after.trim_start().starts_with(c));
            comma_then_name || conjunction
        };
        let area = candidates[i]
            .iter()
            .filter(|p| p.in_mali())
            .map(|p| p.kind)
            .find(|k| matches!(k, PlaceKind::Region | PlaceKind::Cercle));
        let previous_is_place = candidates[i - 1]
            .iter()
            .all(|p| !p.kind.is_admin_area() && p.kind != PlaceKind::Country);
        // "the Boumboum area of Douentza", "the Boni area in Mopti": the second name is the
        // area the first lies in, the first the place (which "area of" had made the second).
        let area_of = text
            .get(previous.span.end..here.span.start)
            .is_some_and(|gap| AREA_OF.contains(&gap.to_lowercase().as_str()));
        if area_of && let Some(kind) = area {
            let out = out.to_mut();
            out[i].cue = if kind == PlaceKind::Region {
                Cue::Region
            } else {
                Cue::Cercle
            };
            if out[i - 1].cue == Cue::Plain {
                out[i - 1].cue = Cue::Locality;
            }
            continue;
        }
        if joined_by_comma && here.cue == Cue::Plain && !list_goes_on && previous_is_place {
            out.to_mut()[i].cue = match area {
                Some(PlaceKind::Region) => Cue::Region,
                Some(_) => Cue::Cercle,
                None => continue,
            };
        }
    }
    out
}

/// How far "near" reaches when the text gives no distance. Reports use it loosely where towns
/// are far apart: "Aguelhok near Kidal" (97 km), "Marina, near Mopti" (107 km), so only a
/// homonym beyond this is taken for another village of the name.
const NEAR_REACH_KM: f64 = 150.0;
/// The most bytes between two names for the words there to be one phrase about the first.
const REACH_GAP: usize = 48;

/// The words between two names when they are one phrase putting the first within reach of the
/// second: "X, near Y", "X, un village non loin de Y", "X (40 km from Y)", "X, a village
/// located about 20 km north of Y". The distance or nearness comes right after the comma or
/// bracket, or after a word for what X is; "X were attacked, 30 km from Y" is not about X.
static REACH_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"^[,( ]*(?:(?:a|an|the|un|une|le|la) )?(?:(?:small|petit|petite) )?(?:(?:village|town|hamlet|locality|localite|hameau|ville|commune|camp|site) )?(?:(?:located|situated|situe|situee) )?(?:(?:just|some|about|approximately|nearly|around|roughly|environ|a|une|quelque) )*(?:(?P<distance>\d|dizaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|soixantaine|centaine|a few|several|quelques)|near|close to|not far|outside|on the outskirts|in the vicinity|pres|non loin|a proximite|aux abords|aux environs|dans les environs|aux alentours|en peripherie)",
    )
});
/// Words that make what lies between two names more than one phrase about the first: a list
/// ("X and near Y"), a clause, a road between them (which may be long).
static NOT_ONE_PHRASE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"[;.:]|\b(?:and|et|or|ou|but|mais|while|then|puis|between|entre|road|route|axis|axe|way|piste)\b",
    )
});

/// Each mention the text puts within reach of the name right after it: "Tonou, near
/// Dioungani" (`NEAR_REACH_KM`), "Ibdakan, 40 km north of Kidal" (half as far again, and 15 km
/// for the way the distance was measured). A direction alone ("Arawane, north of Timbuktu") or a road
/// sets no reach.
fn stated_reach<'g>(
    mentions: &[RawMention],
    candidates: &[Vec<&'g Place>],
    text: &str,
) -> Vec<(usize, f64, Vec<&'g Place>)> {
    let mut reach = Vec::new();
    for (i, pair) in mentions.windows(2).enumerate() {
        let (place, anchor) = (&pair[0], &pair[1]);
        let Some(relation) = anchor.relation else {
            continue;
        };
        let Some(gap) = text.get(place.span.end..anchor.span.start) else {
            continue;
        };
        if gap.len() > REACH_GAP || !gap.starts_with([',', ' ']) {
            continue;
        }
        let gap = fold_key(gap);
        let Some(phrase) = REACH_PHRASE.captures(&gap) else {
            continue;
        };
        if NOT_ONE_PHRASE.is_match(&gap) {
            continue;
        }
        let limit_km = match (relation.distance_km, phrase.name("distance")) {
            (Some(km), Some(_)) => km * 1.5 + 15.0,
            (None, None) if relation.bearing_deg.is_none() => NEAR_REACH_KM,
            _ => continue,
        };
        let anchors: Vec<&Place> = candidates[i + 1]
            .iter()
            .copied()
            .filter(|p| p.kind != PlaceKind::Country)
            .collect();
        if !anchors.is_empty() && anchors.len() <= MAX_HOMONYMS {
            reach.push((i, limit_km, anchors));
        }
    }
    reach
}

/// What reading a name as a spelling variant costs a candidate: a different transliteration
/// little, one edit more, only the same consonants more again. The chosen place is reported as
/// a variant.
fn mark_variant(mention: &mut PlaceMention, variant: Variant) {
    let penalty = match variant {
        Variant::Spelling => 0.2,
        Variant::OneEdit => 0.5,
        // More than a town of the name scores on its own (about 2.4 at most): taken only when
        // the article corroborates it (its cercle named, a place nearby).
        Variant::Consonants => 1.9,
    };
    let mut candidates = mention.candidates.to_vec();
    for c in &mut candidates {
        c.score -= penalty;
        c.reasons.push(Reason {
            points: -penalty,
            factor: match variant {
                Variant::Consonants => Factor::SameConsonants {
                    of: c.place.name.clone(),
                },
                _ => Factor::SpellingVariant {
                    of: c.place.name.clone(),
                    one_edit: variant == Variant::OneEdit,
                },
            },
        });
    }
    mention.candidates = candidates.into();
    let chosen = mention
        .candidates
        .first()
        .filter(|c| c.score >= NONE_OF_THESE);
    if chosen.is_none() {
        mention.status = MentionStatus::Unresolved;
        mention.place = None;
        mention.geo_precision = None;
    }
    mention.variant_of = chosen.map(|c| c.place.name.clone());
}

/// A border named by its country's adjective: "la frontière burkinabè", "the Nigerien border".
static BORDER_ADJECTIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(
        r"\b(?:(?:frontieres?|borders?)(?: avec)? (?:le |la |l')?(?P<a>burkina|burkinabe|niger|nigerienne?|mauritanie|mauritanienne?|algerie|algerienne?|guinee|guineenne?|cote d'ivoire|ivoirienne?|senegal|senegalaise?)|(?P<b>burkinabe|nigerien|mauritanian|algerian|guinean|ivorian|senegalese) border)\b",
    )
});

/// (sentence, ISO code) of each border named by adjective.
fn borders_by_adjective(article: &ArticleText) -> Vec<(usize, String)> {
    BORDER_ADJECTIVE
        .captures_iter(&article.folded.text)
        .filter_map(|c| {
            let word = c.name("a").or_else(|| c.name("b"))?;
            let code = match &word.as_str()[..3] {
                "bur" => "BF",
                "nig" => "NE",
                "mau" => "MR",
                "alg" => "DZ",
                "gui" => "GN",
                "cot" | "ivo" => "CI",
                "sen" => "SN",
                _ => return None,
            };
            let at = article.folded.original_span(word.range()).start;
            let sentence = article.sentences.partition_point(|s| s.span.end <= at);
            Some((sentence, code.to_string()))
        })
        .collect()
}

fn context_of<'g>(
    mentions: &[RawMention],
    candidates: &[Vec<&'g Place>],
    sentence_of: &[usize],
    text: &str,
) -> Context<'g> {
    let mut context = Context {
        areas: Vec::new(),
        countries: Vec::new(),
        borders: Vec::new(),
        anchors: Vec::new(),
        homonyms: Vec::new(),
        reach: Vec::new(),
    };
    for (i, (m, cands)) in mentions.iter().zip(candidates).enumerate() {
        let sentence = sentence_of[i];
        let only_areas = !cands.is_empty() && cands.iter().all(|p| p.kind.is_admin_area());
        let wanted = match m.cue {
            Cue::Cercle => Some(PlaceKind::Cercle),
            Cue::Region => Some(PlaceKind::Region),
            // A name that is an area's only ("Gao region", "Mopti Region"): a hint too.
            Cue::Plain if only_areas => cands.first().map(|p| p.kind),
            _ => None,
        };
        if let Some(kind) = wanted
            && let Some(area) = cands.iter().find(|p| p.kind == kind && p.in_mali())
        {
            context.areas.push((sentence, i, area));
        }
        if let Some(country) = cands.iter().find(|p| p.kind == PlaceKind::Country) {
            context.countries.push((sentence, country.country.clone()));
            let around = window(
                text,
                m.span.start.saturating_sub(BORDER_REACH),
                m.span.end + BORDER_REACH,
            );
            let window = fold_key(around);
            if ["border", "frontier", "frontiere", "frontalier"]
                .iter()
                .any(|w| window.contains(w))
            {
                context.borders.push((sentence, country.country.clone()));
            }
        }
        let mut in_mali = cands
            .iter()
            .filter(|p| p.in_mali() && p.kind != PlaceKind::Country);
        if let (Some(only), None) = (in_mali.next(), in_mali.next())
            && !only.kind.is_admin_area()
        {
            context.anchors.push((i, only));
        }
        let towns: Vec<&'g Place> = cands
            .iter()
            .copied()
            .filter(|p| p.in_mali() && p.kind == PlaceKind::Town)
            .collect();
        if (2..=MAX_HOMONYMS).contains(&towns.len()) {
            context.homonyms.push((sentence, m.key.clone(), towns));
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
    // With more candidates than are kept, rank on the scores alone first: only the kept ones
    // get their reasons written out.
    let mut kept: Vec<&Place> = candidates.to_vec();
    if kept.len() > KEPT_CANDIDATES {
        let mut order: Vec<(f64, &Place)> = candidates
            .iter()
            .map(|place| {
                let mut quiet = Why::quiet();
                let score = score(
                    gazetteer, context, index, mention, place, sentence, &mut quiet,
                );
                (score, *place)
            })
            .collect();
        order.sort_by(|a, b| b.0.total_cmp(&a.0).then_with(|| a.1.id.cmp(&b.1.id)));
        kept = order
            .into_iter()
            .take(KEPT_CANDIDATES)
            .map(|(_, place)| place)
            .collect();
    }
    let mut ranked: Vec<Candidate> = kept
        .into_iter()
        .map(|place| {
            let mut why = Why::told();
            let score = score(
                gazetteer, context, index, mention, place, sentence, &mut why,
            );
            Candidate {
                place: gazetteer.place_ref(place),
                score,
                reasons: why.reasons,
            }
        })
        .collect();
    ranked.sort_by(|a, b| {
        b.score
            .total_cmp(&a.score)
            .then_with(|| a.place.id.cmp(&b.place.id))
    });

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
                // Mountains, a valley, a forest: somewhere in an area, not at its point.
                (1, None) if mention.cue == Cue::Terrain => 2,
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
        candidates: ranked.into(),
        variant_of: None,
    }
}

/// Homonyms whose scores differ by less than this were told apart by weak priors at most
/// (population, a main name, the conflict zone), not by the text.
const TIE: f64 = 0.15;
/// ... when they stand further apart than this.
const TIE_KM: f64 = 25.0;

/// When nothing in the text told the chosen place from a homonym far from it: a warning that
/// says so, so the pin is checked rather than believed. None otherwise.
pub fn tie_warning(mention: &PlaceMention) -> Option<String> {
    let chosen = mention.place.as_ref()?;
    let best = mention.candidates.first()?;
    let tied = mention
        .candidates
        .iter()
        .skip(1)
        .filter(|c| best.score - c.score < TIE)
        .filter(|c| distance_km((c.place.lat, c.place.lon), (chosen.lat, chosen.lon)) > TIE_KM)
        .count();
    let all_kept = tied + 1 == mention.candidates.len() && tied + 1 == KEPT_CANDIDATES;
    let count = if all_kept {
        format!("at least {}", tied + 1)
    } else {
        (tied + 1).to_string()
    };
    (tied > 0).then(|| {
        format!(
            "place \"{}\": {count} places of that name fit the text about equally well; {} ({}) was taken, check the candidates",
            mention.text,
            chosen.name,
            chosen.admin1.as_deref().unwrap_or("region unknown"),
        )
    })
}
