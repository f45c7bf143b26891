"""Pareto sets: non-dominated, complete (equal to brute force on small graphs)."""

from __future__ import annotations

import networkx as nx
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steppe.errors import ConfigError, NoRouteError
from steppe.network.model import Network
from steppe.routing import Route, RouteOptions, pareto, route
from steppe.routing._build import expanded_graph
from steppe.routing.pareto import dominates

from .conftest import random_networks


def _vec(r: Route) -> tuple[float, float, float]:
    return (r.time_h, r.cost_usd, r.co2_kg)


def _front(vectors: list[tuple[float, float, float]]) -> list[tuple[float, float, float]]:
    """Return the non-dominated vectors, one per distinct value (brute force)."""
    out: list[tuple[float, float, float]] = []
    for v in sorted(set(vectors)):
        if not any(dominates(u, v) for u in out):
            out = [u for u in out if not dominates(v, u)] + [v]
    return sorted(out)


def _brute_force(network: Network, o: str, d: str) -> list[tuple[float, float, float]]:
    g = expanded_graph(network, RouteOptions())
    mg = nx.MultiDiGraph()
    for e in range(len(g.src)):
        mg.add_edge(int(g.src[e]), int(g.dst[e]), key=e)
    index = {nid: i for i, nid in enumerate(g.node_ids)}
    s, t = int(g.start[index[o]]), int(g.end[index[d]])
    if s not in mg or t not in mg:
        return []
    t_h, c, co2 = g.time_h, g.cost_usd, g.co2_kg
    vectors = []
    for path in nx.all_simple_edge_paths(mg, s, t):
        es = [k for _, _, k in path]
        vectors.append((float(sum(t_h[es])), float(sum(c[es])), float(sum(co2[es]))))
    return _front(vectors)


def _close(a: list[tuple[float, ...]], b: list[tuple[float, ...]]) -> bool:
    return len(a) == len(b) and all(
        x == pytest.approx(y, rel=1e-9, abs=1e-9)
        for u, v in zip(a, b, strict=True)
        for x, y in zip(u, v, strict=True)
    )


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks(max_nodes=6), st.data())
def test_pareto_equals_brute_force(network: Network, data: st.DataObject) -> None:
    ids = [n.id for n in network.nodes]
    o = data.draw(st.sampled_from(ids))
    d = data.draw(st.sampled_from([i for i in ids if i != o]))
    expected = _brute_force(network, o, d)
    if not expected:
        with pytest.raises(NoRouteError):
            pareto(network, o, d)
        return
    got = sorted(_vec(r) for r in pareto(network, o, d).routes)
    assert _close(got, expected)


def test_pareto_front_is_non_dominated_and_contains_single_objective_bests(net: Network) -> None:
    front = pareto(net, "xian", "tbilisi").routes
    vecs = [_vec(r) for r in front]
    for i, u in enumerate(vecs):
        for j, v in enumerate(vecs):
            assert i == j or not dominates(u, v)
    for objective, k in (("time", 0), ("cost", 1), ("co2", 2)):
        best = _vec(route(net, "xian", "tbilisi", optimize=objective).best)[k]
        assert min(v[k] for v in vecs) == pytest.approx(best)
    assert [r.time_h for r in front] == sorted(r.time_h for r in front)


def test_pareto_with_via_and_avoid(net: Network) -> None:
    front = pareto(net, "xian", "tbilisi", via=["baku"]).routes
    assert front and all("baku" in r.nodes for r in front)
    front = pareto(net, "xian", "tbilisi", avoid=["AZE"]).routes
    assert front and all("AZE" not in r.countries for r in front)


def test_pareto_label_bound(net: Network) -> None:
    with pytest.raises(ConfigError, match="max_labels"):
        pareto(net, "xian", "tbilisi", max_labels=3)
