//! Writes the background document frequencies the stories stage starts its IDF from
//! (`src/stories/background.tsv`, see `src/stories/background.rs` for why and for the
//! provenance of the texts counted).
//!
//! usage: cargo run --release --example background_df -- TEXTS.jsonl [TEXTS.jsonl ...] \
//!            > src/stories/background.tsv
//!
//! Each input line is a JSON object with a `text`; texts shorter than 200 bytes are skipped
//! (listing stubs say nothing of how often a word is used), as are lines that are not JSON.
//! Output: the number of texts counted, then `term<TAB>texts` for each term held by at least
//! three texts (rarer terms weigh as unseen ones do), most common first, ties by term.
//! The shipped table: `../shared/data/extraction/wcxb-dev/gold.jsonl` and
//! `../shared/data/extraction/aeb/gold.jsonl`, in that order.

use std::collections::HashMap;

const MIN_TEXT_BYTES: usize = 200;
const MIN_TEXTS: u32 = 3;

fn main() {
    let paths: Vec<String> = std::env::args().skip(1).collect();
    if paths.is_empty() {
        eprintln!("usage: background_df TEXTS.jsonl [TEXTS.jsonl ...] > background.tsv");
        std::process::exit(2);
    }
    let mut df: HashMap<String, u32> = HashMap::new();
    let mut texts = 0u32;
    for p in &paths {
        let data = std::fs::read_to_string(p).unwrap_or_else(|e| {
            eprintln!("background_df: cannot read {p}: {e}");
            std::process::exit(1);
        });
        for (i, line) in data.lines().enumerate() {
            let Ok(v) = serde_json::from_str::<serde_json::Value>(line) else {
                eprintln!("background_df: {p}:{}: not JSON, skipped", i + 1);
                continue;
            };
            let Some(t) = v["text"].as_str().filter(|t| t.len() >= MIN_TEXT_BYTES) else {
                continue;
            };
            texts += 1;
            for term in storyline::stories::body_terms(t) {
                *df.entry(term).or_default() += 1;
            }
        }
    }
    let mut rows: Vec<(String, u32)> = df.into_iter().filter(|x| x.1 >= MIN_TEXTS).collect();
    rows.sort_by(|a, b| b.1.cmp(&a.1).then_with(|| a.0.cmp(&b.0)));
    println!("{texts}");
    for (term, n) in rows {
        println!("{term}\t{n}");
    }
}
