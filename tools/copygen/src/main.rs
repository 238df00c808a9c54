//! copygen: builds the copy-detection evaluation set from real articles.
//!
//! Reads ECB+ (`articles.jsonl`, `gold.jsonl`), keeps one split, and for about half of its
//! articles publishes the article as an original page and makes copies of it on other sites:
//! - `exact`: the same text in another site's chrome (HTML or a flat-text page);
//! - `near_duplicate`: wire-style edits: trimmed, partial, a paragraph dropped, a local line
//!   added, a dateline changed;
//! - `spun`: naive thesaurus spinning (WordNet through the `thesaurus` crate, a sense picked
//!   blindly, as real spinners do) of 10-40% of content words, sometimes truncated, sometimes
//!   only the first half;
//! - `rewrite`: sentences reordered and merged, a few words dropped.
//! Every other article of the split stays as an independent report of its event (distractors:
//! same event, not copies). Output: `DIR/pages/*` and `DIR/labels.json` in the shape
//! `score.py copies` and `storyline eval --task copies` read. Deterministic for a seed.
//!
//! usage: copygen --ecb ../shared/data/stories/ecbplus --out DIR [--split train] [--seed 7]
//!        copygen --ecb ../shared/data/stories/ecbplus --out DIR --scale N (see `scale`)

mod scale;

use std::collections::BTreeMap;
use std::fs;
use std::path::Path;

use serde_json::{json, Value};

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        // SplitMix64
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }
    fn unit(&mut self) -> f64 {
        (self.next() >> 11) as f64 / (1u64 << 53) as f64
    }
    fn chance(&mut self, p: f64) -> bool {
        self.unit() < p
    }
    fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    fn pick<'a, T>(&mut self, xs: &'a [T]) -> &'a T {
        &xs[self.below(xs.len())]
    }
}

struct Site {
    name: &'static str,
    host: &'static str,
    flat: bool,
}

const SITES: &[Site] = &[
    Site {
        name: "Kestrel Wire",
        host: "kestrelwire.example",
        flat: false,
    },
    Site {
        name: "Northgate Press Agency",
        host: "npa.example",
        flat: false,
    },
    Site {
        name: "Daily Pulse",
        host: "dailypulse.example",
        flat: false,
    },
    Site {
        name: "KXRT 9 News",
        host: "kxrt9.example",
        flat: false,
    },
    Site {
        name: "Metro Ledger",
        host: "metroledger.example",
        flat: false,
    },
    Site {
        name: "Valley Radio 101.3",
        host: "valleyradio.example",
        flat: true,
    },
    Site {
        name: "The Coastal Record",
        host: "coastalrecord.example",
        flat: false,
    },
    Site {
        name: "WBNQ Channel 4",
        host: "wbnq4.example",
        flat: true,
    },
    Site {
        name: "Newsfeed Hub",
        host: "newsfeedhub.example",
        flat: false,
    },
];

/// Words spinners leave alone: function words (not "said": spinners swap it).
const PROTECTED: &str = "a an the of to in on at by for with from into onto about after before \
over under between during through against and or but nor that which who whom whose this these \
those is was were are be been being has have had it its he she they them his her their we our \
us you your i me my not no as if than then there here also will would could should can may might \
must do does did so such one two three four five six seven eight nine ten";

const LOCAL_LINES: &[&str] = &[
    "Check back with us for updates on this developing story.",
    "Our newsroom reached out to local authorities for further comment on Friday.",
    "Readers with information about the events described are asked to contact our tip line.",
    "This report will be updated as more details become available to our staff.",
];

fn esc(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn html_page(
    site: &Site,
    title: &str,
    date: Option<&str>,
    paras: &[String],
    rng: &mut Rng,
) -> String {
    let ld = match date {
        Some(d) => format!(
            "<script type=\"application/ld+json\">{}</script>",
            json!({"@context": "https://schema.org", "@type": "NewsArticle", "headline": title,
                   "datePublished": d, "publisher": {"@type": "Organization", "name": site.name}})
        ),
        None => String::new(),
    };
    let time = date.map_or(String::new(), |d| {
        format!("<time datetime=\"{d}\">{}</time>", &d[..10])
    });
    let body: String = paras
        .iter()
        .map(|p| format!("<p>{}</p>\n", esc(p)))
        .collect();
    let teasers: String = (0..4)
        .map(|i| {
            format!(
                "<li><a href=\"/story/{}\">{} headline number {}</a></li>",
                rng.next() % 9999,
                site.name,
                i + 1
            )
        })
        .collect();
    format!(
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{t} | {n}</title>\
         <meta property=\"og:site_name\" content=\"{n}\">{ld}</head>\n<body>\n<nav><a href=\"/\">Home</a> \
         <a href=\"/news\">News</a> <a href=\"/sport\">Sport</a> <a href=\"/weather\">Weather</a> \
         <a href=\"/contact\">Contact</a></nav>\n<main><article><h1>{t}</h1>\n<div class=\"meta\">{time}</div>\n\
         {body}</article>\n<aside><h3>Most read</h3><ul>{teasers}</ul></aside></main>\n\
         <footer><p>&copy; 2024 {n}. All rights reserved.</p><a href=\"/privacy\">Privacy</a></footer>\n</body></html>\n",
        t = esc(title),
        n = esc(site.name),
    )
}

fn flat_page(site: &Site, title: &str, date: Option<&str>, paras: &[String]) -> String {
    let mut out = format!(
        "{}\nHome | News | Weather | Traffic | Listen Live\n\n{}\n",
        site.name, title
    );
    if let Some(d) = date {
        out += &format!("Posted {}\n", &d[..10]);
    }
    out += "\n";
    for p in paras {
        out += p;
        out += "\n\n";
    }
    out += &format!(
        "Share this:\nFacebook\nX\nEmail\n\nCopyright 2024 {}. All rights reserved.\n",
        site.name
    );
    out
}

fn sentences(p: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let words: Vec<&str> = p.split(' ').collect();
    for (i, w) in words.iter().enumerate() {
        if !cur.is_empty() {
            cur.push(' ');
        }
        cur.push_str(w);
        let next_upper = words
            .get(i + 1)
            .and_then(|n| n.chars().next())
            .is_some_and(|c| c.is_uppercase());
        if (*w == "." || w.ends_with('.') || *w == "?" || *w == "!") && next_upper && cur.len() > 20
        {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.trim().is_empty() {
        out.push(cur);
    }
    out
}

/// Swaps `rate` of the content words of a paragraph for a thesaurus synonym of any sense.
fn spin(p: &str, rate: f64, rng: &mut Rng, protected: &[&str]) -> String {
    let mut out: Vec<String> = Vec::new();
    let mut sentence_start = true;
    for tok in p.split(' ') {
        let core: String = tok.chars().filter(|c| c.is_alphabetic()).collect();
        let is_word = !core.is_empty() && core.len() == tok.chars().count();
        let lower = core.to_lowercase();
        let mut replaced = None;
        if is_word && !protected.contains(&lower.as_str()) && core.len() > 2 {
            let capital = core.chars().next().is_some_and(char::is_uppercase);
            // Names stay: a spinner's thesaurus has none, and capitalised words mid-sentence are
            // mostly names.
            if (!capital || sentence_start) && rng.chance(rate) {
                replaced = synonym(&lower, rng).map(|s| {
                    if capital {
                        let mut c = s.chars();
                        c.next()
                            .map(|f| f.to_uppercase().collect::<String>() + c.as_str())
                            .unwrap_or(s)
                    } else {
                        s
                    }
                });
            }
        }
        sentence_start = matches!(tok, "." | "?" | "!") || tok.ends_with('.');
        match replaced {
            Some(r) => out.push(r),
            None => out.push(tok.to_string()),
        }
    }
    out.join(" ")
}

/// A synonym of any sense, with a naive guess at the inflection.
fn synonym(word: &str, rng: &mut Rng) -> Option<String> {
    // `thesaurus::synonyms` copies the whole dictionary on every call; read it once.
    static DICT: std::sync::LazyLock<std::collections::HashMap<String, Vec<String>>> =
        std::sync::LazyLock::new(thesaurus::dict);
    let try_word = |w: &str| -> Vec<String> {
        let mut v: Vec<String> = DICT
            .get(w)
            .into_iter()
            .flatten()
            .filter(|s| !s.is_empty() && *s != w)
            .cloned()
            .collect();
        v.sort();
        v
    };
    let direct = try_word(word);
    if !direct.is_empty() {
        return Some(rng.pick(&direct).clone());
    }
    for (suffix, add) in [
        ("ies", "ies"),
        ("es", "es"),
        ("s", "s"),
        ("ed", "ed"),
        ("ing", "ing"),
    ] {
        if let Some(stem) = word.strip_suffix(suffix) {
            let base = if suffix == "ies" {
                format!("{stem}y")
            } else {
                stem.to_string()
            };
            let syns = try_word(&base);
            if !syns.is_empty() {
                let s = rng.pick(&syns).clone();
                return Some(if suffix == "ies" {
                    format!("{s}s")
                } else {
                    format!("{s}{add}")
                });
            }
        }
    }
    None
}

/// Sentence openers a rewriter lower-cases when it joins a sentence to the one before.
const LOWER_OPENERS: &[&str] = &[
    "The", "A", "An", "He", "She", "It", "They", "We", "This", "That", "These", "Those", "There",
    "His", "Her", "Their", "Its", "But", "In", "On", "At", "After", "Before", "When", "While",
];

fn rewrite(paras: &[String], rng: &mut Rng) -> Vec<String> {
    let mut sents: Vec<String> = paras.iter().flat_map(|p| sentences(p)).collect();
    // Reorder: swap some neighbours.
    let mut i = 0;
    while i + 1 < sents.len() {
        if rng.chance(0.3) {
            sents.swap(i, i + 1);
            i += 2;
        } else {
            i += 1;
        }
    }
    // Light paraphrase: drop a few short adverbs and adjectives.
    let droppable = [
        "also",
        "just",
        "very",
        "now",
        "still",
        "already",
        "reportedly",
        "recently",
        "then",
    ];
    for s in sents.iter_mut() {
        *s = s
            .split(' ')
            .filter(|w| !(droppable.contains(w) && rng.chance(0.7)))
            .collect::<Vec<_>>()
            .join(" ");
    }
    // Merge some neighbours into one sentence, and regroup into paragraphs of one to three.
    let mut merged: Vec<String> = Vec::new();
    for s in sents {
        let joinable = merged
            .last()
            .is_some_and(|l: &String| l.trim_end().ends_with('.'));
        if joinable && rng.chance(0.25) {
            let last = merged.pop().unwrap_or_default();
            let head = last.trim_end().trim_end_matches('.').trim_end().to_string();
            let mut tail = s.clone();
            // Only a common opening word loses its capital; names keep theirs.
            let first = tail.split(' ').next().unwrap_or("");
            if LOWER_OPENERS.contains(&first) {
                tail = first.to_lowercase() + &tail[first.len()..];
            }
            merged.push(format!("{head}, and {tail}"));
        } else {
            merged.push(s);
        }
    }
    let mut out = Vec::new();
    let mut cur: Vec<String> = Vec::new();
    for s in merged {
        cur.push(s);
        if cur.len() >= 1 + rng.below(3) {
            out.push(cur.join(" "));
            cur.clear();
        }
    }
    if !cur.is_empty() {
        out.push(cur.join(" "));
    }
    out
}

/// Hashes of the lower-cased word 5-grams of a text.
fn shingles(text: &str) -> std::collections::HashSet<u64> {
    use std::hash::{Hash, Hasher};
    let words: Vec<String> = text
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .map(str::to_lowercase)
        .collect();
    words
        .windows(5)
        .map(|w| {
            let mut h = std::collections::hash_map::DefaultHasher::new();
            w.hash(&mut h);
            h.finish()
        })
        .collect()
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    let arg = |name: &str| {
        args.iter()
            .position(|a| a == name)
            .and_then(|i| args.get(i + 1))
            .cloned()
    };
    let (Some(ecb), Some(out)) = (arg("--ecb"), arg("--out")) else {
        eprintln!("usage: copygen --ecb DIR --out DIR [--split train] [--seed N]");
        std::process::exit(2);
    };
    let split = arg("--split").unwrap_or_else(|| "train".into());
    let seed: u64 = arg("--seed").and_then(|s| s.parse().ok()).unwrap_or(7);
    let read = |name: &str| -> Vec<Value> {
        let p = Path::new(&ecb).join(name);
        let text = fs::read_to_string(&p).unwrap_or_else(|e| {
            eprintln!("copygen: cannot read {}: {e}", p.display());
            std::process::exit(1)
        });
        text.lines()
            .filter_map(|l| serde_json::from_str(l).ok())
            .collect()
    };
    let gold: BTreeMap<String, Value> = read("gold.jsonl")
        .into_iter()
        .map(|g| (g["id"].as_str().unwrap_or("").to_string(), g))
        .collect();
    let mut articles: Vec<Value> = read("articles.jsonl")
        .into_iter()
        .filter(|a| {
            gold.get(a["id"].as_str().unwrap_or(""))
                .is_some_and(|g| g["split"] == split.as_str())
        })
        .collect();
    articles.sort_by(|a, b| a["id"].as_str().cmp(&b["id"].as_str()));
    if let Some(n) = arg("--scale").and_then(|s| s.parse::<usize>().ok()) {
        scale::run(&articles, n, seed, Path::new(&out));
        return;
    }
    // ECB+ itself holds syndicated copies (the same wire report on two sites). Left in, they
    // would be gold "independent" pairs that are really copies; keep the first of each group,
    // judged by a method independent of storyline's: word 5-gram containment of 0.3 or more
    // with an article kept before it in the same topic.
    let topic = |a: &Value| {
        gold[a["id"].as_str().unwrap_or("")]["topic"]
            .as_i64()
            .unwrap_or(-1)
    };
    let mut kept: Vec<(i64, std::collections::HashSet<u64>)> = Vec::new();
    let before = articles.len();
    articles.retain(|a| {
        let grams = shingles(a["text"].as_str().unwrap_or(""));
        let t = topic(a);
        let copy = kept.iter().any(|(kt, k)| {
            *kt == t && {
                let inter = grams.iter().filter(|g| k.contains(g)).count();
                inter as f64 >= 0.3 * grams.len().min(k.len()).max(1) as f64
            }
        });
        if !copy {
            kept.push((t, grams));
        }
        !copy
    });
    eprintln!(
        "copygen: {} of {before} articles kept; the others copy an earlier one",
        articles.len()
    );

    let pages = Path::new(&out).join("pages");
    let _ = fs::remove_dir_all(&pages);
    fs::create_dir_all(&pages).expect("create output folder");
    let protected: Vec<&str> = PROTECTED.split_whitespace().collect();
    let mut rng = Rng(seed);
    let mut labels = serde_json::Map::new();
    let mut counts: BTreeMap<&str, usize> = BTreeMap::new();
    let mut n = 0usize;
    let mut write =
        |site: &Site, title: &str, date: Option<&str>, paras: &[String], rng: &mut Rng| -> String {
            n += 1;
            let ext = if site.flat { "txt" } else { "html" };
            // Random names: pages arrive (in name order) with copies before their originals as
            // often as after, so arrival order says nothing about which is the original.
            let name = format!(
                "{:06x}-{}.{ext}",
                rng.next() >> 40,
                site.host.split('.').next().unwrap_or("site")
            );
            let page = if site.flat {
                flat_page(site, title, date, paras)
            } else {
                html_page(site, title, date, paras, rng)
            };
            let path = pages.join(&name);
            fs::write(&path, page).expect("write page");
            path.to_string_lossy().into_owned()
        };
    for a in &articles {
        let id = a["id"].as_str().unwrap_or("");
        let mut paras: Vec<String> = a["text"]
            .as_str()
            .unwrap_or("")
            .lines()
            .map(str::trim)
            .filter(|l| !l.is_empty())
            .map(String::from)
            .collect();
        if paras.len() < 2 {
            continue;
        }
        // A short first line without a full stop is the headline.
        let first_words = paras[0].split(' ').count();
        let title = if first_words <= 18 && !paras[0].ends_with('.') {
            paras.remove(0)
        } else {
            paras[0].split(' ').take(10).collect::<Vec<_>>().join(" ")
        };
        if paras.is_empty() {
            continue;
        }
        let day = 1 + rng.below(27);
        let hour = rng.below(20);
        // Most news pages carry a machine-readable date: our extractor finds one on 96% of the
        // Zyte AEB pages and 81% of the WCXB article pages. Pages here get one at 85%: the date
        // the text itself gives (if any, as storyline reads it), so that page and text agree,
        // at a random hour; copies appear one to thirty hours later.
        let text_day = std::iter::once(&title)
            .chain(&paras)
            .find_map(|p| {
                storyline::extract::date::date_line(p)
                    .or_else(|| storyline::extract::date::find_date(p))
            })
            .and_then(|d| chrono::NaiveDate::parse_from_str(d.get(..10)?, "%Y-%m-%d").ok());
        let base = text_day
            .unwrap_or_else(|| {
                chrono::NaiveDate::from_ymd_opt(2024, 1 + rng.below(12) as u32, 1 + day as u32)
                    .unwrap_or_default()
            })
            .and_hms_opt(hour as u32, 0, 0)
            .unwrap_or_default();
        let stamp = |t: chrono::NaiveDateTime| t.format("%Y-%m-%dT%H:%M:00Z").to_string();
        let date = rng.chance(0.85).then(|| stamp(base));
        let origin_site_ix = rng.below(3) + if rng.chance(0.5) { 0 } else { 3 };
        let site = &SITES[origin_site_ix];
        if rng.chance(0.3) {
            paras[0] = format!("({}) — {}", site.name, paras[0]);
        }
        let original = write(site, &title, date.as_deref(), &paras, &mut rng);
        let family = format!("ecb-{id}");
        let with_copies = rng.chance(0.5);
        labels.insert(
            original.clone(),
            json!({"family": family, "relation": "original", "original_url": original}),
        );
        *counts.entry("original").or_default() += 1;
        if !with_copies {
            continue;
        }
        let copies = 1 + rng.below(3);
        for _ in 0..copies {
            let mut csite_ix = rng.below(SITES.len());
            if csite_ix == origin_site_ix {
                csite_ix = (csite_ix + 1) % SITES.len();
            }
            let csite = &SITES[csite_ix];
            let cdate = rng.chance(0.85).then(|| {
                stamp(base + chrono::Duration::minutes(60 * (1 + rng.below(30)) as i64 + 30))
            });
            let kind = *rng.pick(&[
                "exact",
                "near_duplicate",
                "near_duplicate",
                "spun",
                "spun",
                "rewrite",
            ]);
            let text: Vec<String> = match kind {
                "exact" => paras.clone(),
                "near_duplicate" => {
                    let mut p = paras.clone();
                    match rng.below(5) {
                        0 if p.len() >= 3 => {
                            let keep =
                                ((p.len() as f64) * (0.6 + 0.25 * rng.unit())).ceil() as usize;
                            p.truncate(keep.max(2));
                        }
                        1 if p.len() >= 4 => {
                            let keep =
                                ((p.len() as f64) * (0.4 + 0.15 * rng.unit())).ceil() as usize;
                            p.truncate(keep.max(2));
                        }
                        2 if p.len() >= 4 => {
                            let i = 1 + rng.below(p.len() - 2);
                            p.remove(i);
                        }
                        3 => {
                            // A new dateline: the republisher's city in front.
                            let city = rng.pick(&[
                                "SPRINGFIELD",
                                "RIVERTON",
                                "LAKE CITY",
                                "FAIRVIEW",
                                "GREENVILLE",
                            ]);
                            p[0] = format!("{city} — {}", p[0]);
                        }
                        _ => p.push(rng.pick(LOCAL_LINES).to_string()),
                    }
                    p
                }
                "spun" => {
                    let rate = 0.1 + 0.3 * rng.unit();
                    let mut p = paras.clone();
                    let variant = rng.below(3);
                    if variant == 1 && p.len() >= 3 {
                        let keep = ((p.len() as f64) * (0.5 + 0.3 * rng.unit())).ceil() as usize;
                        p.truncate(keep.max(2));
                    }
                    let upto = if variant == 2 {
                        p.len().div_ceil(2)
                    } else {
                        p.len()
                    };
                    for (i, para) in p.iter_mut().enumerate() {
                        if i < upto {
                            *para = spin(para, rate, &mut rng, &protected);
                        }
                    }
                    p
                }
                _ => rewrite(&paras, &mut rng),
            };
            // Provenance, at the rates republishers leave it: syndicated copies mostly credit
            // the source (a kept dateline, an "originally appeared" line); content farms strip
            // credits; AI rewrites sometimes carry a disclaimer.
            let mut text = text;
            match kind {
                "exact" | "near_duplicate" if rng.chance(0.75) => {
                    let orig_name = site.name;
                    match rng.below(3) {
                        0 if !text[0].starts_with('(') => {
                            text[0] = format!("({orig_name}) — {}", text[0])
                        }
                        1 => text.push(format!("This story originally appeared on {orig_name}.")),
                        _ => text.push(format!("Distributed by {orig_name}.")),
                    }
                }
                "rewrite" if rng.chance(0.5) => text.push(
                    "This article was generated with the help of AI based on source articles."
                        .into(),
                ),
                _ => {}
            }
            let ctitle = if kind == "spun" {
                spin(&title, 0.3, &mut rng, &protected)
            } else {
                title.clone()
            };
            let origin = write(csite, &ctitle, cdate.as_deref(), &text, &mut rng);
            labels.insert(
                origin,
                json!({"family": family, "relation": kind, "original_url": original}),
            );
            *counts.entry(kind).or_default() += 1;
        }
    }
    let labels_path = Path::new(&out).join("labels.json");
    fs::write(
        &labels_path,
        serde_json::to_string_pretty(&Value::Object(labels)).unwrap_or_default(),
    )
    .expect("write labels");
    eprintln!("copygen: {} pages in {}: {:?}", n, pages.display(), counts);
}
