//! The pages of the `jsonl` export's records: entities (with aliases and affiliations), articles
//! and events (with every mention's id, confidence and participant spans).
//!
//! A full export (no filter) holds every entity and article, also those no event names, so that
//! importing it restores the store; a filtered one holds those its events name.

use std::collections::HashMap;

use diplograph_core::{CountryCode, EntityKind};

use crate::db::{Arg, Conn, dynamic, placeholders};
use crate::error::StoreError;
use crate::export::{
    AffiliationRecord, AliasRecord, ArticleRecord, EntityRecord, EventRecord, ExportFilter, ExportPage,
    MentionRecord, encode_cursor, event_where, page_cursor,
};
use crate::read::corrupt;
use crate::store::Store;

#[derive(sqlx::FromRow)]
struct EntityRow {
    id: String,
    kind: String,
    name: String,
    country: Option<String>,
    resolve_key: String,
}

#[derive(sqlx::FromRow)]
struct ArticleRow {
    id: String,
    url: Option<String>,
    title: Option<String>,
    published: Option<String>,
    source: Option<String>,
    dateline: Option<String>,
    home_country: Option<String>,
    text_hash: String,
    text_bytes: i64,
    extractor: String,
}

/// (event_id, article_id, sentence, id, confidence, participant_spans)
type MentionExtra = (String, String, i64, String, f64, String);

impl Store {
    /// One page of entity records, in id order: every entity for a full export, else those
    /// taking part in, or the place of, a matching event.
    #[tracing::instrument(skip(self))]
    pub async fn export_entity_records(
        &self,
        filter: &ExportFilter,
        page: &ExportPage,
    ) -> Result<crate::Page<EntityRecord>, StoreError> {
        let mut conn = self.conn().await?;
        let named = "select p.event_id, p.entity_id as named_id from participant p
                     union all select ep.event_id, ep.entity_id from event_place ep";
        let (cond, mut args) = scope(filter, "n.id", named)?;
        let sql = format!("select n.id, n.kind, n.name, n.country, n.resolve_key from entity n where {cond}");
        let (rows, next_cursor) =
            keyset::<EntityRow>(&mut conn, sql, "n.id", &mut args, page, |r| &r.id).await?;
        let ids: Vec<&str> = rows.iter().map(|r| r.id.as_str()).collect();
        let mut aliases = names_of::<(String, String, String)>(
            &mut conn,
            "select entity_id, alias, normalized from alias where entity_id in ({list}) order by entity_id, normalized",
            &ids,
        )
        .await?;
        let mut offices = names_of::<(String, String, String, Option<String>, Option<String>)>(
            &mut conn,
            "select entity_id, country, title, valid_from, valid_to from affiliation where entity_id in ({list}) order by id",
            &ids,
        )
        .await?;
        let items = rows
            .into_iter()
            .map(|row| {
                let affiliations = offices
                    .remove(&row.id)
                    .unwrap_or_default()
                    .into_iter()
                    .map(|(_, country, title, valid_from, valid_to)| {
                        Ok(AffiliationRecord {
                            country: CountryCode::parse(&country).map_err(corrupt)?,
                            title,
                            valid_from,
                            valid_to,
                        })
                    })
                    .collect::<Result<_, StoreError>>()?;
                Ok(EntityRecord {
                    aliases: aliases
                        .remove(&row.id)
                        .unwrap_or_default()
                        .into_iter()
                        .map(|(_, alias, normalized)| AliasRecord { alias, normalized })
                        .collect(),
                    affiliations,
                    kind: EntityKind::parse(&row.kind).map_err(corrupt)?,
                    country: crate::read::country(row.country.as_deref())?,
                    id: row.id,
                    name: row.name,
                    resolve_key: row.resolve_key,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(crate::Page { items, next_cursor })
    }

    /// One page of article records, in id order: every article for a full export, else those
    /// reporting a matching event.
    #[tracing::instrument(skip(self))]
    pub async fn export_article_records(
        &self,
        filter: &ExportFilter,
        page: &ExportPage,
    ) -> Result<crate::Page<ArticleRecord>, StoreError> {
        let mut conn = self.conn().await?;
        let named = "select m.event_id, m.article_id as named_id from mention m";
        let (cond, mut args) = scope(filter, "a.id", named)?;
        let sql = format!(
            "select a.id, a.url, a.title, a.published, a.source, a.dateline, a.home_country, a.text_hash,
                    a.text_bytes, a.extractor
             from article a where {cond}"
        );
        let (rows, next_cursor) =
            keyset::<ArticleRow>(&mut conn, sql, "a.id", &mut args, page, |r| &r.id).await?;
        let items = rows
            .into_iter()
            .map(|r| ArticleRecord {
                id: r.id,
                url: r.url,
                title: r.title,
                published: r.published,
                source: r.source,
                dateline: r.dateline,
                home_country: r.home_country,
                text_hash: r.text_hash,
                text_bytes: u64::try_from(r.text_bytes).unwrap_or(0),
                extractor: r.extractor,
            })
            .collect();
        Ok(crate::Page { items, next_cursor })
    }

    /// One page of the matching events as records: [`Store::export_events`] plus each mention's
    /// id, confidence and participant spans.
    #[tracing::instrument(skip(self))]
    pub async fn export_event_records(
        &self,
        filter: &ExportFilter,
        page: &ExportPage,
    ) -> Result<crate::Page<EventRecord>, StoreError> {
        let events = self.export_events(filter, page).await?;
        let ids: Vec<&str> = events.items.iter().map(|e| e.id.as_str()).collect();
        let mut conn = self.conn().await?;
        let extras: Vec<MentionExtra> = if ids.is_empty() {
            Vec::new()
        } else {
            let sql = format!(
                "select event_id, article_id, sentence, id, confidence, participant_spans from mention
                 where event_id in ({})",
                placeholders(1, ids.len())
            );
            conn.fetch_all(dynamic(sql), ids.iter().map(|id| Arg::from(*id)).collect())
                .await?
        };
        let mut extras: HashMap<(String, String, i64), (String, f64, String)> = extras
            .into_iter()
            .map(|(e, a, s, id, conf, spans)| ((e, a, s), (id, conf, spans)))
            .collect();
        let mut items = Vec::with_capacity(events.items.len());
        for event in events.items {
            let mut mentions = Vec::with_capacity(event.mentions.len());
            for view in event.mentions {
                let key = (
                    event.id.as_str().to_owned(),
                    view.article_id.as_str().to_owned(),
                    i64::from(view.sentence),
                );
                let (id, confidence, spans) = extras
                    .remove(&key)
                    .ok_or_else(|| corrupt(format!("mention of event {} vanished", event.id)))?;
                let participant_spans = serde_json::from_str(&spans).map_err(corrupt)?;
                mentions.push(MentionRecord {
                    id,
                    view,
                    confidence,
                    participant_spans,
                });
            }
            items.push(EventRecord {
                id: event.id.as_str().to_owned(),
                kind: event.kind,
                modality: event.modality,
                date: event.date,
                confidence: event.confidence,
                participants: event.participants,
                places: event.places,
                mentions,
            });
        }
        Ok(crate::Page {
            items,
            next_cursor: events.next_cursor,
        })
    }
}

/// The condition keeping the rows whose `id_col` is named by a matching event (`named` selects
/// `(event_id, named_id)` pairs), or every row for a full export.
fn scope(filter: &ExportFilter, id_col: &str, named: &str) -> Result<(String, Vec<Arg>), StoreError> {
    if filter.is_everything() {
        return Ok(("true".to_owned(), Vec::new()));
    }
    let (cond, args) = event_where(filter, "e.id", "e.kind", "e.modality", "e.sort_day")?;
    let sql = format!(
        "{id_col} in (select x.named_id from ({named}) x join event e on e.id = x.event_id where {cond})"
    );
    Ok((sql, args))
}

/// Runs `sql` (a select with a `where`) for one keyset page ordered by `key_col`.
async fn keyset<T: crate::db::Row>(
    conn: &mut Conn,
    mut sql: String,
    key_col: &str,
    args: &mut Vec<Arg>,
    page: &ExportPage,
    key: impl Fn(&T) -> &str,
) -> Result<(Vec<T>, Option<String>), StoreError> {
    if let Some(last) = page_cursor(page)? {
        args.push(last.into());
        sql.push_str(&format!(" and {key_col} > ${}", args.len()));
    }
    args.push(i64::from(page.limit + 1).into());
    sql.push_str(&format!(" order by {key_col} limit ${}", args.len()));
    let mut rows: Vec<T> = conn.fetch_all(dynamic(sql), std::mem::take(args)).await?;
    let limit = page.limit as usize;
    let next_cursor = (rows.len() > limit).then(|| encode_cursor(key(&rows[limit - 1])));
    rows.truncate(limit);
    Ok((rows, next_cursor))
}

/// Rows of a per-entity table for a page of entities, grouped by entity id (the first column).
async fn names_of<T: crate::db::Row + FirstKey>(
    conn: &mut Conn,
    sql: &str,
    ids: &[&str],
) -> Result<HashMap<String, Vec<T>>, StoreError> {
    let mut grouped: HashMap<String, Vec<T>> = HashMap::new();
    if ids.is_empty() {
        return Ok(grouped);
    }
    let sql = sql.replace("{list}", &placeholders(1, ids.len()));
    let rows: Vec<T> = conn
        .fetch_all(dynamic(sql), ids.iter().map(|id| Arg::from(*id)).collect())
        .await?;
    for row in rows {
        grouped.entry(row.first_key().to_owned()).or_default().push(row);
    }
    Ok(grouped)
}

/// A row tuple whose first column is the entity id it belongs to.
trait FirstKey {
    fn first_key(&self) -> &str;
}

impl FirstKey for (String, String, String) {
    fn first_key(&self) -> &str {
        &self.0
    }
}

impl FirstKey for (String, String, String, Option<String>, Option<String>) {
    fn first_key(&self) -> &str {
        &self.0
    }
}
