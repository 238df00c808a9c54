//! The stage's persisted state: a story's bounded state, the clock, and what changed since a
//! store last looked; loading a clusterer back from them.
//!
//! Input: a store's rows (story states, document frequencies, merges, the clock). Output: a
//! clusterer that goes on as if it had never stopped: units still pending are read again from
//! their text.

use super::*;

/// A stored unit, read again: title, text, publication date and language.
pub type Stored = (Option<String>, String, Option<String>, Option<String>);

/// A story's state: bounded whatever its size.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct StoryState {
    pub id: String,
    /// Sums of the units' sublinear term counts (body, names, title), the strongest kept.
    pub raw: [Vec<(u64, f32)>; 3],
    pub units: u32,
    /// The body terms its units kept, summed (their mean length, with `units`). Stories stored
    /// before it was kept read 0, and are loaded as of units of full length.
    #[serde(default)]
    pub terms: u64,
    pub first_day: Option<i32>,
    pub last_day: Option<i32>,
    /// The most representative headline so far, with how close its unit was to the story.
    pub title: Option<(String, f32)>,
    /// Key names as written, with counts.
    pub labels: Vec<(String, u32)>,
    /// The towns its units name and the ages they give, with counts, the most named kept (see
    /// [`event::Marks`]).
    #[serde(default)]
    pub marks: Vec<(u64, u32)>,
    /// The language of the first unit that had one: a body in another is not compared with
    /// its body terms, only its names.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub language: Option<String>,
    /// Lengths of the raw vectors under the IDF of when they were computed, and when.
    #[serde(skip)]
    pub(super) norms: [f32; 3],
    #[serde(skip)]
    pub(super) norms_at: u32,
    #[serde(skip)]
    pub(super) archived: bool,
    /// Merged into another story (which holds its units now).
    #[serde(skip)]
    pub(super) gone: bool,
    /// The sequence number of the story's last unit (for quiet sweeps without dates).
    pub(super) last_seq: u64,
}

impl StoryState {
    /// Its towns and ages, as a unit's (see [`event::Marks`]).
    pub(super) fn mark_keys(&self) -> Vec<u64> {
        self.marks.iter().map(|p| p.0).collect()
    }

    /// Its key names in full, hashed as a unit's (see [`name_keys`]).
    pub(super) fn name_keys(&self) -> Vec<u64> {
        name_keys(self.labels.iter().take(LABELS).map(|l| l.0.as_str()))
    }

    /// Key names, most frequent first (at most eight).
    pub fn key_names(&self) -> Vec<String> {
        self.labels
            .iter()
            .take(LABELS)
            .map(|l| l.0.clone())
            .collect()
    }
}

/// The clusterer's counters, stored beside its stories.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Clock {
    pub units: u32,
    pub seq: u64,
    /// The day stories go quiet by (see [`CLOCK_WINDOW`]).
    pub newest_day: Option<i32>,
    /// The days of the latest dated units, oldest first (empty in a clock stored before they
    /// were kept).
    #[serde(default)]
    pub recent_days: Vec<i32>,
    /// Units not yet settled (see [`Clusterer::settle`]): key, story id and place in the
    /// stream. Their vectors are not stored: [`Clusterer::refill`] reads them again.
    #[serde(default)]
    pub pending: Vec<(String, String, u64)>,
}

/// Dated units whose median day the clock moves to, at each sweep of quiet stories: not the
/// latest day seen, as one feed's broken date (years ahead) would then make every story quiet
/// at once, and every story opened after it at the next sweep. A share of broken dates under
/// half cannot move a median; a stream that really moves on (a gap in coverage) moves it once
/// half the window has. In a stream in date order it lags the newest unit by half the window.
pub(super) const CLOCK_WINDOW: usize = 255;

/// What changed in a clusterer since the last look (see [`Clusterer::take_changes`]).
#[derive(Debug, Clone, Default)]
pub struct Changes {
    /// Story id and its state, or `None` for a story merged away.
    pub stories: Vec<(String, Option<StoryState>)>,
    /// Units that moved to another story since the last look: (unit key, story id now),
    /// to be applied after `merges`.
    pub moves: Vec<(String, String)>,
    /// Document frequencies of the terms that changed.
    pub df: Vec<(u64, u32)>,
    /// (merged story, story it went into).
    pub merges: Vec<(String, String)>,
    pub clock: Clock,
}

impl Clusterer {
    /// Gives the pending units read from a store their vectors again, from their text (read
    /// with the document frequencies of now; nothing is counted): `read` returns a unit's
    /// title, text and publication date by its key, or `None` if it is gone. Call once after
    /// [`Clusterer::load`].
    pub fn refill(&mut self, mut read: impl FnMut(&str) -> Option<Stored>) {
        for (key, story, seq) in std::mem::take(&mut self.unfilled) {
            let Some(&s) = self.by_id.get(self.resolve(&story)) else {
                continue;
            };
            let Some((title, text, published, language)) = read(&key) else {
                continue;
            };
            let unit = Unit {
                key: &key,
                title: title.as_deref(),
                text: &text,
                published: published.as_deref(),
                language: language.as_deref(),
            };
            let trusted = trusted_language(&unit).map(str::to_string);
            let c = count(unit.title, unit.text, trusted.as_deref());
            let f = self.weigh_unit(&c, self.sublinear(&c.parts[BODY]), unit.published);
            let marks = self.marks_of(&unit);
            let names = self.names_of(&c);
            self.pending.push_back(Pending {
                key,
                terms: f.size().1,
                raw: f.raw,
                day: f.day,
                marks,
                names,
                language: trusted,
                story: s,
                seq,
            });
        }
    }

    /// What changed since the last call, for a store to write: the changed stories (a merged
    /// one with `gone` set), the document frequencies of changed terms, and merges made.
    pub fn take_changes(&mut self) -> Changes {
        let mut stories: Vec<u32> = self.changed.drain().collect();
        stories.sort_unstable();
        let mut terms: Vec<u64> = self.changed_terms.drain().collect();
        terms.sort_unstable();
        // A move names the story the unit is in at the end of the batch: the store applies
        // moves after merges.
        let moves = std::mem::take(&mut self.new_moves)
            .into_iter()
            .map(|(k, s)| (k, self.resolve(&s).to_string()))
            .collect();
        self.moved.clear();
        let pending = self
            .pending
            .iter()
            .map(|p| {
                let s = self.current(p.story);
                (p.key.clone(), self.stories[s as usize].id.clone(), p.seq)
            })
            .chain(self.unfilled.iter().cloned())
            .collect();
        Changes {
            stories: stories
                .into_iter()
                .map(|s| {
                    let st = &self.stories[s as usize];
                    (st.id.clone(), (!st.gone).then(|| st.clone()))
                })
                .collect(),
            df: terms
                .into_iter()
                .map(|t| (t, self.df.stream_count(t)))
                .collect(),
            merges: std::mem::take(&mut self.new_merges),
            moves,
            clock: Clock {
                units: self.df.units,
                seq: self.seq,
                newest_day: self.newest_day,
                recent_days: self.recent_days.iter().copied().collect(),
                pending,
            },
        }
    }

    /// A clusterer from stored state (what [`Clusterer::take_changes`] gave, accumulated).
    pub fn load(
        params: Params,
        clock: Clock,
        df: impl IntoIterator<Item = (u64, u32)>,
        stories: impl IntoIterator<Item = StoryState>,
        merges: impl IntoIterator<Item = (String, String)>,
    ) -> Clusterer {
        let mut c = Clusterer::new(params);
        for (h, n) in df {
            c.df.set_stream_count(h, n);
        }
        c.df.set_units(clock.units);
        c.seq = clock.seq;
        c.newest_day = clock.newest_day;
        let keep = clock.recent_days.len().saturating_sub(CLOCK_WINDOW);
        c.recent_days = clock.recent_days.into_iter().skip(keep).collect();
        c.merged = merges.into_iter().collect();
        c.unfilled = clock.pending;
        for mut st in stories {
            let s = c.stories.len() as u32;
            st.norms_at = 0;
            st.gone = false;
            if st.terms == 0 {
                // Stored before term counts were kept: its units are taken as of full length,
                // or the first new unit's count would later stand for them all.
                st.terms = st.units as u64 * UNIT_TERMS as u64;
            }
            st.archived = c.quiet(&st);
            if st.archived {
                insert_all(&mut c.archive, &archive_keys(&st), s);
            } else {
                insert_all(&mut c.index, &indexed(&st), s);
                c.live.push(s);
            }
            c.by_id.insert(st.id.clone(), s);
            c.stories.push(st);
        }
        c
    }
}
