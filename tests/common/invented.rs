//! An invented gazetteer for the geocoding tests: the bundled one plus homonyms in different
//! cercles and regions, a well sharing a town's name, homonyms near two borders, names in
//! another transliteration; and reading a sentence with it.

use incident_map::engine::Engine;
use incident_map::engine::gazetteer::{Gazetteer, Place, PlaceKind};
use incident_map::engine::geo::distance_km;
use incident_map::engine::model::{Article, ArticleResult};

/// An invented entry: (name, lat, lon, kind, GeoNames feature code).
pub fn place(id: &str, name: &str, lat: f64, lon: f64, kind: PlaceKind, code: &str) -> Place {
    Place {
        id: format!("test:{id}"),
        name: name.into(),
        aliases: Vec::new(),
        lat,
        lon,
        kind,
        feature_code: code.into(),
        country: "ML".into(),
        admin1_code: String::new(),
        admin2_code: String::new(),
        population: 0,
        source: "test".into(),
    }
}

/// Kanoudiara near Bandiagara, near Djenné and near Ansongo, and a well of that name in the
/// north; Tinguéré near the Burkina Faso border, near the Niger border and far from both;
/// Zorokoro, a single village near Ansongo; Kérina near Douentza and far from it, Wadialé far
/// from it only.
pub const NEAR_BANDIAGARA: (f64, f64) = (14.30, -3.55);
pub const NEAR_DJENNE: (f64, f64) = (13.95, -4.50);
pub const NEAR_ANSONGO: (f64, f64) = (15.60, 0.55);
pub const WELL: (f64, f64) = (16.50, -1.00);
pub const NEAR_BURKINA: (f64, f64) = (14.25, -1.90);
pub const NEAR_NIGER: (f64, f64) = (15.10, 2.45);
pub const FAR_FROM_BORDERS: (f64, f64) = (15.00, -6.00);

pub fn engine() -> Engine {
    use PlaceKind::{Feature, Town, Water};
    let mut gazetteer = Gazetteer::bundled();
    let invented = vec![
        place(
            "k1",
            "Kanoudiara",
            NEAR_BANDIAGARA.0,
            NEAR_BANDIAGARA.1,
            Town,
            "PPL",
        ),
        place(
            "k2",
            "Kanoudiara",
            NEAR_DJENNE.0,
            NEAR_DJENNE.1,
            Town,
            "PPL",
        ),
        place(
            "k3",
            "Kanoudiara",
            NEAR_ANSONGO.0,
            NEAR_ANSONGO.1,
            Town,
            "PPL",
        ),
        place("k4", "Kanoudiara", WELL.0, WELL.1, Water, "WLL"),
        place(
            "t1",
            "Tinguéré",
            NEAR_BURKINA.0,
            NEAR_BURKINA.1,
            Town,
            "PPL",
        ),
        place("t2", "Tinguéré", NEAR_NIGER.0, NEAR_NIGER.1, Town, "PPL"),
        place(
            "t3",
            "Tinguéré",
            FAR_FROM_BORDERS.0,
            FAR_FROM_BORDERS.1,
            Town,
            "PPL",
        ),
        place("z1", "Zorokoro", 15.75, 0.45, Town, "PPL"),
        place("o1", "Ouro Kanté", 14.80, -2.90, Town, "PPL"),
        place("b1", "Boulkanessi", 15.00, -1.50, Town, "PPL"),
        place("s1", "Sama", 13.20, -6.00, Town, "PPL"),
        place("d1", "Dianguel", 15.20, -3.80, Town, "PPL"),
        place("d2", "Soubéré", 15.40, -3.40, Town, "PPL"),
        place("r1", "Koumbaléni", 15.80, 0.40, Water, "STM"),
        // Tiguila: one near the Kanoudiara by Djenné, one far west.
        place("g1", "Tiguila", 14.00, -4.45, Town, "PPL"),
        place("g2", "Tiguila", 13.60, -9.50, Town, "PPL"),
        place("m1", "Mossi", 15.70, 0.50, Town, "PPL"),
        // Kérina: one 16 km from Douentza, one far south-west. Wadialé: only far from it.
        place("n1", "Kérina", 15.10, -2.85, Town, "PPL"),
        place("n2", "Kérina", 12.90, -7.40, Town, "PPL"),
        place("w1", "Wadialé", 13.00, -7.50, Town, "PPL"),
        // A village of Ménaka region that GeoNames still files under Gao (admin1 09).
        Place {
            admin1_code: "09".into(),
            ..place("m2", "Tindakoul", 15.43, 3.02, Town, "PPL")
        },
        // Kelboul: mountains and a valley named with their kind, and a town far from both.
        place("tm", "Adrar des Kelboul", 19.00, 1.50, Feature, "MTS"),
        place("tv", "Vallée du Kelboul", 18.00, 0.80, Feature, "VAL"),
        place("tt", "Kelboul", 14.00, -6.00, Town, "PPL"),
        // Tadjmart: a well, a hill and a locality of that name, no town.
        place("l1", "Tadjmart", 17.00, 0.00, Water, "WLL"),
        place("l2", "Tadjmart", 17.50, 0.50, Feature, "HLLS"),
        place("l3", "Tadjmart", 18.00, -0.50, Feature, "LCTY"),
        // Tiguirimat, in Ansongo cercle (Gao).
        Place {
            admin1_code: "09".into(),
            ..place("c1", "Tiguirimat", 15.90, 0.10, Town, "PPL")
        },
        // A village named like the last word of an armed group's name.
        place("h1", "Haram", 13.50, -7.00, Town, "PPL"),
        // A village named like a family: a person's name after a title is not it.
        place("f1", "Sangaré", 14.30, -10.20, Town, "PPL"),
        // A village named like a people.
        place("p1", "Tagat", 13.90, -9.80, Town, "PPL"),
        // A land the movements are named after, as GeoNames has it (a region, "RGN").
        place("a1", "Azawad", 19.00, 0.00, Feature, "RGN"),
        // Bérédiam: one in Kayes region, one in Mopti region, nothing else to tell them apart.
        Place {
            admin1_code: "03".into(),
            ..place("e1", "Bérédiam", 14.40, -10.90, Town, "PPL")
        },
        Place {
            admin1_code: "04".into(),
            ..place("e2", "Bérédiam", 14.60, -3.20, Town, "PPL")
        },
    ];
    gazetteer.merge(invented, "test");
    Engine::new(gazetteer)
}

/// `text` read as an article published on 10 May 2024.
pub fn read(engine: &Engine, text: &str) -> ArticleResult {
    let article = Article {
        id: "case".into(),
        source: "case".into(),
        text: text.into(),
        published: Some("2024-05-10".into()),
        ..Default::default()
    };
    engine.extract(&article)
}

/// Where the first incident of `text` is placed: (lat, lon, country), or None.
pub fn placed(engine: &Engine, text: &str) -> Option<(f64, f64, String)> {
    let result = read(engine, text);
    let location = result.incidents.first()?.location.as_ref()?;
    Some((location.lat, location.lon, location.place.country.clone()))
}

/// Each text names one place, Zorokoro, whatever else it holds that a gazetteer has.
pub fn only_zorokoro_is_a_place(texts: &[&str]) {
    let engine = engine();
    for text in texts {
        let result = read(&engine, text);
        let names: Vec<&str> = result.mentions.iter().map(|m| m.text.as_str()).collect();
        assert_eq!(names, ["Zorokoro"], "{text}");
        assert_near(&engine, text, (15.75, 0.45));
    }
}

pub fn assert_near(engine: &Engine, text: &str, expected: (f64, f64)) {
    let got = placed(engine, text).unwrap_or_else(|| panic!("no located incident: {text}"));
    let km = distance_km((got.0, got.1), expected);
    assert!(
        km < 5.0,
        "{text}\n  placed at {got:?}, {km:.0} km from {expected:?}"
    );
}
