//! Writing a batch: pages, line statistics, failures, and each article placed with copy
//! detection against the families stored (read back by shared copy keys, never the whole
//! corpus), and with the story clusterer.

use super::*;

pub(super) enum Inserted {
    Already,
    /// A new family.
    Founded,
    /// A copy in a stored family.
    Joined,
    /// The new original of a stored family.
    Reoriginal,
}

/// Families whose members are read back to place one arriving article.
pub(super) const MAX_FAMILIES_REPLAYED: usize = 6;

/// Members read back per replayed family besides its original and the candidates.
pub(super) const MAX_MEMBERS_REPLAYED: usize = 24;

/// Candidate articles (by shared copy keys) looked up per arriving article.
pub(super) const MAX_CANDIDATES: usize = 32;

/// Inserts an article and places it with copy detection, without re-reading the corpus: its
/// copy keys find candidate articles through `copy_keys`; the families of the best of them are
/// read back (as stored, not recomputed) into a copy engine, which then places the new
/// article. Whatever the engine decides for those families (the new member, a new original,
/// families merged through the newcomer) is written back; the rest of the store is untouched.
pub(super) fn insert_article(
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
                               removed, notes, text_hash, family, relation, similarity, evidence, synthetic)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12, ?13, ?14, ?15, ?16, ?17, ?18)",
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
            crate::coverage::disclosure(&text).is_some(),
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

impl Store {
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
        let err = |cause| StoreError::Sqlite {
            path: path.clone(),
            cause,
        };
        let tx = write_transaction(&mut self.conn).map_err(err)?;
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
}
