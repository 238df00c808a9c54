//! Copy detection at scale: streams a corpus through the copies engine with texts kept on disk,
//! as a long-running ingest would, and reports time, memory and quality as one JSON line.
//!
//! usage: cargo bench --bench copies -- CORPUS.jsonl [LABELS.json]
//!
//! CORPUS holds `{id, text, published}` records in stream order (`copygen --scale N` writes
//! them). Timed: the engine's own work (word-pair counting, candidate generation, verification
//! by alignment, choosing originals, evidence), not reading and parsing the JSON. Memory: the
//! process's resident set before the engine starts and at its peak, read from /proc (Linux);
//! what the engine holds per article is the difference over the article count. The fluency
//! sketch is a fixed 4 MiB whatever the corpus, reported apart. With LABELS, pair precision and
//! recall of same-family pairs and recall per relation, as `storyline eval --task copies`.

use std::collections::HashMap;
use std::io::{BufRead, BufReader};
use std::time::{Duration, Instant};

mod common;

use common::proc_status_kib;
use serde_json::{json, Value};
use storyline::copies::{Engine, FileTexts, Meta};
use storyline::text::hash64;

fn records(path: &str, mut f: impl FnMut(&str, &str, Option<&str>)) {
    let file = std::fs::File::open(path).unwrap_or_else(|e| panic!("cannot open {path}: {e}"));
    for line in BufReader::with_capacity(1 << 20, file).lines() {
        let Ok(line) = line else { continue };
        let Ok(v) = serde_json::from_str::<Value>(&line) else {
            continue;
        };
        let (Some(id), Some(text)) = (v["id"].as_str(), v["text"].as_str()) else {
            continue;
        };
        f(id, text, v["published"].as_str());
    }
}

fn pairs(n: u64) -> u64 {
    n * n.saturating_sub(1) / 2
}

fn main() {
    let args = common::args();
    let Some(corpus) = args.first() else {
        eprintln!("usage: cargo bench --bench copies -- CORPUS.jsonl [LABELS.json]");
        std::process::exit(2);
    };
    let texts_path =
        std::env::temp_dir().join(format!("storyline-bench-{}.texts", std::process::id()));
    let rss_before = proc_status_kib("VmRSS:").unwrap_or(0);
    let mut engine = Engine::new(FileTexts::create(&texts_path).expect("create the texts file"));

    let mut busy = Duration::ZERO;
    records(corpus, |_, text, _| {
        let t = Instant::now();
        engine.observe(text);
        busy += t.elapsed();
    });
    let observe = busy;

    // Family per article, from the engine's updates (drained as they come, as a store would).
    // Ids are kept as hashes: the bench's own bookkeeping counts in the resident set too.
    let mut ids: Vec<u64> = Vec::new();
    let mut family_of: Vec<u32> = Vec::new();
    let mut family_ids: HashMap<u64, u32> = HashMap::new();
    let mut apply = |engine: &mut Engine<FileTexts>, family_of: &mut Vec<u32>| {
        for u in engine.take_updates() {
            let next = family_ids.len() as u32;
            let f = *family_ids
                .entry(hash64(u.family.as_bytes()))
                .or_insert(next);
            let slot = u.slot as usize;
            if family_of.len() <= slot {
                family_of.resize(slot + 1, u32::MAX);
            }
            family_of[slot] = f;
        }
    };
    let mut latencies: Vec<u32> = Vec::new();
    records(corpus, |id, text, published| {
        let meta = Meta {
            id: id.to_string(),
            published: published.map(String::from),
            outlet: None,
            url: None,
            text_hash: hash64(text.as_bytes()),
        };
        let t = Instant::now();
        engine.add(meta, text);
        let took = t.elapsed();
        busy += took;
        latencies.push(took.as_micros().min(u32::MAX as u128) as u32);
        ids.push(hash64(id.as_bytes()));
        apply(&mut engine, &mut family_of);
    });
    let t = Instant::now();
    engine.settle();
    busy += t.elapsed();
    apply(&mut engine, &mut family_of);
    let stats = engine.stats.clone();
    let held = engine.heap_bytes();
    let rss_peak = proc_status_kib("VmHWM:").unwrap_or(0);
    let rss_end = proc_status_kib("VmRSS:").unwrap_or(0);
    if let Some(e) = engine.texts().error() {
        eprintln!("copies bench: the texts file failed: {e}");
        std::process::exit(1);
    }
    drop(engine);
    let _ = std::fs::remove_file(&texts_path);

    let n = ids.len().max(1) as f64;
    latencies.sort_unstable();
    let pct = |p: f64| {
        latencies
            .get(((latencies.len() as f64 - 1.0) * p) as usize)
            .copied()
            .unwrap_or(0)
    };
    let sketch_kib = held["word_pair_sketch"].as_f64().unwrap_or(0.0) / 1024.0;
    let held_kib = rss_end.saturating_sub(rss_before) as f64;
    let mut out = json!({
        "corpus": corpus,
        "articles": ids.len(),
        "families": family_ids.len(),
        "seconds": busy.as_secs_f64(),
        "seconds_counting_word_pairs": observe.as_secs_f64(),
        "articles_per_second": n / busy.as_secs_f64().max(1e-9),
        "add_latency_us": {"p50": pct(0.5), "p99": pct(0.99), "max": pct(1.0)},
        "seconds_candidates": stats.candidates_ns as f64 / 1e9,
        "seconds_verification": stats.verify_ns as f64 / 1e9,
        "seconds_candidates_and_verification": (stats.candidates_ns + stats.verify_ns) as f64 / 1e9,
        "seconds_deciding": stats.decide_ns as f64 / 1e9,
        "seconds_candidates_reading": stats.reading_ns as f64 / 1e9,
        "seconds_candidates_keys_and_form": stats.keys_ns as f64 / 1e9,
        "seconds_candidates_index": stats.index_ns as f64 / 1e9,
        "families_verified_per_article": stats.families_verified as f64 / n,
        "engine_bytes_per_article": held.as_object().map(|o| o.iter().map(|(k, v)| (k.clone(), json!(v.as_f64().unwrap_or(0.0) / n))).collect::<serde_json::Map<_, _>>()),
        "rss_before_mib": rss_before as f64 / 1024.0,
        "rss_end_mib": rss_end as f64 / 1024.0,
        "rss_peak_mib": rss_peak as f64 / 1024.0,
        "bytes_per_article": held_kib * 1024.0 / n,
        "bytes_per_article_without_sketch": (held_kib - sketch_kib).max(0.0) * 1024.0 / n,
    });
    if let Some(labels) = args.get(1) {
        out["quality"] = score(labels, &ids, &family_of);
    }
    println!("{out}");
}

/// Pair precision and recall of same-family pairs, and recall per relation of copies found in
/// their original's family.
fn score(labels: &str, ids: &[u64], family_of: &[u32]) -> Value {
    let gold: serde_json::Map<String, Value> =
        serde_json::from_str(&std::fs::read_to_string(labels).expect("read labels"))
            .expect("labels");
    let fam: HashMap<u64, u32> = ids.iter().zip(family_of).map(|(i, f)| (*i, *f)).collect();
    let mut joint: HashMap<(&str, u32), u64> = HashMap::new();
    let mut by_gold: HashMap<&str, u64> = HashMap::new();
    let mut by_pred: HashMap<u32, u64> = HashMap::new();
    let mut hits: HashMap<&str, (u64, u64)> = HashMap::new();
    for (id, g) in &gold {
        let Some(&p) = fam.get(&hash64(id.as_bytes())) else {
            continue;
        };
        let gf = g["family"].as_str().unwrap_or("");
        *joint.entry((gf, p)).or_default() += 1;
        *by_gold.entry(gf).or_default() += 1;
        *by_pred.entry(p).or_default() += 1;
        let rel = g["relation"].as_str().unwrap_or("");
        if rel != "original" {
            let e = hits.entry(rel).or_default();
            e.1 += 1;
            let orig = g["original_url"].as_str().unwrap_or("");
            if fam.get(&hash64(orig.as_bytes())) == Some(&p) {
                e.0 += 1;
            }
        }
    }
    // STORYLINE_BENCH_IMPURE=N prints N families that hold more than one gold family, for
    // looking at what was merged wrongly.
    if let Some(n) = std::env::var("STORYLINE_BENCH_IMPURE")
        .ok()
        .and_then(|v| v.parse::<usize>().ok())
    {
        let mut members: HashMap<u32, Vec<(&str, &str, &str)>> = HashMap::new();
        for (id, g) in &gold {
            if let Some(&p) = fam.get(&hash64(id.as_bytes())) {
                members.entry(p).or_default().push((
                    id.as_str(),
                    g["family"].as_str().unwrap_or(""),
                    g["relation"].as_str().unwrap_or(""),
                ));
            }
        }
        let mut impure: Vec<_> = members
            .into_values()
            .filter(|m| m.iter().any(|x| x.1 != m[0].1))
            .collect();
        impure.sort();
        eprintln!("{} impure families", impure.len());
        for m in impure.iter().take(n) {
            eprintln!("{m:?}");
        }
    }
    let tp: u64 = joint.values().map(|&n| pairs(n)).sum();
    let gp: u64 = by_gold.values().map(|&n| pairs(n)).sum();
    let pp: u64 = by_pred.values().map(|&n| pairs(n)).sum();
    let (p, r) = (tp as f64 / pp.max(1) as f64, tp as f64 / gp.max(1) as f64);
    let recall: serde_json::Map<String, Value> = hits
        .iter()
        .map(|(k, (h, t))| (k.to_string(), json!(*h as f64 / (*t).max(1) as f64)))
        .collect();
    json!({"pair_P": p, "pair_R": r, "pair_F1": 2.0 * p * r / (p + r).max(1e-12), "recall_by_relation": recall})
}

// The binary's allocator, so that the bench measures what `storyline` runs.
#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
