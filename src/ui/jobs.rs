//! Background work for the app: reading and extracting articles, importing a GeoNames dump and
//! building the engine. One worker thread takes tasks in order and reports over a channel; each
//! report wakes the UI (`request_repaint`). Cancel stops the current task between articles.

use crate::engine::Engine;
use crate::engine::gazetteer::{AdminTable, Gazetteer};
use crate::engine::model::{Article, ArticleResult};
use crate::io::store::UserPlace;
use crate::io::{dirs, geonames, ingest, user_gazetteer};
use crate::ui::offline::{Town, towns_of};
use rayon::prelude::*;
use std::io::{BufReader, Read};
use std::path::{Path, PathBuf};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::mpsc::{Receiver, Sender, channel};

/// Where articles come from.
#[derive(Debug, Clone)]
pub enum Source {
    /// Files and folders on disk.
    Paths(Vec<PathBuf>),
    /// A file's content without a readable path (dropped from a sandbox).
    Bytes { name: PathBuf, bytes: Vec<u8> },
    /// Articles already in memory (the bundled samples).
    Articles(Vec<Article>),
}

#[derive(Debug)]
pub enum Task {
    /// Build the engine: the bundled gazetteer with the dumps imported earlier merged over it.
    StartEngine,
    /// Read the sources and extract every article.
    Extract(Vec<Source>),
    /// Import a GeoNames dump, keep a copy in the data dir, and rebuild the engine.
    ImportGazetteer(PathBuf),
    /// The places the analyst named (the workspace's user gazetteer), for the engines built
    /// from now on (submit StartEngine after it to use them at once).
    SetUserPlaces(Vec<UserPlace>),
}

/// What the worker tells the UI.
#[derive(Debug)]
pub enum Report {
    /// `done` of `total` steps of the current task; `what` says which.
    Progress {
        done: usize,
        total: usize,
        what: String,
    },
    Extracted {
        article: Box<Article>,
        result: Box<ArticleResult>,
    },
    /// An input that could not be read, or a step that failed.
    Problem { input: String, problem: String },
    /// A new engine is in use; everything extracted from now on uses it. `towns` are its
    /// towns worth a label on the Offline basemap.
    EngineReady {
        gazetteer: String,
        entries: usize,
        towns: Vec<Town>,
        /// Its regions and cercles, to place the analyst's points.
        admin: Box<AdminTable>,
    },
    /// The current task ended (`cancelled`: stopped by the analyst).
    Finished { cancelled: bool },
}

/// The UI's handle on the worker thread.
pub struct Worker {
    tasks: Sender<Task>,
    reports: Receiver<Report>,
    cancel: Arc<AtomicBool>,
    pending: usize,
}

impl Worker {
    /// Starts the worker. `wake` is called after every report (the UI's `request_repaint`).
    pub fn start(wake: impl Fn() + Send + 'static) -> Worker {
        let (tasks, task_rx) = channel::<Task>();
        let (report_tx, reports) = channel::<Report>();
        let cancel = Arc::new(AtomicBool::new(false));
        let thread_cancel = cancel.clone();
        let spawned = std::thread::Builder::new()
            .name("incident-map worker".into())
            .spawn(move || {
                let mut state = WorkerState {
                    engine: None,
                    user_places: Vec::new(),
                    out: Out {
                        tx: report_tx,
                        wake: Box::new(wake),
                    },
                    cancel: thread_cancel,
                };
                while let Ok(task) = task_rx.recv() {
                    state.cancel.store(false, Ordering::SeqCst);
                    let cancelled = state.run(task);
                    state.out.send(Report::Finished { cancelled });
                }
            });
        if let Err(e) = spawned {
            // Without a thread nothing can be read; the log says why instead of the app failing.
            let (tx, rx) = channel();
            let _ = tx.send(Report::Problem {
                input: "worker".into(),
                problem: format!("cannot start the background thread: {e}"),
            });
            return Worker {
                tasks: channel().0,
                reports: rx,
                cancel,
                pending: 0,
            };
        }
        Worker {
            tasks,
            reports,
            cancel,
            pending: 0,
        }
    }

    pub fn submit(&mut self, task: Task) {
        if self.tasks.send(task).is_ok() {
            self.pending += 1;
        }
    }

    /// Stops the task under way (between two articles) and drops nothing already reported.
    pub fn cancel(&self) {
        self.cancel.store(true, Ordering::SeqCst);
    }

    /// Whether a task is queued or under way.
    pub fn busy(&self) -> bool {
        self.pending > 0
    }

    /// The reports that arrived since the last call.
    pub fn drain(&mut self) -> Vec<Report> {
        let reports: Vec<Report> = self.reports.try_iter().collect();
        let finished = reports
            .iter()
            .filter(|r| matches!(r, Report::Finished { .. }))
            .count();
        self.pending = self.pending.saturating_sub(finished);
        reports
    }
}

struct Out {
    tx: Sender<Report>,
    wake: Box<dyn Fn() + Send>,
}

impl Out {
    fn send(&self, report: Report) {
        let _ = self.tx.send(report);
        (self.wake)();
    }

    fn problem(&self, input: impl Into<String>, problem: impl Into<String>) {
        self.send(Report::Problem {
            input: input.into(),
            problem: problem.into(),
        });
    }
}

struct WorkerState {
    engine: Option<Engine>,
    user_places: Vec<UserPlace>,
    out: Out,
    cancel: Arc<AtomicBool>,
}

impl WorkerState {
    /// Runs one task; returns whether it was cancelled.
    fn run(&mut self, task: Task) -> bool {
        match task {
            Task::StartEngine => {
                self.start_engine(None);
                false
            }
            Task::Extract(sources) => self.extract(sources),
            Task::ImportGazetteer(path) => {
                self.start_engine(Some(&path));
                false
            }
            Task::SetUserPlaces(places) => {
                self.user_places = places;
                false
            }
        }
    }

    fn cancelled(&self) -> bool {
        self.cancel.load(Ordering::SeqCst)
    }

    fn engine(&mut self) -> &Engine {
        if self.engine.is_none() {
            self.start_engine(None);
        }
        self.engine
            .get_or_insert_with(|| Engine::new(Gazetteer::bundled()))
    }

    /// The bundled gazetteer, the dumps kept in the data dir, and `import` (copied there).
    fn start_engine(&mut self, import: Option<&Path>) {
        let kept_dir = dirs::data_dir().map(|d| d.join("gazetteers"));
        let mut imported = None;
        if let Some(path) = import {
            let name = display_name(path);
            match read_dump(path, &self.out) {
                Ok(places) => {
                    let kept = kept_dir
                        .as_deref()
                        .ok_or_else(|| "no data folder to keep it in".to_string())
                        .and_then(|dir| keep_copy(path, dir).map_err(|e| e.to_string()));
                    if let Err(e) = kept {
                        self.out.problem(
                            &name,
                            format!("imported for this session, not kept for the next: {e}"),
                        );
                    }
                    imported = Some((name, places));
                }
                Err(e) => {
                    self.out.problem(&name, format!("{e:#}"));
                    if self.engine.is_some() {
                        return;
                    }
                }
            }
        }
        let mut gazetteer = Gazetteer::bundled();
        for dump in kept_dir.as_deref().map(kept_dumps).unwrap_or_default() {
            let name = display_name(&dump);
            if imported.as_ref().is_some_and(|(n, _)| *n == name) {
                continue;
            }
            match read_dump(&dump, &self.out) {
                Ok(places) => gazetteer.merge(places, &name),
                Err(e) => self.out.problem(&name, format!("{e:#}")),
            }
        }
        if let Some((name, places)) = imported {
            gazetteer.merge(places, &name);
        }
        let gazetteer = user_gazetteer::merged(gazetteer, &self.user_places);
        self.out.send(Report::Progress {
            done: 0,
            total: 1,
            what: "indexing the gazetteer".into(),
        });
        let description = gazetteer.description.clone();
        let entries = gazetteer.len();
        let towns = towns_of(&gazetteer);
        let admin = Box::new(gazetteer.admin().clone());
        let today = chrono::Local::now().date_naive();
        self.engine = Some(Engine::new(gazetteer).with_today(today));
        self.out.send(Report::EngineReady {
            gazetteer: description,
            entries,
            towns,
            admin,
        });
    }

    fn extract(&mut self, sources: Vec<Source>) -> bool {
        let mut batch = ingest::Batch::default();
        for source in sources {
            let read = match source {
                Source::Paths(paths) => ingest::read_inputs(&paths),
                Source::Bytes { name, bytes } => ingest::read_bytes(&name, &bytes),
                Source::Articles(articles) => ingest::Batch {
                    articles,
                    errors: Vec::new(),
                },
            };
            batch.articles.extend(read.articles);
            batch.errors.extend(read.errors);
        }
        for error in batch.errors {
            let input = match error.line {
                Some(line) => format!("{}:{line}", error.path.display()),
                None => error.path.display().to_string(),
            };
            self.out.problem(input, error.reason);
        }
        let total = batch.articles.len();
        // A few articles per core at a time, extracted in parallel and reported in order:
        // Cancel still stops within a moment.
        let step = rayon::current_num_threads().max(1) * 4;
        let mut articles = batch.articles.into_iter();
        let mut done = 0;
        while done < total {
            if self.cancelled() {
                self.out.problem(
                    "cancelled",
                    format!("{} of {total} articles were not read", total - done),
                );
                return true;
            }
            let next: Vec<Article> = articles.by_ref().take(step).collect();
            let Some(first) = next.first() else {
                break;
            };
            self.out.send(Report::Progress {
                done,
                total,
                what: format!("reading {}", first.source),
            });
            let engine = self.engine();
            let results: Vec<ArticleResult> = next.par_iter().map(|a| engine.extract(a)).collect();
            done += next.len();
            for (article, result) in next.into_iter().zip(results) {
                self.out.send(Report::Extracted {
                    article: Box::new(article),
                    result: Box::new(result),
                });
            }
        }
        false
    }
}

/// The GeoNames dumps imported earlier, in name order.
fn kept_dumps(dir: &Path) -> Vec<PathBuf> {
    let mut dumps: Vec<PathBuf> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .flatten()
                .map(|e| e.path())
                .filter(|p| {
                    p.extension().is_some_and(|e| {
                        e.eq_ignore_ascii_case("txt") || e.eq_ignore_ascii_case("zip")
                    })
                })
                .collect()
        })
        .unwrap_or_default();
    dumps.sort();
    dumps
}

fn keep_copy(path: &Path, dir: &Path) -> std::io::Result<()> {
    std::fs::create_dir_all(dir)?;
    let name = path.file_name().unwrap_or_default();
    let target = dir.join(name);
    if path.canonicalize().ok() == target.canonicalize().ok() {
        return Ok(());
    }
    // Copy beside, then rename: a crash mid-copy never leaves half a dump to load next time.
    let partial = dir.join(format!(".{}.partial", name.to_string_lossy()));
    std::fs::copy(path, &partial)?;
    std::fs::rename(&partial, &target)
}

/// Parses a dump, reporting progress in bytes read for plain `.txt` files.
fn read_dump(path: &Path, out: &Out) -> anyhow::Result<Vec<crate::engine::gazetteer::Place>> {
    let is_txt = path
        .extension()
        .is_some_and(|e| e.eq_ignore_ascii_case("txt"));
    if !is_txt {
        return geonames::import(path);
    }
    let file = std::fs::File::open(path)
        .map_err(|e| anyhow::anyhow!("{}: cannot open: {e}", path.display()))?;
    let total = file.metadata().map(|m| m.len()).unwrap_or(0);
    let name = display_name(path);
    let reader = Counting {
        inner: file,
        read: 0,
        reported: 0,
        report: |read: u64| {
            out.send(Report::Progress {
                done: (read / 1024) as usize,
                total: (total / 1024).max(1) as usize,
                what: format!("reading {name} (KB)"),
            })
        },
    };
    geonames::parse(BufReader::new(reader), &path.display().to_string())
}

/// A reader that reports how much it has read, every megabyte.
struct Counting<R, F> {
    inner: R,
    read: u64,
    reported: u64,
    report: F,
}

impl<R: Read, F: FnMut(u64)> Read for Counting<R, F> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = self.inner.read(buf)?;
        self.read += n as u64;
        if self.read - self.reported >= 1 << 20 {
            self.reported = self.read;
            (self.report)(self.read);
        }
        Ok(n)
    }
}

fn display_name(path: &Path) -> String {
    path.file_name().map_or_else(
        || path.display().to_string(),
        |n| n.to_string_lossy().into_owned(),
    )
}
