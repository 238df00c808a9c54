//! Chooses the share of the join threshold a unit must reach against a story in another
//! language (`Params::cross_language`), on SemEval-2022 Task 8 pairs, by cross-validation.
//!
//! usage: cargo run --release --example fit_pairs -- PAIRS.csv [--seeds N]
//!
//! Each pair is analyzed alone, as `../shared/eval/pairs.py` does (a pair rated Overall <= 1.5
//! is one event and should share a story, >= 3.5 two events); only pairs across languages read
//! the share. For every share of a grid (0.4 to 1.0 by 0.05) each such pair is analyzed once.
//! The rule: the least share that keeps 95% of different-event pairs apart (the goal for
//! them), since a lower share joins more of both. Five-fold cross-validation, in `--seeds`
//! shuffles (3 by default), chooses it on four folds and scores the fifth; the rates pooled over
//! held-out folds are printed, then the share the rule picks on all pairs, which the clusterer
//! ships.

use std::io::Write;

use storyline::pipeline::{self, Options};
use storyline::stories::Params;

/// One pair across languages: whether it is one event, and per share whether it was joined.
struct Pair {
    same: bool,
    joined: Vec<bool>,
}

const GRID: [f32; 13] = [
    0.4, 0.45, 0.5, 0.55, 0.6, 0.65, 0.7, 0.75, 0.8, 0.85, 0.9, 0.95, 1.0,
];
/// Different-event pairs to keep apart.
const APART: f64 = 0.95;

/// Whether the two texts share a story when analyzed alone with `share`.
fn joined(dir: &std::path::Path, texts: [&str; 2], share: f32) -> bool {
    let path = dir.join("pair.jsonl");
    let mut f = std::fs::File::create(&path).expect("write a pair");
    for (i, t) in texts.iter().enumerate() {
        let line = serde_json::json!({"url": format!("u{i}"), "text": t.trim()});
        writeln!(f, "{line}").expect("write a pair");
    }
    drop(f);
    let options = Options {
        threads: 1,
        stories: Params {
            cross_language: share,
            ..Params::default()
        },
        ..Options::default()
    };
    let path = path.to_string_lossy().to_string();
    let report = pipeline::analyze(&[path], options, &pipeline::no_progress);
    report.articles.len() == 2 && report.articles[0].story == report.articles[1].story
}

/// Shares of same-event pairs joined and different-event pairs apart at grid index `k`.
fn rates(pairs: &[&Pair], k: usize) -> (usize, usize, usize, usize) {
    let (mut j, mut jn, mut a, mut an) = (0, 0, 0, 0);
    for p in pairs {
        if p.same {
            jn += 1;
            j += usize::from(p.joined[k]);
        } else {
            an += 1;
            a += usize::from(!p.joined[k]);
        }
    }
    (j, jn, a, an)
}

/// The rule: the least share keeping `APART` of different-event pairs apart (else the whole
/// threshold).
fn choose(pairs: &[&Pair]) -> usize {
    (0..GRID.len())
        .find(|&k| {
            let (_, _, a, an) = rates(pairs, k);
            an == 0 || a as f64 / an as f64 >= APART
        })
        .unwrap_or(GRID.len() - 1)
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let Some(csv_path) = args.first() else {
        eprintln!("usage: fit_pairs PAIRS.csv [--seeds N]");
        std::process::exit(2);
    };
    let seeds: u64 = args
        .iter()
        .position(|a| a == "--seeds")
        .and_then(|i| args.get(i + 1)?.parse().ok())
        .unwrap_or(3);
    let mut reader = csv::Reader::from_path(csv_path).expect("read the pairs");
    let headers = reader.headers().expect("a header row").clone();
    let col = |name: &str| {
        headers
            .iter()
            .position(|h| h == name)
            .unwrap_or_else(|| panic!("no column {name}"))
    };
    let (l1, l2, t1, t2, overall) = (
        col("lang1"),
        col("lang2"),
        col("text1"),
        col("text2"),
        col("Overall"),
    );
    let mut rows: Vec<(bool, String, String)> = Vec::new();
    for r in reader.records().map_while(Result::ok) {
        let o: f64 = r[overall].parse().unwrap_or(2.5);
        if r[l1] == r[l2] || (o > 1.5 && o < 3.5) {
            continue;
        }
        rows.push((o <= 1.5, r[t1].to_string(), r[t2].to_string()));
    }
    // Two threads, each on its half of the pairs.
    let pairs: Vec<Pair> = std::thread::scope(|scope| {
        let halves: Vec<_> = rows
            .chunks(rows.len().div_ceil(2).max(1))
            .map(|part| {
                scope.spawn(move || {
                    let dir = tempfile::tempdir().expect("a temporary folder");
                    part.iter()
                        .map(|(same, a, b)| Pair {
                            same: *same,
                            joined: GRID
                                .iter()
                                .map(|&s| joined(dir.path(), [a, b], s))
                                .collect(),
                        })
                        .collect::<Vec<_>>()
                })
            })
            .collect();
        halves
            .into_iter()
            .flat_map(|h| h.join().expect("a worker"))
            .collect()
    });
    println!(
        "{} pairs across languages ({} one event)",
        pairs.len(),
        pairs.iter().filter(|p| p.same).count()
    );
    for seed in 0..seeds {
        // A fixed shuffle per seed (a linear congruential generator: no dependency needed).
        let mut order: Vec<usize> = (0..pairs.len()).collect();
        let mut x = seed
            .wrapping_mul(2862933555777941757)
            .wrapping_add(3037000493);
        for i in (1..order.len()).rev() {
            x = x
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            order.swap(i, (x >> 33) as usize % (i + 1));
        }
        let (mut tot, mut chosen) = ([0usize; 4], Vec::new());
        for fold in 0..5 {
            let part = |held: bool| -> Vec<&Pair> {
                order
                    .iter()
                    .enumerate()
                    .filter(|(i, _)| (i % 5 == fold) == held)
                    .map(|(_, &p)| &pairs[p])
                    .collect()
            };
            let (test, train) = (part(true), part(false));
            let k = choose(&train);
            chosen.push(GRID[k]);
            let (j, jn, a, an) = rates(&test, k);
            tot = [tot[0] + j, tot[1] + jn, tot[2] + a, tot[3] + an];
        }
        println!(
            "seed {seed}: shares chosen {chosen:?}, held out: one event joined {:.4}, two apart {:.4}",
            tot[0] as f64 / tot[1].max(1) as f64,
            tot[2] as f64 / tot[3].max(1) as f64
        );
    }
    let all: Vec<&Pair> = pairs.iter().collect();
    let k = choose(&all);
    let (j, jn, a, an) = rates(&all, k);
    println!(
        "on all pairs: share {} (one event joined {:.4}, two apart {:.4})",
        GRID[k],
        j as f64 / jn.max(1) as f64,
        a as f64 / an.max(1) as f64
    );
}
