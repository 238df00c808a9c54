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

/// The class of a function word (its place in the list, from 16), or 0, by the hash of its
/// lower-cased form as [`text::word_hash`] gives it.
fn function_word(word_hash: u64) -> u8 {
    use std::sync::LazyLock;
    // A collision-free table (the multiplier is searched for once) whose entries are a word's
    // hash with the class in its low seven bits, so that a lookup is one load and a comparison
    // of the other 57 with no branch: this runs on every token read, and whether a token is a
    // function word is a coin toss the processor cannot predict.
    const BITS: u32 = 10;
    const CLASS: u64 = 0x7F;
    static TABLE: LazyLock<(u64, Vec<u64>)> = LazyLock::new(|| {
        let words: Vec<u64> = FUNCTION_WORDS
            .split_whitespace()
            .map(text::word_hash)
            .collect();
        let mut mul = 0x9E37_79B9_7F4A_7C15u64;
        loop {
            let mut t = vec![0u64; 1 << BITS];
            let fits = words.iter().enumerate().all(|(i, &h)| {
                let at = (h.wrapping_mul(mul) >> (64 - BITS)) as usize;
                let free = t[at] == 0;
                t[at] = (h & !CLASS) | (i as u64 + 16);
                free
            });
            if fits {
                return (mul, t);
            }
            mul = mul.wrapping_add(0x6A09_E667_F3BC_C909) | 1;
        }
    });
    let (mul, table) = &*TABLE;
    let entry = table[(word_hash.wrapping_mul(*mul) >> (64 - BITS)) as usize];
    let class = (entry & CLASS) as u8;
    std::hint::select_unpredictable((entry ^ word_hash) & !CLASS == 0, class, 0)
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
    /// The skeleton class of each token (see [`Doc::keys`]).
    classes: &'d [u8],
    /// A 64-bit Bloom filter of the content words, to skip sentence pairs that share none.
    pub bloom: u64,
    /// A hash of the whole token sequence: equal sentences are equal without comparing tokens.
    pub whole: u64,
}

impl Sentence<'_, '_> {
    /// Whether token `k` fills a template's slot (a name, a number, a day or a time of day), and
    /// whether it is a name: a capitalised word inside the sentence that is no day or month. A
    /// sentence read back without its classes has no slots.
    pub fn slot(&self, k: usize) -> (bool, bool) {
        static DATES: std::sync::LazyLock<text::FastSet<u64>> = std::sync::LazyLock::new(|| {
            [
                "monday",
                "tuesday",
                "wednesday",
                "thursday",
                "friday",
                "saturday",
                "sunday",
                "january",
                "february",
                "march",
                "april",
                "june",
                "july",
                "august",
                "september",
                "october",
                "november",
                "december",
                "morning",
                "afternoon",
                "evening",
                "night",
                "yesterday",
                "today",
            ]
            .iter()
            .map(|w| token(w).0)
            .collect()
        });
        let (Some(&class), Some(&h)) = (self.classes.get(k), self.hashes.get(k)) else {
            return (false, false);
        };
        if DATES.contains(&h) || u64::from(class) == CLASS_DIGIT {
            return (true, false);
        }
        let name = k > 0 && u64::from(class) == CLASS_CAPITAL;
        (name, name)
    }
}

/// Where a sentence's tokens sit in its document's arrays.
#[derive(Debug, Clone)]
struct Span<'a> {
    text: &'a str,
    start: u32,
    end: u32,
    bloom: u64,
    whole: u64,
}

/// Paragraphs at either end of a text where credit and date lines are looked for.
const EDGE: usize = 3;
/// Bytes beyond which a paragraph is story text even if it mentions where it came from: credit
/// lines are short ("Reuters contributed reporting.", "Distributed by ...").
const MAX_CREDIT_LINE: usize = 300;

use text::swar::{within, HIGH, ONES};

/// Which of eight ASCII bytes (as a little-endian integer) are word bytes (letters, digits,
/// apostrophes and hyphens), as the low eight bits, all eight tested at once ([`within`]).
fn word_bytes(x: u64) -> u64 {
    let lower = x | (ONES * 0x20);
    let flags = within(x, b'0', b'9')
        | within(lower, b'a', b'z')
        | within(x, b'\'', b'\'')
        | within(x, b'-', b'-');
    // Gathers the eight high bits into the top byte (byte k to bit 56 + k), then down.
    ((flags >> 7).wrapping_mul(0x0102_0408_1020_4080)) >> 56
}

/// [`text::words`] for an ASCII sentence, by bytes: runs of letters, digits, apostrophes and
/// hyphens, without the apostrophes and hyphens at their ends. The bytes are classified 64 at a
/// time into a bit mask and runs are read off it with bit counts, so the scan has no branch per
/// byte.
fn ascii_words<'a>(s: &'a str, out: &mut Vec<&'a str>) {
    let b = s.as_bytes();
    let mut push = |mut start: usize, mut end: usize| {
        while start < end && matches!(b[start], b'\'' | b'-') {
            start += 1;
        }
        while end > start && matches!(b[end - 1], b'\'' | b'-') {
            end -= 1;
        }
        if start < end {
            out.push(&s[start..end]);
        }
    };
    // Start of a word still open at the end of the previous block.
    let mut open: Option<usize> = None;
    for (k, block) in b.chunks(64).enumerate() {
        let base = k * 64;
        let mut mask = 0u64;
        let mut eights = block.chunks_exact(8);
        for (i, eight) in eights.by_ref().enumerate() {
            let x = u64::from_le_bytes(eight.try_into().unwrap_or_default());
            mask |= word_bytes(x) << (8 * i);
        }
        let tail = eights.remainder();
        if !tail.is_empty() {
            let mut word = [0u8; 8];
            word[..tail.len()].copy_from_slice(tail);
            mask |= word_bytes(u64::from_le_bytes(word)) << (block.len() - tail.len());
        }
        let mut pos = 0u32;
        loop {
            match open {
                Some(start) => {
                    let gaps = if pos >= 64 { 0 } else { !mask >> pos << pos };
                    let end = if gaps == 0 { 64 } else { gaps.trailing_zeros() };
                    if end as usize >= block.len() {
                        if block.len() < 64 {
                            push(start, base + block.len());
                            open = None;
                        }
                        break;
                    }
                    push(start, base + end as usize);
                    open = None;
                    pos = end;
                }
                None => {
                    let words = if pos >= 64 { 0 } else { mask >> pos << pos };
                    if words == 0 {
                        break;
                    }
                    pos = words.trailing_zeros();
                    open = Some(base + pos as usize);
                }
            }
        }
    }
    if let Some(start) = open {
        push(start, b.len());
    }
}

/// [`token`] for an ASCII word of up to 16 bytes: the word is read as one or two integers,
/// lower-cased, classified and hashed eight bytes at once. A word of up to 8 bytes needs 8
/// bytes of text from its start (the last words of a text take [`token`]).
fn short_token(text: &[u8], at: usize, len: usize) -> Option<(u64, u8)> {
    if len == 0 || len > 16 {
        return None;
    }
    let read = |at: usize| -> Option<u64> {
        Some(u64::from_le_bytes(text.get(at..at + 8)?.try_into().ok()?))
    };
    if len > 8 {
        // Two reads that overlap unless the word has 16 bytes.
        let (first, last) = (read(at)?, read(at + len - 8)?);
        if (first | last) & HIGH != 0 {
            return None;
        }
        let (up_first, up_last) = (within(first, b'A', b'Z'), within(last, b'A', b'Z'));
        let digit = (within(first, b'0', b'9') | within(last, b'0', b'9')) != 0;
        let h = text::hash64_mid(first | (up_first >> 2), last | (up_last >> 2), len);
        return Some((h, class_of(h, digit, up_first & 0x80 != 0)));
    }
    let x = read(at)? & (u64::MAX >> (64 - 8 * len));
    if x & HIGH != 0 {
        return None;
    }
    // Bytes past the word are 0 and fall in neither range.
    let upper = within(x, b'A', b'Z');
    let digit = within(x, b'0', b'9') != 0;
    let h = text::hash64_short(x | (upper >> 2), len);
    Some((h, class_of(h, digit, upper & 0x80 != 0)))
}

fn class_of(h: u64, digit: bool, capital: bool) -> u8 {
    let other = if digit {
        CLASS_DIGIT
    } else if capital {
        CLASS_CAPITAL
    } else {
        CLASS_WORD
    };
    let function = function_word(h);
    std::hint::select_unpredictable(function != 0, function, other as u8)
}

/// [`text::words`] for any sentence, in one pass over its bytes that decodes only the
/// characters beyond ASCII (most are quotes and dashes in otherwise ASCII text).
fn unicode_words<'a>(s: &'a str, out: &mut Vec<&'a str>) {
    let b = s.as_bytes();
    // The length and word-ness of the character at `i`.
    let at = |i: usize| -> (usize, bool) {
        let c = b[i];
        if c < 0x80 {
            return (1, c.is_ascii_alphanumeric() || c == b'\'' || c == b'-');
        }
        match s[i..].chars().next() {
            Some(ch) => (ch.len_utf8(), ch.is_alphanumeric() || ch == '\u{2019}'),
            None => (1, false),
        }
    };
    let mut i = 0;
    while i < b.len() {
        let (len, word) = at(i);
        if !word {
            i += len;
            continue;
        }
        let start = i;
        while i < b.len() {
            let (len, word) = at(i);
            if !word {
                break;
            }
            i += len;
        }
        let w = s[start..i].trim_matches(|c| c == '\'' || c == '\u{2019}' || c == '-');
        if !w.is_empty() {
            out.push(w);
        }
    }
}

/// A token's hash ([`text::word_hash`]) and skeleton class. A typographic apostrophe is read
/// as the typewriter one: "Hale’s" and "Hale's" are one word, which pages print either way.
fn token(w: &str) -> (u64, u8) {
    if w.contains(['\u{2019}', '\u{2018}']) {
        return token(&w.replace(['\u{2019}', '\u{2018}'], "'"));
    }
    let b = w.as_bytes();
    let (h, digit, capital) = if b.len() <= 64 && b.is_ascii() {
        let mut buf = [0u8; 64];
        let mut digit = false;
        for (d, &s) in buf.iter_mut().zip(b) {
            *d = s.to_ascii_lowercase();
            digit |= s.is_ascii_digit();
        }
        let h = text::hash64(&buf[..b.len()]);
        (h, digit, b.first().is_some_and(u8::is_ascii_uppercase))
    } else {
        (
            text::word_hash(w),
            b.iter().any(u8::is_ascii_digit),
            w.chars().next().is_some_and(char::is_uppercase),
        )
    };
    (h, class_of(h, digit, capital))
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
    classes: Vec<u8>,
    pub tokens: usize,
}

impl<'a> Doc<'a> {
    pub fn new(text: &'a str) -> Doc<'a> {
        let guess = text.len() / 5;
        let mut doc = Doc {
            spans: Vec::with_capacity(guess / 16),
            words: Vec::with_capacity(guess),
            hashes: Vec::with_capacity(guess),
            content: Vec::with_capacity(guess),
            classes: Vec::with_capacity(guess),
            tokens: 0,
        };
        // A sentence the text already holds says nothing new (a line repeated down the page,
        // an article pasted twice): it is kept once, so that repetition can neither inflate a
        // text nor hide that it is a copy.
        let mut seen: text::FastSet<u64> = text::FastSet::default();
        seen.reserve(guess / 16);
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
                    unicode_words(s, &mut all);
                }
                for chunk in all.chunks(MAX_SENTENCE_TOKENS) {
                    if doc.spans.len() >= MAX_SENTENCES {
                        break 'outer;
                    }
                    let start = doc.hashes.len();
                    let mut bloom = 0u64;
                    let mut whole = 0u64;
                    for w in chunk {
                        let at = w.as_ptr() as usize - text.as_ptr() as usize;
                        let (h, class) =
                            short_token(text.as_bytes(), at, w.len()).unwrap_or_else(|| token(w));
                        let is_content = class < 16;
                        bloom |= u64::from(is_content) << (h >> 58);
                        whole = whole.rotate_left(7) ^ h;
                        doc.hashes.push(h);
                        doc.content.push(is_content);
                        doc.classes.push(class);
                    }
                    if !seen.insert(whole) {
                        doc.hashes.truncate(start);
                        doc.content.truncate(start);
                        doc.classes.truncate(start);
                        continue;
                    }
                    doc.words.extend_from_slice(chunk);
                    doc.tokens += chunk.len();
                    doc.spans.push(Span {
                        text: s,
                        start: start as u32,
                        end: doc.hashes.len() as u32,
                        bloom,
                        whole,
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
            // A doc read back from its form has neither words nor classes.
            words: self.words.get(r.clone()).unwrap_or(&[]),
            hashes: &self.hashes[r.clone()],
            content: &self.content[r.clone()],
            classes: self.classes.get(r).unwrap_or(&[]),
            bloom: s.bloom,
            whole: s.whole,
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

/// Bytes of a form's header, and of each of its sentences.
const FORM_HEADER: usize = 8;
const FORM_SENTENCE: usize = 20;

impl Doc<'static> {
    /// Reads a doc back from [`Doc::form`]: what a verdict ([`super::align::verdict`])
    /// needs, with no words, sentence texts or keys. `None` if the bytes are not a form.
    pub fn from_form(bytes: &[u8]) -> Option<Doc<'static>> {
        let u32_at = |at: usize| -> Option<u32> {
            Some(u32::from_le_bytes(bytes.get(at..at + 4)?.try_into().ok()?))
        };
        let u64_at = |at: usize| -> Option<u64> {
            Some(u64::from_le_bytes(bytes.get(at..at + 8)?.try_into().ok()?))
        };
        let sentences = u32_at(0)? as usize;
        let tokens = u32_at(4)? as usize;
        let hashes_at = FORM_HEADER + sentences.checked_mul(FORM_SENTENCE)?;
        let content_at = hashes_at.checked_add(tokens.checked_mul(8)?)?;
        if bytes.len() != content_at.checked_add(tokens)? {
            return None;
        }
        let mut doc = Doc {
            spans: Vec::with_capacity(sentences),
            tokens,
            ..Doc::default()
        };
        let mut start = 0u32;
        for k in 0..sentences {
            let at = FORM_HEADER + k * FORM_SENTENCE;
            let end = u32_at(at)?;
            if end < start || end as usize > tokens {
                return None;
            }
            doc.spans.push(Span {
                text: "",
                start,
                end,
                bloom: u64_at(at + 4)?,
                whole: u64_at(at + 12)?,
            });
            start = end;
        }
        if start as usize != tokens {
            return None;
        }
        doc.hashes = bytes[hashes_at..content_at]
            .chunks_exact(8)
            .map(|c| u64::from_le_bytes(c.try_into().unwrap_or_default()))
            .collect();
        doc.content = bytes[content_at..].iter().map(|&c| c != 0).collect();
        Some(doc)
    }
}

impl Doc<'_> {
    /// What [`Doc::from_form`] would read back from [`Doc::form`], without the round trip.
    pub fn detached(&self) -> Doc<'static> {
        Doc {
            spans: self.spans.iter().map(|s| Span { text: "", ..*s }).collect(),
            words: Vec::new(),
            hashes: self.hashes.clone(),
            content: self.content.clone(),
            classes: Vec::new(),
            tokens: self.tokens,
        }
    }

    /// Bytes the doc holds (vectors at capacity).
    pub fn heap_bytes(&self) -> usize {
        self.spans.capacity() * std::mem::size_of::<Span>()
            + self.words.capacity() * 16
            + self.hashes.capacity() * 8
            + self.content.capacity()
            + self.classes.capacity()
    }

    /// The doc's tokens in a flat binary form, kept beside its text, so that comparing a later
    /// article with it does not read and split the text again (see [`Doc::from_form`]).
    pub fn form(&self, out: &mut Vec<u8>) {
        out.clear();
        out.reserve(FORM_HEADER + self.spans.len() * FORM_SENTENCE + self.hashes.len() * 9);
        out.extend_from_slice(&(self.spans.len() as u32).to_le_bytes());
        out.extend_from_slice(&(self.hashes.len() as u32).to_le_bytes());
        for s in &self.spans {
            out.extend_from_slice(&s.end.to_le_bytes());
            out.extend_from_slice(&s.bloom.to_le_bytes());
            out.extend_from_slice(&s.whole.to_le_bytes());
        }
        for h in &self.hashes {
            out.extend_from_slice(&h.to_le_bytes());
        }
        out.extend(self.content.iter().map(|&c| u8::from(c)));
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
        let mut features: Vec<u64> = Vec::with_capacity(self.tokens);
        for s in self.sentences() {
            // A window of classes, seven bits each, packed into an integer as it slides: the
            // window is its own exact encoding, hashed once into a feature (classes are never
            // 0, so a short sentence's packing differs from every full window's).
            let mut window = 0u128;
            for (i, &c) in s.classes.iter().enumerate() {
                // A capital opening a sentence says nothing: any word can stand there.
                let c = if i == 0 && u64::from(c) == CLASS_CAPITAL {
                    CLASS_WORD as u8
                } else {
                    c
                };
                window = ((window << 7) | u128::from(c & 0x7F)) & WINDOW_MASK;
                if i + 1 >= SKELETON {
                    features.push(skeleton_hash(window));
                }
            }
            let n = s.classes.len();
            // A short sentence is one feature, if it has some shape to it.
            if (6..SKELETON).contains(&n) {
                features.push(skeleton_hash(window));
            }
        }
        sample(features)
    }
}

/// The bits of a window of [`SKELETON`] classes.
const WINDOW_MASK: u128 = (1u128 << (7 * SKELETON)) - 1;

/// A skeleton feature from a packed window: xxh3 of its sixteen bytes. (A bare integer mixer,
/// MurmurHash3's finaliser, was tried: its samples held common windows more often, and 15,734
/// pairs of articles in the 10k bench corpus shared three keys or more, against 10,052.)
fn skeleton_hash(window: u128) -> u64 {
    // hash64 of the window's sixteen little-endian bytes, from the two halves in registers.
    text::hash64_mid(window as u64, (window >> 64) as u64, 16)
}

/// Keys from a text's features: a content-defined sample, so that a part of a text keeps the
/// part of the keys it holds.
fn sample(mut features: Vec<u64>) -> Vec<u64> {
    // The usual case, a text long enough to fill its sample from the coarse tier, sorts only
    // that tier.
    let mut sampled: Vec<u64> = features.iter().copied().filter(|h| h % 4 == 0).collect();
    sampled.sort_unstable();
    sampled.dedup();
    sampled.truncate(MAX_KEYS);
    if sampled.len() < MIN_KEYS {
        // A short text tops its sample up in tiers (every other feature, then the rest), so
        // that the sampled keys it shares with a long text it was cut from all stay in, and
        // two short copies of one text share the finer tiers as well.
        features.sort_unstable();
        features.dedup();
        let tier = |h: &u64| !h.is_multiple_of(2);
        let mut rest: Vec<u64> = features.iter().copied().filter(|h| h % 4 != 0).collect();
        rest.sort_by_key(|h| (tier(h), *h));
        rest.truncate(MIN_KEYS - sampled.len());
        sampled.extend(rest);
        sampled.sort_unstable();
    }
    sampled
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

    /// Bytes that make up words in ASCII text: letters, digits, apostrophes and hyphens.
    const WORD_BYTE: [bool; 256] = {
        let mut t = [false; 256];
        let mut c = 0;
        while c < 256 {
            let b = c as u8;
            t[c] = b.is_ascii_alphanumeric() || b == b'\'' || b == b'-';
            c += 1;
        }
        t
    };

    #[test]
    fn unicode_words_are_the_words_of_text() {
        for s in [
            "\u{201C}It\u{2019}s a well\u{2011}known \u{2018}quote\u{2019}\u{201D} \u{2014} said O\u{2019}Brien.",
            "Zürich–Genève: 42 km, naïve café \u{2019}90s ’’ –",
            "日本語のテキスト、そして English words.",
            "",
        ] {
            let mut fast = Vec::new();
            unicode_words(s, &mut fast);
            assert_eq!(fast, text::words(s).collect::<Vec<_>>(), "{s}");
        }
    }

    #[test]
    fn word_bytes_are_classified_eight_at_a_time() {
        for start in (0u8..128).step_by(8) {
            let bytes: Vec<u8> = (start..start + 8).collect();
            let x = u64::from_le_bytes(bytes.clone().try_into().unwrap());
            let expect = bytes.iter().enumerate().fold(0u64, |m, (i, &b)| {
                m | (u64::from(WORD_BYTE[b as usize]) << i)
            });
            assert_eq!(word_bytes(x), expect, "bytes from {start}");
        }
    }

    #[test]
    fn ascii_words_match_across_block_boundaries() {
        // Words and gaps of every length around the 64-byte blocks the scanner reads in.
        let pieces = [
            "a",
            "bb",
            "-x-",
            "O'Neil",
            "4.5",
            "  ",
            "--",
            "''",
            "well-known",
            ". ",
        ];
        let mut seed = 7u64;
        for _ in 0..300 {
            let mut s = String::new();
            while s.len() < 400 {
                seed = seed
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                s.push_str(pieces[(seed >> 33) as usize % pieces.len()]);
                if (seed >> 20).is_multiple_of(3) {
                    s.push(' ');
                }
            }
            let mut fast = Vec::new();
            ascii_words(&s, &mut fast);
            assert_eq!(fast, text::words(&s).collect::<Vec<_>>(), "{s}");
        }
    }

    #[test]
    fn skeleton_hashes_are_hash64_of_the_window() {
        for w in [
            0u128,
            1,
            0x7F << 63,
            u128::MAX >> 58,
            0x0123_4567_89AB_CDEF_FEDC_BA98_7654_3210,
        ] {
            assert_eq!(skeleton_hash(w), text::hash64(&w.to_le_bytes()));
        }
    }

    #[test]
    fn tokens_hash_as_word_hash_does() {
        for w in [
            "The",
            "said",
            "O'Brien",
            "42-year-old",
            "X",
            "Ünïcode",
            &"long".repeat(20),
        ] {
            let (h, class) = token(w);
            assert_eq!(h, text::word_hash(w), "{w}");
            assert_eq!(class >= 16, function_word(h) != 0);
        }
        let text = "The 4th O'Neil said: ZZ-top az@[` 0123456789 AbCdEfGh said \
            Administration fifty-year-old Z9876543210 ninecharS officials@ OVERWHELMINGLY \
            seventeen-year-olds 0123456789abcdef said";
        for w in text::words(text) {
            let at = w.as_ptr() as usize - text.as_ptr() as usize;
            if let Some(fast) = short_token(text.as_bytes(), at, w.len()) {
                assert_eq!(fast, token(w), "{w}");
            }
        }
        assert!(short_token(text.as_bytes(), 0, 3).is_some());
        let long = text.find("Administration").unwrap();
        assert!(short_token(text.as_bytes(), long, 14).is_some());
        assert!(token("the").1 >= 16 && token("The").1 >= 16);
        assert_eq!(token("Ruiz").1, CLASS_CAPITAL as u8);
        assert_eq!(token("4th").1, CLASS_DIGIT as u8);
        assert_eq!(token("bridge").1, CLASS_WORD as u8);
    }

    #[test]
    fn a_form_reads_back_as_the_doc_it_was_made_from() {
        let doc = Doc::new(ORIGINAL);
        let mut form = Vec::new();
        doc.form(&mut form);
        let back = Doc::from_form(&form).expect("a form");
        let detached = doc.detached();
        assert_eq!(detached.len(), back.len());
        for (x, y) in detached.sentences().zip(back.sentences()) {
            assert_eq!(
                (x.hashes, x.content, x.bloom, x.whole),
                (y.hashes, y.content, y.bloom, y.whole)
            );
        }
        assert_eq!(back.len(), doc.len());
        assert_eq!(back.tokens, doc.tokens);
        for (x, y) in back.sentences().zip(doc.sentences()) {
            assert_eq!(
                (x.hashes, x.content, x.bloom, x.whole),
                (y.hashes, y.content, y.bloom, y.whole)
            );
        }
        let spun = Doc::new(SPUN);
        let (v1, v2) = (
            super::super::align::verdict(&back, &spun),
            super::super::align::align(&doc, &spun),
        );
        assert_eq!(
            (v1.covered_a, v1.covered_b, v1.swap_kinds),
            (v2.covered_a, v2.covered_b, v2.swap_kinds)
        );
        // Anything else is not a form.
        for bad in [
            &form[..form.len() - 1],
            &[],
            &[1, 0, 0, 0, 255, 255, 255, 255][..],
        ] {
            assert!(Doc::from_form(bad).is_none());
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
