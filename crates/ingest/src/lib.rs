//! diplograph-ingest: article text → [`Extraction`](diplograph_core::Extraction). Pure and
//! synchronous: no IO, no database, no network. Dictionary- and pattern-based in the tradition
//! of the political event coders (TABARI, PETRARCH), deterministic and explainable.
//!
//! Layout (one module per pipeline stage, DESIGN §3):
//! - `article` — input forms (text, JSON, JSON Lines) and the header/dateline.
//! - `segment` — sentences and tokens with byte offsets.
//! - `gazetteer` — countries, demonyms, places, organizations, titles, known people (`data/`).
//! - `people` — name runs, the article's person registry, surname/title coreference.
//! - `mentions` — what each sentence names, with pronouns and "the country" resolved.
//! - `triggers` — the event lexicon; `frames` — subjects, objects, roles, modality.
//! - `dates` — explicit and relative dates; `assemble` — dyads, dates, places, implied visits;
//!   `output` — ids and names in the contract's shape.

mod article;
mod assemble;
mod dates;
mod extract;
mod frames;
mod gazetteer;
mod mentions;
mod output;
mod people;
mod segment;
mod triggers;

pub use article::{ArticleInput, Header, MAX_TEXT_BYTES, parse_articles, parse_header, parse_published};
pub use extract::Extractor;

/// Hash maps and sets of the hot path: foldhash (randomly seeded per process) is several times
/// faster than SipHash on the short strings looked up per token.
pub(crate) type FastMap<K, V> = std::collections::HashMap<K, V, foldhash::fast::RandomState>;
pub(crate) type FastSet<K> = std::collections::HashSet<K, foldhash::fast::RandomState>;

/// Sentences read per article; the rest of a longer text gets a warning.
pub const MAX_SENTENCES: usize = 5_000;

/// Why an input could not be read as an article.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum IngestError {
    #[error("invalid article: {0}")]
    InvalidArticle(String),
    #[error("line {line}: {reason}")]
    Line { line: usize, reason: String },
    #[error("gazetteer: {0}")]
    Gazetteer(String),
}
