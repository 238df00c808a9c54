//! The `copies` stage: groups articles into families of copies and names each one's original.
//!
//! Input: articles in arrival order. Output: [`Family`]s, each with its original and every
//! member's relation to it and the evidence for it.
//!
//! This first version knows one relation, `exact`: the same main text once normalised (see
//! [`crate::text::normalize`]), found through a hash index so that each new article joins or
//! founds its family in constant time, without re-reading the corpus. The first article to
//! arrive is the original. Near duplicates, spun copies and rewrites (candidate generation with
//! MinHash/LSH, then sentence alignment as evidence) replace this in the copies issue; the
//! types here are already the report's.

use std::collections::HashMap;

use serde::{Deserialize, Serialize};

use crate::extract::Article;
use crate::text;

/// How a member of a family relates to the family's original.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum Relation {
    Original,
    Exact,
    NearDuplicate,
    Spun,
    Rewrite,
}

impl Relation {
    pub fn as_str(self) -> &'static str {
        match self {
            Relation::Original => "original",
            Relation::Exact => "exact",
            Relation::NearDuplicate => "near_duplicate",
            Relation::Spun => "spun",
            Relation::Rewrite => "rewrite",
        }
    }

    pub fn parse(s: &str) -> Option<Relation> {
        [
            Relation::Original,
            Relation::Exact,
            Relation::NearDuplicate,
            Relation::Spun,
            Relation::Rewrite,
        ]
        .into_iter()
        .find(|r| r.as_str() == s)
    }
}

/// One member of a family.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Member {
    pub article: String,
    pub relation: Relation,
    pub similarity: f64,
    pub evidence: serde_json::Value,
}

/// A family of copies: one report and its republications.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Family {
    pub id: String,
    pub original: String,
    pub members: Vec<Member>,
}

/// A family's id: derived from the article that founded it, so it is stable across runs.
pub fn family_id(founder_article: &str) -> String {
    text::hex_id(text::hash64(
        format!("family\0{founder_article}").as_bytes(),
    ))
}

/// Where an arriving article went.
#[derive(Debug, Clone, PartialEq)]
pub struct Placement {
    pub family: String,
    pub relation: Relation,
    pub founded: bool,
}

/// Families kept incrementally in memory (the store keeps the same index in SQL).
#[derive(Debug, Default)]
pub struct Families {
    by_text: HashMap<u64, usize>,
    families: Vec<Family>,
}

impl Families {
    /// Adds an article: it joins the family of its exact text, or founds one.
    pub fn add(&mut self, article: &Article) -> Placement {
        let hash = article.text_hash();
        if let Some(&i) = self.by_text.get(&hash) {
            let fam = &mut self.families[i];
            fam.members.push(exact_member(&article.id, &fam.original));
            return Placement {
                family: fam.id.clone(),
                relation: Relation::Exact,
                founded: false,
            };
        }
        let id = family_id(&article.id);
        self.by_text.insert(hash, self.families.len());
        self.families.push(Family {
            id: id.clone(),
            original: article.id.clone(),
            members: vec![original_member(&article.id)],
        });
        Placement {
            family: id,
            relation: Relation::Original,
            founded: true,
        }
    }

    pub fn into_families(self) -> Vec<Family> {
        self.families
    }
}

pub fn original_member(article: &str) -> Member {
    Member {
        article: article.to_string(),
        relation: Relation::Original,
        similarity: 1.0,
        evidence: serde_json::json!({ "reason": "first to arrive of its family" }),
    }
}

pub fn exact_member(article: &str, original: &str) -> Member {
    Member {
        article: article.to_string(),
        relation: Relation::Exact,
        similarity: 1.0,
        evidence: serde_json::json!({
            "reason": "same main text as the original once normalised",
            "original": original,
            "similarity": 1.0,
            "containment": 1.0,
        }),
    }
}
