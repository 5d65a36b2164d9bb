//! What one change of the filters costs with 100,000 incidents (`BENCH_INCIDENTS` to change):
//! the selection pass (shown set and every count), the map's markers, the table's rows and
//! the timeline's bars — each alone, and together as one brush move, one type toggle, one
//! new search; the timeline's redraw (UI pass and tessellation, no GPU); and the map's
//! bubbles at three zoom levels. Run:
//! `cargo bench --bench timeline`.

use criterion::{Criterion, criterion_group, criterion_main};
use incident_map::engine::model::Incident;
use incident_map::ui::clusters::{gather, mercator};
use incident_map::ui::filter::{Day, Filtered, Filters};
use incident_map::ui::markers::{MarkerIndex, footprint_of};
use incident_map::ui::table::{TableSettings, TableState};
use incident_map::ui::time_axis::{Bin, bar};
use incident_map::ui::timeline::{self, TimelineSettings, TimelineState, full_view};
use std::hint::black_box;

#[path = "common/synthetic.rs"]
mod synthetic;

fn incidents() -> Vec<Incident> {
    let n = std::env::var("BENCH_INCIDENTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    synthetic::synthetic(n).1.incidents
}

/// Everything a frame redoes after the filters changed, as the app does it.
struct Views {
    filtered: Filtered,
    markers: MarkerIndex,
    table: TableState,
}

impl Views {
    fn new(incidents: &[Incident]) -> Views {
        let mut views = Views {
            filtered: Filtered::default(),
            markers: MarkerIndex::default(),
            table: TableState::default(),
        };
        views.update(incidents, &Filters::default());
        views
    }

    fn update(&mut self, incidents: &[Incident], filters: &Filters) -> usize {
        self.filtered.update(1, incidents, filters);
        let generation = self.filtered.generation();
        self.markers
            .update(1, generation, incidents, &self.filtered.selection.shown);
        let rows = self
            .table
            .rows(TableSettings::default(), 1, incidents, &self.filtered)
            .len();
        rows + bars(&self.filtered)
    }
}

/// The timeline's bars over the whole span at 1,200 px, as drawn.
fn bars(filtered: &Filtered) -> usize {
    let days = &filtered.selection.days;
    let (from, to) = full_view(days);
    let bin = Bin::for_scale(1200.0 / (to - from), 5.0);
    bin.covering(from as Day, to as Day)
        .map(|b| bar(days, b))
        .filter(|(e, _)| e[0] > 0)
        .count()
}

fn bench(c: &mut Criterion) {
    let incidents = incidents();
    let n = incidents.len();
    let mut views = Views::new(&incidents);
    let (first, last) = views.filtered.index.days().unwrap_or((0, 1));
    let mut group = c.benchmark_group(format!("filters/{n}"));

    // A week-long brush sliding a day at a time, as when dragging or playing.
    let mut at = first;
    group.bench_function("brush move: selection + markers + table + bars", |b| {
        b.iter(|| {
            at = if at + 7 > last { first } else { at + 1 };
            let mut filters = Filters::default();
            filters.set_days(Some((at, at + 6)));
            black_box(views.update(&incidents, &filters))
        })
    });
    group.bench_function("brush move: selection alone", |b| {
        let mut index = incident_map::ui::selection::FilterIndex::default();
        index.update(1, &incidents);
        b.iter(|| {
            at = if at + 7 > last { first } else { at + 1 };
            let mut filters = Filters::default();
            filters.set_days(Some((at, at + 6)));
            black_box(index.select(&incidents, &filters).count)
        })
    });
    let mut hide = false;
    group.bench_function("type toggle with an actor chosen", |b| {
        b.iter(|| {
            hide = !hide;
            let mut filters = Filters::default();
            filters.actors.insert(synthetic::ACTORS[0].into());
            if hide {
                filters.hidden_types.insert("Battles".into());
            }
            black_box(views.update(&incidents, &filters))
        })
    });
    let queries = ["drone", "ambush", "convoy wagner", "market", "fuel"];
    let mut q = 0;
    group.bench_function("new search words", |b| {
        b.iter(|| {
            q = (q + 1) % queries.len();
            let filters = Filters {
                search: queries[q].into(),
                ..Filters::default()
            };
            black_box(views.update(&incidents, &filters))
        })
    });
    // The timeline itself, drawn each frame: its UI pass and tessellation at 1,280 × 150
    // points with a brush, no GPU (what a frame adds to the renderer's work).
    let ctx = egui::Context::default();
    let mut settings = TimelineSettings::default();
    let mut state = TimelineState::default();
    let mut filters = Filters::default();
    filters.set_days(Some((first + 100, first + 130)));
    views.update(&incidents, &filters);
    let input = || egui::RawInput {
        screen_rect: Some(egui::Rect::from_min_size(
            egui::Pos2::ZERO,
            egui::vec2(1280.0, 150.0),
        )),
        ..Default::default()
    };
    group.bench_function("timeline redraw: UI pass + tessellation", |b| {
        b.iter(|| {
            let output = ctx.run_ui(input(), |ui| {
                black_box(timeline::show(
                    ui,
                    &mut settings,
                    &mut state,
                    &filters,
                    &views.filtered.selection,
                ));
            });
            black_box(ctx.tessellate(output.shapes, output.pixels_per_point).len())
        })
    });
    group.sample_size(10);
    group.bench_function("index build (once per workspace change)", |b| {
        let mut version = 1;
        b.iter(|| {
            version += 1;
            let mut index = incident_map::ui::selection::FilterIndex::default();
            index.update(version, &incidents);
            black_box(index.actors().len())
        })
    });
    group.bench_function("search index build (on the first search)", |b| {
        b.iter(|| black_box(incident_map::ui::search::SearchIndex::new(&incidents).len()))
    });
    group.finish();

    // The map's bubbles for every located incident, built on the first frame at a zoom step
    // and again after each change of the filters.
    let points: Vec<(usize, [f64; 2])> = incidents
        .iter()
        .enumerate()
        .filter_map(|(i, inc)| {
            Some((
                i,
                mercator(inc.location.as_ref()?.lat, inc.location.as_ref()?.lon),
            ))
        })
        .collect();
    let footprints: Vec<f32> = incidents
        .iter()
        .map(|i| footprint_of(i.fatalities))
        .collect();
    let mut group = c.benchmark_group(format!("clusters/{}", points.len()));
    group.sample_size(10);
    for zoom in [6, 8, 10] {
        let world_px = 256.0 * 2f64.powi(zoom);
        group.bench_function(format!("zoom {zoom}"), |b| {
            b.iter(|| black_box(gather(&points, world_px, |i| footprints[i]).len()))
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
