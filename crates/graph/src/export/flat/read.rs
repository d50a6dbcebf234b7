//! Reading a flat export: the four queries of a page, in the connection's dialect, and the task
//! that runs them one page ahead of the writer.
//!
//! Unfiltered, a page's participants, places and mentions are read by the range of its event
//! ids (a walk along their primary keys); filtered, by the list of its event ids. A confidence
//! travels exactly: PostgreSQL prints it in its shortest exact form; SQLite sends it as an
//! integer count of 2⁻³¹ when it is one (every `f32` confidence the extractor writes from 2⁻⁷
//! up is; scaling by a power of two is exact, and the query checks it), else printed with 20
//! significant digits, which costs several times more (`printf` of a double was 15% of
//! SQLite's time in an export). Rust turns either back into the same `f64`.
//!
//! On SQLite the task also sends the writer the names of the entities: all of them with the
//! first page when the store holds at most [`MAX_NAMES`] (one query, and no page's
//! participants are parsed twice); otherwise, with each page, those of its entities the writer
//! does not have yet, so the map grows with the entities an export names, not with its events,
//! and starts over past [`MAX_NAMES`].

use std::collections::HashSet;
use std::hash::BuildHasherDefault;

use serde::Deserialize;
use serde::de::IgnoredAny;
use tokio::sync::mpsc;
use tokio::task::JoinHandle;

use crate::db::{Arg, Conn, dynamic};
use crate::error::StoreError;
use crate::export::flat::{RawPage, parse};
use crate::export::{ExportFilter, event_where};
use crate::fasthash::{FastHasher, FastMap};
use crate::store::Store;

/// Events per page. SQLite runs in process, where a page whose JSON stays in the CPU's cache
/// is read faster (1M events: 1.7 s at 1,000, 2.1 s at 5,000, 2.2 s at 10,000); PostgreSQL
/// pays a round trip per query (14.4 s at 5,000, 16.8 s at 1,000).
fn page_events(pg: bool) -> i64 {
    if pg { 5_000 } else { 1_000 }
}
/// Entity names held before the map starts over.
const MAX_NAMES: usize = 200_000;

/// A page and the entity names it adds (`reset`: forget the ones held first).
struct Sent {
    page: RawPage,
    names: Vec<(String, String)>,
    reset: bool,
}

/// The pages of a flat export, read one ahead by a task that ends when this is dropped, and the
/// entity names the pages need.
pub(crate) struct FlatPages {
    rx: mpsc::Receiver<Result<Sent, StoreError>>,
    task: JoinHandle<()>,
    pub(crate) names: FastMap<String, String>,
}

/// The ids of the entities whose names were sent.
type Named = HashSet<String, BuildHasherDefault<FastHasher>>;

impl FlatPages {
    /// Starts reading the events `filter` keeps (checked by the caller).
    pub(crate) fn start(store: &Store, filter: &ExportFilter) -> FlatPages {
        let (tx, rx) = mpsc::channel(2);
        let (store, filter) = (store.clone(), filter.clone());
        let task = tokio::spawn(async move {
            if let Err(err) = read_pages(&store, &filter, &tx).await {
                let _ = tx.send(Err(err)).await;
            }
        });
        FlatPages {
            rx,
            task,
            names: FastMap::default(),
        }
    }

    /// The next page, or `None` after the last; the names it needs are in `names`.
    pub(crate) async fn next(&mut self) -> Result<Option<RawPage>, StoreError> {
        let Some(sent) = self.rx.recv().await.transpose()? else {
            return Ok(None);
        };
        if sent.reset {
            self.names.clear();
        }
        self.names.extend(sent.names);
        Ok(Some(sent.page))
    }
}

impl Drop for FlatPages {
    fn drop(&mut self) {
        self.task.abort();
    }
}

/// The head of a page: its events, their ids, the last id and how many.
type Head = (String, String, Option<String>, i64);

async fn read_pages(
    store: &Store,
    filter: &ExportFilter,
    tx: &mpsc::Sender<Result<Sent, StoreError>>,
) -> Result<(), StoreError> {
    let mut conn = store.conn().await?;
    let pg = conn.is_postgres();
    let sql = Sql::new(pg, filter)?;
    let mut named = Named::default();
    // Every name, sent with the first page, when there are few enough of them.
    let mut all_names = match pg {
        true => None,
        false => every_name(&mut conn).await?,
    };
    let per_page = !pg && all_names.is_none();
    let mut after = String::new();
    loop {
        let mut args = sql.event_args.clone();
        args.push(after.as_str().into());
        args.push(page_events(pg).into());
        let (events, ids, last, n): Head = conn
            .fetch_optional(dynamic(sql.events.clone()), args)
            .await?
            .ok_or_else(|| StoreError::Database("an aggregate returned no row".into()))?;
        let Some(last) = last else { return Ok(()) };
        let set = match filter.is_everything() {
            true => vec![Arg::from(after.as_str()), Arg::from(last.as_str())],
            false => vec![Arg::from(ids)],
        };
        let page = RawPage {
            events,
            participants: one(&mut conn, &sql.participants, set.clone()).await?,
            places: one(&mut conn, &sql.places, set.clone()).await?,
            mentions: one(&mut conn, &sql.mentions, set).await?,
            arrange: !pg,
        };
        let reset = named.len() > MAX_NAMES;
        if reset {
            named.clear();
        }
        let names = match (all_names.take(), per_page) {
            (Some(names), _) => names,
            (None, true) => new_names(&mut conn, &page.participants, &mut named).await?,
            (None, false) => Vec::new(),
        };
        if tx.send(Ok(Sent { page, names, reset })).await.is_err() || n < page_events(pg) {
            return Ok(());
        }
        after = last;
    }
}

/// A participant row of SQLite's query (event, entity, role, country): its entity id.
#[derive(Deserialize)]
struct EntityOf<'a>(
    IgnoredAny,
    #[serde(borrow)] std::borrow::Cow<'a, str>,
    IgnoredAny,
    IgnoredAny,
);

/// The names of the page's entities not sent before.
async fn new_names(
    conn: &mut Conn,
    participants: &str,
    named: &mut Named,
) -> Result<Vec<(String, String)>, StoreError> {
    let rows: Vec<EntityOf<'_>> = parse(participants)?;
    let missing: Vec<&str> = rows
        .iter()
        .map(|EntityOf(_, id, _, _)| id.as_ref())
        .filter(|id| !named.contains(*id))
        .collect::<HashSet<_, BuildHasherDefault<FastHasher>>>()
        .into_iter()
        .collect();
    if missing.is_empty() {
        return Ok(Vec::new());
    }
    let list = serde_json::to_string(&missing).map_err(|e| StoreError::Database(e.to_string()))?;
    let json = one(&mut *conn, NAMES, vec![Arg::from(list)]).await?;
    let names: Vec<(String, String)> = parse(&json)?;
    named.extend(missing.iter().map(|id| (*id).to_owned()));
    Ok(names)
}

/// Every entity's name, unless there are more than [`MAX_NAMES`] entities.
async fn every_name(conn: &mut Conn) -> Result<Option<Vec<(String, String)>>, StoreError> {
    let (count,): (i64,) = conn
        .fetch_optional("select count(*) from entity", Vec::new())
        .await?
        .ok_or_else(|| StoreError::Database("an aggregate returned no row".into()))?;
    if count > MAX_NAMES as i64 {
        return Ok(None);
    }
    let json = one(conn, ALL_NAMES, Vec::new()).await?;
    Ok(Some(parse(&json)?))
}

const ALL_NAMES: &str = "select json_group_array(json_array(id, name)) from entity";

const NAMES: &str =
    "select json_group_array(json_array(id, name)) from entity where id in (select value from json_each($1))";

async fn one(conn: &mut Conn, sql: &str, args: Vec<Arg>) -> Result<String, StoreError> {
    let row: Option<(String,)> = conn.fetch_optional(dynamic(sql.to_owned()), args).await?;
    Ok(row.map(|(json,)| json).unwrap_or_else(|| "[]".to_owned()))
}

/// The four queries of a flat export, in the dialect of the connection.
struct Sql {
    events: String,
    event_args: Vec<Arg>,
    participants: String,
    places: String,
    mentions: String,
}

impl Sql {
    fn new(pg: bool, filter: &ExportFilter) -> Result<Sql, StoreError> {
        let (cond, event_args) = event_where(filter, "e.id", "e.kind", "e.modality", "e.sort_day")?;
        let (after, limit) = (event_args.len() + 1, event_args.len() + 2);
        let (scaled, confidence, ids) = match pg {
            true => (
                "null",
                "null, confidence::text",
                "coalesce(json_agg(id), '[]')::text",
            ),
            false => (
                "cast(round(e.confidence * 2147483648.0) as integer)",
                "iif(scaled / 2147483648.0 = confidence, scaled, null),
                 iif(scaled / 2147483648.0 = confidence, null, printf('%!.20g', confidence))",
                "json_group_array(id)",
            ),
        };
        let events = rows(
            pg,
            &format!("id, kind, modality, date_start, date_end, {confidence}"),
            "id",
        );
        // The list of ids serves only the filtered reads of the other three queries.
        let ids = if filter.is_everything() { "'[]'" } else { ids };
        let events = format!(
            "select {events}, {ids}, max(id), count(*)
             from (select e.id, e.kind, e.modality, e.date_start, e.date_end, e.confidence,
                          {scaled} as scaled from event e
                   where {cond} and e.id > ${after} order by e.id limit ${limit}) page"
        );
        let set = |column: &str| match (filter.is_everything(), pg) {
            (true, _) => format!("{column} > $1 and {column} <= $2"),
            (false, true) => format!("{column} in (select json_array_elements_text($1::json))"),
            (false, false) => format!("{column} in (select value from json_each($1))"),
        };
        let participants = match pg {
            true => format!(
                "select {} from participant p join entity n on n.id = p.entity_id where {}",
                rows(
                    true,
                    "p.event_id, p.entity_id, p.role, p.country, n.name",
                    "p.event_id, p.role, n.name, p.entity_id"
                ),
                set("p.event_id"),
            ),
            false => format!(
                "select {} from participant where {}",
                rows(false, "event_id, entity_id, role, country", ""),
                set("event_id")
            ),
        };
        let places = format!(
            "select {} from event_place where {}",
            rows(pg, "event_id, name, country", "event_id, name"),
            set("event_id"),
        );
        let mention_items = "m.event_id, m.id, m.article_id, a.url, a.title, a.published, m.sentence,
                             m.sentence_start, m.sentence_end, m.evidence, a.source";
        let mentions = format!(
            "select {} from mention m join article a on a.id = m.article_id where {}",
            rows(pg, mention_items, "m.event_id, m.id"),
            set("m.event_id"),
        );
        Ok(Sql {
            events,
            event_args,
            participants,
            places,
            mentions,
        })
    }
}

/// An aggregate of rows into one JSON array of arrays: in an order on PostgreSQL, whose
/// collation decides it; as they come on SQLite, whose rows the reader sorts in byte order, its
/// collation, for less than the database's sorter costs (`RawPage::each`).
fn rows(pg: bool, items: &str, order: &str) -> String {
    match pg {
        true => format!("coalesce(json_agg(json_build_array({items}) order by {order}), '[]')::text"),
        false => format!("json_group_array(json_array({items}))"),
    }
}
