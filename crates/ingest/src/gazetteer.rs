//! Stage 3 — the gazetteer: countries, demonyms, places, organizations, titles and known people,
//! compiled once from `data/*.tsv` into one Aho-Corasick automaton (leftmost-longest, ASCII
//! case-insensitive) whose matches are then checked for word boundaries and case.

use crate::FastMap as HashMap;

use aho_corasick::{AhoCorasick, AhoCorasickBuilder, MatchKind};
use diplograph_core::{CountryCode, DatePoint};

use crate::IngestError;
use crate::segment::Token;

const COUNTRIES: &str = include_str!("../../../data/countries.tsv");
const CITIES: &str = include_str!("../../../data/cities.tsv");
const OVERRIDES: &str = include_str!("../../../data/overrides.tsv");
const ORGANIZATIONS: &str = include_str!("../../../data/organizations.tsv");
const TITLES: &str = include_str!("../../../data/titles.tsv");
const PEOPLE: &str = include_str!("../../../data/people.tsv");

/// What a dictionary phrase stands for.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Entry {
    Country(CountryCode),
    Demonym(CountryCode),
    /// A city or town: index into [`Gazetteer::places`].
    Place(usize),
    /// Index into [`Gazetteer::orgs`].
    Org(usize),
    /// Index into [`Gazetteer::titles`].
    Title(usize),
    /// Index into [`Gazetteer::people`].
    Person(usize),
    /// A region or sea: never a country, never an actor.
    Region,
    /// A name that must never become a place (news agencies that look like towns).
    Blocked,
}

impl Entry {
    fn priority(&self) -> u8 {
        match self {
            Entry::Blocked => 0,
            Entry::Person(_) => 1,
            Entry::Org(_) => 2,
            Entry::Country(_) => 3,
            Entry::Demonym(_) => 4,
            Entry::Region => 5,
            Entry::Title(_) => 6,
            Entry::Place(_) => 7,
        }
    }
}

/// A city or town and its country.
#[derive(Clone, Debug)]
pub(crate) struct PlaceInfo {
    pub(crate) name: String,
    pub(crate) country: CountryCode,
}

/// An organization (international body, news agency, …).
#[derive(Clone, Debug)]
pub(crate) struct OrgInfo {
    pub(crate) name: String,
    pub(crate) country: Option<CountryCode>,
}

/// A title or office; `rank` 1 = head of state or government … 4 = honorific.
#[derive(Clone, Debug)]
pub(crate) struct TitleInfo {
    pub(crate) rank: u8,
}

/// A person from the known-people dictionary, with one dated role.
#[derive(Clone, Debug)]
pub(crate) struct KnownPerson {
    pub(crate) name: String,
    /// `name_key(name)`, computed once.
    pub(crate) key: String,
    pub(crate) country: Option<CountryCode>,
    pub(crate) title: Option<String>,
    pub(crate) from: Option<DatePoint>,
    pub(crate) to: Option<DatePoint>,
}

/// One dictionary hit in a sentence, as a token range.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Hit {
    pub(crate) first: usize,
    /// One past the last token.
    pub(crate) last: usize,
    pub(crate) entry: Entry,
}

/// The compiled dictionaries.
pub(crate) struct Gazetteer {
    matcher: AhoCorasick,
    patterns: Vec<Pattern>,
    pub(crate) places: Vec<PlaceInfo>,
    pub(crate) orgs: Vec<OrgInfo>,
    pub(crate) titles: Vec<TitleInfo>,
    pub(crate) people: Vec<KnownPerson>,
    country_names: HashMap<CountryCode, String>,
    people_by_surname: HashMap<String, Vec<usize>>,
    /// One-word country names and demonyms, lower case ("iran", "iranian"), for
    /// [`Gazetteer::lowercase_names`].
    country_words: crate::FastSet<String>,
}

struct Pattern {
    /// Upper-case acronyms ("US", "UAE") must match exactly.
    exact_case: bool,
    entries: Vec<Entry>,
}

#[derive(Default)]
struct Builder {
    keys: HashMap<String, usize>,
    texts: Vec<String>,
    patterns: Vec<Pattern>,
    blocked: Vec<String>,
}

impl Builder {
    fn add(&mut self, key: &str, entry: Entry) {
        let key = key.trim();
        if key.chars().filter(|c| c.is_alphanumeric()).count() < 2 {
            return;
        }
        let exact_case = key.len() <= 6
            && key
                .chars()
                .filter(|c| c.is_alphabetic())
                .all(|c| c.is_uppercase())
            && !matches!(entry, Entry::Title(_));
        let lookup = if exact_case {
            key.to_owned()
        } else {
            key.to_lowercase()
        };
        let id = *self.keys.entry(lookup).or_insert_with(|| {
            // Matching runs on an ASCII-lower-cased haystack (same byte offsets); case is checked
            // afterwards on the text itself.
            self.texts.push(key.to_ascii_lowercase());
            self.patterns.push(Pattern {
                exact_case,
                entries: Vec::new(),
            });
            self.patterns.len() - 1
        });
        let entries = &mut self.patterns[id].entries;
        if !entries.contains(&entry) {
            entries.push(entry);
            entries.sort_by_key(Entry::priority);
        }
    }
}

fn rows(data: &str) -> impl Iterator<Item = Vec<&str>> {
    data.lines()
        .filter(|l| !l.starts_with('#') && !l.trim().is_empty())
        .map(|l| l.split('\t').collect())
}

fn list<'a>(field: Option<&&'a str>) -> impl Iterator<Item = &'a str> {
    field
        .copied()
        .unwrap_or("")
        .split('|')
        .map(str::trim)
        .filter(|s| !s.is_empty())
}

impl Gazetteer {
    /// Compiles the embedded dictionaries.
    pub(crate) fn embedded() -> Result<Self, IngestError> {
        let mut b = Builder::default();
        let mut g = Gazetteer {
            matcher: AhoCorasick::new(["x"]).map_err(|e| IngestError::Gazetteer(e.to_string()))?,
            patterns: Vec::new(),
            places: Vec::new(),
            orgs: Vec::new(),
            titles: Vec::new(),
            people: Vec::new(),
            country_names: HashMap::default(),
            people_by_surname: HashMap::default(),
            country_words: crate::FastSet::default(),
        };
        g.load_overrides(&mut b);
        g.load_countries(&mut b);
        g.load_places(&mut b);
        g.load_orgs(&mut b);
        g.load_titles(&mut b);
        g.load_people(&mut b);
        // "not a place" removes place readings only: "Mehr" (an agency) keeps its organization.
        for key in std::mem::take(&mut b.blocked) {
            match b
                .keys
                .get(&key.to_lowercase())
                .or_else(|| b.keys.get(&key))
                .copied()
            {
                Some(id) => {
                    let entries = &mut b.patterns[id].entries;
                    entries.retain(|e| !matches!(e, Entry::Place(_)));
                    if entries.is_empty() {
                        entries.push(Entry::Blocked);
                    }
                }
                None => b.add(&key, Entry::Blocked),
            }
        }
        g.matcher = AhoCorasickBuilder::new()
            .match_kind(MatchKind::Standard)
            .build(&b.texts)
            .map_err(|e| IngestError::Gazetteer(e.to_string()))?;
        g.country_words = b
            .texts
            .iter()
            .zip(&b.patterns)
            .filter(|(text, p)| {
                !p.exact_case
                    && text.bytes().all(|c| c.is_ascii_alphanumeric())
                    && matches!(p.entries.first(), Some(Entry::Country(_) | Entry::Demonym(_)))
            })
            .map(|(text, _)| text.clone())
            .collect();
        g.patterns = b.patterns;
        Ok(g)
    }

    fn load_overrides(&mut self, b: &mut Builder) {
        for row in rows(OVERRIDES) {
            let (Some(op), Some(key)) = (row.first(), row.get(1)) else {
                continue;
            };
            let code = row.get(2).and_then(|v| CountryCode::parse(v).ok());
            match (*op, code) {
                ("country_alias", Some(c)) => b.add(key, Entry::Country(c)),
                ("demonym", Some(c)) => b.add(key, Entry::Demonym(c)),
                ("region", _) => b.add(key, Entry::Region),
                ("not_a_place", _) => b.blocked.push((*key).to_owned()),
                _ => {}
            }
        }
    }

    fn load_countries(&mut self, b: &mut Builder) {
        for row in rows(COUNTRIES) {
            let Some(code) = row.first().and_then(|c| CountryCode::parse(c).ok()) else {
                continue;
            };
            let name = row.get(2).copied().unwrap_or(code.as_str());
            self.country_names.insert(code, name.to_owned());
            b.add(name, Entry::Country(code));
            for alias in list(row.get(3)) {
                b.add(alias, Entry::Country(code));
            }
            for demonym in list(row.get(4)) {
                b.add(demonym, Entry::Demonym(code));
                if !demonym.ends_with('s') && !demonym.ends_with("ese") {
                    b.add(&format!("{demonym}s"), Entry::Demonym(code));
                }
            }
        }
    }

    fn load_places(&mut self, b: &mut Builder) {
        for row in rows(CITIES) {
            let (Some(name), Some(code)) = (row.first(), row.get(1).and_then(|c| CountryCode::parse(c).ok()))
            else {
                continue;
            };
            let idx = self.places.len();
            self.places.push(PlaceInfo {
                name: (*name).to_owned(),
                country: code,
            });
            b.add(name, Entry::Place(idx));
            for alt in list(row.get(4)) {
                b.add(alt, Entry::Place(idx));
            }
        }
    }

    fn load_orgs(&mut self, b: &mut Builder) {
        for row in rows(ORGANIZATIONS) {
            let Some(name) = row.first() else { continue };
            let idx = self.orgs.len();
            let country = row.get(2).and_then(|c| CountryCode::parse(c).ok());
            self.orgs.push(OrgInfo {
                name: (*name).to_owned(),
                country,
            });
            b.add(name, Entry::Org(idx));
            for alias in list(row.get(3)) {
                b.add(alias, Entry::Org(idx));
            }
        }
    }

    fn load_titles(&mut self, b: &mut Builder) {
        for row in rows(TITLES) {
            let Some(name) = row.first() else { continue };
            let idx = self.titles.len();
            let rank = row.get(1).and_then(|r| r.trim().parse().ok()).unwrap_or(3);
            self.titles.push(TitleInfo { rank });
            b.add(name, Entry::Title(idx));
            for alias in list(row.get(2)) {
                b.add(alias, Entry::Title(idx));
            }
        }
    }

    fn load_people(&mut self, b: &mut Builder) {
        for row in rows(PEOPLE) {
            // The actor dictionaries also list institutions ("Kremlin", "White House"): skip them.
            let Some(name) = row.first().map(|n| n.trim()).filter(|n| is_person_name(n)) else {
                continue;
            };
            let idx = self.people.len();
            let opt = |i: usize| row.get(i).map(|s| s.trim()).filter(|s| !s.is_empty());
            self.people.push(KnownPerson {
                name: name.to_owned(),
                key: crate::people::name_key(name),
                country: opt(1).and_then(|c| CountryCode::parse(c).ok()),
                title: opt(2).map(str::to_owned),
                from: opt(3).and_then(|d| DatePoint::parse(d).ok()),
                to: opt(4).and_then(|d| DatePoint::parse(d).ok()),
            });
            if name.contains(' ') {
                b.add(name, Entry::Person(idx));
            }
            for alias in list(row.get(5)).filter(|a| a.contains(' ') && is_person_name(a)) {
                b.add(alias, Entry::Person(idx));
            }
            if let Some(surname) = name.split_whitespace().last() {
                let key = crate::people::name_key(surname);
                self.people_by_surname.entry(key).or_default().push(idx);
            }
        }
    }

    /// The dictionary hits in one sentence, aligned to token boundaries.
    pub(crate) fn hits(&self, text: &str, tokens: &[Token], relaxed: bool) -> Vec<Hit> {
        let (Some(first), Some(last)) = (tokens.first(), tokens.last()) else {
            return Vec::new();
        };
        let (start, end) = (first.start, last.end);
        // Wire copy breaks lines inside names ("United Arab\nEmirates"): match on a copy with
        // every ASCII white-space byte made a space, so byte offsets stay the same.
        // Bytes, not chars: only ASCII bytes change, so UTF-8 sequences pass through intact.
        let haystack: Vec<u8> = text.as_bytes()[start..end]
            .iter()
            .map(|&b| {
                if b.is_ascii_whitespace() {
                    b' '
                } else {
                    b.to_ascii_lowercase()
                }
            })
            .collect();
        let haystack = haystack.as_slice();
        let shouting = relaxed || is_shouting(&text[start..end]);
        // Overlapping matches, so that a rejected long reading ("Russia today") leaves the
        // shorter one ("Russia"); then leftmost-longest among the valid ones.
        let mut valid = Vec::new();
        for m in self.matcher.find_overlapping_iter(haystack) {
            let (ms, me) = (start + m.start(), start + m.end());
            let Ok(first) = tokens.binary_search_by_key(&ms, |t| t.start) else {
                continue;
            };
            let Ok(end_tok) = tokens.binary_search_by_key(&me, |t| t.end) else {
                continue;
            };
            let last = end_tok + 1;
            if last <= first {
                continue;
            }
            let pattern = &self.patterns[m.pattern().as_usize()];
            let matched = &text[ms..me];
            let Some(entry) = pattern.entries.first().copied() else {
                continue;
            };
            if !case_ok(pattern, entry, matched, shouting) {
                continue;
            }
            valid.push(Hit { first, last, entry });
        }
        valid.sort_by_key(|h| (h.first, std::cmp::Reverse(h.last)));
        let mut out: Vec<Hit> = Vec::new();
        for hit in valid {
            if out.last().is_none_or(|prev| hit.first >= prev.last) {
                out.push(hit);
            }
        }
        out
    }

    /// Whether the text writes proper names in lower case (some wire copy does: "iranian foreign
    /// minister ali akbar velayati"): two or more lower-case country or demonym words.
    pub(crate) fn lowercase_names(&self, text: &str) -> bool {
        // The lead is enough to tell, and the whole text would cost a second pass.
        let cut = (0..=text.len().min(1200))
            .rev()
            .find(|&i| text.is_char_boundary(i))
            .unwrap_or(0);
        // Word by word against the one-word names: cheaper than a second automaton pass.
        let found = text[..cut]
            .split(|c: char| !c.is_ascii_alphanumeric())
            .filter(|w| w.as_bytes().first().is_some_and(u8::is_ascii_lowercase))
            .filter(|w| w.bytes().all(|c| !c.is_ascii_uppercase()) && self.country_words.contains(*w));
        found.take(2).count() == 2
    }

    /// The common name of a country ("Iran").
    pub(crate) fn country_name(&self, code: CountryCode) -> String {
        self.country_names
            .get(&code)
            .cloned()
            .unwrap_or_else(|| code.as_str().to_owned())
    }

    /// Known people whose surname is this word.
    pub(crate) fn people_with_surname(&self, key: &str) -> &[usize] {
        self.people_by_surname.get(key).map(Vec::as_slice).unwrap_or(&[])
    }
}

/// States that split up: before the date, their successors' places and names belong to them
/// (a 1987 story's Moscow is in the Soviet Union). `(successor, predecessor, last day)`.
const SUCCESSIONS: &[(&str, &str, &str)] = &[
    ("RUS", "SUN", "1991-12-25"),
    ("UKR", "SUN", "1991-12-25"),
    ("BLR", "SUN", "1991-12-25"),
    ("KAZ", "SUN", "1991-12-25"),
    ("UZB", "SUN", "1991-12-25"),
    ("TKM", "SUN", "1991-12-25"),
    ("KGZ", "SUN", "1991-12-25"),
    ("TJK", "SUN", "1991-12-25"),
    ("GEO", "SUN", "1991-04-08"),
    ("ARM", "SUN", "1991-09-20"),
    ("AZE", "SUN", "1991-10-17"),
    ("MDA", "SUN", "1991-08-26"),
    ("LTU", "SUN", "1990-03-10"),
    ("LVA", "SUN", "1991-08-20"),
    ("EST", "SUN", "1991-08-19"),
    ("SRB", "YUG", "1992-04-26"),
    ("MNE", "YUG", "1992-04-26"),
    ("HRV", "YUG", "1991-06-24"),
    ("SVN", "YUG", "1991-06-24"),
    ("MKD", "YUG", "1991-09-07"),
    ("BIH", "YUG", "1992-03-02"),
    ("CZE", "CSK", "1992-12-31"),
    ("SVK", "CSK", "1992-12-31"),
];

/// The state a country's places and names belonged to on a day.
pub(crate) fn in_era(code: CountryCode, date: Option<chrono::NaiveDate>) -> CountryCode {
    let Some(date) = date else { return code };
    // Every split in the table happened before 1993.
    if chrono::Datelike::year(&date) >= 1993 {
        return code;
    }
    SUCCESSIONS
        .iter()
        .find(|(successor, _, until)| {
            *successor == code.as_str() && until.parse::<chrono::NaiveDate>().is_ok_and(|u| date <= u)
        })
        .and_then(|(_, predecessor, _)| CountryCode::parse(predecessor).ok())
        .unwrap_or(code)
}

/// The actor dictionaries also list institutions ("White House", "Kremlin"): a person's name
/// has at least two words and no institution word.
fn is_person_name(name: &str) -> bool {
    let words: Vec<String> = name.split_whitespace().map(str::to_lowercase).collect();
    words.len() >= 2
        && !words
            .iter()
            .any(|w| crate::people::is_institution_word(w) || w == "of")
}

/// Upper-case text (a headline or an all-caps wire) relaxes the case rules.
fn is_shouting(s: &str) -> bool {
    let letters = s.chars().filter(|c| c.is_alphabetic()).count();
    letters > 12 && s.chars().filter(|c| c.is_uppercase()).count() * 10 >= letters * 8
}

fn case_ok(pattern: &Pattern, entry: Entry, matched: &str, shouting: bool) -> bool {
    if pattern.exact_case {
        // Acronyms: "US" but never "us"; "UAE" but never "uae".
        return matched
            .chars()
            .filter(|c| c.is_alphabetic())
            .all(|c| c.is_uppercase());
    }
    if shouting || matches!(entry, Entry::Title(_)) {
        return true;
    }
    // Every word of a multi-word name is capitalized, small words apart ("Russia today" is not
    // "Russia Today"; "Islamic Republic of Iran" is a name).
    const SMALL: &[&str] = &[
        "of", "the", "and", "for", "de", "du", "la", "al", "bin", "on", "d'", "da", "del", "von", "van", "el",
    ];
    let words_ok = matched
        .split(|c: char| c.is_whitespace() || c == '-')
        .filter(|w| !w.is_empty())
        .all(|w| {
            SMALL.contains(&w.to_lowercase().as_str()) || w.chars().next().is_some_and(|c| !c.is_lowercase())
        });
    if !words_ok {
        return false;
    }
    matched
        .chars()
        .next()
        .is_some_and(|c| c.is_uppercase() || !c.is_alphabetic())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::segment::tokens;

    fn hits(text: &str) -> Vec<(String, Entry)> {
        let g = Gazetteer::embedded().unwrap();
        let toks = tokens(text, 0, text.len());
        g.hits(text, &toks, false)
            .into_iter()
            .map(|h| {
                (
                    text[toks[h.first].start..toks[h.last - 1].end].to_owned(),
                    h.entry,
                )
            })
            .collect()
    }

    fn code(c: &str) -> CountryCode {
        CountryCode::parse(c).unwrap()
    }

    #[test]
    fn countries_demonyms_and_aliases_resolve() {
        let found =
            hits("Iraqi and Saudi leaders met in Britain, the U.S. and the Islamic Republic of Iran.");
        assert!(found.contains(&("Iraqi".into(), Entry::Demonym(code("IRQ")))));
        assert!(found.contains(&("Saudi".into(), Entry::Demonym(code("SAU")))));
        assert!(found.contains(&("Britain".into(), Entry::Country(code("GBR")))));
        assert!(found.contains(&("U.S.".into(), Entry::Country(code("USA")))));
        assert!(found.contains(&("Islamic Republic of Iran".into(), Entry::Country(code("IRN")))));
    }

    #[test]
    fn word_boundaries_and_case_are_checked() {
        let found = hits("Iranians told us they would chad the turkey.");
        assert!(
            found
                .iter()
                .all(|(s, _)| s != "us" && s != "turkey" && s != "Iran"),
            "{found:?}"
        );
    }

    #[test]
    fn regions_and_agencies_are_not_countries_or_places() {
        let g = Gazetteer::embedded().unwrap();
        let found = hits("Persian Gulf and Caspian Sea states, Mehr reported.");
        for (s, e) in &found {
            assert!(!matches!(e, Entry::Country(_) | Entry::Place(_)), "{s} {e:?}");
        }
        let _ = g;
    }

    #[test]
    fn places_of_successor_states_belong_to_their_predecessor_before_the_split() {
        let day = |s: &str| s.parse().ok();
        assert_eq!(in_era(code("RUS"), day("1987-04-13")), code("SUN"));
        assert_eq!(in_era(code("RUS"), day("1992-01-01")), code("RUS"));
        assert_eq!(in_era(code("SRB"), day("1990-01-01")), code("YUG"));
        assert_eq!(in_era(code("IRN"), day("1987-01-01")), code("IRN"));
        assert_eq!(in_era(code("RUS"), None), code("RUS"));
    }

    #[test]
    fn capitals_map_to_their_country() {
        let g = Gazetteer::embedded().unwrap();
        let found = hits("They met in Tehran, Baghdad and Erbil.");
        let places: Vec<_> = found
            .iter()
            .filter_map(|(_, e)| match e {
                Entry::Place(i) => Some(g.places[*i].country.as_str().to_owned()),
                _ => None,
            })
            .collect();
        assert_eq!(places, vec!["IRN", "IRQ", "IRQ"]);
    }
}
