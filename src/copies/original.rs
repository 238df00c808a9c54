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

use std::collections::HashSet;
use std::sync::LazyLock;

use regex::Regex;

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

    /// Counts the word pairs of a text (each distinct pair once per text).
    pub fn observe(&mut self, doc: &Doc) {
        let mut seen = HashSet::new();
        for s in &doc.sentences {
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
            let (x, y) = (&a.sentences[p.a].hashes, &b.sentences[p.b].hashes);
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

static CREDIT: LazyLock<Vec<Regex>> = LazyLock::new(|| {
    [
        // "(Wire) —", "WASHINGTON (Wire) -"
        r"(?m)^[A-Z][A-Za-z .,'-]{0,40}?\(([A-Z][\w.&' -]{1,40})\)\s*[-—–]",
        // "The-Wire-Wire"
        r"\bThe-([A-Z][\w]+)-Wire\b",
        // "originally published by / appeared on / in the Wire"
        r"(?i)originally (?:published|appeared|ran) (?:on|in|at|by) (?:the )?([A-Za-z][\w.&' -]{1,40}?)(?:[.,;]|$| on | and )",
        r"(?i)(?:republished|reprinted|distributed) (?:with permission )?(?:from|by) (?:the )?([A-Za-z][\w.&' -]{1,40}?)(?:[.,;]|$)",
    ]
    .iter()
    .filter_map(|p| Regex::new(p).ok())
    .collect()
});
static DERIVED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)(?:generated|written|produced|rewritten) (?:with the help of|using|by) (?:AI|artificial intelligence)|based on (?:source|other|original) (?:articles|reports|reporting)").ok()
});
static CONTRIBUTED: LazyLock<Option<Regex>> = LazyLock::new(|| {
    Regex::new(r"(?i)contributed (?:reporting|to this (?:report|story))|(?:reporting|writing|editing) by [A-Z]").ok()
});

fn squash(s: &str) -> String {
    s.chars()
        .filter(|c| c.is_alphanumeric())
        .flat_map(char::to_lowercase)
        .collect()
}

fn host(url: &str) -> String {
    let rest = url.split("://").nth(1).unwrap_or(url);
    rest.split(['/', '?', '#', ':'])
        .next()
        .unwrap_or("")
        .to_string()
}

/// Credit evidence of a text: +2 when it credits its own outlet, -2 when it credits another,
/// +1 for a "contributed reporting" line; with what it found.
pub fn credit(meta: &Meta, text: &str) -> (i32, Vec<String>) {
    let own: Vec<String> = meta
        .outlet
        .iter()
        .map(|o| squash(o))
        .chain(meta.url.iter().map(|u| squash(&host(u))))
        .filter(|s| s.len() >= 2)
        .collect();
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
    let mut found = Vec::new();
    for re in CREDIT.iter() {
        for c in re.captures_iter(&head_tail).take(3) {
            let Some(name) = c.get(1) else { continue };
            let n = squash(name.as_str());
            if n.len() < 2 {
                continue;
            }
            let mine = own.iter().any(|o| o.contains(&n) || n.contains(o.as_str()));
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
    (score.clamp(-2, 3), found)
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
            Reason::Contains => "the other text is contained in it",
            Reason::Fluency => "more fluent wording (its word pairs are common in the corpus)",
            Reason::FirstSeen => "first to arrive; nothing else told them apart",
        }
    }
}

/// Whether `b` rather than `a` is the original of the two (and why), given `al = align(a, b)`.
#[allow(clippy::too_many_arguments)]
pub fn prefer_second(
    a: &Meta,
    a_text: &str,
    a_doc: &Doc,
    b: &Meta,
    b_text: &str,
    b_doc: &Doc,
    al: &Alignment,
    fluency: &Fluency,
) -> (bool, Reason) {
    if let (Some(x), Some(y)) = (&a.published, &b.published) {
        let n = x.len().min(y.len());
        if x[..n] != y[..n] {
            return (y[..n] < x[..n], Reason::Earlier);
        }
    }
    let (ca, _) = credit(a, a_text);
    let (cb, _) = credit(b, b_text);
    if ca != cb {
        return (cb > ca, Reason::Credit);
    }
    // Containment: the container wins when it holds a good deal more than the contained text.
    let extra_a = 1.0 - al.covered_a; // share of a not in b
    let extra_b = 1.0 - al.covered_b;
    if al.covered_b >= 0.8 && extra_a >= 0.2 && extra_a > extra_b + 0.15 {
        return (false, Reason::Contains);
    }
    if al.covered_a >= 0.8 && extra_b >= 0.2 && extra_b > extra_a + 0.15 {
        return (true, Reason::Contains);
    }
    // Fluency tells a spinner's swaps from the words they replaced; a rewrite's merged and
    // reordered sentences have unusual word pairs on both sides, so it says nothing there.
    let spun = al.kind() == super::align::Kind::Spun;
    if let Some((fa, fb)) = fluency.compare(a_doc, b_doc, al).filter(|_| spun) {
        if (fa - fb).abs() > 0.05 {
            return (fb > fa, Reason::Fluency);
        }
    }
    (false, Reason::FirstSeen)
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
        assert_eq!(credit(&wire, text).0, 2);
        assert_eq!(credit(&station, text).0, -2);
        let republished =
            "The harbour reopened.\nThis story originally appeared on Coastline Wire.";
        assert_eq!(credit(&station, republished).0, -2);
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
}
