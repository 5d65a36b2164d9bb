//! The subcommands, and what they share: building the engine from the gazetteer options.

pub mod analyst;
pub mod app;
pub mod eval;
pub mod eval_events;
pub mod extract;
pub mod gazetteer;
pub mod online;
pub mod render;
pub mod summary;

pub use analyst::AnalystCorrections;
use incident_map::engine::Engine;
use incident_map::engine::gazetteer::Gazetteer;
use incident_map::engine::merge::{self, Merge};
use incident_map::engine::model::{Article, ArticleResult};
use incident_map::io::store::Store;
use incident_map::io::{geonames, user_gazetteer};
use rayon::prelude::*;
use std::path::{Path, PathBuf};

/// Where places come from, besides the bundled gazetteer: GeoNames dumps (`--gazetteer`) and
/// a workspace's user gazetteer (`--workspace`).
#[derive(Clone, Copy)]
pub struct PlaceSources<'a> {
    pub gazetteers: &'a [PathBuf],
    pub workspace: Option<&'a Path>,
}

/// The bundled gazetteer with each `--gazetteer` dump merged over it, in order, then the
/// places the analyst named in `--workspace`. A dump that cannot be read is reported on stderr
/// and left out (the returned flag says one failed); a workspace that cannot be read is an
/// error (the analyst's places would be missing from everything).
pub fn engine(sources: PlaceSources<'_>) -> anyhow::Result<(Engine, bool)> {
    let mut gazetteer = Gazetteer::bundled();
    let mut failed = false;
    for path in sources.gazetteers {
        match geonames::import(path) {
            Ok(places) => {
                let label = path.file_name().map_or_else(
                    || path.display().to_string(),
                    |n| n.to_string_lossy().into_owned(),
                );
                gazetteer.merge(places, &label);
            }
            Err(e) => {
                eprintln!("incident-map: {e:#} (gazetteer not loaded)");
                failed = true;
            }
        }
    }
    if let Some(workspace) = sources.workspace {
        let places = Store::open(workspace)?.user_places()?;
        gazetteer = user_gazetteer::merged(gazetteer, &places);
    }
    let today = chrono::Local::now().date_naive();
    Ok((Engine::new(gazetteer).with_today(today), failed))
}

/// Extracts every article, then merges the same event reported by several of them (unless
/// `merge` is false), never the reports the analyst split apart. Returns the results and the
/// merges made.
pub fn extract_all(
    engine: &Engine,
    articles: &[Article],
    merge: bool,
    analyst: &AnalystCorrections,
) -> (Vec<ArticleResult>, Vec<Merge>) {
    // Across all cores; the engine is shared read-only, and results keep the articles' order,
    // so the output is the serial one (tests/parallel.rs).
    let mut results: Vec<ArticleResult> = articles.par_iter().map(|a| engine.extract(a)).collect();
    let merges = if merge {
        merge::across_articles(&mut results, analyst.kept_apart())
    } else {
        Vec::new()
    };
    (results, merges)
}

/// The engine for a scoring run: a gazetteer that failed to load would make the scores lie.
pub fn scoring_engine(gazetteers: &[PathBuf]) -> anyhow::Result<Engine> {
    let (engine, gazetteer_failed) = engine(PlaceSources {
        gazetteers,
        workspace: None,
    })?;
    if gazetteer_failed {
        anyhow::bail!("a --gazetteer file could not be read; scores would not mean what they say");
    }
    Ok(engine)
}

/// A CSV writer for a scoring run's misses, with its header, when `--misses` was given.
pub fn misses_writer(
    path: Option<&PathBuf>,
    header: &[&str],
) -> anyhow::Result<Option<csv::Writer<std::fs::File>>> {
    let Some(path) = path else { return Ok(None) };
    let mut writer = csv::Writer::from_path(path)?;
    writer.write_record(header)?;
    Ok(Some(writer))
}
