//! The forms of a text that copy detection works on: sentences of word tokens, and the sampled
//! keys of its *skeleton*.
//!
//! The skeleton is the idea that makes candidates survive spinning. A spinner swaps content
//! words for synonyms but leaves the function words ("the", "of", "that", "was"), names and
//! numbers where they were, because its thesaurus has nothing for them. So each token is
//! replaced by a class: a function word stands for itself, a capitalised word inside a sentence
//! becomes `C`, a token with a digit `D`, any other word `_`. Ten consecutive classes inside a
//! sentence are one feature; on ECB+ these are as rare across unrelated articles as word
//! 5-grams, yet a copy spun at 40% keeps almost all of them.
//!
//! Keys are a content-defined sample of the features (those whose hash is 0 mod 4, at most
//! [`MAX_KEYS`] of the smallest), so that a copy keeping half an article keeps half its keys:
//! sampling preserves containment, where a fixed-size MinHash would only estimate resemblance.

use crate::text;

/// Tokens per skeleton feature.
pub const SKELETON: usize = 10;
/// The most keys an article contributes to the candidate index.
pub const MAX_KEYS: usize = 48;
/// Articles with fewer sampled keys than this top them up from finer samples of their features.
const MIN_KEYS: usize = 16;
/// Sentences longer than this many tokens are cut into pieces (lines with no punctuation would
/// otherwise make alignment quadratic in the length of the page).
pub const MAX_SENTENCE_TOKENS: usize = 80;
/// Sentences beyond this many are not aligned (bounded time on huge articles).
pub const MAX_SENTENCES: usize = 400;

/// Function words: what spinners leave in place. Kept short on purpose: a word a thesaurus has
/// synonyms for ("said", "new", "over") does not belong here.
const FUNCTION_WORDS: &str = "a an the of to in on at by for with from into onto about after \
before over under between during through against and or but nor that which who whom whose this \
these those is was were are be been being has have had it its he she they them his her their \
theirs we our us you your i me my not no as if than then there here also will would could \
should can may might must do does did so such";

/// The class of a function word (its place in the list, from 16), by the hash of its
/// lower-cased form as [`text::word_hash`] gives it.
fn function_word(word_hash: u64) -> Option<u64> {
    use std::sync::LazyLock;
    static SET: LazyLock<text::FastMap<u64, u64>> = LazyLock::new(|| {
        FUNCTION_WORDS
            .split_whitespace()
            .enumerate()
            .map(|(i, w)| (text::word_hash(w), i as u64 + 16))
            .collect()
    });
    SET.get(&word_hash).copied()
}

const CLASS_CAPITAL: u64 = 1;
const CLASS_DIGIT: u64 = 2;
const CLASS_WORD: u64 = 3;

/// One sentence of a [`Doc`]: its text and tokens, as slices of the document's arrays.
#[derive(Debug, Clone, Copy)]
pub struct Sentence<'d, 'a> {
    pub text: &'a str,
    /// The tokens as written.
    pub words: &'d [&'a str],
    /// Hashes of the lower-cased tokens: what alignment compares.
    pub hashes: &'d [u64],
    /// Whether each token is a content word (not a function word).
    pub content: &'d [bool],
    /// A 64-bit Bloom filter of the content words, to skip sentence pairs that share none.
    pub bloom: u64,
    /// The token hashes sorted: how many tokens two sentences share bounds their alignment
    /// from above, and costs a merge instead of a dynamic programme.
    pub sorted: &'d [u64],
}

/// Where a sentence's tokens sit in its document's arrays.
#[derive(Debug, Clone)]
struct Span<'a> {
    text: &'a str,
    start: u32,
    end: u32,
    bloom: u64,
}

/// Paragraphs at either end of a text where credit and date lines are looked for.
const EDGE: usize = 3;
/// Bytes beyond which a paragraph is story text even if it mentions where it came from: credit
/// lines are short ("Reuters contributed reporting.", "Distributed by ...").
const MAX_CREDIT_LINE: usize = 300;

/// [`text::words`] for an ASCII sentence, by bytes: runs of letters, digits, apostrophes and
/// hyphens, without the apostrophes and hyphens at their ends.
fn ascii_words<'a>(s: &'a str, out: &mut Vec<&'a str>) {
    let b = s.as_bytes();
    let is_word = |c: u8| c.is_ascii_alphanumeric() || c == b'\'' || c == b'-';
    let mut i = 0;
    while i < b.len() {
        while i < b.len() && !is_word(b[i]) {
            i += 1;
        }
        let start = i;
        while i < b.len() && is_word(b[i]) {
            i += 1;
        }
        let w = s[start..i].trim_matches(|c| c == '\'' || c == '-');
        if !w.is_empty() {
            out.push(w);
        }
    }
}

/// A text in the forms copy detection needs. The tokens of all sentences sit in flat arrays
/// (a text is read several times per article added, and one allocation per sentence and field
/// cost as much as the reading).
#[derive(Debug, Clone, Default)]
pub struct Doc<'a> {
    spans: Vec<Span<'a>>,
    words: Vec<&'a str>,
    hashes: Vec<u64>,
    content: Vec<bool>,
    sorted: Vec<u64>,
    pub tokens: usize,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Doc<'a> {
        let mut doc = Doc::default();
        // A sentence the text already holds says nothing new (a line repeated down the page,
        // an article pasted twice): it is kept once, so that repetition can neither inflate a
        // text nor hide that it is a copy.
        let mut seen = text::FastSet::default();
        let paras: Vec<&str> = text.split('\n').filter(|p| !p.trim().is_empty()).collect();
        let mut all: Vec<&str> = Vec::new();
        'outer: for (i, &para) in paras.iter().enumerate() {
            // Credit lines and date lines say where and when, not what: a copy that adds
            // "Distributed by ..." or drops the date line has not changed the story. They sit
            // at a text's head or tail, and only there are they looked for (the patterns cost
            // more than the rest of reading a paragraph).
            let edge = i < EDGE || i + EDGE >= paras.len();
            if edge
                && ((para.len() <= MAX_CREDIT_LINE && text::is_provenance_line(para))
                    || crate::extract::date::date_line(para).is_some())
            {
                continue;
            }
            for s in text::sentences(para) {
                all.clear();
                if s.is_ascii() {
                    ascii_words(s, &mut all);
                } else {
                    all.extend(text::words(s));
                }
                for chunk in all.chunks(MAX_SENTENCE_TOKENS) {
                    if doc.spans.len() >= MAX_SENTENCES {
                        break 'outer;
                    }
                    let start = doc.hashes.len();
                    let mut bloom = 0u64;
                    let mut whole = 0u64;
                    for w in chunk {
                        let h = text::word_hash(w);
                        let is_content = function_word(h).is_none();
                        if is_content {
                            bloom |= 1 << (h >> 58);
                        }
                        whole = whole.rotate_left(7) ^ h;
                        doc.hashes.push(h);
                        doc.content.push(is_content);
                    }
                    if !seen.insert(whole) {
                        doc.hashes.truncate(start);
                        doc.content.truncate(start);
                        continue;
                    }
                    doc.words.extend_from_slice(chunk);
                    doc.sorted.extend_from_slice(&doc.hashes[start..]);
                    doc.sorted[start..].sort_unstable();
                    doc.tokens += chunk.len();
                    doc.spans.push(Span {
                        text: s,
                        start: start as u32,
                        end: doc.hashes.len() as u32,
                        bloom,
                    });
                }
            }
        }
        doc
    }

    /// The number of sentences.
    pub fn len(&self) -> usize {
        self.spans.len()
    }

    pub fn is_empty(&self) -> bool {
        self.spans.is_empty()
    }

    /// Sentence `i`.
    pub fn sentence(&self, i: usize) -> Sentence<'_, 'a> {
        let s = &self.spans[i];
        let r = s.start as usize..s.end as usize;
        Sentence {
            text: s.text,
            words: &self.words[r.clone()],
            hashes: &self.hashes[r.clone()],
            content: &self.content[r.clone()],
            bloom: s.bloom,
            sorted: &self.sorted[r],
        }
    }

    /// The text of sentence `i`, or "" past the end.
    pub fn text_of(&self, i: usize) -> &'a str {
        self.spans.get(i).map_or("", |s| s.text)
    }

    /// The sentences in order.
    pub fn sentences(&self) -> impl ExactSizeIterator<Item = Sentence<'_, 'a>> + '_ {
        (0..self.spans.len()).map(|i| self.sentence(i))
    }
}

/// The sampled skeleton keys of a text, sorted and distinct.
pub fn keys(text: &str) -> Vec<u64> {
    Doc::new(text).keys()
}

impl Doc<'_> {
    /// The sampled skeleton keys of the text, sorted and distinct. Read from the sentences the
    /// alignment compares, so that credit lines, date lines and repeated lines, which say
    /// nothing of the story, make no keys (a "Distributed by" line would otherwise tie every
    /// page of a site together).
    pub fn keys(&self) -> Vec<u64> {
        let mut features: Vec<u64> = Vec::new();
        let mut classes: Vec<u64> = Vec::new();
        for s in self.sentences() {
            classes.clear();
            for (i, (w, &h)) in s.words.iter().zip(s.hashes).enumerate() {
                let c = if let Some(f) = function_word(h) {
                    f
                } else if w.bytes().any(|c| c.is_ascii_digit()) {
                    CLASS_DIGIT
                } else if i > 0 && w.chars().next().is_some_and(char::is_uppercase) {
                    CLASS_CAPITAL
                } else {
                    CLASS_WORD
                };
                classes.push(c);
            }
            if classes.len() < SKELETON {
                // A short sentence is one feature, if it has some shape to it.
                if classes.len() >= 6 {
                    features.push(hash_classes(&classes));
                }
                continue;
            }
            for win in classes.windows(SKELETON) {
                features.push(hash_classes(win));
            }
        }
        sample(features)
    }
}

/// Keys from a text's features: a content-defined sample, so that a part of a text keeps the
/// part of the keys it holds.
fn sample(mut features: Vec<u64>) -> Vec<u64> {
    features.sort_unstable();
    features.dedup();
    let mut sampled: Vec<u64> = features.iter().copied().filter(|h| h % 4 == 0).collect();
    sampled.truncate(MAX_KEYS);
    if sampled.len() < MIN_KEYS {
        // A short text tops its sample up in tiers (every other feature, then the rest), so
        // that the sampled keys it shares with a long text it was cut from all stay in, and
        // two short copies of one text share the finer tiers as well.
        let tier = |h: &u64| !h.is_multiple_of(2);
        let mut rest: Vec<u64> = features.iter().copied().filter(|h| h % 4 != 0).collect();
        rest.sort_by_key(|h| (tier(h), *h));
        rest.truncate(MIN_KEYS - sampled.len());
        sampled.extend(rest);
        sampled.sort_unstable();
    }
    sampled
}

fn hash_classes(classes: &[u64]) -> u64 {
    let mut bytes = [0u8; 8 * SKELETON];
    for (i, c) in classes.iter().enumerate().take(SKELETON) {
        bytes[i * 8..i * 8 + 8].copy_from_slice(&c.to_le_bytes());
    }
    text::hash64(&bytes[..classes.len().min(SKELETON) * 8])
}

#[cfg(test)]
mod tests {
    use super::*;

    const ORIGINAL: &str =
        "Officials in the eastern province said on Tuesday that the bridge would \
        reopen next week after repairs. The work cost 4 million dollars, according to Mayor Ana \
        Ruiz, who spoke to reporters at the site. Traffic had been diverted through two villages \
        for most of the summer.";
    const SPUN: &str =
        "Officers in the japanese province stated on Tuesday that the overpass would \
        reopen following week after fixes. The job cost 4 million bucks, according to Mayor Ana \
        Ruiz, who talked to journalists at the website. Traffic had been redirected through two \
        towns for most of the season.";

    #[test]
    fn ascii_words_are_the_words_of_text() {
        for s in [
            "It's a well-known 'quote' -- said O'Brien, 42-year-old.",
            "--- '' - a",
            "",
        ] {
            let mut fast = Vec::new();
            ascii_words(s, &mut fast);
            assert_eq!(fast, text::words(s).collect::<Vec<_>>(), "{s}");
        }
    }

    #[test]
    fn skeleton_keys_survive_synonym_swaps() {
        let a = keys(ORIGINAL);
        let b = keys(SPUN);
        let shared = a.iter().filter(|k| b.binary_search(k).is_ok()).count();
        assert!(a.len() >= 8, "{a:?}");
        assert!(shared * 10 >= a.len() * 7, "{shared} of {}", a.len());
    }

    #[test]
    fn unrelated_texts_share_no_keys() {
        let other = "The museum opened a new wing devoted to maritime history. Visitors can \
            board a restored fishing boat and listen to recordings of sailors. Tickets are free \
            for children under twelve until the end of the year.";
        let a = keys(ORIGINAL);
        let b = keys(other);
        assert_eq!(a.iter().filter(|k| b.binary_search(k).is_ok()).count(), 0);
    }

    #[test]
    fn degenerate_texts_give_bounded_keys() {
        assert!(keys("").is_empty());
        assert!(keys("word").is_empty());
        let repeated = "The same line again and again for ever here.\n".repeat(5000);
        assert!(keys(&repeated).len() <= MAX_KEYS);
        let doc = Doc::new(&repeated);
        assert!(doc.len() <= MAX_SENTENCES);
        let long = "word ".repeat(100_000);
        let doc = Doc::new(&long);
        assert!(doc
            .sentences()
            .all(|s| s.words.len() <= MAX_SENTENCE_TOKENS));
    }
}
