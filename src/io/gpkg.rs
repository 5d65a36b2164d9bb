//! GeoPackage for QGIS and ArcGIS (OGC 12-128, version 1.3, which GDAL 3.6 reads without a
//! warning): one point layer, `incidents`, in WGS 84 (EPSG:4326), with ACLED's fields and
//! Incident Map's own. Written to a temporary file beside the target and renamed, so a failed
//! export never leaves half a file.

use crate::engine::model::Incident;
use crate::io::export::properties;
use anyhow::Context;
use rusqlite::{Connection, params_from_iter, types::Value as Sql};
use serde_json::Value;
use std::path::Path;

/// The layer's name in the GeoPackage.
pub const LAYER: &str = "incidents";

/// The attribute columns: (name, SQL type). Names follow ACLED's where ACLED has the field.
pub const COLUMNS: [(&str, &str); 26] = [
    ("event_id_cnty", "TEXT"),
    ("event_date", "DATE"),
    ("year", "INTEGER"),
    ("time_precision", "INTEGER"),
    ("year_inferred", "BOOLEAN"),
    ("event_type", "TEXT"),
    ("sub_event_type", "TEXT"),
    ("actor1", "TEXT"),
    ("assoc_actor_1", "TEXT"),
    ("actor2", "TEXT"),
    ("assoc_actor_2", "TEXT"),
    ("country", "TEXT"),
    ("admin1", "TEXT"),
    ("admin2", "TEXT"),
    ("location", "TEXT"),
    ("latitude", "DOUBLE"),
    ("longitude", "DOUBLE"),
    ("geo_precision", "INTEGER"),
    ("source", "TEXT"),
    ("notes", "TEXT"),
    ("fatalities", "INTEGER"),
    ("status", "TEXT"),
    ("place_mention", "TEXT"),
    ("location_source", "TEXT"),
    ("uncertainty_km", "DOUBLE"),
    ("corrections", "TEXT"),
];

const WGS84_WKT: &str = "GEOGCS[\"WGS 84\",DATUM[\"WGS_1984\",SPHEROID[\"WGS 84\",6378137,\
298.257223563,AUTHORITY[\"EPSG\",\"7030\"]],AUTHORITY[\"EPSG\",\"6326\"]],PRIMEM[\"Greenwich\",0,\
AUTHORITY[\"EPSG\",\"8901\"]],UNIT[\"degree\",0.0174532925199433,AUTHORITY[\"EPSG\",\"9122\"]],\
AXIS[\"Latitude\",NORTH],AXIS[\"Longitude\",EAST],AUTHORITY[\"EPSG\",\"4326\"]]";

/// Writes the located incidents to `path` (replacing it); returns how many were left out for
/// having no place.
pub fn write(path: &Path, incidents: &[&Incident]) -> anyhow::Result<usize> {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| "export.gpkg".into());
    let temp = path.with_file_name(format!(".{name}.partial"));
    let _ = std::fs::remove_file(&temp);
    let unlocated = fill(&temp, incidents)
        .with_context(|| format!("{}: cannot write the GeoPackage", path.display()));
    match unlocated {
        Ok(n) => {
            std::fs::rename(&temp, path)
                .with_context(|| format!("{}: cannot write the GeoPackage", path.display()))?;
            Ok(n)
        }
        Err(e) => {
            let _ = std::fs::remove_file(&temp);
            Err(e)
        }
    }
}

fn fill(path: &Path, incidents: &[&Incident]) -> anyhow::Result<usize> {
    let mut db = Connection::open(path)?;
    db.execute_batch(&format!(
        "PRAGMA application_id = 1196444487; PRAGMA user_version = 10300;
         CREATE TABLE gpkg_spatial_ref_sys (srs_name TEXT NOT NULL, srs_id INTEGER PRIMARY KEY,
           organization TEXT NOT NULL, organization_coordsys_id INTEGER NOT NULL,
           definition TEXT NOT NULL, description TEXT);
         INSERT INTO gpkg_spatial_ref_sys VALUES
           ('Undefined cartesian SRS', -1, 'NONE', -1, 'undefined', 'undefined cartesian coordinate reference system'),
           ('Undefined geographic SRS', 0, 'NONE', 0, 'undefined', 'undefined geographic coordinate reference system'),
           ('WGS 84 geodetic', 4326, 'EPSG', 4326, '{WGS84_WKT}', 'longitude/latitude coordinates in decimal degrees on the WGS 84 spheroid');
         CREATE TABLE gpkg_contents (table_name TEXT NOT NULL PRIMARY KEY, data_type TEXT NOT NULL,
           identifier TEXT UNIQUE, description TEXT DEFAULT '',
           last_change DATETIME NOT NULL DEFAULT (strftime('%Y-%m-%dT%H:%M:%fZ','now')),
           min_x DOUBLE, min_y DOUBLE, max_x DOUBLE, max_y DOUBLE, srs_id INTEGER,
           CONSTRAINT fk_gc_r_srs_id FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys(srs_id));
         CREATE TABLE gpkg_geometry_columns (table_name TEXT NOT NULL, column_name TEXT NOT NULL,
           geometry_type_name TEXT NOT NULL, srs_id INTEGER NOT NULL, z TINYINT NOT NULL,
           m TINYINT NOT NULL, CONSTRAINT pk_geom_cols PRIMARY KEY (table_name, column_name),
           CONSTRAINT uk_gc_table_name UNIQUE (table_name),
           CONSTRAINT fk_gc_tn FOREIGN KEY (table_name) REFERENCES gpkg_contents(table_name),
           CONSTRAINT fk_gc_srs FOREIGN KEY (srs_id) REFERENCES gpkg_spatial_ref_sys (srs_id));"
    ))?;
    let columns: Vec<String> = COLUMNS
        .iter()
        .map(|(name, kind)| format!("{name} {kind}"))
        .collect();
    db.execute_batch(&format!(
        "CREATE TABLE {LAYER} (fid INTEGER PRIMARY KEY AUTOINCREMENT NOT NULL, geom POINT, {});",
        columns.join(", ")
    ))?;
    let located: Vec<&Incident> = incidents
        .iter()
        .copied()
        .filter(|i| i.location.is_some())
        .collect();
    let mut bounds: Option<[f64; 4]> = None;
    let tx = db.transaction()?;
    {
        let marks = vec!["?"; COLUMNS.len() + 1].join(", ");
        let names: Vec<&str> = COLUMNS.iter().map(|c| c.0).collect();
        let mut insert = tx.prepare(&format!(
            "INSERT INTO {LAYER} (geom, {}) VALUES ({marks})",
            names.join(", ")
        ))?;
        for incident in &located {
            let Some(l) = &incident.location else {
                continue;
            };
            let b = bounds.get_or_insert([l.lon, l.lat, l.lon, l.lat]);
            *b = [
                b[0].min(l.lon),
                b[1].min(l.lat),
                b[2].max(l.lon),
                b[3].max(l.lat),
            ];
            let mut row = vec![Sql::Blob(point_blob(l.lon, l.lat))];
            row.extend(row_values(incident));
            insert.execute(params_from_iter(row))?;
        }
    }
    let [min_x, min_y, max_x, max_y] = bounds.unwrap_or([-180.0, -90.0, 180.0, 90.0]);
    tx.execute(
        "INSERT INTO gpkg_contents (table_name, data_type, identifier, description, min_x, min_y, max_x, max_y, srs_id)
         VALUES (?1, 'features', ?1, 'Incidents read from news articles by Incident Map', ?2, ?3, ?4, ?5, 4326)",
        rusqlite::params![LAYER, min_x, min_y, max_x, max_y],
    )?;
    tx.execute(
        "INSERT INTO gpkg_geometry_columns VALUES (?1, 'geom', 'POINT', 4326, 0, 0)",
        [LAYER],
    )?;
    tx.commit()?;
    Ok(incidents.len() - located.len())
}

/// One row's attribute values, in `COLUMNS` order.
fn row_values(incident: &Incident) -> Vec<Sql> {
    let p = properties(incident);
    let location = incident.location.as_ref();
    let get = |key: &str| -> Sql {
        match p.get(key) {
            None | Some(Value::Null) => Sql::Null,
            Some(Value::String(s)) => Sql::Text(s.clone()),
            Some(Value::Bool(b)) => Sql::Integer(i64::from(*b)),
            Some(Value::Number(n)) => match (n.as_i64(), n.as_f64()) {
                (Some(i), _) => Sql::Integer(i),
                (None, Some(f)) => Sql::Real(f),
                _ => Sql::Null,
            },
            Some(other) => Sql::Text(other.to_string()),
        }
    };
    COLUMNS
        .iter()
        .map(|(name, _)| match *name {
            "event_id_cnty" => get("id"),
            "year" => incident
                .event_date
                .as_deref()
                .and_then(|d| d.get(..4)?.parse::<i64>().ok())
                .map_or(Sql::Null, Sql::Integer),
            "latitude" => location.map_or(Sql::Null, |l| Sql::Real(l.lat)),
            "longitude" => location.map_or(Sql::Null, |l| Sql::Real(l.lon)),
            other => get(other),
        })
        .collect()
}

/// A point as a GeoPackage geometry blob: the "GP" header (version 0, little-endian, an
/// envelope of [minx, maxx, miny, maxy], SRS 4326), then the point as little-endian WKB.
pub fn point_blob(lon: f64, lat: f64) -> Vec<u8> {
    let mut blob = Vec::with_capacity(8 + 32 + 21);
    blob.extend_from_slice(b"GP");
    blob.push(0); // version 1.0 of the blob format
    blob.push(0b0000_0011); // envelope [minx, maxx, miny, maxy]; little-endian
    blob.extend_from_slice(&4326i32.to_le_bytes());
    for v in [lon, lon, lat, lat] {
        blob.extend_from_slice(&v.to_le_bytes());
    }
    blob.push(1); // WKB little-endian
    blob.extend_from_slice(&1u32.to_le_bytes()); // Point
    blob.extend_from_slice(&lon.to_le_bytes());
    blob.extend_from_slice(&lat.to_le_bytes());
    blob
}
