//! HTML pages: the article body from the `trafilatura` crate (a Rust port of go-trafilatura,
//! 0.960 shingle F1 on the Zyte benchmark), and the metadata from the page's own declarations.
//!
//! Metadata comes first from JSON-LD (a `NewsArticle`, `Article`, `BlogPosting` or
//! `ReportageNewsArticle`: headline, author, datePublished, publisher), then from OpenGraph and
//! other meta tags, then from the crate's heuristics. The metadata scan reads `<script
//! type="application/ld+json">` and `<meta>` tags straight from the markup rather than parsing
//! the page a second time, since parsing is most of the cost of extraction.
//!
//! The crate's text is rebuilt into paragraphs from its cleaned HTML (its plain text runs them
//! together), and the edges are trimmed by the flat-text classifier in its `Extracted` mode: the
//! headline printed again, "Written by" lines, dates and share prompts at the top.

use regex::Regex;
use scraper::{ElementRef, Html, Node};
use serde_json::Value;
use std::sync::LazyLock;

use super::flat::{self, split_site_suffix, LineStats, Mode};
use super::{byline, date, Found, Removed};

/// Metadata declared by the page.
#[derive(Debug, Default, Clone)]
pub struct PageMeta {
    pub title: Option<String>,
    pub authors: Vec<String>,
    pub outlet: Option<String>,
    pub published: Option<String>,
    pub url: Option<String>,
    /// The page's first plausible visible headline.
    pub h1: Option<String>,
    /// The page's `<title>`, which the crate reads too; kept for a page read without parsing.
    pub html_title: Option<String>,
}

/// Reads a page within the per-page budget: the markup is first measured and, where it is past
/// a limit, cut or stripped ([`budget`](super::budget)).
pub fn extract(page: &str, stats: &dyn LineStats) -> Found {
    let bounded = super::budget::bound(page);
    // Metadata from the page as it came: the bounded markup leaves long scripts out, and a
    // page's JSON-LD can be one. The scan reads only the page's top.
    let declared = page_meta(page);
    let mut found = extract_bounded(&bounded.html, declared, bounded.too_deep, stats);
    found.notes = bounded.notes;
    found
}

fn extract_bounded(html: &str, declared: PageMeta, too_deep: bool, stats: &dyn LineStats) -> Found {
    // Recall-leaning selection with the readability fallback measured best over both benchmarks
    // (WCXB article pages: words F1 0.943 against 0.921 without the fallback; Zyte: 0.962).
    let options = trafilatura::Options::default()
        .with_exclude_comments(true)
        .with_fallback(true)
        .with_focus(trafilatura::ExtractionFocus::FavorRecall)
        // Dates come from our own reading of JSON-LD and meta tags (the crate reads the same
        // places, at a tenth of the extraction's cost).
        .with_html_date_mode(trafilatura::HtmlDateMode::Disabled);
    let result = if too_deep {
        None
    } else {
        trafilatura::extract(html, &options).ok()
    };
    let (content_html, crate_meta) = match &result {
        Some(r) => (r.content_html.as_str(), Some(&r.metadata)),
        None => ("", None),
    };

    let mut out = Found {
        url: declared.url.clone(),
        ..Default::default()
    };
    // Title: JSON-LD/OpenGraph first, then the crate (which reads <title> and <h1>). Declared
    // titles are often written for search engines; when the page's visible headline (its first
    // <h1>) says mostly the same thing, the reader's headline wins (WCXB: 0.86 exact against
    // 0.78 for the declared title alone).
    let crate_title = match crate_meta {
        Some(m) => Some(m.title.clone()).filter(|t| !t.trim().is_empty()),
        None => declared.html_title.clone(),
    };
    let declared_title = declared
        .title
        .clone()
        .or(crate_title)
        .map(|t| strip_site_suffixes(&t));
    out.title = match (declared_title, declared.h1.clone()) {
        (Some(t), Some(h)) if overlap(&t, &h) >= 0.5 => Some(h),
        (Some(t), _) => Some(t),
        (None, h) => h,
    };
    out.outlet = declared.outlet.clone().or_else(|| {
        crate_meta
            .map(|m| m.sitename.clone())
            .filter(|s| !s.trim().is_empty())
    });
    out.authors = declared.authors.clone();
    if out.authors.is_empty() {
        if let Some(m) = crate_meta {
            out.authors = byline::split_authors(&m.author, out.outlet.as_deref()).authors;
        }
    }
    out.published = declared.published.clone();
    if out.published.is_none() {
        out.published = crate_meta
            .and_then(|m| m.date)
            .map(|d| d.format("%Y-%m-%d").to_string());
    }

    let mut blocks = paragraphs_of(content_html);
    if blocks.len() == 1 && !too_deep {
        if let Some(split) = resplit(&blocks[0], &visible_blocks(html)) {
            blocks = split;
        }
    }
    // The extractor gives up on small or unusual pages; then the page's visible text goes
    // through the flat-text classifier, as if it had been saved as text.
    let (blocks, mode) = if too_deep {
        (stripped_blocks(html), Mode::Page)
    } else if blocks.is_empty() {
        (visible_blocks(html), Mode::Page)
    } else {
        (blocks, Mode::Extracted)
    };
    let joined = blocks.join("\n");
    let lang = super::guess_language(&joined);
    // The extractor's blocks are nearly the article already: one detection serves both the
    // stopwords and the article's language.
    out.language = super::detect_language(&joined);
    let mut cleaned = flat::extract_blocks(blocks, lang.as_deref(), stats, mode);
    // The crate keeps the headline as the first block; it is the title, not body text.
    if let Some(title) = &out.title {
        let t = crate::text::normalize(title);
        let mut removed_title = false;
        cleaned.paragraphs.retain(|p| {
            // Lengths first: normalising every paragraph would cost more than the comparison.
            let same =
                !removed_title && p.len() <= title.len() * 2 + 8 && crate::text::normalize(p) == t;
            removed_title |= same;
            if same {
                cleaned.removed.push(Removed {
                    text: p.clone(),
                    reason: "title".into(),
                });
            }
            !same
        });
    }
    if out.title.is_none() {
        out.title = cleaned.title;
    }
    if out.authors.is_empty() {
        out.authors = cleaned.authors;
    }
    if out.published.is_none() {
        out.published = cleaned.published;
    }
    out.paragraphs = cleaned.paragraphs;
    out.removed = cleaned.removed;
    out
}

/// People the page names visibly as its authors: links to author pages (`rel="author"`,
/// `/author/NAME`) and elements whose class says author or byline.
fn visible_authors(html: &str, outlet: Option<&str>) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    // The capturing patterns are slow over a whole page; run them only in small windows around
    // the places a cheap literal search finds.
    let mut texts: Vec<String> = Vec::new();
    let mut last_end = 0;
    for hit in AUTHOR_HINT.find_iter(html).take(40) {
        if hit.start() < last_end {
            continue;
        }
        let start = floor_char_boundary(html, hit.start().saturating_sub(400));
        let end = floor_char_boundary(html, hit.end() + 400);
        last_end = end;
        let window = &html[start..end];
        for re in [&*AUTHOR_LINK, &*AUTHOR_CLASS] {
            texts.extend(re.captures_iter(window).map(|c| c[1].to_string()));
        }
        if texts.len() >= 12 {
            break;
        }
    }
    for raw in texts {
        let text = TAG.replace_all(&raw, " ");
        let text = unescape(&text);
        if text.split_whitespace().count() > 6 {
            continue;
        }
        for a in byline::split_authors(&text, outlet).authors {
            // A person has at least two names here: one capitalised word is more often a
            // section or a site than a byline.
            if a.split_whitespace().count() >= 2 && !out.contains(&a) {
                out.push(a);
            }
        }
        if out.len() >= 4 {
            break;
        }
    }
    out
}

/// The publication date the page shows: a `<time datetime>` element, else an element whose
/// class or id says date or published and whose text holds a date. Unlike a scan of the whole
/// page for anything date-like, these are the places a page prints its own date, so a page with
/// no date gets none (a copyright year or a date in a teaser is not the article's).
fn visible_date(html: &str) -> Option<String> {
    // The article's own date is printed around its headline; looking only there is faster and
    // keeps dates of other stories on the page out.
    let (from, to) = match H1.find(html) {
        Some(h1) => (h1.start().saturating_sub(20_000), h1.end() + 40_000),
        None => (0, 200_000),
    };
    let region = &html[floor_char_boundary(html, from)..floor_char_boundary(html, to)];
    for c in TIME_ELEMENT.captures_iter(region).take(5) {
        if let Some(d) = date::parse_date(&unescape(&c[1])) {
            return Some(d);
        }
    }
    for c in DATED_ELEMENT.captures_iter(region).take(10) {
        let text = unescape(&TAG.replace_all(&c[1], " "));
        if text.len() <= 120 {
            if let Some(d) = date::find_date(&text) {
                return Some(d);
            }
        }
    }
    // A line of text near the headline that is a date and little else.
    let h1 = H1.find(html)?;
    let from = floor_char_boundary(html, h1.start().saturating_sub(3_000));
    let to = floor_char_boundary(html, h1.end() + 6_000);
    let window = COMMENT.replace_all(&html[from..to], "");
    TAG.split(&window)
        .map(|t| unescape(t).split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|t| (6..=80).contains(&t.len()))
        .find_map(|t| date::date_line(&t))
}

/// Strips "| Site" and "- Section | Site" suffixes, repeatedly.
fn strip_site_suffixes(title: &str) -> String {
    let mut t = title.trim().to_string();
    loop {
        let (head, site) = split_site_suffix(&t);
        if site.is_none() {
            return t;
        }
        t = head.to_string();
    }
}

/// Shared words over the shorter title's words.
fn overlap(a: &str, b: &str) -> f32 {
    let words = |s: &str| -> std::collections::HashSet<String> {
        crate::text::words(&crate::text::normalize(s))
            .map(str::to_string)
            .collect()
    };
    let (wa, wb) = (words(a), words(b));
    let shared = wa.intersection(&wb).count();
    shared as f32 / wa.len().min(wb.len()).max(1) as f32
}

/// The text of a page without parsing it: invisible elements dropped, block tags turned into
/// line breaks, other tags removed, character references decoded. Linear in the page's size,
/// and at most the text budget of a page.
pub fn stripped_blocks(html: &str) -> Vec<String> {
    super::budget::strip(html)
        .lines()
        .map(|l| unescape(l).split_whitespace().collect::<Vec<_>>().join(" "))
        .filter(|l| !l.is_empty())
        .collect()
}

/// Rebuilds paragraphs from the crate's cleaned HTML: one per block element, inline text joined.
pub fn paragraphs_of(content_html: &str) -> Vec<String> {
    if content_html.trim().is_empty() {
        return Vec::new();
    }
    let doc = Html::parse_fragment(content_html);
    let mut out = Vec::new();
    let mut current = String::new();
    walk(doc.root_element(), &mut current, &mut out);
    flush(&mut current, &mut out);
    out
}

/// The crate's fallback on short pages flattens the whole `<article>` (headline, date line and
/// paragraphs) into one paragraph. When that paragraph is exactly a run of the page's own
/// visible blocks, the run is the better reading: the headline and the date line become
/// separable again, and the body keeps its paragraphs.
fn resplit(flat: &str, visible: &[String]) -> Option<Vec<String>> {
    for start in 0..visible.len() {
        if !flat.starts_with(visible[start].as_str()) {
            continue;
        }
        let mut len = 0;
        for end in start..visible.len() {
            len += visible[end].len() + usize::from(end > start);
            if len > flat.len() {
                break;
            }
            if len == flat.len() {
                let run = &visible[start..=end];
                if run.len() > 1 && run.join(" ") == flat {
                    return Some(run.to_vec());
                }
                break;
            }
        }
    }
    None
}

/// The visible text of a whole page, one block per block-level element.
pub fn visible_blocks(html: &str) -> Vec<String> {
    let doc = Html::parse_document(html);
    let mut out = Vec::new();
    let mut current = String::new();
    walk(doc.root_element(), &mut current, &mut out);
    flush(&mut current, &mut out);
    out
}

fn is_block(name: &str) -> bool {
    matches!(
        name,
        "p" | "div"
            | "h1"
            | "h2"
            | "h3"
            | "h4"
            | "h5"
            | "h6"
            | "li"
            | "blockquote"
            | "pre"
            | "tr"
            | "table"
            | "ul"
            | "ol"
            | "dl"
            | "dt"
            | "dd"
            | "section"
            | "article"
            | "header"
            | "footer"
            | "figure"
            | "figcaption"
            | "head"
            | "quote"
            | "list"
            | "item"
            | "row"
            | "cell"
            | "td"
            | "th"
            | "br"
            | "hr"
            | "main"
            | "aside"
            | "details"
            | "summary"
    )
}

/// Walks the tree without recursion (a hostile page may nest elements a hundred thousand deep),
/// flushing a paragraph at the start and end of every block element.
fn walk(root: ElementRef, current: &mut String, out: &mut Vec<String>) {
    enum Step<'a> {
        Enter(ego_tree::NodeRef<'a, Node>),
        Leave(bool),
    }
    let mut stack: Vec<Step> = root.children().rev().map(Step::Enter).collect();
    while let Some(step) = stack.pop() {
        let node = match step {
            Step::Leave(block) => {
                if block {
                    flush(current, out);
                }
                continue;
            }
            Step::Enter(node) => node,
        };
        match node.value() {
            Node::Text(t) => current.push_str(t),
            Node::Element(e) => {
                let name = e.name();
                if SKIPPED.contains(&name) {
                    continue;
                }
                let block = is_block(name);
                if block {
                    flush(current, out);
                } else if matches!(name, "td" | "th") {
                    current.push(' ');
                }
                stack.push(Step::Leave(block));
                stack.extend(node.children().rev().map(Step::Enter));
            }
            _ => {}
        }
    }
}

/// Elements whose text a reader does not see as part of the page.
const SKIPPED: &[&str] = &[
    "script", "style", "noscript", "template", "head", "svg", "iframe", "button", "select",
    "textarea",
];

fn flush(current: &mut String, out: &mut Vec<String>) {
    let text = current.split_whitespace().collect::<Vec<_>>().join(" ");
    if !text.is_empty() {
        out.push(text);
    }
    current.clear();
}

static JSON_LD: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<script[^>]*type\s*=\s*["']?application/ld\+json["']?[^>]*>(.*?)</script>"#)
        .unwrap()
});
static META: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?is)<meta\s[^>]*>").unwrap());
static ATTR: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)([a-z:_-]+)\s*=\s*(?:"([^"]*)"|'([^']*)'|([^\s"'>]+))"#).unwrap()
});
static TITLE: LazyLock<Regex> =
    LazyLock::new(|| Regex::new(r"(?is)<title[^>]*>([^<]{1,2000})</title>").unwrap());
static H1: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?is)<h1[^>]*>(.*?)</h1>").unwrap());
static TAG: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<[^>]*>").unwrap());
static AUTHOR_LINK: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<a\s[^>]*(?:rel\s*=\s*["']?author|href\s*=\s*["'][^"']*/(?:author|authors|writer|writers|staff|people|profile|contributor|contributors|journalist|reporter)s?/[^"'/]+/?["'])[^>]*>(.*?)</a>"#).unwrap()
});
static COMMENT: LazyLock<Regex> = LazyLock::new(|| Regex::new(r"(?s)<!--.*?-->").unwrap());
static TIME_ELEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<time\s[^>]*datetime\s*=\s*["']([^"']{8,40})["']"#).unwrap()
});
static DATED_ELEMENT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<(?:span|div|p|time|li|small)\s[^>]*(?:class|id|itemprop)\s*=\s*["'][^"']*(?:date|publish|posted|byline|timestamp)[^"']*["'][^>]*>((?:[^<]|<(?:span|a|strong|b|em|time)[^>]*>|</(?:span|a|strong|b|em|time)>){4,200}?)</"#).unwrap()
});
static AUTHOR_HINT: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(
        r"(?i)author|byline|writer|contributor|journalist|reporter|/staff/|/people/|/profile/",
    )
    .unwrap()
});
static AUTHOR_CLASS: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<(?:span|div|p|a|strong|address)\s[^>]*(?:class|itemprop)\s*=\s*["'][^"']*(?:author-name|authorname|author__name|byline__name|byline-name|author_name|\bauthor\b|\bbyline\b)[^"']*["'][^>]*>\s*(?:by\s+)?([^<]{3,80})<"#).unwrap()
});
static CANONICAL: LazyLock<Regex> = LazyLock::new(|| {
    Regex::new(r#"(?is)<link\s[^>]*rel\s*=\s*["']?canonical["']?[^>]*>"#).unwrap()
});

/// Reads JSON-LD and meta tags, in that order of trust.
pub fn page_meta(html: &str) -> PageMeta {
    // Only the head and the top of the body declare metadata; a 50 MB page need not be scanned.
    let scan = &html[..floor_char_boundary(html, 1_000_000)];
    let mut meta = PageMeta::default();
    for c in JSON_LD.captures_iter(scan) {
        let raw = c[1]
            .trim()
            .trim_start_matches("<!--")
            .trim_end_matches("-->")
            .trim();
        if let Ok(v) = serde_json::from_str::<Value>(raw) {
            for obj in article_objects(&v) {
                fill_from_json_ld(&mut meta, obj);
            }
        }
    }
    let mut tags: Vec<(String, String)> = Vec::new();
    for m in META.find_iter(scan) {
        let mut key = None;
        let mut content = None;
        for a in ATTR.captures_iter(m.as_str()) {
            let name = a[1].to_ascii_lowercase();
            let value = a
                .get(2)
                .or(a.get(3))
                .or(a.get(4))
                .map(|v| v.as_str())
                .unwrap_or("");
            match name.as_str() {
                "property" | "name" | "itemprop" => key = Some(value.to_ascii_lowercase()),
                "content" => content = Some(unescape(value)),
                _ => {}
            }
        }
        if let (Some(k), Some(c)) = (key, content) {
            if !c.trim().is_empty() {
                tags.push((k, c.trim().to_string()));
            }
        }
    }
    let get = |keys: &[&str]| {
        keys.iter()
            .find_map(|k| tags.iter().find(|(t, _)| t == k).map(|(_, v)| v.clone()))
    };
    if meta.title.is_none() {
        meta.title = get(&[
            "og:title",
            "twitter:title",
            "dc.title",
            "sailthru.title",
            "parsely-title",
            "headline",
        ]);
    }
    if meta.outlet.is_none() {
        meta.outlet = get(&[
            "og:site_name",
            "application-name",
            "publisher",
            "dc.publisher",
            "twitter:site",
        ])
        .map(|s| s.trim_start_matches('@').to_string());
    }
    if meta.authors.is_empty() {
        let raw: Vec<String> = tags
            .iter()
            .filter(|(k, _)| {
                matches!(
                    k.as_str(),
                    "author"
                        | "article:author"
                        | "dc.creator"
                        | "sailthru.author"
                        | "parsely-author"
                        | "byl"
                        | "citation_author"
                )
            })
            .map(|(_, v)| v.clone())
            .filter(|v| !v.starts_with("http"))
            .collect();
        for r in raw {
            for a in byline::split_authors(&r, meta.outlet.as_deref()).authors {
                if !meta.authors.contains(&a) {
                    meta.authors.push(a);
                }
            }
        }
    }
    if meta.published.is_none() {
        meta.published = get(&[
            "article:published_time",
            "og:article:published_time",
            "datepublished",
            "publishdate",
            "publish-date",
            "pubdate",
            "dc.date.issued",
            "dc.date",
            "dcterms.created",
            "sailthru.date",
            "parsely-pub-date",
            "date",
            "citation_publication_date",
            "og:published_time",
        ])
        .and_then(|d| date::parse_date(&d));
    }
    if meta.authors.is_empty() {
        meta.authors = visible_authors(scan, meta.outlet.as_deref());
    }
    if meta.published.is_none() {
        meta.published = visible_date(scan);
    }
    meta.html_title = TITLE.captures(scan).and_then(|c| {
        let text = unescape(&c[1])
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        (!text.is_empty()).then_some(text)
    });
    meta.h1 = H1.captures_iter(scan).find_map(|c| {
        let text = TAG.replace_all(&c[1], " ");
        let text = unescape(&text)
            .split_whitespace()
            .collect::<Vec<_>>()
            .join(" ");
        let words = text.split_whitespace().count();
        (2..=40).contains(&words).then_some(text)
    });
    if meta.url.is_none() {
        meta.url = get(&["og:url"]).or_else(|| {
            let link = CANONICAL.find(scan)?;
            ATTR.captures_iter(link.as_str())
                .find(|a| a[1].eq_ignore_ascii_case("href"))
                .and_then(|a| {
                    a.get(2)
                        .or(a.get(3))
                        .or(a.get(4))
                        .map(|v| unescape(v.as_str()))
                })
        });
    }
    meta
}

fn floor_char_boundary(s: &str, mut i: usize) -> usize {
    if i >= s.len() {
        return s.len();
    }
    while !s.is_char_boundary(i) {
        i -= 1;
    }
    i
}

const ARTICLE_TYPES: &[&str] = &[
    "NewsArticle",
    "Article",
    "BlogPosting",
    "ReportageNewsArticle",
    "AnalysisNewsArticle",
    "OpinionNewsArticle",
    "BackgroundNewsArticle",
    "ReviewNewsArticle",
    "LiveBlogPosting",
    "ScholarlyArticle",
    "TechArticle",
    "Report",
    "SocialMediaPosting",
    "WebPage",
];

/// The objects in a JSON-LD value that describe an article, best first (`@graph` and arrays
/// are searched; a `WebPage` only counts when nothing more specific is there).
fn article_objects(v: &Value) -> Vec<&Value> {
    let mut found = Vec::new();
    collect(v, &mut found, 0);
    found.sort_by_key(|o| type_rank(o));
    found
        .into_iter()
        .filter(|o| type_rank(o) < ARTICLE_TYPES.len())
        .collect()
}

fn collect<'a>(v: &'a Value, out: &mut Vec<&'a Value>, depth: usize) {
    if depth > 4 {
        return;
    }
    match v {
        Value::Array(items) => items.iter().for_each(|i| collect(i, out, depth + 1)),
        Value::Object(o) => {
            if o.contains_key("@type") {
                out.push(v);
            }
            if let Some(g) = o.get("@graph") {
                collect(g, out, depth + 1);
            }
        }
        _ => {}
    }
}

fn type_rank(o: &Value) -> usize {
    let types: Vec<&str> = match o.get("@type") {
        Some(Value::String(s)) => vec![s.as_str()],
        Some(Value::Array(a)) => a.iter().filter_map(|t| t.as_str()).collect(),
        _ => vec![],
    };
    types
        .iter()
        .filter_map(|t| ARTICLE_TYPES.iter().position(|a| a == t))
        .min()
        .unwrap_or(usize::MAX)
}

fn fill_from_json_ld(meta: &mut PageMeta, o: &Value) {
    let is_page = type_rank(o) == ARTICLE_TYPES.len() - 1;
    let text = |v: Option<&Value>| {
        v.and_then(|v| v.as_str())
            .map(|s| unescape(s).trim().to_string())
            .filter(|s| !s.is_empty())
    };
    if meta.title.is_none() && !is_page {
        meta.title = text(o.get("headline")).or_else(|| text(o.get("name")));
    }
    if meta.published.is_none() {
        meta.published = text(o.get("datePublished"))
            .or_else(|| {
                if is_page {
                    None
                } else {
                    text(o.get("dateCreated"))
                }
            })
            .and_then(|d| date::parse_date(&d));
    }
    if meta.outlet.is_none() {
        meta.outlet = match o.get("publisher") {
            Some(Value::Object(p)) => text(p.get("name")),
            Some(Value::Array(a)) => a.iter().find_map(|p| text(p.get("name"))),
            Some(Value::String(s)) => Some(s.clone()),
            _ => None,
        };
    }
    if meta.authors.is_empty() && !is_page {
        let names: Vec<String> = match o.get("author").or_else(|| o.get("creator")) {
            Some(Value::Array(a)) => a.iter().filter_map(person_name).collect(),
            Some(v) => person_name(v).into_iter().collect(),
            None => vec![],
        };
        for n in names {
            let outlet = meta.outlet.clone();
            for a in byline::split_authors(&n, outlet.as_deref()).authors {
                if !meta.authors.contains(&a) {
                    meta.authors.push(a);
                }
            }
        }
    }
    if meta.url.is_none() {
        meta.url = text(o.get("url")).filter(|u| u.starts_with("http"));
    }
}

fn person_name(v: &Value) -> Option<String> {
    match v {
        Value::String(s) if !s.starts_with("http") => Some(unescape(s)),
        Value::Object(o) => {
            let kind = o.get("@type").and_then(|t| t.as_str()).unwrap_or("Person");
            if kind == "Organization" {
                return None;
            }
            o.get("name").and_then(|n| n.as_str()).map(unescape)
        }
        _ => None,
    }
}

/// Decodes the HTML character references found in attribute values and JSON-LD strings.
pub fn unescape(s: &str) -> String {
    if !s.contains('&') {
        return s.to_string();
    }
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find('&') {
        out.push_str(&rest[..i]);
        rest = &rest[i..];
        let end = rest[1..].find(';').map(|e| e + 1).filter(|&e| e <= 10);
        let decoded = end.and_then(|e| {
            let entity = &rest[1..e];
            let c = match entity {
                "amp" => Some('&'),
                "lt" => Some('<'),
                "gt" => Some('>'),
                "quot" => Some('"'),
                "apos" => Some('\''),
                "nbsp" => Some('\u{a0}'),
                "rsquo" => Some('\u{2019}'),
                "lsquo" => Some('\u{2018}'),
                "rdquo" => Some('\u{201D}'),
                "ldquo" => Some('\u{201C}'),
                "ndash" => Some('\u{2013}'),
                "mdash" => Some('\u{2014}'),
                "hellip" => Some('\u{2026}'),
                _ if entity.starts_with("#x") || entity.starts_with("#X") => {
                    u32::from_str_radix(&entity[2..], 16)
                        .ok()
                        .and_then(char::from_u32)
                }
                _ if entity.starts_with('#') => entity[1..].parse().ok().and_then(char::from_u32),
                _ => None,
            };
            c.map(|c| (c, e + 1))
        });
        match decoded {
            Some((c, len)) => {
                out.push(c);
                rest = &rest[len..];
            }
            None => {
                out.push('&');
                rest = &rest[1..];
            }
        }
    }
    out.push_str(rest);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn json_ld_beats_meta_tags() {
        let html = r#"<html><head>
<meta property="og:title" content="OG title &amp; more">
<meta property="og:site_name" content="The Valemont Courier">
<meta name="author" content="Someone Else">
<meta property="article:published_time" content="2024-03-04T08:00:00Z">
<script type="application/ld+json">{"@context":"https://schema.org","@graph":[
 {"@type":"WebPage","name":"Page name","datePublished":"2020-01-01"},
 {"@type":"NewsArticle","headline":"Warehouse fire burns for nine hours",
  "datePublished":"2024-03-03T09:40:00+01:00",
  "author":[{"@type":"Person","name":"Ana Ruiz"},{"@type":"Person","name":"Tom Hale"}],
  "publisher":{"@type":"Organization","name":"Valemont Courier"}}]}</script>
</head><body></body></html>"#;
        let m = page_meta(html);
        assert_eq!(
            m.title.as_deref(),
            Some("Warehouse fire burns for nine hours")
        );
        assert_eq!(m.authors, vec!["Ana Ruiz", "Tom Hale"]);
        assert_eq!(m.published.as_deref(), Some("2024-03-03T09:40:00+01:00"));
        assert_eq!(m.outlet.as_deref(), Some("Valemont Courier"));
    }

    #[test]
    fn meta_tags_when_there_is_no_json_ld() {
        let html = r#"<meta property="og:title" content="Dam &#8216;safe&#8217;, says council"><meta content="Kestrel Daily" property="og:site_name"><meta name="author" content="By Ira Kell, Kestrel Daily"><meta name="date" content="2023-11-02">"#;
        let m = page_meta(html);
        assert_eq!(
            m.title.as_deref(),
            Some("Dam \u{2018}safe\u{2019}, says council")
        );
        assert_eq!(m.authors, vec!["Ira Kell"]);
        assert_eq!(m.published.as_deref(), Some("2023-11-02"));
    }

    #[test]
    fn a_page_read_without_its_markup_keeps_its_visible_text() {
        let stripped = stripped_blocks("<head><title>t</title></head><script>var x;</script><div>One &amp; <b>two</b></div><p>Three</p>");
        assert_eq!(stripped, vec!["One & two", "Three"]);
    }

    #[test]
    fn a_flattened_article_is_split_along_the_page_blocks() {
        let visible: Vec<String> = [
            "Home News",
            "Big fire",
            "2013-07-21",
            "A fire broke out.",
            "Most read",
        ]
        .map(String::from)
        .to_vec();
        assert_eq!(
            resplit("Big fire 2013-07-21 A fire broke out.", &visible).unwrap(),
            ["Big fire", "2013-07-21", "A fire broke out."]
        );
        // Text that is not a run of blocks stays as the crate gave it.
        assert!(resplit("Big fire A fire broke out.", &visible).is_none());
        assert!(resplit("A fire broke out.", &visible).is_none());
    }

    #[test]
    fn paragraphs_follow_block_elements() {
        let p = paragraphs_of("<h1>Head</h1><p>One <b>bold</b> line.</p><ul><li>a</li><li>b</li></ul><p>Two<br>lines</p>");
        assert_eq!(p, vec!["Head", "One bold line.", "a", "b", "Two", "lines"]);
    }
}
