//! The second look: once a unit has settled (the stream has moved on), it may move to a story
//! it fits better, and a small story no report joined since may be adopted by a larger one.
//!
//! Input: units pending since they arrived ([`Pending`]). Output: moves and adoptions.

use super::*;

/// A unit not yet settled: what a second look at it reads.
#[derive(Debug, Clone)]
pub(super) struct Pending {
    pub(super) key: String,
    pub(super) raw: [Vec<(u64, f32)>; 3],
    pub(super) terms: u64,
    pub(super) day: Option<i32>,
    pub(super) marks: Vec<u64>,
    pub(super) names: Vec<u64>,
    pub(super) language: Option<String>,
    /// The story it is in (merged away, perhaps: see [`Clusterer::current`]).
    pub(super) story: u32,
    /// Its place in the stream.
    pub(super) seq: u64,
}

/// Units after a unit's arrival at which it has settled and gets its second look (see
/// [`Clusterer::settle`]): by then its event's story has had time to form. Pending units are
/// kept until then, so this bounds their memory (at most 64 body terms and 64 names of 16
/// bytes each). 64, 128 and 256 were tried
/// on ECB+ train and dev (0.886, 0.890, 0.888 pairwise F1 over sixteen orders); 1024 and 4096
/// leave most of a short stream to the end of the stream.
pub(super) const SETTLE_AFTER: u64 = 128;

impl Clusterer {
    /// Whether units get a second look (see [`Clusterer::settle`]).
    pub(super) fn settling(&self) -> bool {
        self.params.move_threshold.is_finite() || self.params.adopt_threshold.is_finite()
    }

    /// A second look at units that have settled: those [`SETTLE_AFTER`] units or more behind
    /// the newest (every pending unit when `all`, at the end of a stream). A unit was assigned
    /// with what the stream had shown when it arrived; by now its event's story has formed.
    ///
    /// - **Moves.** A unit is scored against its own story without it (leave one out) and
    ///   against its candidates. It moves to the candidate it scores highest against if that
    ///   score, divided by the expected one, reaches [`Params::move_threshold`] and beats the
    ///   score against the rest of its own story. This undoes what an online pass cannot: the
    ///   first short reports of an event joined the story of a like event (the 2009 casting of
    ///   a Doctor Who actor joined the 2013 one's story) before the event's own story existed.
    /// - **Adoption.** A story of at most [`Params::adopt_units`] units that no unit has joined
    ///   since it settled joins the larger story it scores highest against, if its score over
    ///   the expected one reaches [`Params::adopt_threshold`], that story stands out from the
    ///   next ([`Params::adopt_margin`]) and it names the same people and places
    ///   ([`Params::adopt_names`]). When it arrived it could have been the first report of a
    ///   new event, held to the full threshold; once no report has followed it, and one story
    ///   stands out as its home, it is likelier a stray report of an event already told (a
    ///   short one, or one with a different angle) than an event of its own. This is the part
    ///   of the second look that can be wrong at scale: in a stream holding many small events
    ///   of one kind, a quarter of the adoptions in the bench's 1M stream went to a large story
    ///   of a like event, though far fewer when the bench invents names as distinctive as real
    ///   ones (BENCHMARKS.md: pair precision 0.919 against 0.990).
    ///
    /// In a stream each unit is looked at once (at its end, up to three rounds, until none
    /// moves), and each small settled story once per unit of it that settles: about one more
    /// scoring per unit. Returns how many units moved or were adopted.
    pub fn settle(&mut self, all: bool) -> usize {
        let seq = self.seq;
        let mut due = Vec::new();
        while let Some(p) = self.pending.front() {
            if !all && p.seq + SETTLE_AFTER > seq {
                break;
            }
            due.extend(self.pending.pop_front());
        }
        if due.is_empty() {
            return 0;
        }
        let mut changed = 0;
        if self.params.move_threshold.is_finite() {
            // At the end of a stream, nothing more will come to settle what a move unsettled:
            // units are looked at again until none moves (a few rounds at most).
            for _ in 0..if all { 3 } else { 1 } {
                let mut moved = 0;
                for p in &mut due {
                    moved += usize::from(self.reconsider(p, None));
                }
                changed += moved;
                if moved == 0 {
                    break;
                }
            }
        }
        if !self.params.adopt_threshold.is_finite() {
            return changed;
        }
        let mut small: Vec<u32> = due.iter().map(|p| self.current(p.story)).collect();
        small.sort_unstable();
        small.dedup();
        small.retain(|&s| {
            let st = &self.stories[s as usize];
            !st.gone
                && !st.archived
                && st.units <= self.params.adopt_units
                && (all || st.last_seq + SETTLE_AFTER <= seq)
        });
        // The smallest first: a stray report is adopted before the piece it may belong to.
        small.sort_by_key(|&s| (self.stories[s as usize].units, s));
        for s in small {
            changed += usize::from(self.adopt(s));
        }
        changed
    }

    /// The first `limit` live stories other than `s` among the candidates of weighted vectors
    /// `w` (`wi`: the same times the IDF), with their raw scores, highest first (ties by
    /// story).
    pub(super) fn scored_candidates(
        &mut self,
        s: u32,
        w: &[Sparse; 3],
        wi: &[Sparse; 3],
        at: Where,
        limit: usize,
    ) -> Vec<(u32, f32)> {
        let mut scored = Vec::new();
        for c in self.candidates(w) {
            let ct = &self.stories[c as usize];
            if c == s || ct.gone || ct.archived {
                continue;
            }
            if scored.len() == limit {
                break;
            }
            self.refresh(c);
            scored.push((c, self.score(&self.stories[c as usize], wi, at)));
        }
        scored.sort_unstable_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
        scored
    }

    /// The second look at one unit (see [`Clusterer::settle`]): whether it moved. Within a
    /// refinement (`within`), only among the stories it refines.
    pub(super) fn reconsider(&mut self, p: &mut Pending, within: Option<&Refinement>) -> bool {
        let s = self.current(p.story);
        let st = &self.stories[s as usize];
        if st.gone || st.archived || within.is_some_and(|r| !self.refinable(s, r)) {
            return false;
        }
        let (w, wi) = self.df.weigh_all(&p.raw);
        let at = Where {
            marks: &p.marks,
            names: &p.names,
            span: (p.day, p.day),
            language: p.language.as_deref(),
        };
        let own = if st.units <= 1 {
            0.0
        } else {
            self.refresh(s);
            self.score_without(&self.stories[s as usize], &p.raw, &wi, at)
        };
        let size = (1, p.terms);
        let best = self
            .scored_candidates(s, &w, &wi, at, MOVE_CANDIDATES)
            .into_iter()
            .find(|&(c, raw)| {
                raw / self.expected(&self.stories[c as usize], size) >= self.params.move_threshold
                    && raw >= self.params.settle_floor
                    && within.is_none_or(|r| self.refinable(c, r))
            });
        let Some((c, _)) = best.filter(|b| b.1 > own) else {
            return false;
        };
        self.move_unit(p, s, c);
        true
    }

    /// Moves unit `p` from story `s` to story `c` (a story it was alone in goes into `c`), and
    /// records the move for [`Clusterer::story_of`] and a store.
    pub(super) fn move_unit(&mut self, p: &mut Pending, s: u32, c: u32) {
        if self.stories[s as usize].units <= 1 {
            self.merge(c, s);
        } else {
            self.release(s, &p.raw, p.terms);
            let marks = event::counted(&p.marks);
            self.absorb(
                c,
                &p.raw,
                (1, p.terms),
                (p.day, p.day),
                None,
                (Vec::new(), &marks),
            );
        }
        p.story = c;
        let id = self.stories[c as usize].id.clone();
        self.moved.insert(p.key.clone(), id.clone());
        if self.tracking {
            self.new_moves.push((p.key.clone(), id));
        }
    }

    /// Takes a unit's vectors and size out of story `s` (its labels, title and time span
    /// stay: a story keeps no per-unit record of them).
    pub(super) fn release(&mut self, s: u32, raw: &[Vec<(u64, f32)>; 3], terms: u64) {
        let before = indexed(&self.stories[s as usize]);
        let st = &mut self.stories[s as usize];
        for k in [BODY, NAMES, TITLE] {
            st.raw[k] = subtract(&st.raw[k], &raw[k]);
        }
        st.units = st.units.saturating_sub(1);
        st.terms = st.terms.saturating_sub(terms);
        st.norms_at = 0;
        let after = indexed(st);
        remove_all(&mut self.index, &before, s);
        insert_all(&mut self.index, &after, s);
        self.mark_changed(s);
    }

    /// Adoption of small story `s` (see [`Clusterer::settle`]): whether it was merged.
    pub(super) fn adopt(&mut self, s: u32) -> bool {
        let st = &self.stories[s as usize];
        let (w, wi) = self.df.weigh_all(&st.raw);
        let (standing, size) = (Standing::of(st), (st.units, st.terms));
        let units = st.units;
        let scored = self.scored_candidates(s, &w, &wi, standing.at(), MAX_CANDIDATES);
        let Some(&(c, raw)) = scored.first() else {
            return false;
        };
        let ct = &self.stories[c as usize];
        let second = scored.get(1).map_or(0.0, |b| b.1);
        // Only a larger story adopts (two lone short texts sharing a common word or two, "the
        // mayor said", are no story), only one that stands out (see `Params::adopt_margin`)
        // and only one that names the same people and places (`Params::adopt_names`).
        let names =
            if self.params.w_names > 0.0 && !wi[NAMES].is_empty() && !ct.raw[NAMES].is_empty() {
                cosine(&wi[NAMES], &ct.raw[NAMES], ct.norms[NAMES])
            } else {
                f32::INFINITY
            };
        if ct.units <= units
            || names < self.params.adopt_names
            || raw / self.expected(ct, size) < self.params.adopt_threshold
            || raw < self.params.settle_floor
            || raw < second * (1.0 + self.params.adopt_margin)
        {
            return false;
        }
        self.merge(c, s);
        true
    }
}
