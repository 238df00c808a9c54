//! The candidate index: which live stories a unit is compared with.
//!
//! Input: a unit's (or story's) weighted vectors. Output: the stories sharing its strongest
//! terms and names, ranked by the unit's weight on what they share. Live stories are indexed by
//! their strongest terms and names, quiet (archived) ones by their key names only; a posting
//! list is capped, so a word every story holds finds nothing.

use super::*;

/// The `n` strongest entries of a vector.
pub(super) fn top(v: &[(u64, f32)], n: usize) -> Vec<(u64, f32)> {
    let mut v = v.to_vec();
    let order = |a: &(u64, f32), b: &(u64, f32)| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0));
    if v.len() > n && n > 0 {
        v.select_nth_unstable_by(n - 1, order);
        v.truncate(n);
    }
    v.sort_unstable_by(order);
    v
}

/// A live story's index keys: its strongest terms and names (by summed counts).
pub(super) fn indexed(s: &StoryState) -> Vec<u64> {
    let mut k: Vec<u64> = top(&s.raw[BODY], INDEXED_TERMS)
        .into_iter()
        .chain(top(&s.raw[NAMES], INDEXED_NAMES))
        .map(|x| x.0)
        .collect();
    k.sort_unstable();
    k.dedup();
    k
}

/// A quiet story's keys in the archive: its strongest names.
pub(super) fn archive_keys(s: &StoryState) -> Vec<u64> {
    top(&s.raw[NAMES], INDEXED_NAMES / 2)
        .into_iter()
        .map(|x| x.0)
        .collect()
}

/// Stories a term's posting list holds at most: a term in more live stories than this tells
/// little of which one a unit belongs to, and the cap bounds the work of counting candidates.
/// The oldest entries go first (so a long-quiet story may no longer be found in the archive).
pub(super) const MAX_POSTINGS: usize = 128;

pub(super) fn insert_all(m: &mut FastMap<u64, Vec<u32>>, keys: &[u64], s: u32) {
    for k in keys {
        let l = m.entry(*k).or_default();
        if !l.contains(&s) {
            if l.len() >= MAX_POSTINGS {
                l.remove(0);
            }
            l.push(s);
        }
    }
}

pub(super) fn remove_all(m: &mut FastMap<u64, Vec<u32>>, keys: &[u64], s: u32) {
    for k in keys {
        if let Some(l) = m.get_mut(k) {
            l.retain(|&x| x != s);
            if l.is_empty() {
                m.remove(k);
            }
        }
    }
}

impl Clusterer {
    /// Candidate stories: those sharing the strongest terms and names of `w` in the index
    /// (and key names in the archive), ranked by the unit's weight on the entries they share,
    /// each times its part's weight in the score: a cheap estimate of the score. (Ranked by the
    /// count of shared entries, the right story was often not among the first 32, as stories
    /// retelling the same kind of event share as many common words.)
    pub(super) fn candidates(&mut self, w: &[Vec<(u64, f32)>; 3]) -> Vec<u32> {
        let pw = self.part_weights();
        let body = top(&w[BODY], INDEXED_TERMS)
            .into_iter()
            .map(|(h, x)| (h, x * pw[BODY]));
        let names = top(&w[NAMES], INDEXED_NAMES)
            .into_iter()
            .map(|(h, x)| (h, x * pw[NAMES]));
        let mut lists: Vec<(&[u32], f32)> = Vec::with_capacity(2 * (INDEXED_TERMS + INDEXED_NAMES));
        // A key weighing nothing finds nothing (and a story's sum below is nonzero once found).
        for (h, x) in body.chain(names).filter(|e| e.1 > 0.0) {
            for idx in [&self.index, &self.archive] {
                if let Some(list) = idx.get(&h) {
                    lists.push((list, x));
                }
            }
        }
        let mut sums = std::mem::take(&mut self.scratch);
        let postings = lists
            .into_iter()
            .flat_map(|(list, x)| list.iter().map(move |&s| (s, x)));
        let mut c = tally(&mut sums, self.stories.len(), postings, MAX_CANDIDATES);
        self.scratch = sums;
        // While there are no more stories than candidates wanted, each is one: the index finds
        // a story through its strongest words, and two short reports of one event in a
        // language the background does not know (every word as rare as any other) may share
        // none of them (a tenth of SemEval's same-event pairs in other languages).
        if self.stories.len() <= MAX_CANDIDATES {
            for s in 0..self.stories.len() as u32 {
                if !self.stories[s as usize].gone && c.iter().all(|e| e.0 != s) {
                    c.push((s, 0.0));
                }
            }
        }
        // Only the first few are wanted: only they are sorted.
        c.sort_unstable_by(by_weight);
        c.into_iter().map(|x| x.0).collect()
    }
}
