//! Crash safety of the workspace file: a process making edits through the autosaver is killed
//! (SIGKILL) at a moment of no one's choosing, 20 times over the same file. After each kill
//! the file passes SQLite's integrity check, holds every edit made more than 2 s before the
//! kill, and opens as the app opens it (`Persistence::open`).
//!
//! Its own `main` (harness = false): run with `--child FILE` it is the editing process.

use incident_map::engine::model::Article;
use incident_map::io::autosave::Autosaver;
use incident_map::io::store::{Change, Store, StoredArticle, StoredCorrection};
use incident_map::ui::persist::Persistence;
use std::io::{BufRead, BufReader, Write};
use std::process::{Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime, UNIX_EPOCH};

const NAME: &str = "sigkill_during_autosave_loses_nothing_older_than_2s";
const KILLS: usize = 20;
/// The longest a child runs if nobody kills it.
const CHILD_LIFETIME: Duration = Duration::from_secs(20);

fn now_ms() -> u128 {
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_millis())
}

/// The editing process: numbered corrections as fast as an eager analyst (one every 15 ms),
/// an article now and then, each printed once sent to the autosaver.
fn child(path: &str) {
    let store = Store::open_or_create(std::path::Path::new(path)).expect("the workspace opens");
    let first = store
        .corrections()
        .expect("readable")
        .last()
        .map_or(1, |c| c.seq + 1);
    let saver = Autosaver::start(store, || {});
    let mut out = std::io::stdout().lock();
    let started = std::time::Instant::now();
    for seq in first.. {
        saver.send(Change::PutCorrection(StoredCorrection {
            seq,
            at: now_ms().to_string(),
            json: format!(r#"{{"edit":{seq}}}"#),
            undone: false,
        }));
        if seq % 20 == 0 {
            saver.send(Change::PutArticle(Box::new(StoredArticle {
                article: Article {
                    id: format!("{seq}.txt"),
                    source: format!("{seq}.txt"),
                    title: None,
                    text: format!("Article {seq}. ").repeat(800),
                    published: None,
                },
                hash: seq as u64,
                result: None,
            })));
        }
        // The parent gone (its end of the pipe closed), or far past any kill: stop, so a child
        // can never outlive its test and fill the disk.
        if writeln!(out, "{seq} {}", now_ms())
            .and_then(|_| out.flush())
            .is_err()
            || started.elapsed() > CHILD_LIFETIME
        {
            return;
        }
        std::thread::sleep(Duration::from_millis(15));
    }
}

/// Kills the child when dropped: also when an assertion fails.
struct Killer(std::process::Child);

impl Drop for Killer {
    fn drop(&mut self) {
        let _ = self.0.kill();
        let _ = self.0.wait();
    }
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if let Some(at) = args.iter().position(|a| a == "--child") {
        child(&args[at + 1]);
        return;
    }
    if args.iter().any(|a| a == "--list") {
        println!("{NAME}: test");
        return;
    }
    // `cargo test FILTER`: run only when the filter names this test, as libtest would.
    let filters: Vec<&String> = args
        .iter()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .collect();
    if !filters.is_empty() && !filters.iter().any(|f| NAME.contains(f.as_str())) {
        println!("running 0 tests (filtered out: {NAME})");
        return;
    }
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("crash.imap");
    let mut total = 0;
    for kill in 0..KILLS {
        let mut process = Killer(
            Command::new(std::env::current_exe().expect("this test binary"))
                .arg("--child")
                .arg(&path)
                .stdout(Stdio::piped())
                .spawn()
                .expect("the child starts"),
        );
        let sent: Arc<Mutex<Vec<(i64, u128)>>> = Arc::default();
        let stdout = process.0.stdout.take().expect("its output");
        let lines = sent.clone();
        let reader = std::thread::spawn(move || {
            for line in BufReader::new(stdout).lines().map_while(Result::ok) {
                let mut parts = line.split(' ').map(|p| p.parse::<u128>().unwrap_or(0));
                let (seq, at) = (parts.next().unwrap_or(0), parts.next().unwrap_or(0));
                if let Ok(mut lines) = lines.lock() {
                    lines.push((seq as i64, at));
                }
            }
        });
        // Once it edits (a loaded machine starts a process slowly), 2.2 to 3.1 s of editing,
        // varying with each kill (so the kill lands anywhere in the autosaver's one-second
        // batches, also mid-transaction).
        let started = std::time::Instant::now();
        while !sent.lock().is_ok_and(|s| !s.is_empty()) {
            assert!(
                started.elapsed() < Duration::from_secs(30),
                "kill {kill}: the child made no edit in 30 s"
            );
            std::thread::sleep(Duration::from_millis(5));
        }
        std::thread::sleep(Duration::from_millis(2200 + (kill as u64 * 337) % 900));
        process.0.kill().expect("SIGKILL");
        let killed_at = now_ms();
        let _ = process.0.wait();
        let _ = reader.join();

        let store = Store::open(&path)
            .unwrap_or_else(|e| panic!("kill {kill}: the workspace does not reopen: {e}"));
        assert_eq!(store.integrity().expect("checked"), "ok", "kill {kill}");
        let kept: std::collections::HashSet<i64> = store
            .corrections()
            .expect("readable")
            .iter()
            .map(|c| c.seq)
            .collect();
        let sent = sent.lock().expect("the lines").clone();
        let old: Vec<i64> = sent
            .iter()
            .filter(|(_, at)| *at + 2000 < killed_at)
            .map(|(seq, _)| *seq)
            .collect();
        assert!(
            !old.is_empty(),
            "kill {kill}: no edit older than 2 s to check"
        );
        let lost: Vec<i64> = old.iter().copied().filter(|s| !kept.contains(s)).collect();
        assert!(lost.is_empty(), "kill {kill}: edits lost: {lost:?}");
        drop(store);
        // And the app opens it as it opens a workspace at start.
        let (app_side, opened) = Persistence::open(&path, || {});
        assert!(
            app_side.problem().is_none(),
            "kill {kill}: the app does not reopen it: {:?}",
            app_side.problem()
        );
        assert_eq!(opened.corrections.len(), kept.len(), "kill {kill}");
        drop(app_side);
        total += old.len();
    }
    println!("test {NAME} ... ok ({KILLS} kills, {total} edits checked)");
}
