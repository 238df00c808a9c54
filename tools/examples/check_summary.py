#!/usr/bin/env python3
"""Checks a `storyline analyze` report of examples/ against the report contract the example
corpus plants: every story shows a conflict between sources, and no summary sentence cites a
family that states another value of a fact the sentence carries.

usage: python3 tools/examples/check_summary.py REPORT.json [--stories N]

A sentence carries a value when the value as the conflict shows it ("about 2.4 million", "Hiro
Sato", "1961") appears in it as words; where values nest ("president" in "former president"),
the longest one found is the one it carries. Exits 1 with each failure on a line.
"""
import json, re, sys


def carries(sentence, value):
    return re.search(r"(?<!\w)" + re.escape(value.lower()) + r"(?!\w)", sentence.lower()) is not None


def main():
    if len(sys.argv) < 2:
        sys.exit(__doc__)
    report = json.load(open(sys.argv[1], encoding="utf-8"))
    want = int(sys.argv[sys.argv.index("--stories") + 1]) if "--stories" in sys.argv else None
    bad = []
    stories = report["stories"]
    if want is not None and len(stories) != want:
        bad.append(f"{len(stories)} stories, expected {want}")
    for s in stories:
        between = [c for c in s["conflicts"] if not c.get("within_family")]
        if not between:
            bad.append(f"story {s['id']} ({s['title']}): no conflict between sources")
        for x in s["summary"]:
            for c in between:
                found = [v for v in c["values"] if carries(x["sentence"], v["value"])]
                if not found:
                    continue
                carried = max(found, key=lambda v: len(v["value"]))
                others = {f for v in c["values"] if v is not carried for f in v["families"]}
                wrong = others & set(x["support"])
                if wrong:
                    bad.append(f"story {s['id']}: \"{x['sentence']}\" carries {carried['value']!r} "
                               f"of {c['subject']} but cites {sorted(wrong)}, which state another value")
    n = sum(len(s["summary"]) for s in stories)
    print(f"{len(stories)} stories, {sum(1 for s in stories if any(not c.get('within_family') for c in s['conflicts']))} "
          f"with a conflict between sources, {n} summary sentences checked")
    if bad:
        print("\n".join(bad), file=sys.stderr)
        sys.exit(1)


if __name__ == "__main__":
    main()
