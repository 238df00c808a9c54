#!/usr/bin/env python3
"""Fits the stories stage's length model (`Params::rho`, `Params::length_scale`) on labelled data.

usage: python3 tools/fit_length.py [GOLD.jsonl ARTICLES.jsonl [SPLIT,SPLIT]]
       (default: ../shared/data/stories/ecbplus, splits train,dev)

Each text is cut to its first m distinct body terms (m = 3, 5, 8, 12, 20, 32, and the whole
text, at most the 64 a unit keeps), and its TF-IDF cosine with the sum of the other texts of
its event (each at most 64 terms, the sum at most 128, as a story keeps them) is averaged per
m. The curve rho * sqrt(m / (m + length_scale)) is fitted by least squares: rho for each
length_scale on a grid of quarters, the pair with the smallest error kept.

Terms are read as the stage reads them (lower-cased words, stop words and one-letter words
out, a plural `s` dropped); the IDF counts the texts read plus the stage's background table
at weight 4 and a prior of 4000 empty units (`Params::background`, `Params::idf_prior`). Words
are split on letters, digits, apostrophes and hyphens, a close approximation of `text::words`.
"""
import collections
import json
import math
import os
import re
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SRC = os.path.join(ROOT, "src", "stories", "mod.rs")
BACKGROUND = os.path.join(ROOT, "src", "stories", "background.tsv")
BACKGROUND_WEIGHT = 4
PRIOR = 4000
UNIT_TERMS = 64
STORY_TERMS = 128
LENGTHS = [3, 5, 8, 12, 20, 32]


def stopwords():
    """The stage's stop words, read from its source so the two cannot drift apart."""
    src = open(SRC, encoding="utf-8").read()
    m = re.search(r'const STOPWORDS: &str = "(.*?)";', src, re.S)
    return set(m.group(1).replace("\\\n", " ").split())


STOP = stopwords()


def stem(w):
    if w.endswith("s") and len(w) - 1 >= 3 and not w[:-1].endswith("s") and not w[:-1].endswith("'"):
        return w[:-1]
    return w


def terms(text):
    out = []
    for w in re.findall(r"[\w'\u2019-]+", text):
        lower = w.lower()
        if lower in STOP or len(lower) < 2:
            continue
        out.append(stem(lower))
    return out


def main():
    data = os.path.join(ROOT, "..", "shared", "data", "stories", "ecbplus")
    gold_path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(data, "gold.jsonl")
    art_path = sys.argv[2] if len(sys.argv) > 2 else os.path.join(data, "articles.jsonl")
    splits = set((sys.argv[3] if len(sys.argv) > 3 else "train,dev").split(","))

    background, texts = {}, 0
    for line in open(BACKGROUND, encoding="utf-8"):
        parts = line.rstrip("\n").split("\t")
        if len(parts) == 2 and parts[1].isdigit():
            background[parts[0]] = int(parts[1])
        elif len(parts) == 1 and parts[0].isdigit():
            texts = int(parts[0])

    gold = {}
    for line in open(gold_path, encoding="utf-8"):
        g = json.loads(line)
        if g.get("split") in splits:
            gold[g["id"]] = g["story"]
    docs = {}
    for line in open(art_path, encoding="utf-8"):
        a = json.loads(line)
        if a["id"] in gold:
            docs[a["id"]] = terms((a.get("title") or "") + "\n" + (a.get("text") or ""))

    df = collections.Counter()
    for t in docs.values():
        df.update(set(t))
    units = len(docs) + texts * BACKGROUND_WEIGHT + PRIOR

    def idf(t):
        n = df[t] + background.get(t, 0) * BACKGROUND_WEIGHT
        return max(0.0, math.log(units + 0.5) - math.log(n + 0.5))

    def raw(ts, keep=UNIT_TERMS):
        c = collections.Counter(ts)
        v = {t: 1 + math.log(n) for t, n in c.items()}
        top = sorted(v, key=lambda t: (-v[t] * idf(t), t))[:keep]
        return {t: v[t] for t in top}

    def cosine(u, c):
        uw = {t: x * idf(t) for t, x in u.items()}
        cw = {t: x * idf(t) for t, x in c.items()}
        nu = math.sqrt(sum(x * x for x in uw.values()))
        nc = math.sqrt(sum(x * x for x in cw.values()))
        if nu == 0 or nc == 0:
            return 0.0
        return sum(x * cw.get(t, 0.0) for t, x in uw.items()) / (nu * nc)

    full = {i: raw(t) for i, t in docs.items()}
    events = collections.defaultdict(list)
    for i, e in gold.items():
        if i in docs:
            events[e].append(i)
    by_length = collections.defaultdict(list)
    for ids in events.values():
        if len(ids) < 3:
            continue
        for i in ids:
            others = collections.Counter()
            for j in ids:
                if j != i:
                    others.update(full[j])
            story = dict(sorted(others.items(), key=lambda kv: (-kv[1] * idf(kv[0]), kv[0]))[:STORY_TERMS])
            order = list(dict.fromkeys(docs[i]))
            for m in LENGTHS:
                if len(order) >= m:
                    kept = set(order[:m])
                    by_length[m].append(cosine(raw([t for t in docs[i] if t in kept]), story))
            by_length[min(len(full[i]), UNIT_TERMS)].append(cosine(full[i], story))
    # The whole texts land at their own lengths; they are pooled at the lengths they have.
    points = sorted((m, sum(v) / len(v), len(v)) for m, v in by_length.items() if len(v) >= 5)
    best = None
    for q in range(1, 400):
        scale = q / 4
        f = [(math.sqrt(m / (m + scale)), y, n) for m, y, n in points]
        rho = sum(a * y * n for a, y, n in f) / sum(a * a * n for a, _, n in f)
        err = sum(n * (rho * a - y) ** 2 for a, y, n in f)
        if best is None or err < best[0]:
            best = (err, scale, rho)
    for m, y, n in points:
        if m in LENGTHS or n >= 20:
            print(f"m={m:3d}  mean cosine {y:.4f}  ({n} texts)", file=sys.stderr)
    print(json.dumps({"rho": round(best[2], 3), "length_scale": best[1]}))


if __name__ == "__main__":
    main()
