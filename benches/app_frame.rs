//! Frame time of the app with 100,000 synthetic incidents across Mali, at the zoom levels an
//! analyst uses (country to town). Two measures:
//! - with a display (`xvfb-run cargo bench --bench app_frame`): the real window (eframe, wgpu on
//!   whatever the machine has: Mesa llvmpipe without a GPU), the median time between frames
//!   while repainting continuously, i.e. UI pass, tessellation, rasterisation and present;
//! - always: the UI pass alone in egui_kittest (no rasterisation), and the time from creating
//!   the app to the seeds' incidents on screen.

use egui_kittest::Harness;
use incident_map::engine::gazetteer::PlaceKind;
use incident_map::engine::model::{
    Article, ArticleResult, Evidence, Incident, IncidentLocation, LocationStatus, PlaceRef, Span,
};
use incident_map::ui::{App, Basemap, Command, Startup};
use std::path::PathBuf;
use std::time::{Duration, Instant};

const INCIDENTS: usize = 100_000;

fn incidents() -> usize {
    std::env::var("BENCH_INCIDENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(INCIDENTS)
}
const FRAMES: usize = 30;
const TYPES: [&str; 6] = [
    "Battles",
    "Explosions/Remote violence",
    "Violence against civilians",
    "Strategic developments",
    "Protests",
    "Riots",
];

/// A small deterministic generator (xorshift), so every run draws the same map.
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> f64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        (self.0 >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn synthetic(n: usize) -> (Article, ArticleResult) {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15);
    let article = Article {
        id: "synthetic".into(),
        source: "synthetic".into(),
        text: "Synthetic incidents for the frame-time benchmark.".into(),
        ..Default::default()
    };
    // Most incidents where Mali's conflict is: the centre and the north-east, around towns.
    let hubs = [
        (14.5, -4.2),
        (16.27, -0.04),
        (15.2, 0.25),
        (18.44, 1.41),
        (13.44, -6.26),
        (12.6, -8.0),
    ];
    let incidents = (0..n)
        .map(|k| {
            let (lat, lon) = if rng.next() < 0.7 {
                let hub = hubs[(rng.next() * hubs.len() as f64) as usize % hubs.len()];
                (
                    hub.0 + (rng.next() - 0.5) * 1.5,
                    hub.1 + (rng.next() - 0.5) * 1.5,
                )
            } else {
                (10.5 + rng.next() * 14.0, -11.5 + rng.next() * 15.0)
            };
            let precision = 1 + (rng.next() * 3.0) as u8 % 3;
            let place = PlaceRef {
                id: format!("synthetic:{k}"),
                name: format!("Place {k}"),
                lat,
                lon,
                kind: PlaceKind::Town,
                feature_code: "PPL".into(),
                country: "ML".into(),
                admin1: None,
                admin2: None,
                source: "synthetic".into(),
            };
            Incident {
                id: format!("synthetic#{k}"),
                sources: vec!["synthetic".into()],
                event_type: Some(TYPES[k % TYPES.len()].into()),
                sub_event_type: None,
                event_date: Some(format!("2025-{:02}-{:02}", 1 + k % 12, 1 + k % 28)),
                time_precision: Some(1),
                year_inferred: false,
                date_evidence: None,
                date_source: None,
                actor1: None,
                actor2: None,
                assoc_actor_1: None,
                assoc_actor_2: None,
                actors_from_article: false,
                fatalities: Some((rng.next() * 30.0) as u32),
                fatalities_text: None,
                status: if precision == 1 {
                    LocationStatus::Located
                } else {
                    LocationStatus::Approximate
                },
                location: Some(IncidentLocation {
                    place,
                    lat,
                    lon,
                    geo_precision: precision,
                    uncertainty_km: if precision == 1 { 0.0 } else { 25.0 },
                }),
                place_mention: None,
                place_span: None,
                candidates: Vec::new(),
                evidence: vec![Evidence {
                    article_id: "synthetic".into(),
                    span: Span { start: 0, end: 9 },
                    sentence: "Synthetic".into(),
                }],
                merged_from: Vec::new(),
            }
        })
        .collect();
    let result = ArticleResult {
        article_id: "synthetic".into(),
        source: "synthetic".into(),
        incidents,
        mentions: Vec::new(),
        diagnostics: Vec::new(),
    };
    (article, result)
}

fn harness(inputs: Vec<PathBuf>) -> Harness<'static, App> {
    let home = std::env::temp_dir().join(format!("incident-map-bench-{}", std::process::id()));
    // SAFETY: set before the app (and any thread of it) exists; nothing else runs yet.
    unsafe { std::env::set_var("INCIDENT_MAP_HOME", &home) };
    let startup = Startup {
        inputs,
        basemap: Some(Basemap::Offline),
        ..Default::default()
    };
    Harness::builder()
        .with_size([1280.0, 800.0])
        .wgpu()
        .build_ui_state(|ui, app: &mut App| app.show(ui), App::headless(startup))
}

fn wait_idle(h: &mut Harness<'static, App>) {
    let deadline = Instant::now() + Duration::from_secs(120);
    while h.state().busy() && Instant::now() < deadline {
        h.step();
        std::thread::sleep(Duration::from_millis(2));
    }
    h.run_steps(3);
}

/// One kittest frame: the UI pass, and with `render` the rasterisation and read-back too.
fn frame(h: &mut Harness<'static, App>, render: bool) -> Duration {
    let t = Instant::now();
    h.step();
    if render {
        let _ = h.render();
    }
    t.elapsed()
}

fn median(mut v: Vec<Duration>) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn main() {
    if std::env::var_os("DISPLAY").is_some() {
        window_frames();
    }
    let shared = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if shared.is_dir() {
        let start = Instant::now();
        let mut h = harness(vec![shared]);
        h.step();
        let first = start.elapsed();
        wait_idle(&mut h);
        let loaded = start.elapsed();
        println!(
            "start with the seeds: first frame {:.0} ms, incidents on screen {:.0} ms ({} incidents)",
            first.as_secs_f64() * 1e3,
            loaded.as_secs_f64() * 1e3,
            h.state().workspace().incidents().len()
        );
    } else {
        println!("SKIPPED start-up with the seeds: ../shared is not beside this clone");
    }

    let empty = std::env::temp_dir().join("incident-map-bench-empty");
    let _ = std::fs::create_dir_all(&empty);
    let mut h = harness(vec![empty]);
    wait_idle(&mut h);
    let empty_frames = (0..5).map(|_| frame(&mut h, true)).collect();
    println!(
        "no incidents, UI pass + render: {:.1} ms (the harness's render includes reading the image back)",
        median(empty_frames).as_secs_f64() * 1e3
    );
    let count = incidents();
    let (article, result) = synthetic(count);
    let t = Instant::now();
    h.state_mut().add_extracted(article, result);
    println!(
        "add {count} incidents to the workspace: {:.0} ms",
        t.elapsed().as_secs_f64() * 1e3
    );
    let ctx = h.ctx.clone();
    println!("| zoom | UI pass (median) | UI pass + render (median) |");
    println!("|---|---|---|");
    for zoom in [5.0, 6.0, 7.0, 8.0, 10.0] {
        h.state_mut().apply(
            &ctx,
            Command::ZoomTo {
                lat: 15.0,
                lon: -2.5,
                zoom,
            },
        );
        // The first frame at a zoom builds its clusters; the analyst pays it once.
        let t = Instant::now();
        h.step();
        let build = t.elapsed();
        let ui = (0..FRAMES).map(|_| frame(&mut h, false)).collect();
        let full = (0..FRAMES).map(|_| frame(&mut h, true)).collect();
        println!(
            "| {zoom} | {:.1} ms | {:.1} ms | (first frame at this zoom: {:.0} ms)",
            median(ui).as_secs_f64() * 1e3,
            median(full).as_secs_f64() * 1e3,
            build.as_secs_f64() * 1e3
        );
    }
}

/// Drives the real app in a window through the zoom levels, timing frames.
struct Timed {
    app: App,
    zooms: Vec<f64>,
    frame: usize,
    last: Option<Instant>,
    times: Vec<Duration>,
    rows: Vec<String>,
    loaded: bool,
}

const WARM_UP: usize = 5;

impl eframe::App for Timed {
    fn ui(&mut self, ui: &mut egui::Ui, _: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let now = Instant::now();
        self.app.show(ui);
        ctx.request_repaint();
        if !self.loaded {
            if self.app.busy() {
                return;
            }
            let (article, result) = synthetic(incidents());
            self.app.add_extracted(article, result);
            self.loaded = true;
        }
        let Some(&zoom) = self.zooms.first() else {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        };
        if self.frame == 0 {
            self.app.apply(
                &ctx,
                Command::ZoomTo {
                    lat: 15.0,
                    lon: -2.5,
                    zoom,
                },
            );
        }
        if self.frame > WARM_UP
            && let Some(last) = self.last
        {
            self.times.push(now - last);
        }
        self.last = Some(now);
        self.frame += 1;
        if self.times.len() == FRAMES {
            self.rows.push(format!(
                "| {zoom} | {:.1} ms |",
                median(std::mem::take(&mut self.times)).as_secs_f64() * 1e3
            ));
            self.zooms.remove(0);
            self.frame = 0;
            self.last = None;
        }
    }
}

impl Drop for Timed {
    fn drop(&mut self) {
        println!(
            "window 1280×800, {} incidents: time between frames, median of {FRAMES}",
            incidents()
        );
        println!("| zoom | frame |");
        println!("|---|---|");
        for row in &self.rows {
            println!("{row}");
        }
    }
}

fn window_frames() {
    let home = std::env::temp_dir().join(format!("incident-map-bench-{}", std::process::id()));
    // SAFETY: set before the app (and any thread of it) exists.
    unsafe { std::env::set_var("INCIDENT_MAP_HOME", &home) };
    let empty = std::env::temp_dir().join("incident-map-bench-empty");
    let _ = std::fs::create_dir_all(&empty);
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 800.0]),
        wgpu_options: eframe::egui_wgpu::WgpuConfiguration {
            surface: eframe::egui_wgpu::SurfaceConfig {
                present_mode: eframe::wgpu::PresentMode::AutoNoVsync,
                ..eframe::egui_wgpu::SurfaceConfig::LOW_LATENCY
            },
            ..Default::default()
        },
        ..Default::default()
    };
    let result = eframe::run_native(
        "incident-map frame benchmark",
        options,
        Box::new(move |cc| {
            let startup = Startup {
                inputs: vec![empty],
                basemap: Some(Basemap::Offline),
                ..Default::default()
            };
            Ok(Box::new(Timed {
                app: App::new(cc, startup),
                zooms: vec![5.0, 6.0, 7.0, 8.0, 10.0],
                frame: 0,
                last: None,
                times: Vec::new(),
                rows: Vec::new(),
                loaded: false,
            }))
        }),
    );
    if let Err(e) = result {
        println!("no window: {e}");
    }
}
