#!/usr/bin/env python3
"""Story clustering: quality on ECB+ and MStream, and assignment speed at scale.

usage: bench/stories.py [--data ../shared/data] [--sizes 10000,100000,1000000]

Quality (online, as `storyline analyze` runs it: families in arrival order, one pass):
- ECB+ test split alone, in file order and in two shuffled orders (seeds 1 and 2), as the issue
  asks; and the whole corpus (982 articles, all splits) in file order, scored per split.
- MStream News and News-T (titles only, in their given order).
Speed: `cargo bench --bench stories` on synthetic streams mutated from ECB+ events (see
benches/stories.rs). Prints Markdown tables for BENCHMARKS.md. Python standard library only;
needs `cargo build --release` first.
"""
import argparse, json, os, random, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.join(ROOT, "target", "release", "storyline")
KEYS = ["pair_P", "pair_R", "pair_F1", "ARI", "bcubed_F1", "NMI", "pred_clusters", "gold_clusters"]


def analyze(inp, out):
    subprocess.run([BIN, "analyze", inp, "--out", out], check=True, capture_output=True)


def evaluate(gold, report, where=None):
    cmd = [BIN, "eval", "--task", "stories", "--gold", gold, report]
    if where:
        cmd += ["--where", where]
    return json.loads(subprocess.run(cmd, check=True, capture_output=True, text=True).stdout)


def row(name, m):
    return "| " + name + " | " + " | ".join(
        f"{m[k]:.4f}" if isinstance(m[k], float) else str(m[k]) for k in KEYS) + " |"


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--sizes", default="10000,100000,1000000")
    args = ap.parse_args()
    ecb = os.path.join(args.data, "stories", "ecbplus")
    ms = os.path.join(args.data, "stories", "mstream")
    tmp = tempfile.mkdtemp(prefix="storyline-stories-")
    gold = {json.loads(l)["id"]: json.loads(l) for l in open(os.path.join(ecb, "gold.jsonl"))}
    lines = [l for l in open(os.path.join(ecb, "articles.jsonl"))]
    test = [l for l in lines if gold[json.loads(l)["id"]]["split"] == "test"]
    print("| run | " + " | ".join(KEYS) + " |")
    print("|" + "---|" * (len(KEYS) + 1))
    for name, order in [("ECB+ test, file order", test),
                        ("ECB+ test, shuffled (seed 1)", random.Random(1).sample(test, len(test))),
                        ("ECB+ test, shuffled (seed 2)", random.Random(2).sample(test, len(test)))]:
        inp = os.path.join(tmp, "in.jsonl")
        open(inp, "w").writelines(order)
        analyze(inp, os.path.join(tmp, "out.json"))
        print(row(name, evaluate(os.path.join(ecb, "gold.jsonl"), os.path.join(tmp, "out.json"),
                                 "split=test")), flush=True)
    analyze(os.path.join(ecb, "articles.jsonl"), os.path.join(tmp, "all.json"))
    for split in ["train", "dev", "test"]:
        print(row(f"ECB+ all 982 in file order, scored on {split}",
                  evaluate(os.path.join(ecb, "gold.jsonl"), os.path.join(tmp, "all.json"),
                           f"split={split}")), flush=True)
    for name in ["News", "News-T"]:
        out = os.path.join(tmp, f"{name}.json")
        analyze(os.path.join(ms, f"{name}.articles.jsonl"), out)
        print(row(f"MStream {name}", evaluate(os.path.join(ms, f"{name}.gold.jsonl"), out)),
              flush=True)

    print()
    print("| synthetic articles | articles/s (one core) | p50 / p99 / max latency (µs) "
          "| p50 / p99 over the last 10k (µs) | clusterer bytes/article | resident bytes/article "
          "| stories (gold) | pair P / R |")
    print("|" + "---|" * 8)
    for n in [int(s) for s in args.sizes.split(",") if s]:
        r = subprocess.run(["cargo", "bench", "-q", "--bench", "stories", "--", ecb, str(n)],
                           cwd=ROOT, check=True, capture_output=True, text=True)
        o = json.loads(r.stdout.strip().splitlines()[-1])
        lat, last = o["latency_us"], o["latency_us_last_10k"]
        print(f"| {n:,} | {o['articles_per_second']:,.0f} | {lat['p50']} / {lat['p99']} / {lat['max']} "
              f"| {last['p50']} / {last['p99']} | {o['clusterer_bytes_per_article']:,.0f} "
              f"| {o['resident_bytes_per_article']:,.0f} | {o['stories']:,} ({o['gold_stories']:,}) "
              f"| {o['pair_P']:.3f} / {o['pair_R']:.3f} |", flush=True)


if __name__ == "__main__":
    sys.exit(main())
