//! The workspace file: what is written comes back, a save is all or nothing, and a file that
//! is not ours, is damaged or is from a newer version is refused with a clear error and left
//! byte for byte as it was.

use incident_map::engine::model::{Article, ArticleResult};
use incident_map::io::autosave::Autosaver;
use incident_map::io::store::{
    Change, Store, StoreError, StoredArticle, StoredCorrection, UserPlace,
};
use std::path::Path;

fn article(id: &str, text: &str) -> StoredArticle {
    StoredArticle {
        article: Article {
            id: id.into(),
            source: format!("/articles/{id}"),
            title: Some("Titre".into()),
            text: text.into(),
            published: Some("2025-06-07".into()),
        },
        hash: 0xDEAD_BEEF_0000_0001,
        result: Some((
            std::sync::Arc::new(ArticleResult {
                article_id: id.into(),
                source: format!("/articles/{id}"),
                incidents: Vec::new(),
                mentions: Vec::new(),
                diagnostics: Vec::new(),
            }),
            "engine 1".into(),
        )),
    }
}

fn boulkessi() -> UserPlace {
    UserPlace {
        id: "user:1".into(),
        name: "Boulkessi".into(),
        aliases: vec!["Boulkessy".into()],
        lat: 15.05,
        lon: -1.32,
        admin1: Some("Mopti".into()),
        admin2: Some("Douentza".into()),
        added_at: "2026-11-22T10:00:00Z".into(),
    }
}

#[test]
fn what_is_written_comes_back_after_reopening() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("w.imap");
    let mut store = Store::create(&path).expect("created");
    let correction = StoredCorrection {
        seq: 1,
        at: "2026-11-22T10:01:00Z".into(),
        json: r#"{"not_an_incident":"a#1"}"#.into(),
        undone: false,
    };
    store
        .write(&[
            Change::PutArticle(Box::new(article("a.txt", "Texte de l'article."))),
            Change::PutCorrection(correction.clone()),
            Change::PutUserPlace(boulkessi()),
            Change::PutUiState {
                key: "filters".into(),
                json: "{}".into(),
            },
        ])
        .expect("written");
    drop(store);

    let store = Store::open(&path).expect("reopened");
    assert_eq!(
        store.articles().expect("articles"),
        vec![article("a.txt", "Texte de l'article.")]
    );
    assert_eq!(store.corrections().expect("corrections"), vec![correction]);
    assert_eq!(store.user_places().expect("places"), vec![boulkessi()]);
    assert_eq!(
        store.ui_state("filters").expect("state").as_deref(),
        Some("{}")
    );
    assert_eq!(store.next_user_place_id().expect("id"), "user:2");
    assert_eq!(store.integrity().expect("checked"), "ok");

    // Save As: a whole copy that opens on its own.
    let copy = store
        .save_as(&dir.path().join("copy.imap"))
        .expect("copied");
    assert_eq!(copy.user_places().expect("places"), vec![boulkessi()]);
    assert!(matches!(
        store.save_as(&dir.path().join("copy.imap")),
        Err(StoreError::Exists { .. })
    ));
    assert!(matches!(
        Store::create(&path),
        Err(StoreError::Exists { .. })
    ));
}

#[test]
fn the_autosaver_writes_within_seconds_and_on_close() {
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("w.imap");
    let saver = Autosaver::start(Store::create(&path).expect("created"), || {});
    saver.send(Change::PutUserPlace(boulkessi()));
    let sent = std::time::Instant::now();
    // Another connection sees it once the batch is written (within the second).
    loop {
        let seen = Store::open(&path)
            .and_then(|s| s.user_places())
            .expect("readable");
        if !seen.is_empty() {
            break;
        }
        assert!(sent.elapsed().as_secs_f64() < 2.0, "not written within 2 s");
        std::thread::sleep(std::time::Duration::from_millis(20));
    }
    saver.send(Change::RemoveUserPlace("user:1".into()));
    let store = saver.close().expect("the file back");
    assert!(
        store.user_places().expect("places").is_empty(),
        "closing writes what is pending"
    );
    assert_eq!(saver_status_after_flush(&path), Ok(()));
}

fn saver_status_after_flush(path: &Path) -> Result<(), String> {
    let saver = Autosaver::start(Store::open(path).map_err(|e| e.to_string())?, || {});
    saver.send(Change::PutUiState {
        key: "k".into(),
        json: "1".into(),
    });
    saver.flush()?;
    assert_eq!(saver.status().pending, 0);
    Ok(())
}

/// Opening `path` fails with `expected` and leaves its bytes as they were.
fn refused(path: &Path, expected: fn(&StoreError) -> bool, words: &str) {
    let before = std::fs::read(path).expect("the file");
    let error = match Store::open(path) {
        Ok(_) => panic!("{} was opened", path.display()),
        Err(e) => e,
    };
    assert!(expected(&error), "unexpected error: {error}");
    let message = error.to_string();
    assert!(
        message.contains(&path.display().to_string()) && message.contains(words),
        "{message}"
    );
    assert_eq!(
        std::fs::read(path).expect("the file"),
        before,
        "the file changed"
    );
    let beside: Vec<_> = std::fs::read_dir(path.parent().expect("a folder"))
        .expect("listed")
        .filter_map(Result::ok)
        .map(|e| e.file_name().to_string_lossy().into_owned())
        .filter(|n| n.contains("-journal") || n.contains("-wal"))
        .collect();
    assert!(beside.is_empty(), "files left beside it: {beside:?}");
}

#[test]
fn foreign_damaged_and_newer_files_are_refused_and_left_untouched() {
    let dir = tempfile::tempdir().expect("temp dir");

    let text = dir.path().join("notes.imap");
    std::fs::write(&text, "Ceci n'est pas un espace de travail.\n".repeat(20)).expect("written");
    refused(
        &text,
        |e| matches!(e, StoreError::NotSqlite(_)),
        "not an Incident Map workspace",
    );
    let empty = dir.path().join("empty.imap");
    std::fs::write(&empty, b"").expect("written");
    refused(
        &empty,
        |e| matches!(e, StoreError::NotSqlite(_)),
        "not an SQLite database",
    );

    // Another program's SQLite database.
    let other = dir.path().join("other.sqlite");
    let conn = rusqlite::Connection::open(&other).expect("created");
    conn.execute_batch("CREATE TABLE t (x); INSERT INTO t VALUES (1);")
        .expect("filled");
    drop(conn);
    refused(
        &other,
        |e| matches!(e, StoreError::Foreign(_)),
        "another program",
    );

    // One of ours, from a newer version (user_version is at byte 60 of the header).
    let newer = dir.path().join("newer.imap");
    drop(Store::create(&newer).expect("created"));
    let mut bytes = std::fs::read(&newer).expect("read");
    bytes[60..64].copy_from_slice(&99i32.to_be_bytes());
    std::fs::write(&newer, &bytes).expect("written");
    refused(
        &newer,
        |e| matches!(e, StoreError::Newer { found: 99, .. }),
        "newer Incident Map",
    );

    // One of ours, damaged past its header: pages overwritten.
    let damaged = dir.path().join("damaged.imap");
    let mut store = Store::create(&damaged).expect("created");
    let articles: Vec<Change> = (0..40)
        .map(|n| Change::PutArticle(Box::new(article(&format!("{n}.txt"), &"mot ".repeat(2000)))))
        .collect();
    store.write(&articles).expect("written");
    drop(store);
    let mut bytes = std::fs::read(&damaged).expect("read");
    let page = 4096;
    for b in &mut bytes[page..page * 6] {
        *b = 0xA5;
    }
    std::fs::write(&damaged, &bytes).expect("written");
    refused(
        &damaged,
        |e| matches!(e, StoreError::Damaged { .. }),
        "damaged",
    );
}

#[test]
fn a_version_1_file_is_migrated_in_place_and_keeps_everything() {
    use incident_map::io::store_schema::VERSION_1;
    let dir = tempfile::tempdir().expect("temp dir");
    let path = dir.path().join("old.imap");
    // A file as the first release wrote it: its schema, its header, a correction of each
    // kind it knew (and one this build cannot read), a place, a view.
    const IMAP: i32 = 0x494D_4150;
    let old = rusqlite::Connection::open(&path).expect("created");
    old.execute_batch(&format!(
        "{VERSION_1}
         PRAGMA application_id = {IMAP}; PRAGMA user_version = 1;
         INSERT INTO articles VALUES ('a.txt', '/a.txt', NULL, 'Texte.', '2025-06-07', \
             'deadbeef00000001', 1);
         INSERT INTO corrections VALUES (1, '2026-11-22T10:00:00Z', \
             '{{\"anchor\":{{\"article_hash\":\"deadbeef00000001\",\"sentence\":\"Texte.\",\
             \"nth\":0,\"label\":\"x\"}},\"edit\":{{\"edit\":\"fatalities\",\"fatalities\":7}}}}', 0);
         INSERT INTO corrections VALUES (2, '2026-11-22T10:00:01Z', 'not JSON', 1);
         INSERT INTO user_places VALUES ('user:1', 'Boulkessi', '[]', 15.05, -1.35, NULL, \
             NULL, '2026-11-22T10:00:00Z');
         INSERT INTO ui_state VALUES ('view', '{{\"selected\":null}}');"
    ))
    .expect("a version 1 file");
    drop(old);
    assert_eq!(incident_map::io::store::check(&path).expect("ours"), 1);

    let store = Store::open(&path).expect("migrated");
    assert_eq!(
        incident_map::io::store::check(&path).expect("ours"),
        incident_map::io::store::SCHEMA_VERSION
    );
    assert_eq!(store.integrity().expect("checked"), "ok");
    let corrections = store.corrections().expect("corrections");
    assert_eq!(corrections.len(), 2);
    assert!(corrections[0].json.contains("\"fatalities\":7") && !corrections[0].undone);
    assert!(corrections[1].undone, "the undone flag kept");
    assert_eq!(store.articles().expect("articles")[0].article.id, "a.txt");
    assert_eq!(store.user_places().expect("places")[0].name, "Boulkessi");
    assert!(store.ui_state("view").expect("view").is_some());
    drop(store);

    // What version 2 adds, as any SQLite tool sees it.
    let new = rusqlite::Connection::open(&path).expect("opened");
    let kinds: Vec<String> = new
        .prepare("SELECT kind FROM corrections ORDER BY seq")
        .expect("a kind column")
        .query_map([], |r| r.get(0))
        .expect("read")
        .collect::<Result<_, _>>()
        .expect("kinds");
    assert_eq!(kinds, ["fatalities", ""]);
    let history: (i32, i32) = new
        .query_row(
            "SELECT version, from_version FROM schema_history",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("one migration noted");
    assert_eq!(history, (2, 1));
    // Regression: saving each article scanned every article saved before it (MAX(added) with
    // no index): the app took 518 s to save 100,000 reports, 16 s with the index.
    let plan: String = new
        .query_row(
            "EXPLAIN QUERY PLAN SELECT MAX(added) FROM articles",
            [],
            |r| r.get(3),
        )
        .expect("a plan");
    assert!(plan.contains("articles_by_order"), "{plan}");
    drop(new);

    // Opened again: nothing more to do (no second history row); new corrections get a kind.
    let mut store = Store::open(&path).expect("opened again");
    store
        .write(&[Change::PutCorrection(StoredCorrection {
            seq: 3,
            at: "2026-12-05T10:00:00Z".into(),
            json: "{\"anchor\":{},\"edit\":{\"edit\":\"merge\"}}".into(),
            undone: false,
        })])
        .expect("written");
    drop(store);
    let new = rusqlite::Connection::open(&path).expect("opened");
    let (rows, kind): (i32, String) = new
        .query_row(
            "SELECT (SELECT count(*) FROM schema_history), kind FROM corrections WHERE seq = 3",
            [],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .expect("read");
    assert_eq!((rows, kind.as_str()), (1, "merge"));
}
