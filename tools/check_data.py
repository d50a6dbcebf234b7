#!/usr/bin/env python3
"""Sanity checks for data/*.tsv (stdlib only). Exit 1 on failure.  python3 tools/check_data.py"""
import os, sys, unicodedata, re

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
D = os.path.join(ROOT, "data")


def key(s):
    s = "".join(c for c in unicodedata.normalize("NFKD", s) if not unicodedata.combining(c))
    return re.sub(r"\s+", " ", s.strip()).casefold()


def load(fn):
    rows, hdr = [], None
    with open(os.path.join(D, fn), encoding="utf-8") as f:
        for line in f:
            line = line.rstrip("\n")
            if line.startswith("#") and "\t" in line and hdr is None:
                hdr = line[1:].split("\t")
                continue
            if line.startswith("#") or not line:
                continue
            rows.append(line.split("\t"))
    return hdr, rows


fail = []
def check(cond, msg):
    print(("ok   " if cond else "FAIL ") + msg)
    if not cond:
        fail.append(msg)

files = {}
for fn in ["countries.tsv", "cities.tsv", "organizations.tsv", "titles.tsv", "people.tsv", "overrides.tsv"]:
    hdr, rows = load(fn)
    files[fn] = rows
    print(f"{fn}: {len(rows)} rows, columns {hdr}")
    check(all(len(r) == len(hdr) for r in rows) if fn != "overrides.tsv" else all(len(r) == 4 for r in rows),
          f"{fn}: every row has {len(hdr)} fields")
    check(all("\r" not in f for r in rows for f in r), f"{fn}: no CR in fields")

C = files["countries.tsv"]
check(len(C) >= 195, "countries >= 195")
isos = {r[0] for r in C}
for i in "IRN IRQ SAU ARE GBR USA CHN RUS VAT PSE XKX SUN YUG CSK DDR TWN HKG MAC ESH GRL PRI".split():
    check(i in isos, f"country {i} present")
term = {}
for r in C:
    for t in [r[2]] + [x for x in r[3].split("|") if x] + [x for x in r[4].split("|") if x]:
        check(key(t) not in term or term[key(t)] == r[0], f"country term {t!r} unique") if key(t) in term and term[key(t)] != r[0] else None
        term[key(t)] = r[0]
for t, i in [("Iraqi", "IRQ"), ("Saudi", "SAU"), ("Emirati", "ARE"), ("Britain", "GBR"), ("U.S.", "USA"),
             ("Iranian", "IRN"), ("UAE", "ARE"), ("Soviet", "SUN"), ("West Germany", "DEU"), ("Burma", "MMR")]:
    check(term.get(key(t)) == i, f"{t!r} -> {i}")

ov = files["overrides.tsv"]
regions = {key(r[1]) for r in ov if r[0] == "region"}
nap = {key(r[1]) for r in ov if r[0] == "not_a_place"}
for r in ["Persian Gulf", "Caspian", "Gulf", "Arab", "European", "African", "Latin"]:
    check(key(r) not in term, f"region/adjective {r!r} is not a country term")

Ci = files["cities.tsv"]
city = {}
for r in Ci:
    for t in [r[0]] + [x for x in r[4].split("|") if x]:
        k = key(t)
        if k in city and city[k] != (r[0], r[1]) and k != key(r[0]):
            check(False, f"city term {t!r} used by two cities")
        city.setdefault(k, (r[0], r[1]))
for n, i in [("Tehran", "IRN"), ("Baghdad", "IRQ"), ("Erbil", "IRQ"), ("Peking", "CHN"), ("Beijing", "CHN"),
             ("Washington", "USA"), ("Paris", "FRA"), ("Tripoli", "LBY"), ("Santiago", "CHL"), ("Valencia", "ESP"),
             ("Hyderabad", "IND"), ("Birmingham", "GBR"), ("Kiev", "UKR"), ("Leningrad", "RUS"), ("Berne", "CHE")]:
    check(city.get(key(n), ("", ""))[1] == i, f"city {n} -> {i}")
both = sorted(k for k in city if k in term)
check(not both, f"no name is both a country term and a city term {both[:10]}")
check(not [k for k in city if k in regions], "no city term is a region")
check(not [k for k in city if k in nap], "no city term is in not_a_place / stop list")
check("georgia" not in city, "Georgia is not a city")
check(all(re.fullmatch(r"[A-Z][^\d]*", a) and all(ord(c) < 128 for c in a)
          for r in Ci for a in r[4].split("|") if a), "city alternates are ASCII proper-name forms")
check(all(len([a for a in r[4].split("|") if a]) <= 5 for r in Ci), "<= 5 alternates per city")
check(all(r[3] in ("capital", "city") for r in Ci), "city kind in {capital, city}")
check(all(r[1] in ("igo", "agency", "news_agency", "party", "ngo", "company") for r in files["organizations.tsv"]), "org kinds valid")
P = files["people.tsv"]
check(all(re.fullmatch(r"(\d{4}-\d\d-\d\d)?", r[3]) and re.fullmatch(r"(\d{4}-\d\d-\d\d)?", r[4]) for r in P), "people dates YYYY-MM-DD or empty")
check(all(r[1] == "" or r[1] in isos for r in P), "people iso3 valid")
size = sum(os.path.getsize(os.path.join(D, f)) for f in os.listdir(D))
check(size < 2_000_000, f"data/ size {size} bytes < 2 MB")
sys.exit(1 if fail else 0)
