//! Large synthetic corpora for the copy-detection scaling bench (`copygen --scale N`).
//!
//! Real articles are mutated into new ones: each sentence of a real article keeps its first few
//! words and is continued by a word-bigram chain trained on the real articles, so a generated
//! article has the length, sentence shapes and vocabulary of news but text nobody wrote before
//! (a chain-generated sentence rarely repeats a real one past its opening; articles under 40
//! words and repeated texts are drawn again). About a third of
//! the generated reports are then copied 1-4 times, a few hundred records later in the stream:
//! exact, near-duplicate (trimmed, or with a line added), spun (thesaurus at 10-40%), rewritten.
//! Output: `corpus.jsonl` (id, text, published: in stream order) and `labels.json` (the gold
//! file `storyline eval --task copies` reads, keyed by id).

use std::collections::{BTreeMap, HashMap};
use std::fs;
use std::io::{BufWriter, Write};
use std::path::Path;

use serde_json::{json, Value};

use crate::{rewrite, sentences, spin, Rng};

struct Chain<'a> {
    next: HashMap<&'a str, Vec<&'a str>>,
}

impl<'a> Chain<'a> {
    fn new(texts: &'a [String]) -> Self {
        let mut next: HashMap<&str, Vec<&str>> = HashMap::new();
        for t in texts {
            for line in t.lines() {
                let words: Vec<&str> = line.split(' ').filter(|w| !w.is_empty()).collect();
                for w in words.windows(2) {
                    next.entry(w[0]).or_default().push(w[1]);
                }
            }
        }
        Chain { next }
    }

    /// A sentence that opens like `real` and goes on by the chain.
    fn sentence(&self, real: &str, rng: &mut Rng) -> String {
        let words: Vec<&str> = real.split(' ').filter(|w| !w.is_empty()).collect();
        let keep = (2 + rng.below(3)).min(words.len());
        let mut out: Vec<&str> = words[..keep].to_vec();
        let target = words.len().clamp(8, 45);
        while out.len() < target + 10 {
            let Some(succ) = out.last().and_then(|w| self.next.get(w)) else {
                break;
            };
            let w = *rng.pick(succ);
            out.push(w);
            if (w == "." || w == "?" || w == "!") && out.len() >= target.min(12) {
                break;
            }
        }
        let mut s = out.join(" ");
        if !s.ends_with(['.', '?', '!']) {
            s.push_str(" .");
        }
        s
    }
}

pub fn run(articles: &[Value], n: usize, seed: u64, out: &Path) {
    let texts: Vec<String> = articles
        .iter()
        .filter_map(|a| a["text"].as_str().map(String::from))
        .collect();
    let chain = Chain::new(&texts);
    // Articles of three sentences or more: a chain continuing one or two short sentences says
    // the same few words again and again, and those would be gold "independent" articles that
    // are in fact identical.
    let bases: Vec<Vec<String>> = texts
        .iter()
        .map(|t| t.lines().flat_map(sentences).collect::<Vec<_>>())
        .filter(|s: &Vec<String>| s.len() >= 3)
        .collect();
    let mut seen: std::collections::HashSet<u64> = std::collections::HashSet::new();
    let protected: Vec<&str> = crate::PROTECTED.split_whitespace().collect();
    let mut rng = Rng(seed ^ 0x5CA1E);
    fs::create_dir_all(out).expect("create output folder");
    let mut corpus =
        BufWriter::new(fs::File::create(out.join("corpus.jsonl")).expect("create corpus"));
    let mut labels = serde_json::Map::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    // Copies waiting for their turn: (due at record, id of original, relation, text).
    let mut pending: Vec<(usize, String, &'static str, String)> = Vec::new();
    let start = 1_700_000_000i64;
    let mut written = 0usize;
    let mut originals = 0usize;
    let emit = |id: &str, text: &str, written: &mut usize, corpus: &mut BufWriter<fs::File>| {
        // One record a minute: published order is stream order.
        let when = chrono::DateTime::from_timestamp(start + 60 * *written as i64, 0)
            .map(|d| d.format("%Y-%m-%dT%H:%M:%SZ").to_string());
        let rec = json!({"id": id, "text": text, "published": when});
        writeln!(corpus, "{rec}").expect("write corpus");
        *written += 1;
    };
    while written < n {
        if let Some(pos) = pending.iter().position(|p| p.0 <= written) {
            let (_, orig, kind, text) = pending.swap_remove(pos);
            let id = format!("c{written:08}");
            emit(&id, &text, &mut written, &mut corpus);
            labels.insert(
                id,
                json!({"family": orig, "relation": kind, "original_url": orig}),
            );
            *counts.entry(kind).or_default() += 1;
            continue;
        }
        let base = rng.pick(&bases);
        let sents: Vec<String> = base.iter().map(|s| chain.sentence(s, &mut rng)).collect();
        let words: usize = sents.iter().map(|s| s.split(' ').count()).sum();
        if words < 40 || !seen.insert(storyline::text::hash64(sents.join(" ").as_bytes())) {
            continue;
        }
        // Paragraphs of one to three sentences, as pages have them.
        let mut paras: Vec<String> = Vec::new();
        let mut cur: Vec<String> = Vec::new();
        for s in sents {
            cur.push(s);
            if cur.len() > rng.below(3) {
                paras.push(cur.join(" "));
                cur.clear();
            }
        }
        if !cur.is_empty() {
            paras.push(cur.join(" "));
        }
        let id = format!("o{written:08}");
        let text = paras.join("\n\n");
        emit(&id, &text, &mut written, &mut corpus);
        labels.insert(
            id.clone(),
            json!({"family": id, "relation": "original", "original_url": id}),
        );
        originals += 1;
        if rng.chance(0.35) {
            for _ in 0..1 + rng.below(4) {
                let (kind, copy) = match rng.below(20) {
                    0..=3 => ("exact", text.clone()),
                    4..=10 => {
                        let mut p = paras.clone();
                        if p.len() >= 3 && rng.chance(0.6) {
                            let keep = (p.len() * (5 + rng.below(5)) / 10).max(2);
                            p.truncate(keep);
                        } else {
                            // A station's own line, different from station to station.
                            p.push(format!(
                                "Viewers of channel {} can send news tips to desk {} at any time.",
                                2 + rng.below(60),
                                100 + rng.below(900)
                            ));
                        }
                        ("near_duplicate", p.join("\n\n"))
                    }
                    11..=16 => {
                        let rate = 0.1 + 0.3 * rng.unit();
                        let p: Vec<String> = paras
                            .iter()
                            .map(|x| spin(x, rate, &mut rng, &protected))
                            .collect();
                        ("spun", p.join("\n\n"))
                    }
                    _ => ("rewrite", rewrite(&paras, &mut rng).join("\n\n")),
                };
                let due = written + 1 + rng.below(400);
                pending.push((due, id.clone(), kind, copy));
            }
        }
    }
    corpus.flush().expect("write corpus");
    fs::write(
        out.join("labels.json"),
        serde_json::to_string(&Value::Object(labels)).expect("labels"),
    )
    .expect("write labels");
    counts.insert("original", originals);
    eprintln!(
        "copygen: {written} articles in {}: {}",
        out.join("corpus.jsonl").display(),
        json!(counts)
    );
}
