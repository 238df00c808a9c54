#!/usr/bin/env python3
"""Look-alike events: where and when in the story decision, on gva-dev and the SemEval pairs.

usage: bench/events.py [--data ../shared/data] [--fit]

- gva-dev (dated local shootings, 1,957 articles, 1,174 incidents), as `storyline analyze` runs
  it with the shipped weights.
- Cross-validation by time, as the issue asks: gva-dev sorted by publication date and cut in
  two halves (up to 2015-04-05, from 2015-04-07); `fit_events` learns the evidence weights on one
  half and scores the other, both ways (`tools/fit_events.rs`, one round).
- With --fit: the weights fitted on both halves together, which the clusterer ships
  (`EVENT_WEIGHTS` in src/stories/mod.rs).
- SemEval-2022 Task 8 train pairs, each pair analyzed alone (`../shared/eval/pairs.py`), and
  the cross-language share of the threshold chosen by five-fold cross-validation
  (`tools/fit_pairs.rs`).
Python standard library only; needs `cargo build --release --examples` and the release binary
first.
"""
import argparse, json, os, subprocess, sys, tempfile

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
BIN = os.path.join(ROOT, "target", "release", "storyline")
FIT = os.path.join(ROOT, "target", "release", "examples", "fit_events")
PAIRS = os.path.join(ROOT, "target", "release", "examples", "fit_pairs")


def run(cmd):
    return subprocess.run(cmd, check=True, capture_output=True, text=True).stdout


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--data", default=os.path.join(ROOT, "..", "shared", "data"))
    ap.add_argument("--fit", action="store_true")
    args = ap.parse_args()
    gva = os.path.join(args.data, "stories", "gva-dev")
    gold = os.path.join(gva, "gold.jsonl")
    with tempfile.TemporaryDirectory() as d:
        whole = os.path.join(d, "gva.json")
        run([BIN, "analyze", os.path.join(gva, "articles.jsonl"), "--out", whole])
        s = json.loads(run([BIN, "eval", "--task", "stories", "--gold", gold, whole]))
        print("| run | pair P | pair R | pair F1 | ARI | B-cubed F1 |")
        print("|---|---|---|---|---|---|")
        print(f"| gva-dev, analyze (shipped weights) | {s['pair_P']:.4f} | {s['pair_R']:.4f} | "
              f"{s['pair_F1']:.4f} | {s['ARI']:.4f} | {s['bcubed_F1']:.4f} |")
        lines = sorted(open(os.path.join(gva, "articles.jsonl"), encoding="utf-8"),
                       key=lambda l: json.loads(l)["published"])
        half = len(lines) // 2
        reports = {}
        for name, part in [("early", lines[:half]), ("late", lines[half:])]:
            inp = os.path.join(d, f"{name}.jsonl")
            with open(inp, "w", encoding="utf-8") as f:
                f.writelines(part)
            reports[name] = os.path.join(d, f"{name}.json")
            run([BIN, "analyze", inp, "--out", reports[name]])
        for train, test in [("early", "late"), ("late", "early")]:
            out = run([FIT, gold, "--train", reports[train], "--test", reports[test],
                       "--rounds", "1"])
            weights = out.splitlines()[0].split('"event": ')[1]
            for line in out.splitlines():
                if line.startswith("test"):
                    kind = "without evidence" if "without" in line else f"with {weights}"
                    print(f"| fit on {train}, scored on {test}, {kind} | "
                          + " | ".join(line.split(":", 1)[1].replace("pair ", "").replace(
                              "ARI", "").replace("B3 F1", "").replace("P ", "").replace(
                              "R ", "").replace("F1 ", "").split()) + " |")
        if args.fit:
            out = run([FIT, gold, "--train", reports["early"], reports["late"], "--rounds", "1"])
            print("\nfitted on both halves:", out.splitlines()[0])
    pairs = os.path.join(args.data, "stories", "semeval2022-pairs", "train.csv")
    p = json.loads(run([sys.executable, os.path.join(ROOT, "..", "shared", "eval", "pairs.py"),
                        BIN, pairs, "--jobs", "2"]))
    print("\n" + run([PAIRS, pairs]))
    print("| SemEval train pairs | joined | apart | pairs joined / apart |")
    print("|---|---|---|---|")
    for g in ["en", "mono", "cross"]:
        print(f"| {g} | {p[g]['joined']:.4f} | {p[g]['apart']:.4f} | "
              f"{p[g]['joined_n']} / {p[g]['apart_n']} |")


if __name__ == "__main__":
    sys.exit(main())
