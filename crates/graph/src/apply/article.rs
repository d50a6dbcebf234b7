//! Storing one article inside an open write transaction: the article row, its entities
//! resolved, its events de-duplicated, their mentions and rollups (in `events`), with the
//! transaction's [`Known`] rows to skip what is already stored.

use std::collections::HashMap;

use diplograph_core::{
    ArticleMeta, CountryCode, EntityKind, ExtractedEntity, ExtractedEvent, Extraction, Participant,
};

use crate::apply::Known;
use crate::db::{Arg, Conn, args};
use crate::error::StoreError;
use crate::events;
use crate::ids::{ArticleId, EventId};
use crate::memory::NewEvent;
use crate::model::ApplyReport;
use crate::projection::Node;
use crate::resolve::{Candidate, Outcome, StoredEntity, resolve};

const FIND_ARTICLE: &str =
    "select id from article where text_hash = $1 or url = $2 order by created_at limit 1";
const ARTICLE_EVENTS: &str = "select event_id, min(id) as first_mention from mention where article_id = $1
     group by event_id order by first_mention";
const INSERT_ARTICLE: &str = "insert into article
       (id, url, title, published, source, dateline, home_country, text_hash, text_bytes, extractor)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10) on conflict do nothing";

/// An article stored but not yet committed: its report, and what the memory must learn once
/// it is.
pub(super) struct Applied {
    pub(super) report: ApplyReport,
    /// Entities and events created, for the memory once committed.
    pub(super) new_nodes: Vec<Node>,
    pub(super) new_events: Vec<NewEvent>,
}

/// Stores a validated extraction in the open transaction (or finds it stored).
pub(super) async fn store(
    conn: &mut Conn,
    known: &mut Known,
    extraction: &Extraction,
) -> Result<Applied, StoreError> {
    // The insert is the look-up: it does nothing when the URL or text hash is stored.
    let article_id = ArticleId::generate();
    if !insert_article(conn, &article_id, &extraction.article).await? {
        let article_id = find_article(conn, &extraction.article)
            .await?
            .ok_or_else(|| StoreError::Database("an article conflicts with none stored".into()))?;
        let event_ids = article_events(conn, &article_id).await?;
        return Ok(Applied {
            report: ApplyReport {
                article_id,
                duplicate: true,
                new_entities: 0,
                merged_entities: 0,
                new_events: 0,
                deduplicated_events: 0,
                event_ids,
            },
            new_nodes: Vec::new(),
            new_events: Vec::new(),
        });
    }
    let mut applying = Applying::new(conn, known, article_id);
    for entity in &extraction.entities {
        applying.entity(entity).await?;
    }
    for event in &extraction.events {
        applying.event(event, &extraction.article.extractor).await?;
    }
    let mentions = std::mem::take(&mut applying.mentions);
    events::insert_mentions(applying.conn, mentions).await?;
    Ok(Applied {
        report: applying.report,
        new_nodes: applying.new_nodes,
        new_events: applying.new_events,
    })
}

async fn find_article(conn: &mut Conn, article: &ArticleMeta) -> Result<Option<ArticleId>, StoreError> {
    let row: Option<(String,)> = conn
        .fetch_optional(FIND_ARTICLE, args![&article.text_hash, article.url.as_deref()])
        .await?;
    Ok(row.map(|(id,)| ArticleId::from_db(id)))
}

async fn article_events(conn: &mut Conn, article_id: &ArticleId) -> Result<Vec<EventId>, StoreError> {
    let rows: Vec<(String, String)> = conn.fetch_all(ARTICLE_EVENTS, args![article_id.as_str()]).await?;
    Ok(rows.into_iter().map(|(id, _)| EventId::from_db(id)).collect())
}

/// Inserts the article; false when one with its URL or text hash is stored.
async fn insert_article(conn: &mut Conn, id: &ArticleId, article: &ArticleMeta) -> Result<bool, StoreError> {
    let bytes =
        i64::try_from(article.text_bytes).map_err(|_| StoreError::InvalidInput("text too long".into()))?;
    let published = article.published.map(|p| p.to_string());
    let home = article.home_country.map(|c| c.as_str().to_owned());
    let inserted = conn
        .execute(
            INSERT_ARTICLE,
            args![
                id.as_str(),
                article.url.as_deref(),
                article.title.as_deref(),
                published,
                article.source.as_deref(),
                article.dateline.as_deref(),
                home,
                &article.text_hash,
                bytes,
                &article.extractor,
            ],
        )
        .await?;
    Ok(inserted == 1)
}

/// The state of one article: the open transaction, resolved entities and the growing report.
struct Applying<'t> {
    conn: &'t mut Conn,
    known: &'t mut Known,
    /// Local extraction id → stored entity.
    entities: HashMap<String, StoredEntity>,
    report: ApplyReport,
    /// Entities and events created, for the memory once committed.
    new_nodes: Vec<Node>,
    new_events: Vec<NewEvent>,
    /// The article's mention rows, written together at the end.
    mentions: Vec<Vec<Arg>>,
}

impl<'t> Applying<'t> {
    fn new(conn: &'t mut Conn, known: &'t mut Known, article_id: ArticleId) -> Self {
        Self {
            conn,
            known,
            entities: HashMap::new(),
            report: ApplyReport {
                article_id,
                duplicate: false,
                new_entities: 0,
                merged_entities: 0,
                new_events: 0,
                deduplicated_events: 0,
                event_ids: Vec::new(),
            },
            new_nodes: Vec::new(),
            new_events: Vec::new(),
            mentions: Vec::new(),
        }
    }

    async fn entity(&mut self, entity: &ExtractedEntity) -> Result<StoredEntity, StoreError> {
        let cand = Candidate {
            kind: entity.kind,
            local_id: &entity.id,
            name: &entity.name,
            country: entity.country,
            title: entity.title.as_deref(),
            aliases: &entity.aliases,
        };
        self.resolve_local(&entity.id, &cand).await
    }

    async fn resolve_local(
        &mut self,
        local_id: &str,
        cand: &Candidate<'_>,
    ) -> Result<StoredEntity, StoreError> {
        if let Some(found) = self.entities.get(local_id) {
            return Ok(found.clone());
        }
        let (stored, outcome) = resolve(self.conn, self.known, cand).await?;
        match outcome {
            Outcome::Created => {
                self.report.new_entities += 1;
                self.new_nodes.push(Node {
                    id: stored.id.clone(),
                    kind: stored.kind,
                    name: cand.name.trim().to_owned(),
                    country: stored.country,
                });
            }
            Outcome::Matched => self.report.merged_entities += 1,
        }
        self.entities.insert(local_id.to_owned(), stored.clone());
        Ok(stored)
    }

    /// The stored entity a participant names: its extraction entity, or one resolved from the
    /// participant's own fields when the extractor did not list it.
    async fn participant(&mut self, p: &Participant) -> Result<StoredEntity, StoreError> {
        let cand = Candidate {
            kind: p.kind,
            local_id: &p.entity,
            name: &p.name,
            country: p.country,
            title: None,
            aliases: &[],
        };
        self.resolve_local(&p.entity, &cand).await
    }

    async fn event(&mut self, event: &ExtractedEvent, extractor: &str) -> Result<(), StoreError> {
        let date = event.fuzzy_date();
        let day = date.day_range().map(|(first, _)| first);
        let mut resolved: Vec<events::Resolved> = Vec::with_capacity(event.participants.len());
        for p in &event.participants {
            let entity = self.participant(p).await?;
            let country = match (entity.kind, p.country) {
                // A place is where something happened, never an actor: it gives no tie.
                (EntityKind::Place, _) => None,
                (_, Some(country)) => Some(country),
                (EntityKind::Person, None) => {
                    events::person_country_on(self.conn, self.known, &entity, day).await?
                }
                (_, None) => entity.country,
            };
            if !resolved
                .iter()
                .any(|r| r.entity_id == entity.id && r.role == p.role)
            {
                resolved.push(events::Resolved {
                    entity_id: entity.id,
                    role: p.role,
                    country,
                    mention: p.mention.clone(),
                });
            }
        }
        if resolved.is_empty() {
            tracing::warn!(kind = %event.kind, "event without participants skipped");
            return Ok(());
        }
        let mut places = Vec::with_capacity(event.places.len());
        for place in &event.places {
            let cand = place_candidate(&place.name, place.country);
            let local = format!(
                "place:{}|{}",
                place.name,
                place.country.as_ref().map_or("", |c| c.as_str())
            );
            let stored = self.resolve_local(&local, &cand).await?;
            places.push((stored.id, place.name.clone(), place.country));
        }
        let new = events::NewEvent {
            event,
            date,
            participants: &resolved,
            places: &places,
        };
        let (event_id, created) = events::store(self.conn, self.known, &new).await?;
        let mention = events::mention_row(&event_id, &self.report.article_id, &new, extractor)?;
        self.mentions.push(mention);
        if created {
            self.report.new_events += 1;
            let (first_day, last_day) = date.day_range().unzip();
            self.new_events.push(NewEvent {
                id: event_id.as_str().to_owned(),
                kind: event.kind,
                modality: event.modality,
                first_day,
                last_day,
                participants: resolved
                    .iter()
                    .map(|r| (r.entity_id.clone(), r.role, r.country))
                    .collect(),
            });
        } else {
            self.report.deduplicated_events += 1;
        }
        if !self.report.event_ids.contains(&event_id) {
            self.report.event_ids.push(event_id);
        }
        Ok(())
    }
}

fn place_candidate(name: &str, country: Option<CountryCode>) -> Candidate<'_> {
    Candidate {
        kind: EntityKind::Place,
        local_id: name,
        name,
        country,
        title: None,
        aliases: &[],
    }
}
