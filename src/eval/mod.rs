//! Scoring a report against gold labels, exactly as `../shared/eval/score.py` does (the same
//! formulas, the same rounding to 4 decimals, the same JSON keys), so that numbers quoted from
//! either agree.
//!
//! - `stories`: pairwise precision/recall/F1, ARI, B-cubed, NMI of the articles' stories.
//! - `copies`: pairwise scores of families, recall per relation, accuracy of the chosen original.
//! - `text`: per page 4-word shingle and bag-of-words precision/recall/F1, macro-averaged; where
//!   the gold also has `title`, `author` and `published` (WCXB), the share of pages whose
//!   extracted title, authors and date match, and how often a date was given where gold has none.
//!
//! Articles are matched to gold by origin; for `text`, a report's articles also match a gold id
//! by their file name without extensions (`html/0001.html.gz` is page `0001`) or by URL.

pub mod quotes;

use std::collections::{BTreeMap, HashMap};
use std::path::Path;

use serde_json::{json, Map, Value};

#[derive(Debug, thiserror::Error)]
pub enum EvalError {
    #[error("{path}: {message}")]
    Input { path: String, message: String },
}

fn input(path: &Path, message: impl Into<String>) -> EvalError {
    EvalError::Input {
        path: path.display().to_string(),
        message: message.into(),
    }
}

fn read(path: &Path) -> Result<String, EvalError> {
    std::fs::read_to_string(path).map_err(|e| input(path, format!("cannot read: {e}")))
}

fn json_lines(path: &Path) -> Result<Vec<Value>, EvalError> {
    let mut out = Vec::new();
    for (i, line) in read(path)?.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        out.push(
            serde_json::from_str(line).map_err(|e| input(path, format!("line {}: {e}", i + 1)))?,
        );
    }
    Ok(out)
}

fn load_report(path: &Path) -> Result<Value, EvalError> {
    let v: Value = serde_json::from_str(&read(path)?)
        .map_err(|e| input(path, format!("not a JSON report: {e}")))?;
    if v.get("version").and_then(Value::as_u64) != Some(1) {
        return Err(input(
            path,
            format!(
                "report version {}, expected 1",
                v.get("version").unwrap_or(&Value::Null)
            ),
        ));
    }
    Ok(v)
}

fn r4(x: f64) -> f64 {
    (x * 10_000.0).round() / 10_000.0
}

fn c2(x: f64) -> f64 {
    x * (x - 1.0) / 2.0
}

/// Clustering scores of `pred` against `gold` over the same items.
pub fn cluster_metrics(gold: &[String], pred: &[String]) -> Map<String, Value> {
    let n = gold.len() as f64;
    let mut both: HashMap<(&str, &str), f64> = HashMap::new();
    let mut g: HashMap<&str, f64> = HashMap::new();
    let mut p: HashMap<&str, f64> = HashMap::new();
    for (a, b) in gold.iter().zip(pred) {
        *both.entry((a, b)).or_default() += 1.0;
        *g.entry(a).or_default() += 1.0;
        *p.entry(b).or_default() += 1.0;
    }
    let tp: f64 = both.values().map(|&v| c2(v)).sum();
    let gp: f64 = g.values().map(|&v| c2(v)).sum();
    let pp: f64 = p.values().map(|&v| c2(v)).sum();
    let precision = if pp > 0.0 { tp / pp } else { 1.0 };
    let recall = if gp > 0.0 { tp / gp } else { 1.0 };
    let f1 = if precision + recall > 0.0 {
        2.0 * precision * recall / (precision + recall)
    } else {
        0.0
    };
    let total = n * (n - 1.0) / 2.0;
    let expected = if total > 0.0 { gp * pp / total } else { 0.0 };
    let top = (gp + pp) / 2.0;
    let ari = if top != expected {
        (tp - expected) / (top - expected)
    } else {
        1.0
    };
    let bp: f64 = gold
        .iter()
        .zip(pred)
        .map(|(a, b)| both[&(a.as_str(), b.as_str())] / p[b.as_str()])
        .sum::<f64>()
        / n;
    let br: f64 = gold
        .iter()
        .zip(pred)
        .map(|(a, b)| both[&(a.as_str(), b.as_str())] / g[a.as_str()])
        .sum::<f64>()
        / n;
    let bf = if bp + br > 0.0 {
        2.0 * bp * br / (bp + br)
    } else {
        0.0
    };
    let h = |cnt: &HashMap<&str, f64>| -cnt.values().map(|&v| v / n * (v / n).ln()).sum::<f64>();
    let mi: f64 = both
        .iter()
        .map(|((a, b), &v)| v / n * ((v / n) / ((g[a] / n) * (p[b] / n))).ln())
        .sum();
    let (hg, hp) = (h(&g), h(&p));
    let nmi = if hg * hp != 0.0 {
        mi / (hg * hp).sqrt()
    } else if hg == hp {
        1.0
    } else {
        0.0
    };
    let mut m = Map::new();
    m.insert("articles".into(), json!(gold.len()));
    m.insert("gold_clusters".into(), json!(g.len()));
    m.insert("pred_clusters".into(), json!(p.len()));
    m.insert("pair_P".into(), json!(r4(precision)));
    m.insert("pair_R".into(), json!(r4(recall)));
    m.insert("pair_F1".into(), json!(r4(f1)));
    m.insert("ARI".into(), json!(r4(ari)));
    m.insert("bcubed_P".into(), json!(r4(bp)));
    m.insert("bcubed_R".into(), json!(r4(br)));
    m.insert("bcubed_F1".into(), json!(r4(bf)));
    m.insert("NMI".into(), json!(r4(nmi)));
    m
}

fn str_of(v: &Value) -> Option<String> {
    match v {
        Value::String(s) => Some(s.clone()),
        Value::Number(n) => Some(n.to_string()),
        _ => None,
    }
}

/// Story clustering scores; `filter` keeps the gold lines with a field of a value (as
/// `split=test`), so that a stream of all splits can be scored on one.
pub fn score_stories(
    report: &Path,
    gold: &Path,
    filter: Option<(&str, &str)>,
) -> Result<Value, EvalError> {
    const KEYS: [&str; 4] = ["story", "incident_id", "subtopic", "clusterNo"];
    let mut gold_map: Vec<(String, String)> = Vec::new();
    // Gold is JSON lines, or one object of origin -> labels (the copies gold, which also
    // names each article's story).
    let lines = match serde_json::from_str::<Value>(&read(gold)?) {
        Ok(Value::Object(m)) if m.values().all(Value::is_object) => m
            .into_iter()
            .map(|(origin, mut labels)| {
                if let Value::Object(l) = &mut labels {
                    l.insert("origin".into(), Value::String(origin));
                }
                labels
            })
            .collect(),
        _ => json_lines(gold)?,
    };
    for d in filter_gold(lines, filter) {
        let origin = ["url", "origin", "id", "Id"]
            .iter()
            .find_map(|k| d.get(*k).and_then(str_of).filter(|s| !s.is_empty()));
        let story = KEYS.iter().find_map(|k| d.get(*k).and_then(str_of));
        if let (Some(o), Some(s)) = (origin, story) {
            gold_map.push((o, s));
        }
    }
    let report = load_report(report)?;
    let pred: HashMap<String, String> = articles(&report)
        .filter_map(|a| {
            Some((
                a.get("origin").and_then(str_of)?,
                a.get("story").and_then(str_of)?,
            ))
        })
        .collect();
    let mut dedup: BTreeMap<String, String> = BTreeMap::new();
    let mut order = Vec::new();
    for (o, s) in gold_map {
        if dedup.insert(o.clone(), s).is_none() {
            order.push(o);
        }
    }
    let common: Vec<&String> = order.iter().filter(|o| pred.contains_key(*o)).collect();
    let g: Vec<String> = common.iter().map(|o| dedup[*o].clone()).collect();
    let p: Vec<String> = common.iter().map(|o| pred[*o].clone()).collect();
    let mut out = cluster_metrics(&g, &p);
    out.insert("unmatched_gold".into(), json!(order.len() - common.len()));
    Ok(Value::Object(out))
}

fn articles(report: &Value) -> impl Iterator<Item = &Value> {
    report
        .get("articles")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
}

pub fn score_copies(report_path: &Path, gold_path: &Path) -> Result<Value, EvalError> {
    let gold: Map<String, Value> = serde_json::from_str(&read(gold_path)?).map_err(|e| {
        input(
            gold_path,
            format!("not a JSON object of origin -> labels: {e}"),
        )
    })?;
    let report = load_report(report_path)?;
    let by_origin: HashMap<String, &Value> = articles(&report)
        .filter_map(|a| Some((a.get("origin").and_then(str_of)?, a)))
        .collect();
    let id_to_origin: HashMap<String, String> = articles(&report)
        .filter_map(|a| {
            Some((
                a.get("id").and_then(str_of)?,
                a.get("origin").and_then(str_of)?,
            ))
        })
        .collect();
    let field = |o: &str, k: &str| {
        gold.get(o)
            .and_then(|g| g.get(k))
            .and_then(str_of)
            .unwrap_or_default()
    };
    let fam_of = |o: &str| {
        by_origin
            .get(o)
            .and_then(|a| a.get("family"))
            .and_then(str_of)
            .unwrap_or_default()
    };
    let common: Vec<&String> = gold.keys().filter(|o| by_origin.contains_key(*o)).collect();
    let g: Vec<String> = common.iter().map(|o| field(o, "family")).collect();
    let p: Vec<String> = common.iter().map(|o| fam_of(o)).collect();
    let mut out = cluster_metrics(&g, &p);
    out.retain(|k, _| !k.starts_with("bcubed") && !k.starts_with("NMI"));
    out.insert("unmatched_gold".into(), json!(gold.len() - common.len()));

    let mut hits: BTreeMap<String, usize> = BTreeMap::new();
    let mut totals: BTreeMap<String, usize> = BTreeMap::new();
    for o in &common {
        let rel = field(o, "relation");
        if rel == "original" {
            continue;
        }
        *totals.entry(rel.clone()).or_default() += 1;
        let orig = field(o, "original_url");
        if by_origin.contains_key(&orig) && fam_of(&orig) == fam_of(o) {
            *hits.entry(rel).or_default() += 1;
        }
    }
    let by_rel: Map<String, Value> = totals
        .iter()
        .map(|(r, &t)| {
            (
                r.clone(),
                json!(r4(*hits.get(r).unwrap_or(&0) as f64 / t as f64)),
            )
        })
        .collect();
    out.insert("recall_by_relation".into(), Value::Object(by_rel));

    let families: HashMap<String, &Value> = report
        .get("families")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(|f| Some((f.get("id").and_then(str_of)?, f)))
        .collect();
    let mut gold_fams: Vec<String> = common
        .iter()
        .filter(|o| field(o, "relation") != "original")
        .map(|o| field(o, "family"))
        .collect();
    gold_fams.sort();
    gold_fams.dedup();
    let (mut right, mut asked) = (0usize, 0usize);
    for fam in gold_fams {
        let Some(orig) = common
            .iter()
            .find(|o| field(o, "family") == fam && field(o, "relation") == "original")
        else {
            continue;
        };
        asked += 1;
        let pf = families.get(&fam_of(orig));
        let copies_with_it = common
            .iter()
            .filter(|o| field(o, "family") == fam && **o != *orig && fam_of(o) == fam_of(orig))
            .count();
        let chosen = pf
            .and_then(|f| f.get("original"))
            .and_then(str_of)
            .and_then(|id| id_to_origin.get(&id).cloned());
        if pf.is_some() && copies_with_it > 0 && chosen.as_deref() == Some(orig.as_str()) {
            right += 1;
        }
    }
    out.insert(
        "original_accuracy".into(),
        if asked > 0 {
            json!(r4(right as f64 / asked as f64))
        } else {
            Value::Null
        },
    );
    Ok(Value::Object(out))
}

/// `\w+` words in lower case, as Python's `re.findall(r"\w+", s.lower())`.
fn py_words(s: &str) -> Vec<String> {
    let lower = s.to_lowercase();
    let mut out = Vec::new();
    let mut cur = String::new();
    for c in lower.chars() {
        if c.is_alphanumeric() || c == '_' || is_py_word_mark(c) {
            cur.push(c);
        } else if !cur.is_empty() {
            out.push(std::mem::take(&mut cur));
        }
    }
    if !cur.is_empty() {
        out.push(cur);
    }
    out
}

/// Combining marks count as word characters in Python's `\w`.
fn is_py_word_mark(c: char) -> bool {
    matches!(c as u32, 0x0300..=0x036F | 0x0483..=0x0489 | 0x0591..=0x05BD | 0x0610..=0x061A | 0x064B..=0x065F | 0x0900..=0x0903 | 0x093A..=0x094F | 0x0E31 | 0x0E34..=0x0E3A | 0x0E47..=0x0E4E)
}

fn shingles(words: &[String], k: usize) -> HashMap<Vec<&str>, usize> {
    let mut out = HashMap::new();
    if k == 1 {
        for w in words {
            *out.entry(vec![w.as_str()]).or_default() += 1;
        }
    } else if words.len() >= k {
        for i in 0..=words.len() - k {
            *out.entry(words[i..i + k].iter().map(String::as_str).collect())
                .or_default() += 1;
        }
    }
    out
}

fn shingle_pr(pred: &str, gold: &str, k: usize) -> (f64, f64) {
    let (pw, gw) = (py_words(pred), py_words(gold));
    let (pg, gg) = (shingles(&pw, k), shingles(&gw, k));
    let tp: usize = pg
        .iter()
        .map(|(s, &c)| c.min(*gg.get(s).unwrap_or(&0)))
        .sum();
    let np: usize = pg.values().sum();
    let ng: usize = gg.values().sum();
    let precision = if np > 0 {
        tp as f64 / np as f64
    } else if ng == 0 {
        1.0
    } else {
        0.0
    };
    let recall = if ng > 0 { tp as f64 / ng as f64 } else { 1.0 };
    (precision, recall)
}

/// Predicted pages for the text task: from a report (matched by origin, file stem or URL) or
/// from JSON lines with `id` and `text`.
fn predicted_pages(path: &Path, gold: &[Value]) -> Result<HashMap<String, Value>, EvalError> {
    let raw = read(path)?;
    let trimmed = raw.trim_start();
    let is_report = trimmed.starts_with('{')
        && serde_json::from_str::<Value>(trimmed)
            .ok()
            .is_some_and(|v| v.get("version").is_some() && v.get("articles").is_some());
    let mut out = HashMap::new();
    if !is_report {
        for d in json_lines(path)? {
            if let Some(id) = d.get("id").and_then(str_of) {
                out.entry(id).or_insert(d);
            }
        }
        return Ok(out);
    }
    let report = load_report(path)?;
    let gold_by_url: HashMap<String, String> = gold
        .iter()
        .filter_map(|g| {
            Some((
                g.get("url").and_then(str_of)?,
                g.get("id").and_then(str_of)?,
            ))
        })
        .collect();
    for a in articles(&report) {
        let origin = a.get("origin").and_then(str_of).unwrap_or_default();
        let mut keys = vec![origin.clone(), file_stem(&origin)];
        if let Some(id) = gold_by_url.get(&origin) {
            keys.push(id.clone());
        }
        if let Some(id) = a
            .get("url")
            .and_then(str_of)
            .and_then(|u| gold_by_url.get(&u).cloned())
        {
            keys.push(id);
        }
        for k in keys {
            out.entry(k).or_insert_with(|| a.clone());
        }
    }
    Ok(out)
}

fn file_stem(origin: &str) -> String {
    let name = origin.rsplit(['/', '\\']).next().unwrap_or(origin);
    name.split('.').next().unwrap_or(name).to_string()
}

/// Keeps the gold records whose `key` equals `value` (e.g. `page_type=article`).
pub fn filter_gold(gold: Vec<Value>, filter: Option<(&str, &str)>) -> Vec<Value> {
    match filter {
        None => gold,
        Some((k, v)) => gold
            .into_iter()
            .filter(|g| g.get(k).and_then(str_of).as_deref() == Some(v))
            .collect(),
    }
}

pub fn score_text(
    pred_path: &Path,
    gold_path: &Path,
    filter: Option<(&str, &str)>,
) -> Result<Value, EvalError> {
    let gold = filter_gold(json_lines(gold_path)?, filter);
    let pred = predicted_pages(pred_path, &gold)?;
    let mut gold_ids: Vec<(String, &Value)> = Vec::new();
    let mut seen = std::collections::HashSet::new();
    for g in &gold {
        if let Some(id) = g.get("id").and_then(str_of) {
            if seen.insert(id.clone()) {
                gold_ids.push((id, g));
            }
        }
    }
    let ids: Vec<&(String, &Value)> = gold_ids
        .iter()
        .filter(|(id, _)| pred.contains_key(id))
        .collect();
    let mut out = Map::new();
    out.insert("pages".into(), json!(ids.len()));
    out.insert("unmatched_gold".into(), json!(gold_ids.len() - ids.len()));
    let text_of = |v: &Value| {
        v.get("text")
            .and_then(Value::as_str)
            .unwrap_or("")
            .to_string()
    };
    for (name, k) in [("shingle4", 4usize), ("words", 1usize)] {
        let (mut ps, mut rs, mut fs) = (Vec::new(), Vec::new(), Vec::new());
        for (id, g) in &ids {
            let (p, r) = shingle_pr(&text_of(&pred[id]), &text_of(g), k);
            ps.push(p);
            rs.push(r);
            fs.push(if p + r > 0.0 {
                2.0 * p * r / (p + r)
            } else {
                0.0
            });
        }
        let n = ids.len().max(1) as f64;
        let (mp, mr) = (ps.iter().sum::<f64>() / n, rs.iter().sum::<f64>() / n);
        let f1m = if mp + mr > 0.0 {
            2.0 * mp * mr / (mp + mr)
        } else {
            0.0
        };
        out.insert(
            name.into(),
            json!({"P": r4(mp), "R": r4(mr), "F1_of_means": r4(f1m), "mean_F1": r4(fs.iter().sum::<f64>() / n)}),
        );
    }
    if ids
        .iter()
        .any(|(_, g)| g.get("title").is_some() || g.get("published").is_some())
    {
        out.insert("metadata".into(), metadata_scores(&ids, &pred));
    }
    Ok(Value::Object(out))
}

/// Title, author and date agreement with gold metadata (WCXB).
fn metadata_scores(ids: &[&(String, &Value)], pred: &HashMap<String, Value>) -> Value {
    let s = |v: Option<&Value>| {
        v.and_then(str_of)
            .map(|x| x.trim().to_string())
            .filter(|x| !x.is_empty())
    };
    let (mut title_ok, mut title_n) = (0, 0);
    let (mut author_ok, mut author_n, mut author_none_ok, mut author_none_n) = (0, 0, 0, 0);
    let (mut date_ok, mut date_n, mut date_invented, mut date_none_n) = (0, 0, 0, 0);
    for (id, g) in ids {
        let p = &pred[id];
        if let Some(gt) = s(g.get("title")) {
            title_n += 1;
            if s(p.get("title"))
                .is_some_and(|pt| crate::text::normalize(&pt) == crate::text::normalize(&gt))
            {
                title_ok += 1;
            }
        }
        let pred_authors: Vec<String> = match p.get("authors").or_else(|| p.get("author")) {
            Some(Value::Array(a)) => a.iter().filter_map(str_of).collect(),
            Some(Value::String(x)) if !x.trim().is_empty() => vec![x.clone()],
            _ => vec![],
        };
        match s(g.get("author")) {
            Some(ga) => {
                author_n += 1;
                if authors_match(&pred_authors, &ga) {
                    author_ok += 1;
                }
            }
            None => {
                author_none_n += 1;
                if pred_authors.is_empty() {
                    author_none_ok += 1;
                }
            }
        }
        let pd = s(p.get("published").or_else(|| p.get("date")));
        match s(g.get("published")) {
            Some(gd) => {
                date_n += 1;
                if pd.as_deref().map(crate::extract::date::day_of)
                    == Some(crate::extract::date::day_of(&gd))
                {
                    date_ok += 1;
                }
            }
            None => {
                date_none_n += 1;
                if pd.is_some() {
                    date_invented += 1;
                }
            }
        }
    }
    let rate = |a: usize, n: usize| {
        if n > 0 {
            json!(r4(a as f64 / n as f64))
        } else {
            Value::Null
        }
    };
    json!({
        "title_exact": rate(title_ok, title_n), "title_pages": title_n,
        "author_match": rate(author_ok, author_n), "author_pages": author_n,
        "author_none_right": rate(author_none_ok, author_none_n), "author_none_pages": author_none_n,
        "date_exact": rate(date_ok, date_n), "date_pages": date_n,
        "date_invented": rate(date_invented, date_none_n), "date_none_pages": date_none_n,
    })
}

/// An author field matches when every predicted person is named in the gold field and the
/// gold's first person is among the predicted (case and punctuation aside).
fn authors_match(pred: &[String], gold: &str) -> bool {
    if pred.is_empty() {
        return false;
    }
    let norm = |s: &str| py_words(s).join(" ");
    let gold_norm = norm(gold);
    let first_gold = gold.split([',', ';', '&', '|']).next().unwrap_or(gold);
    let first_gold = first_gold.split(" and ").next().unwrap_or(first_gold);
    let first_norm = norm(first_gold);
    pred.iter().all(|p| gold_norm.contains(&norm(p))) && pred.iter().any(|p| norm(p) == first_norm)
}

/// A threshold check such as `shingle4.F1_of_means>=0.955`.
pub fn check(scores: &Value, spec: &str) -> Result<(bool, f64), String> {
    let (path, op, want) = ["<=", ">=", "<", ">"]
        .iter()
        .find_map(|op| spec.split_once(op).map(|(p, v)| (p.trim(), *op, v.trim())))
        .ok_or_else(|| format!("check {spec:?}: expected METRIC>=VALUE (or <=, >, <)"))?;
    let want: f64 = want
        .parse()
        .map_err(|_| format!("check {spec:?}: {want:?} is not a number"))?;
    let mut v = scores;
    for part in path.split('.') {
        v = v
            .get(part)
            .ok_or_else(|| format!("check {spec:?}: no metric {path:?} in the scores"))?;
    }
    let got = v
        .as_f64()
        .ok_or_else(|| format!("check {spec:?}: {path} is not a number"))?;
    let ok = match op {
        ">=" => got >= want,
        "<=" => got <= want,
        ">" => got > want,
        _ => got < want,
    };
    Ok((ok, got))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn s(v: &[&str]) -> Vec<String> {
        v.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn cluster_metrics_match_hand_computed_values() {
        let m = cluster_metrics(
            &s(&["a", "a", "a", "b", "b"]),
            &s(&["x", "x", "y", "y", "y"]),
        );
        // pairs: gold 3+1=4, pred 1+3=4, both: (a,x)=1 pair, (b,y)=1 pair -> tp=2
        assert_eq!(m["pair_P"], json!(0.5));
        assert_eq!(m["pair_R"], json!(0.5));
        let perfect = cluster_metrics(&s(&["a", "a", "b"]), &s(&["1", "1", "2"]));
        assert_eq!(
            (
                perfect["pair_F1"].clone(),
                perfect["ARI"].clone(),
                perfect["NMI"].clone()
            ),
            (json!(1.0), json!(1.0), json!(1.0))
        );
    }

    #[test]
    fn text_scores_follow_the_shingle_definition() {
        let (p, r) = shingle_pr("one two three four five", "one two three four", 4);
        assert_eq!((p, r), (0.5, 1.0));
        assert_eq!(shingle_pr("", "", 4), (1.0, 1.0));
        assert_eq!(
            py_words("Don't stop_now, Café!"),
            s(&["don", "t", "stop_now", "café"])
        );
    }

    #[test]
    fn authors_and_checks() {
        assert!(authors_match(
            &s(&["Danielle DeSiato", "Donna Enzmann"]),
            "Danielle DeSiato, Donna Enzmann, and Natalie Nguyen"
        ));
        assert!(!authors_match(&s(&["Someone Else"]), "Danielle DeSiato"));
        let scores = json!({"words": {"mean_F1": 0.94}});
        assert_eq!(check(&scores, "words.mean_F1>=0.93"), Ok((true, 0.94)));
        assert!(!check(&scores, "words.mean_F1>0.95").unwrap().0);
        assert!(check(&scores, "nope>=1").is_err());
    }
}
