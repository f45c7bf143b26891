"""Meaningfully different alternative routes by the via-node method.

The via-node method (Abraham, Delling, Goldberg & Werneck, "Alternative routes in road
networks", ACM JEA 18, 2013; the approach OSRM uses): one forward Dijkstra from the
origin and one backward Dijkstra to the destination; the best route through a vertex
``v`` costs ``d_f(v) + d_b(v)`` and is the shortest path to ``v`` followed by the
shortest path from it.  Candidates are taken in increasing cost, and one is accepted
when it is *admissible*:

* **bounded stretch** — it costs at most :data:`MAX_STRETCH` times the best route;
* **local optimality** (the paper's T-test) — the stretch of the candidate from
  :data:`LOCAL_FRACTION` of the best cost before ``v`` to as far after it is itself a
  shortest path, so the candidate is not the best route with a detour around ``v``;
* **meaningfully different** from every route already accepted
  (:func:`meaningfully_different`).

Via places are handled by searching a layered graph: one copy of the expanded graph per
leg between stops, joined by free edges from each arrival state at a via place to the
same state in the next layer, so a candidate is any via-node path through the stops in
order (the via-node method on the concatenation).

Candidates are taken through each *edge* ``(u, v)`` — cost ``d_f(u) + w(u, v) + d_b(v)``
— rather than each vertex: every via-vertex path is also a via-edge path, and a single
long edge that is in neither shortest-path tree (a direct ferry, say) becomes a
candidate too.  Paths that visit a vertex twice are rejected, and at most
:data:`MAX_CANDIDATES` distinct paths are examined.

The earlier penalty method is kept only as a test reference (``tests/routing/_penalty.py``).
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import numpy as np
import numpy.typing as npt
import scipy.sparse as sp
from scipy.sparse.csgraph import dijkstra

from steppe._deadline import check_deadline
from steppe.routing._assemble import assemble_route, with_emissions
from steppe.routing._derived import EdgeLookup, derived
from steppe.routing._query import Query
from steppe.routing.graph import ExpandedGraph
from steppe.routing.result import Route

__all__ = [
    "LOCAL_FRACTION",
    "MAX_CANDIDATES",
    "MAX_SHARED",
    "MAX_SHARED_DOMESTIC",
    "MAX_STRETCH",
    "meaningfully_different",
    "shared_fraction",
    "signature",
    "via_node_alternatives",
]

logger = logging.getLogger(__name__)

MAX_STRETCH = 1.5
LOCAL_FRACTION = 0.25
MAX_SHARED = 0.7
MAX_SHARED_DOMESTIC = 0.5
MAX_CANDIDATES = 2000
_TOL = 1e-9


def shared_fraction(a: Route, b: Route) -> float:
    """Return the share of ``a``'s link distance on links that ``b`` also uses."""
    lengths: dict[str, float] = {}
    for leg in a.legs:
        if leg.kind == "link":
            lengths[leg.ref] = lengths.get(leg.ref, 0.0) + leg.distance_km
    total = sum(lengths.values())
    if total <= 0:
        return 1.0
    used = set(b.link_ids)
    return sum(km for ref, km in lengths.items() if ref in used) / total


def signature(r: Route) -> tuple[tuple[str, ...], tuple[str, ...]]:
    """Return a route's countries (in order) and the land border crossings where it dwells.

    Customs where a ship lands (border legs of ferry and sea links) are left out: they
    name the port pair, and the same corridor through another port is not a new one.
    """
    crossings = tuple(
        leg.ref
        for leg in r.legs
        if leg.kind == "border" and leg.time_h > 0 and leg.mode not in ("ferry", "sea")
    )
    return r.countries, crossings


def meaningfully_different(a: Route, b: Route) -> bool:
    """Return whether two routes are meaningfully different alternatives.

    Routes that both stay in one country differ when each shares less than
    :data:`MAX_SHARED_DOMESTIC` of its distance with the other.  Otherwise they differ
    when they cross a different sequence of countries or of border crossings with dwell,
    and each shares less than :data:`MAX_SHARED` of its distance with the other.  In
    both cases their corridor labels must differ, so a reader can tell them apart.

    Examples
    --------
    >>> import steppe
    >>> net = steppe.load_network()
    >>> a, b = steppe.route(net, "Ulaanbaatar", "Duisburg", avoid=["RUS"], alternatives=2).routes
    >>> meaningfully_different(a, b)
    True
    """
    if a.corridor == b.corridor:
        return False
    share = max(shared_fraction(a, b), shared_fraction(b, a))
    if len(a.countries) == 1 and a.countries == b.countries:
        return share < MAX_SHARED_DOMESTIC
    return signature(a) != signature(b) and share < MAX_SHARED


def _layered(
    graph: ExpandedGraph, matrix: sp.csr_matrix, stops: Sequence[str]
) -> tuple[sp.csr_matrix, int, int]:
    """Return one copy of the graph per leg between stops, joined at the via places."""
    n = graph.n_vertices
    index = {nid: i for i, nid in enumerate(graph.node_ids)}
    coo = matrix.tocoo()
    layers = len(stops) - 1
    rows = [coo.row.astype(np.int64) + k * n for k in range(layers)]
    cols = [coo.col.astype(np.int64) + k * n for k in range(layers)]
    data = [coo.data] * layers
    for k, stop in enumerate(stops[1:-1]):
        arr = np.asarray(graph.arrivals(index[stop]), dtype=np.int64)
        rows.append(arr + k * n)
        cols.append(arr + (k + 1) * n)
        data.append(np.zeros(len(arr)))
    size = n * layers
    big = sp.csr_matrix(
        (np.concatenate(data), (np.concatenate(rows), np.concatenate(cols))), shape=(size, size)
    )
    source = int(graph.start[index[stops[0]]])
    target = int(graph.end[index[stops[-1]]]) + (layers - 1) * n
    return big, source, target


def _tree_path(memo: dict[int, tuple[int, ...]], pred: list[int], x: int) -> tuple[int, ...]:
    """Return the tree path from ``x`` up to its root, remembering every vertex's on the way.

    Forward trees give it root first (pass a memo that reverses) — see :func:`_path`.
    """
    chain: list[int] = []
    while x >= 0 and x not in memo:
        chain.append(x)
        x = pred[x]
    path = memo[x] if x >= 0 else ()
    for y in reversed(chain):
        path = memo[y] = (*path, y)
    return path


def _path(
    forward: tuple[list[int], dict[int, tuple[int, ...]]],
    backward: tuple[list[int], dict[int, tuple[int, ...]]],
    u: int,
    v: int,
) -> list[int]:
    """Return the vertices of the forward tree path to ``u``, then ``v`` and on to the end."""
    head = _tree_path(forward[1], forward[0], u)  # root ... u
    tail = _tree_path(backward[1], backward[0], v)  # end ... v
    return [*head, *reversed(tail)]


def _cover(covered: set[int], pred: list[int], x: int) -> None:
    """Add ``x`` and its tree ancestors to ``covered`` (stopping at one already there)."""
    while x >= 0 and x not in covered:
        covered.add(x)
        x = pred[x]


def _search_graph(
    graph: ExpandedGraph, csr: tuple[sp.csr_matrix, npt.NDArray[np.int64]], stops: Sequence[str]
) -> tuple[sp.csr_matrix, sp.csr_matrix, int, int, tuple[npt.NDArray[Any], ...]]:
    """Return the (layered) graph, its reverse, source, target and its entries' tails,
    heads and weights; with no via place, the cached graph itself."""
    data = derived(graph)
    if len(stops) == 2:
        lookup = data.lookup(csr)
        index = data.node_index
        s, t = int(graph.start[index[stops[0]]]), int(graph.end[index[stops[-1]]])
        entries = (lookup.tails, lookup.heads, csr[0].data)
        return csr[0], data.transposed(csr), s, t, entries
    big, s, t = _layered(graph, csr[0], stops)
    coo = big.tocoo()
    entries = (coo.row.astype(np.int64), coo.col.astype(np.int64), coo.data)
    return big, big.T.tocsr(), s, t, entries


def via_node_alternatives(
    graph: ExpandedGraph, query: Query, pair: int, best: Route, k: int
) -> list[Route]:
    """Return up to ``k`` meaningfully different routes, best first, by the via-node method."""
    csr = graph.csr(query.objective, pair)
    big, back, s, t, (tail, head, weight) = _search_graph(graph, csr, query.stops)
    n = graph.n_vertices
    d_f, pred_f = dijkstra(big, indices=s, return_predecessors=True)
    d_b, pred_b = dijkstra(back, indices=t, return_predecessors=True)
    total = d_f + d_b
    opt = float(total[s])
    kept = [best]
    if not np.isfinite(opt):
        return kept
    limit = MAX_STRETCH * opt + _TOL * max(opt, 1.0)
    through = d_f[tail] + weight + d_b[head]
    cand = np.flatnonzero(through <= limit)
    cand = cand[np.lexsort((cand, through[cand]))]
    lookup = derived(graph).lookup(csr)
    index_of_link = derived(graph).link_index
    kept_links = [_link_set(index_of_link, best.link_ids)]
    forward, backward = pred_f.tolist(), pred_b.tolist()
    # the edges of every path examined: its via edge, the forward-tree edges into the
    # vertices of its first part and the backward-tree edges out of those of its second
    # (each part closed under tree ancestors, so a tree edge is covered when its far end is)
    via_edges: set[tuple[int, int]] = set()
    ahead_paths: dict[int, tuple[int, ...]] = {}
    behind_paths: dict[int, tuple[int, ...]] = {}
    ahead: set[int] = set()
    behind: set[int] = set()
    examined = 0
    for i, c in enumerate(cand.tolist()):
        if not i & 63:
            check_deadline()
        u, v = int(tail[c]), int(head[c])
        if (
            (forward[v] == u and v in ahead)
            or (backward[u] == v and u in behind)
            or (u, v) in via_edges
        ):
            continue
        verts = _path((forward, ahead_paths), (backward, behind_paths), u, v)
        via_edges.add((u, v))
        _cover(ahead, forward, u)
        _cover(behind, backward, v)
        examined += 1
        if examined > MAX_CANDIDATES:
            logger.debug("stopped after %d candidate paths", MAX_CANDIDATES)
            break
        if len(set(verts)) < len(verts):
            continue
        edges = _edges(lookup, np.asarray(verts, dtype=np.int64), n)
        if not _may_differ(graph, edges, kept_links):
            continue
        candidate = assemble_route(graph, edges, emissions=False)
        if all(meaningfully_different(candidate, r) for r in kept) and _locally_optimal(
            big, verts, verts.index(u), d_f=d_f, d_b=d_b, cost=float(through[c]), opt=opt
        ):
            kept.append(with_emissions(graph, candidate, edges))
            kept_links.append(_link_set(index_of_link, candidate.link_ids))
            if len(kept) == k:
                break
    return kept


def _edges(lookup: EdgeLookup, verts: npt.NDArray[np.int64], n: int) -> list[int]:
    """Return the graph edges of a layered path (the free joins between layers dropped)."""
    a, b = verts[:-1], verts[1:]
    same = a // n == b // n
    edges: list[int] = lookup.edges_of(a[same] % n, b[same] % n).tolist()
    return edges


def _link_set(index: dict[str, int], link_ids: Sequence[str]) -> set[int]:
    return {index[x] for x in link_ids}


def _may_differ(graph: ExpandedGraph, edges: Sequence[int], kept: Sequence[set[int]]) -> bool:
    """Return False when a path surely shares too much distance with a kept route."""
    ids = np.asarray(edges, dtype=np.int64)
    ids = ids[graph.link[ids] >= 0] if len(ids) else ids
    links, km = graph.link[ids], graph.distance_km[ids]
    total = float(km.sum())
    if total <= 0:
        return True
    for used in kept:
        on = np.array([x in used for x in links.tolist()], dtype=bool)
        if float(km[on].sum()) / total >= MAX_SHARED:
            return False
    return True


def _locally_optimal(
    big: sp.csr_matrix,
    verts: list[int],
    iv: int,
    *,
    d_f: npt.NDArray[np.float64],
    d_b: npt.NDArray[np.float64],
    cost: float,
    opt: float,
) -> bool:
    """Return whether the path within ``LOCAL_FRACTION * opt`` of its via edge is shortest.

    ``verts[iv]`` is the tail of the via edge and ``cost`` the cost of the whole path; the
    sub-path kept for the test is made of whole edges (a simple form of the T-test).
    """
    cum = np.array([d_f[x] for x in verts[: iv + 1]] + [cost - d_b[x] for x in verts[iv + 1 :]])
    reach = LOCAL_FRACTION * opt * (1 + 1e-12)
    j = min(x for x in range(iv + 1) if cum[iv] - cum[x] <= reach)
    m = max(x for x in range(iv, len(verts)) if cum[x] - cum[iv] <= reach)
    sub = float(cum[m] - cum[j])
    if m <= j or sub <= 0:
        return True
    dist = dijkstra(big, indices=verts[j], limit=sub * (1 + 1e-6) + _TOL)
    return bool(dist[verts[m]] >= sub - 1e-9 * max(sub, 1.0))
