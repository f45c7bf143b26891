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

import heapq
import math
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from datetime import datetime

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from steppe.routing._clock import to_hours
from steppe.routing.graph import EdgeKind, ExpandedGraph, carrier_mode
from steppe.routing.waits import Wait, WaitKey, average_waits, time_model

__all__ = [
    "TimedGraph",
    "dated_trees",
    "earliest_tree",
    "lower_bounds",
    "stage_search",
    "td_search",
    "timed_graph",
]

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


Step = tuple[int, int, tuple[Wait, ...], float, tuple[Wait, ...], float, int]
"""An out-edge: (edge, head, waits before, hours, waits after, hours, bilateral pair)."""


@dataclass(eq=False)
class TimedGraph:
    """An expanded graph prepared for time-dependent search (cached per graph).

    Per vertex, each out-edge is a :data:`Step`: the wait functions met on leaving
    (a port or terminal, a ferry's sailing), the hours that follow (transfer, half a
    headway, moving), the wait functions met on arriving (a border crossing) and the
    hours after them (the border's survey dwell) — the order of the route's legs.
    """

    graph: ExpandedGraph
    adjacency: list[list[Step]]
    bounds: dict[tuple[int, int], list[float]] = field(default_factory=dict)


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
    total = graph.time_h.tolist()
    dwell = graph.dwell_h.tolist()
    dst, bil = graph.dst.tolist(), graph.bilateral.tolist()
    adjacency: list[list[Step]] = [[] for _ in range(graph.n_vertices)]
    for e, v in enumerate(graph.src.tolist()):
        before: list[Wait] = []
        after: list[Wait] = []
        base, post = total[e], 0.0
        for part, key in _edge_keys(graph, e):
            if key in model:
                base -= averages[key][0]
                if part == "dwell":
                    after.append(model[key])
                    post = max(0.0, dwell[e] - averages[key][0])
                else:
                    before.append(model[key])
        pre = max(0.0, base - post)
        adjacency[v].append((e, dst[e], tuple(before), pre, tuple(after), post, bil[e]))
    timed = TimedGraph(graph=graph, adjacency=adjacency)
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
    # A* for earliest arrival to one target: the hours without waits are a lower bound
    h = (
        lower_bounds(timed, targets[0], pair)
        if objective == "time" and targets and len(targets) == 1
        else None
    )
    best = [math.inf] * n
    pred = [-1] * n
    settled = [False] * n
    heap = [(k + (h[v] if h else 0.0), k, t, v) for v, (k, t) in sources.items()]
    heapq.heapify(heap)
    for _f, k, _t, v in heap:
        best[v] = k
    full = targets is None
    left = set(targets or ())
    done: dict[int, tuple[float, float]] = {}
    pop, push = heapq.heappop, heapq.heappush
    while heap and (left or full):
        _f, k, t, v = pop(heap)
        if settled[v] or k > best[v]:
            continue
        settled[v] = True
        if full or v in left:
            left.discard(v)
            done[v] = (k, t)
        for e, u, before, pre, after, post, bil in adjacency[v]:
            if bil >= 0 and bil != pair:
                continue
            t2 = t
            for w in before:
                t2 = w.exit_time(t2)
            t2 += pre
            for w in after:
                t2 = w.exit_time(t2)
            t2 += post
            k2 = k + static[e] + per_hour * (t2 - t)
            if k2 < best[u]:
                best[u] = k2
                pred[u] = e
                push(heap, (k2 + h[u] if h else k2, k2, t2, u))
    return done, pred


def earliest_tree(
    timed: TimedGraph, source: int, t0: float, pair: int
) -> tuple[list[float], list[int]]:
    """Return the earliest arrival time at every vertex and its predecessor edge (-1: none).

    The full-tree form of :func:`td_search` for ``objective="time"``, with the arrival time
    as the only key (used by dated matrices).
    """
    adjacency = timed.adjacency
    n = len(adjacency)
    best = [math.inf] * n
    pred = [-1] * n
    settled = [False] * n
    best[source] = t0
    heap = [(t0, source)]
    pop, push = heapq.heappop, heapq.heappush
    while heap:
        t, v = pop(heap)
        if settled[v]:
            continue
        settled[v] = True
        for e, u, before, pre, after, post, bil in adjacency[v]:
            if bil >= 0 and bil != pair:
                continue
            if before or after:
                t2 = t
                for w in before:
                    t2 = w.exit_time(t2)
                t2 += pre
                for w in after:
                    t2 = w.exit_time(t2)
                t2 += post
            else:
                t2 = t + pre + post
            if t2 < best[u]:
                best[u] = t2
                pred[u] = e
                push(heap, (t2, u))
    return best, pred


def lower_bounds(timed: TimedGraph, target: int, pair: int) -> list[float]:
    """Return each vertex's hours to ``target`` without any wait (an A* lower bound)."""
    key = (target, pair)
    hit = timed.bounds.get(key)
    if hit is not None:
        return hit
    graph = timed.graph
    rows, cols, vals = [], [], []
    for v, steps in enumerate(timed.adjacency):
        for _e, u, _b, pre, _a, post, bil in steps:
            if bil < 0 or bil == pair:
                rows.append(u)
                cols.append(v)
                vals.append(pre + post + 1e-12)  # explicit zeros would vanish from the matrix
    n = graph.n_vertices
    r, c, w = np.asarray(rows), np.asarray(cols), np.asarray(vals)
    order = np.lexsort((w, c, r))  # parallel edges: keep the shortest (a sum would not bound)
    r, c, w = r[order], c[order], w[order]
    first = np.ones(len(r), dtype=bool)
    first[1:] = (r[1:] != r[:-1]) | (c[1:] != c[:-1])
    reverse = sp.csr_matrix((w[first], (r[first], c[first])), shape=(n, n))
    dist = dijkstra(reverse, indices=target)
    bounds = [float(x) if np.isfinite(x) else math.inf for x in dist]
    timed.bounds[key] = bounds
    return bounds


def stage_search(
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
        if objective == "time":
            arrival, pred_e = earliest_tree(timed, s, t0, pair)
            elapsed[r] = np.asarray(arrival) - t0
            elapsed[r, ~np.isfinite(elapsed[r])] = np.nan
        else:
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
