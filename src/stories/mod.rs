//! The `stories` stage: assigns each family of copies, as one unit, to a story (one real-world
//! event), online.
//!
//! Input: units (a family's original: title, text, publication date) in arrival order. Output:
//! for each unit the story it joins or opens, and per story a title, key names and a time span.
//!
//! The idea: a unit becomes three sparse vectors: body terms, names (capitalised words inside
//! sentences and numbers: the people, places and figures that tell one event from another of
//! the same kind; a surname alone meets the full name it belongs to through the shared word),
//! and title terms, weighted by TF-IDF with document frequencies counted as units arrive, on
//! top of a background of general English texts ([`background`]: without it the first reports
//! of a stream share words that then weigh nothing, and do not find each other). A
//! story keeps the sums of its units' raw term counts, trimmed to its strongest entries so its
//! state stays bounded, and re-weighted with the IDF of the moment when it is scored. Candidates
//! come from an inverted index over each live story's strongest terms and names; each is scored
//! by a weighted sum of cosines (less a penalty for time distance, whose learned weight is zero
//! on ECB+). That score is divided by the score a member of the story is expected to reach
//! (`Clusterer::expected`: lower for short texts and for small stories, whose centroids are
//! noisy), and the unit joins, among the stories where the quotient reaches a threshold, the
//! one it scores highest against, or opens a new one. Now and then, stories that doubled in
//! size since last looked at are compared with their candidates the same way (two stories of
//! one event are expected to score as two centroids do) and merged: the first reports of an
//! event may open apart, before the stream has shown which words matter. Once a unit has
//! settled (the stream has moved on; at the end of a batch run, every unit), it gets a second
//! look ([`Clusterer::settle`]): it moves to another story that it fits and scores higher
//! against than against the rest of its own (the first short reports of an event join a like
//! event's story before their own exists), and a small story no report has joined since joins
//! a larger one it fits at a lower threshold (a stray report, not an event). The expectation's two
//! constants are fitted on ECB+ train and dev (`tools/fit_length.py`); weights, threshold and
//! merge margin are learned on ECB+ train and dev, as whole texts and cut to headlines (`cargo
//! run --release --example tune_stories`). Stories quiet for longer than
//! [`Params::quiet_days`] leave the index for an archive indexed by their key names only, from
//! which a stronger match reopens them. "Now" is the median day of the latest dated units, not
//! the latest day seen, so that feeds' broken dates (years ahead) do not send every story quiet;
//! 1970-01-01, a zero timestamp, counts as no date. Short texts (headlines) get one more step
//! once a closed batch has been assigned ([`Clusterer::refine`]): their stories are read as a
//! Dirichlet multinomial mixture, and each unit moves to the story where it is likeliest.
//! Where and when weigh in every decision ([`event`]): a score is multiplied by what the days
//! between a unit and a story, the names they share across those days, the towns they name
//! and the ages they give say, with weights learned on dated local news
//! (`tools/fit_events.rs`); undated corpora with no towns or ages are scored as before. Texts
//! in other languages are read with their own stop words and stems ([`language`]), and across
//! languages names alone are compared.
//!
//! Where each part lives: this file holds the clusterer and its arrival path (`add`, `join`,
//! the clock); [`features`] reads a unit, [`df`] weighs it, [`index`] finds candidates,
//! [`decision`] scores and chooses, [`merge`] joins stories opened apart, [`settle`] is the
//! second look, [`refine`] the short-text mixture, [`state`] what a store keeps and loads,
//! [`event`] and [`language`] the evidence and the reading of languages, [`params`] the learned
//! parameters, [`shards`] the containers that keep it cheap at a million stories.

use serde::{Deserialize, Serialize};

use crate::text::{self, FastMap};

mod background;
pub use background::{background, Background};
mod decision;
mod df;
pub mod event;
mod features;
mod index;
mod language;
mod merge;
mod params;
mod refine;
mod settle;
mod shards;
mod state;
#[cfg(test)]
mod tests;

use df::*;
use event::{Evidence, Marks, Span};
use features::*;
pub use features::{body_terms, Features};
use index::*;
pub use params::Params;
use refine::*;
use settle::*;
use shards::*;
use state::*;
pub use state::{Changes, Clock, Stored, StoryState};

/// A story's id: derived from the family that opened it, so it is stable across runs.
pub fn story_id(founder_family: &str) -> String {
    text::hex_id(text::hash64(format!("story\0{founder_family}").as_bytes()))
}

/// Families in the order a stream would bring them: by their first member's arrival (see
/// [`crate::copies::arrival_order`]). `published` and `family_of` are per article.
pub fn families_in_arrival_order<'f>(
    published: &[Option<&str>],
    family_of: &'f [String],
) -> Vec<&'f str> {
    let mut seen = text::FastSet::default();
    crate::copies::arrival_order(published.iter().copied())
        .into_iter()
        .filter_map(|i| family_of.get(i))
        .filter(|f| seen.insert(f.as_str()))
        .map(String::as_str)
        .collect()
}

/// What the clusterer reads of a unit (a family of copies, through its original).
#[derive(Debug, Clone, Copy)]
pub struct Unit<'a> {
    /// The family's id (names the story if the unit opens one).
    pub key: &'a str,
    pub title: Option<&'a str>,
    pub text: &'a str,
    pub published: Option<&'a str>,
    /// Its language (ISO 639-1), where known: how its words are read (see [`language`]), and
    /// which stories its body can be compared with.
    pub language: Option<&'a str>,
}

/// Terms a unit keeps (its strongest by weight).
const UNIT_TERMS: usize = 64;
/// Terms and names a story keeps.
const STORY_TERMS: usize = 128;
const STORY_NAMES: usize = 48;
/// Entries of a story in the candidate index, and of a unit looked up.
const INDEXED_TERMS: usize = 12;
const INDEXED_NAMES: usize = 8;
/// Candidates scored per unit (the ones sharing the most weight in indexed entries).
const MAX_CANDIDATES: usize = 16;
/// Candidates a settled unit is scored against (see [`Clusterer::settle`]): the stories units
/// move to rank high among them (on the bench's synthetic stream at 100k, 97 % of moves went
/// to one of the first eight), and scoring them is most of what a second look costs.
const MOVE_CANDIDATES: usize = 8;
/// Labels (key names and terms as written) a story keeps for display.
const LABELS: usize = 8;

/// A publication date as a story's span and clock read it: none for 1970-01-01, which is what
/// a zero timestamp prints, not a date (it would date a story from 1970, and put a report
/// decades from the others of its event).
pub fn span_date(published: Option<&str>) -> Option<&str> {
    published.filter(|p| !p.starts_with("1970-01-01"))
}

/// Days since 1970 of a `YYYY-MM-DD...` date.
pub fn day_of(published: &str) -> Option<i32> {
    let d = chrono::NaiveDate::parse_from_str(published.get(..10)?, "%Y-%m-%d").ok()?;
    let epoch = chrono::NaiveDate::from_ymd_opt(1970, 1, 1)?;
    i32::try_from((d - epoch).num_days()).ok()
}

/// Where a unit went.
#[derive(Debug, Clone, PartialEq)]
pub struct Assignment {
    pub story: String,
    /// Its score against the story it joined, divided by the score a member is expected to
    /// reach, as the threshold reads it (`None` when it opened one).
    pub score: Option<f32>,
}

/// What a story gathers of a unit besides its vectors: key names as written and towns, with
/// counts.
type Gathered<'a> = (Vec<(String, u32)>, &'a [(u64, u32)]);

/// Where and when a unit (or a story a second look or a merge pass weighs) stands: the towns
/// it names, the ages it gives, its names in full, its span in days and its language.
#[derive(Debug, Clone, Copy)]
struct Where<'a> {
    /// The towns it names and the ages it gives (see [`event::Marks`]).
    marks: &'a [u64],
    /// Hashes of the names in full it names most (see [`name_keys`]).
    names: &'a [u64],
    span: Span,
    /// Its language: a body in another language than a story's is not compared with it.
    language: Option<&'a str>,
}

/// Where and when a story stands, owned: what a merge pass or an adoption weighs it by, as a
/// unit is weighed by its [`Where`].
struct Standing {
    marks: Vec<u64>,
    names: Vec<u64>,
    language: Option<String>,
    span: Span,
}

impl Standing {
    fn of(st: &StoryState) -> Standing {
        Standing {
            marks: st.mark_keys(),
            names: st.name_keys(),
            language: st.language.clone(),
            span: (st.first_day, st.last_day),
        }
    }

    fn at(&self) -> Where<'_> {
        Where {
            marks: &self.marks,
            names: &self.names,
            span: self.span,
            language: self.language.as_deref(),
        }
    }
}

/// One candidate a unit was weighed against as it arrived (see [`Clusterer::set_trace`]): what
/// a learner of the decision reads.
#[derive(Debug, Clone)]
pub struct Trace {
    pub story: String,
    /// ln of the score over the expected one, before the evidence's weights.
    pub log_fit: f32,
    pub features: [f32; event::FEATURES],
    /// Whether the story was quiet (reopening it needs [`Params::reopen_margin`] more).
    pub archived: bool,
}

/// The online clusterer.
#[derive(Debug, Clone)]
pub struct Clusterer {
    pub params: Params,
    df: Df,
    stories: Chunked<StoryState>,
    by_id: Shards<String, u32>,
    /// Live stories by their strongest terms and names.
    index: FastMap<u64, Vec<u32>>,
    /// Quiet stories by their key names only.
    archive: FastMap<u64, Vec<u32>>,
    /// Stories merged away, and the story that took them in.
    merged: FastMap<String, String>,
    /// Stories that doubled in size since a merge pass last looked at them.
    dirty: text::FastSet<u32>,
    /// Stories not archived (some may be gone or archived since; the sweep drops them).
    live: Vec<u32>,
    /// Stories and terms changed since the last [`Clusterer::take_changes`], and merges.
    changed: text::FastSet<u32>,
    changed_terms: text::FastSet<u64>,
    /// Whether the changes above are recorded (see [`Clusterer::set_tracking`]).
    tracking: bool,
    new_merges: Vec<(String, String)>,
    seq: u64,
    /// The clock stories go quiet by (see [`CLOCK_WINDOW`]).
    newest_day: Option<i32>,
    /// The days of the latest dated units, oldest first.
    recent_days: std::collections::VecDeque<i32>,
    /// Units not yet looked at a second time, in arrival order (see [`Clusterer::settle`]).
    pending: std::collections::VecDeque<Pending>,
    /// Keys of pending units read from a store, whose vectors [`Clusterer::refill`] gives.
    unfilled: Vec<(String, String, u64)>,
    /// Units that moved from the story they were assigned to, and the story they are in.
    moved: FastMap<String, String>,
    /// Moves since the last [`Clusterer::take_changes`] (unit key, story id).
    new_moves: Vec<(String, String)>,
    /// Per story, a candidate's summed weight while [`Clusterer::candidates`] runs (all zero
    /// between calls).
    scratch: Vec<f32>,
    /// Candidates weighed as units arrived, when a learner asks (see [`Clusterer::set_trace`]).
    trace: Option<Vec<Trace>>,
}

impl Default for Clusterer {
    fn default() -> Self {
        Clusterer::new(Params::default())
    }
}

/// Units between sweeps of quiet stories out of the index.
const SWEEP_EVERY: u64 = 1024;
/// Units after which a story counts as quiet whatever its dates (see `Clusterer::quiet`).
const QUIET_UNITS: u64 = 200_000;
/// Units between merge passes (and second looks at settled units).
const MERGE_EVERY: u64 = 32;
/// Growth of the corpus after which a story's cached norms are computed again.
const STALE_NORMS: f32 = 1.1;

impl Clusterer {
    pub fn new(params: Params) -> Self {
        Clusterer {
            params,
            df: Df::new(params.idf_prior as u32, params.background),
            stories: Chunked::default(),
            by_id: Shards::default(),
            index: FastMap::default(),
            archive: FastMap::default(),
            merged: FastMap::default(),
            dirty: Default::default(),
            live: Vec::new(),
            changed: Default::default(),
            changed_terms: Default::default(),
            tracking: true,
            new_merges: Vec::new(),
            seq: 0,
            newest_day: None,
            recent_days: Default::default(),
            pending: Default::default(),
            unfilled: Vec::new(),
            moved: Default::default(),
            new_moves: Vec::new(),
            scratch: Vec::new(),
            trace: None,
        }
    }

    /// Whether to record each candidate a unit is weighed against as it arrives, for a learner
    /// of the join decision (`tools/fit_events.rs`); off by default.
    pub fn set_trace(&mut self, on: bool) {
        self.trace = on.then(Vec::new);
    }

    /// The candidates traced since the last call (see [`Clusterer::set_trace`]).
    pub fn take_trace(&mut self) -> Vec<Trace> {
        self.trace.as_mut().map(std::mem::take).unwrap_or_default()
    }

    /// Whether to record what changed for [`Clusterer::take_changes`] (on by default). A
    /// clusterer whose state no store keeps (a batch run, a benchmark) turns it off: otherwise
    /// it holds every term it ever saw a second time, in a set no one drains.
    pub fn set_tracking(&mut self, on: bool) {
        self.tracking = on;
        if !on {
            self.changed.clear();
            self.changed_terms.clear();
        }
    }

    /// The stories still standing, in the order they were opened.
    pub fn stories(&self) -> impl Iterator<Item = &StoryState> {
        self.stories.iter().filter(|s| !s.gone)
    }

    /// A story by id, following merges.
    pub fn story(&self, id: &str) -> Option<&StoryState> {
        self.by_id
            .get(self.resolve(id))
            .map(|&i| &self.stories[i as usize])
    }

    /// The story an id stands for now (itself, or the story it was merged into).
    pub fn resolve<'s>(&'s self, mut id: &'s str) -> &'s str {
        for _ in 0..1000 {
            match self.merged.get(id) {
                Some(next) => id = next,
                None => break,
            }
        }
        id
    }

    /// Assigns a unit: among the stories where its score divided by the expected one reaches
    /// the threshold, it joins the one it scores highest against, or opens one.
    /// Stories split early are merged now and then (see [`Clusterer::merge_pass`]); a unit's
    /// story may thus later be merged into another: [`Clusterer::resolve`] says which.
    pub fn add(&mut self, unit: &Unit) -> Assignment {
        let (f, labels) = self.features(unit);
        let (s, score) = match self.best(&f.weighted, &f.scoring, f.at(), f.size(), 0.0, None) {
            Some((s, score)) => (s, Some(score)),
            None => (self.open(story_id(unit.key)), None),
        };
        self.join(s, unit.title, &f, labels);
        let (day, terms) = (f.day, f.size().1);
        if self.settling() {
            // Its vectors are kept for the second look (taken, not copied: the story has
            // added them up).
            self.pending.push_back(Pending {
                key: unit.key.to_string(),
                raw: f.raw,
                terms,
                day,
                marks: f.marks,
                names: f.names,
                language: f.language,
                story: s,
                seq: self.seq + 1,
            });
        }
        self.tick(day);
        Assignment {
            story: self.stories[s as usize].id.clone(),
            score,
        }
    }

    /// Puts a unit back in a story already decided (read from the store), without scoring.
    pub fn restore(&mut self, unit: &Unit, story: &str) {
        let (f, labels) = self.features(unit);
        let s = match self.by_id.get(story) {
            Some(&s) => s,
            None => self.open(story.to_string()),
        };
        self.join(s, unit.title, &f, labels);
        self.advance(f.day);
        self.dirty.clear();
    }

    /// Counts a unit on the clock.
    fn advance(&mut self, day: Option<i32>) {
        self.seq += 1;
        if let Some(d) = day {
            if self.recent_days.len() == CLOCK_WINDOW {
                self.recent_days.pop_front();
            }
            self.recent_days.push_back(d);
        }
    }

    /// Moves the clock to the median day of the latest dated units, if that is later (see
    /// [`CLOCK_WINDOW`]).
    fn set_clock(&mut self) {
        let mut days: Vec<i32> = self.recent_days.iter().copied().collect();
        if days.is_empty() {
            return;
        }
        let mid = days.len() / 2;
        let (_, &mut median, _) = days.select_nth_unstable(mid);
        self.newest_day = Some(self.newest_day.map_or(median, |x| x.max(median)));
    }

    /// Whether a story has been quiet long enough to leave the candidate index.
    /// A story no unit joined for [`QUIET_UNITS`] is quiet whatever its dates say: one whose
    /// only unit was dated years ahead would otherwise stay in the index for good.
    fn quiet(&self, st: &StoryState) -> bool {
        let by_days = match (st.last_day, self.newest_day) {
            (Some(l), Some(n)) => (n - l) as f32 > self.params.quiet_days,
            _ => false,
        };
        by_days || self.seq.saturating_sub(st.last_seq) > QUIET_UNITS
    }

    fn open(&mut self, id: String) -> u32 {
        let s = self.stories.len() as u32;
        self.live.push(s);
        self.by_id.insert(id.clone(), s);
        self.stories.push(StoryState {
            id,
            raw: Default::default(),
            units: 0,
            terms: 0,
            first_day: None,
            last_day: None,
            title: None,
            labels: Vec::new(),
            marks: Vec::new(),
            language: None,
            norms: [0.0; 3],
            norms_at: 0,
            archived: false,
            gone: false,
            last_seq: 0,
        });
        s
    }

    /// Adds a unit's (or a merged story's) vectors, span and labels to story `s`.
    fn absorb(
        &mut self,
        s: u32,
        raw: &[Vec<(u64, f32)>; 3],
        (units, terms): (u32, u64),
        days: (Option<i32>, Option<i32>),
        title: Option<(String, f32)>,
        (labels, marks): Gathered,
    ) {
        let seq = self.seq;
        let was_archived = self.stories[s as usize].archived;
        let before = if was_archived {
            archive_keys(&self.stories[s as usize])
        } else {
            indexed(&self.stories[s as usize])
        };
        let read = [BODY, NAMES, TITLE].map(|k| self.part_read(k));
        let st = &mut self.stories[s as usize];
        let keep = [STORY_TERMS, STORY_NAMES, STORY_TERMS];
        for k in [BODY, NAMES, TITLE] {
            // A part never read (the title, as learned) is not kept: it only cost memory and
            // the IDF lookups of pruning it.
            if read[k] {
                accumulate(&mut st.raw[k], &raw[k]);
                st.norms[k] = self.df.prune(&mut st.raw[k], keep[k]);
            } else {
                st.raw[k] = Vec::new();
                st.norms[k] = 0.0;
            }
        }
        st.norms_at = self.df.units.max(1);
        // A merge pass looks at a story again when it has doubled in size (from two units
        // on): its centroid has moved much by then, while looking after every unit added a
        // fifth to the time (7,100 articles/s at 1M stored against 8,600 with this rule). A
        // story of one unit was just scored against its candidates when it opened.
        let now = st.units + units;
        let recheck = now >= 2 && now.ilog2() > st.units.max(1).ilog2();
        st.units += units;
        st.terms += terms;
        st.last_seq = seq;
        for d in [days.0, days.1].into_iter().flatten() {
            st.first_day = Some(st.first_day.map_or(d, |x| x.min(d)));
            st.last_day = Some(st.last_day.map_or(d, |x| x.max(d)));
        }
        if let Some((t, c)) = title {
            if st.title.as_ref().is_none_or(|(_, old)| c > *old) {
                st.title = Some((t, c));
            }
        }
        for (l, n) in labels {
            match st.labels.iter_mut().find(|x| x.0 == l) {
                Some(x) => x.1 += n,
                None => st.labels.push((l, n)),
            }
        }
        st.labels
            .sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
        st.labels.truncate(LABELS * 2);
        event::add_marks(&mut st.marks, marks);
        st.archived = false;
        let after = indexed(st);
        if was_archived {
            remove_all(&mut self.archive, &before, s);
            self.live.push(s);
        } else {
            remove_all(&mut self.index, &before, s);
        }
        insert_all(&mut self.index, &after, s);
        // Only a merge pass reads it: with merging off it would only grow.
        if self.params.merge_margin.is_finite() && recheck {
            self.dirty.insert(s);
        }
        self.mark_changed(s);
    }

    /// Records that story `s` changed, for a store (see [`Clusterer::set_tracking`]).
    fn mark_changed(&mut self, s: u32) {
        if self.tracking {
            self.changed.insert(s);
        }
    }

    fn join(&mut self, s: u32, title: Option<&str>, f: &Features, labels: Vec<(String, usize)>) {
        self.refresh(s);
        let st = &self.stories[s as usize];
        let closeness = if st.units == 0 {
            1.0
        } else {
            cosine(&f.scoring[BODY], &st.raw[BODY], st.norms[BODY])
        };
        // The headline is copied only if it becomes the story's title.
        let title = title
            .map(str::trim)
            .filter(|t| !t.is_empty())
            .filter(|_| st.title.as_ref().is_none_or(|(_, old)| closeness > *old))
            .map(|t| (t.to_string(), closeness));
        let labels = labels.into_iter().map(|(l, n)| (l, n as u32)).collect();
        let marks = event::counted(&f.marks);
        if st.language.is_none() && f.language.is_some() {
            self.stories[s as usize].language = f.language.clone();
        }
        self.absorb(s, &f.raw, f.size(), (f.day, f.day), title, (labels, &marks));
    }

    /// Advances the clock; now and then merges stories split early and moves quiet stories to
    /// the archive.
    fn tick(&mut self, day: Option<i32>) {
        self.advance(day);
        if self.seq.is_multiple_of(MERGE_EVERY) {
            // Units leave stories they do not belong to before stories are merged: a like
            // event's story holding a stray report of another draws that event's story in.
            self.settle(false);
            if self.params.merge_margin.is_finite() {
                self.merge_pass();
            }
        }
        if !self.seq.is_multiple_of(SWEEP_EVERY) {
            return;
        }
        self.set_clock();
        // Only live stories are looked at (a large store holds far more quiet ones).
        let live = std::mem::take(&mut self.live);
        let mut kept = Vec::with_capacity(live.len());
        for s in live {
            let st = &self.stories[s as usize];
            if st.archived || st.gone {
                continue;
            }
            if self.quiet(st) {
                let keys = indexed(st);
                let names = archive_keys(st);
                remove_all(&mut self.index, &keys, s);
                insert_all(&mut self.archive, &names, s);
                self.stories[s as usize].archived = true;
            } else {
                kept.push(s);
            }
        }
        self.live = kept;
    }

    /// Ends a batch: a second look at the units that have settled since the last one, and a
    /// last merge pass over what changed (the stream goes on: units too recent to have settled
    /// wait for a later batch, rather than being judged early because a batch ended).
    pub fn finish(&mut self) {
        self.settle(false);
        if self.params.merge_margin.is_finite() {
            self.merge_pass();
        }
    }

    /// Ends the stream (a batch run over a closed corpus, such as `analyze`): as
    /// [`Clusterer::finish`], and every unit counts as settled, since no more will arrive.
    pub fn close(&mut self) {
        self.settle(true);
        if self.params.merge_margin.is_finite() {
            self.merge_pass();
        }
    }

    /// The story that story `s` stands for now: itself, or the story it was merged into.
    fn current(&self, s: u32) -> u32 {
        let st = &self.stories[s as usize];
        if !st.gone {
            return s;
        }
        let id = self.resolve(&st.id);
        self.by_id.get(id).copied().unwrap_or(s)
    }

    /// The story a unit is in now, given the story it was assigned to: a second look may have
    /// moved it, and its story may have been merged into another since. Moves are remembered
    /// until the next [`Clusterer::take_changes`] (a store applies them then).
    pub fn story_of<'s>(&'s self, key: &str, assigned: &'s str) -> &'s str {
        self.resolve(self.moved.get(key).map_or(assigned, String::as_str))
    }

    /// Live stories in the candidate index (for benches and tests).
    pub fn live(&self) -> usize {
        self.stories
            .iter()
            .filter(|s| !s.archived && !s.gone)
            .count()
    }

    /// Approximate bytes held, for benches.
    pub fn heap_bytes(&self) -> usize {
        let stories: usize = self
            .stories
            .iter()
            .map(|s| {
                std::mem::size_of::<StoryState>()
                    + s.raw.iter().map(|v| v.capacity() * 16).sum::<usize>()
                    + s.id.capacity()
                    + s.title.as_ref().map_or(0, |t| t.0.capacity())
                    + s.labels.iter().map(|l| l.0.capacity() + 28).sum::<usize>()
            })
            .sum();
        let lists = |m: &FastMap<u64, Vec<u32>>| -> usize {
            m.capacity() * 40 + m.values().map(|v| v.capacity() * 4).sum::<usize>()
        };
        stories
            + lists(&self.index)
            + lists(&self.archive)
            + self.df.counts.capacity() * 13
            + self.by_id.capacity() * 40
            + self.merged.capacity() * 56
    }
}
