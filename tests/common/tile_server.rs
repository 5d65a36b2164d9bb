//! A tile server on 127.0.0.1 for the tests: the same PNG for every tile, the requests counted
//! and their paths kept.

use std::io::{Read, Write};
use std::net::TcpListener;
use std::sync::atomic::{AtomicBool, AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// The colour every served tile is painted: not used by anything else on the map.
pub const TILE: [u8; 3] = [0x12, 0xAB, 0x34];

pub fn tile_png() -> Vec<u8> {
    let image =
        image::RgbaImage::from_pixel(256, 256, image::Rgba([TILE[0], TILE[1], TILE[2], 255]));
    let mut png = Vec::new();
    image
        .write_to(&mut std::io::Cursor::new(&mut png), image::ImageFormat::Png)
        .expect("a PNG tile");
    png
}

/// Serves the same PNG for every GET until `stop` is set; counts the requests.
pub struct TileServer {
    pub url: String,
    pub stop: Arc<AtomicBool>,
    pub requests: Arc<AtomicUsize>,
    /// The paths asked for ("/7/61/58.png"), in order.
    pub paths: Arc<Mutex<Vec<String>>>,
    thread: Option<std::thread::JoinHandle<()>>,
}

impl TileServer {
    pub fn start() -> TileServer {
        let listener = TcpListener::bind("127.0.0.1:0").expect("a free port on 127.0.0.1");
        let port = listener.local_addr().expect("its address").port();
        listener.set_nonblocking(true).expect("non-blocking accept");
        let (stop, requests) = (
            Arc::new(AtomicBool::new(false)),
            Arc::new(AtomicUsize::new(0)),
        );
        let paths: Arc<Mutex<Vec<String>>> = Arc::default();
        let (s, r, p) = (stop.clone(), requests.clone(), paths.clone());
        let png = tile_png();
        let thread = std::thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                let Ok((mut stream, _)) = listener.accept() else {
                    std::thread::sleep(Duration::from_millis(5));
                    continue;
                };
                let _ = stream.set_nonblocking(false);
                let mut request = [0u8; 2048];
                let read = stream.read(&mut request).unwrap_or(0);
                r.fetch_add(1, Ordering::SeqCst);
                let text = String::from_utf8_lossy(&request[..read]);
                if let Some(path) = text.split_whitespace().nth(1)
                    && let Ok(mut paths) = p.lock()
                {
                    paths.push(path.to_string());
                }
                let header = format!(
                    "HTTP/1.1 200 OK\r\nContent-Type: image/png\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                    png.len()
                );
                let _ = stream.write_all(header.as_bytes());
                let _ = stream.write_all(&png);
            }
        });
        TileServer {
            url: format!("http://127.0.0.1:{port}/{{z}}/{{x}}/{{y}}.png"),
            stop,
            requests,
            paths,
            thread: Some(thread),
        }
    }

    pub fn stop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

impl Drop for TileServer {
    fn drop(&mut self) {
        self.stop();
    }
}
