//! Entity resolution inside an apply transaction: countries by ISO3, people by normalized full
//! name plus country, organizations by name, places by name plus country. Two different full
//! names are never merged; the same name with two different countries stays two people.

use diplograph_core::{CountryCode, EntityKind};

use crate::apply::Known;
use crate::db::{Conn, args};
use crate::error::StoreError;
use crate::ids::new_id;

/// An entity as stored: its id, kind and (for people, the latest known) country.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct StoredEntity {
    pub(crate) id: String,
    pub(crate) kind: EntityKind,
    pub(crate) country: Option<CountryCode>,
}

/// What to resolve: the extractor's view of one entity.
pub(crate) struct Candidate<'a> {
    pub(crate) kind: EntityKind,
    pub(crate) local_id: &'a str,
    pub(crate) name: &'a str,
    pub(crate) country: Option<CountryCode>,
    pub(crate) title: Option<&'a str>,
    pub(crate) aliases: &'a [String],
}

/// Whether resolution found a stored entity or made a new one.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(crate) enum Outcome {
    Created,
    Matched,
}

const INSERT_ENTITY: &str =
    "insert into entity (id, kind, name, country, resolve_key) values ($1, $2, $3, $4, $5)
     on conflict do nothing";
const FIND_BY_KEY: &str = "select id, country from entity where kind = $1 and resolve_key = $2";
const FIND_BY_NAME: &str = "select id, country from entity
     where kind = $1 and resolve_key >= $2 and resolve_key < $3 order by id limit 3";
const ADOPT_COUNTRY: &str = "update entity set country = $2, resolve_key = $3 where id = $1";
const INSERT_ALIAS: &str =
    "insert into alias (entity_id, alias, normalized) values ($1, $2, $3) on conflict do nothing";
const INSERT_TERM: &str = "insert into search_term (entity_id, term) values ($1, $2) on conflict do nothing";
const INSERT_AFFILIATION: &str =
    "insert into affiliation (entity_id, country, title) values ($1, $2, $3) on conflict do nothing";

/// Lowercases, drops apostrophes and folds every other non-alphanumeric run to one space:
/// `"Mustafa al-Kadhimi"` → `"mustafa al kadhimi"`.
pub(crate) fn normalize_name(name: &str) -> String {
    let mut out = String::with_capacity(name.len());
    let mut gap = false;
    for ch in name.chars().flat_map(char::to_lowercase) {
        if ch.is_alphanumeric() {
            if gap && !out.is_empty() {
                out.push(' ');
            }
            gap = false;
            out.push(ch);
        } else if !matches!(ch, '\'' | '\u{2019}' | '\u{2018}' | '`') {
            gap = true;
        }
    }
    out
}

/// Resolves one entity, creating it when nothing matches, and records its aliases and office.
/// Rows `known` holds are neither looked up nor written again.
pub(crate) async fn resolve(
    conn: &mut Conn,
    known: &mut Known,
    cand: &Candidate<'_>,
) -> Result<(StoredEntity, Outcome), StoreError> {
    let norm = normalize_name(cand.name);
    if norm.is_empty() && cand.kind != EntityKind::Country {
        return Err(StoreError::InvalidInput(format!("{} without a name", cand.kind)));
    }
    let mut at = At { conn, known };
    let (entity, outcome) = match cand.kind {
        EntityKind::Country => resolve_country(&mut at, cand).await?,
        EntityKind::Person => resolve_person(&mut at, cand, &norm).await?,
        EntityKind::Organization => find_or_create(&mut at, cand, norm.clone(), cand.country).await?,
        EntityKind::Place => find_or_create(&mut at, cand, keyed(&norm, cand.country), cand.country).await?,
    };
    record_names(&mut at, &entity.id, cand).await?;
    if let (EntityKind::Person, Some(country)) = (cand.kind, cand.country) {
        let title = cand.title.map(str::trim).unwrap_or_default();
        if !at.known.affiliation_stored(&entity.id, country, title) {
            at.conn
                .execute(INSERT_AFFILIATION, args![&entity.id, country.as_str(), title])
                .await?;
        }
    }
    Ok((entity, outcome))
}

/// The open transaction and what it already holds.
struct At<'t> {
    conn: &'t mut Conn,
    known: &'t mut Known,
}

/// Records the name and aliases, and their search terms.
async fn record_names(at: &mut At<'_>, entity_id: &str, cand: &Candidate<'_>) -> Result<(), StoreError> {
    for alias in std::iter::once(cand.name).chain(cand.aliases.iter().map(String::as_str)) {
        let norm = normalize_name(alias);
        if norm.is_empty() || at.known.alias_stored(entity_id, &norm) {
            continue;
        }
        at.conn
            .execute(INSERT_ALIAS, args![entity_id, alias.trim(), &norm])
            .await?;
        for term in search_terms(&norm) {
            if !at.known.term_stored(entity_id, term) {
                at.conn.execute(INSERT_TERM, args![entity_id, term]).await?;
            }
        }
    }
    Ok(())
}

/// Every word-suffix of a normalized name: "mustafa al kadhimi", "al kadhimi", "kadhimi".
pub(crate) fn search_terms(norm: &str) -> impl Iterator<Item = &str> {
    std::iter::once(norm).chain(norm.match_indices(' ').map(|(i, _)| &norm[i + 1..]))
}

fn keyed(norm: &str, country: Option<CountryCode>) -> String {
    format!("{norm}|{}", country.as_ref().map_or("", |c| c.as_str()))
}

async fn resolve_country(
    at: &mut At<'_>,
    cand: &Candidate<'_>,
) -> Result<(StoredEntity, Outcome), StoreError> {
    let code = CountryCode::parse(cand.local_id)
        .ok()
        .or(cand.country)
        .ok_or_else(|| {
            StoreError::InvalidInput(format!(
                "country {:?} has no ISO 3166 code",
                cand.name.chars().take(64).collect::<String>()
            ))
        })?;
    let name = if cand.name.trim().is_empty() {
        code.as_str()
    } else {
        cand.name.trim()
    };
    let created = match at.known.country_exists(code) {
        true => 0,
        false => {
            at.conn
                .execute(
                    INSERT_ENTITY,
                    args![code.as_str(), "country", name, code.as_str(), code.as_str()],
                )
                .await?
        }
    };
    let entity = StoredEntity {
        id: code.as_str().to_owned(),
        kind: EntityKind::Country,
        country: Some(code),
    };
    Ok((
        entity,
        if created == 1 {
            Outcome::Created
        } else {
            Outcome::Matched
        },
    ))
}

/// People: the exact (name, country) key first; a known country adopts a countryless namesake;
/// with no country, a unique namesake matches and several stay apart.
async fn resolve_person(
    at: &mut At<'_>,
    cand: &Candidate<'_>,
    norm: &str,
) -> Result<(StoredEntity, Outcome), StoreError> {
    let key = keyed(norm, cand.country);
    if let Some(found) = find(at, EntityKind::Person, &key).await? {
        return Ok((found, Outcome::Matched));
    }
    if let Some(country) = cand.country {
        let bare = keyed(norm, None);
        if let Some(mut found) = find(at, EntityKind::Person, &bare).await? {
            at.conn
                .execute(ADOPT_COUNTRY, args![&found.id, country.as_str(), &key])
                .await?;
            found.country = Some(country);
            at.known.set_entity(EntityKind::Person, &bare, None);
            at.known.set_entity(EntityKind::Person, &key, Some(found.clone()));
            return Ok((found, Outcome::Matched));
        }
        return find_or_create(at, cand, key, Some(country)).await;
    }
    let prefix = format!("{norm}|");
    let upper = format!("{norm}|\u{10FFFF}");
    let rows: Vec<(String, Option<String>)> = at
        .conn
        .fetch_all(FIND_BY_NAME, args!["person", prefix, upper])
        .await?;
    match rows.as_slice() {
        [(id, country)] => Ok((
            stored(id.clone(), EntityKind::Person, country.as_deref()),
            Outcome::Matched,
        )),
        _ => find_or_create(at, cand, key, None).await,
    }
}

async fn find(at: &mut At<'_>, kind: EntityKind, key: &str) -> Result<Option<StoredEntity>, StoreError> {
    if let Some(known) = at.known.entity(kind, key) {
        return Ok(known);
    }
    let row: Option<(String, Option<String>)> = at
        .conn
        .fetch_optional(FIND_BY_KEY, args![kind.as_str(), key])
        .await?;
    let found = row.map(|(id, country)| stored(id, kind, country.as_deref()));
    at.known.set_entity(kind, key, found.clone());
    Ok(found)
}

async fn find_or_create(
    at: &mut At<'_>,
    cand: &Candidate<'_>,
    key: String,
    country: Option<CountryCode>,
) -> Result<(StoredEntity, Outcome), StoreError> {
    if let Some(found) = find(at, cand.kind, &key).await? {
        return Ok((found, Outcome::Matched));
    }
    let id = new_id();
    let country_code = country.map(|c| c.as_str().to_owned());
    at.conn
        .execute(
            INSERT_ENTITY,
            args![&id, cand.kind.as_str(), cand.name.trim(), country_code, &key],
        )
        .await?;
    let entity = StoredEntity {
        id,
        kind: cand.kind,
        country,
    };
    at.known.set_entity(cand.kind, &key, Some(entity.clone()));
    Ok((entity, Outcome::Created))
}

fn stored(id: String, kind: EntityKind, country: Option<&str>) -> StoredEntity {
    StoredEntity {
        id,
        kind,
        country: country.and_then(|c| CountryCode::parse(c).ok()),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_normalize_across_punctuation_case_and_apostrophes() {
        assert_eq!(normalize_name("Mustafa al-Kadhimi"), "mustafa al kadhimi");
        assert_eq!(normalize_name("  MUSTAFA  AL KADHIMI "), "mustafa al kadhimi");
        assert_eq!(normalize_name("Jawad O'Brien"), "jawad obrien");
        assert_eq!(normalize_name("Ali Khamene\u{2019}i"), "ali khamenei");
        assert_eq!(normalize_name("--"), "");
    }

    #[test]
    fn search_terms_are_the_word_suffixes() {
        let terms: Vec<&str> = search_terms("mustafa al kadhimi").collect();
        assert_eq!(terms, ["mustafa al kadhimi", "al kadhimi", "kadhimi"]);
    }
}
