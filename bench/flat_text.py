#!/usr/bin/env python3
"""Flat-text extraction on real page chrome: renders the pages of AEB and WCXB (article pages) to
plain text the way a browser's "save as text" does (every visible block on its own line, menus,
footers, comment sections and all), runs `storyline analyze` on the text files, and scores the
result against the sets' gold article text. This measures the line classifier, not trafilatura.

usage: bench/flat_text.py [--data ../shared/data] [--storyline target/release/storyline] [--keep DIR]
Needs lxml (the bench venv under target/bench-venv has it; see bench/extraction.py).
"""
import argparse, gzip, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

BLOCK = {"p", "div", "h1", "h2", "h3", "h4", "h5", "h6", "li", "ul", "ol", "blockquote", "pre", "tr", "table",
         "section", "article", "header", "footer", "nav", "aside", "main", "figure", "figcaption", "form",
         "dl", "dt", "dd", "br", "hr", "address", "details", "summary", "body", "title"}
SKIP = {"script", "style", "noscript", "template", "svg", "head", "iframe", "button", "select", "option", "input", "textarea"}


def render(html_text):
    import lxml.html
    try:
        doc = lxml.html.fromstring(html_text)
    except Exception:
        return ""
    lines, cur = [], []

    def flush():
        t = " ".join("".join(cur).split())
        if t:
            lines.append(t)
        cur.clear()

    def walk(el):
        if not isinstance(el.tag, str):  # comments and processing instructions are not shown
            if el.tail:
                cur.append(el.tail)
            return
        tag = el.tag
        if tag.lower() in SKIP:
            if el.tail:
                cur.append(el.tail)
            return
        block = tag.lower() in BLOCK
        if block:
            flush()
        if el.text:
            cur.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush()
        if el.tail:
            cur.append(el.tail)

    title = doc.find(".//title")
    if title is not None and title.text:
        lines.append(" ".join(title.text.split()))
    body = doc.find(".//body")
    walk(body if body is not None else doc)
    flush()
    return "\n".join(lines) + "\n"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--storyline", default=os.path.join(ROOT, "target", "release", "storyline"))
    ap.add_argument("--keep", help="write the rendered text pages here")
    args = ap.parse_args()
    sets = [("aeb", os.path.join(args.data, "extraction", "aeb"), None),
            ("wcxb-dev articles", os.path.join(args.data, "extraction", "wcxb-dev"), "article")]
    print("| set | pages | words P | words R | words mean F1 | shingle-4 F1 | title exact | unmatched |")
    print("|---|---|---|---|---|---|---|---|")
    for name, root, kind in sets:
        out = args.keep and os.path.join(args.keep, name.split()[0]) or tempfile.mkdtemp(prefix="flat-")
        os.makedirs(out, exist_ok=True)
        gold = os.path.join(out, "gold.jsonl.gold")
        with open(os.path.join(root, "gold.jsonl")) as src, open(gold, "w") as dst:
            for line in src:
                d = json.loads(line)
                if kind and d.get("page_type") != kind:
                    continue
                dst.write(line)
                raw = gzip.open(os.path.join(root, "html", d["id"] + ".html.gz"), "rb").read().decode("utf-8", "replace")
                with open(os.path.join(out, d["id"] + ".txt"), "w") as f:
                    f.write(render(raw))
        report = os.path.join(out, "report.json.out")
        with open(report, "w") as f:
            subprocess.run([args.storyline, "analyze", out], stdout=f, stderr=subprocess.DEVNULL)
        s = json.loads(subprocess.run([args.storyline, "eval", "--task", "text", "--gold", gold, report],
                                      capture_output=True, text=True, check=True).stdout)
        m = s.get("metadata", {})
        t = m.get("title_exact")
        print(f"| {name} | {s['pages']} | {s['words']['P']:.4f} | {s['words']['R']:.4f} | {s['words']['mean_F1']:.4f} | "
              f"{s['shingle4']['F1_of_means']:.4f} | {'-' if t is None else f'{t:.3f}'} | {s['unmatched_gold']} |")


if __name__ == "__main__":
    main()
