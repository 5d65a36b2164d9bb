//! Extraction speed (MB/s, single-threaded and across all cores) on the seed articles and the
//! ACLED dev notes, with the bundled gazetteer and with GeoNames ML.txt; and the time to load
//! ML.txt.
//! Reads ../shared at run time; prints a skip note when it is not there.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use incident_map::engine::Engine;
use incident_map::engine::gazetteer::Gazetteer;
use incident_map::engine::model::Article;
use incident_map::io::{geonames, ingest};
use rayon::prelude::*;
use std::path::PathBuf;

// The allocator the `incident-map` binary (CLI and app) runs with, so the figures are the
// product's. With the system allocator, short notes run about a fifth slower (benches/README.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

fn shared() -> Option<PathBuf> {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../shared");
    if dir.is_dir() {
        Some(dir)
    } else {
        eprintln!("SKIPPED: ../shared is not beside this clone; no benchmark data");
        None
    }
}

fn acled_articles(shared: &std::path::Path) -> Vec<Article> {
    let Ok(mut reader) = csv::Reader::from_path(shared.join("eval/acled-mali-dev.csv")) else {
        return Vec::new();
    };
    let headers = reader.headers().cloned().unwrap_or_default();
    let text = headers.iter().position(|h| h == "text").unwrap_or(1);
    reader
        .records()
        .flatten()
        .enumerate()
        .map(|(i, r)| Article {
            id: i.to_string(),
            source: "acled".into(),
            text: r.get(text).unwrap_or_default().to_string(),
            ..Default::default()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    let Some(shared) = shared() else { return };
    let seeds = ingest::read_inputs(&[shared.join("seeds")]).articles;
    let acled = acled_articles(&shared);
    let ml_txt = shared.join("gazetteer/ML.txt");

    c.bench_function("load ML.txt (parse + merge + index)", |b| {
        b.iter(|| {
            let mut g = Gazetteer::bundled();
            g.merge(geonames::import(&ml_txt).unwrap_or_default(), "ML.txt");
            Engine::new(g)
        })
    });

    let bundled = Engine::new(Gazetteer::bundled());
    let mut with_ml = Gazetteer::bundled();
    with_ml.merge(geonames::import(&ml_txt).unwrap_or_default(), "ML.txt");
    let with_ml = Engine::new(with_ml);

    for (corpus, articles) in [("seeds", &seeds), ("acled-dev", &acled)] {
        let bytes: usize = articles.iter().map(|a| a.text.len()).sum();
        let mut group = c.benchmark_group(format!("extract {corpus}"));
        group.throughput(Throughput::Bytes(bytes as u64));
        group.sample_size(10);
        for (label, engine) in [("bundled", &bundled), ("ML.txt", &with_ml)] {
            group.bench_function(label, |b| {
                b.iter(|| {
                    articles
                        .iter()
                        .map(|a| engine.extract(a).incidents.len())
                        .sum::<usize>()
                })
            });
            // As the CLI and the app run it: across all cores.
            let threads = rayon::current_num_threads();
            group.bench_function(format!("{label}, {threads} threads"), |b| {
                b.iter(|| {
                    articles
                        .par_iter()
                        .map(|a| engine.extract(a).incidents.len())
                        .sum::<usize>()
                })
            });
        }
        group.finish();
    }
}

criterion_group!(benches, bench);
criterion_main!(benches);
