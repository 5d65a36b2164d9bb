//! `incident-map extract`: articles in, incidents out (GeoJSON, CSV, JSON Lines, KML or
//! GeoPackage).

use anyhow::{Context, Result};
use clap::Args;
use incident_map::engine::Engine;
use incident_map::io::export::{self, Format};
use incident_map::io::ingest;
use std::fs::File;
use std::io::{BufWriter, Write};
use std::path::PathBuf;
use std::process::ExitCode;

use super::online;

#[derive(Args)]
pub struct ExtractArgs {
    /// Output format.
    #[arg(long, value_enum, default_value = "geojson")]
    format: Format,
    /// Also output every place mention with its resolution and candidates.
    #[arg(long)]
    mentions: bool,
    /// Keep the same event reported by several articles as separate incidents.
    #[arg(long)]
    no_merge: bool,
    /// Write to this file instead of standard output.
    #[arg(short, long)]
    output: Option<PathBuf>,
    /// Look up the place names the gazetteer lacks on this Nominatim server (for example
    /// https://nominatim.openstreetmap.org). Off unless given: nothing leaves the machine.
    #[arg(long, value_name = "URL")]
    online_geocoder: Option<String>,
    /// Where the online geocoder's answers are kept between runs.
    #[arg(long, value_name = "FILE", requires = "online_geocoder")]
    geocoder_cache: Option<PathBuf>,
    /// Article files (.txt, .md, .html, .jsonl) or folders.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
}

/// Exit status: 0 when every input was read; 1 when some failed (the rest is still written).
pub fn run(args: ExtractArgs, places: super::PlaceSources<'_>) -> Result<ExitCode> {
    let (engine, gazetteer_failed) = super::engine(places)?;
    let mut batch = ingest::read_inputs(&args.inputs);
    for error in &batch.errors {
        eprintln!("incident-map: {error}");
    }
    let analyst = super::AnalystCorrections::load(places.workspace, &mut batch.articles)?;
    let (mut results, mut merges) =
        super::extract_all(&engine, &batch.articles, !args.no_merge, &analyst);
    let mut online_failed = false;
    if let Some(url) = &args.online_geocoder {
        match online::places_for_unresolved(&results, url, args.geocoder_cache.clone()) {
            Ok(found) if !found.is_empty() => {
                let mut gazetteer = engine.gazetteer().clone();
                gazetteer.merge(found, "nominatim");
                let engine = Engine::new(gazetteer).with_today(chrono::Local::now().date_naive());
                (results, merges) =
                    super::extract_all(&engine, &batch.articles, !args.no_merge, &analyst);
            }
            Ok(_) => {}
            Err(e) => {
                eprintln!("incident-map: online geocoder: {e:#}");
                online_failed = true;
            }
        }
    }
    analyst.apply(&mut results, &engine);
    for m in &merges {
        eprintln!(
            "incident-map: merged {} into {} ({})",
            m.absorbed, m.kept, m.reason
        );
    }
    let left_out = if args.format == Format::Gpkg {
        let Some(path) = &args.output else {
            anyhow::bail!("a GeoPackage is a database file: give an output file (-o FILE.gpkg)");
        };
        let incidents: Vec<_> = results.iter().flat_map(|r| &r.incidents).collect();
        export::save(path, Format::Gpkg, &incidents)?
    } else {
        let mut out: Box<dyn Write> = match &args.output {
            Some(path) => {
                Box::new(BufWriter::new(File::create(path).with_context(|| {
                    format!("{}: cannot create output", path.display())
                })?))
            }
            None => Box::new(BufWriter::new(std::io::stdout().lock())),
        };
        let left_out = export::write(&mut out, args.format, &results, &merges, args.mentions)?;
        out.flush()?;
        left_out
    };
    if left_out > 0 {
        eprintln!(
            "incident-map: {left_out} incident(s) without a place left out of the {} (the CSV and GeoJSON keep them)",
            args.format.extension()
        );
    }
    Ok(
        if batch.errors.is_empty() && !gazetteer_failed && !online_failed {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        },
    )
}
