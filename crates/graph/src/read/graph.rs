//! Graph queries served from the in-memory projection: neighborhoods, paths, centrality.

use std::collections::HashMap;

use diplograph_core::{EntityId, EntityKind};

use crate::db::{Arg, dynamic};
use crate::error::StoreError;
use crate::filter::{EventFilter, PageRequest, Subject};
use crate::model::{CentralityEntry, EdgeView, HopView, NeighborhoodView, NodeView, PathView};
use crate::projection::algo::pagerank;
use crate::read::{TimelineQuery, corrupt, entity_id};
use crate::store::Store;

/// (country, partner, events) rows and country code → name.
type CountryEdges = (Vec<(String, String, i64)>, HashMap<String, String>);

/// Deepest neighborhood: hubs reach most of the graph in two hops already.
pub const MAX_DEPTH: u32 = 3;
/// Longest path searched.
pub const MAX_PATH: u32 = 6;
/// Events shown per hop of a path.
const EVENTS_PER_HOP: u32 = 3;

/// How far and how wide a neighborhood reaches.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NeighborhoodQuery {
    /// 1–3 hops.
    pub depth: u32,
    /// Heaviest edges followed out of each node (1–1000).
    pub top_k: u32,
    /// Only count nodes and edges.
    pub count_only: bool,
}

impl Default for NeighborhoodQuery {
    fn default() -> Self {
        Self {
            depth: 1,
            top_k: 25,
            count_only: false,
        }
    }
}

const COUNTRY_EDGES: &str =
    "select country, partner, cast(sum(n) as bigint) as n from tie where modality = $1";
const COUNTRY_EDGES_BY_DAY: &str = "select country, partner, cast(sum(n) as bigint) as n from tie_day
     where modality = $1 and day >= $2 and day <= $3";

impl Store {
    /// The entities within `depth` hops of one entity and the edges among them.
    #[tracing::instrument(skip(self))]
    pub async fn neighborhood(
        &self,
        entity: &EntityId,
        query: &NeighborhoodQuery,
    ) -> Result<NeighborhoodView, StoreError> {
        if !(1..=MAX_DEPTH).contains(&query.depth) || !(1..=1000).contains(&query.top_k) {
            return Err(StoreError::InvalidInput(format!(
                "depth must be 1–{MAX_DEPTH} and top_k 1–1000"
            )));
        }
        let (depth, top_k) = (query.depth, query.top_k as usize);
        if query.count_only {
            let (node_count, edge_count, truncated) = self
                .with_projection(|p| p.neighborhood_size(entity.as_str(), depth, top_k))
                .await?
                .ok_or_else(|| StoreError::NotFound(format!("entity {entity}")))?;
            return Ok(NeighborhoodView {
                center: entity.clone(),
                depth,
                node_count,
                edge_count,
                truncated,
                nodes: Vec::new(),
                edges: Vec::new(),
            });
        }
        let found = self
            .with_projection(|p| p.neighborhood(entity.as_str(), depth, top_k))
            .await?
            .ok_or_else(|| StoreError::NotFound(format!("entity {entity}")))?;
        Ok(NeighborhoodView {
            center: entity.clone(),
            depth,
            node_count: found.nodes.len(),
            edge_count: found.edges.len(),
            truncated: found.truncated,
            nodes: found.nodes,
            edges: found.edges,
        })
    }

    /// The shortest chain of encounters from `a` to `b` (at most `max_depth` hops), with the
    /// latest events of each hop; `None` when there is none.
    #[tracing::instrument(skip(self))]
    pub async fn path(
        &self,
        a: &EntityId,
        b: &EntityId,
        max_depth: u32,
    ) -> Result<Option<PathView>, StoreError> {
        if !(1..=MAX_PATH).contains(&max_depth) {
            return Err(StoreError::InvalidInput(format!(
                "max_depth must be 1–{MAX_PATH}"
            )));
        }
        let found = self
            .with_projection(|p| p.path(a.as_str(), b.as_str(), max_depth))
            .await?;
        let Some((nodes, edges)) = found else {
            return Ok(None);
        };
        let mut hops = Vec::with_capacity(edges.len());
        for edge in edges {
            let events = self.hop_events(&edge).await?;
            hops.push(HopView { edge, events });
        }
        Ok(Some(PathView { nodes, hops }))
    }

    async fn hop_events(&self, edge: &EdgeView) -> Result<Vec<crate::model::EventView>, StoreError> {
        let query = TimelineQuery {
            subject: Subject::Entity(edge.a.clone()),
            counterpart: Some(Subject::Entity(edge.b.clone())),
            filter: EventFilter::default(),
            page: PageRequest {
                cursor: None,
                limit: EVENTS_PER_HOP,
            },
        };
        Ok(self.timeline(&query).await?.items)
    }

    /// Degree and weighted PageRank of countries (over country-level ties, from the rollups) or of
    /// people and organizations (over the projection; dates filter by year), most central first.
    #[tracing::instrument(skip(self))]
    pub async fn centrality(
        &self,
        kind: EntityKind,
        filter: &EventFilter,
        limit: u32,
    ) -> Result<Vec<CentralityEntry>, StoreError> {
        filter.check()?;
        let mut entries = match kind {
            EntityKind::Country => self.country_centrality(filter).await?,
            EntityKind::Place => return Err(StoreError::InvalidInput("places are never actors".into())),
            _ => {
                let ranks = self
                    .with_projection(|p| p.ranks(kind, filter.from, filter.to))
                    .await?;
                ranks
                    .into_iter()
                    .map(|r| CentralityEntry {
                        id: r.node.id,
                        name: r.node.name,
                        degree: r.degree,
                        weighted_degree: r.weighted_degree,
                        pagerank: r.pagerank,
                    })
                    .collect()
            }
        };
        entries.sort_by(|x, y| y.pagerank.total_cmp(&x.pagerank).then(x.id.cmp(&y.id)));
        entries.truncate(limit as usize);
        Ok(entries)
    }

    async fn country_centrality(&self, filter: &EventFilter) -> Result<Vec<CentralityEntry>, StoreError> {
        let memory = self.read_memory(|m| Some((m.rollups.edges(filter), m.rollups.names().clone())));
        let (rows, names) = match memory {
            Some((edges, names)) => {
                let rows = edges
                    .into_iter()
                    .map(|(c, p, n)| (c.as_str().to_owned(), p.as_str().to_owned(), n))
                    .collect();
                let names = names
                    .into_iter()
                    .map(|(code, name)| (code.as_str().to_owned(), name))
                    .collect();
                (rows, names)
            }
            None => self.country_edges_sql(filter).await?,
        };
        let mut position: HashMap<String, usize> = HashMap::new();
        let mut adjacency: Vec<Vec<(usize, f64)>> = Vec::new();
        for (country, partner, n) in rows {
            let len = position.len();
            let a = *position.entry(country).or_insert(len);
            let len = position.len();
            let b = *position.entry(partner).or_insert(len);
            adjacency.resize(position.len(), Vec::new());
            // Each direction of a tie is its own row, so adding a → b only counts it once.
            adjacency[a].push((b, n as f64));
        }
        let ranks = pagerank(&adjacency);
        let mut entries = Vec::with_capacity(position.len());
        for (code, i) in position {
            entries.push(CentralityEntry {
                id: entity_id(&code)?,
                name: names.get(&code).cloned().unwrap_or_else(|| code.clone()),
                degree: adjacency[i].len() as u32,
                weighted_degree: adjacency[i].iter().map(|(_, w)| *w as u64).sum(),
                pagerank: ranks[i],
            });
        }
        Ok(entries)
    }

    /// (country, partner, events) rows and country names, from SQL.
    async fn country_edges_sql(&self, filter: &EventFilter) -> Result<CountryEdges, StoreError> {
        let mut args: Vec<Arg> = vec![filter.modality.as_str().into()];
        let dated = filter.from.is_some() || filter.to.is_some();
        let mut sql = if dated {
            let (lo, hi) = filter.day_bounds();
            args.extend([Arg::from(lo), Arg::from(hi)]);
            COUNTRY_EDGES_BY_DAY.to_owned()
        } else {
            COUNTRY_EDGES.to_owned()
        };
        sql.push_str(&filter.kinds_clause("kind", &mut args));
        sql.push_str(" group by country, partner order by country, partner");
        let mut conn = self.conn().await?;
        let rows: Vec<(String, String, i64)> = conn.fetch_all(dynamic(sql), args).await?;
        let names: HashMap<String, String> = conn
            .fetch_all::<(String, String)>("select id, name from entity where kind = 'country'", Vec::new())
            .await?
            .into_iter()
            .collect();
        Ok((rows, names))
    }

    /// Every node and edge of the projection in a canonical order: two projections built from
    /// the same store compare equal.
    pub async fn projection_snapshot(&self) -> Result<(Vec<NodeView>, Vec<EdgeView>), StoreError> {
        self.with_projection(|p| p.snapshot())
            .await?
            .map_err(|e| corrupt(e.to_string()))
    }
}
