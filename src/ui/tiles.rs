//! Raster map tiles from a tile server (OpenStreetMap, OpenTopoMap, a local server), fetched by
//! two background threads with a timeout and a User-Agent, kept on disk, and drawn by the app.
//! A tile that fails is retried later with a growing delay, never left blank for good: until it
//! arrives, the Offline basemap shows through.

use egui::{Color32, Context, Painter, Pos2, Rect, TextureHandle, pos2};
use serde::{Deserialize, Serialize};
use std::collections::{HashMap, HashSet};
use std::path::PathBuf;
use std::sync::mpsc::{Receiver, Sender, channel};
use std::sync::{Arc, Condvar, Mutex};
use std::time::{Duration, Instant, SystemTime};
use walkers::{Projector, lat_lon};

/// How long a request may take before the server counts as failing.
pub const TIMEOUT: Duration = Duration::from_secs(10);
/// Tiles on disk younger than this are used without asking the server again.
const FRESH_FOR: Duration = Duration::from_secs(7 * 24 * 3600);
/// First and longest wait before a failed tile is asked for again.
const FIRST_RETRY: Duration = Duration::from_secs(15);
const LAST_RETRY: Duration = Duration::from_secs(300);
/// Textures kept in memory.
const KEPT_TEXTURES: usize = 600;
const FETCH_THREADS: usize = 2;

/// A tile server: a URL template with `{z}`, `{x}`, `{y}` (and optionally `{s}`).
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

    fn url(&self, key: TileKey) -> String {
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

struct Fetched {
    key: TileKey,
    result: Result<TextureHandle, String>,
}

#[derive(Default)]
struct Queue {
    /// Newest request first: the view the analyst is looking at now loads first.
    wanted: Vec<TileKey>,
    stop: bool,
}

/// The tiles of one server: in memory, on disk, and on their way.
pub struct TileStore {
    server: TileServer,
    textures: HashMap<TileKey, (TextureHandle, u64)>,
    in_flight: HashSet<TileKey>,
    retry_at: HashMap<TileKey, (Instant, u32)>,
    queue: Arc<(Mutex<Queue>, Condvar)>,
    results: Receiver<Fetched>,
    frame: u64,
    health: Health,
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
        for n in 0..FETCH_THREADS {
            let fetcher = Fetcher {
                server: server.clone(),
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
        let mut health = Health::default();
        if let Err(e) = client {
            health.last_error = Some(format!("no HTTP client: {e}"));
            health.failing = true;
        }
        TileStore {
            server,
            textures: HashMap::new(),
            in_flight: HashSet::new(),
            retry_at: HashMap::new(),
            queue,
            results,
            frame: 0,
            health,
        }
    }

    pub fn server(&self) -> &TileServer {
        &self.server
    }

    pub fn health(&self) -> &Health {
        &self.health
    }

    /// Draws the tiles covering the view and asks for the missing ones; where one is missing,
    /// its nearest zoomed-out ancestor stands in, else the Offline basemap under it shows.
    pub fn draw(&mut self, painter: &Painter, projector: &Projector) {
        self.frame += 1;
        self.take_results();
        let rect = projector.clip_rect();
        let z = (projector.zoom().round() as i64).clamp(0, i64::from(self.server.max_zoom)) as u8;
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
        let now = Instant::now();
        let wanted: Vec<TileKey> = wanted
            .into_iter()
            .filter(|k| !self.in_flight.contains(k))
            .filter(|k| self.retry_at.get(k).is_none_or(|(at, _)| now >= *at))
            .collect();
        let (lock, signal) = &*self.queue;
        let Ok(mut queue) = lock.lock() else { return };
        // What is no longer on screen waits: the new view's tiles go first.
        for key in queue.wanted.drain(..) {
            self.in_flight.remove(&key);
        }
        for key in wanted.iter().rev() {
            queue.wanted.push(*key);
            self.in_flight.insert(*key);
        }
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
        let mut by_age: Vec<(u64, TileKey)> = self
            .textures
            .iter()
            .map(|(k, (_, used))| (*used, *k))
            .collect();
        by_age.sort_unstable_by_key(|(used, _)| *used);
        for (_, key) in by_age.iter().take(self.textures.len() - KEPT_TEXTURES) {
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

struct Fetcher {
    server: TileServer,
    client: Option<reqwest::blocking::Client>,
    cache: Option<PathBuf>,
    queue: Arc<(Mutex<Queue>, Condvar)>,
    tx: Sender<Fetched>,
    ctx: Context,
}

impl Fetcher {
    fn run(self) {
        while let Some(key) = self.next() {
            let result = self.bytes(key).and_then(|bytes| self.texture(key, &bytes));
            if self.tx.send(Fetched { key, result }).is_err() {
                return;
            }
            self.ctx.request_repaint();
        }
    }

    fn next(&self) -> Option<TileKey> {
        let (lock, signal) = &*self.queue;
        let mut queue = lock.lock().ok()?;
        loop {
            if queue.stop {
                return None;
            }
            if let Some(key) = queue.wanted.pop() {
                return Some(key);
            }
            queue = signal.wait(queue).ok()?;
        }
    }

    fn path(&self, key: TileKey) -> Option<PathBuf> {
        self.cache.as_ref().map(|c| {
            c.join(key.z.to_string())
                .join(key.x.to_string())
                .join(format!("{}.tile", key.y))
        })
    }

    /// The tile's bytes: from disk while fresh, else from the server, else a stale copy.
    fn bytes(&self, key: TileKey) -> Result<Vec<u8>, String> {
        let path = self.path(key);
        let on_disk = path.as_ref().and_then(|p| {
            let age = std::fs::metadata(p)
                .and_then(|m| m.modified())
                .ok()
                .and_then(|t| SystemTime::now().duration_since(t).ok())?;
            Some((std::fs::read(p).ok()?, age))
        });
        if let Some((bytes, age)) = &on_disk
            && *age < FRESH_FOR
        {
            return Ok(bytes.clone());
        }
        match self.download(key) {
            Ok(bytes) => {
                if let Some(path) = path {
                    store(&path, &bytes);
                }
                Ok(bytes)
            }
            Err(e) => on_disk.map(|(bytes, _)| bytes).ok_or(e),
        }
    }

    fn download(&self, key: TileKey) -> Result<Vec<u8>, String> {
        let client = self.client.as_ref().ok_or("no HTTP client")?;
        let url = self.server.url(key);
        let response = client
            .get(&url)
            .send()
            .map_err(|e| format!("{}: {e}", host_of(&url)))?;
        if !response.status().is_success() {
            return Err(format!("{}: HTTP {}", host_of(&url), response.status()));
        }
        response
            .bytes()
            .map(|b| b.to_vec())
            .map_err(|e| format!("{}: {e}", host_of(&url)))
    }

    fn texture(&self, key: TileKey, bytes: &[u8]) -> Result<TextureHandle, String> {
        match walkers::Tile::new(bytes, &walkers::Style, key.z, 256, &self.ctx) {
            Ok(walkers::Tile::Raster(texture)) => Ok(texture),
            Err(e) => Err(format!("undecodable tile: {e}")),
        }
    }
}

fn host_of(url: &str) -> &str {
    url.split("//")
        .nth(1)
        .and_then(|rest| rest.split('/').next())
        .unwrap_or(url)
}

/// Writes beside, then renames: a tile on disk is whole or absent.
fn store(path: &std::path::Path, bytes: &[u8]) {
    let Some(dir) = path.parent() else { return };
    let partial = path.with_extension("partial");
    let _ = std::fs::create_dir_all(dir)
        .and_then(|_| std::fs::write(&partial, bytes))
        .and_then(|_| std::fs::rename(&partial, path));
}

#[cfg(test)]
mod tests {
    use super::*;

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
