#!/usr/bin/env python3
"""Builds the example corpus in examples/ from the events in stories.py.

usage: python3 tools/examples/make.py   (from the repository root; rewrites examples/)

Every page is one of our events wrapped in the chrome of a fictional site: the wire's own HTML
page (JSON-LD, OpenGraph), a TV station's HTML republication, a radio station's page saved as
flat text (menus, a language row, the headline twice, byline, date, teasers, a comment prompt),
a trimmed near-duplicate with a local line, a content farm's spun copy, an AI rewrite, and
independent reports as HTML, hard-wrapped text or JSON lines. examples/labels.json holds the
gold: for each origin, its story, family, relation and the family's original.
"""
import html
import json
import os
import shutil
import textwrap

from stories import REWRITES, SPIN, STORIES

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
OUT = os.path.join(ROOT, "examples")

MONTHS = ["January", "February", "March", "April", "May", "June", "July", "August", "September",
          "October", "November", "December"]


def human(date):
    y, m, d = date.split("-")
    return f"{MONTHS[int(m) - 1]} {int(d)}, {y}"


def next_day(date):
    y, m, d = map(int, date.split("-"))
    return f"{y:04d}-{m:02d}-{d + 1:02d}"


def slug(s):
    return "-".join("".join(c if c.isalnum() else " " for c in s.lower()).split())


def teasers(key):
    return [s["wire"]["title"] for s in STORIES if s["key"] != key][:4]


def spin(text):
    out = []
    for word in text.split(" "):
        core = word.strip(".,\"'!?;:()—")
        lower = core.lower()
        if lower in SPIN:
            repl = SPIN[lower]
            if core[:1].isupper():
                repl = repl[:1].upper() + repl[1:]
            word = word.replace(core, repl, 1)
        out.append(word)
    return " ".join(out)


def json_ld(title, authors, outlet, published, url):
    return json.dumps({
        "@context": "https://schema.org",
        "@type": "NewsArticle",
        "headline": title,
        "datePublished": published,
        "author": [{"@type": "Person", "name": a} for a in authors],
        "publisher": {"@type": "Organization", "name": outlet},
        "mainEntityOfPage": url,
    }, ensure_ascii=False)


def station_html(site, domain, title, authors, credit, published, paragraphs, key, comments=True, extra_ld=True):
    url = f"https://{domain}/news/{slug(title)}"
    nav = "".join(f'<li><a href="/{s.lower()}">{s}</a></li>' for s in ["Home", "Local", "Weather", "Sport", "Business", "Watch Live"])
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    related = "".join(f'<li><a href="/news/{slug(t)}">{html.escape(t)}</a></li>' for t in teasers(key))
    byline = ", ".join(f'<a rel="author" href="/author/{slug(a)}">{html.escape(a)}</a>' for a in authors)
    ld = f'<script type="application/ld+json">{json_ld(title, authors, site, published, url)}</script>' if extra_ld else ""
    comment_block = ""
    if comments:
        comment_block = """<section class="comments"><h2>2 Comments</h2>
<div class="comment"><p class="who">harbourwatcher</p><p>I drove past this morning and the smell was still terrible, hope everyone is safe out there tonight.</p></div>
<div class="comment"><p class="who">Jen K.</p><p>Thanks to all the crews who worked through the night, you are heroes every one of you.</p></div>
<form><textarea placeholder="Join the conversation"></textarea><button>Post comment</button></form></section>"""
    return f"""<!DOCTYPE html>
<html lang="en">
<head>
<meta charset="utf-8">
<title>{html.escape(title)} | {html.escape(site)}</title>
<meta name="viewport" content="width=device-width, initial-scale=1">
<meta property="og:type" content="article">
<meta property="og:title" content="{html.escape(title)}">
<meta property="og:site_name" content="{html.escape(site)}">
<meta property="og:url" content="{url}">
<meta property="article:published_time" content="{published}">
<link rel="canonical" href="{url}">
{ld}
<style>body{{font-family:sans-serif}}</style>
<script>window.dataLayer = window.dataLayer || []; function gtag(){{dataLayer.push(arguments);}}</script>
</head>
<body>
<a class="skip" href="#main">Skip to content</a>
<header class="site-header"><div class="logo"><a href="/">{html.escape(site)}</a></div>
<nav class="main-nav"><ul>{nav}</ul></nav>
<div class="cookie-banner">We use cookies to improve your experience. <button>Accept all cookies</button></div>
</header>
<main id="main">
<article class="story">
<h1 class="headline">{html.escape(title)}</h1>
<div class="byline">By {byline}, {html.escape(credit)}</div>
<time datetime="{published}">{human(published[:10])}</time>
<div class="share"><a href="#">Facebook</a> <a href="#">Twitter</a> <a href="#">Email</a></div>
<div class="article-body">
{body}
</div>
<div class="ad-slot">Advertisement</div>
<aside class="related"><h2>Related Articles</h2><ul>{related}</ul></aside>
</article>
{comment_block}
</main>
<footer class="site-footer"><p>&copy; {published[:4]} {html.escape(site)}. All rights reserved.</p>
<ul><li><a href="/privacy">Privacy Policy</a></li><li><a href="/terms">Terms of Use</a></li><li><a href="/contact">Contact Us</a></li></ul></footer>
</body>
</html>
"""


def independent_html(site, domain, title, authors, published, paragraphs, key):
    """A site with meta tags but no JSON-LD, its byline in a classed span."""
    url = f"https://{domain}/{published[:4]}/{published[5:7]}/{slug(title)}/"
    body = "\n".join(f"<p>{html.escape(p)}</p>" for p in paragraphs)
    names = " and ".join(html.escape(a) for a in authors)
    more = "".join(f'<div class="card"><a href="#">{html.escape(t)}</a><span>3 min read</span></div>' for t in teasers(key))
    return f"""<!doctype html>
<html><head><meta charset="utf-8">
<title>{html.escape(title)} - {html.escape(site)}</title>
<meta name="author" content="{html.escape(", ".join(authors))}">
<meta property="og:site_name" content="{html.escape(site)}">
<meta property="og:title" content="{html.escape(title)}">
<meta name="date" content="{published[:10]}">
</head>
<body>
<div id="top-bar"><span>Subscribe</span> <span>Log in</span> <span>Newsletters</span></div>
<div class="masthead">{html.escape(site.upper())}</div>
<ul class="menu"><li>News</li><li>Opinion</li><li>Sport</li><li>Culture</li><li>Podcasts</li></ul>
<div class="content">
<h1>{html.escape(title)}</h1>
<p class="meta"><span class="author-name">{names}</span> &middot; {human(published[:10])}</p>
{body}
<p class="tags">Tags: {html.escape(key.replace("-", ", "))}</p>
</div>
<div class="more"><h3>More from {html.escape(site)}</h3>{more}</div>
<div class="newsletter">Sign up for our free morning newsletter</div>
<footer>Copyright {published[:4]} {html.escape(site)} &middot; About Us &middot; Contact</footer>
</body></html>
"""


def radio_text(site, title, authors, credit, published, paragraphs, key):
    lines = ["Skip to content", site, "Menu", "Home", "Local", "Weather", "Sport", "Listen Live",
             "English Español Français Deutsch", f"{title} | {site}", title,
             f"By {' and '.join(authors)}, {credit}", f"Published 10:15 AM, {human(published[:10])}",
             "Share on Facebook", *paragraphs, "Related Articles", *teasers(key), "Leave a Comment",
             "You must be logged in to post a comment.", f"© {published[:4]} {site}. All rights reserved.",
             "Privacy Policy | Terms of Use | Contact Us"]
    return "\n".join(lines) + "\n"


def farm_text(title, published, paragraphs, key):
    lines = ["TOPNEWSHUB24", "Home › World › Europe", title, f"Posted on {human(published[:10])} by admin",
             *paragraphs, f"Tags: {key.replace('-', ', ')}", "Similar Articles", *teasers(key),
             f"Copyright {published[:4]} TopNewsHub24"]
    return "\n".join(lines) + "\n"


def wrapped_text(site, title, authors, published, paragraphs):
    out = [site.upper(), "", title, "", f"By {' and '.join(authors)}", human(published[:10]), ""]
    for p in paragraphs:
        out.extend(textwrap.wrap(p, 72))
        out.append("")
    out.append(f"(c) {published[:4]} {site}")
    return "\n".join(out) + "\n"


def main():
    if os.path.isdir(OUT):
        shutil.rmtree(OUT)
    os.makedirs(OUT)
    labels = {}
    feed = []

    def put(path, content, story, family, relation, original):
        full = os.path.join(OUT, path)
        os.makedirs(os.path.dirname(full), exist_ok=True)
        with open(full, "w", encoding="utf-8") as f:
            f.write(content)
        origin = "examples/" + path
        labels[origin] = {"story": story, "family": family, "relation": relation, "original_url": original}
        return origin

    for n, s in enumerate(STORIES):
        key, day, w, ind = s["key"], s["date"], s["wire"], s["independent"]
        wire_family = f"{key}/wire"
        t0 = f"{day}T08:00:00Z"
        orig = put(f"{key}/kestrel-wire.html",
                   station_html("Kestrel Wire", "kestrelwire.test", w["title"], w["authors"], "Kestrel Wire", t0,
                                w["paragraphs"], key, comments=False),
                   key, wire_family, "original", None)
        labels[orig]["original_url"] = orig
        put(f"{key}/northcoast9.html",
            station_html("NorthCoast 9", "northcoast9.test", w["title"], w["authors"], "Kestrel Wire",
                         f"{day}T09:30:00Z", w["paragraphs"], key),
            key, wire_family, "exact", orig)
        put(f"{key}/riverside-radio.txt",
            radio_text("Riverside Radio News", w["title"], w["authors"], "Kestrel Wire", f"{day}T10:15:00Z",
                       w["paragraphs"], key),
            key, wire_family, "exact", orig)
        if n % 2 == 0:
            trimmed = w["paragraphs"][:-2] + ["Metro Today has asked the authorities for further comment."]
            put(f"{key}/metro-today.html",
                station_html("Metro Today", "metrotoday.test", w["title"], w["authors"], "Kestrel Wire",
                             f"{day}T11:00:00Z", trimmed, key, extra_ld=False),
                key, wire_family, "near_duplicate", orig)
        if s["spun"]:
            spun = [spin(p) for p in w["paragraphs"][:5]]
            put(f"{key}/topnewshub24.txt", farm_text(spin(w["title"]), next_day(day), spun, key),
                key, wire_family, "spun", orig)
        if s["rewrite"]:
            r = REWRITES[key]
            disclosure = "This article was generated with the help of AI based on source articles."
            put(f"{key}/daily-pulse.html",
                station_html(r["outlet"], "dailypulse.test", r["title"], ["Pulse Newsroom"], r["outlet"],
                             f"{next_day(day)}T07:00:00Z", r["paragraphs"] + [disclosure], key, comments=False),
                key, wire_family, "rewrite", orig)
        ind_family = f"{key}/independent"
        t1 = f"{day}T14:00:00Z"
        if n % 3 == 0:
            origin = put(f"{key}/{slug(ind['outlet'])}.html",
                         independent_html(ind["outlet"], slug(ind["outlet"]) + ".test", ind["title"], ind["authors"],
                                          t1, ind["paragraphs"], key),
                         key, ind_family, "original", None)
        elif n % 3 == 1:
            origin = put(f"{key}/{slug(ind['outlet'])}.txt",
                         wrapped_text(ind["outlet"], ind["title"], ind["authors"], t1, ind["paragraphs"]),
                         key, ind_family, "original", None)
        else:
            origin = f"https://{slug(ind['outlet'])}.test/{slug(ind['title'])}"
            feed.append({"url": origin, "title": ind["title"], "published": t1, "outlet": ind["outlet"],
                         "authors": ind["authors"], "text": "\n\n".join(ind["paragraphs"]), "section": "news"})
            labels[origin] = {"story": key, "family": ind_family, "relation": "original", "original_url": None}
        labels[origin]["original_url"] = origin

    with open(os.path.join(OUT, "feed.jsonl"), "w", encoding="utf-8") as f:
        for rec in feed:
            f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    with open(os.path.join(OUT, "labels.json"), "w", encoding="utf-8") as f:
        json.dump(labels, f, indent=1, ensure_ascii=False, sort_keys=True)
        f.write("\n")
    with open(os.path.join(OUT, "README.md"), "w", encoding="utf-8") as f:
        f.write(README.format(pages=len(labels), stories=len(STORIES)))
    print(f"{len(labels)} articles in {len(STORIES)} stories written to {OUT}")


README = """# Example corpus

{pages} articles about {stories} fictional events, written by us and shaped like real pages: a wire
report on its own site (JSON-LD), republished word for word by a TV station (HTML) and a radio
station (saved as flat text, with its menus, language row, headline printed twice, byline, date,
teasers and comment prompt), a trimmed near-duplicate with a local line, a content farm's spun copy
("said" -> "stated"), an AI rewrite that discloses itself, and an independent report per event
that disagrees with the wire on one fact: 14 against 17 measles cases, about 40 against sixty
residents moved out, a dam built in 1961 against completed in 1963, 54 against 52 percent of the
vote, Kenji against Hiro Sato, a beetle about eight against about six millimetres long, a strike of
48 hours against a 72-hour walkout, about 2 million against about 2.4 million customers, winds of up
to 110 against up to 130 kilometres per hour. Some independent reports are records in
`feed.jsonl`.

`labels.json` is the gold: for each origin (as `storyline analyze examples/` reports it), its
story, family, relation to the family's original, and that original. Rebuild everything with
`python3 tools/examples/make.py`.
"""

if __name__ == "__main__":
    main()
