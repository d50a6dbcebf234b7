//! The rows a restore batch gathers, one tuple per table row in the column order of the restore
//! statements, and writing them: one bulk statement per table and document.

use chrono::NaiveDate;
use diplograph_core::CountryCode;
use serde::Serialize;

use crate::db::Conn;
use crate::error::StoreError;
use crate::export::EntityRecord;
use crate::import::entities::{docs, json, run};
use crate::import::restore::sql::restore;
use crate::import::rollups::RollupDeltas;
use crate::import::sql::statements;
use crate::resolve::search_terms;

/// (id, kind, name, country, resolve_key)
pub(crate) type EntityRow = (String, &'static str, String, Option<CountryCode>, String);
/// (id, url, title, published, source, dateline, home_country, text_hash, text_bytes, extractor)
pub(crate) type ArticleRow = (
    String,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    Option<String>,
    String,
    u64,
    String,
);
/// (id, kind, modality, date_start, date_end, date_precision, first_day, last_day, sort_day,
/// confidence, identity_key)
pub(crate) type EventRow = (
    String,
    &'static str,
    &'static str,
    Option<String>,
    Option<String>,
    Option<&'static str>,
    Option<NaiveDate>,
    Option<NaiveDate>,
    NaiveDate,
    f64,
    String,
);
/// (id, event_id, article_id, sentence, start, end, evidence, trigger_start, trigger_end,
/// trigger_text, participant_spans, confidence, extractor)
pub(crate) type MentionRow = (
    String,
    String,
    String,
    u32,
    usize,
    usize,
    String,
    Option<usize>,
    Option<usize>,
    Option<String>,
    String,
    f64,
    String,
);

/// (entity_id, country, title, valid_from, valid_to)
pub(crate) type AffiliationRow = (String, CountryCode, String, Option<String>, Option<String>);
/// (event_id, entity_id, role, country, kind, modality, sort_day)
pub(crate) type ParticipantRow = (
    String,
    String,
    &'static str,
    Option<CountryCode>,
    &'static str,
    &'static str,
    NaiveDate,
);

/// The new rows of one batch.
#[derive(Default)]
pub(crate) struct Rows {
    pub(crate) entities: Vec<EntityRow>,
    pub(crate) aliases: Vec<[String; 3]>,
    pub(crate) terms: Vec<[String; 2]>,
    pub(crate) affiliations: Vec<AffiliationRow>,
    pub(crate) articles: Vec<ArticleRow>,
    pub(crate) events: Vec<EventRow>,
    pub(crate) participants: Vec<ParticipantRow>,
    pub(crate) places: Vec<(String, Option<String>, String, Option<CountryCode>)>,
    pub(crate) mentions: Vec<MentionRow>,
    pub(crate) rollups: RollupDeltas,
}

/// An entity's names, their search terms and its offices, under its stored id.
pub(crate) fn names(rows: &mut Rows, id: &str, record: &EntityRecord) {
    for alias in &record.aliases {
        rows.aliases
            .push([id.to_owned(), alias.alias.clone(), alias.normalized.clone()]);
        let terms = search_terms(&alias.normalized).map(|t| [id.to_owned(), t.to_owned()]);
        rows.terms.extend(terms);
    }
    for a in &record.affiliations {
        rows.affiliations.push((
            id.to_owned(),
            a.country,
            a.title.clone(),
            a.valid_from.clone(),
            a.valid_to.clone(),
        ));
    }
}

/// Writes the gathered rows: what is referred to before what refers to it.
pub(crate) async fn write_rows(conn: &mut Conn, rows: Rows) -> Result<(), StoreError> {
    let (bulk, sql) = (statements(conn.is_postgres()), restore(conn.is_postgres()));
    let (ties, tie_days) = rows.rollups.encode()?;
    let all = [
        (docs(&rows.entities)?, &bulk.entity),
        (docs(&rows.aliases)?, &bulk.alias),
        (docs(&rows.terms)?, &bulk.term),
        (docs(&rows.affiliations)?, &sql.affiliation),
        (docs(&rows.articles)?, &sql.article),
        (docs(&rows.events)?, &sql.event),
        (docs(&rows.participants)?, &sql.participant),
        (docs(&rows.places)?, &sql.place),
        (docs(&rows.mentions)?, &sql.mention),
        (ties, &bulk.tie),
        (tie_days, &bulk.tie_day),
    ];
    for (docs, statement) in all {
        for doc in docs {
            run(conn, statement, doc).await?;
        }
    }
    Ok(())
}

/// Runs a look-up over one JSON document of keys.
pub(crate) async fn lookup<T: crate::db::Row>(
    conn: &mut Conn,
    sql: &str,
    keys: &[impl Serialize],
) -> Result<Vec<T>, StoreError> {
    let mut found = Vec::new();
    for chunk in keys.chunks(10_000) {
        let rows: Vec<T> = conn
            .fetch_all(crate::db::dynamic(sql.to_owned()), vec![json(chunk)?.into()])
            .await?;
        found.extend(rows);
    }
    Ok(found)
}
