//! The row every import format produces, what a line can turn into, and a cache of country
//! codes (parsing one scans the ISO list; an import parses millions).

use std::collections::HashMap;

use chrono::NaiveDate;
use diplograph_core::{CountryCode, EventKind, Role};

/// One pre-coded event, ready for a batch.
#[derive(Clone, Debug, PartialEq)]
pub(crate) struct ImportRow {
    pub(crate) kind: EventKind,
    pub(crate) day: NaiveDate,
    pub(crate) participants: [RowParticipant; 2],
    /// Where it happened: a name, and its country when known.
    pub(crate) place: Option<(String, Option<CountryCode>)>,
    pub(crate) article: ArticleRef,
    /// The mention's evidence: which source row says so.
    pub(crate) evidence: String,
}

/// A participant: a stored entity id, its role, its country at the time.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct RowParticipant {
    pub(crate) entity: String,
    pub(crate) role: Role,
    pub(crate) country: CountryCode,
}

/// The article a row comes from. `key` identifies it: the URL when there is one, else a
/// synthetic text hash.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct ArticleRef {
    pub(crate) key: ArticleKey,
    pub(crate) title: Option<String>,
    pub(crate) published: Option<NaiveDate>,
    pub(crate) source: Option<String>,
}

/// How an imported article is found again.
#[derive(Clone, Debug, PartialEq, Eq, Hash)]
pub(crate) enum ArticleKey {
    /// GDELT's SOURCEURL: an article already stored under this URL gets the mention.
    Url(String),
    /// A synthetic `text_hash` for sources without URLs (the bench's article ids).
    Hash(String),
}

/// What one line became.
#[derive(Clone, Debug, PartialEq)]
pub(crate) enum Parsed {
    Row(Box<ImportRow>),
    /// Well formed, out of scope; counted under this reason.
    Skip(&'static str),
    /// Malformed; reported with its line number.
    Bad(String),
}

/// CAMEO's regional actor codes: groups of countries, never a country (DESIGN §4).
const REGIONAL: [&str; 27] = [
    "AFR", "ASA", "BAL", "BLK", "CAS", "CAU", "CEU", "CFR", "CRB", "EAF", "EEU", "EIN", "EUR", "LAM", "MDT",
    "MEA", "NAF", "NMR", "PGS", "SAF", "SAM", "SAS", "SCN", "SEA", "WAF", "WEU", "WST",
];

/// Why a country code was refused.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum CodeError {
    Regional,
    Unknown,
}

/// Parses country codes once each.
#[derive(Default)]
pub(crate) struct Countries {
    seen: HashMap<String, Result<CountryCode, CodeError>>,
}

impl Countries {
    /// An alpha-3 code as a country; regional codes and unknown ones are errors.
    pub(crate) fn parse(&mut self, code: &str) -> Result<CountryCode, CodeError> {
        if let Some(found) = self.seen.get(code) {
            return *found;
        }
        let up = code.trim().to_ascii_uppercase();
        // CAF is the Central African Republic in ISO 3166 and a region in old CAMEO: the
        // country wins, since GDELT 2.0 codes the region CFR.
        let parsed = match CountryCode::parse(&up) {
            Ok(country) if up.len() == 3 => Ok(country),
            _ if REGIONAL.contains(&up.as_str()) => Err(CodeError::Regional),
            _ => Err(CodeError::Unknown),
        };
        self.seen.insert(code.to_owned(), parsed);
        parsed
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn regional_codes_are_told_apart_from_unknown_ones() {
        let mut countries = Countries::default();
        assert_eq!(countries.parse("IRN").unwrap().as_str(), "IRN");
        assert_eq!(countries.parse("usa").unwrap().as_str(), "USA");
        assert_eq!(countries.parse("EUR"), Err(CodeError::Regional));
        assert_eq!(countries.parse("AFR"), Err(CodeError::Regional));
        assert_eq!(countries.parse("WST"), Err(CodeError::Regional));
        assert_eq!(countries.parse("CAF").unwrap().as_str(), "CAF");
        assert_eq!(countries.parse("ZZZ"), Err(CodeError::Unknown));
        // Alpha-2 is not what these formats carry.
        assert_eq!(countries.parse("IR"), Err(CodeError::Unknown));
        assert_eq!(countries.parse("XKX").unwrap().as_str(), "XKX");
    }
}
