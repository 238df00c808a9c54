//! The report: the contract (version 1, see DESIGN.md) that `analyze` and `show` print, and its
//! renderings for people ([`text`], [`html`]).
//!
//! Input: articles, families and stories from the pipeline or the store. Output: one JSON object
//! whose field names other tools and our evaluations read; they change only with a version bump.
//! Fields beyond the contract (`url`, `removed`, `notes`, time spans, `warnings`) are additions.

pub mod compare;
pub mod html;
pub mod text;

use serde::{Deserialize, Serialize};

use crate::copies::{Family, Member};
use crate::coverage::{
    Conflict, NameEntry, OnlyIn, Quote, SourceEntry, SummarySentence, TimelineEntry,
};
use crate::extract::{Article, Removed};
use crate::source::InputError;

pub const VERSION: u32 = 1;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct Report {
    pub version: u32,
    pub articles: Vec<ReportArticle>,
    pub families: Vec<Family>,
    pub stories: Vec<ReportStory>,
    pub errors: Vec<InputError>,
    /// Files in the folders read that are not pages (`README.md`, `labels.json`): passed over.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub skipped: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportArticle {
    pub id: String,
    pub origin: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub url: Option<String>,
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub language: Option<String>,
    pub text: String,
    pub family: String,
    pub story: String,
    #[serde(default)]
    pub removed: Vec<Removed>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
}

impl ReportArticle {
    pub fn new(a: &Article, family: &str, story: &str) -> Self {
        ReportArticle {
            id: a.id.clone(),
            origin: a.origin.clone(),
            url: a.url.clone(),
            title: a.title.clone(),
            authors: a.authors.clone(),
            outlet: a.outlet.clone(),
            published: a.published.clone(),
            language: a.language.clone(),
            text: a.text(),
            family: family.to_string(),
            story: story.to_string(),
            removed: a.removed.clone(),
            notes: a.notes.clone(),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ReportStory {
    pub id: String,
    pub title: Option<String>,
    pub articles: Vec<String>,
    pub families: Vec<String>,
    pub independent_sources: usize,
    /// Families left out of the sources' counts: they disclose they were generated from other
    /// articles.
    #[serde(default, skip_serializing_if = "is_zero")]
    pub synthetic_sources: usize,
    /// Earliest and latest publication dates of its articles, where known.
    #[serde(default)]
    pub first_published: Option<String>,
    #[serde(default)]
    pub last_published: Option<String>,
    /// Key names of the story (people, places, organisations as written), most mentioned
    /// first.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub key_names: Vec<String>,
    /// The independent sources: each family with its original, outlet and copies.
    #[serde(default)]
    pub sources: Vec<SourceEntry>,
    pub quotes: Vec<Quote>,
    /// People and other names, with roles and spellings, most widely reported first.
    #[serde(default)]
    pub names: Vec<NameEntry>,
    pub conflicts: Vec<Conflict>,
    pub summary: Vec<SummarySentence>,
    /// Facts only one independent source reports.
    #[serde(default)]
    pub only_in: Vec<OnlyIn>,
    /// Dated statements, resolved against publication dates where known.
    #[serde(default)]
    pub timeline: Vec<TimelineEntry>,
}

impl Report {
    pub fn article(&self, id: &str) -> Option<&ReportArticle> {
        self.articles.iter().find(|a| a.id == id)
    }

    pub fn family(&self, id: &str) -> Option<&Family> {
        self.families.iter().find(|f| f.id == id)
    }
}

/// One article as `article` shows it: the article, its record in its family, and the
/// family's original when the article is a copy (what the copy is read against).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ArticleView {
    #[serde(flatten)]
    pub article: ReportArticle,
    pub member: Member,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub original: Option<ReportArticle>,
}

fn is_zero(n: &usize) -> bool {
    *n == 0
}
