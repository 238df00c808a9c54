//! Bylines and author names.
//!
//! A byline arrives in many shapes: a JSON-LD list of people, a meta tag holding "Jane Doe;
//! John Roe", a line of text "By JANE DOE and John Roe, The Lisbon Herald", a lone "Staff".
//! [`split_authors`] turns any of them into a list of people: it drops the "By", roles
//! ("Staff Writer", "Correspondent"), e-mail addresses and dates, splits on commas, "and", "&"
//! and semicolons, and sets aside the parts that name an organisation rather than a person
//! (a word like "News", "Press", "Herald", or the outlet itself), which it returns as the outlet.

use regex::Regex;
use std::sync::LazyLock;

/// The people and, if the byline named one, the organisation.
#[derive(Debug, Default, PartialEq, Eq)]
pub struct Byline {
    pub authors: Vec<String>,
    pub outlet: Option<String>,
}

static BY_PREFIX: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:(?:written|words|story|text|report(?:ing|ed)?|posted|published)\s+)?by\s*[:\-]?\s+").unwrap()
});
static AUTHOR_LABEL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)^\s*(?:authors?|writers?|reporters?|byline)\s*[:\-]\s*").unwrap()
});
static EMAIL: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"\S+@\S+\.\w+").unwrap());
static TAIL_DATE_OR_TIME: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r"(?i)\s*(?:[|•·]|(?-u:\b)updated(?-u:\b)|(?-u:\b)published(?-u:\b)|(?-u:\b)posted(?-u:\b)|(?-u:\b)on\s+(?:jan|feb|mar|apr|may|jun|jul|aug|sep|oct|nov|dec|mon|tue|wed|thu|fri|sat|sun)|\d{1,2}:\d{2}|\d{4}-\d{2}-\d{2}|(?-u:\b)(?:jan|feb|mar|apr|jun|jul|aug|sep|sept|oct|nov|dec)[a-z]*\.?\s+\d{1,2}(?-u:\b)).*$").unwrap()
});

const ORG_WORDS: &[&str] = &[
    "news",
    "press",
    "times",
    "post",
    "herald",
    "tribune",
    "journal",
    "gazette",
    "daily",
    "weekly",
    "agency",
    "agencies",
    "reuters",
    "associated",
    "afp",
    "bloomberg",
    "media",
    "network",
    "radio",
    "tv",
    "television",
    "channel",
    "magazine",
    "staff",
    "wire",
    "service",
    "services",
    "group",
    "inc",
    "ltd",
    "llc",
    "editorial",
    "desk",
    "team",
    "observer",
    "chronicle",
    "courier",
    "dispatch",
    "bulletin",
    "standard",
    "telegraph",
    "guardian",
    "independent",
    "examiner",
    "sentinel",
    "review",
    "report",
    "online",
    "digital",
    "broadcasting",
    "corporation",
    "com",
    "bureau",
    "newsroom",
    "board",
    "contributors",
    "contributor",
    "reports",
    "editors",
    "editor",
];

const ROLES: &[&str] = &[
    "staff writer",
    "staff reporter",
    "staff",
    "senior writer",
    "senior reporter",
    "writer",
    "reporter",
    "correspondent",
    "senior correspondent",
    "chief correspondent",
    "contributor",
    "contributing writer",
    "editor",
    "senior editor",
    "columnist",
    "special correspondent",
    "political correspondent",
    "political reporter",
    "investigative reporter",
    "news editor",
    "photographer",
    "for",
    "the associated press",
    "associated press",
    "updated",
    "published",
];

/// True where a line reads like a byline: "By ..." or "Author: ...".
pub fn is_byline(line: &str) -> bool {
    let t = line.trim();
    if t.split_whitespace().count() > 25 {
        return false;
    }
    let rest = if let Some(m) = BY_PREFIX.find(t) {
        &t[m.end()..]
    } else if let Some(m) = AUTHOR_LABEL.find(t) {
        &t[m.end()..]
    } else {
        return false;
    };
    // The next word must look like a name, not "by the river".
    rest.chars().next().is_some_and(|c| c.is_uppercase())
}

/// Splits a byline or an author field into people, setting aside any organisation.
pub fn split_authors(raw: &str, known_outlet: Option<&str>) -> Byline {
    let mut s = raw.trim().to_string();
    if let Some(m) = BY_PREFIX.find(&s) {
        s = s[m.end()..].to_string();
    } else if let Some(m) = AUTHOR_LABEL.find(&s) {
        s = s[m.end()..].to_string();
    }
    s = EMAIL.replace_all(&s, " ").into_owned();
    if let Some((_, span)) = super::date::find_date_span(&s) {
        s.truncate(span.start);
    }
    s = TAIL_DATE_OR_TIME.replace(&s, "").into_owned();
    let mut out = Byline::default();
    let parts = s
        .split([',', ';', '&', '/', '|', '\n'])
        .flat_map(|p| split_on_and(p))
        .map(|p| {
            p.trim()
                .trim_matches(|c: char| !c.is_alphanumeric() && c != '.' && c != '\'')
                .to_string()
        })
        .filter(|p| !p.is_empty());
    for part in parts {
        let part = strip_role(&part);
        if part.is_empty() {
            continue;
        }
        if is_outlet(&part, known_outlet) {
            out.outlet.get_or_insert(part);
        } else if let Some(name) = as_person(&part) {
            if !out.authors.iter().any(|a| a.eq_ignore_ascii_case(&name)) {
                out.authors.push(name);
            }
        }
    }
    out
}

fn split_on_and(part: &str) -> Vec<&str> {
    let mut out = Vec::new();
    let mut rest = part;
    while let Some(i) = find_word(
        rest,
        &[" and ", " And ", " AND ", " with ", " y ", " und ", " et "],
    ) {
        out.push(&rest[..i.0]);
        rest = &rest[i.0 + i.1..];
    }
    out.push(rest);
    out
}

fn find_word(s: &str, words: &[&str]) -> Option<(usize, usize)> {
    words
        .iter()
        .filter_map(|w| s.find(w).map(|i| (i, w.len())))
        .min()
}

fn strip_role(part: &str) -> String {
    let mut p = part.trim().to_string();
    loop {
        let lower = p.to_lowercase();
        let before = p.len();
        for role in ROLES {
            if lower == *role {
                return String::new();
            }
            if lower.ends_with(&format!(" {role}")) && p.len() > role.len() + 1 {
                p.truncate(p.len() - role.len() - 1);
                break;
            }
            if lower.starts_with(&format!("{role} "))
                && matches!(
                    *role,
                    "staff writer"
                        | "staff reporter"
                        | "correspondent"
                        | "reporter"
                        | "writer"
                        | "editor"
                )
            {
                p = p[role.len() + 1..].to_string();
                break;
            }
        }
        p = p.trim().trim_end_matches(',').trim().to_string();
        if p.len() == before {
            return p;
        }
    }
}

fn is_outlet(part: &str, known: Option<&str>) -> bool {
    if let Some(k) = known {
        if crate::text::normalize(part) == crate::text::normalize(k) {
            return true;
        }
    }
    let lower = part.to_lowercase();
    let words: Vec<&str> = lower
        .split(|c: char| !c.is_alphanumeric())
        .filter(|w| !w.is_empty())
        .collect();
    if words.len() == 1
        && part
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| c.is_uppercase())
        && part.len() <= 6
    {
        return true; // "AP", "AFP", "CNN"
    }
    words.iter().any(|w| ORG_WORDS.contains(w)) || part.contains(".com") || part.starts_with("The ")
}

/// A person's name: two to five words, the significant ones capitalised; SHOUTED names are put
/// in title case. A single word is kept only when capitalised (some bylines are one name).
fn as_person(part: &str) -> Option<String> {
    let words: Vec<&str> = part.split_whitespace().collect();
    if words.is_empty() || words.len() > 5 {
        return None;
    }
    if part.chars().any(|c| c.is_ascii_digit()) {
        return None;
    }
    let particles = [
        "de", "da", "del", "della", "der", "van", "von", "la", "le", "di", "du", "bin", "al",
        "ibn", "dos", "das", "y", "st.",
    ];
    let capitalised = words.iter().all(|w| {
        let first = w.chars().next().unwrap_or(' ');
        first.is_uppercase()
            || particles.contains(&w.to_lowercase().as_str())
            || w.starts_with("al-")
    });
    if !capitalised {
        return None;
    }
    let shouted = part
        .chars()
        .filter(|c| c.is_alphabetic())
        .all(|c| c.is_uppercase())
        && part.chars().filter(|c| c.is_alphabetic()).count() > 3;
    Some(if shouted {
        title_case(part)
    } else {
        words.join(" ")
    })
}

pub fn title_case(s: &str) -> String {
    s.split_whitespace()
        .map(|w| {
            let mut out = String::new();
            let mut start = true;
            for c in w.chars() {
                if start {
                    out.extend(c.to_uppercase());
                } else {
                    out.extend(c.to_lowercase());
                }
                start = matches!(c, '-' | '\'');
            }
            out
        })
        .collect::<Vec<_>>()
        .join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn people(raw: &str) -> Vec<String> {
        split_authors(raw, None).authors
    }

    #[test]
    fn bylines_become_people() {
        assert_eq!(people("By Jane Doe"), vec!["Jane Doe"]);
        assert_eq!(
            people("By JANE DOE and John O'Roe"),
            vec!["Jane Doe", "John O'Roe"]
        );
        assert_eq!(
            people("Danielle DeSiato; Donna Enzmann; Natalie Nguyen"),
            vec!["Danielle DeSiato", "Donna Enzmann", "Natalie Nguyen"]
        );
        assert_eq!(
            people("Written by Ana Ruiz, Staff Writer"),
            vec!["Ana Ruiz"]
        );
        assert_eq!(
            people("By Ana Ruiz | March 3, 2024, 10:00 AM"),
            vec!["Ana Ruiz"]
        );
        assert_eq!(people("Staff"), Vec::<String>::new());
        assert_eq!(people("By Ana Ruiz (ana@herald.test)"), vec!["Ana Ruiz"]);
        assert_eq!(people("Ludwig van Beethoven"), vec!["Ludwig van Beethoven"]);
        assert_eq!(people("By Gail Fenner May 19, 2024"), vec!["Gail Fenner"]);
    }

    #[test]
    fn organisations_are_set_aside_as_the_outlet() {
        let b = split_authors("By Ana Ruiz, Tom Hale and Bo Li, The Lisbon Herald", None);
        assert_eq!(b.authors, vec!["Ana Ruiz", "Tom Hale", "Bo Li"]);
        assert_eq!(b.outlet.as_deref(), Some("The Lisbon Herald"));
        let b = split_authors("By Mara Quint, Associated Press", None);
        assert_eq!(b.authors, vec!["Mara Quint"]);
        let b = split_authors("Ira Kell, Kestrel Daily", None);
        assert_eq!(b.outlet.as_deref(), Some("Kestrel Daily"));
        let b = split_authors("Ira Kell, Valemont", Some("Valemont"));
        assert_eq!(
            (b.authors, b.outlet.as_deref()),
            (vec!["Ira Kell".to_string()], Some("Valemont"))
        );
    }

    #[test]
    fn byline_lines_are_recognised() {
        assert!(is_byline("By Ana Ruiz and Tom Hale"));
        assert!(is_byline("Written by: Ana Ruiz"));
        assert!(is_byline("Author: Ana Ruiz"));
        assert!(!is_byline("By the river, the crowd waited for hours."));
        assert!(!is_byline("Standing by the decision, the mayor left."));
    }
}
