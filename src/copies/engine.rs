//! The copy engine: how an arriving article finds its family.
//!
//! Input: articles in arrival order. Output: [`Update`]s. An article is placed by the hash of
//! its normalised text (an exact copy), else by its skeleton keys looked up in the key index
//! (candidate families, counted by the rare keys they share), verified by aligning it with each
//! candidate's best member; it joins the family it aligns with, or founds one. The index holds
//! originals' keys and the keys each copy alone brought to its family; the tokens of recent
//! founders stay in a fixed amount of memory.

use super::*;

/// Families to verify per arriving article (each through its best candidate).
pub(super) const MAX_FAMILIES_CHECKED: usize = 6;

/// Families a key may lead to and still single out a source. A family is verified only if
/// at least one of the keys it shares with the newcomer is this rare: a skeleton window held
/// by many families is a turn of phrase ("_ of the _ _ , the _"), not evidence of copying.
/// Counted in families, not articles: a store replays several members of a family, each with
/// all its keys, and a family copied many times must stay findable. On the 100k bench corpus
/// every verification that found a copy had a shared key held by at most two articles, while
/// 84% of those that found none shared only keys held by five or more.
pub(super) const MAX_DISTINCTIVE_FAMILIES: u32 = 8;

/// Bytes of recent founders' tokens kept in memory for verification (a fixed amount, whatever
/// the stream's length).
pub(super) const RECENT_BYTES: usize = 16 << 20;

/// Members of a family whose texts are compared when its original is decided (after the
/// provenance and date filters, which see every member).
pub(super) const MAX_CONTENDERS: usize = 8;

/// A member less contained than this in its family's original (after the original changed or
/// families merged) leaves the family and is placed again.
pub(super) const EVICT_BELOW: f64 = 0.4;

/// Members read to count which sentences a family holds (for telling boilerplate apart).
pub(super) const MAX_FAMILY_SENTENCES: usize = 64;

/// An article's new family and member record.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub slot: u32,
    pub family: String,
    pub member: Member,
}

#[derive(Debug)]
pub(super) struct Fam {
    pub(super) id: String,
    pub(super) original: u32,
    pub(super) members: Vec<u32>,
    /// Why the original is the original.
    pub(super) reason: original::Reason,
}

/// Copy detection over a stream of articles.
pub struct Engine<T: TextSource> {
    pub(super) texts: T,
    pub(super) metas: Vec<Meta>,
    pub(super) fam_of: Vec<u32>,
    pub(super) fams: Vec<Fam>,
    pub(super) index: KeyIndex,
    pub(super) exact: text::FastMap<u64, u32>,
    pub(super) prov: Vec<Provenance>,
    pub fluency: Fluency,
    pub(super) updates: Vec<Update>,
    /// Members taken out of a family (with the family they left), waiting to be placed again.
    pub(super) evicted: Vec<(u32, usize)>,
    /// The tokens of recent founders (the articles copies are compared with), oldest first, in
    /// at most [`RECENT_BYTES`]: most copies come soon after their original (a wire report is
    /// republished within hours), and verifying against these skips reading it back.
    pub(super) recent: std::collections::VecDeque<(u32, Doc<'static>)>,
    pub(super) recent_bytes: usize,
    /// One bit per slot: whether all its keys are in the index (see [`Self::index_placed`]).
    pub(super) indexed: Vec<u64>,
    /// One bit per slot: whether the keys it alone brought to its family are.
    pub(super) novel_indexed: Vec<u64>,
    /// The postings the last placement's lookup found, `(slot, key index)`, valid when
    /// `looked_up` (an article placed by its exact text is not looked up).
    pub(super) hits: Vec<(u32, u32)>,
    pub(super) looked_up: bool,
    pub stats: Stats,
}

/// Where the engine's time goes, for benches and for tuning: candidate generation (tokens, keys
/// and index), verification (reading candidates' originals and aligning), and deciding (reading
/// provenance, choosing originals, evidence, merges).
#[derive(Debug, Default, Clone, serde::Serialize)]
pub struct Stats {
    pub candidates_ns: u64,
    /// Parts of `candidates_ns`: reading the newcomer's text into tokens, its keys and stored
    /// form, and the key index (looking up and inserting).
    pub reading_ns: u64,
    pub keys_ns: u64,
    pub index_ns: u64,
    pub verify_ns: u64,
    pub decide_ns: u64,
    pub families_verified: u64,
}

/// The keys none of whose postings in `hits` (`(slot, index of the key)`, as
/// [`KeyIndex::lookup`] gives them) is at a slot `held` accepts.
pub(super) fn keys_without(
    keys: &[u64],
    hits: &[(u32, u32)],
    held: impl Fn(u32) -> bool,
) -> Vec<u64> {
    let mut found = vec![false; keys.len()];
    for &(s, i) in hits {
        if held(s) {
            found[i as usize] = true;
        }
    }
    keys.iter()
        .zip(&found)
        .filter(|(_, f)| !**f)
        .map(|(k, _)| *k)
        .collect()
}

/// Bit `slot` of a bit set.
pub(super) fn bit(set: &[u64], slot: u32) -> bool {
    set.get(slot as usize / 64)
        .is_some_and(|w| w >> (slot % 64) & 1 == 1)
}

pub(super) fn set_bit(set: &mut Vec<u64>, slot: u32) {
    let word = slot as usize / 64;
    if set.len() <= word {
        set.resize(word + 1, 0);
    }
    set[word] |= 1 << (slot % 64);
}

impl<T: TextSource> Engine<T> {
    pub fn new(texts: T) -> Self {
        Engine {
            texts,
            metas: Vec::new(),
            fam_of: Vec::new(),
            fams: Vec::new(),
            index: KeyIndex::default(),
            exact: Default::default(),
            prov: Vec::new(),
            fluency: Fluency::default(),
            updates: Vec::new(),
            evicted: Vec::new(),
            recent: Default::default(),
            recent_bytes: 0,
            indexed: Vec::new(),
            novel_indexed: Vec::new(),
            hits: Vec::new(),
            looked_up: false,
            stats: Stats::default(),
        }
    }

    /// Counts a text's word pairs for the fluency measure (call before adding it).
    pub fn observe(&mut self, text: &str) {
        self.fluency.observe(&Doc::new(text));
    }

    /// Bytes the engine holds, by part (vectors at capacity, strings at length, maps
    /// approximately): what copy detection keeps per article, texts apart.
    pub fn heap_bytes(&self) -> serde_json::Value {
        let s = |x: &Option<String>| x.as_ref().map_or(0, String::capacity);
        let metas: usize = self.metas.capacity() * std::mem::size_of::<Meta>()
            + self
                .metas
                .iter()
                .map(|m| m.id.capacity() + s(&m.published) + s(&m.outlet) + s(&m.url))
                .sum::<usize>();
        let prov: usize = self.prov.capacity() * std::mem::size_of::<Provenance>()
            + self
                .prov
                .iter()
                .map(|p| {
                    p.cites
                        .iter()
                        .chain(&p.found)
                        .map(String::capacity)
                        .sum::<usize>()
                        + (p.cites.len() + p.found.len()) * 24
                })
                .sum::<usize>();
        let fams: usize = self.fams.capacity() * std::mem::size_of::<Fam>()
            + self
                .fams
                .iter()
                .map(|f| f.id.capacity() + f.members.capacity() * 4)
                .sum::<usize>()
            + self.fam_of.capacity() * 4;
        let exact = self.exact.capacity() * (8 + 4 + 1);
        let recent = self.recent_bytes;
        let index = self.index.heap_bytes();
        serde_json::json!({
            "metadata": metas, "provenance": prov, "families": fams,
            "exact_hashes": exact, "key_index": index,
            "word_pair_sketch": self.fluency.heap_bytes(), "recent_founders": recent,
            "total": metas + prov + fams + exact + index + recent + self.fluency.heap_bytes(),
        })
    }

    /// Where the engine keeps its texts.
    pub fn texts(&self) -> &T {
        &self.texts
    }

    /// Takes the updates made since the last call, in order.
    pub fn take_updates(&mut self) -> Vec<Update> {
        std::mem::take(&mut self.updates)
    }

    /// Places an arriving article: it joins (or merges) the families it is a copy in, or
    /// founds one. Returns its slot.
    pub fn add(&mut self, meta: Meta, text: &str) -> u32 {
        let t = std::time::Instant::now();
        let slot = self.admit(meta, text);
        self.stats.decide_ns += t.elapsed().as_nanos() as u64;
        let t = std::time::Instant::now();
        let doc = Doc::new(text);
        let read = t.elapsed().as_nanos() as u64;
        let keys = doc.keys();
        let took = t.elapsed().as_nanos() as u64;
        self.stats.reading_ns += read;
        self.stats.keys_ns += took - read;
        self.stats.candidates_ns += took;
        self.place(slot, &keys, &doc, None);
        let t = std::time::Instant::now();
        // Verification reads only originals: a copy's tokens are kept only if it founded its
        // family (one that becomes the original later has its text read instead).
        if self.fams[self.fam_of[slot as usize] as usize].original == slot {
            self.keep_form(slot, &doc);
        }
        let formed = t.elapsed().as_nanos() as u64;
        self.make_findable(slot);
        self.index_placed(slot, &keys);
        let took = t.elapsed().as_nanos() as u64;
        self.stats.keys_ns += formed;
        self.stats.index_ns += took - formed;
        self.stats.candidates_ns += took;
        self.replace_evicted();
        slot
    }

    /// Members that stopped being copies of their family's original (the original changed, or
    /// their family was merged into another) are placed again, as if they had just arrived;
    /// each founds a family of its own if nothing else takes it.
    pub(super) fn replace_evicted(&mut self) {
        // Bounded: a member placed again joins only a family whose original it copies, so a
        // cascade dies out quickly; the cap guards against pathological flip-flops.
        let mut rounds = 0;
        while let Some((slot, left)) = self.evicted.pop() {
            rounds += 1;
            if rounds > 64 {
                self.evicted.clear();
                break;
            }
            let text = self.texts.get(slot).into_owned();
            let doc = Doc::new(&text);
            let keys = doc.keys();
            self.place(slot, &keys, &doc, Some(left));
            self.index_placed(slot, &keys);
        }
    }

    /// Puts the article in `slot` in the family it is a copy in (merging any others it holds),
    /// or in a family of its own. `evicted_from` is the family an evicted member left: it is not
    /// tried again, and it names the member's new family.
    pub(super) fn place(
        &mut self,
        slot: u32,
        keys: &[u64],
        own: &Doc,
        evicted_from: Option<usize>,
    ) {
        let hash = self.metas[slot as usize].text_hash;
        let started = std::time::Instant::now();

        // (family, similarity, via, share of the family's text the newcomer holds)
        let mut matched: Vec<(usize, f64, u32, f64)> = Vec::new();
        let exact = self.exact.get(&hash).copied().filter(|&s| {
            hash != 0 && s != slot && Some(self.fam_of[s as usize] as usize) != evicted_from
        });
        self.looked_up = false;
        if let Some(s) = exact {
            matched.push((self.fam_of[s as usize] as usize, 1.0, s, 1.0));
        } else {
            let need = copies_needed(keys.len());
            let looked_up = std::time::Instant::now();
            self.index.lookup(keys, &mut self.hits);
            self.looked_up = true;
            self.stats.index_ns += looked_up.elapsed().as_nanos() as u64;
            // Shared keys are counted per family, each key once whichever members hold it: a
            // family is findable by its original's keys and by those its copies alone brought
            // (see `index_placed`). Per member: (family, slot, keys shared, which keys).
            let mut members: Vec<(u32, u32, u32, u64)> = Vec::new();
            for &(s, i) in &self.hits {
                let bit = 1u64 << i.min(63);
                match members.last_mut() {
                    Some(m) if m.1 == s => {
                        m.2 += 1;
                        m.3 |= bit;
                    }
                    _ => members.push((self.fam_of[s as usize], s, 1, bit)),
                }
            }
            // How many families hold each key (members of one family may hold the same key:
            // a store replays several members of a family with all their keys); the keys held
            // by few enough to single out a source, as a mask over the key indexes.
            let mut holders = [0u32; 64];
            for &(s, i) in &self.hits {
                holders[i.min(63) as usize] += u32::from(s != slot);
            }
            // Families are never more than articles: only keys held by too many articles are
            // counted again, in families.
            let many = |n: u32| n > MAX_DISTINCTIVE_FAMILIES;
            if holders.iter().any(|&n| many(n)) {
                let mut key_families: Vec<(u32, u32)> = self
                    .hits
                    .iter()
                    .filter(|&&(s, i)| s != slot && many(holders[i.min(63) as usize]))
                    .map(|&(s, i)| (i.min(63), self.fam_of[s as usize]))
                    .collect();
                key_families.sort_unstable();
                key_families.dedup();
                for &(i, _) in &key_families {
                    holders[i as usize] = 0;
                }
                for &(i, _) in &key_families {
                    holders[i as usize] += 1;
                }
            }
            let distinctive = holders
                .iter()
                .enumerate()
                .filter(|&(_, &n)| (1..=MAX_DISTINCTIVE_FAMILIES).contains(&n))
                .fold(0u64, |m, (i, _)| m | 1 << i);
            members.retain(|m| m.1 != slot && Some(m.0 as usize) != evicted_from);
            members.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(b.2.cmp(&a.2)).then(a.1.cmp(&b.1)));
            // Per family: (keys shared, its member sharing most, oldest first), most first;
            // only families sharing a distinctive key.
            let mut by_family: Vec<(u32, u32, usize)> = members
                .chunk_by(|a, b| a.0 == b.0)
                .filter_map(|f| {
                    let keys_held = f.iter().fold(0u64, |k, m| k | m.3);
                    (keys_held & distinctive != 0)
                        .then(|| (keys_held.count_ones(), f[0].1, f[0].0 as usize))
                })
                .collect();
            by_family.sort_unstable_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            let tries: Vec<(usize, u32)> = by_family
                .iter()
                .take_while(|f| f.0 >= need)
                .take(MAX_FAMILIES_CHECKED)
                .map(|&(_, best, fam)| (fam, best))
                .collect();
            self.stats.candidates_ns += started.elapsed().as_nanos() as u64;
            let started = std::time::Instant::now();
            self.stats.families_verified += tries.len() as u64;
            if !tries.is_empty() {
                for (fam, cand) in tries {
                    // A family is joined as a copy of its original, not of whichever member
                    // the keys found: a fragment in the family (a quote, a lead) is also in
                    // independent reports, and joining through it would chain them in.
                    let orig = self.fams[fam].original;
                    let recent = self
                        .recent
                        .binary_search_by_key(&orig, |(s, _)| *s)
                        .ok()
                        .map(|i| &self.recent[i].1);
                    let al = if let Some(odoc) = recent {
                        align::verdict(odoc, own)
                    } else if let Some(odoc) =
                        self.texts.form(orig).and_then(|f| Doc::from_form(&f))
                    {
                        align::verdict(&odoc, own)
                    } else {
                        align::verdict(&Doc::new(&self.texts.get(orig)), own)
                    };
                    if al.is_copy() {
                        matched.push((fam, al.similarity(), cand, al.covered_a));
                    }
                }
            }
            self.stats.verify_ns += started.elapsed().as_nanos() as u64;
        }
        let started = std::time::Instant::now();
        if matched.is_empty() {
            let article = &self.metas[slot as usize].id;
            let id = match evicted_from {
                None => family_id(article),
                // Not the article's own founder id: it may have founded the family it left.
                Some(f) => family_id(&format!("{article}\0{}", self.fams[f].id)),
            };
            self.fams.push(Fam {
                id: id.clone(),
                original: slot,
                members: vec![slot],
                reason: original::Reason::FirstSeen,
            });
            self.fam_of[slot as usize] = (self.fams.len() - 1) as u32;
            self.updates.push(Update {
                slot,
                family: id,
                member: original_member(&self.metas[slot as usize].id, original::Reason::FirstSeen),
            });
        } else {
            matched.sort_by(|a, b| b.1.total_cmp(&a.1).then(a.0.cmp(&b.0)));
            let target = matched[0].0;
            let via = matched[0].2;
            self.fams[target].members.push(slot);
            self.fam_of[slot as usize] = target as u32;
            // Another family is merged in only when the newcomer holds its text (the newcomer
            // is the original both were cut from). A short text that two families merely both
            // contain is a shared fragment (a quote every report carries), not a bridge.
            let mut merged = Vec::new();
            for &(f, _, _, held) in &matched[1..] {
                if f != target && held >= align::MIN_CONTAINMENT && !merged.contains(&f) {
                    merged.push(f);
                }
            }
            for f in merged {
                self.merge_into(target, f);
            }
            self.contest(target, slot, via);
        }
        self.stats.decide_ns += started.elapsed().as_nanos() as u64;
    }

    /// Keeps an arriving article's text, metadata and provenance (in no family yet); returns
    /// its slot.
    pub(super) fn admit(&mut self, meta: Meta, text: &str) -> u32 {
        let slot = self.texts.push(text);
        self.prov.push(original::credit(&meta, text));
        self.metas.push(meta);
        self.fam_of.push(u32::MAX);
        slot
    }

    /// Keeps the tokens of the article in `slot` beside its text, for verifying later
    /// articles against it.
    pub(super) fn keep_form(&mut self, slot: u32, doc: &Doc) {
        self.texts.keep_form(slot, doc);
        let detached = doc.detached();
        self.recent_bytes += detached.heap_bytes();
        self.recent.push_back((slot, detached));
        while self.recent_bytes > RECENT_BYTES {
            let Some((_, old)) = self.recent.pop_front() else {
                break;
            };
            self.recent_bytes -= old.heap_bytes();
        }
    }

    /// Lets later articles find this one by its exact text.
    pub(super) fn make_findable(&mut self, slot: u32) {
        let hash = self.metas[slot as usize].text_hash;
        if hash != 0 {
            self.exact.entry(hash).or_insert(slot);
        }
    }

    /// Puts the keys of `slot` in the index, once: all of them, or the ones given as
    /// `novel` and a later call for all of them.
    pub(super) fn index_keys(&mut self, slot: u32, keys: &[u64]) {
        if bit(&self.indexed, slot) {
            return;
        }
        set_bit(&mut self.indexed, slot);
        if bit(&self.novel_indexed, slot) {
            // Some are in already: only the others go in (the postings of a key are distinct).
            let mut hits = Vec::new();
            self.index.lookup(keys, &mut hits);
            self.index
                .insert(slot, &keys_without(keys, &hits, |s| s == slot));
        } else {
            self.index.insert(slot, keys);
        }
    }

    /// Makes an article just placed findable by its keys, as far as later articles need.
    /// A newcomer is verified against a family's original, never against the member its keys
    /// found: an original's keys all go in, while a copy's keys go in only where they lead
    /// nowhere in its family yet (a syndicated copy brings a few keys of the text around the
    /// shared part; its other keys would only repeat the original's postings, and an exact
    /// copy brings none). An original that arrived as a copy has its text read again for its
    /// keys: that happens when a family's original changes, not per article.
    pub(super) fn index_placed(&mut self, slot: u32, keys: &[u64]) {
        let fam = self.fam_of[slot as usize];
        let orig = self.fams[fam as usize].original;
        if orig == slot {
            self.index_keys(slot, keys);
            return;
        }
        if !bit(&self.indexed, orig) {
            let keys = Doc::new(&self.texts.get(orig)).keys();
            self.index_keys(orig, &keys);
        }
        if self.looked_up && !bit(&self.indexed, slot) && !bit(&self.novel_indexed, slot) {
            let novel = keys_without(keys, &self.hits, |s| self.fam_of[s as usize] == fam);
            if !novel.is_empty() {
                set_bit(&mut self.novel_indexed, slot);
                self.index.insert(slot, &novel);
            }
        }
    }

    /// Puts back an article whose family is already known (read from the store), without
    /// comparing it with anything: the engine can then place newcomers against it.
    pub fn restore(&mut self, meta: Meta, text: &str, family: &str, is_original: bool) -> u32 {
        let slot = self.admit(meta, text);
        let doc = Doc::new(text);
        let keys = doc.keys();
        self.keep_form(slot, &doc);
        let fam = match self.fams.iter().position(|f| f.id == family) {
            Some(f) => f,
            None => {
                self.fams.push(Fam {
                    id: family.to_string(),
                    original: slot,
                    members: Vec::new(),
                    reason: original::Reason::FirstSeen,
                });
                self.fams.len() - 1
            }
        };
        self.fams[fam].members.push(slot);
        if is_original {
            self.fams[fam].original = slot;
        }
        self.fam_of[slot as usize] = fam as u32;
        self.make_findable(slot);
        // Every restored member, not only the original: a store replays at most a few members
        // of a family, and any of them may be the one a newcomer's keys lead to.
        self.index_keys(slot, &keys);
        slot
    }
}
