//! Writes incidents as GeoJSON (RFC 7946), ACLED-style CSV, JSON Lines, KML (`kml.rs`) or
//! GeoPackage (`gpkg.rs`), from the CLI or the app's export menu.

use crate::engine::merge::Merge;
use crate::engine::model::{ArticleResult, Incident, PlaceMention};
use anyhow::Result;
use serde_json::{Value, json};
use std::io::Write;

#[derive(Debug, Clone, Copy, PartialEq, Eq, clap::ValueEnum)]
pub enum Format {
    Geojson,
    Csv,
    Jsonl,
    /// KML 2.2 for Google Earth (located incidents only).
    Kml,
    /// GeoPackage for QGIS/ArcGIS (located incidents only; needs a file, not stdout).
    Gpkg,
}

impl Format {
    /// The file extension, without the dot.
    pub fn extension(self) -> &'static str {
        match self {
            Format::Geojson => "geojson",
            Format::Csv => "csv",
            Format::Jsonl => "jsonl",
            Format::Kml => "kml",
            Format::Gpkg => "gpkg",
        }
    }
}

/// ACLED's column names, in ACLED's order, for the fields Incident Map fills; then its own.
pub const CSV_COLUMNS: [&str; 26] = [
    "event_id_cnty",
    "event_date",
    "year",
    "time_precision",
    "event_type",
    "sub_event_type",
    "actor1",
    "assoc_actor_1",
    "actor2",
    "assoc_actor_2",
    "country",
    "admin1",
    "admin2",
    "location",
    "latitude",
    "longitude",
    "geo_precision",
    "source",
    "notes",
    "fatalities",
    "status",
    "place_mention",
    "location_source",
    "uncertainty_km",
    "candidates",
    "corrections",
];

/// The properties of one incident, as every output format names them.
pub fn properties(incident: &Incident) -> serde_json::Map<String, Value> {
    let location = incident.location.as_ref();
    let candidates: Vec<Value> = incident
        .candidates
        .iter()
        .take(3)
        .map(|c| json!({"id": c.place.id, "name": c.place.name, "lat": c.place.lat, "lon": c.place.lon, "score": (c.score * 100.0).round() / 100.0}))
        .collect();
    let mut p = serde_json::Map::new();
    let mut put = |k: &str, v: Value| {
        p.insert(k.to_string(), v);
    };
    put("id", json!(incident.id));
    put("source", json!(incident.sources.join("; ")));
    put("event_date", json!(incident.event_date));
    put("time_precision", json!(incident.time_precision));
    put("year_inferred", json!(incident.year_inferred));
    put("date_source", json!(incident.date_source));
    put("event_type", json!(incident.event_type));
    put("sub_event_type", json!(incident.sub_event_type));
    put("actor1", json!(incident.actor1));
    put("actor2", json!(incident.actor2));
    put("assoc_actor_1", json!(incident.assoc_actor_1));
    put("assoc_actor_2", json!(incident.assoc_actor_2));
    put("actors_from_article", json!(incident.actors_from_article));
    put("fatalities", json!(incident.fatalities));
    put("fatalities_text", json!(incident.fatalities_text));
    put("location", json!(location.map(|l| &l.place.name)));
    put("place_mention", json!(incident.place_mention));
    // Which gazetteer data placed it: the bundled sources, an imported dump, or "nominatim".
    put("location_source", json!(location.map(|l| &l.place.source)));
    put("country", json!(location.map(|l| &l.place.country)));
    put(
        "admin1",
        json!(location.and_then(|l| l.place.admin1.as_ref())),
    );
    put(
        "admin2",
        json!(location.and_then(|l| l.place.admin2.as_ref())),
    );
    put("geo_precision", json!(location.map(|l| l.geo_precision)));
    put("uncertainty_km", json!(location.map(|l| l.uncertainty_km)));
    put("status", json!(incident.status));
    put("notes", json!(incident.notes()));
    put("evidence", json!(incident.evidence));
    put("merged_from", json!(incident.merged_from));
    put("candidates", Value::Array(candidates));
    // What the analyst changed, so an export never passes a correction off as the engine's.
    put(
        "corrections",
        json!((!incident.corrections.is_empty()).then(|| incident.corrections.join("; "))),
    );
    p
}

fn geometry(incident: &Incident) -> Value {
    match &incident.location {
        Some(l) => json!({"type": "Point", "coordinates": [round6(l.lon), round6(l.lat)]}),
        None => Value::Null,
    }
}

fn round6(v: f64) -> f64 {
    (v * 1e6).round() / 1e6
}

fn mention_json(article: &ArticleResult, m: &PlaceMention) -> Value {
    json!({
        "article": article.article_id,
        "text": m.text,
        "span": [m.span.start, m.span.end],
        "cue": m.cue,
        "relation": m.relation,
        "status": m.status,
        "place": m.place,
        "geo_precision": m.geo_precision,
        "variant_of": m.variant_of,
        "candidates": m.candidates,
    })
}

/// Writes the incidents of a set of files to `path` (any format, GeoPackage included);
/// returns how many were left out for having no place (KML, GeoPackage).
pub fn save(path: &std::path::Path, format: Format, incidents: &[&Incident]) -> Result<usize> {
    if format == Format::Gpkg {
        return crate::io::gpkg::write(path, incidents);
    }
    let file = std::fs::File::create(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot create the file: {e}", path.display()))?;
    let mut out = std::io::BufWriter::new(file);
    let left_out = write_incidents(&mut out, format, incidents)?;
    out.flush()?;
    Ok(left_out)
}

/// Writes incidents with no article context (no merges or mentions); returns how many were
/// left out for having no place.
pub fn write_incidents(
    out: &mut dyn Write,
    format: Format,
    incidents: &[&Incident],
) -> Result<usize> {
    match format {
        Format::Kml => crate::io::kml::write(out, incidents, "Incident Map"),
        Format::Gpkg => Err(anyhow::anyhow!(
            "a GeoPackage is a database file: give an output file (-o FILE.gpkg)"
        )),
        _ => {
            let result = ArticleResult {
                article_id: String::new(),
                source: String::new(),
                incidents: incidents.iter().map(|i| (*i).clone()).collect(),
                mentions: Vec::new(),
                diagnostics: Vec::new(),
            };
            write(out, format, std::slice::from_ref(&result), &[], false)
        }
    }
}

/// Writes the incidents; GeoJSON also lists the cross-article merges (a foreign member, as
/// RFC 7946 allows) and, with `with_mentions`, every place mention. Returns how many
/// incidents were left out for having no place (KML, GeoPackage).
pub fn write(
    out: &mut dyn Write,
    format: Format,
    results: &[ArticleResult],
    merges: &[Merge],
    with_mentions: bool,
) -> Result<usize> {
    let incidents = results.iter().flat_map(|r| r.incidents.iter());
    match format {
        Format::Kml | Format::Gpkg => {
            let all: Vec<&Incident> = incidents.collect();
            return write_incidents(out, format, &all);
        }
        Format::Geojson => {
            let features: Vec<Value> = incidents
                .map(|i| json!({"type": "Feature", "id": i.id, "geometry": geometry(i), "properties": properties(i)}))
                .collect();
            let mut collection =
                json!({"type": "FeatureCollection", "features": features, "merges": merges});
            if with_mentions {
                let mentions: Vec<Value> = results
                    .iter()
                    .flat_map(|r| r.mentions.iter().map(move |m| mention_json(r, m)))
                    .collect();
                collection["mentions"] = Value::Array(mentions);
            }
            serde_json::to_writer_pretty(&mut *out, &collection)?;
            writeln!(out)?;
        }
        Format::Jsonl => {
            for incident in incidents {
                let line = json!({"type": "incident", "geometry": geometry(incident), "properties": properties(incident)});
                writeln!(out, "{line}")?;
            }
            if with_mentions {
                for r in results {
                    for m in &r.mentions {
                        let mut line = mention_json(r, m);
                        line["type"] = json!("mention");
                        writeln!(out, "{line}")?;
                    }
                }
            }
        }
        Format::Csv => {
            let mut csv = csv::Writer::from_writer(out);
            csv.write_record(CSV_COLUMNS)?;
            for incident in incidents {
                csv.write_record(csv_row(incident))?;
            }
            csv.flush()?;
        }
    }
    Ok(0)
}

fn csv_row(incident: &Incident) -> Vec<String> {
    let p = properties(incident);
    let text = |k: &str| match p.get(k) {
        None | Some(Value::Null) => String::new(),
        Some(Value::String(s)) => s.clone(),
        Some(v) => v.to_string(),
    };
    let location = incident.location.as_ref();
    CSV_COLUMNS
        .iter()
        .map(|&column| match column {
            "event_id_cnty" => text("id"),
            "year" => incident
                .event_date
                .as_deref()
                .and_then(|d| d.get(..4))
                .unwrap_or_default()
                .to_string(),
            "location" => text("location"),
            "latitude" => location
                .map(|l| format!("{:.5}", l.lat))
                .unwrap_or_default(),
            "longitude" => location
                .map(|l| format!("{:.5}", l.lon))
                .unwrap_or_default(),
            "status" => text("status"),
            "candidates" => incident
                .candidates
                .iter()
                .take(3)
                .map(|c| format!("{} ({:.2})", c.place.name, c.score))
                .collect::<Vec<_>>()
                .join("; "),
            other => text(other),
        })
        .collect()
}
