//! `incident-map summary [INPUT...]`: a readable summary of the incidents found (the bundled
//! sample articles when no input is given), for a terminal with no display.

use anyhow::Result;
use incident_map::engine::model::{LocationStatus, MentionStatus};
use incident_map::io::ingest;
use incident_map::samples;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args)]
pub struct SummaryArgs {
    /// Articles or folders (default: the bundled sample articles).
    pub inputs: Vec<PathBuf>,
}

pub fn run(inputs: &[PathBuf], places: super::PlaceSources<'_>) -> Result<ExitCode> {
    let (engine, gazetteer_failed) = super::engine(places)?;
    let mut batch = if inputs.is_empty() {
        ingest::Batch {
            articles: samples::articles(),
            errors: Vec::new(),
        }
    } else {
        ingest::read_inputs(inputs)
    };
    println!("Gazetteer: {}\n", engine.gazetteer().description);
    let analyst = super::AnalystCorrections::load(places.workspace, &mut batch.articles)?;
    let (mut results, merges) = super::extract_all(&engine, &batch.articles, true, &analyst);
    analyst.apply(&mut results, &engine);
    let mut total = 0;
    for result in &results {
        println!("▌ {}", result.source);
        if result.incidents.is_empty() {
            println!("  no incident found");
        }
        for incident in &result.incidents {
            total += 1;
            let kind = match (&incident.event_type, &incident.sub_event_type) {
                (Some(t), Some(s)) => format!("{t} ({s})"),
                (Some(t), None) => t.clone(),
                _ => "event of unknown type".into(),
            };
            let place = match (&incident.location, &incident.place_mention) {
                (Some(l), mention) => {
                    let named = mention
                        .as_deref()
                        .filter(|m| *m != l.place.name)
                        .map(|m| format!(" for \"{m}\""))
                        .unwrap_or_default();
                    let status = if incident.status == LocationStatus::Located {
                        "located"
                    } else {
                        "approximate"
                    };
                    format!(
                        "{} [{:.3}, {:.3}] {status}, precision {}{named}",
                        l.place.name, l.lat, l.lon, l.geo_precision
                    )
                }
                (None, Some(name)) => format!("UNLOCATED: \"{name}\" is not in the gazetteer"),
                (None, None) => "UNLOCATED: the text names no place".into(),
            };
            println!("  • {kind} — {place}");
            if let Some(first) = incident.evidence.first() {
                println!("    “{}”", shorten(&first.sentence, 150));
            }
        }
        let mut unresolved: Vec<&str> = result
            .mentions
            .iter()
            .filter(|m| m.status == MentionStatus::Unresolved)
            .map(|m| m.text.as_str())
            .collect();
        unresolved.sort_unstable();
        unresolved.dedup();
        if !unresolved.is_empty() {
            println!("  places not in the gazetteer: {}", unresolved.join(", "));
        }
        for m in &result.mentions {
            if let Some(tie) = incident_map::engine::geocode::tie_warning(m) {
                println!("  ⚠ {tie}");
            }
        }
        println!();
    }
    for m in &merges {
        println!(
            "⇄ {} is the same event as {}: {}",
            m.absorbed, m.kept, m.reason
        );
    }
    for error in &batch.errors {
        println!("✗ {error}");
    }
    println!("{total} incidents from {} articles.", results.len());
    Ok(if batch.errors.is_empty() && !gazetteer_failed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn shorten(s: &str, max: usize) -> String {
    if s.chars().count() <= max {
        return s.to_string();
    }
    let cut: String = s.chars().take(max).collect();
    format!("{cut}…")
}
