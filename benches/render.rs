//! The briefing picture, headless: the whole `incident-map render ../shared/seeds -o x.png
//! --size 1920x1080` command as a user runs it (start, extraction, GPU setup, drawing,
//! read-back, PNG), with the Offline basemap; then the drawing alone (`briefing::render`) at
//! 1920×1080, 3840×2160 and 7680×4320 with 100,000 synthetic incidents. Run:
//! `cargo bench --bench render` (no display needed).

use criterion::{Criterion, criterion_group, criterion_main};
use incident_map::engine::model::Incident;
use incident_map::ui::briefing::{self, Briefing, Scene, View};
use incident_map::ui::filter::Filters;
use incident_map::ui::offscreen::Canvas;
use std::path::PathBuf;
use std::process::Command;
use std::time::Duration;

#[path = "common/synthetic.rs"]
mod synthetic;

fn whole_command(c: &mut Criterion) {
    let seeds = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared/seeds");
    if !seeds.is_dir() {
        eprintln!("SKIPPED render of the seeds: ../shared/seeds is not beside this clone");
        return;
    }
    let out = std::env::temp_dir().join(format!("bench-render-{}.png", std::process::id()));
    let mut group = c.benchmark_group("render command");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(30));
    group.bench_function("seeds 1920x1080 offline", |b| {
        b.iter(|| {
            let status = Command::new(env!("CARGO_BIN_EXE_incident-map"))
                .arg("render")
                .arg(&seeds)
                .arg("-o")
                .arg(&out)
                .args(["--size", "1920x1080"])
                .env_remove("DISPLAY")
                .env_remove("WAYLAND_DISPLAY")
                .output()
                .expect("the binary runs");
            assert!(status.status.success(), "render failed");
        })
    });
    group.finish();
    let _ = std::fs::remove_file(out);
}

fn drawing_only(c: &mut Criterion) {
    let incidents: Vec<Incident> = synthetic::synthetic(100_000).1.incidents;
    let refs: Vec<&Incident> = incidents.iter().collect();
    let words = Briefing::new(&Filters::default(), &refs, refs.len(), 0);
    let mut group = c.benchmark_group("briefing::render, 100k incidents");
    group
        .sample_size(10)
        .measurement_time(Duration::from_secs(40));
    for (width, height) in [(1920, 1080), (3840, 2160), (7680, 4320)] {
        group.bench_function(format!("{width}x{height} offline"), |b| {
            b.iter(|| {
                let scene = Scene {
                    incidents: incidents.clone(),
                    towns: Vec::new(),
                    tiles: None,
                    view: View::Fit,
                };
                briefing::render(scene, &words, Canvas::sized(width, height))
                    .expect("drawn")
                    .image
                    .width()
            })
        });
    }
    group.finish();
}

criterion_group!(benches, whole_command, drawing_only);
criterion_main!(benches);
