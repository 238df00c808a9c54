#!/usr/bin/env python3
"""Extraction benchmark: storyline against Python trafilatura 2.3.1, on the same pages, in one run.

usage: bench/extraction.py [--data ../shared/data] [--storyline target/release/storyline]

For each set (Zyte AEB; WCXB dev article pages) it runs both extractors, scores both with
`storyline eval --task text` (the scorer that matches ../shared/eval/score.py), and measures CPU
seconds: for storyline the whole process (start-up, reading, decompressing, extracting, the
report), for trafilatura its loop of reading, decompressing and extracting after the import
(start-up and import are not counted, which favours trafilatura). Each is run --repeat times
and the least CPU time counts, since the machines here are noisy. Prints a Markdown
table for BENCHMARKS.md. Needs a virtual environment with trafilatura; it makes one under
target/bench-venv if missing (from PyPI).
"""
import argparse, gzip, json, os, resource, subprocess, sys, tempfile, time

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)

PEER = r'''
import gzip, json, sys, time
import trafilatura
paths, out = sys.argv[1], sys.argv[2]
pages = [p for p in open(paths).read().split("\n") if p]
t0 = time.process_time()
rows = []
for p in pages:
    # Reading and decompressing are timed, as they are for storyline.
    raw = gzip.open(p, "rb").read() if p.endswith(".gz") else open(p, "rb").read()
    html = raw.decode("utf-8", errors="replace")
    try:
        d = trafilatura.bare_extraction(html, with_metadata=True)
    except Exception:
        d = None
    d = d.as_dict() if hasattr(d, "as_dict") else (d or {})
    pid = p.rsplit("/", 1)[-1].split(".")[0]
    rows.append({"id": pid, "text": d.get("text") or "", "title": d.get("title"),
                 "author": d.get("author"), "published": d.get("date")})
cpu = time.process_time() - t0
with open(out, "w") as f:
    for r in rows:
        f.write(json.dumps(r) + "\n")
print(cpu)
'''


def venv_python():
    venv = os.path.join(ROOT, "target", "bench-venv")
    py = os.path.join(venv, "bin", "python")
    if not os.path.exists(py):
        subprocess.run([sys.executable, "-m", "venv", venv], check=True)
        subprocess.run([py, "-m", "pip", "install", "-q", "trafilatura==2.3.1", "lxml_html_clean", "datasketch"], check=True)
    return py


def child_cpu():
    r = resource.getrusage(resource.RUSAGE_CHILDREN)
    return r.ru_utime + r.ru_stime


def run_storyline(binary, pages, out, threads):
    before = child_cpu()
    t0 = time.time()
    with open(out, "w") as f:
        subprocess.run([binary, "analyze", "--threads", str(threads), "--format", "json", *pages],
                       stdout=f, stderr=subprocess.DEVNULL, check=False)
    return child_cpu() - before, time.time() - t0


def score(binary, pred, gold):
    out = subprocess.run([binary, "eval", "--task", "text", "--gold", gold, pred], capture_output=True, text=True, check=True)
    return json.loads(out.stdout)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--storyline", default=os.path.join(ROOT, "target", "release", "storyline"))
    ap.add_argument("--repeat", type=int, default=3, help="runs of each; the least CPU time counts (the machine is noisy)")
    args = ap.parse_args()
    py = venv_python()
    tmp = tempfile.mkdtemp(prefix="storyline-bench-")
    sets = []
    aeb = os.path.join(args.data, "extraction", "aeb")
    aeb_pages = sorted(os.path.join(aeb, "html", f) for f in os.listdir(os.path.join(aeb, "html")))
    sets.append(("aeb", aeb_pages, os.path.join(aeb, "gold.jsonl")))
    wcxb = os.path.join(args.data, "extraction", "wcxb-dev")
    gold_articles = os.path.join(tmp, "wcxb-articles.gold.jsonl")
    wcxb_pages = []
    with open(os.path.join(wcxb, "gold.jsonl")) as src, open(gold_articles, "w") as dst:
        for line in src:
            d = json.loads(line)
            if d.get("page_type") == "article":
                dst.write(line)
                wcxb_pages.append(os.path.join(wcxb, "html", d["id"] + ".html.gz"))
    sets.append(("wcxb-dev articles", wcxb_pages, gold_articles))

    rows = []
    for name, pages, gold in sets:
        listing = os.path.join(tmp, "pages.txt")
        open(listing, "w").write("\n".join(pages))
        ours = os.path.join(tmp, "ours.json")
        theirs = os.path.join(tmp, "theirs.jsonl")
        our_cpu, their_cpu = float("inf"), float("inf")
        for _ in range(max(1, args.repeat)):
            # One thread, so that CPU seconds are not inflated by two hyperthreads sharing a core.
            cpu, _ = run_storyline(args.storyline, pages, ours, threads=1)
            our_cpu = min(our_cpu, cpu)
            peer = subprocess.run([py, "-c", PEER, listing, theirs], capture_output=True, text=True, check=True)
            their_cpu = min(their_cpu, float(peer.stdout.strip().splitlines()[-1]))
        _, our_wall = run_storyline(args.storyline, pages, ours, threads=os.cpu_count() or 1)
        s_ours, s_theirs = score(args.storyline, ours, gold), score(args.storyline, theirs, gold)
        rows.append((name, len(pages), our_cpu, our_wall, their_cpu, s_ours, s_theirs))

    print("| set | pages | extractor | shingle-4 F1 | words mean F1 | title exact | author match | date exact | date given where gold has none | CPU s | pages per CPU-s |")
    print("|---|---|---|---|---|---|---|---|---|---|---|")
    for name, n, our_cpu, our_wall, their_cpu, so, st in rows:
        for label, s, cpu in (("storyline", so, our_cpu), ("trafilatura 2.3.1", st, their_cpu)):
            m = s.get("metadata", {})
            g = lambda k: "-" if m.get(k) is None else f"{m[k]:.3f}"
            print(f"| {name} | {s['pages']} | {label} | {s['shingle4']['F1_of_means']:.4f} | {s['words']['mean_F1']:.4f} | "
                  f"{g('title_exact')} | {g('author_match')} | {g('date_exact')} | {g('date_invented')} | {cpu:.2f} | {s['pages'] / cpu:.0f} |")
    for name, n, our_cpu, our_wall, their_cpu, so, st in rows:
        print(f"\n{name}: storyline {n / our_cpu:.0f} pages per CPU-second ({our_wall:.1f} s wall on all cores), "
              f"trafilatura {n / their_cpu:.0f}: {their_cpu / our_cpu:.1f}x; unmatched pages: ours {so['unmatched_gold']}, theirs {st['unmatched_gold']}")


if __name__ == "__main__":
    main()
