//! Loading events with participants, places and mentions, one query per table for a whole page.

use std::collections::HashMap;

use diplograph_core::{
    CountryCode, DatePoint, EntityId, EntityKind, EventKind, FuzzyDate, Modality, Role, Span,
};

use crate::db::{Arg, Conn, dynamic, placeholders};
use crate::error::StoreError;
use crate::ids::{ArticleId, EventId};
use crate::model::{EventView, MentionView, ParticipantView, PlaceView};
use crate::store::Store;

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

impl Store {
    /// One event with its participants, places and every mention.
    #[tracing::instrument(skip(self))]
    pub async fn event(&self, id: &EventId) -> Result<EventView, StoreError> {
        self.events_by_id(std::slice::from_ref(id))
            .await?
            .pop()
            .ok_or_else(|| StoreError::NotFound(format!("event {id}")))
    }
}

/// The events with these ids, in the order given (missing ids are left out).
pub(crate) async fn load_events(conn: &mut Conn, ids: &[EventId]) -> Result<Vec<EventView>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(1, ids.len());
    let binds = || ids.iter().map(|id| Arg::from(id.as_str())).collect::<Vec<_>>();
    let events: Vec<EventRow> = conn
        .fetch_all(
            dynamic(format!(
                "select id, kind, modality, date_start, date_end, confidence from event where id in ({list})"
            )),
            binds(),
        )
        .await?;
    let participants: Vec<ParticipantRow> = conn
        .fetch_all(
            dynamic(format!(
                "select p.event_id, p.entity_id, e.name, e.kind, p.role, p.country
                 from participant p join entity e on e.id = p.entity_id
                 where p.event_id in ({list}) order by p.event_id, p.role, e.name, p.entity_id"
            )),
            binds(),
        )
        .await?;
    let places: Vec<PlaceRow> = conn
        .fetch_all(
            dynamic(format!(
                "select event_id, entity_id, name, country from event_place where event_id in ({list}) order by name"
            )),
            binds(),
        )
        .await?;
    let mentions: Vec<MentionRow> = conn
        .fetch_all(
            dynamic(format!(
                "select m.event_id, m.article_id, a.url, a.title, a.published, a.source, m.sentence,
                        m.sentence_start, m.sentence_end, m.evidence, m.trigger_start, m.trigger_end,
                        m.trigger_text, m.extractor
                 from mention m join article a on a.id = m.article_id
                 where m.event_id in ({list}) order by m.id"
            )),
            binds(),
        )
        .await?;
    assemble(ids, events, participants, places, mentions)
}

fn assemble(
    ids: &[EventId],
    events: Vec<EventRow>,
    participants: Vec<ParticipantRow>,
    places: Vec<PlaceRow>,
    mentions: Vec<MentionRow>,
) -> Result<Vec<EventView>, StoreError> {
    let mut by_id: HashMap<String, EventView> = HashMap::with_capacity(events.len());
    for row in events {
        by_id.insert(row.id.clone(), event_view(row)?);
    }
    for row in participants {
        if let Some(view) = by_id.get_mut(&row.event_id) {
            view.participants.push(participant_view(row)?);
        }
    }
    for row in places {
        if let Some(view) = by_id.get_mut(&row.event_id) {
            view.places.push(PlaceView {
                entity_id: row.entity_id.map(|id| entity_id(&id)).transpose()?,
                name: row.name,
                country: country(row.country.as_deref())?,
            });
        }
    }
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

fn participant_view(row: ParticipantRow) -> Result<ParticipantView, StoreError> {
    Ok(ParticipantView {
        entity_id: entity_id(&row.entity_id)?,
        name: row.name,
        kind: EntityKind::parse(&row.kind).map_err(corrupt)?,
        role: Role::parse(&row.role).map_err(corrupt)?,
        country: country(row.country.as_deref())?,
    })
}

fn mention_view(row: MentionRow) -> Result<MentionView, StoreError> {
    let trigger = match (row.trigger_start, row.trigger_end, row.trigger_text) {
        (Some(start), Some(end), Some(text)) => Some(Span {
            start: to_usize(start)?,
            end: to_usize(end)?,
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
        start: to_usize(row.sentence_start)?,
        end: to_usize(row.sentence_end)?,
        evidence: row.evidence,
        trigger,
        extractor: row.extractor,
    })
}

pub(crate) fn entity_id(id: &str) -> Result<EntityId, StoreError> {
    EntityId::parse(id).map_err(corrupt)
}

pub(crate) fn country(code: Option<&str>) -> Result<Option<CountryCode>, StoreError> {
    code.map(|c| CountryCode::parse(c).map_err(corrupt)).transpose()
}

fn to_usize(value: i64) -> Result<usize, StoreError> {
    usize::try_from(value).map_err(corrupt)
}

/// A stored value that no longer parses: the database was edited by hand or by a newer version.
pub(crate) fn corrupt(err: impl std::fmt::Display) -> StoreError {
    StoreError::Database(format!("stored value does not parse: {err}"))
}
