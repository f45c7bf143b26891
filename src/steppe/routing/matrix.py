"""Origin–destination matrices of time, money, CO2 and distance.

One multi-source :func:`scipy.sparse.csgraph.dijkstra` call per group of origins gives
the shortest-path trees by the chosen objective; the other metrics are summed along the
trees by pointer doubling (``log2(depth)`` numpy steps) rather than by walking each path,
and corridor labels come from each tree's nearest border-or-ferry ancestors.
"""

from __future__ import annotations

import io
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt
import pandas as pd
from scipy.sparse.csgraph import dijkstra

from steppe._deadline import check_deadline
from steppe.errors import ConfigError
from steppe.network.lookup import find_place
from steppe.network.model import BorderRegime, Network, Node, NodeKind
from steppe.routing._build import expanded_graph
from steppe.routing._query import check_stops, transit_closed
from steppe.routing.corridor import KeyPlace, edge_key_places, label_of, merge_places
from steppe.routing.graph import ExpandedGraph
from steppe.routing.options import Objective, RouteOptions
from steppe.routing.timedep import dated_trees

__all__ = ["METRICS", "MatrixResult", "default_places", "matrix"]

METRICS: tuple[str, ...] = tuple(o.metric for o in Objective)
_DEFAULT = RouteOptions(objective=Objective.TIME)
_PLACE_KINDS = (NodeKind.CITY, NodeKind.SEA_PORT, NodeKind.DRY_PORT, NodeKind.RAIL_TERMINAL)


@dataclass(frozen=True, slots=True)
class MatrixResult:
    """A long table with one row per origin–destination pair.

    Columns: ``origin``, ``destination`` (node ids), ``origin_name``,
    ``destination_name``, ``time_h``, ``cost_usd``, ``co2_kg``, ``distance_km``,
    ``generalized_cost``, ``corridor`` (the label) and ``border_crossings`` (the ids of
    every border crossing with dwell on the route, ``|``-separated, in order); metrics are
    NaN where no route exists.
    """

    table: pd.DataFrame
    objective: str
    depart: str | None = None
    """The departure date of a dated matrix (also its ``depart`` column)."""

    def wide(self, metric: str = "time_h") -> pd.DataFrame:
        """Return one metric as an origin × destination table."""
        if metric not in METRICS:
            raise ConfigError(f"wide: unknown metric {metric!r}; use one of {', '.join(METRICS)}",
                              parameter="wide")  # fmt: skip
        return self.table.pivot(index="origin", columns="destination", values=metric)

    def to_csv(self, path: str | Path | None = None) -> str:
        """Write the long table as CSV to a path, or return it as text."""
        text = self.table.to_csv(index=False, float_format="%.6g")
        if path is not None:
            Path(path).write_text(text, encoding="utf-8")
        return text

    def to_parquet(self, path: str | Path | None = None) -> bytes:
        """Write the long table as Parquet (needs pyarrow) to a path, or return the bytes."""
        buffer = io.BytesIO()
        try:
            self.table.to_parquet(buffer, index=False)
        except ImportError as exc:
            from steppe.errors import MissingExtraError

            raise MissingExtraError("pyarrow", "io") from exc
        data = buffer.getvalue()
        if path is not None:
            Path(path).write_bytes(data)
        return data

    @staticmethod
    def file_format(path: str | Path) -> str:
        """Return the format :meth:`write` uses for a path (``.csv`` or ``.parquet``).

        Raises
        ------
        ConfigError
            Any other suffix.
        """
        path = Path(path)
        suffix = path.suffix.lower()
        if suffix not in (".csv", ".parquet"):
            raise ConfigError(f"path: cannot write {path.name}: use a .csv or .parquet file name",
                              parameter="path")  # fmt: skip
        return suffix

    def write(self, path: str | Path, *, wide: str | None = None) -> Path:
        """Write the table to a ``.csv`` or ``.parquet`` file, all at once.

        The file is written to a temporary sibling and renamed into place, so a reader
        never sees half a file.

        Parameters
        ----------
        path
            The file; its suffix chooses the format.
        wide
            A metric (``time_h`` ...) to write as an origin × destination table instead
            of the long table.

        Returns
        -------
        Path
            The file written.

        Raises
        ------
        ConfigError
            Another suffix, or an unknown metric.
        """
        path = Path(path)
        suffix = self.file_format(path)
        table = self.table if wide is None else self.wide(wide).reset_index()
        result = MatrixResult(table=table, objective=self.objective, depart=self.depart)
        data: str | bytes = result.to_csv() if suffix == ".csv" else result.to_parquet()
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_name(f".{path.name}.tmp")
        if isinstance(data, str):
            tmp.write_text(data, encoding="utf-8")
        else:
            tmp.write_bytes(data)
        tmp.replace(path)
        return path


def default_places(network: Network) -> list[Node]:
    """Return the places of a network: cities, ports and terminals, not border posts."""
    return [n for n in network.nodes if n.kind in _PLACE_KINDS]


def matrix(
    network: Network,
    origins: Sequence[str | Node] | None = None,
    destinations: Sequence[str | Node] | None = None,
    options: RouteOptions | None = None,
    **keywords: Any,
) -> MatrixResult:
    """Compute time, money, CO2 and distance between places by the best route.

    Parameters
    ----------
    network
        The network.
    origins, destinations
        Places (ids, names or nodes); ``None`` means every city, port and terminal.
    options, **keywords
        As for :func:`steppe.routing.route`, except that the objective that chooses
        each route is ``time`` unless ``options`` or ``optimize`` say otherwise.
        Places in avoided countries are left out of the defaults and refused when
        named; ``via`` places are not supported.

    Returns
    -------
    MatrixResult

    Examples
    --------
    >>> import steppe
    >>> net = steppe.load_network()
    >>> m = steppe.matrix(net, ["Almaty", "Ulaanbaatar"], ["Baku"])
    >>> list(m.table.columns[:3])
    ['origin', 'destination', 'origin_name']
    """
    opts = RouteOptions.build(options if options is not None else _DEFAULT, **keywords)
    if opts.via:
        raise ConfigError("via: a matrix has no via places", parameter="via")
    orig = _places(network, origins, opts)
    dest = _places(network, destinations, opts)
    bilateral = {
        frozenset(network.nodes_by_id[x].country for x in (b.a, b.b))
        for b in network.borders
        if b.regime is BorderRegime.BILATERAL
    }
    groups: dict[tuple[frozenset[str], frozenset[str] | None], list[tuple[int, int]]] = {}
    group_of: dict[tuple[str, str], tuple[frozenset[str], frozenset[str] | None]] = {}
    for i, o in enumerate(orig):
        for j, d in enumerate(dest):
            if o.id == d.id:
                continue
            key = group_of.get((o.country, d.country))
            if key is None:  # one rule per pair of countries, worked out once
                ends = frozenset((o.country, d.country))
                key = (transit_closed(network, opts, ends), ends if ends in bilateral else None)
                group_of[(o.country, d.country)] = key
            groups.setdefault(key, []).append((i, j))
    rows: list[dict[str, object]] = []
    post_border = {nid: b.id for b in network.borders for nid in (b.a, b.b)}
    for (closed, pair_countries), pairs in sorted(groups.items(), key=lambda kv: repr(kv[0])):
        check_deadline()
        graph = expanded_graph(network, opts, closed)
        pair = -1 if pair_countries is None else graph.bilateral_index(pair_countries)
        rows += _solve(graph, opts.objective, pair, orig=orig, dest=dest, pairs=pairs,
                       post_border=post_border, depart=opts.depart)  # fmt: skip
    table = pd.DataFrame(rows, columns=["origin", "destination", "origin_name",
                                        "destination_name", *METRICS, "corridor",
                                        "border_crossings"])  # fmt: skip
    table = table.sort_values(["origin", "destination"], kind="stable", ignore_index=True)
    depart = None if opts.depart is None else f"{opts.depart:%Y-%m-%dT%H:%M}"
    if depart is not None:
        table["depart"] = depart
    return MatrixResult(table=table, objective=opts.objective.value, depart=depart)


def _places(
    network: Network, chosen: Sequence[str | Node] | None, options: RouteOptions
) -> list[Node]:
    if chosen is None:
        return [n for n in default_places(network) if n.country not in options.avoid]
    nodes = [find_place(network, q) for q in chosen]
    check_stops(nodes, options, frozenset(), route=False)
    return list(dict.fromkeys(nodes))


def _solve(
    graph: ExpandedGraph,
    objective: Objective,
    pair: int,
    *,
    orig: list[Node],
    dest: list[Node],
    pairs: list[tuple[int, int]],
    post_border: Mapping[str, str],
    depart: datetime | None = None,
) -> list[dict[str, object]]:
    index = {nid: k for k, nid in enumerate(graph.node_ids)}
    used_o = sorted({i for i, _ in pairs})
    row_of = {i: r for r, i in enumerate(used_o)}
    matrix_, edges_ = graph.csr(objective, pair)
    sources = [int(graph.start[index[orig[i].id]]) for i in used_o]
    elapsed = None
    if depart is not None:  # the time-dependent search tree from each origin
        pred, edge, elapsed = dated_trees(graph, sources, depart, objective=objective.value,
                                          pair=pair)  # fmt: skip
        has = pred >= 0
    else:
        _, pred = dijkstra(matrix_, indices=sources, return_predecessors=True)
        n = graph.n_vertices
        keys = np.repeat(np.arange(n, dtype=np.int64), np.diff(matrix_.indptr)) * n
        keys = keys + matrix_.indices
        cols = np.broadcast_to(np.arange(n, dtype=np.int64), pred.shape)
        has = pred >= 0
        edge = np.full(pred.shape, -1, dtype=np.int64)
        edge[has] = edges_[np.searchsorted(keys, pred[has].astype(np.int64) * n + cols[has])]
    metric_values = {o.metric: o.weights(graph) for o in Objective}
    sums = {m: _tree_sums(pred, edge, w) for m, w in metric_values.items()}
    if elapsed is not None:  # dated: the search's own clock, with the waits met on the way
        sums["time_h"] = np.nan_to_num(elapsed)
        sums["generalized_cost"] = sums["cost_usd"] + graph.value_of_time * sums["time_h"]
    key_edge = np.array(
        [bool(edge_key_places(graph, e)) for e in range(len(graph.src))], dtype=bool
    )
    marked = (edge >= 0) & (key_edge[np.maximum(edge, 0)] if len(key_edge) else False)
    nearest = _nearest_marked(pred, marked)
    labels: dict[tuple[int, int], tuple[KeyPlace, ...]] = {}
    described: dict[tuple[KeyPlace, ...], tuple[str, str]] = {}
    out: list[dict[str, object]] = []
    for done, (i, j) in enumerate(pairs):
        if not done & 255:
            check_deadline()
        r = row_of[i]
        t = int(graph.end[index[dest[j].id]])
        reached = has[r, t]
        rec: dict[str, object] = {
            "origin": orig[i].id,
            "destination": dest[j].id,
            "origin_name": orig[i].name,
            "destination_name": dest[j].name,
        }
        for m in METRICS:
            rec[m] = float(sums[m][r, t]) if reached else float("nan")
        places = _places_to(
            graph, r, int(nearest[r, t]), pred=pred, edge=edge, nearest=nearest, memo=labels
        )
        if places not in described:  # many pairs share a corridor: describe it once
            crossings = (post_border.get(kp.node) for kp in places if kp.crossing)
            described[places] = (label_of(graph, places) if places else "",
                                 "|".join(dict.fromkeys(c for c in crossings if c)))  # fmt: skip
        rec["corridor"], rec["border_crossings"] = described[places]
        out.append(rec)
    return out


def _tree_sums(
    pred: npt.NDArray[np.int32], edge: npt.NDArray[np.int64], weights: npt.NDArray[np.float64]
) -> npt.NDArray[np.float64]:
    """Sum edge weights from each tree root by pointer doubling."""
    if len(weights) == 0:
        return np.zeros(pred.shape)
    acc = np.where(edge >= 0, weights[np.maximum(edge, 0)], 0.0)
    anc = pred.astype(np.int64)
    rows = np.arange(pred.shape[0])[:, None]
    while (anc >= 0).any():
        valid = anc >= 0
        safe = np.maximum(anc, 0)
        acc = acc + np.where(valid, acc[rows, safe], 0.0)
        anc = np.where(valid, anc[rows, safe], -1)
    return acc


def _nearest_marked(
    pred: npt.NDArray[np.int32], marked: npt.NDArray[np.bool_]
) -> npt.NDArray[np.int64]:
    """Return, per vertex, the nearest marked vertex on its tree path (itself included)."""
    n = pred.shape[1]
    jump = np.where(marked, np.arange(n)[None, :], pred.astype(np.int64))
    rows = np.arange(pred.shape[0])[:, None]
    while True:
        nxt = np.where(jump >= 0, jump[rows, np.maximum(jump, 0)], -1)
        if np.array_equal(nxt, jump):
            return jump
        jump = nxt


def _places_to(
    graph: ExpandedGraph,
    r: int,
    v: int,
    *,
    pred: npt.NDArray[np.int32],
    edge: npt.NDArray[np.int64],
    nearest: npt.NDArray[np.int64],
    memo: dict[tuple[int, int], tuple[KeyPlace, ...]],
) -> tuple[KeyPlace, ...]:
    """Return the corridor key places of the tree path to marked vertex ``v`` (() if none)."""
    if v < 0:
        return ()
    if (r, v) in memo:
        return memo[(r, v)]
    p = int(pred[r, v])
    prefix = (
        _places_to(graph, r, int(nearest[r, p]), pred=pred, edge=edge, nearest=nearest, memo=memo)
        if p >= 0
        else ()
    )
    memo[(r, v)] = tuple(merge_places(graph, prefix, edge_key_places(graph, int(edge[r, v]))))
    return memo[(r, v)]
