//! Facts a text states that sources can disagree on: numbers attached to a thing, dates of an
//! event, names and roles of people.
//!
//! Input: an article's text and publication date. Output: [`Facts`]: per sentence, numbers
//! with their subject ("12 people were killed" and "killed 12" → `killed` = 12, "83 drones" →
//! `drone` = 83, "three years of war" → `year of war` = 3), dated statements with the word they date
//! ("struck on Tuesday" → `struck` = the Tuesday before publication, as a calendar date), and
//! name mentions with roles. A number's subject is the noun after it, with the verb of harm or
//! count that follows ("killed", "injured", "arrested"); a bare count of a generic noun ("two
//! people") says too little to compare and is left out. Relative dates ("on Thursday", "last
//! Tuesday", "yesterday", "December 6") are resolved against the publication date where it is
//! known, so that "Tuesday" and "yesterday" written on different days can agree.

use crate::text::WordSet;
use chrono::{Datelike, Duration, NaiveDate, Weekday};

use super::measures::{self, Bound};
use super::names::{Mention, Tokens};

/// A number fact: subject and value.
#[derive(Debug, Clone, PartialEq)]
pub struct NumberFact {
    pub subject: String,
    /// The number, scaled ("2.4 million" → 2400000) and in the subject's unit (hours for a
    /// length of time).
    pub value: String,
    /// What the words before it allow ("about 40").
    pub bound: Bound,
    /// The number as written, with its bound ("about 2.4 million", "72-hour").
    pub written: String,
    pub sentence: usize,
}

/// A date fact: what was dated, the date (resolved where possible) and how it was written.
#[derive(Debug, Clone, PartialEq)]
pub struct DateFact {
    pub subject: String,
    /// What the expression was, for comparing unresolved ones: `weekday`, `date`, `relative`.
    pub kind: &'static str,
    /// `YYYY-MM-DD` when resolved, else the expression lower-cased ("tuesday").
    pub value: String,
    pub resolved: bool,
    pub expression: String,
    pub sentence: usize,
}

/// Everything [`extract`] finds in a text.
#[derive(Debug, Clone, Default)]
pub struct Facts {
    pub sentences: Vec<String>,
    pub numbers: Vec<NumberFact>,
    pub dates: Vec<DateFact>,
    pub names: Vec<(usize, Mention)>,
}

const NUMBER_WORDS: &[(&str, u32)] = &[
    ("one", 1),
    ("two", 2),
    ("three", 3),
    ("four", 4),
    ("five", 5),
    ("six", 6),
    ("seven", 7),
    ("eight", 8),
    ("nine", 9),
    ("ten", 10),
    ("eleven", 11),
    ("twelve", 12),
    ("thirteen", 13),
    ("fourteen", 14),
    ("fifteen", 15),
    ("sixteen", 16),
    ("seventeen", 17),
    ("eighteen", 18),
    ("nineteen", 19),
    ("twenty", 20),
    ("thirty", 30),
    ("forty", 40),
    ("fifty", 50),
    ("sixty", 60),
    ("seventy", 70),
    ("eighty", 80),
    ("ninety", 90),
    ("hundred", 100),
    ("dozen", 12),
];

/// Verbs that make a count a fact about harm or action.
static COUNT_VERBS: WordSet = WordSet::new(&[
    "killed",
    "dead",
    "died",
    "injured",
    "wounded",
    "hurt",
    "missing",
    "arrested",
    "detained",
    "evacuated",
    "displaced",
    "rescued",
    "hospitalized",
    "hospitalised",
    "charged",
    "convicted",
    "sentenced",
    "fired",
    "launched",
    "destroyed",
    "damaged",
    "shot",
    "downed",
    "intercepted",
    "infected",
    "affected",
    "stranded",
    "trapped",
    "fined",
    "jailed",
]);

/// Nouns too generic to compare as a bare count.
static GENERIC: WordSet = WordSet::new(&[
    "people", "person", "men", "man", "women", "woman", "children", "child", "time", "times",
    "thing", "way", "ways", "other", "others", "part", "parts", "side", "sides", "point", "points",
    "day", "days", "week", "weeks", "month", "months", "hour", "hours", "minute", "minutes",
    "percent", "per", "cent", "year", "of", "and", "or", "the", "a", "in", "on", "at", "to", "for",
    "more", "than", "about", "over", "under", "from", "with", "by", "who", "were", "was", "had",
    "have", "has", "is", "are", "be", "been", "each", "among", "that", "which", "p", "m", "am",
    "pm", "a.m", "p.m", "st", "nd", "rd", "th",
]);

const WEEKDAYS: &[(&str, Weekday)] = &[
    ("monday", Weekday::Mon),
    ("tuesday", Weekday::Tue),
    ("wednesday", Weekday::Wed),
    ("thursday", Weekday::Thu),
    ("friday", Weekday::Fri),
    ("saturday", Weekday::Sat),
    ("sunday", Weekday::Sun),
];

const MONTHS: &[&str] = &[
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
];

static STOP: WordSet = WordSet::new(&[
    "the",
    "a",
    "an",
    "and",
    "or",
    "but",
    "of",
    "in",
    "on",
    "at",
    "to",
    "for",
    "with",
    "by",
    "from",
    "was",
    "were",
    "is",
    "are",
    "be",
    "been",
    "had",
    "has",
    "have",
    "it",
    "its",
    "that",
    "this",
    "which",
    "who",
    "he",
    "she",
    "they",
    "we",
    "i",
    "his",
    "her",
    "their",
    "said",
    "says",
    "late",
    "early",
    "last",
    "next",
    "night",
    "morning",
    "afternoon",
    "evening",
    "since",
    "until",
    "before",
    "after",
    "as",
    "than",
    "also",
    "not",
    "no",
    "would",
    "will",
    "could",
    "can",
]);

/// Nouns whose count is a fact a story turns on (and not one of many incidental numbers).
static EVENT_NOUNS: WordSet = WordSet::new(&[
    "visitor",
    "spectator",
    "attendee",
    "participant",
    "drone",
    "missile",
    "rocket",
    "shell",
    "casualty",
    "death",
    "victim",
    "injury",
    "arrest",
    "hostage",
    "prisoner",
    "troop",
    "soldier",
    "home",
    "house",
    "building",
    "resident",
    "passenger",
    "aftershock",
    "fatality",
    "survivor",
    "body",
    "vote",
    "seat",
    "case",
    "patient",
    "student",
    "worker",
    "employee",
    "job",
    "protester",
    "migrant",
    "refugee",
    "vehicle",
    "plane",
    "aircraft",
    "ship",
    "tank",
    "gunman",
    "suspect",
    "officer",
    "firefighter",
    "crew",
    "child",
    "customer",
    "account",
    "record",
    "floor",
    "storey",
    "story",
    "goal",
    "point",
    "run",
]);

/// Time units that count something when followed by "of" ("four years of war").
const SPAN_UNITS: &[&str] = &["year", "month", "week", "day", "hour", "minute", "decade"];

/// Whether a number's subject is specific enough to compare across sources: a verb of harm or
/// count is in it, it is a span of something, or it counts an event noun.
fn is_countable(subject: &str) -> bool {
    let words: Vec<&str> = subject.split(' ').collect();
    if words.iter().any(|w| COUNT_VERBS.contains(w)) {
        return true;
    }
    match words.as_slice() {
        [unit, "of", _] => SPAN_UNITS.contains(unit),
        [noun] => EVENT_NOUNS.contains(noun),
        _ => false,
    }
}

static IRREGULAR_PAST: WordSet = WordSet::new(&[
    "struck", "hit", "shot", "began", "begun", "took", "taken", "held", "met", "won", "lost",
    "fell", "rose", "broke", "broken", "left", "came", "went", "found", "caught", "fought",
    "stolen", "stole", "beaten", "beat", "sent", "sold", "bought", "built", "spent", "drove",
    "driven", "ran", "flew", "blew", "burned", "burnt", "died", "killed", "opened", "closed",
    "quit", "resigned", "set", "put", "led", "gave", "given", "made", "shut", "sank", "sunk",
    "froze", "bit", "hung", "hanged", "split", "slid", "spread", "swept", "struck", "erupted",
]);

static REPORTING: WordSet = WordSet::new(&[
    "said",
    "told",
    "announced",
    "reported",
    "stated",
    "confirmed",
    "added",
    "wrote",
    "posted",
    "tweeted",
    "published",
    "released",
    "issued",
    "explained",
    "noted",
    "claimed",
    "revealed",
    "declared",
    "insisted",
    "warned",
    "updated",
]);

fn is_event_verb(w: &str) -> bool {
    if REPORTING.contains(&w) {
        return false;
    }
    IRREGULAR_PAST.contains(&w) || (w.len() > 4 && w.ends_with("ed"))
}

/// Publication day of an ISO date-time string.
pub fn published_day(published: Option<&str>) -> Option<NaiveDate> {
    let p = published?;
    NaiveDate::parse_from_str(p.get(..10)?, "%Y-%m-%d").ok()
}

fn number_value(w: &str) -> Option<String> {
    // Most tokens are neither digits nor number words: leave them at the first letter.
    let first = w.chars().next()?;
    if !first.is_ascii_digit() {
        if !(3..=9).contains(&w.len()) || !w.is_ascii() {
            return None;
        }
        let lw = w.to_ascii_lowercase();
        return NUMBER_WORDS
            .iter()
            .find(|(n, _)| *n == lw)
            .map(|(_, v)| v.to_string());
    }
    let digits: String = w.chars().filter(|c| *c != ',').collect();
    if digits.is_empty() || !digits.chars().all(|c| c.is_ascii_digit() || c == '.') {
        return None;
    }
    // "000" is the tail of a number written "10 000".
    if !digits.starts_with(|c: char| c.is_ascii_digit())
        || (digits.starts_with('0') && digits.len() > 1)
    {
        return None;
    }
    Some(digits.trim_end_matches('.').to_string())
}

fn singular(w: &str) -> String {
    if w.len() > 4 && w.ends_with("ies") {
        format!("{}y", &w[..w.len() - 3])
    } else if w.len() > 3 && w.ends_with('s') && !w.ends_with("ss") {
        w[..w.len() - 1].to_string()
    } else {
        w.to_string()
    }
}

/// Facts of a text, its sentences numbered in order.
pub fn extract(text: &str, published: Option<&str>) -> Facts {
    let day = published_day(published);
    let mut facts = Facts::default();
    for paragraph in text.split('\n') {
        for sentence in crate::text::sentences(paragraph) {
            let k = facts.sentences.len();
            facts.sentences.push(sentence.to_string());
            let t = Tokens::new(sentence);
            numbers_in(&t, k, &mut facts.numbers);
            measures::measures_in(&t, k, &mut facts.numbers);
            dates_in(&t, k, day, &mut facts.dates);
            for (subject, year) in measures::years_made(&t) {
                facts.dates.push(DateFact {
                    subject,
                    kind: "year",
                    value: year.clone(),
                    resolved: true,
                    expression: year,
                    sentence: k,
                });
            }
            for m in t.mentions() {
                facts.names.push((k, m));
            }
        }
    }
    facts
}

#[cfg(test)]
fn numbers_of(sentence: &str, k: usize, out: &mut Vec<NumberFact>) {
    numbers_in(&Tokens::new(sentence), k, out);
}

fn numbers_in(t: &Tokens, k: usize, out: &mut Vec<NumberFact>) {
    let (raw, low) = (&t.raw, &t.low);
    for i in 0..raw.len() {
        let Some(value) = number_value(raw[i]) else {
            continue;
        };
        // Dates, times, years, money and percentages are not counts of a thing.
        let prev = i.checked_sub(1).map(|j| low[j].as_str());
        if prev.is_some_and(|p| MONTHS.contains(&p) || p == "$" || p == "£" || p == "€") {
            continue;
        }
        let next = low.get(i + 1).map(String::as_str);
        if next.is_some_and(|n| {
            MONTHS.contains(&n)
                || matches!(
                    n,
                    "%" | "percent" | "a" | "p" | ":" | "-" | "st" | "nd" | "rd" | "th"
                )
        }) {
            continue;
        }
        if raw[i].len() == 4 && raw[i].starts_with(['1', '2']) && !raw[i].contains(',') {
            continue; // a year
        }
        // "14103 Old State Road": a house number before a street's name counts nothing.
        if raw[i].len() >= 3
            && raw[i].chars().all(|c| c.is_ascii_digit())
            && raw
                .get(i + 1)
                .is_some_and(|w| w.starts_with(char::is_uppercase))
            && raw
                .get(i + 2)
                .is_some_and(|w| w.starts_with(char::is_uppercase))
        {
            continue;
        }
        if value == "1" && low[i] == "one" && next.is_some_and(|n| n == "of") {
            continue; // "one of the ..."
        }
        // "2.4 million customers": the scale is part of the number, and the noun comes after it.
        let scaled = next.and_then(measures::scale);
        let (value, first) = match (scaled, value.parse::<f64>()) {
            (Some(m), Ok(x)) => (measures::format_value(x * m), i + 2),
            _ => (value, i + 1),
        };
        let (bound, said) = measures::bound_before(low, i);
        let written = if scaled.is_some() {
            format!("{said}{} {}", raw[i], raw[i + 1])
        } else {
            format!("{said}{}", raw[i])
        };
        // The thing counted: the first content word within three tokens after the number.
        let mut noun = None;
        let mut j = first;
        while j < raw.len() && j <= first + 2 {
            let w = low[j].as_str();
            if w.chars().all(char::is_alphabetic)
                && !STOP.contains(&w)
                && !raw[j].starts_with(char::is_uppercase)
            {
                noun = Some((j, w));
                break;
            }
            if (!w.chars().all(char::is_alphabetic) || STOP.contains(&w))
                && !matches!(w, "more" | "than" | "-")
            {
                break;
            }
            j += 1;
        }
        let verb_after = |from: usize| {
            (from..(from + 4).min(raw.len())).find_map(|m| {
                COUNT_VERBS
                    .contains(&low[m].as_str())
                    .then(|| low[m].clone())
            })
        };
        let verb_before = i
            .checked_sub(1)
            .and_then(|p| {
                // "killed 12", "killing at least 12"
                let start = p.saturating_sub(3);
                (start..=p).rev().find_map(|m| {
                    let w = low[m].as_str();
                    let stem = w.strip_suffix("ing").map(|s| format!("{s}ed"));
                    if COUNT_VERBS.contains(&w) {
                        Some(w.to_string())
                    } else {
                        stem.filter(|s| COUNT_VERBS.contains(&s.as_str()))
                    }
                })
            })
            .filter(|_| noun.is_none_or(|(_, n)| GENERIC.contains(&n)));
        let subject = match noun {
            Some((_, n)) if COUNT_VERBS.contains(&n) => Some(n.to_string()),
            // "33 shots" counts rounds fired, not people shot: a plural noun whose singular is a
            // verb of harm is that noun, which no other source's victims are compared with.
            Some((_, n)) if singular(n) != n && COUNT_VERBS.contains(&singular(n).as_str()) => {
                Some(n.to_string())
            }
            Some((j, n)) => {
                let n = singular(n);
                let of = (low.get(j + 1).map(String::as_str) == Some("of"))
                    .then(|| low.get(j + 2))
                    .flatten()
                    .filter(|w| w.chars().all(char::is_alphabetic) && !STOP.contains(&w.as_str()));
                // "three years of war" is a length of time, read in `measures`.
                if of.is_some_and(|o| measures::is_lasting_event(o)) && measures::is_time_unit(&n) {
                    continue;
                }
                match (verb_after(j + 1), of) {
                    // "17 people were injured" and "injuring 17" count the same thing.
                    (Some(v), _) if GENERIC.contains(&n.as_str()) => Some(v),
                    (Some(v), _) => Some(format!("{n} {v}")),
                    // "14 cases of measles" counts cases, as "measles cases" does.
                    (None, Some(_)) if EVENT_NOUNS.contains(&n.as_str()) => Some(n),
                    (None, Some(o)) => Some(format!("{n} of {o}")),
                    (None, None) if GENERIC.contains(&n.as_str()) || n.len() < 3 => {
                        verb_before.clone()
                    }
                    (None, None) => Some(n),
                }
            }
            None => verb_before.clone().or_else(|| risen_to(low, i)),
        };
        if let Some(subject) = subject.filter(|s| is_countable(s)) {
            out.push(NumberFact {
                subject,
                value,
                bound,
                written,
                sentence: k,
            });
        }
    }
}

/// What a count that "rose to 17" counts: "the number of measles cases linked to local schools
/// rose to 17" → `case`, the nearest countable noun before the verb.
fn risen_to(low: &[String], i: usize) -> Option<String> {
    const CHANGE: &[&str] = &[
        "rose",
        "risen",
        "rise",
        "rises",
        "climbed",
        "increased",
        "jumped",
        "grew",
        "fell",
        "dropped",
        "reached",
        "reaches",
        "stood",
        "stands",
        "totalled",
        "totaled",
        "hit",
    ];
    let mut v = i.checked_sub(1)?;
    if matches!(low[v].as_str(), "to" | "at") {
        v = v.checked_sub(1)?;
    }
    if !CHANGE.contains(&low[v].as_str()) {
        return None;
    }
    (v.saturating_sub(8)..v).rev().find_map(|j| {
        let n = singular(&low[j]);
        EVENT_NOUNS.contains(&n.as_str()).then_some(n)
    })
}

#[cfg(test)]
fn dates_of(sentence: &str, k: usize, day: Option<NaiveDate>, out: &mut Vec<DateFact>) {
    dates_in(&Tokens::new(sentence), k, day, out);
}

fn dates_in(t: &Tokens, k: usize, day: Option<NaiveDate>, out: &mut Vec<DateFact>) {
    let (raw, low) = (&t.raw, &t.low);
    for i in 0..raw.len() {
        let w = low[i].as_str();
        // Weekdays and months are written with a capital; "today" and "yesterday" are not.
        if !raw[i].starts_with(char::is_uppercase) && !matches!(w, "today" | "yesterday") {
            continue;
        }
        let mut expression = None;
        let mut resolved = None;
        if let Some((_, wd)) = WEEKDAYS.iter().find(|(n, _)| *n == w) {
            if !raw[i].starts_with(char::is_uppercase) {
                continue;
            }
            let last = i > 0 && low[i - 1] == "last";
            // "until Thursday", "next Thursday", "will open on Thursday": ahead, not past.
            let ahead_word =
                i > 0 && matches!(low[i - 1].as_str(), "next" | "until" | "till" | "by");
            let future = low[..i].iter().any(|w| w == "will" || w == "'ll")
                || (i > 1 && low[i - 1] == "on" && low[i - 2] == "from");
            let next = ahead_word || future;
            expression = Some(if last {
                format!("last {w}")
            } else if i > 0 && low[i - 1] == "next" {
                format!("next {w}")
            } else {
                w.to_string()
            });
            resolved = day.map(|d| {
                let back = (d.weekday().num_days_from_monday() + 7 - wd.num_days_from_monday()) % 7;
                if next {
                    let fwd =
                        (wd.num_days_from_monday() + 7 - d.weekday().num_days_from_monday()) % 7;
                    let ahead = if fwd == 0 && i > 0 && low[i - 1] == "next" {
                        7
                    } else {
                        fwd
                    };
                    d + Duration::days(i64::from(ahead))
                } else if last && back == 0 {
                    d - Duration::days(7)
                } else {
                    d - Duration::days(i64::from(back))
                }
            });
        } else if w == "yesterday" || w == "today" {
            expression = Some(w.to_string());
            resolved = day.map(|d| {
                if w == "yesterday" {
                    d - Duration::days(1)
                } else {
                    d
                }
            });
        } else if let Some(m) = MONTHS.iter().position(|n| *n == w) {
            // "December 6" / "6 December", with an optional year after.
            if !raw[i].starts_with(char::is_uppercase) || (w == "may" && i == 0) {
                continue;
            }
            let after = raw
                .get(i + 1)
                .and_then(|x| x.parse::<u32>().ok())
                .filter(|d| (1..=31).contains(d));
            let before = i
                .checked_sub(1)
                .and_then(|j| raw[j].parse::<u32>().ok())
                .filter(|d| (1..=31).contains(d));
            let Some(dom) = after.or(before) else {
                continue;
            };
            let year_at = if after.is_some() { i + 2 } else { i + 1 };
            let year = raw
                .get(year_at)
                .filter(|x| *x == &",")
                .and_then(|_| raw.get(year_at + 1))
                .or(raw.get(year_at))
                .and_then(|y| y.parse::<i32>().ok())
                .filter(|y| (1900..2200).contains(y));
            expression = Some(match year {
                Some(y) => format!("{} {dom}, {y}", MONTHS[m]),
                None => format!("{} {dom}", MONTHS[m]),
            });
            let month = m as u32 + 1;
            resolved = match (year, day) {
                (Some(y), _) => NaiveDate::from_ymd_opt(y, month, dom),
                (None, Some(d)) => NaiveDate::from_ymd_opt(d.year(), month, dom).map(|x| {
                    // "December 6" written in January is last year's.
                    if x > d + Duration::days(31) {
                        NaiveDate::from_ymd_opt(d.year() - 1, month, dom).unwrap_or(x)
                    } else {
                        x
                    }
                }),
                (None, None) => None,
            };
        }
        let Some(expression) = expression else {
            continue;
        };
        // What the date is of: the nearest content word before it in the clause.
        let subject = (0..i).rev().take(6).find_map(|j| {
            let x = low[j].as_str();
            if matches!(raw[j], "," | ";" | "." | ":" | "\u{2014}") {
                return Some(None);
            }
            (x.chars().all(char::is_alphabetic)
                && x.len() > 2
                && !STOP.contains(&x)
                && !MONTHS.contains(&x)
                && !matches!(x, "today" | "yesterday" | "tomorrow")
                && !WEEKDAYS.iter().any(|(n, _)| *n == x)
                && !raw[j].starts_with(char::is_uppercase))
            .then(|| Some(x.to_string()))
        });
        // Only events are dated for comparison: a past-tense verb, not the report itself
        // ("said on Tuesday") nor a noun ("court on Thursday").
        let Some(Some(subject)) = subject else {
            continue;
        };
        if !is_event_verb(&subject) {
            continue;
        }
        // Unresolved, only expressions of one kind compare: weekdays with weekdays.
        let kind = if expression.contains(char::is_numeric) {
            "date"
        } else if matches!(expression.as_str(), "today" | "yesterday") {
            "relative"
        } else {
            "weekday"
        };
        out.push(DateFact {
            kind,
            subject,
            value: resolved
                .map_or_else(|| expression.clone(), |d| d.format("%Y-%m-%d").to_string()),
            resolved: resolved.is_some(),
            expression,
            sentence: k,
        });
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn numbers(s: &str) -> Vec<(String, String)> {
        let mut v = Vec::new();
        numbers_of(s, 0, &mut v);
        v.into_iter().map(|f| (f.subject, f.value)).collect()
    }

    fn p(a: &str, b: &str) -> (String, String) {
        (a.to_string(), b.to_string())
    }

    #[test]
    fn numbers_take_their_subject() {
        assert_eq!(
            numbers("At least 12 people were killed on Monday."),
            [p("killed", "12")]
        );
        assert_eq!(
            numbers("The blast killed 14 and injured 30."),
            [p("killed", "14"), p("injured", "30")]
        );
        assert_eq!(
            numbers("Russia launched 83 drones overnight."),
            [p("drone", "83")]
        );
        // A length of war is read in `measures`.
        assert_eq!(
            numbers("after nearly four years of war"),
            Vec::<(String, String)>::new()
        );
        assert_eq!(
            numbers("Health officials confirmed 14 cases of measles."),
            [p("case", "14")]
        );
        assert_eq!(
            numbers("The number of measles cases linked to schools rose to 17."),
            [p("case", "17")]
        );
        assert_eq!(
            numbers("Hackers stole data of about 2.4 million customers."),
            [p("customer", "2400000")]
        );
        assert_eq!(
            numbers("Residents heard as many as 33 shots."),
            Vec::<(String, String)>::new()
        );
        assert_eq!(
            numbers("Four people were killed at 14103 Old State Road."),
            [p("killed", "4")]
        );
        assert_eq!(
            numbers("Talks lasted six hours."),
            Vec::<(String, String)>::new()
        );
        assert_eq!(
            numbers("The talks lasted 6 hours of negotiation."),
            [p("hour of negotiation", "6")]
        );
        assert_eq!(
            numbers("In 2019, on December 6, at 3 p.m., 5% rose."),
            Vec::<(String, String)>::new()
        );
        assert_eq!(numbers("two people spoke"), Vec::<(String, String)>::new());
    }

    #[test]
    fn dates_resolve_against_publication() {
        // 2026-11-19 is a Thursday.
        let day = published_day(Some("2026-11-19T10:00:00Z"));
        let mut v = Vec::new();
        dates_of(
            "The quake struck on Tuesday, officials said.",
            0,
            day,
            &mut v,
        );
        dates_of("The quake struck yesterday.", 1, day, &mut v);
        dates_of("The dam will be inspected on December 6.", 2, day, &mut v);
        dates_of("The vote happened last Thursday.", 3, day, &mut v);
        dates_of("The port stays closed until Saturday.", 4, day, &mut v);
        let got: Vec<(&str, &str)> = v
            .iter()
            .map(|d| (d.subject.as_str(), d.value.as_str()))
            .collect();
        assert_eq!(
            got,
            [
                ("struck", "2026-11-17"),
                ("struck", "2026-11-18"),
                ("inspected", "2026-12-06"),
                ("happened", "2026-11-12"),
                ("closed", "2026-11-21")
            ]
        );
        let mut v = Vec::new();
        dates_of("The quake struck on Tuesday.", 0, None, &mut v);
        assert_eq!(v[0].value, "tuesday");
        assert!(!v[0].resolved);
    }

    #[test]
    fn odd_text_does_not_panic() {
        for s in [
            "",
            "12",
            "killed",
            "May 99",
            "Tuesday",
            "999999999999999999999 people were killed",
            "1,2,3,4",
        ] {
            let _ = extract(s, Some("nonsense"));
            let _ = extract(s, Some("2026-02-30"));
        }
    }
}
