//! Reading the store: the list of stories, one story as a report, one article with its family,
//! ids found by prefix.

use super::*;

impl Store {
    /// Stories, newest first (by latest publication date, then by latest arrival).
    pub fn stories(&self, limit: usize) -> Result<Vec<StoryRow>> {
        self.stories_from(limit, 0)
    }

    /// A page of the story list, newest first: `limit` rows after the first `offset`.
    pub fn stories_from(&self, limit: usize, offset: usize) -> Result<Vec<StoryRow>> {
        self.find_stories(&StoryQuery {
            limit,
            offset,
            ..StoryQuery::default()
        })
    }

    /// Stories newest first, optionally those whose articles' titles or texts hold every word
    /// of `q` (the last may be the start of a word), or whose latest article is from `since`.
    pub fn find_stories(&self, query: &StoryQuery) -> Result<Vec<StoryRow>> {
        let mut filters = Vec::new();
        let mut args: Vec<rusqlite::types::Value> =
            vec![(query.limit as i64).into(), (query.offset as i64).into()];
        if let Some(m) = query.q.as_deref().and_then(fts_query) {
            args.push(m.into());
            filters.push(format!(
                "s.id IN (SELECT f.story FROM articles_fts JOIN articles a ON a.seq = articles_fts.rowid
                          JOIN families f ON f.id = a.family WHERE articles_fts MATCH ?{})",
                args.len()
            ));
        }
        if let Some(since) = &query.since {
            args.push(since.clone().into());
            filters.push(format!("COALESCE(s.last_published, '') >= ?{}", args.len()));
        }
        let filter = if filters.is_empty() {
            String::new()
        } else {
            format!("WHERE {}", filters.join(" AND "))
        };
        let sql = format!(
            "SELECT s.id, s.title, s.first_published, s.last_published,
                    (SELECT COUNT(*) FROM families f JOIN articles a ON a.family = f.id WHERE f.story = s.id),
                    (SELECT COUNT(*) FROM families f WHERE f.story = s.id
                       AND NOT EXISTS (SELECT 1 FROM articles a WHERE a.family = f.id AND a.synthetic)),
                    (SELECT COUNT(*) FROM families f WHERE f.story = s.id
                       AND EXISTS (SELECT 1 FROM articles a WHERE a.family = f.id AND a.synthetic))
             FROM stories s {filter}
             ORDER BY COALESCE(substr(s.last_published, 1, 10), '') DESC, s.updated_seq DESC
             LIMIT ?1 OFFSET ?2"
        );
        let mut stmt = self.conn.prepare(&sql).map_err(self.err())?;
        let rows = stmt
            .query_map(rusqlite::params_from_iter(args), |r| {
                Ok(StoryRow {
                    id: r.get(0)?,
                    title: r.get(1)?,
                    first_published: r.get(2)?,
                    last_published: r.get(3)?,
                    articles: r.get::<_, i64>(4)? as usize,
                    independent_sources: r.get::<_, i64>(5)? as usize,
                    synthetic_sources: r.get::<_, i64>(6)? as usize,
                })
            })
            .map_err(self.err())?;
        rows.collect::<std::result::Result<_, _>>()
            .map_err(self.err())
    }

    /// Finds the one id in `table` that starts with `prefix`.
    pub(super) fn resolve(&self, table: &str, what: &'static str, prefix: &str) -> Result<String> {
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
    pub(super) fn live_story(&self, id_prefix: &str) -> Result<String> {
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
        let story: ReportStory = story_entry(&id, title, &refs, &fam_ids, &originals);
        Ok(Report {
            version: VERSION,
            articles,
            families,
            stories: vec![story],
            errors: Vec::new(),
            skipped: Vec::new(),
        })
    }

    pub(super) fn articles_where(
        &self,
        cond: &str,
        value: &str,
    ) -> Result<Vec<(ReportArticle, Member)>> {
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

    /// Where the newest article read from `origin` went: its id, family, relation and story.
    pub fn placed(&self, origin: &str) -> Result<Option<Placed>> {
        self.conn
            .query_row(
                "SELECT a.id, a.family, a.relation, f.story FROM articles a
                 JOIN families f ON f.id = a.family
                 WHERE a.origin = ?1 ORDER BY a.seq DESC LIMIT 1",
                [origin],
                |r| {
                    Ok(Placed {
                        article: r.get(0)?,
                        family: r.get(1)?,
                        relation: r.get(2)?,
                        story: r.get(3)?,
                    })
                },
            )
            .optional()
            .map_err(self.err())
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

/// A reader's words as an FTS5 query that cannot be a syntax error: each word quoted, all
/// required, the last also as the start of a longer word.
fn fts_query(q: &str) -> Option<String> {
    let words: Vec<String> = q
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .take(16)
        .map(|w| format!("\"{w}\""))
        .collect();
    let last = words.last()?;
    Some(
        format!("{} {last}*", words[..words.len() - 1].join(" "))
            .trim()
            .to_string(),
    )
}
