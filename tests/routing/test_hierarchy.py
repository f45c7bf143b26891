"""Shortest-path indexes: the contraction hierarchy and the Dijkstra fallback against
scipy's Dijkstra and NetworkX on random graphs; the order cache on disk."""

from __future__ import annotations

import itertools
from pathlib import Path

import networkx as nx
import numpy as np
import pytest
import scipy.sparse as sp
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra

from steppe.network import load_network
from steppe.network.model import Network
from steppe.routing import RouteOptions, route
from steppe.routing import hierarchy as hi
from steppe.routing._build import build_graph

from .conftest import random_networks

needs_cch = pytest.mark.skipif(not hi.cch_available(), reason="the large extra is not installed")


@st.composite
def graphs(draw: st.DrawFn) -> tuple[sp.csr_matrix, np.ndarray, np.ndarray]:
    """A random directed graph with zero and positive weights and its coordinates."""
    n = draw(st.integers(2, 25))
    pair = st.tuples(st.integers(0, n - 1), st.integers(0, n - 1))
    weight = st.one_of(st.just(0.0), st.floats(0.01, 500))
    arcs = draw(st.dictionaries(pair, weight, max_size=4 * n))
    rows = [u for u, v in arcs if u != v]
    cols = [v for u, v in arcs if u != v]
    data = [w for (u, v), w in arcs.items() if u != v]
    matrix = sp.csr_matrix((np.array(data, float), (rows, cols)), shape=(n, n))  # zeros stored
    lat = np.array([draw(st.floats(40, 50)) for _ in range(n)])
    lon = np.array([draw(st.floats(60, 90)) for _ in range(n)])
    return matrix, lat, lon


def _reference(matrix: sp.csr_matrix) -> np.ndarray:
    g = nx.DiGraph()
    g.add_nodes_from(range(matrix.shape[0]))
    coo = matrix.tocoo()
    g.add_weighted_edges_from(zip(coo.row.tolist(), coo.col.tolist(), coo.data.tolist(),
                                  strict=True))  # fmt: skip
    out = np.full(matrix.shape, np.inf)
    for s, lengths in nx.all_pairs_dijkstra_path_length(g):
        for t, d in lengths.items():
            out[s, t] = d
    return out


def _check_path(matrix: sp.csr_matrix, nodes: list[int], weight: float) -> None:
    total = 0.0
    for u, v in itertools.pairwise(nodes):
        lo, hi_ = matrix.indptr[u], matrix.indptr[u + 1]
        hit = np.flatnonzero(matrix.indices[lo:hi_] == v)
        assert len(hit) == 1, f"{u}->{v} is not an arc"
        total += float(matrix.data[lo + hit[0]])
    assert weight == pytest.approx(total, abs=1e-9)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_dijkstra_fallback_matches_networkx(
    g: tuple[sp.csr_matrix, np.ndarray, np.ndarray],
) -> None:
    matrix, lat, lon = g
    index = hi.path_index(matrix, lat, lon, engine="scipy")
    assert isinstance(index, hi.DijkstraPaths)
    expected = _reference(matrix)
    n = matrix.shape[0]
    got = index.distances(range(n), range(n))
    np.testing.assert_allclose(got, expected, rtol=1e-12)
    found = index.path(0, n - 1)
    if np.isfinite(expected[0, n - 1]):
        assert found is not None
        assert found[1][0] == 0 and found[1][-1] == n - 1
        _check_path(matrix, found[1], found[0])
        assert found[0] == pytest.approx(expected[0, n - 1])
    else:
        assert found is None


@needs_cch
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(graphs())
def test_hierarchy_matches_dijkstra(g: tuple[sp.csr_matrix, np.ndarray, np.ndarray]) -> None:
    matrix, lat, lon = g
    index = hi.path_index(matrix, lat, lon, engine="cch")
    assert isinstance(index, hi.Hierarchy)
    n = matrix.shape[0]
    expected = dijkstra(matrix, indices=list(range(n)))
    tol = n / index.scale  # half a unit of rounding per arc, at most n - 1 arcs
    got = index.distances(range(n), range(n))
    assert np.array_equal(np.isinf(got), np.isinf(expected))
    finite = np.isfinite(expected)
    np.testing.assert_allclose(got[finite], expected[finite], rtol=0, atol=tol)
    for s, t in ((0, n - 1), (n - 1, 0), (0, 0)):
        found = index.path(s, t)
        if not np.isfinite(expected[s, t]):
            assert found is None
            assert index.distance(s, t) == np.inf
            continue
        assert found is not None
        assert found[1][0] == s and found[1][-1] == t
        _check_path(matrix, found[1], found[0])
        assert expected[s, t] <= found[0] + 1e-9  # a real path: never below the optimum
        assert found[0] == pytest.approx(expected[s, t], abs=tol)


@needs_cch
def test_order_is_cached_and_keyed_by_the_graph(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import routingkit_cch as rk

    m = sp.csr_matrix(([1.0, 2.0, 4.0], ([0, 1, 0], [1, 2, 2])), shape=(3, 3))
    lat, lon = np.zeros(3), np.array([0.0, 1.0, 2.0])
    first = hi.Hierarchy(m, lat, lon, cache_dir=tmp_path)
    files = list(tmp_path.glob("cch-order-*.npy"))
    assert len(files) == 1

    def refuse(*_: object) -> list[int]:
        raise AssertionError("the order should come from the cache")

    monkeypatch.setattr(rk, "compute_order_inertial", refuse)
    again = hi.Hierarchy(m, lat, lon, cache_dir=tmp_path)
    assert again.path(0, 2) == first.path(0, 2) == (3.0, [0, 1, 2])
    # new weights, same arcs: the same order file serves (customization is in memory)
    cheaper = sp.csr_matrix(([1.0, 2.0, 2.5], ([0, 1, 0], [1, 2, 2])), shape=(3, 3))
    assert hi.Hierarchy(cheaper, lat, lon, cache_dir=tmp_path).path(0, 2) == (2.5, [0, 2])
    monkeypatch.undo()
    # another arc (a changed network or scenario): another file
    more = sp.csr_matrix(([1.0, 2.0, 4.0, 1.0], ([0, 1, 0, 2], [1, 2, 2, 0])), shape=(3, 3))
    hi.Hierarchy(more, lat, lon, cache_dir=tmp_path)
    assert len(list(tmp_path.glob("cch-order-*.npy"))) == 2
    # a damaged file is recomputed, not trusted
    files[0].write_bytes(b"not an array")
    assert hi.Hierarchy(m, lat, lon, cache_dir=tmp_path).path(0, 2) == (3.0, [0, 1, 2])
    assert np.array_equal(np.sort(np.load(files[0])), np.arange(3))


def test_engine_cch_without_the_extra_names_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(hi, "cch_available", lambda: False)
    m = sp.csr_matrix(([1.0], ([0], [1])), shape=(2, 2))
    with pytest.raises(ImportError, match=r"steppe\[large\]"):
        hi.path_index(m, [0, 0], [0, 1], engine="cch")
    assert isinstance(hi.path_index(m, [0, 0], [0, 1]), hi.DijkstraPaths)


@pytest.mark.parametrize("engine", ["scipy", pytest.param("cch", marks=needs_cch)])
def test_expanded_graph_index_gives_route_times(engine: str) -> None:
    net = load_network()
    graph = build_graph(net, RouteOptions())
    index = graph.path_index("time", engine=engine)
    ids = graph.node_ids
    for a, b in (("almaty", "ulaanbaatar"), ("oskemen", "khovd"), ("tianjin", "duisburg")):
        i, j = ids.index(a), ids.index(b)
        found = index.path(int(graph.start[i]), int(graph.end[j]))
        assert found is not None
        assert found[0] == pytest.approx(route(net, a, b, optimize="time").best.time_h, rel=1e-6)


@needs_cch
@pytest.mark.parametrize("objective", ["time", "cost", "generalized"])
def test_graph_hierarchy_routes_and_tables_match_dijkstra(objective: str) -> None:
    net = load_network()
    graph = build_graph(net, RouteOptions(avoid=["RUS"]))
    h = graph.hierarchy(objective)
    assert graph.hierarchy(objective) is h  # kept with the graph
    assert len(h.a_of) < graph.n_vertices / 2  # S and T left out, most A and D merged
    matrix, _ = graph.csr(objective)
    rng = np.random.default_rng(3)
    nodes = rng.choice(len(graph.node_ids), 30, replace=False)
    origins, destinations = nodes[:15].tolist(), nodes[15:].tolist()
    expected = dijkstra(matrix, indices=graph.start[origins])[:, graph.end[destinations]]
    table = h.distances(origins, destinations)
    finite = np.isfinite(expected)
    assert np.array_equal(np.isfinite(table), finite)
    tol = graph.n_vertices / h.scale
    np.testing.assert_allclose(table[finite], expected[finite], rtol=0, atol=tol)
    for i, a in enumerate(origins):
        for j, b in enumerate(destinations):
            found = h.route(a, b)
            if not finite[i, j]:
                assert found is None
                continue
            assert found is not None
            weight, path = found
            assert path[0] == graph.start[a] and path[-1] == graph.end[b]
            _check_path(matrix, path, weight)
            assert weight == pytest.approx(expected[i, j], rel=1e-9)


@needs_cch
@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(net=random_networks())
def test_graph_hierarchy_matches_dijkstra_on_random_networks(net: Network) -> None:
    graph = build_graph(net, RouteOptions())
    h = graph.hierarchy("time")
    matrix, _ = graph.csr("time")
    n = len(graph.node_ids)
    expected = dijkstra(matrix, indices=graph.start)[:, graph.end]
    table = h.distances(range(n), range(n))
    for i in range(n):
        for j in range(n):
            found = h.route(i, j)
            if i == j:  # a trip needs two places
                assert found is None and table[i, j] == np.inf
                continue
            if not np.isfinite(expected[i, j]):
                assert found is None and table[i, j] == np.inf
                continue
            assert found is not None
            _check_path(matrix, found[1], found[0])
            assert found[0] == pytest.approx(expected[i, j], rel=1e-9)
            assert table[i, j] == pytest.approx(expected[i, j], abs=n * 8 / h.scale)
