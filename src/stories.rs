//! The `stories` stage: assigns each family of copies (as one unit) to a story.
//!
//! Input: families in arrival order. Output: [`Story`]s, each with its families and articles.
//!
//! In this first version each family is its own story: honest output while real online
//! clustering (an inverted index over strong terms and names, TF-IDF, title and time scores,
//! a learned threshold) is built in the stories issue. The types and ids are already final: a
//! story's id derives from the family that opened it.

use serde::{Deserialize, Serialize};

use crate::text;

/// A story: one real-world event and the families that report it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Story {
    pub id: String,
    pub title: Option<String>,
    pub families: Vec<String>,
    pub articles: Vec<String>,
}

pub fn story_id(founder_family: &str) -> String {
    text::hex_id(text::hash64(format!("story\0{founder_family}").as_bytes()))
}

/// The story a family goes to (for now, always the one it opens).
pub fn assign(family: &str) -> String {
    story_id(family)
}
