//! Verification: aligns the sentences of two texts and says whether one is a copy of the other,
//! of what kind, with the evidence.
//!
//! Two sentences align when a longest common subsequence of their tokens, together with short
//! equal-sized gaps between its matches (swapped words), accounts for most of one of them. The
//! gaps are the swap table: "officials" against "officers". Each sentence of one text is matched
//! to its best partner in the other, so merged and reordered sentences still align; the longest
//! in-order chain of those matches measures how much order was kept. Containment (how much of
//! each text is covered by aligned sentences) decides whether the smaller text is a copy;
//! independent reports that share a quote or two cover far too little of each other.

use std::collections::HashMap;
use std::ops::Range;

use serde::Serialize;

use super::doc::{Doc, Sentence};

/// The longest gap, in tokens on either side, read as one swapped word or phrase.
const MAX_SWAP: usize = 3;
/// The share of the smaller text that aligned sentences must cover for it to be a copy.
pub const MIN_CONTAINMENT: f64 = 0.6;
/// Aligned tokens below which two texts are too short to call either a copy.
const MIN_ALIGNED_TOKENS: usize = 20;
/// Swapped content words, as a share of aligned content words, from which a copy is spun.
const SPUN_RATE: f64 = 0.04;

/// One aligned pair of sentences.
#[derive(Debug, Clone, Serialize)]
pub struct Pair {
    pub a: usize,
    pub b: usize,
    /// Identical tokens over the longer sentence's tokens.
    pub identity: f64,
    pub in_order: bool,
    #[serde(skip)]
    a_len: usize,
}

/// The alignment of text `a` with text `b`.
#[derive(Debug, Clone, Default)]
pub struct Alignment {
    /// Each sentence of `a` with its best partner in `b`.
    pub pairs: Vec<Pair>,
    /// Share of `a`'s tokens in aligned sentences (how much of `a` is contained in `b`).
    pub covered_a: f64,
    /// Share of `b`'s tokens in aligned sentences.
    pub covered_b: f64,
    pub tokens_a: usize,
    pub tokens_b: usize,
    /// Identical tokens over aligned tokens.
    pub identity: f64,
    /// Swapped content words over aligned content words of `a`.
    pub swap_rate: f64,
    /// (word in `a`, word in `b`, times), most frequent first; empty from [`verdict`].
    pub swaps: Vec<(String, String, usize)>,
    /// Distinct swaps (the length of `swaps` when it is filled).
    pub swap_kinds: usize,
    /// Share of aligned pairs on the longest in-order chain.
    pub in_order: f64,
    /// Sentences of `b` that two or more sentences of `a` align to, or the reverse.
    pub merged: usize,
    /// Sentences of `a` with no partner (dropped from `a` in `b`).
    pub only_a: Vec<usize>,
    /// Sentences of `b` with no partner (added in `b`).
    pub only_b: Vec<usize>,
    pub sentences_a: usize,
    pub sentences_b: usize,
    /// Swaps of a template's slots: a name, a number, a day or a time on either side.
    pub slot_swaps: usize,
    /// Of those, swaps of a name (a capitalised word inside the sentence).
    pub name_swaps: usize,
}

/// Swapped slots from which two aligned texts are one template filled twice, not a copy.
const TEMPLATE_SLOTS: usize = 3;

/// Whether a swapped phrase (tokens `r` of sentence `s`) fills a template's slot, and whether
/// a name is among its tokens.
fn slot(s: &Sentence, r: &Range<usize>) -> (bool, bool) {
    r.clone().fold((false, false), |(slot, name), k| {
        let (a, b) = s.slot(k);
        (slot || a, name || b)
    })
}

/// How a copy relates to its original, as alignment sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    NearDuplicate,
    Spun,
    Rewrite,
}

impl Alignment {
    /// Resemblance: aligned share of both texts together.
    pub fn similarity(&self) -> f64 {
        let total = (self.tokens_a + self.tokens_b) as f64;
        if total == 0.0 {
            return 0.0;
        }
        let aligned = self.covered_a * self.tokens_a as f64 + self.covered_b * self.tokens_b as f64;
        aligned / total * (0.5 + 0.5 * self.identity)
    }

    /// The share of the smaller text that aligns.
    pub fn contained(&self) -> f64 {
        if self.tokens_a <= self.tokens_b {
            self.covered_a
        } else {
            self.covered_b
        }
    }

    /// Whether the two texts are one template filled with another event's names, numbers and
    /// days ("A 17-year-old was wounded ... in Eastfield on Saturday" against "A 15-year-old boy
    /// was critically wounded ... in Millbrook on Thursday"). A spun copy keeps its original's
    /// names, numbers, places and dates and swaps common words; a template fills the slots
    /// differently, a name among them.
    pub fn is_template(&self) -> bool {
        self.slot_swaps >= TEMPLATE_SLOTS && self.name_swaps >= 1
    }

    /// Whether the smaller text is a copy of the larger (or both of one text).
    pub fn is_copy(&self) -> bool {
        if self.is_template() {
            return false;
        }
        let (covered, sentences) = if self.tokens_a <= self.tokens_b {
            (self.covered_a, self.sentences_a)
        } else {
            (self.covered_b, self.sentences_b)
        };
        let aligned_tokens: usize = self.pairs.iter().map(|p| p.a_len).sum();
        let aligned_sentences = self.pairs.len();
        covered >= MIN_CONTAINMENT
            && aligned_tokens >= MIN_ALIGNED_TOKENS
            && aligned_sentences >= sentences.min(2)
    }

    /// The kind of copy `b` is of `a`.
    pub fn kind(&self) -> Kind {
        let distinct = self.swap_kinds;
        if self.swap_rate >= SPUN_RATE && distinct >= 2 {
            return Kind::Spun;
        }
        let aligned = self.pairs.len().max(1) as f64;
        if self.in_order < 0.8 || self.merged as f64 / aligned >= 0.2 || self.identity < 0.75 {
            return Kind::Rewrite;
        }
        Kind::NearDuplicate
    }

    /// The evidence for the report: aligned pairs, swaps, added and dropped sentences.
    pub fn evidence(&self, a: &Doc, b: &Doc) -> serde_json::Value {
        fn text<'t>(d: &Doc<'t>, i: usize) -> &'t str {
            d.text_of(i)
        }
        let pairs: Vec<_> = self
            .pairs
            .iter()
            .take(200)
            .map(|p| {
                serde_json::json!({
                    "original": text(a, p.a),
                    "copy": text(b, p.b),
                    "identity": round(p.identity),
                    "in_order": p.in_order,
                })
            })
            .collect();
        let swaps: Vec<_> = self
            .swaps
            .iter()
            .take(100)
            .map(|(x, y, n)| serde_json::json!([x, y, n]))
            .collect();
        serde_json::json!({
            "similarity": round(self.similarity()),
            "containment": round(self.covered_b.max(self.covered_a)),
            "original_covered": round(self.covered_a),
            "copy_covered": round(self.covered_b),
            "identity": round(self.identity),
            "swap_rate": round(self.swap_rate),
            "in_order": round(self.in_order),
            "aligned": pairs,
            "swapped_words": swaps,
            "added": self.only_b.iter().take(50).map(|&i| text(b, i)).collect::<Vec<_>>(),
            "dropped": self.only_a.iter().take(50).map(|&i| text(a, i)).collect::<Vec<_>>(),
        })
    }
}

pub fn round(x: f64) -> f64 {
    (x * 1000.0).round() / 1000.0
}

/// What comparing one pair of sentences found.
struct SentenceMatch {
    lcs: usize,
    /// Tokens of `a` and of `b` inside swap gaps.
    swapped_a: usize,
    swapped_b: usize,
    swapped_a_content: usize,
    /// Swapped phrases as token ranges of `a` and `b`.
    swaps: Vec<(Range<u16>, Range<u16>)>,
}

impl SentenceMatch {
    /// Two equal sentences of `len` tokens.
    fn equal(len: usize) -> SentenceMatch {
        SentenceMatch {
            lcs: len,
            swapped_a: 0,
            swapped_b: 0,
            swapped_a_content: 0,
            swaps: Vec::new(),
        }
    }
}

/// Aligns text `a` with text `b`, with all the evidence.
pub fn align(a: &Doc, b: &Doc) -> Alignment {
    align_with(a, b, true)
}

/// Aligns text `a` with text `b` for a verdict (is it a copy, how similar, how much of each
/// the other holds): the same numbers as [`align`], without the swap table's words.
pub fn verdict(a: &Doc, b: &Doc) -> Alignment {
    align_with(a, b, false)
}

fn align_with(a: &Doc, b: &Doc, words: bool) -> Alignment {
    let mut al = Alignment {
        tokens_a: a.tokens,
        tokens_b: b.tokens,
        sentences_a: a.len(),
        sentences_b: b.len(),
        ..Alignment::default()
    };
    if a.tokens == 0 || b.tokens == 0 {
        return al;
    }
    // Best partner in `b` for every sentence of `a`, and which sentences of `b` are taken.
    let mut best_for_b: Vec<Option<(usize, f64)>> = vec![None; b.len()];
    let mut matched: Vec<(usize, usize, f64, SentenceMatch)> = Vec::new();
    // Each sentence of `b` by the hash of its whole token sequence; the token postings are
    // built only when a sentence of `a` is not found whole (a syndicated copy rarely needs them).
    let mut equal: crate::text::FastMap<u64, u32> = Default::default();
    equal.reserve(b.len());
    for (j, s) in b.sentences().enumerate() {
        equal.entry(s.whole).or_insert(j as u32);
    }
    let mut postings: Option<Postings> = None;
    let mut shared = vec![0u16; b.len()];
    let mut touched: Vec<u32> = Vec::new();
    let mut sorted: Vec<u64> = Vec::new();
    for (i, sa) in a.sentences().enumerate() {
        // A sentence found whole in `b` has its best partner there: nothing aligns better.
        if let Some(&j) = equal.get(&sa.whole) {
            let j = j as usize;
            if b.sentence(j).hashes == sa.hashes {
                let score = sa.hashes.len() as f64;
                if best_for_b[j].is_none_or(|(_, s)| score > s) {
                    best_for_b[j] = Some((i, score));
                }
                matched.push((i, j, score, SentenceMatch::equal(sa.hashes.len())));
                continue;
            }
        }
        let mut best: Option<(usize, f64, SentenceMatch)> = None;
        let postings = postings.get_or_insert_with(|| Postings::new(b));
        postings.shared(&sa, &mut shared, &mut touched, &mut sorted);
        let function_a = sa.content.iter().filter(|&&c| !c).count();
        touched.sort_unstable();
        for &j in &touched {
            let j = j as usize;
            let sb = b.sentence(j);
            let n = std::mem::take(&mut shared[j]) as usize
                + function_a.min(postings.function[j] as usize);
            if !worth_comparing(&sa, &sb, n) {
                continue;
            }
            let Some(m) = compare(&sa, &sb) else { continue };
            let score = m.lcs as f64 + 0.5 * m.swapped_a.min(m.swapped_b) as f64;
            if let Some(bj) = &mut best_for_b[j] {
                if score > bj.1 {
                    *bj = (i, score);
                }
            } else {
                best_for_b[j] = Some((i, score));
            }
            if best.as_ref().is_none_or(|(_, s, _)| score > *s) {
                best = Some((j, score, m));
            }
        }
        if let Some((j, score, m)) = best {
            matched.push((i, j, score, m));
        }
    }
    // Order: the longest chain of pairs increasing in both texts.
    let chain = longest_increasing(&matched.iter().map(|m| m.1).collect::<Vec<_>>());
    let mut on_chain = vec![false; matched.len()];
    for k in chain {
        on_chain[k] = true;
    }
    let mut times_b = vec![0u32; b.len()];
    for m in &matched {
        times_b[m.1] += 1;
    }
    let mut swaps: HashMap<(String, String), usize> = HashMap::new();
    let mut swap_kinds: crate::text::FastSet<(u64, u64)> = Default::default();
    let mut covered_a = 0usize;
    let mut lcs_total = 0usize;
    let mut longer_total = 0usize;
    let mut content_total = 0usize;
    let mut swapped_total = 0usize;
    for (k, (i, j, _, m)) in matched.into_iter().enumerate() {
        let (sa, sb) = (a.sentence(i), b.sentence(j));
        let longer = sa.hashes.len().max(sb.hashes.len());
        covered_a += sa.hashes.len();
        lcs_total += m.lcs.min(longer);
        longer_total += longer;
        let a_content = sa.content.iter().filter(|&&c| c).count();
        content_total += a_content;
        swapped_total += m.swapped_a_content;
        for (ra, rb) in m.swaps {
            let (ra, rb) = (
                ra.start as usize..ra.end as usize,
                rb.start as usize..rb.end as usize,
            );
            let (slot_a, name_a) = slot(&sa, &ra);
            let (slot_b, name_b) = slot(&sb, &rb);
            if slot_a || slot_b {
                al.slot_swaps += 1;
                al.name_swaps += usize::from(name_a || name_b);
            }
            if words {
                *swaps
                    .entry((phrase(&sa.words[ra]), phrase(&sb.words[rb])))
                    .or_default() += 1;
            } else {
                swap_kinds.insert((phrase_hash(&sa.hashes[ra]), phrase_hash(&sb.hashes[rb])));
            }
        }
        al.pairs.push(Pair {
            a: i,
            b: j,
            identity: m.lcs as f64 / longer.max(1) as f64,
            in_order: on_chain[k],
            a_len: sa.hashes.len(),
        });
    }
    al.merged = times_b
        .iter()
        .filter(|&&n| n > 1)
        .map(|&n| n as usize - 1)
        .sum();
    let covered_b: usize = best_for_b
        .iter()
        .enumerate()
        .filter(|(_, m)| m.is_some())
        .map(|(j, _)| b.sentence(j).hashes.len())
        .sum();
    al.covered_a = covered_a as f64 / a.tokens as f64;
    al.covered_b = covered_b as f64 / b.tokens as f64;
    al.identity = if longer_total > 0 {
        lcs_total as f64 / longer_total as f64
    } else {
        0.0
    };
    al.swap_rate = if content_total > 0 {
        swapped_total as f64 / content_total as f64
    } else {
        0.0
    };
    al.in_order = if al.pairs.is_empty() {
        0.0
    } else {
        al.pairs.iter().filter(|p| p.in_order).count() as f64 / al.pairs.len() as f64
    };
    let mut swaps: Vec<_> = swaps.into_iter().map(|((x, y), n)| (x, y, n)).collect();
    swaps.sort_by(|x, y| y.2.cmp(&x.2).then_with(|| (&x.0, &x.1).cmp(&(&y.0, &y.1))));
    al.swap_kinds = if words { swaps.len() } else { swap_kinds.len() };
    al.swaps = swaps;
    let taken_a: Vec<bool> = {
        let mut t = vec![false; a.len()];
        for p in &al.pairs {
            t[p.a] = true;
        }
        t
    };
    al.only_a = (0..a.len()).filter(|&i| !taken_a[i]).collect();
    al.only_b = (0..b.len()).filter(|&j| best_for_b[j].is_none()).collect();
    al
}

/// The tokens of a text by hash, each with the sentences holding it and how often: how many
/// tokens a sentence shares with every sentence of the text (as multisets) is then counted
/// over the postings of its own tokens, instead of merging it with each sentence in turn.
struct Postings {
    at: crate::text::FastMap<u64, (u32, u32)>,
    list: Vec<(u32, u16)>,
    /// Function words per sentence: they are not posted (every sentence holds "the"), so the
    /// tokens two sentences share are bounded by the content words they share plus the fewer
    /// function words of the two.
    function: Vec<u16>,
}

impl Postings {
    fn new(doc: &Doc) -> Postings {
        let mut runs: Vec<(u64, u32)> = Vec::with_capacity(doc.tokens);
        let mut function = Vec::with_capacity(doc.len());
        for (j, s) in doc.sentences().enumerate() {
            let before = runs.len();
            runs.extend(
                s.hashes
                    .iter()
                    .zip(s.content)
                    .filter(|(_, &c)| c)
                    .map(|(&h, _)| (h, j as u32)),
            );
            function.push((s.hashes.len() - (runs.len() - before)) as u16);
        }
        runs.sort_unstable();
        let mut at = crate::text::FastMap::default();
        at.reserve(runs.len());
        let mut list: Vec<(u32, u16)> = Vec::with_capacity(runs.len());
        for group in runs.chunk_by(|x, y| x.0 == y.0) {
            let from = list.len();
            for run in group.chunk_by(|x, y| x.1 == y.1) {
                list.push((run[0].1, run.len().min(u16::MAX as usize) as u16));
            }
            at.insert(group[0].0, (from as u32, (list.len() - from) as u32));
        }
        Postings { at, list, function }
    }

    /// Adds to `shared[j]` the content words sentence `s` shares with sentence `j`, and lists
    /// in `touched` (cleared first) the sentences that share any. `sorted` is scratch space.
    fn shared(
        &self,
        s: &Sentence,
        shared: &mut [u16],
        touched: &mut Vec<u32>,
        sorted: &mut Vec<u64>,
    ) {
        touched.clear();
        sorted.clear();
        sorted.extend(
            s.hashes
                .iter()
                .zip(s.content)
                .filter(|(_, &c)| c)
                .map(|(&h, _)| h),
        );
        sorted.sort_unstable();
        for run in sorted.chunk_by(|x, y| x == y) {
            let Some(&(start, len)) = self.at.get(&run[0]) else {
                continue;
            };
            let here = run.len().min(u16::MAX as usize) as u16;
            for &(j, n) in &self.list[start as usize..(start + len) as usize] {
                let c = &mut shared[j as usize];
                if *c == 0 {
                    touched.push(j);
                }
                *c = c.saturating_add(here.min(n));
            }
        }
    }
}

/// Cheap filters before the quadratic comparison: similar lengths, some shared content word,
/// and enough shared tokens: `compare` rejects a pair whose common subsequence covers less
/// than half the shorter sentence, and `shared`, a bound on the tokens they share at all,
/// bounds that subsequence from above.
fn worth_comparing(a: &Sentence, b: &Sentence, shared: usize) -> bool {
    let (la, lb) = (a.hashes.len(), b.hashes.len());
    if la < 3 || lb < 3 {
        return false;
    }
    if la > 5 * lb || lb > 5 * la {
        return false;
    }
    if a.bloom & b.bloom == 0 {
        return false;
    }
    shared >= la.min(lb).div_ceil(2).max(2)
}

/// Compares two sentences: `None` unless they align.
fn compare(a: &Sentence, b: &Sentence) -> Option<SentenceMatch> {
    // Scratch kept between calls (the allocation cost as much as the work on short sentences).
    thread_local! {
        static SCRATCH: std::cell::RefCell<Scratch> = std::cell::RefCell::new(Scratch::default());
    }
    SCRATCH.with_borrow_mut(|s| compare_in(a, b, s))
}

/// Buffers for [`lcs_rows`]: the rows, and a table from token to the positions it holds in the
/// second sequence, whose slots count as empty unless stamped by the current call (so it is
/// never cleared).
#[derive(Default)]
struct Scratch {
    rows: Vec<u128>,
    slots: Vec<(u32, u64, u128)>,
    stamp: u32,
}

const SLOT_BITS: u32 = 8;

impl Scratch {
    /// Starts a call: the table is empty.
    fn reset(&mut self) {
        if self.slots.is_empty() {
            self.slots = vec![(0, 0, 0); 1 << SLOT_BITS];
        }
        self.stamp = self.stamp.wrapping_add(1);
        if self.stamp == 0 {
            self.slots.iter_mut().for_each(|s| s.0 = 0);
            self.stamp = 1;
        }
    }

    /// The slot of `token`: its own if stamped, else the empty one where it would go.
    fn slot(&self, token: u64) -> usize {
        let mask = (1 << SLOT_BITS) - 1;
        let mut at = (token >> (64 - SLOT_BITS)) as usize;
        while self.slots[at].0 == self.stamp && self.slots[at].1 != token {
            at = (at + 1) & mask;
        }
        at
    }
}

/// The longest common subsequence of `x` and `y` (at most 128 tokens), bit-parallel: row `i`
/// of the dynamic programme is one integer whose bit `j` is clear where the row steps up
/// (Allison and Dix; Hyyrö), so a row costs a few word operations instead of `y.len()` cells.
/// Leaves the rows in `s.rows` (row 0 first) and returns the length.
fn lcs_rows(x: &[u64], y: &[u64], s: &mut Scratch) -> usize {
    let m = y.len();
    let full = if m >= 128 {
        u128::MAX
    } else {
        (1u128 << m) - 1
    };
    // Where each token of `y` stands, as a bit mask.
    s.reset();
    for (j, &t) in y.iter().enumerate() {
        let at = s.slot(t);
        let slot = &mut s.slots[at];
        if slot.0 != s.stamp {
            *slot = (s.stamp, t, 0);
        }
        slot.2 |= 1u128 << j;
    }
    let mut v = full;
    s.rows.clear();
    s.rows.push(v);
    for &xi in x {
        let slot = &s.slots[s.slot(xi)];
        let matches = if slot.0 == s.stamp { slot.2 } else { 0 };
        let u = v & matches;
        v = (v.wrapping_add(u) | (v - u)) & full;
        s.rows.push(v);
    }
    m - v.count_ones() as usize
}

/// Cell (i, j) of the dynamic programme, read from its bit row.
fn lcs_at(rows: &[u128], i: usize, j: usize) -> usize {
    let below = if j >= 128 {
        u128::MAX
    } else {
        (1u128 << j) - 1
    };
    j - (rows[i] & below).count_ones() as usize
}

fn compare_in(a: &Sentence, b: &Sentence, scratch: &mut Scratch) -> Option<SentenceMatch> {
    let (x, y) = (a.hashes, b.hashes);
    let (n, m) = (x.len(), y.len());
    if m > 128 {
        return None; // sentences are cut at MAX_SENTENCE_TOKENS long before this
    }
    let lcs = lcs_rows(x, y, scratch);
    let rows = &scratch.rows;
    if lcs < 2 || lcs * 2 < n.min(m) {
        return None;
    }
    // Walk back to the matched positions.
    let mut anchors = Vec::with_capacity(lcs + 2);
    let (mut i, mut j) = (n, m);
    while i > 0 && j > 0 {
        if x[i - 1] == y[j - 1] {
            anchors.push((i - 1, j - 1));
            i -= 1;
            j -= 1;
        } else if lcs_at(rows, i - 1, j) >= lcs_at(rows, i, j - 1) {
            i -= 1;
        } else {
            j -= 1;
        }
    }
    anchors.reverse();
    // The walk back may tie a few end tokens of the shorter sentence (a closing quote, "said")
    // to the far end of the longer one when the shorter is a part of it (a merged sentence):
    // such stragglers are not part of the aligned region.
    trim_stragglers(&mut anchors, n <= m);
    let lcs = anchors.len();
    if lcs < 2 || lcs * 2 < n.min(m) {
        return None;
    }
    let content_matched = anchors.iter().filter(|(i, _)| a.content[*i]).count();
    if content_matched == 0 && n >= 4 {
        return None;
    }
    // Gaps between consecutive anchors (and the sentence edges) are swaps when short on both
    // sides.
    let mut swapped_a = 0;
    let mut swapped_b = 0;
    let mut swapped_a_content = 0;
    let mut swaps = Vec::new();
    let mut prev: (isize, isize) = (-1, -1);
    let ends = anchors
        .iter()
        .map(|&(i, j)| (i as isize, j as isize))
        .chain(std::iter::once((n as isize, m as isize)));
    for (ai, bj) in ends {
        let ga = (ai - prev.0 - 1) as usize;
        let gb = (bj - prev.1 - 1) as usize;
        if (1..=MAX_SWAP).contains(&ga) && (1..=MAX_SWAP).contains(&gb) {
            let ra = (prev.0 + 1) as usize..ai as usize;
            let rb = (prev.1 + 1) as usize..bj as usize;
            swapped_a += ga;
            swapped_b += gb;
            let content_a = a.content[ra.clone()].iter().filter(|&&c| c).count();
            swapped_a_content += content_a;
            if content_a > 0 || b.content[rb.clone()].iter().any(|&c| c) {
                swaps.push((
                    ra.start as u16..ra.end as u16,
                    rb.start as u16..rb.end as u16,
                ));
            }
        }
        prev = (ai, bj);
    }
    // A sentence is accounted for by matches and swaps; one of the two must be almost whole.
    let cover_a = (lcs + swapped_a) as f64 / n as f64;
    let cover_b = (lcs + swapped_b) as f64 / m as f64;
    if cover_a.max(cover_b) < 0.85 {
        return None;
    }
    // A short sentence scattered through a long one is not aligned: the matched region of the
    // longer one must be dense.
    let (first, last) = (anchors[0], anchors[anchors.len() - 1]);
    let span = if n <= m {
        last.1 - first.1 + 1
    } else {
        last.0 - first.0 + 1
    };
    if (lcs + swapped_a.min(swapped_b)) * 10 < span * 6 {
        return None;
    }
    Some(SentenceMatch {
        lcs,
        swapped_a,
        swapped_b,
        swapped_a_content,
        swaps,
    })
}

/// Drops up to two anchors at either end that sit across a long gap in the longer sentence
/// but next to the rest in the shorter one.
fn trim_stragglers(anchors: &mut Vec<(usize, usize)>, b_longer: bool) {
    let gaps = |p: (usize, usize), q: (usize, usize)| {
        let (gl, gs) = if b_longer {
            (q.1 - p.1 - 1, q.0 - p.0 - 1)
        } else {
            (q.0 - p.0 - 1, q.1 - p.1 - 1)
        };
        gl > MAX_SWAP + 1 && gl > 2 * gs + 2
    };
    for _ in 0..2 {
        let k = anchors.len();
        if k < 5 {
            return;
        }
        if let Some(cut) = (k - 3..k - 1).find(|&i| gaps(anchors[i], anchors[i + 1])) {
            anchors.truncate(cut + 1);
        }
        let k = anchors.len();
        if let Some(cut) = (0..2.min(k - 1))
            .rev()
            .find(|&i| gaps(anchors[i], anchors[i + 1]))
        {
            anchors.drain(..=cut);
        }
    }
}

/// The identity of a swapped phrase, from its tokens' hashes (equal when [`phrase`] is).
fn phrase_hash(hashes: &[u64]) -> u64 {
    hashes.iter().fold(0u64, |acc, &h| acc.rotate_left(9) ^ h)
}

fn phrase(words: &[&str]) -> String {
    words
        .iter()
        .map(|w| w.to_lowercase())
        .collect::<Vec<_>>()
        .join(" ")
}

/// Indices of a longest strictly increasing subsequence (patience sorting).
fn longest_increasing(xs: &[usize]) -> Vec<usize> {
    let mut tails: Vec<usize> = Vec::new(); // index into xs of the tail of each length
    let mut prev: Vec<Option<usize>> = vec![None; xs.len()];
    for (k, &x) in xs.iter().enumerate() {
        let pos = tails.partition_point(|&t| xs[t] < x);
        if pos > 0 {
            prev[k] = Some(tails[pos - 1]);
        }
        if pos == tails.len() {
            tails.push(k);
        } else {
            tails[pos] = k;
        }
    }
    let mut out = Vec::with_capacity(tails.len());
    let mut cur = tails.last().copied();
    while let Some(k) = cur {
        out.push(k);
        cur = prev[k];
    }
    out.reverse();
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGINAL: &str =
        "Officials in the eastern province said on Tuesday that the bridge would \
        reopen next week after repairs.\nThe work cost 4 million dollars, according to Mayor Ana \
        Ruiz, who spoke to reporters at the site.\nTraffic had been diverted through two villages \
        for most of the summer.\nResidents complained about the noise and the dust for months.";

    #[test]
    fn bit_rows_are_the_dynamic_programme() {
        let mut seed = 3u64;
        let mut next = |k: u64| {
            seed = seed
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            (seed >> 33) % k
        };
        let mut scratch = Scratch::default();
        for _ in 0..500 {
            let (n, m) = (next(90) as usize, next(129) as usize);
            let alphabet = 1 + next(12);
            let x: Vec<u64> = (0..n).map(|_| next(alphabet)).collect();
            let y: Vec<u64> = (0..m).map(|_| next(alphabet)).collect();
            let w = m + 1;
            let mut t = vec![0usize; (n + 1) * w];
            for i in 1..=n {
                for j in 1..=m {
                    t[i * w + j] = if x[i - 1] == y[j - 1] {
                        t[(i - 1) * w + j - 1] + 1
                    } else {
                        t[(i - 1) * w + j].max(t[i * w + j - 1])
                    };
                }
            }
            assert_eq!(lcs_rows(&x, &y, &mut scratch), t[n * w + m]);
            for i in 0..=n {
                for j in 0..=m {
                    assert_eq!(lcs_at(&scratch.rows, i, j), t[i * w + j], "({i}, {j})");
                }
            }
        }
    }

    #[test]
    fn a_template_filled_twice_is_no_copy_and_apostrophes_are_one() {
        let a = Doc::new(
            "HARBORVIEW — A 17-year-old was wounded in Eastfield on Saturday afternoon, police said. \
             Officers were called to the 400 block of Alder Street at about 2:15 p.m. and found \
             the teen with a wound to his leg. The boy was taken to Harborview General Hospital, \
             where he was listed in stable condition.",
        );
        let b = Doc::new(
            "HARBORVIEW — A 15-year-old was wounded in Millbrook on Thursday evening, police said. \
             Officers were called to the 1200 block of Cedar Lane at about 7:40 p.m. and found \
             the teen with a wound to his chest. The boy was taken to Saint Anne Medical Center, \
             where he was listed in critical condition.",
        );
        let al = align(&a, &b);
        assert!(
            al.is_template() && !al.is_copy(),
            "{} {}",
            al.slot_swaps,
            al.name_swaps
        );
        // Typography is not a swap: the same report with other apostrophes is a copy.
        let c = Doc::new(
            "Walker’s brother said Hale’s car was found near the school on Saturday. Walker’s \
             neighbours said they’re shocked, and Hale’s family asked for privacy on Sunday.",
        );
        let d = Doc::new(
            "Walker's brother said Hale's car was found near the school on Saturday. Walker's \
             neighbours said they're shocked, and Hale's family asked for privacy on Sunday.",
        );
        let al = align(&c, &d);
        assert_eq!(al.slot_swaps, 0);
    }

    #[test]
    fn spun_copy_aligns_with_its_swaps() {
        let spun = "Officers in the japanese province stated on Tuesday that the overpass would \
            reopen next week after fixes.\nThe job cost 4 million dollars, according to Mayor \
            Ana Ruiz, who talked to reporters at the website.\nTraffic had been redirected \
            through two villages for most of the summer.\nResidents complained about the \
            racket and the dust for months.";
        let (a, b) = (Doc::new(ORIGINAL), Doc::new(spun));
        let al = align(&a, &b);
        assert!(al.is_copy(), "{al:?}");
        assert_eq!(al.kind(), Kind::Spun);
        let swaps: Vec<(&str, &str)> = al
            .swaps
            .iter()
            .map(|(x, y, _)| (x.as_str(), y.as_str()))
            .collect();
        assert!(swaps.contains(&("officials", "officers")), "{swaps:?}");
        assert!(swaps.contains(&("eastern", "japanese")), "{swaps:?}");
        assert!(swaps.contains(&("said", "stated")), "{swaps:?}");
    }

    #[test]
    fn trimmed_copy_is_contained() {
        let trimmed = "Officials in the eastern province said on Tuesday that the bridge would \
            reopen next week after repairs.\nThe work cost 4 million dollars, according to Mayor \
            Ana Ruiz, who spoke to reporters at the site.";
        let al = align(&Doc::new(ORIGINAL), &Doc::new(trimmed));
        assert!(al.is_copy());
        assert_eq!(al.kind(), Kind::NearDuplicate);
        assert!(al.covered_b > 0.99 && al.covered_a < 0.7, "{al:?}");
        assert_eq!(al.only_a.len(), 2);
    }

    #[test]
    fn reordered_and_merged_is_a_rewrite() {
        let rewrite = "Traffic had been diverted through two villages for most of the summer, \
            and residents complained about the noise and the dust for months.\nThe work cost 4 \
            million dollars, according to Mayor Ana Ruiz, who spoke to reporters at the site.\n\
            Officials in the eastern province said on Tuesday that the bridge would reopen next \
            week after repairs.";
        let al = align(&Doc::new(ORIGINAL), &Doc::new(rewrite));
        assert!(al.is_copy(), "{al:?}");
        assert_eq!(al.kind(), Kind::Rewrite);
    }

    #[test]
    fn independent_report_sharing_a_quote_is_not_a_copy() {
        let other = "The bridge over the river has been closed since June, and drivers have \
            lost hours every day.\nThe work cost 4 million dollars, according to Mayor Ana Ruiz, \
            who spoke to reporters at the site.\nEngineers found cracks in two of the piers during \
            a routine inspection.\nA local bakery said its sales fell by a third over the \
            summer.\nThe regional council will vote on a new inspection budget in October.";
        let al = align(&Doc::new(ORIGINAL), &Doc::new(other));
        assert!(!al.is_copy(), "{al:?}");
    }

    #[test]
    fn unrelated_sentences_of_similar_shape_do_not_align() {
        let a = Doc::new("The mayor of the city said that the plan was a failure.");
        let b = Doc::new("The coach of the team said that the game was a disaster.");
        let al = align(&a, &b);
        assert!(!al.is_copy());
    }

    #[test]
    fn longest_increasing_subsequence() {
        assert_eq!(longest_increasing(&[0, 1, 5, 2, 3]), vec![0, 1, 3, 4]);
        assert!(longest_increasing(&[]).is_empty());
    }
}
