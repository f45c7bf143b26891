"""The expanded routing graph: one vertex per (node, arrival carrier) so transfers cost.

A plain node graph cannot charge a gauge change or a port transfer, because the cost
depends on how you arrived.  Here every network node ``n`` becomes

* ``S(n)`` — start here (no carrier yet) and ``T(n)`` — finish here;
* ``A(n, c)`` — arrived on carrier ``c`` and ``D(n, c)`` — ready to leave on ``c``,

where a carrier is a mode, with rail split by gauge (``rail:1520``, ``rail:1435``).
Edges: ``S→D`` and ``A→T`` (free), ``A(n,c)→D(n,c)`` (stay on board, free),
``A(n,c)→D(n,c')`` (a transfer row of the network), and ``D(u,c)→A(v,c)`` for each usable
link (moving time, plus half the headway of scheduled legs, plus border dwell and fees
where the link joins the two posts of a border crossing).

The graph is built by :func:`steppe.routing._build.expanded_graph`, once per network and
graph-shaping :class:`~steppe.routing.RouteOptions` (and trip's closed countries), and cached.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp

from steppe.network.model import Link, Mode, Network
from steppe.routing.options import Objective, RouteOptions

if TYPE_CHECKING:
    from pathlib import Path

    from steppe.routing.hierarchy import DijkstraPaths, GraphHierarchy, Hierarchy
    from steppe.routing.prices import PriceBasis

__all__ = ["EdgeKind", "ExpandedGraph", "carrier_mode", "carrier_of"]

FloatArray = npt.NDArray[np.float64]
IntArray = npt.NDArray[np.int64]


class EdgeKind:
    """Integer codes of expanded-graph edge kinds."""

    START: Final = 0
    END: Final = 1
    STAY: Final = 2
    TRANSFER: Final = 3
    LINK: Final = 4


def carrier_of(link: Link) -> str:
    """Return the carrier of a link: its mode, with rail split by gauge."""
    if link.mode is Mode.RAIL:
        return f"rail:{link.gauge_mm}"
    return link.mode.value


def carrier_mode(carrier: str) -> Mode:
    """Return the mode of a carrier name."""
    return Mode(carrier.split(":", 1)[0])


@dataclass(eq=False)
class ExpandedGraph:
    """Arrays describing the expanded graph; see the module docstring.

    Edge arrays are aligned: ``src[e]``, ``dst[e]``, ``kind[e]``, the moving/waiting/
    dwell parts of ``time_h``, money, CO2 and distance of edge ``e``, the network link
    (``link[e]``, -1 if none), the border crossed (``border[e]``), the transfer row
    (``transfer[e]``) and the bilateral country pair that must match the query to use it
    (``bilateral[e]``, -1 if open to all).  ``vertex_role`` is 0 for S, 1 for T, 2 for A
    and 3 for D; a node's vertices are contiguous: S, T, then A, D per carrier.
    """

    network: Network
    node_ids: tuple[str, ...]
    vertex_node: IntArray
    vertex_carrier: tuple[str | None, ...]
    vertex_role: IntArray
    start: IntArray
    end: IntArray
    src: IntArray
    dst: IntArray
    kind: IntArray
    move_h: FloatArray
    wait_h: FloatArray
    dwell_h: FloatArray
    transfer_h: FloatArray
    link_cost: FloatArray
    fee_cost: FloatArray
    transfer_cost: FloatArray
    co2_kg: FloatArray
    distance_km: FloatArray
    link: IntArray
    border: IntArray
    transfer: IntArray
    bilateral: IntArray
    bilateral_pairs: tuple[frozenset[str], ...]
    value_of_time: float
    price_month: str | None = None
    """Month of the tariffs that priced the edges (``None``: the network has none)."""
    service: str | None = None
    price_bases: tuple[PriceBasis, ...] = ()
    """What priced edges: ``cost_basis[e]`` (link or transfer money), ``fee_basis[e]``."""
    cost_basis: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    fee_basis: IntArray = field(default_factory=lambda: np.zeros(0, np.int64))
    _csr: dict[tuple[Objective, int], tuple[sp.csr_matrix, IntArray]] = field(default_factory=dict)
    options: RouteOptions | None = None  # the options it was built for (emissions, cargo)
    _index: dict[tuple[Objective, int, str], Hierarchy | DijkstraPaths] = field(
        default_factory=dict, repr=False
    )
    _hierarchies: dict[tuple[Objective, int], GraphHierarchy] = field(
        default_factory=dict, repr=False
    )

    def arrivals(self, node: int) -> list[int]:
        """Return the arrival vertices ``A(node, c)`` of a node, one per carrier."""
        lo = int(self.start[node]) + 2
        hi = int(self.start[node + 1]) if node + 1 < len(self.start) else self.n_vertices
        return list(range(lo, hi, 2))

    @property
    def n_vertices(self) -> int:
        """Return the number of vertices."""
        return len(self.vertex_node)

    @property
    def time_h(self) -> FloatArray:
        """Return the total time of each edge."""
        return self.move_h + self.wait_h + self.dwell_h + self.transfer_h

    @property
    def cost_usd(self) -> FloatArray:
        """Return the total money of each edge."""
        return self.link_cost + self.fee_cost + self.transfer_cost

    def weights(self, objective: str | Objective) -> FloatArray:
        """Return the edge weights for an objective (see :meth:`Objective.weights`)."""
        return Objective.parse(objective).weights(self)

    def bilateral_index(self, countries: frozenset[str]) -> int:
        """Return the bilateral pair whose borders a trip between these countries may use."""
        for i, pair in enumerate(self.bilateral_pairs):
            if pair == countries:
                return i
        return -1

    def csr(
        self, objective: str | Objective, pair: int = -1, weights: FloatArray | None = None
    ) -> tuple[sp.csr_matrix, IntArray]:
        """Return the CSR matrix of an objective and the edge behind each stored entry.

        Parallel edges keep the cheapest (ties: the lowest edge index), so the edge a
        shortest path uses can be recovered from the CSR position.
        """
        key = (Objective.parse(objective), pair)
        if weights is None and key in self._csr:
            return self._csr[key]
        w = self.weights(objective) if weights is None else weights
        usable = (self.bilateral < 0) | (self.bilateral == pair)
        idx = np.flatnonzero(usable)
        order = idx[np.lexsort((idx, w[idx], self.dst[idx], self.src[idx]))]
        s, d = self.src[order], self.dst[order]
        first = np.ones(len(order), dtype=bool)
        first[1:] = (s[1:] != s[:-1]) | (d[1:] != d[:-1])
        order, s, d = order[first], s[first], d[first]
        indptr = np.zeros(self.n_vertices + 1, dtype=np.int64)
        np.cumsum(np.bincount(s, minlength=self.n_vertices), out=indptr[1:])
        matrix = sp.csr_matrix((w[order], d, indptr), shape=(self.n_vertices,) * 2)
        result = (matrix, order.astype(np.int64))
        if weights is None:
            self._csr[key] = result
        return result

    def path_index(
        self,
        objective: str | Objective,
        pair: int = -1,
        *,
        cache_dir: Path | None = None,
        engine: str = "auto",
    ) -> Hierarchy | DijkstraPaths:
        """Return a shortest-path index over the CSR of an objective (kept with the graph).

        A contraction hierarchy when ``routingkit_cch`` is installed (the ``large``
        extra), else scipy's Dijkstra; see :mod:`steppe.routing.hierarchy`.  Its order
        is cached in ``cache_dir`` under a hash of the graph's arcs and coordinates.
        Query from ``start[i]`` to ``end[j]`` for a trip between network nodes.
        """
        from steppe.routing.hierarchy import path_index

        key = (Objective.parse(objective), pair, engine)
        if key not in self._index:
            matrix, _ = self.csr(objective, pair)
            lat = np.array([n.lat for n in self.network.nodes], dtype=np.float64)
            lon = np.array([n.lon for n in self.network.nodes], dtype=np.float64)
            node = self.vertex_node
            self._index[key] = path_index(
                matrix, lat[node], lon[node], cache_dir=cache_dir, engine=engine
            )
        return self._index[key]

    def hierarchy(
        self, objective: str | Objective, pair: int = -1, *, cache_dir: Path | None = None
    ) -> GraphHierarchy:
        """Return the contraction hierarchy over this graph's core (kept with the graph).

        Trips between network nodes (:meth:`GraphHierarchy.route`,
        :meth:`GraphHierarchy.distances`); needs ``routingkit_cch`` (the ``large`` extra).
        """
        from steppe.routing.hierarchy import GraphHierarchy, cch_available

        if not cch_available():
            raise ImportError(
                "contraction hierarchies need the routingkit_cch package: "
                "pip install 'steppe[large]'"
            )
        key = (Objective.parse(objective), pair)
        if key not in self._hierarchies:
            self._hierarchies[key] = GraphHierarchy(self, objective, pair, cache_dir=cache_dir)
        return self._hierarchies[key]

    def edge_between(self, csr: tuple[sp.csr_matrix, IntArray], u: int, v: int) -> int:
        """Return the edge stored in a CSR matrix from vertex ``u`` to ``v``."""
        matrix, edges = csr
        lo, hi = int(matrix.indptr[u]), int(matrix.indptr[u + 1])
        pos = lo + int(np.searchsorted(matrix.indices[lo:hi], v))
        return int(edges[pos])
