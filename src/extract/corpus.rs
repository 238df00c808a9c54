//! Lines that repeat across pages: the strongest sign of site chrome in flat text.
//!
//! A menu line, a footer or a newsletter prompt appears on every page of a site, around
//! *different* articles; a paragraph or headline of a syndicated report appears on many pages
//! too, but around the *same* article. So a line counts as chrome only when it appears on pages
//! with at least [`MIN_DISTINCT`] different main texts, each page known by a min-hash of its prose
//! lines (which copies of one article share even when trimmed).
//! Only short lines (at most [`MAX_LINE_BYTES`]) are tracked, which bounds memory; state is a
//! plain map of line hash to up to three page keys, which the store persists for ingest.

use std::collections::HashMap;

use super::flat::{blocks_of, LineStats};
use crate::text;

pub const MIN_DISTINCT: usize = 3;
pub const MAX_LINE_BYTES: usize = 400;

/// Up to three distinct page keys a line was seen with (0 = empty slot).
pub type Keys = [u64; MIN_DISTINCT];

#[derive(Debug, Default, Clone)]
pub struct CorpusLines {
    pub lines: HashMap<u64, Keys>,
}

/// The hash under which a line is tracked.
pub fn line_hash(line: &str) -> u64 {
    text::hash64(text::normalize(line).as_bytes())
}

/// The tracked lines of a page and the page's key.
pub fn page_lines(page_text: &str) -> (u64, Vec<u64>) {
    let blocks = blocks_of(page_text);
    // The key is the least hash of the page's prose lines: a min-hash, so two copies of one
    // article (even one trimmed or edited) most likely share it, and two different articles
    // almost never do. Pages without prose fall back to their longest line.
    let prose_key = blocks
        .iter()
        .filter(|b| b.split_whitespace().count() >= 12)
        .map(|b| line_hash(b))
        .min();
    let key = prose_key
        .or_else(|| blocks.iter().max_by_key(|b| b.len()).map(|b| line_hash(b)))
        .map_or(1, |h| h | 1);
    let mut hashes: Vec<u64> = blocks
        .iter()
        .filter(|b| b.len() <= MAX_LINE_BYTES)
        .map(|b| line_hash(b))
        .collect();
    hashes.sort_unstable();
    hashes.dedup();
    (key, hashes)
}

impl CorpusLines {
    pub fn observe(&mut self, key: u64, hashes: &[u64]) {
        for h in hashes {
            let slots = self.lines.entry(*h).or_insert([0; MIN_DISTINCT]);
            add_key(slots, key);
        }
    }
}

pub fn add_key(slots: &mut Keys, key: u64) -> bool {
    if slots.contains(&key) {
        return false;
    }
    if let Some(s) = slots.iter_mut().find(|s| **s == 0) {
        *s = key;
        return true;
    }
    false
}

impl LineStats for CorpusLines {
    fn is_site_chrome(&self, line: &str) -> bool {
        if line.len() > MAX_LINE_BYTES {
            return false;
        }
        self.lines
            .get(&line_hash(line))
            .is_some_and(|k| k.iter().all(|&s| s != 0))
            && !text::is_provenance_line(line)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn copies_in_other_chrome_or_trimmed_share_their_key() {
        let prose = [
            "The first paragraph of the wire report says what happened in the harbour town today.",
            "The second paragraph adds who said what about the fire and the crews that fought it.",
            "The third paragraph explains what happens next and when the harbour will open again.",
        ];
        let page = |menu: &str, lines: &[&str]| format!("{menu}\nHeadline\n{}", lines.join("\n"));
        let (key, _) = page_lines(&page("Home\nNews", &prose));
        assert_eq!(page_lines(&page("Menu\nSport\nWeather", &prose)).0, key);
        // Drop a paragraph that does not hold the least hash: the trimmed copy keeps the key.
        let least = prose.iter().min_by_key(|l| line_hash(l)).unwrap();
        let dropped = prose.iter().find(|l| *l != least).unwrap();
        let trimmed: Vec<&str> = prose.iter().copied().filter(|l| l != dropped).collect();
        assert_eq!(trimmed.len(), 2);
        assert_eq!(page_lines(&page("Home", &trimmed)).0, key);
        let other = page("Home\nNews", &["A completely different article about a football match between two teams on Saturday evening."]);
        assert_ne!(page_lines(&other).0, key);
    }

    #[test]
    fn chrome_needs_three_different_articles_not_three_copies() {
        let mut c = CorpusLines::default();
        let menu = "Home\nNews\nSport";
        for body in [
            "First story about a fire in the harbour.",
            "Second story about a flood.",
            "Third story about an election.",
        ] {
            let (k, h) = page_lines(&format!("{menu}\n{body}"));
            c.observe(k, &h);
        }
        let copy = "Shared Headline\nA wire story republished by many stations, word for word.";
        for _ in 0..5 {
            let (k, h) = page_lines(copy);
            c.observe(k, &h);
        }
        assert!(c.is_site_chrome("News"));
        assert!(!c.is_site_chrome("Shared Headline"));
        assert!(!c.is_site_chrome("Something never seen"));
    }
}
