//! `extract --online-geocoder`: the place names no gazetteer entry fits, looked up online, and
//! turned into gazetteer entries marked as found there.

use anyhow::Result;
use incident_map::engine::gazetteer::Place;
use incident_map::engine::model::{ArticleResult, Cue, MentionStatus};
use incident_map::engine::normalize::fold_key;
use incident_map::io::nominatim::{self, Nominatim};
use std::collections::BTreeSet;
use std::path::PathBuf;

/// At one request a second, the most names one run asks for (about two minutes).
const MAX_NAMES: usize = 120;

/// Gazetteer entries for the unresolved names of `results` that the server at `url` knows.
/// Stops asking at the first failure (the server is down or refuses): what was found is kept.
pub fn places_for_unresolved(
    results: &[ArticleResult],
    url: &str,
    cache: Option<PathBuf>,
) -> Result<Vec<Place>> {
    let mut seen = BTreeSet::new();
    let names: Vec<&str> = results
        .iter()
        .flat_map(|r| &r.mentions)
        .filter(|m| m.status == MentionStatus::Unresolved && m.cue != Cue::Origin)
        .map(|m| m.text.as_str())
        .filter(|name| seen.insert(fold_key(name)))
        .take(MAX_NAMES)
        .collect();
    if names.is_empty() {
        return Ok(Vec::new());
    }
    let mut client = Nominatim::new(url, cache)?;
    let mut places = Vec::new();
    let mut failure = None;
    for name in &names {
        match client.lookup(name) {
            Ok(Some(hit)) => places.push(nominatim::place(&hit, name)),
            Ok(None) => {}
            Err(e) => {
                failure = Some(e);
                break;
            }
        }
    }
    eprintln!(
        "incident-map: online geocoder: {} of {} unresolved names found ({} requests, the rest from the cache)",
        places.len(),
        names.len(),
        client.requests
    );
    client.save()?;
    match failure {
        Some(e) => Err(e),
        None => Ok(places),
    }
}
