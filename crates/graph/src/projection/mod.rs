//! The projection: an in-memory petgraph of entities whose edges aggregate the asserted events
//! two entities took part in (counts by kind and year, first/last day, tone). Built with the
//! rest of `memory` from the store, updated after every apply; `NodeIndex` never leaves this
//! module.

pub(crate) mod algo;

use std::collections::BTreeMap;

use chrono::{Datelike, NaiveDate};
use diplograph_core::{CountryCode, EntityKind, EventKind};
use petgraph::stable_graph::{EdgeIndex, NodeIndex, StableUnGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};

use crate::fasthash::FastMap;
use crate::model::{EdgeView, NodeView};
use crate::read::{corrupt, entity_id};

/// An entity as the projection knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Node {
    pub(crate) id: String,
    pub(crate) kind: EntityKind,
    pub(crate) name: String,
    pub(crate) country: Option<CountryCode>,
}

/// The events two entities share. Compact: a million events make a few hundred thousand edges.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Edge {
    pub(crate) weight: u32,
    /// Events per kind, in `EventKind::ALL` order.
    counts: [u32; EventKind::ALL.len()],
    /// Dated events per year, sorted by year, for date-filtered centrality.
    by_year: Vec<(i32, u32)>,
    pub(crate) first_day: Option<NaiveDate>,
    pub(crate) last_day: Option<NaiveDate>,
    pub(crate) tone_sum: f64,
}

/// One asserted event, as the projection needs it.
pub(crate) struct EventEdge<'a> {
    pub(crate) kind: EventKind,
    pub(crate) first_day: Option<NaiveDate>,
    pub(crate) last_day: Option<NaiveDate>,
    pub(crate) entities: &'a [String],
}

/// The graph, its id index, its edge index (petgraph's `find_edge` walks a node's edges, which
/// for a hub is most of the graph) and, per node, a contiguous list of neighbors with edge
/// weights: traversals walk these instead of petgraph's linked edge lists.
#[derive(Default)]
pub(crate) struct Projection {
    graph: StableUnGraph<Node, Edge>,
    index: FastMap<String, NodeIndex>,
    /// (lower node, higher node) → the edge and its place in each node's `adjacency` list.
    edges: FastMap<(NodeIndex, NodeIndex), (EdgeIndex, u32, u32)>,
    adjacency: Vec<Vec<Neighbor>>,
}

/// A neighbor and the weight of the edge to it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) struct Neighbor {
    pub(crate) node: u32,
    pub(crate) weight: u32,
}

impl Projection {
    /// Adds an entity, or refreshes its name and country.
    pub(crate) fn upsert_node(&mut self, node: Node) {
        match self.index.get(&node.id) {
            Some(&idx) => {
                if let Some(existing) = self.graph.node_weight_mut(idx) {
                    *existing = node;
                }
            }
            None => {
                let id = node.id.clone();
                let idx = self.graph.add_node(node);
                self.index.insert(id, idx);
                // Nodes are never removed, so indices are dense.
                self.adjacency
                    .resize(self.adjacency.len().max(idx.index() + 1), Vec::new());
            }
        }
    }

    /// Where an entity sits in the graph (its position stays as long as the projection lives),
    /// for loaders that resolve an id once and add many events by position.
    pub(crate) fn position(&self, id: &str) -> Option<u32> {
        self.index.get(id).map(|idx| idx.index() as u32)
    }

    /// Adds an event: one edge increment per pair of distinct participants already known.
    pub(crate) fn add_event(&mut self, event: &EventEdge<'_>) {
        let nodes: Vec<NodeIndex> = event
            .entities
            .iter()
            .filter_map(|id| self.index.get(id).copied())
            .collect();
        self.add_event_between(event.kind, event.first_day, event.last_day, nodes);
    }

    /// Adds an event between entities given by [`Projection::position`].
    pub(crate) fn add_event_at(
        &mut self,
        kind: EventKind,
        first_day: Option<NaiveDate>,
        last_day: Option<NaiveDate>,
        positions: &[u32],
    ) {
        let nodes = positions.iter().map(|&p| NodeIndex::new(p as usize)).collect();
        self.add_event_between(kind, first_day, last_day, nodes);
    }

    fn add_event_between(
        &mut self,
        kind: EventKind,
        first_day: Option<NaiveDate>,
        last_day: Option<NaiveDate>,
        mut nodes: Vec<NodeIndex>,
    ) {
        let event = EventFacts {
            kind,
            first_day,
            last_day,
        };
        nodes.sort();
        nodes.dedup();
        nodes.retain(|n| n.index() < self.adjacency.len());
        for (i, &a) in nodes.iter().enumerate() {
            for &b in &nodes[i + 1..] {
                let adjacency = &mut self.adjacency;
                let graph = &mut self.graph;
                let &mut (edge_idx, in_a, in_b) = self.edges.entry((a, b)).or_insert_with(|| {
                    let at_a = adjacency[a.index()].len() as u32;
                    let at_b = adjacency[b.index()].len() as u32;
                    adjacency[a.index()].push(Neighbor {
                        node: b.index() as u32,
                        weight: 0,
                    });
                    adjacency[b.index()].push(Neighbor {
                        node: a.index() as u32,
                        weight: 0,
                    });
                    (graph.add_edge(a, b, Edge::default()), at_a, at_b)
                });
                if let Some(edge) = self.graph.edge_weight_mut(edge_idx) {
                    edge.add(&event);
                }
                self.adjacency[a.index()][in_a as usize].weight += 1;
                self.adjacency[b.index()][in_b as usize].weight += 1;
            }
        }
    }

    /// The neighbors of a node, with edge weights.
    fn neighbors(&self, idx: NodeIndex) -> &[Neighbor] {
        self.adjacency.get(idx.index()).map_or(&[][..], Vec::as_slice)
    }

    /// The edge between two nodes, if any.
    fn edge_between(&self, a: NodeIndex, b: NodeIndex) -> Option<EdgeIndex> {
        let key = if a < b { (a, b) } else { (b, a) };
        self.edges.get(&key).map(|(edge, _, _)| *edge)
    }

    /// Counts of nodes and edges.
    pub(crate) fn size(&self) -> (usize, usize) {
        (self.graph.node_count(), self.graph.edge_count())
    }

    fn node_view(&self, idx: NodeIndex, depth: u32) -> Option<NodeView> {
        let node = self.graph.node_weight(idx)?;
        Some(NodeView {
            id: entity_id(&node.id).ok()?,
            kind: node.kind,
            name: node.name.clone(),
            country: node.country,
            depth,
        })
    }

    fn edge_view(&self, a: NodeIndex, b: NodeIndex, edge: &Edge) -> Option<EdgeView> {
        let (a, b) = (&self.graph.node_weight(a)?.id, &self.graph.node_weight(b)?.id);
        let (a, b) = if a <= b { (a, b) } else { (b, a) };
        Some(EdgeView {
            a: entity_id(a).ok()?,
            b: entity_id(b).ok()?,
            weight: edge.weight,
            counts: edge.counts(),
            first_day: edge.first_day,
            last_day: edge.last_day,
            tone_sum: edge.tone_sum,
        })
    }

    /// Every node and edge in a canonical order, for comparing two projections.
    pub(crate) fn snapshot(&self) -> Result<(Vec<NodeView>, Vec<EdgeView>), crate::StoreError> {
        let mut nodes = Vec::with_capacity(self.graph.node_count());
        for idx in self.graph.node_indices() {
            nodes.push(
                self.node_view(idx, 0)
                    .ok_or_else(|| corrupt("projection node id"))?,
            );
        }
        nodes.sort_by(|a, b| a.id.cmp(&b.id));
        let mut edges = Vec::with_capacity(self.graph.edge_count());
        for edge in self.graph.edge_references() {
            let view = self.edge_view(edge.source(), edge.target(), edge.weight());
            edges.push(view.ok_or_else(|| corrupt("projection edge ids"))?);
        }
        edges.sort_by(|x, y| (&x.a, &x.b).cmp(&(&y.a, &y.b)));
        Ok((nodes, edges))
    }
}

/// What an edge counts of an event.
struct EventFacts {
    kind: EventKind,
    first_day: Option<NaiveDate>,
    last_day: Option<NaiveDate>,
}

impl Edge {
    fn add(&mut self, event: &EventFacts) {
        self.weight += 1;
        self.counts[event.kind as usize] += 1;
        self.tone_sum += event.kind.goldstein();
        if let Some(first) = event.first_day {
            let year = first.year();
            match self.by_year.binary_search_by_key(&year, |(y, _)| *y) {
                Ok(at) => self.by_year[at].1 += 1,
                Err(at) => self.by_year.insert(at, (year, 1)),
            }
            self.first_day = Some(self.first_day.map_or(first, |f| f.min(first)));
            let last = event.last_day.unwrap_or(first);
            self.last_day = Some(self.last_day.map_or(last, |l| l.max(last)));
        }
    }

    /// Events per kind, the kinds with none left out.
    pub(crate) fn counts(&self) -> BTreeMap<EventKind, u32> {
        EventKind::ALL
            .iter()
            .zip(self.counts)
            .filter(|(_, n)| *n > 0)
            .map(|(kind, n)| (*kind, n))
            .collect()
    }

    /// Events in the years a date range touches (all events when unbounded).
    pub(crate) fn weight_between(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> u32 {
        if from.is_none() && to.is_none() {
            return self.weight;
        }
        let lo = from.map_or(i32::MIN, |d| d.year());
        let hi = to.map_or(i32::MAX, |d| d.year());
        self.by_year
            .iter()
            .filter(|(year, _)| (lo..=hi).contains(year))
            .map(|(_, n)| n)
            .sum()
    }
}
