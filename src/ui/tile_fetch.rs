//! The tile fetchers: background threads that take wanted tiles from the store's queue and
//! answer each with a texture or an error, from the disk cache, the server (with a timeout),
//! or a local PMTiles archive.

use super::tiles::{FRESH_FOR, Fetched, Queue, TileKey, TileServer};
use crate::io::pmtiles::PmTiles;
use egui::{Color32, Context, TextureHandle};
use std::path::PathBuf;
use std::sync::mpsc::Sender;
use std::sync::{Arc, Condvar, Mutex};
use std::time::SystemTime;

pub(super) struct Fetcher {
    pub(super) server: TileServer,
    pub(super) archive: Option<Arc<PmTiles>>,
    pub(super) client: Option<reqwest::blocking::Client>,
    pub(super) cache: Option<PathBuf>,
    pub(super) queue: Arc<(Mutex<Queue>, Condvar)>,
    pub(super) tx: Sender<Fetched>,
    pub(super) ctx: Context,
}

impl Fetcher {
    pub(super) fn run(self) {
        while let Some(key) = self.next() {
            let result = match self.server.archive_path() {
                Some(path) => self.archive_tile(key, path),
                None => self.bytes(key).and_then(|bytes| self.texture(key, &bytes)),
            };
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

    /// A tile of the local archive; where the archive has none, an empty one (the Offline
    /// basemap shows there, and it is not asked for again).
    fn archive_tile(&self, key: TileKey, path: &std::path::Path) -> Result<TextureHandle, String> {
        let archive = self
            .archive
            .as_ref()
            .ok_or_else(|| format!("{}: unreadable", path.display()))?;
        match archive.tile(key.z, key.x, key.y) {
            Ok(Some(bytes)) => self.texture(key, &bytes),
            Ok(None) => Ok(self.ctx.load_texture(
                "no tile",
                egui::ColorImage::filled([1, 1], Color32::TRANSPARENT),
                egui::TextureOptions::NEAREST,
            )),
            Err(e) => Err(format!("{e:#}")),
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
