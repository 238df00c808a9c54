//! The `coverage` stage: what independent sources say about a story.
//!
//! Input: a story's families and articles. Output: [`Coverage`]: the number of independent
//! sources (families, never articles: ten copies of one report are one source), and the quotes,
//! conflicts and consensus summary.
//!
//! This first version counts sources only; quotes with speakers, conflicting facts and the
//! consensus summary are built in the coverage issue, and the report already carries their
//! (for now empty) lists so that readers of the contract need not change.

use serde::{Deserialize, Serialize};

/// A direct quote and who said it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Quote {
    pub text: String,
    pub speaker: Option<String>,
    pub articles: Vec<String>,
    pub independent_sources: usize,
}

/// A value of a conflicting fact and the articles that state it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ConflictValue {
    pub value: String,
    pub articles: Vec<String>,
}

/// The same subject with incompatible values across independent sources.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Conflict {
    pub kind: String,
    pub subject: String,
    pub values: Vec<ConflictValue>,
}

/// A consensus sentence and the families that support it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct SummarySentence {
    pub sentence: String,
    pub support: Vec<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct Coverage {
    pub independent_sources: usize,
    pub quotes: Vec<Quote>,
    pub conflicts: Vec<Conflict>,
    pub summary: Vec<SummarySentence>,
}

/// Coverage of a story from its families.
pub fn cover(families: &[String]) -> Coverage {
    Coverage {
        independent_sources: families.len(),
        ..Default::default()
    }
}
