//! `incident-map eval-events`: accuracy of each ACLED field (type, sub-type, date, actor1,
//! fatalities) of the first incident of each row, against a CSV in ACLED's columns.

use anyhow::{Context, Result, bail};
use clap::Args;
use incident_map::engine::Engine;
use incident_map::engine::model::{Article, Incident};
use incident_map::engine::normalize::fold_key;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct EvalEventsArgs {
    /// CSV with ACLED's columns: a text column, event_date, event_type, sub_event_type, actor1,
    /// actor2, fatalities (extra columns are ignored).
    #[arg(long)]
    gold: PathBuf,
    /// The column holding the text (`text`, or ACLED's `notes`).
    #[arg(long, default_value = "text")]
    text_column: String,
    /// The column taken as each row's publication date, which relative dates ("on Sunday") and
    /// year-less dates are read against. ACLED notes carry no publication date; their
    /// event_date stands in for it. Pass `none` to read every row as undated.
    #[arg(long, default_value = "event_date")]
    anchor_column: String,
    /// Write the rows where a field is wrong to this CSV.
    #[arg(long)]
    misses: Option<PathBuf>,
}

const FIELDS: [&str; 5] = [
    "event_type",
    "sub_event_type",
    "event_date",
    "actor1",
    "fatalities",
];

pub fn run(args: EvalEventsArgs, gazetteers: &[PathBuf]) -> Result<ExitCode> {
    let engine = super::scoring_engine(gazetteers)?;
    let mut reader =
        csv::Reader::from_path(&args.gold).with_context(|| args.gold.display().to_string())?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let text = column(&args.text_column).or_else(|| column("notes"));
    let Some(text) = text else {
        bail!(
            "{}: no column {} (or notes)",
            args.gold.display(),
            args.text_column
        );
    };
    let gold_columns: Vec<Option<usize>> = FIELDS.iter().map(|f| column(f)).collect();
    let anchor = column(&args.anchor_column);
    let mut misses = super::misses_writer(
        args.misses.as_ref(),
        &["row", "field", "gold", "ours", "text"],
    )?;

    let mut right: BTreeMap<&str, usize> = BTreeMap::new();
    let mut scored: BTreeMap<&str, usize> = BTreeMap::new();
    let mut by_source: BTreeMap<String, (usize, usize)> = BTreeMap::new();
    let (mut rows, mut answered) = (0usize, 0usize);
    for (n, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("{}: row {}", args.gold.display(), n + 2))?;
        rows += 1;
        let article = Article {
            id: format!("row{}", n + 2),
            source: args.gold.display().to_string(),
            text: record.get(text).unwrap_or_default().to_string(),
            published: anchor
                .and_then(|a| record.get(a))
                .filter(|d| d.len() >= 10)
                .map(str::to_string),
            ..Default::default()
        };
        let result = engine.extract(&article);
        let first = result.incidents.first();
        answered += usize::from(first.is_some());
        for (field, col) in FIELDS.iter().zip(&gold_columns) {
            let Some(gold) = col.and_then(|c| record.get(c)) else {
                continue;
            };
            *scored.entry(field).or_default() += 1;
            let ours = first.map(|i| value(&engine, i, field)).unwrap_or_default();
            let ok = same(&engine, field, gold, &ours);
            *right.entry(field).or_default() += usize::from(ok);
            if *field == "event_date" {
                let source = first
                    .and_then(|i| i.date_source)
                    .map_or("undated".into(), |s| format!("{s:?}"));
                let entry = by_source.entry(source).or_default();
                entry.0 += 1;
                entry.1 += usize::from(ok);
            }
            if !ok && let Some(w) = misses.as_mut() {
                w.write_record([
                    article.id.as_str(),
                    field,
                    gold,
                    &ours,
                    article.text.as_str(),
                ])?;
            }
        }
    }
    println!(
        "rows: {rows}   with an incident: {:.3}   gazetteer: {}",
        answered as f64 / rows.max(1) as f64,
        engine.gazetteer().description
    );
    println!(
        "publication date stand-in: {}",
        if anchor.is_some() {
            args.anchor_column.as_str()
        } else {
            "none"
        }
    );
    for field in FIELDS {
        if let Some(&n) = scored.get(field) {
            println!(
                "{field:>15}: {:.3}  ({} of {n})",
                *right.get(field).unwrap_or(&0) as f64 / n.max(1) as f64,
                right.get(field).unwrap_or(&0)
            );
        }
    }
    println!("event_date by where the date came from:");
    for (source, (n, ok)) in &by_source {
        println!("  {source:>18}: {ok} of {n} exact");
    }
    if let Some(mut w) = misses {
        w.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}

fn value(engine: &Engine, incident: &Incident, field: &str) -> String {
    match field {
        "event_type" => incident.event_type.clone().unwrap_or_default(),
        "sub_event_type" => incident.sub_event_type.clone().unwrap_or_default(),
        "event_date" => incident.event_date.clone().unwrap_or_default(),
        "actor1" => incident
            .actor1
            .as_deref()
            .map(|a| canonical(engine, a))
            .unwrap_or_default(),
        "fatalities" => incident
            .fatalities
            .map(|f| f.to_string())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// An actor's dictionary name, or its written form without ACLED's "(2013-2020)" years.
fn canonical(engine: &Engine, actor: &str) -> String {
    match engine.actors().normalize(actor) {
        Some(name) => name.to_string(),
        None => fold_key(actor.split(" (").next().unwrap_or(actor)),
    }
}

fn same(engine: &Engine, field: &str, gold: &str, ours: &str) -> bool {
    match field {
        "actor1" => !gold.is_empty() && canonical(engine, gold) == ours,
        "event_date" => gold.get(..10) == Some(ours),
        // ACLED records 0 when no figure is reported; the engine says "unknown" (empty) when the
        // text reports losses without a number. Both read as ACLED's 0.
        "fatalities" => gold.trim() == if ours.is_empty() { "0" } else { ours },
        _ => gold.trim() == ours.trim(),
    }
}
