//! The app's workspace file: opened at start (the default one in the data folder, or the one
//! named with `--workspace`), its articles and places brought back, and every article read
//! afterwards saved by the autosaver. The bundled samples are shown, never saved.

use crate::engine::model::{Article, ArticleResult};
use crate::io::autosave::{Autosaver, SaveStatus};
use crate::io::store::{Change, Store, StoredArticle, StoredCorrection, UserPlace};
use crate::ui::workspace::content_hash;
use std::collections::{HashMap, HashSet};
use std::path::Path;
use std::sync::Arc;

/// The open workspace file, or why there is none.
#[derive(Default)]
pub struct Persistence {
    saver: Option<Autosaver>,
    /// Why nothing is being saved (the file could not be opened), for the status bar.
    problem: Option<String>,
    /// The samples' text hashes: shown on an empty workspace, never written into it.
    samples: HashSet<u64>,
    /// Each saved article's hash and the engine its reading is from: read again at start by
    /// the same engine, it is not written again.
    saved: HashMap<u64, String>,
}

/// What an opened workspace holds.
#[derive(Default)]
pub struct Opened {
    pub articles: Vec<Article>,
    pub places: Vec<UserPlace>,
    pub corrections: Vec<StoredCorrection>,
    /// The view the workspace was left in (JSON), if it keeps one.
    pub view: Option<String>,
}

impl Persistence {
    /// Opens (or creates) the workspace at `path`; autosaves to it from now on. A file that
    /// cannot be used is left as it is: the app runs without saving and says so.
    pub fn open(path: &Path, wake: impl Fn() + Send + 'static) -> (Persistence, Opened) {
        let samples = crate::samples::articles()
            .iter()
            .map(|a| content_hash(&a.text))
            .collect();
        let mut saved = HashMap::new();
        let read = Store::open_or_create(path).and_then(|store| {
            let stored = store.articles()?;
            for s in &stored {
                if let Some((_, engine)) = &s.result {
                    saved.insert(s.hash, engine.clone());
                }
            }
            let articles = stored.into_iter().map(|s| s.article).collect();
            let places = store.user_places()?;
            let corrections = store.corrections()?;
            let view = store.ui_state(crate::ui::workspace_view::KEY)?;
            Ok((
                store,
                Opened {
                    articles,
                    places,
                    corrections,
                    view,
                },
            ))
        });
        match read {
            Ok((store, opened)) => (
                Persistence {
                    saver: Some(Autosaver::start(store, wake)),
                    problem: None,
                    samples,
                    saved,
                },
                opened,
            ),
            Err(e) => (
                Persistence {
                    saver: None,
                    problem: Some(e.to_string()),
                    samples,
                    saved: HashMap::new(),
                },
                Opened::default(),
            ),
        }
    }

    /// The file saved to, if any.
    pub fn path(&self) -> Option<&Path> {
        self.saver.as_ref().map(Autosaver::path)
    }

    /// Why nothing is saved, when the workspace could not be opened.
    pub fn problem(&self) -> Option<&str> {
        self.problem.as_deref()
    }

    pub fn status(&self) -> Option<SaveStatus> {
        self.saver.as_ref().map(Autosaver::status)
    }

    /// Saves an article and the engine's reading of it (`engine` says which engine and
    /// gazetteer made it). The samples are left out, and so is a reading already saved from
    /// the same engine (every start reads the workspace's articles again).
    pub fn article_read(
        &mut self,
        article: &Article,
        hash: u64,
        result: &Arc<ArticleResult>,
        engine: &str,
    ) {
        let Some(saver) = &self.saver else { return };
        if self.samples.contains(&hash) || self.saved.get(&hash).is_some_and(|e| e == engine) {
            return;
        }
        self.saved.insert(hash, engine.to_string());
        saver.send(Change::PutArticle(Box::new(StoredArticle {
            article: article.clone(),
            hash,
            result: Some((Arc::clone(result), engine.to_string())),
        })));
    }

    /// For the status bar: what saving is doing, the detail on hover, and whether it is a
    /// warning (nothing or not everything is being saved). None when there is no file (tests).
    pub fn status_line(&self) -> Option<(String, String, bool)> {
        if let Some(problem) = &self.problem {
            return Some((
                "Not saved: workspace unusable".into(),
                problem.clone(),
                true,
            ));
        }
        let saver = self.saver.as_ref()?;
        let file = saver.path().display().to_string();
        let status = saver.status();
        Some(match (&status.error, status.pending) {
            (Some(error), _) => (format!("Not saved: {error}"), file, true),
            (None, 0) => ("Saved".into(), file, false),
            (None, _) => ("Saving…".into(), file, false),
        })
    }

    /// Whether changes handed to the autosaver are still being written (and can be).
    pub fn saving(&self) -> bool {
        self.saver.as_ref().is_some_and(|saver| {
            let status = saver.status();
            status.error.is_none() && status.pending > 0
        })
    }

    /// Keeps these changes (the analyst's corrections, places).
    pub fn send(&self, changes: Vec<Change>) {
        if let Some(saver) = &self.saver {
            for change in changes {
                saver.send(change);
            }
        }
    }

    /// Writes everything to a copy at `path` and goes on saving there (File ▸ Save As). On
    /// failure the current file stays the one saved to.
    pub fn save_as(&mut self, path: &Path, wake: impl Fn() + Send + 'static) -> Result<(), String> {
        let saver = self.saver.take().ok_or("no workspace file is open")?;
        let current = saver.path().to_path_buf();
        let store = match saver.close() {
            Some(store) => store,
            None => Store::open(&current).map_err(|e| e.to_string())?,
        };
        match store.save_as(path) {
            Ok(copy) => {
                drop(store);
                self.saver = Some(Autosaver::start(copy, wake));
                Ok(())
            }
            Err(e) => {
                self.saver = Some(Autosaver::start(store, wake));
                Err(e.to_string())
            }
        }
    }

    /// Writes what is pending now (before the app closes).
    pub fn flush(&self) -> Result<(), String> {
        self.saver.as_ref().map_or(Ok(()), Autosaver::flush)
    }
}
