//! `incident-map`: the command line. Each subcommand lives in `cli/`; this file only parses.

mod cli;

use clap::{Parser, Subcommand};
use std::path::PathBuf;
use std::process::ExitCode;

#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

#[derive(Parser)]
#[command(
    name = "incident-map",
    version,
    about = "Turns news articles about the war in Mali into a map of incidents."
)]
struct Args {
    #[command(subcommand)]
    command: Option<Command>,
    /// Articles or folders to open in the app (default: the bundled sample articles).
    inputs: Vec<PathBuf>,
    /// A GeoNames country dump (ML.txt or ML.zip) to merge over the bundled gazetteer
    /// (subcommands; in the app, use File ▸ Import GeoNames dump).
    #[arg(long = "gazetteer", global = true)]
    gazetteers: Vec<PathBuf>,
    /// A workspace file (.imap): its user gazetteer applies (subcommands), and `gazetteer`
    /// edits it.
    #[arg(long, global = true, value_name = "W.imap")]
    workspace: Option<PathBuf>,
    /// The app's basemap at start: osm, topo or offline (default: the last one used).
    #[arg(long, value_parser = ["osm", "topo", "offline"])]
    basemap: Option<String>,
    /// The app's basemap from this tile server, a URL template such as
    /// http://localhost:8080/{z}/{x}/{y}.png, or from a local .pmtiles archive of raster tiles
    #[arg(long, value_name = "URL_TEMPLATE|FILE.pmtiles")]
    tiles: Option<String>,
}

#[derive(Subcommand)]
enum Command {
    /// Extract incidents from articles and write them as GeoJSON, CSV or JSON Lines.
    Extract(cli::extract::ExtractArgs),
    /// Draw a briefing picture (PNG) of the incidents, with no display: title, period,
    /// filters, legend, scale bar and credits.
    Render(cli::render::RenderArgs),
    /// Name places in a workspace's user gazetteer; list, remove, export, import them.
    Gazetteer(cli::gazetteer::GazetteerArgs),
    /// Print a readable summary of the incidents found, without opening the window.
    Summary(cli::summary::SummaryArgs),
    /// Score geocoding against a CSV with gold coordinates.
    Eval(cli::eval::EvalArgs),
    /// Score event type, date, actors and fatalities against a CSV in ACLED's columns.
    EvalEvents(cli::eval_events::EvalEventsArgs),
}

fn main() -> ExitCode {
    let args = Args::parse();
    let places = cli::PlaceSources {
        gazetteers: &args.gazetteers,
        workspace: args.workspace.as_deref(),
    };
    let result = match args.command {
        Some(Command::Extract(extract)) => cli::extract::run(extract, places),
        Some(Command::Eval(eval)) => cli::eval::run(eval, &args.gazetteers),
        Some(Command::EvalEvents(eval)) => cli::eval_events::run(eval, &args.gazetteers),
        Some(Command::Render(render)) => cli::render::run(render, places),
        Some(Command::Gazetteer(gazetteer)) => cli::gazetteer::run(gazetteer, places.workspace),
        Some(Command::Summary(summary)) => cli::summary::run(&summary.inputs, places),
        None => cli::app::run(
            args.inputs,
            args.basemap.as_deref(),
            args.tiles,
            args.workspace.clone(),
        ),
    };
    match result {
        Ok(code) => code,
        Err(e) => {
            eprintln!("incident-map: {e:#}");
            ExitCode::from(2)
        }
    }
}
