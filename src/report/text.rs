//! Plain-text renderings of a report, a story and an article, for a terminal or a pipe.

use std::fmt::Write;

use super::{Report, ReportArticle, ReportStory};

fn or_dash(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("-")
}

/// The whole report: a summary line, each story with its articles, then the errors.
pub fn report(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{} articles, {} families, {} stories, {} errors",
        r.articles.len(),
        r.families.len(),
        r.stories.len(),
        r.errors.len()
    );
    for s in &r.stories {
        out.push('\n');
        story_header(&mut out, s);
        for fid in &s.families {
            let Some(f) = r.family(fid) else { continue };
            for m in &f.members {
                if let Some(a) = r.article(&m.article) {
                    let _ = writeln!(out, "  {:<15} {}", m.relation.as_str(), article_line(a));
                }
            }
        }
    }
    if !r.errors.is_empty() {
        let _ = writeln!(out, "\nerrors:");
        for e in &r.errors {
            let _ = writeln!(out, "  {e}");
        }
    }
    out
}

fn story_header(out: &mut String, s: &ReportStory) {
    let span = match (&s.first_published, &s.last_published) {
        (Some(a), Some(b)) if a == b => crate::extract::date::day_of(a).to_string(),
        (Some(a), Some(b)) => format!(
            "{} .. {}",
            crate::extract::date::day_of(a),
            crate::extract::date::day_of(b)
        ),
        _ => "undated".to_string(),
    };
    let _ = writeln!(out, "story {}  {}", s.id, or_dash(&s.title));
    let _ = writeln!(
        out,
        "  {} articles, {} independent sources, {}",
        s.articles.len(),
        s.independent_sources,
        span
    );
}

fn article_line(a: &ReportArticle) -> String {
    let day = a
        .published
        .as_deref()
        .map(crate::extract::date::day_of)
        .unwrap_or("-");
    format!("{}  {}  {}  {}", a.id, day, or_dash(&a.outlet), a.origin)
}

/// One story, as `show` prints it.
pub fn story(r: &Report, s: &ReportStory) -> String {
    let mut out = String::new();
    story_header(&mut out, s);
    for (n, fid) in s.families.iter().enumerate() {
        let Some(f) = r.family(fid) else { continue };
        let _ = writeln!(
            out,
            "\nsource {} (family {}, {} articles)",
            n + 1,
            f.id,
            f.members.len()
        );
        for m in &f.members {
            if let Some(a) = r.article(&m.article) {
                let _ = writeln!(out, "  {:<15} {}", m.relation.as_str(), article_line(a));
                if m.relation.as_str() == "original" {
                    let _ = writeln!(out, "      {}", or_dash(&a.title));
                    let lead: String = a
                        .text
                        .split("\n\n")
                        .next()
                        .unwrap_or("")
                        .chars()
                        .take(300)
                        .collect();
                    let _ = writeln!(out, "      {lead}");
                }
            }
        }
    }
    if !s.quotes.is_empty() {
        let _ = writeln!(out, "\nquotes:");
        for q in &s.quotes {
            let _ = writeln!(
                out,
                "  \"{}\" ({}, {} sources)",
                q.text,
                or_dash(&q.speaker),
                q.independent_sources
            );
        }
    }
    if !s.conflicts.is_empty() {
        let _ = writeln!(out, "\nconflicts:");
        for c in &s.conflicts {
            let values: Vec<String> = c
                .values
                .iter()
                .map(|v| format!("{} ({})", v.value, v.articles.len()))
                .collect();
            let _ = writeln!(
                out,
                "  {} of {}: {}",
                c.kind,
                c.subject,
                values.join(" vs ")
            );
        }
    }
    if !s.summary.is_empty() {
        let _ = writeln!(out, "\nsummary:");
        for x in &s.summary {
            let _ = writeln!(out, "  {} [{}]", x.sentence, x.support.len());
        }
    }
    out
}

/// One article as extracted, as `article` prints it.
pub fn article(a: &ReportArticle) -> String {
    let mut out = String::new();
    let _ = writeln!(out, "{}", or_dash(&a.title));
    let authors = if a.authors.is_empty() {
        "-".to_string()
    } else {
        a.authors.join(", ")
    };
    let _ = writeln!(
        out,
        "by {}  |  {}  |  {}  |  {}",
        authors,
        or_dash(&a.outlet),
        or_dash(&a.published),
        or_dash(&a.language)
    );
    let _ = writeln!(out, "id {}  family {}  story {}", a.id, a.family, a.story);
    let _ = writeln!(out, "origin {}", a.origin);
    for n in &a.notes {
        let _ = writeln!(out, "note: {n}");
    }
    let _ = writeln!(out, "\n{}", a.text);
    if !a.removed.is_empty() {
        let _ = writeln!(out, "\nremoved ({} blocks):", a.removed.len());
        for r in &a.removed {
            let t: String = r.text.chars().take(100).collect();
            let _ = writeln!(out, "  [{}] {}", r.reason, t);
        }
    }
    out
}
