//! Graph algorithms over the projection: capped neighborhoods, shortest paths, weighted PageRank.
//! They take and return entity ids; indices stay inside.

use std::collections::{HashMap, HashSet, VecDeque};

use chrono::NaiveDate;
use diplograph_core::EntityKind;
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::{EdgeRef, IntoEdgeReferences};

use crate::model::{EdgeView, NodeView};
use crate::projection::Projection;

/// Raw neighborhood: nodes with depths, edges among them, whether top-k cut anything.
pub(crate) struct Neighborhood {
    pub(crate) nodes: Vec<NodeView>,
    pub(crate) edges: Vec<EdgeView>,
    pub(crate) truncated: bool,
}

/// Degree, weighted degree and PageRank of one node.
pub(crate) struct Rank {
    pub(crate) node: NodeView,
    pub(crate) degree: u32,
    pub(crate) weighted_degree: u64,
    pub(crate) pagerank: f64,
}

const DAMPING: f64 = 0.85;
const ITERATIONS: usize = 50;

impl Projection {
    /// Breadth-first from `id` up to `depth` hops, following at most `top_k` heaviest edges out of
    /// each node. `None` when the entity is not in the graph.
    pub(crate) fn neighborhood(&self, id: &str, depth: u32, top_k: usize) -> Option<Neighborhood> {
        let start = *self.index.get(id)?;
        let mut depths: HashMap<NodeIndex, u32> = HashMap::from([(start, 0)]);
        let mut order = vec![start];
        let mut queue = VecDeque::from([start]);
        let mut truncated = false;
        while let Some(node) = queue.pop_front() {
            let d = depths[&node];
            if d == depth {
                continue;
            }
            let mut next: Vec<(u32, NodeIndex)> = self
                .graph
                .edges(node)
                .map(|e| (e.weight().weight, other(e.source(), e.target(), node)))
                .collect();
            next.sort_by(|a, b| b.0.cmp(&a.0).then(a.1.cmp(&b.1)));
            truncated |= next.len() > top_k;
            for (_, neighbor) in next.into_iter().take(top_k) {
                if let std::collections::hash_map::Entry::Vacant(slot) = depths.entry(neighbor) {
                    slot.insert(d + 1);
                    order.push(neighbor);
                    queue.push_back(neighbor);
                }
            }
        }
        let nodes = order
            .iter()
            .filter_map(|&idx| self.node_view(idx, depths[&idx]))
            .collect();
        let members: HashSet<NodeIndex> = order.iter().copied().collect();
        let edges = self
            .graph
            .edge_references()
            .filter(|e| members.contains(&e.source()) && members.contains(&e.target()))
            .filter_map(|e| self.edge_view(e.source(), e.target(), e.weight()))
            .collect();
        Some(Neighborhood {
            nodes,
            edges,
            truncated,
        })
    }

    /// The fewest-hops chain from `a` to `b` of at most `max_depth` edges: its nodes and edges.
    pub(crate) fn path(&self, a: &str, b: &str, max_depth: u32) -> Option<(Vec<NodeView>, Vec<EdgeView>)> {
        let (start, goal) = (*self.index.get(a)?, *self.index.get(b)?);
        let mut parent: HashMap<NodeIndex, NodeIndex> = HashMap::new();
        let mut depth: HashMap<NodeIndex, u32> = HashMap::from([(start, 0)]);
        let mut queue = VecDeque::from([start]);
        while let Some(node) = queue.pop_front() {
            if node == goal {
                break;
            }
            if depth[&node] == max_depth {
                continue;
            }
            let mut neighbors: Vec<NodeIndex> = self.graph.neighbors(node).collect();
            neighbors.sort();
            for neighbor in neighbors {
                if !depth.contains_key(&neighbor) {
                    depth.insert(neighbor, depth[&node] + 1);
                    parent.insert(neighbor, node);
                    queue.push_back(neighbor);
                }
            }
        }
        depth.get(&goal)?;
        let mut chain = vec![goal];
        while let Some(&prev) = parent.get(chain.last()?) {
            chain.push(prev);
        }
        chain.reverse();
        let nodes = chain
            .iter()
            .enumerate()
            .filter_map(|(i, &idx)| self.node_view(idx, i as u32))
            .collect();
        let edges = chain
            .windows(2)
            .filter_map(|pair| {
                let edge = self.graph.find_edge(pair[0], pair[1])?;
                self.edge_view(pair[0], pair[1], self.graph.edge_weight(edge)?)
            })
            .collect();
        Some((nodes, edges))
    }

    /// Degree and weighted PageRank over the subgraph of one kind of entity, with edge weights
    /// counted in the years a date range touches.
    pub(crate) fn ranks(
        &self,
        kind: EntityKind,
        from: Option<NaiveDate>,
        to: Option<NaiveDate>,
    ) -> Vec<Rank> {
        let members: Vec<NodeIndex> = self
            .graph
            .node_indices()
            .filter(|&idx| self.graph[idx].kind == kind)
            .collect();
        let position: HashMap<NodeIndex, usize> =
            members.iter().enumerate().map(|(i, &idx)| (idx, i)).collect();
        let mut adjacency: Vec<Vec<(usize, f64)>> = vec![Vec::new(); members.len()];
        for edge in self.graph.edge_references() {
            let (Some(&a), Some(&b)) = (position.get(&edge.source()), position.get(&edge.target())) else {
                continue;
            };
            let weight = edge.weight().weight_between(from, to);
            if weight > 0 && a != b {
                adjacency[a].push((b, f64::from(weight)));
                adjacency[b].push((a, f64::from(weight)));
            }
        }
        let pagerank = pagerank(&adjacency);
        members
            .iter()
            .enumerate()
            .filter(|(i, _)| !adjacency[*i].is_empty())
            .filter_map(|(i, &idx)| {
                Some(Rank {
                    node: self.node_view(idx, 0)?,
                    degree: adjacency[i].len() as u32,
                    weighted_degree: adjacency[i].iter().map(|(_, w)| *w as u64).sum(),
                    pagerank: pagerank[i],
                })
            })
            .collect()
    }
}

fn other(source: NodeIndex, target: NodeIndex, from: NodeIndex) -> NodeIndex {
    if source == from { target } else { source }
}

/// Weighted PageRank by power iteration; the rank of nodes without edges is spread evenly.
pub(crate) fn pagerank(adjacency: &[Vec<(usize, f64)>]) -> Vec<f64> {
    let n = adjacency.len();
    if n == 0 {
        return Vec::new();
    }
    let strength: Vec<f64> = adjacency
        .iter()
        .map(|edges| edges.iter().map(|(_, w)| w).sum())
        .collect();
    let mut rank = vec![1.0 / n as f64; n];
    for _ in 0..ITERATIONS {
        let dangling: f64 = (0..n).filter(|&i| strength[i] == 0.0).map(|i| rank[i]).sum();
        let base = (1.0 - DAMPING) / n as f64 + DAMPING * dangling / n as f64;
        let mut next = vec![base; n];
        for (i, edges) in adjacency.iter().enumerate() {
            if strength[i] == 0.0 {
                continue;
            }
            let share = DAMPING * rank[i] / strength[i];
            for &(j, w) in edges {
                next[j] += share * w;
            }
        }
        rank = next;
    }
    rank
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn pagerank_sums_to_one_and_favours_the_hub() {
        // A star: 0 is linked to 1, 2 and 3.
        let adjacency = vec![
            vec![(1, 1.0), (2, 1.0), (3, 1.0)],
            vec![(0, 1.0)],
            vec![(0, 1.0)],
            vec![(0, 1.0)],
        ];
        let rank = pagerank(&adjacency);
        assert!((rank.iter().sum::<f64>() - 1.0).abs() < 1e-9);
        assert!(rank[0] > rank[1] && (rank[1] - rank[2]).abs() < 1e-12);
    }
}
