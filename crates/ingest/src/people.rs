//! Stage 4 — people: name runs after titles, affiliations, and the article's person registry
//! that later mentions ("Rouhani", "President Rouhani", "the president") resolve against.

use diplograph_core::CountryCode;

use crate::segment::{TokKind, Token};

/// A person named in the article.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct PersonRec {
    pub(crate) name: String,
    pub(crate) country: Option<CountryCode>,
    pub(crate) title: Option<String>,
    pub(crate) aliases: Vec<String>,
    /// Referred to as "she"/"her" in this article.
    pub(crate) feminine: bool,
    /// `name_key` of the name and of each alias, kept in step with them (lookups are hot).
    keys: Keys,
}

#[derive(Clone, Debug, Default, PartialEq)]
struct Keys {
    name: String,
    surname: String,
    aliases: Vec<String>,
}

/// Name particles that may sit inside a name in lower case.
const PARTICLES: &[&str] = &[
    "al", "bin", "bint", "ibn", "abu", "abdul", "de", "da", "das", "dos", "van", "von", "der", "den", "del",
    "della", "la", "le", "el", "ul", "ben", "di", "du", "y",
];

/// Capitalized words that start sentences or phrases but are not names.
const NOT_NAMES: &[&str] = &[
    "catholic",
    "orthodox",
    "protestant",
    "muslim",
    "muslims",
    "christian",
    "christians",
    "jewish",
    "sunni",
    "shia",
    "shiite",
    "roman",
    "ministers",
    "presidents",
    "premiers",
    "leaders",
    "kings",
    "chancellors",
    "ambassadors",
    "envoys",
    "the",
    "a",
    "an",
    "on",
    "in",
    "at",
    "he",
    "she",
    "it",
    "we",
    "they",
    "this",
    "that",
    "these",
    "those",
    "but",
    "and",
    "or",
    "after",
    "before",
    "during",
    "last",
    "next",
    "his",
    "her",
    "their",
    "its",
    "our",
    "i",
    "you",
    "there",
    "here",
    "when",
    "while",
    "if",
    "as",
    "for",
    "with",
    "by",
    "from",
    "to",
    "of",
    "earlier",
    "later",
    "meanwhile",
    "however",
    "also",
    "both",
    "some",
    "many",
    "other",
    "senior",
    "top",
    "officials",
    "official",
    "sources",
    "reporters",
    "today",
    "yesterday",
    "tomorrow",
    "mr",
    "mrs",
    "ms",
    "monday",
    "tuesday",
    "wednesday",
    "thursday",
    "friday",
    "saturday",
    "sunday",
    "january",
    "february",
    "march",
    "april",
    "may",
    "june",
    "july",
    "august",
    "september",
    "october",
    "november",
    "december",
    "jan",
    "feb",
    "mar",
    "apr",
    "jun",
    "jul",
    "aug",
    "sep",
    "sept",
    "oct",
    "nov",
    "dec",
    "according",
    "asked",
    "speaking",
    "despite",
    "under",
    "since",
    "until",
    "then",
    "so",
    "no",
    "yes",
    "all",
    "each",
    "what",
    "who",
    "which",
    "where",
    "why",
    "how",
    "one",
    "two",
    "three",
    "first",
    "second",
    "new",
    "former",
    "prime",
    "deputy",
    "vice",
    "foreign",
    "economy",
    "trade",
    "finance",
    "western",
    "eastern",
    "northern",
    "southern",
    "central",
    "united",
    "nations",
    "state",
    "states",
    "republic",
    "kingdom",
    "islamic",
    "democratic",
    "federal",
    "people",
    "peoples",
    "government",
    "ministry",
    "minister",
    "president",
    "reuters",
    "reporting",
    "editing",
    "writing",
    "additional",
    "agency",
    "news",
    "not",
    "would",
    "will",
    "should",
    "could",
    "can",
    "did",
    "does",
    "do",
    "was",
    "were",
    "is",
    "are",
    "has",
    "have",
    "had",
];

/// Words that make a capitalized run an institution, not a person.
const INSTITUTION: &[&str] = &[
    "ministry",
    "department",
    "house",
    "party",
    "bank",
    "council",
    "congress",
    "parliament",
    "committee",
    "agency",
    "organization",
    "organisation",
    "union",
    "fund",
    "association",
    "corporation",
    "company",
    "university",
    "embassy",
    "office",
    "court",
    "assembly",
    "army",
    "forces",
    "force",
    "guard",
    "guards",
    "news",
    "times",
    "post",
    "club",
    "group",
    "institute",
    "street",
    "square",
    "palace",
    "hall",
    "airport",
    "sea",
    "gulf",
    "river",
    "ocean",
    "republic",
    "kingdom",
    "states",
    "revolution",
    "cabinet",
    "commission",
    "treasury",
    "senate",
    "reserve",
    "community",
    "market",
    "exchange",
    "board",
    "summit",
    "conference",
    "forum",
    "treaty",
    "accord",
    "agreement",
    "war",
    "crisis",
    "plan",
    "program",
    "programme",
    "initiative",
    "declaration",
    "airlines",
    "airways",
    "press",
    "daily",
    "television",
    "tv",
    "radio",
    "channel",
    "service",
    "services",
    "authority",
    "administration",
    "police",
    "navy",
    "air",
    "command",
    "front",
    "movement",
    "alliance",
    "coalition",
    "league",
    "federation",
    "centre",
    "center",
    "strait",
    "island",
    "islands",
    "mountains",
    "valley",
    "peninsula",
    "province",
    "region",
    "city",
    "county",
    "district",
    "church",
    "mosque",
    "inc",
    "ltd",
    "corp",
    "co",
    "oil",
    "gas",
    "petroleum",
    "economic",
    "international",
    "national",
    "general",
    "foreign",
    "affairs",
    "security",
    "defense",
    "defence",
    "finance",
    "trade",
    "development",
    "central",
    "world",
    "global",
    "day",
    "week",
    "countries",
    "organisation",
    "hill",
    "avenue",
    "road",
    "park",
    "bay",
    "beach",
    "lake",
    "mount",
    "gate",
    "bridge",
    "castle",
    "tower",
    "shimbun",
    "herald",
    "tribune",
    "gazette",
    "journal",
];

/// Normalizes a name for comparison: lower case, accents and punctuation dropped, "al-X" → "al x".
pub(crate) fn name_key(name: &str) -> String {
    if name.is_ascii() {
        // The common case, byte by byte: the dictionaries hold tens of thousands of names.
        let mut out = String::with_capacity(name.len());
        for b in name.bytes() {
            if b.is_ascii_alphanumeric() {
                out.push(char::from(b.to_ascii_lowercase()));
            } else if (b == b' ' || b == b'-') && !out.ends_with(' ') && !out.is_empty() {
                out.push(' ');
            }
        }
        out.truncate(out.trim_end().len());
        return out;
    }
    let mut out = String::with_capacity(name.len());
    for c in name.chars() {
        let c = fold(c);
        if c.is_alphanumeric() {
            out.extend(c.to_lowercase());
        } else if (c == ' ' || c == '-') && !out.ends_with(' ') && !out.is_empty() {
            out.push(' ');
        }
    }
    out.trim_end().to_owned()
}

fn fold(c: char) -> char {
    match c {
        'á' | 'à' | 'â' | 'ä' | 'ã' | 'å' | 'ā' => 'a',
        'é' | 'è' | 'ê' | 'ë' | 'ē' => 'e',
        'í' | 'ì' | 'î' | 'ï' | 'ī' => 'i',
        'ó' | 'ò' | 'ô' | 'ö' | 'õ' | 'ø' | 'ō' => 'o',
        'ú' | 'ù' | 'û' | 'ü' | 'ū' => 'u',
        'ç' => 'c',
        'ñ' => 'n',
        'Á' | 'À' | 'Â' | 'Ä' | 'Ã' | 'Å' => 'A',
        'É' | 'È' | 'Ê' | 'Ë' => 'E',
        'Ó' | 'Ö' | 'Ô' => 'O',
        'Ü' | 'Ú' => 'U',
        'Ş' | 'Š' => 'S',
        'ş' | 'š' => 's',
        'ğ' => 'g',
        'ı' => 'i',
        _ => c,
    }
}

/// The surname key of a full name: its last word, without an `al-`/`el-` prefix.
pub(crate) fn surname_key(name: &str) -> String {
    let key = name_key(name);
    let last = key.split(' ').next_back().unwrap_or("");
    last.to_owned()
}

/// Whether a token may be part of a person's name.
pub(crate) fn is_name_token(tok: &Token) -> bool {
    if tok.kind != TokKind::Word {
        return false;
    }
    if tok.cap {
        return tok.lower().chars().filter(|c| c.is_alphabetic()).count() >= 2 || tok.lower().len() == 1;
    }
    PARTICLES.contains(&tok.lower()) || name_prefixed(tok.lower())
}

/// A lower-case name particle ("bin", "al", "de").
pub(crate) fn is_particle(lower: &str) -> bool {
    PARTICLES.contains(&lower)
}

/// "al-Kadhimi", "el-Sisi", "bin-Salman": a particle joined to a name.
fn name_prefixed(lower: &str) -> bool {
    lower
        .split_once('-')
        .is_some_and(|(p, rest)| PARTICLES.contains(&p) && !rest.is_empty())
}

/// Whether a capitalized token can open an untitled name.
pub(crate) fn can_start_name(tok: &Token) -> bool {
    tok.cap && tok.kind == TokKind::Word && !is_not_name(tok.lower())
}

fn word_set(words: &'static [&'static str]) -> crate::FastSet<&'static str> {
    words.iter().copied().collect()
}

/// Whether a word marks an institution ("Foreign Ministry", "White House").
pub(crate) fn is_institution_word(lower: &str) -> bool {
    static SET: std::sync::OnceLock<crate::FastSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| word_set(INSTITUTION)).contains(lower)
}

/// Whether the word can never be part of a name.
pub(crate) fn is_not_name(lower: &str) -> bool {
    static SET: std::sync::OnceLock<crate::FastSet<&'static str>> = std::sync::OnceLock::new();
    SET.get_or_init(|| word_set(NOT_NAMES)).contains(lower)
}

impl PersonRec {
    fn new(name: &str, country: Option<CountryCode>) -> Self {
        let mut rec = PersonRec {
            name: String::new(),
            country,
            title: None,
            aliases: Vec::new(),
            feminine: false,
            keys: Keys::default(),
        };
        rec.set_name(name);
        rec
    }

    fn set_name(&mut self, name: &str) {
        self.name = name.to_owned();
        self.keys.name = name_key(name);
        self.keys.surname = surname_key(name);
    }

    /// The surname key.
    pub(crate) fn surname(&self) -> &str {
        &self.keys.surname
    }

    /// The normalized full name.
    pub(crate) fn key(&self) -> &str {
        &self.keys.name
    }

    /// Whether an alias normalizes to this key.
    fn has_alias_key(&self, key: &str) -> bool {
        self.keys.aliases.iter().any(|a| a == key)
    }

    /// Adds an alias unless it is the name itself or already known.
    pub(crate) fn add_alias(&mut self, alias: &str) {
        let alias = alias.trim();
        let key = name_key(alias);
        if alias.is_empty() || key == self.keys.name || self.has_alias_key(&key) {
            return;
        }
        self.aliases.push(alias.to_owned());
        self.keys.aliases.push(key);
    }
}

/// The people of one article, resolved as they are mentioned.
#[derive(Default, Debug)]
pub(crate) struct Registry {
    pub(crate) people: Vec<PersonRec>,
}

impl Registry {
    /// Finds or creates the person a name refers to. `name` is the run as written.
    pub(crate) fn resolve(&mut self, name: &str, title: Option<&str>, country: Option<CountryCode>) -> usize {
        let key = name_key(name);
        let single = !key.contains(' ');
        let found = self.find(&key, single, country);
        let idx = match found {
            Some(i) => {
                let rec = &mut self.people[i];
                if !single && !rec.name.contains(' ') && rec.name.len() < name.len() {
                    let old = rec.name.clone();
                    rec.set_name(name);
                    rec.add_alias(&old);
                }
                i
            }
            None => {
                let rec = PersonRec::new(name, country);
                self.people.push(rec);
                self.people.len() - 1
            }
        };
        let rec = &mut self.people[idx];
        rec.add_alias(name);
        if rec.country.is_none() {
            rec.country = country;
        }
        if let Some(t) = title.filter(|t| rec.title.is_none() && !t.is_empty()) {
            rec.title = Some(t.to_owned());
        }
        if let Some(t) = title {
            rec.add_alias(&format!("{t} {name}"));
        }
        idx
    }

    fn find(&self, key: &str, single: bool, country: Option<CountryCode>) -> Option<usize> {
        let compatible = |p: &PersonRec| country.is_none() || p.country.is_none() || p.country == country;
        if let Some(i) = self.people.iter().rposition(|p| p.key() == key && compatible(p)) {
            return Some(i);
        }
        let surname = key.split(' ').next_back().unwrap_or(key);
        let by_surname = |p: &PersonRec| p.surname() == surname && compatible(p);
        if single {
            return self
                .people
                .iter()
                .rposition(|p| by_surname(p) || p.has_alias_key(key));
        }
        // A full name upgrades a person known so far by surname only ("King Salman" → "Salman bin …"
        // is not done: different first names are different people).
        self.people
            .iter()
            .rposition(|p| !p.name.contains(' ') && by_surname(p))
            .or_else(|| {
                let first = key.split(' ').next().unwrap_or("");
                self.people.iter().rposition(|p| {
                    let pk = p.key();
                    by_surname(p) && pk.split(' ').next() == Some(first)
                })
            })
    }

    /// The latest person with this title (case-insensitive), for "the president".
    pub(crate) fn by_title(&self, title: &str, country: Option<CountryCode>) -> Option<usize> {
        self.people.iter().rposition(|p| {
            p.title.as_deref().is_some_and(|t| t.eq_ignore_ascii_case(title))
                && (country.is_none() || p.country == country)
        })
    }

    /// A person already named whose surname or alias is this single word.
    pub(crate) fn by_surname(&self, word: &str) -> Option<usize> {
        let key = name_key(word);
        // A hyphenated surname ("Amir-Abdollahian") normalizes to several words: match the end.
        let tail = format!(" {key}");
        let matches = |p: &PersonRec| {
            p.surname() == key
                || p.has_alias_key(&key)
                || surname_no_particle(p) == key
                || (key.contains(' ') && p.key().ends_with(&tail))
        };
        // Two people share the surname ("President Reagan", "Nancy Reagan"): a bare surname means the
        // one with an office, else the one named first.
        let exact = self
            .people
            .iter()
            .position(|p| matches(p) && p.title.is_some())
            .or_else(|| self.people.iter().position(matches));
        // Hispanic names put the paternal surname in the middle ("Juan Lechin Oquendo" → "Lechin").
        exact.or_else(|| {
            self.people.iter().rposition(|p| {
                let pk = p.key();
                let words: Vec<&str> = pk.split(' ').collect();
                words.len() >= 3 && words[1..].iter().any(|w| *w == key && !is_particle(w))
            })
        })
    }
}

fn surname_no_particle(p: &PersonRec) -> &str {
    let s = p.surname();
    ["al ", "el "]
        .iter()
        .find_map(|prefix| s.strip_prefix(prefix))
        .unwrap_or(s)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalise_accents_case_and_hyphens() {
        assert_eq!(name_key("Mustafa al-Kadhimi"), "mustafa al kadhimi");
        assert_eq!(name_key("Recep Tayyip Erdoğan"), "recep tayyip erdogan");
        assert_eq!(surname_key("Mustafa al-Kadhimi"), "kadhimi");
    }

    #[test]
    fn surnames_and_title_names_resolve_to_the_full_name() {
        let mut reg = Registry::default();
        let irn = CountryCode::parse("IRN").ok();
        let rouhani = reg.resolve("Hassan Rouhani", Some("President"), irn);
        assert_eq!(reg.resolve("Rouhani", None, None), rouhani);
        assert_eq!(reg.resolve("Rouhani", Some("President"), None), rouhani);
        assert_eq!(reg.by_title("president", None), Some(rouhani));
        let kadhimi = reg.resolve("Mustafa al-Kadhimi", None, CountryCode::parse("IRQ").ok());
        assert_eq!(reg.by_surname("Kadhimi"), Some(kadhimi));
        assert_ne!(rouhani, kadhimi);
    }

    #[test]
    fn different_full_names_are_never_merged() {
        let mut reg = Registry::default();
        let a = reg.resolve("Ronald Reagan", None, None);
        let b = reg.resolve("Nancy Reagan", None, None);
        assert_ne!(a, b);
    }

    #[test]
    fn a_surname_only_person_is_upgraded_by_the_full_name() {
        let mut reg = Registry::default();
        let a = reg.resolve("Salman", Some("King"), CountryCode::parse("SAU").ok());
        let b = reg.resolve("Abdullah Salman", None, CountryCode::parse("SAU").ok());
        assert_eq!(a, b);
        assert_eq!(reg.people[a].name, "Abdullah Salman");
    }
}
