//! `incident-map render`: articles in, a briefing picture out (PNG), with no display and no
//! window; the same picture as the app's File ▸ Export briefing image…, for automated maps.

use anyhow::{Context, Result, bail};
use chrono::NaiveDate;
use clap::Args;
use incident_map::engine::model::Incident;
use incident_map::io::{atomic, ingest, picture};
use incident_map::ui::briefing::{self, Briefing, Scene, View};
use incident_map::ui::filter::{self, Filtered, Filters};
use incident_map::ui::offline::towns_of;
use incident_map::ui::offscreen::{Canvas, MAX_SIDE};
use incident_map::ui::tiles::TileServer;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(Args)]
pub struct RenderArgs {
    /// Article files (.txt, .md, .html, .jsonl) or folders.
    #[arg(required = true)]
    inputs: Vec<PathBuf>,
    /// The picture to write (PNG).
    #[arg(short, long)]
    output: PathBuf,
    /// Its size in pixels, WIDTHxHEIGHT, at most 7680x4320.
    #[arg(long, default_value = "1920x1080", value_parser = parse_size)]
    size: (u32, u32),
    /// Pixels per point: how large words and markers are. Default: 1 up to 1920×1080, then
    /// growing with the picture (2 at 3840×2160), so a large picture is a sharper one.
    #[arg(long)]
    scale: Option<f32>,
    /// Only incidents that may have happened on or after this day (YYYY-MM-DD).
    #[arg(long)]
    from: Option<NaiveDate>,
    /// Only incidents that may have happened on or before this day (YYYY-MM-DD).
    #[arg(long)]
    to: Option<NaiveDate>,
    /// Keep undated incidents when --from or --to is given (they are kept without them).
    #[arg(long)]
    include_undated: bool,
    /// Only these ACLED event types, comma-separated ("Battles,Violence against civilians").
    #[arg(long, value_delimiter = ',')]
    types: Vec<String>,
    /// Show this area: south,west,north,east in degrees (default: fit the incidents).
    #[arg(long, value_name = "S,W,N,E", value_parser = parse_bbox, allow_hyphen_values = true)]
    bbox: Option<(f64, f64, f64, f64)>,
    /// The title (default: from the filters, e.g. "Battles in Mali, 1 Jun 2025 – 7 Jun 2025").
    #[arg(long)]
    title: Option<String>,
    /// offline (drawn from bundled data, no network), osm, topo, a tile URL template
    /// (http://host/{z}/{x}/{y}.png) or a .pmtiles file.
    #[arg(long, default_value = "offline")]
    basemap: String,
    /// Also write a world file (OUT.pgw) placing the picture in Web Mercator (EPSG:3857).
    #[arg(long)]
    world_file: bool,
}

/// Exit status: 0 when every input was read; 1 when some failed (the picture is still made).
pub fn run(args: RenderArgs, places: super::PlaceSources<'_>) -> Result<ExitCode> {
    let canvas = canvas(args.size, args.scale)?;
    let tiles = tile_server(&args.basemap)?;
    let types = checked_types(&args.types)?;
    let (engine, gazetteer_failed) = super::engine(places)?;
    let mut batch = ingest::read_inputs(&args.inputs);
    for error in &batch.errors {
        eprintln!("incident-map: {error}");
    }
    let analyst = super::AnalystCorrections::load(places.workspace, &mut batch.articles)?;
    let (mut results, _) = super::extract_all(&engine, &batch.articles, true, &analyst);
    analyst.apply(&mut results, &engine);
    let incidents: Vec<Incident> = results.into_iter().flat_map(|r| r.incidents).collect();

    let filters = filters(&args, &types, &incidents);
    let mut filtered = Filtered::default();
    filtered.update(1, &incidents, &filters);
    let shown: Vec<&Incident> = incidents
        .iter()
        .enumerate()
        .filter(|(i, _)| filtered.is_shown(*i))
        .map(|(_, incident)| incident)
        .collect();
    let mut words = Briefing::new(
        &filters,
        &shown,
        incidents.len(),
        filtered.selection.undated,
    );
    if let Some(title) = &args.title {
        words.title = title.clone();
    }
    let scene = Scene {
        incidents: shown.into_iter().cloned().collect(),
        towns: towns_of(engine.gazetteer()),
        tiles,
        view: args
            .bbox
            .map_or(View::Fit, |(s, w, n, e)| View::Bounds(w, s, e, n)),
    };
    let drawn = briefing::render(scene, &words, canvas)?;
    picture::save_png(&args.output, &drawn.image)?;
    if args.world_file {
        atomic::write(&args.output.with_extension("pgw"), &drawn.world_file())?;
    }
    if let Some(error) = &drawn.tiles_missing {
        eprintln!(
            "incident-map: some tiles did not arrive ({error}); the Offline basemap shows there"
        );
    }
    let c = drawn.counts;
    println!(
        "{}: {}×{}, {} incidents on the map, {} outside the view, {} without a place (not mapped)",
        args.output.display(),
        canvas.width,
        canvas.height,
        c.in_view,
        c.outside,
        c.unlocated
    );
    Ok(if batch.errors.is_empty() && !gazetteer_failed {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

/// The canvas: the size asked for, at the scale asked for or one that grows with it.
fn canvas((width, height): (u32, u32), scale: Option<f32>) -> Result<Canvas> {
    let mut canvas = Canvas::sized(width, height);
    if let Some(scale) = scale {
        if !(0.5..=8.0).contains(&scale) {
            bail!("--scale {scale}: give a number from 0.5 to 8");
        }
        canvas.pixels_per_point = scale;
    }
    Ok(canvas)
}

fn tile_server(basemap: &str) -> Result<Option<TileServer>> {
    Ok(match basemap {
        "offline" => None,
        "osm" => Some(TileServer::openstreetmap()),
        "topo" => Some(TileServer::opentopomap()),
        template if template.contains("{z}") || template.ends_with(".pmtiles") => {
            Some(TileServer::custom(template))
        }
        other => bail!(
            "--basemap {other}: give offline, osm, topo, a URL template with {{z}}/{{x}}/{{y}} or a .pmtiles file"
        ),
    })
}

/// The ACLED event type names asked for, spelt as ACLED does.
fn checked_types(asked: &[String]) -> Result<Vec<String>> {
    let known = &filter::TYPE_NAMES[..filter::TYPES - 1];
    asked
        .iter()
        .map(|t| {
            known
                .iter()
                .find(|k| k.eq_ignore_ascii_case(t.trim()))
                .map(|k| (*k).to_string())
                .with_context(|| {
                    format!(
                        "--types: no event type {t:?}; ACLED's are {}",
                        known.join(", ")
                    )
                })
        })
        .collect()
}

/// The filters the options ask for. An open end of the dates is the incidents' earliest day
/// (before --to) or today (after --from).
fn filters(args: &RenderArgs, types: &[String], incidents: &[Incident]) -> Filters {
    let mut filters = Filters::default();
    if !types.is_empty() {
        filters.hidden_types = briefing::hidden_types_except(types);
    }
    if args.from.is_some() || args.to.is_some() {
        let earliest = incidents
            .iter()
            .filter_map(|i| i.period())
            .map(|p| p.0)
            .min();
        let today = chrono::Local::now().date_naive();
        let to = args.to.unwrap_or(today);
        let from = args.from.or(earliest).unwrap_or(to);
        filters.range = Some((from.min(to), from.max(to)));
        filters.include_undated = args.include_undated;
    }
    filters
}

fn parse_size(text: &str) -> Result<(u32, u32), String> {
    let (w, h) = text
        .split_once(['x', 'X', '×'])
        .ok_or("give the size as WIDTHxHEIGHT, e.g. 1920x1080")?;
    let side = |s: &str| {
        s.trim()
            .parse::<u32>()
            .ok()
            .filter(|n| (16..=MAX_SIDE).contains(n))
            .ok_or(format!("each side from 16 to {MAX_SIDE} pixels"))
    };
    Ok((side(w)?, side(h)?))
}

fn parse_bbox(text: &str) -> Result<(f64, f64, f64, f64), String> {
    let numbers: Vec<f64> = text
        .split(',')
        .map(|n| n.trim().parse::<f64>())
        .collect::<Result<_, _>>()
        .map_err(|_| "give four numbers: south,west,north,east".to_string())?;
    let [s, w, n, e] = numbers[..] else {
        return Err("give four numbers: south,west,north,east".into());
    };
    if !(-85.0..=85.0).contains(&s) || !(-85.0..=85.0).contains(&n) || s >= n {
        return Err(format!(
            "south {s} must be below north {n}, both within ±85°"
        ));
    }
    if !(-180.0..=180.0).contains(&w) || !(-180.0..=180.0).contains(&e) || w >= e {
        return Err(format!(
            "west {w} must be left of east {e}, both within ±180°"
        ));
    }
    Ok((s, w, n, e))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn sizes_and_areas_are_read_and_checked() {
        assert_eq!(parse_size("1920x1080"), Ok((1920, 1080)));
        assert_eq!(parse_size("7680×4320"), Ok((7680, 4320)));
        assert!(parse_size("7681x100").is_err());
        assert!(parse_size("1920").is_err());
        assert_eq!(parse_bbox("14,-5.5,17,-1"), Ok((14.0, -5.5, 17.0, -1.0)));
        assert!(parse_bbox("17,-5,14,-1").is_err());
        assert!(parse_bbox("14,-5,17").is_err());
    }

    #[test]
    fn large_pictures_are_drawn_sharper_not_smaller() {
        let scale = |w, h| canvas((w, h), None).map(|c| c.pixels_per_point).ok();
        assert_eq!(scale(1920, 1080), Some(1.0));
        assert_eq!(scale(1280, 720), Some(1.0));
        assert_eq!(scale(3840, 2160), Some(2.0));
        assert_eq!(scale(7680, 4320), Some(4.0));
        assert!(canvas((800, 600), Some(20.0)).is_err());
    }

    #[test]
    fn event_types_are_matched_ignoring_case() {
        assert_eq!(
            checked_types(&["battles".into(), " Riots".into()]).ok(),
            Some(vec!["Battles".to_string(), "Riots".to_string()])
        );
        assert!(checked_types(&["Attacks".into()]).is_err());
    }
}
