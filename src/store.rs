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

use std::collections::HashMap;
use std::path::Path;

use rusqlite::{params, Connection, OptionalExtension, Transaction};

use crate::copies::{self, Family, Member, Relation};
use crate::extract::corpus::{self, Keys};
use crate::extract::{Article, CorpusLines};
use crate::pipeline::story_entry;
use crate::report::{Report, ReportArticle, ReportStory, VERSION};
use crate::source::InputError;
use crate::stories;

#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    #[error("store {path}: {source}")]
    Sqlite {
        path: String,
        source: rusqlite::Error,
    },
    #[error("store {path} has schema version {found}, newer than this storyline knows ({known}); use a newer storyline")]
    TooNew {
        path: String,
        found: i64,
        known: i64,
    },
    #[error("no {what} with id {id} in the store (list them with `storyline stories`)")]
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

/// Each entry moves the schema from version `i` to `i + 1`.
const MIGRATIONS: &[&str] = &[r"
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
"];

pub struct Store {
    conn: Connection,
    path: String,
}

/// What one batch added.
#[derive(Debug, Default, Clone, Copy, PartialEq, Eq)]
pub struct BatchCount {
    pub added: usize,
    pub exact_copies: usize,
    pub already_stored: usize,
}

/// A row of `storyline stories`.
#[derive(Debug, Clone, serde::Serialize)]
pub struct StoryRow {
    pub id: String,
    pub title: Option<String>,
    pub articles: usize,
    pub independent_sources: usize,
    pub first_published: Option<String>,
    pub last_published: Option<String>,
}

impl Store {
    pub fn open(path: &Path) -> Result<Store> {
        let p = path.display().to_string();
        let err = |source| StoreError::Sqlite {
            path: p.clone(),
            source,
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
        let mut store = Store { conn, path: p };
        store.migrate()?;
        Ok(store)
    }

    fn err(&self) -> impl Fn(rusqlite::Error) -> StoreError + '_ {
        move |source| StoreError::Sqlite {
            path: self.path.clone(),
            source,
        }
    }

    fn migrate(&mut self) -> Result<()> {
        let version: i64 = self
            .conn
            .pragma_query_value(None, "user_version", |r| r.get(0))
            .map_err(self.err())?;
        let known = MIGRATIONS.len() as i64;
        if version > known {
            return Err(StoreError::TooNew {
                path: self.path.clone(),
                found: version,
                known,
            });
        }
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(err)?;
        for (i, sql) in MIGRATIONS.iter().enumerate().skip(version as usize) {
            tx.execute_batch(sql).map_err(err)?;
            tx.pragma_update(None, "user_version", i as i64 + 1)
                .map_err(err)?;
        }
        tx.commit().map_err(err)
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

    /// Stores one batch in one transaction: line statistics, failures, and articles with
    /// their families and stories.
    pub fn write_batch(
        &mut self,
        stats: &CorpusLines,
        articles: &[(String, Article)],
        failures: &[(String, InputError)],
        input_errors: &[InputError],
    ) -> Result<BatchCount> {
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(err)?;
        {
            let mut put = tx
                .prepare_cached("INSERT OR REPLACE INTO chrome_lines (hash, k1, k2, k3) VALUES (?1, ?2, ?3, ?4)")
                .map_err(err)?;
            let mut hashes: Vec<&u64> = stats.lines.keys().collect();
            hashes.sort_unstable();
            for h in hashes {
                let k = stats.lines[h];
                put.execute(params![*h as i64, k[0] as i64, k[1] as i64, k[2] as i64])
                    .map_err(err)?;
            }
            let mut fail = tx
                .prepare_cached("INSERT OR IGNORE INTO pages_failed (page_key, origin, message) VALUES (?1, ?2, ?3)")
                .map_err(err)?;
            for (key, e) in failures {
                fail.execute(params![key, e.origin, e.message])
                    .map_err(err)?;
            }
            let mut input = tx
                .prepare_cached("INSERT OR IGNORE INTO input_errors (origin, line, offset, message) VALUES (?1, ?2, ?3, ?4)")
                .map_err(err)?;
            for e in input_errors {
                input
                    .execute(params![
                        e.origin,
                        e.line.map(|l| l as i64),
                        e.offset.map(|o| o as i64),
                        e.message
                    ])
                    .map_err(err)?;
            }
        }
        let mut count = BatchCount::default();
        for (page_key, a) in articles {
            match insert_article(&tx, page_key, a).map_err(err)? {
                Inserted::Already => count.already_stored += 1,
                Inserted::Founded => count.added += 1,
                Inserted::Joined => {
                    count.added += 1;
                    count.exact_copies += 1;
                }
            }
        }
        tx.commit().map_err(err)?;
        Ok(count)
    }

    /// Stories, newest first (by latest publication date, then by latest arrival).
    pub fn stories(&self, limit: usize) -> Result<Vec<StoryRow>> {
        let mut stmt = self
            .conn
            .prepare(
                "SELECT s.id, s.title, s.first_published, s.last_published,
                        (SELECT COUNT(*) FROM families f JOIN articles a ON a.family = f.id WHERE f.story = s.id),
                        (SELECT COUNT(*) FROM families f WHERE f.story = s.id)
                 FROM stories s
                 ORDER BY COALESCE(substr(s.last_published, 1, 10), '') DESC, s.updated_seq DESC
                 LIMIT ?1",
            )
            .map_err(self.err())?;
        let rows = stmt
            .query_map([limit as i64], |r| {
                Ok(StoryRow {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    first_published: r.get(2)?,
                    last_published: r.get(3)?,
                    articles: r.get::<_, i64>(4)? as usize,
                    independent_sources: r.get::<_, i64>(5)? as usize,
                })
            })
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// Finds the one id in `table` that starts with `prefix`.
    fn resolve(&self, table: &str, what: &'static str, prefix: &str) -> Result<String> {
        let clean: String = prefix.trim().to_ascii_lowercase();
        if clean.is_empty() || !clean.chars().all(|c| c.is_ascii_hexdigit()) {
            return Err(StoreError::NotFound {
                what,
                id: prefix.to_string(),
            });
        }
        let sql = format!("SELECT id FROM {table} WHERE id >= ?1 AND id < ?2 ORDER BY id LIMIT 2");
        let upper = format!("{clean}g");
        let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
        let ids: Vec<String> = stmt
            .query_map(params![clean, upper], |r| r.get(0))
            .map_err(self.err())?
            .collect::<std::result::Result<_, _>>()
            .map_err(self.err())?;
        match ids.len() {
            0 => Err(StoreError::NotFound {
                what,
                id: prefix.to_string(),
            }),
            1 => Ok(ids.into_iter().next().unwrap_or_default()),
            n => Err(StoreError::Ambiguous {
                what,
                id: prefix.to_string(),
                n,
            }),
        }
    }

    pub fn article(&self, id_prefix: &str) -> Result<ReportArticle> {
        let id = self.resolve("articles", "article", id_prefix)?;
        let rows = self.articles_where("a.id = ?1", &id)?;
        rows.into_iter()
            .next()
            .map(|(a, _)| a)
            .ok_or(StoreError::NotFound {
                what: "article",
                id,
            })
    }

    /// One story in the report's shape: the story, its families and their articles.
    pub fn story_report(&self, id_prefix: &str) -> Result<Report> {
        let id = self.resolve("stories", "story", id_prefix)?;
        let title: Option<String> = self
            .conn
            .query_row("SELECT title FROM stories WHERE id = ?1", [&id], |r| {
                r.get(0)
            })
            .map_err(self.err())?;
        let rows = self.articles_where("f.story = ?1", &id)?;
        let mut families: Vec<Family> = Vec::new();
        let mut index: HashMap<String, usize> = HashMap::new();
        for (a, m) in &rows {
            let i = *index.entry(a.family.clone()).or_insert_with(|| {
                families.push(Family {
                    id: a.family.clone(),
                    original: String::new(),
                    members: Vec::new(),
                });
                families.len() - 1
            });
            if m.relation == Relation::Original {
                families[i].original = a.id.clone();
            }
            families[i].members.push(m.clone());
        }
        let articles: Vec<ReportArticle> = rows.into_iter().map(|(a, _)| a).collect();
        let refs: Vec<&ReportArticle> = articles.iter().collect();
        let fam_ids: Vec<String> = families.iter().map(|f| f.id.clone()).collect();
        let story: ReportStory = story_entry(&id, title, &refs, &fam_ids);
        Ok(Report {
            version: VERSION,
            articles,
            families,
            stories: vec![story],
            errors: Vec::new(),
        })
    }

    fn articles_where(&self, cond: &str, value: &str) -> Result<Vec<(ReportArticle, Member)>> {
        let sql = format!(
            "SELECT a.id, a.origin, a.url, a.title, a.authors, a.outlet, a.published, a.language, a.text,
                    a.family, f.story, a.removed, a.notes, a.relation, a.similarity, a.evidence
             FROM articles a JOIN families f ON f.id = a.family WHERE {cond} ORDER BY f.seq, a.seq"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
        let raw = stmt
            .query_map([value], |r| {
                Ok((
                    r.get::<_, String>(0)?,
                    r.get::<_, String>(1)?,
                    r.get::<_, Option<String>>(2)?,
                    r.get::<_, Option<String>>(3)?,
                    r.get::<_, String>(4)?,
                    r.get::<_, Option<String>>(5)?,
                    r.get::<_, Option<String>>(6)?,
                    r.get::<_, Option<String>>(7)?,
                    r.get::<_, String>(8)?,
                    r.get::<_, String>(9)?,
                    r.get::<_, String>(10)?,
                    r.get::<_, String>(11)?,
                    r.get::<_, String>(12)?,
                    (
                        r.get::<_, String>(13)?,
                        r.get::<_, f64>(14)?,
                        r.get::<_, String>(15)?,
                    ),
                ))
            })
            .map_err(self.err())?;
        let mut out = Vec::new();
        for row in raw {
            let (
                id,
                origin,
                url,
                title,
                authors,
                outlet,
                published,
                language,
                text,
                family,
                story,
                removed,
                notes,
                (rel, sim, ev),
            ) = row.map_err(self.err())?;
            fn parse<T: serde::de::DeserializeOwned>(id: &str, s: &str) -> Result<T> {
                serde_json::from_str(s)
                    .map_err(|e| StoreError::Corrupt(format!("article {id}: {e}")))
            }
            let relation = Relation::parse(&rel)
                .ok_or_else(|| StoreError::Corrupt(format!("article {id}: relation {rel:?}")))?;
            let member = Member {
                article: id.clone(),
                relation,
                similarity: sim,
                evidence: parse(&id, &ev)?,
            };
            let article = ReportArticle {
                id: id.clone(),
                origin,
                url,
                title,
                authors: parse(&id, &authors)?,
                outlet,
                published,
                language,
                text,
                family,
                story,
                removed: parse(&id, &removed)?,
                notes: parse(&id, &notes)?,
            };
            out.push((article, member));
        }
        Ok(out)
    }

    /// Counts for a summary: articles, families, stories.
    pub fn counts(&self) -> Result<(usize, usize, usize)> {
        let q = |sql: &str| -> Result<usize> {
            self.conn
                .query_row(sql, [], |r| r.get::<_, i64>(0))
                .map(|n| n as usize)
                .map_err(self.err())
        };
        Ok((
            q("SELECT COUNT(*) FROM articles")?,
            q("SELECT COUNT(*) FROM families")?,
            q("SELECT COUNT(*) FROM stories")?,
        ))
    }
}

enum Inserted {
    Already,
    Founded,
    Joined,
}

/// Inserts an article and places it: it joins the family of its exact text or founds one (and
/// the new family opens its story).
fn insert_article(tx: &Transaction, page_key: &str, a: &Article) -> rusqlite::Result<Inserted> {
    let exists: Option<i64> = tx
        .query_row("SELECT 1 FROM articles WHERE id = ?1", [&a.id], |r| {
            r.get(0)
        })
        .optional()?;
    if exists.is_some() {
        return Ok(Inserted::Already);
    }
    let hash = a.text_hash() as i64;
    let existing: Option<(String, String, String)> = tx
        .query_row(
            "SELECT f.id, f.original, f.story FROM articles x JOIN families f ON f.id = x.family
             WHERE x.text_hash = ?1 ORDER BY x.seq LIMIT 1",
            [hash],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?)),
        )
        .optional()?;
    let (family, member, story, founded) = match existing {
        Some((family, original, story)) => {
            (family, copies::exact_member(&a.id, &original), story, false)
        }
        None => {
            let family = copies::family_id(&a.id);
            let story = stories::assign(&family);
            (
                family,
                copies::original_member(&a.id, copies::original::Reason::FirstSeen),
                story,
                true,
            )
        }
    };
    tx.execute(
        "INSERT INTO articles (id, page_key, origin, url, title, authors, outlet, published, language, text,
                               removed, notes, text_hash, family, relation, similarity, evidence)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17)",
        params![
            a.id,
            page_key,
            a.origin,
            a.url,
            a.title,
            json(&a.authors),
            a.outlet,
            a.published,
            a.language,
            a.text(),
            json(&a.removed),
            json(&a.notes),
            hash,
            family,
            member.relation.as_str(),
            member.similarity,
            member.evidence.to_string(),
        ],
    )?;
    let seq = tx.last_insert_rowid();
    if founded {
        tx.execute(
            "INSERT INTO families (id, seq, original, story) VALUES (?1, ?2, ?3, ?4)",
            params![family, seq, a.id, story],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO stories (id, seq, updated_seq, title) VALUES (?1, ?2, ?2, ?3)",
            params![story, seq, a.title],
        )?;
    }
    if let Some(p) = &a.published {
        tx.execute(
            "UPDATE stories SET
                first_published = CASE WHEN first_published IS NULL OR ?2 < first_published THEN ?2 ELSE first_published END,
                last_published = CASE WHEN last_published IS NULL OR ?2 > last_published THEN ?2 ELSE last_published END
             WHERE id = ?1",
            params![story, p],
        )?;
    }
    tx.execute(
        "UPDATE stories SET updated_seq = ?2 WHERE id = ?1",
        params![story, seq],
    )?;
    Ok(if founded {
        Inserted::Founded
    } else {
        Inserted::Joined
    })
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
