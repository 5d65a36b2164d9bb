//! The workspace file (`.imap`, one SQLite database): the articles with their content hash and
//! publication date, the engine's results, every analyst correction with its time, the user
//! gazetteer and the UI state worth keeping. A file that is not one of ours, is damaged or is
//! from a newer version is refused before anything is written to it.

use crate::engine::model::{Article, ArticleResult};
use rusqlite::{Connection, OpenFlags, OptionalExtension, params};
use serde::{Deserialize, Serialize};
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The extension of workspace files.
pub const EXTENSION: &str = "imap";
/// The schema this build writes; older files are migrated when opened.
pub use crate::io::store_schema::SCHEMA_VERSION;
/// SQLite's application id for our files ("IMAP"), at byte 68 of the header.
const APPLICATION_ID: i32 = 0x494D_4150;
const SQLITE_MAGIC: &[u8; 16] = b"SQLite format 3\0";

/// A 64-bit FNV-1a hash of an article's text: stable across runs and platforms. Articles
/// are known by it (a file added twice is loaded once) and corrections anchor to it.
pub fn content_hash(text: &str) -> u64 {
    text.bytes().fold(0xcbf2_9ce4_8422_2325, |h, b| {
        (h ^ u64::from(b)).wrapping_mul(0x0100_0000_01b3)
    })
}

/// The corrections in force (not undone) kept in a workspace, as the engine reads them;
/// those this build cannot read are returned as problems.
pub fn active_corrections(
    stored: Vec<StoredCorrection>,
) -> (Vec<crate::engine::corrections::Correction>, Vec<String>) {
    let mut active = Vec::new();
    let mut problems = Vec::new();
    for s in stored.into_iter().filter(|s| !s.undone) {
        match serde_json::from_str(&s.json) {
            Ok(c) => active.push(c),
            Err(e) => problems.push(format!("correction {} ({}): unreadable: {e}", s.seq, s.at)),
        }
    }
    (active, problems)
}

/// Why a workspace file cannot be used. In every case the file is left as it was.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("{0}: not an Incident Map workspace (not an SQLite database)")]
    NotSqlite(PathBuf),
    #[error("{0}: not an Incident Map workspace (a database of another program)")]
    Foreign(PathBuf),
    #[error(
        "{path}: made by a newer Incident Map (workspace version {found}; this one reads up to {SCHEMA_VERSION}): update Incident Map to open it"
    )]
    Newer { path: PathBuf, found: i32 },
    #[error("{path}: the workspace is damaged ({detail})")]
    Damaged { path: PathBuf, detail: String },
    #[error("{path}: already exists")]
    Exists { path: PathBuf },
    #[error("{path}: {source}")]
    Io {
        path: PathBuf,
        source: std::io::Error,
    },
    #[error("{path}: {source}")]
    Sqlite {
        path: PathBuf,
        source: rusqlite::Error,
    },
}

/// An article kept in the workspace, with what the engine made of it.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredArticle {
    pub article: Article,
    pub hash: u64,
    /// The engine's reading, and the version of the engine that made it. Shared with the
    /// app's workspace: queued for saving, it costs no copy.
    pub result: Option<(Arc<ArticleResult>, String)>,
}

/// A place the analyst named: found by every article that mentions it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct UserPlace {
    /// `user:` and a number, stable.
    pub id: String,
    pub name: String,
    pub aliases: Vec<String>,
    pub lat: f64,
    pub lon: f64,
    pub admin1: Option<String>,
    pub admin2: Option<String>,
    /// When it was named (RFC 3339).
    pub added_at: String,
}

/// One analyst correction as kept: its number (the order they were made in), when, what (JSON
/// the app reads), and whether it is undone.
#[derive(Debug, Clone, PartialEq)]
pub struct StoredCorrection {
    pub seq: i64,
    pub at: String,
    pub json: String,
    pub undone: bool,
}

/// A change to write. The autosaver writes a batch of them in one transaction.
#[derive(Debug, Clone, PartialEq)]
pub enum Change {
    /// An article and the engine's reading of it (replacing the reading of the same id).
    PutArticle(Box<StoredArticle>),
    RemoveArticle(String),
    /// A correction made (its `seq` is the one the app gave it) or its undone flag changed.
    PutCorrection(StoredCorrection),
    /// An undone correction dropped (a new one was made after it: it can no longer be redone).
    RemoveCorrection(i64),
    PutUserPlace(UserPlace),
    RemoveUserPlace(String),
    /// UI state under a key (JSON).
    PutUiState {
        key: String,
        json: String,
    },
}

/// An open workspace file.
pub struct Store {
    conn: Connection,
    path: PathBuf,
}

impl Store {
    /// Creates a new workspace file; refuses to overwrite anything.
    pub fn create(path: &Path) -> Result<Store, StoreError> {
        if path.exists() {
            return Err(StoreError::Exists {
                path: path.to_path_buf(),
            });
        }
        let conn = Connection::open(path).map_err(|source| sqlite(path, source))?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure()?;
        store.migrate(0)?;
        Ok(store)
    }

    /// Opens an existing workspace, migrating an older one. The file is checked before anything
    /// is written to it: a foreign, damaged or newer file is refused and left untouched.
    pub fn open(path: &Path) -> Result<Store, StoreError> {
        let version = check(path)?;
        let conn = Connection::open_with_flags(
            path,
            OpenFlags::SQLITE_OPEN_READ_WRITE | OpenFlags::SQLITE_OPEN_NO_MUTEX,
        )
        .map_err(|source| sqlite(path, source))?;
        // Another program (or this one's autosave) may be writing it: wait, don't fail.
        conn.busy_timeout(std::time::Duration::from_secs(5))
            .map_err(|source| sqlite(path, source))?;
        // Checked before anything is written (a journal left by a crash is rolled back by
        // SQLite when it first reads: that is the file's own last commit coming back).
        sound(&conn, path)?;
        let store = Store {
            conn,
            path: path.to_path_buf(),
        };
        store.configure()?;
        if version < SCHEMA_VERSION {
            store.migrate(version)?;
        }
        Ok(store)
    }

    /// Opens the workspace at `path`, creating it when there is none.
    pub fn open_or_create(path: &Path) -> Result<Store, StoreError> {
        if path.exists() {
            Store::open(path)
        } else {
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).map_err(|source| StoreError::Io {
                    path: dir.to_path_buf(),
                    source,
                })?;
            }
            Store::create(path)
        }
    }

    pub fn path(&self) -> &Path {
        &self.path
    }

    fn configure(&self) -> Result<(), StoreError> {
        // A rollback journal, synced at each commit: after a crash the file is the last
        // commit, whole, and it stays one file at rest.
        self.conn
            .execute_batch(
                "PRAGMA journal_mode = DELETE; PRAGMA synchronous = FULL; \
                 PRAGMA foreign_keys = ON; PRAGMA busy_timeout = 5000;",
            )
            .map_err(|source| sqlite(&self.path, source))
    }

    /// Brings the schema from `from` up to `SCHEMA_VERSION` in one transaction, noting it in
    /// the file's history: all of it or, on failure, nothing (the file stays as it was).
    fn migrate(&self, from: i32) -> Result<(), StoreError> {
        let sql = format!(
            "BEGIN IMMEDIATE; {} \
             INSERT INTO schema_history (version, from_version, at, by) \
                 VALUES ({SCHEMA_VERSION}, {from}, strftime('%Y-%m-%dT%H:%M:%SZ', 'now'), \
                 'incident-map {}'); \
             PRAGMA application_id = {APPLICATION_ID}; PRAGMA user_version = {SCHEMA_VERSION}; \
             COMMIT;",
            crate::io::store_schema::steps_after(from),
            env!("CARGO_PKG_VERSION"),
        );
        let done = self.conn.execute_batch(&sql);
        if done.is_err() && !self.conn.is_autocommit() {
            // Best effort: the error said what failed; the transaction must not stay open.
            let _ = self.conn.execute_batch("ROLLBACK;");
        }
        done.map_err(|source| sqlite(&self.path, source))
    }

    /// Writes `changes` in one transaction: all of them or none.
    pub fn write(&mut self, changes: &[Change]) -> Result<(), StoreError> {
        let path = self.path.clone();
        let tx = self.conn.transaction().map_err(|e| sqlite(&path, e))?;
        for change in changes {
            apply(&tx, change).map_err(|e| sqlite(&path, e))?;
        }
        tx.commit().map_err(|e| sqlite(&path, e))
    }

    pub fn articles(&self) -> Result<Vec<StoredArticle>, StoreError> {
        let read = || -> rusqlite::Result<Vec<StoredArticle>> {
            let mut statement = self.conn.prepare(
                "SELECT a.id, a.source, a.title, a.text, a.published, a.hash, r.json, r.engine
                 FROM articles a LEFT JOIN results r ON r.article_id = a.id ORDER BY a.added",
            )?;
            let rows = statement.query_map([], |row| {
                let hash: String = row.get(5)?;
                let result: Option<String> = row.get(6)?;
                let engine: Option<String> = row.get(7)?;
                Ok(StoredArticle {
                    article: Article {
                        id: row.get(0)?,
                        source: row.get(1)?,
                        title: row.get(2)?,
                        text: row.get(3)?,
                        published: row.get(4)?,
                    },
                    hash: u64::from_str_radix(&hash, 16).unwrap_or(0),
                    // A reading this build cannot parse is read again (as after an upgrade).
                    result: result
                        .and_then(|json| serde_json::from_str(&json).ok())
                        .zip(engine),
                })
            })?;
            rows.collect()
        };
        read().map_err(|e| sqlite(&self.path, e))
    }

    pub fn corrections(&self) -> Result<Vec<StoredCorrection>, StoreError> {
        let read = || -> rusqlite::Result<Vec<StoredCorrection>> {
            let mut statement = self
                .conn
                .prepare("SELECT seq, at, json, undone FROM corrections ORDER BY seq")?;
            let rows = statement.query_map([], |row| {
                Ok(StoredCorrection {
                    seq: row.get(0)?,
                    at: row.get(1)?,
                    json: row.get(2)?,
                    undone: row.get(3)?,
                })
            })?;
            rows.collect()
        };
        read().map_err(|e| sqlite(&self.path, e))
    }

    pub fn user_places(&self) -> Result<Vec<UserPlace>, StoreError> {
        let read = || -> rusqlite::Result<Vec<UserPlace>> {
            let mut statement = self.conn.prepare(
                "SELECT id, name, aliases, lat, lon, admin1, admin2, added FROM user_places
                 ORDER BY added, id",
            )?;
            let rows = statement.query_map([], |row| {
                let aliases: String = row.get(2)?;
                Ok(UserPlace {
                    id: row.get(0)?,
                    name: row.get(1)?,
                    aliases: serde_json::from_str(&aliases).unwrap_or_default(),
                    lat: row.get(3)?,
                    lon: row.get(4)?,
                    admin1: row.get(5)?,
                    admin2: row.get(6)?,
                    added_at: row.get(7)?,
                })
            })?;
            rows.collect()
        };
        read().map_err(|e| sqlite(&self.path, e))
    }

    pub fn ui_state(&self, key: &str) -> Result<Option<String>, StoreError> {
        self.conn
            .query_row("SELECT json FROM ui_state WHERE key = ?1", [key], |r| {
                r.get(0)
            })
            .optional()
            .map_err(|e| sqlite(&self.path, e))
    }

    /// The next free user place id.
    pub fn next_user_place_id(&self) -> Result<String, StoreError> {
        let used = self.user_places()?;
        let n = (1..)
            .find(|n| !used.iter().any(|p| p.id == format!("user:{n}")))
            .unwrap_or(1);
        Ok(format!("user:{n}"))
    }

    /// A copy of the workspace, whole, at `path` (File ▸ Save As).
    pub fn save_as(&self, path: &Path) -> Result<Store, StoreError> {
        if path.exists() {
            return Err(StoreError::Exists {
                path: path.to_path_buf(),
            });
        }
        self.conn
            .execute("VACUUM INTO ?1", [path.to_string_lossy()])
            .map_err(|e| sqlite(path, e))?;
        Store::open(path)
    }

    /// SQLite's own check of the file ("ok" when sound).
    pub fn integrity(&self) -> Result<String, StoreError> {
        self.conn
            .query_row("PRAGMA integrity_check", [], |r| r.get(0))
            .map_err(|e| sqlite(&self.path, e))
    }
}

fn apply(tx: &rusqlite::Transaction<'_>, change: &Change) -> rusqlite::Result<()> {
    match change {
        Change::PutArticle(stored) => {
            let a = &stored.article;
            tx.execute(
                "INSERT INTO articles (id, source, title, text, published, hash, added)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, (SELECT COALESCE(MAX(added), 0) + 1 FROM articles))
                 ON CONFLICT(id) DO UPDATE SET source = ?2, title = ?3, text = ?4,
                     published = ?5, hash = ?6",
                params![
                    a.id,
                    a.source,
                    a.title,
                    a.text,
                    a.published,
                    format!("{:016x}", stored.hash)
                ],
            )?;
            match &stored.result {
                Some((result, engine)) => {
                    let json = serde_json::to_string(result)
                        .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
                    tx.execute(
                        "INSERT OR REPLACE INTO results (article_id, engine, json) VALUES (?1, ?2, ?3)",
                        params![a.id, engine, json],
                    )?;
                }
                None => {
                    tx.execute("DELETE FROM results WHERE article_id = ?1", [&a.id])?;
                }
            }
        }
        Change::RemoveArticle(id) => {
            tx.execute("DELETE FROM articles WHERE id = ?1", [id])?;
        }
        Change::PutCorrection(c) => {
            tx.execute(
                &format!(
                    "INSERT OR REPLACE INTO corrections (seq, at, json, undone, kind) \
                     VALUES (?1, ?2, ?3, ?4, {})",
                    crate::io::store_schema::kind_of("?3")
                ),
                params![c.seq, c.at, c.json, c.undone],
            )?;
        }
        Change::RemoveCorrection(seq) => {
            tx.execute("DELETE FROM corrections WHERE seq = ?1", [seq])?;
        }
        Change::PutUserPlace(p) => {
            let aliases = serde_json::to_string(&p.aliases)
                .map_err(|e| rusqlite::Error::ToSqlConversionFailure(Box::new(e)))?;
            tx.execute(
                "INSERT OR REPLACE INTO user_places (id, name, aliases, lat, lon, admin1, admin2, added)
                 VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
                params![p.id, p.name, aliases, p.lat, p.lon, p.admin1, p.admin2, p.added_at],
            )?;
        }
        Change::RemoveUserPlace(id) => {
            tx.execute("DELETE FROM user_places WHERE id = ?1", [id])?;
        }
        Change::PutUiState { key, json } => {
            tx.execute(
                "INSERT OR REPLACE INTO ui_state (key, json) VALUES (?1, ?2)",
                params![key, json],
            )?;
        }
    }
    Ok(())
}

/// Reads the file's header (bytes, not SQLite): its schema version when it is one of ours
/// and this build can read it.
pub fn check(path: &Path) -> Result<i32, StoreError> {
    use std::io::Read;
    let mut header = [0u8; 100];
    let mut file = std::fs::File::open(path).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    let read = file.read(&mut header).map_err(|source| StoreError::Io {
        path: path.to_path_buf(),
        source,
    })?;
    if read < 100 || &header[..16] != SQLITE_MAGIC {
        return Err(StoreError::NotSqlite(path.to_path_buf()));
    }
    let number = |at: usize| {
        i32::from_be_bytes([header[at], header[at + 1], header[at + 2], header[at + 3]])
    };
    if number(68) != APPLICATION_ID {
        return Err(StoreError::Foreign(path.to_path_buf()));
    }
    let version = number(60);
    if version > SCHEMA_VERSION {
        return Err(StoreError::Newer {
            path: path.to_path_buf(),
            found: version,
        });
    }
    Ok(version)
}

/// SQLite's quick check of an open file: an error unless it says "ok".
fn sound(conn: &Connection, path: &Path) -> Result<(), StoreError> {
    let verdict: String = conn
        .query_row("PRAGMA quick_check", [], |r| r.get(0))
        .map_err(|e| sqlite(path, e))?;
    if verdict == "ok" {
        Ok(())
    } else {
        Err(StoreError::Damaged {
            path: path.to_path_buf(),
            detail: verdict,
        })
    }
}

fn sqlite(path: &Path, source: rusqlite::Error) -> StoreError {
    match source {
        rusqlite::Error::SqliteFailure(e, detail)
            if matches!(
                e.code,
                rusqlite::ErrorCode::DatabaseCorrupt | rusqlite::ErrorCode::NotADatabase
            ) =>
        {
            StoreError::Damaged {
                path: path.to_path_buf(),
                detail: detail.unwrap_or_else(|| e.to_string()),
            }
        }
        source => StoreError::Sqlite {
            path: path.to_path_buf(),
            source,
        },
    }
}
