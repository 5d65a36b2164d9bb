//! Synthetic incidents for the benchmarks, the same on every run: positions around Mali's
//! conflict hubs, three years of dates at day, week and month precision (a few undated),
//! ACLED-style types and actors, several hundred source articles, and a sentence of notes.

use incident_map::engine::gazetteer::PlaceKind;
use incident_map::engine::model::{
    Article, ArticleResult, Evidence, Incident, IncidentLocation, LocationStatus, PlaceRef, Span,
};

/// ACLED's six event types (the last of the app's names is "Type unknown").
const TYPES: &[&str] = incident_map::ui::filter::TYPE_NAMES.split_at(6).0;

pub const ACTORS: [&str; 10] = [
    "JNIM: Group for Support of Islam and Muslims",
    "Military Forces of Mali",
    "Islamic State Sahel Province",
    "Africa Corps",
    "Wagner Group",
    "Civilians (Mali)",
    "Unidentified Armed Group (Mali)",
    "Dan Na Ambassagou",
    "FLA: Azawad Liberation Front",
    "MINUSMA: United Nations Multidimensional Integrated Stabilization Mission in Mali",
];

const WORDS: [&str; 12] = [
    "attack",
    "convoy",
    "village",
    "drone",
    "ambush",
    "market",
    "checkpoint",
    "camp",
    "road",
    "herders",
    "fuel",
    "blockade",
];

/// A small deterministic generator (xorshift), so every run draws the same map.
pub struct Rng(pub u64);

impl Rng {
    pub fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }

    fn pick<'a>(&mut self, from: &[&'a str]) -> &'a str {
        from[(self.next() * from.len() as f64) as usize % from.len()]
    }
}

/// `n` incidents in one synthetic article's result.
pub fn synthetic(n: usize) -> (Article, ArticleResult) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let article = Article {
        id: "synthetic".into(),
        source: "synthetic".into(),
        text: "Synthetic incidents for the benchmarks.".into(),
        ..Default::default()
    };
    // Most incidents where Mali's conflict is: the centre and the north-east, around towns.
    let hubs = [
        (14.5, -4.2),
        (16.27, -0.04),
        (15.2, 0.25),
        (18.44, 1.41),
        (13.44, -6.26),
        (12.6, -8.0),
    ];
    let start = chrono::NaiveDate::from_ymd_opt(2023, 1, 1).unwrap_or_default();
    let incidents = (0..n)
        .map(|k| {
            let (lat, lon) = if rng.next() < 0.7 {
                let hub = hubs[(rng.next() * hubs.len() as f64) as usize % hubs.len()];
                (
                    hub.0 + (rng.next() - 0.5) * 1.5,
                    hub.1 + (rng.next() - 0.5) * 1.5,
                )
            } else {
                (10.5 + rng.next() * 14.0, -11.5 + rng.next() * 15.0)
            };
            let precision = 1 + (rng.next() * 3.0) as u8 % 3;
            let unlocated = rng.next() < 0.03;
            let place = PlaceRef {
                id: format!("synthetic:{k}"),
                name: format!("Place {k}"),
                lat,
                lon,
                kind: PlaceKind::Town,
                feature_code: "PPL".into(),
                country: "ML".into(),
                admin1: None,
                admin2: None,
                source: "synthetic".into(),
            };
            let time_precision = match rng.next() {
                x if x < 0.70 => Some(1),
                x if x < 0.90 => Some(2),
                x if x < 0.98 => Some(3),
                _ => None,
            };
            let date = start + chrono::Days::new((rng.next() * 1095.0) as u64);
            let actor1 = rng.pick(&ACTORS);
            let actor2 = rng.pick(&ACTORS);
            let sentence = format!(
                "Synthetic {} near place {k}: {} and {}.",
                rng.pick(&WORDS),
                actor1,
                rng.pick(&WORDS)
            );
            let source = format!("article-{:03}.txt", (rng.next() * 500.0) as usize);
            Incident {
                id: format!("synthetic#{k}"),
                sources: vec![source],
                event_type: Some(TYPES[k % TYPES.len()].into()),
                sub_event_type: None,
                event_date: time_precision.map(|_| date.to_string()),
                time_precision,
                year_inferred: false,
                date_evidence: None,
                date_source: None,
                actor1: Some(actor1.into()),
                actor2: (actor2 != actor1).then(|| actor2.into()),
                assoc_actor_1: None,
                assoc_actor_2: None,
                actors_from_article: false,
                fatalities: Some((rng.next() * 30.0) as u32),
                fatalities_text: None,
                status: match (unlocated, precision) {
                    (true, _) => LocationStatus::Unlocated,
                    (false, 1) => LocationStatus::Located,
                    _ => LocationStatus::Approximate,
                },
                location: (!unlocated).then_some(IncidentLocation {
                    place: place.into(),
                    lat,
                    lon,
                    geo_precision: precision,
                    uncertainty_km: if precision == 1 { 0.0 } else { 25.0 },
                }),
                place_mention: Some(format!("Place {k}")),
                place_span: None,
                candidates: Default::default(),
                evidence: vec![Evidence {
                    article_id: "synthetic".into(),
                    span: Span { start: 0, end: 9 },
                    sentence,
                }],
                merged_from: Vec::new(),
                corrections: Vec::new(),
            }
        })
        .collect();
    let result = ArticleResult {
        article_id: "synthetic".into(),
        source: "synthetic".into(),
        incidents,
        mentions: Vec::new(),
        diagnostics: Vec::new(),
    };
    (article, result)
}
