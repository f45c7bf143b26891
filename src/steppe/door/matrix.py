"""Door-to-door matrices: time, money, CO2 and distance between towns, points and places.

Each end off the network gets its access ways once (:func:`~steppe.door.access.
access_batch`, road searches run from the network places, not from each point).  For each
destination, one Dijkstra search on the reversed expanded graph from a super-target (with
the destination's last-mile edges) gives every vertex's best weight to it; each origin
then takes the best of its first-mile edges, and the path is read forward to sum the
other metrics.
"""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np
import pandas as pd
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from steppe.door.access import Access, access_batch
from steppe.door.places import Point
from steppe.door.search import Attach, End, attachments, end_name, resolve_end
from steppe.errors import ConfigError, DataFileError, Problem
from steppe.network.model import Network, Node
from steppe.routing._build import expanded_graph
from steppe.routing._query import transit_closed
from steppe.routing.corridor import corridor_label
from steppe.routing.graph import ExpandedGraph
from steppe.routing.matrix import METRICS, MatrixResult
from steppe.routing.options import Objective, RouteOptions

__all__ = ["door_matrix", "read_points"]

_COLUMNS = ["origin", "destination", "origin_name", "destination_name", *METRICS, "corridor",
            "border_crossings"]  # fmt: skip


def door_matrix(
    network: Network,
    origins: Sequence[str | Node],
    destinations: Sequence[str | Node],
    options: RouteOptions | None = None,
    **keywords: Any,
) -> MatrixResult:
    """Compute the best door-to-door route metrics between ends on or off the network.

    Parameters
    ----------
    network
        The network.
    origins, destinations
        Network places, GeoNames towns or ``"lat,lon"`` strings.
    options, **keywords
        As for :func:`steppe.routing.matrix` (objective ``time`` by default).

    Returns
    -------
    MatrixResult
        One row per pair; ``origin`` and ``destination`` are node ids, ``geonames:ID``
        or ``point:LAT,LON``; metrics are NaN where an end has no access or no route
        exists.
    """
    opts = RouteOptions.build(
        options if options is not None else RouteOptions(objective=Objective.TIME), **keywords
    )
    if opts.via:
        raise ConfigError("via: a matrix has no via places")
    if opts.depart is not None:
        raise ConfigError("depart: not available yet when an end lies off the network")
    orig = [resolve_end(network, o) for o in origins]
    dest = [resolve_end(network, d) for d in destinations]
    for end in (*orig, *dest):
        if end.country in opts.avoid:
            raise ConfigError(f"avoid: the place {end_name(end)} is in {end.country}, which "
                              "the routes must avoid")  # fmt: skip
    vot = expanded_graph(network, opts).value_of_time
    points = list({e.id: e for e in (*orig, *dest) if isinstance(e, Point)}.values())
    batch = access_batch(network, points, opts, value_of_time=vot)
    ways: dict[str, list[Access] | None] = {
        p.id: (w if isinstance(w, list) else None) for p, w in zip(points, batch, strict=True)
    }
    groups: dict[frozenset[str], list[tuple[int, int]]] = {}
    for i, o in enumerate(orig):
        for j, d in enumerate(dest):
            if o.id != d.id:
                key = transit_closed(network, opts, (o.country, d.country))
                groups.setdefault(key, []).append((i, j))
    rows: list[list[object]] = []
    for closed, pairs in sorted(groups.items(), key=lambda kv: sorted(kv[0])):
        graph = expanded_graph(network, opts, closed)
        rows += _solve(graph, opts, orig, dest, pairs, ways)
    table = pd.DataFrame(rows, columns=_COLUMNS)
    table = table.sort_values(["origin", "destination"], kind="stable", ignore_index=True)
    return MatrixResult(table=table, objective=opts.objective.value)


def _ways(end: End, ways: dict[str, list[Access] | None]) -> list[Access] | None:
    return [] if isinstance(end, Node) else ways[end.id]


def _solve(  # noqa: PLR0917 (one group of pairs)
    graph: ExpandedGraph,
    opts: RouteOptions,
    orig: list[End],
    dest: list[End],
    pairs: list[tuple[int, int]],
    ways: dict[str, list[Access] | None],
) -> list[list[object]]:
    rows: list[list[object]] = []
    by_dest: dict[int, list[int]] = {}
    for i, j in pairs:
        by_dest.setdefault(j, []).append(i)
    n = graph.n_vertices
    for j, origins in sorted(by_dest.items()):
        d = dest[j]
        for i in origins:
            o = orig[i]
            pair = graph.bilateral_index(frozenset((o.country, d.country)))
            rows.append(_pair_row(graph, opts, o, d, pair, ways, n))
    return rows


def _pair_row(  # noqa: PLR0917 (one pair)
    graph: ExpandedGraph,
    opts: RouteOptions,
    o: End,
    d: End,
    pair: int,
    ways: dict[str, list[Access] | None],
    n: int,
) -> list[object]:
    head: list[object] = [o.id, d.id, end_name(o), end_name(d)]
    o_ways, d_ways = _ways(o, ways), _ways(d, ways)
    if o_ways is None or d_ways is None:
        return [*head, *([np.nan] * len(METRICS)), "", ""]
    csr = graph.csr(opts.objective, pair)
    key = (d.id, pair, opts.objective.value)  # one graph serves every objective
    cache: dict[tuple[Any, ...], Any] = graph.__dict__.setdefault("_door_reverse", {})
    if key not in cache:
        targets = attachments(graph, d, opts, d_ways, out=False)
        cache[key] = (_reverse(csr[0], targets, n), {a.vertex: a for a in targets})
        while len(cache) > 512:
            cache.pop(next(iter(cache)))
    (dist, pred), by_dst = cache[key]
    sources = attachments(graph, o, opts, o_ways, out=True)
    totals = [a.weight + float(dist[a.vertex]) for a in sources]
    if not totals or not np.isfinite(min(totals)):
        return [*head, *([np.nan] * len(METRICS)), "", ""]
    a = sources[int(np.argmin(totals))]
    paths: dict[int, tuple[int, list[float], str, str]] = cache.setdefault((*key, "paths"), {})
    if a.vertex not in paths:
        paths[a.vertex] = _walk(graph, csr, pred, a.vertex, n)
    last, sums, corridor, crossings = paths[a.vertex]
    b = by_dst[last]
    time_h, cost, co2, km = (
        sums[0] + _extra(a, "time_h") + _extra(b, "time_h"),
        sums[1] + _extra(a, "cost_usd") + _extra(b, "cost_usd"),
        sums[2] + _extra(a, "co2_kg") + _extra(b, "co2_kg"),
        sums[3] + _extra(a, "distance_km") + _extra(b, "distance_km"),
    )
    metrics = {"time_h": time_h, "cost_usd": cost, "co2_kg": co2, "distance_km": km,
               "generalized_cost": cost + graph.value_of_time * time_h}  # fmt: skip
    return [*head, *(metrics[m] for m in METRICS), corridor, crossings]


def _walk(
    graph: ExpandedGraph, csr: tuple[sp.csr_matrix, Any], pred: Any, start: int, n: int
) -> tuple[int, list[float], str, str]:
    """Return (last vertex, metric sums, corridor, crossings) of the path from ``start``."""
    edges: list[int] = []
    v = start
    while int(pred[v]) != n:
        u = int(pred[v])
        edges.append(graph.edge_between(csr, v, u))
        v = u
    sums = [float(arr[edges].sum()) for arr in
            (graph.time_h, graph.cost_usd, graph.co2_kg, graph.distance_km)]  # fmt: skip
    crossings = "|".join(graph.network.borders[int(graph.border[e])].id for e in edges
                         if graph.border[e] >= 0)  # fmt: skip
    return v, sums, corridor_label(graph, edges), crossings


def _extra(at: Attach, metric: str) -> float:
    way = at.access
    base = float(getattr(way, metric)) if way is not None else 0.0
    if metric == "time_h":
        return base + at.transfer_h
    if metric == "cost_usd":
        return base + at.transfer_usd
    return base


def _reverse(matrix: sp.csr_matrix, targets: list[Attach], n: int) -> tuple[Any, Any]:
    """Return (distance, next hop) of every vertex to a super-target ``n``."""
    coo = matrix.tocoo()
    rows = np.concatenate([coo.col, np.full(len(targets), n)])
    cols = np.concatenate([coo.row, [a.vertex for a in targets]])
    w = np.concatenate([coo.data, [a.weight for a in targets]])
    order = np.lexsort((w, cols, rows))
    rows, cols, w = rows[order], cols[order], w[order]
    first = np.ones(len(rows), dtype=bool)
    first[1:] = (rows[1:] != rows[:-1]) | (cols[1:] != cols[:-1])
    rows, cols, w = rows[first], cols[first], w[first]
    indptr = np.zeros(n + 2, dtype=np.int64)
    np.cumsum(np.bincount(rows, minlength=n + 1), out=indptr[1:])
    rev = sp.csr_matrix((w, cols, indptr), shape=(n + 1, n + 1))
    dist, pred = dijkstra(rev, indices=n, return_predecessors=True)
    return dist, pred


def read_points(path: str | Path) -> list[str]:
    """Return the ends listed in a CSV file: a ``place`` column, or ``lat`` and ``lon``.

    Raises
    ------
    DataFileError
        The file cannot be read, has neither layout, or a row is empty or not a number
        (naming the row and column).
    """
    name = Path(path).name
    try:
        table = pd.read_csv(path, dtype=str, keep_default_na=False)
    except (OSError, ValueError) as exc:
        raise DataFileError([Problem(name, f"cannot read the points: {exc}")]) from None
    problems: list[Problem] = []
    out: list[str] = []
    if "place" in table.columns:
        for row, value in enumerate(table["place"], start=2):
            if not value.strip():
                problems.append(Problem(name, "empty place", row, "place"))
            out.append(value.strip())
    elif {"lat", "lon"} <= set(table.columns):
        for row, (lat, lon) in enumerate(zip(table["lat"], table["lon"], strict=True), start=2):
            for column, value in (("lat", lat), ("lon", lon)):
                try:
                    float(value)
                except ValueError:
                    problems.append(Problem(name, f"not a number: {value!r}", row, column))
            out.append(f"{lat.strip()},{lon.strip()}")
    else:
        problems.append(Problem(name, "needs a 'place' column or 'lat' and 'lon' columns"))
    if problems:
        raise DataFileError(problems)
    return out
