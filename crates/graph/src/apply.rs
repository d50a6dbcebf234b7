//! [`Store::apply`]: one extraction in, one transaction: the article, its entities resolved,
//! its events de-duplicated across articles, their mentions and the rollups.

use std::collections::HashMap;

use diplograph_core::{
    ArticleMeta, CountryCode, EntityKind, ExtractedEntity, ExtractedEvent, Extraction, Participant, Role,
};

use crate::db::{Conn, args};
use crate::error::StoreError;
use crate::ids::{ArticleId, EventId};
use crate::memory::NewEvent;
use crate::model::ApplyReport;
use crate::projection::Node;
use crate::resolve::{Candidate, Outcome, StoredEntity, resolve};
use crate::store::Store;
use crate::{events, validate};

const FIND_ARTICLE: &str =
    "select id from article where text_hash = $1 or url = $2 order by created_at limit 1";
const ARTICLE_EVENTS: &str = "select event_id, min(id) as first_mention from mention where article_id = $1
     group by event_id order by first_mention";
const INSERT_ARTICLE: &str = "insert into article
       (id, url, title, published, source, dateline, home_country, text_hash, text_bytes, extractor)
     values ($1, $2, $3, $4, $5, $6, $7, $8, $9, $10)";

impl Store {
    /// Stores one extraction in one transaction and reports what changed.
    ///
    /// Idempotent: an article already stored (same URL, or same normalized text hash) changes
    /// nothing and comes back with `duplicate: true`. Events that match a stored event by kind,
    /// modality, overlapping date and participants (entity and role) add a mention to it instead
    /// of a new event. On any error nothing of the article is kept.
    #[tracing::instrument(skip_all, fields(url = ?extraction.article.url))]
    pub async fn apply(&self, extraction: &Extraction) -> Result<ApplyReport, StoreError> {
        validate::extraction(extraction)?;
        let (_guard, mut conn) = self.begin_write().await?;
        if let Some(article_id) = find_article(&mut conn, &extraction.article).await? {
            let event_ids = article_events(&mut conn, &article_id).await?;
            return Ok(ApplyReport {
                article_id,
                duplicate: true,
                new_entities: 0,
                merged_entities: 0,
                new_events: 0,
                deduplicated_events: 0,
                event_ids,
            });
        }
        let article_id = ArticleId::generate();
        insert_article(&mut conn, &article_id, &extraction.article).await?;
        let mut applying = Applying::new(conn, article_id);
        for entity in &extraction.entities {
            applying.entity(entity).await?;
        }
        for event in &extraction.events {
            applying.event(event, &extraction.article.extractor).await?;
        }
        let Applying {
            conn,
            report,
            new_nodes,
            new_events,
            ..
        } = applying;
        conn.commit().await?;
        self.update_memory(|memory| {
            new_nodes.into_iter().for_each(|node| memory.add_node(node));
            new_events.iter().for_each(|event| memory.add_event(event));
        })?;
        // A deduplicated event gained a mention (and maybe places): its cached view is stale.
        self.forget_events(&report.event_ids);
        tracing::debug!(?report, "applied");
        Ok(report)
    }
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

async fn insert_article(conn: &mut Conn, id: &ArticleId, article: &ArticleMeta) -> Result<(), StoreError> {
    let bytes =
        i64::try_from(article.text_bytes).map_err(|_| StoreError::InvalidInput("text too long".into()))?;
    let published = article.published.map(|p| p.to_string());
    let home = article.home_country.map(|c| c.as_str().to_owned());
    conn.execute(
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
    Ok(())
}

/// The state of one apply: the open transaction, resolved entities and the growing report.
struct Applying {
    conn: Conn,
    /// Local extraction id → stored entity.
    entities: HashMap<String, StoredEntity>,
    report: ApplyReport,
    /// Entities and events created, for the memory once committed.
    new_nodes: Vec<Node>,
    new_events: Vec<NewEvent>,
}

impl Applying {
    fn new(conn: Conn, article_id: ArticleId) -> Self {
        Self {
            conn,
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
        let (stored, outcome) = resolve(&mut self.conn, cand).await?;
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
                (EntityKind::Person, None) => events::person_country_on(&mut self.conn, &entity, day).await?,
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
        let (event_id, created) = events::store(&mut self.conn, &new).await?;
        events::insert_mention(
            &mut self.conn,
            &event_id,
            &self.report.article_id,
            &new,
            extractor,
        )
        .await?;
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

/// Roles and countries, the shape rollups take.
pub(crate) fn role_countries(participants: &[events::Resolved]) -> Vec<(Role, Option<CountryCode>)> {
    participants.iter().map(|p| (p.role, p.country)).collect()
}
