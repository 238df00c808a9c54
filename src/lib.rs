//! storyline: turns a pile or a stream of news pages into stories, and tells which articles are
//! copies of which, which sources are independent, what they agree on and where they differ.
//!
//! The pipeline flows one way, one module per stage, each stage's output type the contract with
//! the next (see DESIGN.md):
//!
//! ```text
//! source ──► extract ──► text ──► copies ──► stories ──► coverage ──► report | store
//! RawPage    Article     (forms)  Family     Story       Coverage
//! ```
//!
//! [`pipeline`] runs the stages over a batch in memory; [`store`] keeps their state in SQLite
//! so that `ingest` can add pages incrementally. The command line ([`cli`]) is one caller.

pub mod cli;
pub mod copies;
pub mod coverage;
pub mod eval;
pub mod extract;
pub mod pipeline;
pub mod report;
pub mod serve;
pub mod source;
pub mod store;
pub mod stories;
pub mod text;

/// A mistake in how the program was called (exit code 2), as opposed to a failure (exit 1).
#[derive(Debug, thiserror::Error)]
#[error("{0}")]
pub struct UsageError(pub String);
