//! Parses the gazetteer compiled into the binary: gazetteer/places.tsv (built by
//! gazetteer/build.py from registry data) and the hand-written gazetteer/admin.tsv.

use super::{AdminTable, Place, PlaceKind};

const PLACES_TSV: &str = include_str!("../../../gazetteer/places.tsv");
const ADMIN_TSV: &str = include_str!("../../../gazetteer/admin.tsv");

pub(super) fn load() -> (Vec<Place>, AdminTable) {
    let places = crate::engine::data_lines(PLACES_TSV)
        .filter_map(parse_row)
        .collect();
    (places, AdminTable::parse(ADMIN_TSV))
}

/// One row: name, aliases, lat, lon, class, code, country, admin1, admin2, population, id, source.
fn parse_row(line: &str) -> Option<Place> {
    let cols: Vec<&str> = line.split('\t').collect();
    let [
        name,
        aliases,
        lat,
        lon,
        class,
        code,
        country,
        admin1,
        admin2,
        population,
        id,
        source,
    ] = cols[..]
    else {
        return None;
    };
    Some(Place {
        id: id.to_string(),
        name: name.to_string(),
        aliases: aliases
            .split('|')
            .filter(|a| !a.is_empty())
            .map(str::to_string)
            .collect(),
        lat: lat.parse().ok()?,
        lon: lon.parse().ok()?,
        kind: PlaceKind::from_geonames(class, code),
        feature_code: code.to_string(),
        country: country.to_string(),
        admin1_code: admin1.to_string(),
        admin2_code: admin2.to_string(),
        population: population.parse().unwrap_or(0),
        source: source.to_string(),
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_bundled_row_parses() {
        let rows = crate::engine::data_lines(PLACES_TSV).count();
        let (places, admin) = load();
        assert_eq!(places.len(), rows, "a row of places.tsv failed to parse");
        assert_eq!(
            admin.regions.len(),
            20,
            "19 regions and the Bamako district"
        );
        assert_eq!(admin.cercles.len(), 50);
    }
}
