//! [`Store::merge`]: fold an entity the resolver got wrong into the right one. Moves aliases,
//! affiliations, participations and places; events that become the same event fold together
//! (their mentions move); the rollups of every country pair touched are rebuilt; the merge log
//! records who, when and why.

use std::collections::BTreeSet;

use chrono::NaiveDate;
use diplograph_core::{CountryCode, EntityId, EntityKind, EventKind, Modality, Role};
use serde::Serialize;

use crate::db::{Conn, args};
use crate::error::StoreError;
use crate::events::{FIND_SAME, identity_key, overlaps};
use crate::read::corrupt;
use crate::rollup::{self, EventFacts, contributions};
use crate::store::Store;

/// Which entity goes into which, and why.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct MergeRequest {
    /// The entity that disappears.
    pub from: EntityId,
    /// The entity that stays.
    pub into: EntityId,
    pub reason: String,
    /// Who asked (a user name or an API key label).
    pub actor: String,
}

/// What a merge changed.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
pub struct MergeReport {
    pub from: EntityId,
    pub into: EntityId,
    /// Events the merged entity took part in.
    pub events_moved: usize,
    /// Of those, events that turned out to be another report of an event of `into` and were
    /// folded into it.
    pub events_folded: usize,
}

/// (country, partner)
type Pair = (CountryCode, CountryCode);

const KIND: &str = "select kind from entity where id = $1";
const AFFECTED: &str = "select distinct event_id from participant where entity_id = $1 order by event_id";
const DROP_SAME_ROLE: &str = "delete from participant where entity_id = $1 and exists
       (select 1 from participant q where q.event_id = participant.event_id and q.entity_id = $2
          and q.role = participant.role)";
const MOVE_PARTICIPANTS: &str = "update participant set entity_id = $2 where entity_id = $1";
const MOVE_ALIASES: &str = "insert into alias (entity_id, alias, normalized)
     select $2, alias, normalized from alias where entity_id = $1 on conflict do nothing";
const MOVE_TERMS: &str = "insert into search_term (entity_id, term)
     select $2, term from search_term where entity_id = $1 on conflict do nothing";
const MOVE_AFFILIATIONS: &str = "insert into affiliation (entity_id, country, title, valid_from, valid_to)
     select $2, country, title, valid_from, valid_to from affiliation where entity_id = $1 on conflict do nothing";
const MOVE_PLACES: &str = "update event_place set entity_id = $2 where entity_id = $1";
const DELETE_ENTITY: &str = "delete from entity where id = $1";
const LOG: &str =
    "insert into merge_log (from_id, into_id, reason, actor, details) values ($1, $2, $3, $4, $5)";
const EVENT: &str = "select id, kind, modality, first_day, last_day from event where id = $1";
const PARTICIPANTS: &str = "select entity_id, role, country from participant where event_id = $1";
const DROP_SAME_MENTION: &str = "delete from mention where event_id = $1 and exists
       (select 1 from mention m where m.event_id = $2 and m.article_id = mention.article_id
          and m.sentence = mention.sentence)";
const MOVE_MENTIONS: &str = "update mention set event_id = $2 where event_id = $1";
const COPY_PLACES: &str = "insert into event_place (event_id, entity_id, name, country)
     select $2, entity_id, name, country from event_place where event_id = $1 on conflict do nothing";
const DELETE_EVENT: &str = "delete from event where id = $1";
const SET_KEY: &str = "update event set identity_key = $2 where id = $1";
const PAIR_EVENTS: &str = "select distinct p.event_id from participant p
     join participant q on q.event_id = p.event_id where p.country = $1 and q.country = $2";
const DELETE_TIES: &str = "delete from tie where country = $1 and partner = $2";
const DELETE_TIE_DAYS: &str = "delete from tie_day where country = $1 and partner = $2";

/// (id, kind, modality, first_day, last_day)
type EventRow = (String, String, String, Option<NaiveDate>, Option<NaiveDate>);

impl Store {
    /// Merges `from` into `into` in one transaction (see the module docs). Countries cannot be
    /// merged; both entities must exist and be of the same kind.
    #[tracing::instrument(skip(self))]
    pub async fn merge(&self, request: &MergeRequest) -> Result<MergeReport, StoreError> {
        let (from, into) = (request.from.as_str(), request.into.as_str());
        if from == into {
            return Err(StoreError::InvalidInput(
                "cannot merge an entity into itself".into(),
            ));
        }
        let (_guard, mut conn) = self.begin_write().await?;
        check_kinds(&mut conn, &request.from, &request.into).await?;
        let affected: Vec<(String,)> = conn.fetch_all(AFFECTED, args![from]).await?;
        let affected: Vec<String> = affected.into_iter().map(|(id,)| id).collect();
        let pairs = touched_pairs(&mut conn, &affected).await?;
        conn.execute(DROP_SAME_ROLE, args![from, into]).await?;
        for sql in [
            MOVE_PARTICIPANTS,
            MOVE_ALIASES,
            MOVE_TERMS,
            MOVE_AFFILIATIONS,
            MOVE_PLACES,
        ] {
            conn.execute(sql, args![from, into]).await?;
        }
        let mut folded = 0;
        for event_id in &affected {
            folded += usize::from(refold(&mut conn, event_id).await?);
        }
        conn.execute(DELETE_ENTITY, args![from]).await?;
        rebuild_pairs(&mut conn, &pairs).await?;
        let details =
            serde_json::json!({ "events_moved": affected.len(), "events_folded": folded }).to_string();
        conn.execute(
            LOG,
            args![from, into, request.reason.trim(), request.actor.trim(), details],
        )
        .await?;
        let counted = self.count_write(&mut conn).await?;
        conn.commit().await?;
        self.note_version(counted);
        self.refresh_memory().await?;
        Ok(MergeReport {
            from: request.from.clone(),
            into: request.into.clone(),
            events_moved: affected.len(),
            events_folded: folded,
        })
    }
}

async fn check_kinds(conn: &mut Conn, from: &EntityId, into: &EntityId) -> Result<(), StoreError> {
    let mut kinds = Vec::with_capacity(2);
    for id in [from, into] {
        let row: Option<(String,)> = conn.fetch_optional(KIND, args![id.as_str()]).await?;
        let (kind,) = row.ok_or_else(|| StoreError::NotFound(format!("entity {id}")))?;
        kinds.push(EntityKind::parse(&kind).map_err(corrupt)?);
    }
    if kinds[0] != kinds[1] {
        return Err(StoreError::InvalidInput(format!(
            "cannot merge a {} into a {}",
            kinds[0], kinds[1]
        )));
    }
    if kinds[0] == EntityKind::Country {
        return Err(StoreError::InvalidInput(
            "countries are their ISO code and cannot be merged".into(),
        ));
    }
    Ok(())
}

/// The country pairs whose rollups the affected events feed.
async fn touched_pairs(conn: &mut Conn, events: &[String]) -> Result<BTreeSet<Pair>, StoreError> {
    let mut pairs = BTreeSet::new();
    for event_id in events {
        let Some((facts, participants)) = load_event(conn, event_id).await? else {
            continue;
        };
        let roles: Vec<(Role, Option<CountryCode>)> = participants.iter().map(|(_, r, c)| (*r, *c)).collect();
        pairs.extend(
            contributions(facts.1, &roles)
                .into_iter()
                .map(|c| (c.country, c.partner)),
        );
    }
    Ok(pairs)
}

type Loaded = (
    (String, EventKind, Modality, Option<NaiveDate>, Option<NaiveDate>),
    Vec<(String, Role, Option<CountryCode>)>,
);

async fn load_event(conn: &mut Conn, event_id: &str) -> Result<Option<Loaded>, StoreError> {
    let Some((id, kind, modality, first, last)) =
        conn.fetch_optional::<EventRow>(EVENT, args![event_id]).await?
    else {
        return Ok(None);
    };
    let kind = EventKind::parse(&kind).map_err(corrupt)?;
    let modality = Modality::parse(&modality).map_err(corrupt)?;
    let rows: Vec<(String, String, Option<String>)> = conn.fetch_all(PARTICIPANTS, args![event_id]).await?;
    let mut participants = Vec::with_capacity(rows.len());
    for (entity, role, country) in rows {
        let country = country
            .map(|c| CountryCode::parse(&c).map_err(corrupt))
            .transpose()?;
        participants.push((entity, Role::parse(&role).map_err(corrupt)?, country));
    }
    Ok(Some(((id, kind, modality, first, last), participants)))
}

/// Re-keys an event whose participants changed; folds it into an event it now duplicates.
/// Returns whether it was folded.
async fn refold(conn: &mut Conn, event_id: &str) -> Result<bool, StoreError> {
    let Some(((_, kind, modality, first, last), participants)) = load_event(conn, event_id).await? else {
        return Ok(false);
    };
    let key = identity_key(
        kind,
        modality,
        participants.iter().map(|(e, r, _)| (e.as_str(), *r)),
    );
    let range = first.zip(last);
    let candidates: Vec<(String, Option<NaiveDate>, Option<NaiveDate>)> =
        conn.fetch_all(FIND_SAME, args![&key]).await?;
    let keep = candidates
        .into_iter()
        .find(|(id, f, l)| id != event_id && overlaps(range, *f, *l));
    let Some((keep, _, _)) = keep else {
        conn.execute(SET_KEY, args![event_id, key]).await?;
        return Ok(false);
    };
    conn.execute(DROP_SAME_MENTION, args![event_id, &keep]).await?;
    conn.execute(MOVE_MENTIONS, args![event_id, &keep]).await?;
    conn.execute(COPY_PLACES, args![event_id, &keep]).await?;
    conn.execute(DELETE_EVENT, args![event_id]).await?;
    Ok(true)
}

/// Recomputes the `tie` and `tie_day` rows of some country pairs from the raw events.
async fn rebuild_pairs(conn: &mut Conn, pairs: &BTreeSet<Pair>) -> Result<(), StoreError> {
    let mut events = BTreeSet::new();
    for (country, partner) in pairs {
        conn.execute(DELETE_TIES, args![country.as_str(), partner.as_str()])
            .await?;
        conn.execute(DELETE_TIE_DAYS, args![country.as_str(), partner.as_str()])
            .await?;
        let rows: Vec<(String,)> = conn
            .fetch_all(PAIR_EVENTS, args![country.as_str(), partner.as_str()])
            .await?;
        events.extend(rows.into_iter().map(|(id,)| id));
    }
    for event_id in &events {
        let Some(((id, kind, modality, first_day, last_day), participants)) =
            load_event(conn, event_id).await?
        else {
            continue;
        };
        let roles: Vec<(Role, Option<CountryCode>)> = participants.iter().map(|(_, r, c)| (*r, *c)).collect();
        let wanted: Vec<_> = contributions(kind, &roles)
            .into_iter()
            .filter(|c| pairs.contains(&(c.country, c.partner)))
            .collect();
        let facts = EventFacts {
            id: &id,
            kind,
            modality,
            first_day,
            last_day,
        };
        rollup::add_contributions(conn, &facts, &wanted).await?;
    }
    Ok(())
}
