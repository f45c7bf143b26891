"""Load OD tonnes onto shortest-path trees: one multi-source Dijkstra per group of origins.

All-or-nothing loading the fast way: the OD pairs are grouped by what their expanded graph
depends on (the countries closed to transit for the trip and, across a bilateral border,
the pair of countries), one :func:`scipy.sparse.csgraph.dijkstra` call per group gives the
shortest-path trees of every origin with demand, each destination's tonnes are put on its
end vertex, and the tonnes are pushed up the trees towards the roots one depth level at a
time (deepest first, one numpy step per level).  A vertex's flow is then the flow on the
tree edge into it, so the edge loads come out in one ``bincount``.

The same trees give every pair's generalized cost, which the mode choice
(:mod:`~steppe.appraisal.modechoice`) and the equilibrium
(:mod:`~steppe.appraisal.equilibrium`) use; extra per-edge hours (queues that lengthen as
loads rise) enter through the edge weights.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.sparse.csgraph import dijkstra

from steppe._progress import report_progress
from steppe.network.model import Network
from steppe.routing._build import expanded_graph
from steppe.routing._query import transit_closed
from steppe.routing.graph import EdgeKind, ExpandedGraph
from steppe.routing.options import Objective, RouteOptions

__all__ = [
    "Loaded",
    "TreeGroup",
    "Trees",
    "edge_tables",
    "load_groups",
    "push_loads",
    "shortest_trees",
    "tree_groups",
]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


@dataclass(frozen=True, slots=True)
class TreeGroup:
    """The OD pairs that share one expanded graph, ready to load.

    ``od`` indexes the pairs in the demand table; ``rows`` is each pair's origin as a row
    of ``sources`` (the start vertices), ``ends`` its end vertex.
    """

    graph: ExpandedGraph
    pair: int
    sources: IntArray
    od: IntArray
    rows: IntArray
    ends: IntArray


@dataclass(frozen=True, slots=True)
class Loaded:
    """The result of loading a demand vector on the trees of every group.

    ``edge_tonnes[g]`` is the load of each edge of group ``g``'s graph; ``cost``,
    ``time_h``, ``money`` are per OD pair (NaN where unreachable), by the weights used.
    """

    edge_tonnes: tuple[FloatArray, ...]
    cost: FloatArray
    reached: npt.NDArray[np.bool_]


def tree_groups(network: Network, table: pd.DataFrame, options: RouteOptions) -> list[TreeGroup]:
    """Group the OD pairs of ``table`` (``origin``, ``destination``) by their graph.

    Pairs whose origin or destination is not a node of the network are left out (their
    index appears in no group).
    """
    nodes = network.nodes_by_id
    origin = np.asarray(table["origin"].tolist(), dtype=object)
    dest = np.asarray(table["destination"].tolist(), dtype=object)
    country = {nid: n.country for nid, n in nodes.items()}
    iso_o = [country.get(x, "") for x in origin]
    iso_d = [country.get(x, "") for x in dest]
    valid = np.array([bool(a and b) for a, b in zip(iso_o, iso_d, strict=True)], dtype=bool)
    valid &= origin != dest
    bilateral = {
        frozenset(nodes[x].country for x in (b.a, b.b))
        for b in network.borders
        if b.regime.value == "bilateral"
    }
    # one key per country pair: the countries closed to transit and the bilateral pair
    pair_code, pairs = pd.factorize(np.array([f"{a}>{b}" if ok else ""
                                              for a, b, ok in zip(iso_o, iso_d, valid,
                                                                  strict=True)]))  # fmt: skip
    keys: dict[tuple[frozenset[str], frozenset[str] | None], list[int]] = {}
    for code, text in enumerate(pairs):
        a, _, b = str(text).partition(">")
        if not a:
            continue
        ends = frozenset((a, b))
        key = (transit_closed(network, options, ends), ends if ends in bilateral else None)
        keys.setdefault(key, []).append(code)
    groups = []
    for (closed, pair_of), codes in sorted(keys.items(), key=lambda kv: repr(kv[0])):
        graph = expanded_graph(network, options, closed)
        index = {nid: k for k, nid in enumerate(graph.node_ids)}
        od = np.flatnonzero(np.isin(pair_code, codes) & valid).astype(np.int64)
        o_node = np.array([index[x] for x in origin[od]], dtype=np.int64)
        d_node = np.array([index[x] for x in dest[od]], dtype=np.int64)
        used, rows = np.unique(o_node, return_inverse=True)
        pair = -1 if pair_of is None else graph.bilateral_index(pair_of)
        groups.append(TreeGroup(graph=graph, pair=pair, sources=graph.start[used], od=od,
                                rows=rows.reshape(-1).astype(np.int64),
                                ends=graph.end[d_node]))  # fmt: skip
    return groups


@dataclass(frozen=True, slots=True)
class Trees:
    """The shortest-path trees of a group's origins: predecessors, and how to find the edge
    behind a tree entry (only for the entries that need it)."""

    pred: npt.NDArray[np.int32]
    keys: IntArray
    edges: IntArray

    def edge_into(self, flat: IntArray) -> IntArray:
        """Return the graph edge into each flat ``row * n + vertex`` (all must have a parent)."""
        n = self.pred.shape[1]
        parent = self.pred.reshape(-1)[flat].astype(np.int64)
        return np.asarray(self.edges[np.searchsorted(self.keys, parent * n + flat % n)])

    def all_edges(self) -> IntArray:
        """Return the edge into every vertex of every tree (-1: none)."""
        flat = np.flatnonzero(self.pred.reshape(-1) >= 0)
        edge = np.full(self.pred.size, -1, dtype=np.int64)
        edge[flat] = self.edge_into(flat)
        return edge.reshape(self.pred.shape)


def _trees(group: TreeGroup, weights: FloatArray | None) -> tuple[FloatArray, Trees]:
    """Return distances and the trees, per source."""
    graph = group.graph
    matrix, edges = graph.csr(Objective.GENERALIZED, group.pair, weights=weights)
    dist, pred = dijkstra(matrix, indices=group.sources, return_predecessors=True)
    n = graph.n_vertices
    keys = np.repeat(np.arange(n, dtype=np.int64), np.diff(matrix.indptr)) * n + matrix.indices
    return dist, Trees(pred=pred, keys=keys, edges=edges)


def _push_up(pred: npt.NDArray[np.int32], start: IntArray, tonnes: FloatArray) -> FloatArray:
    """Return the flow through every tree vertex (flat ``sources × vertices``).

    Each loaded vertex's tonnes walk up to the root, one step for all of them at a time;
    walks that meet are merged, so a step costs the number of distinct vertices reached.
    """
    n = pred.shape[1]
    flat_pred = pred.reshape(-1)
    flow = np.zeros(pred.size)
    cur, w = start, tonnes
    while len(cur):
        np.add.at(flow, cur, w)
        parent = flat_pred[cur]
        up = parent >= 0
        cur = (cur[up] // n) * n + parent[up].astype(np.int64)
        w = w[up]
        if len(cur) > 1:  # merge the walks that reached the same vertex
            cur, inverse = np.unique(cur, return_inverse=True)
            w = np.asarray(np.bincount(inverse.reshape(-1), weights=w, minlength=len(cur)),
                           dtype=float)  # fmt: skip
    return flow


def shortest_trees(group: TreeGroup, weights: FloatArray | None = None) -> tuple[FloatArray, Trees]:
    """Return each pair's cost (inf: unreachable) and the trees of the group's origins.

    ``weights`` are the group graph's edge weights (default: generalized cost).
    """
    if weights is not None:
        weights = np.maximum(weights, 0.0)
    dist, trees = _trees(group, weights)
    return dist[group.rows, group.ends], trees


def push_loads(group: TreeGroup, trees: Trees, tonnes: FloatArray) -> FloatArray:
    """Return the load of every edge of the group's graph from ``tonnes`` per pair of the group."""
    n = group.graph.n_vertices
    pred = trees.pred
    ok = np.isfinite(tonnes) & (tonnes != 0)
    ok &= pred[group.rows, group.ends] >= 0
    start, inverse = np.unique(group.rows[ok] * n + group.ends[ok], return_inverse=True)
    weight = np.asarray(np.bincount(inverse.reshape(-1), weights=tonnes[ok],
                                    minlength=len(start)), dtype=float)  # fmt: skip
    flow = _push_up(pred, start, weight)
    on = np.flatnonzero((flow != 0) & (pred.reshape(-1) >= 0))
    loads = np.bincount(trees.edge_into(on), weights=flow[on], minlength=len(group.graph.src))
    return np.asarray(loads, dtype=float)


def load_groups(
    groups: Sequence[TreeGroup],
    tonnes: FloatArray,
    *,
    weights: Sequence[FloatArray] | None = None,
) -> Loaded:
    """Load ``tonnes`` (one value per OD pair of the demand table) all or nothing.

    Parameters
    ----------
    groups
        From :func:`tree_groups`.
    tonnes
        Tonnes per OD pair of the table the groups were made from.
    weights
        Per group, the edge weights (default: the graph's generalized cost).

    Returns
    -------
    Loaded
    """
    size = len(tonnes)
    cost = np.full(size, np.nan)
    reached = np.zeros(size, dtype=bool)
    loads = []
    for g, group in enumerate(groups):
        d, trees = shortest_trees(group, None if weights is None else weights[g])
        ok = np.isfinite(d)
        cost[group.od] = np.where(ok, d, np.nan)
        reached[group.od] = ok
        loads.append(push_loads(group, trees, tonnes[group.od]))
        report_progress(g + 1, len(groups))
    return Loaded(edge_tonnes=tuple(loads), cost=cost, reached=reached)


def edge_tables(
    groups: Sequence[TreeGroup], edge_tonnes: Sequence[FloatArray]
) -> tuple[dict[str, float], dict[tuple[str, str], float], dict[str, float]]:
    """Return tonnes by network link id, by (border id, mode) and by transfer label.

    A transfer is labelled ``node:from>to`` with the carriers as in a route's legs.
    """
    links: dict[str, float] = {}
    borders: dict[tuple[str, str], float] = {}
    transfers: dict[str, float] = {}
    for group, load in zip(groups, edge_tonnes, strict=True):
        graph = group.graph
        net = graph.network
        on = np.flatnonzero(load > 0)
        link = graph.link[on]
        is_link = (graph.kind[on] == EdgeKind.LINK) & (link >= 0)
        by_link = np.bincount(link[is_link], weights=load[on][is_link],
                              minlength=len(net.links))  # fmt: skip
        for k in np.flatnonzero(by_link):
            lid = net.links[int(k)].id
            links[lid] = links.get(lid, 0.0) + float(by_link[k])
        crossing = on[graph.border[on] >= 0]
        for e in crossing.tolist():
            b = net.borders[int(graph.border[e])].id
            mode = net.links[int(graph.link[e])].mode.value
            borders[(b, mode)] = borders.get((b, mode), 0.0) + float(load[e])
        for e in on[graph.kind[on] == EdgeKind.TRANSFER].tolist():
            node = graph.node_ids[int(graph.vertex_node[graph.src[e]])]
            c_from, c_to = graph.vertex_carrier[graph.src[e]], graph.vertex_carrier[graph.dst[e]]
            label = f"{node}:{c_from}>{c_to}"
            transfers[label] = transfers.get(label, 0.0) + float(load[e])
    return links, borders, transfers
