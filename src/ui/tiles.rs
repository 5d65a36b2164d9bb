//! Raster map tiles from a tile server (OpenStreetMap, OpenTopoMap, a local server) or a local
//! PMTiles archive, fetched by two background threads (HTTP with a timeout and a User-Agent,
//! kept on disk), and drawn by the app.
//! A tile that fails is retried later with a growing delay, never left blank for good: until it
//! arrives, the Offline basemap shows through.

use crate::io::pmtiles::PmTiles;
use crate::ui::tile_fetch::Fetcher;
use egui::{Color32, Context, Painter, Pos2, Rect, TextureHandle, pos2};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::sync::mpsc::{Receiver, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant};
use walkers::{Projector, lat_lon};

/// How long a request may take before the server counts as failing.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// Tiles on disk younger than this are used without asking the server again.
pub(super) const FRESH_FOR: Duration = Duration::from_secs(7 * 24 * 3600);
/// First and longest wait before a failed tile is asked for again.
const FIRST_RETRY: Duration = Duration::from_secs(15);
const LAST_RETRY: Duration = Duration::from_secs(300);
/// Textures kept in memory.
const KEPT_TEXTURES: usize = 600;
const FETCH_THREADS: usize = 2;

/// A tile server: a URL template with `{z}`, `{x}`, `{y}` (and optionally `{s}`), or the path
/// of a local `.pmtiles` archive of raster tiles.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct TileServer {
    pub url_template: String,
    pub attribution: String,
    pub max_zoom: u8,
}

impl TileServer {
    pub fn openstreetmap() -> TileServer {
        TileServer {
            url_template: "https://tile.openstreetmap.org/{z}/{x}/{y}.png".into(),
            attribution: "© OpenStreetMap contributors".into(),
            max_zoom: 19,
        }
    }

    pub fn opentopomap() -> TileServer {
        TileServer {
            url_template: "https://{s}.tile.opentopomap.org/{z}/{x}/{y}.png".into(),
            attribution: "© OpenStreetMap contributors, SRTM | © OpenTopoMap (CC-BY-SA)".into(),
            max_zoom: 17,
        }
    }

    /// A server of the analyst's (a URL template) or a local .pmtiles archive, credited by
    /// its host (an archive credits itself, from its metadata).
    pub fn custom(template: &str) -> TileServer {
        let host = template
            .split("//")
            .nth(1)
            .and_then(|rest| rest.split('/').next())
            .unwrap_or("custom tile server");
        TileServer {
            url_template: template.trim().to_string(),
            attribution: format!("Tiles: {host}"),
            max_zoom: 19,
        }
    }

    /// The local archive this "server" is, when its template is the path of a .pmtiles file.
    pub fn archive_path(&self) -> Option<&std::path::Path> {
        let template = self.url_template.trim();
        (!template.contains("://") && template.to_ascii_lowercase().ends_with(".pmtiles"))
            .then(|| std::path::Path::new(template))
    }

    pub(super) fn url(&self, key: TileKey) -> String {
        let shard = ["a", "b", "c"][(key.x as usize + key.y as usize) % 3];
        self.url_template
            .replace("{z}", &key.z.to_string())
            .replace("{x}", &key.x.to_string())
            .replace("{y}", &key.y.to_string())
            .replace("{s}", shard)
    }

    /// A folder name for this server's tiles in the cache.
    fn cache_folder(&self) -> String {
        let hash = crate::ui::workspace::content_hash(&self.url_template);
        let host: String = self
            .url_template
            .split("//")
            .nth(1)
            .unwrap_or("local")
            .chars()
            .take_while(|c| *c != '/')
            .map(|c| if c.is_ascii_alphanumeric() { c } else { '_' })
            .collect();
        format!("{host}-{hash:016x}")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub struct TileKey {
    pub z: u8,
    pub x: u32,
    pub y: u32,
}

/// How the tile server is doing, for the status bar.
#[derive(Debug, Clone, Default)]
pub struct Health {
    pub loaded: usize,
    pub last_error: Option<String>,
    /// The last answer was a failure: the server is down or unreachable.
    pub failing: bool,
}

pub(super) struct Fetched {
    pub(super) key: TileKey,
    pub(super) result: Result<TextureHandle, String>,
}

#[derive(Default)]
pub(super) struct Queue {
    /// Newest request first: the view the analyst is looking at now loads first.
    pub(super) wanted: Vec<TileKey>,
    pub(super) stop: bool,
}

/// The tiles of one server: in memory, on disk, and on their way.
pub struct TileStore {
    server: TileServer,
    /// The deepest zoom there are tiles for (the server's, or the archive's).
    max_zoom: u8,
    /// What the map must credit for these tiles.
    attribution: String,
    textures: HashMap<TileKey, (TextureHandle, u64)>,
    in_flight: HashSet<TileKey>,
    retry_at: HashMap<TileKey, (Instant, u32)>,
    queue: Arc<(Mutex<Queue>, Condvar)>,
    results: Receiver<Fetched>,
    frame: u64,
    health: Health,
    /// Draw tiles at their own size or smaller, never stretched (the briefing picture).
    never_upscale: bool,
}

impl TileStore {
    pub fn new(server: TileServer, ctx: &Context) -> TileStore {
        let queue = Arc::new((Mutex::new(Queue::default()), Condvar::new()));
        let (tx, results) = channel();
        let cache =
            crate::io::dirs::cache_dir().map(|d| d.join("tiles").join(server.cache_folder()));
        let client = reqwest::blocking::Client::builder()
            .timeout(TIMEOUT)
            .connect_timeout(TIMEOUT)
            .user_agent(concat!(
                "incident-map/",
                env!("CARGO_PKG_VERSION"),
                " (desktop conflict-mapping tool)"
            ))
            .build();
        let mut health = Health::default();
        let mut max_zoom = server.max_zoom;
        let mut attribution = server.attribution.clone();
        let archive = server
            .archive_path()
            .and_then(|path| match PmTiles::open(path) {
                Ok(archive) => {
                    max_zoom = archive.max_zoom;
                    attribution = archive.attribution.clone().unwrap_or_else(|| {
                        let name = path.file_name().unwrap_or_default().to_string_lossy();
                        format!("Tiles from {name}")
                    });
                    Some(Arc::new(archive))
                }
                Err(e) => {
                    health.last_error = Some(format!("{e:#}"));
                    health.failing = true;
                    None
                }
            });
        for n in 0..FETCH_THREADS {
            let fetcher = Fetcher {
                server: server.clone(),
                archive: archive.clone(),
                client: client.as_ref().ok().cloned(),
                cache: cache.clone(),
                queue: queue.clone(),
                tx: tx.clone(),
                ctx: ctx.clone(),
            };
            let _ = std::thread::Builder::new()
                .name(format!("tiles {n}"))
                .spawn(move || fetcher.run());
        }
        if let Err(e) = client
            && archive.is_none()
        {
            health.last_error = Some(format!("no HTTP client: {e}"));
            health.failing = true;
        }
        TileStore {
            server,
            max_zoom,
            attribution,
            textures: HashMap::new(),
            in_flight: HashSet::new(),
            retry_at: HashMap::new(),
            queue,
            results,
            frame: 0,
            health,
            never_upscale: false,
        }
    }

    pub fn server(&self) -> &TileServer {
        &self.server
    }

    pub fn attribution(&self) -> &str {
        &self.attribution
    }

    pub fn health(&self) -> &Health {
        &self.health
    }

    /// From now on, tiles come from the zoom level whose pixels are at least as fine as the
    /// screen's (the pixels per point counted): a picture never shows a stretched tile.
    pub fn never_upscale(&mut self) {
        self.never_upscale = true;
    }

    /// Whether every tile asked for has arrived or failed (failed ones wait for a retry).
    pub fn settled(&mut self) -> bool {
        self.take_results();
        self.in_flight.is_empty()
    }

    /// Draws the tiles covering the view and asks for the missing ones; where one is missing,
    /// its nearest zoomed-out ancestor stands in, else the Offline basemap under it shows.
    pub fn draw(&mut self, painter: &Painter, projector: &Projector) {
        self.frame += 1;
        self.take_results();
        let rect = projector.clip_rect();
        let z = if self.never_upscale {
            let ppp = f64::from(painter.ctx().pixels_per_point());
            (projector.zoom() + ppp.log2() - 0.01).ceil()
        } else {
            projector.zoom().round()
        };
        let z = (z as i64).clamp(0, i64::from(self.max_zoom)) as u8;
        let n = 1u32 << z;
        let corner = |p: Pos2| {
            let pos = projector.unproject(p.to_vec2());
            tile_xy(pos.y(), pos.x(), z)
        };
        let (x0, y0) = corner(rect.left_top());
        let (x1, y1) = corner(rect.right_bottom());
        let mut wanted = Vec::new();
        for y in y0.min(y1)..=y0.max(y1).min(n - 1) {
            for x in x0.min(x1)..=x0.max(x1).min(n - 1) {
                let key = TileKey { z, x, y };
                let screen = tile_rect(projector, key);
                if let Some((texture, uv)) = self.best_available(key) {
                    painter.image(texture, screen, uv, Color32::WHITE);
                }
                if !self.textures.contains_key(&key) {
                    wanted.push(key);
                }
            }
        }
        // The middle of the view first: that is where the analyst is looking.
        let (cx, cy) = ((x0 + x1) as f64 / 2.0, (y0 + y1) as f64 / 2.0);
        wanted.sort_by(|a, b| {
            let d = |k: &TileKey| (f64::from(k.x) - cx).powi(2) + (f64::from(k.y) - cy).powi(2);
            d(a).total_cmp(&d(b))
        });
        self.request(wanted);
        self.evict();
    }

    fn best_available(&mut self, key: TileKey) -> Option<(egui::TextureId, Rect)> {
        let frame = self.frame;
        let mut uv = full_uv();
        let mut k = key;
        loop {
            if let Some((texture, used)) = self.textures.get_mut(&k) {
                *used = frame;
                return Some((texture.id(), uv));
            }
            if k.z == 0 || key.z - k.z >= 6 {
                return None;
            }
            // The parent tile's quarter that covers this one.
            let (qx, qy) = ((k.x % 2) as f32 * 0.5, (k.y % 2) as f32 * 0.5);
            let size = uv.width() * 0.5;
            uv = Rect::from_min_size(
                pos2(qx + uv.min.x * 0.5, qy + uv.min.y * 0.5),
                egui::vec2(size, size),
            );
            k = TileKey {
                z: k.z - 1,
                x: k.x / 2,
                y: k.y / 2,
            };
        }
    }

    fn request(&mut self, wanted: Vec<TileKey>) {
        let (lock, signal) = &*self.queue;
        let Ok(mut queue) = lock.lock() else { return };
        requeue(&mut queue.wanted, &mut self.in_flight, wanted, |k| {
            self.retry_at
                .get(k)
                .is_none_or(|(at, _)| Instant::now() >= *at)
        });
        signal.notify_all();
    }

    fn take_results(&mut self) {
        while let Ok(fetched) = self.results.try_recv() {
            self.in_flight.remove(&fetched.key);
            match fetched.result {
                Ok(texture) => {
                    self.retry_at.remove(&fetched.key);
                    self.textures.insert(fetched.key, (texture, self.frame));
                    self.health.loaded += 1;
                    self.health.failing = false;
                }
                Err(e) => {
                    let attempts = self.retry_at.get(&fetched.key).map_or(0, |r| r.1) + 1;
                    let wait = FIRST_RETRY
                        .saturating_mul(1 << (attempts - 1).min(5))
                        .min(LAST_RETRY);
                    self.retry_at
                        .insert(fetched.key, (Instant::now() + wait, attempts));
                    self.health.last_error = Some(e);
                    self.health.failing = true;
                }
            }
        }
    }

    fn evict(&mut self) {
        if self.textures.len() <= KEPT_TEXTURES {
            return;
        }
        // Never what this frame drew: a large picture may need more than the usual number.
        let mut by_age: Vec<(u64, TileKey)> = self
            .textures
            .iter()
            .filter(|(_, (_, used))| *used < self.frame)
            .map(|(k, (_, used))| (*used, *k))
            .collect();
        by_age.sort_unstable_by_key(|(used, _)| *used);
        let excess = self.textures.len() - KEPT_TEXTURES;
        for (_, key) in by_age.iter().take(excess) {
            self.textures.remove(key);
        }
    }
}

impl Drop for TileStore {
    fn drop(&mut self) {
        let (lock, signal) = &*self.queue;
        if let Ok(mut queue) = lock.lock() {
            queue.stop = true;
        }
        signal.notify_all();
    }
}

fn full_uv() -> Rect {
    Rect::from_min_max(pos2(0.0, 0.0), pos2(1.0, 1.0))
}

/// The tile at zoom `z` that holds (lat, lon).
pub fn tile_xy(lat: f64, lon: f64, z: u8) -> (u32, u32) {
    let n = f64::from(1u32 << z);
    let lat = lat.clamp(-85.0511, 85.0511).to_radians();
    let x = ((lon + 180.0) / 360.0 * n).floor();
    let y = ((1.0 - (lat.tan() + 1.0 / lat.cos()).ln() / std::f64::consts::PI) / 2.0 * n).floor();
    (x.clamp(0.0, n - 1.0) as u32, y.clamp(0.0, n - 1.0) as u32)
}

/// The north-west corner of a tile, (lat, lon).
fn tile_corner(z: u8, x: u32, y: u32) -> (f64, f64) {
    let n = f64::from(1u32 << z);
    let lon = f64::from(x) / n * 360.0 - 180.0;
    let lat = (std::f64::consts::PI * (1.0 - 2.0 * f64::from(y) / n))
        .sinh()
        .atan()
        .to_degrees();
    (lat, lon)
}

fn tile_rect(projector: &Projector, key: TileKey) -> Rect {
    let (lat0, lon0) = tile_corner(key.z, key.x, key.y);
    let (lat1, lon1) = tile_corner(key.z, key.x + 1, key.y + 1);
    let a = projector.project(lat_lon(lat0, lon0)).to_pos2();
    let b = projector.project(lat_lon(lat1, lon1)).to_pos2();
    Rect::from_two_pos(a, b)
}

/// Puts this frame's `wanted` tiles in the fetch queue (first wanted last: the threads pop
/// from the end), those the threads have taken staying in flight. What is queued and no longer
/// wanted waits: the new view's tiles go first. A tile that failed waits for its retry time
/// (`due`).
///
/// Regression: the wanted tiles were picked before the queue was emptied, so a tile still
/// queued from the last frame was dropped from the queue and from those in flight: for a
/// frame nothing was in flight, and the briefing picture, drawn once none is, could be drawn
/// without it.
fn requeue(
    queue: &mut Vec<TileKey>,
    in_flight: &mut HashSet<TileKey>,
    wanted: Vec<TileKey>,
    due: impl Fn(&TileKey) -> bool,
) {
    for key in queue.drain(..) {
        in_flight.remove(&key);
    }
    for key in wanted.iter().rev() {
        if !in_flight.contains(key) && due(key) {
            queue.push(*key);
            in_flight.insert(*key);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_tile_still_queued_and_still_wanted_stays_queued_and_in_flight() {
        let key = |x| TileKey { z: 6, x, y: 30 };
        // Tile 1 is being fetched (taken from the queue), tile 2 still waits in the queue.
        let mut queue = vec![key(2)];
        let mut in_flight: HashSet<TileKey> = [key(1), key(2)].into_iter().collect();
        requeue(
            &mut queue,
            &mut in_flight,
            vec![key(1), key(2), key(3)],
            |_| true,
        );
        assert_eq!(queue, [key(3), key(2)], "the first wanted is popped first");
        assert_eq!(in_flight.len(), 3);
        // No longer wanted: out of the queue and of those in flight; one being fetched stays.
        requeue(&mut queue, &mut in_flight, vec![key(4)], |_| true);
        assert_eq!(queue, [key(4)]);
        assert!(in_flight.contains(&key(1)) && !in_flight.contains(&key(2)));
        // A tile waiting for its retry time is not asked for.
        requeue(&mut queue, &mut in_flight, vec![key(5)], |_| false);
        assert!(queue.is_empty() && !in_flight.contains(&key(5)));
    }

    #[test]
    fn tile_numbers_match_the_slippy_map_convention() {
        // Bamako at zoom 10: x = floor((lon + 180) / 360 * 1024).
        assert_eq!(tile_xy(12.65, -8.0, 10), (489, 475));
        assert_eq!(tile_xy(0.0, 0.0, 1), (1, 1));
        let (lat, lon) = tile_corner(10, 489, 475);
        assert!((lon - -8.086).abs() < 0.01 && lat > 12.65, "{lat} {lon}");
    }

    #[test]
    fn urls_fill_the_template() {
        let server = TileServer {
            url_template: "http://127.0.0.1:8080/{s}/{z}/{x}/{y}.png".into(),
            attribution: String::new(),
            max_zoom: 19,
        };
        assert_eq!(
            server.url(TileKey { z: 5, x: 15, y: 14 }),
            "http://127.0.0.1:8080/c/5/15/14.png"
        );
    }
}
