//! The story clusterer's state in the store: read back at the first batch (or replayed from
//! the stored families of an older store), written after each with the merges and moves it
//! made, and the stream closed at the end of an ingest as `analyze` closes its run.

use super::*;

/// The story clusterer as stored: its counters, term frequencies, stories and merges. A store
/// written before stories were clustered has families but no clusterer state: its families are
/// put back in their stories, in arrival order, so that newcomers can join them.
pub(super) fn load_clusterer(tx: &Transaction) -> rusqlite::Result<stories::Clusterer> {
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
pub(super) fn save_clusterer(tx: &Transaction, c: &mut stories::Clusterer) -> rusqlite::Result<()> {
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
pub(super) fn merge_story_rows(tx: &Transaction, from: &str, into: &str) -> rusqlite::Result<()> {
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
pub(super) fn move_family_row(tx: &Transaction, family: &str, story: &str) -> rusqlite::Result<()> {
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

impl Store {
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
        let err = |cause| StoreError::Sqlite {
            path: path.clone(),
            cause,
        };
        let tx = write_transaction(&mut self.conn).map_err(err)?;
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
            // Only texts the refinement can take are kept: an ingest's articles need not all
            // be held at once.
            let mut short = Vec::new();
            for row in rows {
                let row: (String, String, stories::Stored) = row.map_err(err)?;
                if clusterer.may_refine(&row.2 .1) {
                    short.push(row);
                }
            }
            short
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
}
