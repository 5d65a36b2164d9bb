//! Autosave: a thread that owns the open workspace file and writes the changes it is sent, a
//! batch per transaction, within a second of the batch's first change. A write that fails is
//! kept and tried again; nothing sent is dropped while the app runs.

use crate::io::store::{Change, Store};
use std::sync::mpsc::{Receiver, RecvTimeoutError, Sender, channel};
use std::sync::{Arc, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// How long changes gather before they are written together.
pub const BATCH: Duration = Duration::from_secs(1);

/// How saving goes, for the status bar.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SaveStatus {
    /// Changes sent and not yet written.
    pub pending: usize,
    /// When the last write succeeded.
    pub saved_at: Option<Instant>,
    /// The last write's error, until a write succeeds.
    pub error: Option<String>,
}

enum Message {
    Change(Change),
    /// Write everything sent so far now, and answer when done.
    Flush(Sender<Result<(), String>>),
}

/// The autosave thread of one workspace file.
pub struct Autosaver {
    tx: Option<Sender<Message>>,
    status: Arc<Mutex<SaveStatus>>,
    thread: Option<JoinHandle<Store>>,
    path: std::path::PathBuf,
}

impl Autosaver {
    /// Starts saving to `store`; `wake` is called after each write (the UI repaints).
    pub fn start(store: Store, wake: impl Fn() + Send + 'static) -> Autosaver {
        let (tx, rx) = channel();
        let status: Arc<Mutex<SaveStatus>> = Arc::default();
        let shared = status.clone();
        let path = store.path().to_path_buf();
        let thread = std::thread::Builder::new()
            .name("autosave".into())
            .spawn(move || run(store, &rx, &shared, &wake))
            .ok();
        Autosaver {
            tx: Some(tx),
            status,
            thread,
            path,
        }
    }

    pub fn path(&self) -> &std::path::Path {
        &self.path
    }

    /// Queues a change; it is written within about a second.
    pub fn send(&self, change: Change) {
        if let Ok(mut status) = self.status.lock() {
            status.pending += 1;
        }
        if let Some(tx) = &self.tx {
            let _ = tx.send(Message::Change(change));
        }
    }

    /// Writes everything sent so far, now; returns when it is on disk.
    pub fn flush(&self) -> Result<(), String> {
        let (answer, done) = channel();
        self.tx
            .as_ref()
            .ok_or("the autosave thread has stopped")?
            .send(Message::Flush(answer))
            .map_err(|_| "the autosave thread has stopped".to_string())?;
        done.recv()
            .map_err(|_| "the autosave thread has stopped".to_string())?
    }

    pub fn status(&self) -> SaveStatus {
        self.status.lock().map(|s| s.clone()).unwrap_or_default()
    }

    /// Writes what is pending and gives the file back.
    pub fn close(mut self) -> Option<Store> {
        self.tx = None;
        self.thread.take().and_then(|t| t.join().ok())
    }
}

impl Drop for Autosaver {
    fn drop(&mut self) {
        // Closing the channel ends the thread once it has written what is pending.
        self.tx = None;
        if let Some(thread) = self.thread.take() {
            let _ = thread.join();
        }
    }
}

fn run(
    mut store: Store,
    rx: &Receiver<Message>,
    status: &Mutex<SaveStatus>,
    wake: &dyn Fn(),
) -> Store {
    let mut pending: Vec<Change> = Vec::new();
    let mut first_at: Option<Instant> = None;
    let mut open = true;
    while open || !pending.is_empty() {
        let mut flush: Option<Sender<Result<(), String>>> = None;
        let message = match first_at {
            _ if !open => None,
            None => rx.recv().ok(),
            Some(at) => match rx.recv_timeout(BATCH.saturating_sub(at.elapsed())) {
                Ok(message) => Some(message),
                Err(RecvTimeoutError::Timeout) => None,
                Err(RecvTimeoutError::Disconnected) => {
                    open = false;
                    None
                }
            },
        };
        match message {
            Some(Message::Change(change)) => {
                pending.push(change);
                first_at.get_or_insert_with(Instant::now);
                if first_at.is_some_and(|at| at.elapsed() < BATCH) {
                    continue;
                }
            }
            Some(Message::Flush(answer)) => flush = Some(answer),
            None if first_at.is_none() && open => {
                // The channel closed with nothing pending.
                open = false;
                continue;
            }
            None => {}
        }
        let result = if pending.is_empty() {
            Ok(())
        } else {
            store.write(&pending).map_err(|e| e.to_string())
        };
        if let Ok(mut s) = status.lock() {
            match &result {
                Ok(()) => {
                    s.pending = s.pending.saturating_sub(pending.len());
                    s.saved_at = Some(Instant::now());
                    s.error = None;
                }
                Err(e) => s.error = Some(e.clone()),
            }
        }
        match result {
            Ok(()) => {
                pending.clear();
                first_at = None;
            }
            Err(_) if !open => {
                // Closing and the file cannot be written: the changes are lost with the app,
                // as the status bar has been saying; stop trying.
                pending.clear();
            }
            // Kept, and tried again a batch later.
            Err(_) => first_at = Some(Instant::now()),
        }
        if let Some(answer) = flush {
            let _ = answer.send(
                status
                    .lock()
                    .ok()
                    .and_then(|s| s.error.clone())
                    .map_or(Ok(()), Err),
            );
        }
        wake();
    }
    store
}
