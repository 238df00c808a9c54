#!/usr/bin/env python3
"""Hostile pages: what one page of each pathological shape costs, against the per-page budget.

usage: bench/hostile.py [--storyline target/release/storyline] [--size BYTES] [--check]

Generates pages shaped the way attackers and broken sites shape them (tens of thousands of
attributes on one tag, `<div/>` and end tags that close nothing, nested headings, unclosed
formatting, a page that is one huge line, an 8 MiB script...), each up to the page-size cap
(8 MiB by default), and runs `storyline analyze PAGE --format json` on each alone, measuring
wall seconds and peak resident memory (the child's ru_maxrss). The budget is 2 s and 256 MiB per
page. Prints a Markdown table for BENCHMARKS.md; with --check, exits 1 when a page is over
budget (a benchmark, not a unit test: machines here are noisy, so CI does not run it).
"""
import argparse, json, os, subprocess, sys, tempfile

SENT = "The mayor said the harbour fair will go ahead on Saturday despite the storm. "
BUDGET_S, BUDGET_MIB = 2.0, 256


def fill(unit, size, head="<html><body>", tail="</body></html>"):
    n = max(1, (size - len(head) - len(tail)) // len(unit))
    return head + unit * n + tail


def shapes(size):
    body = "<p>" + SENT * 20 + "</p>"
    yield "attributes on one tag", (
        "<html><body><div" + "".join(f' a{i}="v"' for i in range(size // 14)) + ">" + body
        + "</div></body></html>")
    yield "self-closed divs", fill("<div/>", size, tail=body + "</body></html>")
    yield "end tags that close nothing", fill("<div></x>", size, tail=body + "</body></html>")
    yield "nested headings (issue's 107 KB)", ("<h1>" + "Quay Street families fled the fire " * 12
                                               + '<div class="content">') * 250
    yield "nested headings to the cap", fill(
        "<h1>" + "Quay Street families fled the fire " * 12 + '<div class="content">', size, "", "")
    yield "open divs to the cap", fill("<div>", size, tail=body + "</body></html>")
    yield "open divs 3,900 deep", "<html><body>" + "<div>" * 3900 + body + "</body></html>"
    yield "unclosed formatting", fill("<b><i><u>x ", size, tail=body + "</body></html>")
    yield "nested anchors", fill("<a href=x>y", size, tail=body + "</body></html>")
    yield "nested tables", fill("<table><tr><td>", size, tail=body + "</body></html>")
    yield "one table, many cells", fill("<tr><td>cell</td>", size, "<html><body><table>",
                                        "</table>" + body + "</body></html>")
    yield "paragraphs to the cap", fill("<p>" + SENT + "</p>\n", size)
    yield "spans to the cap", fill("<span>w</span>", size, tail=body + "</body></html>")
    yield "line breaks to the cap", fill("word<br>", size)
    yield "one word, no spaces", "<html><body><p>" + "x" * size + "</p></body></html>"
    yield "one script", "<html><head><script>" + "var a=1;" * (size // 8) + "</script></head><body>" + body + "</body></html>"
    yield "one comment", "<html><body><!--" + "c" * size + "-->" + body + "</body></html>"
    yield "one attribute value", '<html><body><div title="' + "v" * size + '">' + body + "</div></body></html>"
    yield "entities", fill("&amp;&#x41;&lt;", size, "<html><body><p>", "</p></body></html>")
    yield "meta tags", fill('<meta property="og:title" content="A fair">', size, "<html><head>",
                            "</head><body>" + body + "</body></html>")
    yield "JSON-LD nested", ('<html><head><script type="application/ld+json">' + "[" * (size // 2)
                             + "]" * (size // 2) + "</script></head><body>" + body + "</body></html>")
    yield "unclosed scripts among comments", fill("<script><!--x-->", size, "<html><body>" + body)
    yield "the same, nested too deep", fill("<script><!--x-->", size, "<html><body>" + "<div>" * 1100 + body)
    yield "headings in headings, 495 deep", ("<h1>" + "Quay Street families fled the fire " * 12
                                              + '<div class="content">') * 495
    yield "headline lines (flat text)", None  # the .txt shape below


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--storyline", default="target/release/storyline")
    ap.add_argument("--size", type=int, default=8 * 1024 * 1024)
    ap.add_argument("--check", action="store_true")
    ap.add_argument("--timeout", type=float, default=60)
    ap.add_argument("--only", help="run only shapes whose name contains this")
    args = ap.parse_args()
    rows, over = [], 0
    with tempfile.TemporaryDirectory() as tmp:
        for i, (name, page) in enumerate(shapes(args.size)):
            if args.only and args.only not in name:
                continue
            ext = "html"
            if page is None:
                ext, page = "txt", (SENT * 3 + "\n") * (args.size // (len(SENT) * 3 + 1))
            path = os.path.join(tmp, f"page{i}.{ext}")
            with open(path, "w") as f:
                f.write(page[: args.size])
            secs, mib, status, out = run_one(args.storyline, path, args.timeout)
            print(f"{name}: {secs:.2f} s {mib:.0f} MiB {status}", file=sys.stderr, flush=True)
            text = title = 0
            try:
                a = json.loads(out)["articles"]
                text = sum(len(x.get("text") or "") for x in a)
                title = max((len(x.get("title") or "") for x in a), default=0)
            except Exception:
                pass
            ok = status != "timeout" and secs <= BUDGET_S and mib <= BUDGET_MIB
            over += not ok
            rows.append((name, len(page[: args.size]), secs, mib, status, text, title, ok))
    print("| page | bytes | seconds | peak MiB | exit | text chars | title chars | in budget |")
    print("|---|---:|---:|---:|---|---:|---:|---|")
    for name, size, secs, mib, status, text, title, ok in rows:
        print(f"| {name} | {size:,} | {secs:.2f} | {mib:.0f} | {status} | {text:,} | {title:,} | {'yes' if ok else '**no**'} |")
    if args.check and over:
        print(f"{over} page(s) over budget ({BUDGET_S} s, {BUDGET_MIB} MiB)", file=sys.stderr)
        sys.exit(1)


RUNNER = r"""
import json, resource, subprocess, sys, time
t0 = time.monotonic()
try:
    p = subprocess.run(sys.argv[3:], stdout=open(sys.argv[2], "wb"), stderr=subprocess.DEVNULL,
                       timeout=float(sys.argv[1]))
    status = p.returncode
except subprocess.TimeoutExpired:
    status = "timeout"
print(json.dumps({"secs": time.monotonic() - t0, "status": status,
                  "kib": resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss}))
"""


def run_one(binary, path, timeout):
    """Wall time, peak resident MiB, exit status and output of one run. A fresh intermediate
    process measures it, since RUSAGE_CHILDREN keeps the largest peak of all children so far."""
    out = path + ".out"
    p = subprocess.run([sys.executable, "-c", RUNNER, str(timeout), out, binary, "analyze", path,
                        "--format", "json"], capture_output=True, text=True)
    r = json.loads(p.stdout)
    with open(out, "rb") as f:
        data = f.read()
    return r["secs"], r["kib"] / 1024, r["status"], data


if __name__ == "__main__":
    main()
