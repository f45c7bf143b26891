"""Time-dependent routing: the earliest-arrival search for a shipment leaving on a date.

The search runs on the same expanded graph as the static router.  An edge's time is its
static part (moving, transfers, the survey dwell of a border without a sourced one) plus,
where the network has calendars or capacities, the wait function of
:mod:`steppe.routing.waits` evaluated at the moment the shipment gets there.  Every wait
function is FIFO (leaving later never arrives earlier), so a label-setting Dijkstra on
arrival time is exact for ``objective="time"`` (Dreyfus 1969; Kaufman & Smith 1993).
For ``generalized`` the key is money plus the value of the time elapsed, a heuristic that
keeps the earliest arrival of each label; for ``cost``, ``co2`` and ``distance`` time does
not change the choice and the static route is timed along the way.
"""

from __future__ import annotations

import dataclasses
import heapq
import math
import weakref
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

import numpy as np
import numpy.typing as npt

from steppe.network.model import Network
from steppe.routing._assemble import assemble_route
from steppe.routing._clock import from_hours, to_hours
from steppe.routing.graph import EdgeKind, ExpandedGraph, carrier_mode
from steppe.routing.result import Leg, Route, RouteResult
from steppe.routing.waits import Wait, WaitKey, average_waits, time_model

__all__ = [
    "TimedGraph",
    "closure_notes",
    "dated_route",
    "dated_trees",
    "for_date",
    "retime",
    "td_search",
    "timed_graph",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


@dataclass(eq=False)
class TimedGraph:
    """An expanded graph prepared for time-dependent search (cached per graph).

    ``base_h[e]`` is the edge's time without its wait functions, ``waits[e]`` the wait
    functions met on it (in order), ``indptr``/``order`` the out-edges of each vertex.
    """

    graph: ExpandedGraph
    base_h: list[float]
    waits: list[tuple[tuple[str, Wait], ...]]
    adjacency: list[list[tuple[int, int, float, tuple[Wait, ...], int]]]
    """Per vertex: (edge, head, base time, wait functions, bilateral pair) of each out-edge."""


def _edge_keys(graph: ExpandedGraph, e: int) -> list[tuple[str, WaitKey]]:
    """Return the wait keys met on an edge, with the part they time (wait or dwell)."""
    net = graph.network
    kind = int(graph.kind[e])
    node = graph.node_ids[int(graph.vertex_node[graph.src[e]])]
    if kind in (EdgeKind.START, EdgeKind.TRANSFER):
        mode = carrier_mode(str(graph.vertex_carrier[graph.dst[e]])).value
        return [("wait", ("node", node, mode, True))]
    if kind != EdgeKind.LINK:
        return []
    link = net.links[int(graph.link[e])]
    keys: list[tuple[str, WaitKey]] = [("wait", ("link", link.id, link.mode.value, node == link.a))]
    if graph.border[e] >= 0:
        border = net.borders[int(graph.border[e])]
        keys.append(("dwell", ("border", border.id, link.mode.value, node == border.a)))
    return keys


_CACHE: weakref.WeakKeyDictionary[ExpandedGraph, TimedGraph] = weakref.WeakKeyDictionary()


def timed_graph(graph: ExpandedGraph) -> TimedGraph:
    """Return the time-dependent view of an expanded graph (built once, then cached)."""
    hit = _CACHE.get(graph)
    if hit is not None:
        return hit
    model = time_model(graph.network)
    averages = average_waits(graph.network)
    base = graph.time_h.copy()
    waits: list[tuple[tuple[str, Wait], ...]] = [()] * len(base)
    for e in range(len(base)):
        found = []
        for part, key in _edge_keys(graph, e):
            if key in model:
                base[e] -= averages[key][0]
                found.append((part, model[key]))
        if found:
            waits[e] = tuple(found)
    base_h = [max(0.0, float(x)) for x in base]
    adjacency: list[list[tuple[int, int, float, tuple[Wait, ...], int]]] = [
        [] for _ in range(graph.n_vertices)
    ]
    dst, bil = graph.dst.tolist(), graph.bilateral.tolist()
    for e, v in enumerate(graph.src.tolist()):
        fns = tuple(w for _part, w in waits[e])
        adjacency[v].append((e, dst[e], base_h[e], fns, bil[e]))
    timed = TimedGraph(graph=graph, base_h=base_h, waits=waits, adjacency=adjacency)
    _CACHE[graph] = timed
    return timed


def _weights(graph: ExpandedGraph, objective: str) -> tuple[list[float], float]:
    """Return the static weight per edge and the weight of one hour for an objective."""
    if objective == "time":
        return [0.0] * len(graph.src), 1.0
    if objective == "generalized":
        return graph.cost_usd.tolist(), graph.value_of_time
    return graph.weights(objective).tolist(), 0.0


def td_search(
    timed: TimedGraph,
    sources: dict[int, tuple[float, float]],
    targets: Sequence[int] | None,
    *,
    objective: str,
    pair: int,
) -> tuple[dict[int, tuple[float, float]], list[int]]:
    """Run a time-dependent Dijkstra from labelled sources until every target is settled.

    ``sources`` maps vertex -> (key, time); returns the settled (key, time) of each
    reached target (of every vertex when ``targets`` is None) and the predecessor edge
    of every vertex (-1: none).
    """
    static, per_hour = _weights(timed.graph, objective)
    adjacency = timed.adjacency
    n = len(adjacency)
    best = [math.inf] * n
    pred = [-1] * n
    settled = [False] * n
    heap = [(k, t, v) for v, (k, t) in sources.items()]
    heapq.heapify(heap)
    for k, _t, v in heap:
        best[v] = k
    full = targets is None
    left = set(targets or ())
    done: dict[int, tuple[float, float]] = {}
    pop, push = heapq.heappop, heapq.heappush
    while heap and (left or full):
        k, t, v = pop(heap)
        if settled[v] or k > best[v]:
            continue
        settled[v] = True
        if full or v in left:
            left.discard(v)
            done[v] = (k, t)
        for e, u, base, waits, bil in adjacency[v]:
            if bil >= 0 and bil != pair:
                continue
            t2 = t
            for w in waits:
                t2 = w.exit_time(t2)
            t2 += base
            k2 = k + static[e] + per_hour * (t2 - t) if per_hour != 1.0 else k + t2 - t
            if k2 < best[u]:
                best[u] = k2
                pred[u] = e
                push(heap, (k2, t2, u))
    return done, pred


def _stage_search(
    timed: TimedGraph, stops: Sequence[str], depart_h: float, objective: str, pair: int
) -> list[int] | None:
    graph = timed.graph
    index = {nid: i for i, nid in enumerate(graph.node_ids)}
    sources = {int(graph.start[index[stops[0]]]): (0.0, depart_h)}
    stages: list[tuple[dict[int, tuple[float, float]], list[int]]] = []
    for k, stop in enumerate(stops[1:], start=1):
        i = index[stop]
        targets = [int(graph.end[i])] if k == len(stops) - 1 else graph.arrivals(i)
        done, pred = td_search(timed, sources, targets, objective=objective, pair=pair)
        if not done:
            return None
        stages.append((sources, pred))
        sources = done
    target = min(sources, key=lambda v: sources[v])
    edges: list[int] = []
    for srcs, pred in reversed(stages):
        part: list[int] = []
        v = target
        while v not in srcs:
            e = pred[v]
            part.append(e)
            v = int(graph.src[e])
        edges = part[::-1] + edges
        target = v
    return edges


def dated_route(
    graph: ExpandedGraph,
    stops: Sequence[str],
    depart: datetime,
    *,
    objective: str,
    pair: int,
    edges: Sequence[int] | None = None,
) -> Route | None:
    """Return the route leaving on ``depart`` (earliest arrival for ``time``), or None.

    With ``edges``, the given path is timed instead of searched.  Legs carry their start
    time and, where the shipment waited, why.
    """
    timed = timed_graph(graph)
    t0 = to_hours(depart)
    if edges is None:
        found = _stage_search(timed, stops, t0, objective, pair)
        if found is None:
            return None
        edges = found
    return _timed_route(timed, list(edges), t0)


def _timed_route(timed: TimedGraph, edges: list[int], t0: float) -> Route:
    graph = timed.graph
    wait_h = graph.wait_h.copy()
    dwell_h = graph.dwell_h.copy()
    notes: dict[tuple[str, str], list[str]] = {}
    t = t0
    for e in edges:
        start_t = t
        extra = {"wait": 0.0, "dwell": 0.0}
        for part, w in timed.waits[e]:
            t_out, why = w.exit(t)
            extra[part] += t_out - t
            t = t_out
            key = _leg_key(graph, e, part)
            notes.setdefault(key, []).append("; ".join(why))
        t = start_t + extra["wait"] + extra["dwell"] + timed.base_h[e]
        if timed.waits[e]:
            base_wait, base_dwell = _static_parts(timed, e)
            wait_h[e] = base_wait + extra["wait"]
            dwell_h[e] = base_dwell + extra["dwell"]
    view = dataclasses.replace(graph, wait_h=wait_h, dwell_h=dwell_h, _csr={})
    route = assemble_route(view, edges)
    legs: list[Leg] = []
    clock = t0
    for leg in route.legs:
        key = (leg.kind, leg.ref)
        note = ""
        if leg.kind in ("wait", "border") and notes.get(key):
            note = notes[key].pop(0)
        legs.append(dataclasses.replace(leg, start=_iso(clock), note=note))
        clock += leg.time_h
    return dataclasses.replace(
        route, legs=tuple(legs), depart=_iso(t0), arrive=_iso(t0 + route.time_h)
    )


def _static_parts(timed: TimedGraph, e: int) -> tuple[float, float]:
    """Return the wait and dwell of an edge without the parts its wait functions time."""
    graph = timed.graph
    averages = average_waits(graph.network)
    wait, dwell = float(graph.wait_h[e]), float(graph.dwell_h[e])
    for part, key in _edge_keys(graph, e):
        if key in averages:
            if part == "wait":
                wait -= averages[key][0]
            else:
                dwell -= averages[key][0]
    return max(0.0, wait), max(0.0, dwell)


def _leg_key(graph: ExpandedGraph, e: int, part: str) -> tuple[str, str]:
    net = graph.network
    kind = int(graph.kind[e])
    if kind != EdgeKind.LINK:
        node = graph.node_ids[int(graph.vertex_node[graph.src[e]])]
        mode = str(graph.vertex_carrier[graph.dst[e]]).split(":")[0]
        return ("wait", f"{node}:{mode}")
    if part == "dwell":
        return ("border", net.borders[int(graph.border[e])].id)
    return ("wait", net.links[int(graph.link[e])].id)


def _iso(hours: float) -> str:
    return f"{from_hours(hours):%Y-%m-%dT%H:%M}"


def retime(network: Network, route: Route, depart: datetime) -> Route:
    """Return a route found without a date timed leg by leg for a departure date.

    Each border and wait leg keeps its static part (the survey dwell, half a headway)
    and replaces its yearly-mean waits with the wait functions at the moment the shipment
    gets there; legs carry their start time and why they waited.
    """
    model = time_model(network)
    averages = average_waits(network)
    borders = {b.id: b for b in network.borders}
    t0 = to_hours(depart)
    t = t0
    legs: list[Leg] = []
    for leg in route.legs:
        key: WaitKey | None = None
        if leg.kind == "border" and leg.ref in borders:
            key = ("border", leg.ref, leg.mode, leg.from_id == borders[leg.ref].a)
        elif leg.kind == "wait":
            link = network.links_by_id.get(leg.ref)
            if link is not None:
                key = ("link", link.id, link.mode.value, leg.from_id == link.a)
            else:
                node, _, mode = leg.ref.partition(":")
                key = ("node", node, mode, True)
        start, note, time_h = t, "", leg.time_h
        if key is not None and key in model:
            t_out, why = model[key].exit(t)
            time_h = max(0.0, leg.time_h - averages[key][0]) + (t_out - t)
            note = "; ".join(why)
        t = start + time_h
        legs.append(dataclasses.replace(leg, time_h=time_h, start=_iso(start), note=note))
    total = t - t0
    return dataclasses.replace(
        route,
        legs=tuple(legs),
        time_h=total,
        generalized_cost=route.generalized_cost + (total - route.time_h) * _vot(route),
        depart=_iso(t0),
        arrive=_iso(t),
    )


def _vot(route: Route) -> float:
    """Return the value of time implied by a route's totals (USD per hour)."""
    return (route.generalized_cost - route.cost_usd) / route.time_h if route.time_h else 0.0


def closure_notes(route: Route) -> list[str]:
    """Return the notes of a dated route's legs that waited for a closure."""
    return [leg.note for leg in route.legs if " closed for " in leg.note]


def for_date(
    network: Network,
    graph: ExpandedGraph,
    result: RouteResult,
    stops: Sequence[str],
    depart: datetime,
    *,
    objective: str,
    pair: int,
    search: bool,
) -> RouteResult:
    """Return a routing result for a departure date.

    With ``search`` the best route is the time-dependent search's (earliest arrival for
    ``time``) and the other routes are timed for the date; otherwise (Pareto sets) every
    route is timed.  ``notes`` say where the best route waits for a closure, or that it
    goes another way than the undated best route because of one.
    """
    timed = [retime(network, r, depart) for r in result.routes]
    notes: list[str] = []
    if search:
        best = dated_route(graph, stops, depart, objective=objective, pair=pair)
        if best is not None:
            if best.link_ids != timed[0].link_ids:
                notes += [f"{n}: the route goes another way" for n in closure_notes(timed[0])]
            rest = [r for r in timed if r.link_ids != best.link_ids]
            timed = [best, *rest][: len(result.routes)]
    notes += [f"{n}: the route waits" for n in closure_notes(timed[0])]
    return dataclasses.replace(
        result, routes=tuple(timed), depart=_iso(to_hours(depart)), notes=tuple(notes)
    )


def dated_trees(
    graph: ExpandedGraph, sources: Sequence[int], depart: datetime, *, objective: str, pair: int
) -> tuple[npt.NDArray[np.int32], npt.NDArray[np.int64], FloatArray]:
    """Return, per source, the predecessor vertex and edge of every vertex and its elapsed time.

    The time-dependent search tree from each source leaving at ``depart``: rows follow
    ``sources``; unreached vertices have predecessor -1 (as scipy's Dijkstra marks them)
    and time NaN.
    """
    timed = timed_graph(graph)
    t0 = to_hours(depart)
    n = graph.n_vertices
    pred = np.full((len(sources), n), -9999, dtype=np.int32)
    edge = np.full((len(sources), n), -1, dtype=np.int64)
    elapsed = np.full((len(sources), n), np.nan)
    src = graph.src
    for r, s in enumerate(sources):
        done, pred_e = td_search(timed, {s: (0.0, t0)}, None, objective=objective, pair=pair)
        reached = np.fromiter(done.keys(), dtype=np.int64, count=len(done))
        times = np.fromiter((t for _k, t in done.values()), dtype=np.float64, count=len(done))
        elapsed[r, reached] = times - t0
        e_row = np.asarray(pred_e, dtype=np.int64)
        ok = e_row >= 0
        ok[s] = False
        edge[r, ok] = e_row[ok]
        pred[r, ok] = src[e_row[ok]]
    return pred, edge, elapsed
