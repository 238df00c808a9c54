//! Background document frequencies: how many of 1,654 general English web texts hold each
//! term, so that the IDF of a stream means something from its first article.
//!
//! Why: the IDF counts units as they arrive. Early in a stream (a small folder passed to
//! `analyze`, or the first hour of a feed) every unit of the first story holds that story's
//! words, so the words they share weigh nothing and the story's own articles open stories of
//! their own: on ECB+ test alone, in date order, fifteen reports of one acquisition opened
//! twelve stories. Starting the counts from a background fixes that, and weighs words common in
//! any text ("help", "work", "include") low before the stream has shown it.
//!
//! Input: `background.tsv`, written by `tools/background_df.rs`: the number of texts on the
//! first line, then `term<TAB>texts` for each term held by at least three of them, terms as
//! [`super::body_terms`] gives them (lower-cased, plural `s` dropped, no stop words). Output:
//! the table by term hash, read once.
//!
//! Provenance and licences of the texts counted (only the counts are kept, no text):
//! - the gold article texts of the WCXB v1.0 dev split (1,497 pages of seven kinds), by
//!   Murrough Foley, CC BY 4.0
//!   (github.com/Murrough-Foley/web-content-extraction-benchmark);
//! - the gold texts of Zyte's article-extraction-benchmark (181 pages), MIT, Copyright (c)
//!   2020 Scrapinghub.
//!
//! Texts shorter than 200 bytes are not counted.

use std::sync::LazyLock;

use crate::text::{self, FastMap};

/// The texts counted, and for each term (by [`text::hash64`] of the term) how many hold it.
pub struct Background {
    pub texts: u32,
    pub df: FastMap<u64, u32>,
}

const TABLE: &str = include_str!("background.tsv");

/// The background table (parsed on first use; a malformed line is skipped).
pub fn background() -> &'static Background {
    static BG: LazyLock<Background> = LazyLock::new(|| parse(TABLE));
    &BG
}

fn parse(t: &str) -> Background {
    let mut lines = t.lines();
    let texts = lines
        .next()
        .and_then(|l| l.trim().parse().ok())
        .unwrap_or(0);
    let df = lines
        .filter_map(|l| {
            let (w, n) = l.split_once('\t')?;
            Some((text::hash64(w.as_bytes()), n.trim().parse().ok()?))
        })
        .collect();
    Background { texts, df }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_table_holds_terms_as_the_stage_reads_them() {
        let bg = background();
        assert_eq!(bg.texts, 1654);
        assert!(bg.df.len() > 15_000);
        let df = |w: &str| bg.df.get(&text::hash64(w.as_bytes())).copied();
        // Terms are stored as the stories stage reads them: "officials" is "official".
        assert!(df("help").unwrap() > 500);
        assert!(df("official").is_some());
        assert!(df("officials").is_none());
        // Stop words are never counted: the stage drops them before weighing.
        assert!(df("the").is_none());
        assert!(df("earthquake").unwrap_or(0) < 20);
    }

    #[test]
    fn malformed_lines_are_skipped() {
        let bg = parse("10\nquake\t3\nno tab here\nstorm\tmany\n\nflood\t2\n");
        assert_eq!(bg.texts, 10);
        assert_eq!(bg.df.len(), 2);
        assert_eq!(parse("").texts, 0);
    }
}
