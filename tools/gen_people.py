#!/usr/bin/env python3
"""Generate data/people.tsv (committed output; the Rust service never runs this).

  python3 tools/gen_people.py [DICT_DIR]      (default: ../shared/data/event-coding/petrarch2)

Reads the Phoenix/PETRARCH actor dictionaries (MIT, Copyright (c) 2014 Open Event Data Alliance):
every `Phoenix.*.actors.txt` in DICT_DIR. A person entry is a block of name lines (`HASSAN_ROUHANI_`,
`+ALIAS_` synonyms) followed by role lines `[IRNGOV >20130804] # comment`. Only role segments whose code
is a country code followed by GOV / MIL / LEG / ELI (e.g. IRNGOV, USAGOVLEG, DEUELI) are kept; entities
with none are skipped, as are generic actors ("AMERICAN_VICE_PRESIDENT"). Then HAND_PEOPLE (below,
hand-curated leaders after 2014) is appended.

Output columns: name iso3 title from to aliases  (one row per role segment; dates YYYY-MM-DD or empty).
Run tools/gen_gazetteer.py first: aliases that collide with a country/city/organization/title term in
data/*.tsv are dropped. Python 3.11 stdlib only; output is sorted and deterministic.
"""
from __future__ import annotations

import glob
import os
import re
import sys
import unicodedata

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DEFAULT_DIR = os.path.join(os.path.dirname(ROOT), "shared", "data", "event-coding", "petrarch2")

CODE_FIX = {"KSV": "XKX"}  # CAMEO codes that are not ISO 3166 alpha-3
ROLE_RE = re.compile(r"^([A-Z]{3})(GOV|MIL|LEG|ELI)[A-Z]*$")
PARTICLES = {"al", "bin", "ibn", "bint", "de", "von", "van", "der", "den", "da", "dos", "del", "du", "la", "el"}
ROMAN = {"ii", "iii", "iv", "vi", "vii", "viii", "jr", "jr.", "sr", "sr."}
# leading honorifics / titles stripped from names and aliases
LEAD_STRIP = {
    "president", "vice", "vice-president", "prime", "minister", "premier", "chancellor", "foreign", "defense",
    "defence", "secretary", "general", "gen.", "gen", "king", "queen", "prince", "princess", "crown", "emir",
    "amir", "sultan", "sheikh", "shaikh", "sheik", "ayatollah", "grand", "hojatolislam", "hojatoleslam",
    "sayyed", "sayed", "seyed", "mr", "mr.", "mrs", "mrs.", "ms", "ms.", "dr", "dr.", "sir", "lord", "senator",
    "sen.", "governor", "gov.", "kanzler", "bundeskanzler", "pope", "cardinal", "ambassador", "envoy",
    "speaker", "deputy", "chief", "commander", "colonel", "col.", "lt.", "field", "marshal", "admiral",
    "president-elect", "leader", "supreme", "former", "ex", "state", "of", "the", "u.s.", "us", "american",
    "united", "states", "russian", "chinese", "german", "british", "french", "iranian", "iraqi", "israeli",
    "syrian", "saudi", "turkish", "egyptian", "indian", "pakistani", "afghan", "japanese", "korean",
    "his", "her", "majesty", "highness", "royal", "excellency", "rep.", "representative", "congressman",
    "general-secretary", "secretary-general", "interior", "finance", "trade", "economy", "oil",
}
# alias tokens that mark a non-person phrase
BAD_TOKENS = {"administration", "government", "regime", "cabinet", "party", "ministry", "office", "forces",
              "army", "supporters", "loyalists", "camp", "family", "era", "team", "aides", "spokesman"}
# generic-actor words: a head name containing one is not a person
GENERIC = {"president", "minister", "government", "official", "officials", "vice", "army", "police", "military",
           "parliament", "senate", "congress", "court", "ministry", "secretary", "ambassador", "embassy",
           "king", "queen", "leader", "leaders", "party", "council", "forces", "administration", "cabinet",
           "premier", "chancellor", "spokesman", "delegation", "general", "regime", "opposition", "junta",
           "troops", "navy", "legislature", "assembly", "diplomat", "diplomats", "authorities", "emir"}
# single-word surnames that are also common English words (found once with /usr/share/dict/words,
# frozen here so the script stays stdlib-only and deterministic)
COMMON_WORDS = set("""
angora bale canaries department fez gent hippo islands kiwi liege limerick marches moron pampas pole port republic saga wales welsh
""".split())
TITLE_MAP = {
    "supreme leader": "Supreme Leader", "prime minister": "Prime Minister", "pm": "Prime Minister",
    "acting pm": "Prime Minister", "pm pt. 1": "Prime Minister", "pm pt. 2": "Prime Minister",
    "dep. pm": "Deputy Prime Minister", "foreign minister": "Foreign Minister",
    "secretary of state": "Secretary of State", "sec state": "Secretary of State",
    "brief acting sec state": "Secretary of State", "sec def": "Defense Minister",
    "president of germany": "President", "chancellor of germany": "Chancellor",
    "national security advisor": "National Security Adviser", "min. of fin.": "Finance Minister",
    "president": "President", "vice president": "Vice President", "dep sec state": "Deputy Secretary of State",
    "under secretary of state for political affairs": "Under Secretary",
}

# Hand-curated: (name, iso3, title, from, to, aliases). Dates only where certain; else "".
HAND_PEOPLE = [
    ("Hassan Rouhani", "IRN", "President", "2013-08-03", "2021-08-03", "Rouhani|Hassan Rohani"),
    ("Ebrahim Raisi", "IRN", "President", "2021-08-03", "2024-05-19", "Raisi|Ebrahim Raeisi"),
    ("Masoud Pezeshkian", "IRN", "President", "2024-07-28", "", "Pezeshkian"),
    ("Mohammad Javad Zarif", "IRN", "Foreign Minister", "2013-08-15", "2021-08-25", "Zarif|Javad Zarif"),
    ("Hossein Amir-Abdollahian", "IRN", "Foreign Minister", "2021-08-25", "2024-05-19", "Amir-Abdollahian|Amirabdollahian"),
    ("Abbas Araghchi", "IRN", "Foreign Minister", "2024-08-21", "", "Araghchi"),
    ("Ali Khamenei", "IRN", "Supreme Leader", "1989-06-04", "", "Ayatollah Ali Khamenei|Khamenei"),
    ("Mustafa al-Kadhimi", "IRQ", "Prime Minister", "2020-05-07", "2022-10-27", "Kadhimi|Mustafa Al-Kadhimi"),
    ("Mohammed Shia al-Sudani", "IRQ", "Prime Minister", "2022-10-27", "", "Sudani|Mohammed Shia Al-Sudani"),
    ("Haider al-Abadi", "IRQ", "Prime Minister", "2014-09-08", "2018-10-25", "Abadi|Haider Al-Abadi"),
    ("Adel Abdul Mahdi", "IRQ", "Prime Minister", "2018-10-25", "2020-05-07", ""),
    ("Salman bin Abdulaziz", "SAU", "King", "2015-01-23", "", "King Salman|Salman"),
    ("Mohammed bin Salman", "SAU", "Crown Prince", "2017-06-21", "", "MBS|Muhammad bin Salman"),
    ("Mohammed bin Salman", "SAU", "Prime Minister", "2022-09-27", "", "MBS|Muhammad bin Salman"),
    ("Faisal bin Farhan", "SAU", "Foreign Minister", "2019-10-23", "", "Prince Faisal bin Farhan"),
    ("Donald Trump", "USA", "President", "2017-01-20", "2021-01-20", "Trump|Donald J. Trump"),
    ("Donald Trump", "USA", "President", "2025-01-20", "", "Trump|Donald J. Trump"),
    ("Joe Biden", "USA", "President", "2021-01-20", "2025-01-20", "Biden|Joseph Biden|Joseph R. Biden"),
    ("Joe Biden", "USA", "Vice President", "2009-01-20", "2017-01-20", "Biden|Joseph Biden|Joseph R. Biden"),
    ("Kamala Harris", "USA", "Vice President", "2021-01-20", "2025-01-20", "Harris"),
    ("Barack Obama", "USA", "President", "2009-01-20", "2017-01-20", "Obama"),
    ("Antony Blinken", "USA", "Secretary of State", "2021-01-26", "2025-01-20", "Blinken"),
    ("Mike Pompeo", "USA", "Secretary of State", "2018-04-26", "2021-01-20", "Pompeo"),
    ("Rex Tillerson", "USA", "Secretary of State", "2017-02-01", "2018-03-31", "Tillerson"),
    ("John Kerry", "USA", "Secretary of State", "2013-02-01", "2017-01-20", "Kerry"),
    ("Marco Rubio", "USA", "Secretary of State", "2025-01-21", "", "Rubio"),
    ("Vladimir Putin", "RUS", "President", "2000-05-07", "2008-05-07", "Putin"),
    ("Vladimir Putin", "RUS", "Prime Minister", "2008-05-08", "2012-05-07", "Putin"),
    ("Vladimir Putin", "RUS", "President", "2012-05-07", "", "Putin"),
    ("Sergei Lavrov", "RUS", "Foreign Minister", "2004-03-09", "", "Lavrov|Sergey Lavrov"),
    ("Dmitry Medvedev", "RUS", "President", "2008-05-07", "2012-05-07", "Medvedev"),
    ("Xi Jinping", "CHN", "President", "2013-03-14", "", "Xi"),
    ("Li Qiang", "CHN", "Premier", "2023-03-11", "", ""),
    ("Li Keqiang", "CHN", "Premier", "2013-03-15", "2023-03-11", ""),
    ("Wang Yi", "CHN", "Foreign Minister", "2013-03-16", "2022-12-30", ""),
    ("Wang Yi", "CHN", "Foreign Minister", "2023-07-25", "", ""),
    ("Qin Gang", "CHN", "Foreign Minister", "2022-12-30", "2023-07-25", ""),
    ("Recep Tayyip Erdogan", "TUR", "President", "2014-08-28", "", "Erdogan|Tayyip Erdogan"),
    ("Recep Tayyip Erdogan", "TUR", "Prime Minister", "2003-03-14", "2014-08-28", "Erdogan|Tayyip Erdogan"),
    ("Mevlut Cavusoglu", "TUR", "Foreign Minister", "", "2023-06-03", "Cavusoglu"),
    ("Hakan Fidan", "TUR", "Foreign Minister", "2023-06-03", "", "Fidan"),
    ("Emmanuel Macron", "FRA", "President", "2017-05-14", "", "Macron"),
    ("Olaf Scholz", "DEU", "Chancellor", "2021-12-08", "2025-05-06", "Scholz"),
    ("Friedrich Merz", "DEU", "Chancellor", "2025-05-06", "", "Merz"),
    ("Angela Merkel", "DEU", "Chancellor", "2005-11-22", "2021-12-08", "Merkel"),
    ("Narendra Modi", "IND", "Prime Minister", "2014-05-26", "", "Modi"),
    ("Subrahmanyam Jaishankar", "IND", "Foreign Minister", "2019-05-30", "", "Jaishankar|S. Jaishankar"),
    ("Volodymyr Zelensky", "UKR", "President", "2019-05-20", "", "Zelensky|Zelenskyy|Volodymyr Zelenskyy"),
    ("Dmytro Kuleba", "UKR", "Foreign Minister", "2020-03-04", "2024-09-05", "Kuleba"),
    ("Benjamin Netanyahu", "ISR", "Prime Minister", "2009-03-31", "2021-06-13", "Netanyahu|Bibi"),
    ("Benjamin Netanyahu", "ISR", "Prime Minister", "2022-12-29", "", "Netanyahu|Bibi"),
    ("Naftali Bennett", "ISR", "Prime Minister", "2021-06-13", "2022-06-30", "Bennett"),
    ("Yair Lapid", "ISR", "Prime Minister", "2022-07-01", "2022-12-29", "Lapid"),
    ("Isaac Herzog", "ISR", "President", "2021-07-07", "", "Herzog"),
    ("Boris Johnson", "GBR", "Prime Minister", "2019-07-24", "2022-09-06", ""),
    ("Theresa May", "GBR", "Prime Minister", "2016-07-13", "2019-07-24", ""),
    ("Liz Truss", "GBR", "Prime Minister", "2022-09-06", "2022-10-25", "Truss"),
    ("Rishi Sunak", "GBR", "Prime Minister", "2022-10-25", "2024-07-05", "Sunak"),
    ("Keir Starmer", "GBR", "Prime Minister", "2024-07-05", "", "Starmer|Sir Keir Starmer"),
    ("David Lammy", "GBR", "Foreign Minister", "2024-07-05", "2025-09-05", "Lammy"),
    ("Tamim bin Hamad Al Thani", "QAT", "Emir", "2013-06-25", "", "Sheikh Tamim|Tamim bin Hamad"),
    ("Mohammed bin Abdulrahman Al Thani", "QAT", "Prime Minister", "2023-03-07", "", ""),
    ("Mohammed bin Zayed", "ARE", "President", "2022-05-14", "", "MBZ|Mohamed bin Zayed|Mohammed bin Zayed Al Nahyan"),
    ("Abdullah bin Zayed", "ARE", "Foreign Minister", "2006-02-09", "", "Abdullah bin Zayed Al Nahyan"),
    ("Abdel Fattah el-Sisi", "EGY", "President", "2014-06-08", "", "Sisi|el-Sisi|Abdel Fattah al-Sisi"),
    ("Sameh Shoukry", "EGY", "Foreign Minister", "2014-06-17", "2024-07-03", "Shoukry"),
    ("Imran Khan", "PAK", "Prime Minister", "2018-08-18", "2022-04-10", ""),
    ("Shehbaz Sharif", "PAK", "Prime Minister", "2022-04-11", "2023-08-14", "Shahbaz Sharif"),
    ("Shehbaz Sharif", "PAK", "Prime Minister", "2024-03-04", "", "Shahbaz Sharif"),
    ("Fumio Kishida", "JPN", "Prime Minister", "2021-10-04", "2024-10-01", "Kishida"),
    ("Shinzo Abe", "JPN", "Prime Minister", "2012-12-26", "2020-09-16", ""),
    ("Yoshihide Suga", "JPN", "Prime Minister", "2020-09-16", "2021-10-04", "Suga"),
    ("Shigeru Ishiba", "JPN", "Prime Minister", "2024-10-01", "", "Ishiba"),
    ("Moon Jae-in", "KOR", "President", "2017-05-10", "2022-05-10", "Moon Jae-In"),
    ("Yoon Suk Yeol", "KOR", "President", "2022-05-10", "2025-04-04", "Yoon Suk-yeol"),
    ("Lee Jae-myung", "KOR", "President", "2025-06-04", "", ""),
    ("Kim Jong Un", "PRK", "Supreme Leader", "2011-12-17", "", "Kim Jong-un|Kim Jong-Un"),
    ("Justin Trudeau", "CAN", "Prime Minister", "2015-11-04", "2025-03-14", "Trudeau"),
    ("Mark Carney", "CAN", "Prime Minister", "2025-03-14", "", "Carney"),
    ("Jair Bolsonaro", "BRA", "President", "2019-01-01", "2023-01-01", "Bolsonaro"),
    ("Luiz Inacio Lula da Silva", "BRA", "President", "2003-01-01", "2011-01-01", "Lula|Lula da Silva|Luiz Inácio Lula da Silva"),
    ("Luiz Inacio Lula da Silva", "BRA", "President", "2023-01-01", "", "Lula|Lula da Silva|Luiz Inácio Lula da Silva"),
    ("Ashraf Ghani", "AFG", "President", "2014-09-29", "2021-08-15", "Ghani"),
    ("Hamid Karzai", "AFG", "President", "2001-12-22", "2014-09-29", "Karzai"),
    ("Bashar al-Assad", "SYR", "President", "2000-07-17", "2024-12-08", "Assad|Bashar Al-Assad"),
    ("Ahmed al-Sharaa", "SYR", "President", "2025-01-29", "", "Sharaa|Abu Mohammed al-Jolani"),
    ("Antonio Guterres", "", "Secretary-General", "2017-01-01", "", "Guterres|António Guterres"),
    ("Ban Ki-moon", "", "Secretary-General", "2007-01-01", "2016-12-31", ""),
    ("Rafael Grossi", "", "Director", "2019-12-03", "", "Grossi|Rafael Mariano Grossi"),
    ("Jens Stoltenberg", "", "Secretary-General", "2014-10-01", "2024-10-01", "Stoltenberg"),
    ("Mark Rutte", "", "Secretary-General", "2024-10-01", "", "Rutte"),
    ("Mark Rutte", "NLD", "Prime Minister", "2010-10-14", "2024-07-02", "Rutte"),
    ("Ursula von der Leyen", "", "President", "2019-12-01", "", "von der Leyen"),
    ("Josep Borrell", "", "High Representative", "2019-12-01", "2024-11-30", "Borrell"),
    ("Pope Francis", "VAT", "Pope", "2013-03-13", "2025-04-21", "Francis|Jorge Mario Bergoglio"),
    ("Pope Leo XIV", "VAT", "Pope", "2025-05-08", "", "Leo XIV|Robert Francis Prevost"),
    ("Mahmoud Abbas", "PSE", "President", "2005-01-15", "", "Abbas|Abu Mazen"),
    ("Abdullah II", "JOR", "King", "1999-02-07", "", "King Abdullah II|King Abdullah"),
    ("Ayman Safadi", "JOR", "Foreign Minister", "2017-01-15", "", "Safadi"),
    ("Haitham bin Tarik", "OMN", "Sultan", "2020-01-11", "", "Sultan Haitham"),
    ("Qaboos bin Said", "OMN", "Sultan", "1970-07-23", "2020-01-10", "Sultan Qaboos"),
    ("Badr Albusaidi", "OMN", "Foreign Minister", "2020-08-18", "", "Badr al-Busaidi|Sayyid Badr Albusaidi"),
    ("Hamad bin Isa Al Khalifa", "BHR", "King", "2002-02-14", "", "King Hamad"),
    ("Mishal al-Ahmad al-Jaber al-Sabah", "KWT", "Emir", "2023-12-16", "", "Sheikh Mishal"),
    ("Nawaf al-Ahmad al-Jaber al-Sabah", "KWT", "Emir", "2020-09-29", "2023-12-16", "Sheikh Nawaf"),
    ("Michel Aoun", "LBN", "President", "2016-10-31", "2022-10-31", ""),
    ("Joseph Aoun", "LBN", "President", "2025-01-09", "", ""),
    ("Najib Mikati", "LBN", "Prime Minister", "2021-09-10", "2025-02-08", "Mikati"),
    ("Ilham Aliyev", "AZE", "President", "2003-10-31", "", "Aliyev"),
    ("Nikol Pashinyan", "ARM", "Prime Minister", "2018-05-08", "", "Pashinyan"),
    ("Alexander Lukashenko", "BLR", "President", "1994-07-20", "", "Lukashenko|Aleksandr Lukashenko"),
    ("Kassym-Jomart Tokayev", "KAZ", "President", "2019-03-20", "", "Tokayev"),
    ("Shavkat Mirziyoyev", "UZB", "President", "2016-09-08", "", "Mirziyoyev"),
    ("Emomali Rahmon", "TJK", "President", "1994-11-16", "", "Rahmon"),
    ("Viktor Orban", "HUN", "Prime Minister", "2010-05-29", "", "Orban|Viktor Orbán"),
    ("Giorgia Meloni", "ITA", "Prime Minister", "2022-10-22", "", "Meloni"),
    ("Mario Draghi", "ITA", "Prime Minister", "2021-02-13", "2022-10-22", "Draghi"),
    ("Pedro Sanchez", "ESP", "Prime Minister", "2018-06-02", "", "Pedro Sánchez"),
    ("Andrzej Duda", "POL", "President", "2015-08-06", "2025-08-06", "Duda"),
    ("Donald Tusk", "POL", "Prime Minister", "2023-12-13", "", "Tusk"),
    ("Anthony Albanese", "AUS", "Prime Minister", "2022-05-23", "", "Albanese"),
    ("Scott Morrison", "AUS", "Prime Minister", "2018-08-24", "2022-05-23", ""),
    ("Jacinda Ardern", "NZL", "Prime Minister", "2017-10-26", "2023-01-25", "Ardern"),
    ("Joko Widodo", "IDN", "President", "2014-10-20", "2024-10-20", "Jokowi|Widodo"),
    ("Prabowo Subianto", "IDN", "President", "2024-10-20", "", "Prabowo"),
    ("Ferdinand Marcos Jr.", "PHL", "President", "2022-06-30", "", "Bongbong Marcos"),
    ("Rodrigo Duterte", "PHL", "President", "2016-06-30", "2022-06-30", "Duterte"),
    ("Anwar Ibrahim", "MYS", "Prime Minister", "2022-11-24", "", ""),
    ("Cyril Ramaphosa", "ZAF", "President", "2018-02-15", "", "Ramaphosa"),
    ("Abiy Ahmed", "ETH", "Prime Minister", "2018-04-02", "", "Abiy"),
    ("William Ruto", "KEN", "President", "2022-09-13", "", "Ruto"),
    ("Bola Tinubu", "NGA", "President", "2023-05-29", "", "Tinubu|Bola Ahmed Tinubu"),
    ("Kais Saied", "TUN", "President", "2019-10-23", "", "Saied"),
    ("Abdelmadjid Tebboune", "DZA", "President", "2019-12-19", "", "Tebboune"),
    ("Mohammed VI", "MAR", "King", "1999-07-23", "", "King Mohammed VI"),
    ("Andres Manuel Lopez Obrador", "MEX", "President", "2018-12-01", "2024-09-30", "Lopez Obrador|AMLO|Andrés Manuel López Obrador"),
    ("Claudia Sheinbaum", "MEX", "President", "2024-10-01", "", "Sheinbaum"),
    ("Nicolas Maduro", "VEN", "President", "2013-04-19", "", "Maduro|Nicolás Maduro"),
    ("Javier Milei", "ARG", "President", "2023-12-10", "", "Milei"),
    ("Gustavo Petro", "COL", "President", "2022-08-07", "", "Petro"),
    ("Miguel Diaz-Canel", "CUB", "President", "2018-04-19", "", "Diaz-Canel|Miguel Díaz-Canel"),
    ("Tayyip Erdogan", "TUR", "President", "2014-08-28", "", ""),
    ("Frank-Walter Steinmeier", "DEU", "President", "2017-03-19", "", "Steinmeier"),
    ("Annalena Baerbock", "DEU", "Foreign Minister", "2021-12-08", "2025-05-06", "Baerbock"),
    ("Heiko Maas", "DEU", "Foreign Minister", "2018-03-14", "2021-12-08", "Maas"),
    ("Jean-Yves Le Drian", "FRA", "Foreign Minister", "2017-05-17", "2022-05-20", "Le Drian"),
    ("Shahbaz Sharif", "PAK", "Prime Minister", "", "", ""),
    ("Nawaz Sharif", "PAK", "Prime Minister", "2013-06-05", "2017-07-28", ""),
    ("Ali Larijani", "IRN", "Parliament Speaker", "2008-05-28", "2020-05-28", "Larijani"),
    ("Mohammad Bagher Ghalibaf", "IRN", "Parliament Speaker", "2020-05-28", "", "Ghalibaf|Mohammad Baqer Qalibaf"),
    ("Masoud Barzani", "IRQ", "President", "2005-06-14", "2017-11-01", "Barzani"),
    ("Nechirvan Barzani", "IRQ", "President", "2019-06-10", "", ""),
    ("Hassan Nasrallah", "LBN", "Secretary-General", "1992-02-16", "2024-09-27", "Nasrallah|Sayyed Hassan Nasrallah"),
]
HAND_PEOPLE = [p for p in HAND_PEOPLE if p[0] not in ("Tayyip Erdogan", "Shahbaz Sharif")]


def fold(s: str) -> str:
    n = unicodedata.normalize("NFKD", s)
    return "".join(c for c in n if not unicodedata.combining(c))


def key(s: str) -> str:
    return re.sub(r"\s+", " ", fold(s).strip()).casefold()


def tc_word(w: str, first: bool) -> str:
    lw = w.lower()
    if lw in ROMAN:
        return w.upper() if lw.rstrip(".") in ("ii", "iii", "iv", "vi", "vii", "viii") else w.capitalize()
    if "-" in w:
        parts = w.split("-")
        out = []
        for i, p in enumerate(parts):
            lp = p.lower()
            if i < len(parts) - 1 and lp in ("al", "el", "ad", "ar", "as", "ash", "at", "az", "an", "ud", "ul"):
                out.append(lp)
            else:
                out.append(p[:1].upper() + p[1:].lower())
        return "-".join(out)
    if not first and lw in PARTICLES:
        return lw
    if lw.startswith("o'") and len(lw) > 2:
        return "O'" + lw[2:3].upper() + lw[3:]
    if lw.startswith("mc") and len(lw) > 2:
        return "Mc" + lw[2:3].upper() + lw[3:]
    return w[:1].upper() + w[1:].lower()


def convert(raw: str, strip_lead: bool = True) -> str:
    toks = [t for t in raw.strip().strip("_").replace(" ", "_").split("_") if t]
    if strip_lead:
        while len(toks) > 1 and toks[0].lower() in LEAD_STRIP:
            toks = toks[1:]
    return " ".join(tc_word(t, i == 0) for i, t in enumerate(toks))


def parse_date(s: str) -> str:
    s = s.strip()
    if len(s) == 6 and s.isdigit():
        yy = int(s[:2])
        y = 2000 + yy if yy <= 14 else 1900 + yy  # dictionary generated 2014: YYMMDD
        m, d = s[2:4], s[4:6]
    elif len(s) == 8 and s.isdigit():
        y, m, d = int(s[:4]), s[4:6], s[6:8]
    else:
        return ""
    if not ("01" <= m <= "12" and "01" <= d <= "31"):
        return ""
    return f"{y:04d}-{m}-{d}"


def parse_role(text: str):
    """'[IRNGOV 19800528-20000526] # Assembly of Experts' -> (code, from, to, comment)."""
    m = re.match(r"\s*\[([^\]]*)\]\s*(?:#\s*(.*))?$", text)
    if not m:
        return None
    body, comment = m.group(1).split(), (m.group(2) or "").strip()
    if not body:
        return None
    code, frm, to = body[0], "", ""
    if len(body) > 1:
        d = body[1]
        if d.startswith(">"):
            frm = parse_date(d[1:])
        elif d.startswith("<"):
            to = parse_date(d[1:])
        elif "-" in d:
            a, b = d.split("-", 1)
            frm, to = parse_date(a), parse_date(b)
    return code, frm, to, comment


def parse_file(path: str):
    """Yield (names[list of raw], roles[list]) blocks."""
    heads, roles = [], []
    with open(path, encoding="utf-8", errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            s = line.strip()
            if not s or s.startswith("#"):
                continue
            if s.startswith("["):
                r = parse_role(s)
                if r:
                    roles.append(r)
                continue
            # a primary name line starts a new block once the previous block has roles;
            # "+" synonym lines always belong to the current block (also after an inline "[AFG]")
            is_alias = s.startswith("+")
            if roles and not is_alias:
                yield heads, roles
                heads, roles = [], []
            body = s.lstrip("+")
            inline = None
            if "[" in body.split("#")[0]:
                name_part, rest = body.split("[", 1)
                inline = parse_role("[" + rest)
                body = name_part
            else:
                body = body.split("#")[0]
            heads.append((body.strip(), is_alias))
            if inline:
                roles.append(inline)
    if heads and roles:
        yield heads, roles


def load_blockers() -> set:
    """Country/city/organization/title terms from the gazetteer (person aliases must not collide)."""
    out = set()
    spec = {"countries.tsv": (2, 3, 4), "cities.tsv": (0, 4), "organizations.tsv": (0, 3), "titles.tsv": (0, 2)}
    for fn, cols in spec.items():
        p = os.path.join(ROOT, "data", fn)
        if not os.path.exists(p):
            print(f"  warning: {p} missing; run tools/gen_gazetteer.py first", file=sys.stderr)
            continue
        for line in open(p, encoding="utf-8"):
            if line.startswith("#"):
                continue
            f = line.rstrip("\n").split("\t")
            for c in cols:
                if c < len(f):
                    out.update(key(x) for x in f[c].split("|") if x)
    p = os.path.join(ROOT, "data", "overrides.tsv")
    if os.path.exists(p):
        for line in open(p, encoding="utf-8"):
            f = line.rstrip("\n").split("\t")
            if not line.startswith("#") and len(f) > 1 and f[0] in ("region", "not_a_place"):
                out.add(key(f[1]))
    return out


def main() -> None:
    d = sys.argv[1] if len(sys.argv) > 1 else DEFAULT_DIR
    files = sorted(glob.glob(os.path.join(d, "Phoenix.*.actors.txt")))
    if not files:
        raise SystemExit(f"no Phoenix.*.actors.txt in {d}")
    valid = set()
    for line in open(os.path.join(ROOT, "data", "countries.tsv"), encoding="utf-8"):
        if not line.startswith("#"):
            valid.add(line.split("\t")[0])
    blockers = load_blockers()
    people: dict[str, dict] = {}
    for path in files:
        for heads, roles in parse_file(path):
            primary = [h for h, a in heads if not a]
            if not primary:
                continue
            segs = []
            for code, frm, to, comment in roles:
                m = ROLE_RE.match(code)
                if not m:
                    continue
                iso = CODE_FIX.get(m.group(1), m.group(1))
                if iso not in valid:
                    continue
                title = TITLE_MAP.get(comment.lower().strip().rstrip("."), "")
                segs.append((iso, title, frm, to))
            if not segs:
                continue
            raw = primary[0]
            toks = [t.lower() for t in raw.strip("_").split("_") if t]
            if any(t in GENERIC for t in toks) or key(convert(raw)) in blockers:
                continue
            name = convert(raw)
            if len(name) < 3:
                continue
            p = people.setdefault(name, {"segs": [], "aliases": set()})
            p["segs"].extend(segs)
            for h, _ in heads:
                if any(t.lower() in BAD_TOKENS for t in h.strip("_").split("_")):
                    continue
                a = convert(h)
                if a != name:
                    p["aliases"].add(a)
    rows = set()
    for name, p in people.items():
        al = []
        for a in sorted(p["aliases"], key=lambda x: (key(x), x)):
            k = key(a)
            if k in blockers or k == key(name) or not re.match(r"^[A-Z]", a):
                continue
            if " " not in a and (a.lower() in COMMON_WORDS or len(a) < 3):
                continue
            if any(key(x) == k for x in al):
                continue
            al.append(a)
        dated = {iso for iso, _, frm, to in p["segs"] if frm or to}
        for iso, title, frm, to in p["segs"]:
            if not (frm or to or title) and iso in dated:
                continue  # undated duplicate of a dated role for the same country
            rows.add((name, iso, title, frm, to, "|".join(al)))
    for r in HAND_PEOPLE:
        als = "|".join(a for a in r[5].split("|") if a and key(a) not in blockers)
        rows.add((r[0], r[1], r[2], r[3], r[4], als))
    out = sorted(rows, key=lambda r: (key(r[0]), r[0], r[3], r[1], r[2], r[4], r[5]))
    for r in out:
        for f in r:
            assert "\t" not in f and "\n" not in f, r
    with open(os.path.join(ROOT, "data", "people.tsv"), "w", encoding="utf-8", newline="\n") as f:
        f.write("#name\tiso3\ttitle\tfrom\tto\taliases\n")
        for r in out:
            f.write("\t".join(r) + "\n")
    print(f"people rows={len(out)} persons={len({r[0] for r in out})}", file=sys.stderr)


if __name__ == "__main__":
    main()
