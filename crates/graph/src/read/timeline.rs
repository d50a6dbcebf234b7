//! Timelines: an entity's or a country's events, newest first, keyset-paginated, each with its
//! participants, places and provenance.

use chrono::NaiveDate;
use diplograph_core::{EntityId, EventKind};

use crate::db::{Arg, Conn, dynamic};
use crate::error::StoreError;
use crate::filter::{EventFilter, PageRequest, Subject, decode_cursor, encode_cursor};
use crate::ids::EventId;
use crate::memory::{Memory, uuid_key, uuid_text};
use crate::model::{EventView, Page};
use crate::store::Store;

/// The kinds that bring two people face to face: a person's meetings timeline.
pub const MEETING_KINDS: [EventKind; 3] = [EventKind::Meet, EventKind::Talks, EventKind::Visit];

/// What [`Store::timeline`] lists.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct TimelineQuery {
    pub subject: Subject,
    /// Only events in which this other party also takes part.
    pub counterpart: Option<Subject>,
    pub filter: EventFilter,
    pub page: PageRequest,
}

impl Store {
    /// Events of an entity or a country, newest first (undated ones last), with participants,
    /// places and every mention (article url/title, evidence sentence).
    #[tracing::instrument(skip(self))]
    pub async fn timeline(&self, query: &TimelineQuery) -> Result<Page<EventView>, StoreError> {
        query.filter.check()?;
        query.page.check()?;
        let cursor = query.page.cursor.as_deref().map(decode_cursor).transpose()?;
        let limit = query.page.limit as usize;
        let ids = match self.read_memory(|m| memory_ids(m, query, cursor.as_ref(), limit)) {
            Some(ids) => ids,
            None => timeline_ids(&mut self.conn().await?, query).await?,
        };
        let next_cursor = (ids.len() > limit).then(|| encode_cursor(ids[limit - 1].0, &ids[limit - 1].1));
        let ids: Vec<EventId> = ids
            .into_iter()
            .take(limit)
            .map(|(_, id)| EventId::from_db(id))
            .collect();
        let items = self.events_by_id(&ids).await?;
        Ok(Page { items, next_cursor })
    }

    /// A person's encounters (meetings, talks, visits), newest first: who met whom, when, where.
    pub async fn meetings(
        &self,
        person: &EntityId,
        filter: &EventFilter,
        page: &PageRequest,
    ) -> Result<Page<EventView>, StoreError> {
        let mut filter = filter.clone();
        if filter.kinds.is_empty() {
            filter.kinds = MEETING_KINDS.to_vec();
        }
        let query = TimelineQuery {
            subject: Subject::Entity(person.clone()),
            counterpart: None,
            filter,
            page: page.clone(),
        };
        self.timeline(&query).await
    }
}

/// The page's ids from the in-memory timelines, one more than the page holds when a next page
/// exists; `None` when memory cannot answer exactly (an event or cursor id that is no uuid).
fn memory_ids(
    memory: &Memory,
    query: &TimelineQuery,
    cursor: Option<&(NaiveDate, String)>,
    limit: usize,
) -> Option<Vec<(NaiveDate, String)>> {
    if !memory.exact {
        return None;
    }
    let after = match cursor {
        Some((day, id)) => Some((*day, uuid_key(id)?)),
        None => None,
    };
    let page = memory.timelines.page(
        &query.subject,
        query.counterpart.as_ref(),
        &query.filter,
        after,
        limit,
    );
    let mut ids: Vec<(NaiveDate, String)> = page
        .ids
        .into_iter()
        .map(|(day, id)| (day, uuid_text(id)))
        .collect();
    if page.more {
        // A placeholder for "more follow": only its presence is used.
        ids.push(ids.last().cloned().unwrap_or((NaiveDate::MIN, String::new())));
    }
    Some(ids)
}

/// One more id than the page holds, so a next page is known to exist.
async fn timeline_ids(
    conn: &mut Conn,
    query: &TimelineQuery,
) -> Result<Vec<(NaiveDate, String)>, StoreError> {
    let (lo, hi) = query.filter.day_bounds();
    let mut args: Vec<Arg> = vec![
        subject_value(&query.subject),
        query.filter.modality.as_str().into(),
        lo.into(),
        hi.into(),
    ];
    let mut sql = format!(
        "select distinct p.sort_day, p.event_id from participant p
         where p.{} = $1 and p.modality = $2 and p.sort_day >= $3 and p.sort_day <= $4",
        subject_column(&query.subject)
    );
    sql.push_str(&query.filter.kinds_clause("p.kind", &mut args));
    if let Some(counterpart) = &query.counterpart {
        args.push(subject_value(counterpart));
        sql.push_str(&format!(
            " and exists (select 1 from participant q where q.event_id = p.event_id and q.{} = ${}
                 and (q.entity_id <> p.entity_id or q.role <> p.role))",
            subject_column(counterpart),
            args.len()
        ));
    }
    if let Some(cursor) = &query.page.cursor {
        let (day, id) = decode_cursor(cursor)?;
        args.push(day.into());
        args.push(id.into());
        let (d, i) = (args.len() - 1, args.len());
        sql.push_str(&format!(
            " and (p.sort_day < ${d} or (p.sort_day = ${d} and p.event_id < ${i}))"
        ));
    }
    args.push(i64::from(query.page.limit + 1).into());
    sql.push_str(&format!(
        " order by p.sort_day desc, p.event_id desc limit ${}",
        args.len()
    ));
    conn.fetch_all(dynamic(sql), args).await
}

fn subject_column(subject: &Subject) -> &'static str {
    match subject {
        Subject::Entity(_) => "entity_id",
        Subject::Country(_) => "country",
    }
}

fn subject_value(subject: &Subject) -> Arg {
    match subject {
        Subject::Entity(id) => id.as_str().into(),
        Subject::Country(code) => code.as_str().into(),
    }
}
