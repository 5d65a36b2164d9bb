//! Ingest at archive scale, end to end through the real binary:
//! - `incident-map extract` on a folder of 10,000 article files (read, decode, extract on every
//!   core, merge the same events across articles, write JSON lines), with its peak memory;
//! - with a display (`xvfb-run cargo bench --bench ingest`): the real app opening a .jsonl of
//!   100,000 short reports, until it has read them all and saved its own screenshot, with its
//!   peak memory.
//!
//! The articles are made at run time (common/articles.rs): the same corpus on every run,
//! nothing read from ../shared.
//! `BENCH_ARTICLES` and `BENCH_REPORTS` change the sizes.

#[path = "common/articles.rs"]
mod articles;

use articles::{Dice, article, report_lines, towns};
use std::path::Path;
use std::process::Command;
use std::time::{Duration, Instant};

const BIN: &str = env!("CARGO_BIN_EXE_incident-map");

/// Runs `command`, through /usr/bin/time when there is one; its wall time and peak RSS (MB).
fn measured(mut command: Command) -> (Duration, Option<f64>, std::process::Output) {
    let time = Path::new("/usr/bin/time");
    let report = std::env::temp_dir().join(format!("ingest-bench-time-{}", std::process::id()));
    let mut run = if time.exists() {
        let mut run = Command::new(time);
        run.arg("-f").arg("%M").arg("-o").arg(&report);
        run.arg(command.get_program());
        run.args(command.get_args());
        for (key, value) in command.get_envs() {
            match value {
                Some(v) => run.env(key, v),
                None => run.env_remove(key),
            };
        }
        run
    } else {
        std::mem::replace(&mut command, Command::new("true"))
    };
    let start = Instant::now();
    let output = run.output().expect("the binary runs");
    let elapsed = start.elapsed();
    let rss = std::fs::read_to_string(&report)
        .ok()
        .and_then(|s| s.lines().last()?.trim().parse::<f64>().ok())
        .map(|kb| kb / 1024.0);
    let _ = std::fs::remove_file(&report);
    (elapsed, rss, output)
}

fn count(var: &str, default: usize) -> usize {
    std::env::var(var)
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(default)
}

fn main() {
    let towns = towns();
    let towns: Vec<&str> = towns.iter().map(String::as_str).collect();
    let dir = tempfile::tempdir().expect("a temporary folder");

    let n = count("BENCH_ARTICLES", 10_000);
    let articles = dir.path().join("articles");
    std::fs::create_dir_all(&articles).expect("created");
    let mut dice = Dice(0x1d_2025);
    let mut bytes = 0;
    for i in 0..n {
        let text = article(&towns, &mut dice);
        bytes += text.len();
        std::fs::write(articles.join(format!("article-{i:05}.txt")), text).expect("written");
    }
    println!(
        "{n} articles, {:.1} MB, written to a temporary folder",
        bytes as f64 / 1e6
    );
    let mut runs = Vec::new();
    for _ in 0..3 {
        let mut command = Command::new(BIN);
        command
            .arg("extract")
            .arg(&articles)
            .args(["--format", "jsonl", "-o"])
            .arg(dir.path().join("out.jsonl"));
        let (elapsed, rss, output) = measured(command);
        assert!(
            output.status.success(),
            "{}",
            String::from_utf8_lossy(&output.stderr)
        );
        runs.push((elapsed, rss));
    }
    let incidents = std::fs::read_to_string(dir.path().join("out.jsonl"))
        .map(|s| s.lines().count())
        .unwrap_or(0);
    runs.sort_by_key(|r| r.0);
    let (median, rss) = runs[1];
    println!(
        "incident-map extract, {n} files, all cores: {:.2} s median of 3 ({:.2}–{:.2} s), {:.1} MB/s, {incidents} incidents, peak RSS {}",
        median.as_secs_f64(),
        runs[0].0.as_secs_f64(),
        runs[2].0.as_secs_f64(),
        bytes as f64 / 1e6 / median.as_secs_f64(),
        rss.map_or("not measured (no /usr/bin/time)".into(), |mb| format!(
            "{mb:.0} MB"
        )),
    );

    if std::env::var_os("DISPLAY").is_none() {
        println!("SKIPPED the app with 100,000 reports: no display (run under xvfb-run)");
        return;
    }
    let reports = count("BENCH_REPORTS", 100_000);
    let jsonl = dir.path().join("reports.jsonl");
    let lines = report_lines(reports, &towns, &mut dice);
    std::fs::write(&jsonl, &lines).expect("written");
    let shot = dir.path().join("shot.png");
    let mut command = Command::new(BIN);
    command
        .args(["--basemap", "offline"])
        .arg(&jsonl)
        .env("INCIDENT_MAP_SCREENSHOT", &shot)
        .env("INCIDENT_MAP_HOME", dir.path().join("home"));
    let (elapsed, rss, output) = measured(command);
    println!(
        "the app opening {reports} reports ({:.1} MB of .jsonl) until all are read and its screenshot saved: {:.1} s, peak RSS {} ({})",
        lines.len() as f64 / 1e6,
        elapsed.as_secs_f64(),
        rss.map_or("not measured".into(), |mb| format!("{mb:.0} MB")),
        if output.status.success() && shot.exists() {
            "screenshot saved"
        } else {
            "FAILED: no screenshot"
        }
    );
}
