//! The values the engine takes and returns: articles in; place mentions, incidents and
//! diagnostics out. Every claim carries the byte span of the text it came from.

use crate::engine::gazetteer::{Place, PlaceKind};
pub use crate::engine::when::DateSource;
use serde::{Deserialize, Serialize};
use std::ops::Range;
use std::sync::Arc;

/// One article, as read by `io`: the text is already decoded and its line endings normalised.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Article {
    /// Unique within a batch: the file name, or `file.jsonl#id` for batch lines.
    pub id: String,
    /// The file the article came from, as the analyst named it.
    pub source: String,
    pub title: Option<String>,
    pub text: String,
    /// Publication date (ISO `YYYY-MM-DD`) when metadata or the file name gives it.
    pub published: Option<String>,
}

/// A byte range of an article's `text`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
}

impl Span {
    pub fn range(self) -> Range<usize> {
        self.start..self.end
    }
    pub fn contains(self, other: Span) -> bool {
        self.start <= other.start && other.end <= self.end
    }
}

impl From<Range<usize>> for Span {
    fn from(r: Range<usize>) -> Span {
        Span {
            start: r.start,
            end: r.end,
        }
    }
}

/// A place as reported in outputs: a snapshot of the gazetteer entry with its admin units.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceRef {
    pub id: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
    pub kind: PlaceKind,
    pub feature_code: String,
    pub country: String,
    /// 2023 region (ACLED admin1).
    pub admin1: Option<String>,
    /// Cercle (ACLED admin2).
    pub admin2: Option<String>,
    pub source: String,
}

impl PlaceRef {
    pub fn new(place: &Place, admin1: Option<String>, admin2: Option<String>) -> PlaceRef {
        PlaceRef {
            id: place.id.clone(),
            name: place.name.clone(),
            lat: place.lat,
            lon: place.lon,
            kind: place.kind,
            feature_code: place.feature_code.clone(),
            country: place.country.clone(),
            admin1,
            admin2,
            source: place.source.clone(),
        }
    }
}

/// A gazetteer entry considered for a mention, with its score and why.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Candidate {
    /// Shared with every other candidate and incident naming the same gazetteer entry.
    pub place: Arc<PlaceRef>,
    pub score: f64,
    pub reasons: Vec<Reason>,
}

/// One term of a candidate's score: what counted, and the points it gave (negative: took).
/// Kept structured so ranking costs no formatting; `Display` writes it for the analyst.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Reason {
    pub points: f64,
    #[serde(flatten)]
    pub factor: Factor,
}

/// What a candidate's score took into account.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "factor", rename_all = "snake_case")]
pub enum Factor {
    /// How well the kind of place fits the words before the name ("cercle de X" and a cercle).
    KindFitsCue { kind: PlaceKind, cue: Cue },
    /// The place is in Mali.
    InMali,
    /// A place abroad, in a country the same sentence names.
    CountryNamed { country: String },
    /// Inside an admin area named in the same sentence (`in_sentence`) or elsewhere in the article.
    InsideArea { area: String, in_sentence: bool },
    /// Outside an admin area the sentence names; `None` when an area is outside all the others.
    OutsideArea { area: Option<String> },
    /// Near a place the article names unambiguously.
    NearPlace { place: String, km: f64 },
    /// Near the border of a country the sentence names with its border.
    NearBorder { country: String, km: f64 },
    /// Seat of an admin unit (GeoNames PPLC, PPLA, PPLA2...).
    AdminSeat { feature_code: String },
    /// The text uses the entry's main name, not one of its aliases.
    MainName,
    /// How many people live there.
    Population { population: u64 },
    /// The text's spelling reaches this entry only as a variant of its name.
    SpellingVariant { of: String, one_edit: bool },
    /// The text's spelling has the same consonants as this entry's name, other vowels.
    SameConsonants { of: String },
    /// The analyst named this place (user gazetteer): their word outweighs any homonym.
    NamedByAnalyst,
    /// In the centre or the north, where most of the war's incidents happen (a weak prior).
    ConflictZone,
    /// A locality (GeoNames LCTY): a place people name and live at, of no fixed bounds; among
    /// the entries of a name with no town, before its wells, wadis and hills.
    Locality,
    /// Terrain the text names with a word for its kind, and the gazetteer with its own ("the
    /// Tilemsi valley": "Vallée du Tilemsi").
    TerrainName,
    /// The text puts the place within `limit_km` of another it names right after it ("X, near
    /// Y", "X (40 km from Y)"); this entry is `km` from it.
    StatedReach {
        place: String,
        km: f64,
        limit_km: f64,
    },
}

impl std::fmt::Display for Reason {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &self.factor {
            Factor::KindFitsCue { kind, cue } => {
                write!(f, "{} named {}", kind.label(), cue.label())?
            }
            Factor::InMali => f.write_str("in Mali")?,
            Factor::CountryNamed { country } => write!(f, "{country} named in the sentence")?,
            Factor::InsideArea { area, in_sentence } => {
                let scope = if *in_sentence { "sentence" } else { "article" };
                write!(f, "inside {area} named in the {scope}")?
            }
            Factor::OutsideArea { area: Some(area) } => {
                write!(f, "outside {area} named in the sentence")?
            }
            Factor::OutsideArea { area: None } => {
                f.write_str("outside the admin area the sentence names")?
            }
            Factor::NearPlace { place, km } => write!(f, "{km:.0} km from {place}")?,
            Factor::NearBorder { country, km } => write!(f, "{km:.0} km from a town of {country}")?,
            Factor::AdminSeat { feature_code } => {
                write!(f, "seat of an admin unit ({feature_code})")?
            }
            Factor::MainName => f.write_str("the entry's main name")?,
            Factor::Population { population } => write!(f, "population {population}")?,
            Factor::SpellingVariant { of, one_edit } => {
                let what = if *one_edit {
                    "one letter apart from"
                } else {
                    "another spelling of"
                };
                write!(f, "{what} {of}")?
            }
            Factor::SameConsonants { of } => write!(f, "the same consonants as {of}")?,
            Factor::NamedByAnalyst => f.write_str("named by the analyst")?,
            Factor::ConflictZone => {
                f.write_str("in the centre or north, where the war mostly is")?
            }
            Factor::Locality => f.write_str("a locality (settled, of no fixed bounds)")?,
            Factor::TerrainName => f.write_str("terrain named with its kind, as in the text")?,
            Factor::StatedReach {
                place,
                km,
                limit_km,
            } if km <= limit_km => write!(
                f,
                "{km:.0} km from {place}, within the {limit_km:.0} km the text allows"
            )?,
            Factor::StatedReach {
                place,
                km,
                limit_km,
            } => write!(
                f,
                "{km:.0} km from {place}, beyond the {limit_km:.0} km the text allows"
            )?,
        }
        write!(f, ": {:+.2}", self.points)
    }
}

/// What the words around a mention say about it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Cue {
    /// No cue word.
    Plain,
    /// A locative preposition: "à X", "in X", "dans X".
    At,
    /// "camp de X", "base de X": a military position at X.
    Camp,
    /// "village de X", "localité de X", "commune de X", "secteur de X".
    Locality,
    /// "cercle de X".
    Cercle,
    /// "région de X", "in the X region".
    Region,
    /// "puits de X", "oued X", "well of X".
    Water,
    /// "the X mountains", "la forêt de X", "the valley of X": terrain, which gazetteers often
    /// name with its own generic word ("Adrar des Ifôghas", "Vallée du Tilemsi").
    Terrain,
    /// "en provenance de X", "from X": where something came from, not where it happened.
    Origin,
    /// "evacuated to X", "taken to a hospital in X": where someone was taken afterwards, not
    /// where it happened.
    Destination,
    /// "the mayor of X", "le chef du village de X": whose someone is. Where the event happened
    /// only when the sentence names no other place.
    Belonging,
    /// "(coded as X)", "coded at approximate location in X": where a coder's note says the
    /// event was placed (ACLED's notes say so when the text names several places). Where the
    /// event happened, before any other place its sentence names.
    Coded,
}

impl Cue {
    /// How the text named the place, in words: "town named as a cercle".
    pub fn label(self) -> &'static str {
        match self {
            Cue::Plain => "with no cue word",
            Cue::At => "after a locative (in, à)",
            Cue::Camp => "as a camp or base",
            Cue::Locality => "as a village or commune",
            Cue::Cercle => "as a cercle",
            Cue::Region => "as a region",
            Cue::Water => "as a well or wadi",
            Cue::Terrain => "as mountains, a valley or a forest",
            Cue::Origin => "as where someone came from",
            Cue::Destination => "as where someone was taken afterwards",
            Cue::Belonging => "as whose someone is (the mayor of)",
            Cue::Coded => "as where the note says the event was coded",
        }
    }
}

/// A location given relative to a place: "à 50 km de Bamako", "à l'est de Gourma-Rharous".
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Relation {
    /// Stated or implied distance, km.
    pub distance_km: Option<f64>,
    /// Compass bearing in degrees from the anchor (0 = north), when the text gives a direction.
    pub bearing_deg: Option<f64>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum MentionStatus {
    /// Placed in Mali.
    Resolved,
    /// A place outside Mali (or a country): recognised, never an incident location in Mali.
    Foreign,
    /// Looks like a place, but no gazetteer entry fits: reported, never dropped.
    Unresolved,
}

/// A place name in the text and what the geocoder made of it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct PlaceMention {
    pub span: Span,
    /// The name as written.
    pub text: String,
    /// Folded matching key.
    pub key: String,
    pub cue: Cue,
    pub relation: Option<Relation>,
    pub sentence: usize,
    pub status: MentionStatus,
    pub place: Option<Arc<PlaceRef>>,
    /// ACLED geo_precision of an incident placed by this mention.
    pub geo_precision: Option<u8>,
    /// Ranked candidates, best first (at most five), including rejected ones. Shared, not
    /// copied, with the incidents placed by this mention (an archive holds 100,000s).
    pub candidates: Arc<[Candidate]>,
    /// When the name is not in the gazetteer as written but was read as a spelling variant of
    /// one that is ("Wouro Mody" for "Ouro Modi"): the gazetteer's name.
    pub variant_of: Option<String>,
}

/// ACLED's location status of an incident.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum LocationStatus {
    /// At the named place itself (geo_precision 1).
    Located,
    /// Near a place or somewhere in an admin area (geo_precision 2 or 3).
    Approximate,
    /// No place could be resolved.
    Unlocated,
}

/// Where an incident is placed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct IncidentLocation {
    pub place: Arc<PlaceRef>,
    pub lat: f64,
    pub lon: f64,
    pub geo_precision: u8,
    /// Radius of the area the incident may be in, km (0 for geo_precision 1).
    pub uncertainty_km: f64,
}

/// A sentence the incident rests on.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Evidence {
    pub article_id: String,
    pub span: Span,
    pub sentence: String,
}

/// An event the article reports.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Incident {
    pub id: String,
    /// The source files the incident was read from.
    pub sources: Vec<String>,
    pub event_type: Option<String>,
    pub sub_event_type: Option<String>,
    pub event_date: Option<String>,
    pub time_precision: Option<u8>,
    pub year_inferred: bool,
    pub date_evidence: Option<Span>,
    pub date_source: Option<DateSource>,
    pub actor1: Option<String>,
    pub actor2: Option<String>,
    /// ACLED's associated actors: a katiba whose parent group is actor1 or actor2.
    pub assoc_actor_1: Option<String>,
    pub assoc_actor_2: Option<String>,
    /// One side was not named in the incident's sentences and was taken from the article's
    /// main actors (its lead, or the group it names most).
    pub actors_from_article: bool,
    pub fatalities: Option<u32>,
    pub fatalities_text: Option<String>,
    pub status: LocationStatus,
    pub location: Option<IncidentLocation>,
    /// The place name as the text gives it (also when it could not be resolved).
    pub place_mention: Option<String>,
    pub place_span: Option<Span>,
    /// The ranked candidates of the mention that placed it (shared with that mention).
    pub candidates: Arc<[Candidate]>,
    pub evidence: Vec<Evidence>,
    /// Incidents of other articles found to be the same event and merged into this one.
    pub merged_from: Vec<String>,
    /// What the analyst changed, in words ("place set by the analyst (was Bandiagara)").
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub corrections: Vec<String>,
}

impl Incident {
    /// The days the incident may have happened on, by ACLED's time precision: the day itself;
    /// the week around it (ACLED codes a week to its middle day); or the calendar month.
    /// None when undated.
    pub fn period(&self) -> Option<(chrono::NaiveDate, chrono::NaiveDate)> {
        use chrono::Datelike;
        let date: chrono::NaiveDate = self.event_date.as_deref()?.parse().ok()?;
        let days = |n: u64| chrono::Days::new(n);
        Some(match self.time_precision {
            Some(2) => (
                date.checked_sub_days(days(3)).unwrap_or(date),
                date.checked_add_days(days(3)).unwrap_or(date),
            ),
            Some(3) => {
                let first = date.with_day(1).unwrap_or(date);
                let last = first
                    .checked_add_months(chrono::Months::new(1))
                    .and_then(|next| next.pred_opt())
                    .unwrap_or(date);
                (first, last)
            }
            _ => (date, date),
        })
    }

    /// The evidence sentences, joined: ACLED's `notes`.
    pub fn notes(&self) -> String {
        let sentences: Vec<&str> = self.evidence.iter().map(|e| e.sentence.as_str()).collect();
        sentences.join(" ")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Severity {
    Info,
    Warning,
}

/// Something the analyst should know about how an article was read.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Diagnostic {
    pub severity: Severity,
    pub message: String,
    pub span: Option<Span>,
}

/// Everything the engine made of one article.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleResult {
    pub article_id: String,
    pub source: String,
    pub incidents: Vec<Incident>,
    pub mentions: Vec<PlaceMention>,
    pub diagnostics: Vec<Diagnostic>,
}
