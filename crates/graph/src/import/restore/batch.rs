//! One batch of a restore: its records matched against the store (entities by kind and resolve
//! key, articles by URL or text hash, events by id and identity), then every table's new rows
//! written with one bulk statement per document, the rollup deltas of the new events and the
//! job's progress, all in one transaction.

use std::collections::{HashMap, HashSet};
use std::path::Path;

use diplograph_core::{CountryCode, EntityId, Role};
use uuid::Uuid;

use crate::db::Conn;
use crate::error::StoreError;
use crate::events::{UNDATED_SORT_DAY, identity_key};
use crate::export::{ArticleRecord, EntityRecord, EventRecord};
use crate::ids::new_id;
use crate::import::driver::Session;
use crate::import::job::{self, Counts, Job};
use crate::import::plan::{Known, key_hash};
use crate::import::restore::rows::{Rows, lookup, names, write_rows};
use crate::import::restore::sql::restore;
use crate::import::restore::{Batch, Lines};
use crate::rollup::EventFacts;

/// What a restore remembers from batch to batch.
pub(crate) struct Restorer {
    /// Stored event identities, to match events the store has under another id.
    known: Known,
    /// Entity id in the file → stored entity id, for every entity met so far.
    entities: HashMap<String, String>,
    /// Article id in the file → stored article id.
    articles: HashMap<String, String>,
}

impl Restorer {
    pub(crate) fn new(known: Known) -> Self {
        Self {
            known,
            entities: HashMap::new(),
            articles: HashMap::new(),
        }
    }

    /// Re-reads the entities and articles of the file before `end` (imported by an earlier
    /// run) and finds them in the store again, so that the events after `end` can name them.
    pub(crate) async fn remember(
        &mut self,
        conn: &mut Conn,
        path: &Path,
        end: u64,
    ) -> Result<(), StoreError> {
        let mut lines = Lines::prefix(path, end)?;
        while let Some(batch) = lines.batch(10_000, true)? {
            self.match_entities(conn, &batch.entities, None).await?;
            self.match_articles(conn, &batch.articles, None).await?;
        }
        Ok(())
    }

    /// Writes one batch and the job's progress in one transaction; returns the records that
    /// could not be stored, with their line numbers and why.
    pub(crate) async fn write(
        &mut self,
        session: &mut Session<'_>,
        job: &mut Job,
        batch: Batch,
    ) -> Result<Vec<(u64, String)>, StoreError> {
        let mut next = job.clone();
        next.lines_done = batch.lines_done;
        next.bytes_done = batch.bytes_done;
        let mut counts = Counts {
            bad_rows: batch.bad.len() as u64,
            ..Counts::default()
        };
        let mut bad = batch.bad;
        let _guard = session.store.write_guard().await;
        session.conn.begin_manual().await?;
        let res = async {
            let conn = &mut session.conn;
            let mut rows = Rows::default();
            let fresh = (&mut rows, &mut counts);
            self.match_entities(conn, &batch.entities, Some(fresh)).await?;
            self.match_articles(conn, &batch.articles, Some(&mut rows))
                .await?;
            counts.rows_stored += (batch.entities.len() + batch.articles.len()) as u64;
            self.events(conn, batch.events, &mut rows, &mut counts, &mut bad)
                .await?;
            write_rows(conn, rows).await?;
            next.counts.add(&counts);
            job::advance(conn, &next).await
        }
        .await;
        session.end(res).await?;
        *job = next;
        Ok(bad)
    }

    /// Maps the file's entities to stored ones; with `fresh`, creates those not stored.
    async fn match_entities(
        &mut self,
        conn: &mut Conn,
        records: &[(u64, EntityRecord)],
        mut fresh: Option<(&mut Rows, &mut Counts)>,
    ) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        let sql = restore(conn.is_postgres());
        let keys: Vec<[&str; 2]> = records
            .iter()
            .map(|(_, e)| [e.kind.as_str(), e.resolve_key.as_str()])
            .collect();
        let found: Vec<(String, String, String)> = lookup(conn, &sql.entity_keys, &keys).await?;
        let mut by_key: HashMap<(String, String), String> = found
            .into_iter()
            .map(|(id, kind, key)| ((kind, key), id))
            .collect();
        let ids: Vec<[&str; 1]> = records.iter().map(|(_, e)| [e.id.as_str()]).collect();
        let taken: Vec<(String,)> = lookup(conn, &sql.entity_ids, &ids).await?;
        let mut taken: HashSet<String> = taken.into_iter().map(|(id,)| id).collect();
        for (_, record) in records {
            let key = (record.kind.as_str().to_owned(), record.resolve_key.clone());
            let id = match (by_key.get(&key), fresh.as_mut()) {
                (Some(id), _) => id.clone(),
                (None, None) => continue,
                (None, Some((rows, counts))) => {
                    // An id the store gives another entity (of another key) is not reused.
                    let id = if taken.contains(&record.id) || EntityId::parse(&record.id).is_err() {
                        new_id()
                    } else {
                        record.id.clone()
                    };
                    rows.entities.push((
                        id.clone(),
                        record.kind.as_str(),
                        record.name.clone(),
                        record.country,
                        record.resolve_key.clone(),
                    ));
                    counts.entities_new += 1;
                    taken.insert(id.clone());
                    by_key.insert(key, id.clone());
                    id
                }
            };
            if let Some((rows, _)) = fresh.as_mut() {
                names(rows, &id, record);
            }
            self.entities.insert(record.id.clone(), id);
        }
        Ok(())
    }

    /// Maps the file's articles to stored ones; with `fresh`, creates those not stored.
    async fn match_articles(
        &mut self,
        conn: &mut Conn,
        records: &[(u64, ArticleRecord)],
        mut fresh: Option<&mut Rows>,
    ) -> Result<(), StoreError> {
        if records.is_empty() {
            return Ok(());
        }
        let keys: Vec<(Option<&str>, &str, &str)> = records
            .iter()
            .map(|(_, a)| (a.url.as_deref(), a.text_hash.as_str(), a.id.as_str()))
            .collect();
        let found: Vec<(String, Option<String>, String)> =
            lookup(conn, &restore(conn.is_postgres()).articles, &keys).await?;
        let mut taken: HashSet<String> = found.iter().map(|(id, _, _)| id.clone()).collect();
        let mut by_url: HashMap<String, String> = HashMap::new();
        let mut by_hash: HashMap<String, String> = HashMap::new();
        for (id, url, hash) in found {
            if let Some(url) = url {
                by_url.insert(url, id.clone());
            }
            by_hash.insert(hash, id);
        }
        for (_, a) in records {
            let stored = a
                .url
                .as_ref()
                .and_then(|url| by_url.get(url))
                .or_else(|| by_hash.get(&a.text_hash))
                .cloned();
            let id = match (stored, fresh.as_mut()) {
                (Some(id), _) => id,
                (None, None) => continue,
                (None, Some(rows)) => {
                    let id = if taken.contains(&a.id) {
                        new_id()
                    } else {
                        a.id.clone()
                    };
                    rows.articles.push((
                        id.clone(),
                        a.url.clone(),
                        a.title.clone(),
                        a.published.clone(),
                        a.source.clone(),
                        a.dateline.clone(),
                        a.home_country.clone(),
                        a.text_hash.clone(),
                        a.text_bytes,
                        a.extractor.clone(),
                    ));
                    taken.insert(id.clone());
                    if let Some(url) = &a.url {
                        by_url.insert(url.clone(), id.clone());
                    }
                    by_hash.insert(a.text_hash.clone(), id.clone());
                    id
                }
            };
            self.articles.insert(a.id.clone(), id);
        }
        Ok(())
    }

    /// Matches the batch's events and gathers the rows of the new ones and of every mention.
    async fn events(
        &mut self,
        conn: &mut Conn,
        records: Vec<(u64, EventRecord)>,
        rows: &mut Rows,
        counts: &mut Counts,
        bad: &mut Vec<(u64, String)>,
    ) -> Result<(), StoreError> {
        self.named_elsewhere(conn, &records).await?;
        let ids: Vec<[&str; 1]> = records.iter().map(|(_, e)| [e.id.as_str()]).collect();
        let stored: Vec<(String,)> = lookup(conn, &restore(conn.is_postgres()).event_ids, &ids).await?;
        let mut stored: HashSet<String> = stored.into_iter().map(|(id,)| id).collect();
        for (line, event) in records {
            match self.event(&event, &mut stored, rows) {
                Ok(true) => counts.events_new += 1,
                Ok(false) => counts.events_dedup += 1,
                Err(reason) => {
                    counts.bad_rows += 1;
                    bad.push((line, reason));
                    continue;
                }
            }
            counts.rows_stored += 1;
        }
        Ok(())
    }

    /// Entities and articles the events name that the file did not list: stored under the same
    /// id (a filtered export restored into the store it came from), or missing.
    async fn named_elsewhere(
        &mut self,
        conn: &mut Conn,
        records: &[(u64, EventRecord)],
    ) -> Result<(), StoreError> {
        let sql = restore(conn.is_postgres());
        let mut entities: HashSet<&str> = HashSet::new();
        let mut articles: HashSet<&str> = HashSet::new();
        for (_, event) in records {
            let named = event.participants.iter().map(|p| p.entity_id.as_str());
            let places = event
                .places
                .iter()
                .filter_map(|p| p.entity_id.as_ref().map(EntityId::as_str));
            entities.extend(named.chain(places).filter(|id| !self.entities.contains_key(*id)));
            let cited = event.mentions.iter().map(|m| m.view.article_id.as_str());
            articles.extend(cited.filter(|id| !self.articles.contains_key(*id)));
        }
        if !entities.is_empty() {
            let ids: Vec<[&str; 1]> = entities.iter().map(|id| [*id]).collect();
            let found: Vec<(String,)> = lookup(conn, &sql.entity_ids, &ids).await?;
            self.entities
                .extend(found.into_iter().map(|(id,)| (id.clone(), id)));
        }
        if !articles.is_empty() {
            let keys: Vec<(Option<&str>, Option<&str>, &str)> =
                articles.iter().map(|id| (None, None, *id)).collect();
            let found: Vec<(String, Option<String>, String)> = lookup(conn, &sql.articles, &keys).await?;
            self.articles
                .extend(found.into_iter().map(|(id, _, _)| (id.clone(), id)));
        }
        Ok(())
    }

    /// Gathers one event's rows; `Ok(true)` when it is new, `Ok(false)` when it matched a stored
    /// one (its mentions and places are added), `Err` with the reason when it cannot be stored.
    fn event(
        &mut self,
        e: &EventRecord,
        stored: &mut HashSet<String>,
        rows: &mut Rows,
    ) -> Result<bool, String> {
        let uuid = Uuid::parse_str(&e.id).map_err(|_| format!("event id {:?} is not a UUID", clip(&e.id)))?;
        let entity = |id: &str| {
            self.entities
                .get(id)
                .cloned()
                .ok_or_else(|| format!("entity {} is neither in the file nor in the store", clip(id)))
        };
        let mut participants: Vec<(String, Role, Option<CountryCode>)> = Vec::new();
        for p in &e.participants {
            participants.push((entity(p.entity_id.as_str())?, p.role, p.country));
        }
        let mut places = Vec::new();
        for p in &e.places {
            let id = p.entity_id.as_ref().map(|id| entity(id.as_str())).transpose()?;
            places.push((id, p.name.clone(), p.country));
        }
        let mut articles = Vec::new();
        for m in &e.mentions {
            let id = m.view.article_id.as_str();
            let stored = self.articles.get(id).cloned();
            articles
                .push(stored.ok_or_else(|| {
                    format!("article {} is neither in the file nor in the store", clip(id))
                })?);
        }
        let key = identity_key(
            e.kind,
            e.modality,
            participants.iter().map(|(id, role, _)| (id.as_str(), *role)),
        );
        let hash = key_hash(&key);
        let range = e.date.day_range();
        let (first_day, last_day) = range.unzip();
        let (event_id, new) = if stored.contains(&e.id) {
            (e.id.clone(), false)
        } else if let Some(found) = self.known.find(hash, range) {
            (Uuid::from_u128(found).to_string(), false)
        } else {
            self.known.add(hash, first_day, last_day, uuid.as_u128());
            stored.insert(e.id.clone());
            (e.id.clone(), true)
        };
        if new {
            let sort_day = first_day.unwrap_or(UNDATED_SORT_DAY);
            let start = e.date.start();
            rows.events.push((
                event_id.clone(),
                e.kind.as_str(),
                e.modality.as_str(),
                start.map(|d| d.to_string()),
                e.date.end().map(|d| d.to_string()),
                start.map(|d| d.precision()),
                first_day,
                last_day,
                sort_day,
                e.confidence,
                key,
            ));
            for (entity_id, role, country) in &participants {
                rows.participants.push((
                    event_id.clone(),
                    entity_id.clone(),
                    role.as_str(),
                    *country,
                    e.kind.as_str(),
                    e.modality.as_str(),
                    sort_day,
                ));
            }
            let facts = EventFacts {
                id: &event_id,
                kind: e.kind,
                modality: e.modality,
                first_day,
                last_day,
            };
            let roles: Vec<(Role, Option<CountryCode>)> =
                participants.iter().map(|(_, r, c)| (*r, *c)).collect();
            rows.rollups.add(&facts, &roles);
        }
        for (id, name, country) in places {
            rows.places.push((event_id.clone(), id, name, country));
        }
        for (m, article_id) in e.mentions.iter().zip(articles) {
            let v = &m.view;
            let trigger = v.trigger.as_ref();
            rows.mentions.push((
                m.id.clone(),
                event_id.clone(),
                article_id,
                v.sentence,
                v.start,
                v.end,
                v.evidence.clone(),
                trigger.map(|t| t.start),
                trigger.map(|t| t.end),
                trigger.map(|t| t.text.clone()),
                self.spans(&m.participant_spans),
                m.confidence,
                v.extractor.clone(),
            ));
        }
        Ok(new)
    }

    /// A mention's participant spans with the entity ids as stored.
    fn spans(&self, spans: &serde_json::Value) -> String {
        let mut spans = spans.clone();
        if let Some(list) = spans.as_array_mut() {
            for span in list {
                let id = span.get("entity_id").and_then(|id| id.as_str());
                if let Some(stored) = id.and_then(|id| self.entities.get(id)) {
                    span["entity_id"] = serde_json::Value::String(stored.clone());
                }
            }
        }
        spans.to_string()
    }
}

fn clip(text: &str) -> String {
    text.chars().take(40).collect()
}
