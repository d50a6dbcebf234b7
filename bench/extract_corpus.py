#!/usr/bin/env python3
"""Builds the extractor speed-benchmark corpus: 4,000 articles as JSON Lines.

    python3 bench/extract_corpus.py [OUT] [--count N] [--devset DIR]

Each line is {"text", "title", "published", "url"}. The texts are real: the seed article
(crates/ingest/tests/data/tehran-2020-07-22.txt, kept with its `date 2020-07-22 TEHRAN —`
header) and the 25 articles of the shared development set (../shared/eval/devset/articles/*.json),
taken in turn (26 distinct texts) and repeated until N lines, each with its own URL.

The dev-set texts are for research only: they are read from ../shared at run time and the corpus is
written outside the project (default /tmp/diplograph-corpus.jsonl). Never commit the output.
Deterministic: the same inputs give the same bytes.
"""

import argparse
import glob
import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
ROOT = os.path.dirname(HERE)
SEED = os.path.join(ROOT, "crates", "ingest", "tests", "data", "tehran-2020-07-22.txt")
DEVSET = os.path.normpath(os.path.join(ROOT, "..", "shared", "eval", "devset", "articles"))


def sources(devset_dir):
    """The distinct real texts, seed first, then the dev set in file-name order."""
    with open(SEED, encoding="utf-8") as f:
        seed = f.read()
    items = [{"id": "seed-tehran-2020-07-22", "text": seed, "title": None, "published": "2020-07-22"}]
    paths = sorted(glob.glob(os.path.join(devset_dir, "*.json")))
    if not paths:
        sys.exit(f"error: no dev-set articles in {devset_dir}")
    for path in paths:
        with open(path, encoding="utf-8") as f:
            art = json.load(f)
        items.append(
            {
                "id": art.get("id") or os.path.splitext(os.path.basename(path))[0],
                "text": art["text"],
                "title": art.get("title"),
                "published": art.get("published"),
            }
        )
    return items


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default="/tmp/diplograph-corpus.jsonl")
    ap.add_argument("--count", type=int, default=4000, help="articles to write (default 4000)")
    ap.add_argument("--devset", default=DEVSET, help="folder of dev-set article JSON files")
    args = ap.parse_args()

    items = sources(args.devset)
    out_abs = os.path.abspath(args.out)
    if out_abs.startswith(ROOT + os.sep):
        sys.exit("error: write the corpus outside the project (the dev-set texts must not be copied in)")
    total = 0
    with open(args.out, "w", encoding="utf-8") as f:
        for i in range(args.count):
            item = items[i % len(items)]
            line = json.dumps(
                {
                    "text": item["text"],
                    "title": item["title"],
                    "published": item["published"],
                    "url": f"https://bench.example.invalid/{item['id']}/{i:05d}",
                },
                ensure_ascii=False,
            )
            f.write(line + "\n")
            total += len(item["text"].encode("utf-8"))
    print(
        f"{args.out}: {args.count} articles from {len(items)} distinct texts, "
        f"{total} bytes of article text ({total / 1e6:.2f} MB), {os.path.getsize(args.out)} bytes of JSON Lines",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
