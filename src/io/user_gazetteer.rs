//! The user gazetteer: places the analyst named, as the engine's gazetteer entries, and as CSV
//! and GeoJSON files colleagues can share (export, then import into another workspace).

use crate::engine::gazetteer::{Gazetteer, Place, PlaceKind, USER_SOURCE};
use crate::io::store::UserPlace;
use anyhow::{Context, Result, bail};
use std::path::Path;

/// The gazetteer entry a user place is: a town in Mali (or the country its point is in),
/// in the cercle named, else the nearest cercle's, outranking any homonym.
pub fn to_place(user: &UserPlace, gazetteer: &Gazetteer) -> Place {
    let admin2_code = user
        .admin2
        .as_deref()
        .and_then(|name| gazetteer.admin().cercle_id(name))
        .unwrap_or_default()
        .to_string();
    Place {
        id: user.id.clone(),
        name: user.name.clone(),
        aliases: user.aliases.clone(),
        lat: user.lat,
        lon: user.lon,
        kind: PlaceKind::Town,
        feature_code: "PPL".into(),
        country: "ML".into(),
        admin1_code: String::new(),
        admin2_code,
        population: 0,
        source: USER_SOURCE.into(),
    }
}

/// The gazetteer with the user places merged over it.
pub fn merged(mut gazetteer: Gazetteer, places: &[UserPlace]) -> Gazetteer {
    if !places.is_empty() {
        let entries = places.iter().map(|p| to_place(p, &gazetteer)).collect();
        gazetteer.merge(entries, "user gazetteer");
    }
    gazetteer
}

/// Checks a place before it is kept: a name, and a point on Earth.
pub fn validate(place: &UserPlace) -> Result<()> {
    if place.name.trim().is_empty() {
        bail!("a place needs a name");
    }
    if !(-90.0..=90.0).contains(&place.lat) || !(-180.0..=180.0).contains(&place.lon) {
        bail!(
            "{}: {}, {} is not a latitude and longitude",
            place.name,
            place.lat,
            place.lon
        );
    }
    Ok(())
}

const CSV_HEADER: [&str; 7] = [
    "id",
    "name",
    "aliases",
    "latitude",
    "longitude",
    "admin1",
    "admin2",
];

/// Writes the places as CSV (aliases joined by `|`) or GeoJSON, by the file's extension.
pub fn export(path: &Path, places: &[UserPlace]) -> Result<()> {
    let text = if is_geojson(path) {
        geojson(places)?
    } else {
        csv(places)?
    };
    crate::io::atomic::write(path, &text)
}

fn is_geojson(path: &Path) -> bool {
    path.extension()
        .and_then(|e| e.to_str())
        .is_some_and(|e| e.eq_ignore_ascii_case("geojson") || e.eq_ignore_ascii_case("json"))
}

fn csv(places: &[UserPlace]) -> Result<String> {
    let mut writer = csv::Writer::from_writer(Vec::new());
    writer.write_record(CSV_HEADER)?;
    for p in places {
        writer.write_record([
            p.id.as_str(),
            &p.name,
            &p.aliases.join("|"),
            &p.lat.to_string(),
            &p.lon.to_string(),
            p.admin1.as_deref().unwrap_or(""),
            p.admin2.as_deref().unwrap_or(""),
        ])?;
    }
    Ok(String::from_utf8(writer.into_inner()?)?)
}

fn geojson(places: &[UserPlace]) -> Result<String> {
    let features: Vec<serde_json::Value> = places
        .iter()
        .map(|p| {
            serde_json::json!({
                "type": "Feature",
                "geometry": {"type": "Point", "coordinates": [p.lon, p.lat]},
                "properties": {
                    "id": p.id, "name": p.name, "aliases": p.aliases,
                    "admin1": p.admin1, "admin2": p.admin2, "added_at": p.added_at,
                },
            })
        })
        .collect();
    Ok(serde_json::to_string_pretty(
        &serde_json::json!({"type": "FeatureCollection", "features": features}),
    )?)
}

/// Reads places from a CSV or GeoJSON file made by `export` (ids are given anew by the
/// workspace that imports them). Each row or feature that is not a place is an error naming it.
pub fn import(path: &Path) -> Result<Vec<UserPlace>> {
    let text = std::fs::read_to_string(path)
        .with_context(|| format!("{}: cannot read", path.display()))?;
    let places = if is_geojson(path) {
        from_geojson(&text)
    } else {
        from_csv(&text)
    }
    .with_context(|| format!("{}", path.display()))?;
    for place in &places {
        validate(place).with_context(|| format!("{}", path.display()))?;
    }
    Ok(places)
}

fn from_csv(text: &str) -> Result<Vec<UserPlace>> {
    let mut reader = csv::Reader::from_reader(text.as_bytes());
    let header = reader.headers()?.clone();
    let column = |name: &str| {
        header
            .iter()
            .position(|h| h.trim().eq_ignore_ascii_case(name))
    };
    let (Some(name), Some(lat), Some(lon)) =
        (column("name"), column("latitude"), column("longitude"))
    else {
        bail!("a CSV of places needs the columns name, latitude and longitude");
    };
    let (aliases, admin1, admin2) = (column("aliases"), column("admin1"), column("admin2"));
    let mut places = Vec::new();
    for (n, row) in reader.records().enumerate() {
        let row = row?;
        let field = |i: Option<usize>| i.and_then(|i| row.get(i)).map(str::trim).unwrap_or("");
        let number = |i: Option<usize>, what: &str| {
            field(i)
                .parse::<f64>()
                .with_context(|| format!("row {}: the {what} is not a number", n + 2))
        };
        let optional = |i| Some(field(i).to_string()).filter(|s| !s.is_empty());
        places.push(UserPlace {
            id: String::new(),
            name: field(Some(name)).to_string(),
            aliases: field(aliases)
                .split('|')
                .map(str::trim)
                .filter(|a| !a.is_empty())
                .map(String::from)
                .collect(),
            lat: number(Some(lat), "latitude")?,
            lon: number(Some(lon), "longitude")?,
            admin1: optional(admin1),
            admin2: optional(admin2),
            added_at: String::new(),
        });
    }
    Ok(places)
}

fn from_geojson(text: &str) -> Result<Vec<UserPlace>> {
    let json: serde_json::Value = serde_json::from_str(text).context("not JSON")?;
    let features = json["features"]
        .as_array()
        .context("not a GeoJSON FeatureCollection")?;
    features
        .iter()
        .enumerate()
        .map(|(n, f)| {
            let coordinates = &f["geometry"]["coordinates"];
            let (Some(lon), Some(lat)) = (coordinates[0].as_f64(), coordinates[1].as_f64()) else {
                bail!("feature {}: not a point", n + 1);
            };
            let p = &f["properties"];
            let text = |key: &str| {
                p[key]
                    .as_str()
                    .map(str::to_string)
                    .filter(|s| !s.is_empty())
            };
            Ok(UserPlace {
                id: String::new(),
                name: text("name").with_context(|| format!("feature {}: no name", n + 1))?,
                aliases: p["aliases"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .filter_map(|v| v.as_str().map(String::from))
                            .collect()
                    })
                    .unwrap_or_default(),
                lat,
                lon,
                admin1: text("admin1"),
                admin2: text("admin2"),
                added_at: String::new(),
            })
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn place() -> UserPlace {
        UserPlace {
            id: "user:1".into(),
            name: "Boulkessi".into(),
            aliases: vec!["Boulkessy".into(), "Boulkési".into()],
            lat: 14.8,
            lon: -1.32,
            admin1: Some("Bandiagara".into()),
            admin2: None,
            added_at: "2026-11-22T10:00:00Z".into(),
        }
    }

    #[test]
    fn places_go_out_and_come_back_as_csv_and_geojson() {
        let dir = tempfile::tempdir().expect("temp dir");
        for name in ["places.csv", "places.geojson"] {
            let path = dir.path().join(name);
            export(&path, &[place()]).expect("exported");
            let back = import(&path).expect("imported");
            let expected = UserPlace {
                id: String::new(),
                added_at: String::new(),
                ..place()
            };
            assert_eq!(back, vec![expected], "{name}");
        }
    }

    #[test]
    fn rows_that_are_not_places_are_named() {
        let dir = tempfile::tempdir().expect("temp dir");
        let path = dir.path().join("bad.csv");
        std::fs::write(&path, "name,latitude,longitude\nTessit,north,0.3\n").expect("written");
        let error = format!("{:#}", import(&path).expect_err("not a number"));
        assert!(
            error.contains("bad.csv") && error.contains("row 2"),
            "{error}"
        );
        std::fs::write(&path, "name,latitude,longitude\nTessit,95,0.3\n").expect("written");
        assert!(import(&path).is_err(), "latitude 95");
    }
}
