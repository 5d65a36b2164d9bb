//! `incident-map eval`: geocoding accuracy against a CSV of texts with gold coordinates.

use anyhow::{Context, Result, bail};
use clap::Args;
use incident_map::engine::geo::distance_km;
use incident_map::engine::model::{Article, ArticleResult, MentionStatus};
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct EvalArgs {
    /// CSV with `id` (or `event_id_cnty`), a text column, `gold_lat` and `gold_lon`.
    #[arg(long)]
    gold: PathBuf,
    /// The column holding the text.
    #[arg(long, default_value = "text")]
    text_column: String,
    /// Write the misses (text, answer, gold) to this CSV.
    #[arg(long)]
    misses: Option<PathBuf>,
}

const THRESHOLDS_KM: [f64; 5] = [5.0, 10.0, 25.0, 50.0, 161.0];

struct Row {
    id: String,
    text: String,
    gold: (f64, f64),
}

fn read_rows(args: &EvalArgs) -> Result<Vec<Row>> {
    let mut reader =
        csv::Reader::from_path(&args.gold).with_context(|| format!("{}", args.gold.display()))?;
    let headers = reader.headers()?.clone();
    let column = |name: &str| headers.iter().position(|h| h == name);
    let id = column("id").or_else(|| column("event_id_cnty"));
    let (Some(id), Some(text), Some(lat), Some(lon)) = (
        id,
        column(&args.text_column),
        column("gold_lat"),
        column("gold_lon"),
    ) else {
        bail!(
            "{}: needs columns id (or event_id_cnty), {}, gold_lat and gold_lon",
            args.gold.display(),
            args.text_column
        );
    };
    let mut rows = Vec::new();
    for (n, record) in reader.records().enumerate() {
        let record = record.with_context(|| format!("{}: row {}", args.gold.display(), n + 2))?;
        let number = |i: usize| record.get(i).and_then(|v| v.trim().parse::<f64>().ok());
        let (Some(la), Some(lo)) = (number(lat), number(lon)) else {
            continue;
        };
        rows.push(Row {
            id: record.get(id).unwrap_or_default().to_string(),
            text: record.get(text).unwrap_or_default().to_string(),
            gold: (la, lo),
        });
    }
    Ok(rows)
}

/// Why a row was missed (no answer, or an answer more than 10 km off).
fn miss_kind(result: &ArticleResult, error_km: Option<f64>) -> &'static str {
    let first = result.incidents.iter().find(|i| i.location.is_some());
    match (first, error_km) {
        (Some(i), Some(_)) if i.location.as_ref().is_some_and(|l| l.geo_precision == 3) => {
            "admin fallback too coarse"
        }
        (Some(_), Some(_)) => "wrong place or homonym",
        _ if result
            .mentions
            .iter()
            .any(|m| m.status == MentionStatus::Unresolved) =>
        {
            "unresolved name"
        }
        _ if result.mentions.is_empty() => "no place found",
        _ => "places found, no located incident",
    }
}

/// The distance from the gold point to the nearest candidate of any mention: what a perfect
/// choice among the places the gazetteer offers for the names found would miss by.
fn nearest_candidate_km(result: &ArticleResult, gold: (f64, f64)) -> Option<f64> {
    result
        .mentions
        .iter()
        .flat_map(|m| m.candidates.iter())
        .map(|c| distance_km((c.place.lat, c.place.lon), gold))
        .min_by(f64::total_cmp)
}

pub fn run(args: EvalArgs, gazetteers: &[PathBuf]) -> Result<ExitCode> {
    let engine = super::scoring_engine(gazetteers)?;
    let rows = read_rows(&args)?;
    let mut errors: Vec<Option<f64>> = Vec::with_capacity(rows.len());
    let mut misses = super::misses_writer(
        args.misses.as_ref(),
        &[
            "id",
            "kind",
            "error_km",
            "answer",
            "answer_lat",
            "answer_lon",
            "gold_lat",
            "gold_lon",
            "nearest_candidate_km",
            "text",
        ],
    )?;
    let mut kinds: std::collections::BTreeMap<&str, usize> = Default::default();
    // Misses of each kind with a candidate within 10 km of the gold point.
    let mut within_reach: std::collections::BTreeMap<&str, usize> = Default::default();
    let mut nearest_candidates: Vec<Option<f64>> = Vec::with_capacity(rows.len());
    for row in &rows {
        let article = Article {
            id: row.id.clone(),
            source: row.id.clone(),
            text: row.text.clone(),
            ..Default::default()
        };
        let result = engine.extract(&article);
        let answer = result.incidents.iter().find_map(|i| i.location.as_ref());
        let error = answer.map(|l| distance_km((l.lat, l.lon), row.gold));
        errors.push(error);
        let nearest = nearest_candidate_km(&result, row.gold);
        nearest_candidates.push(nearest);
        if error.is_none_or(|e| e > 10.0) {
            let kind = miss_kind(&result, error);
            *kinds.entry(kind).or_default() += 1;
            if nearest.is_some_and(|d| d <= 10.0) {
                *within_reach.entry(kind).or_default() += 1;
            }
            if let Some(w) = misses.as_mut() {
                let fmt = |v: Option<f64>| v.map(|v| format!("{v:.4}")).unwrap_or_default();
                w.write_record([
                    row.id.as_str(),
                    kind,
                    &fmt(error),
                    answer.map(|l| l.place.name.as_str()).unwrap_or_default(),
                    &fmt(answer.map(|l| l.lat)),
                    &fmt(answer.map(|l| l.lon)),
                    &format!("{:.4}", row.gold.0),
                    &format!("{:.4}", row.gold.1),
                    &fmt(nearest),
                    row.text.as_str(),
                ])?;
            }
        }
    }
    let n = rows.len().max(1) as f64;
    let answered: Vec<f64> = errors.iter().flatten().copied().collect();
    println!(
        "rows: {}   gazetteer: {}",
        rows.len(),
        engine.gazetteer().description
    );
    println!("answered: {:.3}", answered.len() as f64 / n);
    for t in THRESHOLDS_KM {
        let hits = answered.iter().filter(|&&e| e <= t).count();
        println!("acc@{t:.0}km: {:.3}", hits as f64 / n);
    }
    let mut sorted = answered.clone();
    sorted.sort_by(f64::total_cmp);
    if let Some(median) = sorted.get(sorted.len() / 2) {
        println!("median error (answered): {median:.1} km");
    }
    // The most any ranking could reach: the nearest of all candidates of all the names found.
    let ceiling = |t: f64| {
        let hits = nearest_candidates.iter().flatten().filter(|&&d| d <= t);
        hits.count() as f64 / n
    };
    println!(
        "ceiling (the nearest candidate of any name, as if ranking were perfect): acc@10km {:.3}, acc@50km {:.3}",
        ceiling(10.0),
        ceiling(50.0)
    );
    println!("misses (no answer, or > 10 km), and of those a candidate within 10 km:");
    for (kind, count) in kinds {
        let reach = within_reach.get(kind).copied().unwrap_or(0);
        println!("  {kind}: {count} ({reach})");
    }
    if let Some(mut w) = misses {
        w.flush()?;
    }
    Ok(ExitCode::SUCCESS)
}
