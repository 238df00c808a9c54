//! Scoring attribution (who said what) on PolNeAR-style brat data.
//!
//! Input: a split directory with `text/NAME.txt` and `attributions/NAME_ANNOTATOR.ann` (brat
//! standoff, character offsets). Output: exact-span precision, recall and F1 for source, cue and
//! content, micro-averaged over every annotation file (an article annotated by two people is
//! scored twice, once against each), and the speaker accuracy of direct quotes: of the gold
//! attributions whose content is in quotation marks and that name a source, the share whose
//! content we find (overlapping at least half of it) with exactly the gold source span.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use serde_json::{json, Value};

use super::{input, r4, read, EvalError};
use crate::coverage::attribution::{train::Example, Model, Role, Span};

/// One annotated text: spans in byte offsets and the attributions as (content, source) pairs.
pub struct Annotated {
    pub name: String,
    pub text: String,
    pub spans: Vec<Span>,
    pub links: Vec<(Span, Option<Span>)>,
}

/// Reads a brat split directory (`text/`, `attributions/`). Files that cannot be read or
/// parsed are errors; lines that are not spans of the three roles are skipped.
pub fn read_split(dir: &Path) -> Result<Vec<Annotated>, EvalError> {
    let ann_dir = dir.join("attributions");
    let text_dir = dir.join("text");
    let mut names: Vec<_> = std::fs::read_dir(&ann_dir)
        .map_err(|e| input(&ann_dir, format!("cannot list: {e}")))?
        .filter_map(|e| e.ok())
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "ann"))
        .collect();
    names.sort();
    let mut out = Vec::new();
    let mut texts: HashMap<String, String> = HashMap::new();
    for ann in names {
        let stem = ann
            .file_stem()
            .map(|s| s.to_string_lossy().into_owned())
            .unwrap_or_default();
        // NAME_ANNOTATOR.ann annotates text/NAME.txt.
        let base = stem.rsplit_once('_').map_or(stem.as_str(), |(b, _)| b);
        let text_path = text_dir.join(format!("{base}.txt"));
        if !texts.contains_key(base) {
            let t = match read(&text_path) {
                Ok(t) => t,
                Err(_) => continue, // annotations of a text the split does not hold
            };
            texts.insert(base.to_string(), t);
        }
        let text = texts[base].clone();
        let (spans, links) = parse_ann(&read(&ann)?, &text);
        out.push(Annotated {
            name: stem,
            text,
            spans,
            links,
        });
    }
    if out.is_empty() {
        return Err(input(
            dir,
            "no annotated texts (expected text/ and attributions/)",
        ));
    }
    Ok(out)
}

fn parse_ann(ann: &str, text: &str) -> (Vec<Span>, Vec<(Span, Option<Span>)>) {
    // brat offsets count characters; spans here are bytes.
    let mut byte_at: Vec<usize> = text.char_indices().map(|(b, _)| b).collect();
    byte_at.push(text.len());
    let mut by_id: HashMap<&str, Span> = HashMap::new();
    let mut spans = Vec::new();
    let mut links = Vec::new();
    for line in ann.lines() {
        let mut parts = line.split('\t');
        let (Some(id), Some(body)) = (parts.next(), parts.next()) else {
            continue;
        };
        if id.starts_with('T') {
            let mut f = body.split(' ');
            let role = match f.next() {
                Some("Source") => Role::Source,
                Some("Cue") => Role::Cue,
                Some("Content") => Role::Content,
                _ => continue,
            };
            // Discontinuous spans ("0 5;9 12") are taken from their first start to last end.
            let offsets: Vec<usize> = f
                .flat_map(|x| x.split(';'))
                .filter_map(|x| x.parse().ok())
                .collect();
            let (Some(&s), Some(&e)) = (offsets.first(), offsets.last()) else {
                continue;
            };
            let (Some(&start), Some(&end)) = (byte_at.get(s), byte_at.get(e)) else {
                continue;
            };
            if start >= end {
                continue;
            }
            let span = Span { role, start, end };
            by_id.insert(id, span);
            spans.push(span);
        } else if id.starts_with('E') {
            let mut content = None;
            let mut source = None;
            for arg in body.split(' ') {
                match arg.split_once(':') {
                    Some(("Content", t)) => content = by_id.get(t).copied(),
                    Some(("Source", t)) => source = by_id.get(t).copied(),
                    _ => {}
                }
            }
            if let Some(c) = content {
                links.push((c, source));
            }
        }
    }
    spans.sort();
    spans.dedup();
    (spans, links)
}

/// Training examples from a split.
pub fn examples(docs: &[Annotated]) -> Vec<Example> {
    docs.iter()
        .map(|d| Example {
            text: d.text.clone(),
            spans: d.spans.clone(),
        })
        .collect()
}

fn is_direct(text: &str, s: &Span) -> bool {
    let c = text[s.start..s.end].trim();
    let quote = |ch: char| matches!(ch, '"' | '\u{201C}' | '\u{201D}' | '\u{00AB}' | '\u{00BB}');
    c.starts_with(quote) || c.ends_with(quote)
}

/// Scores a model on annotated texts.
pub fn score(model: &Model, docs: &[Annotated]) -> Value {
    let roles = [Role::Source, Role::Cue, Role::Content];
    let mut tp = [0usize; 3];
    let mut np = [0usize; 3];
    let mut ng = [0usize; 3];
    let mut direct = 0usize;
    let mut direct_right = 0usize;
    let mut cache: HashMap<&str, (Vec<Span>, Vec<_>)> = HashMap::new();
    for d in docs {
        let (pred, attrs) = cache.entry(d.text.as_str()).or_insert_with(|| {
            let spans = model.spans(&d.text);
            let attrs = crate::coverage::attribution::group(&spans, &d.text);
            (spans, attrs)
        });
        let gold: HashSet<&Span> = d.spans.iter().collect();
        let predicted: HashSet<&Span> = pred.iter().collect();
        for (k, role) in roles.iter().enumerate() {
            ng[k] += gold.iter().filter(|s| s.role == *role).count();
            np[k] += predicted.iter().filter(|s| s.role == *role).count();
            tp[k] += predicted
                .iter()
                .filter(|s| s.role == *role && gold.contains(*s))
                .count();
        }
        for (content, source) in &d.links {
            let Some(source) = source else { continue };
            if !is_direct(&d.text, content) {
                continue;
            }
            direct += 1;
            let found = attrs.iter().find(|a| {
                let overlap = a.content.end.min(content.end) as isize
                    - a.content.start.max(content.start) as isize;
                overlap * 2 >= (content.end - content.start) as isize
            });
            if found.is_some_and(|a| a.source == Some(*source)) {
                direct_right += 1;
            }
        }
    }
    let mut out = serde_json::Map::new();
    for (k, role) in roles.iter().enumerate() {
        let p = if np[k] > 0 {
            tp[k] as f64 / np[k] as f64
        } else {
            1.0
        };
        let r = if ng[k] > 0 {
            tp[k] as f64 / ng[k] as f64
        } else {
            1.0
        };
        let f = if p + r > 0.0 {
            2.0 * p * r / (p + r)
        } else {
            0.0
        };
        out.insert(
            role.name().to_string(),
            json!({"P": r4(p), "R": r4(r), "F1": r4(f), "gold": ng[k], "predicted": np[k]}),
        );
    }
    out.insert("documents".into(), json!(docs.len()));
    out.insert("direct_quotes_with_source".into(), json!(direct));
    out.insert(
        "direct_speaker_accuracy".into(),
        json!(r4(if direct > 0 {
            direct_right as f64 / direct as f64
        } else {
            1.0
        })),
    );
    Value::Object(out)
}

/// Of the speakers the shipped pipeline reports for the quotes of each text (coverage, as a
/// story page shows them), how many are people or bodies, judged against the annotators: a
/// speaker is one when some source the annotators marked in the same text names it (the same
/// words, one inside the other, or the same last word: "Tomasz Welk" for a source "Welk", "the
/// ministry" for "the foreign ministry"). A demonym, a place from a nearby clause or a clause
/// matches no annotated source. Returns (speakers reported, of them people or bodies).
pub fn speakers_named(docs: &[Annotated]) -> (usize, usize) {
    let mut seen: HashSet<&str> = HashSet::new();
    let (mut reported, mut named) = (0, 0);
    for d in docs {
        if !seen.insert(d.text.as_str()) {
            continue;
        }
        // Every annotation file of the text: the sources any annotator marked.
        let sources: Vec<String> = docs
            .iter()
            .filter(|o| o.text == d.text)
            .flat_map(|o| o.spans.iter().filter(|s| s.role == Role::Source))
            .map(|s| d.text[s.start..s.end].trim().to_lowercase())
            .collect();
        let family = vec!["f".to_string()];
        let piece = crate::coverage::Piece {
            article: "a",
            family: "f",
            original: true,
            outlet: None,
            published: None,
            text: &d.text,
        };
        let last = |s: &str| {
            s.split(|c: char| !c.is_alphanumeric())
                .rfind(|w| w.len() >= 3)
                .map(str::to_string)
        };
        for q in crate::coverage::cover(&family, &[piece]).quotes {
            let Some(sp) = q.speaker else { continue };
            reported += 1;
            let sp = sp.to_lowercase();
            let tail = last(&sp);
            if sources.iter().any(|g| {
                g == &sp
                    || g.contains(sp.as_str())
                    || sp.contains(g.as_str())
                    || (tail.is_some() && last(g) == tail)
            }) {
                named += 1;
            }
        }
    }
    (reported, named)
}

/// `eval --task quotes`: the shipped model on a split directory, and the speakers the shipped
/// pipeline reports (see [`speakers_named`]).
pub fn score_split(dir: &Path) -> Result<Value, EvalError> {
    let docs = read_split(dir)?;
    let mut out = score(Model::shipped(), &docs);
    let (reported, named) = speakers_named(&docs);
    if let Value::Object(m) = &mut out {
        m.insert("speakers_reported".into(), json!(reported));
        m.insert(
            "speakers_person_or_body".into(),
            json!(r4(if reported > 0 {
                named as f64 / reported as f64
            } else {
                1.0
            })),
        );
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn brat_character_offsets_become_byte_offsets() {
        let text = "“Ça va,” Zoë said.";
        let ann = "T1\tContent 0 8\t“Ça va,”\nT2\tSource 9 12\tZoë\nT3\tCue 13 17\tsaid\nE1\tAttribution:T3 Content:T1 Source:T2 Cue:T3\n";
        let (spans, links) = parse_ann(ann, text);
        let got: Vec<&str> = spans.iter().map(|s| &text[s.start..s.end]).collect();
        assert_eq!(got, ["Zoë", "said", "“Ça va,”"]);
        assert_eq!(links.len(), 1);
        assert!(is_direct(text, &links[0].0));
    }
}
