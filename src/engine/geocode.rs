//! Geocoding: for each mention, rank the gazetteer candidates on what the article says (admin
//! hints, neighbouring places, countries named, cue words, feature class, population) and
//! answer "none of these" when nothing fits well enough.

use crate::engine::cues::re;
use crate::engine::gazetteer::{Gazetteer, Place, PlaceKind, Variant};
use crate::engine::geo::distance_km;
use crate::engine::mentions::RawMention;
use crate::engine::model::{Candidate, Cue, MentionStatus, PlaceMention, PlaceRef};
use crate::engine::normalize::{Folded, fold_key, window};
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

/// What the whole article says that helps place each mention.
struct Context<'g> {
    /// (sentence, mention index, area) for every admin area named with a cue ("cercle de X").
    areas: Vec<(usize, usize, &'g Place)>,
    /// (sentence, ISO code) for every country named.
    countries: Vec<(usize, String)>,
    /// (sentence, ISO code) for every country named with its border: "the Burkina Faso border".
    borders: Vec<(usize, String)>,
    /// (mention index, place) for mentions with a single candidate in Mali.
    anchors: Vec<(usize, &'g Place)>,
}

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
            let exact = gazetteer.lookup(&m.key);
            let (indices, variant) = if m.known || !exact.is_empty() {
                (exact.to_vec(), None)
            } else {
                gazetteer.lookup_variant(&m.key)
            };
            variants.push(variant);
            indices.iter().filter_map(|&i| gazetteer.place(i)).collect()
        })
        .collect();
    let mentions = &admin_after_comma(mentions, &candidates, text);
    let mut context = context_of(mentions, &candidates, sentence_of, text);
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

/// "Dioungani, Mopti", "Douekire, Tombouctou Region": a region's or cercle's name right after a
/// place and a comma is a hint about that place (as ACLED's "(Douentza, Mopti)" is), unless it
/// is one item of a list ("Boni, Douentza and Hombori").
fn admin_after_comma<'m>(
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

/// What reading a name as a spelling variant costs a candidate: a different transliteration
/// little, one edit more. The chosen place is reported as a variant.
fn mark_variant(mention: &mut PlaceMention, variant: Variant) {
    let (penalty, what) = match variant {
        Variant::Spelling => (0.2, "another spelling"),
        Variant::OneEdit => (0.5, "one letter apart"),
    };
    for c in &mut mention.candidates {
        c.score -= penalty;
        c.reasons
            .push(format!("{what} of {}: -{penalty:.2}", c.place.name));
    }
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
            let unit = gazetteer.unit(place);
            Candidate {
                place: PlaceRef::new(place, unit.region, unit.cercle),
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
        variant_of: None,
    }
}

/// The reasons of a score, written only when asked for (ranking needs the numbers only).
struct Why {
    telling: bool,
    reasons: Vec<String>,
}

impl Why {
    fn quiet() -> Why {
        Why {
            telling: false,
            reasons: Vec::new(),
        }
    }

    fn told() -> Why {
        Why {
            telling: true,
            reasons: Vec::new(),
        }
    }

    fn add(&mut self, reason: impl FnOnce() -> String) {
        if self.telling {
            self.reasons.push(reason());
        }
    }
}

fn score(
    gazetteer: &Gazetteer,
    context: &Context,
    index: usize,
    mention: &RawMention,
    place: &Place,
    sentence: usize,
    why: &mut Why,
) -> f64 {
    let mut total = base_score(mention.cue, place.kind);
    why.add(|| format!("{:?} named {:?}: {total:+.2}", place.kind, mention.cue).to_lowercase());

    let country_named_here = context
        .countries
        .iter()
        .any(|(s, c)| *s == sentence && *c == place.country);
    if place.kind == PlaceKind::Country {
        // Recognised so its towns are not taken for Mali's; never a location by itself.
    } else if place.in_mali() {
        total += 1.0;
        why.add(|| "in Mali: +1.00".into());
    } else if country_named_here {
        total += 1.2;
        why.add(|| format!("{} named in the sentence: +1.20", place.country));
    }

    // Areas named by other mentions: the mention "cercle de Goundam" is no hint about itself.
    let other_areas = || context.areas.iter().filter(|(_, i, _)| *i != index);
    let areas_here: Vec<&Place> = other_areas()
        .filter(|(s, _, _)| *s == sentence)
        .map(|(_, _, a)| *a)
        .collect();
    if place.kind.is_admin_area() && !areas_here.iter().any(|a| a.id == place.id) {
        // An area named with other areas: inside the first that contains it, as before.
        if let Some(area) = areas_here.iter().find(|a| gazetteer.contains(a, place)) {
            total += 1.5;
            why.add(|| format!("inside {} named in the sentence: +1.50", area.name));
        } else if !areas_here.is_empty() {
            total -= 0.5;
            why.add(|| "outside the admin area the sentence names: -0.50".into());
        }
    } else if place.kind != PlaceKind::Country && !place.kind.is_admin_area() {
        // A town weighed against every area the sentence names, the cercle above the region:
        // "Sango (Bandiagara, Mopti)" is the Sango inside both, not any Sango of Mopti region.
        let mut seen: Vec<&str> = Vec::new();
        for area in &areas_here {
            if seen.contains(&area.id.as_str()) {
                continue;
            }
            seen.push(&area.id);
            if gazetteer.contains(area, place) {
                let bonus = inside_bonus(area.kind);
                total += bonus;
                why.add(|| format!("inside {} named in the sentence: {bonus:+.2}", area.name));
            } else {
                total -= 0.5;
                why.add(|| format!("outside {} named in the sentence: -0.50", area.name));
            }
        }
        if areas_here.is_empty()
            && let Some(area) = other_areas()
                .map(|(_, _, a)| *a)
                .filter(|a| a.id != place.id && gazetteer.contains(a, place))
                .max_by(|a, b| inside_bonus(a.kind).total_cmp(&inside_bonus(b.kind)))
        {
            let bonus = 0.5 * inside_bonus(area.kind);
            total += bonus;
            why.add(|| format!("inside {} named in the article: {bonus:+.2}", area.name));
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
                why.add(|| format!("{km:.0} km from {}: {bonus:+.2}", anchor.name));
            }
        }
    }

    // "près de la frontière burkinabè", "Douna, not far from the Burkina Faso border": of the
    // homonyms in Mali, the one near that country.
    if place.in_mali() && place.kind == PlaceKind::Town {
        let border = context
            .borders
            .iter()
            .filter(|(s, c)| *s == sentence && c != "ML")
            .filter_map(|(_, c)| gazetteer.km_to_country(place, c).map(|km| (c, km)))
            .min_by(|a, b| a.1.total_cmp(&b.1));
        if let Some((country, km)) = border {
            let bonus = 0.6 * (-km / 60.0).exp();
            if bonus >= 0.01 {
                total += bonus;
                why.add(|| format!("{km:.0} km from a town of {country}: {bonus:+.2}"));
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
        why.add(|| format!("seat of an admin unit ({}): {rank:+.2}", place.feature_code));
    }
    if gazetteer.is_main_name(place, &mention.key) {
        total += 0.1;
        why.add(|| "the entry's main name: +0.10".into());
    }

    if place.population > 0 {
        let bonus = 0.25 * ((place.population as f64 + 1.0).log10() / 6.0).min(1.0);
        total += bonus;
        why.add(|| format!("population {}: {bonus:+.2}", place.population));
    }
    total
}

/// What being inside a named area is worth: the smaller the area, the more it says.
fn inside_bonus(kind: PlaceKind) -> f64 {
    match kind {
        PlaceKind::Cercle | PlaceKind::District => 1.5,
        PlaceKind::Region => 1.0,
        _ => 0.5,
    }
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
