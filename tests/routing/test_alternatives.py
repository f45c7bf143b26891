"""Alternative routes by the via-node method: the embedded-network case and properties."""

from __future__ import annotations

import itertools
import math

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steppe.errors import NoRouteError
from steppe.network.io import load_network
from steppe.network.model import Network
from steppe.routing import RouteOptions, route
from steppe.routing._alternatives import (
    MAX_SHARED,
    MAX_STRETCH,
    meaningfully_different,
    shared_fraction,
)
from steppe.routing._assemble import assemble_route
from steppe.routing._query import prepare, stage_search
from steppe.routing.result import Route

from ._penalty import penalty_alternatives
from .conftest import COUNTRIES, random_networks

SETTINGS = settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])


@pytest.fixture(scope="module")
def embedded() -> Network:
    return load_network()


def _valid(r: Route, network: Network, avoid: frozenset[str] = frozenset()) -> None:
    for attr in ("time_h", "cost_usd", "co2_kg", "distance_km"):
        total = sum(getattr(leg, attr) for leg in r.legs)
        assert math.isclose(getattr(r, attr), total, rel_tol=1e-9, abs_tol=1e-9)
    moving = [leg for leg in r.legs if leg.kind == "link"]
    for a, b in itertools.pairwise(moving):
        assert a.to_id == b.from_id  # legs join up
    assert not avoid & set(r.countries)
    assert all(network.nodes_by_id[n].country not in avoid for n in r.nodes)


def test_ub_duisburg_avoiding_russia_offers_the_middle_corridor(embedded: Network) -> None:
    # Five, not three: since issue 14 the Caspian ferries wait for a ship that sails when
    # loaded (a fitted wait of about 4 days), and since issue 15 sea routes through
    # Tianjin to Antwerp, Rotterdam, Hamburg and Gdansk (each a different country
    # sequence) rank before the Middle Corridor by generalized cost.
    result = route(embedded, "Ulaanbaatar", "Duisburg", avoid=["Russia"], alternatives=5)
    assert len(result.routes) == 5
    middle = [r for r in result.routes if {"KAZ", "AZE", "GEO"} <= set(r.countries)]
    # At least one: with dated tariffs (issue 13) and sea lanes from Poti (issue 15) the
    # Middle Corridor comes twice, ending by sea at Rotterdam and at Antwerp; they are
    # distinct alternatives (different countries), which the last assertion checks.
    assert len(middle) >= 1
    best = result.routes[0].generalized_cost
    assert all(best < m.generalized_cost <= MAX_STRETCH * best for m in middle)
    assert len({m.countries for m in middle}) == len(middle)
    costs = [r.generalized_cost for r in result.routes]
    assert costs == sorted(costs)
    for a, b in itertools.combinations(result.routes, 2):
        assert meaningfully_different(a, b)
    for r in result.routes:
        _valid(r, embedded, frozenset({"RUS"}))


def test_k1_equals_the_shortest_route(embedded: Network) -> None:
    one = route(embedded, "Ulaanbaatar", "Duisburg", avoid=["RUS"]).best
    three = route(embedded, "Ulaanbaatar", "Duisburg", avoid=["RUS"], alternatives=3)
    assert three.routes[0] == one


def test_alternatives_pass_through_via_places_in_order(net: Network) -> None:
    result = route(net, "xian", "tbilisi", via=["almaty"], alternatives=3)
    assert [r.corridor for r in result.routes] == [
        "via Dostyk – Aktau – Baku",
        "via Dostyk – Kurgan",
    ]
    for r in result.routes:
        assert r.nodes.index("dostyk") < r.nodes.index("almaty")
        _valid(r, net)
    for a, b in itertools.combinations(result.routes, 2):
        assert meaningfully_different(a, b)


def _both_methods(
    network: Network, o: str, d: str, k: int, avoid: tuple[str, ...]
) -> tuple[list[Route], list[Route]] | None:
    query = prepare(network, o, d, RouteOptions(avoid=avoid))
    graph = query.graph(network)
    pair = query.pair(graph)
    found = stage_search(graph, query.stops, graph.csr(query.objective, pair))
    if found is None:
        return None
    best = assemble_route(graph, found[1])
    penalty = penalty_alternatives(graph, query, pair, best, k, accept=meaningfully_different)
    try:
        via = route(network, o, d, avoid=avoid, alternatives=k).routes
    except NoRouteError:  # pragma: no cover - found above
        raise
    return list(via), penalty


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(random_networks(), st.data(), st.integers(2, 4))
def test_alternatives_are_valid_distinct_and_no_worse_than_penalty(
    network: Network, data: st.DataObject, k: int
) -> None:
    avoid = data.draw(st.sampled_from([(), *((c,) for c in COUNTRIES)]))
    allowed = [n.id for n in network.nodes if n.country not in avoid]
    if len(allowed) < 2:
        return
    o = data.draw(st.sampled_from(allowed))
    d = data.draw(st.sampled_from([i for i in allowed if i != o]))
    both = _both_methods(network, o, d, k, avoid)
    if both is None:
        return
    via, penalty = both
    assert 1 <= len(via) <= k
    assert via[0] == route(network, o, d, avoid=avoid).best
    for r in via:
        _valid(r, network, frozenset(avoid))
        assert r.generalized_cost <= MAX_STRETCH * via[0].generalized_cost * (1 + 1e-9)
    for a, b in itertools.combinations(via, 2):
        assert meaningfully_different(a, b)
        assert shared_fraction(a, b) < MAX_SHARED
    # the k-th via-node route is no worse than the k-th route of the penalty method
    # under the same definition of "meaningfully different", where both exist
    for a, b in zip(via, penalty, strict=False):
        assert a.generalized_cost <= b.generalized_cost * (1 + 1e-9) + 1e-9


def test_definition_rejects_the_same_corridor_through_another_port(embedded: Network) -> None:
    # Tianjin-Rotterdam and Shanghai-Rotterdam cross the same countries and borders
    a = route(embedded, "Ulaanbaatar", "Duisburg", avoid=["RUS"]).best
    b = route(embedded, "Ulaanbaatar", "Duisburg", via=["Shanghai"], avoid=["RUS"]).best
    assert a.countries == b.countries and shared_fraction(a, b) < MAX_SHARED
    assert not meaningfully_different(a, b)
    assert not meaningfully_different(a, a)


def test_domestic_routes_differ_by_distance_shared(net: Network) -> None:
    r = route(net, "almaty", "aktau", alternatives=3)
    assert r.routes[0].countries == ("KAZ",)
    for a, b in itertools.combinations(r.routes, 2):
        assert meaningfully_different(a, b)
