//! Plain-text renderings of a report, a story and an article, for a terminal or a pipe.

use std::fmt::Write;

use super::compare::{self, Comparison, Piece};
use super::{ArticleView, Report, ReportArticle, ReportStory};

/// How changes between a copy and its original are marked: ANSI colours for a terminal, or
/// `[-original-]{+copy+}` (as `git diff --word-diff=plain` writes) for a pipe or a file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Marks {
    Colour,
    Plain,
}

const RED_STRUCK: &str = "\x1b[31;9m";
const GREEN: &str = "\x1b[32m";
const RESET: &str = "\x1b[0m";

/// A rendering made safe for a terminal: the colour marks this module writes are kept, and
/// every other control character (an ESC or a BEL that came with a page) is shown as U+FFFD.
pub fn for_terminal(rendered: &str) -> std::borrow::Cow<'_, str> {
    use crate::text::unprintable;
    if !rendered.chars().any(unprintable) {
        return rendered.into();
    }
    let mut out = String::with_capacity(rendered.len());
    let mut rest = rendered;
    while let Some(c) = rest.chars().next() {
        if let Some(ours) = [RED_STRUCK, GREEN, RESET]
            .into_iter()
            .find(|m| rest.starts_with(m))
        {
            out.push_str(ours);
            rest = &rest[ours.len()..];
            continue;
        }
        out.push(if unprintable(c) { '\u{FFFD}' } else { c });
        rest = &rest[c.len_utf8()..];
    }
    out.into()
}

/// Words of the original the copy does not have.
fn dropped(out: &mut String, words: &str, marks: Marks) {
    mark(out, words, marks, RED_STRUCK, ("[-", "-]"));
}

/// Words of the copy the original does not have.
fn added(out: &mut String, words: &str, marks: Marks) {
    mark(out, words, marks, GREEN, ("{+", "+}"));
}

fn mark(out: &mut String, words: &str, marks: Marks, colour: &str, plain: (&str, &str)) {
    let words = clean(words);
    let _ = match marks {
        Marks::Colour => write!(out, "{colour}{words}{RESET}"),
        Marks::Plain => write!(out, "{}{words}{}", plain.0, plain.1),
    };
}

/// Page text may carry control characters; on a terminal they would be obeyed, not shown.
fn clean(s: &str) -> String {
    s.chars()
        .map(|c| if c.is_control() { ' ' } else { c })
        .collect()
}

/// A copy's sentences against the original's, changes marked; then the sentences only one
/// side has and the swapped-word table.
pub fn comparison(out: &mut String, c: &Comparison, marks: Marks, indent: &str) {
    for row in &c.rows {
        out.push_str(indent);
        if !row.in_order {
            out.push_str("(moved) ");
        }
        for (i, p) in row.pieces.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            match p {
                Piece::Same(w) => out.push_str(&clean(w)),
                Piece::Swap(a, b) => {
                    dropped(out, a, marks);
                    added(out, b, marks);
                }
                Piece::Added(w) => added(out, w, marks),
                Piece::Dropped(w) => dropped(out, w, marks),
            }
        }
        out.push('\n');
    }
    type Mark = fn(&mut String, &str, Marks);
    let sections: [(&str, &[String], Mark); 2] = [
        ("sentences only in the copy", &c.added, added),
        ("sentences of the original it left out", &c.dropped, dropped),
    ];
    for (heading, sentences, mark) in sections {
        if sentences.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{indent}{heading}:");
        for s in sentences {
            out.push_str(indent);
            out.push_str("  ");
            mark(out, s, marks);
            out.push('\n');
        }
    }
    if !c.swaps.is_empty() {
        let _ = writeln!(
            out,
            "\n{indent}swapped words: {}",
            swap_table(c, usize::MAX, marks)
        );
    }
}

/// `officials→officers, said→stated ×3, ...`, the most frequent first as the evidence lists them.
fn swap_table(c: &Comparison, limit: usize, marks: Marks) -> String {
    let mut parts: Vec<String> = c
        .swaps
        .iter()
        .take(limit)
        .map(|(a, b, n)| {
            let times = if *n > 1 {
                format!(" ×{n}")
            } else {
                String::new()
            };
            match marks {
                Marks::Colour => format!(
                    "{RED_STRUCK}{}{RESET}→{GREEN}{}{RESET}{times}",
                    clean(a),
                    clean(b)
                ),
                Marks::Plain => format!("{}→{}{times}", clean(a), clean(b)),
            }
        })
        .collect();
    if c.swaps.len() > limit {
        parts.push(format!("and {} more", c.swaps.len() - limit));
    }
    parts.join(", ")
}

fn or_dash(s: &Option<String>) -> &str {
    s.as_deref().unwrap_or("-")
}

/// "1 article", "2 articles".
pub fn count(n: usize, one: &str, many: &str) -> String {
    format!("{n} {}", if n == 1 { one } else { many })
}

/// The whole report: a summary line, each story with its articles, then the errors.
pub fn report(r: &Report) -> String {
    let mut out = String::new();
    let _ = writeln!(
        out,
        "{}, {}, {}, {}",
        count(r.articles.len(), "article", "articles"),
        count(r.families.len(), "family", "families"),
        count(r.stories.len(), "story", "stories"),
        count(r.errors.len(), "error", "errors")
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
        "  {}, {}{}, {}",
        count(s.articles.len(), "article", "articles"),
        count(
            s.independent_sources,
            "independent source",
            "independent sources"
        ),
        synthetic_note(s.synthetic_sources),
        span
    );
    if !s.key_names.is_empty() {
        let _ = writeln!(out, "  names: {}", s.key_names.join(", "));
    }
}

fn article_line(a: &ReportArticle) -> String {
    let day = a
        .published
        .as_deref()
        .map(crate::extract::date::day_of)
        .unwrap_or("-");
    format!("{}  {}  {}  {}", a.id, day, or_dash(&a.outlet), a.origin)
}

/// One story, as `show` prints it: what the sources agree on first, then who said what, where
/// they disagree, when things happened, and last the sources with their copies.
pub fn story(r: &Report, s: &ReportStory, marks: Marks) -> String {
    let mut out = String::new();
    story_header(&mut out, s);
    let mark = |fid: &str| {
        s.families
            .iter()
            .position(|f| f == fid)
            .map_or_else(|| "?".to_string(), |i| (i + 1).to_string())
    };
    let marks_of = |fams: &[String]| {
        let v: Vec<String> = fams.iter().map(|f| mark(f)).collect();
        format!("[{}]", v.join(","))
    };
    if !s.summary.is_empty() {
        let _ = writeln!(out, "\nsummary (with the sources that report it):");
        for x in &s.summary {
            let _ = writeln!(out, "  - {} {}", x.sentence, marks_of(&x.support));
        }
    }
    if !s.only_in.is_empty() {
        let _ = writeln!(out, "\nonly in one source:");
        for x in &s.only_in {
            let _ = writeln!(
                out,
                "  - only in {} {}: {}",
                or_dash(&x.outlet),
                marks_of(std::slice::from_ref(&x.family)),
                x.sentence
            );
        }
    }
    if !s.quotes.is_empty() {
        let _ = writeln!(out, "\nquotes:");
        for q in &s.quotes {
            let _ = writeln!(
                out,
                "  \u{201C}{}\u{201D}\n      {} {}, {} source{} {}",
                q.text,
                or_dash(&q.speaker),
                q.cue.as_deref().unwrap_or(""),
                q.independent_sources,
                if q.independent_sources == 1 { "" } else { "s" },
                marks_of(&q.families)
            );
            for v in &q.variants {
                let _ = writeln!(out, "      variant: \u{201C}{v}\u{201D}");
            }
        }
    }
    if !s.conflicts.is_empty() {
        let _ = writeln!(out, "\nconflicts:");
        for c in &s.conflicts {
            let values: Vec<String> = c
                .values
                .iter()
                .map(|v| match &c.within_family {
                    Some(_) => format!(
                        "{} ({})",
                        v.value,
                        count(v.articles.len(), "article", "articles")
                    ),
                    None => format!("{} {}", v.value, marks_of(&v.families)),
                })
                .collect();
            let scope = match &c.within_family {
                Some(f) => format!(" (inside source {}: a copying artefact)", mark(f)),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "  {} of {}: {}{}",
                c.kind,
                c.subject,
                values.join(" vs "),
                scope
            );
        }
    }
    if !s.timeline.is_empty() {
        let _ = writeln!(out, "\ntimeline:");
        for t in &s.timeline {
            let _ = writeln!(
                out,
                "  {:<10}  ({}) {} {}",
                t.date.as_deref().unwrap_or("?"),
                t.expression,
                t.sentence,
                marks_of(&t.families)
            );
        }
    }
    if !s.names.is_empty() {
        let list: Vec<String> = s
            .names
            .iter()
            .take(15)
            .map(|n| match n.roles.first() {
                Some(r) => format!("{} ({r})", n.name),
                None => n.name.clone(),
            })
            .collect();
        let _ = writeln!(out, "\npeople and names: {}", list.join("; "));
    }
    for (n, fid) in s.families.iter().enumerate() {
        let Some(f) = r.family(fid) else { continue };
        let entry = s.sources.iter().find(|x| &x.family == fid);
        let _ = writeln!(
            out,
            "\nsource [{}] (family {}, {}){}",
            n + 1,
            f.id,
            count(f.members.len(), "article", "articles"),
            match entry.and_then(|e| e.synthetic.as_deref()) {
                Some(d) => format!("\n  synthetic: {d}"),
                None => String::new(),
            }
        );
        for m in &f.members {
            if let Some(a) = r.article(&m.article) {
                let _ = writeln!(out, "  {:<15} {}", m.relation.as_str(), article_line(a));
                if let Some(c) = compare::from_evidence(&m.evidence) {
                    let _ = writeln!(
                        out,
                        "      similarity {:.2}, {} sentences aligned, {} added, {} left out",
                        m.similarity,
                        c.rows.len(),
                        c.added.len(),
                        c.dropped.len()
                    );
                    if !c.swaps.is_empty() {
                        let _ = writeln!(out, "      swapped: {}", swap_table(&c, 12, marks));
                    }
                }
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
    out
}

/// One article as extracted, as `article` prints it; a copy is then read against its original.
pub fn article(v: &ArticleView, marks: Marks) -> String {
    let mut out = extracted(&v.article);
    let Some(o) = &v.original else {
        return out;
    };
    let _ = write!(
        out,
        "\n{} of {} ({}, {})",
        v.member.relation.as_str(),
        o.id,
        or_dash(&o.outlet),
        o.origin
    );
    match compare::from_evidence(&v.member.evidence) {
        Some(c) => {
            let _ = writeln!(out, ", similarity {:.2}:\n", v.member.similarity);
            comparison(&mut out, &c, marks, "  ");
        }
        None => out.push('\n'),
    }
    out
}

fn extracted(a: &ReportArticle) -> String {
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
        // A day, as every other line of the text views shows one (the time is in the JSON).
        a.published
            .as_deref()
            .map(crate::extract::date::day_of)
            .unwrap_or("-"),
        or_dash(&a.language)
    );
    let _ = writeln!(out, "id {}  family {}  story {}", a.id, a.family, a.story);
    let _ = writeln!(out, "origin {}", a.origin);
    for n in &a.notes {
        let _ = writeln!(out, "note: {n}");
    }
    let _ = writeln!(out, "\n{}", a.text);
    if !a.removed.is_empty() {
        let _ = writeln!(
            out,
            "\nremoved ({}):",
            count(a.removed.len(), "block", "blocks")
        );
        for r in &a.removed {
            let t = crate::extract::shortened(&r.text, 100);
            let _ = writeln!(out, "  [{}] {}", r.reason, t.as_deref().unwrap_or(&r.text));
        }
    }
    out
}

/// What the sources' count leaves out: " (1 synthetic left out)".
pub fn synthetic_note(n: usize) -> String {
    match n {
        0 => String::new(),
        n => format!(" ({n} synthetic left out)"),
    }
}
