//! The lines of the `jsonl` export, version 2: one JSON object per line, told apart by `type`.
//!
//! A file holds the `entity` lines first, then the `article` lines, then the `event` lines, each
//! group in id order, so a reader meets every entity and article before an event that names it.
//! An `event` line is the event view of the API (`id`, `kind`, `modality`, `date`, `confidence`,
//! `participants`, `places`, `mentions`) plus, per mention, what a faithful restore needs: its
//! `id`, `confidence` and `participant_spans`. Tie rollups are not written: they follow from the
//! events and are rebuilt on import.

use diplograph_core::{CountryCode, EntityKind, EventKind, FuzzyDate, Modality};
use serde::{Deserialize, Deserializer, Serialize, Serializer};

use crate::model::{MentionView, ParticipantView, PlaceView};

/// One line of a `jsonl` export.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "type", rename_all = "lowercase")]
pub enum Record {
    Entity(EntityRecord),
    Article(ArticleRecord),
    Event(EventRecord),
}

/// A stored entity with every name it is known by and its offices.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct EntityRecord {
    /// The ISO3 code of a country, a UUID otherwise.
    pub id: String,
    pub kind: EntityKind,
    pub name: String,
    pub country: Option<CountryCode>,
    /// What the resolver matches new mentions on (normalized name, `|` country for people).
    pub resolve_key: String,
    pub aliases: Vec<AliasRecord>,
    pub affiliations: Vec<AffiliationRecord>,
}

/// A name an entity is known by, as written and normalized.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AliasRecord {
    pub alias: String,
    pub normalized: String,
}

/// A person's office: the state, the title (`""` when unknown), and when it began and ended
/// (`2020-05`, `2020`, … when known).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct AffiliationRecord {
    pub country: CountryCode,
    pub title: String,
    pub valid_from: Option<String>,
    pub valid_to: Option<String>,
}

/// A stored article: what it is and the hash its duplicates are recognized by (not its text,
/// which the store never keeps).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ArticleRecord {
    pub id: String,
    pub url: Option<String>,
    pub title: Option<String>,
    pub published: Option<String>,
    pub source: Option<String>,
    pub dateline: Option<String>,
    pub home_country: Option<String>,
    /// SHA-256 of the whitespace-normalized text.
    pub text_hash: String,
    pub text_bytes: u64,
    pub extractor: String,
}

/// An event with its participants, places and every mention.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct EventRecord {
    pub id: String,
    pub kind: EventKind,
    pub modality: Modality,
    /// `2020-07-21`, `2020-07`, `2020`, a span `2020-07-21/2020-07-22`, or null.
    #[serde(serialize_with = "write_date", deserialize_with = "read_date")]
    pub date: FuzzyDate,
    pub confidence: f64,
    pub participants: Vec<ParticipantView>,
    pub places: Vec<PlaceView>,
    /// Oldest first.
    pub mentions: Vec<MentionRecord>,
}

/// One report of an event: the mention as the API shows it, plus its id, confidence and where
/// the sentence names each participant.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MentionRecord {
    pub id: String,
    #[serde(flatten)]
    pub view: MentionView,
    pub confidence: f64,
    /// `[{entity_id, role, start, end, text}]`, as stored.
    pub participant_spans: serde_json::Value,
}

fn write_date<S: Serializer>(date: &FuzzyDate, s: S) -> Result<S::Ok, S::Error> {
    if date.is_unknown() {
        s.serialize_none()
    } else {
        s.collect_str(date)
    }
}

fn read_date<'de, D: Deserializer<'de>>(d: D) -> Result<FuzzyDate, D::Error> {
    let text: Option<String> = Option::deserialize(d)?;
    FuzzyDate::parse(text.as_deref().unwrap_or_default()).map_err(serde::de::Error::custom)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_event_line_reads_back_as_written() {
        let line = r#"{"type":"event","id":"0190a1b2-0000-7000-8000-000000000001","kind":"VISIT","modality":"asserted","date":"2020-07-21/2020-07-22","confidence":0.85,"participants":[{"entity_id":"IRQ","name":"Iraq","kind":"country","role":"visitor","country":"IRQ"}],"places":[{"entity_id":null,"name":"Tehran","country":"IRN"}],"mentions":[{"id":"m1","article_id":"a1","url":null,"title":null,"published":"2020-07-22","source":null,"sentence":0,"start":0,"end":10,"evidence":"He visited","trigger":{"start":3,"end":10,"text":"visited"},"extractor":"rules","confidence":0.9,"participant_spans":[]}]}"#;
        let record: Record = serde_json::from_str(line).unwrap();
        let Record::Event(event) = &record else {
            panic!("an event record")
        };
        assert_eq!(event.date.to_string(), "2020-07-21/2020-07-22");
        assert_eq!(event.mentions[0].view.trigger.as_ref().unwrap().text, "visited");
        assert_eq!(serde_json::to_string(&record).unwrap(), line);
    }

    #[test]
    fn an_undated_event_writes_null() {
        let line = r#"{"type":"event","id":"e","kind":"MEET","modality":"planned","date":null,"confidence":1.0,"participants":[],"places":[],"mentions":[]}"#;
        let record: Record = serde_json::from_str(line).unwrap();
        assert_eq!(serde_json::to_string(&record).unwrap(), line);
    }
}
