"""Origin–destination matrices of time, money, CO2 and distance.

One multi-source :func:`scipy.sparse.csgraph.dijkstra` call per group of origins gives
the shortest-path trees by the chosen objective.  The trees are laid out as one forest
in breadth-first order (:mod:`steppe.routing._trees`), so every metric is summed down
every tree in one numpy step per depth, and the corridor of each tree path is a state
(the key places met so far) advanced only at the key edges, each distinct step worked
out once per graph; labels are written once per distinct state.  The table is gathered
from those arrays, with no Python work per pair.
"""

from __future__ import annotations

import io
from collections.abc import Sequence
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
from steppe.routing._derived import GraphData, derived, key_edges
from steppe.routing._query import check_stops, transit_closed
from steppe.routing._trees import Forest, forest
from steppe.routing.graph import ExpandedGraph
from steppe.routing.options import Objective, RouteOptions
from steppe.routing.prices import resolve_price_date, resolve_service
from steppe.routing.timedep import dated_trees

__all__ = ["METRICS", "MatrixResult", "default_places", "key_edges", "matrix"]

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
    price_date: str | None = None
    """Month of the tariffs that priced the routes (``None``: the network has none)."""
    service: str | None = None
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
    resolve_price_date(network.prices, opts.price_date)  # refuse a bad date before any work
    if opts.via:
        raise ConfigError("via: a matrix has no via places", parameter="via")
    orig = _places(network, origins, opts)
    dest = _places(network, destinations, opts)
    o_idx, d_idx, group = _pairs(network, opts, orig, dest)
    texts: dict[str, int] = {"": 0}  # corridor and crossing strings, coded
    parts: list[dict[str, npt.NDArray[Any]]] = []
    for (closed, pair_countries), chosen in group.items():
        check_deadline()
        graph = expanded_graph(network, opts, closed)
        pair = -1 if pair_countries is None else graph.bilateral_index(pair_countries)
        parts += [_solve(graph, opts.objective, pair, orig=orig, dest=dest, o_idx=o_idx[chosen],
                         d_idx=d_idx[chosen], depart=opts.depart,
                         texts=texts)]  # fmt: skip
    cols = {c: np.concatenate([p[c] for p in parts]) if parts else np.zeros(0, np.int64)
            for c in ("o", "d", *METRICS, "corridor", "border_crossings")}  # fmt: skip
    # the order of the table: by origin id, then destination id
    ids = sorted({n.id for n in orig} | {n.id for n in dest})
    rank = {nid: k for k, nid in enumerate(ids)}
    o_rank = np.array([rank[n.id] for n in orig], dtype=np.int64)
    d_rank = np.array([rank[n.id] for n in dest], dtype=np.int64)
    order = np.lexsort((d_rank[cols["d"]], o_rank[cols["o"]]))
    o, d = cols["o"][order], cols["d"][order]
    strings = list(texts)
    table = pd.DataFrame(
        {
            "origin": _take([n.id for n in orig], o),
            "destination": _take([n.id for n in dest], d),
            "origin_name": _take([n.name for n in orig], o),
            "destination_name": _take([n.name for n in dest], d),
            **{m: cols[m][order] for m in METRICS},
            "corridor": _take(strings, cols["corridor"][order]),
            "border_crossings": _take(strings, cols["border_crossings"][order]),
        }
    )
    depart = None if opts.depart is None else f"{opts.depart:%Y-%m-%dT%H:%M}"
    if depart is not None:
        table["depart"] = depart
    return MatrixResult(
        table=table,
        objective=opts.objective.value,
        price_date=resolve_price_date(network.prices, opts.price_date),
        service=resolve_service(opts.service, opts.cargo),
        depart=depart,
    )


def _places(
    network: Network, chosen: Sequence[str | Node] | None, options: RouteOptions
) -> list[Node]:
    if chosen is None:
        return [n for n in default_places(network) if n.country not in options.avoid]
    nodes = [find_place(network, q) for q in chosen]
    check_stops(nodes, options, frozenset(), route=False)
    return list(dict.fromkeys(nodes))


def _pairs(
    network: Network, opts: RouteOptions, orig: list[Node], dest: list[Node]
) -> tuple[
    npt.NDArray[np.int64],
    npt.NDArray[np.int64],
    dict[tuple[frozenset[str], frozenset[str] | None], npt.NDArray[np.int64]],
]:
    """Return every origin–destination pair (other than a place to itself) and its graph.

    Pairs are grouped by what their graph depends on: the countries closed to transit for
    them and, across a bilateral border, their country pair; each group is decided once per
    pair of countries, not once per pair of places.
    """
    bilateral = {
        frozenset(network.nodes_by_id[x].country for x in (b.a, b.b))
        for b in network.borders
        if b.regime is BorderRegime.BILATERAL
    }
    codes: dict[str, int] = {}
    o_id = np.array([codes.setdefault(n.id, len(codes)) for n in orig], dtype=np.int64)
    d_id = np.array([codes.setdefault(n.id, len(codes)) for n in dest], dtype=np.int64)
    countries: dict[str, int] = {}
    o_c = np.array([countries.setdefault(n.country, len(countries)) for n in orig], np.int64)
    d_c = np.array([countries.setdefault(n.country, len(countries)) for n in dest], np.int64)
    o_idx, d_idx = (a.ravel() for a in np.meshgrid(np.arange(len(orig)), np.arange(len(dest)),
                                                   indexing="ij"))  # fmt: skip
    keep = o_id[o_idx] != d_id[d_idx]
    o_idx, d_idx = o_idx[keep].astype(np.int64), d_idx[keep].astype(np.int64)
    country_pair = o_c[o_idx] * max(len(countries), 1) + d_c[d_idx]
    distinct, inverse = np.unique(country_pair, return_inverse=True)
    names = list(countries)
    key_of: dict[tuple[frozenset[str], frozenset[str] | None], list[int]] = {}
    for u, code in enumerate(distinct.tolist()):
        ends = frozenset((names[code // len(names)], names[code % len(names)]))
        key = (transit_closed(network, opts, ends), ends if ends in bilateral else None)
        key_of.setdefault(key, []).append(u)
    group_of = np.zeros(len(distinct), dtype=np.int64)
    keys = sorted(key_of, key=repr)
    for g, key in enumerate(keys):
        group_of[key_of[key]] = g
    pair_group = group_of[inverse.reshape(-1)]
    return o_idx, d_idx, {key: np.flatnonzero(pair_group == g) for g, key in enumerate(keys)}


def _take(values: list[str], codes: npt.NDArray[np.int64]) -> pd.Series:
    """Return ``values[codes]`` as a string column, converting each distinct value once."""
    return pd.Series(values, dtype=object).astype(str).take(codes).reset_index(drop=True)


def _solve(
    graph: ExpandedGraph,
    objective: Objective,
    pair: int,
    *,
    orig: list[Node],
    dest: list[Node],
    o_idx: npt.NDArray[np.int64],
    d_idx: npt.NDArray[np.int64],
    texts: dict[str, int],
    depart: datetime | None = None,
) -> dict[str, npt.NDArray[Any]]:
    """Return the matrix columns for the pairs ``orig[o_idx]``, ``dest[d_idx]``, as arrays.

    Strings come as codes into ``texts``, which gains the corridors and crossings met.
    """
    data = derived(graph)
    index = data.node_index
    used_o = np.unique(o_idx)
    row_of = np.full(len(orig), -1, dtype=np.int64)
    row_of[used_o] = np.arange(len(used_o))
    n = graph.n_vertices
    sources = graph.start[[index[orig[i].id] for i in used_o.tolist()]].astype(np.int64)
    elapsed = edge = None
    if depart is not None:  # the time-dependent search tree from each origin
        pred, edge, elapsed = dated_trees(graph, sources.tolist(), depart,
                                          objective=objective.value, pair=pair)  # fmt: skip
    else:
        csr = graph.csr(objective, pair)
        _, pred = dijkstra(csr[0], indices=sources, return_predecessors=True)
    trees = forest(pred, np.arange(len(sources), dtype=np.int64) * n + sources)
    entry = trees.order
    if edge is None:  # the edge into each vertex, looked up row by row (nearly sorted)
        flat = pred.reshape(-1)
        child = np.flatnonzero(flat >= 0)
        edge = np.full(flat.shape, -1, dtype=np.int64)
        edge[child] = data.lookup(csr).edges_of(flat[child], child % n)
    into = edge.reshape(-1)[entry]
    # every metric summed down every tree in one pass
    sums = trees.accumulate(data.metrics[:, into], overwrite=True)
    marked = data.key_mask[into]
    nearest, depth = trees.nearest_marked(marked)
    state = _corridor_states(data, trees, into=into, marked=marked, nearest=nearest, depth=depth)
    # the rows: one per pair, gathered from the trees at once
    ends = graph.end[[index[d.id] for d in dest]].astype(np.int64)
    r, t = row_of[o_idx], ends[d_idx]
    at = trees.position[r * n + t]
    reached = at >= 0
    values = sums[:, at].T.copy()  # (pairs, 4): time, cost, CO2, distance
    if elapsed is not None:  # dated: the search's own clock, with the waits met on the way
        values[:, 0] = np.nan_to_num(elapsed[r, t])
    values[~reached] = np.nan
    generalized = values[:, 1] + graph.value_of_time * values[:, 0]
    by_metric = {"time_h": values[:, 0], "cost_usd": values[:, 1], "co2_kg": values[:, 2],
                 "distance_km": values[:, 3], "generalized_cost": generalized}  # fmt: skip
    pair_state = state[np.where(reached, nearest[at], -1)]
    distinct, inverse = np.unique(pair_state, return_inverse=True)
    codes = np.array([[texts.setdefault(s, len(texts)) for s in data.describe(int(x))]
                      for x in distinct.tolist()], dtype=np.int64).reshape(-1, 2)  # fmt: skip
    columns: dict[str, npt.NDArray[Any]] = {"o": o_idx, "d": d_idx}
    columns.update({m: by_metric[m] for m in METRICS})
    columns["corridor"] = codes[inverse.reshape(-1), 0]
    columns["border_crossings"] = codes[inverse.reshape(-1), 1]
    return columns


def _corridor_states(
    data: GraphData,
    trees: Forest,
    *,
    into: npt.NDArray[np.int64],
    marked: npt.NDArray[np.bool_],
    nearest: npt.NDArray[np.int64],
    depth: npt.NDArray[np.int64],
) -> npt.NDArray[np.int64]:
    """Return the corridor state (key places so far) at each marked tree position.

    Marked positions are taken by how many marked ones precede them on their path, so
    each one's nearest marked ancestor is done first; the last slot (index -1) stays 0,
    the state with no key places.
    """
    state = np.zeros(len(into) + 1, dtype=np.int64)
    at = np.flatnonzero(marked)
    if not len(at):
        return state
    up = trees.up[at]
    before = np.where(up >= 0, nearest[np.maximum(up, 0)], -1)
    level = depth[at]
    for d in range(1, int(level.max()) + 1):
        check_deadline()
        chosen = np.flatnonzero(level == d)
        state[at[chosen]] = data.step(state[before[chosen]], into[at[chosen]])
    return state
