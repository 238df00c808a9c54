//! Direct quotes in a text, with their speakers and cue verbs.
//!
//! Input: an article's text and the attribution tagger. Output: [`Found`] quotes. A quote is
//! what stands between quotation marks of any style (“…”, "…", «…», „…“, ‘…’), at least three
//! words long; a quote split around its attribution ("“We will rebuild,” she said, “and
//! fast.”") is joined into one. Its speaker and cue come from the tagger's attribution whose
//! content overlaps it, or from a cue verb right after or before it; pronouns are read as the
//! last person named before the quote. Quotation marks around a term with no cue beside them
//! (scare quotes) are not quotes.
//!
//! The tagger runs only on paragraphs that hold a quotation mark, and its result is cached by
//! paragraph, so the copies of one report in a story cost one tagging.

use crate::text::WordSet;
use std::collections::HashMap;

use super::attribution::{group, paragraphs, Model, Span};
use super::names::{mentions, Mention};
use crate::text::hash64;

/// A quote found in one text.
#[derive(Debug, Clone, PartialEq)]
pub struct Found {
    /// The quoted words, without the marks; the parts of a split quote joined.
    pub text: String,
    /// The speaker as written ("Stefanishyna", "he", "the ministry"), if found.
    pub speaker: Option<String>,
    /// For a pronoun, the person named last before the quote.
    pub antecedent: Option<String>,
    pub cue: Option<String>,
    /// Byte offset of the quote in the text.
    pub start: usize,
}

/// Paragraph-level tagger results shared by the texts of one story.
#[derive(Default)]
pub struct TagCache {
    spans: HashMap<u64, Vec<Span>>,
}

impl TagCache {
    fn spans(&mut self, model: &Model, paragraph: &str) -> &[Span] {
        self.spans
            .entry(hash64(paragraph.as_bytes()))
            .or_insert_with(|| model.spans(paragraph))
    }
}

static CUE_WORDS: WordSet = WordSet::new(&[
    "said",
    "says",
    "say",
    "told",
    "tells",
    "added",
    "adds",
    "wrote",
    "writes",
    "asked",
    "asks",
    "stated",
    "states",
    "explained",
    "noted",
    "recalled",
    "insisted",
    "warned",
    "argued",
    "declared",
    "replied",
    "answered",
    "continued",
    "remarked",
    "tweeted",
    "posted",
    "according",
    "announced",
    "acknowledged",
    "admitted",
    "claimed",
    "confirmed",
    "stressed",
    "urged",
]);

pub static PRONOUNS: WordSet =
    WordSet::new(&["he", "she", "they", "i", "we", "his", "her", "their", "him"]);

fn opening(c: char) -> Option<&'static [char]> {
    match c {
        '\u{201C}' => Some(&['\u{201D}', '\u{201C}']),
        '"' => Some(&['"', '\u{201D}']),
        '\u{00AB}' => Some(&['\u{00BB}']),
        '\u{201E}' => Some(&['\u{201C}', '\u{201D}']),
        '\u{2018}' => Some(&['\u{2019}']),
        _ => None,
    }
}

/// Quote segments of a paragraph: (start of the opening mark, end of the closing mark or of
/// the paragraph, inner start, inner end).
fn segments(p: &str) -> Vec<(usize, usize, usize, usize)> {
    let mut out = Vec::new();
    let mut iter = p.char_indices().peekable();
    while let Some((i, c)) = iter.next() {
        // Typewriter style of tokenised corpora: ``quote''.
        if c == '`' && p[i..].starts_with("``") {
            let inner_start = i + 2;
            let (inner_end, end) = p[inner_start..].find("''").map_or((p.len(), p.len()), |j| {
                (inner_start + j, inner_start + j + 2)
            });
            out.push((i, end, inner_start, inner_end));
            while iter.peek().is_some_and(|&(k, _)| k < end) {
                iter.next();
            }
            continue;
        }
        let Some(closers) = opening(c) else { continue };
        // A single quote opens only after a space or a bracket, not inside a word ("rock'n").
        if c == '\u{2018}' && i > 0 && !p[..i].ends_with(|x: char| x.is_whitespace() || x == '(') {
            continue;
        }
        let inner_start = i + c.len_utf8();
        let mut close = None;
        for (j, d) in p[inner_start..].char_indices() {
            if closers.contains(&d) {
                let at = inner_start + j;
                // A closing single quote must not be an apostrophe inside a word.
                if d == '\u{2019}'
                    && p[at + d.len_utf8()..]
                        .chars()
                        .next()
                        .is_some_and(char::is_alphanumeric)
                {
                    continue;
                }
                close = Some((at, at + d.len_utf8()));
                break;
            }
        }
        let (inner_end, end) = close.unwrap_or((p.len(), p.len()));
        out.push((i, end, inner_start, inner_end));
        while iter.peek().is_some_and(|&(k, _)| k < end) {
            iter.next();
        }
    }
    out
}

fn word_count(s: &str) -> usize {
    s.split_whitespace()
        .filter(|w| w.chars().any(char::is_alphanumeric))
        .count()
}

fn has_quote_mark(p: &str) -> bool {
    p.chars().any(|c| opening(c).is_some()) || p.contains("``")
}

/// Quotes of a text.
pub fn found(text: &str, model: &Model, cache: &mut TagCache) -> Vec<Found> {
    let mut out: Vec<Found> = Vec::new();
    for (p_start, p) in paragraphs(text) {
        let segs = if has_quote_mark(p) {
            segments(p)
        } else {
            Vec::new()
        };
        if segs.is_empty() {
            continue;
        }
        let spans = cache.spans(model, p).to_vec();
        let attrs = group(&spans, p);
        let mut pending: Option<(Found, usize)> = None; // a quote and where its segment ended
        for &(s, e, is, ie) in &segs {
            let inner = p[is..ie].trim();
            if word_count(inner) < 3 {
                continue;
            }
            // The tagger knows attributions broader than speech ("was approved"); a quote's
            // cue must be a verb of saying.
            let attr = attrs.iter().find(|a| {
                a.content.start < e
                    && s < a.content.end
                    && a.cue.is_some_and(|c| is_speech(&p[c.start..c.end]))
            });
            let cue_after = cue_near(&p[e..], true);
            let cue_before = cue_near(&p[..s], false);
            let mut cue = attr
                .and_then(|a| a.cue)
                .map(|c| p[c.start..c.end].to_string());
            let mut speaker = attr
                .and_then(|a| a.source)
                .map(|c| p[c.start..c.end].trim().to_string());
            if cue.is_none() {
                cue = cue_after.clone().or(cue_before.clone()).map(|(c, _)| c);
            }
            if speaker.is_none() {
                speaker = cue_after
                    .and_then(|(_, sp)| sp)
                    .or(cue_before.and_then(|(_, sp)| sp));
            }
            // A quote split around its attribution continues the one before it.
            if let Some((prev, prev_e)) = pending.as_mut() {
                let gap = &p[*prev_e..s];
                if gap.len() <= 80
                    && !gap.contains(['!', '?'])
                    && cue_near(gap, true).is_some()
                    && (speaker.is_none() || speaker == prev.speaker || speaker_in(gap, &speaker))
                {
                    let joined = if prev.text.ends_with(',') && gap.trim_end().ends_with('.') {
                        format!("{}. {}", prev.text.trim_end_matches(','), inner)
                    } else {
                        format!("{} {}", prev.text, inner)
                    };
                    prev.text = joined;
                    if prev.speaker.is_none() {
                        prev.speaker = speaker;
                    }
                    if prev.cue.is_none() {
                        prev.cue = cue;
                    }
                    *prev_e = e;
                    continue;
                }
            }
            let paragraph_quote = p[..s].trim().is_empty();
            if cue.is_none() && speaker.is_none() && !(paragraph_quote && word_count(inner) >= 6) {
                continue; // scare quotes, titles of works
            }
            if let Some((q, _)) = pending.take() {
                out.push(q);
            }
            let antecedent = speaker
                .as_deref()
                .filter(|sp| PRONOUNS.contains(&sp.to_lowercase().as_str()))
                .and_then(|_| last_person_before(text, p_start + s));
            pending = Some((
                Found {
                    text: inner.to_string(),
                    speaker,
                    antecedent,
                    cue,
                    start: p_start + s,
                },
                e,
            ));
        }
        if let Some((q, _)) = pending.take() {
            out.push(q);
        }
        for q in out.iter_mut() {
            let t = q.text.trim_end_matches([',', ' ']);
            if t.len() != q.text.len() {
                q.text = t.to_string();
            }
        }
    }
    out
}

fn is_speech(cue: &str) -> bool {
    const MORE: &[&str] = &[
        "saying",
        "telling",
        "adding",
        "writing",
        "asking",
        "quoted",
        "quoting",
        "statement",
        "interview",
        "tweet",
        "responded",
        "repeated",
        "shouted",
        "wrote",
        "reported",
        "describes",
        "described",
        "calling",
        "called",
        "put",
        "suggested",
        "predicted",
        "promised",
        "vowed",
        "cautioned",
        "observed",
        "conceded",
        "pointed",
        "mused",
        "joked",
        "quipped",
        "recounted",
        "testified",
        "reiterated",
        "emphasized",
        "emphasised",
        "agreed",
        "denied",
        "wondered",
    ];
    cue.split(|c: char| !c.is_alphanumeric()).any(|w| {
        let w = w.to_lowercase();
        CUE_WORDS.contains(&w.as_str()) || MORE.contains(&w.as_str())
    })
}

fn speaker_in(gap: &str, speaker: &Option<String>) -> bool {
    speaker.as_deref().is_some_and(|s| gap.contains(s))
}

/// The last person-like name (two words or more, or with an honorific or role) written before
/// `at`, looking back a few paragraphs at most. Only pronoun speakers need it, so it is looked
/// for then rather than tracked through every text.
fn last_person_before(text: &str, at: usize) -> Option<String> {
    let before = &text[..at.min(text.len())];
    for paragraph in before.rsplit('\n').take(6) {
        let found = crate::text::sentences(paragraph)
            .into_iter()
            .flat_map(mentions)
            .rfind(is_person_like);
        if let Some(m) = found {
            return Some(m.name);
        }
    }
    None
}

fn is_person_like(m: &Mention) -> bool {
    m.person || (m.name.split(' ').count() >= 2 && m.name.split(' ').count() <= 4)
}

/// A cue verb within the few words after (or before) a quote, and the speaker beside it:
/// "…,” said Mara Voss" / "…,” Voss said" / "Voss said: “…".
fn cue_near(text: &str, after: bool) -> Option<(String, Option<String>)> {
    let words: Vec<&str> = if after {
        text.split_whitespace().take(7).collect()
    } else {
        let v: Vec<&str> = text.split_whitespace().collect();
        v[v.len().saturating_sub(7)..].to_vec()
    };
    let clean = |w: &str| {
        w.trim_matches(|c: char| !c.is_alphanumeric() && c != '.')
            .trim_end_matches('.')
            .to_string()
    };
    let cue_at = words
        .iter()
        .position(|w| CUE_WORDS.contains(&clean(w).to_lowercase().as_str()))?;
    // A sentence end between the quote and the cue means the cue belongs to another sentence.
    let between: &[&str] = if after {
        &words[..cue_at]
    } else {
        &words[cue_at + 1..]
    };
    if between
        .iter()
        .any(|w| w.ends_with('.') && w.len() > 3 || w.ends_with('!') || w.ends_with('?'))
    {
        return None;
    }
    let cue = clean(words[cue_at]);
    // The speaker: capitalised words (or a pronoun) next to the cue.
    let speaker_words = |range: Box<dyn Iterator<Item = usize>>| {
        let mut got: Vec<String> = Vec::new();
        for k in range {
            let w = clean(words[k]);
            let lw = w.to_lowercase();
            if got.is_empty() && PRONOUNS.contains(&lw.as_str()) {
                return Some(w);
            }
            if w.chars().next().is_some_and(char::is_uppercase) {
                got.push(w);
            } else {
                break;
            }
        }
        (!got.is_empty()).then(|| got.join(" "))
    };
    let before_cue: Vec<usize> = (0..cue_at).rev().collect();
    let after_cue: Vec<usize> = (cue_at + 1..words.len()).collect();
    let speaker = if after {
        speaker_words(Box::new(after_cue.into_iter())).or_else(|| {
            speaker_words(Box::new(before_cue.clone().into_iter())).map(|s| reverse_words(&s))
        })
    } else {
        speaker_words(Box::new(before_cue.into_iter())).map(|s| reverse_words(&s))
    };
    Some((cue, speaker))
}

fn reverse_words(s: &str) -> String {
    let mut v: Vec<&str> = s.split(' ').collect();
    v.reverse();
    v.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn quotes(t: &str) -> Vec<Found> {
        found(t, Model::shipped(), &mut TagCache::default())
    }

    #[test]
    fn a_split_quote_is_one_quote_with_its_speaker() {
        let q = quotes(
            "Mayor Alina Dressler visited the site.\n\n“We will rebuild the bridge,” Dressler said, “and we will do it before winter.”",
        );
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(
            q[0].text,
            "We will rebuild the bridge, and we will do it before winter."
        );
        assert_eq!(q[0].speaker.as_deref(), Some("Dressler"));
        assert_eq!(q[0].cue.as_deref(), Some("said"));
    }

    #[test]
    fn quote_styles_and_pronouns() {
        let q = quotes("Chief engineer Tomas Reyl inspected the dam. \"The spillway held through the night,\" he said.");
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].speaker.as_deref(), Some("he"));
        assert_eq!(q[0].antecedent.as_deref(), Some("Tomas Reyl"));
        let q = quotes("« Nous allons reconstruire le pont », a dit la maire, said Reyl.");
        assert_eq!(q.len(), 1, "{q:?}");
        let q = quotes("Residents called it ‘a very long night indeed’, said Reyl.");
        assert_eq!(q.len(), 1, "{q:?}");
        let q = quotes("`` The gates held all night , '' Reyl said .");
        assert_eq!(q.len(), 1, "{q:?}");
        assert_eq!(q[0].speaker.as_deref(), Some("Reyl"));
    }

    #[test]
    fn scare_quotes_are_not_quotes() {
        assert!(quotes("The so-called “smart gates” were installed in 2019.").is_empty());
        assert!(quotes("The council's \"green corridor plan\" was approved.").is_empty());
    }

    #[test]
    fn unclosed_nested_and_huge_quotes_do_not_panic() {
        let huge = format!("“{}” she said.", "word ".repeat(5000));
        for t in [
            "“never closed, he said and went on",
            "“outer ‘inner words here’ more words,” she said.",
            "\"\"\"\"",
            "“",
            huge.as_str(),
            "ALL CAPS “QUOTE HERE NOW,” SAID SMITH.",
        ] {
            let _ = quotes(t);
        }
        assert_eq!(quotes(&huge).len(), 1);
    }
}
