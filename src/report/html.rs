//! An HTML page for one story: every value that came from a page is escaped.

use super::text::count;
use std::fmt::Write;

use super::compare::{self, Comparison, Piece};
use super::{ArticleView, Report, ReportStory};

/// Escapes text for HTML element content and quoted attribute values.
pub fn esc(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for c in s.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:56rem;margin:2rem auto;padding:0 1rem;color:#222}\
h1{font-size:1.6rem}.meta{color:#666}table{border-collapse:collapse;width:100%}\
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}\
.rel{font-family:monospace}.lead{color:#444}\
del{color:#a40000;background:#fde8e8}ins{color:#0a5c1f;background:#e3f6e8;text-decoration:none}\
.swap{border-bottom:2px solid #d08a00}.cmp p{margin:.3rem 0}.moved{color:#666;font-size:.85em}";

/// The page's head, and its title again as the heading.
fn head(out: &mut String, title: &str) {
    let title = esc(title);
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title><style>{STYLE}</style></head><body>\n<h1>{title}</h1>\n"
    );
}

/// A copy's sentences against the original's: swaps as `<del>`/`<ins>` pairs marked together
/// (the original's words in the title), added and dropped words, then the sentences only one
/// side has and the swapped-word table.
pub fn comparison(out: &mut String, c: &Comparison) {
    out.push_str("<div class=\"cmp\">\n");
    for row in &c.rows {
        out.push_str("<p>");
        if !row.in_order {
            out.push_str("<span class=\"moved\">(moved)</span> ");
        }
        for (i, p) in row.pieces.iter().enumerate() {
            if i > 0 {
                out.push(' ');
            }
            match p {
                Piece::Same(w) => out.push_str(&esc(w)),
                Piece::Swap(a, b) => {
                    let _ = write!(
                        out,
                        "<span class=\"swap\" title=\"original: {}\"><del>{}</del> <ins>{}</ins></span>",
                        esc(a),
                        esc(a),
                        esc(b)
                    );
                }
                Piece::Added(w) => {
                    let _ = write!(out, "<ins>{}</ins>", esc(w));
                }
                Piece::Dropped(w) => {
                    let _ = write!(out, "<del>{}</del>", esc(w));
                }
            }
        }
        out.push_str("</p>\n");
    }
    if !c.added.is_empty() {
        out.push_str("<h4>Sentences only in the copy</h4>\n");
        for s in &c.added {
            let _ = writeln!(out, "<p><ins>{}</ins></p>", esc(s));
        }
    }
    if !c.dropped.is_empty() {
        out.push_str("<h4>Sentences of the original it left out</h4>\n");
        for s in &c.dropped {
            let _ = writeln!(out, "<p><del>{}</del></p>", esc(s));
        }
    }
    if !c.swaps.is_empty() {
        out.push_str("<h4>Swapped words</h4>\n<table><tr><th>original</th><th>copy</th><th>times</th></tr>\n");
        for (a, b, n) in &c.swaps {
            let _ = writeln!(
                out,
                "<tr><td><del>{}</del></td><td><ins>{}</ins></td><td>{n}</td></tr>",
                esc(a),
                esc(b)
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("</div>\n");
}

/// One article as `article --format html` shows it: its text, and a copy read against its
/// original.
pub fn article(v: &ArticleView) -> String {
    let a = &v.article;
    let mut out = String::new();
    let title = a.title.as_deref().unwrap_or("Untitled article");
    head(&mut out, title);
    let _ = writeln!(
        out,
        "<p class=\"meta\">{} &middot; {} &middot; {} &middot; article {} &middot; {}</p>",
        esc(&a.authors.join(", ")),
        esc(a.outlet.as_deref().unwrap_or("")),
        esc(a.published.as_deref().unwrap_or("")),
        esc(&a.id),
        esc(&a.origin)
    );
    for p in a.text.split("\n\n") {
        let _ = writeln!(out, "<p>{}</p>", esc(p));
    }
    if let Some(o) = &v.original {
        let _ = writeln!(
            out,
            "<h2>{} of {}</h2>\n<p class=\"meta\">{} &middot; {} &middot; similarity {:.2}</p>",
            esc(v.member.relation.as_str()),
            esc(o.title.as_deref().unwrap_or(&o.id)),
            esc(o.outlet.as_deref().unwrap_or("")),
            esc(&o.origin),
            v.member.similarity
        );
        if let Some(c) = compare::from_evidence(&v.member.evidence) {
            comparison(&mut out, &c);
        }
    }
    out.push_str("</body></html>\n");
    out
}

pub fn story(r: &Report, s: &ReportStory) -> String {
    let mut out = String::new();
    let title = s.title.as_deref().unwrap_or("Untitled story");
    head(&mut out, title);
    let _ = writeln!(
        out,
        "<p class=\"meta\">story {} &middot; {} &middot; {}{}{}</p>",
        esc(&s.id),
        count(s.articles.len(), "article", "articles"),
        count(
            s.independent_sources,
            "independent source",
            "independent sources"
        ),
        super::text::synthetic_note(s.synthetic_sources),
        match (&s.first_published, &s.last_published) {
            (Some(a), Some(b)) => format!(" &middot; {} to {}", esc(a), esc(b)),
            _ => String::new(),
        }
    );
    if !s.key_names.is_empty() {
        let names: Vec<String> = s.key_names.iter().map(|n| esc(n)).collect();
        let _ = writeln!(out, "<p class=\"meta\">names: {}</p>", names.join(", "));
    }
    let mark = |fid: &str| {
        s.families
            .iter()
            .position(|f| f == fid)
            .map_or_else(|| "?".to_string(), |i| (i + 1).to_string())
    };
    let marks_of = |fams: &[String]| {
        let v: Vec<String> = fams
            .iter()
            .map(|f| format!("<a href=\"#source-{0}\">{0}</a>", mark(f)))
            .collect();
        format!("<sup class=\"src\">[{}]</sup>", v.join(","))
    };
    if !s.summary.is_empty() {
        let _ = writeln!(out, "<h2>Summary</h2><ul class=\"summary\">");
        for x in &s.summary {
            let _ = writeln!(
                out,
                "<li>{} {}</li>",
                esc(&x.sentence),
                marks_of(&x.support)
            );
        }
        let _ = writeln!(out, "</ul>");
    }
    if !s.only_in.is_empty() {
        let _ = writeln!(out, "<h3>Reported by one source only</h3><ul>");
        for x in &s.only_in {
            let _ = writeln!(
                out,
                "<li>only in {} {}: {}</li>",
                esc(x.outlet.as_deref().unwrap_or("one source")),
                marks_of(std::slice::from_ref(&x.family)),
                esc(&x.sentence)
            );
        }
        let _ = writeln!(out, "</ul>");
    }
    if !s.quotes.is_empty() {
        let _ = writeln!(
            out,
            "<h2>Quotes</h2><table><tr><th>quote</th><th>speaker</th><th>cue</th><th>sources</th></tr>"
        );
        for q in &s.quotes {
            let variants: String = q
                .variants
                .iter()
                .map(|v| format!("<br><small>variant: {}</small>", esc(v)))
                .collect();
            let _ = writeln!(
                out,
                "<tr><td>&ldquo;{}&rdquo;{}</td><td>{}</td><td>{}</td><td>{} {}</td></tr>",
                esc(&q.text),
                variants,
                esc(q.speaker.as_deref().unwrap_or("")),
                esc(q.cue.as_deref().unwrap_or("")),
                q.independent_sources,
                marks_of(&q.families)
            );
        }
        let _ = writeln!(out, "</table>");
    }
    if !s.conflicts.is_empty() {
        let _ = writeln!(out, "<h2>Conflicts</h2><ul>");
        for c in &s.conflicts {
            let values: Vec<String> = c
                .values
                .iter()
                .map(|v| match &c.within_family {
                    Some(_) => format!(
                        "<b>{}</b> ({})",
                        esc(&v.value),
                        count(v.articles.len(), "article", "articles")
                    ),
                    None => format!("<b>{}</b> {}", esc(&v.value), marks_of(&v.families)),
                })
                .collect();
            let scope = match &c.within_family {
                Some(f) => format!(
                    " <small>(inside source {}: a copying artefact, not a disagreement)</small>",
                    esc(&mark(f))
                ),
                None => String::new(),
            };
            let _ = writeln!(
                out,
                "<li>{} of <i>{}</i>: {}{}</li>",
                esc(&c.kind),
                esc(&c.subject),
                values.join(" vs "),
                scope
            );
        }
        let _ = writeln!(out, "</ul>");
    }
    if !s.timeline.is_empty() {
        let _ = writeln!(
            out,
            "<h2>Timeline</h2><table><tr><th>date</th><th>as written</th><th>statement</th></tr>"
        );
        for t in &s.timeline {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{} {}</td></tr>",
                esc(t.date.as_deref().unwrap_or("?")),
                esc(&t.expression),
                esc(&t.sentence),
                marks_of(&t.families)
            );
        }
        let _ = writeln!(out, "</table>");
    }
    if !s.names.is_empty() {
        let list: Vec<String> = s
            .names
            .iter()
            .take(20)
            .map(|n| match n.roles.first() {
                Some(r) => format!("{} <small>({})</small>", esc(&n.name), esc(r)),
                None => esc(&n.name),
            })
            .collect();
        let _ = writeln!(out, "<h2>People and names</h2><p>{}</p>", list.join("; "));
    }
    let _ = writeln!(out, "<h2>Sources</h2>");
    for (n, fid) in s.families.iter().enumerate() {
        let Some(f) = r.family(fid) else { continue };
        let entry = s.sources.iter().find(|x| &x.family == fid);
        let _ = writeln!(
            out,
            "<h3 id=\"source-{0}\">Source {0}{1}</h3>\n<table><tr><th>relation</th><th>outlet</th><th>published</th><th>title</th><th>origin</th></tr>",
            n + 1,
            match entry.and_then(|e| e.synthetic.as_deref()) {
                Some(d) => format!(" <small class=\"synthetic\" title=\"{}\">synthetic</small>", esc(d)),
                None => String::new(),
            }
        );
        for m in &f.members {
            if let Some(a) = r.article(&m.article) {
                let _ = writeln!(
                    out,
                    "<tr><td class=\"rel\">{}</td><td>{}</td><td>{}</td><td>{}</td><td>{}</td></tr>",
                    esc(m.relation.as_str()),
                    esc(a.outlet.as_deref().unwrap_or("")),
                    esc(a.published.as_deref().unwrap_or("")),
                    esc(a.title.as_deref().unwrap_or("")),
                    esc(&a.origin)
                );
            }
        }
        let _ = writeln!(out, "</table>");
        if let Some(orig) = r.article(&f.original) {
            for p in orig.text.split("\n\n").take(3) {
                let _ = writeln!(out, "<p class=\"lead\">{}</p>", esc(p));
            }
        }
        for m in &f.members {
            let (Some(a), Some(c)) = (r.article(&m.article), compare::from_evidence(&m.evidence))
            else {
                continue;
            };
            let _ = writeln!(
                out,
                "<details><summary>{} {} &middot; similarity {:.2} &middot; {} swapped words &middot; {} sentences added, {} left out</summary>",
                esc(m.relation.as_str()),
                esc(a.outlet.as_deref().unwrap_or(&a.id)),
                m.similarity,
                c.swap_count(),
                c.added.len(),
                c.dropped.len()
            );
            comparison(&mut out, &c);
            out.push_str("</details>\n");
        }
    }
    out.push_str("</body></html>\n");
    out
}

#[cfg(test)]
mod tests {
    #[test]
    fn escapes_markup_and_quotes() {
        assert_eq!(
            super::esc("<script>alert('x')</script> & \"q\""),
            "&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; &quot;q&quot;"
        );
    }
}
