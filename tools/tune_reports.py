#!/usr/bin/env python3
"""Writes the reports `tools/tune_stories.rs` learns the story clusterer's parameters from.

usage: tools/tune_reports.py OUTDIR [--data ../shared/data] [--orders 8]

ECB+ train alone and dev alone, each in file order and shuffled with Python's
`random.Random(seed).sample` for seeds 1 to ORDERS-1 (as `bench/stories.py` shuffles test), each
run through `storyline analyze` (build it first: `cargo build --release`). Writes
OUTDIR/train0.json ... OUTDIR/dev7.json and prints the tuner's command line. Two splits in many
orders: a long stream (575 articles) and a short one (197, as test's 210) both weigh in the
choice, and the spread between orders, which is as large as the differences between good
parameters, averages out. Python standard library only.
"""
import argparse, json, os, random, subprocess, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
BIN = os.path.join(ROOT, "target", "release", "storyline")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("outdir")
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--orders", type=int, default=8)
    args = ap.parse_args()
    ecb = os.path.join(args.data, "stories", "ecbplus")
    gold = {}
    for line in open(os.path.join(ecb, "gold.jsonl")):
        g = json.loads(line)
        gold[g["id"]] = g["split"]
    lines = list(open(os.path.join(ecb, "articles.jsonl")))
    os.makedirs(args.outdir, exist_ok=True)
    reports = []
    for split in ["train", "dev"]:
        xs = [l for l in lines if gold.get(json.loads(l)["id"]) == split]
        for seed in range(args.orders):
            order = xs if seed == 0 else random.Random(seed).sample(xs, len(xs))
            inp = os.path.join(args.outdir, f"{split}{seed}.jsonl")
            out = os.path.join(args.outdir, f"{split}{seed}.json")
            open(inp, "w").writelines(order)
            subprocess.run([BIN, "analyze", inp, "--out", out], check=True, capture_output=True)
            os.remove(inp)
            reports.append(out)
    print("cargo run --release --example tune_stories --",
          os.path.join(ecb, "gold.jsonl"), " ".join(reports))


if __name__ == "__main__":
    sys.exit(main())
