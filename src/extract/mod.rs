//! The `extract` stage: from a [`RawPage`] to an [`Article`].
//!
//! Input: a page's bytes, media type and any metadata its record carried. Output: the article's
//! main text as paragraphs, its title, authors, outlet, publication time and language, and the
//! list of what was cut and why (`removed`).
//!
//! HTML goes through [`html`] (the `trafilatura` crate for the body, the page's JSON-LD and meta
//! tags for metadata); text goes through [`flat`], our own line classifier. Metadata that a
//! record brought with it (a JSON lines `title`, `published`, ...) wins over anything found.
//! Language comes from `whatlang` on the main text.

pub mod byline;
pub mod corpus;
pub use corpus::CorpusLines;
pub mod budget;
mod chrome;
pub mod date;
pub mod decode;
pub mod flat;
pub mod html;
mod stopwords;

use serde::{Deserialize, Serialize};

use crate::source::{MediaType, RawPage};
use crate::text;
pub use flat::{LineStats, NoStats};

/// A piece of the page that is not article text, and why.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Removed {
    pub text: String,
    pub reason: String,
}

/// What a page yields before identity is given: the article's parts, from either reader (HTML
/// or flat text).
#[derive(Debug, Default)]
pub struct Found {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    pub language: Option<String>,
    pub paragraphs: Vec<String>,
    pub removed: Vec<Removed>,
    /// What the reader changed to keep the page within its budget.
    pub notes: Vec<String>,
}

/// One article as extracted: the contract between `extract` and every later stage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Article {
    pub id: String,
    pub origin: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub outlet: Option<String>,
    /// `YYYY-MM-DD`, or RFC 3339 when the page gave a time with its zone.
    pub published: Option<String>,
    /// ISO 639-1 where one exists, else ISO 639-3.
    pub language: Option<String>,
    pub paragraphs: Vec<String>,
    pub removed: Vec<Removed>,
    /// Things a reader of this article should know about how it was read (a cut page, a guessed
    /// encoding).
    pub notes: Vec<String>,
    /// The hash of the normalised main text, which exact duplicates share (computed once here,
    /// since normalising a long text is not free).
    #[serde(default)]
    pub text_hash: u64,
}

impl Article {
    /// The main text: paragraphs separated by blank lines.
    pub fn text(&self) -> String {
        self.paragraphs.join("\n\n")
    }

    /// The hash that exact duplicates share.
    pub fn text_hash(&self) -> u64 {
        self.text_hash
    }
}

/// Why a page yielded no article.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ExtractError {
    #[error("no article text found in the page ({0})")]
    NoText(&'static str),
    #[error("the page is not readable text in any encoding ({0} of {1} characters undecodable)")]
    Undecodable(usize, usize),
}

/// Extracts the article from one page.
pub fn extract(page: &RawPage, stats: &dyn LineStats) -> Result<Article, ExtractError> {
    let is_html = page.media == MediaType::Html;
    let decoded = decode::decode(&page.bytes, is_html);
    let chars = decoded.text.chars().count();
    if decoded.replacements * 10 > chars.max(1) {
        return Err(ExtractError::Undecodable(decoded.replacements, chars));
    }
    let mut notes = Vec::new();
    if let Some(n) = page.cut_at {
        notes.push(format!(
            "page longer than the read cap: only its first {n} bytes were read"
        ));
    }
    if decoded.replacements > 0 {
        notes.push(format!(
            "{} undecodable byte sequences in {} replaced with U+FFFD",
            decoded.replacements, decoded.encoding
        ));
    }

    if decoded.guessed {
        notes.push(format!(
            "not UTF-8 and no charset declared: read as {}, the likeliest encoding",
            decoded.encoding
        ));
    }
    let (page_text, controls) = text::strip_controls(&decoded.text);
    if controls > 0 {
        notes.push(format!(
            "{controls} control characters (ESC, BEL, ...) removed from the page"
        ));
    }
    let mut found = if is_html {
        html::extract(&page_text, stats)
    } else {
        let page_text = match cut_text(&page_text, budget::MAX_TEXT_BYTES) {
            Some(cut) => {
                notes.push(format!(
                    "text cut at byte {} of {}: more than {} KiB of text, more than an article has",
                    cut.len(),
                    page_text.len(),
                    budget::MAX_TEXT_BYTES / 1024
                ));
                cut
            }
            None => &page_text,
        };
        let blocks = flat::blocks_of(page_text);
        let lang_hint = guess_language(&blocks.join("\n"));
        flat::extract_blocks(blocks, lang_hint.as_deref(), stats, flat::Mode::Page)
    };
    notes.append(&mut found.notes);
    if found.paragraphs.iter().all(|p| p.trim().is_empty()) {
        let why = if is_html {
            "the page has no main text block"
        } else {
            "every line is page chrome"
        };
        return Err(ExtractError::NoText(why));
    }

    let given = &page.given;
    let clean = |s: &str| text::strip_controls(s.trim()).0.trim().to_string();
    if let Some(t) = &given.title {
        found.title = Some(clean(t));
    }
    if !given.authors.is_empty() {
        found.authors = given
            .authors
            .iter()
            .flat_map(|a| byline::split_authors(&clean(a), given.outlet.as_deref()).authors)
            .collect();
    }
    if let Some(o) = &given.outlet {
        found.outlet = Some(clean(o));
    }
    if let Some(p) = &given.published {
        match date::parse_date(p) {
            Some(d) => found.published = Some(d),
            None => notes.push(format!("`published` value {p:?} is not a date: ignored")),
        }
    }
    if given.url.is_some() {
        found.url = given.url.clone();
    }

    if let Some(t) = &found.title {
        if let Some(cut) = shortened(t, MAX_TITLE_CHARS) {
            notes.push(format!(
                "title of {} characters cut to {MAX_TITLE_CHARS}",
                t.chars().count()
            ));
            found.title = Some(cut);
        }
    }

    let main_text = found.paragraphs.join("\n\n");
    let normalized = text::normalize(&main_text);
    let language = found.language.or_else(|| detect_language(&main_text));
    Ok(Article {
        id: text::article_id(&page.origin, &normalized),
        text_hash: text::hash64(normalized.as_bytes()),
        origin: page.origin.clone(),
        url: found.url,
        title: found.title,
        authors: found.authors,
        outlet: found.outlet,
        published: found.published,
        language,
        paragraphs: found.paragraphs,
        removed: found.removed,
        notes,
    })
}

/// The text cut to at most `max` bytes at a line's end (or a character's, for a text without
/// line breaks there); `None` when it is short enough.
fn cut_text(text: &str, max: usize) -> Option<&str> {
    if text.len() <= max {
        return None;
    }
    let mut end = max;
    while !text.is_char_boundary(end) {
        end -= 1;
    }
    let head = &text[..end];
    Some(match head.rfind('\n') {
        Some(i) if i > max / 2 => &head[..i],
        _ => head,
    })
}

/// Whether a note on an article says the page was not read whole (past the read cap or the
/// per-page budget), which a run reports beside its errors.
pub fn is_cut_note(note: &str) -> bool {
    note.starts_with("page ") || note.starts_with("text cut") || note.contains("attributes dropped")
}

/// Longer than any headline: a longer "title" is a page's text taken for one.
const MAX_TITLE_CHARS: usize = 300;

/// The text cut to at most `max` characters at a word's end, with an ellipsis; `None` when it
/// is short enough already.
pub fn shortened(text: &str, max: usize) -> Option<String> {
    if text.chars().count() <= max {
        return None;
    }
    let budget = max.saturating_sub(1);
    let end = text
        .char_indices()
        .nth(budget)
        .map_or(text.len(), |(i, _)| i);
    let head = &text[..end];
    // Back to the last space when the cut falls inside a word (unless the word is most of it).
    let head = match head.rfind(char::is_whitespace) {
        Some(i) if i > budget / 2 && !text[end..].starts_with(char::is_whitespace) => &head[..i],
        _ => head,
    };
    Some(format!("{}…", head.trim_end()))
}

/// Characters of text enough to tell a language reliably; more only costs time.
const LANGUAGE_SAMPLE: usize = 1_500;

/// A first guess of the text's language (ISO 639-3), to pick stopwords.
pub fn guess_language(text: &str) -> Option<String> {
    let sample: String = text.chars().take(LANGUAGE_SAMPLE).collect();
    whatlang::detect(&sample).map(|i| i.lang().code().to_string())
}

/// The article's language, when the text is long enough to tell.
pub(crate) fn detect_language(text: &str) -> Option<String> {
    let sample: String = text.chars().take(LANGUAGE_SAMPLE).collect();
    let info = whatlang::detect(&sample)?;
    if sample.split_whitespace().count() < 5 || (!info.is_reliable() && info.confidence() < 0.5) {
        return None;
    }
    Some(
        iso639_1(info.lang().code())
            .unwrap_or(info.lang().code())
            .to_string(),
    )
}

fn iso639_1(code3: &str) -> Option<&'static str> {
    const MAP: &[(&str, &str)] = &[
        ("eng", "en"),
        ("spa", "es"),
        ("fra", "fr"),
        ("deu", "de"),
        ("ita", "it"),
        ("por", "pt"),
        ("nld", "nl"),
        ("rus", "ru"),
        ("ukr", "uk"),
        ("pol", "pl"),
        ("tur", "tr"),
        ("ara", "ar"),
        ("cmn", "zh"),
        ("jpn", "ja"),
        ("kor", "ko"),
        ("hin", "hi"),
        ("swe", "sv"),
        ("dan", "da"),
        ("nob", "nb"),
        ("fin", "fi"),
        ("ell", "el"),
        ("ces", "cs"),
        ("hun", "hu"),
        ("ron", "ro"),
        ("bul", "bg"),
        ("heb", "he"),
        ("pes", "fa"),
        ("urd", "ur"),
        ("ben", "bn"),
        ("tam", "ta"),
        ("vie", "vi"),
        ("tha", "th"),
        ("ind", "id"),
        ("hrv", "hr"),
        ("srp", "sr"),
        ("slk", "sk"),
        ("slv", "sl"),
        ("lit", "lt"),
        ("lav", "lv"),
        ("est", "et"),
        ("cat", "ca"),
        ("bel", "be"),
        ("kat", "ka"),
        ("hye", "hy"),
        ("aze", "az"),
        ("kaz", "kk"),
        ("uzb", "uz"),
        ("afr", "af"),
        ("epo", "eo"),
        ("lat", "la"),
        ("tgl", "tl"),
        ("swa", "sw"),
        ("zul", "zu"),
        ("mar", "mr"),
        ("guj", "gu"),
        ("pan", "pa"),
        ("tel", "te"),
        ("kan", "kn"),
        ("mal", "ml"),
        ("nep", "ne"),
        ("sin", "si"),
        ("mya", "my"),
        ("khm", "km"),
        ("amh", "am"),
        ("yid", "yi"),
    ];
    MAP.iter().find(|(c, _)| *c == code3).map(|(_, c)| *c)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::source::GivenMeta;

    fn page(media: MediaType, body: &str) -> RawPage {
        RawPage {
            origin: "t".into(),
            media,
            bytes: body.as_bytes().to_vec(),
            cut_at: None,
            given: GivenMeta::default(),
            file: None,
        }
    }

    #[test]
    fn a_text_in_a_guessed_encoding_says_so() {
        let mut p = page(MediaType::Text, "");
        p.bytes = b"Caf\xe9 owners in Valemont said on Monday that the harbour fire had kept customers away for a week.\n".to_vec();
        let a = extract(&p, &NoStats).unwrap();
        assert!(a.text().starts_with("Café owners"));
        assert!(
            a.notes
                .iter()
                .any(|n| n.contains("not UTF-8") && n.contains("windows-1252")),
            "{:?}",
            a.notes
        );
        let utf8 = extract(&page(MediaType::Text, "Café owners in Valemont said on Monday that the harbour fire had kept customers away."), &NoStats).unwrap();
        assert!(utf8.notes.is_empty(), "{:?}", utf8.notes);
    }

    #[test]
    fn long_titles_and_texts_are_cut_where_a_reader_expects() {
        assert_eq!(shortened("Quay wall", 80), None);
        assert_eq!(
            shortened("Quay Street sea wall closed", 20).as_deref(),
            Some("Quay Street sea…")
        );
        assert_eq!(
            shortened("Quaystreetseawall", 10).as_deref(),
            Some("Quaystree…")
        );
        assert_eq!(shortened("ééééé", 3).as_deref(), Some("éé…"));
        assert_eq!(cut_text("line one\nline two\n", 12), Some("line one"));
        assert_eq!(cut_text("short", 12), None);
        assert_eq!(cut_text("ééé", 3), Some("é"));
        let title = format!("<h1>{}</h1>", "word ".repeat(100));
        let page = page(
            MediaType::Html,
            &format!("<html><head><title>{}</title></head><body><article><p>The harbour board said on Monday that the Quay Street sea wall will reopen to walkers in the spring.</p></article></body></html>{title}", "Long ".repeat(100)),
        );
        let a = extract(&page, &NoStats).unwrap();
        let t = a.title.unwrap();
        assert!(
            t.chars().count() <= MAX_TITLE_CHARS && t.ends_with('…'),
            "{t}"
        );
        assert!(
            a.notes.iter().any(|n| n.contains("title of")),
            "{:?}",
            a.notes
        );
    }

    #[test]
    fn given_metadata_wins_and_bad_dates_are_noted() {
        let mut p = page(MediaType::Text, "The river rose by two metres overnight and the old bridge was closed to traffic, officials said.");
        p.given = GivenMeta {
            title: Some("River rises".into()),
            published: Some("last week".into()),
            ..Default::default()
        };
        let a = extract(&p, &NoStats).unwrap();
        assert_eq!(a.title.as_deref(), Some("River rises"));
        assert_eq!(a.published, None);
        assert!(a.notes[0].contains("not a date"));
        assert_eq!(a.language.as_deref(), Some("en"));
    }

    #[test]
    fn pages_without_text_are_errors() {
        assert!(matches!(
            extract(
                &page(MediaType::Html, "<html><body><nav>Menu</nav></body></html>"),
                &NoStats
            ),
            Err(ExtractError::NoText(_))
        ));
        assert!(matches!(
            extract(
                &page(MediaType::Text, "Menu\nHome\nSkip to content"),
                &NoStats
            ),
            Err(ExtractError::NoText(_))
        ));
    }
}
