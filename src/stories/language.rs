//! How the stories stage reads words in languages other than English: which are stop words,
//! what a word's stem is, and where a script writes no spaces.
//!
//! Input: a unit's language (ISO 639-1, as extraction detects it) and its words. Output: body
//! terms, as hashes, in the same space English terms live in.
//!
//! English keeps the stage's own reading (its stop words, a plural `s` dropped), on which its
//! parameters were learned. Other languages get the ISO stop-word list of their language (the
//! `stop-words` crate) and a Snowball stemmer where one exists (`rust-stemmers`: Arabic, German,
//! Spanish, French, Italian, Russian, Turkish and more): "Tierversuche" meets "Tierversuch", and
//! "der", "und", "für" weigh nothing. Polish has no Snowball stemmer; its words are cut to
//! their first six letters, a crude stem that serves a language of many endings. Chinese and
//! Japanese write words without spaces: a run of their characters becomes its overlapping
//! character pairs, which is how search engines index them without a dictionary. Names and
//! numbers are read as in English in every language, so that they meet across languages.

use std::sync::LazyLock;

use rust_stemmers::{Algorithm, Stemmer};

use crate::text::{self, FastMap, FastSet};

/// Words a text needs before its detected language decides how it is read.
pub const MIN_WORDS: usize = 30;

/// How one language's words are read.
pub struct Reader {
    stop: FastSet<u64>,
    stemmer: Option<Stemmer>,
    /// Letters a word is cut to where there is no stemmer (0: not cut).
    prefix: usize,
}

/// Readers by language code, built on first use.
static READERS: LazyLock<FastMap<&'static str, Reader>> = LazyLock::new(|| {
    const LANGUAGES: &[(&str, Option<Algorithm>, usize)] = &[
        ("ar", Some(Algorithm::Arabic), 0),
        ("da", Some(Algorithm::Danish), 0),
        ("de", Some(Algorithm::German), 0),
        ("el", Some(Algorithm::Greek), 0),
        ("es", Some(Algorithm::Spanish), 0),
        ("fi", Some(Algorithm::Finnish), 0),
        ("fr", Some(Algorithm::French), 0),
        ("hu", Some(Algorithm::Hungarian), 0),
        ("it", Some(Algorithm::Italian), 0),
        ("nl", Some(Algorithm::Dutch), 0),
        ("no", Some(Algorithm::Norwegian), 0),
        ("pt", Some(Algorithm::Portuguese), 0),
        ("ro", Some(Algorithm::Romanian), 0),
        ("ru", Some(Algorithm::Russian), 0),
        ("sv", Some(Algorithm::Swedish), 0),
        ("tr", Some(Algorithm::Turkish), 0),
        ("pl", None, 6),
        ("uk", None, 6),
        ("cs", None, 6),
        ("zh", None, 0),
        ("ja", None, 0),
    ];
    LANGUAGES
        .iter()
        .map(|&(code, algorithm, prefix)| {
            let stop = stop_words::lookup(code)
                .unwrap_or_default()
                .iter()
                .map(|w| text::word_hash(&w.to_lowercase()))
                .collect();
            let reader = Reader {
                stop,
                stemmer: algorithm.map(Stemmer::create),
                prefix,
            };
            (code, reader)
        })
        .collect()
});

/// The reader of a language other than English, if the stage reads it on its own terms.
pub fn reader(language: Option<&str>) -> Option<&'static Reader> {
    let code = language?;
    if code == "en" {
        return None;
    }
    READERS.get(code)
}

/// Whether a character belongs to a script written without spaces between words.
pub fn unspaced(c: char) -> bool {
    matches!(c as u32,
        0x3040..=0x30FF   // Hiragana, Katakana
        | 0x3400..=0x4DBF // CJK extension A
        | 0x4E00..=0x9FFF // CJK unified ideographs
        | 0xF900..=0xFAFF) // CJK compatibility ideographs
}

impl Reader {
    /// Whether a lower-cased word is one of the language's stop words.
    pub fn is_stop(&self, lower: &str) -> bool {
        self.stop.contains(&text::word_hash(lower))
    }

    /// A lower-cased word's term hash: its stem, or its first letters.
    pub fn term(&self, lower: &str) -> u64 {
        if let Some(s) = &self.stemmer {
            return text::word_hash(&s.stem(lower));
        }
        if self.prefix > 0 {
            if let Some((i, _)) = lower.char_indices().nth(self.prefix) {
                return text::word_hash(&lower[..i]);
            }
        }
        text::word_hash(lower)
    }
}

/// The overlapping character pairs of a run of unspaced script (a lone character stands for
/// itself), as term hashes; other characters in the run (digits, Latin letters) end a pair.
pub fn pairs(word: &str, mut emit: impl FnMut(u64)) {
    let chars: Vec<char> = word.chars().collect();
    let mut buf = [0u8; 8];
    for (i, &c) in chars.iter().enumerate() {
        if !unspaced(c) {
            continue;
        }
        match chars.get(i + 1) {
            Some(&d) if unspaced(d) => {
                let a = c.encode_utf8(&mut buf).len();
                let b = d.encode_utf8(&mut buf[a..]).len();
                emit(text::hash64(&buf[..a + b]));
            }
            _ if i == 0 || !unspaced(chars[i - 1]) => {
                emit(text::hash64(c.encode_utf8(&mut buf).as_bytes()));
            }
            _ => {}
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn german_stems_meet_and_stop_words_weigh_nothing() {
        let de = reader(Some("de")).expect("German is read");
        assert_eq!(de.term("tierversuche"), de.term("tierversuch"));
        assert!(de.is_stop("und") && de.is_stop("der"));
        assert!(!de.is_stop("impfstoff"));
        assert!(reader(Some("en")).is_none() && reader(None).is_none());
    }

    #[test]
    fn odd_words_do_not_break_any_reader() {
        let long = "ä".repeat(10_000);
        let odd = [
            "",
            "a",
            "\u{301}",
            "e\u{301}e\u{301}",
            "🙂🙂",
            "ß",
            "İstanbul",
            "ﬁ",
            "١٢٣",
            &long,
        ];
        for code in [
            "ar", "da", "de", "el", "es", "fi", "fr", "hu", "it", "nl", "no", "pt", "ro", "ru",
            "sv", "tr", "pl", "uk", "cs", "zh", "ja",
        ] {
            let r = reader(Some(code)).expect("a reader");
            for w in odd {
                let lower = w.to_lowercase();
                r.term(&lower);
                r.is_stop(&lower);
                pairs(w, |_| {});
            }
        }
    }

    #[test]
    fn polish_words_are_cut_to_six_letters() {
        let pl = reader(Some("pl")).expect("Polish is read");
        assert_eq!(pl.term("wystawy"), pl.term("wystawa"));
    }

    #[test]
    fn unspaced_runs_become_character_pairs() {
        let mut got = Vec::new();
        pairs("参议院", |h| got.push(h));
        assert_eq!(got.len(), 2);
        let mut one = Vec::new();
        pairs("院", |h| one.push(h));
        assert_eq!(one.len(), 1);
        let mut mixed = Vec::new();
        pairs("abc", |h| mixed.push(h));
        assert!(mixed.is_empty());
    }
}
