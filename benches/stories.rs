//! Story assignment at scale: streams synthetic articles through the online clusterer and
//! reports throughput, latency, memory and pair quality as one JSON line.
//!
//! usage: cargo bench --bench stories -- ECBPLUS_DIR [ARTICLES] [SEED] [BAD_DATES] [SYLLABLES]
//!
//! The articles are mutated from real ones: a synthetic story takes one ECB+ event as its
//! template and writes articles from a window of that event's sentences, with every capitalised
//! word and number mapped to one the story invents and a third of the other words swapped for
//! corpus words the story picks (so two stories from one template are two events of the same
//! kind told in other words, as ECB+'s are). Story sizes follow a power law (most stories are small, a few
//! run to hundreds of articles); stories start across three years and their articles follow over
//! days, so that older stories go quiet. Articles arrive in publication order. Timed: the
//! clusterer's `add` (reading the unit, candidates, scoring, joining), not generating the text.
//! Memory: what the clusterer holds (`heap_bytes`) and the process's peak resident set.
//!
//! BAD_DATES (a fraction, 0 by default) gives that share of the articles a broken date, as
//! feeds do: alternately a year far ahead (2035-01-01) and the zero timestamp (1970-01-01).
//! They arrive where their true date puts them, as a stream would take them in.
//!
//! SYLLABLES (2 by default) is the fewest syllables of an invented name, which has that many or
//! one more, from 28 syllables: at 2, half the names come from 784, so at a million articles
//! each is shared by hundreds of stories, far more than real names are; 3 draws from 21,952
//! and 614,656. It says how much of the stream's pair precision names carry.

use std::collections::HashMap;
use std::time::Instant;

mod common;

use common::proc_status_kib;
use serde_json::{json, Value};
use storyline::stories::{Clusterer, Unit};

struct Rng(u64);

impl Rng {
    fn new(seed: u64) -> Rng {
        Rng(seed.wrapping_mul(0x9E37_79B9_7F4A_7C15) | 1)
    }
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
}

fn mix(a: u64, b: u64) -> u64 {
    let mut x = a ^ b.wrapping_mul(0x9E37_79B9_7F4A_7C15);
    x ^= x >> 31;
    x = x.wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x ^ (x >> 29)
}

const SYLLABLES: &[&str] = &[
    "ka", "lo", "mer", "tan", "vi", "sor", "bel", "dri", "an", "os", "ul", "ren", "ta", "mi",
    "gor", "hel", "is", "na", "pol", "ve", "zen", "ar", "do", "ly", "qui", "ster", "wen", "bru",
];

/// An invented word standing for `word` in story `story` (same story, same stand-in).
fn invent(story: u64, word: &str, syllables: usize) -> String {
    let mut h = mix(story, storyline::text::hash64(word.as_bytes()));
    if word.bytes().all(|b| b.is_ascii_digit()) {
        let n = (h % 10u64.pow(word.len().min(6) as u32)).max(1);
        return n.to_string();
    }
    let parts = syllables + (h % 2) as usize;
    let mut s = String::new();
    for _ in 0..parts {
        h = mix(h, 7);
        s.push_str(SYLLABLES[(h % SYLLABLES.len() as u64) as usize]);
    }
    let mut c = s.chars();
    c.next()
        .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
        .unwrap_or(s)
}

/// A sentence in story `story`'s words: its names and numbers mapped to the story's own, and
/// about a third of its other words swapped for words of the corpus chosen by the story (two
/// stories cut from one template tell their events in different words, as real ones do).
fn mutate(story: u64, sentence: &str, vocabulary: &[String], syllables: usize) -> String {
    sentence
        .split(' ')
        .enumerate()
        .map(|(i, w)| {
            let capital = i > 0 && w.chars().next().is_some_and(char::is_uppercase);
            let digits = !w.is_empty() && w.bytes().all(|b| b.is_ascii_digit());
            let h = mix(story, storyline::text::hash64(w.as_bytes()));
            if (capital && w.chars().all(char::is_alphanumeric)) || digits {
                invent(story, w, syllables)
            } else if w.len() > 3 && h.is_multiple_of(3) && !vocabulary.is_empty() {
                vocabulary[(mix(h, 3) % vocabulary.len() as u64) as usize].clone()
            } else {
                w.to_string()
            }
        })
        .collect::<Vec<_>>()
        .join(" ")
}

fn main() {
    let args = common::args();
    let Some(dir) = args.first() else {
        eprintln!(
            "usage: cargo bench --bench stories -- ECBPLUS_DIR [ARTICLES] [SEED] [BAD_DATES] \
             [SYLLABLES]"
        );
        std::process::exit(2);
    };
    let n: usize = args.get(1).and_then(|s| s.parse().ok()).unwrap_or(100_000);
    let seed: u64 = args.get(2).and_then(|s| s.parse().ok()).unwrap_or(1);
    let bad_dates: f64 = args.get(3).and_then(|s| s.parse().ok()).unwrap_or(0.0);
    let syllables: usize = args
        .get(4)
        .and_then(|s| s.parse().ok())
        .unwrap_or(2)
        .clamp(1, 8);

    // Templates: each ECB+ event's headlines and body sentences.
    let read = |f: &str| -> Vec<Value> {
        std::fs::read_to_string(format!("{dir}/{f}"))
            .unwrap_or_else(|e| panic!("read {dir}/{f}: {e}"))
            .lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    };
    let event: HashMap<String, String> = read("gold.jsonl")
        .iter()
        .filter_map(|g| Some((g["id"].as_str()?.into(), g["story"].as_str()?.into())))
        .collect();
    let mut templates: HashMap<String, (Vec<String>, Vec<String>)> = HashMap::new();
    for a in read("articles.jsonl") {
        let (Some(id), Some(text)) = (a["id"].as_str(), a["text"].as_str()) else {
            continue;
        };
        let Some(e) = event.get(id) else { continue };
        let t = templates.entry(e.clone()).or_default();
        let mut lines = text.lines().filter(|l| l.split(' ').count() >= 4);
        if let Some(h) = lines.next() {
            t.0.push(h.to_string());
        }
        t.1.extend(lines.map(String::from));
    }
    let mut templates: Vec<(Vec<String>, Vec<String>)> = templates
        .into_values()
        .filter(|t| !t.0.is_empty() && t.1.len() >= 8)
        .collect();
    templates.sort();
    let mut vocabulary: Vec<String> = templates
        .iter()
        .flat_map(|t| t.1.iter())
        .flat_map(|l| l.split(' '))
        .filter(|w| w.len() > 3 && w.chars().all(|c| c.is_ascii_lowercase()))
        .map(String::from)
        .collect();
    vocabulary.sort_unstable();
    vocabulary.dedup();

    // Stories: power-law sizes, starts over three years, articles over the following days.
    let mut rng = Rng::new(seed);
    let mut arrivals: Vec<(u32, u32, u32)> = Vec::with_capacity(n); // (day, story, index)
    let mut story = 0u32;
    while arrivals.len() < n {
        let size = ((1.0 / rng.unit().max(1e-6)).powf(0.9) as usize).clamp(1, 800);
        let start = rng.below(3 * 365) as u32;
        for k in 0..size.min(n - arrivals.len()) {
            let spread = (-(rng.unit().max(1e-9)).ln() * 2.0) as u32;
            arrivals.push((start + spread.min(60), story, k as u32));
        }
        story += 1;
    }
    arrivals.sort_unstable();
    let epoch = chrono::NaiveDate::from_ymd_opt(2021, 1, 1).unwrap();

    let mut c = Clusterer::default();
    // Assignment is timed, not a store's bookkeeping: what changed is not recorded (a store
    // drains it per batch; undrained, it would hold every term a second time).
    c.set_tracking(false);
    let rss_before = proc_status_kib("VmRSS:").unwrap_or(0);
    let mut latencies: Vec<u32> = Vec::with_capacity(n);
    let mut busy = 0f64;
    let mut got: Vec<(u32, String)> = Vec::with_capacity(n);
    let mut latest_1m_window = Vec::new();
    for (i, &(day, s, k)) in arrivals.iter().enumerate() {
        let sid = mix(seed, s as u64);
        let (heads, body) = &templates[(sid % templates.len() as u64) as usize];
        let mut r = Rng::new(mix(sid, k as u64));
        let title = mutate(sid, &heads[r.below(heads.len())], &vocabulary, syllables);
        // The story's own share of the template: a window of its sentences.
        let window = (body.len() * 2 / 5).max(6).min(body.len());
        let first = (mix(sid, 11) % (body.len() - window + 1) as u64) as usize;
        let lines = 5 + r.below(8);
        let text: Vec<String> = (0..lines)
            .map(|_| mutate(sid, &body[first + r.below(window)], &vocabulary, syllables))
            .collect();
        let text = text.join("\n");
        let mut date = (epoch + chrono::Days::new(day as u64))
            .format("%Y-%m-%d")
            .to_string();
        let broken = (mix(sid, k as u64 ^ 0xBAD) >> 11) as f64 / (1u64 << 53) as f64;
        if broken < bad_dates {
            date = if i % 2 == 0 {
                "2035-01-01"
            } else {
                "1970-01-01"
            }
            .to_string();
        }
        let key = format!("f{s}-{k}");
        let t = Instant::now();
        let a = c.add(&Unit {
            key: &key,
            title: Some(&title),
            text: &text,
            published: Some(&date),
            language: None,
        });
        let took = t.elapsed();
        busy += took.as_secs_f64();
        latencies.push(took.as_micros().min(u32::MAX as u128) as u32);
        if i + 1 > n.saturating_sub(10_000) {
            latest_1m_window.push(took.as_micros() as u32);
        }
        got.push((s, a.story));
    }
    c.close();
    let held = c.heap_bytes();
    let rss_peak = proc_status_kib("VmHWM:").unwrap_or(0);
    let rss_end = proc_status_kib("VmRSS:").unwrap_or(0);

    // Pair quality against the synthetic stories.
    let mut joint: HashMap<(u32, &str), u64> = HashMap::new();
    let mut gold: HashMap<u32, u64> = HashMap::new();
    let mut pred: HashMap<&str, u64> = HashMap::new();
    for (&(_, _, k), (s, p)) in arrivals.iter().zip(&got) {
        // A second look may have moved the unit (the key is made again, not kept).
        let p = c.story_of(&format!("f{s}-{k}"), p);
        *joint.entry((*s, p)).or_default() += 1;
        *gold.entry(*s).or_default() += 1;
        *pred.entry(p).or_default() += 1;
    }
    let c2 = |x: &u64| x * x.saturating_sub(1) / 2;
    let tp: u64 = joint.values().map(c2).sum();
    let (gp, pp): (u64, u64) = (gold.values().map(c2).sum(), pred.values().map(c2).sum());
    let (p, r) = (tp as f64 / pp.max(1) as f64, tp as f64 / gp.max(1) as f64);

    let pct = |v: &mut Vec<u32>, q: f64| {
        v.sort_unstable();
        v.get(((v.len() as f64 - 1.0) * q) as usize)
            .copied()
            .unwrap_or(0)
    };
    let mut all = latencies.clone();
    println!(
        "{}",
        json!({
            "articles": n,
            "bad_dates": bad_dates,
            "name_syllables": syllables,
            "gold_stories": story,
            "stories": c.stories().count(),
            "live_stories": c.live(),
            "seconds": busy,
            "articles_per_second": n as f64 / busy.max(1e-9),
            "latency_us": {"p50": pct(&mut all, 0.5), "p99": pct(&mut all, 0.99), "max": pct(&mut all, 1.0)},
            "latency_us_last_10k": {"p50": pct(&mut latest_1m_window, 0.5), "p99": pct(&mut latest_1m_window, 0.99)},
            "clusterer_bytes_per_article": held as f64 / n as f64,
            "resident_bytes_per_article": (rss_end.saturating_sub(rss_before) as f64 * 1024.0) / n as f64,
            "rss_peak_mib": rss_peak as f64 / 1024.0,
            "pair_P": p, "pair_R": r, "pair_F1": 2.0 * p * r / (p + r).max(1e-12),
        })
    );
}

#[global_allocator]
static GLOBAL: mimalloc::MiMalloc = mimalloc::MiMalloc;
