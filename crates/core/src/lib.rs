//! diplograph-core: the domain types every other crate speaks. No IO.
//!
//! Layout:
//! - `country` — [`CountryCode`], validated ISO 3166-1 alpha-3 (alpha-2 accepted).
//! - `date` — [`DatePoint`] and [`FuzzyDate`] (day | month | year | unknown, optional end).
//! - `event` — [`EventKind`] (CAMEO, PLOVER, Goldstein), [`Role`], [`Modality`].
//! - `entity` — [`EntityKind`], [`EntityId`], [`Person`] with dated [`Affiliation`]s.
//! - `extraction` — [`Extraction`], the extractor's output and the store's input.
//! - `iso3166` — the accepted code table.

mod country;
mod date;
mod entity;
mod event;
mod extraction;
mod iso3166;

pub use country::CountryCode;
pub use date::{DatePoint, FuzzyDate, MAX_YEAR, MIN_YEAR};
pub use entity::{Affiliation, EntityId, EntityKind, Person};
pub use event::{EventKind, Modality, Role};
pub use extraction::{
    ArticleMeta, EXTRACTOR_VERSION, Evidence, ExtractedEntity, ExtractedEvent, Extraction, Participant,
    PlaceRef, Span, Warning, text_hash,
};

/// Why a value was rejected.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum CoreError {
    #[error("unknown country code {0:?}")]
    UnknownCountry(String),
    #[error("invalid date {0:?}: expected YYYY-MM-DD, YYYY-MM or YYYY")]
    InvalidDate(String),
    #[error("unknown event kind {0:?}")]
    UnknownKind(String),
    #[error("unknown role {0:?}")]
    UnknownRole(String),
    #[error("unknown modality {0:?}")]
    UnknownModality(String),
    #[error("unknown entity kind {0:?}")]
    UnknownEntityKind(String),
    #[error("invalid id {0:?}")]
    InvalidId(String),
}
