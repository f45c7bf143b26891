"""OD matrices agree with single routes; outputs."""

from __future__ import annotations

import itertools
import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steppe.errors import ConfigError, NoRouteError
from steppe.network.model import Network
from steppe.routing import matrix, route

from .conftest import random_networks


@pytest.mark.parametrize("objective", ["time", "cost", "co2", "distance", "generalized"])
def test_matrix_equals_single_routes(net: Network, objective: str) -> None:
    m = matrix(net, optimize=objective)
    assert len(m.table) == 7 * 6
    for row in m.table.itertuples():
        try:
            r = route(net, row.origin, row.destination, optimize=objective).best
        except NoRouteError:
            assert math.isnan(row.time_h) and row.corridor == ""
            continue
        for metric in ("time_h", "cost_usd", "co2_kg", "distance_km", "generalized_cost"):
            assert getattr(row, metric) == pytest.approx(getattr(r, metric), rel=1e-9)
        if r.corridor.startswith("via") and row.corridor:
            assert row.corridor == r.corridor


@pytest.mark.slow
@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks())
def test_matrix_equals_routes_on_random_networks(network: Network) -> None:
    m = matrix(network, [n.id for n in network.nodes], optimize="time")
    for row in m.table.itertuples():
        try:
            expected = route(network, row.origin, row.destination, optimize="time").best.time_h
        except NoRouteError:
            assert math.isnan(row.time_h)
            continue
        assert row.time_h == pytest.approx(expected, rel=1e-9, abs=1e-9)


def test_wide_csv_and_parquet(net: Network, tmp_path) -> None:  # type: ignore[no-untyped-def]
    m = matrix(net, ["xian", "almaty"], ["Tbilisi", "baku"])
    wide = m.wide("cost_usd")
    assert wide.shape == (2, 2)
    back = pd.read_csv(tmp_path / "m.csv") if m.to_csv(tmp_path / "m.csv") else None
    assert back is not None and list(back["origin"]) == list(m.table["origin"])
    m.to_parquet(tmp_path / "m.parquet")
    assert pd.read_parquet(tmp_path / "m.parquet").shape == m.table.shape
    with pytest.raises(ConfigError, match="unknown metric"):
        m.wide("speed")


def test_matrix_rejects_avoided_places(net: Network) -> None:
    with pytest.raises(ConfigError, match="Moscow is in RUS"):
        matrix(net, ["moscow"], avoid=["RUS"])
    m = matrix(net, avoid=["RUS"])
    assert "moscow" not in set(m.table["origin"]) | set(m.table["destination"])


def test_border_crossings_match_the_single_route() -> None:
    """The matrix lists, in order, the crossings with dwell that the route itself passes."""
    import steppe

    net = steppe.load_network()
    names = {b.id: b.name for b in net.borders}
    table = matrix(net, ["Almaty", "Ulaanbaatar", "Xian"], ["Duisburg", "Baku"]).table
    checked = 0
    for row in table.itertuples():
        best = route(net, row.origin, row.destination, optimize="time").best
        # since issue 15 a ship landing in another country passes a port-customs border
        # leg; the matrix's corridor labels name the ports, not those steps, so the
        # column lists the land crossings
        with_dwell = [
            leg.ref
            for leg in best.legs
            if leg.kind == "border" and leg.time_h > 0 and leg.mode not in ("ferry", "sea")
        ]
        ids = [c for c in str(row.border_crossings).split("|") if c]
        assert ids == list(dict.fromkeys(with_dwell)), (row.origin, row.destination)
        assert all(names[i] in best.border_crossings for i in ids)
        checked += bool(ids)
    assert checked >= 3


def test_key_edges_agree_with_edge_key_places(net: Network) -> None:
    """The vectorised corridor-edge mask equals the per-edge definition it replaces."""
    import steppe
    from steppe.routing import RouteOptions
    from steppe.routing._build import expanded_graph
    from steppe.routing.corridor import edge_key_places
    from steppe.routing.matrix import key_edges

    for network in (net, steppe.load_network()):
        g = expanded_graph(network, RouteOptions())
        expected = [bool(edge_key_places(g, e)) for e in range(len(g.src))]
        assert key_edges(g).tolist() == expected


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks())
def test_fast_matrix_equals_route_per_pair_on_random_networks(network: Network) -> None:
    """Every metric and the corridor of the vectorised matrix equal one route() per pair."""
    m = matrix(network, [n.id for n in network.nodes], optimize="cost")
    for row in m.table.itertuples():
        try:
            best = route(network, str(row.origin), str(row.destination), optimize="cost").best
        except NoRouteError:
            assert math.isnan(float(row.cost_usd)) and math.isnan(float(row.distance_km))
            continue
        for metric in ("time_h", "cost_usd", "co2_kg", "distance_km", "generalized_cost"):
            assert getattr(row, metric) == pytest.approx(getattr(best, metric), rel=1e-9, abs=1e-9)
        if best.corridor.startswith("via") and row.corridor:
            assert row.corridor == best.corridor


@pytest.mark.slow
def test_fast_matrix_equals_route_per_pair_on_the_embedded_network() -> None:
    """A sample of the all-places matrix, every metric, against one route() per pair."""
    import steppe

    net = steppe.load_network()
    table = matrix(net).table
    sample = table.iloc[:: max(len(table) // 150, 1)]
    for row in sample.itertuples():
        try:
            best = route(net, str(row.origin), str(row.destination), optimize="time").best
        except NoRouteError:
            assert math.isnan(float(row.time_h)) and row.corridor == ""
            continue
        for metric in ("time_h", "cost_usd", "co2_kg", "distance_km", "generalized_cost"):
            assert getattr(row, metric) == pytest.approx(getattr(best, metric), rel=1e-9)
        # corridors and crossings may differ by an equal-time tie (e.g. Brest's two posts);
        # test_border_crossings_match_the_single_route checks them where there is none


def _reference_row(network: Network, origin: str, destination: str, objective: str) -> list[float]:
    """Every metric of the best path by a plain per-pair scipy Dijkstra and a walk back."""
    import numpy as np
    from scipy.sparse.csgraph import dijkstra

    from steppe.routing import RouteOptions
    from steppe.routing._build import expanded_graph
    from steppe.routing._query import transit_closed

    opts = RouteOptions(objective=objective)
    nodes = network.nodes_by_id
    ends = frozenset(nodes[x].country for x in (origin, destination))
    g = expanded_graph(network, opts, transit_closed(network, opts, ends))
    pair = g.bilateral_index(ends)
    weights = g.weights(objective)
    usable = (g.bilateral < 0) | (g.bilateral == pair)
    matrix_, _ = g.csr(objective, pair)
    index = {nid: i for i, nid in enumerate(g.node_ids)}
    s, t = int(g.start[index[origin]]), int(g.end[index[destination]])
    _, pred = dijkstra(matrix_, indices=s, return_predecessors=True)
    if pred[t] < 0:
        return [math.nan] * 5
    path = [t]
    while path[-1] != s:
        path.append(int(pred[path[-1]]))
    path.reverse()
    totals = [0.0] * 4
    columns = (g.time_h, g.cost_usd, g.co2_kg, g.distance_km)
    for u, v in itertools.pairwise(path):
        # the cheapest usable parallel edge, the lowest index on ties (as the CSR keeps)
        cand = np.flatnonzero((g.src == u) & (g.dst == v) & usable)
        e = int(cand[np.lexsort((cand, weights[cand]))[0]])
        totals = [x + float(c[e]) for x, c in zip(totals, columns, strict=True)]
    return [*totals, totals[1] + g.value_of_time * totals[0]]


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks(), st.sampled_from(["time", "cost", "co2", "distance", "generalized"]))
def test_fast_matrix_equals_a_plain_dijkstra_per_pair(network: Network, objective: str) -> None:
    """The tree-pass matrix equals a per-pair scipy Dijkstra summed along its own path."""
    m = matrix(network, [n.id for n in network.nodes], optimize=objective)
    metrics = ("time_h", "cost_usd", "co2_kg", "distance_km", "generalized_cost")
    for row in m.table.itertuples():
        expected = _reference_row(network, str(row.origin), str(row.destination), objective)
        for metric, want in zip(metrics, expected, strict=True):
            got = float(getattr(row, metric))
            if math.isnan(want):
                assert math.isnan(got)
            else:
                assert got == pytest.approx(want, rel=1e-12, abs=1e-12)
