//! Publication dates: parsing the many shapes pages write them in into one form, `YYYY-MM-DD`
//! or, when a time with a zone is known, RFC 3339 in that zone.
//!
//! Two callers: structured values (JSON-LD `datePublished`, `article:published_time`, a JSON
//! lines `published` field), which should be a date and are parsed strictly; and lines of flat
//! text ("Published 9:40 AM EST, March 3, 2024"), searched for a date written out with a month
//! name or in ISO form. Numeric dates such as 03/04/2024 are ambiguous between day-first and
//! month-first and are never guessed: no date is better than a wrong one.

use chrono::{DateTime, NaiveDate, NaiveDateTime};
use regex::Regex;
use std::sync::LazyLock;

/// Parses a structured date value; `None` unless it is unambiguous.
pub fn parse_date(value: &str) -> Option<String> {
    parse_strict(value).or_else(|| find_date(value.trim()))
}

/// Machine-written forms only (ISO 8601, RFC 3339, RFC 2822).
fn parse_strict(value: &str) -> Option<String> {
    let v = value.trim();
    if v.is_empty() {
        return None;
    }
    if let Ok(dt) = DateTime::parse_from_rfc3339(v) {
        return Some(dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .filter(|_| sane_year(dt.date_naive()));
    }
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f%z",
        "%Y-%m-%dT%H:%M%z",
        "%Y-%m-%d %H:%M:%S%.f%z",
        "%Y-%m-%d %H:%M:%S %z",
    ] {
        if let Ok(dt) = DateTime::parse_from_str(v, fmt) {
            return Some(dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
                .filter(|_| sane_year(dt.date_naive()));
        }
    }
    if let Ok(dt) = DateTime::parse_from_rfc2822(v) {
        return Some(dt.to_rfc3339_opts(chrono::SecondsFormat::Secs, true))
            .filter(|_| sane_year(dt.date_naive()));
    }
    // A date with a time but no zone: the day is known, the instant is not.
    for fmt in [
        "%Y-%m-%dT%H:%M:%S%.f",
        "%Y-%m-%dT%H:%M",
        "%Y-%m-%d %H:%M:%S%.f",
        "%Y-%m-%d %H:%M",
    ] {
        if let Ok(dt) = NaiveDateTime::parse_from_str(v, fmt) {
            return day(dt.date());
        }
    }
    for fmt in ["%Y-%m-%d", "%Y/%m/%d", "%Y.%m.%d", "%Y%m%d"] {
        if let Ok(d) = NaiveDate::parse_from_str(v, fmt) {
            return day(d);
        }
    }
    None
}

fn sane_year(d: NaiveDate) -> bool {
    use chrono::Datelike;
    (1900..=2100).contains(&d.year())
}

fn day(d: NaiveDate) -> Option<String> {
    sane_year(d).then(|| d.format("%Y-%m-%d").to_string())
}

const MONTHS: &str = "jan(?:uary)?|feb(?:ruary)?|mar(?:ch)?|apr(?:il)?|may|june?|july?|aug(?:ust)?|sep(?:t(?:ember)?)?|oct(?:ober)?|nov(?:ember)?|dec(?:ember)?";

static MONTH_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)({MONTHS})\.?\s+(\d{{1,2}})(?:st|nd|rd|th)?,?\s+(\d{{4}})(?-u:\b)"
    ))
    .unwrap()
});
static DAY_FIRST: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(&format!(
        r"(?i)(?-u:\b)(\d{{1,2}})(?:st|nd|rd|th)?\.?\s+(?:of\s+)?({MONTHS})\.?,?\s+(\d{{4}})(?-u:\b)"
    ))
    .unwrap()
});
static ISO: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?-u:\b)(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}:\d{2}(?::\d{2})?(?:\.\d+)?)(Z|[+-]\d{2}:?\d{2})?)?(?-u:\b)").unwrap()
});

fn month_number(name: &str) -> Option<u32> {
    let n = name.to_ascii_lowercase();
    let months = [
        "jan", "feb", "mar", "apr", "may", "jun", "jul", "aug", "sep", "oct", "nov", "dec",
    ];
    months
        .iter()
        .position(|m| n.starts_with(m))
        .map(|i| i as u32 + 1)
}

/// Finds the first unambiguous date written in a line of text.
pub fn find_date(line: &str) -> Option<String> {
    find_date_span(line).map(|(d, _)| d)
}

/// Like [`find_date`], also giving the byte span of the date in the line.
pub fn find_date_span(line: &str) -> Option<(String, std::ops::Range<usize>)> {
    // Every form below has a year of four digits, which only parses in ASCII; most lines
    // have none ("288 candidates", "Sunday, 9 points"), and the patterns cost microseconds.
    if !line
        .as_bytes()
        .windows(4)
        .any(|w| w.iter().all(u8::is_ascii_digit))
    {
        return None;
    }
    let mut best: Option<(String, std::ops::Range<usize>)> = None;
    let mut consider = |d: Option<String>, span: std::ops::Range<usize>| {
        if let Some(d) = d {
            if best.as_ref().is_none_or(|(_, s)| span.start < s.start) {
                best = Some((d, span));
            }
        }
    };
    if let Some(c) = ISO.captures(line) {
        let m = c.get(0).unwrap();
        let date = format!("{}-{}-{}", &c[1], &c[2], &c[3]);
        let parsed = match (c.get(4), c.get(5)) {
            (Some(_), Some(_)) => parse_strict(m.as_str()).or_else(|| parse_strict(&date)),
            _ => parse_strict(&date),
        };
        consider(parsed, m.range());
    }
    if let Some(c) = MONTH_FIRST.captures(line) {
        let d = ymd(&c[3], month_number(&c[1]), &c[2]);
        consider(d, c.get(0).unwrap().range());
    }
    if let Some(c) = DAY_FIRST.captures(line) {
        let d = ymd(&c[3], month_number(&c[2]), &c[1]);
        consider(d, c.get(0).unwrap().range());
    }
    best
}

fn ymd(y: &str, m: Option<u32>, d: &str) -> Option<String> {
    let date = NaiveDate::from_ymd_opt(y.parse().ok()?, m?, d.parse().ok()?)?;
    day(date)
}

/// Whether `line` has more than `n` words separated by white space, as `split_whitespace`
/// counts them. It runs on many lines, most of them long, so it counts word starts eight ASCII
/// bytes at a time and stops at the `n + 1`th, a hundred bytes into a long line; from the
/// first eight bytes that are not all ASCII on, characters are read one by one.
fn has_more_words(line: &str, n: usize) -> bool {
    use crate::text::swar::{within, HIGH};
    let b = line.as_bytes();
    let mut words = 0;
    let mut in_word = false;
    let mut i = 0;
    // Eight ASCII bytes at a time (this runs on the edge paragraphs of every text read for
    // copies, and most are long sentences): a word starts at a non-space byte after a space.
    while let Some(eight) = b.get(i..i + 8) {
        let x = u64::from_le_bytes(eight.try_into().unwrap_or_default());
        if x & HIGH != 0 {
            break;
        }
        // char::is_whitespace on ASCII: tab, line feed, vertical tab, form feed, return, space.
        let word = !(within(x, b'\t', b'\r') | within(x, b' ', b' ')) & HIGH;
        let starts = word & !((word << 8) | (u64::from(in_word) << 7));
        words += starts.count_ones() as usize;
        if words > n {
            return true;
        }
        in_word = word >> 63 != 0;
        i += 8;
    }
    while i < b.len() {
        let c = b[i];
        let (word, len) = if c < 0x80 {
            (!matches!(c, b' ' | b'\t' | b'\n' | 0x0B | 0x0C | b'\r'), 1)
        } else {
            match line[i..].chars().next() {
                Some(ch) => (!ch.is_whitespace(), ch.len_utf8()),
                None => (true, 1),
            }
        };
        if word && !in_word {
            words += 1;
            if words > n {
                return true;
            }
        }
        in_word = word;
        i += len;
    }
    false
}

/// The date of a line that is a date and little else ("Published 9:40 AM EST, March 3, 2024",
/// "Updated on July 9, 2025"), as opposed to a sentence that mentions one.
pub fn date_line(line: &str) -> Option<String> {
    if has_more_words(line, 16) {
        return None;
    }
    let (date, span) = find_date_span(line)?;
    let rest = format!("{} {}", &line[..span.start], &line[span.end..]);
    const FILLER: &[&str] = &[
        "published",
        "updated",
        "posted",
        "last",
        "modified",
        "on",
        "at",
        "am",
        "pm",
        "a.m",
        "p.m",
        "est",
        "edt",
        "gmt",
        "utc",
        "bst",
        "cet",
        "cest",
        "pst",
        "pdt",
        "cst",
        "cdt",
        "et",
        "pt",
        "mon",
        "tue",
        "wed",
        "thu",
        "fri",
        "sat",
        "sun",
        "monday",
        "tuesday",
        "wednesday",
        "thursday",
        "friday",
        "saturday",
        "sunday",
        "date",
        "first",
        "created",
        "time",
        "|",
    ];
    let leftover = crate::text::words(&rest)
        .filter(|w| {
            !w.chars().all(|c| c.is_ascii_digit()) && !FILLER.contains(&w.to_lowercase().as_str())
        })
        .count();
    (leftover <= 2).then_some(date)
}

/// The calendar day of a published value, for comparisons.
pub fn day_of(published: &str) -> &str {
    published.get(..10).unwrap_or(published)
}

#[cfg(test)]
mod tests {

    #[test]
    fn words_are_counted_as_split_whitespace_counts_them() {
        for line in [
            "",
            "   ",
            "one",
            " one  two\tthree\x0bfour\x0cfive\r\nsix ",
            "a b c d e f g h i j k l m n o p q",
            "a b c d e f g h i j k l m n o p",
            "naïve café\u{a0}word and more",
            "a\u{a0}b\u{2003}c d",
            "\u{a0}\u{a0}",
            "«a» b\u{3000}c\u{85}d",
            // Words across the eight-byte blocks, and a block beyond ASCII after ASCII ones.
            "abcdefg hijklmno pq rstuvwxyz a b c d e f g h i j",
            "abcdefgh ijklmno\tpqrstuvw\u{a0}xyz\u{2003}a b cd efg hi j k l m n",
            "       a       b        c  \n\n\n\n   d       e f g h i j k l m n o p q r",
            "one two three\u{a0}four five six seven eight nine ten eleven twelve thirteen",
        ] {
            for n in 0..20 {
                assert_eq!(
                    has_more_words(line, n),
                    line.split_whitespace().nth(n).is_some(),
                    "{line:?} {n}"
                );
            }
        }
    }

    use super::*;

    #[test]
    fn structured_values() {
        assert_eq!(
            parse_date("2024-03-05T10:32:00-05:00").as_deref(),
            Some("2024-03-05T10:32:00-05:00")
        );
        assert_eq!(
            parse_date("2024-03-05T10:32:00Z").as_deref(),
            Some("2024-03-05T10:32:00Z")
        );
        assert_eq!(
            parse_date("2024-03-05T10:32:00.000+0100").as_deref(),
            Some("2024-03-05T10:32:00+01:00")
        );
        assert_eq!(
            parse_date("2024-03-05T10:32:00").as_deref(),
            Some("2024-03-05")
        );
        assert_eq!(parse_date("2024-03-05").as_deref(), Some("2024-03-05"));
        assert_eq!(
            parse_date("Tue, 05 Mar 2024 10:32:00 GMT").as_deref(),
            Some("2024-03-05T10:32:00Z")
        );
        assert_eq!(parse_date("March 5, 2024").as_deref(), Some("2024-03-05"));
        assert_eq!(parse_date("03/05/2024"), None);
        assert_eq!(parse_date("yesterday"), None);
        assert_eq!(parse_date("2024-02-30"), None);
    }

    #[test]
    fn dates_in_lines() {
        assert_eq!(
            find_date("Published 9:40 AM EST, March 3, 2024").as_deref(),
            Some("2024-03-03")
        );
        assert_eq!(
            find_date("Updated: Sept. 14th, 2023 at noon").as_deref(),
            Some("2023-09-14")
        );
        assert_eq!(
            find_date("Mon 4 Nov 2024 10.00 GMT").as_deref(),
            Some("2024-11-04")
        );
        assert_eq!(
            find_date("posted 2021-07-09 08:15").as_deref(),
            Some("2021-07-09")
        );
        assert_eq!(
            find_date("The 14 May 2019 vote, then June 2, 2020").as_deref(),
            Some("2019-05-14")
        );
        assert_eq!(find_date("May the best team win in 2024"), None);
    }
}
