//! An HTML page for one story: every value that came from a page is escaped.

use std::fmt::Write;

use super::{Report, ReportStory};

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
.rel{font-family:monospace}.lead{color:#444}";

pub fn story(r: &Report, s: &ReportStory) -> String {
    let mut out = String::new();
    let title = s.title.as_deref().unwrap_or("Untitled story");
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{}</title><style>{STYLE}</style></head><body>\n",
        esc(title)
    );
    let _ = writeln!(out, "<h1>{}</h1>", esc(title));
    let _ = writeln!(
        out,
        "<p class=\"meta\">story {} &middot; {} articles &middot; {} independent sources{}</p>",
        esc(&s.id),
        s.articles.len(),
        s.independent_sources,
        match (&s.first_published, &s.last_published) {
            (Some(a), Some(b)) => format!(" &middot; {} to {}", esc(a), esc(b)),
            _ => String::new(),
        }
    );
    let _ = writeln!(out, "<h2>Sources</h2>");
    for (n, fid) in s.families.iter().enumerate() {
        let Some(f) = r.family(fid) else { continue };
        let _ = writeln!(out, "<h3>Source {}</h3>\n<table><tr><th>relation</th><th>outlet</th><th>published</th><th>title</th><th>origin</th></tr>", n + 1);
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
    }
    if !s.quotes.is_empty() {
        let _ = writeln!(
            out,
            "<h2>Quotes</h2><table><tr><th>quote</th><th>speaker</th><th>sources</th></tr>"
        );
        for q in &s.quotes {
            let _ = writeln!(
                out,
                "<tr><td>{}</td><td>{}</td><td>{}</td></tr>",
                esc(&q.text),
                esc(q.speaker.as_deref().unwrap_or("")),
                q.independent_sources
            );
        }
        let _ = writeln!(out, "</table>");
    }
    if !s.conflicts.is_empty() {
        let _ = writeln!(out, "<h2>Conflicts</h2><ul>");
        for c in &s.conflicts {
            let values: Vec<String> = c.values.iter().map(|v| esc(&v.value)).collect();
            let _ = writeln!(
                out,
                "<li>{} of {}: {}</li>",
                esc(&c.kind),
                esc(&c.subject),
                values.join(" vs ")
            );
        }
        let _ = writeln!(out, "</ul>");
    }
    if !s.summary.is_empty() {
        let _ = writeln!(out, "<h2>Summary</h2><ul>");
        for x in &s.summary {
            let _ = writeln!(
                out,
                "<li>{} <small>[{} sources]</small></li>",
                esc(&x.sentence),
                x.support.len()
            );
        }
        let _ = writeln!(out, "</ul>");
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
