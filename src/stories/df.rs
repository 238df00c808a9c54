//! Document frequencies and the sparse-vector arithmetic of scoring.
//!
//! Input: the body terms of each unit as it arrives, on top of a background of general
//! English ([`super::background`]). Output: IDF weights, a story's pruned sums and norms, and
//! the cosines between a unit (or story) and a story. Vectors are sorted `(term, weight)`
//! lists, so sums, differences and dot products are merges of two sorted lists.

use super::*;

/// ln(n + 0.5), from a table for the counts most terms have (the logarithm was a tenth of the
/// time of assigning a unit); the IDF is ln(units + 0.5) - ln(df + 0.5).
pub(super) fn ln_half(n: u32) -> f32 {
    use std::sync::LazyLock;
    const TABLE: usize = 1 << 14;
    static LN: LazyLock<Vec<f32>> =
        LazyLock::new(|| (0..TABLE).map(|k| (k as f32 + 0.5).ln()).collect());
    match LN.get(n as usize) {
        Some(&x) => x,
        None => (n as f32 + 0.5).ln(),
    }
}

/// Document frequencies of terms over the units seen so far.
#[derive(Debug, Clone, Default)]
pub(super) struct Df {
    pub(super) counts: Shards<u64, u32>,
    pub(super) units: u32,
    /// Units assumed seen before the first: [`Params::idf_prior`] holding none of the terms,
    /// and the background's texts, whose terms `counts` starts from.
    pub(super) prior: u32,
    /// The weight of the background ([`Params::background`]).
    pub(super) background: f32,
    /// `ln_half(units + prior)`, kept as they change ([`Df::set_units`]): past the table of
    /// [`ln_half`] it is a logarithm, and every IDF taken reads it.
    pub(super) ln_all: f32,
}

impl Df {
    pub(super) fn new(prior: u32, background: f32) -> Df {
        let mut df = Df {
            prior,
            background,
            ..Df::default()
        };
        if background > 0.0 {
            let bg = self::background();
            df.prior += (bg.texts as f32 * background).round() as u32;
            df.counts = bg
                .df
                .iter()
                .map(|(&h, &n)| (h, df.scaled(n)))
                .filter(|x| x.1 > 0)
                .collect();
        }
        df.set_units(0);
        df
    }

    /// The units of the background counted as holding term `h` (see [`Params::background`]).
    pub(super) fn background_count(&self, h: u64) -> u32 {
        if self.background <= 0.0 {
            return 0;
        }
        self.scaled(background().df.get(&h).copied().unwrap_or(0))
    }

    /// `n` background texts as units of the stream.
    pub(super) fn scaled(&self, n: u32) -> u32 {
        (n as f32 * self.background).round() as u32
    }

    /// Units of the stream holding term `h` (what a store keeps: the background is not its).
    pub(super) fn stream_count(&self, h: u64) -> u32 {
        let all = self.counts.get(&h).copied().unwrap_or(0);
        all.saturating_sub(self.background_count(h))
    }

    /// Sets the stream's count of term `h` (from a store), on top of the background.
    pub(super) fn set_stream_count(&mut self, h: u64, n: u32) {
        let all = n.saturating_add(self.background_count(h));
        self.counts.insert(h, all);
    }

    pub(super) fn set_units(&mut self, units: u32) {
        self.units = units;
        self.ln_all = ln_half(self.units + self.prior);
    }

    /// Counts a unit's body terms in, and returns them as (term, sublinear TF, IDF after
    /// counting): the IDF comes from the count just raised, not from a second lookup in a
    /// table of millions of terms.
    pub(super) fn observe(&mut self, terms: &FastMap<u64, f32>) -> Vec<(u64, f32, f32)> {
        self.set_units(self.units + 1);
        let mut v = Vec::with_capacity(terms.len());
        for (&h, &n) in terms {
            let df = self.counts.entry(h).or_default();
            *df += 1;
            v.push((h, 1.0 + n.ln(), (self.ln_all - ln_half(*df)).max(0.0)));
        }
        v
    }

    pub(super) fn idf(&self, h: u64) -> f32 {
        let df = self.counts.get(&h).copied().unwrap_or(0);
        (self.ln_all - ln_half(df)).max(0.0)
    }

    /// The `keep` entries of (term, sublinear TF, IDF) strongest by TF-IDF (ties by term),
    /// sorted by term. Each IDF is taken once, where it was taken three times (choosing,
    /// weighing, scoring).
    pub(super) fn strongest(mut v: Vec<(u64, f32, f32)>, keep: usize) -> Vec<(u64, f32, f32)> {
        // Only which entries are kept matters (they are sorted by term next): selected, not
        // sorted, as in `prune`.
        if v.len() > keep && keep > 0 {
            v.select_nth_unstable_by(keep - 1, |a, b| {
                (b.1 * b.2).total_cmp(&(a.1 * a.2)).then(a.0.cmp(&b.0))
            });
            v.truncate(keep);
        }
        v.sort_unstable_by_key(|x| x.0);
        v
    }

    /// Keeps the `keep` entries strongest by TF-IDF (ties by term), sorted by term, and
    /// returns the length of what is kept weighted by the current IDF (as [`Df::norm`]): the
    /// weights are at hand here, and a story that took in a unit is scored again soon.
    pub(super) fn prune(&self, v: &mut Vec<(u64, f32)>, keep: usize) -> f32 {
        if v.len() <= keep {
            v.sort_unstable_by_key(|x| x.0);
            return self.norm(v);
        }
        let mut w: Vec<(u64, f32, f32)> = v.iter().map(|&(h, x)| (h, x, x * self.idf(h))).collect();
        // The strongest `keep` are selected, not sorted (a story at its bound prunes on every
        // unit it takes in): the order among them is lost to the sort by term below.
        if keep > 0 {
            w.select_nth_unstable_by(keep - 1, |a, b| b.2.total_cmp(&a.2).then(a.0.cmp(&b.0)));
        }
        w.truncate(keep);
        w.sort_unstable_by_key(|x| x.0);
        let norm = w.iter().map(|e| e.2 * e.2).sum::<f32>().sqrt();
        *v = w.into_iter().map(|(h, x, _)| (h, x)).collect();
        norm
    }

    /// Raw vectors (a unit's or a story's parts) weighted by the current IDF and
    /// unit-normalised (what finds candidates), and the same times the IDF (what [`cosine`]
    /// scores against raw story vectors), taking each IDF once.
    pub(super) fn weigh_all(&self, raw: &[Vec<(u64, f32)>; 3]) -> ([Sparse; 3], [Sparse; 3]) {
        let both: [(Sparse, Sparse); 3] = std::array::from_fn(|k| {
            let v: Vec<(u64, f32, f32)> =
                raw[k].iter().map(|&(h, x)| (h, x, self.idf(h))).collect();
            weigh_with_idf(&v)
        });
        let [(w0, i0), (w1, i1), (w2, i2)] = both;
        ([w0, w1, w2], [i0, i1, i2])
    }

    /// A weighted unit vector times the current IDF (tests check the scoring vectors with it).
    #[cfg(test)]
    pub(super) fn times_idf(&self, w: &[(u64, f32)]) -> Vec<(u64, f32)> {
        w.iter().map(|&(h, x)| (h, x * self.idf(h))).collect()
    }

    /// The length of a raw vector weighted by the current IDF.
    pub(super) fn norm(&self, raw: &[(u64, f32)]) -> f32 {
        raw.iter()
            .map(|&(h, x)| {
                let w = x * self.idf(h);
                w * w
            })
            .sum::<f32>()
            .sqrt()
    }
}

/// A sparse vector: (term, weight), sorted by term.
pub(super) type Sparse = Vec<(u64, f32)>;

/// A unit's weighted, unit-normalised vector from [`Df::strongest`], and the same times the
/// IDF.
pub(super) fn weigh_with_idf(v: &[(u64, f32, f32)]) -> (Sparse, Sparse) {
    let mut w = Vec::with_capacity(v.len());
    let mut idf = Vec::with_capacity(v.len());
    for &(h, x, i) in v {
        let y = x * i;
        if y > 0.0 {
            w.push((h, y));
            idf.push(i);
        }
    }
    normalise(&mut w);
    let scoring = w.iter().zip(&idf).map(|(&(h, y), &i)| (h, y * i)).collect();
    (w, scoring)
}

/// Cosine of a unit vector already multiplied by the IDF ([`Df::weigh_all`]) with a raw story
/// vector whose IDF-weighted length is `norm`.
pub(super) fn cosine(unit_idf: &[(u64, f32)], raw: &[(u64, f32)], norm: f32) -> f32 {
    if norm <= 0.0 {
        return 0.0;
    }
    // Both lists advance by comparisons turned into increments, not branches: which side
    // moves is a coin toss the processor cannot predict, and this runs per candidate story.
    // Matches are summed in term order, as a branching merge sums them.
    let (mut i, mut j, mut s) = (0, 0, 0.0f32);
    while i < unit_idf.len() && j < raw.len() {
        let (a, b) = (unit_idf[i], raw[j]);
        let product = a.1 * b.1;
        s += if a.0 == b.0 { product } else { 0.0 };
        i += usize::from(a.0 <= b.0);
        j += usize::from(b.0 <= a.0);
    }
    s / norm
}

/// Sums the weights of `postings` (story, weight) by story, and keeps the `keep` stories with
/// the largest sums (ties to the lower story), unordered. Summed in `sums`, a dense array by
/// story (all zero between calls, and left so), not a hash map: sized for every posting, the
/// map was a fresh allocation per unit, and hashing each posting cost more than the sum.
pub(super) fn tally(
    sums: &mut Vec<f32>,
    stories: usize,
    postings: impl IntoIterator<Item = (u32, f32)>,
    keep: usize,
) -> Vec<(u32, f32)> {
    if sums.len() < stories {
        sums.resize(stories, 0.0);
    }
    let mut c: Vec<(u32, f32)> = Vec::new();
    for (s, x) in postings {
        let sum = &mut sums[s as usize];
        if *sum == 0.0 {
            c.push((s, 0.0));
        }
        *sum += x;
    }
    for e in &mut c {
        e.1 = std::mem::take(&mut sums[e.0 as usize]);
    }
    if c.len() > keep && keep > 0 {
        c.select_nth_unstable_by(keep - 1, by_weight);
        c.truncate(keep);
    }
    c
}

/// Larger weight first, ties to the lower story.
pub(super) fn by_weight(a: &(u32, f32), b: &(u32, f32)) -> std::cmp::Ordering {
    b.1.total_cmp(&a.1).then(a.0.cmp(&b.0))
}

pub(super) fn normalise(v: &mut [(u64, f32)]) {
    let n = v.iter().map(|x| x.1 * x.1).sum::<f32>().sqrt();
    if n > 0.0 {
        for x in v {
            x.1 /= n;
        }
    }
}

/// Adds `b` into `a` (both term-sorted).
pub(super) fn accumulate(a: &mut Vec<(u64, f32)>, b: &[(u64, f32)]) {
    let mut out = Vec::with_capacity(a.len() + b.len());
    let (mut i, mut j) = (0, 0);
    while i < a.len() || j < b.len() {
        if j >= b.len() || (i < a.len() && a[i].0 < b[j].0) {
            out.push(a[i]);
            i += 1;
        } else if i >= a.len() || b[j].0 < a[i].0 {
            out.push(b[j]);
            j += 1;
        } else {
            out.push((a[i].0, a[i].1 + b[j].1));
            i += 1;
            j += 1;
        }
    }
    *a = out;
}

/// `a` less `b` (both term-sorted); entries that fall to nothing are dropped (see [`less`]).
pub(super) fn subtract(a: &[(u64, f32)], b: &[(u64, f32)]) -> Vec<(u64, f32)> {
    let mut out = Vec::with_capacity(a.len());
    let mut j = 0;
    for &(h, x) in a {
        while j < b.len() && b[j].0 < h {
            j += 1;
        }
        let y = match b.get(j) {
            Some(&(g, y)) if g == h => less(x, y),
            _ => x,
        };
        if y > 0.0 {
            out.push((h, y));
        }
    }
    out
}

/// What is left of a story's entry `x` once a member's share `y` is taken out: nothing when
/// that is all of it, or more (a story's sums were pruned, so a member's share of a term may
/// exceed what is left of it).
pub(super) fn less(x: f32, y: f32) -> f32 {
    if x - y > 1e-4 {
        x - y
    } else {
        0.0
    }
}
