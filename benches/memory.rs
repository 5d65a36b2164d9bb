//! Where the app's memory goes with 100,000 reports: live heap bytes (a counting allocator)
//! after each step the app takes for them, and what one engine reading is made of.
//! `cargo bench --bench memory`; `BENCH_REPORTS` changes the count.
//!
//! The reports are those of the ingest benchmark (common/articles.rs), read with the bundled
//! gazetteer. This measures the heap only: peak RSS (the ingest benchmark) adds the allocator's
//! own overhead, the code, the GPU driver and the transient copies of steps in flight.

#[path = "common/articles.rs"]
mod articles;

use articles::{Dice, report_lines, towns};
use incident_map::engine::Engine;
use incident_map::engine::gazetteer::Gazetteer;
use incident_map::io::ingest::read_bytes;
use incident_map::io::store::StoredArticle;
use incident_map::ui::workspace::Workspace;
use rayon::prelude::*;
use std::alloc::{GlobalAlloc, Layout, System};
use std::path::Path;
use std::sync::Arc;
use std::sync::atomic::{AtomicIsize, Ordering};

/// The system allocator, counting the bytes live.
struct Counting;

static LIVE: AtomicIsize = AtomicIsize::new(0);

// SAFETY: every call is passed through to the system allocator unchanged; only counted.
unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        LIVE.fetch_add(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's layout, passed on.
        unsafe { System.alloc(layout) }
    }
    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        LIVE.fetch_sub(layout.size() as isize, Ordering::Relaxed);
        // SAFETY: the caller's pointer and layout, passed on.
        unsafe { System.dealloc(ptr, layout) }
    }
    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        LIVE.fetch_add(
            new_size as isize - layout.size() as isize,
            Ordering::Relaxed,
        );
        // SAFETY: the caller's pointer, layout and size, passed on.
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

fn live() -> isize {
    LIVE.load(Ordering::Relaxed)
}

/// Prints what `make` keeps alive: in all, and per report.
fn step<T>(what: &str, reports: usize, make: impl FnOnce() -> T) -> T {
    let before = live();
    let kept = make();
    let bytes = live() - before;
    println!(
        "{what:<58} {:>8.1} MB {:>7.0} B/report",
        bytes as f64 / 1e6,
        bytes as f64 / reports as f64
    );
    kept
}

fn main() {
    let n: usize = std::env::var("BENCH_REPORTS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(100_000);
    let towns = towns();
    let towns: Vec<&str> = towns.iter().map(String::as_str).collect();
    let lines = report_lines(n, &towns, &mut Dice(0x1d_2025));
    println!(
        "{n} reports, {:.1} MB of .jsonl; live heap kept by each step:",
        lines.len() as f64 / 1e6
    );
    let engine = step("the engine (bundled gazetteer, matchers)", n, || {
        Engine::new(Gazetteer::bundled())
    });
    let articles = step("the articles read", n, || {
        read_bytes(Path::new("reports.jsonl"), lines.as_bytes()).articles
    });
    drop(lines);
    let results = step("the engine's readings", n, || {
        articles
            .par_iter()
            .map(|a| engine.extract(a))
            .collect::<Vec<_>>()
    });
    step("  of which mentions (a copy)", n, || {
        results
            .iter()
            .map(|r| r.mentions.clone())
            .collect::<Vec<_>>()
    });
    step("  of which incidents (a copy)", n, || {
        results
            .iter()
            .map(|r| r.incidents.clone())
            .collect::<Vec<_>>()
    });
    step("    of which the incidents' candidates (a copy)", n, || {
        results
            .iter()
            .flat_map(|r| r.incidents.iter().map(|i| i.candidates.clone()))
            .collect::<Vec<_>>()
    });
    step("    of which the incidents' evidence (a copy)", n, || {
        results
            .iter()
            .flat_map(|r| r.incidents.iter().map(|i| i.evidence.clone()))
            .collect::<Vec<_>>()
    });
    step("  of which diagnostics (a copy)", n, || {
        results
            .iter()
            .map(|r| r.diagnostics.clone())
            .collect::<Vec<_>>()
    });
    let workspace = step(
        "the workspace (articles, readings, merged, incidents)",
        n,
        || {
            let mut workspace = Workspace::default();
            for (article, result) in articles.into_iter().zip(results) {
                workspace.add(article, result);
            }
            workspace.refresh();
            workspace
        },
    );
    let queued = step(
        "the autosaver's queue, every reading in it at once",
        n,
        || {
            workspace
                .articles()
                .iter()
                .map(|loaded| StoredArticle {
                    article: loaded.article.clone(),
                    hash: loaded.hash,
                    result: Some((
                        Arc::clone(&loaded.result),
                        "incident-map 0.1.0 · bundled".into(),
                    )),
                })
                .collect::<Vec<_>>()
        },
    );
    drop(queued);
    println!(
        "{} incidents; live heap in all: {:.1} MB",
        workspace.incidents().len(),
        live() as f64 / 1e6
    );
}
