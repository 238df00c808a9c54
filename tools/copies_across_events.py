#!/usr/bin/env python3
"""Checks that no copy relation of a `storyline analyze` report joins articles of two gold
events, except where the corpus itself files one text under both (the two texts are one report,
one maybe cut from the other: >= 0.9 of the shorter one's word 4-shingles are in the longer).

usage: python3 tools/copies_across_events.py REPORT.json GOLD.jsonl

GOLD.jsonl holds {url, story} (as ../shared/data/stories/gva-dev/gold.jsonl). Prints each copy
relation across events, with whether the corpus filed one text twice; exits 1 if any other is
found. Python standard library only.
"""
import json, re, sys


def shingles(text):
    w = re.findall(r"\w+", text.lower())
    return {tuple(w[i:i + 4]) for i in range(max(1, len(w) - 3))}


def main():
    if len(sys.argv) < 3:
        sys.exit(__doc__)
    report = json.load(open(sys.argv[1], encoding="utf-8"))
    gold = {}
    for line in open(sys.argv[2], encoding="utf-8"):
        if line.strip():
            g = json.loads(line)
            gold[g["url"]] = g["story"]
    arts = {a["id"]: a for a in report["articles"]}
    key = lambda a: a.get("url") or a["origin"]
    relations, same_text, bad = 0, [], []
    for f in report["families"]:
        o = arts[f["original"]]
        for m in f["members"]:
            if m["relation"] == "original":
                continue
            relations += 1
            a = arts[m["article"]]
            go, ga = gold.get(key(o)), gold.get(key(a))
            if go is None or ga is None or go == ga:
                continue
            so, sa = shingles(o["text"]), shingles(a["text"])
            contained = len(so & sa) / max(1, min(len(so), len(sa)))
            line = f"{m['relation']} {key(o)} ({go}) <- {key(a)} ({ga}), shorter text {contained:.2f} in the other"
            (same_text if contained >= 0.9 else bad).append(line)
    print(f"{relations} copy relations; {len(same_text)} across events where the corpus files one "
          f"text under both; {len(bad)} other")
    for line in same_text:
        print("  one text, two events:", line)
    for line in bad:
        print("  ACROSS EVENTS:", line, file=sys.stderr)
    sys.exit(1 if bad else 0)


if __name__ == "__main__":
    main()
