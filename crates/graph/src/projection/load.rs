//! Building the projection from the store, in batches of events so memory stays flat.

use chrono::NaiveDate;
use diplograph_core::{CountryCode, EntityKind, EventKind};

use crate::db::{Conn, args};
use crate::error::StoreError;
use crate::projection::{EventEdge, Node, Projection};
use crate::read::corrupt;

/// Events per batch.
const BATCH: i64 = 20_000;

const ENTITIES: &str = "select id, kind, name, country from entity";
const BATCH_END: &str =
    "select id from event where modality = 'asserted' and id > $1 order by id limit 1 offset $2";
const PARTICIPANTS: &str = "select p.event_id, p.entity_id, p.kind, e.first_day, e.last_day
     from participant p join event e on e.id = p.event_id
     where p.modality = 'asserted' and p.event_id > $1 and ($2 = '' or p.event_id <= $2)
     order by p.event_id";

/// (event id, entity id, kind, first day, last day)
type Row = (String, String, String, Option<NaiveDate>, Option<NaiveDate>);

/// Reads every entity and every asserted event's participants.
pub(crate) async fn load(conn: &mut Conn) -> Result<Projection, StoreError> {
    let mut projection = Projection::default();
    let entities: Vec<(String, String, String, Option<String>)> =
        conn.fetch_all(ENTITIES, Vec::new()).await?;
    for (id, kind, name, country) in entities {
        let kind = EntityKind::parse(&kind).map_err(corrupt)?;
        let country = country
            .map(|c| CountryCode::parse(&c).map_err(corrupt))
            .transpose()?;
        projection.upsert_node(Node {
            id,
            kind,
            name,
            country,
        });
    }
    let mut after = String::new();
    loop {
        let end: Option<(String,)> = conn.fetch_optional(BATCH_END, args![&after, BATCH - 1]).await?;
        let end = end.map(|(id,)| id).unwrap_or_default();
        let rows: Vec<Row> = conn.fetch_all(PARTICIPANTS, args![&after, &end]).await?;
        add_rows(&mut projection, rows)?;
        if end.is_empty() {
            return Ok(projection);
        }
        after = end;
    }
}

/// Groups rows (ordered by event) into events and adds them.
fn add_rows(projection: &mut Projection, rows: Vec<Row>) -> Result<(), StoreError> {
    let mut entities: Vec<String> = Vec::new();
    let mut current: Option<(String, EventKind, Option<NaiveDate>, Option<NaiveDate>)> = None;
    for (event_id, entity_id, kind, first_day, last_day) in rows {
        if current.as_ref().is_some_and(|(id, ..)| *id != event_id) {
            flush(projection, current.take(), &mut entities);
        }
        if current.is_none() {
            current = Some((
                event_id,
                EventKind::parse(&kind).map_err(corrupt)?,
                first_day,
                last_day,
            ));
        }
        entities.push(entity_id);
    }
    flush(projection, current, &mut entities);
    Ok(())
}

fn flush(
    projection: &mut Projection,
    event: Option<(String, EventKind, Option<NaiveDate>, Option<NaiveDate>)>,
    entities: &mut Vec<String>,
) {
    if let Some((_, kind, first_day, last_day)) = event {
        projection.add_event(&EventEdge {
            kind,
            first_day,
            last_day,
            entities,
        });
    }
    entities.clear();
}
