//! The `copies` stage: groups articles into families of copies, names each family's original,
//! and says how every other member relates to it, with the evidence.
//!
//! Input: articles in arrival order (text and a little metadata). Output: [`Update`]s, each the
//! current family and [`Member`] record of an article; a later update of the same article
//! replaces an earlier one (when a better original arrives, or two families turn out to be
//! one).
//!
//! Copies are found in two steps (see DESIGN.md):
//! 1. Candidates: the sampled skeleton keys of [`doc`] looked up in the [`index`] — sub-linear
//!    per article, and robust to synonym spinning and to copies that keep only part of a text.
//!    Shared keys are counted per family; the index holds originals' keys and the keys each
//!    copy alone brought to its family. Exact copies are found first by the hash of their
//!    normalised text.
//! 2. Verification: in-order sentence alignment ([`align`]) of the article with the best
//!    candidate of each nearby family. Its result decides copy or not, the relation
//!    (`near_duplicate`, `spun`, `rewrite`) and is the evidence.
//!
//! The original ([`original`]) is decided over the whole family each time a member joins:
//! credit lines (a member's own, and other members' credits naming its outlet), then the
//! earliest date, then content (the text the others were cut from) and fluency. The engine
//! holds per article only its keys (eight bytes each, fewer for copies), its metadata and its
//! family; texts come
//! from a [`TextSource`], which may also keep a founder's tokens ([`doc::Doc::form`]) so that
//! verification does not split its text again, and the tokens of recent founders stay in a
//! fixed amount of memory. `analyze` runs one engine over the batch; `ingest` keeps copy keys
//! in the store and replays only the families an arriving article may join.

pub mod align;
pub mod doc;
pub mod index;
pub mod original;

use std::borrow::Cow;
use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::text;
use align::{align, Alignment, Kind};
use doc::Doc;
use index::KeyIndex;
pub use original::{Fluency, Meta, Provenance};
/// How a member of a family relates to the family's original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Original,
    Exact,
    NearDuplicate,
    Spun,
    Rewrite,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Original => "original",
            Relation::Exact => "exact",
            Relation::NearDuplicate => "near_duplicate",
            Relation::Spun => "spun",
            Relation::Rewrite => "rewrite",
        }
    }

    pub fn parse(s: &str) -> Option<Relation> {
        [
            Relation::Original,
            Relation::Exact,
            Relation::NearDuplicate,
            Relation::Spun,
            Relation::Rewrite,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// One member of a family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub article: String,
    pub relation: Relation,
    pub similarity: f64,
    pub evidence: serde_json::Value,
}

/// A family of copies: one report and its republications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Family {
    pub id: String,
    pub original: String,
    pub members: Vec<Member>,
}

/// A family's id: derived from the article that founded it, so it is stable across runs.
pub fn family_id(founder_article: &str) -> String {
    text::hex_id(text::hash64(
        format!("family\0{founder_article}").as_bytes(),
    ))
}

/// Keys a candidate must share with a newcomer to be verified: one for a text too short to
/// have more, then more as texts grow (a long text shares two or three keys with many
/// unrelated ones by chance; a copy of it shares a good part of its keys).
pub fn copies_needed(keys: usize) -> u32 {
    match keys {
        0..=3 => 1,
        4..=23 => 2,
        _ => 3,
    }
}

/// Families to verify per arriving article (each through its best candidate).
const MAX_FAMILIES_CHECKED: usize = 6;
/// Families a key may lead to and still single out a source. A family is verified only if
/// at least one of the keys it shares with the newcomer is this rare: a skeleton window held
/// by many families is a turn of phrase ("_ of the _ _ , the _"), not evidence of copying.
/// Counted in families, not articles: a store replays several members of a family, each with
/// all its keys, and a family copied many times must stay findable. On the 100k bench corpus
/// every verification that found a copy had a shared key held by at most two articles, while
/// 84% of those that found none shared only keys held by five or more.
const MAX_DISTINCTIVE_FAMILIES: u32 = 8;
/// Bytes of recent founders' tokens kept in memory for verification (a fixed amount, whatever
/// the stream's length).
const RECENT_BYTES: usize = 16 << 20;
/// Members of a family whose texts are compared when its original is decided (after the
/// provenance and date filters, which see every member).
const MAX_CONTENDERS: usize = 8;
/// A member less contained than this in its family's original (after the original changed or
/// families merged) leaves the family and is placed again.
const EVICT_BELOW: f64 = 0.4;
/// Members read to count which sentences a family holds (for telling boilerplate apart).
const MAX_FAMILY_SENTENCES: usize = 64;

/// Where an article's texts are kept while copy detection may still compare with it.
pub trait TextSource {
    fn push(&mut self, text: &str) -> u32;
    fn get(&self, slot: u32) -> Cow<'_, str>;
    /// Keeps the tokens of the text in `slot` ([`Doc::form`]) beside it. A source that does
    /// not keep them has verification split the text again.
    fn keep_form(&mut self, _slot: u32, _doc: &Doc) {}
    /// The tokens kept for `slot`, if any.
    fn form(&self, _slot: u32) -> Option<Vec<u8>> {
        None
    }
}

/// Texts in memory: what `analyze` uses.
#[derive(Debug, Default)]
pub struct MemTexts(Vec<String>);

impl TextSource for MemTexts {
    fn push(&mut self, text: &str) -> u32 {
        self.0.push(text.to_string());
        (self.0.len() - 1) as u32
    }
    fn get(&self, slot: u32) -> Cow<'_, str> {
        Cow::Borrowed(self.0.get(slot as usize).map_or("", String::as_str))
    }
}

/// Texts in an append-only file, each followed by its tokens ([`Doc::form`]), with only their
/// offsets in memory (16 bytes an article): for streams too large to hold, as the scaling
/// bench runs. Reading one back costs a positioned read; the operating system's page cache
/// keeps recent ones at hand.
#[derive(Debug)]
pub struct FileTexts {
    file: std::cell::RefCell<std::io::BufWriter<std::fs::File>>,
    /// Per slot: where its text starts, the text's length, and the length of the form after it.
    spans: Vec<(u64, u32, u32)>,
    end: u64,
    /// The first write or read that failed: texts after it read back empty.
    failed: std::cell::RefCell<Option<std::io::Error>>,
    /// Scratch space for a doc's form.
    form_buf: Vec<u8>,
}

impl FileTexts {
    /// Creates (or truncates) the file at `path`.
    pub fn create(path: &std::path::Path) -> std::io::Result<Self> {
        let file = std::fs::OpenOptions::new()
            .create(true)
            .truncate(true)
            .read(true)
            .write(true)
            .open(path)?;
        Ok(FileTexts {
            file: std::cell::RefCell::new(std::io::BufWriter::with_capacity(1 << 20, file)),
            spans: Vec::new(),
            end: 0,
            failed: std::cell::RefCell::new(None),
            form_buf: Vec::new(),
        })
    }

    /// The first input/output error, if any: a caller checks it before trusting the results.
    pub fn error(&self) -> Option<String> {
        self.failed.borrow().as_ref().map(|e| e.to_string())
    }

    fn read(&self, at: u64, len: usize) -> std::io::Result<Vec<u8>> {
        use std::io::Write;
        let mut w = self.file.borrow_mut();
        // Flushed only when the bytes wanted may still sit in the write buffer.
        let buffered = w.buffer().len() as u64;
        if buffered > 0 && at + len as u64 > self.end - buffered {
            w.flush()?;
        }
        let mut buf = vec![0u8; len];
        read_at(w.get_mut(), &mut buf, at, self.end)?;
        Ok(buf)
    }

    /// Keeps `form` as the tokens of `slot`, only right after the slot's text, so that a form
    /// always sits where its span says.
    fn keep_bytes(&mut self, slot: u32, form: &[u8]) {
        let Some(&(at, len, 0)) = self.spans.get(slot as usize) else {
            return;
        };
        if at + len as u64 != self.end || form.len() > u32::MAX as usize {
            return;
        }
        if self.write(form) {
            self.spans[slot as usize].2 = form.len() as u32;
        }
    }

    fn write(&mut self, bytes: &[u8]) -> bool {
        use std::io::Write;
        if let Err(e) = self.file.get_mut().write_all(bytes) {
            self.failed.get_mut().get_or_insert(e);
            return false;
        }
        self.end += bytes.len() as u64;
        true
    }
}

impl TextSource for FileTexts {
    fn push(&mut self, text: &str) -> u32 {
        let len = text.len().min(u32::MAX as usize);
        let at = self.end;
        let ok = self.write(&text.as_bytes()[..len]);
        self.spans.push((at, if ok { len as u32 } else { 0 }, 0));
        (self.spans.len() - 1) as u32
    }
    fn get(&self, slot: u32) -> Cow<'_, str> {
        let Some(&(at, len, _)) = self.spans.get(slot as usize) else {
            return Cow::Borrowed("");
        };
        match self.read(at, len as usize) {
            Ok(t) => Cow::Owned(String::from_utf8(t).unwrap_or_default()),
            Err(e) => {
                self.failed.borrow_mut().get_or_insert(e);
                Cow::Borrowed("")
            }
        }
    }
    fn keep_form(&mut self, slot: u32, doc: &Doc) {
        let mut form = std::mem::take(&mut self.form_buf);
        doc.form(&mut form);
        self.keep_bytes(slot, &form);
        self.form_buf = form;
    }
    fn form(&self, slot: u32) -> Option<Vec<u8>> {
        let &(at, len, form) = self.spans.get(slot as usize)?;
        if form == 0 {
            return None;
        }
        match self.read(at + len as u64, form as usize) {
            Ok(bytes) => Some(bytes),
            Err(e) => {
                self.failed.borrow_mut().get_or_insert(e);
                None
            }
        }
    }
}

/// Reads `buf.len()` bytes at `at` without moving the file's position (appends go on at the
/// end).
#[cfg(unix)]
fn read_at(f: &mut std::fs::File, buf: &mut [u8], at: u64, _end: u64) -> std::io::Result<()> {
    use std::os::unix::fs::FileExt;
    f.read_exact_at(buf, at)
}

#[cfg(not(unix))]
fn read_at(f: &mut std::fs::File, buf: &mut [u8], at: u64, end: u64) -> std::io::Result<()> {
    use std::io::{Read, Seek, SeekFrom};
    f.seek(SeekFrom::Start(at))?;
    f.read_exact(buf)?;
    f.seek(SeekFrom::Start(end))?;
    Ok(())
}

/// An article's new family and member record.
#[derive(Debug, Clone, PartialEq)]
pub struct Update {
    pub slot: u32,
    pub family: String,
    pub member: Member,
}

#[derive(Debug)]
struct Fam {
    id: String,
    original: u32,
    members: Vec<u32>,
    /// Why the original is the original.
    reason: original::Reason,
}

/// Copy detection over a stream of articles.
pub struct Engine<T: TextSource> {
    texts: T,
    metas: Vec<Meta>,
    fam_of: Vec<u32>,
    fams: Vec<Fam>,
    index: KeyIndex,
    exact: text::FastMap<u64, u32>,
    prov: Vec<Provenance>,
    pub fluency: Fluency,
    updates: Vec<Update>,
    /// Members taken out of a family (with the family they left), waiting to be placed again.
    evicted: Vec<(u32, usize)>,
    /// The tokens of recent founders (the articles copies are compared with), oldest first, in
    /// at most [`RECENT_BYTES`]: most copies come soon after their original (a wire report is
    /// republished within hours), and verifying against these skips reading it back.
    recent: std::collections::VecDeque<(u32, Doc<'static>)>,
    recent_bytes: usize,
    /// One bit per slot: whether all its keys are in the index (see [`Self::index_placed`]).
    indexed: Vec<u64>,
    /// One bit per slot: whether the keys it alone brought to its family are.
    novel_indexed: Vec<u64>,
    /// The postings the last placement's lookup found, `(slot, key index)`, valid when
    /// `looked_up` (an article placed by its exact text is not looked up).
    hits: Vec<(u32, u32)>,
    looked_up: bool,
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
    fn replace_evicted(&mut self) {
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
    fn place(&mut self, slot: u32, keys: &[u64], own: &Doc, evicted_from: Option<usize>) {
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
    fn admit(&mut self, meta: Meta, text: &str) -> u32 {
        let slot = self.texts.push(text);
        self.prov.push(original::credit(&meta, text));
        self.metas.push(meta);
        self.fam_of.push(u32::MAX);
        slot
    }

    /// Keeps the tokens of the article in `slot` beside its text, for verifying later
    /// articles against it.
    fn keep_form(&mut self, slot: u32, doc: &Doc) {
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
    fn make_findable(&mut self, slot: u32) {
        let hash = self.metas[slot as usize].text_hash;
        if hash != 0 {
            self.exact.entry(hash).or_insert(slot);
        }
    }

    /// Puts the keys of `slot` in the index, once: all of them, or the ones given as
    /// `novel` and a later call for all of them.
    fn index_keys(&mut self, slot: u32, keys: &[u64]) {
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
    fn index_placed(&mut self, slot: u32, keys: &[u64]) {
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

    /// Moves family `from`'s members into `into` and decides the original again.
    fn merge_into(&mut self, into: usize, from: usize) {
        let members = std::mem::take(&mut self.fams[from].members);
        for &m in &members {
            self.fam_of[m as usize] = into as u32;
        }
        self.fams[into].members.extend(members);
        self.redecide(into);
        self.relabel(into, None);
    }

    /// A new member joins family `fam`: the original is decided again; the newcomer's record
    /// (or everyone's, if the original changed) is updated.
    fn contest(&mut self, fam: usize, slot: u32, via: u32) {
        let (changed, reason_changed) = self.redecide(fam);
        if changed {
            self.relabel(fam, None);
        } else {
            if reason_changed {
                self.updates.push(self.original_update(fam));
            }
            self.relabel(fam, Some((slot, via)));
        }
    }

    /// Decides family `fam`'s original again and records it: whether the original changed,
    /// and whether the reason did.
    fn redecide(&mut self, fam: usize) -> (bool, bool) {
        let (original, reason) = self.choose(fam);
        let changed = (
            original != self.fams[fam].original,
            reason != self.fams[fam].reason,
        );
        self.fams[fam].original = original;
        self.fams[fam].reason = reason;
        changed
    }

    /// The original of a family, decided over all its members: provenance and dates shortlist
    /// (see [`original::shortlist`]), then the contenders' texts are compared in turn.
    fn choose(&self, fam: usize) -> (u32, original::Reason) {
        let members = &self.fams[fam].members;
        let (mut cands, filtered) = original::shortlist(members, &self.metas, &self.prov);
        cands.truncate(MAX_CONTENDERS);
        let Some(&first) = cands.first() else {
            return (self.fams[fam].original, original::Reason::FirstSeen);
        };
        // Which sentences the family itself holds, and how often (what the corpus holds more
        // often is boilerplate from elsewhere): read only when two texts are compared.
        let in_family = std::cell::OnceCell::new();
        let family_sentences = || {
            let texts: Vec<Cow<'_, str>> = members
                .iter()
                .take(MAX_FAMILY_SENTENCES)
                .map(|&m| self.texts.get(m))
                .collect();
            let docs: Vec<Doc> = texts.iter().map(|t| Doc::new(t)).collect();
            original::family_sentences(&docs.iter().collect::<Vec<_>>())
        };
        let mut best = first;
        let mut why = None;
        for &c in &cands[1..] {
            let (hb, hc) = (
                self.metas[best as usize].text_hash,
                self.metas[c as usize].text_hash,
            );
            if hb != 0 && hb == hc {
                continue;
            }
            let (tb, tc) = (self.texts.get(best), self.texts.get(c));
            let (db, dc) = (Doc::new(&tb), Doc::new(&tc));
            let al = align(&db, &dc);
            if !al.is_copy() {
                continue;
            }
            let in_family = in_family.get_or_init(family_sentences);
            match original::by_content(&db, &dc, &al, &self.fluency, in_family) {
                Some((true, r)) => {
                    best = c;
                    why = Some(r);
                }
                Some((false, r)) => {
                    why.get_or_insert(r);
                }
                None => {}
            }
        }
        (
            best,
            why.or(filtered).unwrap_or(original::Reason::FirstSeen),
        )
    }

    /// Decides every family's original again with what the engine knows now. A batch calls
    /// it once at the end: the corpus statistics behind fluency and boilerplate are complete
    /// only then, while a family's choice was made when its last member joined.
    pub fn settle(&mut self) {
        for fam in 0..self.fams.len() {
            if self.fams[fam].members.len() < 2 {
                continue;
            }
            match self.redecide(fam) {
                (true, _) => self.relabel(fam, None),
                (false, true) => self.updates.push(self.original_update(fam)),
                (false, false) => {}
            }
        }
        self.replace_evicted();
    }

    fn original_update(&self, fam: usize) -> Update {
        let orig = self.fams[fam].original;
        let mut m = original_member(&self.metas[orig as usize].id, self.fams[fam].reason.clone());
        let found = &self.prov[orig as usize].found;
        if !found.is_empty() {
            m.evidence["credit"] = serde_json::json!(found);
        }
        Update {
            slot: orig,
            family: self.fams[fam].id.clone(),
            member: m,
        }
    }

    /// Recomputes member records of family `fam` against its original: all of them, or only
    /// `only.0` (which joined through `only.1`).
    fn relabel(&mut self, fam: usize, only: Option<(u32, u32)>) {
        let orig = self.fams[fam].original;
        let fid = self.fams[fam].id.clone();
        let otext = self.texts.get(orig).into_owned();
        let odoc = Doc::new(&otext);
        let omet = self.metas[orig as usize].clone();
        let slots: Vec<u32> = match only {
            Some((s, _)) => vec![s],
            None => self.fams[fam].members.clone(),
        };
        if only.is_none() {
            self.updates.push(self.original_update(fam));
        }
        for s in slots {
            if s == orig {
                continue;
            }
            let meta = &self.metas[s as usize];
            let member = if meta.text_hash != 0 && meta.text_hash == omet.text_hash {
                exact_member(&meta.id, &omet.id)
            } else {
                let text = self.texts.get(s).into_owned();
                let d = Doc::new(&text);
                let al = align(&odoc, &d);
                if only.is_none() && al.contained() < EVICT_BELOW {
                    // It came in through a member or an original that is no longer the
                    // family's original, and little of it is in this one: it is placed again
                    // once this change is done. (A member short of a copy but still largely
                    // held stays: more often the new original is a copy of its own.)
                    self.fams[fam].members.retain(|&m| m != s);
                    self.evicted.push((s, fam));
                    continue;
                }
                let via = only
                    .filter(|&(_, v)| v != orig && !al.is_copy())
                    .map(|(_, v)| self.metas[v as usize].id.clone());
                let mut m = copy_member(&self.metas[s as usize].id, &omet.id, &al, &odoc, &d, via);
                if !self.prov[s as usize].found.is_empty() {
                    m.evidence["credit"] = serde_json::json!(self.prov[s as usize].found);
                }
                m
            };
            self.updates.push(Update {
                slot: s,
                family: fid.clone(),
                member,
            });
        }
    }
}

/// A copy's member record from its alignment with the original.
fn copy_member(
    article: &str,
    original: &str,
    al: &Alignment,
    odoc: &Doc,
    doc: &Doc,
    via: Option<String>,
) -> Member {
    let relation = match al.kind() {
        Kind::NearDuplicate => Relation::NearDuplicate,
        Kind::Spun => Relation::Spun,
        Kind::Rewrite => Relation::Rewrite,
    };
    let mut evidence = al.evidence(odoc, doc);
    evidence["original"] = serde_json::json!(original);
    evidence["reason"] = serde_json::json!(match relation {
        Relation::Spun => "sentences align in order with words swapped for synonyms",
        Relation::Rewrite => "the same sentences, reordered, merged or reworded",
        _ => "the same sentences in the same order, with edits",
    });
    if let Some(v) = via {
        evidence["via"] = serde_json::json!(v);
    }
    Member {
        article: article.to_string(),
        relation,
        similarity: align::round(al.similarity()),
        evidence,
    }
}

pub fn original_member(article: &str, reason: original::Reason) -> Member {
    Member {
        article: article.to_string(),
        relation: Relation::Original,
        similarity: 1.0,
        evidence: serde_json::json!({ "reason": reason.as_str() }),
    }
}

pub fn exact_member(article: &str, original: &str) -> Member {
    Member {
        article: article.to_string(),
        relation: Relation::Exact,
        similarity: 1.0,
        evidence: serde_json::json!({
            "reason": "same main text as the original once normalised",
            "original": original,
            "similarity": 1.0,
            "containment": 1.0,
        }),
    }
}

/// What the original choice reads of an article.
pub fn meta_of(a: &crate::extract::Article) -> Meta {
    Meta {
        id: a.id.clone(),
        published: a.published.clone(),
        outlet: a.outlet.clone(),
        url: a.url.clone(),
        text_hash: a.text_hash(),
    }
}

/// The order in which a batch's articles are given to the engine: as a stream would have
/// delivered them, dated articles by publication time, then undated ones, each in input order.
/// A copy then usually finds its original's family already there, instead of founding a
/// family of its own (or joining a related report's) that the original must sort out later.
pub fn arrival_order<'a>(published: impl Iterator<Item = Option<&'a str>>) -> Vec<usize> {
    let keys: Vec<Option<&str>> = published.collect();
    let mut order: Vec<usize> = (0..keys.len()).collect();
    order.sort_by_key(|&i| (keys[i].is_none(), keys[i]));
    order
}

/// Runs copy detection over a batch in memory: each article's family id, and the families
/// (in order of their first member; the original first, then members in arrival order).
pub fn detect(items: &[(Meta, String)]) -> (Vec<String>, Vec<Family>) {
    let mut engine = Engine::new(MemTexts::default());
    for (_, t) in items {
        engine.observe(t);
    }
    let order = arrival_order(items.iter().map(|(m, _)| m.published.as_deref()));
    for &i in &order {
        let (m, t) = &items[i];
        engine.add(m.clone(), t);
    }
    engine.settle();
    let mut last: Vec<Option<(String, Member)>> = vec![None; items.len()];
    for u in engine.take_updates() {
        last[order[u.slot as usize]] = Some((u.family, u.member));
    }
    let mut order: Vec<String> = Vec::new();
    let mut fams: HashMap<String, Family> = HashMap::new();
    let mut family_of = Vec::with_capacity(items.len());
    for (slot, entry) in last.into_iter().enumerate() {
        let (fid, member) = entry.unwrap_or_else(|| {
            let id = items[slot].0.id.clone();
            (
                family_id(&id),
                original_member(&id, original::Reason::FirstSeen),
            )
        });
        family_of.push(fid.clone());
        let fam = fams.entry(fid.clone()).or_insert_with(|| {
            order.push(fid.clone());
            Family {
                id: fid.clone(),
                original: String::new(),
                members: Vec::new(),
            }
        });
        if member.relation == Relation::Original {
            fam.original = member.article.clone();
            fam.members.insert(0, member);
        } else {
            fam.members.push(member);
        }
    }
    let families = order
        .into_iter()
        .filter_map(|id| fams.remove(&id))
        .collect();
    (family_of, families)
}

/// The keys none of whose postings in `hits` (`(slot, index of the key)`, as
/// [`KeyIndex::lookup`] gives them) is at a slot `held` accepts.
fn keys_without(keys: &[u64], hits: &[(u32, u32)], held: impl Fn(u32) -> bool) -> Vec<u64> {
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
fn bit(set: &[u64], slot: u32) -> bool {
    set.get(slot as usize / 64)
        .is_some_and(|w| w >> (slot % 64) & 1 == 1)
}

fn set_bit(set: &mut Vec<u64>, slot: u32) {
    let word = slot as usize / 64;
    if set.len() <= word {
        set.resize(word + 1, 0);
    }
    set[word] |= 1 << (slot % 64);
}

#[cfg(test)]
mod tests {
    use super::*;

    const WIRE: &str = "Crews reopened the Harwick tunnel on Monday after three weeks of repairs \
        to its ventilation shafts. The county engineer, Mara Voss, said the work came in under its \
        budget of six million dollars. Drivers had used a detour through the hill villages since \
        the start of the month. \"We are proud of the crews who worked through the night,\" Voss \
        said. A second phase of work on the lighting is planned for the spring.";
    /// An independent report of the same event: its own sentences, one shared quote.
    const OTHER: &str = "The Harwick tunnel is open again, to the relief of commuters who spent \
        most of the month on narrow village roads. \"We are proud of the crews who worked through \
        the night,\" Voss said. Local shop owners on the detour said trade had doubled and would \
        now fall back. The tunnel carries about forty thousand vehicles on a working day.";
    const QUOTE: &str = "\"We are proud of the crews who worked through the night,\" county \
        engineer Mara Voss said on Monday as the tunnel reopened to traffic.";

    fn meta(id: &str, published: Option<&str>, text: &str) -> Meta {
        Meta {
            id: id.into(),
            published: published.map(String::from),
            outlet: None,
            url: None,
            text_hash: text::hash64(text.as_bytes()),
        }
    }

    fn run(items: &[(&str, Option<&str>, &str)]) -> HashMap<String, String> {
        let items: Vec<(Meta, String)> = items
            .iter()
            .map(|(id, p, t)| (meta(id, *p, t), t.to_string()))
            .collect();
        let (family_of, _) = detect(&items);
        items
            .iter()
            .zip(family_of)
            .map(|((m, _), f)| (m.id.clone(), f))
            .collect()
    }

    #[test]
    fn a_trimmed_copy_joins_even_when_it_arrives_first() {
        let trimmed: String = WIRE.split(". ").take(3).collect::<Vec<_>>().join(". ") + ".";
        let f = run(&[("copy", None, &trimmed), ("wire", None, WIRE)]);
        assert_eq!(f["copy"], f["wire"]);
    }

    #[test]
    fn a_shared_quote_does_not_chain_independent_reports() {
        // The quote-only text is contained in both reports; it may join either, but the
        // independent report must not follow it into the wire's family.
        let f = run(&[
            ("wire", None, WIRE),
            ("quote", None, QUOTE),
            ("other", None, OTHER),
        ]);
        assert_ne!(f["wire"], f["other"]);
        let f = run(&[
            ("quote", None, QUOTE),
            ("wire", None, WIRE),
            ("other", None, OTHER),
        ]);
        assert_ne!(f["wire"], f["other"]);
    }

    #[test]
    fn copies_add_to_the_index_only_the_keys_their_family_lacks() {
        let local = "The county council will vote on the lighting budget at its meeting on \
            Thursday evening in the old library. Residents may speak for three minutes each at \
            the start of that meeting, the clerk said.";
        // Trimmed, with a local paragraph: neither text holds the other, and the wire stays
        // the original.
        let trimmed = WIRE.split(". ").take(4).collect::<Vec<_>>().join(". ") + ".";
        let with_local = format!("{trimmed}\n{local}");
        let mut engine = Engine::new(MemTexts::default());
        let add = |engine: &mut Engine<MemTexts>, id: &str, text: &str, at: &str| {
            engine.add(meta(id, Some(at), text), text);
        };
        add(&mut engine, "wire", WIRE, "2024-03-01T08:00:00Z");
        let wire_keys = Doc::new(WIRE).keys().len();
        assert_eq!(engine.index.postings_held(), wire_keys);
        // Exact copies bring nothing; a copy with a local paragraph brings the keys of the
        // text around the shared part, not the shared part's again.
        add(&mut engine, "again", WIRE, "2024-03-01T09:00:00Z");
        add(&mut engine, "local", &with_local, "2024-03-01T10:00:00Z");
        let held = engine.index.postings_held();
        assert!(held > wire_keys, "{held}");
        assert!(
            held < wire_keys + Doc::new(&with_local).keys().len(),
            "{held}"
        );
        assert_eq!(engine.fams.len(), 1);
        assert_eq!(engine.fams[0].members.len(), 3);
        assert_eq!(engine.fams[0].original, 0);
    }

    #[test]
    fn an_original_that_arrived_as_a_copy_is_found_by_its_own_keys() {
        // The wire arrives after a trimmed copy and takes its family over as its original
        // (the text the other is cut from);
        // a later copy of the part the trimmed one lacks must still find the family.
        let wire = format!(
            "{WIRE} The tunnel was first opened in 1962 and was last closed for a month in \
             1998, when its drainage was rebuilt. Engineers expect the new fans to last for \
             thirty years with one overhaul in the middle. The county will publish a report \
             on the cost of the closure to local businesses before the summer. Bus routes that \
             were moved to the detour return to their usual stops on Wednesday morning."
        );
        let sentences: Vec<&str> = wire.split(". ").collect();
        let head = sentences[..3].join(". ") + ".";
        let tail = sentences[4..].join(". ");
        let f = run(&[
            ("head", None, &head),
            ("wire", None, &wire),
            ("tail", None, &tail),
        ]);
        assert_eq!(f["head"], f["wire"]);
        assert_eq!(f["tail"], f["wire"]);
    }

    #[test]
    fn batches_are_given_to_the_engine_in_publication_order() {
        let order = arrival_order(
            [Some("2024-03-02"), None, Some("2024-03-01T10:00:00Z"), None].into_iter(),
        );
        assert_eq!(order, [2, 0, 1, 3]);
    }

    #[test]
    fn file_texts_keep_texts_and_forms_and_the_engine_reads_them() {
        let dir = tempfile::tempdir().expect("a temporary directory");
        let mut texts = FileTexts::create(&dir.path().join("texts")).expect("a texts file");
        let a = texts.push("First text.");
        texts.keep_bytes(a, b"form of a");
        let b = texts.push("Second text, no form.");
        // A form is kept only right after its own text.
        texts.keep_bytes(a, b"late");
        assert_eq!(texts.get(a), "First text.");
        assert_eq!(texts.form(a).as_deref(), Some(&b"form of a"[..]));
        assert_eq!(
            (texts.get(b).as_ref(), texts.form(b)),
            ("Second text, no form.", None)
        );
        assert_eq!(texts.get(99), "");
        assert!(texts.error().is_none());

        // The engine on a file finds the same families as in memory.
        let original = "Officials in the eastern province said on Tuesday that the bridge would \
            reopen next week after repairs. The work cost 4 million dollars, according to Mayor \
            Ana Ruiz, who spoke to reporters at the site. Traffic had been diverted through two \
            villages for most of the summer.";
        let spun = original
            .replace("said", "stated")
            .replace("eastern", "japanese")
            .replace("repairs", "fixes");
        let mut engine = Engine::new(FileTexts::create(&dir.path().join("e")).expect("a file"));
        engine.add(meta("a", None, original), original);
        engine.add(meta("b", None, &spun), &spun);
        let updates = engine.take_updates();
        let last = updates.last().expect("an update");
        assert_eq!(last.family, updates[0].family, "{updates:?}");
        assert!(engine.texts().error().is_none());
    }

    #[test]
    fn degenerate_corpora_give_sensible_families() {
        let huge = WIRE.repeat(400);
        let mostly_one_line = format!(
            "{}\n{WIRE}",
            "Subscribe to our newsletter today.\n".repeat(90)
        );
        let f = run(&[
            ("empty", None, ""),
            ("word", None, "tunnel"),
            ("huge", None, &huge),
            ("lines", None, &mostly_one_line),
            ("wire", None, WIRE),
        ]);
        assert_ne!(f["empty"], f["wire"]);
        assert_ne!(f["word"], f["wire"]);
        assert_eq!(f["lines"], f["wire"]);
        // Every article identical: one family, whatever the count.
        let same: Vec<(String, Option<&str>, &str)> =
            (0..300).map(|i| (format!("a{i}"), None, WIRE)).collect();
        let same: Vec<(&str, Option<&str>, &str)> =
            same.iter().map(|(i, p, t)| (i.as_str(), *p, *t)).collect();
        let f = run(&same);
        assert!(f.values().all(|x| *x == f["a0"]));
    }

    /// Sentences of random structure (seeded): texts whose skeletons share nothing by design.
    fn random_text(seed: u64, sentences: usize) -> String {
        const WORDS: &[&str] = &[
            "the", "of", "a", "to", "in", "was", "that", "by", "with", "from", "river", "Oslen",
            "council", "17", "harbour", "quietly", "signed", "market", "Brenna", "winter",
            "lanterns", "voted", "2031", "ferry", "copper", "noted",
        ];
        let mut x = seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1;
        let mut next = || {
            x ^= x << 13;
            x ^= x >> 7;
            x ^= x << 17;
            x
        };
        (0..sentences)
            .map(|_| {
                let n = 12 + next() % 8;
                let words: Vec<&str> = (0..n)
                    .map(|_| WORDS[(next() % WORDS.len() as u64) as usize])
                    .collect();
                let mut s = words.join(" ");
                s[..1].make_ascii_uppercase();
                s + "."
            })
            .collect::<Vec<_>>()
            .join(" ")
    }

    #[test]
    fn keys_held_by_many_articles_do_not_make_a_candidate() {
        // A boilerplate paragraph ten unrelated articles carry: sharing it singles out none of
        // them, and no family is verified for it; a copy of one of them still is.
        let boiler = "This report was prepared with material from the regional press office, \
            which is not responsible for its content. Readers who wish to correct an error may \
            write to the desk at any time of the day, and every letter is answered within a \
            week of its arrival by one of the editors on duty.";
        let mut engine = Engine::new(MemTexts::default());
        let texts: Vec<String> = (0..10)
            .map(|i| format!("{}\n{boiler}", random_text(i, 5)))
            .collect();
        for (i, t) in texts.iter().enumerate() {
            engine.add(meta(&format!("a{i}"), None, t), t);
        }
        assert_eq!(engine.fams.len(), 10);
        let before = engine.stats.families_verified;
        let newcomer = format!("{}\n{boiler}", random_text(99, 5));
        engine.add(meta("new", None, &newcomer), &newcomer);
        assert_eq!(engine.stats.families_verified, before);
        assert_eq!(engine.fams.len(), 11);
        // A copy of a3 with its last sentence dropped: a3's own keys single it out.
        let copy = texts[3].replacen(". ", ".\n", 1);
        let copy = copy
            .rsplit_once(". Readers")
            .map_or(copy.clone(), |(a, _)| a.to_string());
        engine.add(meta("copy", None, &copy), &copy);
        assert_eq!(engine.fam_of[11], engine.fam_of[3]);
    }

    #[test]
    fn a_family_replayed_with_many_members_stays_findable() {
        // A store replays up to 24 members of a family, each with all its keys: a key they
        // share is held by one family, however many of its members hold it.
        let mut engine = Engine::new(MemTexts::default());
        for i in 0..12 {
            let text = WIRE.replace("three weeks", &format!("{} weeks", i + 3));
            engine.restore(
                meta(&format!("m{i}"), None, &text),
                &text,
                "wire-family",
                i == 0,
            );
        }
        let text = WIRE.replace("three weeks", "40 weeks");
        let slot = engine.add(meta("new", None, &text), &text);
        assert_eq!(
            engine.fams[engine.fam_of[slot as usize] as usize].id,
            "wire-family"
        );
    }
}
