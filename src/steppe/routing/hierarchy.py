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
of all arc weights fits in 2**30 (no path can be longer, so nothing overflows) and
rounded; :meth:`Hierarchy.path` re-sums the float weights along the path it finds, and
:meth:`Hierarchy.distances` is within half a unit (``0.5 / scale``) per arc of a path.
"""

from __future__ import annotations

import hashlib
import itertools
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

__all__ = ["DijkstraPaths", "Hierarchy", "cch_available", "path_index"]

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


def _path_weight(matrix: sp.csr_matrix, nodes: Sequence[int]) -> float:
    """Return the sum of the stored weights along a vertex path (first stored arc u→v)."""
    total = 0.0
    for u, v in itertools.pairwise(nodes):
        lo, hi = int(matrix.indptr[u]), int(matrix.indptr[u + 1])
        cols = matrix.indices[lo:hi]
        hit = np.flatnonzero(cols == v)
        total += float(matrix.data[lo + int(hit[0])])
    return total


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
        import routingkit_cch as rk

        self.matrix = matrix
        n = matrix.shape[0]
        tail, head, weight = _arcs(matrix)
        lat_a, lon_a = np.asarray(lat, np.float64), np.asarray(lon, np.float64)
        total = float(weight.sum())
        self.scale = SPAN / total if total > 0 else 1.0
        order = order_of(n, tail, head, lat_a, lon_a, cache_dir=cache_dir)
        self._cch = rk.CCH(order.tolist(), tail.tolist(), head.tolist(), False)
        self._metric = rk.CCHMetric(
            self._cch, np.rint(weight * self.scale).astype(np.int64).tolist()
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
        return _path_weight(self.matrix, nodes), nodes

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
                order = np.load(path, allow_pickle=False).astype(np.int64)
                if len(order) == n and np.array_equal(np.sort(order), np.arange(n)):
                    return order
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
