"""Shortest paths on large graphs: a customizable contraction hierarchy, or plain Dijkstra.

A customizable contraction hierarchy (CCH; Dibbelt, Strasser and Wagner, "Customizable
Contraction Hierarchies", ACM JEA 21, 2016) answers a point-to-point query on a road
network in well under a millisecond where Dijkstra searches the whole graph.  It works
in three phases: a nested-dissection *order* of the vertices (slow, independent of the
weights), the *customization* of one set of weights (seconds), and queries.  steppe uses
RoutingKit's implementation through the ``routingkit_cch`` package (the ``large``
extra); without it, :func:`path_index` returns a :class:`DijkstraPaths` with the same
methods, backed by scipy.

The order is cached on disk when a ``cache_dir`` is given, in a file named by a hash of
the graph's arcs and coordinates: a changed network or scenario gives other arcs and so
another file, while new weights (another objective, cost model or cargo) only need a new
customization, which is kept in memory.

RoutingKit works on unsigned 32-bit integer weights.  Weights are scaled so that the sum
over vertices of their heaviest out-arc — a bound on any shortest path — fits in 2**30
(so nothing overflows) and rounded.  Paths (:meth:`Hierarchy.path`,
:meth:`GraphHierarchy.route`) re-sum the float weights along the path found; distance
tables are within half a unit (``0.5 / scale``) per arc of a path.
"""

from __future__ import annotations

import hashlib
import logging
import os
import tempfile
import threading
from pathlib import Path
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

if TYPE_CHECKING:
    from collections.abc import Sequence

    from steppe.routing.graph import ExpandedGraph
    from steppe.routing.options import Objective

__all__ = [
    "DijkstraPaths",
    "GraphHierarchy",
    "Hierarchy",
    "cch_available",
    "graph_key",
    "order_of",
    "path_index",
]

logger = logging.getLogger(__name__)

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]

#: Bound on the sum of all scaled arc weights (RoutingKit's infinity is 2**31 - 2).
SPAN = float(1 << 30)
_VERSION = "routingkit_cch-order-1"  # bump to invalidate cached orders


def cch_available() -> bool:
    """Return whether the ``routingkit_cch`` package (the ``large`` extra) is installed."""
    try:
        import routingkit_cch  # noqa: F401
    except ImportError:
        return False
    return True


def _arcs(matrix: sp.csr_matrix) -> tuple[IntArray, IntArray, FloatArray]:
    coo = matrix.tocoo()
    keep = np.isfinite(coo.data)
    return coo.row[keep].astype(np.int64), coo.col[keep].astype(np.int64), coo.data[keep]


def _scale(tail: IntArray, weight: FloatArray, n: int, extra: float = 0.0) -> float:
    """Return the factor turning weights into integers that no path sum can overflow.

    A shortest path leaves each vertex at most once, so it is no longer than the sum over
    vertices of their heaviest out-arc (plus ``extra``, a start offset); that sum maps to
    :data:`SPAN`.
    """
    heaviest = np.zeros(n)
    np.maximum.at(heaviest, tail, weight)
    bound = float(heaviest.sum()) + extra
    return SPAN / bound if bound > 0 else 1.0


def _customized(  # noqa: PLR0917 (one graph's parts)
    n: int,
    tail: IntArray,
    head: IntArray,
    weight: FloatArray,
    lat: FloatArray,
    lon: FloatArray,
    cache_dir: Path | None,
) -> tuple[Any, Any]:
    """Return RoutingKit's CCH and its customized metric for integer weights.

    RoutingKit crashes on a graph without vertices, so an empty one gets one lone vertex.
    """
    import routingkit_cch as rk

    if n == 0:
        n, lat, lon = 1, np.zeros(1), np.zeros(1)
    order = order_of(n, tail, head, lat, lon, cache_dir=cache_dir)
    cch = rk.CCH(order.tolist(), tail.tolist(), head.tolist(), False)
    return cch, rk.CCHMetric(cch, weight.astype(np.int64).tolist())


class _Arcs:
    """Find the stored weight of arcs u→v of a CSR matrix, many at a time."""

    def __init__(self, matrix: sp.csr_matrix) -> None:
        if not matrix.has_sorted_indices:
            matrix = matrix.sorted_indices()
        rows = np.repeat(np.arange(matrix.shape[0], dtype=np.int64), np.diff(matrix.indptr))
        self.n = matrix.shape[0]
        self.keys = rows * self.n + matrix.indices
        self.data = matrix.data

    def path_weight(self, nodes: Sequence[int]) -> float:
        """Return the sum of the weights along a vertex path (KeyError if an arc is missing)."""
        path = np.asarray(nodes, dtype=np.int64)
        want = path[:-1] * self.n + path[1:]
        pos = np.searchsorted(self.keys, want)
        pos = np.minimum(pos, len(self.keys) - 1)
        if len(want) and not np.array_equal(self.keys[pos], want):
            raise KeyError("the path uses an arc the graph does not have")
        return float(self.data[pos].sum()) if len(want) else 0.0


class DijkstraPaths:
    """Shortest paths by scipy's Dijkstra: the fallback with :class:`Hierarchy`'s methods."""

    engine = "scipy"

    def __init__(self, matrix: sp.csr_matrix) -> None:
        self.matrix = matrix

    def distance(self, source: int, target: int) -> float:
        """Return the shortest distance from ``source`` to ``target`` (inf if none)."""
        return float(dijkstra(self.matrix, indices=source)[target])

    def path(self, source: int, target: int) -> tuple[float, list[int]] | None:
        """Return (distance, vertices from source to target), or None if unreachable."""
        dist, pred = dijkstra(self.matrix, indices=source, return_predecessors=True)
        if not np.isfinite(dist[target]):
            return None
        out = [target]
        while out[-1] != source:
            out.append(int(pred[out[-1]]))
        return float(dist[target]), out[::-1]

    def distances(self, sources: Sequence[int], targets: Sequence[int]) -> FloatArray:
        """Return the matrix of shortest distances, sources by targets (inf if none)."""
        if not len(sources):
            return np.zeros((0, len(targets)))
        return np.asarray(dijkstra(self.matrix, indices=list(sources))[:, list(targets)])


class Hierarchy:
    """A customizable contraction hierarchy over one weighted directed graph.

    Parameters
    ----------
    matrix
        The graph as a CSR matrix of non-negative weights (``matrix[u, v]`` is the arc
        u→v; at most one stored arc per pair; infinite weights are left out).
    lat, lon
        Coordinates of the vertices (degrees), for the nested-dissection order.
    cache_dir
        Where to keep the order (``None``: compute it every time).

    Examples
    --------
    >>> import scipy.sparse as sp
    >>> m = sp.csr_matrix(([1.0, 2.0, 4.0], ([0, 1, 0], [1, 2, 2])), shape=(3, 3))
    >>> h = path_index(m, [0.0, 0.0, 0.0], [0.0, 1.0, 2.0])
    >>> h.path(0, 2)
    (3.0, [0, 1, 2])
    """

    engine = "routingkit_cch"

    def __init__(
        self,
        matrix: sp.csr_matrix,
        lat: npt.ArrayLike,
        lon: npt.ArrayLike,
        *,
        cache_dir: Path | None = None,
    ) -> None:
        self.matrix = matrix
        n = matrix.shape[0]
        tail, head, weight = _arcs(matrix)
        lat_a, lon_a = np.asarray(lat, np.float64), np.asarray(lon, np.float64)
        self.scale = _scale(tail, weight, n)
        self._arcs = _Arcs(matrix)
        self._cch, self._metric = _customized(
            n, tail, head, np.rint(weight * self.scale), lat_a, lon_a, cache_dir
        )
        self._local = threading.local()

    def _query(self) -> Any:
        query = getattr(self._local, "query", None)
        if query is None:
            import routingkit_cch as rk

            query = self._local.query = rk.CCHQuery(self._metric)
        return query

    def distance(self, source: int, target: int) -> float:
        """Return the shortest distance (within rounding, see the module docstring)."""
        found = self.path(source, target)
        return np.inf if found is None else found[0]

    def path(self, source: int, target: int) -> tuple[float, list[int]] | None:
        """Return (distance, vertices from source to target), or None if unreachable.

        The distance is the sum of the float weights along the path found.
        """
        if source == target:
            return 0.0, [source]
        result = self._query().run(int(source), int(target))
        nodes = list(result.node_path) if result.distance is not None else []
        del result  # RoutingKit needs the result gone before the next query
        if not nodes:
            return None
        return self._arcs.path_weight(nodes), nodes

    def distances(self, sources: Sequence[int], targets: Sequence[int]) -> FloatArray:
        """Return the matrix of shortest distances, sources by targets (inf if none).

        One bucket search per source against the targets pinned once (RoutingKit's
        one-to-many query); values are the integer distances divided by :attr:`scale`.
        """
        import routingkit_cch as rk

        out = np.full((len(sources), len(targets)), np.inf)
        if not len(sources) or not len(targets):
            return out
        many = rk.CCHOneToMany(self._metric, [int(t) for t in targets])
        for i, s in enumerate(sources):
            row = np.array(many.distances_from(int(s)), dtype=np.float64)  # None -> nan
            out[i] = np.where(np.isnan(row), np.inf, row / self.scale)
        return out


def path_index(
    matrix: sp.csr_matrix,
    lat: npt.ArrayLike,
    lon: npt.ArrayLike,
    *,
    cache_dir: Path | None = None,
    engine: str = "auto",
) -> Hierarchy | DijkstraPaths:
    """Return a shortest-path index: a :class:`Hierarchy` if possible, else Dijkstra.

    ``engine`` is ``"auto"`` (the hierarchy when ``routingkit_cch`` is installed),
    ``"cch"`` (raise ImportError naming the extra when it is not) or ``"scipy"``.
    """
    if engine == "scipy" or (engine == "auto" and not cch_available()):
        return DijkstraPaths(matrix)
    if engine == "cch" and not cch_available():
        raise ImportError(
            "contraction hierarchies need the routingkit_cch package: pip install 'steppe[large]'"
        )
    return Hierarchy(matrix, lat, lon, cache_dir=cache_dir)


def graph_key(n: int, tail: IntArray, head: IntArray, lat: FloatArray, lon: FloatArray) -> str:
    """Return the hash naming a graph's order: its vertex count, arcs and coordinates."""
    digest = hashlib.sha256(_VERSION.encode())
    digest.update(np.int64(n).tobytes())
    for arr in (tail.astype(np.int64), head.astype(np.int64), lat, lon):
        digest.update(np.ascontiguousarray(arr).tobytes())
    return digest.hexdigest()[:32]


def order_of(
    n: int,
    tail: IntArray,
    head: IntArray,
    lat: FloatArray,
    lon: FloatArray,
    *,
    cache_dir: Path | None = None,
) -> IntArray:
    """Return the nested-dissection order of a graph, from the disk cache if there.

    A cached file that is unreadable or not a permutation of the vertices is recomputed.
    """
    path = None
    if cache_dir is not None:
        path = Path(cache_dir) / f"cch-order-{graph_key(n, tail, head, lat, lon)}.npy"
        if path.is_file():
            try:
                cached: IntArray = np.load(path, allow_pickle=False).astype(np.int64)
                if len(cached) == n and np.array_equal(np.sort(cached), np.arange(n)):
                    return cached
            except (OSError, ValueError):
                pass
            logger.warning("cached order %s is damaged; recomputing it", path)
    import routingkit_cch as rk

    order = np.asarray(
        rk.compute_order_inertial(n, tail.tolist(), head.tolist(), lat.tolist(), lon.tolist()),
        dtype=np.int64,
    )
    if path is not None:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(dir=path.parent, suffix=".npy.part")
        with os.fdopen(fd, "wb") as fh:
            np.save(fh, order.astype(np.int32))
        os.replace(tmp, path)  # atomic: readers see the old file or the whole new one
    return order


class GraphHierarchy:
    """A hierarchy over the core of an expanded graph, for trips between network nodes.

    The start and finish vertices ``S(n)``/``T(n)`` are left out (a query starts from
    every ``D(n, c)`` with the weight of its ``S→D`` edge and ends at every ``A(n, c)``),
    and where a (node, carrier) has no transfer in or out, its ``A`` and ``D`` (joined by
    a free stay-on-board edge) become one vertex.  On a road graph this leaves one vertex
    per node, so the hierarchy is a quarter of the size it would be over the whole graph.
    Paths are expanded back to vertices of the expanded graph and re-summed in floats.
    """

    engine = "routingkit_cch"

    def __init__(
        self, graph: ExpandedGraph, objective: str | Objective, pair: int = -1, *,
        cache_dir: Path | None = None,
    ) -> None:  # fmt: skip
        matrix, _ = graph.csr(objective, pair)
        self.graph, self.matrix = graph, matrix
        n, role = graph.n_vertices, graph.vertex_role
        coo = matrix.tocoo()
        u, v, w = coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data
        inner = np.isfinite(w) & (role[u] >= 2) & (role[v] >= 2)
        stay = inner & (role[u] == 2) & (v == u + 1) & (w == 0)
        out_deg = np.bincount(u[inner], minlength=n)
        in_deg = np.bincount(v[inner], minlength=n)
        arrive = u[stay][(out_deg[u[stay]] == 1) & (in_deg[u[stay] + 1] == 1)]
        merged_d = np.zeros(n, bool)
        merged_d[arrive + 1] = True
        own = (role >= 2) & ~merged_d
        core = np.full(n, -1, np.int64)
        core[own] = np.arange(int(own.sum()))
        core[arrive + 1] = core[arrive]
        self.core = core
        n_core = int(own.sum())
        self.a_of = np.full(n_core, -1, np.int64)
        self.d_of = np.full(n_core, -1, np.int64)
        is_a = own & (role == 2)
        self.a_of[core[is_a]] = np.flatnonzero(is_a)
        self.d_of[core[own & (role == 3)]] = np.flatnonzero(own & (role == 3))
        self.d_of[core[arrive]] = arrive + 1
        uc, vc, wc = core[u[inner]], core[v[inner]], w[inner]
        arc = uc != vc
        uc, vc, wc = uc[arc], vc[arc], wc[arc]
        starts = role[u] == 0
        self.scale = _scale(uc, wc, n_core, extra=float(w[starts & np.isfinite(w)].max(initial=0)))
        lat = np.array([nd.lat for nd in graph.network.nodes])[graph.vertex_node[own]]
        lon = np.array([nd.lon for nd in graph.network.nodes])[graph.vertex_node[own]]
        self._arcs = _Arcs(matrix)
        self._cch, self._metric = _customized(
            n_core, uc, vc, np.rint(wc * self.scale), lat, lon, cache_dir
        )
        self._local = threading.local()

    def _sources(self, node: int) -> list[tuple[int, int]]:
        s = int(self.graph.start[node])
        lo, hi = int(self.matrix.indptr[s]), int(self.matrix.indptr[s + 1])
        return [(int(self.core[d]), round(float(x) * self.scale))
                for d, x in zip(self.matrix.indices[lo:hi], self.matrix.data[lo:hi], strict=True)
                if np.isfinite(x)]  # fmt: skip

    def _targets(self, node: int) -> list[int]:
        t = int(self.graph.end[node])
        return [a for a in self.graph.arrivals(node) if t in self._out(a)]

    def _out(self, vertex: int) -> npt.NDArray[np.int32]:
        lo, hi = int(self.matrix.indptr[vertex]), int(self.matrix.indptr[vertex + 1])
        return np.asarray(self.matrix.indices[lo:hi])

    def route(self, origin: int, destination: int) -> tuple[float, list[int]] | None:
        """Return (weight, expanded-graph vertices from S(origin) to T(destination)).

        ``origin`` and ``destination`` are node indices (``graph.node_ids``); None when
        there is no path (or they are the same node).
        """
        sources, targets = self._sources(origin), self._targets(destination)
        if origin == destination or not sources or not targets:
            return None
        query = getattr(self._local, "query", None)
        if query is None:
            import routingkit_cch as rk

            query = self._local.query = rk.CCHQuery(self._metric)
        result = query.run_multi(sources, [(int(self.core[a]), 0) for a in targets])
        core_path = list(result.node_path) if result.distance is not None else []
        del result  # RoutingKit needs the result gone before the next query
        if not core_path:
            return None
        path = [int(self.graph.start[origin])]
        last = len(core_path) - 1
        for i, x in enumerate(core_path):
            a, d = int(self.a_of[x]), int(self.d_of[x])
            path += [y for y in ((a if i > 0 or d < 0 else -1), (d if i < last or a < 0 else -1))
                     if y >= 0]  # fmt: skip
        path.append(int(self.graph.end[destination]))
        return self._arcs.path_weight(path), path

    def distances(self, origins: Sequence[int], destinations: Sequence[int]) -> FloatArray:
        """Return the weights between network nodes, origins by destinations (inf if none).

        Within half a unit of :attr:`scale` per edge of each path (integer weights).
        """
        import routingkit_cch as rk

        out = np.full((len(origins), len(destinations)), np.inf)
        pinned: list[int] = []
        owner: list[int] = []
        for j, node in enumerate(destinations):
            for a in self._targets(int(node)):
                pinned.append(int(self.core[a]))
                owner.append(j)
        if not pinned or not len(origins):
            return out
        many = rk.CCHOneToMany(self._metric, pinned)
        owner_a = np.asarray(owner)
        for i, node in enumerate(origins):
            sources = self._sources(int(node))
            if not sources:
                continue
            row = np.array(many.distances_from_multi(sources), dtype=np.float64)
            row = np.where(np.isnan(row), np.inf, row / self.scale)
            np.minimum.at(out[i], owner_a, row)
        for i, a in enumerate(origins):  # a trip needs two places
            out[i, [j for j, b in enumerate(destinations) if b == a]] = np.inf
        return out
