//! The export's keyset pages: events (with participants, places and every mention), the
//! entities taking part in them and the weighted edges between those entities.

use std::collections::BTreeMap;

use chrono::NaiveDate;
use diplograph_core::{EntityKind, EventKind};

use crate::db::{Arg, dynamic};
use crate::error::StoreError;
use crate::export::{ExportFilter, ExportPage, MAX_EXPORT_PAGE};
use crate::ids::EventId;
use crate::model::{EdgeView, EventView, NodeView, Page};
use crate::read::{corrupt, country, entity_id, load_events};
use crate::store::Store;

impl Store {
    /// One page of the events matching `filter`, in id order, with participants, places and
    /// every mention (article, sentence, byte offsets, extractor).
    #[tracing::instrument(skip(self))]
    pub async fn export_events(
        &self,
        filter: &ExportFilter,
        page: &ExportPage,
    ) -> Result<Page<EventView>, StoreError> {
        let mut conn = self.conn().await?;
        let (cond, mut args) = event_where(filter, "e.id", "e.kind", "e.modality", "e.sort_day")?;
        let mut sql = format!("select e.id from event e where {cond}");
        if let Some(last) = page_cursor(page)? {
            args.push(last.into());
            sql.push_str(&format!(" and e.id > ${}", args.len()));
        }
        args.push(i64::from(page.limit + 1).into());
        sql.push_str(&format!(" order by e.id limit ${}", args.len()));
        let ids: Vec<(String,)> = conn.fetch_all(dynamic(sql), args).await?;
        let limit = page.limit as usize;
        let next_cursor = (ids.len() > limit).then(|| encode_cursor(&ids[limit - 1].0));
        let ids: Vec<EventId> = ids
            .into_iter()
            .take(limit)
            .map(|(id,)| EventId::from_db(id))
            .collect();
        let items = load_events(&mut conn, &ids).await?;
        Ok(Page { items, next_cursor })
    }

    /// One page of the entities taking part in the matching events, in id order (`depth` 0).
    #[tracing::instrument(skip(self))]
    pub async fn export_nodes(
        &self,
        filter: &ExportFilter,
        page: &ExportPage,
    ) -> Result<Page<NodeView>, StoreError> {
        let mut conn = self.conn().await?;
        let (cond, mut args) = event_where(filter, "p.event_id", "p.kind", "p.modality", "p.sort_day")?;
        let mut sql = format!(
            "select distinct n.id, n.kind, n.name, n.country from participant p
             join entity n on n.id = p.entity_id where {cond}"
        );
        if let Some(last) = page_cursor(page)? {
            args.push(last.into());
            sql.push_str(&format!(" and n.id > ${}", args.len()));
        }
        args.push(i64::from(page.limit + 1).into());
        sql.push_str(&format!(" order by n.id limit ${}", args.len()));
        let rows: Vec<NodeRow> = conn.fetch_all(dynamic(sql), args).await?;
        let limit = page.limit as usize;
        let next_cursor = (rows.len() > limit).then(|| encode_cursor(&rows[limit - 1].id));
        let items = rows
            .into_iter()
            .take(limit)
            .map(|row| {
                Ok(NodeView {
                    id: entity_id(&row.id)?,
                    kind: EntityKind::parse(&row.kind).map_err(corrupt)?,
                    name: row.name,
                    country: country(row.country.as_deref())?,
                    depth: 0,
                })
            })
            .collect::<Result<_, StoreError>>()?;
        Ok(Page { items, next_cursor })
    }

    /// One page of edges: each pair of entities that share matching events, with the events
    /// counted by kind, the first and last day and the Goldstein tone sum.
    #[tracing::instrument(skip(self))]
    pub async fn export_edges(
        &self,
        filter: &ExportFilter,
        page: &ExportPage,
    ) -> Result<Page<EdgeView>, StoreError> {
        let mut conn = self.conn().await?;
        let (cond, mut args) = event_where(filter, "p.event_id", "p.kind", "p.modality", "p.sort_day")?;
        let mut sql = format!(
            "select p.entity_id as a, q.entity_id as b, p.kind as kind,
                    count(distinct p.event_id) as n, min(e.first_day) as first_day, max(e.last_day) as last_day
             from participant p
             join participant q on q.event_id = p.event_id and q.entity_id > p.entity_id
             join event e on e.id = p.event_id
             where {cond}"
        );
        if let Some(last) = page_cursor(page)? {
            let (a, b) = last.split_once('\n').ok_or_else(bad_cursor)?;
            args.push(a.into());
            args.push(b.into());
            let (x, y) = (args.len() - 1, args.len());
            sql.push_str(&format!(
                " and (p.entity_id > ${x} or (p.entity_id = ${x} and q.entity_id > ${y}))"
            ));
        }
        args.push(i64::from(page.limit).into());
        sql.push_str(&format!(
            " group by p.entity_id, q.entity_id, p.kind order by p.entity_id, q.entity_id, p.kind limit ${}",
            args.len()
        ));
        let rows: Vec<EdgeRow> = conn.fetch_all(dynamic(sql), args).await?;
        edges_page(rows, page.limit as usize)
    }
}

#[derive(sqlx::FromRow)]
struct NodeRow {
    id: String,
    kind: String,
    name: String,
    country: Option<String>,
}

#[derive(sqlx::FromRow)]
struct EdgeRow {
    a: String,
    b: String,
    kind: String,
    n: i64,
    first_day: Option<NaiveDate>,
    last_day: Option<NaiveDate>,
}

/// Folds the rows (one per pair and kind) into edges. A full page may end inside a pair: that
/// pair is left for the next page, which starts after the last complete one.
fn edges_page(rows: Vec<EdgeRow>, limit: usize) -> Result<Page<EdgeView>, StoreError> {
    let full = rows.len() >= limit;
    let mut edges: Vec<EdgeView> = Vec::new();
    for row in rows {
        let kind = EventKind::parse(&row.kind).map_err(corrupt)?;
        let n = u32::try_from(row.n).map_err(corrupt)?;
        let (a, b) = (entity_id(&row.a)?, entity_id(&row.b)?);
        let same = edges.last().is_some_and(|e| e.a == a && e.b == b);
        if !same {
            edges.push(EdgeView {
                a,
                b,
                weight: 0,
                counts: BTreeMap::new(),
                first_day: None,
                last_day: None,
                tone_sum: 0.0,
            });
        }
        let Some(edge) = edges.last_mut() else { continue };
        edge.weight += n;
        edge.tone_sum += kind.goldstein() * f64::from(n);
        *edge.counts.entry(kind).or_insert(0) += n;
        edge.first_day = min_day(edge.first_day, row.first_day);
        edge.last_day = edge.last_day.max(row.last_day);
    }
    if !full {
        return Ok(Page {
            items: edges,
            next_cursor: None,
        });
    }
    edges.pop();
    let next_cursor = edges
        .last()
        .map(|e| encode_cursor(&format!("{}\n{}", e.a.as_str(), e.b.as_str())));
    if next_cursor.is_none() {
        return Err(StoreError::InvalidInput(
            "export page too small for one edge".into(),
        ));
    }
    Ok(Page {
        items: edges,
        next_cursor,
    })
}

fn min_day(a: Option<NaiveDate>, b: Option<NaiveDate>) -> Option<NaiveDate> {
    match (a, b) {
        (Some(a), Some(b)) => Some(a.min(b)),
        (a, b) => a.or(b),
    }
}

/// The filter as a condition on an event id, kind, modality and sort day column, with binds.
pub(crate) fn event_where(
    filter: &ExportFilter,
    event_col: &str,
    kind_col: &str,
    modality_col: &str,
    day_col: &str,
) -> Result<(String, Vec<Arg>), StoreError> {
    let base = filter.as_event_filter();
    base.check()?;
    let (lo, hi) = base.day_bounds();
    let mut args: Vec<Arg> = vec![lo.into(), hi.into()];
    let mut sql = format!("{day_col} >= $1 and {day_col} <= $2");
    sql.push_str(&base.kinds_clause(kind_col, &mut args));
    if let Some(modality) = filter.modality {
        args.push(modality.as_str().into());
        sql.push_str(&format!(" and {modality_col} = ${}", args.len()));
    }
    if let Some(code) = &filter.country {
        args.push(code.as_str().into());
        sql.push_str(&format!(
            " and exists (select 1 from participant c where c.event_id = {event_col} and c.country = ${})",
            args.len()
        ));
    }
    Ok((sql, args))
}

pub(crate) fn page_cursor(page: &ExportPage) -> Result<Option<String>, StoreError> {
    if !(32..=MAX_EXPORT_PAGE).contains(&page.limit) {
        return Err(StoreError::InvalidInput(format!(
            "export page limit must be 32–{MAX_EXPORT_PAGE}, got {}",
            page.limit
        )));
    }
    page.cursor.as_deref().map(decode_cursor).transpose()
}

/// Cursors are the hex of the last key shown, so callers treat them as opaque.
pub(crate) fn encode_cursor(key: &str) -> String {
    key.bytes().map(|b| format!("{b:02x}")).collect()
}

fn decode_cursor(cursor: &str) -> Result<String, StoreError> {
    if !cursor.len().is_multiple_of(2) || cursor.len() > 512 {
        return Err(bad_cursor());
    }
    let bytes: Vec<u8> = (0..cursor.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(cursor.get(i..i + 2).unwrap_or("zz"), 16).map_err(|_| bad_cursor()))
        .collect::<Result<_, _>>()?;
    String::from_utf8(bytes).map_err(|_| bad_cursor())
}

fn bad_cursor() -> StoreError {
    StoreError::InvalidInput("invalid cursor".into())
}
