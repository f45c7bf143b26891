"""Arrays derived from an expanded graph once and kept beside it: lookups the searches share.

An :class:`~steppe.routing.graph.ExpandedGraph` is immutable once built and cached
(:func:`steppe.routing._build.expanded_graph`), so what every query would otherwise
recompute — the node index, the metric columns, the edge behind a CSR entry, the key
places of corridor labels, the legs an edge becomes — is computed on first use and kept
in a small bounded cache keyed by the graph's identity (:func:`derived`).  A lock makes
the cache safe to share between the web server's threads; the memo dictionaries inside
only ever gain entries that any thread would compute alike.
"""

from __future__ import annotations

import contextlib
import threading
import weakref
from collections import OrderedDict
from collections.abc import Callable
from functools import cached_property
from typing import TYPE_CHECKING, Final

import numpy as np
import numpy.typing as npt

from steppe.network.model import Mode
from steppe.routing.graph import EdgeKind, ExpandedGraph

if TYPE_CHECKING:
    import scipy.sparse as sp

    from steppe.routing._assemble import Piece
    from steppe.routing.corridor import KeyPlace

__all__ = ["EdgeLookup", "GraphData", "derived", "key_edges"]

_SCHEDULED = (Mode.FERRY, Mode.SEA)  # as in corridor.edge_key_places

IntArray = npt.NDArray[np.int64]
FloatArray = npt.NDArray[np.float64]


class EdgeLookup:
    """Find the graph edge stored in a CSR matrix for many (tail, head) pairs at once.

    The entries are keyed ``head * n + tail`` and sorted: queries that come row by row
    from a predecessor array (heads ascending) then search a sorted array in nearly
    sorted order, several times faster than in random order.
    """

    def __init__(self, csr: tuple[sp.csr_matrix, IntArray]) -> None:
        matrix, edges = csr
        n = matrix.shape[0]
        tails = np.repeat(np.arange(n, dtype=np.int64), np.diff(matrix.indptr))
        keys = matrix.indices.astype(np.int64) * n + tails
        by_key = np.argsort(keys, kind="stable")
        self.tails, self.heads = tails, matrix.indices.astype(np.int64)
        """The tail and head of each stored entry, in CSR order (``matrix.data`` aligned)."""
        self.n = n
        self.keys = keys[by_key]
        self.edges = edges
        self.stored = edges[by_key]
        self.reverse: sp.csr_matrix | None = None

    def edges_of(self, tails: npt.NDArray[np.integer], heads: npt.NDArray[np.integer]) -> IntArray:
        """Return the graph edges behind the CSR entries ``tails[i] → heads[i]`` (all exist)."""
        keys = heads.astype(np.int64) * self.n + tails
        return np.asarray(self.stored[np.searchsorted(self.keys, keys)], dtype=np.int64)


class GraphData:
    """What is derived from one expanded graph, each part computed on first use."""

    def __init__(self, graph: ExpandedGraph) -> None:
        try:  # a weak reference: the cache must not keep a large graph alive
            self._graph: Callable[[], ExpandedGraph | None] = weakref.ref(graph)
        except TypeError:  # a graph type without weak references: hold it
            self._graph = lambda: graph
        self.lock = threading.Lock()
        self._lookups: dict[int, EdgeLookup] = {}
        self.transitions: dict[tuple[int, int], int] = {}
        """Corridor states: (state before, edge) → state after (see ``_corridor_states``)."""
        self.states: list[tuple[KeyPlace, ...]] = [()]
        self.state_ids: dict[tuple[KeyPlace, ...], int] = {(): 0}
        self.descriptions: dict[int, tuple[str, str]] = {0: ("", "")}
        self.pieces: dict[int, Piece] = {}
        """Edge → the legs and places it adds to a route (``steppe.routing._assemble``)."""

    @property
    def graph(self) -> ExpandedGraph:
        """Return the graph (alive while anyone asks for its data)."""
        graph = self._graph()
        if graph is None:  # pragma: no cover - callers hold the graph
            raise ReferenceError("the expanded graph is gone")
        return graph

    @cached_property
    def node_index(self) -> dict[str, int]:
        """Return node id → node index."""
        return {nid: i for i, nid in enumerate(self.graph.node_ids)}

    @cached_property
    def metrics(self) -> FloatArray:
        """Return the edges' time, cost, CO2 and distance as one (4, edges + 1) array.

        The last column is zero, so index -1 (no edge) reads zeros.
        """
        g = self.graph
        out = np.zeros((4, len(g.src) + 1))
        out[:, :-1] = np.vstack([g.time_h, g.cost_usd, g.co2_kg, g.distance_km])
        return out

    @cached_property
    def key_mask(self) -> npt.NDArray[np.bool_]:
        """Return, per edge, whether it gives key places to a corridor label (and a last
        ``False`` for index -1, no edge)."""

        return np.append(key_edges(self.graph), False)

    def lookup(self, csr: tuple[sp.csr_matrix, IntArray]) -> EdgeLookup:
        """Return the edge lookup of a CSR matrix of this graph (kept for the last few)."""
        key = id(csr[1])
        hit = self._lookups.get(key)
        if hit is None or hit.edges is not csr[1]:
            hit = EdgeLookup(csr)
            with self.lock:
                self._lookups[key] = hit
                while len(self._lookups) > 8:
                    self._lookups.pop(next(iter(self._lookups)))
        return hit

    def transposed(self, csr: tuple[sp.csr_matrix, IntArray]) -> sp.csr_matrix:
        """Return the reverse graph of a CSR matrix (for backward searches), kept."""
        lookup = self.lookup(csr)
        if lookup.reverse is None:
            lookup.reverse = csr[0].T.tocsr()
        return lookup.reverse

    @cached_property
    def link_index(self) -> dict[str, int]:
        """Return link id → index in the network's links."""
        return {lk.id: i for i, lk in enumerate(self.graph.network.links)}

    def step(self, before: IntArray, edges: IntArray) -> IntArray:
        """Return the corridor states after key edges ``edges`` from states ``before``.

        A state is the tuple of key places met so far (:mod:`steppe.routing.corridor`),
        numbered in :attr:`states`; state 0 is none.  Each distinct (state, edge) step is
        worked out once per graph and remembered.
        """
        n_edges = max(len(self.graph.src), 1)
        codes, inverse = np.unique(before * n_edges + edges, return_inverse=True)
        out = np.empty(len(codes), dtype=np.int64)
        for i, code in enumerate(codes.tolist()):
            key = divmod(code, n_edges)
            hit = self.transitions.get(key)
            if hit is None:
                hit = self._step(*key)
            out[i] = hit
        return np.asarray(out[inverse.reshape(-1)], dtype=np.int64)

    @cached_property
    def key_list(self) -> list[bool]:
        """Return :attr:`key_mask` as a list (faster to index one edge at a time)."""
        return [bool(x) for x in self.key_mask.tolist()]

    def step_one(self, state: int, edge: int) -> int:
        """Return the corridor state after one key edge (see :meth:`step`)."""
        hit = self.transitions.get((state, edge))
        return self._step(state, edge) if hit is None else hit

    def _step(self, state: int, edge: int) -> int:
        from steppe.routing.corridor import edge_key_places, merge_places

        g = self.graph
        places = tuple(merge_places(g, self.states[state], edge_key_places(g, edge)))
        with self.lock:
            new = self.state_ids.get(places)
            if new is None:
                new = self.state_ids[places] = len(self.states)
                self.states.append(places)
            self.transitions[(state, edge)] = new
        return new

    def describe(self, state: int) -> tuple[str, str]:
        """Return a state's corridor label and the ``|``-separated crossings it passes."""
        hit = self.descriptions.get(state)
        if hit is None:
            from steppe.routing.corridor import label_of

            places = self.states[state]
            posts = (self._post_border.get(kp.node) for kp in places if kp.crossing)
            hit = (label_of(self.graph, places), "|".join(dict.fromkeys(c for c in posts if c)))
            self.descriptions[state] = hit
        return hit

    @cached_property
    def _post_border(self) -> dict[str, str]:
        return {nid: b.id for b in self.graph.network.borders for nid in (b.a, b.b)}


class _Cache:
    """A bounded map from a graph's identity to its :class:`GraphData`.

    An entry goes when its graph is collected (or when more than ``size`` graphs came
    after it), so the arrays live no longer than the graph they describe.
    """

    def __init__(self, size: int = 16) -> None:
        self.size = size
        self.items: OrderedDict[int, GraphData] = OrderedDict()
        self.lock = threading.Lock()

    def get(self, graph: ExpandedGraph) -> GraphData:
        key = id(graph)
        with self.lock:
            hit = self.items.get(key)
            if hit is not None and hit._graph() is graph:
                self.items.move_to_end(key)
                return hit
            data = GraphData(graph)
            self.items[key] = data
            while len(self.items) > self.size:
                self.items.popitem(last=False)
        with contextlib.suppress(TypeError):  # no weak references: evicted by size only
            weakref.finalize(graph, self._drop, key, data)
        return data

    def _drop(self, key: int, data: GraphData) -> None:
        with self.lock:
            if self.items.get(key) is data:
                del self.items[key]


_CACHE: Final = _Cache()


def derived(graph: ExpandedGraph) -> GraphData:
    """Return the derived data of a graph (created empty on first call, filled lazily)."""
    return _CACHE.get(graph)


def key_edges(graph: ExpandedGraph) -> npt.NDArray[np.bool_]:
    """Return, per edge, whether it gives key places to a corridor label.

    The vectorised form of ``bool(edge_key_places(graph, e))`` (a test checks they agree).
    """
    kind = graph.kind
    carrier_codes: dict[str | None, int] = {}
    code = np.array([carrier_codes.setdefault(c, len(carrier_codes))
                     for c in graph.vertex_carrier], dtype=np.int64)  # fmt: skip
    rail = np.array([(c or "").startswith("rail:") for c in graph.vertex_carrier], dtype=bool)
    gauge = (
        (kind == EdgeKind.TRANSFER)
        & rail[graph.src]
        & rail[graph.dst]
        & (code[graph.src] != code[graph.dst])
    )
    scheduled = np.array([link.mode in _SCHEDULED for link in graph.network.links], dtype=bool)
    on_link = (kind == EdgeKind.LINK) & (graph.link >= 0)
    port = on_link & scheduled[np.maximum(graph.link, 0)] if len(scheduled) else on_link & False
    crossing = on_link & (graph.border >= 0) & (graph.dwell_h > 0)
    return np.asarray(gauge | port | crossing, dtype=bool)
