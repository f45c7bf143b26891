"""The exact Pareto set of routes over time, money and CO2.

A multi-criteria label-setting search (Martins' algorithm in the A* form of NAMOA*) on the
expanded graph.  Labels are expanded in lexicographic order of ``g + h``, where ``h`` is
the exact single-objective distance to the destination from three backward Dijkstra runs
(a consistent lower bound).  A label is dropped when ``g`` is dominated by a label already
settled at its vertex, or when ``g + h`` is dominated by a route already found, so the
search stays small while the result stays exact.
"""

from __future__ import annotations

import heapq
import logging
import math
from collections.abc import Sequence
from typing import Any

import numpy as np
from scipy.sparse.csgraph import dijkstra

from steppe._deadline import check_deadline
from steppe.errors import ConfigError
from steppe.network.model import Network, Node
from steppe.routing._assemble import assemble_route
from steppe.routing._query import no_route_error, prepare
from steppe.routing.dated import for_date
from steppe.routing.graph import ExpandedGraph
from steppe.routing.options import Objective, RouteOptions
from steppe.routing.result import RouteResult

__all__ = ["dominates", "pareto"]

logger = logging.getLogger(__name__)

Vec = tuple[float, float, float]
_CRITERIA = (Objective.TIME, Objective.COST, Objective.CO2)
_REL = 1e-9


def dominates(a: Sequence[float], b: Sequence[float]) -> bool:
    """Return whether ``a`` is at least as good as ``b`` in every criterion (with tolerance)."""
    return all(x <= y + _REL * (1.0 + abs(y)) for x, y in zip(a, b, strict=True))


def _dominated(b: Vec, labels: list[Vec]) -> bool:
    """Return whether any of ``labels`` dominates ``b`` (costs are >= 0; inlined for speed)."""
    b0, b1, b2 = b[0] * (1 + _REL) + _REL, b[1] * (1 + _REL) + _REL, b[2] * (1 + _REL) + _REL
    for a in labels:  # noqa: SIM110 (a plain loop is faster on this hot path)
        if a[0] <= b0 and a[1] <= b1 and a[2] <= b2:
            return True
    return False


def pareto(
    network: Network,
    origin: str | Node,
    destination: str | Node,
    options: RouteOptions | None = None,
    *,
    max_labels: int = 200_000,
    **keywords: Any,
) -> RouteResult:
    """Return every route not beaten on all of time, money and CO2 at once.

    Parameters
    ----------
    network, origin, destination, options, **keywords
        As for :func:`steppe.routing.route`; the options' objective is not used (every
        objective counts).
    max_labels
        Safety bound on the labels created; exceeding it raises ConfigError.

    Returns
    -------
    RouteResult
        ``kind="pareto"``; routes sorted fastest first (so cheapest or cleanest last).

    Raises
    ------
    NoRouteError
        No route satisfies the constraints.
    ConfigError
        The search exceeded ``max_labels``.

    Examples
    --------
    >>> import steppe
    >>> net = steppe.load_network()
    >>> front = steppe.pareto(net, "Ulaanbaatar", "Duisburg", avoid=["RUS"])
    >>> times = [r.time_h for r in front.routes]
    >>> times == sorted(times)
    True
    """
    query = prepare(network, origin, destination, RouteOptions.build(options, **keywords))
    graph = query.graph(network)
    pair = query.pair(graph)
    index = {nid: i for i, nid in enumerate(graph.node_ids)}
    stops = [index[s] for s in query.stops]
    solutions = _search(graph, pair, stops, max_labels)
    if not solutions:
        raise no_route_error(network, query)
    routes = sorted(
        (assemble_route(graph, edges) for edges in solutions),
        key=lambda r: tuple(o.total(r) for o in _CRITERIA),
    )
    names = network.nodes_by_id
    result = RouteResult(
        origin=names[query.stops[0]].name,
        destination=names[query.stops[-1]].name,
        objective="pareto",
        kind="pareto",
        routes=tuple(routes),
    )
    if query.options.depart is None:
        return result
    # found on yearly-average waits, then every route is timed for the date
    return for_date(network, graph, result, query.stops, query.options.depart,
                    objective="time", pair=pair, search=False)  # fmt: skip


def _search(graph: ExpandedGraph, pair: int, stops: list[int], max_labels: int) -> list[list[int]]:
    usable = np.flatnonzero((graph.bilateral < 0) | (graph.bilateral == pair))
    order = usable[np.argsort(graph.src[usable], kind="stable")]
    starts = np.searchsorted(graph.src[order], np.arange(graph.n_vertices + 1))
    costs = np.stack([o.weights(graph) for o in _CRITERIA], axis=1)
    target = int(graph.end[stops[-1]])
    h = np.stack(
        [dijkstra(graph.csr(o, pair)[0].T, indices=target) for o in _CRITERIA],
        axis=1,
    )
    n_stages = len(stops) - 1
    via_stage = {int(stops[k]): k for k in range(1, n_stages)}
    out_edges = [order[starts[v] : starts[v + 1]].tolist() for v in range(graph.n_vertices)]
    edge_cost = costs.tolist()
    hl = h.tolist()
    dst = graph.dst.tolist()
    role = graph.vertex_role.tolist()
    vnode = graph.vertex_node.tolist()
    # label: (g, vertex, stage, parent label, edge)
    labels: list[tuple[Vec, int, int, int, int]] = []
    settled: dict[tuple[int, int], list[Vec]] = {}
    found: list[Vec] = []
    found_labels: list[int] = []
    heap: list[tuple[Vec, int]] = []

    def push(g: Vec, v: int, stage: int, parent: int, edge: int) -> None:
        hv = hl[v]
        f = (g[0] + hv[0], g[1] + hv[1], g[2] + hv[2])
        if not math.isfinite(f[0]) or _dominated(f, found):
            return
        if _dominated(g, settled.get((v, stage), [])):
            return
        labels.append((g, v, stage, parent, edge))
        if len(labels) > max_labels:
            raise ConfigError(
                f"the Pareto search exceeded max_labels={max_labels}; restrict modes or "
                "countries, or raise max_labels"
            )
        heapq.heappush(heap, (f, len(labels) - 1))

    push((0.0, 0.0, 0.0), int(graph.start[stops[0]]), 0, -1, -1)
    pops = 0
    check_deadline()
    while heap:
        pops += 1
        if not pops & 63:  # every 64 labels: a stopped request frees its thread
            check_deadline()
        f, lab = heapq.heappop(heap)
        g, v, stage, _, _ = labels[lab]
        if _dominated(f, found):
            continue
        here = settled.setdefault((v, stage), [])
        if _dominated(g, here):
            continue
        here.append(g)
        if v == target and stage == n_stages - 1:
            found.append(g)
            found_labels.append(lab)
            continue
        if role[v] == 2 and via_stage.get(vnode[v]) == stage + 1:
            push(g, v, stage + 1, lab, -1)
        for e in out_edges[v]:
            c = edge_cost[e]
            push((g[0] + c[0], g[1] + c[1], g[2] + c[2]), dst[e], stage, lab, e)
    logger.debug("pareto: %d labels, %d routes", len(labels), len(found))
    return [_edges(labels, lab) for lab in found_labels]


def _edges(labels: list[tuple[Vec, int, int, int, int]], lab: int) -> list[int]:
    edges: list[int] = []
    while lab >= 0:
        _, _, _, parent, edge = labels[lab]
        if edge >= 0:
            edges.append(edge)
        lab = parent
    return edges[::-1]
