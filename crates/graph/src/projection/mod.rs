//! The projection: an in-memory petgraph of entities whose edges aggregate the asserted events
//! two entities took part in (counts by kind and year, first/last day, tone). Built from the
//! store, updated after every apply; `NodeIndex` never leaves this module.

pub(crate) mod algo;
mod load;

use std::collections::{BTreeMap, HashMap};

use chrono::{Datelike, NaiveDate};
use diplograph_core::{CountryCode, EntityKind, EventKind};
use petgraph::stable_graph::{NodeIndex, StableUnGraph};
use petgraph::visit::{EdgeRef, IntoEdgeReferences};

use crate::model::{EdgeView, NodeView};
use crate::read::{corrupt, entity_id};

pub(crate) use load::load;

/// An entity as the projection knows it.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Node {
    pub(crate) id: String,
    pub(crate) kind: EntityKind,
    pub(crate) name: String,
    pub(crate) country: Option<CountryCode>,
}

/// The events two entities share.
#[derive(Clone, Debug, Default, PartialEq)]
pub(crate) struct Edge {
    pub(crate) weight: u32,
    pub(crate) counts: BTreeMap<EventKind, u32>,
    /// Dated events per year, for date-filtered centrality.
    pub(crate) by_year: BTreeMap<i32, u32>,
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

/// The graph and its id index.
#[derive(Default)]
pub(crate) struct Projection {
    graph: StableUnGraph<Node, Edge>,
    index: HashMap<String, NodeIndex>,
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
            }
        }
    }

    /// Adds an event: one edge increment per pair of distinct participants already known.
    pub(crate) fn add_event(&mut self, event: &EventEdge<'_>) {
        let mut nodes: Vec<NodeIndex> = event
            .entities
            .iter()
            .filter_map(|id| self.index.get(id).copied())
            .collect();
        nodes.sort();
        nodes.dedup();
        for (i, &a) in nodes.iter().enumerate() {
            for &b in &nodes[i + 1..] {
                let edge_idx = match self.graph.find_edge(a, b) {
                    Some(edge_idx) => edge_idx,
                    None => self.graph.add_edge(a, b, Edge::default()),
                };
                if let Some(edge) = self.graph.edge_weight_mut(edge_idx) {
                    edge.add(event);
                }
            }
        }
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
            counts: edge.counts.clone(),
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

impl Edge {
    fn add(&mut self, event: &EventEdge<'_>) {
        self.weight += 1;
        *self.counts.entry(event.kind).or_default() += 1;
        self.tone_sum += event.kind.goldstein();
        if let Some(first) = event.first_day {
            *self.by_year.entry(first.year()).or_default() += 1;
            self.first_day = Some(self.first_day.map_or(first, |f| f.min(first)));
            let last = event.last_day.unwrap_or(first);
            self.last_day = Some(self.last_day.map_or(last, |l| l.max(last)));
        }
    }

    /// Events in the years a date range touches (all events when unbounded).
    pub(crate) fn weight_between(&self, from: Option<NaiveDate>, to: Option<NaiveDate>) -> u32 {
        if from.is_none() && to.is_none() {
            return self.weight;
        }
        let lo = from.map_or(i32::MIN, |d| d.year());
        let hi = to.map_or(i32::MAX, |d| d.year());
        self.by_year.range(lo..=hi).map(|(_, n)| n).sum()
    }
}
