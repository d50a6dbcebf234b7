//! The details of a page of events: one query per table for the whole page.

use std::collections::HashMap;

use diplograph_core::{DatePoint, EntityKind, EventKind, FuzzyDate, Modality, Role, Span};

use crate::db::{Arg, Conn, dynamic, placeholders};
use crate::error::StoreError;
use crate::export::country;
use crate::ids::{ArticleId, EventId};
use crate::model::{EventView, MentionView, ParticipantView, PlaceView};
use crate::read::{corrupt, entity_id};

#[derive(sqlx::FromRow)]
struct EventRow {
    id: String,
    kind: String,
    modality: String,
    date_start: Option<String>,
    date_end: Option<String>,
    confidence: f64,
}

#[derive(sqlx::FromRow)]
struct ParticipantRow {
    event_id: String,
    entity_id: String,
    name: String,
    kind: String,
    role: String,
    country: Option<String>,
}

#[derive(sqlx::FromRow)]
struct PlaceRow {
    event_id: String,
    entity_id: Option<String>,
    name: String,
    country: Option<String>,
}

#[derive(sqlx::FromRow)]
struct MentionRow {
    event_id: String,
    article_id: String,
    url: Option<String>,
    title: Option<String>,
    published: Option<String>,
    source: Option<String>,
    sentence: i64,
    sentence_start: i64,
    sentence_end: i64,
    evidence: String,
    trigger_start: Option<i64>,
    trigger_end: Option<i64>,
    trigger_text: Option<String>,
    extractor: String,
}

/// The events with these ids, in the order given.
pub(crate) async fn load(conn: &mut Conn, ids: &[EventId]) -> Result<Vec<EventView>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(1, ids.len());
    let binds = || ids.iter().map(|id| Arg::from(id.as_str())).collect::<Vec<_>>();
    let sql = |s: &str| dynamic(s.replace("{list}", &list));
    let events: Vec<EventRow> = conn
        .fetch_all(
            sql(
                "select id, kind, modality, date_start, date_end, confidence from event where id in ({list})",
            ),
            binds(),
        )
        .await?;
    let mut by_id: HashMap<String, EventView> = HashMap::with_capacity(events.len());
    for row in events {
        by_id.insert(row.id.clone(), event_view(row)?);
    }
    let participants: Vec<ParticipantRow> = conn
        .fetch_all(
            sql("select p.event_id, p.entity_id, n.name, n.kind, p.role, p.country
                 from participant p join entity n on n.id = p.entity_id
                 where p.event_id in ({list}) order by p.event_id, p.role, n.name"),
            binds(),
        )
        .await?;
    for row in participants {
        if let Some(view) = by_id.get_mut(&row.event_id) {
            view.participants.push(ParticipantView {
                entity_id: entity_id(&row.entity_id)?,
                name: row.name,
                kind: EntityKind::parse(&row.kind).map_err(corrupt)?,
                role: Role::parse(&row.role).map_err(corrupt)?,
                country: country(row.country.as_deref())?,
            });
        }
    }
    let places: Vec<PlaceRow> = conn
        .fetch_all(
            sql("select event_id, entity_id, name, country from event_place
                 where event_id in ({list}) order by event_id, name"),
            binds(),
        )
        .await?;
    for row in places {
        if let Some(view) = by_id.get_mut(&row.event_id) {
            view.places.push(PlaceView {
                entity_id: row.entity_id.map(|id| entity_id(&id)).transpose()?,
                name: row.name,
                country: country(row.country.as_deref())?,
            });
        }
    }
    let mentions: Vec<MentionRow> = conn
        .fetch_all(
            sql(
                "select m.event_id, m.article_id, a.url, a.title, a.published, a.source, m.sentence,
                        m.sentence_start, m.sentence_end, m.evidence, m.trigger_start, m.trigger_end,
                        m.trigger_text, m.extractor
                 from mention m join article a on a.id = m.article_id
                 where m.event_id in ({list}) order by m.event_id, m.id",
            ),
            binds(),
        )
        .await?;
    for row in mentions {
        if let Some(view) = by_id.get_mut(&row.event_id) {
            view.mentions.push(mention_view(row)?);
        }
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id.as_str())).collect())
}

fn event_view(row: EventRow) -> Result<EventView, StoreError> {
    let point = |s: Option<String>| s.map(|s| DatePoint::parse(&s).map_err(corrupt)).transpose();
    let date = FuzzyDate::new(point(row.date_start)?, point(row.date_end)?).map_err(corrupt)?;
    Ok(EventView {
        id: EventId::from_db(row.id),
        kind: EventKind::parse(&row.kind).map_err(corrupt)?,
        modality: Modality::parse(&row.modality).map_err(corrupt)?,
        date,
        confidence: row.confidence,
        participants: Vec::new(),
        places: Vec::new(),
        mentions: Vec::new(),
    })
}

fn mention_view(row: MentionRow) -> Result<MentionView, StoreError> {
    let offset = |v: i64| usize::try_from(v).map_err(corrupt);
    let trigger = match (row.trigger_start, row.trigger_end, row.trigger_text) {
        (Some(start), Some(end), Some(text)) => Some(Span {
            start: offset(start)?,
            end: offset(end)?,
            text,
        }),
        _ => None,
    };
    Ok(MentionView {
        article_id: ArticleId::from_db(row.article_id),
        url: row.url,
        title: row.title,
        published: row.published,
        source: row.source,
        sentence: u32::try_from(row.sentence).map_err(corrupt)?,
        start: offset(row.sentence_start)?,
        end: offset(row.sentence_end)?,
        evidence: row.evidence,
        trigger,
        extractor: row.extractor,
    })
}
