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
use crate::report::{ArticleView, Report, ReportArticle, ReportStory, VERSION};
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
const MIGRATIONS: &[&str] = &[
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
];

/// The migration after which copy keys are made again from the stored texts.
const COPY_KEYS_REHASHED: usize = 3;

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
        let mut store = Store {
            conn,
            path: p,
            clusterer: None,
        };
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
            if i == COPY_KEYS_REHASHED {
                rebuild_copy_keys(&tx).map_err(err)?;
            }
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
        let mut fluency = tx
            .query_row(
                "SELECT data FROM sketches WHERE name = 'fluency'",
                [],
                |r| r.get::<_, Vec<u8>>(0),
            )
            .optional()
            .map_err(err)?
            .map(|b| copies::Fluency::from_bytes(&b))
            .unwrap_or_default();
        let mut clusterer = match self.clusterer.take() {
            Some(c) => c,
            None => load_clusterer(&tx).map_err(err)?,
        };
        let order = copies::arrival_order(articles.iter().map(|(_, a)| a.published.as_deref()));
        for (page_key, a) in order.into_iter().map(|i| &articles[i]) {
            match insert_article(&tx, page_key, a, &mut fluency, &mut clusterer).map_err(err)? {
                Inserted::Already => count.already_stored += 1,
                Inserted::Founded => count.added += 1,
                Inserted::Reoriginal => {
                    count.added += 1;
                    count.originals_of_copies += 1;
                }
                Inserted::Joined => {
                    count.added += 1;
                    count.copies += 1;
                }
            }
        }
        tx.execute(
            "INSERT OR REPLACE INTO sketches (name, data) VALUES ('fluency', ?1)",
            [fluency.to_bytes()],
        )
        .map_err(err)?;
        clusterer.finish();
        save_clusterer(&tx, &mut clusterer).map_err(err)?;
        tx.commit().map_err(err)?;
        // Kept only once the batch is committed: a failed batch leaves the state on disk.
        self.clusterer = Some(clusterer);
        Ok(count)
    }

    /// Where the stream of families stands: the place of the latest family stored (0 in an
    /// empty store). [`Store::close_stream`] takes it from before an ingest.
    pub fn stream_mark(&self) -> Result<i64> {
        self.conn
            .query_row("SELECT COALESCE(MAX(seq), 0) FROM families", [], |r| {
                r.get(0)
            })
            .map_err(self.err())
    }

    /// Ends an ingest as `analyze` ends its run, so that both reach the same stories on the
    /// same stream: every unit still pending gets its second look now, stories opened apart
    /// are merged, and the short texts of the families stored after `since` (see
    /// [`Store::stream_mark`]) are refined as a mixture among the stories they alone make up
    /// (stories holding units of earlier ingests are left as they are; see
    /// [`stories::Clusterer::refine`]). Returns how many units the refinement moved.
    pub fn close_stream(&mut self, since: i64) -> Result<usize> {
        let path = self.path.clone();
        let err = |source| StoreError::Sqlite {
            path: path.clone(),
            source,
        };
        let tx = self.conn.transaction().map_err(err)?;
        let mut clusterer = match self.clusterer.take() {
            Some(c) => c,
            None => load_clusterer(&tx).map_err(err)?,
        };
        clusterer.close();
        let units: Vec<(String, String, stories::Stored)> = {
            let mut q = tx
                .prepare(
                    "SELECT f.id, f.story, a.title, a.text, a.published, a.language FROM families f
                     JOIN articles a ON a.id = f.original WHERE f.seq > ?1 ORDER BY f.seq",
                )
                .map_err(err)?;
            let rows = q
                .query_map([since], |r| {
                    Ok((
                        r.get(0)?,
                        r.get(1)?,
                        (r.get(2)?, r.get(3)?, r.get(4)?, r.get(5)?),
                    ))
                })
                .map_err(err)?;
            rows.collect::<rusqlite::Result<_>>().map_err(err)?
        };
        let moved = clusterer.refine(units.iter().map(|(key, story, u)| {
            (
                stories::Unit {
                    key,
                    title: u.0.as_deref(),
                    text: &u.1,
                    published: u.2.as_deref(),
                    language: u.3.as_deref(),
                },
                story.as_str(),
            )
        }));
        save_clusterer(&tx, &mut clusterer).map_err(err)?;
        tx.commit().map_err(err)?;
        self.clusterer = Some(clusterer);
        Ok(moved)
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

    /// One article with its place in its family, and the family's original when it is a copy.
    pub fn article_view(&self, id_prefix: &str) -> Result<ArticleView> {
        let id = self.resolve("articles", "article", id_prefix)?;
        let (article, member) = self
            .articles_where("a.id = ?1", &id)?
            .into_iter()
            .next()
            .ok_or(StoreError::NotFound {
                what: "article",
                id,
            })?;
        let original = if member.relation == Relation::Original {
            None
        } else {
            self.articles_where(
                "a.id = (SELECT original FROM families WHERE id = ?1)",
                &article.family,
            )?
            .into_iter()
            .next()
            .map(|(a, _)| a)
        };
        Ok(ArticleView {
            article,
            member,
            original,
        })
    }

    /// The story an id (or its prefix) stands for now: a story merged away stands for the
    /// story that took it in, so that an id read before a merge still opens its story.
    fn live_story(&self, id_prefix: &str) -> Result<String> {
        let merged = match self.resolve("stories", "story", id_prefix) {
            Err(StoreError::NotFound { .. }) => self.resolve("story_merges", "story", id_prefix)?,
            found => return found,
        };
        let mut id = merged;
        // A chain of merges ends in a live story; the bound only guards a malformed store.
        for _ in 0..1024 {
            let into: Option<String> = self
                .conn
                .query_row(
                    "SELECT into_id FROM story_merges WHERE id = ?1",
                    [&id],
                    |r| r.get(0),
                )
                .optional()
                .map_err(self.err())?;
            match into {
                Some(next) => id = next,
                None => break,
            }
        }
        self.resolve("stories", "story", &id)
    }

    /// One story in the report's shape: the story, its families and their articles.
    pub fn story_report(&self, id_prefix: &str) -> Result<Report> {
        let id = self.live_story(id_prefix)?;
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
                // As in `analyze`'s report: the original leads its family.
                families[i].members.insert(0, m.clone());
            } else {
                families[i].members.push(m.clone());
            }
        }
        let articles: Vec<ReportArticle> = rows.into_iter().map(|(a, _)| a).collect();
        let refs: Vec<&ReportArticle> = articles.iter().collect();
        let fam_ids: Vec<String> = families.iter().map(|f| f.id.clone()).collect();
        let originals: Vec<&str> = families.iter().map(|f| f.original.as_str()).collect();
        let mut story: ReportStory = story_entry(&id, title, &refs, &fam_ids, &originals);
        let state: Option<String> = self
            .conn
            .query_row("SELECT data FROM story_state WHERE id = ?1", [&id], |r| {
                r.get(0)
            })
            .optional()
            .map_err(self.err())?;
        if let Some(st) = state.and_then(|s| serde_json::from_str::<stories::StoryState>(&s).ok()) {
            story.key_names = st.key_names();
        }
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
    /// A new family.
    Founded,
    /// A copy in a stored family.
    Joined,
    /// The new original of a stored family.
    Reoriginal,
}

/// Families whose members are read back to place one arriving article.
const MAX_FAMILIES_REPLAYED: usize = 6;
/// Members read back per replayed family besides its original and the candidates.
const MAX_MEMBERS_REPLAYED: usize = 24;
/// Makes every stored article's copy keys again from its text, as `insert_article` makes
/// them (a schema migration, when the key function changes).
fn rebuild_copy_keys(tx: &Transaction) -> rusqlite::Result<()> {
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

/// Candidate articles (by shared copy keys) looked up per arriving article.
const MAX_CANDIDATES: usize = 32;

/// Inserts an article and places it with copy detection, without re-reading the corpus: its
/// copy keys find candidate articles through `copy_keys`; the families of the best of them are
/// read back (as stored, not recomputed) into a copy engine, which then places the new
/// article. Whatever the engine decides for those families (the new member, a new original,
/// families merged through the newcomer) is written back; the rest of the store is untouched.
fn insert_article(
    tx: &Transaction,
    page_key: &str,
    a: &Article,
    fluency: &mut copies::Fluency,
    clusterer: &mut stories::Clusterer,
) -> rusqlite::Result<Inserted> {
    let exists: Option<i64> = tx
        .query_row("SELECT 1 FROM articles WHERE id = ?1", [&a.id], |r| {
            r.get(0)
        })
        .optional()?;
    if exists.is_some() {
        return Ok(Inserted::Already);
    }
    let text = a.text();
    let hash = a.text_hash() as i64;
    let keys = {
        let doc = copies::doc::Doc::new(&text);
        fluency.observe(&doc);
        doc.keys()
    };

    // Candidates: the stored article with the same text, then those sharing the most keys.
    let mut cands: Vec<i64> = tx
        .query_row(
            "SELECT seq FROM articles WHERE text_hash = ?1 ORDER BY seq LIMIT 1",
            [hash],
            |r| r.get(0),
        )
        .optional()?
        .into_iter()
        .collect();
    if !keys.is_empty() {
        let need = copies::copies_needed(keys.len());
        let marks = vec!["?"; keys.len()].join(",");
        let mut stmt = tx.prepare(&format!(
            "SELECT seq FROM copy_keys WHERE key IN ({marks}) GROUP BY seq HAVING COUNT(*) >= {need}
             ORDER BY COUNT(*) DESC, seq LIMIT {MAX_CANDIDATES}"
        ))?;
        let rows = stmt.query_map(
            rusqlite::params_from_iter(keys.iter().map(|k| *k as i64)),
            |r| r.get::<_, i64>(0),
        )?;
        for r in rows {
            cands.push(r?);
        }
    }
    let mut families: Vec<String> = Vec::new();
    for seq in &cands {
        let fam: String =
            tx.query_row("SELECT family FROM articles WHERE seq = ?1", [seq], |r| {
                r.get(0)
            })?;
        if !families.contains(&fam) {
            families.push(fam);
        }
        if families.len() >= MAX_FAMILIES_REPLAYED {
            break;
        }
    }

    // Replay those families, then place the newcomer.
    let mut engine = copies::Engine::new(copies::MemTexts::default());
    engine.fluency = std::mem::take(fluency);
    let mut ids: Vec<String> = Vec::new();
    let mut old_family: Vec<String> = Vec::new();
    if !families.is_empty() {
        let marks = vec!["?"; families.len()].join(",");
        // A family's founder (it names the family), its original, the candidates, and its
        // first members up to a bound: replay cost stays bounded when a family has thousands.
        let cand_marks = vec!["?"; cands.len()].join(",");
        let mut stmt = tx.prepare(&format!(
            "SELECT id, url, outlet, published, text, text_hash, family, relation FROM articles x
             WHERE family IN ({marks})
               AND (seq IN ({cand_marks})
                    OR id IN (SELECT original FROM families f WHERE f.id = x.family)
                    OR seq IN (SELECT seq FROM articles y WHERE y.family = x.family
                               ORDER BY seq LIMIT {MAX_MEMBERS_REPLAYED}))
             ORDER BY seq"
        ))?;
        let params = families
            .iter()
            .map(|f| rusqlite::types::Value::Text(f.clone()))
            .chain(cands.iter().map(|c| rusqlite::types::Value::Integer(*c)));
        let rows = stmt.query_map(rusqlite::params_from_iter(params), |r| {
            Ok((
                copies::Meta {
                    id: r.get(0)?,
                    url: r.get(1)?,
                    outlet: r.get(2)?,
                    published: r.get(3)?,
                    text_hash: r.get::<_, i64>(5)? as u64,
                },
                r.get::<_, String>(4)?,
                r.get::<_, String>(6)?,
                r.get::<_, String>(7)? == "original",
            ))
        })?;
        for row in rows {
            let (meta, t, fam, is_original) = row?;
            ids.push(meta.id.clone());
            engine.restore(meta, &t, &fam, is_original);
            old_family.push(fam);
        }
    }
    ids.push(a.id.clone());
    engine.add(copies::meta_of(a), &text);
    *fluency = std::mem::take(&mut engine.fluency);
    let mut last: Vec<Option<(String, copies::Member)>> = vec![None; ids.len()];
    for u in engine.take_updates() {
        last[u.slot as usize] = Some((u.family, u.member));
    }
    let newcomer = ids.len() - 1;
    let (family, member) = last[newcomer].take().unwrap_or_else(|| {
        (
            copies::family_id(&a.id),
            copies::original_member(&a.id, copies::original::Reason::FirstSeen),
        )
    });
    let story: Option<String> = tx
        .query_row("SELECT story FROM families WHERE id = ?1", [&family], |r| {
            r.get(0)
        })
        .optional()?;
    // A family without a stored row is new: the newcomer founded it.
    let new_family = story.is_none();
    let founded = new_family && member.relation == copies::Relation::Original;
    let story = match story {
        Some(s) => s,
        None => {
            clusterer
                .add(&stories::Unit {
                    key: &family,
                    title: a.title.as_deref(),
                    text: &text,
                    published: a.published.as_deref(),
                    language: a.language.as_deref(),
                })
                .story
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
            text,
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
    tx.execute(
        "INSERT INTO copy_keys (key, seq) SELECT value, ?1 FROM json_each(?2)",
        params![
            seq,
            json(&keys.iter().map(|k| *k as i64).collect::<Vec<_>>())
        ],
    )?;
    if new_family {
        tx.execute(
            "INSERT INTO families (id, seq, original, story) VALUES (?1, ?2, ?3, ?4)",
            params![family, seq, a.id, story],
        )?;
        tx.execute(
            "INSERT OR IGNORE INTO stories (id, seq, updated_seq, title) VALUES (?1, ?2, ?2, ?3)",
            params![story, seq, a.title],
        )?;
    }
    if member.relation == copies::Relation::Original {
        tx.execute(
            "UPDATE families SET original = ?2 WHERE id = ?1",
            params![family, a.id],
        )?;
    }
    // Members of the replayed families whose records changed (a new original, a merge).
    let mut left_behind: Vec<&str> = Vec::new();
    for (slot, entry) in last.into_iter().enumerate().take(newcomer) {
        let Some((fam, m)) = entry else { continue };
        tx.execute(
            "UPDATE articles SET family = ?2, relation = ?3, similarity = ?4, evidence = ?5 WHERE id = ?1",
            params![ids[slot], fam, m.relation.as_str(), m.similarity, m.evidence.to_string()],
        )?;
        if fam != old_family[slot] {
            if !left_behind.contains(&old_family[slot].as_str()) {
                left_behind.push(&old_family[slot]);
            }
            // A member that left its family (no longer a copy of its original) may found one,
            // which is placed in a story as any newcomer.
            let (title, text, published, language): stories::Stored = tx.query_row(
                "SELECT title, text, published, language FROM articles WHERE id = ?1",
                [&ids[slot]],
                |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)),
            )?;
            let story = clusterer
                .add(&stories::Unit {
                    key: &fam,
                    title: title.as_deref(),
                    text: &text,
                    published: published.as_deref(),
                    language: language.as_deref(),
                })
                .story;
            tx.execute(
                "INSERT OR IGNORE INTO families (id, seq, original, story)
                 SELECT ?1, seq, id, ?2 FROM articles WHERE id = ?3",
                params![fam, story, ids[slot]],
            )?;
            tx.execute(
                "INSERT OR IGNORE INTO stories (id, seq, updated_seq, title, first_published, last_published)
                 SELECT ?1, seq, seq, title, ?3, ?3 FROM articles WHERE id = ?2",
                params![story, ids[slot], stories::span_date(published.as_deref())],
            )?;
        }
        if m.relation == copies::Relation::Original {
            tx.execute(
                "UPDATE families SET original = ?2 WHERE id = ?1",
                params![fam, ids[slot]],
            )?;
        }
    }
    // A family merged away (and its story, if nothing else is in it) goes once it is empty.
    for gone in left_behind {
        let left: i64 = tx.query_row(
            "SELECT COUNT(*) FROM articles WHERE family = ?1",
            [gone],
            |r| r.get(0),
        )?;
        if left > 0 {
            continue;
        }
        let story: Option<String> = tx
            .query_row("SELECT story FROM families WHERE id = ?1", [gone], |r| {
                r.get(0)
            })
            .optional()?;
        tx.execute("DELETE FROM families WHERE id = ?1", [gone])?;
        if let Some(st) = story {
            tx.execute(
                "DELETE FROM stories WHERE id = ?1 AND NOT EXISTS (SELECT 1 FROM families WHERE story = ?1)",
                [&st],
            )?;
        }
    }
    if let Some(p) = stories::span_date(a.published.as_deref()) {
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
    } else if member.relation == copies::Relation::Original {
        Inserted::Reoriginal
    } else {
        Inserted::Joined
    })
}

/// The story clusterer as stored: its counters, term frequencies, stories and merges. A store
/// written before stories were clustered has families but no clusterer state: its families are
/// put back in their stories, in arrival order, so that newcomers can join them.
fn load_clusterer(tx: &Transaction) -> rusqlite::Result<stories::Clusterer> {
    let clock: Option<Vec<u8>> = tx
        .query_row(
            "SELECT data FROM sketches WHERE name = 'stories_clock'",
            [],
            |r| r.get(0),
        )
        .optional()?;
    let Some(clock) = clock.and_then(|c| serde_json::from_slice::<stories::Clock>(&c).ok()) else {
        let mut c = stories::Clusterer::default();
        let mut q = tx.prepare(
            "SELECT f.id, f.story, a.title, a.text, a.published, a.language FROM families f
             JOIN articles a ON a.id = f.original ORDER BY f.seq",
        )?;
        let rows = q.query_map([], |r| {
            Ok((
                r.get::<_, String>(0)?,
                r.get::<_, String>(1)?,
                r.get::<_, Option<String>>(2)?,
                r.get::<_, String>(3)?,
                r.get::<_, Option<String>>(4)?,
                r.get::<_, Option<String>>(5)?,
            ))
        })?;
        for row in rows {
            let (fam, story, title, text, published, language) = row?;
            c.restore(
                &stories::Unit {
                    key: &fam,
                    title: title.as_deref(),
                    text: &text,
                    published: published.as_deref(),
                    language: language.as_deref(),
                },
                &story,
            );
        }
        return Ok(c);
    };
    let df: Vec<(u64, u32)> = tx
        .prepare("SELECT term, df FROM story_terms")?
        .query_map([], |r| {
            Ok((r.get::<_, i64>(0)? as u64, r.get::<_, u32>(1)?))
        })?
        .collect::<rusqlite::Result<_>>()?;
    let states: Vec<String> = tx
        .prepare("SELECT data FROM story_state ORDER BY rowid")?
        .query_map([], |r| r.get(0))?
        .collect::<rusqlite::Result<_>>()?;
    let merges: Vec<(String, String)> = tx
        .prepare("SELECT id, into_id FROM story_merges")?
        .query_map([], |r| Ok((r.get(0)?, r.get(1)?)))?
        .collect::<rusqlite::Result<_>>()?;
    // A state that does not parse (written by a future version, or damaged) is left out: its
    // story stays in the store, and newcomers open new stories instead of joining it.
    let states = states
        .iter()
        .filter_map(|s| serde_json::from_str::<stories::StoryState>(s).ok());
    let mut c = stories::Clusterer::load(stories::Params::default(), clock, df, states, merges);
    // Units still waiting for their second look are read again from their family's original.
    let mut q = tx.prepare(
        "SELECT a.title, a.text, a.published, a.language FROM families f
         JOIN articles a ON a.id = f.original WHERE f.id = ?1",
    )?;
    let mut failed = None;
    c.refill(|key| {
        match q
            .query_row([key], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .optional()
        {
            Ok(unit) => unit,
            Err(e) => {
                failed.get_or_insert(e);
                None
            }
        }
    });
    match failed {
        Some(e) => Err(e),
        None => Ok(c),
    }
}

/// Writes what the clusterer changed in this batch: stories' states and titles, term
/// frequencies, merges (whose families move to the story that took them in), and its counters.
fn save_clusterer(tx: &Transaction, c: &mut stories::Clusterer) -> rusqlite::Result<()> {
    let changes = c.take_changes();
    for (id, state) in &changes.stories {
        match state {
            Some(st) => {
                tx.execute(
                    "INSERT INTO story_state (id, data) VALUES (?1, ?2)
                     ON CONFLICT(id) DO UPDATE SET data = excluded.data",
                    params![id, json(st)],
                )?;
                if let Some((title, _)) = &st.title {
                    tx.execute(
                        "UPDATE stories SET title = ?2 WHERE id = ?1",
                        params![id, title],
                    )?;
                }
            }
            None => {
                tx.execute("DELETE FROM story_state WHERE id = ?1", [id])?;
            }
        }
    }
    for (from, into) in &changes.merges {
        merge_story_rows(tx, from, into)?;
    }
    // After the merges: a move names the story its family is in at the end of the batch.
    for (family, story) in &changes.moves {
        move_family_row(tx, family, story)?;
    }
    let mut put = tx.prepare_cached(
        "INSERT INTO story_terms (term, df) VALUES (?1, ?2)
         ON CONFLICT(term) DO UPDATE SET df = excluded.df",
    )?;
    for (t, n) in &changes.df {
        put.execute(params![*t as i64, n])?;
    }
    tx.execute(
        "INSERT OR REPLACE INTO sketches (name, data) VALUES ('stories_clock', ?1)",
        [json(&changes.clock).into_bytes()],
    )?;
    Ok(())
}

/// Moves a merged-away story's families into the story that took it in, whose time span and
/// last update then cover both, records the merge and drops the merged story's row. Merges of
/// one batch come in the order they were made, so a chain (A into B, then B into C) ends in C.
fn merge_story_rows(tx: &Transaction, from: &str, into: &str) -> rusqlite::Result<()> {
    tx.execute(
        "INSERT OR REPLACE INTO story_merges (id, into_id) VALUES (?1, ?2)",
        params![from, into],
    )?;
    tx.execute(
        "UPDATE families SET story = ?2 WHERE story = ?1",
        params![from, into],
    )?;
    tx.execute(
        "UPDATE stories SET
            first_published = (SELECT MIN(first_published) FROM stories WHERE id IN (?1, ?2)),
            last_published = (SELECT MAX(last_published) FROM stories WHERE id IN (?1, ?2)),
            updated_seq = (SELECT MAX(updated_seq) FROM stories WHERE id IN (?1, ?2))
         WHERE id = ?2",
        params![from, into],
    )?;
    tx.execute("DELETE FROM stories WHERE id = ?1", [from])?;
    Ok(())
}

/// Moves a family to another story (a second look found it closer there, see
/// [`stories::Clusterer::settle`]), whose time span then covers the family's original.
fn move_family_row(tx: &Transaction, family: &str, story: &str) -> rusqlite::Result<()> {
    tx.execute(
        "UPDATE families SET story = ?2 WHERE id = ?1",
        params![family, story],
    )?;
    let published: Option<String> = tx
        .query_row(
            "SELECT a.published FROM families f JOIN articles a ON a.id = f.original
             WHERE f.id = ?1",
            [family],
            |r| r.get(0),
        )
        .optional()?
        .flatten();
    if let Some(p) = stories::span_date(published.as_deref()) {
        tx.execute(
            "UPDATE stories SET
                first_published = MIN(COALESCE(first_published, ?2), ?2),
                last_published = MAX(COALESCE(last_published, ?2), ?2)
             WHERE id = ?1",
            params![story, p],
        )?;
    }
    Ok(())
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
mod tests {
    use super::*;

    #[test]
    fn a_merged_story_hands_its_families_and_time_span_to_the_story_that_took_it_in() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let tx = store.conn.transaction().unwrap();
        let story = |id: &str, seq: i64, first: Option<&str>, last: Option<&str>| {
            tx.execute(
                "INSERT INTO stories (id, seq, updated_seq, title, first_published, last_published)
                 VALUES (?1, ?2, ?2, 't', ?3, ?4)",
                params![id, seq, first, last],
            )
            .unwrap();
        };
        story("a", 1, Some("2024-03-05"), Some("2024-03-06"));
        story("b", 2, Some("2024-03-01"), Some("2024-03-03"));
        story("c", 5, None, None);
        for (f, st) in [("f1", "a"), ("f2", "b"), ("f3", "b"), ("f4", "c")] {
            tx.execute(
                "INSERT INTO families (id, seq, original, story) VALUES (?1, 0, ?1, ?2)",
                params![f, st],
            )
            .unwrap();
        }
        // b goes into a, then a (holding b) into c: a chain within one batch.
        merge_story_rows(&tx, "b", "a").unwrap();
        merge_story_rows(&tx, "a", "c").unwrap();
        let rows: Vec<(String, i64, Option<String>, Option<String>)> = tx
            .prepare("SELECT id, updated_seq, first_published, last_published FROM stories")
            .unwrap()
            .query_map([], |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?)))
            .unwrap()
            .collect::<rusqlite::Result<_>>()
            .unwrap();
        assert_eq!(
            rows,
            vec![(
                "c".to_string(),
                5,
                Some("2024-03-01".to_string()),
                Some("2024-03-06".to_string())
            )]
        );
        let in_c: i64 = tx
            .query_row("SELECT COUNT(*) FROM families WHERE story = 'c'", [], |r| {
                r.get(0)
            })
            .unwrap();
        assert_eq!(in_c, 4);
        let merges: i64 = tx
            .query_row("SELECT COUNT(*) FROM story_merges", [], |r| r.get(0))
            .unwrap();
        assert_eq!(merges, 2);
        tx.commit().unwrap();
        // An id read before the merges still finds its story.
        for id in ["a", "b", "c"] {
            assert_eq!(store.live_story(id).unwrap(), "c");
        }
        assert!(matches!(
            store.live_story("d"),
            Err(StoreError::NotFound { .. })
        ));
    }

    #[test]
    fn a_moved_family_changes_story_and_widens_its_span() {
        let dir = tempfile::tempdir().unwrap();
        let mut store = Store::open(&dir.path().join("s.db")).unwrap();
        let tx = store.conn.transaction().unwrap();
        for (id, first) in [("a", Some("2024-03-05")), ("b", None)] {
            tx.execute(
                "INSERT INTO stories (id, seq, updated_seq, title, first_published, last_published)
                 VALUES (?1, 1, 1, 't', ?2, ?2)",
                params![id, first],
            )
            .unwrap();
        }
        for (f, st, published) in [("f1", "a", "2024-03-05"), ("f2", "a", "2024-03-09")] {
            tx.execute(
                "INSERT INTO articles (id, page_key, origin, text, text_hash, family, relation,
                                       similarity, evidence, published, removed, notes, authors)
                 VALUES (?1, ?1, ?1, 'x', ?1, ?1, 'original', 1.0, '{}', ?3, '[]', '[]', '[]')",
                params![f, st, published],
            )
            .unwrap();
            tx.execute(
                "INSERT INTO families (id, seq, original, story) VALUES (?1, 0, ?1, ?2)",
                params![f, st],
            )
            .unwrap();
        }
        move_family_row(&tx, "f2", "b").unwrap();
        let story_of = |f: &str| -> String {
            tx.query_row("SELECT story FROM families WHERE id = ?1", [f], |r| {
                r.get(0)
            })
            .unwrap()
        };
        assert_eq!((story_of("f1"), story_of("f2")), ("a".into(), "b".into()));
        let span: (Option<String>, Option<String>) = tx
            .query_row(
                "SELECT first_published, last_published FROM stories WHERE id = 'b'",
                [],
                |r| Ok((r.get(0)?, r.get(1)?)),
            )
            .unwrap();
        assert_eq!(span, (Some("2024-03-09".into()), Some("2024-03-09".into())));
    }
}
