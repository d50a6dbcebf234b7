//! Countries and people in bulk, resolved by the same keys as `resolve`: a country by its code,
//! a person by normalized full name plus country. Existing entities are reused; new ones get
//! their name as an alias, its search terms and (people) an affiliation.

use std::collections::HashMap;

use diplograph_core::{CountryCode, EntityKind};

use crate::db::{Arg, Conn, dynamic};
use crate::error::StoreError;
use crate::ids::new_id;
use crate::import::sql::statements;
use crate::resolve::{normalize_name, search_terms};

/// Keys looked up per statement.
const CHUNK: usize = 10_000;

/// An entity to find or create.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Seed {
    pub(crate) name: String,
    pub(crate) country: CountryCode,
}

impl Seed {
    /// The resolver's key for an entity of this kind.
    pub(crate) fn key(&self, kind: EntityKind) -> String {
        match kind {
            EntityKind::Country => self.country.as_str().to_owned(),
            _ => format!("{}|{}", normalize_name(&self.name), self.country.as_str()),
        }
    }
}

/// Finds or creates every seed (countries or people); returns resolve key → entity id and how
/// many were created.
pub(crate) async fn upsert(
    conn: &mut Conn,
    kind: EntityKind,
    seeds: &[Seed],
) -> Result<(HashMap<String, String>, u64), StoreError> {
    let sql = statements(conn.is_postgres());
    let keys: Vec<String> = seeds.iter().map(|s| s.key(kind)).collect();
    let mut ids: HashMap<String, String> = HashMap::with_capacity(seeds.len());
    for chunk in keys.chunks(CHUNK) {
        let doc = json(&chunk.iter().map(|k| [k]).collect::<Vec<_>>())?;
        let rows: Vec<(String, String)> = conn
            .fetch_all(
                dynamic(sql.entity_by_key.clone()),
                vec![doc.into(), kind.as_str().into()],
            )
            .await?;
        ids.extend(rows);
    }
    let mut fresh: Vec<(&Seed, String, String)> = Vec::new();
    for (seed, key) in seeds.iter().zip(keys) {
        if ids.contains_key(&key) {
            continue;
        }
        let id = match kind {
            EntityKind::Country => seed.country.as_str().to_owned(),
            _ => new_id(),
        };
        ids.insert(key.clone(), id.clone());
        fresh.push((seed, key, id));
    }
    for chunk in fresh.chunks(CHUNK) {
        insert(conn, kind, chunk).await?;
    }
    Ok((ids, fresh.len() as u64))
}

async fn insert(
    conn: &mut Conn,
    kind: EntityKind,
    fresh: &[(&Seed, String, String)],
) -> Result<(), StoreError> {
    let sql = statements(conn.is_postgres());
    let mut entities = Vec::with_capacity(fresh.len());
    let mut aliases = Vec::with_capacity(fresh.len());
    let mut terms = Vec::with_capacity(fresh.len() * 3);
    let mut affiliations = Vec::new();
    for (seed, key, id) in fresh {
        let name = seed.name.trim();
        let norm = normalize_name(name);
        entities.push([
            id.as_str(),
            kind.as_str(),
            name,
            seed.country.as_str(),
            key.as_str(),
        ]);
        if norm.is_empty() {
            continue;
        }
        terms.extend(search_terms(&norm).map(|t| [id.clone(), t.to_owned()]));
        aliases.push([id.as_str().to_owned(), name.to_owned(), norm]);
        if kind == EntityKind::Person {
            affiliations.push([id.as_str(), seed.country.as_str(), ""]);
        }
    }
    run(conn, &sql.entity, json(&entities)?).await?;
    run(conn, &sql.alias, json(&aliases)?).await?;
    run(conn, &sql.term, json(&terms)?).await?;
    if !affiliations.is_empty() {
        run(conn, &sql.affiliation, json(&affiliations)?).await?;
    }
    Ok(())
}

/// Runs one bulk statement over a JSON document (SQLite also binds `created_at` as `$2`).
pub(crate) async fn run(conn: &mut Conn, sql: &str, doc: String) -> Result<u64, StoreError> {
    let mut binds = vec![Arg::from(doc)];
    if !conn.is_postgres() {
        let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ").to_string();
        binds.push(Arg::from(now));
    }
    let started = std::time::Instant::now();
    let res = conn.execute(dynamic(sql.to_owned()), binds).await;
    tracing::debug!(
        ms = started.elapsed().as_secs_f64() * 1000.0,
        statement = sql.get(..40).unwrap_or(sql),
        "bulk statement"
    );
    res
}

/// Rows per JSON document: one statement per document, and a bounded size per message.
const DOC_ROWS: usize = 5_000;

/// Serializes rows for bulk statements, one document per [`DOC_ROWS`] rows.
pub(crate) fn docs<T: serde::Serialize>(rows: &[T]) -> Result<Vec<String>, StoreError> {
    rows.chunks(DOC_ROWS).map(json).collect()
}

/// Serializes rows for a bulk statement.
pub(crate) fn json<T: serde::Serialize + ?Sized>(rows: &T) -> Result<String, StoreError> {
    serde_json::to_string(rows).map_err(|e| StoreError::InvalidInput(format!("cannot encode rows: {e}")))
}
