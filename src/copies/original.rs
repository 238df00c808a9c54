//! Which member of a family is the original: publication time where both are known, then the
//! evidence of the texts.
//!
//! - Credit lines. A text that credits its own outlet ("(Wire) —" on the wire's page) is the
//!   original's; one that credits another outlet ("(Wire) —" on a station's page, "originally
//!   published by", "The-Wire-Wire") is a republication. A "contributed reporting" line that
//!   one text has and the other lacks marks the fuller, earlier text.
//! - Containment. The text the other is contained in, when it holds substantially more (a copy
//!   trimmed to half), is the original; a line or two more is not enough, since syndicators add
//!   local lines too.
//! - Fluency. A spinner writes word pairs nobody writes. [`Fluency`] counts word pairs in the
//!   corpus in a fixed-size count-min sketch; of two aligned texts, the one whose own word pairs
//!   (those the other lacks) are more common in the corpus is the original.

use std::collections::{HashMap, HashSet};

use super::align::Alignment;
use super::doc::Doc;

/// What the original choice knows about one article.
#[derive(Debug, Clone, Default)]
pub struct Meta {
    pub id: String,
    pub published: Option<String>,
    pub outlet: Option<String>,
    pub url: Option<String>,
    pub text_hash: u64,
}

/// Word-pair counts of the corpus in a count-min sketch: fixed memory whatever the corpus size.
#[derive(Debug, Clone)]
pub struct Fluency {
    rows: Vec<u16>,
}

const SKETCH_BITS: u32 = 20;
const SKETCH_ROWS: usize = 2;

impl Default for Fluency {
    fn default() -> Self {
        Fluency {
            rows: vec![0; SKETCH_ROWS << SKETCH_BITS],
        }
    }
}

impl Fluency {
    /// Restores a sketch saved with [`Fluency::to_bytes`] (a wrong size gives an empty one).
    pub fn from_bytes(bytes: &[u8]) -> Fluency {
        let mut f = Fluency::default();
        if bytes.len() == f.rows.len() * 2 {
            for (slot, b) in f.rows.iter_mut().zip(bytes.chunks_exact(2)) {
                *slot = u16::from_le_bytes([b[0], b[1]]);
            }
        }
        f
    }

    pub fn to_bytes(&self) -> Vec<u8> {
        self.rows.iter().flat_map(|v| v.to_le_bytes()).collect()
    }

    fn cells(h: u64) -> [usize; SKETCH_ROWS] {
        let mask = (1usize << SKETCH_BITS) - 1;
        [
            (h as usize) & mask,
            (1 << SKETCH_BITS) + ((h >> 32) as usize & mask),
        ]
    }

    fn pair(a: u64, b: u64) -> u64 {
        a.rotate_left(17) ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15)
    }

    /// A sentence's identity in the sketch (its own domain, apart from word pairs).
    pub fn sentence_key(s: &super::doc::Sentence) -> u64 {
        s.hashes
            .iter()
            .fold(0x5354_4e54_u64, |acc, &h| Self::pair(acc, h))
    }

    /// In how many observed texts (at most; the sketch may overcount) a sentence occurs.
    pub fn sentence_count(&self, s: &super::doc::Sentence) -> u32 {
        if s.hashes.is_empty() {
            return 0;
        }
        u32::from(self.count(Self::sentence_key(s)))
    }

    /// Counts the word pairs and the sentences of a text (each distinct one once per text).
    pub fn observe(&mut self, doc: &Doc) {
        let mut seen = crate::text::FastSet::default();
        for s in doc.sentences() {
            let key = Self::sentence_key(&s);
            if !s.hashes.is_empty() && seen.insert(key) {
                for c in Self::cells(key) {
                    self.rows[c] = self.rows[c].saturating_add(1);
                }
            }
            for w in s.hashes.windows(2) {
                let h = Self::pair(w[0], w[1]);
                if seen.insert(h) {
                    for c in Self::cells(h) {
                        self.rows[c] = self.rows[c].saturating_add(1);
                    }
                }
            }
        }
    }

    pub fn heap_bytes(&self) -> usize {
        self.rows.capacity() * 2
    }

    fn count(&self, h: u64) -> u16 {
        Self::cells(h)
            .iter()
            .map(|&c| self.rows[c])
            .min()
            .unwrap_or(0)
    }

    /// Mean log count of the word pairs in the aligned sentences of `a` that `b`'s partners
    /// lack, and the same for `b`: the more fluent text scores higher.
    pub fn compare(&self, a: &Doc, b: &Doc, al: &Alignment) -> Option<(f64, f64)> {
        let mut sa = (0.0, 0usize);
        let mut sb = (0.0, 0usize);
        for p in &al.pairs {
            let (x, y) = (a.sentence(p.a).hashes, b.sentence(p.b).hashes);
            let px: HashSet<u64> = x.windows(2).map(|w| Self::pair(w[0], w[1])).collect();
            let py: HashSet<u64> = y.windows(2).map(|w| Self::pair(w[0], w[1])).collect();
            for h in px.difference(&py) {
                sa.0 += (1.0 + self.count(*h) as f64).ln();
                sa.1 += 1;
            }
            for h in py.difference(&px) {
                sb.0 += (1.0 + self.count(*h) as f64).ln();
                sb.1 += 1;
            }
        }
        if sa.1 < 3 || sb.1 < 3 {
            return None;
        }
        Some((sa.0 / sa.1 as f64, sb.0 / sb.1 as f64))
    }
}

use crate::text::{squash, CONTRIBUTED, CREDIT, DERIVED};

fn host(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    rest.split(['/', '?', '#', ':'])
        .next()
        .unwrap_or("")
        .to_string()
}

/// What a text says of its own provenance, read once when it arrives.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Provenance {
    /// +2 when it credits its own outlet, -2 when it credits another or says it was generated
    /// from other articles, +1 for a "contributed reporting" line (clamped to -2..=3).
    pub score: i32,
    /// Other outlets it names as the source, squashed (lowercase letters and digits).
    pub cites: Box<[String]>,
    /// The lines found, for the evidence.
    pub found: Box<[String]>,
}

fn own_names(meta: &Meta) -> Vec<String> {
    meta.outlet
        .iter()
        .map(|o| squash(o))
        .chain(meta.url.iter().map(|u| squash(&host(u))))
        .filter(|s| s.len() >= 2)
        .collect()
}

/// Whether a squashed outlet name is one of an article's own names (see [`own_names`]).
fn names_own(own: &[String], name: &str) -> bool {
    own.iter()
        .any(|o| o.contains(name) || name.contains(o.as_str()))
}

/// Whether a squashed outlet name `name` is this article's outlet (its name or its host).
pub fn is_named(meta: &Meta, name: &str) -> bool {
    names_own(&own_names(meta), name)
}

/// Credit evidence of a text (looked for in its first two and last three paragraphs).
pub fn credit(meta: &Meta, text: &str) -> Provenance {
    let own = own_names(meta);
    let head_tail: String = {
        let paras: Vec<&str> = text.split('\n').filter(|p| !p.trim().is_empty()).collect();
        let n = paras.len();
        paras
            .iter()
            .enumerate()
            .filter(|(i, _)| *i < 2 || *i + 3 >= n)
            .map(|(_, p)| *p)
            .collect::<Vec<_>>()
            .join("\n")
    };
    let mut score = 0;
    let mut cites: Vec<String> = Vec::new();
    let mut found: Vec<String> = Vec::new();
    for re in CREDIT.iter() {
        for c in re.captures_iter(&head_tail).take(3) {
            let Some(name) = c.get(1) else { continue };
            let n = squash(name.as_str());
            if n.len() < 2 {
                continue;
            }
            let mine = names_own(&own, &n);
            score += if mine { 2 } else { -2 };
            found.push(format!(
                "{} ({})",
                c.get(0).map_or("", |m| m.as_str()).trim(),
                if mine {
                    "its own outlet"
                } else {
                    "another outlet"
                }
            ));
            if !mine && !cites.contains(&n) {
                cites.push(n);
            }
        }
    }
    if DERIVED.as_ref().is_some_and(|re| re.is_match(&head_tail)) {
        score -= 2;
        found.push("a line saying it was generated from other articles".to_string());
    }
    if CONTRIBUTED
        .as_ref()
        .is_some_and(|re| re.is_match(&head_tail))
    {
        score += 1;
        found.push("a contributed-reporting line".to_string());
    }
    // Boxed slices: the engine keeps one of these per article, nearly always empty.
    Provenance {
        score: score.clamp(-2, 3),
        cites: cites.into_boxed_slice(),
        found: found.into_boxed_slice(),
    }
}

/// Why one text was judged the original of another.
#[derive(Debug, Clone, PartialEq)]
pub enum Reason {
    Earlier,
    Credit,
    Contains,
    Fluency,
    FirstSeen,
}

impl Reason {
    pub fn as_str(&self) -> &'static str {
        match self {
            Reason::Earlier => "published earlier",
            Reason::Credit => "credit lines name it as the source",
            Reason::Contains => "it holds content the others lack (they were cut from it)",
            Reason::Fluency => "more fluent wording (its word pairs are common in the corpus)",
            Reason::FirstSeen => "first to arrive; nothing else told them apart",
        }
    }
}

/// The story's content words of a text, counted: credit lines, boilerplate (a sentence the
/// corpus holds more often than the family does comes from elsewhere: a station's "check back
/// for updates") and all-capital tokens (a republisher's dateline) are left out.
/// `in_family` counts the family's members holding each sentence (by [`Fluency::sentence_key`]).
fn content_bag(doc: &Doc, fluency: &Fluency, in_family: &HashMap<u64, u32>) -> HashMap<u64, i32> {
    let mut bag = HashMap::new();
    for s in doc.sentences() {
        let here = in_family
            .get(&Fluency::sentence_key(&s))
            .copied()
            .unwrap_or(1);
        if crate::text::is_provenance_line(s.text) || fluency.sentence_count(&s) > here {
            continue;
        }
        for ((w, h), c) in s.words.iter().zip(s.hashes).zip(s.content) {
            if *c && !(w.len() >= 2 && w.chars().all(|ch| !ch.is_lowercase())) {
                *bag.entry(*h).or_insert(0) += 1;
            }
        }
    }
    bag
}

/// How many of a family's members hold each sentence (by [`Fluency::sentence_key`]).
pub fn family_sentences(docs: &[&Doc]) -> HashMap<u64, u32> {
    let mut out: HashMap<u64, u32> = HashMap::new();
    for d in docs {
        let keys: HashSet<u64> = d.sentences().map(|s| Fluency::sentence_key(&s)).collect();
        for k in keys {
            *out.entry(k).or_default() += 1;
        }
    }
    out
}

/// Content words (with multiplicity) that `own` has and `other` lacks. Counted over the whole
/// text, so that reordered and merged sentences change nothing.
fn unique_content(own: &HashMap<u64, i32>, other: &HashMap<u64, i32>) -> usize {
    own.iter()
        .map(|(h, n)| (n - other.get(h).copied().unwrap_or(0)).max(0) as usize)
        .sum()
}

/// Of two aligned texts with no date or credit between them, whether `b` rather than `a` is
/// the original, by their content: the one that holds content the other lacks (the other was
/// trimmed, cut or condensed from it), else for spun pairs the more fluent one. `None` when
/// nothing tells them apart.
pub fn by_content(
    a: &Doc,
    b: &Doc,
    al: &Alignment,
    fluency: &Fluency,
    in_family: &HashMap<u64, u32>,
) -> Option<(bool, Reason)> {
    // Fluency tells a spinner's swaps from the words they replaced, and comes first for spun
    // pairs: swapped words are unique on both sides, so a line the extractor kept on one page
    // only would outweigh them. A rewrite's merged and reordered sentences have unusual word
    // pairs on both sides, so fluency says nothing there.
    if al.kind() == super::align::Kind::Spun {
        if let Some((fa, fb)) = fluency
            .compare(a, b, al)
            .filter(|(fa, fb)| (fa - fb).abs() > 0.05)
        {
            return Some((fb > fa, Reason::Fluency));
        }
    }
    let (ba, bb) = (
        content_bag(a, fluency, in_family),
        content_bag(b, fluency, in_family),
    );
    let (ua, ub) = (unique_content(&ba, &bb), unique_content(&bb, &ba));
    // A real cut leaves one side with clearly more content than the other.
    if ua >= 2 && ua >= 2 * ub + 2 {
        return Some((false, Reason::Contains));
    }
    if ub >= 2 && ub >= 2 * ua + 2 {
        return Some((true, Reason::Contains));
    }
    None
}

/// The calendar day and, when given, the time of a published value, for ordering.
fn when(published: &str) -> (&str, Option<&str>) {
    let day = published.get(..10).unwrap_or(published);
    let time = published.get(10..).filter(|t| t.len() >= 3);
    (day, time)
}

/// The first filters of the original choice, over a whole family: provenance, then dates.
/// Returns the members still in the running (dated ones first, then in arrival order) and the
/// reason that removed the others, if any did.
pub fn shortlist(
    members: &[u32],
    metas: &[Meta],
    prov: &[Provenance],
) -> (Vec<u32>, Option<Reason>) {
    // Credit: a text's own credit lines, and every other member's credit naming its outlet.
    let scores: Vec<i32> = members
        .iter()
        .map(|&m| {
            let own = own_names(&metas[m as usize]);
            let cited = members
                .iter()
                .filter(|&&k| k != m)
                .filter(|&&k| prov[k as usize].cites.iter().any(|c| names_own(&own, c)))
                .count() as i32;
            prov[m as usize].score + 3 * cited.min(2)
        })
        .collect();
    let best = scores.iter().copied().max().unwrap_or(0);
    let mut cands: Vec<u32> = members
        .iter()
        .zip(&scores)
        .filter(|(_, s)| **s == best)
        .map(|(m, _)| *m)
        .collect();
    let mut reason = (cands.len() < members.len()).then_some(Reason::Credit);
    // Dates: the earliest day, then the earliest time on it; undated members stay in the
    // running (a missing date says nothing), but dated ones come first.
    let published = |m: u32| metas[m as usize].published.as_deref();
    if let Some(day) = cands
        .iter()
        .filter_map(|&m| published(m))
        .map(|p| when(p).0)
        .min()
    {
        let day = day.to_string();
        let before = cands.len();
        cands.retain(|&m| published(m).is_none_or(|p| when(p).0 == day));
        let first = cands
            .iter()
            .filter_map(|&m| published(m).and_then(|p| when(p).1))
            .min()
            .map(str::to_string);
        if let Some(t) = first {
            cands.retain(|&m| published(m).and_then(|p| when(p).1).is_none_or(|x| x == t));
        }
        if cands.len() < before && reason.is_none() {
            reason = Some(Reason::Earlier);
        }
    }
    cands.sort_by_key(|&m| (published(m).is_none(), m));
    (cands, reason)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn meta(outlet: &str, url: &str) -> Meta {
        Meta {
            outlet: Some(outlet.into()),
            url: Some(url.into()),
            ..Meta::default()
        }
    }

    #[test]
    fn credit_lines_tell_the_wire_from_a_station() {
        let text = "LISBON (Coastline Wire) — The harbour reopened on Monday.\nMore text here.";
        let wire = meta("Coastline Wire", "https://coastlinewire.example/a");
        let station = meta("KXYZ 7", "https://kxyz7.example/news/a");
        assert_eq!(credit(&wire, text).score, 2);
        assert_eq!(credit(&station, text).score, -2);
        assert_eq!(
            credit(&station, text).cites.to_vec(),
            vec!["coastlinewire".to_string()]
        );
        let republished =
            "The harbour reopened.\nThis story originally appeared on Coastline Wire.";
        assert_eq!(credit(&station, republished).score, -2);
        assert!(is_named(&wire, &credit(&station, republished).cites[0]));
    }

    #[test]
    fn fluency_prefers_the_common_phrasing() {
        let mut f = Fluency::default();
        for t in [
            "The minister said the phone conversation was useful.",
            "Aides said the phone conversation lasted an hour.",
            "A phone conversation between the leaders took place.",
        ] {
            f.observe(&Doc::new(t));
        }
        let a = Doc::new("The two leaders held a phone conversation on Monday, officials said.");
        let b = Doc::new("The two leaders held a cellphone dialog on Monday, officers stated.");
        f.observe(&a);
        f.observe(&b);
        let al = super::super::align::align(&a, &b);
        let (fa, fb) = f.compare(&a, &b, &al).expect("enough differing pairs");
        assert!(fa > fb, "{fa} {fb}");
    }

    fn dated(id: &str, outlet: &str, published: Option<&str>) -> Meta {
        Meta {
            id: id.into(),
            outlet: Some(outlet.into()),
            url: Some(format!("https://{}.example/{id}", outlet.to_lowercase())),
            published: published.map(String::from),
            ..Meta::default()
        }
    }

    #[test]
    fn another_members_credit_names_the_original() {
        // Neither the wire's page nor the first station's copy says anything; a third page
        // says it was distributed by the wire.
        let metas = vec![
            dated("station", "KXYZ", None),
            dated("wire", "Coastline", None),
            dated("other", "Valley", None),
        ];
        let prov = vec![
            Provenance::default(),
            Provenance::default(),
            credit(
                &metas[2],
                "The harbour reopened.\nDistributed by Coastline.",
            ),
        ];
        let (cands, reason) = shortlist(&[0, 1, 2], &metas, &prov);
        assert_eq!(cands, vec![1]);
        assert_eq!(reason, Some(Reason::Credit));
    }

    #[test]
    fn dates_order_the_family_and_undated_pages_stay_in_the_running() {
        let metas = vec![
            dated("late", "A", Some("2024-03-02T10:00:00Z")),
            dated("undated", "B", None),
            dated("early", "C", Some("2024-03-01T09:00:00Z")),
            dated("same-day", "D", Some("2024-03-01")),
            dated("later-that-day", "E", Some("2024-03-01T11:00:00Z")),
        ];
        let prov = vec![Provenance::default(); 5];
        let (cands, reason) = shortlist(&[0, 1, 2, 3, 4], &metas, &prov);
        // Dated first; a day-only date on the same day cannot be ordered against a time.
        assert_eq!(cands, vec![2, 3, 1]);
        assert_eq!(reason, Some(Reason::Earlier));
    }

    #[test]
    fn the_text_others_were_cut_from_is_the_original_but_a_boilerplate_line_is_not() {
        let full = "Flood waters rose along the Vell river on Tuesday, forcing evacuations.\n\
            Mayor Ines Doral said shelters were open at two schools.\n\
            Engineers warned that the old levee near Tarn could fail overnight.\n\
            Residents of low-lying streets were told to leave before dark.";
        let trimmed = "Flood waters rose along the Vell river on Tuesday, forcing evacuations.\n\
            Mayor Ines Doral said shelters were open at two schools.";
        let local = format!("{full}\nCheck back with us for updates on this developing story.");
        let mut f = Fluency::default();
        for t in [full, trimmed, local.as_str()] {
            f.observe(&Doc::new(t));
        }
        let (a, b, c) = (Doc::new(full), Doc::new(trimmed), Doc::new(&local));
        let al = super::super::align::align(&a, &b);
        let fam = family_sentences(&[&a, &b, &c]);
        assert_eq!(
            by_content(&a, &b, &al, &f, &fam),
            Some((false, Reason::Contains))
        );
        let al = super::super::align::align(&b, &a);
        assert_eq!(
            by_content(&b, &a, &al, &f, &fam),
            Some((true, Reason::Contains))
        );
        // The station's line also runs under other stories: it is not the story's content.
        for other in [
            "Storm closes the ferry.",
            "Bridge vote delayed.",
            "Fair opens.",
        ] {
            f.observe(&Doc::new(&format!(
                "{other}\nCheck back with us for updates on this developing story."
            )));
        }
        let al = super::super::align::align(&a, &c);
        assert_eq!(by_content(&a, &c, &al, &f, &fam), None);
    }
}
