//! Writing events: the identity rule for de-duplication, new events with participants and
//! places, mentions, and a person's country at event time.

use chrono::NaiveDate;
use diplograph_core::{
    Affiliation, CountryCode, DatePoint, EventKind, ExtractedEvent, FuzzyDate, Modality, Role, Span,
};
use serde::Serialize;

use crate::apply::{Known, role_countries};
use crate::db::{Arg, Conn, args, dynamic, placeholders};
use crate::error::StoreError;
use crate::ids::{ArticleId, EventId, new_id};
use crate::resolve::StoredEntity;
use crate::rollup::{self, EventFacts};

/// A participant resolved to a stored entity, with its country at event time.
pub(crate) struct Resolved {
    pub(crate) entity_id: String,
    pub(crate) role: Role,
    pub(crate) country: Option<CountryCode>,
    pub(crate) mention: Option<Span>,
}

/// An extracted event with everything resolved, ready to store.
pub(crate) struct NewEvent<'a> {
    pub(crate) event: &'a ExtractedEvent,
    pub(crate) date: FuzzyDate,
    pub(crate) participants: &'a [Resolved],
    /// (place entity id, name as written, country)
    pub(crate) places: &'a [(String, String, Option<CountryCode>)],
}

/// The day an undated event sorts on: before every real date, so it comes last newest-first.
/// (Year 1 rather than `NaiveDate::MIN`, which PostgreSQL's `date` cannot hold.)
pub(crate) const UNDATED_SORT_DAY: NaiveDate = match NaiveDate::from_ymd_opt(1, 1, 1) {
    Some(day) => day,
    None => NaiveDate::MIN,
};

pub(crate) const FIND_SAME: &str =
    "select id, first_day, last_day from event where identity_key = $1 order by id";
const INSERT_EVENT: &str = "insert into event
       (id, kind, modality, date_start, date_end, date_precision, first_day, last_day, sort_day, confidence, identity_key)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10, $11)";
const INSERT_PARTICIPANT: &str =
    "insert into participant (event_id, entity_id, role, country, kind, modality, sort_day)
     values ($1, $2, $3, $4, $5, $6, $7) on conflict do nothing";
const INSERT_PLACE: &str = "insert into event_place (event_id, entity_id, name, country) values ($1, $2, $3, $4) on conflict do nothing";
/// The columns of a mention row, as [`mention_row`] binds them.
const MENTION_COLUMNS: &str = "id, event_id, article_id, sentence, sentence_start, sentence_end, evidence,
     trigger_start, trigger_end, trigger_text, participant_spans, confidence, extractor";
const MENTION_WIDTH: usize = 13;
/// Mention rows per insert statement (13 binds each, well under both databases' limits).
const MENTIONS_PER_INSERT: usize = 500;
const AFFILIATIONS: &str =
    "select country, title, valid_from, valid_to from affiliation where entity_id = $1 order by id";

/// `kind|modality|entity:role,…` with the pairs sorted: the date is compared separately.
pub(crate) fn identity_key<'a>(
    kind: EventKind,
    modality: Modality,
    participants: impl Iterator<Item = (&'a str, Role)>,
) -> String {
    let mut pairs: Vec<String> = participants
        .map(|(entity, role)| format!("{entity}:{role}"))
        .collect();
    pairs.sort();
    pairs.dedup();
    format!("{kind}|{modality}|{}", pairs.join(","))
}

/// Whether a stored event's days overlap a date range (undated only matches undated).
pub(crate) fn overlaps(
    range: Option<(NaiveDate, NaiveDate)>,
    first: Option<NaiveDate>,
    last: Option<NaiveDate>,
) -> bool {
    match (range, first, last) {
        (None, None, _) => true,
        (Some((a0, a1)), Some(b0), Some(b1)) => a0 <= b1 && b0 <= a1,
        _ => false,
    }
}

/// Finds the stored event this one is another report of, or inserts it. Returns whether it is new.
pub(crate) async fn store(
    conn: &mut Conn,
    known: &mut Known,
    new: &NewEvent<'_>,
) -> Result<(EventId, bool), StoreError> {
    let participants = new.participants.iter().map(|p| (p.entity_id.as_str(), p.role));
    let key = identity_key(new.event.kind, new.event.modality, participants);
    let range = new.date.day_range();
    if known.same(&key).is_none() {
        let candidates = conn.fetch_all(FIND_SAME, args![&key]).await?;
        known.set_same(&key, candidates);
    }
    let same = known
        .same(&key)
        .unwrap_or_default()
        .iter()
        .find(|(_, first, last)| overlaps(range, *first, *last));
    if let Some((id, _, _)) = same {
        let id = EventId::from_db(id.clone());
        insert_places(conn, known, &id, new.places).await?;
        return Ok((id, false));
    }
    let id = EventId::generate();
    insert_event(conn, known, &id, new, &key).await?;
    let (first_day, last_day) = range.unzip();
    known.add_same(&key, (id.as_str().to_owned(), first_day, last_day));
    Ok((id, true))
}

async fn insert_event(
    conn: &mut Conn,
    known: &mut Known,
    id: &EventId,
    new: &NewEvent<'_>,
    key: &str,
) -> Result<(), StoreError> {
    let (event, date) = (new.event, new.date);
    let (first_day, last_day) = date.day_range().unzip();
    let sort_day = first_day.unwrap_or(UNDATED_SORT_DAY);
    let (kind, modality) = (event.kind.as_str(), event.modality.as_str());
    conn.execute(
        INSERT_EVENT,
        args![
            id.as_str(),
            kind,
            modality,
            date.start().map(|d| d.to_string()),
            date.end().map(|d| d.to_string()),
            date.start().map(|d| d.precision()),
            first_day,
            last_day,
            sort_day,
            f64::from(event.confidence),
            key,
        ],
    )
    .await?;
    for p in new.participants {
        let country = p.country.map(|c| c.as_str().to_owned());
        conn.execute(
            INSERT_PARTICIPANT,
            args![
                id.as_str(),
                &p.entity_id,
                p.role.as_str(),
                country,
                kind,
                modality,
                sort_day
            ],
        )
        .await?;
    }
    insert_places(conn, known, id, new.places).await?;
    let facts = EventFacts {
        id: id.as_str(),
        kind: event.kind,
        modality: event.modality,
        first_day,
        last_day,
    };
    rollup::add_event(conn, &facts, &role_countries(new.participants)).await
}

async fn insert_places(
    conn: &mut Conn,
    known: &mut Known,
    id: &EventId,
    places: &[(String, String, Option<CountryCode>)],
) -> Result<(), StoreError> {
    for (entity_id, name, country) in places {
        if known.place_stored(id.as_str(), name.trim()) {
            continue;
        }
        let country = country.map(|c| c.as_str().to_owned());
        conn.execute(INSERT_PLACE, args![id.as_str(), entity_id, name.trim(), country])
            .await?;
    }
    Ok(())
}

/// Where the text names a participant, as stored in `mention.participant_spans`.
#[derive(Serialize)]
struct ParticipantSpan<'a> {
    entity_id: &'a str,
    role: Role,
    start: usize,
    end: usize,
    text: &'a str,
}

/// The row that records that an article reports an event; [`insert_mentions`] writes it.
pub(crate) fn mention_row(
    event_id: &EventId,
    article_id: &ArticleId,
    new: &NewEvent<'_>,
    extractor: &str,
) -> Result<Vec<Arg>, StoreError> {
    let spans: Vec<ParticipantSpan<'_>> = new
        .participants
        .iter()
        .filter_map(|p| {
            let m = p.mention.as_ref()?;
            Some(ParticipantSpan {
                entity_id: &p.entity_id,
                role: p.role,
                start: m.start,
                end: m.end,
                text: &m.text,
            })
        })
        .collect();
    let spans = serde_json::to_string(&spans).map_err(|e| StoreError::InvalidInput(e.to_string()))?;
    let evidence = &new.event.evidence;
    let trigger = new.event.trigger.as_ref();
    Ok(args![
        new_id(),
        event_id.as_str(),
        article_id.as_str(),
        i64::from(evidence.sentence),
        offset(evidence.start)?,
        offset(evidence.end)?,
        &evidence.text,
        trigger.map(|t| offset(t.start)).transpose()?,
        trigger.map(|t| offset(t.end)).transpose()?,
        trigger.map(|t| t.text.clone()),
        spans,
        f64::from(new.event.confidence),
        extractor,
    ])
}

/// Writes an article's mention rows, in order, a few hundred per statement; a row that repeats
/// one already stored (same event, article and sentence) is skipped.
pub(crate) async fn insert_mentions(conn: &mut Conn, rows: Vec<Vec<Arg>>) -> Result<(), StoreError> {
    let mut rows = rows.into_iter().peekable();
    while rows.peek().is_some() {
        let chunk: Vec<Vec<Arg>> = rows.by_ref().take(MENTIONS_PER_INSERT).collect();
        let values: Vec<String> = (0..chunk.len())
            .map(|i| format!("({})", placeholders(i * MENTION_WIDTH + 1, MENTION_WIDTH)))
            .collect();
        let sql = format!(
            "insert into mention ({MENTION_COLUMNS}) values {}
             on conflict (event_id, article_id, sentence) do nothing",
            values.join(", ")
        );
        conn.execute(dynamic(sql), chunk.into_iter().flatten().collect())
            .await?;
    }
    Ok(())
}

pub(crate) fn offset(value: usize) -> Result<i64, StoreError> {
    i64::try_from(value).map_err(|_| StoreError::InvalidInput(format!("offset {value} out of range")))
}

/// A person's country on a day from stored affiliations (the latest one when none covers the
/// day), else the entity's own country.
pub(crate) async fn person_country_on(
    conn: &mut Conn,
    known: &mut Known,
    entity: &StoredEntity,
    day: Option<NaiveDate>,
) -> Result<Option<CountryCode>, StoreError> {
    if known.affiliations(&entity.id).is_none() {
        let rows: Vec<(String, String, Option<String>, Option<String>)> =
            conn.fetch_all(AFFILIATIONS, args![&entity.id]).await?;
        let affiliations = rows
            .into_iter()
            .filter_map(|(country, title, from, to)| {
                Some(Affiliation {
                    country: CountryCode::parse(&country).ok()?,
                    title: Some(title).filter(|t| !t.is_empty()),
                    from: from.and_then(|d| DatePoint::parse(&d).ok()),
                    to: to.and_then(|d| DatePoint::parse(&d).ok()),
                })
            })
            .collect();
        known.set_affiliations(&entity.id, affiliations);
    }
    let affiliations = known.affiliations(&entity.id).unwrap_or_default();
    let dated = day.and_then(|d| affiliations.iter().find(|a| a.holds_on(d)));
    Ok(dated
        .or(affiliations.last())
        .map(|a| a.country)
        .or(entity.country))
}
