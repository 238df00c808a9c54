//! The pages a reader opens in a browser: the story list, a story, an article. Rendered on the
//! server, every value from a page escaped, usable without JavaScript and on a phone.

use axum::extract::{Path, Query, State};
use axum::http::StatusCode;
use axum::response::{Html, IntoResponse, Response};
use axum::routing::get;
use axum::Router;
use std::fmt::Write;

use super::api::Paging;
use super::{read, Failure, Shared};
use crate::report::html::esc;

pub(super) fn routes() -> Router<Shared> {
    Router::new()
        .route("/", get(list))
        .route("/stories/{id}", get(story))
        .route("/articles/{id}", get(article))
}

const STYLE: &str = "body{font:16px/1.5 system-ui,sans-serif;max-width:56rem;margin:1rem auto;padding:0 1rem;color:#222}\
nav{margin-bottom:1rem}table{border-collapse:collapse;width:100%}\
td,th{border-bottom:1px solid #ddd;padding:.3rem .5rem;text-align:left;vertical-align:top}\
.num{text-align:right;white-space:nowrap}@media (max-width:40rem){.wide{display:none}}";

const NAV: &str = "<nav><a href=\"/\">All stories</a></nav>\n";

async fn list(
    State(app): State<Shared>,
    Query(paging): Query<Paging>,
) -> Result<Html<String>, Page> {
    let (limit, offset) = (paging.limit(), paging.offset());
    let query = paging.query(1);
    let q = query.q.clone().unwrap_or_default();
    // The search carries over to the next and previous pages.
    let keep = if q.is_empty() {
        String::new()
    } else {
        format!("&amp;q={}", esc(&url_encode(&q)))
    };
    let rows = read(&app, move |s| s.find_stories(&query)).await?;
    let more = rows.len() > limit;
    let mut out = String::new();
    let _ = write!(
        out,
        "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\">\
         <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\
         <title>Stories</title><style>{STYLE}</style></head><body>\n<h1>Stories</h1>\n\
         <form method=\"get\" action=\"/\"><input type=\"search\" name=\"q\" value=\"{}\" \
         aria-label=\"Search stories\" placeholder=\"Search titles and texts\"> <button>Search</button></form>\n",
        esc(&q)
    );
    if rows.is_empty() && !q.is_empty() {
        out.push_str("<p>No story matches.</p>\n");
    } else if rows.is_empty() {
        out.push_str("<p>No stories yet: post articles to <code>/api/articles</code>.</p>\n");
    } else {
        out.push_str("<table>\n<tr><th>Story</th><th class=\"num\">Sources</th><th class=\"num wide\">Articles</th><th class=\"num\">Latest</th></tr>\n");
        for r in rows.iter().take(limit) {
            let latest = r
                .last_published
                .as_deref()
                .map(crate::extract::date::day_of)
                .unwrap_or("-");
            let _ = writeln!(
                out,
                "<tr><td><a href=\"/stories/{}\">{}</a></td><td class=\"num\">{}</td><td class=\"num wide\">{}</td><td class=\"num\">{}</td></tr>",
                esc(&r.id),
                esc(r.title.as_deref().unwrap_or("Untitled story")),
                r.independent_sources,
                r.articles,
                esc(latest)
            );
        }
        out.push_str("</table>\n");
    }
    out.push_str("<p>");
    if offset > 0 {
        let prev = offset.saturating_sub(limit);
        let _ = write!(
            out,
            "<a href=\"/?offset={prev}&amp;limit={limit}{keep}\">Newer</a> "
        );
    }
    if more {
        let next = offset + limit;
        let _ = write!(
            out,
            "<a href=\"/?offset={next}&amp;limit={limit}{keep}\">Older</a>"
        );
    }
    out.push_str("</p>\n</body></html>\n");
    Ok(Html(out))
}

async fn story(State(app): State<Shared>, Path(id): Path<String>) -> Result<Html<String>, Page> {
    let report = read(&app, move |s| s.story_report(&id)).await?;
    let s = &report.stories[0];
    let mut links = String::from("<h2>Articles</h2>\n<ul>\n");
    for a in &report.articles {
        let _ =
            writeln!(
            links,
            "<li><a href=\"/articles/{}\">{}</a> <span class=\"meta\">{} &middot; {}</span></li>",
            esc(&a.id),
            esc(a.title.as_deref().unwrap_or("Untitled")),
            esc(a.outlet.as_deref().unwrap_or("-")),
            esc(a.published.as_deref().map(crate::extract::date::day_of).unwrap_or("-"))
        );
    }
    links.push_str("</ul>\n");
    Ok(Html(framed(crate::report::html::story(&report, s), &links)))
}

async fn article(State(app): State<Shared>, Path(id): Path<String>) -> Result<Html<String>, Page> {
    let view = read(&app, move |s| s.article_view(&id)).await?;
    let back = format!(
        "<p><a href=\"/stories/{}\">The story</a></p>\n",
        esc(&view.article.story)
    );
    Ok(Html(framed(crate::report::html::article(&view), &back)))
}

/// A rendered page with the site's navigation at its top and `tail` before its end, and a
/// viewport for phones.
fn framed(page: String, tail: &str) -> String {
    let page = page.replacen(
        "<head>",
        "<head><meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">",
        1,
    );
    let page = page.replacen("<body>\n", &format!("<body>\n{NAV}"), 1);
    match page.rfind("</body>") {
        Some(i) => format!("{}{tail}{}", &page[..i], &page[i..]),
        None => page + tail,
    }
}

/// Percent-encodes a query value (everything but unreserved ASCII).
fn url_encode(s: &str) -> String {
    let mut out = String::new();
    for b in s.bytes() {
        match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => {
                out.push(b as char)
            }
            _ => {
                let _ = write!(out, "%{b:02X}");
            }
        }
    }
    out
}

/// A failure as a page.
struct Page(Failure);

impl From<Failure> for Page {
    fn from(f: Failure) -> Self {
        Page(f)
    }
}

impl IntoResponse for Page {
    fn into_response(self) -> Response {
        let Failure(status, message) = self.0;
        let title = if status == StatusCode::NOT_FOUND {
            "Not found"
        } else {
            "Error"
        };
        let body = format!(
            "<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><title>{title}</title><style>{STYLE}</style></head><body>\n{NAV}<h1>{title}</h1>\n<p>{}</p>\n</body></html>\n",
            esc(&message)
        );
        (status, Html(body)).into_response()
    }
}
