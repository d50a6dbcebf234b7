#!/usr/bin/env python3
"""Synthetic diplomatic news articles for load, crash and fuzz tests.

Writes N articles built from templates over the project's own gazetteer (data/people.tsv:
office holders with their country, title and term; data/countries.tsv: names, demonyms,
capitals): visits, meetings, phone calls, talks, agreements, criticism, planned and cancelled
trips, with varied countries, people, dates and URLs. Every article has a unique URL and text.
No dev-set text is used. Deterministic for a given --seed.

    scripts/gen_articles.py --count 5000 --out DIR [--per-file 100] [--seed 7]

DIR receives articles-NNNN.jsonl files (JSON Lines: text, url, title, published, source) and,
with --with-seed, the seed fixture crates/ingest/tests/data/tehran-2020-07-22.txt as plain text.
"""

import argparse
import datetime as dt
import json
import random
import shutil
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SEED_ARTICLE = ROOT / "crates/ingest/tests/data/tehran-2020-07-22.txt"
SOURCES = ["Wire Desk", "Daily Courier", "Global Monitor", "Tribune Online", "Evening Post"]
WEEKDAYS = ["Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday"]
TOPICS = ["trade", "energy", "security", "water sharing", "border crossings", "investment",
          "climate policy", "regional stability", "transport links", "health cooperation"]

LEADS = [
    "{a_dem} {a_title} {a_name} arrived in {b_cap} on {wd} for a two-day visit to discuss {topic}.",
    "{a_dem} {a_title} {a_name} met with {b_dem} {b_title} {b_name} in {b_cap} on {wd}.",
    "{a_dem} {a_title} {a_name} held talks by phone with {b_dem} {b_title} {b_name} on {wd}.",
    "{a_country} and {b_country} signed an agreement on {topic} on {wd}.",
    "{a_dem} {a_title} {a_name} hosted {b_dem} {b_title} {b_name} in {a_cap} on {wd}.",
    "{a_country} criticized {b_country} on {wd} over its stance on {topic}.",
]
BODY = [
    "{a_name} said the two countries would deepen cooperation on {topic}.",
    "{b_name} praised the talks as constructive, according to a statement.",
    "{a_name} will visit {c_cap} next month, officials said.",
    "A planned trip by {b_name} to {c_country} was postponed.",
    "{a_country} also hailed its ties with {c_country}.",
    "Officials from {c_country} did not comment.",
    "The talks covered {topic2} and {topic}.",
    "{b_dem} officials said {b_name} had invited {a_name} to {b_cap}.",
]


def load_people():
    people = []
    for line in (ROOT / "data/people.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) < 5 or not cols[1] or not cols[2] or not cols[3]:
            continue
        name, iso3, title, start, end = cols[:5]
        try:
            start = dt.date.fromisoformat(start)
            end = dt.date.fromisoformat(end) if end else dt.date(2025, 12, 31)
        except ValueError:
            continue
        if end > start and start.year >= 1990:
            people.append((name, iso3, title, start, end))
    return people


def load_countries():
    countries = {}
    for line in (ROOT / "data/countries.tsv").read_text(encoding="utf-8").splitlines():
        if line.startswith("#"):
            continue
        cols = line.split("\t")
        if len(cols) >= 6 and cols[2] and cols[4] and cols[5]:
            countries[cols[0]] = (cols[2], cols[4].split("|")[0], cols[5].split("|")[0])
    return countries


def pick_pair(rng, people, countries):
    while True:
        a, b = rng.sample(people, 2)
        if a[1] == b[1] or a[1] not in countries or b[1] not in countries:
            continue
        start, end = max(a[3], b[3]), min(a[4], b[4])
        if start < end:
            day = start + dt.timedelta(days=rng.randrange((end - start).days))
            return a, b, day


def article(i, rng, people, countries):
    a, b, day = pick_pair(rng, people, countries)
    c_code = rng.choice([k for k in countries if k not in (a[1], b[1])])
    (a_country, a_dem, a_cap), (b_country, b_dem, b_cap) = countries[a[1]], countries[b[1]]
    c_country, _, c_cap = countries[c_code]
    published = day + dt.timedelta(days=rng.randrange(0, 3))
    fields = dict(
        a_name=a[0], a_title=a[2], a_dem=a_dem, a_country=a_country, a_cap=a_cap,
        b_name=b[0], b_title=b[2], b_dem=b_dem, b_country=b_country, b_cap=b_cap,
        c_country=c_country, c_cap=c_cap, wd=WEEKDAYS[day.weekday()],
        topic=rng.choice(TOPICS), topic2=rng.choice(TOPICS),
    )
    sentences = [rng.choice(LEADS).format(**fields)]
    sentences += [s.format(**fields) for s in rng.sample(BODY, rng.randrange(2, 6))]
    sentences.append(f"The statement was numbered {i + 1} in the ministry's series.")
    dateline = rng.choice([a_cap, b_cap]).upper()
    header = rng.choice([f"date {published} {dateline} — ", f"{dateline} (Wire) - ", ""])
    text = header + "\n\n".join(sentences) + "\n"
    slug = f"{a[1].lower()}-{b[1].lower()}-{i + 1:05d}"
    return {
        "text": text,
        "url": f"https://news.example/{published:%Y/%m/%d}/{slug}",
        "title": f"{a_country} and {b_country}: {fields['topic']}",
        "published": published.isoformat(),
        "source": rng.choice(SOURCES),
    }


def main():
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--count", type=int, default=5000)
    ap.add_argument("--out", type=Path, required=True)
    ap.add_argument("--per-file", type=int, default=100)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--with-seed", action="store_true", help="also copy the seed fixture article")
    args = ap.parse_args()
    rng = random.Random(args.seed)
    people, countries = load_people(), load_countries()
    args.out.mkdir(parents=True, exist_ok=True)
    count = args.count
    if args.with_seed:
        shutil.copyfile(SEED_ARTICLE, args.out / "seed-tehran-2020-07-22.txt")
        count -= 1
    for start in range(0, count, args.per_file):
        path = args.out / f"articles-{start // args.per_file:04d}.jsonl"
        with path.open("w", encoding="utf-8") as f:
            for i in range(start, min(start + args.per_file, count)):
                f.write(json.dumps(article(i, rng, people, countries), ensure_ascii=False) + "\n")
    print(f"{args.count} articles in {args.out}")


if __name__ == "__main__":
    main()
