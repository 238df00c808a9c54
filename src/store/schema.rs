//! The store's schema and its migrations: versioned with `PRAGMA user_version` and migrated
//! forward on open, in one immediate transaction so that two processes opening a new store do
//! not race; a migration that changes copy keys makes them again from the stored texts.

use super::*;

/// Each entry moves the schema from version `i` to `i + 1`.
pub(super) const MIGRATIONS: &[&str] = &[
    r"
CREATE TABLE articles (
    seq INTEGER PRIMARY KEY AUTOINCREMENT,
    id TEXT NOT NULL UNIQUE,
    page_key TEXT NOT NULL,
    origin TEXT NOT NULL,
    url TEXT,
    title TEXT,
    authors TEXT NOT NULL,
    outlet TEXT,
    published TEXT,
    language TEXT,
    text TEXT NOT NULL,
    removed TEXT NOT NULL,
    notes TEXT NOT NULL,
    text_hash INTEGER NOT NULL,
    family TEXT NOT NULL,
    relation TEXT NOT NULL,
    similarity REAL NOT NULL,
    evidence TEXT NOT NULL
);
CREATE INDEX articles_page_key ON articles(page_key);
CREATE INDEX articles_text_hash ON articles(text_hash);
CREATE INDEX articles_family ON articles(family);
CREATE TABLE families (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    original TEXT NOT NULL,
    story TEXT NOT NULL
);
CREATE INDEX families_story ON families(story);
CREATE TABLE stories (
    id TEXT PRIMARY KEY,
    seq INTEGER NOT NULL,
    updated_seq INTEGER NOT NULL,
    title TEXT,
    first_published TEXT,
    last_published TEXT
);
CREATE TABLE pages_failed (
    page_key TEXT PRIMARY KEY,
    origin TEXT NOT NULL,
    message TEXT NOT NULL
);
CREATE TABLE input_errors (
    origin TEXT NOT NULL,
    line INTEGER,
    offset INTEGER,
    message TEXT NOT NULL,
    UNIQUE(origin, line, offset, message)
);
CREATE TABLE chrome_lines (
    hash INTEGER PRIMARY KEY,
    k1 INTEGER NOT NULL,
    k2 INTEGER NOT NULL,
    k3 INTEGER NOT NULL
);
",
    r"
CREATE TABLE copy_keys (
    key INTEGER NOT NULL,
    seq INTEGER NOT NULL
);
CREATE INDEX copy_keys_key ON copy_keys(key);
CREATE TABLE sketches (
    name TEXT PRIMARY KEY,
    data BLOB NOT NULL
);
",
    r"
CREATE TABLE story_state (
    id TEXT PRIMARY KEY,
    data TEXT NOT NULL
);
CREATE TABLE story_terms (
    term INTEGER PRIMARY KEY,
    df INTEGER NOT NULL
);
CREATE TABLE story_merges (
    id TEXT PRIMARY KEY,
    into_id TEXT NOT NULL
);
",
    // Copy keys are hashed another way (a packed window of classes, not xxh3 of its bytes):
    // the old ones are dropped and every stored article's keys made again from its text
    // (`rebuild_copy_keys`, run by `migrate` after this step).
    r"
DELETE FROM copy_keys;
",
    // Whether an article discloses it was generated from other articles: its family is no
    // independent source, and the story list counts without it. Filled from the stored texts
    // (`mark_synthetic`, run by `migrate` after this step).
    r"
ALTER TABLE articles ADD COLUMN synthetic INTEGER NOT NULL DEFAULT 0;
",
    // An input error without a line or an offset was stored again on every ingest: SQLite's
    // UNIQUE treats each NULL as distinct. The copies go and the key reads NULL as -1.
    r"
DELETE FROM input_errors WHERE rowid NOT IN (
    SELECT min(rowid) FROM input_errors
    GROUP BY origin, ifnull(line, -1), ifnull(offset, -1), message
);
CREATE UNIQUE INDEX input_errors_once
    ON input_errors(origin, ifnull(line, -1), ifnull(offset, -1), message);
",
    // Full-text search over titles and texts (the service's `q`), kept by triggers; the
    // articles already stored are indexed now.
    r"
CREATE VIRTUAL TABLE articles_fts USING fts5(title, text, content='articles', content_rowid='seq');
INSERT INTO articles_fts(articles_fts) VALUES('rebuild');
CREATE TRIGGER articles_fts_insert AFTER INSERT ON articles BEGIN
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
CREATE TRIGGER articles_fts_delete AFTER DELETE ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
END;
CREATE TRIGGER articles_fts_update AFTER UPDATE OF title, text ON articles BEGIN
    INSERT INTO articles_fts(articles_fts, rowid, title, text) VALUES ('delete', old.seq, old.title, old.text);
    INSERT INTO articles_fts(rowid, title, text) VALUES (new.seq, new.title, new.text);
END;
",
];

/// The migration after which stored articles are marked synthetic from their texts.
pub(super) const SYNTHETIC_MARKED: usize = 4;

/// Marks each stored article that discloses it was generated from other articles, as
/// `insert_article` marks a new one.
pub(super) fn mark_synthetic(tx: &Transaction) -> rusqlite::Result<()> {
    let mut read = tx.prepare("SELECT seq, text FROM articles ORDER BY seq")?;
    let mut write = tx.prepare("UPDATE articles SET synthetic = 1 WHERE seq = ?1")?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let text: String = row.get(1)?;
        if crate::coverage::disclosure(&text).is_some() {
            write.execute([row.get::<_, i64>(0)?])?;
        }
    }
    Ok(())
}

/// The migration after which copy keys are made again from the stored texts.
pub(super) const COPY_KEYS_REHASHED: usize = 3;

/// Makes every stored article's copy keys again from its text, as `insert_article` makes
/// them (a schema migration, when the key function changes).
pub(super) fn rebuild_copy_keys(tx: &Transaction) -> rusqlite::Result<()> {
    let mut read = tx.prepare("SELECT seq, text FROM articles ORDER BY seq")?;
    let mut write =
        tx.prepare("INSERT INTO copy_keys (key, seq) SELECT value, ?1 FROM json_each(?2)")?;
    let mut rows = read.query([])?;
    while let Some(row) = rows.next()? {
        let seq: i64 = row.get(0)?;
        let text: String = row.get(1)?;
        let keys: Vec<i64> = copies::doc::keys(&text).iter().map(|&k| k as i64).collect();
        write.execute(params![seq, json(&keys)])?;
    }
    Ok(())
}

impl Store {
    pub(super) fn migrate(&mut self) -> Result<()> {
        let path = self.path.clone();
        let err = |cause| StoreError::Sqlite {
            path: path.clone(),
            cause,
        };
        let known = MIGRATIONS.len() as i64;
        let version = |conn: &Connection| -> rusqlite::Result<i64> {
            conn.pragma_query_value(None, "user_version", |r| r.get(0))
        };
        // Up to date (the common case): no write lock taken, so readers open a store that a
        // writer holds.
        if version(&self.conn).map_err(err)? == known {
            return Ok(());
        }
        // The version is read again under the write lock: two processes creating one store
        // both see version 0 before either has written, and the second must find the tables
        // the first made instead of making them again.
        let tx = write_transaction(&mut self.conn).map_err(err)?;
        let found = version(&tx).map_err(err)?;
        if found > known {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found,
                known,
            });
        }
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(found as usize) {
            tx.execute_batch(sql).map_err(err)?;
            if i == COPY_KEYS_REHASHED {
                rebuild_copy_keys(&tx).map_err(err)?;
            }
            if i == SYNTHETIC_MARKED {
                mark_synthetic(&tx).map_err(err)?;
            }
            tx.pragma_update(None, "user_version", i as i64 + 1)
                .map_err(err)?;
        }
        tx.commit().map_err(err)
    }
}
