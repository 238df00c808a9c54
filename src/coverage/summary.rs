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

use crate::text::WordSet;
use std::collections::{BTreeSet, HashMap};

use super::{OnlyIn, SummarySentence};

/// One independent source as the summary reads it.
pub struct Source<'a> {
    pub family: &'a str,
    pub article: &'a str,
    pub outlet: Option<&'a str>,
    pub sentences: &'a [String],
}

static STOP: WordSet = WordSet::new(&[
    "the", "and", "for", "that", "with", "was", "were", "are", "has", "have", "had", "his", "her",
    "its", "their", "this", "from", "but", "not", "they", "she", "him", "who", "which", "will",
    "would", "said", "says", "also", "been", "after", "about", "into", "than", "then", "there",
    "when", "what", "where", "more", "other", "some", "could", "should", "over", "while", "our",
    "out", "all", "one", "two", "can", "may", "did", "does", "just", "very", "because", "them",
    "told", "being", "such", "only", "most", "many", "these", "those", "each",
]);

fn stems(sentence: &str) -> Vec<String> {
    let mut v: Vec<String> = crate::text::words(sentence)
        .map(|w| w.to_lowercase())
        .filter(|w| w.chars().count() >= 3 && !STOP.contains(w))
        .map(|w| {
            let w = w.trim_end_matches("'s").to_string();
            if w.len() > 4 && w.ends_with('s') && !w.ends_with("ss") {
                w[..w.len() - 1].to_string()
            } else {
                w
            }
        })
        .collect();
    v.sort_unstable();
    v.dedup();
    v
}

/// Shared words of two sorted word-id lists.
fn shared(a: &[u32], b: &[u32]) -> usize {
    let (mut i, mut j, mut n) = (0, 0, 0);
    while i < a.len() && j < b.len() {
        match a[i].cmp(&b[j]) {
            std::cmp::Ordering::Less => i += 1,
            std::cmp::Ordering::Greater => j += 1,
            std::cmp::Ordering::Equal => {
                n += 1;
                i += 1;
                j += 1;
            }
        }
    }
    n
}

fn similar(a: &[u32], b: &[u32]) -> bool {
    let n = shared(a, b);
    n >= 4 && n * 2 >= a.len().min(b.len())
}

/// A sentence as read: relative position, text, content-word stems, whether it carries a fact.
type ReadSentence = (f64, String, Vec<String>, bool);

/// Per-thread counts of the words a sentence shares with each other sentence.
#[derive(Default)]
struct Counter {
    count: Vec<u16>,
    touched: Vec<u32>,
}

struct Candidate {
    source: usize,
    position: f64,
    words: Vec<u32>,
    text: String,
    fact: bool,
}

fn contains_word(text: &str, word: &str) -> bool {
    text.match_indices(word).any(|(i, _)| {
        let before = text[..i].chars().next_back();
        let after = text[i + word.len()..].chars().next();
        !before.is_some_and(char::is_alphanumeric) && !after.is_some_and(char::is_alphanumeric)
    })
}

/// Whether a sentence leans on a person named before it: a personal pronoun with no capitalised
/// word before it but the one that opens the sentence ("'We will go on,' she said.").
fn dangling_pronoun(s: &str) -> bool {
    const PRONOUNS: &[&str] = &[
        "he", "she", "him", "his", "her", "hers", "they", "them", "their",
    ];
    for (k, w) in crate::text::words(s).enumerate() {
        if PRONOUNS.contains(&w.to_lowercase().as_str()) {
            return true;
        }
        if k > 0 && w.starts_with(char::is_uppercase) && w.len() > 1 {
            return false;
        }
    }
    false
}

/// Whether a sentence opens or closes a quote it does not hold whole.
fn half_quote(s: &str) -> bool {
    let count = |c: char| s.chars().filter(|&x| x == c).count();
    count('"') % 2 == 1 || count('\u{201C}') != count('\u{201D}')
}

fn carries_fact(s: &str) -> bool {
    s.chars().any(|c| c.is_ascii_digit())
        || s.split_whitespace()
            .skip(1)
            .any(|w| w.starts_with(char::is_uppercase))
}

/// A sentence without the dateline and credit that open a wire report ("LORNICA (Kestrel
/// Wire) — ").
pub fn without_dateline(s: &str) -> &str {
    if let Some(re) = crate::text::CREDIT.first() {
        if let Some(m) = re.find(s) {
            if m.start() == 0 && m.end() < s.len() {
                return s[m.end()..].trim_start();
            }
        }
    }
    s
}

/// One fact sources state differently: each value as the conflict shows it, with the families
/// that state it, the majority's first.
pub type Disputed = Vec<(String, Vec<String>)>;

/// The value of a disputed fact a sentence carries, if any: the longest of its values found in
/// it as words ("former president" over "president").
fn carried<'d>(lower: &str, fact: &'d Disputed) -> Option<(usize, &'d (String, Vec<String>))> {
    fact.iter()
        .enumerate()
        .filter(|(_, (v, _))| !v.is_empty() && contains_word(lower, &v.to_lowercase()))
        .max_by_key(|(_, (v, _))| v.len())
}

/// The consensus summary and the facts only one source reports. `disputed` holds the facts
/// sources state differently. A sentence that carries one value of such a fact is supported by
/// no family that states another; one that carries a minority's value is not chosen as the
/// consensus while another wording of it is available.
pub fn summarize(sources: &[Source], disputed: &[Disputed]) -> (Vec<SummarySentence>, Vec<OnlyIn>) {
    // Each source's sentences are read on the machine's cores; their words get ids after.
    let read: Vec<Vec<ReadSentence>> = super::par_map(sources, |_: &mut (), s: &Source| {
        let n = s.sentences.len().max(1) as f64;
        let mut out = Vec::new();
        for (k, text) in s.sentences.iter().enumerate() {
            let words = text.split_whitespace().count();
            // Credit and disclosure lines are about the text, not the story; they stand at
            // its edges, and so does the dateline.
            let edge = k < 2 || k + 3 >= s.sentences.len();
            if !(6..=80).contains(&words) || (edge && crate::text::is_provenance_line(text)) {
                continue;
            }
            let text = if k == 0 {
                without_dateline(text.trim())
            } else {
                text.trim()
            };
            out.push((
                k as f64 / n,
                text.to_string(),
                stems(text),
                carries_fact(text),
            ));
        }
        out
    });
    let mut cands: Vec<Candidate> = Vec::new();
    let mut ids: crate::text::FastMap<String, u32> = Default::default();
    for (si, list) in read.into_iter().enumerate() {
        for (position, text, stems, fact) in list {
            let mut words: Vec<u32> = stems
                .into_iter()
                .map(|w| {
                    let next = ids.len() as u32;
                    *ids.entry(w).or_insert(next)
                })
                .collect();
            words.sort_unstable();
            cands.push(Candidate {
                source: si,
                position,
                words,
                text,
                fact,
            });
        }
    }
    // Postings of content words; a word in very many sentences is no evidence of a shared one.
    let mut postings: Vec<Vec<u32>> = vec![Vec::new(); ids.len()];
    for (i, c) in cands.iter().enumerate() {
        for &w in &c.words {
            postings[w as usize].push(i as u32);
        }
    }
    const CAP: usize = 256;
    // Each sentence's support is counted apart from the others', on the machine's cores.
    let indices: Vec<usize> = (0..cands.len()).collect();
    let support: Vec<BTreeSet<usize>> = super::par_map(&indices, |st: &mut Counter, &i| {
        let c = &cands[i];
        if st.count.len() < cands.len() {
            st.count.resize(cands.len(), 0);
        }
        for &w in &c.words {
            let list = &postings[w as usize];
            if list.len() > CAP {
                continue;
            }
            for &j in list {
                if cands[j as usize].source != c.source {
                    if st.count[j as usize] == 0 {
                        st.touched.push(j);
                    }
                    st.count[j as usize] += 1;
                }
            }
        }
        let mut sup: BTreeSet<usize> = BTreeSet::from([c.source]);
        for &j in &st.touched {
            let other = &cands[j as usize];
            if st.count[j as usize] >= 3
                && !sup.contains(&other.source)
                && similar(&c.words, &other.words)
            {
                sup.insert(other.source);
            }
            st.count[j as usize] = 0;
        }
        st.touched.clear();
        sup
    });
    let mut support = support;
    let mut minority = vec![false; cands.len()];
    for (i, c) in cands.iter().enumerate() {
        let lower = c.text.to_lowercase();
        for fact in disputed {
            let Some((k, (_, stating))) = carried(&lower, fact) else {
                continue;
            };
            let family = sources[c.source].family;
            minority[i] |= k > 0 && stating.iter().any(|f| f == family);
            // A family stating another value does not vouch for this one.
            support[i].retain(|&s| {
                s == c.source
                    || !fact
                        .iter()
                        .enumerate()
                        .any(|(o, (_, fs))| o != k && fs.iter().any(|f| f == sources[s].family))
            });
        }
    }
    // A sentence whose "she said" has no one named before it would leave the reader asking who.
    // Nor is a quote cut in half by the sentence splitter ("Paper lanterns do not mix," she said).
    let dangling: Vec<bool> = cands
        .iter()
        .map(|c| dangling_pronoun(&c.text) || half_quote(&c.text))
        .collect();
    let mut order: Vec<usize> = (0..cands.len()).filter(|&i| !dangling[i]).collect();
    order.sort_by(|&a, &b| {
        support[b]
            .len()
            .cmp(&support[a].len())
            .then(minority[a].cmp(&minority[b]))
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
    // It leads with what the most sources carry (the first chosen), then tells the rest in the
    // order the sources tell it.
    if chosen.len() > 1 {
        chosen[1..].sort_by(|&a, &b| {
            cands[a]
                .position
                .total_cmp(&cands[b].position)
                .then(a.cmp(&b))
        });
    }
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
        let (summary, only) = summarize(&sources, &[]);
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
    fn pronouns_without_a_name_and_half_quotes_are_not_summary_sentences() {
        assert!(dangling_pronoun("\"We will go on,\" she said."));
        assert!(dangling_pronoun("He said the bridge would reopen."));
        assert!(!dangling_pronoun("Ilse Marten said she would cut fares."));
        assert!(!dangling_pronoun("The council opened the school at night."));
        assert!(half_quote(
            "Paper lanterns and winds do not mix,\" Imrie said."
        ));
        assert!(half_quote("\u{201C}Safety comes first."));
        assert!(!half_quote("\"Safety first,\" Imrie said."));
    }

    #[test]
    fn one_source_gives_its_lead() {
        let a = v(&[
            "The first sentence of the only report is here today.",
            "The second sentence of the only report is also here.",
            "A third sentence follows with more words in it now.",
            "And a fourth sentence closes the short report for good.",
        ]);
        let one = [Source {
            family: "f",
            article: "a",
            outlet: None,
            sentences: &a,
        }];
        let (summary, only) = summarize(&one, &[]);
        assert!(summary.len() >= 3);
        assert!(only.is_empty());
        assert!(summarize(&[], &[]).0.is_empty());
    }
}
