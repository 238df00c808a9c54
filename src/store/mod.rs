//! The store: articles, families and stories in SQLite, so that state outlives the process and
//! every stage can work incrementally.
//!
//! One file (default `storyline.db`), WAL mode so readers never wait for an ingest, one
//! transaction per batch so that a killed ingest leaves the store as it was after the last whole
//! batch. The schema is versioned with `PRAGMA user_version` and migrated forward on open.
//!
//! Idempotence: each page is known by a hash of its origin and raw bytes (`page_key`); a page
//! already stored is skipped before extraction, so re-ingesting a folder adds nothing, and an
//! ingest rerun after a crash ends in the same state as an uninterrupted run (batches are cut
//! from the page stream before skipping, so every batch sees the same corpus statistics).
//!
//! Where each part lives: this file opens the store and answers what a batch needs before it
//! is written (pages seen, line statistics); [`schema`] holds the tables and migrations,
//! [`write`] writes a batch and places each article in its family, [`clusterer`] keeps the
//! story clusterer's state, [`read`] answers the commands that read (stories, a story, an
//! article).

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::copies::{self, Family, Member, Relation};
use crate::extract::corpus::{self, Keys};
use crate::extract::{Article, CorpusLines};
use crate::pipeline::story_entry;
use crate::report::{ArticleView, Report, ReportArticle, ReportStory, VERSION};
use crate::source::InputError;
use crate::stories;

mod clusterer;
mod read;
mod schema;
mod write;

use clusterer::*;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    // The SQLite error is part of the message, not a source: printed as a chain it would
    // appear twice.
    #[error("store {path}: {cause}{}", hint(cause))]
    Sqlite {
        path: String,
        cause: rusqlite::Error,
    },
    #[error("store {path} has schema version {found}, newer than this storyline knows ({known}); use a newer storyline")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("no {what} with id {id} in the store ({})", list_hint(what))]
    NotFound { what: &'static str, id: String },
    #[error("id {id} is ambiguous: it starts {n} {what} ids; give more digits")]
    Ambiguous {
        what: &'static str,
        id: String,
        n: usize,
    },
    #[error("stored data is damaged: {0}")]
    Corrupt(String),
}

type Result<T> = std::result::Result<T, StoreError>;

/// Where a reader finds the ids of a kind of thing.
fn list_hint(what: &str) -> &'static str {
    match what {
        "article" => {
            "`storyline show STORY` lists a story's articles; `storyline stories` lists the stories"
        }
        _ => "list them with `storyline stories`",
    }
}

/// A transaction that takes the write lock as it begins: a deferred one that reads and then
/// writes fails at once (no wait) when another process wrote in between.
fn write_transaction(conn: &mut Connection) -> rusqlite::Result<Transaction<'_>> {
    conn.transaction_with_behavior(rusqlite::TransactionBehavior::Immediate)
}

/// What to do about an SQLite failure, by its kind.
fn hint(e: &rusqlite::Error) -> &'static str {
    use rusqlite::ErrorCode::*;
    match e.sqlite_error_code() {
        Some(DatabaseBusy | DatabaseLocked) => {
            " (another process is writing to it; try again when it is done)"
        }
        Some(NotADatabase) => " (the file is not an SQLite store; choose another with --db)",
        Some(CannotOpen | PermissionDenied | ReadOnly) => {
            " (check that its folder exists and is writable, or choose another with --db)"
        }
        Some(DiskFull) => " (the disk is full)",
        _ => "",
    }
}

pub struct Store {
    conn: Connection,
    path: String,
    /// The story clusterer, read from the store at the first batch and written back after each.
    clusterer: Option<stories::Clusterer>,
}

/// What one batch added.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchCount {
    pub added: usize,
    /// Added articles that joined a family as a copy (of any kind).
    pub copies: usize,
    /// Added articles that joined a family as its new original (its copies came first).
    pub originals_of_copies: usize,
    pub already_stored: usize,
}

/// Which stories to list.
#[derive(Debug, Clone, Default)]
pub struct StoryQuery {
    pub limit: usize,
    pub offset: usize,
    /// Words every story's articles must hold (in a title or a text).
    pub q: Option<String>,
    /// The earliest latest-publication date (`YYYY-MM-DD` or RFC 3339).
    pub since: Option<String>,
}

/// Where a stored article went.
#[derive(Debug, Clone, serde::Serialize)]
pub struct Placed {
    pub article: String,
    pub family: String,
    pub relation: String,
    pub story: String,
}

/// A row of `storyline stories`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoryRow {
    pub id: String,
    pub title: Option<String>,
    pub articles: usize,
    pub independent_sources: usize,
    /// Families left out of `independent_sources`: they disclose they were generated.
    #[serde(skip_serializing_if = "is_zero")]
    pub synthetic_sources: usize,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
}

impl Store {
    pub fn open(path: &Path) -> Result<Store> {
        let p = path.display().to_string();
        let err = |cause| StoreError::Sqlite {
            path: p.clone(),
            cause,
        };
        let conn = Connection::open(path).map_err(err)?;
        conn.busy_timeout(std::time::Duration::from_secs(30))
            .map_err(err)?;
        conn.pragma_update(None, "journal_mode", "WAL")
            .map_err(err)?;
        conn.pragma_update(None, "synchronous", "NORMAL")
            .map_err(err)?;
        conn.pragma_update(None, "foreign_keys", "ON")
            .map_err(err)?;
        let mut store = Store {
            conn,
            path: p,
            clusterer: None,
        };
        store.migrate()?;
        Ok(store)
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |cause| StoreError::Sqlite {
            path: self.path.clone(),
            cause,
        }
    }

    /// Whether a page (by its key) was already ingested, as an article or as a failure.
    pub fn has_page(&self, page_key: &str) -> Result<bool> {
        let found: Option<i64> = self
            .conn
            .query_row(
                "SELECT 1 FROM articles WHERE page_key = ?1 UNION ALL SELECT 1 FROM pages_failed WHERE page_key = ?1 LIMIT 1",
                [page_key],
                |r| r.get(0),
            )
            .optional()
            .map_err(self.err())?;
        Ok(found.is_some())
    }

    /// The stored statistics of the given lines.
    pub fn chrome_lines(&self, hashes: &[u64]) -> Result<CorpusLines> {
        let mut out = CorpusLines::default();
        let mut stmt = self
            .conn
            .prepare_cached("SELECT k1, k2, k3 FROM chrome_lines WHERE hash = ?1")
            .map_err(self.err())?;
        for &h in hashes {
            let row: Option<Keys> = stmt
                .query_row([h as i64], |r| {
                    Ok([
                        r.get::<_, i64>(0)? as u64,
                        r.get::<_, i64>(1)? as u64,
                        r.get::<_, i64>(2)? as u64,
                    ])
                })
                .optional()
                .map_err(self.err())?;
            if let Some(k) = row {
                out.lines.insert(h, k);
            }
        }
        Ok(out)
    }
}

/// Lists of strings and removed blocks always serialise; the fallback only guards the type.
fn json<T: serde::Serialize>(v: &T) -> String {
    serde_json::to_string(v).unwrap_or_else(|_| "null".into())
}

/// A page's identity for idempotent ingest: its origin and raw bytes.
pub fn page_key(origin: &str, bytes: &[u8]) -> String {
    let mut key = Vec::with_capacity(origin.len() + 1 + bytes.len());
    key.extend_from_slice(origin.as_bytes());
    key.push(0);
    key.extend_from_slice(bytes);
    crate::text::hex_id(crate::text::hash64(&key))
}

/// Merges stored line statistics with a batch's pages.
pub fn merge_stats(stored: CorpusLines, batch: &[(u64, Vec<u64>)]) -> CorpusLines {
    let mut stats = stored;
    for (key, hashes) in batch {
        for h in hashes {
            let slots = stats.lines.entry(*h).or_insert([0; corpus::MIN_DISTINCT]);
            corpus::add_key(slots, *key);
        }
    }
    stats
}

#[cfg(test)]
mod tests;

fn is_zero(n: &usize) -> bool {
    *n == 0
}
