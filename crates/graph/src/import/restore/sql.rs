//! The statements of a `jsonl` restore: every column of the stored rows (the pre-coded imports
//! fill most with constants), and the look-ups that match records to what is stored. Rows come
//! from one bound JSON document, as in `import::sql`.

use std::sync::OnceLock;

use crate::import::sql::{Col, Dialect, IGNORE};

/// The restore statements of one dialect. Entities, aliases and search terms use the bulk
/// statements of `import::sql`.
pub(crate) struct Restore {
    pub(crate) affiliation: String,
    pub(crate) article: String,
    pub(crate) event: String,
    pub(crate) participant: String,
    pub(crate) place: String,
    pub(crate) mention: String,
    /// `[[kind, resolve_key], …]` → `(id, kind, resolve_key)` of stored entities.
    pub(crate) entity_keys: String,
    /// `[[id], …]` → the ids that are stored, in `entity`.
    pub(crate) entity_ids: String,
    /// `[[id], …]` → the ids that are stored, in `event`.
    pub(crate) event_ids: String,
    /// `[[url, text_hash, id], …]` → `(id, url, text_hash)` of the articles with any of them.
    pub(crate) articles: String,
}

/// The statements of a backend.
pub(crate) fn restore(postgres: bool) -> &'static Restore {
    static SQLITE: OnceLock<Restore> = OnceLock::new();
    static POSTGRES: OnceLock<Restore> = OnceLock::new();
    let cell = if postgres { &POSTGRES } else { &SQLITE };
    cell.get_or_init(|| build(&Dialect { postgres }))
}

fn build(d: &Dialect) -> Restore {
    use Col::{Day, Int, Real, Text};
    let rows = d.rows();
    let text = |names: &[&'static str]| -> Vec<(&'static str, Col)> {
        names.iter().enumerate().map(|(i, n)| (*n, Text(i))).collect()
    };
    Restore {
        affiliation: d.insert(
            "affiliation",
            &text(&["entity_id", "country", "title", "valid_from", "valid_to"]),
            IGNORE,
        ),
        article: d.insert(
            "article",
            &[
                ("id", Text(0)),
                ("url", Text(1)),
                ("title", Text(2)),
                ("published", Text(3)),
                ("source", Text(4)),
                ("dateline", Text(5)),
                ("home_country", Text(6)),
                ("text_hash", Text(7)),
                ("text_bytes", Int(8)),
                ("extractor", Text(9)),
            ],
            IGNORE,
        ),
        event: d.insert(
            "event",
            &[
                ("id", Text(0)),
                ("kind", Text(1)),
                ("modality", Text(2)),
                ("date_start", Text(3)),
                ("date_end", Text(4)),
                ("date_precision", Text(5)),
                ("first_day", Day(6)),
                ("last_day", Day(7)),
                ("sort_day", Day(8)),
                ("confidence", Real(9)),
                ("identity_key", Text(10)),
            ],
            IGNORE,
        ),
        participant: d.insert(
            "participant",
            &[
                ("event_id", Text(0)),
                ("entity_id", Text(1)),
                ("role", Text(2)),
                ("country", Text(3)),
                ("kind", Text(4)),
                ("modality", Text(5)),
                ("sort_day", Day(6)),
            ],
            IGNORE,
        ),
        place: d.insert(
            "event_place",
            &text(&["event_id", "entity_id", "name", "country"]),
            IGNORE,
        ),
        mention: d.insert(
            "mention",
            &[
                ("id", Text(0)),
                ("event_id", Text(1)),
                ("article_id", Text(2)),
                ("sentence", Int(3)),
                ("sentence_start", Int(4)),
                ("sentence_end", Int(5)),
                ("evidence", Text(6)),
                ("trigger_start", Int(7)),
                ("trigger_end", Int(8)),
                ("trigger_text", Text(9)),
                ("participant_spans", Text(10)),
                ("confidence", Real(11)),
                ("extractor", Text(12)),
            ],
            IGNORE,
        ),
        entity_keys: format!(
            "select e.id, e.kind, e.resolve_key
             from (select j.value ->> 0 as kind, j.value ->> 1 as resolve_key {rows}) k
             join entity e on e.kind = k.kind and e.resolve_key = k.resolve_key"
        ),
        entity_ids: format!("select id from entity where id in (select j.value ->> 0 {rows})"),
        event_ids: format!("select id from event where id in (select j.value ->> 0 {rows})"),
        articles: format!(
            "select a.id, a.url, a.text_hash from article a
             where a.url in (select j.value ->> 0 {rows}) or a.text_hash in (select j.value ->> 1 {rows})
                or a.id in (select j.value ->> 2 {rows})"
        ),
    }
}
