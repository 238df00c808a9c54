//! Learns how much where and when weigh in the story clusterer's join decision
//! (`Params::event`), as a logistic model, on labelled dated news; and scores the result on
//! other reports.
//!
//! usage: cargo run --release --example fit_events -- GOLD.jsonl --train R.json [R.json ...]
//!            [--test T.json ...] [--rounds N] [--l2 X]
//!
//! Each report is `storyline analyze` output; its units are fed in the order `analyze` gives
//! them. For every unit, each candidate story it is weighed against as it arrives is a sample:
//! `z`, the log of its score over the join threshold (the threshold a quiet story needs when it
//! is quiet), and the evidence features (`stories::event::Evidence::features`); its label says
//! whether the story holds a unit of the unit's gold story. The model is
//! P(same event) = sigmoid(a z + w . x): no intercept, so that with no evidence the decision is
//! the threshold learned on ECB+ (`tools/tune_stories.rs`), and the clusterer multiplies a
//! score by exp(w . x / a). Samples depend on the weights (which stories exist, which units
//! joined them), so the fit runs in rounds, each tracing with the last round's weights and
//! pooling the samples (`--rounds`, 3 by default). Newton's method with a small L2 penalty
//! (`--l2`, 1 by default) on the weights.
//!
//! Prints the weights of each round as JSON, then, for each test report, pairwise precision,
//! recall and F1, ARI and B-cubed F1 without evidence and with the learned weights.

use std::collections::HashMap;

use storyline::stories::{event, Clusterer, Params};

#[path = "runs.rs"]
mod runs;
use runs::{run, Item};

/// The least z (log of the score over the threshold) of a sample: half the threshold.
const NEAR: f64 = -std::f64::consts::LN_2;

/// One candidate weighed: (z, features, same event).
type Sample = (f64, [f64; event::FEATURES], bool);

/// The candidates weighed over one closed run of `items`, labelled with `gold`.
fn trace(items: &[Item], params: Params, gold: &HashMap<String, String>) -> Vec<Sample> {
    let mut c = Clusterer::new(params);
    c.set_trace(true);
    // Gold stories by the story their units are in now (merges and moves followed).
    let mut members: HashMap<String, HashMap<String, u32>> = HashMap::new();
    let mut story_of_unit: HashMap<String, String> = HashMap::new();
    let mut out = Vec::new();
    for it in items {
        let Some(g) = it.articles.iter().find_map(|a| gold.get(a)) else {
            c.add(&it.unit());
            continue;
        };
        let a = c.add(&it.unit());
        for t in c.take_trace() {
            let need = params.threshold
                + if t.archived {
                    params.reopen_margin
                } else {
                    0.0
                };
            let same = members
                .get(&t.story)
                .is_some_and(|m| m.get(g).is_some_and(|&n| n > 0));
            let x = t.features.map(f64::from);
            let z = f64::from(t.log_fit - need.ln());
            // Only candidates near the decision teach it: most score far below any threshold
            // (stories sharing a common word), and would fit the model to telling those apart.
            if z >= NEAR {
                out.push((z, x, same));
            }
        }
        *members
            .entry(a.story.clone())
            .or_default()
            .entry(g.clone())
            .or_default() += 1;
        story_of_unit.insert(it.key.clone(), a.story);
        let changes = c.take_changes();
        for (from, into) in changes.merges {
            if let Some(m) = members.remove(&from) {
                let t = members.entry(into).or_default();
                for (k, n) in m {
                    *t.entry(k).or_default() += n;
                }
            }
        }
        for (key, now) in changes.moves {
            let Some(it) = items.iter().find(|i| i.key == key) else {
                continue;
            };
            let Some(g) = it.articles.iter().find_map(|a| gold.get(a)) else {
                continue;
            };
            if let Some(was) = story_of_unit.get(&key) {
                let was = c.resolve(was).to_string();
                if let Some(n) = members.get_mut(&was).and_then(|m| m.get_mut(g)) {
                    *n = n.saturating_sub(1);
                }
            }
            *members
                .entry(now.clone())
                .or_default()
                .entry(g.clone())
                .or_default() += 1;
            story_of_unit.insert(key, now);
        }
    }
    out
}

/// Fits sigmoid(theta . (z, x)) by Newton's method; theta[0] is the score's weight.
///
/// Each evidence weight keeps the sign `event::SIGNS` gives it: one that would cross zero is held
/// there (out of the system, as an active-set method does) for the rest of the fit.
fn fit(samples: &[Sample], l2: f64) -> [f64; event::FEATURES + 1] {
    const N: usize = event::FEATURES + 1;
    let mut theta = [0.0; N];
    theta[0] = 1.0;
    let mut held = [false; N];
    for _ in 0..100 {
        let mut g = [0.0; N];
        let mut h = [[0.0; N]; N];
        for (z, x, y) in samples {
            let mut v = [0.0; N];
            v[0] = *z;
            v[1..].copy_from_slice(x);
            let s: f64 = theta.iter().zip(&v).map(|(t, x)| t * x).sum();
            let p = 1.0 / (1.0 + (-s).exp());
            let r = f64::from(u8::from(*y)) - p;
            for i in 0..N {
                g[i] += r * v[i];
                for j in 0..N {
                    h[i][j] += p * (1.0 - p) * v[i] * v[j];
                }
            }
        }
        // The score's own weight is not penalised: it sets the scale.
        for i in 1..N {
            g[i] -= l2 * theta[i];
            h[i][i] += l2;
        }
        h[0][0] += 1e-9;
        for i in (0..N).filter(|&i| held[i]) {
            g[i] = 0.0;
            h[i] = [0.0; N];
            for row in h.iter_mut() {
                row[i] = 0.0;
            }
            h[i][i] = 1.0;
        }
        let step = solve(h, g);
        for i in 0..N {
            theta[i] += step[i];
        }
        let mut crossed = false;
        for i in 1..N {
            if f64::from(event::SIGNS[i - 1]) * theta[i] < 0.0 {
                theta[i] = 0.0;
                held[i] = true;
                crossed = true;
            }
        }
        if !crossed && step.iter().map(|s| s.abs()).fold(0.0, f64::max) < 1e-7 {
            // Converged with some weights held: release those the likelihood would move the
            // allowed way (their gradient at 0 points along their sign), and go on.
            let grad = gradient(samples, &theta, l2);
            let mut released = false;
            for i in 1..N {
                if held[i] && f64::from(event::SIGNS[i - 1]) * grad[i] > 1e-6 {
                    held[i] = false;
                    released = true;
                }
            }
            if !released {
                break;
            }
        }
    }
    theta
}

/// The gradient of the penalised log-likelihood at `theta`.
fn gradient(samples: &[Sample], theta: &[f64; event::FEATURES + 1], l2: f64) -> Vec<f64> {
    let mut g = vec![0.0; theta.len()];
    for (z, x, y) in samples {
        let v: Vec<f64> = std::iter::once(*z).chain(x.iter().copied()).collect();
        let s: f64 = theta.iter().zip(&v).map(|(t, x)| t * x).sum();
        let r = f64::from(u8::from(*y)) - 1.0 / (1.0 + (-s).exp());
        for (gi, vi) in g.iter_mut().zip(&v) {
            *gi += r * vi;
        }
    }
    for i in 1..g.len() {
        g[i] -= l2 * theta[i];
    }
    g
}

/// Solves `a x = b` by Gaussian elimination with partial pivoting.
fn solve<const N: usize>(mut a: [[f64; N]; N], mut b: [f64; N]) -> [f64; N] {
    for col in 0..N {
        let pivot = (col..N)
            .max_by(|&i, &j| a[i][col].abs().total_cmp(&a[j][col].abs()))
            .unwrap_or(col);
        a.swap(col, pivot);
        b.swap(col, pivot);
        let d = a[col][col];
        if d.abs() < 1e-12 {
            continue;
        }
        let pivot_row = a[col];
        for row in col + 1..N {
            let f = a[row][col] / d;
            for (x, p) in a[row][col..].iter_mut().zip(&pivot_row[col..]) {
                *x -= f * p;
            }
            b[row] -= f * b[col];
        }
    }
    let mut x = [0.0; N];
    for row in (0..N).rev() {
        let s: f64 = (row + 1..N).map(|k| a[row][k] * x[k]).sum();
        x[row] = if a[row][row].abs() < 1e-12 {
            0.0
        } else {
            (b[row] - s) / a[row][row]
        };
    }
    x
}

/// Pairwise P, R, F1, ARI and B-cubed F1 of a run's stories against `gold`.
fn scores(gold: &HashMap<String, String>, pred: &HashMap<String, String>) -> String {
    let (g, p): (Vec<String>, Vec<String>) = gold
        .iter()
        .filter_map(|(id, g)| Some((g.clone(), pred.get(id)?.clone())))
        .unzip();
    let m = storyline::eval::cluster_metrics(&g, &p);
    let f = |k: &str| m[k].as_f64().unwrap_or(f64::NAN);
    format!(
        "pair P {:.4} R {:.4} F1 {:.4}  ARI {:.4}  B3 F1 {:.4}",
        f("pair_P"),
        f("pair_R"),
        f("pair_F1"),
        f("ARI"),
        f("bcubed_F1")
    )
}

fn main() {
    let args: Vec<String> = std::env::args().skip(1).collect();
    let usage = || -> ! {
        eprintln!(
            "usage: fit_events GOLD.jsonl --train R.json [R.json ...] [--test T.json ...] \
             [--rounds N] [--l2 X]"
        );
        std::process::exit(2)
    };
    let Some(gold_path) = args.first() else {
        usage()
    };
    let (mut train, mut test, mut rounds, mut l2) = (Vec::new(), Vec::new(), 3, 1.0);
    let mut list: Option<&mut Vec<String>> = None;
    let mut i = 1;
    while i < args.len() {
        match args[i].as_str() {
            "--train" => list = Some(&mut train),
            "--test" => list = Some(&mut test),
            "--rounds" | "--l2" => {
                let v = args.get(i + 1).unwrap_or_else(|| usage());
                if args[i] == "--rounds" {
                    rounds = v.parse().unwrap_or_else(|_| usage());
                } else {
                    l2 = v.parse().unwrap_or_else(|_| usage());
                }
                i += 1;
                list = None;
            }
            path => match list.as_mut() {
                Some(l) => l.push(path.to_string()),
                None => usage(),
            },
        }
        i += 1;
    }
    if train.is_empty() {
        usage();
    }
    let gold = runs::gold(gold_path);
    let train = runs::reports(&train);
    let test = runs::reports(&test);
    let none = Params {
        event: [0.0; event::FEATURES],
        ..Params::default()
    };
    let mut params = none;
    let mut samples: Vec<Sample> = Vec::new();
    for round in 1..=rounds {
        for items in &train {
            samples.extend(trace(items, params, &gold));
        }
        let theta = fit(&samples, l2);
        let w: Vec<f32> = theta[1..].iter().map(|t| (t / theta[0]) as f32).collect();
        params.event.copy_from_slice(&w);
        let positives = samples.iter().filter(|s| s.2).count();
        println!(
            "round {round}: {} samples ({positives} same event), score weight {:.3}, \"event\": {}",
            samples.len(),
            theta[0],
            serde_json::to_string(&params.event).unwrap_or_default()
        );
    }
    for (k, items) in train.iter().chain(&test).enumerate() {
        let kind = if k < train.len() { "train" } else { "test" };
        println!(
            "{kind} {k} without: {}",
            scores(&gold, &run(items, none, false))
        );
        println!(
            "{kind} {k} with:    {}",
            scores(&gold, &run(items, params, false))
        );
    }
}
