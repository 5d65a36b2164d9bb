//! Online fallback for place names the gazetteer lacks: OpenStreetMap's Nominatim, used only
//! when the user asks for it. One request a second at most, a timeout, a User-Agent that names
//! the tool (Nominatim's usage policy), and a disk cache so a name is asked once.

use crate::engine::gazetteer::{Place, PlaceKind};
use crate::engine::normalize::fold_key;
use anyhow::{Context, Result};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::time::{Duration, Instant};

/// What the tool tells the server it is.
pub const USER_AGENT: &str = concat!(
    "incident-map/",
    env!("CARGO_PKG_VERSION"),
    " (conflict incident mapping for analysts; desktop tool)"
);
/// No request waits longer than this.
const TIMEOUT: Duration = Duration::from_secs(10);
/// Nominatim's public servers allow one request a second.
const MIN_INTERVAL: Duration = Duration::from_secs(1);
/// `source` of the places found online.
pub const SOURCE: &str = "nominatim";

/// A place Nominatim found for a name.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Hit {
    /// "node/123", "way/456"...
    pub osm: String,
    pub name: String,
    pub lat: f64,
    pub lon: f64,
}

/// One result of Nominatim's `/search?format=jsonv2`.
#[derive(Deserialize)]
struct SearchResult {
    osm_type: String,
    osm_id: u64,
    lat: String,
    lon: String,
    #[serde(default)]
    name: String,
    #[serde(default)]
    display_name: String,
}

pub struct Nominatim {
    base: String,
    client: reqwest::blocking::Client,
    cache_path: Option<PathBuf>,
    /// Folded name → what the server said (None: nothing found).
    cache: BTreeMap<String, Option<Hit>>,
    last_request: Option<Instant>,
    /// Requests sent by this client (cache hits excluded).
    pub requests: usize,
}

impl Nominatim {
    /// A client for the server at `base` (`https://nominatim.openstreetmap.org`), with the
    /// answers of earlier runs from `cache_path` when given. A cache that cannot be read is
    /// reported and started afresh: it is only a cache.
    pub fn new(base: &str, cache_path: Option<PathBuf>) -> Result<Nominatim> {
        let client = reqwest::blocking::Client::builder()
            .user_agent(USER_AGENT)
            .timeout(TIMEOUT)
            .build()
            .context("cannot set up the HTTP client")?;
        let cache = match &cache_path {
            Some(path) if path.exists() => read_cache(path).unwrap_or_else(|e| {
                eprintln!("incident-map: {e:#} (starting an empty cache)");
                BTreeMap::new()
            }),
            _ => BTreeMap::new(),
        };
        Ok(Nominatim {
            base: base.trim_end_matches('/').to_string(),
            client,
            cache_path,
            cache,
            last_request: None,
            requests: 0,
        })
    }

    /// The place in Mali the server knows by `name`, from the cache when it was asked before.
    pub fn lookup(&mut self, name: &str) -> Result<Option<Hit>> {
        let key = fold_key(name);
        if let Some(known) = self.cache.get(&key) {
            return Ok(known.clone());
        }
        if let Some(last) = self.last_request {
            let waited = last.elapsed();
            if waited < MIN_INTERVAL {
                std::thread::sleep(MIN_INTERVAL - waited);
            }
        }
        self.last_request = Some(Instant::now());
        self.requests += 1;
        let url = format!("{}/search", self.base);
        let results: Vec<SearchResult> = self
            .client
            .get(&url)
            .query(&[
                ("q", name),
                ("countrycodes", "ml"),
                ("format", "jsonv2"),
                ("limit", "1"),
            ])
            .send()
            .and_then(|r| r.error_for_status())
            .with_context(|| format!("{url}: request for \"{name}\" failed"))?
            .json()
            .with_context(|| format!("{url}: unreadable answer for \"{name}\""))?;
        let hit = results.into_iter().find_map(|r| {
            Some(Hit {
                osm: format!("{}/{}", r.osm_type, r.osm_id),
                name: if r.name.is_empty() {
                    r.display_name.split(',').next()?.trim().to_string()
                } else {
                    r.name
                },
                lat: r.lat.parse().ok()?,
                lon: r.lon.parse().ok()?,
            })
        });
        self.cache.insert(key, hit.clone());
        Ok(hit)
    }

    /// Writes the cache (to a temporary file renamed over the old one: never half written).
    pub fn save(&self) -> Result<()> {
        let Some(path) = &self.cache_path else {
            return Ok(());
        };
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("{}: cannot create", dir.display()))?;
        }
        let temporary = path.with_extension("tmp");
        let json = serde_json::to_vec_pretty(&self.cache)?;
        std::fs::write(&temporary, json)
            .with_context(|| format!("{}: cannot write", temporary.display()))?;
        std::fs::rename(&temporary, path)
            .with_context(|| format!("{}: cannot write", path.display()))
    }
}

fn read_cache(path: &Path) -> Result<BTreeMap<String, Option<Hit>>> {
    let bytes = std::fs::read(path).with_context(|| format!("{}: cannot read", path.display()))?;
    serde_json::from_slice(&bytes)
        .with_context(|| format!("{}: not a geocoder cache", path.display()))
}

/// A gazetteer entry for a hit, marked as found online, under the name the text used.
pub fn place(hit: &Hit, written: &str) -> Place {
    Place {
        id: format!("osm:{}", hit.osm),
        name: hit.name.clone(),
        aliases: vec![written.to_string()],
        lat: hit.lat,
        lon: hit.lon,
        kind: PlaceKind::Town,
        feature_code: "OSM".into(),
        country: "ML".into(),
        admin1_code: String::new(),
        admin2_code: String::new(),
        population: 0,
        source: SOURCE.into(),
    }
}
