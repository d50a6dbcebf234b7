//! Graph algorithms over the projection: capped neighborhoods, shortest paths, weighted PageRank.
//! They take and return entity ids; indices stay inside.

use std::collections::{HashMap, VecDeque};

use chrono::NaiveDate;
use diplograph_core::EntityKind;
use petgraph::stable_graph::NodeIndex;
use petgraph::visit::{EdgeRef, IntoEdgeReferences, NodeIndexable};

use crate::model::{EdgeView, NodeView};
use crate::projection::{Neighbor, Projection};

/// Raw neighborhood: nodes with depths, edges among them, whether top-k cut anything.
pub(crate) struct Neighborhood {
    pub(crate) nodes: Vec<NodeView>,
    pub(crate) edges: Vec<EdgeView>,
    pub(crate) truncated: bool,
}

/// The nodes a neighborhood reaches: in visiting order, with depths by node index.
struct Reach {
    order: Vec<NodeIndex>,
    depths: Vec<u32>,
    truncated: bool,
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
        let reach = self.reach(id, depth, top_k)?;
        let nodes = reach
            .order
            .iter()
            .filter_map(|&idx| self.node_view(idx, reach.depths[idx.index()]))
            .collect();
        let mut edges = Vec::new();
        self.member_edges(&reach, |a, b| {
            let edge = self.edge_between(a, b).and_then(|e| self.graph.edge_weight(e));
            edges.extend(edge.and_then(|edge| self.edge_view(a, b, edge)));
        });
        Some(Neighborhood {
            nodes,
            edges,
            truncated: reach.truncated,
        })
    }

    /// The numbers of nodes and edges [`Projection::neighborhood`] would return, and whether
    /// top-k cut anything, without building views.
    pub(crate) fn neighborhood_size(
        &self,
        id: &str,
        depth: u32,
        top_k: usize,
    ) -> Option<(usize, usize, bool)> {
        let reach = self.reach(id, depth, top_k)?;
        let mut edges = 0;
        self.member_edges(&reach, |_, _| edges += 1);
        Some((reach.order.len(), edges, reach.truncated))
    }

    fn reach(&self, id: &str, depth: u32, top_k: usize) -> Option<Reach> {
        let start = *self.index.get(id)?;
        // Depth per node index, `u32::MAX` for nodes not reached.
        let mut depths = vec![u32::MAX; self.graph.node_bound()];
        depths[start.index()] = 0;
        let mut order = vec![start];
        let mut queue = VecDeque::from([start]);
        let mut truncated = false;
        while let Some(node) = queue.pop_front() {
            let d = depths[node.index()];
            if d == depth {
                continue;
            }
            let mut next: Vec<Neighbor> = self.neighbors(node).to_vec();
            let heaviest = |a: &Neighbor, b: &Neighbor| b.weight.cmp(&a.weight).then(a.node.cmp(&b.node));
            if next.len() > top_k {
                truncated = true;
                next.select_nth_unstable_by(top_k, heaviest);
                next.truncate(top_k);
            }
            next.sort_unstable_by(heaviest);
            for neighbor in next {
                if depths[neighbor.node as usize] == u32::MAX {
                    depths[neighbor.node as usize] = d + 1;
                    let neighbor = NodeIndex::new(neighbor.node as usize);
                    order.push(neighbor);
                    queue.push_back(neighbor);
                }
            }
        }
        Some(Reach {
            order,
            depths,
            truncated,
        })
    }

    /// Calls `each` once for every edge between two members of a reach (lower node first).
    fn member_edges(&self, reach: &Reach, mut each: impl FnMut(NodeIndex, NodeIndex)) {
        for &idx in &reach.order {
            for neighbor in self.neighbors(idx) {
                let far = neighbor.node as usize;
                if far > idx.index() && reach.depths[far] != u32::MAX {
                    each(idx, NodeIndex::new(far));
                }
            }
        }
    }

    /// The fewest-hops chain from `a` to `b` of at most `max_depth` edges: its nodes and edges.
    /// Bidirectional breadth-first search: each round grows the smaller frontier by one hop, so
    /// a path through hubs is found without visiting most of the graph.
    pub(crate) fn path(&self, a: &str, b: &str, max_depth: u32) -> Option<(Vec<NodeView>, Vec<EdgeView>)> {
        let (start, goal) = (*self.index.get(a)?, *self.index.get(b)?);
        let chain = if start == goal {
            vec![start]
        } else {
            self.meet(start, goal, max_depth)?
        };
        let nodes = chain
            .iter()
            .enumerate()
            .filter_map(|(i, &idx)| self.node_view(idx, i as u32))
            .collect();
        let edges = chain
            .windows(2)
            .filter_map(|pair| {
                let edge = self.edge_between(pair[0], pair[1])?;
                self.edge_view(pair[0], pair[1], self.graph.edge_weight(edge)?)
            })
            .collect();
        Some((nodes, edges))
    }

    /// The node chain of a shortest path from `start` to `goal` (distinct) within `max_depth`.
    /// Each round expands every node of the smaller frontier; of the links it finds into the
    /// other side, the shortest (first in node order among equals) makes the path.
    fn meet(&self, start: NodeIndex, goal: NodeIndex, max_depth: u32) -> Option<Vec<NodeIndex>> {
        let mut parents: [HashMap<NodeIndex, NodeIndex>; 2] = [HashMap::new(), HashMap::new()];
        let mut dist: [HashMap<NodeIndex, u32>; 2] =
            [HashMap::from([(start, 0)]), HashMap::from([(goal, 0)])];
        let mut frontiers = [vec![start], vec![goal]];
        for _ in 0..max_depth {
            let side = usize::from(frontiers[1].len() < frontiers[0].len());
            let mut next = Vec::new();
            let mut best: Option<(u32, NodeIndex, NodeIndex)> = None;
            for &node in &frontiers[side] {
                let here = dist[side][&node];
                let mut neighbors: Vec<NodeIndex> = self
                    .neighbors(node)
                    .iter()
                    .map(|n| NodeIndex::new(n.node as usize))
                    .collect();
                neighbors.sort_unstable();
                for neighbor in neighbors {
                    if let Some(&there) = dist[1 - side].get(&neighbor) {
                        let len = here + 1 + there;
                        if best.is_none_or(|(b, _, _)| len < b) {
                            best = Some((len, node, neighbor));
                        }
                    }
                    if let std::collections::hash_map::Entry::Vacant(slot) = dist[side].entry(neighbor) {
                        slot.insert(here + 1);
                        parents[side].insert(neighbor, node);
                        next.push(neighbor);
                    }
                }
            }
            if let Some((_, near, far)) = best {
                // `near` is on this side, `far` on the other: walk both back to their roots.
                let mut chain = walk(&parents[side], near);
                chain.reverse();
                chain.extend(walk(&parents[1 - side], far));
                if side == 1 {
                    chain.reverse();
                }
                return Some(chain);
            }
            if next.is_empty() {
                return None;
            }
            frontiers[side] = next;
        }
        None
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

/// A node and its parents up to the root of a search.
fn walk(parents: &HashMap<NodeIndex, NodeIndex>, from: NodeIndex) -> Vec<NodeIndex> {
    let mut chain = vec![from];
    while let Some(&prev) = chain.last().and_then(|n| parents.get(n)) {
        chain.push(prev);
    }
    chain
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
