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

from steppe.network.model import Network
from steppe.routing._build import expanded_graph
from steppe.routing._query import transit_closed
from steppe.routing.graph import EdgeKind, ExpandedGraph
from steppe.routing.options import Objective, RouteOptions

__all__ = [
    "Loaded",
    "TreeGroup",
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
    origin = table["origin"].to_numpy()
    dest = table["destination"].to_numpy()
    bilateral = {
        frozenset(nodes[x].country for x in (b.a, b.b))
        for b in network.borders
        if b.regime.value == "bilateral"
    }
    keys: dict[tuple[frozenset[str], frozenset[str] | None], list[int]] = {}
    memo: dict[tuple[str, str], tuple[frozenset[str], frozenset[str] | None]] = {}
    for i, (o, d) in enumerate(zip(origin, dest, strict=True)):
        if o not in nodes or d not in nodes or o == d:
            continue
        countries = (nodes[o].country, nodes[d].country)
        if countries not in memo:
            ends = frozenset(countries)
            memo[countries] = (transit_closed(network, options, ends),
                               ends if ends in bilateral else None)  # fmt: skip
        keys.setdefault(memo[countries], []).append(i)
    groups = []
    for (closed, pair_of), members in sorted(keys.items(), key=lambda kv: repr(kv[0])):
        graph = expanded_graph(network, options, closed)
        index = {nid: k for k, nid in enumerate(graph.node_ids)}
        od = np.asarray(members, dtype=np.int64)
        o_node = np.array([index[x] for x in origin[od]], dtype=np.int64)
        d_node = np.array([index[x] for x in dest[od]], dtype=np.int64)
        used, rows = np.unique(o_node, return_inverse=True)
        pair = -1 if pair_of is None else graph.bilateral_index(pair_of)
        groups.append(TreeGroup(graph=graph, pair=pair, sources=graph.start[used], od=od,
                                rows=rows.reshape(-1).astype(np.int64),
                                ends=graph.end[d_node]))  # fmt: skip
    return groups


def _trees(
    group: TreeGroup, weights: FloatArray | None
) -> tuple[FloatArray, npt.NDArray[np.int32], IntArray]:
    """Return distances, predecessors and the edge into each vertex, per source."""
    graph = group.graph
    matrix, edges = graph.csr(Objective.GENERALIZED, group.pair, weights=weights)
    dist, pred = dijkstra(matrix, indices=group.sources, return_predecessors=True)
    n = graph.n_vertices
    keys = np.repeat(np.arange(n, dtype=np.int64), np.diff(matrix.indptr)) * n + matrix.indices
    edge = np.full(pred.shape, -1, dtype=np.int64)
    ok = pred >= 0
    cols = np.broadcast_to(np.arange(n, dtype=np.int64), pred.shape)
    edge[ok] = edges[np.searchsorted(keys, pred[ok].astype(np.int64) * n + cols[ok])]
    return dist, pred, edge


def _push_up(pred: npt.NDArray[np.int32], flow: FloatArray) -> FloatArray:
    """Add each vertex's flow to its tree ancestors (flat ``sources × vertices``)."""
    n_rows, n = pred.shape
    flat = pred.reshape(-1).astype(np.int64)
    has = flat >= 0
    parent = np.where(has, np.repeat(np.arange(n_rows, dtype=np.int64) * n, n) + flat, -1)
    depth = has.astype(np.int64)
    jump = parent.copy()
    while True:  # pointer jumping: the depth of every vertex in O(log depth) steps
        ok = np.flatnonzero(jump >= 0)
        if len(ok) == 0:
            break
        depth[ok] += depth[jump[ok]]
        jump[ok] = jump[jump[ok]]
    loaded = np.flatnonzero(flow)
    if len(loaded) == 0:
        return flow
    # only the vertices on the way from a loaded vertex to its root matter
    order = np.argsort(-depth, kind="stable")
    order = order[depth[order] > 0]
    bounds = np.flatnonzero(np.diff(depth[order])) + 1
    for level in np.split(order, bounds):
        moving = level[flow[level] != 0]
        if len(moving):
            np.add.at(flow, parent[moving], flow[moving])
    return flow


def shortest_trees(
    group: TreeGroup, weights: FloatArray | None = None
) -> tuple[FloatArray, npt.NDArray[np.int32], IntArray]:
    """Return each pair's cost (inf: unreachable), and the trees' predecessors and edges.

    ``weights`` are the group graph's edge weights (default: generalized cost).
    """
    if weights is not None:
        weights = np.maximum(weights, 0.0)
    dist, pred, edge = _trees(group, weights)
    return dist[group.rows, group.ends], pred, edge


def push_loads(
    group: TreeGroup,
    pred: npt.NDArray[np.int32],
    edge: IntArray,
    tonnes: FloatArray,
) -> FloatArray:
    """Return the load of every edge of the group's graph from ``tonnes`` per pair of the group."""
    n = group.graph.n_vertices
    ok = np.isfinite(tonnes) & (tonnes != 0)
    ok &= pred[group.rows, group.ends] >= 0
    flow = np.zeros(pred.size)
    np.add.at(flow, group.rows[ok] * n + group.ends[ok], tonnes[ok])
    flow = _push_up(pred, flow)
    flat_edge = edge.reshape(-1)
    on = (flat_edge >= 0) & (flow != 0)
    loads = np.bincount(flat_edge[on], weights=flow[on], minlength=len(group.graph.src))
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
        d, pred, edge = shortest_trees(group, None if weights is None else weights[g])
        ok = np.isfinite(d)
        cost[group.od] = np.where(ok, d, np.nan)
        reached[group.od] = ok
        loads.append(push_loads(group, pred, edge, tonnes[group.od]))
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
