//! Mali's admin hierarchy (2023 regions and their cercles) and the admin unit of any point,
//! so that "dans la région de Tombouctou" or "(Douentza, Mopti)" can be checked against a place.

use super::{Place, PlaceKind};
use crate::engine::geo::distance_km;
use crate::engine::normalize::fold_key;
use serde::Serialize;

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Cercle {
    pub name: String,
    /// The folded name, for matching.
    pub key: String,
    pub region: String,
    /// GeoNames admin1 code of the pre-2023 region it belonged to.
    pub old_admin1: String,
    /// GeoNames id of the cercle (the admin2 code of its towns), when known.
    pub geonames_id: String,
    /// Its representative town's position, when the gazetteer knows it.
    pub seat: Option<(f64, f64)>,
}

#[derive(Debug, Clone, PartialEq, Serialize)]
pub struct Region {
    pub name: String,
    /// The folded name, for matching.
    pub key: String,
    pub old_admin1: String,
    /// True for the regions that existed before 2023 (their GeoNames admin1 code is theirs).
    pub pre_2023: bool,
}

/// How far from its seat a point may be and still count as inside a cercle (most cercles'
/// seats are within this distance of their villages).
const CERCLE_REACH_KM: f64 = 60.0;

/// The admin unit a point falls in: the 2023 region and the cercle, as names.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AdminUnit {
    pub region: Option<String>,
    pub cercle: Option<String>,
}

#[derive(Debug, Clone, Default)]
pub struct AdminTable {
    pub regions: Vec<Region>,
    pub cercles: Vec<Cercle>,
}

impl AdminTable {
    /// Parses the hand-written `admin.tsv` (kind, name, aliases, region, admin1 code, seat).
    pub fn parse(tsv: &str) -> AdminTable {
        let mut table = AdminTable::default();
        for line in crate::engine::data_lines(tsv) {
            let cols: Vec<&str> = line.split('\t').collect();
            let [kind, name, _aliases, region, admin1, _seat] = cols[..] else {
                continue;
            };
            match kind {
                "region" => table.regions.push(Region {
                    name: name.to_string(),
                    key: fold_key(name),
                    old_admin1: admin1.to_string(),
                    pre_2023: region == name
                        && !table.regions.iter().any(|r| r.old_admin1 == admin1),
                }),
                "cercle" => table.cercles.push(Cercle {
                    name: name.to_string(),
                    key: fold_key(name),
                    region: region.to_string(),
                    old_admin1: admin1.to_string(),
                    geonames_id: String::new(),
                    seat: None,
                }),
                _ => {}
            }
        }
        table
    }

    /// Learns the cercles' GeoNames ids and seats from the gazetteer's cercle entries.
    pub fn learn_from(&mut self, places: &[Place]) {
        for place in places
            .iter()
            .filter(|p| p.kind == PlaceKind::Cercle && p.in_mali())
        {
            let keys: Vec<String> = place.names().map(|n| fold_key(&strip_cercle(n))).collect();
            if let Some(c) = self
                .cercles
                .iter_mut()
                .find(|c| keys.contains(&c.key) && c.old_admin1 == place.admin1_code)
            {
                if c.geonames_id.is_empty() {
                    c.geonames_id = place.id.trim_start_matches("gn:").to_string();
                }
                // Bundled cercle entries stand at the representative town; GeoNames ADM2 rows at
                // the area's middle. Keep the first (the town) when both exist.
                if c.seat.is_none() {
                    c.seat = Some((place.lat, place.lon));
                }
            }
        }
    }

    /// The 2023 region and cercle of a place in Mali.
    pub fn unit_of(&self, place: &Place) -> AdminUnit {
        if !place.in_mali() || place.kind == PlaceKind::Country {
            return AdminUnit::default();
        }
        let key = fold_key(&strip_cercle(&place.name));
        match place.kind {
            PlaceKind::Region => {
                return AdminUnit {
                    region: self.region_named(&key).map(|r| r.name.clone()),
                    cercle: None,
                };
            }
            PlaceKind::Cercle => {
                if let Some(c) = self.cercle_named(&key, &place.admin1_code) {
                    return AdminUnit {
                        region: Some(c.region.clone()),
                        cercle: Some(c.name.clone()),
                    };
                }
            }
            _ => {}
        }
        let coded = self
            .cercles
            .iter()
            .find(|c| !place.admin2_code.is_empty() && c.geonames_id == place.admin2_code);
        let filed = coded.or_else(|| self.nearest_cercle(place));
        let cercle = filed.map(|c| self.unless_stale(place, c));
        AdminUnit {
            region: cercle.map(|c| c.region.clone()),
            cercle: cercle.map(|c| c.name.clone()),
        }
    }

    /// Whether `point` lies in the admin area `area` (a region or cercle entry).
    pub fn contains(
        &self,
        area: &Place,
        area_unit: &AdminUnit,
        point: &Place,
        point_unit: &AdminUnit,
    ) -> bool {
        if area.id == point.id {
            return true;
        }
        match area.kind {
            PlaceKind::Country => area.country == point.country,
            PlaceKind::Region => {
                let Some(region) = area_unit
                    .region
                    .as_deref()
                    .and_then(|n| self.regions.iter().find(|r| r.name == n))
                else {
                    return !area.admin1_code.is_empty() && area.admin1_code == point.admin1_code;
                };
                // Older texts name the pre-2023 regions, which cover today's smaller ones.
                (region.pre_2023 && point.admin1_code == region.old_admin1 && point.in_mali())
                    || point_unit.region.as_deref() == Some(region.name.as_str())
            }
            PlaceKind::Cercle | PlaceKind::District => {
                // Without cercle polygons, a point's cercle is that of the nearest seat; near a
                // border that guess can be wrong, so a point close to the seat also counts.
                let near_seat =
                    distance_km((area.lat, area.lon), (point.lat, point.lon)) <= CERCLE_REACH_KM;
                area_unit.cercle.is_some()
                    && (point_unit.cercle == area_unit.cercle || near_seat && point.in_mali())
            }
            _ => false,
        }
    }

    /// The GeoNames id of the cercle with this name (folded), to place a point in it.
    pub fn cercle_id(&self, name: &str) -> Option<&str> {
        let key = fold_key(&strip_cercle(name));
        self.cercles
            .iter()
            .find(|c| c.key == key)
            .map(|c| c.geonames_id.as_str())
            .filter(|id| !id.is_empty())
    }

    fn region_named(&self, key: &str) -> Option<&Region> {
        let key = key
            .trim_start_matches("region de ")
            .trim_end_matches(" region");
        self.regions.iter().find(|r| r.key == key)
    }

    fn cercle_named(&self, key: &str, admin1: &str) -> Option<&Cercle> {
        let mut matching = self.cercles.iter().filter(|c| c.key == key);
        let first = matching.next()?;
        Some(
            std::iter::once(first)
                .chain(matching)
                .find(|c| c.old_admin1 == admin1)
                .unwrap_or(first),
        )
    }

    /// The cercle whose seat is nearest, among those of the same pre-2023 region when known.
    fn nearest_cercle(&self, place: &Place) -> Option<&Cercle> {
        let same_region =
            |c: &&Cercle| place.admin1_code.is_empty() || c.old_admin1 == place.admin1_code;
        self.nearest_seat(place, &same_region)
            .or_else(|| self.nearest_seat(place, &|_| true))
    }

    /// The cercle a point's GeoNames codes file it under (its admin2 code, else the nearest
    /// seat in its admin1 region), unless that is stale: its seat is over
    /// `FAR_FROM_CODED_SEAT_KM` away and another cercle's seat less than half as far. GeoNames
    /// still files villages of the region made in 2016 under their old one: Andéranboukan
    /// (Ménaka) under Gao's Ansongo, 270 km off, 85 km from Ménaka.
    fn unless_stale<'a>(&'a self, place: &Place, filed: &'a Cercle) -> &'a Cercle {
        let km = |c: &Cercle| c.seat.map(|s| distance_km((place.lat, place.lon), s));
        let Some(far) = km(filed).filter(|&d| d > FAR_FROM_CODED_SEAT_KM) else {
            return filed;
        };
        // Only now, for the few points far from their seat, look among all the seats.
        match self.nearest_seat(place, &|_| true) {
            Some(nearer) if km(nearer).is_some_and(|d| d * 2.0 < far) => nearer,
            _ => filed,
        }
    }

    /// The cercle, of those `filter` keeps, whose seat is nearest `place`.
    fn nearest_seat(&self, place: &Place, filter: &dyn Fn(&&Cercle) -> bool) -> Option<&Cercle> {
        self.cercles
            .iter()
            .filter(filter)
            .filter_map(|c| c.seat.map(|s| (c, distance_km((place.lat, place.lon), s))))
            .min_by(|a, b| a.1.total_cmp(&b.1))
            .map(|(c, _)| c)
    }
}

/// How far from the seat of the cercle its GeoNames code names a point must be before that code
/// is doubted.
const FAR_FROM_CODED_SEAT_KM: f64 = 150.0;

/// "Cercle de Goundam", "Goundam Cercle" → "Goundam".
fn strip_cercle(name: &str) -> String {
    let trimmed = name
        .trim_start_matches("Cercle de ")
        .trim_start_matches("Cercle d’ ")
        .trim_start_matches("Cercle d'")
        .trim_end_matches(" Cercle")
        .trim_end_matches(" Region")
        .trim_start_matches("Région de ");
    trimmed.to_string()
}
