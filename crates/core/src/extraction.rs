//! The extractor's output for one article: `Extraction { article, entities, events, warnings }`.
//!
//! This is also the JSON contract of `diplograph extract` and `POST /v1/extract`.

use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};

use crate::{CountryCode, DatePoint, EntityKind, EventKind, FuzzyDate, Modality, Role};

/// The extractor version recorded in every mention.
pub const EXTRACTOR_VERSION: &str = concat!("diplograph-ingest/", env!("CARGO_PKG_VERSION"));

/// What the extractor found in one article.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Extraction {
    pub article: ArticleMeta,
    pub entities: Vec<ExtractedEntity>,
    pub events: Vec<ExtractedEvent>,
    #[serde(default)]
    pub warnings: Vec<Warning>,
}

/// Facts about the article itself.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ArticleMeta {
    pub url: Option<String>,
    pub title: Option<String>,
    /// Publication date (from the input or the text's header).
    pub published: Option<DatePoint>,
    pub source: Option<String>,
    /// The dateline city, as written ("Tehran").
    pub dateline: Option<String>,
    /// The dateline city's country.
    pub home_country: Option<CountryCode>,
    /// Hex SHA-256 of the normalized text (see [`text_hash`]): the article's identity without a URL.
    pub text_hash: String,
    /// Length of the text in bytes, exactly as received.
    pub text_bytes: usize,
    /// The extractor version.
    pub extractor: String,
}

/// An entity named in the article. `id` is local to the extraction: the ISO3 code for
/// countries, `p1`, `o1`, `l1`… for people, organizations and places.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExtractedEntity {
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    pub country: Option<CountryCode>,
    /// The office ("Foreign Minister"), for people.
    pub title: Option<String>,
    #[serde(default)]
    pub aliases: Vec<String>,
}

/// One event with its participants, places, date and evidence.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExtractedEvent {
    pub kind: EventKind,
    pub modality: Modality,
    pub date: Option<DatePoint>,
    pub date_end: Option<DatePoint>,
    #[serde(default)]
    pub places: Vec<PlaceRef>,
    pub participants: Vec<Participant>,
    pub confidence: f32,
    pub evidence: Evidence,
    pub trigger: Option<Span>,
}

impl ExtractedEvent {
    /// The date as a [`FuzzyDate`] (an end before the start is dropped).
    pub fn fuzzy_date(&self) -> FuzzyDate {
        FuzzyDate::new(self.date, self.date_end)
            .unwrap_or_else(|_| self.date.map(FuzzyDate::point).unwrap_or_default())
    }
}

/// A participant: which entity, in which role, and where the text names it.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Participant {
    /// The local id of an entity in [`Extraction::entities`].
    pub entity: String,
    pub name: String,
    pub kind: EntityKind,
    pub country: Option<CountryCode>,
    pub role: Role,
    /// Where the text names it (a pronoun or surname counts), when it does.
    pub mention: Option<Span>,
}

/// A place where an event happened; never an actor.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct PlaceRef {
    pub name: String,
    pub country: Option<CountryCode>,
}

/// The sentence that states an event.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    /// 0-based index among the body's sentences (a header line is not a sentence).
    pub sentence: u32,
    /// Byte offsets into the text exactly as received.
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// A byte range of the text as received, with the text it covers.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Span {
    pub start: usize,
    pub end: usize,
    pub text: String,
}

/// Something the extractor could not handle; never fatal.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Warning {
    pub code: String,
    pub message: String,
    pub sentence: Option<u32>,
}

/// The normalized text hash: SHA-256 over the text with runs of white space collapsed to one
/// space and ends trimmed, so re-wrapped copies of the same article are recognized.
pub fn text_hash(text: &str) -> String {
    // One buffer and one update: feeding the hasher word by word costs more than the hashing.
    let mut normalized = Vec::with_capacity(text.len());
    for word in text.split_whitespace() {
        if !normalized.is_empty() {
            normalized.push(b' ');
        }
        normalized.extend_from_slice(word.as_bytes());
    }
    let digest = Sha256::digest(&normalized);
    let mut hex = String::with_capacity(64);
    for b in digest.iter() {
        hex.push(char::from_digit(u32::from(b >> 4), 16).unwrap_or('0'));
        hex.push(char::from_digit(u32::from(b & 0xf), 16).unwrap_or('0'));
    }
    hex
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn text_hash_ignores_rewrapping() {
        assert_eq!(text_hash("a  b\n c "), text_hash("a b c"));
        assert_ne!(text_hash("a b c"), text_hash("a b d"));
        assert_eq!(text_hash("").len(), 64);
    }

    #[test]
    fn extraction_json_uses_the_contract_names() {
        let event = ExtractedEvent {
            kind: EventKind::Visit,
            modality: Modality::Asserted,
            date: DatePoint::parse("2020-07-18").ok(),
            date_end: None,
            places: vec![PlaceRef {
                name: "Baghdad".into(),
                country: CountryCode::parse("IRQ").ok(),
            }],
            participants: vec![Participant {
                entity: "IRQ".into(),
                name: "Iraq".into(),
                kind: EntityKind::Country,
                country: CountryCode::parse("IRQ").ok(),
                role: Role::Host,
                mention: None,
            }],
            confidence: 0.9,
            evidence: Evidence {
                sentence: 4,
                start: 0,
                end: 1,
                text: "x".into(),
            },
            trigger: None,
        };
        let json = serde_json::to_value(&event).unwrap();
        assert_eq!(json["kind"], "VISIT");
        assert_eq!(json["date"], "2020-07-18");
        assert_eq!(json["date_end"], serde_json::Value::Null);
        assert_eq!(json["participants"][0]["role"], "host");
        assert_eq!(json["places"][0]["country"], "IRQ");
        let back: ExtractedEvent = serde_json::from_value(json).unwrap();
        assert_eq!(back, event);
    }
}
