//! The workspace file's schema, version by version: each step brings a file from the version
//! before it to its own, and a file is migrated by running the steps it lacks in one
//! transaction. A step, once released, never changes: files in the field were made by it.

/// The schema this build writes; older files are migrated when opened.
pub const SCHEMA_VERSION: i32 = 2;

/// Version 1 (2026-11): articles, the engine's readings, corrections, the user gazetteer,
/// UI state.
pub const VERSION_1: &str = "
CREATE TABLE articles (
    id TEXT PRIMARY KEY,
    source TEXT NOT NULL,
    title TEXT,
    text TEXT NOT NULL,
    published TEXT,
    hash TEXT NOT NULL,
    added INTEGER NOT NULL
);
CREATE TABLE results (
    article_id TEXT PRIMARY KEY REFERENCES articles(id) ON DELETE CASCADE,
    engine TEXT NOT NULL,
    json TEXT NOT NULL
);
CREATE TABLE corrections (
    seq INTEGER PRIMARY KEY,
    at TEXT NOT NULL,
    json TEXT NOT NULL,
    undone INTEGER NOT NULL DEFAULT 0
);
CREATE TABLE user_places (
    id TEXT PRIMARY KEY,
    name TEXT NOT NULL,
    aliases TEXT NOT NULL,
    lat REAL NOT NULL,
    lon REAL NOT NULL,
    admin1 TEXT,
    admin2 TEXT,
    added TEXT NOT NULL
);
CREATE TABLE ui_state (
    key TEXT PRIMARY KEY,
    json TEXT NOT NULL
);
";

/// Version 2 (2026-12): each correction's kind as a column (queryable with any SQLite tool:
/// `SELECT kind, count(*) FROM corrections GROUP BY kind`), filled for those already kept; the
/// file's history of schema versions; and an index on the articles' order, which each article
/// saved looks up (without it, saving the 100,000th article read the 99,999 before it).
pub const VERSION_2: &str = "
CREATE INDEX articles_by_order ON articles(added);
ALTER TABLE corrections ADD COLUMN kind TEXT NOT NULL DEFAULT '';
UPDATE corrections SET kind = KIND_OF_JSON;
CREATE TABLE schema_history (
    version INTEGER NOT NULL,
    from_version INTEGER NOT NULL,
    at TEXT NOT NULL,
    by TEXT NOT NULL
);
";

/// The steps, in order: (version reached, SQL).
const STEPS: [(i32, &str); 2] = [(1, VERSION_1), (2, VERSION_2)];

/// The SQL of every step after version `from`.
pub fn steps_after(from: i32) -> String {
    STEPS
        .iter()
        .filter(|(version, _)| *version > from)
        .map(|(_, sql)| sql.replace("KIND_OF_JSON", &kind_of("json")))
        .collect()
}

/// The SQL expression for the kind of the correction whose JSON is `json` (a column or a
/// parameter): its edit's tag ("place_here", "merge"...), or '' when it cannot be read.
pub fn kind_of(json: &str) -> String {
    format!(
        "CASE WHEN json_valid({json}) THEN COALESCE(json_extract({json}, '$.edit.edit'), '') ELSE '' END"
    )
}
