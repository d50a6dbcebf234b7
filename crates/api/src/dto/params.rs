//! Schemas of the parameter values and body fields the document shares: days, ids, country
//! codes, event-kind lists, the small vocabularies (modality, entity kind, interval, export
//! format), cursors, stream ids, search text and the NDJSON batch body. Each is a named
//! component (`$ref`) built from the table the server parses with — core's kinds, modalities
//! and country codes, graph's export formats — so the document names what the parsers accept;
//! `tests/params.rs` and `tests/bodies.rs` hold every schema against the server, value by
//! value. (Country codes are listed in their canonical upper case; the server also reads them
//! in any case, as the description says.)
//!
//! Pattern conventions (JSON Schema patterns are ECMA-262 and take no flags): a word the parser
//! reads in any case is spelled `[Vv][Ii][Ss][Ii][Tt]`; where the parser trims the value, the
//! pattern allows surrounding `\s*` (Rust's `str::trim` and `\s` of the regex engines the
//! validators use both mean Unicode White_Space); digits are `[0-9]`, never `\d`.

use utoipa::openapi::RefOr;
use utoipa::openapi::schema::{KnownFormat, ObjectBuilder, Schema, SchemaFormat, Type};
use utoipa::{PartialSchema, ToSchema};

/// Declares a unit struct whose schema is the string `ObjectBuilder` the expression returns.
macro_rules! string_schema {
    ($(#[$doc:meta])* $name:ident => $build:expr) => {
        $(#[$doc])*
        pub(crate) struct $name;

        impl PartialSchema for $name {
            fn schema() -> RefOr<Schema> {
                let builder: ObjectBuilder = $build;
                builder.schema_type(Type::String).into()
            }
        }

        impl ToSchema for $name {}
    };
}

/// A year from [`MIN_YEAR`](diplograph_core::MIN_YEAR) (1800) to
/// [`MAX_YEAR`](diplograph_core::MAX_YEAR) (2200); the tests check the bounds.
const YEAR: &str = "(?:1[89][0-9]{2}|2[01][0-9]{2}|2200)";
/// The leap years among them: divisible by 4, the centuries but 2000 left out.
const LEAP_YEAR: &str = "(?:(?:1[89]|2[01])(?:0[48]|[2468][048]|[13579][26])|2000)";
/// Characters of an id (`EntityId::parse`, the store's event ids): 1–64 of them.
const ID: &str = "[A-Za-z0-9_:.-]{1,64}";

/// A real calendar day `YYYY<sep>MM<sep>DD` within the accepted years, unanchored.
fn day(sep: &str) -> String {
    format!(
        "(?:{YEAR}{sep}(?:(?:0[13578]|1[02]){sep}(?:0[1-9]|[12][0-9]|3[01])|(?:0[469]|11){sep}\
         (?:0[1-9]|[12][0-9]|30)|02{sep}(?:0[1-9]|1[0-9]|2[0-8]))|{LEAP_YEAR}{sep}02{sep}29)"
    )
}

/// `word` matched in any ASCII case: `csv` → `[Cc][Ss][Vv]`.
fn any_case(word: &str) -> String {
    word.chars()
        .map(|c| match c {
            c if c.is_ascii_alphabetic() => format!("[{}{}]", c.to_ascii_uppercase(), c.to_ascii_lowercase()),
            c if c.is_ascii_alphanumeric() || c == '_' => c.to_string(),
            c => format!("\\{c}"),
        })
        .collect()
}

/// One of `words`, in any case, as a non-capturing group.
fn one_of<'a>(words: impl IntoIterator<Item = &'a str>) -> String {
    let words: Vec<String> = words.into_iter().map(any_case).collect();
    format!("(?:{})", words.join("|"))
}

/// One of `words` (in any case, surrounding spaces allowed), and blank values as `blank` says.
fn word_pattern<'a>(words: impl IntoIterator<Item = &'a str>, blank: Blank) -> String {
    let word = one_of(words);
    match blank {
        Blank::Rejected => format!(r"^\s*{word}\s*$"),
        Blank::EmptyOnly => format!(r"^(?:\s*{word}\s*)?$"),
        Blank::Accepted => format!(r"^\s*{word}?\s*$"),
    }
}

/// What a parser does with an empty or all-space value.
#[derive(Clone, Copy)]
enum Blank {
    /// Both are errors.
    Rejected,
    /// Empty means the default; spaces alone are an error (the value is trimmed only when parsed).
    EmptyOnly,
    /// Both mean the default (the value is trimmed first).
    Accepted,
}

string_schema! {
    /// A day, `YYYY-MM-DD`, between 1800 and 2200.
    Day => ObjectBuilder::new()
        .description(Some("A day `YYYY-MM-DD` between 1800-01-01 and 2200-12-31."))
        .format(Some(SchemaFormat::KnownFormat(KnownFormat::Date)))
        .pattern(Some(format!("^{}$", day("-"))))
        .examples(["2020-07-22"])
}

string_schema! {
    /// An article's publication date: `YYYY-MM-DD`, `YYYYMMDD` or an RFC 3339 timestamp.
    Published => ObjectBuilder::new()
        .description(Some(
            "`YYYY-MM-DD`, `YYYYMMDD` or an RFC 3339 timestamp (only its day is kept), between 1800 \
             and 2200; blank means none.",
        ))
        .max_length(Some(64))
        .pattern(Some(format!(
            r"^\s*(?:{}(?:T(?:[01][0-9]|2[0-3]):[0-5][0-9]:[0-5][0-9](?:\.[0-9]{{1,9}})?(?:Z|[+-](?:[01][0-9]|2[0-3]):[0-5][0-9]))?|{})?\s*$",
            day("-"),
            day("")
        )))
        .examples(["2020-07-22"])
}

string_schema! {
    /// An entity or event id.
    Id => ObjectBuilder::new()
        .description(Some(
            "An id: 1–64 ASCII letters, digits, `-`, `_`, `:` or `.` (ISO alpha-3 for a country).",
        ))
        .pattern(Some(format!("^{ID}$")))
        .examples(["IRN"])
}

string_schema! {
    /// An entity id or a country code, surrounding spaces ignored.
    EntityRef => ObjectBuilder::new()
        .description(Some(
            "An entity id, or an ISO 3166-1 code (alpha-3 or alpha-2, any case) standing for the country.",
        ))
        .pattern(Some(format!(r"^\s*{ID}\s*$")))
        .examples(["IRN"])
}

string_schema! {
    /// An ISO 3166-1 code the server knows.
    Country => ObjectBuilder::new()
        .description(Some(
            "An ISO 3166-1 alpha-3 code (alpha-2 is accepted too, in any case), including the \
             former states news archives still name (SUN, YUG, DDR, CSK).",
        ))
        .enum_values(Some(country_codes()))
        .examples(["IRN"])
}

/// Every accepted code: the alpha-3 codes, then the alpha-2 ones.
fn country_codes() -> Vec<String> {
    let all: Vec<diplograph_core::CountryCode> = diplograph_core::CountryCode::all().collect();
    let alpha3 = all.iter().map(|c| c.as_str().to_owned());
    let alpha2 = all.iter().filter_map(|c| c.alpha2()).map(str::to_owned);
    alpha3.chain(alpha2).collect()
}

string_schema! {
    /// Comma-separated event kinds.
    KindList => ObjectBuilder::new()
        .description(Some(
            "Comma-separated event kinds in any case, e.g. `VISIT,MEET`; blanks between commas are \
             ignored, and no kind means every kind.",
        ))
        .pattern(Some(kind_list_pattern()))
        .examples(["VISIT,MEET,TALKS"])
}

fn kind_list_pattern() -> String {
    let kind = one_of(diplograph_core::EventKind::ALL.map(|k| k.as_str()));
    format!(r"^\s*{kind}?\s*(?:,\s*{kind}?\s*)*$")
}

string_schema! {
    /// Which modality of events counts.
    ModalityFilter => ObjectBuilder::new()
        .description(Some(
            "`asserted`, `planned`, `postponed`, `cancelled`, `denied` or `hypothetical`, in any case; \
             empty means the default.",
        ))
        .pattern(Some(word_pattern(
            diplograph_core::Modality::ALL.map(|m| m.as_str()),
            Blank::EmptyOnly,
        )))
        .examples(["asserted"])
}

string_schema! {
    /// An entity kind to search for.
    EntityKindFilter => ObjectBuilder::new()
        .description(Some(
            "`country`, `person`, `organization` or `place`, in any case; blank means every kind.",
        ))
        .pattern(Some(word_pattern(
            diplograph_core::EntityKind::ALL.map(|k| k.as_str()),
            Blank::Accepted,
        )))
        .examples(["person"])
}

/// The kinds centrality is computed for (places take part in no encounter).
const CENTRALITY_KINDS: [&str; 3] = ["country", "person", "organization"];

string_schema! {
    /// The kind of entity to rank by centrality.
    CentralityKind => ObjectBuilder::new()
        .description(Some(
            "`country` (over country ties), `person` or `organization`, in any case; blank means \
             `country`.",
        ))
        .pattern(Some(word_pattern(CENTRALITY_KINDS, Blank::Accepted)))
        .examples(["country"])
}

/// The periods of a series.
const INTERVALS: [&str; 4] = ["day", "week", "month", "year"];

string_schema! {
    /// The period of a series.
    IntervalName => ObjectBuilder::new()
        .description(Some("`day`, `week` (ISO), `month` or `year`, in any case; empty means `month`."))
        .pattern(Some(word_pattern(INTERVALS, Blank::EmptyOnly)))
        .examples(["month"])
}

string_schema! {
    /// A file format of `GET /v1/export`.
    ExportFormatName => ObjectBuilder::new()
        .description(Some("`csv`, `jsonl`, `graphml`, `gexf`, `jsonld` or `gdelt`, in any case."))
        .pattern(Some(word_pattern(
            diplograph_graph::ExportFormat::ALL.map(|f| f.as_str()),
            Blank::Rejected,
        )))
        .examples(["csv"])
}

string_schema! {
    /// A page cursor: the `next_cursor` of the previous page.
    Cursor => ObjectBuilder::new()
        .description(Some(
            "The `next_cursor` of the previous page (even-length hex, at most 256 digits); empty means \
             the first page. A cursor the server did not hand out is a `400`.",
        ))
        .pattern(Some("^(?:[0-9A-Fa-f]{2}){0,128}$"))
}

string_schema! {
    /// The id of a message of the live stream.
    StreamId => ObjectBuilder::new()
        .description(Some("The numeric `id` of a message of this stream; blank means none."))
        .pattern(Some(r"^\s*[0-9]{0,19}\s*$"))
        .examples(["42"])
}

string_schema! {
    /// The start of a name.
    SearchText => ObjectBuilder::new()
        .description(Some("The start of a name or alias: not blank, at most 100 characters."))
        .min_length(Some(1))
        .max_length(Some(100))
        .pattern(Some(r"\S"))
        .examples(["Kadhimi"])
}

string_schema! {
    /// An NDJSON batch body.
    NdjsonBody => ObjectBuilder::new()
        .description(Some(
            "NDJSON: one article object (as for `POST /v1/articles`) per line, at most 10000 \
             non-blank lines. At least one line must not be blank (space, tab, CR, LF, FF). Each line \
             is answered on its own: a line that is not an article gets an `error` result inside \
             the `200`.",
        ))
        .pattern(Some(r"[^\t\n\f\r ]"))
}
