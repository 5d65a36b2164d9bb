//! Imports a GeoNames country dump (`ML.txt` or `ML.zip`, 19 tab-separated columns, no header)
//! into gazetteer entries. A file of any other shape is refused with the line that is wrong.

use crate::engine::gazetteer::{Place, PlaceKind};
use anyhow::{Context, Result, bail};
use std::fs::File;
use std::io::{BufRead, BufReader, Read};
use std::path::Path;

/// Most a dump may expand to when unzipped (the largest country dump is far below this).
pub const MAX_UNZIPPED_BYTES: u64 = 1024 * 1024 * 1024;
/// A dump line is a few hundred bytes (alternate names make some a few KB).
pub const MAX_LINE_BYTES: usize = 1024 * 1024;
const COLUMNS: usize = 19;

/// Reads a GeoNames dump from a `.txt` or `.zip` file.
pub fn import(path: &Path) -> Result<Vec<Place>> {
    let name = path.display();
    let is_zip = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("zip"));
    if is_zip {
        let file = File::open(path).with_context(|| format!("{name}: cannot open"))?;
        let mut archive = zip::ZipArchive::new(file)
            .with_context(|| format!("{name}: not a readable zip archive"))?;
        // Entries are read, never extracted; still, an archive whose names climb out of it
        // ("../../x") or are absolute was made to write where it should not, and is refused.
        for i in 0..archive.len() {
            let entry = archive
                .by_index_raw(i)
                .with_context(|| format!("{name}: not a readable zip archive"))?;
            if entry.enclosed_name().is_none() {
                bail!(
                    "{name}: entry {:?} points outside the archive; refused",
                    entry.name().unwrap_or_default()
                );
            }
        }
        // The dump is the .txt entry that is not the readme.
        let index = (0..archive.len())
            .find(|&i| {
                archive.by_index(i).is_ok_and(|e| {
                    let n = e.name().map(|n| n.to_ascii_lowercase()).unwrap_or_default();
                    n.ends_with(".txt") && !n.contains("readme") && e.is_file()
                })
            })
            .with_context(|| format!("{name}: the zip holds no GeoNames .txt dump"))?;
        let entry = archive
            .by_index(index)
            .with_context(|| format!("{name}: cannot read the dump in the zip"))?;
        let inner = entry.name().map(|n| n.into_owned()).unwrap_or_default();
        parse(
            BufReader::new(entry.take(MAX_UNZIPPED_BYTES + 1)),
            &format!("{name}!{inner}"),
        )
    } else {
        let file = File::open(path).with_context(|| format!("{name}: cannot open"))?;
        parse(BufReader::new(file), &name.to_string())
    }
}

/// Parses dump lines. `label` names the file in errors and in the entries' `source`.
pub fn parse(reader: impl BufRead, label: &str) -> Result<Vec<Place>> {
    let mut places = Vec::new();
    let mut total: u64 = 0;
    let mut reader = reader;
    let mut bytes = Vec::new();
    for line_no in 1.. {
        bytes.clear();
        // One line at a time, each bounded: a zip bomb of one endless line stops at 1 MB.
        let read = (&mut reader)
            .take(MAX_LINE_BYTES as u64 + 1)
            .read_until(b'\n', &mut bytes)
            .with_context(|| format!("{label}: read error at line {line_no}"))?;
        if read == 0 {
            break;
        }
        if bytes.len() > MAX_LINE_BYTES {
            bail!(
                "{label}:{line_no}: a line longer than {} MB; not a GeoNames dump",
                MAX_LINE_BYTES >> 20
            );
        }
        if bytes.last() == Some(&b'\n') {
            bytes.pop();
        }
        total += bytes.len() as u64 + 1;
        if total > MAX_UNZIPPED_BYTES {
            bail!(
                "{label}: larger than {} MB unpacked; not a GeoNames country dump",
                MAX_UNZIPPED_BYTES >> 20
            );
        }
        let line = std::str::from_utf8(&bytes)
            .with_context(|| format!("{label}:{line_no}: not UTF-8 text; not a GeoNames dump"))?
            .trim_end_matches('\r');
        if line.is_empty() {
            continue;
        }
        if let Some(place) =
            parse_line(line).map_err(|e| anyhow::anyhow!("{label}:{line_no}: {e}"))?
        {
            places.push(place);
        }
    }
    if places.is_empty() {
        bail!("{label}: no GeoNames rows found");
    }
    Ok(places)
}

fn parse_line(line: &str) -> Result<Option<Place>, String> {
    let cols: Vec<&str> = line.split('\t').collect();
    if cols.len() != COLUMNS {
        return Err(format!(
            "expected {COLUMNS} tab-separated columns (GeoNames dump format), found {}",
            cols.len()
        ));
    }
    let id: u64 = cols[0]
        .parse()
        .map_err(|_| format!("geonameid {:?} is not a number", cols[0]))?;
    let coordinate = |s: &str, limit: f64, what: &str| {
        s.parse::<f64>()
            .ok()
            .filter(|v| v.is_finite() && v.abs() <= limit)
            .ok_or_else(|| format!("{what} {s:?} is not a coordinate"))
    };
    let lat = coordinate(cols[4], 90.0, "latitude")?;
    let lon = coordinate(cols[5], 180.0, "longitude")?;
    let (class, code) = (cols[6], cols[7]);
    if matches!(class, "U" | "R") || code.ends_with('H') && class == "P" {
        // Undersea features, roads, and historical places are never incident locations.
        return Ok(None);
    }
    let name = cols[1].trim();
    let mut aliases: Vec<String> = Vec::new();
    for alt in std::iter::once(cols[2]).chain(cols[3].split(',')) {
        let alt = alt.trim();
        let code_like = alt.len() <= 5
            && alt
                .chars()
                .all(|c| c.is_ascii_uppercase() || c.is_ascii_digit());
        let latin = alt
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| (c as u32) < 0x250 || c == 'Ɲ' || c == 'ɲ');
        if alt.chars().count() >= 3
            && latin
            && !code_like
            && !alt.chars().any(|c| c.is_ascii_digit())
            && alt != name
            && !aliases.iter().any(|a| a == alt)
        {
            aliases.push(alt.to_string());
        }
    }
    Ok(Some(Place {
        id: format!("gn:{id}"),
        name: name.to_string(),
        aliases,
        lat,
        lon,
        kind: PlaceKind::from_geonames(class, code),
        feature_code: code.to_string(),
        country: cols[8].to_string(),
        admin1_code: cols[10].to_string(),
        admin2_code: cols[11].to_string(),
        population: cols[14].parse().unwrap_or(0),
        source: "geonames".to_string(),
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    const ROW: &str = "2452830\tNiafunké\tNiafunke\tNiafounke,Niafounké,GANF\t15.9322\t-3.9906\tP\tPPLA2\tML\t\t08\t\t\t\t0\t\t270\tAfrica/Bamako\t2012-01-18";

    #[test]
    fn parses_a_dump_row() {
        let places = parse(ROW.as_bytes(), "t").expect("valid row");
        assert_eq!(places[0].id, "gn:2452830");
        assert_eq!(places[0].kind, PlaceKind::Town);
        assert_eq!(places[0].aliases, ["Niafunke", "Niafounke", "Niafounké"]);
    }

    #[test]
    fn wrong_shapes_name_the_line() {
        let bad = format!("{ROW}\nname,lat,lon\n");
        let err = parse(bad.as_bytes(), "x.txt").unwrap_err().to_string();
        assert_eq!(
            err,
            "x.txt:2: expected 19 tab-separated columns (GeoNames dump format), found 1"
        );
        let bad = ROW.replace("15.9322", "north");
        let err = parse(bad.as_bytes(), "x.txt").unwrap_err().to_string();
        assert_eq!(err, "x.txt:1: latitude \"north\" is not a coordinate");
        assert!(parse(&b""[..], "x.txt").is_err());
    }
}
