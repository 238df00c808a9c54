//! The candidate index: skeleton keys to the articles that hold them, in eight bytes a posting.
//!
//! Postings live in one sorted vector of `(key, slot)` pairs (keys cut to 32 bits: a false
//! match costs one verification, never a wrong family) plus a buffer of recent insertions (an
//! append-only list chained per key, with no allocation per key), merged into the vector in
//! place when it grows past an eighth of it, so insertion is amortised linear. A directory on
//! the keys' top bits takes a lookup to its stretch of the vector; a lookup reads every key's
//! directory entry before scanning any stretch, so that the cache misses of an article's keys
//! overlap. A key held by [`MAX_POSTINGS`] articles is common boilerplate or one report copied
//! many times; later holders are not added (the first ones already lead to the family), which
//! bounds both memory and candidate lists.

/// Articles kept per key.
pub const MAX_POSTINGS: usize = 32;

#[derive(Debug, Default)]
pub struct KeyIndex {
    main: Vec<(u32, u32)>,
    /// Where the keys with each value of their top `32 - shift` bits start in `main`: a lookup
    /// reads one or two cache lines instead of binary-searching megabytes (keys are hashes, so
    /// the runs are short).
    dir: Vec<u32>,
    shift: u32,
    /// Recent postings: `(key, slot, previous posting of the key or NONE)`.
    buffer: Vec<(u32, u32, u32)>,
    /// Per key in the buffer: its last posting there, and how many it has there.
    heads: crate::text::FastMap<u32, (u32, u32)>,
}

const NONE: u32 = u32::MAX;

impl KeyIndex {
    pub fn short(key: u64) -> u32 {
        (key >> 32) as u32
    }

    /// Rebuilds the directory for the current `main`: about four postings a bucket.
    fn index_main(&mut self) {
        let bits = (self.main.len() / 4).max(1).ilog2().clamp(8, 28);
        self.shift = 32 - bits;
        let buckets = 1usize << bits;
        self.dir.clear();
        self.dir.reserve(buckets + 1);
        let mut at = 0usize;
        for b in 0..buckets {
            while at < self.main.len() && ((self.main[at].0 >> self.shift) as usize) < b {
                at += 1;
            }
            self.dir.push(at as u32);
        }
        self.dir.push(self.main.len() as u32);
    }

    /// Articles sharing keys with `keys`, with how many each shares, most first (then oldest).
    #[cfg(test)]
    pub fn candidates(&self, keys: &[u64]) -> Vec<(u32, u32)> {
        let mut hits = Vec::new();
        self.lookup(keys, &mut hits);
        let mut out: Vec<(u32, u32)> = Vec::new();
        for (s, _) in hits {
            match out.last_mut() {
                Some(last) if last.0 == s => last.1 += 1,
                _ => out.push((s, 1)),
            }
        }
        out.sort_unstable_by(|a, b| b.1.cmp(&a.1).then(a.0.cmp(&b.0)));
        out
    }

    /// Every posting of `keys`, as `(slot, index of the key in keys)`, into `hits` in slot
    /// order (the caller counts what it needs from them).
    pub fn lookup(&self, keys: &[u64], hits: &mut Vec<(u32, u32)>) {
        // The keys' directory entries are all read first, then their runs scanned: the reads
        // of different keys do not wait on each other, so their cache misses (the index is far
        // larger than the caches) overlap instead of queueing. A sort of a few hundred postings
        // then groups them by slot, cheaper than a hash map.
        hits.clear();
        let mut runs: Vec<(u32, u32, u32)> = Vec::with_capacity(keys.len());
        for &key in keys {
            let k = Self::short(key);
            let (lo, hi) = self.run_of(k);
            runs.push((k, lo, hi));
        }
        for (i, &(k, lo, hi)) in runs.iter().enumerate() {
            hits.extend(self.postings(k, lo, hi).iter().map(|p| (p.1, i as u32)));
        }
        if !self.heads.is_empty() {
            for (i, &(k, _, _)) in runs.iter().enumerate() {
                if let Some(&(mut at, _)) = self.heads.get(&k) {
                    while at != NONE {
                        let (_, slot, prev) = self.buffer[at as usize];
                        hits.push((slot, i as u32));
                        at = prev;
                    }
                }
            }
        }
        hits.sort_unstable();
    }

    /// The postings of key `k` in `main[lo..hi]`, the stretch [`Self::run_of`] gives.
    fn postings(&self, k: u32, lo: u32, hi: u32) -> &[(u32, u32)] {
        let run = &self.main[lo as usize..hi as usize];
        // Stretches hold about four postings: a scan, not a search, unless keys crowd one.
        let (from, len) = if run.len() <= 16 {
            let from = run.iter().position(|p| p.0 == k).unwrap_or(run.len());
            (from, run[from..].iter().take_while(|p| p.0 == k).count())
        } else {
            let from = run.partition_point(|p| p.0 < k);
            (from, run[from..].partition_point(|p| p.0 == k))
        };
        &run[from..from + len]
    }

    /// The stretch of `main` the directory gives for key `k` (all of it without a directory).
    fn run_of(&self, k: u32) -> (u32, u32) {
        if self.dir.is_empty() {
            (0, self.main.len() as u32)
        } else {
            let b = (k >> self.shift) as usize;
            (self.dir[b], self.dir[b + 1])
        }
    }

    /// Postings held.
    pub fn postings_held(&self) -> usize {
        self.main.len() + self.buffer.len()
    }

    /// Bytes held (vectors at capacity; the buffer's map approximately).
    pub fn heap_bytes(&self) -> usize {
        self.main.capacity() * 8
            + self.dir.capacity() * 4
            + self.buffer.capacity() * 12
            + self.heads.capacity() * (4 + 8 + 1)
    }

    pub fn insert(&mut self, slot: u32, keys: &[u64]) {
        for &key in keys {
            let k = Self::short(key);
            let (lo, hi) = self.run_of(k);
            let in_main = self.postings(k, lo, hi).len();
            if in_main >= MAX_POSTINGS {
                continue;
            }
            let at = self.buffer.len() as u32;
            let head = self.heads.entry(k).or_insert((NONE, 0));
            if in_main + head.1 as usize >= MAX_POSTINGS {
                continue;
            }
            self.buffer.push((k, slot, head.0));
            *head = (at, head.1 + 1);
        }
        if self.buffer.len() > 8_192.max(self.main.len() / 8) {
            self.merge();
        }
    }

    fn merge(&mut self) {
        let mut fresh: Vec<(u32, u32)> = self.buffer.drain(..).map(|(k, s, _)| (k, s)).collect();
        self.heads.clear();
        fresh.sort_unstable();
        // Merged in place from the back: the vector grows where it lies (a new allocation for
        // every merge would have the system zero tens of megabytes of fresh pages each time).
        let old = self.main.len();
        if self.main.capacity() < old + fresh.len() {
            // A quarter to spare: the vector moves every other merge or so, and holds at most
            // a quarter more than it needs.
            self.main.reserve_exact(fresh.len().max(old / 4));
        }
        self.main.resize(old + fresh.len(), (0, 0));
        let (mut i, mut j, mut k) = (old, fresh.len(), old + fresh.len());
        while j > 0 {
            k -= 1;
            if i > 0 && self.main[i - 1] > fresh[j - 1] {
                i -= 1;
                self.main[k] = self.main[i];
            } else {
                j -= 1;
                self.main[k] = fresh[j];
            }
        }
        self.index_main();
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_shared_keys_across_merges() {
        let mut ix = KeyIndex::default();
        for slot in 0..20_000u32 {
            let keys: Vec<u64> = (0..8).map(|i| ((slot as u64 * 8 + i) << 32) | 7).collect();
            ix.insert(slot, &keys);
        }
        let probe: Vec<u64> = (0..8).map(|i| ((123 * 8 + i) << 32) | 7).collect();
        assert_eq!(ix.candidates(&probe)[0], (123, 8));
    }

    #[test]
    fn postings_are_capped() {
        let mut ix = KeyIndex::default();
        for slot in 0..1000 {
            ix.insert(slot, &[42 << 32]);
        }
        assert_eq!(ix.candidates(&[42 << 32]).len(), MAX_POSTINGS);
    }
}
