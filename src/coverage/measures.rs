//! Measures: what a number allows, and numbers that count no thing but measure one.
//!
//! Input: a sentence's tokens ([`Tokens`]) and the index of a number in them. Output: the
//! number's [`Bound`] (how far "about 40" or "more than 100" reaches), its scale ("2.4 million"),
//! and the facts a count detector does not see: how long an event lasted ("strike for 48
//! hours", "a 72-hour walkout", "the nearly four-year-old conflict"), a share of a whole ("54
//! percent of the vote"), a size ("about eight millimetres long", "winds of up to 110
//! kilometres per hour"), and the year a thing was made ("the dam, built in 1961").
//!
//! The idea: a value is an interval of what its words allow. "About 40" is 38 to 42 (news
//! rounds, but a source that writes "about 2 million" against another's "2.4 million" disagrees
//! with it), "more than 100" is 100 and up, "nearly four" is a little under four. Two sources
//! disagree when their intervals do not meet, so that "more than 100" and "up to 110" agree
//! while "about 40" and "sixty" do not. Durations are kept in hours and sizes in the unit's
//! base, so that "48 hours" meets "two days"; an event's synonyms fold into one subject
//! ("walkout" is a strike, "conflict" is a war).

use super::facts::NumberFact;
use super::names::Tokens;

/// What the words before a number allow of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Bound {
    Exact,
    /// "about", "around", "some", "roughly", "an estimated".
    About,
    /// "nearly", "almost": a little under.
    Under,
    /// "more than", "over", "at least".
    AtLeast,
    /// "up to", "less than", "fewer than", "at most".
    AtMost,
}

/// How far "about" reaches either side.
const ABOUT: f64 = 0.05;
/// How far under "nearly" reaches.
const NEARLY: f64 = 0.1;

impl Bound {
    /// The interval a value with this bound allows.
    pub fn interval(self, x: f64) -> (f64, f64) {
        match self {
            Bound::Exact => (x, x),
            Bound::About => (x * (1.0 - ABOUT), x * (1.0 + ABOUT)),
            Bound::Under => (x * (1.0 - NEARLY), x),
            Bound::AtLeast => (x, f64::INFINITY),
            Bound::AtMost => (0.0, x),
        }
    }
}

/// Whether two stated values can both be true. Two bounds of one kind are two claims of the
/// same limit ("at least 12 killed" and "at least 15 killed" count the dead differently; "up to
/// 110" and "up to 130" differ on the strongest gust), compared as "about" compares.
pub fn compatible(a: (f64, Bound), b: (f64, Bound)) -> bool {
    if a.1 == b.1 && matches!(a.1, Bound::AtLeast | Bound::AtMost) {
        return compatible((a.0, Bound::About), (b.0, Bound::Exact));
    }
    let (alo, ahi) = a.1.interval(a.0);
    let (blo, bhi) = b.1.interval(b.0);
    // A hair of slack for values computed in floating point (2.4 million).
    let eps = 1e-9 * a.0.abs().max(b.0.abs()).max(1.0);
    alo <= bhi + eps && blo <= ahi + eps
}

/// The bound the words just before token `i` put on it, and those words as written
/// ("at least ", "about "; empty for none).
pub fn bound_before(low: &[String], i: usize) -> (Bound, String) {
    let w = |back: usize| i.checked_sub(back).map(|j| low[j].as_str());
    let (bound, words) = match (w(2), w(1)) {
        (Some("more" | "greater"), Some("than")) | (Some("at"), Some("least")) => {
            (Bound::AtLeast, 2)
        }
        (Some("up"), Some("to"))
        | (Some("less" | "fewer"), Some("than"))
        | (Some("at"), Some("most")) => (Bound::AtMost, 2),
        (_, Some("over" | "upwards")) => (Bound::AtLeast, 1),
        (_, Some("under")) => (Bound::AtMost, 1),
        (_, Some("nearly" | "almost")) => (Bound::Under, 1),
        (_, Some("about" | "around" | "some" | "roughly" | "approximately" | "estimated"))
        | (_, Some("approx")) => (Bound::About, 1),
        _ => (Bound::Exact, 0),
    };
    let written: String = low[i - words..i].iter().map(|w| format!("{w} ")).collect();
    (bound, written)
}

/// The multiplier of a scale word after a number ("2.4 million").
pub fn scale(word: &str) -> Option<f64> {
    match word {
        "thousand" => Some(1e3),
        "million" | "mln" => Some(1e6),
        "billion" | "bn" => Some(1e9),
        "trillion" => Some(1e12),
        _ => None,
    }
}

/// A number as the comparisons keep it: integral values without a point.
pub fn format_value(x: f64) -> String {
    if x.fract() == 0.0 && x.abs() < 1e15 {
        format!("{}", x as i64)
    } else {
        let s = format!("{x:.6}");
        s.trim_end_matches('0').trim_end_matches('.').to_string()
    }
}

/// Hours in a unit of time.
fn hours_in(unit: &str) -> Option<f64> {
    Some(match unit.trim_end_matches('s') {
        "minute" => 1.0 / 60.0,
        "hour" => 1.0,
        "day" => 24.0,
        "week" => 168.0,
        "month" => 730.5,
        "year" => 8766.0,
        "decade" => 87660.0,
        _ => return None,
    })
}

/// Whether a word is a unit of time ("hours", "year").
pub fn is_time_unit(word: &str) -> bool {
    hours_in(word).is_some()
}

/// Whether a word names an event whose length is a fact ("war", "strikes").
pub fn is_lasting_event(word: &str) -> bool {
    lasting_event(word).is_some()
}

/// Events whose length is a fact, folded to one name per event.
fn lasting_event(word: &str) -> Option<&'static str> {
    Some(match word.trim_end_matches('s') {
        "strike" | "walkout" | "stoppage" => "strike",
        "war" | "conflict" | "fighting" => "war",
        "ceasefire" | "truce" => "ceasefire",
        "curfew" => "curfew",
        "lockdown" => "lockdown",
        "closure" | "shutdown" => "closure",
        "outage" | "blackout" => "outage",
        "ban" => "ban",
        "siege" => "siege",
        "occupation" => "occupation",
        "suspension" => "suspension",
        "search" => "search",
        "trial" => "trial",
        "standoff" | "stand-off" => "standoff",
        _ => return None,
    })
}

/// Units of size: the dimension they measure with an adjective after them, and their factor to
/// the base unit (metres, kilograms).
fn length_unit(word: &str) -> Option<f64> {
    Some(match word {
        "millimetre" | "millimetres" | "millimeter" | "millimeters" | "mm" => 0.001,
        "centimetre" | "centimetres" | "centimeter" | "centimeters" | "cm" => 0.01,
        "metre" | "metres" | "meter" | "meters" | "m" => 1.0,
        "kilometre" | "kilometres" | "kilometer" | "kilometers" | "km" => 1000.0,
        "inch" | "inches" => 0.0254,
        "foot" | "feet" | "ft" => 0.3048,
        "yard" | "yards" => 0.9144,
        "mile" | "miles" => 1609.344,
        _ => return None,
    })
}

fn dimension(adjective: &str) -> Option<&'static str> {
    Some(match adjective {
        "long" => "length",
        "tall" | "high" => "height",
        "wide" | "across" => "width",
        "deep" => "depth",
        "thick" => "thickness",
        _ => return None,
    })
}

/// A number token's value, with a fraction point allowed ("2.4").
fn numeral(raw: &str, low: &str) -> Option<f64> {
    let digits: String = raw.chars().filter(|c| *c != ',').collect();
    if let Ok(x) = digits.parse::<f64>() {
        return x.is_finite().then_some(x);
    }
    word_number(low)
}

fn word_number(w: &str) -> Option<f64> {
    const WORDS: &[(&str, f64)] = &[
        ("one", 1.0),
        ("two", 2.0),
        ("three", 3.0),
        ("four", 4.0),
        ("five", 5.0),
        ("six", 6.0),
        ("seven", 7.0),
        ("eight", 8.0),
        ("nine", 9.0),
        ("ten", 10.0),
        ("eleven", 11.0),
        ("twelve", 12.0),
        ("fifteen", 15.0),
        ("twenty", 20.0),
        ("thirty", 30.0),
        ("forty", 40.0),
        ("fifty", 50.0),
        ("sixty", 60.0),
        ("hundred", 100.0),
        ("a", 1.0),
        ("an", 1.0),
    ];
    WORDS.iter().find(|(n, _)| *n == w).map(|&(_, v)| v)
}

/// The facts of measure in a sentence (sentence number `k`).
pub fn measures_in(t: &Tokens, k: usize, out: &mut Vec<NumberFact>) {
    let (raw, low) = (&t.raw, &t.low);
    let mut push = |subject: String, x: f64, bound: Bound, written: String| {
        out.push(NumberFact {
            subject,
            value: format_value(x),
            bound,
            written,
            sentence: k,
        });
    };
    for i in 0..raw.len() {
        // "a 72-hour walkout", "the nearly four-year-old conflict", "a three-day strike".
        let parts: Vec<&str> = low[i].split('-').collect();
        if parts.len() >= 2 && !(parts.len() == 2 && parts[1] == "old") {
            if let (Some(n), Some(h)) = (numeral(parts[0], parts[0]), hours_in(parts[1])) {
                let event = (i + 1..raw.len().min(i + 3)).find_map(|j| lasting_event(&low[j]));
                if let Some(event) = event {
                    let (bound, said) = bound_before(low, i);
                    push(
                        format!("length of {event}"),
                        n * h,
                        bound,
                        format!("{}{}", said, raw[i]),
                    );
                }
                continue;
            }
        }
        let Some(n) = numeral(raw[i], &low[i]).filter(|_| {
            raw[i].starts_with(|c: char| c.is_ascii_digit()) || word_number(&low[i]).is_some()
        }) else {
            continue;
        };
        let next = |d: usize| low.get(i + d).map(String::as_str);
        let (bound, said) = bound_before(low, i);
        // "strike for 48 hours", "three years of war".
        if let Some(h) = next(1).and_then(hours_in) {
            let before_for = (i >= 2 && low[i - 1] == "for")
                .then(|| {
                    (i.saturating_sub(4)..i - 1)
                        .rev()
                        .find_map(|j| lasting_event(&low[j]))
                })
                .flatten();
            let of_event = (next(2) == Some("of"))
                .then(|| next(3).and_then(lasting_event))
                .flatten();
            if let Some(event) = before_for.or(of_event) {
                push(
                    format!("length of {event}"),
                    n * h,
                    bound,
                    format!("{}{} {}", said, raw[i], raw[i + 1]),
                );
            }
            continue;
        }
        // "54 percent of the vote".
        if matches!(next(1), Some("percent" | "%")) && next(2) == Some("of") {
            let mut j = i + 3;
            if matches!(next(3), Some("the" | "a" | "all" | "its" | "their")) {
                j += 1;
            }
            if let Some(whole) = low.get(j).filter(|w| w.chars().all(char::is_alphabetic)) {
                push(
                    format!("percent of {whole}"),
                    n,
                    bound,
                    format!("{}{} percent", said, raw[i]),
                );
            }
            continue;
        }
        // "eight millimetres long", "winds of up to 110 kilometres per hour".
        if let Some(f) = next(1).and_then(length_unit) {
            if next(2) == Some("per") && next(3) == Some("hour") {
                push(
                    "speed".to_string(),
                    n * f,
                    bound,
                    format!("{}{} {} per hour", said, raw[i], raw[i + 1]),
                );
            } else if let Some(d) = next(2).and_then(dimension) {
                push(
                    d.to_string(),
                    n * f,
                    bound,
                    format!("{}{} {} {}", said, raw[i], raw[i + 1], raw[i + 2]),
                );
            }
            continue;
        }
        if matches!(next(1), Some("mph")) {
            push(
                "speed".to_string(),
                n * 1609.344,
                bound,
                format!("{}{} mph", said, raw[i]),
            );
        }
    }
}

/// Verbs of a thing's making, folded to one: "built", "opened", "founded".
fn making(word: &str) -> Option<&'static str> {
    Some(match word {
        "built" | "completed" | "constructed" | "finished" | "erected" => "built",
        "opened" | "inaugurated" => "opened",
        "founded" | "established" => "founded",
        _ => return None,
    })
}

/// The year a thing was made: "The dam, built in 1961" and "The dam was completed in 1963" →
/// (`dam built`, 1961 / 1963). The thing is the noun before the verb, so that the subject says
/// what it is of without the sentence around it.
pub fn years_made(t: &Tokens) -> Vec<(String, String)> {
    let (raw, low) = (&t.raw, &t.low);
    let mut out = Vec::new();
    for i in 0..raw.len().saturating_sub(2) {
        let Some(verb) = making(&low[i]) else {
            continue;
        };
        if low[i + 1] != "in" {
            continue;
        }
        let year = &raw[i + 2];
        if !(year.len() == 4
            && year.chars().all(|c| c.is_ascii_digit())
            && (year.starts_with('1') || year.starts_with("20")))
        {
            continue;
        }
        let thing = (i.saturating_sub(5)..i).rev().find_map(|j| {
            let w = low[j].as_str();
            if matches!(
                w,
                "," | "was"
                    | "were"
                    | "is"
                    | "are"
                    | "been"
                    | "be"
                    | "first"
                    | "originally"
                    | "had"
                    | "has"
                    | "have"
                    | "only"
                    | "finally"
                    | "officially"
            ) {
                return None;
            }
            Some((w.chars().all(char::is_alphabetic) && w.len() > 2 && w != "the").then_some(w))
        });
        if let Some(Some(thing)) = thing {
            out.push((format!("{thing} {verb}"), year.to_string()));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn measures(s: &str) -> Vec<(String, String, Bound)> {
        let mut v = Vec::new();
        measures_in(&Tokens::new(s), 0, &mut v);
        v.into_iter()
            .map(|f| (f.subject, f.value, f.bound))
            .collect()
    }

    #[test]
    fn bounds_are_intervals() {
        let about40 = (40.0, Bound::About);
        assert!(compatible(about40, (41.0, Bound::Exact)));
        assert!(!compatible(about40, (60.0, Bound::Exact)));
        assert!(!compatible((2e6, Bound::About), (2.4e6, Bound::About)));
        assert!(compatible((100.0, Bound::AtLeast), (110.0, Bound::AtMost)));
        assert!(!compatible((110.0, Bound::AtMost), (130.0, Bound::AtMost)));
        assert!(!compatible((12.0, Bound::AtLeast), (15.0, Bound::AtLeast)));
        assert!(compatible((12.0, Bound::AtLeast), (15.0, Bound::Exact)));
        assert!(!compatible((3.0, Bound::Under), (4.0, Bound::Under)));
        assert!(compatible((17.0, Bound::Exact), (17.0, Bound::Exact)));
        assert!(!compatible((17.0, Bound::Exact), (71.0, Bound::Exact)));
        let low: Vec<String> = "winds of up to 110".split(' ').map(String::from).collect();
        assert_eq!(bound_before(&low, 4), (Bound::AtMost, "up to ".to_string()));
        let low: Vec<String> = "more than 100".split(' ').map(String::from).collect();
        assert_eq!(bound_before(&low, 2).0, Bound::AtLeast);
    }

    #[test]
    fn lengths_of_events_fold_their_names() {
        assert_eq!(
            measures("Drivers will strike for 48 hours from Thursday."),
            [(
                "length of strike".to_string(),
                "48".to_string(),
                Bound::Exact
            )]
        );
        assert_eq!(
            measures("Drivers voted for a 72-hour walkout."),
            [(
                "length of strike".to_string(),
                "72".to_string(),
                Bound::Exact
            )]
        );
        assert_eq!(
            measures("It ended the nearly four-year-old conflict."),
            [(
                "length of war".to_string(),
                "35064".to_string(),
                Bound::Under
            )]
        );
        assert_eq!(
            measures("After nearly three years of war, talks resumed."),
            [(
                "length of war".to_string(),
                "26298".to_string(),
                Bound::Under
            )]
        );
        // A span of something else, or an age, is no event's length.
        assert!(measures("She waited for two hours with her children.").is_empty());
        assert!(measures("A 71-year-old man was hurt.").is_empty());
    }

    #[test]
    fn shares_sizes_and_speeds() {
        assert_eq!(
            measures("She won with 54 percent of the vote."),
            [(
                "percent of vote".to_string(),
                "54".to_string(),
                Bound::Exact
            )]
        );
        assert!(measures("Shares fell 9 percent in early trading.").is_empty());
        assert_eq!(
            measures("The beetle is about eight millimetres long."),
            [("length".to_string(), "0.008".to_string(), Bound::About)]
        );
        assert_eq!(
            measures("A storm brought winds of up to 110 kilometres per hour."),
            [("speed".to_string(), "110000".to_string(), Bound::AtMost)]
        );
    }

    #[test]
    fn years_a_thing_was_made() {
        let t = Tokens::new("The dam, built in 1961, holds back the lake.");
        assert_eq!(
            years_made(&t),
            [("dam built".to_string(), "1961".to_string())]
        );
        let t = Tokens::new("The dam was completed in 1963 and is one of the oldest.");
        assert_eq!(
            years_made(&t),
            [("dam built".to_string(), "1963".to_string())]
        );
        assert!(years_made(&Tokens::new("He was born in 1961.")).is_empty());
    }
}
