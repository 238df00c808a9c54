//! A unit's features: its words read into three sparse vectors (body terms, names, title
//! terms), and what evidence reads of it (towns, ages, names in full, language).
//!
//! Input: a [`Unit`]'s title, text, date and language. Output: [`Features`]: each part's
//! weighted, unit-normalised vector (what finds candidates), the same times the IDF (what a
//! story is scored with) and the raw sublinear counts a story adds up; and the labels (name
//! phrases as written) a story shows. English is read with the stage's own stop words and a
//! plural `s` dropped; other languages as [`super::language`] says.

use super::*;

/// Words that say nothing of which event a text reports.
pub(super) const STOPWORDS: &str =
    "a an the of to in on at by for with from into onto about after before \
over under between during through against and or but nor that which who whom whose this these \
those is was were are be been being has have had it its he she they them his her their theirs we \
our us you your i me my not no as if than then there here also will would could should can may \
might must do does did so such said says say told tell according up out one more most other \
some new last first just what when where how all any mr mrs ms very only around while \
because since until among still even much many well back now get got go went make \
made take took like per via it's he's she's they're we're i'm don't didn't won't can't n't \
monday tuesday wednesday thursday friday saturday sunday today yesterday tomorrow week weeks \
day days year years month months time times people";

pub(super) fn stopword(h: u64) -> bool {
    use std::sync::LazyLock;
    static SET: LazyLock<text::FastSet<u64>> =
        LazyLock::new(|| STOPWORDS.split_whitespace().map(text::word_hash).collect());
    SET.contains(&h)
}

/// A word's term: lower-cased, a plural `s` dropped (so "quakes" meets "quake").
pub(super) fn term_hash(w: &str) -> u64 {
    let lower = w.to_lowercase();
    text::word_hash(stem(&lower))
}

/// A lower-cased word without its plural `s`.
pub(super) fn stem(lower: &str) -> &str {
    match lower.strip_suffix('s') {
        Some(stem) if stem.len() >= 3 && !stem.ends_with('s') && !stem.ends_with('\'') => stem,
        _ => lower,
    }
}

/// A word's [`text::word_hash`] (what [`stopword`] reads) and its [`term_hash`], lower-casing
/// it once, on the stack when it is short ASCII (this runs on every word of every unit).
pub(super) fn word_and_term(w: &str) -> (u64, u64) {
    let b = w.as_bytes();
    if b.len() <= 64 && b.is_ascii() {
        let mut buf = [0u8; 64];
        for (d, s) in buf.iter_mut().zip(b) {
            *d = s.to_ascii_lowercase();
        }
        let lower = std::str::from_utf8(&buf[..b.len()]).unwrap_or_default();
        return (
            text::hash64(lower.as_bytes()),
            text::hash64(stem(lower).as_bytes()),
        );
    }
    (text::word_hash(w), term_hash(w))
}

/// A unit's features: for each of body, names and title, the weighted, unit-normalised vector
/// (what finds candidates), the same times the IDF (what `cosine` scores a story with) and the
/// raw (sublinear) term counts a story adds up.
#[derive(Debug, Clone, Default)]
pub struct Features {
    pub weighted: [Vec<(u64, f32)>; 3],
    pub scoring: [Vec<(u64, f32)>; 3],
    pub raw: [Vec<(u64, f32)>; 3],
    pub day: Option<i32>,
    /// The towns it names and the ages it gives (see [`event::Marks`]).
    pub marks: Vec<u64>,
    /// The names in full it names most (see [`name_keys`]), when evidence is read.
    pub names: Vec<u64>,
    pub language: Option<String>,
}

impl Features {
    /// Where and when it stands, as evidence reads it.
    pub(super) fn at(&self) -> Where<'_> {
        Where {
            marks: &self.marks,
            names: &self.names,
            span: (self.day, self.day),
            language: self.language.as_deref(),
        }
    }

    /// A unit's size as stories count theirs: one unit, and the body terms it kept.
    pub(super) fn size(&self) -> (u32, u64) {
        (1, self.scoring[BODY].len() as u64)
    }
}

pub(super) const BODY: usize = 0;

pub(super) const NAMES: usize = 1;

pub(super) const TITLE: usize = 2;

/// Raw counts of a unit before weighting.
pub(super) struct Counts {
    pub(super) parts: [FastMap<u64, f32>; 3],
    pub(super) labels: Vec<(String, usize)>,
}

/// A unit's language as the stage trusts it: a language told from a few words is a guess
/// (feeds of lower-cased titles read as Italian or Dutch), and a wrong guess would cost a unit
/// every term it shares with its event's reports, so short texts are read as of no language.
pub(super) fn trusted_language<'a>(unit: &Unit<'a>) -> Option<&'a str> {
    unit.language
        .filter(|_| text::words(unit.text).nth(language::MIN_WORDS).is_some())
}

/// A unit's raw counts: `language` (ISO 639-1) picks how words other than English ones are
/// read (see [`language`]).
pub(super) fn count(title: Option<&str>, body: &str, lang: Option<&str>) -> Counts {
    let reader = language::reader(lang);
    // Sized for a typical article, so that the tables do not grow step by step (growing them
    // was a few percent of assigning a unit).
    let sized = |n| FastMap::with_capacity_and_hasher(n, Default::default());
    let mut c = Counts {
        parts: [sized(256), sized(64), sized(16)],
        labels: Vec::new(),
    };
    let mut phrases: FastMap<String, usize> =
        FastMap::with_capacity_and_hasher(32, Default::default());
    // A run of two or more capitalised words is a name phrase. It is written into one buffer
    // and copied only the first time it is seen.
    let mut buf = String::new();
    let mut flush = |phrase: &mut Vec<&str>| {
        if phrase.len() >= 2 {
            buf.clear();
            for (i, w) in phrase.iter().enumerate() {
                if i > 0 {
                    buf.push(' ');
                }
                buf.push_str(w);
            }
            match phrases.get_mut(buf.as_str()) {
                Some(n) => *n += 1,
                None => {
                    phrases.insert(buf.clone(), 1);
                }
            }
        }
        phrase.clear();
    };
    let mut read = |line: &str, in_title: bool, c: &mut Counts| {
        for s in text::sentences(line) {
            let mut phrase: Vec<&str> = Vec::new();
            let mut prev_end = 0usize;
            for (i, w) in text::words(s).enumerate() {
                // A name runs over words with only spaces between ("(Wire) — Firefighters"
                // is two things).
                let start = w.as_ptr() as usize - s.as_ptr() as usize;
                if i > 0 && !s[prev_end.min(start)..start].trim().is_empty() {
                    flush(&mut phrase);
                }
                prev_end = start + w.len();
                let first = w.chars().next().unwrap_or(' ');
                let (word, term) = word_and_term(w);
                let mut stop = stopword(word);
                // The body term: English's own, or the language's stem (names stay as English
                // reads them, so that they meet across languages).
                let mut body_term = term;
                if let Some(r) = reader {
                    if w.chars().any(language::unspaced) {
                        language::pairs(w, |h| {
                            *c.parts[BODY].entry(h).or_default() += 1.0;
                            if in_title {
                                *c.parts[TITLE].entry(h).or_default() += 1.0;
                            }
                        });
                        flush(&mut phrase);
                        continue;
                    }
                    let lower = w.to_lowercase();
                    stop = stop || r.is_stop(&lower);
                    body_term = r.term(&lower);
                }
                if !stop && w.chars().nth(1).is_some() {
                    *c.parts[BODY].entry(body_term).or_default() += 1.0;
                    let h = term;
                    if in_title {
                        *c.parts[TITLE].entry(h).or_default() += 1.0;
                    }
                    if (first.is_uppercase() && (i > 0 || in_title))
                        || w.bytes().any(|b| b.is_ascii_digit())
                    {
                        *c.parts[NAMES].entry(h).or_default() += 1.0;
                    }
                }
                if first.is_uppercase() && i > 0 && !stop {
                    // "Port Selby's" is Port Selby, and a possessive ends the name.
                    let bare = w.strip_suffix("'s").or_else(|| w.strip_suffix("\u{2019}s"));
                    phrase.push(bare.unwrap_or(w));
                    if bare.is_some() {
                        flush(&mut phrase);
                    }
                } else {
                    flush(&mut phrase);
                }
            }
            flush(&mut phrase);
        }
    };
    if let Some(t) = title {
        read(t, true, &mut c);
    }
    for line in body.lines().filter(|l| !l.trim().is_empty()).take(400) {
        read(line, false, &mut c);
    }
    let mut labels: Vec<(String, usize)> = phrases.into_iter().collect();
    labels.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    labels.truncate(LABELS);
    c.labels = labels;
    c
}

/// A text's distinct body terms, as written in the background table (lower-cased, plural `s`
/// dropped, stop words and one-letter words left out, as `count` reads a body).
pub fn body_terms(t: &str) -> text::FastSet<String> {
    let mut out = text::FastSet::default();
    for w in text::words(t) {
        let (word, _) = word_and_term(w);
        if !stopword(word) && w.chars().nth(1).is_some() {
            out.insert(stem(&w.to_lowercase()).to_string());
        }
    }
    out
}

/// Hashes of names in full (key names as written), as evidence compares them.
pub(super) fn name_keys<'a>(labels: impl IntoIterator<Item = &'a str>) -> Vec<u64> {
    labels
        .into_iter()
        .map(|l| text::hash64(l.as_bytes()))
        .collect()
}

impl Clusterer {
    /// Reads a unit into its features, counting its terms into the document frequencies.
    pub(super) fn features(&mut self, unit: &Unit) -> (Features, Vec<(String, usize)>) {
        let language = trusted_language(unit);
        let c = count(unit.title, unit.text, language);
        let body = self.df.observe(&c.parts[BODY]);
        if self.tracking {
            self.changed_terms.extend(c.parts[BODY].keys().copied());
        }
        let mut f = self.weigh_unit(&c, body, unit.published);
        f.marks = self.marks_of(unit);
        f.language = language.map(str::to_string);
        f.names = self.names_of(&c);
        (f, c.labels)
    }

    /// Whether where and when are read: they weigh in the decision, or a learner traces them.
    pub(super) fn reads_evidence(&self) -> bool {
        self.params.event != [0.0; event::FEATURES] || self.trace.is_some()
    }

    /// The names in full a unit names most, hashed, when evidence is read at all.
    pub(super) fn names_of(&self, c: &Counts) -> Vec<u64> {
        if !self.reads_evidence() {
            return Vec::new();
        }
        name_keys(c.labels.iter().map(|l| l.0.as_str()))
    }

    /// The towns a unit names, when evidence is read at all.
    pub(super) fn marks_of(&self, unit: &Unit) -> Vec<u64> {
        if !self.reads_evidence() {
            return Vec::new();
        }
        Marks::of(unit.title, unit.text).0
    }

    /// A part's (term, sublinear TF, IDF), read without counting the unit (the body is
    /// counted as it arrives: see [`Df::observe`]).
    pub(super) fn sublinear(&self, part: &FastMap<u64, f32>) -> Vec<(u64, f32, f32)> {
        part.iter()
            .map(|(&h, &n)| (h, 1.0 + n.ln(), self.df.idf(h)))
            .collect()
    }

    /// A unit's features from its counts and its body's (term, sublinear TF, IDF).
    pub(super) fn weigh_unit(
        &self,
        c: &Counts,
        body: Vec<(u64, f32, f32)>,
        published: Option<&str>,
    ) -> Features {
        let mut v: [Vec<(u64, f32, f32)>; 3] = Default::default();
        for k in [NAMES, TITLE] {
            if self.part_read(k) {
                v[k] = Df::strongest(self.sublinear(&c.parts[k]), UNIT_TERMS);
            }
        }
        v[BODY] = Df::strongest(body, UNIT_TERMS);
        let mut f = Features {
            raw: std::array::from_fn(|k| v[k].iter().map(|&(h, x, _)| (h, x)).collect()),
            day: span_date(published).and_then(day_of),
            ..Features::default()
        };
        // Only the parts that are read are weighed.
        for (k, vk) in v.iter().enumerate() {
            if self.part_read(k) {
                (f.weighted[k], f.scoring[k]) = weigh_with_idf(vk);
            }
        }
        f
    }
}
