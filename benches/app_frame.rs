//! Frame time of the app with 100,000 synthetic incidents across Mali, at the zoom levels an
//! analyst uses (country to town). Two measures:
//! - with a display (`xvfb-run cargo bench --bench app_frame`): the real window (eframe, wgpu on
//!   whatever the machine has: Mesa llvmpipe without a GPU), the median time between frames
//!   while repainting continuously, i.e. UI pass, tessellation, rasterisation and present;
//! - always: the UI pass alone in egui_kittest (no rasterisation), and the time from creating
//!   the app to the seeds' incidents on screen.

use egui_kittest::Harness;
use incident_map::ui::clusters::{from_mercator, mercator};
use incident_map::ui::filter::Filters;
use incident_map::ui::map_picture;
use incident_map::ui::{App, Basemap, Command, Startup};
use std::path::PathBuf;
use std::time::{Duration, Instant};

#[path = "common/synthetic.rs"]
mod synthetic;
use synthetic::synthetic;

/// The allocator the app ships with (src/main.rs), so the frames measured are the app's.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

const INCIDENTS: usize = 100_000;

fn incidents() -> usize {
    std::env::var("BENCH_INCIDENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(INCIDENTS)
}
const FRAMES: usize = 60;
/// The zoom levels measured: `BENCH_ZOOMS` (comma-separated, e.g. `7` to profile one) or these.
fn zooms() -> Vec<f64> {
    std::env::var("BENCH_ZOOMS")
        .ok()
        .map(|v| v.split(',').filter_map(|z| z.trim().parse().ok()).collect())
        .filter(|z: &Vec<f64>| !z.is_empty())
        .unwrap_or_else(|| vec![5.0, 6.0, 7.0, 8.0, 10.0])
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
        // The rest in a fresh process without the display: an OpenGL window and wgpu's
        // offscreen device do not share one process well (EGL refuses the second).
        let status = std::env::current_exe().and_then(|exe| {
            std::process::Command::new(exe)
                .args(std::env::args_os().skip(1))
                .env_remove("DISPLAY")
                .status()
        });
        if let Err(e) = status {
            eprintln!("the kittest measures could not run: {e}");
        }
        return;
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
    for zoom in zooms() {
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
    brush_frames(&mut h);
}

/// Frames while the time brush moves (a week sliding a day a frame, as when dragging or
/// playing), at country zoom: the filters, markers (clusters too), table and histogram all
/// redone; timed from the new filters to the end of the UI pass.
fn brush_frames(h: &mut Harness<'static, App>) {
    let ctx = h.ctx.clone();
    h.state_mut().apply(
        &ctx,
        Command::ZoomTo {
            lat: 15.0,
            lon: -2.5,
            zoom: 6.0,
        },
    );
    h.run_steps(2);
    let Some((first, _)) = h.state().filtered().index.days() else {
        return;
    };
    let mut times = Vec::new();
    for k in 0..FRAMES as i32 {
        let mut filters = Filters::default();
        filters.set_days(Some((first + 30 + k, first + 36 + k)));
        let t = Instant::now();
        h.state_mut()
            .apply(&ctx, Command::SetFilters(Box::new(filters)));
        h.step();
        times.push(t.elapsed());
    }
    println!(
        "brush moving a day a frame, zoom 6: UI pass {:.1} ms (median of {FRAMES}; {} incidents shown at the end)",
        median(times).as_secs_f64() * 1e3,
        h.state().shown_count()
    );
}

/// Drives the real app in a window through the zoom levels, timing frames in three phases:
/// the view still (hovering, panels, progress: what the map picture serves); the markers
/// changing under a still view (the time brush sliding a day a frame, as when playing); the
/// view moving a few points a frame (a pan: every frame draws the whole map anew).
struct Timed {
    app: App,
    zooms: Vec<f64>,
    phase: usize,
    frame: usize,
    last: Option<Instant>,
    times: Vec<Duration>,
    /// The process's CPU time (all threads: the app's and the renderer's) when this phase's
    /// timed frames began.
    cpu_at_start: Option<Duration>,
    medians: Vec<(Duration, Option<Duration>)>,
    rows: Vec<String>,
    loaded: bool,
}

const WARM_UP: usize = 5;
const PHASES: [&str; 3] = ["view still", "markers changing", "view moving"];
/// How far the map moves each frame while panning, in points: whole pixels, as a mouse drags it.
const PAN_STEP_POINTS: f64 = 3.0;

impl Timed {
    /// Sets up this frame of the phase: the view, and the brush while the markers change.
    fn drive(&mut self, ctx: &egui::Context, zoom: f64) {
        let frame = self.frame as f64;
        let moving = PHASES[self.phase] == "view moving";
        // The app fits the map to the incidents once everything asked for at start is in, a
        // few frames after they are added here: the view is set again until it holds (the
        // first zoom's still frames were timed over the fitted view, zoom 5.8).
        let elsewhere = (self.app.map_view().2 - zoom).abs() > 1e-6;
        if self.frame == 0 || moving || elsewhere {
            // The centre moves north by whole points of the map at this zoom.
            let points = if moving { PAN_STEP_POINTS * frame } else { 0.0 };
            let [x, y] = mercator(15.0, -2.5);
            let world = 256.0 * 2f64.powf(zoom);
            let (lat, lon) = from_mercator([x, ((y * world).round() - points) / world]);
            self.app.apply(ctx, Command::ZoomTo { lat, lon, zoom });
        }
        let brushing = PHASES[self.phase] == "markers changing";
        let days = self.app.filtered().index.days().map(|(first, _)| first);
        let mut filters = Filters::default();
        if brushing && let Some(first) = days {
            let k = self.frame as i32;
            filters.set_days(Some((first + 30 + k, first + 120 + k)));
        }
        if brushing || self.frame == 0 {
            self.app.apply(ctx, Command::SetFilters(Box::new(filters)));
        }
    }
}

impl eframe::App for Timed {
    fn clear_color(&self, visuals: &egui::Visuals) -> [f32; 4] {
        eframe::App::clear_color(&self.app, visuals)
    }

    fn ui(&mut self, ui: &mut egui::Ui, frame: &mut eframe::Frame) {
        let ctx = ui.ctx().clone();
        let now = Instant::now();
        self.app.show_in_window(ui, frame);
        ctx.request_repaint();
        if !self.loaded {
            if self.app.busy() {
                return;
            }
            let (article, result) = synthetic(incidents());
            self.app.add_extracted(article, result);
            self.loaded = true;
        }
        // The workspace file takes the 100,000 incidents in the background: timed frames
        // wait for it, else the first zoom's share the two cores with the save.
        let saving = self.app.persistence().status_line();
        if saving.is_some_and(|(status, _, _)| status.starts_with("Saving")) {
            return;
        }
        let Some(&zoom) = self.zooms.first() else {
            ctx.send_viewport_cmd(egui::ViewportCommand::Close);
            return;
        };
        self.drive(&ctx, zoom);
        if self.frame == WARM_UP {
            self.cpu_at_start = cpu_time();
        }
        if self.frame > WARM_UP
            && let Some(last) = self.last
        {
            self.times.push(now - last);
        }
        self.last = Some(now);
        self.frame += 1;
        if self.times.len() == FRAMES {
            let cpu = cpu_time()
                .zip(self.cpu_at_start)
                .map(|(end, start)| end.saturating_sub(start) / FRAMES as u32);
            self.medians
                .push((median(std::mem::take(&mut self.times)), cpu));
            self.phase += 1;
            if self.phase == PHASES.len() {
                let cells: Vec<String> = self
                    .medians
                    .drain(..)
                    .map(|(wall, cpu)| {
                        let cpu = cpu.map_or(String::new(), |c| {
                            format!(" ({:.1})", c.as_secs_f64() * 1e3)
                        });
                        format!("{:.1} ms{cpu}", wall.as_secs_f64() * 1e3)
                    })
                    .collect();
                self.rows
                    .push(format!("| {zoom} | {} |", cells.join(" | ")));
                self.zooms.remove(0);
                self.phase = 0;
            }
            self.frame = 0;
            self.last = None;
        }
    }
}

impl Drop for Timed {
    fn drop(&mut self) {
        let picture = match self.app.map_picture_frames() {
            Some(f) => format!(
                "map kept as a picture: drawn {} times (the basemap {}), reused {}",
                f.redrawn, f.basemap_redrawn, f.reused
            ),
            None => format!(
                "map drawn every frame ({}=0 or not OpenGL)",
                map_picture::SWITCH
            ),
        };
        println!(
            "window 1280×800, {} incidents: time between frames, median of {FRAMES} (in brackets \
             the CPU time of all the process's threads a frame, the renderer's too: steadier on \
             a shared host); {picture}",
            incidents()
        );
        println!("| zoom | {} |", PHASES.join(" | "));
        println!("|---|---|---|---|");
        for row in &self.rows {
            println!("{row}");
        }
    }
}

/// The CPU time this process has used, all threads (Linux: /proc/self/stat, in the kernel's
/// clock ticks of 10 ms); None where that cannot be read.
fn cpu_time() -> Option<Duration> {
    let stat = std::fs::read_to_string("/proc/self/stat").ok()?;
    // The fields after the command name (which may hold spaces), from the 3rd on.
    let fields: Vec<&str> = stat.get(stat.rfind(')')? + 2..)?.split(' ').collect();
    let ticks = |i: usize| fields.get(i)?.parse::<u64>().ok();
    let (user, system) = (ticks(11)?, ticks(12)?);
    Some(Duration::from_millis((user + system) * 10))
}

fn window_frames() {
    let home = std::env::temp_dir().join(format!("incident-map-bench-{}", std::process::id()));
    // SAFETY: set before the app (and any thread of it) exists.
    unsafe { std::env::set_var("INCIDENT_MAP_HOME", &home) };
    let empty = std::env::temp_dir().join("incident-map-bench-empty");
    let _ = std::fs::create_dir_all(&empty);
    let renderer = incident_map::ui::renderer();
    println!("real window, renderer {renderer:?} (INCIDENT_MAP_RENDERER=wgpu|glow)");
    let options = eframe::NativeOptions {
        viewport: egui::ViewportBuilder::default().with_inner_size([1280.0, 800.0]),
        renderer,
        dithering: incident_map::ui::DITHERING,
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
                zooms: zooms(),
                frame: 0,
                phase: 0,
                last: None,
                times: Vec::new(),
                cpu_at_start: None,
                medians: Vec::new(),
                rows: Vec::new(),
                loaded: false,
            }))
        }),
    );
    if let Err(e) = result {
        println!("no window: {e}");
    }
}
