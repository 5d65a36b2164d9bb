//! Ranking: the score of one gazetteer candidate for one mention, from what the article says
//! (cue words, admin areas and countries named, unambiguous places nearby, borders) and what
//! the gazetteer knows (kind, admin seat, population), with the reasons behind it.

use crate::engine::gazetteer::{Gazetteer, Place, PlaceKind, USER_SOURCE};
use crate::engine::geo::distance_km;
use crate::engine::mentions::RawMention;
use crate::engine::model::{Cue, Factor, Reason};

/// What the whole article says that helps place each mention.
pub(crate) struct Context<'g> {
    /// (sentence, mention index, area) for every admin area named with a cue ("cercle de X").
    pub(crate) areas: Vec<(usize, usize, &'g Place)>,
    /// (sentence, ISO code) for every country named.
    pub(crate) countries: Vec<(usize, String)>,
    /// (sentence, ISO code) for every country named with its border: "the Burkina Faso border".
    pub(crate) borders: Vec<(usize, String)>,
    /// (mention index, place) for mentions with a single candidate in Mali.
    pub(crate) anchors: Vec<(usize, &'g Place)>,
    /// Mentions with a few homonyms in Mali: (sentence, folded name, the homonyms).
    pub(crate) homonyms: Vec<(usize, String, Vec<&'g Place>)>,
    /// (mention index, km, the places of the name after it) for a mention the text puts
    /// within that many km of the name that follows it: "X, near Y", "X (40 km from Y)".
    pub(crate) reach: Vec<(usize, f64, Vec<&'g Place>)>,
}

/// A mention with more homonyms than this says too little to place its neighbours.
pub(crate) const MAX_HOMONYMS: usize = 16;

/// The reasons of a score, kept only when asked for (ranking needs the numbers only).
pub(crate) struct Why {
    telling: bool,
    pub(crate) reasons: Vec<Reason>,
}

impl Why {
    pub(crate) fn quiet() -> Why {
        Why {
            telling: false,
            reasons: Vec::new(),
        }
    }

    pub(crate) fn told() -> Why {
        Why {
            telling: true,
            reasons: Vec::with_capacity(6),
        }
    }

    fn add(&mut self, points: f64, factor: impl FnOnce() -> Factor) {
        if self.telling {
            self.reasons.push(Reason {
                points,
                factor: factor(),
            });
        }
    }
}

/// The score of `place` as the place `mention` (number `index`, in `sentence`) names.
#[allow(clippy::too_many_arguments)]
pub(crate) fn score(
    gazetteer: &Gazetteer,
    context: &Context,
    index: usize,
    mention: &RawMention,
    place: &Place,
    sentence: usize,
    why: &mut Why,
) -> f64 {
    let mut total = base_score(mention.cue, place.kind);
    why.add(total, || Factor::KindFitsCue {
        kind: place.kind,
        cue: mention.cue,
    });

    if place.kind == PlaceKind::Feature && place.feature_code == "LCTY" {
        total += LOCALITY;
        why.add(LOCALITY, || Factor::Locality);
    }

    let country_named_here = context
        .countries
        .iter()
        .any(|(s, c)| *s == sentence && *c == place.country);
    if place.kind == PlaceKind::Country {
        // Recognised so its towns are not taken for Mali's; never a location by itself.
    } else if place.in_mali() {
        total += 1.0;
        why.add(1.0, || Factor::InMali);
    } else if country_named_here {
        total += 1.2;
        why.add(1.2, || Factor::CountryNamed {
            country: place.country.clone(),
        });
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
            why.add(1.5, || inside(area, true));
        } else if !areas_here.is_empty() {
            total -= 0.5;
            why.add(-0.5, || Factor::OutsideArea { area: None });
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
                why.add(bonus, || inside(area, true));
            } else {
                // As much against as inside would be for: the text says it is elsewhere.
                let against = inside_bonus(area.kind);
                total -= against;
                why.add(-against, || Factor::OutsideArea {
                    area: Some(area.name.clone()),
                });
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
            why.add(bonus, || inside(area, false));
        }
    }

    if place.kind != PlaceKind::Country {
        let anchors = context
            .anchors
            .iter()
            .filter(|(i, p)| *i != index && p.id != place.id)
            .map(|(_, p)| *p);
        total += near_bonus(place, anchors, (0.8, 150.0), why);
    }

    if place.kind != PlaceKind::Country && !place.kind.is_admin_area() {
        total += within_reach(context, index, place, why);
    }

    // "between Ségué and Kassogou": two names with homonyms each, in one sentence, are most
    // likely the pair that stand close together. Weaker than an unambiguous neighbour.
    if place.in_mali() && place.kind == PlaceKind::Town {
        let homonyms = context
            .homonyms
            .iter()
            .filter(|(s, key, _)| *s == sentence && *key != mention.key)
            .flat_map(|(_, _, places)| places.iter().copied());
        total += near_bonus(place, homonyms, (0.5, 40.0), why);
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
                why.add(bonus, || Factor::NearBorder {
                    country: country.clone(),
                    km,
                });
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
        why.add(rank, || Factor::AdminSeat {
            feature_code: place.feature_code.clone(),
        });
    }
    if let Some(kind) = mention.terrain
        && gazetteer.is_terrain_named(place, &mention.key, kind)
    {
        total += TERRAIN_NAME;
        why.add(TERRAIN_NAME, || Factor::TerrainName);
    }
    if gazetteer.is_main_name(place, &mention.key) {
        total += 0.1;
        why.add(0.1, || Factor::MainName);
    }

    // A weak prior, for homonyms nothing else tells apart: most of the war's incidents happen
    // in the centre and the north (GeoNames' pre-2023 regions Mopti, Ségou, Tombouctou, Gao,
    // Kidal, and the new Taoudénit and Ménaka).
    if place.in_mali()
        && place.kind == PlaceKind::Town
        && CONFLICT_ZONE.contains(&place.admin1_code.as_str())
    {
        total += CONFLICT_ZONE_PRIOR;
        why.add(CONFLICT_ZONE_PRIOR, || Factor::ConflictZone);
    }

    if place.source == USER_SOURCE {
        total += 2.0;
        why.add(2.0, || Factor::NamedByAnalyst);
    }
    if place.population > 0 {
        let bonus = 0.25 * ((place.population as f64 + 1.0).log10() / 6.0).min(1.0);
        total += bonus;
        why.add(bonus, || Factor::Population {
            population: place.population,
        });
    }
    total
}

/// Points for a locality over the other features of its name (wells, wadis, hills): it is
/// where people are, as a town is (whose kind fits most cues for 0.75 more).
const LOCALITY: f64 = 0.5;

/// Points for terrain whose name in the gazetteer also has a word for its kind ("Vallée du
/// Tilemsi" for "the Tilemsi valley") over an entry of the bare name (the erg "Tîlemsi").
const TERRAIN_NAME: f64 = 0.2;

/// GeoNames admin1 codes of the regions where the war mostly is.
const CONFLICT_ZONE: [&str; 7] = ["04", "05", "08", "09", "10", "12070575", "12070577"];
const CONFLICT_ZONE_PRIOR: f64 = 0.1;

/// The points for standing near the nearest of `others`: `weight` at 0 km, decaying over
/// `scale` km (nothing under 0.01), with the reason.
fn near_bonus<'p>(
    place: &Place,
    others: impl Iterator<Item = &'p Place>,
    (weight, scale): (f64, f64),
    why: &mut Why,
) -> f64 {
    let nearest = others
        .map(|p| (p, distance_km((p.lat, p.lon), (place.lat, place.lon))))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    let Some((other, km)) = nearest else {
        return 0.0;
    };
    let bonus = weight * (-km / scale).exp();
    if bonus < 0.01 {
        return 0.0;
    }
    why.add(bonus, || Factor::NearPlace {
        place: other.name.clone(),
        km,
    });
    bonus
}

/// Points for an entry within the reach the text states ("X, near Y"), and against one beyond
/// it: an X 300 km from Y is another village of that name, and when no entry is in reach the
/// name stays unresolved and the incident is placed near Y.
const IN_REACH: f64 = 0.5;
const OUT_OF_REACH: f64 = -3.0;

fn within_reach(context: &Context, index: usize, place: &Place, why: &mut Why) -> f64 {
    let Some((_, limit_km, anchors)) = context.reach.iter().find(|(i, _, _)| *i == index) else {
        return 0.0;
    };
    let nearest = anchors
        .iter()
        .map(|p| (p, distance_km((p.lat, p.lon), (place.lat, place.lon))))
        .min_by(|a, b| a.1.total_cmp(&b.1));
    let Some((anchor, km)) = nearest else {
        return 0.0;
    };
    let points = if km <= *limit_km {
        IN_REACH
    } else {
        OUT_OF_REACH
    };
    why.add(points, || Factor::StatedReach {
        place: anchor.name.clone(),
        km,
        limit_km: *limit_km,
    });
    points
}

/// What being inside a named area is worth: the smaller the area, the more it says.
pub(crate) fn inside_bonus(kind: PlaceKind) -> f64 {
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
        // Mountains, valleys and forests are terrain (a valley may be a wadi): a town of the
        // name is not them.
        (Cue::Terrain, Feature) => 1.5,
        (Cue::Terrain, Water) => 1.0,
        (Cue::Terrain, _) => 0.4,
        (_, Town) => 1.0,
        (_, Airport) => 0.8,
        (_, Cercle | Region) => 0.45,
        (_, District) => 0.4,
        (_, Feature) => 0.25,
        (_, Water) => 0.1,
    }
}

fn inside(area: &Place, in_sentence: bool) -> Factor {
    Factor::InsideArea {
        area: area.name.clone(),
        in_sentence,
    }
}
