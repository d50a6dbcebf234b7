#!/usr/bin/env python3
"""Builds the ingest benchmark corpus: N distinct articles as JSON Lines (default 10,000).

    python3 bench/ingest_corpus.py [OUT] [--count N] [--devset DIR]

The texts are the real ones of the extractor benchmark (bench/extract_corpus.py): the seed article
and the 25 articles of the shared development set, taken in turn. Storing is idempotent (the same
URL or the same normalized text is a duplicate), so each copy gets its own URL and one closing line
of its own (`Bench copy 123 of seed-tehran-2020-07-22.`): every article is new to the store, and
the extractor sees the same sentences plus one without events.

The dev-set texts are for research only: they are read from ../shared at run time and the corpus is
written outside the project (default /tmp/diplograph-ingest-corpus.jsonl). Never commit the output.
Deterministic: the same inputs give the same bytes.
"""

import argparse
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from extract_corpus import DEVSET, ROOT, sources  # noqa: E402


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("out", nargs="?", default="/tmp/diplograph-ingest-corpus.jsonl")
    ap.add_argument("--count", type=int, default=10000, help="articles to write (default 10000)")
    ap.add_argument("--devset", default=DEVSET, help="folder of dev-set article JSON files")
    args = ap.parse_args()

    if os.path.abspath(args.out).startswith(ROOT + os.sep):
        sys.exit("error: write the corpus outside the project (the dev-set texts must not be copied in)")
    items = sources(args.devset)
    total = 0
    with open(args.out, "w", encoding="utf-8") as f:
        for i in range(args.count):
            item = items[i % len(items)]
            text = f"{item['text'].rstrip()}\n\nBench copy {i} of {item['id']}.\n"
            line = {
                "text": text,
                "title": item["title"],
                "published": item["published"],
                "url": f"https://bench.example.invalid/ingest/{item['id']}/{i:05d}",
            }
            f.write(json.dumps(line, ensure_ascii=False) + "\n")
            total += len(text.encode("utf-8"))
    print(
        f"{args.out}: {args.count} articles from {len(items)} distinct texts, "
        f"{total / 1e6:.2f} MB of article text, {os.path.getsize(args.out)} bytes of JSON Lines",
        file=sys.stderr,
    )


if __name__ == "__main__":
    main()
