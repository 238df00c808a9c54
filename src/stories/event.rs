//! What tells one event from a look-alike: where and when it happened, as evidence for the
//! stories stage's decision to join a unit to a story or open a new one.
//!
//! Input: a unit's text and day. Output: its [`Marks`] (the towns it is reported from and the
//! ages it gives), and,
//! against a story, the [`Evidence`] features the decision weighs.
//!
//! Hundreds of shootings in one city read almost the same: the words that differ are the
//! place (a dateline, "in Hawthorne"), the day and the people. A cosine over words weighs a
//! town like any other name and does not read time at all, so reports of different events a
//! month apart join one story. Here:
//! - **Where.** A dateline ("HAWTHORNE, Calif. —", "CHICAGO (AP) —", "RANKIN COUNTY, Miss.
//!   (WJTV) —") names the town a report is filed from; a capitalised run after "in", "near" or
//!   "outside" names a town if the gazetteer holds it (GeoNames' towns of 1,000 people or more,
//!   `places.txt.gz`, written by `tools/gazetteer.py`; CC BY 4.0, www.geonames.org). A story
//!   keeps the towns its units name; a unit naming towns none of which the story names is
//!   counter-evidence, one naming a town it names is evidence.
//! - **When.** The days between a unit and a story's time span, on a log scale: a week apart is
//!   two events unless the names say otherwise (the arrest three weeks later names the
//!   victim), so the gap also enters times the cosine of names.
//! - **Who.** Ages as news gives them ("a 17-year-old boy", "Dana Reyes, 34,", "aged 70"): on
//!   gva-dev, two reports of one shooting that both give ages share one in 86% of pairs, two
//!   of different shootings in 10%. A unit whose ages the story shares is evidence, one whose
//!   ages it does not is counter-evidence.
//!
//! How much each weighs is learned, not chosen (`Params::event`, fitted by
//! `tools/fit_events.rs`): the decision is a logistic model over the log of the score's
//! quotient and these features, its intercept pinned at the join threshold, so that where there
//! is no evidence (no dates, no towns: ECB+, MStream) the decision is the one learned there.

use std::sync::LazyLock;

use regex::Regex;

use crate::text::{self, FastSet};

/// Towns and ages a story keeps (the most named).
pub const STORY_MARKS: usize = 12;
/// Towns a unit names at most, and ages.
const UNIT_PLACES: usize = 4;
const UNIT_AGES: usize = 4;
/// The top bit of a key that is an age, not a town.
const AGE: u64 = 1 << 63;
/// How far into a text towns are looked for: the lede says where; later paragraphs compare
/// with other places ("the third shooting in Chicago this week").
const PLACE_WINDOW: usize = 1200;
/// How far into a text a dateline may stand (after a timestamp or a photo credit).
const DATELINE_WINDOW: usize = 400;

/// The gazetteer, packed: lower-cased town names, one a line.
static GAZETTEER: &[u8] = include_bytes!("places.txt.gz");

/// Hashes of the gazetteer's names (read on first use: about 120,000 names, 15 ms).
static TOWNS: LazyLock<FastSet<u64>> = LazyLock::new(|| {
    use std::io::Read;
    let mut s = String::new();
    let mut d = flate2::read::GzDecoder::new(GAZETTEER);
    if d.read_to_string(&mut s).is_err() {
        return FastSet::default();
    }
    s.lines().map(place_hash).collect()
});

/// Names that a gazetteer lists as towns but news uses as other things after "in": US states
/// and countries are regions (a report "in Texas" names no town), and the rest are common words
/// that some hamlet is named after.
const NOT_TOWNS: &str = "alabama|alaska|arizona|arkansas|california|colorado|connecticut|delaware|\
florida|georgia|hawaii|idaho|illinois|indiana|iowa|kansas|kentucky|louisiana|maine|maryland|\
massachusetts|michigan|minnesota|mississippi|missouri|montana|nebraska|nevada|new hampshire|\
new jersey|new mexico|north carolina|north dakota|ohio|oklahoma|oregon|pennsylvania|\
rhode island|south carolina|south dakota|tennessee|texas|utah|vermont|virginia|washington state|\
west virginia|wisconsin|wyoming|america|mexico|canada|china|japan|india|russia|ukraine|israel|\
france|germany|spain|italy|britain|england|ireland|scotland|police|man|officer|court|city|county|\
center|hospital|school|church|park|street|avenue|road|north|south|east|west|central|downtown|\
january|february|march|april|may|june|july|august|september|october|november|december|\
monday|tuesday|wednesday|thursday|friday|saturday|sunday|custody|connection|addition|order|\
response|critical|stable|serious|good|fair|charge|jail|prison|surgery|memory|honor|support|\
time|fact|front|place|case|light|general|trial|progress|recent|years|reference";

static NOT_TOWN: LazyLock<FastSet<u64>> =
    LazyLock::new(|| NOT_TOWNS.split('|').map(place_hash).collect());

/// A town's key: its lower-cased name, spaces folded, "St." read as "saint" and "Ft." as
/// "fort", as GeoNames and datelines write them differently.
fn place_hash(name: &str) -> u64 {
    let mut key = String::with_capacity(name.len() + 8);
    for (i, w) in name.split_whitespace().enumerate() {
        if i > 0 {
            key.push(' ');
        }
        let lower = w.to_lowercase();
        key.push_str(match lower.as_str() {
            "st." | "st" => "saint",
            "ft." | "ft" => "fort",
            "mt." | "mt" => "mount",
            other => other,
        });
    }
    text::hash64(format!("place\0{key}").as_bytes()) & !AGE
}

/// An age's key.
fn age_key(age: u32) -> u64 {
    AGE | u64::from(age)
}

/// Ages a text gives people: "17-year-old", "aged 70", "Dana Reyes, 34,".
fn ages(t: &str) -> Vec<u32> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(\d{1,3})[- ]years?[- ]old\b|\baged? (\d{1,3})\b|[A-Z][a-z]+, (\d{1,2}),")
            .expect("the age pattern compiles")
    });
    RE.captures_iter(t)
        .filter_map(|c| c.iter().skip(1).flatten().next()?.as_str().parse().ok())
        .filter(|&a| (1..=110).contains(&a))
        .collect()
}

/// Whether a capitalised run names a region: a US state or a country of the regions list
/// ("Texas", "United States", "Russia"). Towns are not asked: many share a surname (Clinton,
/// Warren, Moore).
pub fn is_region(name: &str) -> bool {
    static REGIONS: LazyLock<FastSet<u64>> = LazyLock::new(|| {
        NOT_TOWNS
            .split('|')
            .take_while(|w| *w != "police")
            .chain([
                "united states",
                "united kingdom",
                "washington",
                "new york",
                "asia",
                "south asia",
                "east asia",
                "europe",
                "africa",
                "middle east",
                "latin america",
                "south america",
                "north america",
                "british columbia",
                "virgin islands",
                "puerto rico",
            ])
            .map(place_hash)
            .collect()
    });
    REGIONS.contains(&place_hash(name))
}

/// Whether a capitalised run is a town the gazetteer knows.
fn is_town(name: &str) -> bool {
    let h = place_hash(name);
    TOWNS.contains(&h) && !NOT_TOWN.contains(&h)
}

/// The towns a unit names (its dateline's first, then those after "in", "near" or "outside" in
/// its lede) and the ages it gives, as keys (see [`place_hash`]; an age's has the top bit set),
/// at most a few of each.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Marks(pub Vec<u64>);

impl Marks {
    pub fn of(title: Option<&str>, body: &str) -> Marks {
        let mut out: Vec<u64> = Vec::new();
        let mut push = |h: u64| {
            if out.len() < UNIT_PLACES && !out.contains(&h) {
                out.push(h);
            }
        };
        if let Some(town) = dateline(body) {
            push(place_hash(&town));
        }
        for t in [title.unwrap_or(""), head(body, PLACE_WINDOW)] {
            for town in mentions(t) {
                push(place_hash(&town));
            }
        }
        let mut n = 0;
        for t in [title.unwrap_or(""), head(body, PLACE_WINDOW)] {
            for a in ages(t) {
                let k = age_key(a);
                if n < UNIT_AGES && !out.contains(&k) {
                    out.push(k);
                    n += 1;
                }
            }
        }
        Marks(out)
    }
}

/// The first `n` bytes of `s`, cut at a character boundary.
fn head(s: &str, n: usize) -> &str {
    let mut end = n.min(s.len());
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// The town of a dateline in a text's first lines: an upper-case run of up to four words
/// (a county too), perhaps a state ("Calif.", "N.J.", "Texas") and an outlet in parentheses,
/// then a dash.
pub fn dateline(body: &str) -> Option<String> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(
            r"(?:^|[\s(])((?:[A-Z][A-Z'.\-]+)(?: [A-Z][A-Z'.\-]+){0,3})(?:, ?[A-Z][A-Za-z.]+(?: [A-Z][A-Za-z.]+)?)? ?(?:\([^)\n]{1,40}\))? ?[—–―-]{1,2}\s",
        )
        .expect("the dateline pattern compiles")
    });
    /// Upper-case words that open a line but are not towns.
    const NOT_DATELINES: &[&str] = &[
        "UPDATE",
        "UPDATED",
        "BREAKING",
        "WATCH",
        "VIDEO",
        "PHOTOS",
        "PHOTO",
        "LIVE",
        "EXCLUSIVE",
        "CLOSE",
        "AP",
        "NEW",
        "EDITOR'S NOTE",
        "CORRECTION",
        "FILE",
        "AM",
        "PM",
        "EST",
        "EDT",
        "CST",
        "CDT",
        "PST",
        "PDT",
        "MST",
        "MDT",
        "UTC",
        "GMT",
        "ET",
        "CT",
        "PT",
        "ADVERTISEMENT",
        "RELATED",
        "SPONSORED",
        "ALERT",
        "URGENT",
    ];
    let head = head(body, DATELINE_WINDOW);
    for c in RE.captures_iter(head) {
        let m = c.get(1)?;
        let town = m.as_str().trim_matches(|ch: char| ch == '.' || ch == '-');
        // Letters, three at least: "AP" and "U.S" are no datelines of a town.
        if town.chars().filter(|ch| ch.is_alphabetic()).count() < 3
            || NOT_DATELINES.contains(&town)
            || town.chars().any(|ch| ch.is_lowercase())
        {
            continue;
        }
        return Some(town.to_string());
    }
    None
}

/// Towns named after "in", "near" or "outside" that the gazetteer holds: the longest
/// capitalised run (up to three words) that is a town.
fn mentions(t: &str) -> Vec<String> {
    static RE: LazyLock<Regex> = LazyLock::new(|| {
        Regex::new(r"\b(?:in|near|outside)\s+((?:[A-Z][\w'.\-]*)(?:\s+[A-Z][\w'.\-]*){0,2})")
            .expect("the mention pattern compiles")
    });
    let mut out = Vec::new();
    for c in RE.captures_iter(t) {
        let Some(m) = c.get(1) else { continue };
        let words: Vec<&str> = m
            .as_str()
            .split_whitespace()
            .map(|w| {
                w.trim_end_matches([',', '.', '\'', '’'])
                    .trim_end_matches("'s")
            })
            .collect();
        for n in (1..=words.len()).rev() {
            let name = words[..n].join(" ");
            if name.chars().filter(|ch| ch.is_alphabetic()).count() >= 3 && is_town(&name) {
                out.push(name);
                break;
            }
        }
    }
    out
}

/// A time span in days since 1970 (first, last), either end unknown.
pub type Span = (Option<i32>, Option<i32>);

/// The evidence features of a unit (or a story) against a story: see [`Evidence::features`].
pub const FEATURES: usize = 6;

/// The sign each feature's weight must have (see [`Evidence::features`]): agreement is
/// evidence, disagreement and distance counter-evidence. The fit holds a weight at 0 rather
/// than let a few hundred samples turn a disagreement into a reason to join.
pub const SIGNS: [f32; FEATURES] = [-1.0, 1.0, 1.0, -1.0, 1.0, -1.0];

/// A unit's where and when against a story's.
#[derive(Debug, Clone, Copy, Default, PartialEq)]
pub struct Evidence {
    /// Whether both sides are dated (the gap below is read).
    pub dated: bool,
    /// ln(1 + days between the unit's first day and the story's), 0 where either is undated.
    pub gap: f32,
    /// Whether the unit names a town the story names.
    pub same_place: bool,
    /// Whether both name towns and none in common.
    pub other_place: bool,
    /// Whether the unit gives an age the story gives.
    pub same_age: bool,
    /// Whether both give ages and none in common.
    pub other_age: bool,
    /// Whether the unit names a person, place or body in full ("Bernard Gillis", "Cerise
    /// Avenue") that the story's units name most.
    pub same_name: bool,
}

impl Evidence {
    /// Compares a unit's (or a merging story's) towns and span with a story's.
    pub fn of(
        (marks, names): (&[u64], &[u64]),
        span: Span,
        (story_marks, story_names): (&[(u64, u32)], &[u64]),
        story: Span,
    ) -> Evidence {
        // Days since the story's first report, not since its latest: an event begins once,
        // and a story that has gathered look-alikes report by report over months must not look
        // current to each new one (on gva-dev's time halves, ARI 0.687 -> 0.768 and 0.825 ->
        // 0.832 against gaps to the nearest end of the span).
        let gap = match (span.0, story.0) {
            (Some(a), Some(b)) => Some(((a - b).abs() as f32).ln_1p()),
            _ => None,
        };
        // Towns and ages compared apart: a key's top bit says which it is.
        let kind = |age: bool| {
            let mine = || marks.iter().filter(move |&&h| (h & AGE != 0) == age);
            let theirs = || story_marks.iter().filter(move |p| (p.0 & AGE != 0) == age);
            let shared = mine().any(|h| theirs().any(|p| p.0 == *h));
            let known = mine().next().is_some() && theirs().next().is_some();
            (shared, known && !shared)
        };
        let (same_place, other_place) = kind(false);
        let (same_age, other_age) = kind(true);
        Evidence {
            dated: gap.is_some(),
            gap: gap.unwrap_or(0.0),
            same_place,
            other_place,
            same_age,
            other_age,
            same_name: names.iter().any(|h| story_names.contains(h)),
        }
    }

    /// The features the decision weighs, with the cosine of names `names` (people, places and
    /// figures both sides name): the gap, the gap times that cosine and the gap where a name in
    /// full is in common (a report weeks later that names the same people is a follow-up), and
    /// another town, an age in common, other ages. A name in common weighs only across a gap: undated, the same people in two
    /// like events (an actress's two stays in rehab, ECB+'s look-alike pairs) are no evidence.
    ///
    /// Being dated the same day, or in the same town, is not among them: in a city's feed,
    /// several shootings a day are told from one town, so neither tells one from another
    /// (fitted with them, on gva-dev, both weighed in favour of joining, and the whole set's
    /// ARI fell from 0.67 to 0.59 as same-day, same-city reports gathered into one story).
    pub fn features(&self, names: f32) -> [f32; FEATURES] {
        let flag = |b: bool| f32::from(u8::from(b));
        [
            self.gap,
            self.gap * names,
            self.gap * flag(self.same_name),
            flag(self.other_place),
            flag(self.same_age),
            flag(self.other_age),
        ]
    }
}

/// A unit's marks counted once each, as a story adds them up.
pub fn counted(marks: &[u64]) -> Vec<(u64, u32)> {
    marks.iter().map(|&h| (h, 1)).collect()
}

/// Adds a unit's towns to a story's, keeping the most named (ties: the earliest).
pub fn add_marks(story: &mut Vec<(u64, u32)>, marks: &[(u64, u32)]) {
    for &(h, n) in marks {
        match story.iter_mut().find(|p| p.0 == h) {
            Some(p) => p.1 += n,
            None => story.push((h, n)),
        }
    }
    // A stable sort keeps ties in the order towns were first named.
    story.sort_by_key(|p| std::cmp::Reverse(p.1));
    story.truncate(STORY_MARKS);
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn datelines_name_their_town() {
        assert_eq!(
            dateline("HARBORVIEW, Calif. — A man was hurt.").as_deref(),
            Some("HARBORVIEW")
        );
        assert_eq!(
            dateline("June 16, 2013 10:03 AM  CHICAGO (STMW) — One man was killed").as_deref(),
            Some("CHICAGO")
        );
        assert_eq!(
            dateline("RANKIN COUNTY, Miss. (WJTV) — The girl is expected to recover.").as_deref(),
            Some("RANKIN COUNTY")
        );
        assert_eq!(
            dateline("EAST ORANGE, N.J. (AP) — Police are investigating").as_deref(),
            Some("EAST ORANGE")
        );
        assert_eq!(dateline("UPDATE — Police said a man was shot."), None);
        assert_eq!(dateline("A man was shot in the leg - police said."), None);
    }

    #[test]
    fn towns_after_in_are_read_from_the_gazetteer() {
        let t = "A man was shot in Newark on Tuesday and taken to a hospital in Critical \
                 condition, police in Texas said. He lives near East Orange.";
        let got = mentions(t);
        assert_eq!(got, vec!["Newark".to_string(), "East Orange".to_string()]);
    }

    #[test]
    fn the_dateline_comes_first_and_spellings_of_saint_meet() {
        let p = Marks::of(None, "ST. LOUIS (KSDK) — A woman was shot in Saint Louis.");
        assert_eq!(p.0.len(), 1);
        let q = Marks::of(Some("Shooting in Newark"), "NEWARK — Two were hurt.");
        assert_eq!(q.0, vec![place_hash("newark")]);
    }

    #[test]
    fn evidence_reads_the_gap_and_the_towns() {
        let here = [place_hash("newark")];
        let there = [(place_hash("east orange"), 2)];
        let (day, story) = ((Some(100), Some(100)), (Some(80), Some(90)));
        let e = Evidence::of((&here, &[7]), day, (&there, &[7, 8]), story);
        assert!((e.gap - 20f32.ln_1p()).abs() < 1e-6);
        assert!(e.other_place && !e.same_place && e.same_name && e.dated);
        let e = Evidence::of(
            (&here, &[]),
            day,
            (&[(place_hash("newark"), 1)], &[7]),
            story,
        );
        assert!(e.same_place && !e.other_place && !e.same_name);
        let none = Evidence::of((&[], &[]), (None, None), (&[], &[]), story);
        assert_eq!(none, Evidence::default());
    }
}
