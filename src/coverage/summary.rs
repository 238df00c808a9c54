//! The consensus summary: a few extracted sentences that together cover what most independent
//! sources report, each with the sources that support it; then what only one source reports.
//!
//! Input: each independent source's sentences (its family's original). Output: 3-7
//! [`SummarySentence`]s and the [`OnlyIn`] facts.
//!
//! The idea: a sentence is supported by a source when that source has a sentence sharing most
//! of its content words (stems, stop words out; overlap over the shorter of the two at least
//! 0.5, and at least four words). Candidates are found through an inverted index of content
//! words, so a story of hundreds of sentences costs little more than reading them. The summary
//! is chosen greedily by support, then by position (leads first), skipping sentences that
//! repeat one already chosen, and is shown in the order the sources tell it. A sentence no
//! other source supports that carries a fact (a number or a name) is "only in" its source.

use std::collections::{BTreeSet, HashMap};

use super::{OnlyIn, SummarySentence};

/// One independent source as the summary reads it.
pub struct Source<'a> {
    pub family: &'a str,
    pub article: &'a str,
    pub outlet: Option<&'a str>,
    pub sentences: &'a [String],
}

const STOP: &[&str] = &[
    "the", "and", "for", "that", "with", "was", "were", "are", "has", "have", "had", "his", "her",
    "its", "their", "this", "from", "but", "not", "they", "she", "him", "who", "which", "will",
    "would", "said", "says", "also", "been", "after", "about", "into", "than", "then", "there",
    "when", "what", "where", "more", "other", "some", "could", "should", "over", "while", "our",
    "out", "all", "one", "two", "can", "may", "did", "does", "just", "very", "because", "them",
    "told", "being", "such", "only", "most", "many", "these", "those", "each",
];

fn stems(sentence: &str) -> BTreeSet<String> {
    crate::text::words(sentence)
        .map(|w| w.to_lowercase())
        .filter(|w| w.chars().count() >= 3 && !STOP.contains(&w.as_str()))
        .map(|w| {
            let w = w.trim_end_matches("'s").to_string();
            if w.len() > 4 && w.ends_with('s') && !w.ends_with("ss") {
                w[..w.len() - 1].to_string()
            } else {
                w
            }
        })
        .collect()
}

fn similar(a: &BTreeSet<String>, b: &BTreeSet<String>) -> bool {
    let shared = a.intersection(b).count();
    let shorter = a.len().min(b.len());
    shared >= 4 && shared * 2 >= shorter
}

struct Candidate {
    source: usize,
    position: f64,
    words: BTreeSet<String>,
    text: String,
    fact: bool,
}

fn carries_fact(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
        || s.split_whitespace()
            .skip(1)
            .any(|w| w.starts_with(char::is_uppercase))
}

/// The consensus summary and the facts only one source reports.
pub fn summarize(sources: &[Source]) -> (Vec<SummarySentence>, Vec<OnlyIn>) {
    let mut cands: Vec<Candidate> = Vec::new();
    for (si, s) in sources.iter().enumerate() {
        let n = s.sentences.len().max(1) as f64;
        for (k, text) in s.sentences.iter().enumerate() {
            let words = text.split_whitespace().count();
            if !(6..=80).contains(&words) {
                continue;
            }
            cands.push(Candidate {
                source: si,
                position: k as f64 / n,
                words: stems(text),
                text: text.trim().to_string(),
                fact: carries_fact(text),
            });
        }
    }
    // Postings of content words; a word in very many sentences finds nothing specific.
    let mut postings: HashMap<&str, Vec<usize>> = HashMap::new();
    for (i, c) in cands.iter().enumerate() {
        for w in &c.words {
            postings.entry(w.as_str()).or_default().push(i);
        }
    }
    let cap = (cands.len() / 4).max(64);
    let support: Vec<BTreeSet<usize>> = cands
        .iter()
        .enumerate()
        .map(|(i, c)| {
            let mut shared: HashMap<usize, usize> = HashMap::new();
            for w in &c.words {
                let list = &postings[w.as_str()];
                if list.len() > cap {
                    continue;
                }
                for &j in list {
                    if cands[j].source != c.source {
                        *shared.entry(j).or_default() += 1;
                    }
                }
            }
            let mut sup: BTreeSet<usize> = BTreeSet::from([c.source]);
            for (j, n) in shared {
                if n >= 4 && similar(&c.words, &cands[j].words) {
                    sup.insert(cands[j].source);
                }
            }
            let _ = i;
            sup
        })
        .collect();
    let mut order: Vec<usize> = (0..cands.len()).collect();
    order.sort_by(|&a, &b| {
        support[b]
            .len()
            .cmp(&support[a].len())
            .then(cands[a].position.total_cmp(&cands[b].position))
            .then(a.cmp(&b))
    });
    let multi = sources.len() >= 2;
    let mut chosen: Vec<usize> = Vec::new();
    for &i in &order {
        if chosen.len() >= 7 {
            break;
        }
        // Past three sentences, only what more than one source says.
        if chosen.len() >= 3 && multi && support[i].len() < 2 {
            break;
        }
        if chosen
            .iter()
            .any(|&j| similar(&cands[i].words, &cands[j].words))
        {
            continue;
        }
        chosen.push(i);
    }
    // Told in the order the sources tell it.
    chosen.sort_by(|&a, &b| {
        cands[a]
            .position
            .total_cmp(&cands[b].position)
            .then(a.cmp(&b))
    });
    let summary = chosen
        .iter()
        .map(|&i| SummarySentence {
            sentence: cands[i].text.clone(),
            support: support[i]
                .iter()
                .map(|&s| sources[s].family.to_string())
                .collect(),
        })
        .collect();
    let mut only = Vec::new();
    if multi {
        let mut per_source: HashMap<usize, usize> = HashMap::new();
        let mut by_position: Vec<usize> = (0..cands.len()).collect();
        by_position.sort_by(|&a, &b| cands[a].source.cmp(&cands[b].source).then(a.cmp(&b)));
        for i in by_position {
            let c = &cands[i];
            if support[i].len() != 1 || !c.fact || only.len() >= 10 {
                continue;
            }
            // A summary sentence only this source has (filling the summary to three) is
            // still a fact only it reports.
            if chosen
                .iter()
                .any(|&j| support[j].len() > 1 && similar(&c.words, &cands[j].words))
            {
                continue;
            }
            let n = per_source.entry(c.source).or_default();
            if *n >= 2 {
                continue;
            }
            *n += 1;
            let s = &sources[c.source];
            only.push(OnlyIn {
                family: s.family.to_string(),
                article: s.article.to_string(),
                outlet: s.outlet.map(str::to_string),
                sentence: c.text.clone(),
            });
        }
    }
    (summary, only)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn v(s: &[&str]) -> Vec<String> {
        s.iter().map(|x| x.to_string()).collect()
    }

    #[test]
    fn the_summary_keeps_what_sources_share_and_names_what_one_adds() {
        let a = v(&[
            "The Orrin dam spillway failed on Tuesday night after three days of heavy rain.",
            "About 400 residents of Lower Orrin were moved to the school gym overnight.",
            "Engineer Tomas Reyl said a cracked gate had been reported in March.",
        ]);
        let b = v(&[
            "Heavy rain over three days caused the Orrin dam spillway to fail on Tuesday night.",
            "Officials moved about 400 residents of Lower Orrin to the school gym.",
            "The regional council will meet on Friday to discuss repairs to the dam.",
        ]);
        let c = v(&[
            "The spillway of the Orrin dam failed Tuesday night after heavy rain for three days.",
            "Some 400 Lower Orrin residents spent the night in the school gym, officials said.",
        ]);
        let sources = [
            Source {
                family: "fa",
                article: "a",
                outlet: Some("Alpha"),
                sentences: &a,
            },
            Source {
                family: "fb",
                article: "b",
                outlet: Some("Beta"),
                sentences: &b,
            },
            Source {
                family: "fc",
                article: "c",
                outlet: None,
                sentences: &c,
            },
        ];
        let (summary, only) = summarize(&sources);
        assert!(summary.len() >= 2 && summary.len() <= 7, "{summary:?}");
        assert_eq!(summary[0].support, ["fa", "fb", "fc"]);
        assert!(summary[0].sentence.contains("spillway"));
        assert!(
            only.iter()
                .any(|o| o.family == "fb" && o.sentence.contains("council")),
            "{only:?}"
        );
        assert!(
            only.iter()
                .any(|o| o.family == "fa" && o.sentence.contains("Reyl")),
            "{only:?}"
        );
    }

    #[test]
    fn one_source_gives_its_lead() {
        let a = v(&[
            "The first sentence of the only report is here today.",
            "The second sentence of the only report is also here.",
            "A third sentence follows with more words in it now.",
            "And a fourth sentence closes the short report for good.",
        ]);
        let (summary, only) = summarize(&[Source {
            family: "f",
            article: "a",
            outlet: None,
            sentences: &a,
        }]);
        assert!(summary.len() >= 3);
        assert!(only.is_empty());
        assert!(summarize(&[]).0.is_empty());
    }
}
