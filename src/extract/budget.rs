//! The per-page budget: what an HTML page may cost before it reaches the parsers.
//!
//! Input: a decoded page. Output: the markup the parsers may read ([`Bounded`]): the page
//! itself, or the page cut short, or with the attributes past a cap dropped from a tag, plus a
//! note for each change, and whether the page nests deeper than the parser can afford (it is
//! then read as text with its tags stripped, in linear time).
//!
//! The HTML parser and the extraction crate cost time and memory that grow with the number of
//! elements (about 3 KB of memory each), with the depth of nesting (faster than linearly), and
//! with the attributes of one tag (quadratically: each new attribute is compared with all the
//! earlier ones). Real article pages stay far inside all three: over the 1,678 pages of the two
//! extraction benchmarks, at most 15,793 elements, 56 levels as estimated here, and a few dozen
//! attributes on a tag. A page past a limit is hostile or broken, and reading it all would cost
//! seconds and gigabytes. So one linear pass over the markup, a small model of an HTML tree
//! builder, measures the page before any parser sees it:
//!
//! - Elements past [`MAX_ELEMENTS`], or visible text past [`MAX_TEXT_BYTES`], cut the page
//!   there: the article is at the top of a page, and a parser closes what the cut leaves open.
//! - Attributes past [`MAX_ATTRIBUTES`] on one tag are dropped from it.
//! - Text held at many levels at once (a heading inside a heading inside a heading, each with
//!   words of its own) costs the crate time in proportion to the text times those levels; past
//!   [`MAX_NESTED_TEXT`] the page is read as stripped text too.
//! - Depth is counted the way a tree builder nests: `<div/>` opens a `div` (HTML ignores the
//!   slash outside SVG and MathML), an end tag that matches no open element closes nothing,
//!   `<p>`, `<li>`, table cells and their kin close the open one of their kind that they would
//!   close in a parser. Past [`MAX_NESTING`], the page is read as stripped text. Where the model
//!   would need a long search of the stack to be exact, it gives up and counts deeper, so an
//!   estimate errs towards the stripped reading, never towards a slow parse.

use std::borrow::Cow;

/// Elements a page may have; the rest is cut. Twice the largest benchmark page; the parser and
/// the crate hold about 3 to 4 KB per element.
pub const MAX_ELEMENTS: usize = 30_000;
/// Bytes of text outside tags (scripts, styles and comments not counted); the rest is cut. A
/// text this long is a book, not an article: 150,000 words.
pub const MAX_TEXT_BYTES: usize = 1 << 20;
/// Attributes one tag may carry; more are dropped.
pub const MAX_ATTRIBUTES: usize = 256;
/// Nesting past which a page is read as stripped text: 18 times the deepest benchmark page
/// (56), where the parser and the crate still cost little.
pub const MAX_NESTING: usize = 1_000;
/// Text bytes times the open elements holding text of their own, past which a page is read as
/// stripped text: 32 times the most of any benchmark page (125,879). Headings nested in
/// headings cost the crate seconds long before the nesting itself is deep.
pub const MAX_NESTED_TEXT: u64 = 4_000_000;
/// How far down the stack of open elements the model looks for an element to close.
const SEARCH: usize = 256;

/// The markup the parsers may read, and what was changed to make it affordable.
pub struct Bounded<'a> {
    pub html: Cow<'a, str>,
    pub notes: Vec<String>,
    /// Nested deeper than [`MAX_NESTING`]: read as text, not parsed.
    pub too_deep: bool,
    /// The deepest nesting the model saw; past [`MAX_NESTING`] it stops counting.
    pub depth: usize,
    /// Text bytes times their depth.
    pub nested_text: u64,
}

pub fn bound(page: &str) -> Bounded<'_> {
    let scan = Scan::run(page);
    let mut notes = Vec::new();
    if scan.depth > MAX_NESTING || scan.nested_text > MAX_NESTED_TEXT {
        notes.push(if scan.depth > MAX_NESTING {
            format!("page nested more than {MAX_NESTING} elements deep: read as text without its markup")
        } else {
            "page nests text inside text hundreds of levels deep: read as text without its markup"
                .to_string()
        });
        return Bounded {
            html: Cow::Borrowed(page),
            notes,
            too_deep: true,
            depth: scan.depth,
            nested_text: scan.nested_text,
        };
    }
    let end = match scan.cut {
        Some((at, why)) => {
            let why = match why {
                Why::Elements => format!("more than {MAX_ELEMENTS} elements"),
                Why::Text => format!("more than {} KiB of text", MAX_TEXT_BYTES / 1024),
            };
            notes.push(format!(
                "page cut at byte {at} of {}: {why}, more than an article page has",
                page.len()
            ));
            at
        }
        None => page.len(),
    };
    let gaps: Vec<&Gap> = scan.gaps.iter().filter(|g| g.end <= end).collect();
    let html: Cow<str> = if gaps.is_empty() {
        Cow::Borrowed(&page[..end])
    } else {
        let crowded = gaps.iter().filter(|g| g.attributes > 0).count();
        if crowded > 0 {
            let dropped: usize = gaps.iter().map(|g| g.attributes).sum();
            notes.push(format!(
                "{dropped} attributes dropped from {crowded} tags that carried more than {MAX_ATTRIBUTES}"
            ));
        }
        let mut out = String::with_capacity(end);
        let mut from = 0;
        for g in gaps {
            out.push_str(&page[from..g.start]);
            from = g.end;
        }
        out.push_str(&page[from..end]);
        Cow::Owned(out)
    };
    Bounded {
        html,
        notes,
        too_deep: false,
        depth: scan.depth,
        nested_text: scan.nested_text,
    }
}

/// Bytes `start..end` the parsers need not see: the attributes of a tag past the cap (how
/// many), or the body of a long script, style or comment (no article text is in it; the page's JSON-LD
/// is read from the page itself, and HTML tokenizers crawl through script text a character at a
/// time).
struct Gap {
    start: usize,
    end: usize,
    attributes: usize,
}

/// Script, style and comment bodies longer than this are left out of what the parsers read.
const MAX_SCRIPT_BYTES: usize = 16 * 1024;

#[derive(Default)]
struct Scan {
    /// Open elements, innermost last, each with whether it holds text of its own.
    stack: Vec<(Tag, bool)>,
    /// Open elements that hold text of their own.
    text_depth: usize,
    /// Open elements by name, so that an end tag that matches nothing costs nothing.
    open: std::collections::HashMap<Tag, usize>,
    /// Open `svg` and `math` elements: inside them a `/>` closes the element.
    foreign: usize,
    depth: usize,
    elements: usize,
    text: usize,
    /// Text bytes times the open elements that hold text of their own: what reading each
    /// element's text with its descendants' costs (an article's paragraphs hold text inside
    /// containers that hold none; a heading inside a heading inside a heading holds it at
    /// every level).
    nested_text: u64,
    cut: Option<(usize, Why)>,
    gaps: Vec<Gap>,
}

type Tag = Box<str>;

/// Why a page was cut.
#[derive(Clone, Copy)]
enum Why {
    Elements,
    Text,
}

const VOID: &[&str] = &[
    "area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "param", "source",
    "track", "wbr", "keygen", "frame", "basefont", "bgsound",
];
/// Elements whose content is text up to their end tag.
const RAW: &[&str] = &[
    "script",
    "style",
    "xmp",
    "iframe",
    "noembed",
    "noframes",
    "textarea",
    "title",
    "plaintext",
];
/// Elements a search for a `p` to close stops at (the "button scope" of the HTML standard).
const P_SCOPE: &[&str] = &[
    "html", "table", "td", "th", "caption", "marquee", "object", "applet", "template", "button",
    "svg", "math",
];
/// Elements a search for an `li`, `dt` or `dd` to close may pass: everything else stops it.
const LIST_PASSES: &[&str] = &[
    "address", "div", "p", "a", "b", "i", "u", "s", "em", "strong", "span", "font", "small", "big",
    "code", "nobr", "tt", "strike",
];
/// Elements a search for a table part to close stops at.
const TABLE_SCOPE: &[&str] = &["html", "table", "template"];
/// Elements a search for an end tag's element stops at (the default scope of the standard).
const SCOPE: &[&str] = &[
    "html", "table", "td", "th", "caption", "marquee", "object", "applet", "template", "svg",
    "math",
];

impl Scan {
    /// Measures the page. A cut is recorded where the first limit is crossed, but the scan goes
    /// on to the end for the depth: a page nested too deep anywhere is read as stripped text,
    /// whole, rather than cut (its article may come after the nesting).
    fn run(html: &str) -> Scan {
        let mut s = Scan::default();
        let b = html.as_bytes();
        let mut i = 0;
        while i < b.len() && s.depth <= MAX_NESTING {
            let Some(lt) = memchr(b'<', &b[i..]) else {
                s.text(html, i, b.len());
                break;
            };
            s.text(html, i, i + lt);
            i += lt;
            let next = b.get(i + 1).copied().unwrap_or(0);
            if b[i..].starts_with(b"<!--") {
                let body = i + 4;
                let end = find(b, body, b"-->");
                i = end.map_or(b.len(), |e| e + 3);
                let body_end = end.unwrap_or(b.len());
                if body_end - body > MAX_SCRIPT_BYTES {
                    s.gaps.push(Gap {
                        start: body,
                        end: body_end,
                        attributes: 0,
                    });
                }
            } else if next == b'!' || next == b'?' {
                i = memchr(b'>', &b[i..]).map_or(b.len(), |e| i + e + 1);
            } else if next == b'/' {
                let (name, end) = name_at(b, i + 2);
                i = memchr(b'>', &b[end..]).map_or(b.len(), |e| end + e + 1);
                if !name.is_empty() {
                    s.close(&name);
                }
            } else if next.is_ascii_alphabetic() {
                let start = i;
                let (name, end) = name_at(b, i + 1);
                let (close, self_closing) = s.attributes(b, end);
                i = close;
                s.elements += 1;
                if s.elements > MAX_ELEMENTS && s.cut.is_none() {
                    s.cut = Some((start, Why::Elements));
                }
                if RAW.contains(&&*name) {
                    let body = i;
                    i = end_of_raw(b, i, &name);
                    let body_end = i - end_tag_len(b, i, &name);
                    if matches!(&*name, "script" | "style") && body_end - body > MAX_SCRIPT_BYTES {
                        s.gaps.push(Gap {
                            start: body,
                            end: body_end,
                            attributes: 0,
                        });
                    }
                    continue;
                }
                s.open_element(name, self_closing);
            } else {
                // A lone '<' is text.
                i += 1;
            }
        }
        s
    }

    /// Counts text, and records the cut where the text budget is spent.
    fn text(&mut self, html: &str, from: usize, to: usize) {
        if self.cut.is_some() {
            return;
        }
        let n = to - from;
        if self.text + n > MAX_TEXT_BYTES {
            let mut at = from + (MAX_TEXT_BYTES - self.text);
            while !html.is_char_boundary(at) {
                at -= 1;
            }
            self.cut = Some((at, Why::Text));
            return;
        }
        self.text += n;
        if html.as_bytes()[from..to]
            .iter()
            .any(|c| !c.is_ascii_whitespace())
        {
            if let Some(top) = self.stack.last_mut() {
                if !top.1 {
                    top.1 = true;
                    self.text_depth += 1;
                }
            }
            self.nested_text += (n * self.text_depth) as u64;
        }
    }

    /// Reads a start tag's attributes from `i` (just past its name) to its `>`; returns the
    /// offset past the tag and whether it ends in `/>`.
    fn attributes(&mut self, b: &[u8], mut i: usize) -> (usize, bool) {
        let mut count = 0;
        let mut first_dropped = None;
        let mut slash = false;
        loop {
            while i < b.len() && (b[i].is_ascii_whitespace() || b[i] == b'/') {
                slash = b[i] == b'/';
                i += 1;
            }
            if i >= b.len() {
                break;
            }
            if b[i] == b'>' {
                if let Some(start) = first_dropped {
                    self.gaps.push(Gap {
                        start,
                        end: i,
                        attributes: count - MAX_ATTRIBUTES,
                    });
                }
                return (i + 1, slash);
            }
            slash = false;
            let attr_start = i;
            i += 1;
            while i < b.len() && !matches!(b[i], b'=' | b'>' | b'/') && !b[i].is_ascii_whitespace()
            {
                i += 1;
            }
            let mut j = i;
            while j < b.len() && b[j].is_ascii_whitespace() {
                j += 1;
            }
            if b.get(j) == Some(&b'=') {
                j += 1;
                while j < b.len() && b[j].is_ascii_whitespace() {
                    j += 1;
                }
                match b.get(j) {
                    Some(&q) if q == b'"' || q == b'\'' => {
                        j = memchr(q, &b[j + 1..]).map_or(b.len(), |e| j + 1 + e + 1);
                    }
                    _ => {
                        while j < b.len() && b[j] != b'>' && !b[j].is_ascii_whitespace() {
                            j += 1;
                        }
                    }
                }
                i = j;
            }
            count += 1;
            if count == MAX_ATTRIBUTES + 1 {
                first_dropped = Some(attr_start);
            }
        }
        // The page ends inside the tag: a parser drops such a tag.
        (b.len(), false)
    }

    fn open_element(&mut self, name: Tag, self_closing: bool) {
        if VOID.contains(&&*name) || (self_closing && self.foreign > 0) {
            return;
        }
        match &*name {
            "p" => self.close_within(&["p"], |t| P_SCOPE.contains(&t)),
            "li" => self.close_within(&["li"], |t| !LIST_PASSES.contains(&t)),
            "dt" | "dd" => self.close_within(&["dt", "dd"], |t| !LIST_PASSES.contains(&t)),
            "option" => self.close_top(&["option"]),
            "tr" => self.close_within(&["tr"], |t| TABLE_SCOPE.contains(&t)),
            "td" | "th" => {
                self.close_within(&["td", "th"], |t| TABLE_SCOPE.contains(&t) || t == "tr")
            }
            "h1" | "h2" | "h3" | "h4" | "h5" | "h6" => {
                self.close_top(&["h1", "h2", "h3", "h4", "h5", "h6"])
            }
            _ => {}
        }
        if &*name == "svg" || &*name == "math" {
            self.foreign += 1;
        }
        *self.open.entry(name.clone()).or_default() += 1;
        self.stack.push((name, false));
        self.depth = self.depth.max(self.stack.len());
    }

    /// An end tag: closes its element and everything inside it, if the element is open within
    /// reach; otherwise a parser ignores it.
    fn close(&mut self, name: &str) {
        if self.open.get(name).copied().unwrap_or(0) == 0 {
            return;
        }
        let names = [name];
        self.close_within(&names, |t| SCOPE.contains(&t) && t != name);
    }

    /// Pops down to and including the nearest element named in `names`, if one is found
    /// before an element that `stops` the search (or before the search gives up).
    fn close_within(&mut self, names: &[&str], stops: impl Fn(&str) -> bool) {
        if !names
            .iter()
            .any(|n| self.open.get(*n).copied().unwrap_or(0) > 0)
        {
            return;
        }
        for (k, (t, _)) in self.stack.iter().rev().take(SEARCH).enumerate() {
            if names.contains(&&**t) {
                let keep = self.stack.len() - k - 1;
                self.pop_to(keep);
                return;
            }
            if stops(t) {
                return;
            }
        }
    }

    fn close_top(&mut self, names: &[&str]) {
        if self
            .stack
            .last()
            .is_some_and(|(t, _)| names.contains(&&**t))
        {
            self.pop_to(self.stack.len() - 1);
        }
    }

    fn pop_to(&mut self, len: usize) {
        while self.stack.len() > len {
            let (t, held_text) = self.stack.pop().expect("longer than len");
            self.text_depth -= usize::from(held_text);
            if &*t == "svg" || &*t == "math" {
                self.foreign -= 1;
            }
            if let Some(n) = self.open.get_mut(&t) {
                *n -= 1;
            }
        }
    }
}

/// The page's text without parsing it, in one linear pass: comments, scripts, styles and the
/// like dropped, a line break at each block tag, other tags removed; at most
/// [`MAX_TEXT_BYTES`] of it. Character references are left for the caller.
pub fn strip(page: &str) -> String {
    const BLOCK: &[&str] = &[
        "p",
        "div",
        "h1",
        "h2",
        "h3",
        "h4",
        "h5",
        "h6",
        "li",
        "ul",
        "ol",
        "br",
        "tr",
        "table",
        "section",
        "article",
        "header",
        "footer",
        "nav",
        "aside",
        "main",
        "blockquote",
        "pre",
        "figure",
        "figcaption",
        "dt",
        "dd",
        "hr",
        "td",
        "th",
    ];
    const HIDDEN: &[&str] = &["noscript", "head", "template", "svg"];
    let b = page.as_bytes();
    let mut out = String::new();
    let mut i = 0;
    while i < b.len() && out.len() < MAX_TEXT_BYTES {
        let Some(lt) = memchr(b'<', &b[i..]) else {
            out.push_str(&page[i..]);
            break;
        };
        out.push_str(&page[i..i + lt]);
        i += lt;
        let next = b.get(i + 1).copied().unwrap_or(0);
        if b[i..].starts_with(b"<!--") {
            i = find(b, i + 4, b"-->").map_or(b.len(), |e| e + 3);
        } else if next == b'!' || next == b'?' {
            i = memchr(b'>', &b[i..]).map_or(b.len(), |e| i + e + 1);
        } else if next == b'/' || next.is_ascii_alphabetic() {
            let closing = next == b'/';
            let (name, end) = name_at(b, i + 1 + usize::from(closing));
            i = skip_tag(b, end);
            if !closing && (RAW.contains(&&*name) || HIDDEN.contains(&&*name)) {
                i = end_of_raw(b, i, &name);
            }
            // One separator however many tags: a page of empty tags must not fill the budget.
            if BLOCK.contains(&&*name) {
                if !out.ends_with('\n') {
                    out.push('\n');
                }
            } else if !out.ends_with(char::is_whitespace) {
                out.push(' ');
            }
        } else {
            out.push('<');
            i += 1;
        }
    }
    if out.len() > MAX_TEXT_BYTES {
        let mut end = MAX_TEXT_BYTES;
        while !out.is_char_boundary(end) {
            end -= 1;
        }
        out.truncate(end);
    }
    out
}

/// The offset past a tag whose name ends at `i`: past its `>`, quoted values honoured.
fn skip_tag(b: &[u8], mut i: usize) -> usize {
    // Whether the last byte that was not a space was `=`: a quote there opens a value.
    let mut after_eq = false;
    while i < b.len() {
        match b[i] {
            b'>' => return i + 1,
            q @ (b'"' | b'\'') if after_eq => {
                i = memchr(q, &b[i + 1..]).map_or(b.len(), |e| i + 1 + e + 1);
                after_eq = false;
            }
            c => {
                if !c.is_ascii_whitespace() {
                    after_eq = c == b'=';
                }
                i += 1;
            }
        }
    }
    b.len()
}

/// A tag name from `i`: lower-cased, up to whitespace, `/` or `>`; and the offset past it.
fn name_at(b: &[u8], i: usize) -> (Tag, usize) {
    let mut end = i;
    while end < b.len() && !matches!(b[end], b'/' | b'>') && !b[end].is_ascii_whitespace() {
        end += 1;
    }
    // Names are short; a long run is not a name a parser would honour as an element we know.
    let name = String::from_utf8_lossy(&b[i..end.min(i + 32)]).to_ascii_lowercase();
    (name.into_boxed_str(), end)
}

/// The offset past a raw-text element's end tag (`</script>`, any case), or the page's end.
fn end_of_raw(b: &[u8], mut i: usize, name: &str) -> usize {
    if name == "plaintext" {
        return b.len();
    }
    while let Some(off) = find(b, i, b"</") {
        let at = off + 2;
        let n = name.len();
        if b.len() >= at + n
            && b[at..at + n].eq_ignore_ascii_case(name.as_bytes())
            && b.get(at + n)
                .is_none_or(|c| c.is_ascii_whitespace() || matches!(c, b'>' | b'/'))
        {
            return memchr(b'>', &b[at..]).map_or(b.len(), |e| at + e + 1);
        }
        i = at;
    }
    b.len()
}

/// The length of the end tag (`</script >`) that ends at `end`, or 0 when the page ran out first.
fn end_tag_len(b: &[u8], end: usize, name: &str) -> usize {
    if end == 0 || b[end - 1] != b'>' {
        return 0;
    }
    let start = b[..end].iter().rposition(|&c| c == b'<').unwrap_or(end);
    let tag = &b[start..end];
    if tag.len() >= name.len() + 2
        && tag[1] == b'/'
        && tag[2..2 + name.len()].eq_ignore_ascii_case(name.as_bytes())
    {
        end - start
    } else {
        0
    }
}

fn memchr(needle: u8, hay: &[u8]) -> Option<usize> {
    memchr::memchr(needle, hay)
}

/// The offset of `needle` in `b` at or after `from`.
fn find(b: &[u8], from: usize, needle: &[u8]) -> Option<usize> {
    if from >= b.len() {
        return None;
    }
    memchr::memmem::find(&b[from..], needle).map(|p| from + p)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn depth(html: &str) -> usize {
        bound(html).depth
    }

    #[test]
    fn depth_counts_what_a_tree_builder_nests() {
        assert_eq!(
            depth("<html><body><div><p>a<p>b<br><img src=x></div></body></html>"),
            4
        );
        assert_eq!(depth(&"<div>".repeat(1000)), 1000);
        assert_eq!(depth(&"<div>".repeat(100_000)), MAX_NESTING + 1);
        // A slash does not close a div, and an end tag that matches nothing closes nothing.
        assert_eq!(depth(&"<div/>".repeat(1000)), 1000);
        assert_eq!(depth(&"<div></x>".repeat(1000)), 1000);
        // Inside SVG it does close.
        assert_eq!(depth(&format!("<svg>{}</svg>", "<path/>".repeat(1000))), 1);
        // Paragraphs, list items and cells close their open kin.
        assert_eq!(depth(&"<p>a<div>b".repeat(500)), 2);
        assert_eq!(depth(&format!("<ul>{}</ul>", "<li>x".repeat(1000))), 2);
        assert_eq!(depth(&"<ul><li>x".repeat(500)), 1000);
        assert_eq!(
            depth(&format!("<table>{}</table>", "<tr><td>x<td>y".repeat(500))),
            3
        );
        // Comments, scripts and declarations hold no elements.
        assert_eq!(
            depth("<!doctype html><!-- <div><div> --><script>'<div><div>'</script><ul><li>x<li>y</ul>"),
            2
        );
        // An end tag beyond a table does not reach into it: the div stays open.
        assert_eq!(depth(&"<div><table><tr><td></div>".repeat(200)), 800);
    }

    #[test]
    fn a_page_of_too_many_elements_is_cut_before_the_first_one_too_many() {
        let page = "<span>w</span>".repeat(MAX_ELEMENTS + 10);
        let b = bound(&page);
        assert_eq!(b.html.len(), "<span>w</span>".len() * MAX_ELEMENTS);
        assert!(b.notes[0].contains("30000 elements"), "{:?}", b.notes);
        let ok = "<p>fine</p>".repeat(1000);
        let b = bound(&ok);
        assert!(matches!(b.html, Cow::Borrowed(_)) && b.html.len() == ok.len());
        assert!(b.notes.is_empty());
    }

    #[test]
    fn text_past_the_budget_is_cut_on_a_character_boundary() {
        let page = format!("<p>{}</p>", "é".repeat(MAX_TEXT_BYTES));
        let b = bound(&page);
        assert!(b.html.len() <= MAX_TEXT_BYTES + 3);
        assert!(b.notes[0].contains("1024 KiB of text"), "{:?}", b.notes);
        // Script text is not visible text.
        let script = format!(
            "<script>{}</script><p>x</p>",
            "a".repeat(MAX_TEXT_BYTES * 2)
        );
        assert!(bound(&script).notes.is_empty());
    }

    #[test]
    fn attributes_past_the_cap_are_dropped_and_the_rest_kept() {
        let attrs: String = (0..1000).map(|i| format!(" a{i}=\"v>{i}\"")).collect();
        let page = format!("<div id=x{attrs} class='c'><p>kept</p></div>");
        let b = bound(&page);
        // The tag's first 256 attributes are `id` and a0 to a254.
        assert!(b.html.contains(" a254=\"v>254\""));
        assert!(!b.html.contains("a255") && !b.html.contains("class"));
        assert!(
            b.html.ends_with("><p>kept</p></div>"),
            "{}",
            &b.html[b.html.len() - 40..]
        );
        assert!(
            b.notes[0].starts_with("746 attributes dropped from 1 tags"),
            "{:?}",
            b.notes
        );
    }

    #[test]
    fn headings_nested_in_headings_are_read_as_text() {
        let unit = format!(
            "<h1>{}<div class=\"content\">",
            "Quay Street families fled the fire ".repeat(12)
        );
        let page = unit.repeat(250);
        let b = bound(&page);
        assert!(b.too_deep && b.depth < MAX_NESTING, "{}", b.depth);
        assert!(b.notes[0].contains("text inside text"), "{:?}", b.notes);
        // The same words in sibling paragraphs are a long article.
        let flat = format!(
            "<div>{}</div>",
            "<p>Quay Street families fled the fire.</p>".repeat(25_000)
        );
        assert!(!bound(&flat).too_deep);
    }

    #[test]
    fn stripped_text_is_read_in_one_pass_whatever_is_left_open() {
        let page = "<head><title>t</title></head><script>var x = '<p>';</script><div>One &amp; <b>two</b></div><p title=\"a > b\">Three</p><!-- <p>no</p> --><noscript>no</noscript>";
        let lines: Vec<String> = strip(page)
            .lines()
            .map(|l| l.split_whitespace().collect::<Vec<_>>().join(" "))
            .filter(|l| !l.is_empty())
            .collect();
        assert_eq!(lines, vec!["One &amp; two", "Three"]);
        // Each unclosed script runs to the page's end; a regex over alternatives took minutes.
        let hostile = format!("<p>kept</p>{}", "<script><!--x-->".repeat(200_000));
        assert_eq!(strip(&hostile).trim(), "kept");
        assert!(strip(&"word ".repeat(MAX_TEXT_BYTES)).len() <= MAX_TEXT_BYTES);
    }

    #[test]
    fn long_scripts_are_left_out_of_what_the_parsers_read() {
        let script = format!(
            "<script>var a = '{}';</script >",
            "x".repeat(MAX_SCRIPT_BYTES)
        );
        let page = format!("<head>{script}<script>short()</script></head><body><p>kept</p></body>");
        let b = bound(&page);
        assert_eq!(
            b.html,
            "<head><script></script ><script>short()</script></head><body><p>kept</p></body>"
        );
        assert!(b.notes.is_empty());
        // Unclosed: the rest of the page is the script's.
        let open = format!("<p>kept</p><script>{}", "<!--x-->".repeat(MAX_SCRIPT_BYTES));
        assert_eq!(bound(&open).html, "<p>kept</p><script>");
        let comment = format!("<!--{}--><p>kept</p>", "c".repeat(MAX_SCRIPT_BYTES + 1));
        assert_eq!(bound(&comment).html, "<!----><p>kept</p>");
    }

    #[test]
    fn broken_markup_never_panics() {
        for page in [
            "<",
            "<a",
            "<a b",
            "<a b=",
            "<a b='",
            "</",
            "</a",
            "<!--",
            "<!",
            "<script>",
            "<p/",
            "<div a=\"\u{e9}",
            "\u{e9}<\u{e9}",
            "<title>x</titl",
            "</div></div>",
        ] {
            let _ = bound(page);
            let _ = strip(page);
        }
    }
}
