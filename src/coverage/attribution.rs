//! Attribution: who said what, in one text.
//!
//! Input: a text. Output: [`Span`]s of three roles, the *source* (who: "the influential US
//! daily", "Mr. Trump", "he"), the *cue* ("said", "told", "according to", "wrote") and the
//! *content* (the quote or the paraphrase), grouped into [`Attribution`]s.
//!
//! The idea: a sequence tagger over tokens, one paragraph at a time, with the labels O, B-/I-
//! source, B-/I- cue and B-/I- content. It is a linear model over sparse features of each token
//! (its word, shape, neighbours, whether it stands inside quotation marks, how far the nearest
//! cue word is on either side) with first-order label transitions, decoded by Viterbi and
//! trained as an averaged structured perceptron (Collins 2002) on PolNeAR's training split
//! (`tools/train_quotes.rs`). The learned weights ship in the binary (`attribution.model`, a
//! few MB), so nothing is downloaded at run time. Content spans are long and their exact ends
//! matter, which is why the quote state and the distance to cue words are features of every
//! token, not only of the words next to a cue.

use std::collections::{HashMap, HashSet};
use std::sync::LazyLock;

use crate::text::{hash64, FastMap};

/// What a span is in an attribution.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Role {
    Source,
    Cue,
    Content,
}

impl Role {
    pub fn name(self) -> &'static str {
        match self {
            Role::Source => "source",
            Role::Cue => "cue",
            Role::Content => "content",
        }
    }
}

/// A span of a text: a role and byte offsets.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct Span {
    pub role: Role,
    pub start: usize,
    pub end: usize,
}

/// One attribution: the content, and the cue and source that introduce it where found.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attribution {
    pub content: Span,
    pub cue: Option<Span>,
    pub source: Option<Span>,
}

const LABELS: usize = 7;
const O: usize = 0;

fn begin(role: Role) -> usize {
    match role {
        Role::Source => 1,
        Role::Cue => 3,
        Role::Content => 5,
    }
}

fn role_of(label: usize) -> Option<Role> {
    match label {
        1 | 2 => Some(Role::Source),
        3 | 4 => Some(Role::Cue),
        5 | 6 => Some(Role::Content),
        _ => None,
    }
}

/// Whether `to` may follow `from`: an inside label continues a span of its role.
fn allowed(from: Option<usize>, to: usize) -> bool {
    match to {
        2 | 4 | 6 => from.is_some_and(|f| f == to || f == to - 1),
        _ => true,
    }
}

/// Tokens of a text as byte ranges: words (letters and digits, with inner hyphens, and inner
/// points or commas between digits), clitics ("'s", "n't" parts) and single punctuation marks.
pub fn tokenize(text: &str) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut i = 0;
    let n = text.len();
    while i < n {
        let Some(c) = text[i..].chars().next() else {
            break;
        };
        let w = c.len_utf8();
        if c.is_whitespace() {
            i += w;
            continue;
        }
        let after_word = out.last().is_some_and(|&(_, e)| e == i);
        let apostrophe = matches!(c, '\'' | '\u{2019}');
        if c.is_alphanumeric() || (apostrophe && after_word && next_is_alpha(text, i + w)) {
            let start = i;
            i += w;
            while i < n {
                let Some(d) = text[i..].chars().next() else {
                    break;
                };
                let dw = d.len_utf8();
                let inner_hyphen = d == '-' && next_is_alpha(text, i + dw);
                let digit_mark = matches!(d, '.' | ',')
                    && text[..i].ends_with(|x: char| x.is_ascii_digit())
                    && text[i + dw..].starts_with(|x: char| x.is_ascii_digit());
                if d.is_alphanumeric() || inner_hyphen || digit_mark {
                    i += dw;
                } else {
                    break;
                }
            }
            out.push((start, i));
        } else {
            out.push((i, i + w));
            i += w;
        }
    }
    out
}

fn next_is_alpha(text: &str, at: usize) -> bool {
    text.get(at..)
        .and_then(|s| s.chars().next())
        .is_some_and(char::is_alphanumeric)
}

fn is_opening_quote(s: &str) -> bool {
    matches!(s, "\u{201C}" | "\u{00AB}" | "\u{201E}")
}

fn is_closing_quote(s: &str) -> bool {
    matches!(s, "\u{201D}" | "\u{00BB}")
}

/// What the features of a paragraph's tokens are computed from.
struct Context<'t> {
    words: Vec<String>,
    shapes: Vec<&'static str>,
    raw: Vec<&'t str>,
    in_quote: Vec<u8>,
    cue_left: Vec<Option<usize>>,
    cue_right: Vec<Option<usize>>,
    sentence_start: Vec<bool>,
    sentence_of: Vec<usize>,
    to_end: Vec<usize>,
}

fn shape(w: &str) -> &'static str {
    let mut chars = w.chars();
    let Some(first) = chars.next() else {
        return "e";
    };
    if first.is_numeric() {
        return "d";
    }
    if !first.is_alphanumeric() {
        return match w {
            "\"" | "\u{201C}" | "\u{201D}" | "\u{00AB}" | "\u{00BB}" | "\u{201E}" => "q",
            "'" | "\u{2018}" | "\u{2019}" => "a",
            "," => ",",
            "." | "!" | "?" => ".",
            ":" | ";" => ":",
            "-" | "\u{2013}" | "\u{2014}" => "-",
            "(" | ")" | "[" | "]" => "(",
            _ => "p",
        };
    }
    if first.is_uppercase() {
        if w.chars().count() > 1 && w.chars().all(|c| !c.is_lowercase()) {
            "X"
        } else {
            "Xx"
        }
    } else {
        "x"
    }
}

fn bucket(d: usize) -> &'static str {
    match d {
        0 => "0",
        1 => "1",
        2 => "2",
        3 => "3",
        4..=6 => "4-6",
        7..=12 => "7-12",
        13..=25 => "13-25",
        _ => "26+",
    }
}

impl<'t> Context<'t> {
    fn new(text: &'t str, tokens: &[(usize, usize)], cues: &HashSet<String>) -> Self {
        let raw: Vec<&str> = tokens.iter().map(|&(s, e)| &text[s..e]).collect();
        let words: Vec<String> = raw.iter().map(|w| w.to_lowercase()).collect();
        let shapes: Vec<&'static str> = raw.iter().map(|w| shape(w)).collect();
        // Quote state: 0 outside, 1 the mark that opens, 2 inside, 3 the mark that closes.
        let mut in_quote = vec![0u8; raw.len()];
        let mut open = false;
        for (i, w) in raw.iter().enumerate() {
            let straight = *w == "\"";
            if !open && (is_opening_quote(w) || straight) {
                open = true;
                in_quote[i] = 1;
            } else if (is_closing_quote(w) || straight) && open {
                open = false;
                in_quote[i] = 3;
            } else if open {
                in_quote[i] = 2;
            }
        }
        let is_cue: Vec<bool> = words.iter().map(|w| cues.contains(w)).collect();
        let mut cue_left = vec![None; raw.len()];
        let mut last = None;
        for i in 0..raw.len() {
            cue_left[i] = last;
            if is_cue[i] {
                last = Some(i);
            }
        }
        let mut cue_right = vec![None; raw.len()];
        let mut next = None;
        for i in (0..raw.len()).rev() {
            cue_right[i] = next;
            if is_cue[i] {
                next = Some(i);
            }
        }
        let mut sentence_start = vec![false; raw.len()];
        let mut at_start = true;
        for (i, s) in shapes.iter().enumerate() {
            sentence_start[i] = at_start;
            at_start = *s == ".";
        }
        // Sentence of each token, and how far it is from its sentence's end.
        let mut sentence_of = vec![0usize; raw.len()];
        let mut k = 0;
        for i in 0..raw.len() {
            if sentence_start[i] && i > 0 {
                k += 1;
            }
            sentence_of[i] = k;
        }
        let mut to_end = vec![0usize; raw.len()];
        for i in (0..raw.len()).rev() {
            to_end[i] = if i + 1 < raw.len() && sentence_of[i + 1] == sentence_of[i] {
                to_end[i + 1] + 1
            } else {
                0
            };
        }
        Context {
            words,
            shapes,
            raw,
            in_quote,
            cue_left,
            cue_right,
            sentence_start,
            sentence_of,
            to_end,
        }
    }

    /// The hashed features of token `i`.
    fn features(&self, i: usize, out: &mut Vec<u32>) {
        out.clear();
        let n = self.words.len();
        let w = |j: isize| -> &str {
            if j < 0 {
                "<s>"
            } else if j as usize >= n {
                "</s>"
            } else {
                &self.words[j as usize]
            }
        };
        let sh = |j: isize| -> &str {
            if j < 0 {
                "<s>"
            } else if j as usize >= n {
                "</s>"
            } else {
                self.shapes[j as usize]
            }
        };
        let i_ = i as isize;
        let mut buf = String::with_capacity(64);
        let mut push = |parts: &[&str]| {
            buf.clear();
            for p in parts {
                buf.push_str(p);
                buf.push('\u{1}');
            }
            out.push(hash64(buf.as_bytes()) as u32);
        };
        let word = w(i_);
        let suffix: String = {
            let chars: Vec<char> = word.chars().collect();
            chars[chars.len().saturating_sub(3)..].iter().collect()
        };
        let q = ["out", "open", "in", "close"][self.in_quote[i] as usize];
        let cue_l = self.cue_left[i].map(|j| (i - j, self.words[j].as_str()));
        let cue_r = self.cue_right[i].map(|j| (j - i, self.words[j].as_str()));
        let dl = cue_l.map_or("none", |(d, _)| bucket(d));
        let dr = cue_r.map_or("none", |(d, _)| bucket(d));
        push(&["bias"]);
        push(&["w", word]);
        push(&["raw", self.raw[i]]);
        push(&["sh", sh(i_)]);
        push(&["suf", &suffix]);
        push(&["w-1", w(i_ - 1)]);
        push(&["w+1", w(i_ + 1)]);
        push(&["w-2", w(i_ - 2)]);
        push(&["w+2", w(i_ + 2)]);
        push(&["w-1w", w(i_ - 1), word]);
        push(&["ww+1", word, w(i_ + 1)]);
        push(&["sh-1sh", sh(i_ - 1), sh(i_)]);
        push(&["shsh+1", sh(i_), sh(i_ + 1)]);
        push(&["sh-1shsh+1", sh(i_ - 1), sh(i_), sh(i_ + 1)]);
        push(&["q", q]);
        push(&["qsh", q, sh(i_)]);
        push(&["qw", q, word]);
        push(&["cl", dl]);
        push(&["cr", dr]);
        push(&["clcr", dl, dr]);
        push(&["qcl", q, dl]);
        push(&["qcr", q, dr]);
        if let Some((d, c)) = cue_l {
            push(&["clw", c, bucket(d)]);
        }
        if let Some((d, c)) = cue_r {
            push(&["crw", c, bucket(d)]);
        }
        push(&["ss", if self.sentence_start[i] { "y" } else { "n" }, sh(i_)]);
        push(&["pos", bucket(i)]);
        push(&["rest", bucket(n - 1 - i)]);
        // The same cue distances within the sentence: content mostly runs from a cue to the
        // sentence's end, or from its start to a cue.
        let same = |j: Option<usize>| j.filter(|&j| self.sentence_of[j] == self.sentence_of[i]);
        let sl = same(self.cue_left[i]).map_or("none", |j| bucket(i - j));
        let sr = same(self.cue_right[i]).map_or("none", |j| bucket(j - i));
        push(&["scl", sl, q]);
        push(&["scr", sr, q]);
        push(&["sclr", sl, sr]);
        push(&["end", bucket(self.to_end[i]), sh(i_)]);
        if let Some(j) = same(self.cue_left[i]) {
            push(&["after-cue", w(j as isize + 1), bucket(i - j)]);
        }
    }
}

/// A tagging model: cue words, feature weights and label transitions.
pub struct Model {
    cues: HashSet<String>,
    weights: FastMap<u32, [f32; LABELS]>,
    /// `trans[from][to]`; row `LABELS` is the start of a paragraph.
    trans: [[f32; LABELS]; LABELS + 1],
}

static SHIPPED: LazyLock<Model> = LazyLock::new(|| {
    Model::from_bytes(include_bytes!("attribution.model")).unwrap_or_else(|_| Model::empty())
});

impl Model {
    /// The model trained on PolNeAR that ships in the binary.
    pub fn shipped() -> &'static Model {
        &SHIPPED
    }

    fn empty() -> Model {
        Model {
            cues: HashSet::new(),
            weights: FastMap::default(),
            trans: [[0.0; LABELS]; LABELS + 1],
        }
    }

    /// Labelled spans of a text, paragraph by paragraph.
    pub fn spans(&self, text: &str) -> Vec<Span> {
        let mut out = Vec::new();
        for (p_start, p) in paragraphs(text) {
            let tokens = tokenize(p);
            if tokens.is_empty() {
                continue;
            }
            let mut labels = self.tag(p, &tokens);
            add_quoted_contents(p, &tokens, &mut labels);
            out.extend(spans_of(&labels, &tokens).into_iter().map(|s| Span {
                start: s.start + p_start,
                end: s.end + p_start,
                ..s
            }));
        }
        out
    }

    /// Attributions of a text: each content with the cue and source nearest to it.
    pub fn attributions(&self, text: &str) -> Vec<Attribution> {
        group(&self.spans(text), text)
    }

    fn tag(&self, text: &str, tokens: &[(usize, usize)]) -> Vec<usize> {
        let ctx = Context::new(text, tokens, &self.cues);
        let mut feats = Vec::new();
        let scores: Vec<[f32; LABELS]> = (0..tokens.len())
            .map(|i| {
                ctx.features(i, &mut feats);
                let mut s = [0f32; LABELS];
                for f in &feats {
                    if let Some(w) = self.weights.get(f) {
                        for (a, b) in s.iter_mut().zip(w) {
                            *a += b;
                        }
                    }
                }
                s
            })
            .collect();
        viterbi(&scores, &self.trans)
    }

    /// The model as bytes: magic, cue words, transitions, then weights quantised to i16.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = b"SLAT1".to_vec();
        let mut cues: Vec<&String> = self.cues.iter().collect();
        cues.sort();
        out.extend_from_slice(&(cues.len() as u32).to_le_bytes());
        for c in cues {
            let b = &c.as_bytes()[..c.len().min(255)];
            out.push(b.len() as u8);
            out.extend_from_slice(b);
        }
        for row in &self.trans {
            for x in row {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        let max = self
            .weights
            .values()
            .flat_map(|w| w.iter())
            .fold(0f32, |m, x| m.max(x.abs()))
            .max(1e-9);
        let scale = max / 32767.0;
        out.extend_from_slice(&scale.to_le_bytes());
        let mut keys: Vec<(&u32, [i16; LABELS])> = self
            .weights
            .iter()
            .map(|(k, w)| (k, w.map(|x| (x / scale).round() as i16)))
            .filter(|(_, q)| q.iter().any(|&x| x != 0))
            .collect();
        keys.sort_by_key(|(k, _)| **k);
        out.extend_from_slice(&(keys.len() as u32).to_le_bytes());
        for (k, q) in keys {
            out.extend_from_slice(&k.to_le_bytes());
            for x in q {
                out.extend_from_slice(&x.to_le_bytes());
            }
        }
        out
    }

    /// Reads [`Model::to_bytes`]'s format.
    pub fn from_bytes(b: &[u8]) -> Result<Model, &'static str> {
        let mut r = Reader { b, at: 0 };
        if r.take(5)? != b"SLAT1" {
            return Err("not an attribution model");
        }
        let n_cues = r.u32()? as usize;
        let mut cues = HashSet::new();
        for _ in 0..n_cues {
            let len = r.take(1)?[0] as usize;
            cues.insert(String::from_utf8_lossy(r.take(len)?).into_owned());
        }
        let mut trans = [[0f32; LABELS]; LABELS + 1];
        for row in trans.iter_mut() {
            for x in row.iter_mut() {
                *x = r.f32()?;
            }
        }
        let scale = r.f32()?;
        let n = r.u32()? as usize;
        let mut weights = FastMap::default();
        weights.reserve(n);
        for _ in 0..n {
            let k = r.u32()?;
            let mut w = [0f32; LABELS];
            for x in w.iter_mut() {
                let q = r.take(2)?;
                *x = f32::from(i16::from_le_bytes([q[0], q[1]])) * scale;
            }
            weights.insert(k, w);
        }
        Ok(Model {
            cues,
            weights,
            trans,
        })
    }
}

struct Reader<'b> {
    b: &'b [u8],
    at: usize,
}

impl<'b> Reader<'b> {
    fn take(&mut self, n: usize) -> Result<&'b [u8], &'static str> {
        let s = self
            .b
            .get(self.at..self.at + n)
            .ok_or("attribution model is truncated")?;
        self.at += n;
        Ok(s)
    }
    fn u32(&mut self) -> Result<u32, &'static str> {
        let s = self.take(4)?;
        Ok(u32::from_le_bytes([s[0], s[1], s[2], s[3]]))
    }
    fn f32(&mut self) -> Result<f32, &'static str> {
        Ok(f32::from_bits(self.u32()?))
    }
}

/// Paragraphs of a text with their byte offsets: runs of lines between blank lines, or single
/// lines when the text has no blank lines.
pub fn paragraphs(text: &str) -> Vec<(usize, &str)> {
    let mut out = Vec::new();
    let mut start = 0;
    for (i, _) in text.match_indices('\n') {
        if i > start {
            out.push((start, &text[start..i]));
        }
        start = i + 1;
    }
    if start < text.len() {
        out.push((start, &text[start..]));
    }
    out.retain(|(_, p)| !p.trim().is_empty());
    out
}

fn viterbi(scores: &[[f32; LABELS]], trans: &[[f32; LABELS]; LABELS + 1]) -> Vec<usize> {
    let n = scores.len();
    if n == 0 {
        return Vec::new();
    }
    let mut best = vec![[f32::NEG_INFINITY; LABELS]; n];
    let mut back = vec![[0u8; LABELS]; n];
    for to in 0..LABELS {
        if allowed(None, to) {
            best[0][to] = trans[LABELS][to] + scores[0][to];
        }
    }
    for i in 1..n {
        for to in 0..LABELS {
            let mut b = f32::NEG_INFINITY;
            let mut arg = 0;
            for from in 0..LABELS {
                if !allowed(Some(from), to) {
                    continue;
                }
                let s = best[i - 1][from] + trans[from][to];
                if s > b {
                    b = s;
                    arg = from;
                }
            }
            best[i][to] = b + scores[i][to];
            back[i][to] = arg as u8;
        }
    }
    let mut last = 0;
    for l in 1..LABELS {
        if best[n - 1][l] > best[n - 1][last] {
            last = l;
        }
    }
    let mut out = vec![0; n];
    out[n - 1] = last;
    for i in (1..n).rev() {
        out[i - 1] = back[i][out[i]] as usize;
    }
    out
}

/// Quotations the tagger left unlabelled become contents when a cue it found stands next to
/// them: "“We will rebuild,” she said" is an attribution even where the words inside are
/// unlike the training data. Scare quotes (no cue beside them) stay unlabelled.
fn add_quoted_contents(text: &str, tokens: &[(usize, usize)], labels: &mut [usize]) {
    let raw = |i: usize| &text[tokens[i].0..tokens[i].1];
    let mut i = 0;
    while i < tokens.len() {
        let w = raw(i);
        if !(is_opening_quote(w) || w == "\"") {
            i += 1;
            continue;
        }
        let Some(j) = (i + 1..tokens.len()).find(|&j| {
            let x = raw(j);
            is_closing_quote(x) || x == "\""
        }) else {
            break;
        };
        let words = (i + 1..j)
            .filter(|&k| raw(k).chars().any(char::is_alphanumeric))
            .count();
        let free = labels[i..=j].iter().all(|&l| l == O);
        let near = |k: usize| matches!(labels[k], 3 | 4);
        let cue_beside =
            (j + 1..(j + 5).min(tokens.len())).any(near) || (i.saturating_sub(4)..i).any(near);
        if words >= 3 && free && cue_beside {
            labels[i] = begin(Role::Content);
            for l in &mut labels[i + 1..=j] {
                *l = begin(Role::Content) + 1;
            }
        }
        i = j + 1;
    }
}

/// Spans from a label sequence (byte offsets of the tokens' text).
fn spans_of(labels: &[usize], tokens: &[(usize, usize)]) -> Vec<Span> {
    let mut out: Vec<Span> = Vec::new();
    let mut open: Option<Span> = None;
    for (&l, &(s, e)) in labels.iter().zip(tokens) {
        let role = role_of(l);
        let continues = matches!(l, 2 | 4 | 6) && open.is_some_and(|o| Some(o.role) == role);
        if continues {
            if let Some(o) = open.as_mut() {
                o.end = e;
            }
            continue;
        }
        out.extend(open.take());
        open = role.map(|role| Span {
            role,
            start: s,
            end: e,
        });
    }
    out.extend(open);
    out
}

/// Gold labels of a paragraph's tokens from spans (in the paragraph's offsets). Spans that do
/// not start and end at token boundaries are snapped outwards; a span overlapping one already
/// placed (nested attributions) is left out, shorter spans first.
fn labels_of(spans: &[Span], tokens: &[(usize, usize)]) -> Vec<usize> {
    let mut labels = vec![O; tokens.len()];
    let mut sorted: Vec<&Span> = spans.iter().collect();
    sorted.sort_by_key(|s| (s.end - s.start, s.start));
    for s in sorted {
        let first = tokens.iter().position(|&(_, e)| e > s.start);
        let last = tokens.iter().rposition(|&(b, _)| b < s.end);
        let (Some(a), Some(b)) = (first, last) else {
            continue;
        };
        if a > b || labels[a..=b].iter().any(|&l| l != O) {
            continue;
        }
        labels[a] = begin(s.role);
        for l in &mut labels[a + 1..=b] {
            *l = begin(s.role) + 1;
        }
    }
    labels
}

/// Groups spans into attributions: each content with the nearest cue in its paragraph (before
/// or after it), and the source nearest to that cue.
pub fn group(spans: &[Span], text: &str) -> Vec<Attribution> {
    let para_of = |at: usize| text[..at.min(text.len())].matches('\n').count();
    let mut out = Vec::new();
    for c in spans.iter().filter(|s| s.role == Role::Content) {
        let p = para_of(c.start);
        let dist = |s: &Span| {
            if s.end <= c.start {
                c.start - s.end
            } else {
                s.start.saturating_sub(c.end)
            }
        };
        let cue = spans
            .iter()
            .filter(|s| s.role == Role::Cue && para_of(s.start) == p)
            .min_by_key(|s| dist(s))
            .copied();
        let anchor = cue.unwrap_or(*c);
        let source = spans
            .iter()
            .filter(|s| s.role == Role::Source && para_of(s.start) == p)
            .min_by_key(|s| {
                if s.end <= anchor.start {
                    anchor.start - s.end
                } else {
                    s.start.saturating_sub(anchor.end)
                }
            })
            .copied();
        out.push(Attribution {
            content: *c,
            cue,
            source,
        });
    }
    out
}

/// Training: an averaged structured perceptron over labelled texts.
pub mod train {
    use super::*;

    /// A labelled text: spans in byte offsets.
    pub struct Example {
        pub text: String,
        pub spans: Vec<Span>,
    }

    struct Sequence {
        feats: Vec<Vec<u32>>,
        gold: Vec<usize>,
    }

    /// Cue words: words inside cue spans at least `min_count` times and in at least
    /// `min_rate` of their occurrences.
    pub fn cue_words(examples: &[Example], min_count: usize, min_rate: f64) -> HashSet<String> {
        let mut inside: HashMap<String, usize> = HashMap::new();
        let mut all: HashMap<String, usize> = HashMap::new();
        for ex in examples {
            for (s, e) in tokenize(&ex.text) {
                let w = ex.text[s..e].to_lowercase();
                if ex
                    .spans
                    .iter()
                    .any(|sp| sp.role == Role::Cue && sp.start <= s && e <= sp.end)
                {
                    *inside.entry(w.clone()).or_default() += 1;
                }
                *all.entry(w).or_default() += 1;
            }
        }
        inside
            .into_iter()
            .filter(|(w, c)| {
                *c >= min_count
                    && *c as f64 >= min_rate * all.get(w).copied().unwrap_or(1) as f64
                    && w.chars().any(char::is_alphabetic)
            })
            .map(|(w, _)| w)
            .collect()
    }

    fn sequences(examples: &[Example], cues: &HashSet<String>) -> Vec<Sequence> {
        let mut out = Vec::new();
        for ex in examples {
            for (p_start, p) in paragraphs(&ex.text) {
                let tokens = tokenize(p);
                if tokens.is_empty() {
                    continue;
                }
                let p_end = p_start + p.len();
                let spans: Vec<Span> = ex
                    .spans
                    .iter()
                    .filter(|s| s.start >= p_start && s.end <= p_end)
                    .map(|s| Span {
                        start: s.start - p_start,
                        end: s.end - p_start,
                        ..*s
                    })
                    .collect();
                let ctx = Context::new(p, &tokens, cues);
                let mut f = Vec::new();
                let feats = (0..tokens.len())
                    .map(|i| {
                        ctx.features(i, &mut f);
                        f.clone()
                    })
                    .collect();
                out.push(Sequence {
                    feats,
                    gold: labels_of(&spans, &tokens),
                });
            }
        }
        out
    }

    /// Trains a model; `report(epoch, &model)` sees the averaged model after each epoch.
    pub fn train(
        examples: &[Example],
        epochs: usize,
        min_feature_count: usize,
        mut report: impl FnMut(usize, &Model),
    ) -> Model {
        let cues = cue_words(examples, 3, 0.2);
        let seqs = sequences(examples, &cues);
        let mut counts: FastMap<u32, u32> = FastMap::default();
        for s in &seqs {
            for f in s.feats.iter().flatten() {
                *counts.entry(*f).or_default() += 1;
            }
        }
        let mut index: FastMap<u32, usize> = FastMap::default();
        let mut keys = Vec::new();
        for (k, c) in &counts {
            if *c as usize >= min_feature_count {
                index.insert(*k, keys.len());
                keys.push(*k);
            }
        }
        drop(counts);
        let idx: Vec<Vec<Vec<usize>>> = seqs
            .iter()
            .map(|s| {
                s.feats
                    .iter()
                    .map(|f| f.iter().filter_map(|k| index.get(k).copied()).collect())
                    .collect()
            })
            .collect();
        let golds: Vec<&Vec<usize>> = seqs.iter().map(|s| &s.gold).collect();
        let mut w = vec![[0f32; LABELS]; keys.len()];
        let mut u = vec![[0f32; LABELS]; keys.len()];
        let mut t = [[0f32; LABELS]; LABELS + 1];
        let mut tu = [[0f32; LABELS]; LABELS + 1];
        let mut c = 1f32;
        // A fixed shuffle per epoch keeps training deterministic.
        let mut order: Vec<usize> = (0..idx.len()).collect();
        let mut state = 0x2545_F491_4F6C_DD1Du64;
        let mut model = Model::empty();
        for epoch in 0..epochs {
            for i in (1..order.len()).rev() {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                order.swap(i, (state % (i as u64 + 1)) as usize);
            }
            for &s in &order {
                let feats = &idx[s];
                let gold = golds[s];
                let scores: Vec<[f32; LABELS]> = feats
                    .iter()
                    .map(|fs| {
                        let mut sc = [0f32; LABELS];
                        for &f in fs {
                            for (a, b) in sc.iter_mut().zip(&w[f]) {
                                *a += b;
                            }
                        }
                        sc
                    })
                    .collect();
                let pred = viterbi(&scores, &t);
                if pred != *gold {
                    for (i, fs) in feats.iter().enumerate() {
                        if pred[i] != gold[i] {
                            for &f in fs {
                                w[f][gold[i]] += 1.0;
                                u[f][gold[i]] += c;
                                w[f][pred[i]] -= 1.0;
                                u[f][pred[i]] -= c;
                            }
                        }
                        let (pf, gf) = if i == 0 {
                            (LABELS, LABELS)
                        } else {
                            (pred[i - 1], gold[i - 1])
                        };
                        if pf != gf || pred[i] != gold[i] {
                            t[gf][gold[i]] += 1.0;
                            tu[gf][gold[i]] += c;
                            t[pf][pred[i]] -= 1.0;
                            tu[pf][pred[i]] -= c;
                        }
                    }
                }
                c += 1.0;
            }
            let mut weights = FastMap::default();
            for (k, (wk, uk)) in keys.iter().zip(w.iter().zip(&u)) {
                let avg: [f32; LABELS] = std::array::from_fn(|l| wk[l] - uk[l] / c);
                if avg.iter().any(|x| *x != 0.0) {
                    weights.insert(*k, avg);
                }
            }
            let mut trans = [[0f32; LABELS]; LABELS + 1];
            for (r, (tr, ur)) in trans.iter_mut().zip(t.iter().zip(&tu)) {
                for (l, x) in r.iter_mut().enumerate() {
                    *x = tr[l] - ur[l] / c;
                }
            }
            model = Model {
                cues: cues.clone(),
                weights,
                trans,
            };
            report(epoch + 1, &model);
        }
        model
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn tokens_keep_words_numbers_and_clitics() {
        let t = "Mr. Hnatov’s 1,200 troops “won’t” go, he said.";
        let toks: Vec<&str> = tokenize(t).iter().map(|&(s, e)| &t[s..e]).collect();
        assert_eq!(
            toks,
            [
                "Mr", ".", "Hnatov", "’s", "1,200", "troops", "“", "won", "’t", "”", "go", ",",
                "he", "said", "."
            ]
        );
    }

    #[test]
    fn spans_follow_labels() {
        let t = "he said it rained";
        let tokens = tokenize(t);
        let labels = [1, 3, 5, 6];
        let s = spans_of(&labels, &tokens);
        assert_eq!(
            s,
            [
                Span {
                    role: Role::Source,
                    start: 0,
                    end: 2
                },
                Span {
                    role: Role::Cue,
                    start: 3,
                    end: 7
                },
                Span {
                    role: Role::Content,
                    start: 8,
                    end: 17
                }
            ]
        );
        assert_eq!(labels_of(&s, &tokens), labels);
    }

    #[test]
    fn a_trained_model_round_trips_through_bytes() {
        let ex = train::Example {
            text: "Smith said the dam held.\n\nJones told reporters the river rose.".into(),
            spans: vec![
                Span {
                    role: Role::Source,
                    start: 0,
                    end: 5,
                },
                Span {
                    role: Role::Cue,
                    start: 6,
                    end: 10,
                },
                Span {
                    role: Role::Content,
                    start: 11,
                    end: 23,
                },
            ],
        };
        let m = train::train(&[ex], 3, 1, |_, _| {});
        let back = Model::from_bytes(&m.to_bytes()).expect("reads back");
        let t = "Smith said the dam held.";
        assert_eq!(back.spans(t), m.spans(t));
    }

    #[test]
    fn the_shipped_model_finds_a_plain_attribution() {
        let t = "“The bridge will reopen on Monday,” Mayor Alina Dressler said.";
        let a = Model::shipped().attributions(t);
        assert!(!a.is_empty(), "{:?}", Model::shipped().spans(t));
        let a = &a[0];
        assert!(t[a.content.start..a.content.end].contains("bridge will reopen"));
        assert_eq!(a.cue.map(|c| &t[c.start..c.end]), Some("said"));
        assert!(a
            .source
            .is_some_and(|s| t[s.start..s.end].contains("Dressler")));
    }

    #[test]
    fn hostile_input_does_not_panic() {
        let long = "word ".repeat(20_000);
        for t in [
            "",
            "\"",
            "“never closed quote, he said",
            "“a “nested” quote,” she said.",
            long.as_str(),
            "SMITH SAID THE DAM HELD.",
        ] {
            let _ = Model::shipped().attributions(t);
        }
        assert!(Model::from_bytes(b"SLAT1\xff").is_err());
    }
}
