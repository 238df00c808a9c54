//! What the tools that learn the story clusterer share: reading `storyline analyze` reports into
//! units in the order `analyze` gives them, gold stories, and running the clusterer over units
//! as `analyze` (closed) or `ingest` (streamed) would.

use std::collections::HashMap;

use serde_json::Value;
use storyline::stories::{self, Clusterer, Params, Unit};

/// One unit of a report: a family, through its original, with its articles' origins.
pub struct Item {
    pub key: String,
    pub title: Option<String>,
    pub text: String,
    pub published: Option<String>,
    pub language: Option<String>,
    pub articles: Vec<String>,
}

/// A report's units, in the order `analyze` gives the clusterer.
pub fn units(report: &Value) -> Vec<Item> {
    let articles = report["articles"].as_array().cloned().unwrap_or_default();
    let by_id: HashMap<&str, &Value> = articles
        .iter()
        .filter_map(|a| Some((a["id"].as_str()?, a)))
        .collect();
    let family_of: Vec<String> = articles
        .iter()
        .map(|a| a["family"].as_str().unwrap_or("").to_string())
        .collect();
    let mut members: HashMap<&str, Vec<String>> = HashMap::new();
    for (a, f) in articles.iter().zip(&family_of) {
        members
            .entry(f)
            .or_default()
            .push(a["origin"].as_str().unwrap_or("").to_string());
    }
    let originals: HashMap<&str, &str> = report["families"]
        .as_array()
        .map(|fs| {
            fs.iter()
                .filter_map(|f| Some((f["id"].as_str()?, f["original"].as_str()?)))
                .collect()
        })
        .unwrap_or_default();
    // The order `analyze` gives the clusterer.
    let published: Vec<Option<&str>> = articles.iter().map(|a| a["published"].as_str()).collect();
    stories::families_in_arrival_order(&published, &family_of)
        .into_iter()
        .filter_map(|f| {
            let a = by_id.get(originals.get(f)?)?;
            Some(Item {
                title: a["title"].as_str().map(String::from),
                text: a["text"].as_str().unwrap_or("").to_string(),
                published: a["published"].as_str().map(String::from),
                language: a["language"].as_str().map(String::from),
                articles: members.remove(f).unwrap_or_default(),
                key: f.to_string(),
            })
        })
        .collect()
}

impl Item {
    pub fn unit(&self) -> Unit<'_> {
        Unit {
            key: &self.key,
            title: self.title.as_deref(),
            text: &self.text,
            published: self.published.as_deref(),
            language: self.language.as_deref(),
        }
    }
}

/// Gold stories by article origin (`url` or `id`) from a JSON lines file.
pub fn gold(path: &str) -> HashMap<String, String> {
    std::fs::read_to_string(path)
        .expect("read gold")
        .lines()
        .filter_map(|l| serde_json::from_str::<Value>(l).ok())
        .filter_map(|v| {
            let id = v["url"].as_str().or(v["id"].as_str())?.to_string();
            let s = match &v["story"] {
                Value::String(s) => s.clone(),
                other => other.to_string(),
            };
            Some((id, s))
        })
        .collect()
}

/// The units of each report.
pub fn reports(paths: &[String]) -> Vec<Vec<Item>> {
    paths
        .iter()
        .map(|p| {
            let v: Value = serde_json::from_str(&std::fs::read_to_string(p).expect("read report"))
                .expect("report JSON");
            units(&v)
        })
        .collect()
}

/// Units a streamed run (see [`run`]) takes in per batch, as `ingest` of a feed would.
const BATCH: usize = 100;

/// The stories of a run over `items` in order. Closed (`streamed` false): as `analyze` ends
/// its batch, the stream is over and every unit has settled. Streamed: as `ingest` takes a
/// feed in batches of [`BATCH`], each batch ending with [`Clusterer::finish`], and the stories
/// read as they stand after the last one, when its latest units have not settled yet (a join
/// threshold that leaves the first assignment to the second look scores well closed, and
/// leaves a live store holding those units alone).
pub fn run(items: &[Item], params: Params, streamed: bool) -> HashMap<String, String> {
    let mut c = Clusterer::new(params);
    let mut got: Vec<(&Item, String)> = Vec::new();
    for (i, it) in items.iter().enumerate() {
        let s = c.add(&it.unit()).story;
        got.push((it, s));
        if streamed && (i + 1) % BATCH == 0 {
            c.finish();
        }
    }
    if streamed {
        c.finish();
    } else {
        // As `analyze` closes its stream: headlines are refined then.
        c.close();
        c.refine(got.iter().map(|(it, s)| (it.unit(), s.as_str())));
    }
    let mut out = HashMap::new();
    for (it, s) in got {
        for a in &it.articles {
            out.insert(a.clone(), c.story_of(&it.key, &s).to_string());
        }
    }
    out
}
