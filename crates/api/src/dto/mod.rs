//! Wire shapes for the OpenAPI document. Request bodies are deserialized from the types here;
//! responses are the `Serialize` views of `core` and `graph`, and the structs here mirror their
//! JSON shape with `ToSchema` (those crates stay free of utoipa). A test (`tests/spec.rs`)
//! validates real responses against these schemas, so a view and its mirror cannot drift apart.
//!
//! Layout: this file holds the request bodies, the error body and core's enums as string
//! schemas; `ingest` the extraction and what storing did; `read` events, entities, ties and
//! series; `graph` neighborhoods, paths, centrality and merges; `params` the values parameters
//! and body fields take (days, ids, codes, kinds, vocabularies), with the patterns the parsers
//! accept.

// Mirror fields are only read by the schema derive.
#![allow(dead_code)]

mod graph;
mod ingest;
mod params;
mod read;

use serde::{Deserialize, Serialize};
use utoipa::ToSchema;

pub(crate) use graph::*;
pub(crate) use ingest::*;
pub(crate) use params::*;
pub(crate) use read::*;

/// One article to extract or store. `published` is `YYYY-MM-DD`, `YYYYMMDD` or RFC 3339; with
/// no date, a `date YYYY-MM-DD CITY —` header in the text is used, and relative dates stay
/// unresolved when neither is given. No field may hold a NUL character.
#[derive(Debug, Clone, Deserialize, Serialize, ToSchema)]
#[serde(deny_unknown_fields)]
pub(crate) struct ArticleRequest {
    /// The article text exactly as published (header included); not blank, at most 16 MiB.
    #[schema(
        min_length = 1,
        pattern = r"^[^\u0000]*[^\s\u0000][^\u0000]*$",
        example = "date 2020-07-22 TEHRAN — Iraqi Prime Minister Mustafa al-Kadhimi met …"
    )]
    pub(crate) text: String,
    /// At most 2048 characters.
    #[serde(default)]
    #[schema(max_length = 2048, pattern = r"^[^\u0000]*$")]
    pub(crate) url: Option<String>,
    /// At most 1024 characters.
    #[serde(default)]
    #[schema(max_length = 1024, pattern = r"^[^\u0000]*$")]
    pub(crate) title: Option<String>,
    #[serde(default)]
    #[schema(value_type = Option<Published>, example = "2020-07-22")]
    pub(crate) published: Option<String>,
    /// At most 256 characters.
    #[serde(default)]
    #[schema(max_length = 256, pattern = r"^[^\u0000]*$", example = "Tehran Times")]
    pub(crate) source: Option<String>,
}

/// `{"error":{"code","message"}}`, the body of every error response.
#[derive(ToSchema)]
pub(crate) struct ErrorBody {
    error: ErrorDetail,
}

#[derive(ToSchema)]
pub(crate) struct ErrorDetail {
    /// Stable and machine-readable: `not_found`, `bad_request`, `invalid_json`, `invalid_body`,
    /// `unauthorized`, `forbidden`, `payload_too_large`, `rate_limited`, …
    code: String,
    /// For humans; lowercase, one line.
    message: String,
}

/// Event kinds (DESIGN §2).
#[derive(ToSchema)]
#[schema(rename_all = "SCREAMING_SNAKE_CASE")]
pub(crate) enum EventKind {
    Visit,
    Meet,
    Talks,
    PhoneCall,
    Agreement,
    IntentToCooperate,
    Praise,
    Invite,
    Criticize,
    Accuse,
    Threaten,
    Sanction,
    ReduceRelations,
}

/// Whether the text says the event happened (`asserted`) or something else about it.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub(crate) enum Modality {
    Asserted,
    Planned,
    Postponed,
    Cancelled,
    Denied,
    Hypothetical,
}

/// A participant's role in an event.
#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub(crate) enum Role {
    Visitor,
    Host,
    Participant,
    Mediator,
    Signatory,
    Source,
    Target,
}

#[derive(ToSchema)]
#[schema(rename_all = "lowercase")]
pub(crate) enum EntityKind {
    Country,
    Person,
    Organization,
    Place,
}
