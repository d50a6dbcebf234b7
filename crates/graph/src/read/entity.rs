//! Entities: details with aliases and affiliations, and search by name or alias prefix.

use std::collections::HashMap;

use diplograph_core::{Affiliation, DatePoint, EntityId, EntityKind};

use crate::db::{Arg, Conn, args, dynamic, placeholders};
use crate::error::StoreError;
use crate::model::EntityView;
use crate::read::event::{corrupt, country, entity_id};
use crate::resolve::normalize_name;
use crate::store::Store;

/// Most results a search returns.
pub const MAX_SEARCH: u32 = 100;

#[derive(sqlx::FromRow)]
struct EntityRow {
    id: String,
    kind: String,
    name: String,
    country: Option<String>,
}

#[derive(sqlx::FromRow)]
struct AffiliationRow {
    entity_id: String,
    country: String,
    title: String,
    valid_from: Option<String>,
    valid_to: Option<String>,
}

const SEARCH: &str = "select e.id, e.kind, e.name, e.country from entity e
     where e.id in (select t.entity_id from search_term t where t.term >= $1 and t.term < $2)
       and ($3 = '' or e.kind = $3)
     order by e.name, e.id limit $4";

const MERGED_INTO: &str = "select into_id from merge_log where from_id = $1 order by id desc limit 1";

impl Store {
    /// One entity with its aliases and affiliations. The id of an entity merged away leads to
    /// the entity it was merged into.
    #[tracing::instrument(skip(self))]
    pub async fn entity(&self, id: &EntityId) -> Result<EntityView, StoreError> {
        let mut conn = self.conn().await?;
        let mut current = id.clone();
        // A merge chain is short; the bound only guards against a hand-edited cycle.
        for _ in 0..16 {
            if let Some(view) = load_entities(&mut conn, std::slice::from_ref(&current))
                .await?
                .pop()
            {
                return Ok(view);
            }
            let merged: Option<(String,)> = conn.fetch_optional(MERGED_INTO, args![current.as_str()]).await?;
            match merged {
                Some((into,)) => current = entity_id(&into)?,
                None => break,
            }
        }
        Err(StoreError::NotFound(format!("entity {id}")))
    }

    /// Entities whose name or an alias starts with `prefix`, ignoring case, punctuation and
    /// spacing ("kadh" finds "Mustafa al-Kadhimi" by his alias "Kadhimi"), optionally of one
    /// kind, sorted by name.
    #[tracing::instrument(skip(self))]
    pub async fn entity_search(
        &self,
        prefix: &str,
        kind: Option<EntityKind>,
        limit: u32,
    ) -> Result<Vec<EntityView>, StoreError> {
        let norm = normalize_name(prefix);
        if norm.is_empty() {
            return Err(StoreError::InvalidInput(
                "search needs at least one letter or digit".into(),
            ));
        }
        if limit == 0 || limit > MAX_SEARCH {
            return Err(StoreError::InvalidInput(format!(
                "limit must be 1–{MAX_SEARCH}, got {limit}"
            )));
        }
        let upper = format!("{norm}\u{10FFFF}");
        let kind = kind.map_or("", EntityKind::as_str);
        let mut conn = self.conn().await?;
        let rows: Vec<EntityRow> = conn
            .fetch_all(SEARCH, args![norm, upper, kind, i64::from(limit)])
            .await?;
        let ids: Vec<EntityId> = rows.iter().map(|r| entity_id(&r.id)).collect::<Result<_, _>>()?;
        load_entities(&mut conn, &ids).await
    }

    /// People whose name or an alias (a surname, say) starts with `prefix`.
    pub async fn person_search(&self, prefix: &str, limit: u32) -> Result<Vec<EntityView>, StoreError> {
        self.entity_search(prefix, Some(EntityKind::Person), limit).await
    }
}

/// The entities with these ids, in the order given (missing ids are left out).
pub(crate) async fn load_entities(conn: &mut Conn, ids: &[EntityId]) -> Result<Vec<EntityView>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let list = placeholders(1, ids.len());
    let binds = || ids.iter().map(|id| Arg::from(id.as_str())).collect::<Vec<_>>();
    let rows: Vec<EntityRow> = conn
        .fetch_all(
            dynamic(format!(
                "select id, kind, name, country from entity where id in ({list})"
            )),
            binds(),
        )
        .await?;
    let aliases: Vec<(String, String)> = conn
        .fetch_all(
            dynamic(format!(
                "select entity_id, alias from alias where entity_id in ({list}) order by alias"
            )),
            binds(),
        )
        .await?;
    let affiliations: Vec<AffiliationRow> = conn
        .fetch_all(
            dynamic(format!(
                "select entity_id, country, title, valid_from, valid_to from affiliation
                 where entity_id in ({list}) order by id"
            )),
            binds(),
        )
        .await?;
    let mut by_id: HashMap<String, EntityView> = HashMap::new();
    for row in rows {
        let view = EntityView {
            id: entity_id(&row.id)?,
            kind: EntityKind::parse(&row.kind).map_err(corrupt)?,
            name: row.name,
            country: country(row.country.as_deref())?,
            aliases: Vec::new(),
            affiliations: Vec::new(),
        };
        by_id.insert(row.id, view);
    }
    for (id, alias) in aliases {
        if let Some(view) = by_id.get_mut(&id).filter(|v| v.name != alias) {
            view.aliases.push(alias);
        }
    }
    for row in affiliations {
        if let Some(view) = by_id.get_mut(&row.entity_id) {
            view.affiliations.push(affiliation(row)?);
        }
    }
    Ok(ids.iter().filter_map(|id| by_id.remove(id.as_str())).collect())
}

fn affiliation(row: AffiliationRow) -> Result<Affiliation, StoreError> {
    let point = |s: Option<String>| s.map(|s| DatePoint::parse(&s).map_err(corrupt)).transpose();
    Ok(Affiliation {
        country: country(Some(&row.country))?.ok_or_else(|| corrupt("affiliation without a country"))?,
        title: Some(row.title).filter(|t| !t.is_empty()),
        from: point(row.valid_from)?,
        to: point(row.valid_to)?,
    })
}
