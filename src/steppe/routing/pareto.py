"""The exact Pareto set of routes over time, money and CO2.

A multi-criteria label-setting search (Martins' algorithm in the A* form of NAMOA*) on the
expanded graph.  Labels are expanded in lexicographic order of ``g + h``, where ``h`` is
the exact single-objective distance to the destination from three backward Dijkstra runs
(a consistent lower bound).  A label is dropped when ``g`` is dominated by a label already
settled at its vertex, or when ``g + h`` is dominated by a route already found, so the
search stays small while the result stays exact.

With a departure date the search is time-dependent: a label's time is the hours elapsed
since departure, and each edge's waits (closures, queues, sailings) are evaluated at the
moment the label gets there (:mod:`steppe.routing.timedep`).  Every wait is FIFO and money
and CO2 do not depend on the clock, so a label that is earlier, cheaper and cleaner at a
vertex still dominates every continuation of a later one, and the set stays exact; the
time bound ``h`` is then the hours without any wait.
"""

from __future__ import annotations

import dataclasses
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
from steppe.routing._clock import to_hours
from steppe.routing._query import no_route_error, prepare
from steppe.routing.dated import closure_notes, for_date
from steppe.routing.graph import ExpandedGraph
from steppe.routing.options import Objective, RouteOptions
from steppe.routing.result import RouteResult
from steppe.routing.timedep import TimedGraph, lower_bounds, timed_graph
from steppe.routing.waits import Wait

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
    depart = query.options.depart
    clock = None if depart is None else (timed_graph(graph), to_hours(depart))
    solutions = _search(graph, pair, stops, max_labels, clock)
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
        price_date=graph.price_month,
        service=graph.service,
    )
    if depart is None:
        return result
    # found by the time-dependent search; the routes' legs are timed for the date
    dated = for_date(network, graph, result, query.stops, depart,
                     objective="time", pair=pair, search=False)  # fmt: skip
    ordered = sorted(dated.routes, key=lambda r: tuple(o.total(r) for o in _CRITERIA))
    notes = tuple(
        f"route {i}: {n}: the route waits"
        for i, r in enumerate(ordered, start=1)
        for n in closure_notes(r)
    )
    return dataclasses.replace(dated, routes=tuple(ordered), notes=notes)


DatedStep = tuple[tuple[Wait, ...], float, tuple[Wait, ...], float]


def _dated_steps(timed: TimedGraph) -> list[DatedStep | None]:
    """Return, per edge, its waits and hours for the dated search (None: no wait)."""
    steps: list[DatedStep | None] = [None] * len(timed.graph.src)
    for out in timed.adjacency:
        for e, _u, before, pre, after, post, _bil in out:
            if before or after:
                steps[e] = (before, pre, after, post)
    return steps


def _search(
    graph: ExpandedGraph,
    pair: int,
    stops: list[int],
    max_labels: int,
    clock: tuple[TimedGraph, float] | None = None,
) -> list[list[int]]:
    usable = np.flatnonzero((graph.bilateral < 0) | (graph.bilateral == pair))
    order = usable[np.argsort(graph.src[usable], kind="stable")]
    starts = np.searchsorted(graph.src[order], np.arange(graph.n_vertices + 1))
    costs = np.stack([o.weights(graph) for o in _CRITERIA], axis=1)
    target = int(graph.end[stops[-1]])
    h = np.stack(
        [dijkstra(graph.csr(o, pair)[0].T, indices=target) for o in _CRITERIA],
        axis=1,
    )
    steps: list[DatedStep | None] = []
    t0 = 0.0
    if clock is not None:  # dated: hours without waits bound the time to go
        timed, t0 = clock
        h[:, 0] = lower_bounds(timed, target, pair)
        steps = _dated_steps(timed)
        # an edge without waits takes its static hours (they hold no yearly mean)
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
            step = steps[e] if steps else None
            if step is None:
                push((g[0] + c[0], g[1] + c[1], g[2] + c[2]), dst[e], stage, lab, e)
                continue
            before, pre, after, post = step
            t = t0 + g[0]
            for w in before:
                t = w.exit_time(t)
            t += pre
            for w in after:
                t = w.exit_time(t)
            push((t + post - t0, g[1] + c[1], g[2] + c[2]), dst[e], stage, lab, e)
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
