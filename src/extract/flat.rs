//! Found text: finding the article in a page that was saved as text, with the site around it.
//!
//! Input: the blocks of a page (lines, or paragraphs of hard-wrapped text), the language's
//! stopwords, and which lines repeat on other pages of the corpus. Output: the article's
//! paragraphs, its title, byline, date and outlet when the page shows them, and every block that
//! was cut with the reason.
//!
//! The idea is jusText's: prose is long and dense in stopwords, chrome is short, link-like and
//! repeated. Each block gets a class (good prose, short, or chrome by a named rule in
//! [`super::chrome`] or by repeating across pages), then context decides: the main text is the
//! best-scoring run of blocks (a maximum-sum segment, where prose scores by its length and
//! chrome against it), so a short subheading between two paragraphs stays and a menu above the
//! headline goes. A heading that ends the article (comments, footer) cuts what follows; a teaser
//! list heading drops the short lines after it. Title, byline and date are read from the blocks
//! before the body, where pages print them, and cut from the text.

use super::byline;
use super::chrome::{self, Kind};
use super::date;
use super::stopwords;
use super::{Found, Removed};
use crate::text;

/// What the corpus knows about lines: whether a line repeats across unrelated pages.
pub trait LineStats {
    fn is_site_chrome(&self, line: &str) -> bool;
}

/// No corpus: a page on its own.
pub struct NoStats;

impl LineStats for NoStats {
    fn is_site_chrome(&self, _: &str) -> bool {
        false
    }
}

/// How much of the page's context to trust: a whole saved page, or the text an HTML extractor
/// already cut down to the article (where only its edges need trimming).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Page,
    Extracted,
}

#[derive(Debug, Clone, Copy, PartialEq)]
enum Class {
    Good,
    Short,
    Chrome(&'static str),
    Byline,
    Date,
}

struct Block {
    text: String,
    words: usize,
    stop_ratio: f32,
    sentence_like: bool,
    headline_like: bool,
    /// For headline-like blocks, the hash of the headline without a site suffix, so that the
    /// same headline printed twice is found without comparing every pair of blocks.
    headline_key: Option<u64>,
    rule: Option<(&'static str, Kind)>,
    class: Class,
}

/// Splits text into blocks: one per line, or one per paragraph when the text is hard-wrapped
/// (most lines of similar length, joined by single newlines).
pub fn blocks_of(text: &str) -> Vec<String> {
    let lines: Vec<&str> = text.lines().map(str::trim).collect();
    let nonempty: Vec<&&str> = lines.iter().filter(|l| !l.is_empty()).collect();
    // Hard-wrapped text: many lines end near one width (50 to 100 characters), most of those
    // mid-sentence, and blank lines separate the paragraphs.
    let lens: Vec<usize> = nonempty.iter().map(|l| l.chars().count()).collect();
    let max = lens.iter().copied().max().unwrap_or(0);
    let near: Vec<&&str> = nonempty
        .iter()
        .filter(|l| l.chars().count() + 15 >= max)
        .copied()
        .collect();
    let mid_sentence = near
        .iter()
        .filter(|l| !l.ends_with(['.', '!', '?', '"', '\u{201D}', ':', ';']))
        .count();
    let blanks = lines.iter().filter(|l| l.is_empty()).count();
    // A wrapped line breaks mid-sentence and the next line carries on: "... in the" / "38th".
    let continued = lines
        .windows(2)
        .filter(|w| {
            let (a, b) = (w[0], w[1]);
            a.chars().count() + 15 >= max
                && !b.is_empty()
                && (a.ends_with(|c: char| c.is_lowercase() || c == ',')
                    || b.starts_with(|c: char| c.is_lowercase()))
        })
        .count();
    let wrapped = (50..=100).contains(&max)
        && near.len() >= 3
        && continued >= 2
        && mid_sentence * 2 >= near.len()
        && blanks >= 1;
    if !wrapped {
        return nonempty.iter().map(|l| collapse(l)).collect();
    }
    let mut out = Vec::new();
    let mut current = String::new();
    for l in lines {
        if l.is_empty() {
            if !current.is_empty() {
                out.push(std::mem::take(&mut current));
            }
        } else {
            if !current.is_empty() {
                current.push(' ');
            }
            current.push_str(l);
        }
    }
    if !current.is_empty() {
        out.push(current);
    }
    out.iter().map(|b| collapse(b)).collect()
}

fn collapse(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

fn features(text: String, stops: &[&str], lang_has_list: bool) -> Block {
    let words: Vec<&str> = text::words(&text).collect();
    let n = words.len();
    let stop = words
        .iter()
        .filter(|w| stopwords::is_stopword(stops, &w.to_lowercase()))
        .count();
    let stop_ratio = if n == 0 { 0.0 } else { stop as f32 / n as f32 };
    let last = text
        .trim_end_matches(['"', '\'', '\u{201D}', '\u{2019}', ')', ']', '*'])
        .chars()
        .last();
    let ends_sentence = matches!(last, Some('.' | '!' | '?' | ':' | ';' | '\u{2026}' | '。'));
    let dense = !lang_has_list || stop_ratio >= 0.12;
    let sentence_like = ends_sentence && n >= 4 && dense;
    let headline_like = (2..=30).contains(&n) && !matches!(last, Some('.' | ':' | ';' | ','));
    let headline_key = if headline_like {
        headline_key(&text)
    } else {
        None
    };
    Block {
        text,
        words: n,
        stop_ratio,
        sentence_like,
        headline_like,
        headline_key,
        rule: None,
        class: Class::Short,
    }
}

/// Finds the article among the blocks of a page.
pub fn extract_blocks(
    raw_blocks: Vec<String>,
    lang: Option<&str>,
    stats: &dyn LineStats,
    mode: Mode,
) -> Found {
    let stops = stopwords::list(lang);
    let has_list = stopwords::has_list(lang);
    let mut blocks: Vec<Block> = raw_blocks
        .into_iter()
        .map(|t| features(t, stops, has_list))
        .collect();
    let mut flat = Found::default();
    if blocks.is_empty() {
        return flat;
    }
    for b in &mut blocks {
        b.rule = chrome::classify(&b.text);
        b.class = initial_class(b, stats, has_list, mode);
    }
    // Bylines and dates belong to the head of an article; further down, "by ..." and a date are
    // text (a closing credit line, a dated paragraph).
    // (In a whole page, a line that is only a date is chrome wherever it stands.)
    if let Some(first_good) = blocks.iter().position(|b| b.class == Class::Good) {
        for b in blocks.iter_mut().skip(first_good + 1) {
            if b.class == Class::Byline || (b.class == Class::Date && mode == Mode::Extracted) {
                b.class = Class::Short;
            }
        }
    }

    let headline = printed_headline(&blocks);
    let (start, end) = main_region(&blocks, mode, headline);
    let mut keep = vec![false; blocks.len()];
    if let Some((s, e)) = start.zip(end) {
        for (i, k) in keep.iter_mut().enumerate().take(e + 1).skip(s) {
            *k = matches!(blocks[i].class, Class::Good | Class::Short);
        }
        cut_after_breakers(&blocks, &mut keep, s, e);
        // An extractor's lists are the article's lists; a page's runs of short lines are menus.
        if mode == Mode::Page {
            drop_short_runs(&blocks, &mut keep, s, e);
        }
    }

    read_head(&mut blocks, &keep, &mut flat, stats);

    // Once the article has begun, a heading names the section that follows it ("comments",
    // "related articles"), and that is the reason its lines were cut.
    let mut section: Option<&'static str> = None;
    let first_kept = keep.iter().position(|&k| k);
    for (i, b) in blocks.into_iter().enumerate() {
        if first_kept.is_some_and(|f| i > f) {
            if let Some((reason, Kind::EndsArticle | Kind::StartsList)) = b.rule {
                section = Some(reason);
            } else if keep[i] {
                section = None;
            }
        }
        if keep[i] && !matches!(b.class, Class::Chrome(_)) {
            flat.paragraphs.push(b.text);
        } else {
            let reason = match b.class {
                Class::Chrome(r) => r,
                Class::Byline => "byline",
                Class::Date => "date line",
                Class::Good | Class::Short => match (b.rule, section) {
                    (Some((r, _)), _) | (None, Some(r)) => r,
                    _ if start.is_some_and(|s| i < s) => "before the article",
                    _ if end.is_some_and(|e| i > e) => "after the article",
                    _ => "list of short lines",
                },
            };
            flat.removed.push(Removed {
                text: b.text,
                reason: reason.to_string(),
            });
        }
    }
    flat
}

fn initial_class(b: &Block, stats: &dyn LineStats, has_list: bool, mode: Mode) -> Class {
    if let Some(("timestamp", _)) = b.rule {
        if is_date_line(&b.text) {
            return Class::Date;
        }
    }
    if let Some((reason, Kind::Line)) = b.rule {
        return Class::Chrome(reason);
    }
    if b.rule.is_some() {
        return Class::Short; // a heading; its effect is decided in context
    }
    if chrome::is_language_row(&b.text) {
        return Class::Chrome("language switcher");
    }
    // A full sentence of prose repeated across pages is syndicated text, not chrome.
    if stats.is_site_chrome(&b.text) && !(b.sentence_like && b.words >= 15) {
        return Class::Chrome("repeated on other pages");
    }
    if b.words <= 25 && byline::is_byline(&b.text) {
        return Class::Byline;
    }
    if b.words <= 16 && is_date_line(&b.text) {
        return Class::Date;
    }
    let dense = !has_list || b.stop_ratio >= 0.15;
    let good = match mode {
        // Teasers run on without a full stop; article paragraphs end their sentences.
        Mode::Page => (b.words >= 10 && dense && b.sentence_like) || b.words >= 40,
        Mode::Extracted => b.words >= 6 || b.sentence_like,
    };
    if good {
        Class::Good
    } else {
        Class::Short
    }
}

/// A line that is a date and little else: "Published 9:40 AM EST, March 3, 2024".
fn is_date_line(line: &str) -> bool {
    date::date_line(line).is_some()
}

/// Where the page prints its headline as the second of two copies (the first is usually the
/// `<title>` with the site's name): the article starts right after it.
fn printed_headline(blocks: &[Block]) -> Option<usize> {
    let mut seen = std::collections::HashSet::new();
    for (j, b) in blocks.iter().enumerate().take(200) {
        let Some(key) = b.headline_key else { continue };
        if !seen.insert(key) && b.words >= 3 && b.rule.is_none() {
            return Some(j);
        }
    }
    None
}

/// Prose just below the printed headline is the article's; prose far above it is not.
fn position_weight(i: usize, headline: Option<usize>) -> f32 {
    match headline {
        Some(h) if i < h => 0.3,
        Some(h) if i <= h + 8 => 1.5,
        _ => 1.0,
    }
}

fn score(b: &Block) -> f32 {
    match b.class {
        Class::Good => b.words.min(300) as f32,
        Class::Short if b.rule.is_some() => -8.0,
        Class::Short if b.sentence_like => b.words as f32 * 0.5,
        Class::Short => -2.0 - b.words as f32 * 0.1,
        Class::Chrome(_) => -(5.0 + (b.words.min(60) as f32) * 0.5),
        Class::Byline | Class::Date => -2.0,
    }
}

/// The run of blocks with the highest total score (Kadane). With no prose at all (a list of
/// titles, a one-line text), everything that is not chrome is kept rather than nothing.
fn main_region(
    blocks: &[Block],
    mode: Mode,
    headline: Option<usize>,
) -> (Option<usize>, Option<usize>) {
    let any_good = blocks.iter().any(|b| b.class == Class::Good);
    if !any_good || mode == Mode::Extracted {
        let first = blocks
            .iter()
            .position(|b| matches!(b.class, Class::Good | Class::Short));
        let last = blocks
            .iter()
            .rposition(|b| matches!(b.class, Class::Good | Class::Short));
        return (first, last);
    }
    let (mut best, mut best_span) = (f32::MIN, (0, 0));
    let (mut run, mut run_start) = (0.0f32, 0);
    for (i, b) in blocks.iter().enumerate() {
        if run <= 0.0 {
            run = 0.0;
            run_start = i;
        }
        let s = score(b);
        run += if s > 0.0 {
            s * position_weight(i, headline)
        } else {
            s
        };
        if run > best {
            best = run;
            best_span = (run_start, i);
        }
    }
    (Some(best_span.0), Some(best_span.1))
}

/// Applies headings in context: after the article has begun, a comment or footer heading ends
/// it, and a teaser-list heading drops the non-prose lines that follow it.
fn cut_after_breakers(blocks: &[Block], keep: &mut [bool], start: usize, end: usize) {
    let cut_from = |keep: &mut [bool], i: usize| {
        for k in keep.iter_mut().take(end + 1).skip(i) {
            *k = false;
        }
    };
    let mut seen_prose = 0usize;
    // Timestamps and vote counts that recur after the article has begun mark a feed of items
    // (teasers, comments): the article ended where the first item began.
    let mut first_item_mark: Option<usize> = None;
    let mut i = start;
    while i <= end {
        let b = &blocks[i];
        if seen_prose > 0 && matches!(b.class, Class::Chrome("timestamp" | "votes") | Class::Date) {
            match first_item_mark {
                // Items of a feed come in a run; marks far apart are dates in the text.
                Some(first) if i - first > 6 => first_item_mark = Some(i),
                None => first_item_mark = Some(i),
                // Two date lines in a row with no item between them are one article's
                // "Published ... / Updated ..." pair, which pages print below the lede too.
                Some(first)
                    if i == first + 1
                        && b.class == Class::Date
                        && blocks[first].class == Class::Date => {}
                Some(first) => {
                    let mut cut = first;
                    while cut > start
                        && blocks[cut - 1].class == Class::Short
                        && !blocks[cut - 1].sentence_like
                    {
                        cut -= 1;
                    }
                    cut_from(keep, cut);
                    return;
                }
            }
        }
        match b.rule {
            Some((_, Kind::EndsArticle)) if seen_prose > 0 => {
                cut_from(keep, i);
                return;
            }
            Some((_, Kind::StartsList)) if seen_prose > 0 => {
                keep[i] = false;
                let mut j = i + 1;
                while j <= end && blocks[j].class != Class::Good {
                    keep[j] = false;
                    j += 1;
                }
                i = j;
                continue;
            }
            Some(_) => keep[i] = false,
            None => {}
        }
        if b.class == Class::Good {
            seen_prose += b.words;
        }
        i += 1;
    }
}

/// Three or more short non-sentences in a row inside the body are a menu when most of them are
/// menu items (a few capitalised words, no punctuation, no numbers); a list of facts, steps or
/// subheadings between paragraphs stays.
fn drop_short_runs(blocks: &[Block], keep: &mut [bool], start: usize, end: usize) {
    let is_listy = |b: &Block| b.class == Class::Short && !b.sentence_like && b.words <= 12;
    let nav_like = |b: &Block| {
        b.words <= 3
            && !b
                .text
                .chars()
                .any(|c| c.is_ascii_digit() || matches!(c, '.' | ',' | ':' | ';' | '!' | '?'))
            && text::words(&b.text).all(|w| w.chars().next().is_some_and(|c| c.is_uppercase()))
    };
    let mut i = start;
    while i <= end {
        if !is_listy(&blocks[i]) {
            i += 1;
            continue;
        }
        let mut j = i;
        while j <= end && is_listy(&blocks[j]) {
            j += 1;
        }
        let navs = blocks[i..j].iter().filter(|b| nav_like(b)).count();
        if j - i >= 3 && navs * 10 >= (j - i) * 6 {
            for k in keep.iter_mut().take(j).skip(i) {
                *k = false;
            }
        }
        i = j;
    }
    // The body starts and ends with prose: short lines at its edges are chrome or headings
    // of other things, except a short closing sentence.
    let first_good = (start..=end).find(|&i| keep[i] && blocks[i].class == Class::Good);
    let last_good = (start..=end)
        .rev()
        .find(|&i| keep[i] && blocks[i].class == Class::Good);
    if let (Some(f), Some(l)) = (first_good, last_good) {
        for (i, k) in keep.iter_mut().enumerate().take(end + 1).skip(start) {
            if (i < f || i > l) && !blocks[i].sentence_like {
                *k = false;
            }
        }
    }
}

/// Reads the title, byline, date and outlet from the blocks the page prints before the body,
/// and takes the headline out of the body if the page printed it there.
fn read_head(blocks: &mut [Block], keep: &[bool], flat: &mut Found, stats: &dyn LineStats) {
    let body_start = keep.iter().position(|&k| k).unwrap_or(blocks.len());
    let body_words: std::collections::HashSet<String> = blocks
        .iter()
        .zip(keep)
        .filter(|(_, &k)| k)
        .flat_map(|(b, _)| {
            text::words(&b.text)
                .map(|w| w.to_lowercase())
                .collect::<Vec<_>>()
        })
        .collect();

    // Bylines and dates: the first of each before or at the top of the body. A byline's
    // organisation is often the agency credited, not the site; the site's own name (from its
    // headline suffix or copyright line) is preferred below.
    let mut byline_org = None;
    let head_end = (body_start + 3).min(blocks.len());
    for b in blocks.iter().take(head_end) {
        match b.class {
            Class::Byline if flat.authors.is_empty() => {
                let by = byline::split_authors(&b.text, None);
                flat.authors = by.authors;
                byline_org = by.outlet;
                // "By Ana Ruiz | March 3, 2024": the date may share the byline's line.
                if flat.published.is_none() {
                    flat.published = date::find_date(&b.text);
                }
            }
            Class::Date if flat.published.is_none() => flat.published = date::find_date(&b.text),
            _ => {}
        }
    }
    let copyright = blocks.iter().find_map(|b| copyright_holder(&b.text));

    // The headline: a headline-like block before the body that shares words with the body,
    // best when printed twice; failing that, a headline-like first body line.
    let mut key_counts: std::collections::HashMap<u64, usize> = std::collections::HashMap::new();
    for k in blocks.iter().filter_map(|b| b.headline_key) {
        *key_counts.entry(k).or_default() += 1;
    }
    let mut best: Option<(f32, usize)> = None;
    for (i, b) in blocks.iter().enumerate().take(body_start + 1) {
        let candidate = b.headline_like
            && matches!(b.class, Class::Short | Class::Good)
            && (i < body_start || b.class == Class::Short)
            && b.rule.is_none()
            && b.words >= 2
            && !stats.is_site_chrome(&b.text);
        if !candidate {
            continue;
        }
        let (head, _) = split_site_suffix(&b.text);
        let content: Vec<String> = text::words(head)
            .map(|w| w.to_lowercase())
            .filter(|w| w.len() > 3)
            .collect();
        if content.is_empty() {
            continue;
        }
        let overlap = content.iter().filter(|w| body_words.contains(*w)).count() as f32
            / content.len() as f32;
        let twice = b
            .headline_key
            .is_some_and(|k| key_counts.get(&k).is_some_and(|&n| n > 1));
        let near = if body_start.saturating_sub(i) <= 4 {
            0.5
        } else {
            0.0
        };
        let s =
            overlap * 2.0 + if twice { 1.5 } else { 0.0 } + near + (b.words.min(12) as f32) * 0.05;
        if (overlap >= 0.3 || twice) && best.is_none_or(|(bs, _)| s > bs) {
            best = Some((s, i));
        }
    }
    // Failing words in common, position. The headline-like line nearest above the body (at most
    // three blocks up, four words or more) is the headline: a short report may share no word
    // with it ("Jakarta floods: 'Not ordinary rain', say officials" over a paragraph on the
    // rainy season). And a page may print its headline below a one-paragraph dek: the line
    // right after the first paragraph, when the article goes on after it and shares its words.
    let reads_as_headline = |b: &Block| {
        b.headline_like
            && b.class == Class::Short
            && !b.sentence_like
            && b.rule.is_none()
            && b.words >= 4
            && !stats.is_site_chrome(&b.text)
    };
    let mut below_dek = false;
    if best.is_none() {
        best = (body_start.saturating_sub(3)..body_start)
            .rev()
            .find(|&i| reads_as_headline(&blocks[i]))
            .map(|i| (0.0, i));
    }
    let after = body_start + 1;
    if best.is_none()
        && after < blocks.len()
        && keep[body_start]
        && keep[after]
        && blocks[body_start].class == Class::Good
        && blocks[body_start].words <= 60
        && reads_as_headline(&blocks[after])
        && (after + 1..blocks.len()).any(|j| keep[j] && blocks[j].class == Class::Good)
    {
        let rest: std::collections::HashSet<String> = (after + 1..blocks.len())
            .filter(|&j| keep[j])
            .flat_map(|j| {
                text::words(&blocks[j].text)
                    .map(|w| w.to_lowercase())
                    .collect::<Vec<_>>()
            })
            .collect();
        let content: Vec<String> = text::words(&blocks[after].text)
            .map(|w| w.to_lowercase())
            .filter(|w| w.len() > 3)
            .collect();
        let shared = content.iter().filter(|w| rest.contains(*w)).count();
        if !content.is_empty() && shared * 10 >= content.len() * 3 {
            best = Some((0.0, after));
            below_dek = true;
        }
    }
    let mut site_name = None;
    if let Some((_, i)) = best {
        let (head, site) = split_site_suffix(&blocks[i].text);
        flat.title = Some(head.to_string());
        site_name = site.map(str::to_string);
        let title_key = blocks[i].headline_key;
        let body_blocks = keep.iter().filter(|&&k| k).count();
        for (j, b) in blocks.iter_mut().enumerate() {
            let in_body = j == body_start && j == i;
            // A headline that is all the text there is stays text too.
            if in_body && body_blocks <= 1 {
                continue;
            }
            if (j == i || (b.headline_key.is_some() && b.headline_key == title_key))
                && (j < body_start || in_body || (below_dek && j == i))
            {
                b.class = Class::Chrome("title");
                if site_name.is_none() {
                    site_name = split_site_suffix(&b.text).1.map(str::to_string);
                }
            }
        }
    }
    // A masthead: the site's name in capitals above the headline.
    let headline_at = blocks
        .iter()
        .position(|b| b.class == Class::Chrome("title"))
        .unwrap_or(body_start);
    // ("THE VALEMONT COURIER", or an acronym and a word or two: "CRBC News").
    let masthead = blocks.iter().take(headline_at.min(6)).position(|b| {
        let letters: Vec<char> = b.text.chars().filter(|c| c.is_alphabetic()).collect();
        let words: Vec<&str> = b.text.split_whitespace().collect();
        let capitals = letters.len() >= 4 && letters.iter().all(|c| c.is_uppercase());
        let acronym_led = (2..=4).contains(&words.len())
            && words[0].chars().count() >= 2
            && words[0]
                .chars()
                .all(|c| c.is_alphabetic() && c.is_uppercase())
            && words[1..].iter().all(|w| {
                w.chars().next().is_some_and(char::is_uppercase)
                    && w.chars().all(char::is_alphabetic)
            });
        (1..=6).contains(&b.words)
            && (capitals || acronym_led)
            && b.rule.is_none()
            && matches!(b.class, Class::Short)
    });
    let masthead_name = masthead.map(|i| {
        blocks[i].class = Class::Chrome("masthead");
        // Capitals are the type, not the name; an acronym is the name.
        if blocks[i].text.chars().any(char::is_lowercase) {
            blocks[i].text.clone()
        } else {
            byline::title_case(&blocks[i].text)
        }
    });
    // The byline's organisation is asked about only when nothing else names the site.
    let byline_outlet = if site_name.is_none() && copyright.is_none() {
        byline_org.filter(|o| !credited(blocks, o))
    } else {
        None
    };
    flat.outlet = site_name.or(copyright).or(byline_outlet).or(masthead_name);
}

/// Whether the page credits `name` as its source ("(Kestrel Wire) —", "The-Kestrel-Wire"): then
/// a byline's organisation of that name is the wire whose report this is, not the page's own
/// outlet. A spun copy keeps the wire's byline and credit, and taking them as its outlet made it
/// the wire's original. (A copyright line is the site's footer: a station crediting itself in
/// its dateline prints its own copyright too, so it is not asked.)
fn credited(blocks: &[Block], name: &str) -> bool {
    let n = text::squash(name);
    blocks
        .iter()
        // A dateline credit holds a bracket; the other credits are provenance lines.
        .filter(|b| b.text.contains('(') || text::is_provenance_line(&b.text))
        .flat_map(|b| {
            text::CREDIT.iter().flat_map(|re| {
                re.captures_iter(&b.text)
                    .filter_map(|c| c.get(1).map(|m| text::squash(m.as_str())))
                    .collect::<Vec<_>>()
            })
        })
        .any(|c| c.len() >= 2 && (c.contains(n.as_str()) || n.contains(c.as_str())))
}

/// "Harbour fire | The Herald" and "Harbour fire" are one headline printed twice: they share
/// this key.
fn headline_key(text: &str) -> Option<u64> {
    let n = text::normalize(split_site_suffix(text).0);
    (!n.is_empty()).then(|| text::hash64(n.as_bytes()))
}

/// Splits "Headline | Site" or "Headline - Site" into the headline and the site name.
pub fn split_site_suffix(title: &str) -> (&str, Option<&str>) {
    for sep in [
        " | ",
        " - ",
        " \u{2013} ",
        " \u{2014} ",
        " :: ",
        " \u{00BB} ",
        " \u{2022} ",
    ] {
        if let Some(i) = title.rfind(sep) {
            let (head, site) = (title[..i].trim(), title[i + sep.len()..].trim());
            let site_words = site.split_whitespace().count();
            if (1..=5).contains(&site_words)
                && head.split_whitespace().count() >= 3
                && site.len() < head.len()
            {
                return (head, Some(site));
            }
        }
    }
    (title.trim(), None)
}

/// "© 2024 The Lisbon Herald. All rights reserved." → "The Lisbon Herald".
fn copyright_holder(line: &str) -> Option<String> {
    let t = line.trim();
    if t.len() > 200 {
        return None;
    }
    let lower = t.to_lowercase();
    let start = ["©", "(c)", "copyright"]
        .iter()
        .filter_map(|m| lower.find(m).map(|i| i + m.len()))
        .min()?;
    let rest = t.get(start..)?;
    let rest = rest.trim_start_matches(|c: char| {
        c.is_whitespace() || c == '©' || c.is_ascii_digit() || c == '-' || c == ','
    });
    let end = rest
        .find(['.', '|', ',', ';'])
        .or_else(|| rest.to_lowercase().find("all rights"))
        .unwrap_or(rest.len());
    let name = rest[..end].trim();
    let words = name.split_whitespace().count();
    ((1..=6).contains(&words) && name.chars().next().is_some_and(char::is_uppercase))
        .then(|| name.to_string())
}

#[cfg(test)]
mod tests {
    use super::*;

    fn run(text: &str) -> Found {
        extract_blocks(blocks_of(text), Some("eng"), &NoStats, Mode::Page)
    }

    const BODY: &str = "Firefighters in the harbour town of Valemont battled a warehouse blaze for more than nine hours on Tuesday, officials said.\n\
The fire started shortly after midnight in a storage building near the old fish market, according to the regional fire service.\n\
Crews from three neighbouring towns were called in to help, and about 40 residents were moved out of their homes as a precaution.\n\
What happens next\n\
The cause of the fire is not yet known, and investigators are expected to visit the site once it has cooled down.\n\
\"We were lucky that the wind turned,\" said deputy mayor Ilse Marten, who thanked the crews for their work through the night.\n";

    #[test]
    fn keeps_every_paragraph_and_subheading_and_drops_the_page() {
        let page = format!(
            "Skip to content\nMenu\nHome\nNews\nSport\nWeather\nEnglish Español Français Deutsch\n\
             Warehouse fire burns for nine hours in Valemont | The Valemont Courier\n\
             Warehouse fire burns for nine hours in Valemont\n\
             By Ana Ruiz and Tom Hale, The Valemont Courier\nPublished 9:40 AM, March 3, 2024\n\
             Share on Facebook\n{BODY}\
             Related Articles\nHarbour reopens after storm\nNew mayor sworn in\nSchool roof repaired\n\
             Leave a Reply\nThis is awful, I used to work near there and the smell was terrible all week long honestly.\n\
             © 2024 The Valemont Courier. All rights reserved.\n"
        );
        let flat = run(&page);
        let want: Vec<&str> = BODY.lines().collect();
        assert_eq!(flat.paragraphs, want, "removed: {:#?}", flat.removed);
        assert_eq!(
            flat.title.as_deref(),
            Some("Warehouse fire burns for nine hours in Valemont")
        );
        assert_eq!(flat.authors, vec!["Ana Ruiz", "Tom Hale"]);
        assert_eq!(flat.outlet.as_deref(), Some("The Valemont Courier"));
        assert_eq!(flat.published.as_deref(), Some("2024-03-03"));
        let reasons: Vec<&str> = flat.removed.iter().map(|r| r.reason.as_str()).collect();
        for r in [
            "skip link",
            "navigation",
            "language switcher",
            "title",
            "byline",
            "date line",
            "share buttons",
            "copyright",
        ] {
            assert!(reasons.contains(&r), "{r} not in {reasons:?}");
        }
    }

    #[test]
    fn a_headline_sharing_no_word_with_a_short_report_is_still_its_title() {
        let page = "Orrin dam: 'Not an ordinary flood', say engineers\n\
            The river rises every spring in the valley. It is one of the reasons the council \
            wants a second spillway before the next decade.\n";
        let flat = run(page);
        assert_eq!(
            flat.title.as_deref(),
            Some("Orrin dam: 'Not an ordinary flood', say engineers")
        );
        assert_eq!(flat.paragraphs.len(), 1, "{:?}", flat.paragraphs);
        assert!(flat.paragraphs[0].starts_with("The river rises"));
    }

    #[test]
    fn a_headline_below_a_one_paragraph_dek_and_an_acronym_masthead() {
        let body = "Rail drivers in Tarnwick stopped work at six on Monday, and no train left the \
            depot for the rest of the day, the operator said.\n\
            The union says night shifts were doubled in March without a word to the drivers, \
            and that the walk out will go on until the rota is withdrawn.\n\
            \"We asked for a meeting three times,\" said driver Pell Armand, who has worked \
            night shifts at the depot for eleven years.\n";
        let page = format!(
            "CRBC News\n\
             Night shifts at the depot were the last straw for the drivers, who stopped every \
             train out of Tarnwick on Monday morning.\n\
             Tarnwick rail drivers walk out over night shifts\n{body}"
        );
        let flat = run(&page);
        assert_eq!(
            flat.title.as_deref(),
            Some("Tarnwick rail drivers walk out over night shifts"),
            "removed: {:#?}",
            flat.removed
        );
        assert_eq!(flat.outlet.as_deref(), Some("CRBC News"));
        assert!(flat.paragraphs[0].starts_with("Night shifts at the depot"));
        assert!(!flat.paragraphs.iter().any(|p| p.contains("walk out over")));
        assert_eq!(flat.paragraphs.len(), body.lines().count() + 1);
    }

    #[test]
    fn a_byline_organisation_the_text_credits_is_not_the_page_outlet() {
        let copy = "Envoy states talks made advances\n\
            By Mira Osei and Lene Holt, Kestrel Wire\n\
            OSLAND (Kestrel Wire) — Particular envoy Daniel Arkwright stated on Monday that \
            officers had made actual advances in negotiations on the grain corridor.\n\
            Arkwright talked after two days of gatherings in the harbour city of Osland.\n";
        let flat = run(copy);
        assert_eq!(flat.authors, ["Mira Osei", "Lene Holt"]);
        assert_eq!(flat.outlet, None);
        // Without a credit line, the byline's organisation is the page's.
        let own = copy.replace("OSLAND (Kestrel Wire) — ", "");
        assert_eq!(run(&own).outlet.as_deref(), Some("Kestrel Wire"));
    }

    #[test]
    fn a_page_of_account_prompts_keeps_its_headline_as_its_text() {
        let page = "Two hurt when a sledge hits a barn in Brightmoor\n\
            You have reached the limit for free access to our reporting.\n\n\
            Subscribers, click below to login or register your subscription to continue \
            receiving unlimited access to the Courier.\n\
            Log In Sign Up\nFacebook\n\nTwitter\n";
        let flat = run(page);
        assert_eq!(
            flat.paragraphs,
            vec!["Two hurt when a sledge hits a barn in Brightmoor"],
            "removed: {:#?}",
            flat.removed
        );
    }

    #[test]
    fn a_published_and_updated_pair_below_the_lede_is_not_a_feed() {
        let lines: Vec<&str> = BODY.lines().collect();
        let page = format!(
            "{}\nPUBLISHED: TUESDAY, MARCH 5, 2024, 2: 29 PM\nUPDATED: WEDNESDAY, MARCH 6, 2024, \
             9: 31 AM\n{}\n",
            lines[0],
            lines[1..].join("\n")
        );
        let flat = run(&page);
        assert_eq!(flat.paragraphs, lines, "removed: {:#?}", flat.removed);
    }

    #[test]
    fn a_feed_of_dated_items_after_the_article_is_cut() {
        let page = format!(
            "{BODY}\
             Sam K.\n2 hours ago\nThe smell reached our street too and it lasted all week.\n\
             Ria\n3 hours ago\nThanks to the crews, they did a great job overnight.\n\
             Tom\n5 hours ago\nWho owns the warehouse now, does anybody know?\n"
        );
        let flat = run(&page);
        let want: Vec<&str> = BODY.lines().collect();
        assert_eq!(flat.paragraphs, want, "removed: {:#?}", flat.removed);
    }

    #[test]
    fn a_bare_article_is_kept_whole() {
        let flat = run(BODY);
        assert_eq!(
            flat.paragraphs.len(),
            BODY.lines().count(),
            "{:#?}",
            flat.removed
        );
    }

    #[test]
    fn a_single_short_line_or_list_of_titles_is_kept() {
        assert_eq!(
            run("earthquak strike indonesia").paragraphs,
            vec!["earthquak strike indonesia"]
        );
        assert!(run("").paragraphs.is_empty());
    }

    #[test]
    fn hard_wrapped_text_is_joined_into_paragraphs() {
        let wrapped = "The regional council of Valemont voted on Thursday to rebuild the old\n\
fish market after the fire, with work expected to begin in the spring and\n\
last for about eighteen months, officials said after the meeting ended.\n\
\n\
The vote was close, with seven members in favour and five against, and the\n\
opposition said the cost had not been explained to residents of the town.\n\
Some members asked for a second study of the site before any building work\n\
could begin, but that request was rejected by a majority of the council.\n";
        let flat = run(wrapped);
        assert_eq!(flat.paragraphs.len(), 2, "{:?}", flat.paragraphs);
        assert!(
            flat.paragraphs[0].starts_with("The regional council")
                && flat.paragraphs[0].ends_with("ended.")
        );
    }

    #[test]
    fn site_suffixes_and_copyright_holders() {
        assert_eq!(
            split_site_suffix("Fire burns for nine hours - Courier"),
            ("Fire burns for nine hours", Some("Courier"))
        );
        assert_eq!(
            split_site_suffix("Left - right politics explained"),
            ("Left - right politics explained", None)
        );
        assert_eq!(
            copyright_holder("Copyright 2023 Kestrel Daily, all rights reserved").as_deref(),
            Some("Kestrel Daily")
        );
    }
}
