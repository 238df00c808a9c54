//! A copy read against its original, word by word, for `show` and `article`.
//!
//! Input: a copy's member record (its evidence holds the aligned sentence pairs, the sentences
//! it added and dropped). Output: [`Comparison`], one row per aligned pair as pieces that are
//! the same, swapped (the original's words and the copy's in their place), added or dropped;
//! then the sentences only one side has. The text and HTML renderers colour or mark the pieces.
//! Words are compared case-insensitively with a Myers diff (the `similar` crate); the alignment
//! itself was done by the copies stage, this only shows it.

use serde_json::Value;
use similar::{capture_diff_slices, Algorithm, DiffTag};

/// A run of words in a copy's sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Piece {
    Same(String),
    /// The original's words, and the copy's in their place.
    Swap(String, String),
    /// Words only the copy has.
    Added(String),
    /// Words only the original has.
    Dropped(String),
}

/// One aligned sentence pair, as pieces of the copy's sentence.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    pub pieces: Vec<Piece>,
    /// Whether the pair keeps the original's order.
    pub in_order: bool,
}

/// A copy against its original.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Comparison {
    pub rows: Vec<Row>,
    /// Sentences only the copy has.
    pub added: Vec<String>,
    /// Sentences of the original the copy left out.
    pub dropped: Vec<String>,
    /// The swapped-word table, as the copies stage counted it: (original, copy, times).
    pub swaps: Vec<(String, String, u64)>,
}

impl Comparison {
    /// Swapped pieces over all rows.
    pub fn swap_count(&self) -> usize {
        self.rows
            .iter()
            .flat_map(|r| &r.pieces)
            .filter(|p| matches!(p, Piece::Swap(..)))
            .count()
    }
}

/// Reads a member's evidence; `None` when it holds no aligned pairs (an original, an exact copy,
/// or a record from before evidence was kept).
pub fn from_evidence(evidence: &Value) -> Option<Comparison> {
    let aligned = evidence.get("aligned")?.as_array()?;
    if aligned.is_empty() {
        return None;
    }
    let strings = |key: &str| -> Vec<String> {
        evidence
            .get(key)
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(|v| v.as_str().map(String::from))
            .collect()
    };
    let rows = aligned
        .iter()
        .map(|p| {
            let s = |k: &str| p.get(k).and_then(Value::as_str).unwrap_or("");
            Row {
                pieces: diff_words(s("original"), s("copy")),
                in_order: p.get("in_order").and_then(Value::as_bool).unwrap_or(true),
            }
        })
        .collect();
    let swaps = evidence
        .get("swapped_words")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|s| {
            let s = s.as_array()?;
            Some((
                s.first()?.as_str()?.to_string(),
                s.get(1)?.as_str()?.to_string(),
                s.get(2).and_then(Value::as_u64).unwrap_or(1),
            ))
        })
        .collect();
    Some(Comparison {
        rows,
        added: strings("added"),
        dropped: strings("dropped"),
        swaps,
    })
}

/// The copy's sentence as pieces against the original's.
pub fn diff_words(original: &str, copy: &str) -> Vec<Piece> {
    let a: Vec<&str> = original.split_whitespace().collect();
    let b: Vec<&str> = copy.split_whitespace().collect();
    let la: Vec<String> = a.iter().map(|w| w.to_lowercase()).collect();
    let lb: Vec<String> = b.iter().map(|w| w.to_lowercase()).collect();
    // The diff's operations are maximal runs, and a delete next to an insert comes as one
    // replace: each is one piece.
    capture_diff_slices(Algorithm::Myers, &la, &lb)
        .into_iter()
        .map(|op| {
            let (tag, ra, rb) = op.as_tag_tuple();
            let (wa, wb) = (a[ra].join(" "), b[rb].join(" "));
            match tag {
                DiffTag::Equal => Piece::Same(wb),
                DiffTag::Replace => Piece::Swap(wa, wb),
                DiffTag::Insert => Piece::Added(wb),
                DiffTag::Delete => Piece::Dropped(wa),
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn swaps_are_the_words_put_in_place_of_others() {
        let p = diff_words(
            "Officials in the eastern province said the bridge would reopen.",
            "Officers in the japanese province stated the bridge would reopen soon.",
        );
        assert_eq!(
            p,
            [
                Piece::Swap("Officials".into(), "Officers".into()),
                Piece::Same("in the".into()),
                Piece::Swap("eastern".into(), "japanese".into()),
                Piece::Same("province".into()),
                Piece::Swap("said".into(), "stated".into()),
                Piece::Same("the bridge would".into()),
                Piece::Swap("reopen.".into(), "reopen soon.".into()),
            ]
        );
    }

    #[test]
    fn case_alone_is_not_a_change_and_empty_sides_are_pieces() {
        assert_eq!(
            diff_words("THE BRIDGE", "The bridge"),
            [Piece::Same("The bridge".into())]
        );
        assert_eq!(
            diff_words("", "new words"),
            [Piece::Added("new words".into())]
        );
        assert_eq!(
            diff_words("old words", ""),
            [Piece::Dropped("old words".into())]
        );
    }

    #[test]
    fn evidence_is_read_and_odd_records_are_tolerated() {
        let ev = serde_json::json!({
            "aligned": [{"original": "The mayor said so.", "copy": "The mayor stated so.", "in_order": true}],
            "added": ["A local line."],
            "dropped": [],
            "swapped_words": [["said", "stated", 1], ["bad"], 7],
        });
        let c = from_evidence(&ev).unwrap();
        assert_eq!(c.swap_count(), 1);
        assert_eq!(c.added, ["A local line."]);
        assert_eq!(c.swaps, [("said".to_string(), "stated".to_string(), 1)]);
        assert!(from_evidence(&serde_json::json!({})).is_none());
        assert!(from_evidence(&serde_json::json!({"aligned": "x"})).is_none());
    }
}
