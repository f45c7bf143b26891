"""The door-to-door search: access places chosen inside the search, checked by brute force."""

from __future__ import annotations

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from scipy.sparse.csgraph import dijkstra

import steppe
from steppe.door.access import access_points
from steppe.door.places import Point
from steppe.door.search import Attach, attachments, resolve_end, search
from steppe.errors import ConfigError, UnknownPlaceError
from steppe.network.model import Network
from steppe.routing._build import expanded_graph
from steppe.routing._query import transit_closed
from steppe.routing.options import Objective, RouteOptions
from tests.routing.conftest import corridor_network

CORRIDOR = corridor_network()


def _brute(graph_csr: object, sources: list[Attach], targets: list[Attach]) -> float:
    """Route from each access vertex separately, add the access weights, take the min."""
    best = np.inf
    for a in sources:
        dist = dijkstra(graph_csr, indices=a.vertex)
        for b in targets:
            best = min(best, a.weight + float(dist[b.vertex]) + b.weight)
    return float(best)


@settings(max_examples=40, deadline=None)
@given(
    st.lists(st.tuples(st.integers(0, 10_000), st.floats(0, 50)), min_size=1, max_size=6),
    st.lists(st.tuples(st.integers(0, 10_000), st.floats(0, 50)), min_size=1, max_size=6),
    st.sampled_from(list(Objective)),
)
def test_search_matches_brute_force(
    src: list[tuple[int, float]], dst: list[tuple[int, float]], objective: Objective
) -> None:
    graph = expanded_graph(CORRIDOR, RouteOptions(objective=objective))
    csr = graph.csr(objective)
    n = graph.n_vertices
    sources = list({v % n: Attach(v % n, w) for v, w in src}.values())
    targets = list({v % n: Attach(v % n, w) for v, w in dst}.values())
    found = search(graph, csr, sources, targets)
    expected = _brute(csr[0], sources, targets)
    if not np.isfinite(expected):
        assert found is None
        return
    assert found is not None
    weight, a, edges, b = found
    assert weight == pytest.approx(expected)
    path_weight = a.weight + sum(float(objective.weights(graph)[e]) for e in edges) + b.weight
    assert path_weight == pytest.approx(expected)


@pytest.fixture(scope="module")
def net() -> Network:
    return steppe.load_network()


@pytest.mark.slow
@pytest.mark.parametrize(
    ("origin", "destination"),
    [
        ("Glubokoye", "Khovd"),
        ("46.1,100.7", "Tianjin"),
        ("Khovd", "Glubokoye"),
        ("Glubokoye", "43.3,77.0"),
    ],
)
@pytest.mark.parametrize("objective", ["time", "cost", "generalized"])
def test_real_route_matches_brute_force(
    net: Network, origin: str, destination: str, objective: str
) -> None:
    """The chosen access places beat every other pair of access places."""
    options = RouteOptions(objective=objective)
    result = steppe.route(net, origin, destination, options)
    best = result.best
    ends = [resolve_end(net, origin), resolve_end(net, destination)]
    countries = (ends[0].country, ends[1].country)
    graph = expanded_graph(net, options, transit_closed(net, options, countries))
    csr = graph.csr(options.objective, graph.bilateral_index(frozenset(countries)))
    vot = graph.value_of_time
    ways = [access_points(net, e, options, value_of_time=vot) if isinstance(e, Point) else []
            for e in ends]  # fmt: skip
    sources = attachments(graph, ends[0], options, ways[0], out=True)
    targets = attachments(graph, ends[1], options, ways[1], out=False)
    expected = _brute(csr[0], sources, targets)
    assert options.objective.total(best) == pytest.approx(expected, rel=1e-9)


@pytest.mark.slow
def test_glubokoye_to_khovd_has_a_first_mile_on_the_road_graph(net: Network) -> None:
    route = steppe.route(net, "Glubokoye", "Khovd").best
    first = route.legs[0]
    assert first.kind == "first_mile"
    assert first.mode == "road"
    assert "OpenStreetMap" in first.source and "ODbL" in first.source
    assert first.distance_km > 0 and first.time_h > 0 and first.cost_usd > 0
    assert len(first.geometry) > 2  # drawn along the road graph
    assert all(leg.source for leg in route.legs)
    assert {leg.source for leg in route.legs[1:]} >= {"steppe corridor network"}
    assert route.places[0] == "Glubokoye" and route.places[-1] == "Khovd"
    totals = sum(leg.time_h for leg in route.legs)
    assert route.time_h == pytest.approx(totals)
    assert route.legs[0].to_dict()["source"] == first.source


@pytest.mark.slow
def test_mine_to_tianjin_says_straight_line_estimate(net: Network) -> None:
    result = steppe.route(net, "46.1,100.7", "Tianjin")
    first = result.best.legs[0]
    assert first.kind == "first_mile"
    assert first.source.startswith("estimate: straight line")
    assert "near" in result.origin
    assert result.best.legs[-1].kind != "last_mile"  # Tianjin is a network place


@pytest.mark.slow
def test_refusals(net: Network) -> None:
    with pytest.raises(ConfigError, match="outside the covered region"):
        steppe.route(net, "10,10", "Tianjin")
    with pytest.raises(ConfigError, match="no road within 50 km"):
        steppe.route(net, "42.0,50.5", "Tianjin")
    with pytest.raises(UnknownPlaceError, match="did you mean"):
        steppe.route(net, "Zaysann", "Tianjin")
    with pytest.raises(ConfigError, match="avoid"):
        steppe.route(net, "Glubokoye", "Khovd", avoid=["KAZ"])
    with pytest.raises(ConfigError, match="via"):
        steppe.route(net, "Glubokoye", "Khovd", via=["Almaty"])


@pytest.mark.slow
def test_network_places_unchanged(net: Network) -> None:
    """A route between network places has no door legs and no sources."""
    route = steppe.route(net, "Almaty", "Baku").best
    assert all(leg.kind not in ("first_mile", "last_mile") for leg in route.legs)
    assert all(leg.source == "" for leg in route.legs)
    assert "source" not in route.legs[0].to_dict()


@pytest.mark.slow
def test_cli_route_from_a_point(capsys: pytest.CaptureFixture[str]) -> None:
    import json

    from steppe.cli import main

    with pytest.raises(SystemExit) as ok:
        main(["route", "46.1,100.7", "Tianjin", "--json"])
    assert ok.value.code in (0, None)
    data = json.loads(capsys.readouterr().out)
    legs = data["routes"][0]["legs"]
    assert legs[0]["kind"] == "first_mile" and "source" in legs[0]
    with pytest.raises(SystemExit) as info:
        main(["route", "10,10", "Tianjin"])
    assert info.value.code == 1
    assert "outside the covered region" in capsys.readouterr().err


@pytest.mark.slow
def test_a_scenario_road_serves_a_town(capsys: pytest.CaptureFixture[str]) -> None:
    """With the Oskemen-Ridder-Tuyekta road built, Glubokoye reaches Khovd through Ridder."""
    import json

    from steppe.cli import main

    with pytest.raises(SystemExit) as ok:
        main(["route", "Glubokoye", "Khovd", "--scenario", "oskemen-ridder-tuyekta", "--json"])
    assert ok.value.code in (0, None)
    legs = json.loads(capsys.readouterr().out)["routes"][0]["legs"]
    assert legs[0]["kind"] == "first_mile"
    assert legs[0]["to"] == "Ridder"
