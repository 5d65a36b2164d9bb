//! Reads the words around a place name: what kind of place the text says it is (cercle,
//! région, camp, well...), whether it is where something came from, and relative locations
//! ("à 50 km au nord de X", "near X", "on the road to X").

use crate::engine::gate::{Gate, Present};
use crate::engine::gazetteer::terrain::{Terrain, terrain_word};
use crate::engine::model::{Cue, Relation};
use regex::Regex;
use std::sync::LazyLock;

/// The cue and the relative location that the words around a name give: `before` is the folded
/// text before the name (up to a few words), `after` the text after it.
pub fn read_cues(before: &str, after: &str) -> (Cue, Option<Relation>) {
    let present = BEFORE.scan(before);
    let on_road = || {
        ROAD_AFTER.is_match(after).then_some(Relation {
            distance_km: None,
            bearing_deg: None,
        })
    };
    (
        cue_of(before, after, &present),
        relation_of(before, &present).or_else(on_road),
    )
}

/// A road named by the town it leads to or from, or by its two ends: "the Gao road", "the
/// Gao-Gossi axis" (folded: "gao gossi axis").
static ROAD_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^ (?:[a-z']+ )?(?:road|axis|highway|corridor|stretch)\b"));

/// Every pattern read on the words before a name, scanned for in one pass.
static BEFORE: LazyLock<Gate<Before>> = LazyLock::new(|| Gate::new(&Before::ALL, Before::pattern));

#[derive(Clone, Copy, PartialEq)]
enum Before {
    ParenSecond,
    Coded,
    Origin,
    Destination,
    Belonging,
    Cercle,
    Region,
    Water,
    Terrain,
    Camp,
    Locality,
    Locative,
    Distance,
    Direction,
    Near,
    Road,
}

impl Before {
    const ALL: [Before; 16] = [
        Before::ParenSecond,
        Before::Coded,
        Before::Origin,
        Before::Destination,
        Before::Belonging,
        Before::Cercle,
        Before::Region,
        Before::Water,
        Before::Terrain,
        Before::Camp,
        Before::Locality,
        Before::Locative,
        Before::Distance,
        Before::Direction,
        Before::Near,
        Before::Road,
    ];

    fn pattern(self) -> &'static Regex {
        match self {
            Before::ParenSecond => &PAREN_SECOND,
            Before::Coded => &CODED,
            Before::Origin => &ORIGIN,
            Before::Destination => &DESTINATION,
            Before::Belonging => &BELONGING,
            Before::Cercle => &CERCLE,
            Before::Region => &REGION,
            Before::Water => &WATER,
            Before::Terrain => &TERRAIN,
            Before::Camp => &CAMP,
            Before::Locality => &LOCALITY,
            Before::Locative => &LOCATIVE,
            Before::Distance => &DISTANCE,
            Before::Direction => &DIRECTION,
            Before::Near => &NEAR,
            Before::Road => &ROAD,
        }
    }
}

fn cue_of(before: &str, after: &str, present: &Present<Before>) -> Cue {
    let has = |p: Before| present.has(p);
    // ACLED-style admin hints after a name: "Tarkint (Bourem, Gao)" = (cercle, region).
    let opens = before.trim_end().ends_with('(');
    if opens && after.starts_with(", ") && after[2..].contains(')') {
        return Cue::Cercle;
    }
    if after.trim_start().starts_with(')') && (opens || has(Before::ParenSecond)) {
        return Cue::Region;
    }
    if has(Before::Coded) {
        Cue::Coded
    } else if has(Before::Origin) {
        Cue::Origin
    } else if has(Before::Destination) {
        Cue::Destination
    } else if has(Before::Belonging) {
        Cue::Belonging
    } else if has(Before::Cercle) {
        Cue::Cercle
    } else if has(Before::Region) || after.starts_with(" region") {
        Cue::Region
    } else if has(Before::Water) {
        Cue::Water
    } else if has(Before::Terrain) || TERRAIN_AFTER.is_match(after) {
        Cue::Terrain
    } else if has(Before::Camp) {
        Cue::Camp
    } else if has(Before::Locality) {
        Cue::Locality
    } else if has(Before::Locative) {
        Cue::At
    } else {
        Cue::Plain
    }
}

/// The kind of terrain named around a name read as terrain: the word after it ("the Ifoghas
/// mountains"), else the one before ("la forêt de Sama", "the valley of the Eranga").
pub fn terrain_of(before: &str, after: &str) -> Option<Terrain> {
    let word = |w: &str| terrain_word(w.trim_matches(|c: char| !c.is_alphanumeric()));
    let next = after.split_whitespace().next().unwrap_or("");
    word(next).or_else(|| {
        before
            .split_whitespace()
            .rev()
            .find(|w| !matches!(*w, "of" | "the" | "de" | "du" | "des" | "d'" | "classee"))
            .and_then(word)
    })
}

/// A relative location from the words just before a name: "à 50 km au nord de X", "near X".
fn relation_of(before: &str, present: &Present<Before>) -> Option<Relation> {
    let has = |p: Before| present.has(p);
    if let Some(c) = has(Before::Distance)
        .then(|| DISTANCE.captures(before))
        .flatten()
    {
        let km = c.get(1).and_then(|m| number(m.as_str()));
        let km = km.map(|n| {
            if c.get(2).is_some_and(|u| u.as_str().starts_with("mile")) {
                n * 1.609
            } else {
                n
            }
        });
        return Some(Relation {
            distance_km: km,
            bearing_deg: c.get(3).and_then(|b| bearing(b.as_str())),
        });
    }
    if let Some(c) = has(Before::Direction)
        .then(|| DIRECTION.captures(before))
        .flatten()
    {
        return Some(Relation {
            distance_km: None,
            bearing_deg: c.get(1).and_then(|b| bearing(b.as_str())),
        });
    }
    (has(Before::Near) || has(Before::Road)).then_some(Relation {
        distance_km: None,
        bearing_deg: None,
    })
}

fn number(s: &str) -> Option<f64> {
    let s = s
        .trim()
        .trim_start_matches("une ")
        .trim_start_matches("un ");
    s.parse().ok().or(match s {
        "dizaine" => Some(10.0),
        "quinzaine" => Some(15.0),
        "vingtaine" => Some(20.0),
        "trentaine" => Some(30.0),
        "quarantaine" => Some(40.0),
        "cinquantaine" => Some(50.0),
        "soixantaine" => Some(60.0),
        "centaine" => Some(100.0),
        "quelques" | "a few" | "several" => Some(10.0),
        _ => None,
    })
}

fn bearing(direction: &str) -> Option<f64> {
    let d = direction.trim().trim_end_matches("ern");
    Some(match d {
        "nord" | "north" => 0.0,
        "nord est" | "northeast" | "north east" => 45.0,
        "est" | "east" => 90.0,
        "sud est" | "southeast" | "south east" => 135.0,
        "sud" | "south" => 180.0,
        "sud ouest" | "southwest" | "south west" => 225.0,
        "ouest" | "west" => 270.0,
        "nord ouest" | "northwest" | "north west" => 315.0,
        _ => return None,
    })
}

pub(crate) fn re(pattern: &str) -> Regex {
    // The patterns are literals of this file, checked by the unit tests below.
    // The patterns run on folded text, which is ASCII but for other scripts: ASCII word
    // boundaries mean the same there and keep the regex engine on its fast path.
    Regex::new(&pattern.replace(r"\b", r"(?-u:\b)"))
        .unwrap_or_else(|e| panic!("invalid built-in pattern {pattern}: {e}"))
}

pub(crate) const DIRECTIONS: &str = r"nord est|nord ouest|sud est|sud ouest|nord|sud|est|ouest|north ?east|north ?west|south ?east|south ?west|north|south|east|west";
pub(crate) const OF: &str = r"(?:de |d'|du |des )";

/// A preposition that places what the sentence reports: "in X", "à X", "dans X".
static LOCATIVE: LazyLock<Regex> = LazyLock::new(|| {
    re(r"(?:^|[\s(,])(?:in|at|a|dans|en|au|near|pres de|pres d'|outside|inside)\s$")
});
static PAREN_SECOND: LazyLock<Regex> = LazyLock::new(|| re(r"\([a-z' ]+, $"));
static CERCLE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:cercles?|circle|cercle de la commune) (?:{OF}|of )?$"
    ))
});
static REGION: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:regions?|region administrative) {OF}$|(?:the |in )region of $"
    ))
});
static WATER: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:puits|oued|mare|well|wells|wadi) (?:{OF}|of (?:the )?)?$"
    ))
});
/// Terrain named by its kind, before the name ("la forêt de X", "the valley of X")...
static TERRAIN: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:montagnes?|massif|monts?|vallee|foret(?: classee)?|plateau) {OF}$|(?:mountains|massif|valley|forest|plateau) of (?:the )?$"
    ))
});
/// ...or after it: "the Ifoghas mountains", "the Tilemsi valley", "the Sama forest".
static TERRAIN_AFTER: LazyLock<Regex> =
    LazyLock::new(|| re(r"^ (?:mountains?|massif|hills|valley|forest|plateau)\b"));
static CAMP: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:camp|base|poste|garnison|caserne|position|emprise|military camp|military base|army base|camp militaire|base militaire|poste militaire)(?: militaire| avance)? {OF}?(?:of )?$"
    ))
});
static LOCALITY: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:village|localite|commune|secteurs?|hameau|ville|quartier|zone|foire|marche|rues?|town|locality|area|market|streets?) {OF}?(?:of )?$"
    ))
});
static ORIGIN: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:en provenance|venant|venus?|originaires?|fuyant|refugies?) {OF}$|(?:coming|fleeing|refugees) from $"
    ))
});
/// Where the wounded, a freed hostage or a body were taken after the event: "evacuated to X",
/// "taken to a hospital in X", "flown by helicopter to X", "évacués vers l'hôpital de X".
/// Only the words listed may stand between verb and name: a free run of words here multiplied
/// the states of the set all cue patterns are scanned with, and extraction of short notes
/// slowed by a fifth (benches/README.md).
static DESTINATION: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:evacuated|airlifted|flown|medevaced|transferred|rushed|admitted|taken|brought)(?: by (?:air|road|helicopter|plane))? (?:to|at) (?:(?:a|the) )?(?:(?:regional |military |main )?hospital (?:in|of|at) )?$|(?:evacues?|evacuees?|transferes?|transferees?|transportes?|transportees?|achemines?|acheminees?|conduits?|conduites?|admis|admises)(?: par (?:helicoptere|avion|la route))? (?:a |vers |sur )(?:l'hopital (?:regional )?{OF})?$"
    ))
});
/// A coder's note on where the event was placed: "(coded as X)", "coded at X", "coded at
/// approximate location in X", "coded as the approximate location of X".
static CODED: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"\bcoded (?:as|at|in) (?:(?:an |the )?approximate(?: location| coordinates)? (?:in |at |as |{OF}|of )?)?$"
    ))
});
/// An office or rank held in a place: "the mayor of X", "chef de village de X", "the imam of X".
static BELONGING: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:mayor|maire|chiefs?|chefs?|imams?|deputy|depute|prefect|prefet|governor|gouverneur|councillors?|conseillers? municipaux|conseillers?|notables?|elders?|marabouts?|cadis?|qadis?)(?: du village| de village| of the village| de canton)? (?:{OF}|of )$"
    ))
});
static DISTANCE: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:a |about |some )?(?:environ |quelque |une |un |a )?(\d+(?:[.,]\d+)?|dizaine|quinzaine|vingtaine|trentaine|quarantaine|cinquantaine|soixantaine|centaine|quelques|a few|several) ?(?:de |d')?(km|kilometres?|kilometers?|miles?) (?:(?:au |a l'|a |to the )?({DIRECTIONS}) )?(?:{OF}|of |from )$"
    ))
});
static DIRECTION: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:a l'|au |a |dans le |to the |in the |just )?({DIRECTIONS})(?:ern)? (?:{OF}|of )$"
    ))
});
static NEAR: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:pres|non loin|aux environs|dans les environs|autour|a proximite|aux abords|en peripherie|aux alentours|vers) {OF}$|(?:\bnear|outside|around|close to|not far from|on the outskirts of|in the vicinity of|nearby) $"
    ))
});
/// A road named by its towns: "sur la route de Markala", "l'axe Ségou", "on the road to Gao",
/// either end of "between X and Y", where a convoy was heading ("en direction de Gao").
static ROAD: LazyLock<Regex> = LazyLock::new(|| {
    re(&format!(
        r"(?:route|axe|piste|troncon|corridor) {OF}?(?:[a-z']+ (?:(?:a|et) )?)?$|(?:road|highway|axis|route|way)(?: (?:leading|going|linking))? (?:to |towards? |from |between )$|\b(?:en direction|en route|heading|headed|travell?ing|returning|bound|on (?:the|their|its|his|her) way)(?: back| north| south| east| west)? (?:de |d'|du |des |to |towards? |for )$|\b(?:between|entre) (?:[a-z'-]+(?: [a-z'-]+)? (?:and|et|&) )?$"
    ))
});

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_cue_pattern_compiles() {
        for pattern in [
            &LOCATIVE,
            &PAREN_SECOND,
            &CODED,
            &CERCLE,
            &REGION,
            &WATER,
            &TERRAIN,
            &TERRAIN_AFTER,
            &CAMP,
            &LOCALITY,
            &ORIGIN,
            &DESTINATION,
            &DISTANCE,
            &DIRECTION,
            &NEAR,
            &ROAD,
            &ROAD_AFTER,
        ] {
            let _ = pattern.is_match("");
        }
    }

    #[test]
    fn relations_read_distance_and_direction() {
        let cases = [
            ("a une cinquantaine de kilometres de ", Some(50.0), None),
            ("a 50 km au nord est de ", Some(50.0), Some(45.0)),
            ("about 30 km north of ", Some(30.0), Some(0.0)),
            ("a l'est de ", None, Some(90.0)),
            ("northeast of ", None, Some(45.0)),
            ("pres de ", None, None),
            ("near ", None, None),
            ("sur la route de ", None, None),
            ("not far from ", None, None),
            ("on the road leading to ", None, None),
            ("a une vingtaine de km au sud de ", Some(20.0), Some(180.0)),
        ];
        for (before, km, bearing) in cases {
            let r = read_cues(before, "")
                .1
                .unwrap_or_else(|| panic!("no relation in {before:?}"));
            assert_eq!((r.distance_km, r.bearing_deg), (km, bearing), "{before:?}");
        }
        assert_eq!(read_cues("l'attaque de ", "").1, None);
    }

    #[test]
    fn a_coders_note_gives_the_place() {
        for before in [
            "(coded as ",
            "coded at ",
            "(coded at approximate location in ",
            "coded as the approximate location of ",
        ] {
            assert_eq!(read_cues(before, ")").0, Cue::Coded, "{before:?}");
        }
        assert_eq!(read_cues("(fatalities coded as ", ")").0, Cue::Coded);
        assert_eq!(read_cues("encoded ", "").0, Cue::Plain);
    }
}
