//! Coverage speed: one big story, and coverage beside the rest of the pipeline on a corpus.
//!
//! usage: cargo bench --bench coverage -- ECBPLUS_DIR [CORPUS.jsonl]
//!
//! 1. A 200-article story built from real ECB+ texts, in two shapes:
//!    - `wire`: the articles of the largest ECB+ event as independent sources, and copies of
//!      them (paragraphs dropped, a local line added, a few words swapped) up to 200 articles,
//!      as a story looks when a wire report is republished;
//!    - `independent`: 200 different ECB+ articles as 200 sources, the worst case (nothing is
//!      shared, every paragraph is tagged).
//!
//!    Timed: `coverage::cover` on the story, 15 runs after one warm-up (which loads the tagger's
//!    weights); the median and the least are printed.
//! 2. With CORPUS (JSON lines with `text`, e.g. `copygen --scale 10000`'s corpus): `analyze` on it
//!    (one thread for extraction, as the other stages run on one), then coverage again over
//!    every story of the report, so that its share of the whole is known.

use std::time::{Duration, Instant};

mod common;

// The allocator the binary ships with: coverage allocates many small strings.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;

use serde_json::{json, Value};
use storyline::coverage::{cover, Piece};

fn lines(path: &std::path::Path) -> Vec<Value> {
    std::fs::read_to_string(path)
        .unwrap_or_else(|e| panic!("cannot read {}: {e}", path.display()))
        .lines()
        .filter_map(|l| serde_json::from_str(l).ok())
        .collect()
}

struct Story {
    ids: Vec<String>,
    families: Vec<String>,
    family_of: Vec<String>,
    original: Vec<bool>,
    texts: Vec<String>,
}

impl Story {
    fn pieces(&self) -> Vec<Piece<'_>> {
        (0..self.texts.len())
            .map(|i| Piece {
                article: &self.ids[i],
                family: &self.family_of[i],
                original: self.original[i],
                outlet: None,
                published: Some("2026-11-19"),
                text: &self.texts[i],
            })
            .collect()
    }
}

/// A copy of a text as republished: a paragraph dropped, a line added, some words swapped.
fn copy_of(text: &str, k: usize) -> String {
    let mut paragraphs: Vec<String> = text.split('\n').map(str::to_string).collect();
    if paragraphs.len() > 3 && k.is_multiple_of(3) {
        paragraphs.remove(paragraphs.len() - 1 - k % 2);
    }
    if k % 4 == 1 {
        paragraphs.push(format!("Follow station {k} for more local updates."));
    }
    let swaps = [
        (" said ", " stated "),
        (" officials ", " officers "),
        (" people ", " persons "),
    ];
    let mut out = paragraphs.join("\n");
    if k % 5 == 2 {
        for (a, b) in swaps {
            out = out.replace(a, b);
        }
    }
    out
}

fn time(story: &Story) -> (Duration, Duration, Value) {
    let pieces = story.pieces();
    let warm = cover(&story.families, &pieces);
    let mut runs: Vec<Duration> = (0..15)
        .map(|_| {
            let t = Instant::now();
            let c = cover(&story.families, &pieces);
            let e = t.elapsed();
            std::hint::black_box(c);
            e
        })
        .collect();
    runs.sort();
    let counts = json!({
        "quotes": warm.quotes.len(),
        "conflicts": warm.conflicts.len(),
        "summary": warm.summary.len(),
        "names": warm.names.len(),
        "timeline": warm.timeline.len(),
    });
    (runs[runs.len() / 2], runs[0], counts)
}

fn main() {
    let args = common::args();
    let Some(dir) = args.first() else {
        eprintln!("usage: cargo bench --bench coverage -- ECBPLUS_DIR [CORPUS.jsonl]");
        std::process::exit(2);
    };
    let dir = std::path::Path::new(dir);
    let articles = lines(&dir.join("articles.jsonl"));
    let gold = lines(&dir.join("gold.jsonl"));
    let text_of = |id: &str| {
        articles
            .iter()
            .find(|a| a["id"].as_str() == Some(id))
            .and_then(|a| a["text"].as_str())
            .map(str::to_string)
    };
    // The largest event.
    let mut by_story: std::collections::BTreeMap<&str, Vec<&str>> = Default::default();
    for g in &gold {
        if let (Some(id), Some(s)) = (g["id"].as_str(), g["story"].as_str()) {
            by_story.entry(s).or_default().push(id);
        }
    }
    let (_, largest) = by_story
        .iter()
        .max_by_key(|(s, v)| (v.len(), std::cmp::Reverse(*s)))
        .expect("gold has stories");
    let sources: Vec<String> = largest.iter().filter_map(|id| text_of(id)).collect();

    let mut wire = Story {
        ids: Vec::new(),
        families: Vec::new(),
        family_of: Vec::new(),
        original: Vec::new(),
        texts: Vec::new(),
    };
    for (f, t) in sources.iter().enumerate() {
        wire.families.push(format!("f{f}"));
        wire.ids.push(format!("a{f}"));
        wire.family_of.push(format!("f{f}"));
        wire.original.push(true);
        wire.texts.push(t.clone());
    }
    let mut k = 0;
    while wire.texts.len() < 200 {
        let f = k % sources.len();
        wire.ids.push(format!("c{k}"));
        wire.family_of.push(format!("f{f}"));
        wire.original.push(false);
        wire.texts.push(copy_of(&sources[f], k));
        k += 1;
    }
    let mut independent = Story {
        ids: Vec::new(),
        families: Vec::new(),
        family_of: Vec::new(),
        original: Vec::new(),
        texts: Vec::new(),
    };
    for (i, a) in articles.iter().take(200).enumerate() {
        independent.ids.push(format!("a{i}"));
        independent.families.push(format!("f{i}"));
        independent.family_of.push(format!("f{i}"));
        independent.original.push(true);
        independent
            .texts
            .push(a["text"].as_str().unwrap_or("").to_string());
    }
    for (name, story) in [("wire", &wire), ("independent", &independent)] {
        let (median, least, counts) = time(story);
        let words: usize = story
            .texts
            .iter()
            .map(|t| t.split_whitespace().count())
            .sum();
        println!(
            "{}",
            json!({
                "story": name,
                "articles": story.texts.len(),
                "families": story.families.len(),
                "words": words,
                "median_ms": median.as_secs_f64() * 1e3,
                "least_ms": least.as_secs_f64() * 1e3,
                "found": counts,
            })
        );
    }

    if let Some(corpus) = args.get(1) {
        let options = storyline::pipeline::Options {
            threads: 1,
            ..Default::default()
        };
        let t = Instant::now();
        let report = storyline::pipeline::analyze(
            &[corpus.as_str()],
            options,
            &storyline::pipeline::no_progress,
        );
        let total = t.elapsed();
        let originals: std::collections::HashSet<&str> = report
            .families
            .iter()
            .map(|f| f.original.as_str())
            .collect();
        let t = Instant::now();
        let mut biggest = 0;
        for s in &report.stories {
            let pieces: Vec<Piece> = s
                .articles
                .iter()
                .filter_map(|id| report.article(id))
                .map(|a| Piece {
                    article: &a.id,
                    family: &a.family,
                    original: originals.contains(a.id.as_str()),
                    outlet: a.outlet.as_deref(),
                    published: a.published.as_deref(),
                    text: &a.text,
                })
                .collect();
            biggest = biggest.max(pieces.len());
            std::hint::black_box(cover(&s.families, &pieces));
        }
        let coverage = t.elapsed();
        println!(
            "{}",
            json!({
                "corpus": corpus,
                "articles": report.articles.len(),
                "stories": report.stories.len(),
                "largest_story": biggest,
                "analyze_s": total.as_secs_f64(),
                "coverage_s": coverage.as_secs_f64(),
                "coverage_share": coverage.as_secs_f64() / total.as_secs_f64(),
                "peak_rss_mib": common::proc_status_kib("VmHWM:").unwrap_or(0) / 1024,
            })
        );
    }
}
