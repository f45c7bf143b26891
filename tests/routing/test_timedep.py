"""Dated routing: FIFO earliest arrival, closures that make a route wait or go another way."""

from __future__ import annotations

import math
from datetime import datetime, timedelta

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steppe.errors import ConfigError
from steppe.network import Network, load_network
from steppe.routing import RouteOptions, matrix, pareto, reliability, route
from steppe.routing._clock import parse_depart
from steppe.routing._query import prepare
from steppe.routing.dated import dated_route, retime
from steppe.routing.timedep import dated_trees
from tests.routing.conftest import corridor_network


@pytest.fixture(scope="module")
def eurasia() -> Network:
    return load_network()


def test_naadam_closes_tsagaannuur_and_the_route_says_why(eurasia: Network) -> None:
    result = route(eurasia, "Oskemen", "Olgii", optimize="time", depart="2025-07-09")
    assert result.depart == "2025-07-09T00:00"
    assert any("Tsagaannuur / Tashanta closed for Naadam until 2025-07-18" in n
               for n in result.notes)  # fmt: skip
    best = result.best
    through = "tsagaannuur" in best.nodes
    waited = [leg for leg in best.legs if "closed for Naadam" in leg.note]
    assert (through and waited) or (not through and "goes another way" in result.notes[0])
    assert best.arrive >= "2025-07-18"
    undated = route(eurasia, "Oskemen", "Olgii", optimize="time").best
    assert best.time_h > undated.time_h + 24 * 5  # Naadam costs days
    after = route(eurasia, "Oskemen", "Olgii", optimize="time", depart="2025-08-09")
    assert "tsagaannuur" in after.best.nodes and not after.notes


def test_dated_legs_add_up_and_carry_their_start(eurasia: Network) -> None:
    best = route(eurasia, "Tianjin", "Ulaanbaatar", modes="rail", depart="2025-02-01").best
    assert math.isclose(best.time_h, sum(leg.time_h for leg in best.legs), rel_tol=1e-9)
    starts = [leg.start for leg in best.legs]
    assert starts == sorted(starts) and starts[0] == "2025-02-01T00:00"
    port = best.legs[0]
    assert port.kind == "wait" and "port dwell at Tianjin" in port.note
    data = best.to_dict()
    assert data["depart"] == "2025-02-01T00:00" and data["legs"][0]["note"]
    assert "depart" not in route(eurasia, "Tianjin", "Ulaanbaatar", modes="rail").best.to_dict()


def test_without_waits_the_dated_search_is_the_static_one() -> None:
    net = corridor_network()  # no calendars, no capacities
    for objective in ("time", "cost", "generalized"):
        static = route(net, "Xian", "Tbilisi", optimize=objective).best
        dated = route(net, "Xian", "Tbilisi", optimize=objective, depart="2025-03-01").best
        assert dated.link_ids == static.link_ids
        assert dated.time_h == pytest.approx(static.time_h)


@settings(max_examples=12, deadline=None)
@given(
    st.sampled_from([("oskemen", "olgii"), ("xian", "constanta"), ("tianjin", "ulaanbaatar"),
                     ("almaty", "urumqi"), ("aktau", "baku")]),
    st.integers(0, 364),
    st.floats(0, 400),
)  # fmt: skip
def test_leaving_later_never_arrives_earlier(pair: tuple[str, str], day: int, later: float) -> None:
    """FIFO: the earliest arrival is non-decreasing in the departure time."""
    net = load_network()
    query = prepare(net, pair[0], pair[1], RouteOptions(objective="time"))
    graph = query.graph(net)
    t0 = datetime(2025, 1, 1) + timedelta(days=day)
    first = dated_route(graph, query.stops, t0, objective="time", pair=query.pair(graph))
    second = dated_route(graph, query.stops, t0 + timedelta(hours=later), objective="time",
                         pair=query.pair(graph))  # fmt: skip
    assert first is not None and second is not None
    assert first.arrive <= second.arrive


def test_dated_search_is_earliest_among_the_timed_alternatives(eurasia: Network) -> None:
    result = route(eurasia, "Almaty", "Baku", optimize="time", alternatives=3,
                   depart="2025-01-20")  # fmt: skip
    best = result.routes[0]
    assert all(best.arrive <= r.arrive for r in result.routes)


def test_dated_matrix_matches_dated_routes(eurasia: Network) -> None:
    places = ["Oskemen", "Almaty", "Ulaanbaatar"]
    m = matrix(eurasia, places, ["Olgii", "Urumqi"], optimize="time", depart="2025-07-12")
    assert m.depart == "2025-07-12T00:00" and set(m.table["depart"]) == {"2025-07-12T00:00"}
    row = m.table[(m.table.origin == "oskemen") & (m.table.destination == "olgii")].iloc[0]
    one = route(eurasia, "Oskemen", "Olgii", optimize="time", depart="2025-07-12").best
    assert row.time_h == pytest.approx(one.time_h, rel=1e-9)
    undated = matrix(eurasia, places, ["Olgii", "Urumqi"], optimize="time")
    assert "depart" not in undated.table.columns


def test_dated_trees_reach_what_the_static_search_reaches(eurasia: Network) -> None:
    query = prepare(eurasia, "almaty", "baku", RouteOptions(objective="time"))
    graph = query.graph(eurasia)
    src = [int(graph.start[graph.node_ids.index("almaty")])]
    pred, edge, elapsed = dated_trees(graph, src, datetime(2025, 5, 1), objective="time", pair=-1)
    from scipy.sparse.csgraph import dijkstra

    static = dijkstra(graph.csr("time", -1)[0], indices=src[0])
    reached = np.isfinite(elapsed[0])
    assert np.array_equal(reached, np.isfinite(static))
    assert np.all(edge[0][pred[0] >= 0] >= 0)


def test_pareto_and_reliability_are_dated(eurasia: Network) -> None:
    front = pareto(eurasia, "Almaty", "Baku", depart="2025-01-15")
    assert front.depart == "2025-01-15T00:00"
    assert all(r.depart == "2025-01-15T00:00" for r in front.routes)
    rel = reliability(eurasia, front.routes[0], within_days=30)
    assert rel.depart == "2025-01-15T00:00" and rel.to_dict()["depart"] == rel.depart


def test_middle_corridor_on_time_probability_is_below_certainty(eurasia: Network) -> None:
    """TITR guidance: 31-34 days from Xi'an to Constanta (tests/data/routing/calibration.csv)."""
    best = route(eurasia, "xian", "constanta", modes="rail,ferry", avoid="RUS,TUR",
                 optimize="time").best  # fmt: skip
    rel = reliability(eurasia, best, within_days=34, draws=2000)
    assert rel.prob_within is not None and 0.0 < rel.prob_within < 1.0


def test_dated_reliability_centres_on_the_dated_route(eurasia: Network) -> None:
    best = route(eurasia, "Oskemen", "Olgii", optimize="time", depart="2025-07-14").best
    rel = reliability(eurasia, best, draws=400)
    assert rel.median_h == pytest.approx(best.time_h, rel=0.03)


@pytest.mark.parametrize("bad", ["2025-13-01", "July 10", "10/07/2025", "1900-01-01"])
def test_unreadable_dates_are_config_errors(eurasia: Network, bad: str) -> None:
    with pytest.raises(ConfigError, match=r"^depart: "):
        route(eurasia, "Almaty", "Baku", depart=bad)


def test_almaty_urumqi_by_road_crosses_at_nur_zholy_khorgos(eurasia: Network) -> None:
    # the CPMM figures by direction (KAZ and PRC tables) and the Khorgos 51.4 h of Chinese
    # exports, which applies to trucks leaving China, decide it; no figure was set for it
    for optimize in ("time", "generalized"):
        best = route(eurasia, "Almaty", "Urumqi", modes="road", optimize=optimize).best
        assert best.border_crossings == ("Nur Zholy / Khorgos (road)",), optimize
        assert "nur_zholy" in best.nodes and "kalzhat" not in best.nodes
    khorgos = next(b for b in eurasia.borders if b.id == "nur_zholy-khorgos")
    road = {d.forward: d.median_h for d in khorgos.dwell if d.mode.value == "road"}
    assert road[False] > road[True] * 5  # China -> Kazakhstan is the slow side at Khorgos


def test_kazakh_independence_day_closes_the_road_posts_and_the_route_waits(
    eurasia: Network,
) -> None:
    result = route(eurasia, "Almaty", "Urumqi", modes="road", optimize="time",
                   depart="2025-12-15T12:00")  # fmt: skip
    best = result.best
    waits = [leg for leg in best.legs if "closed for Kazakhstan's Independence Day" in leg.note]
    assert waits and "until 2025-12-18" in waits[0].note
    assert any("the route waits" in n for n in result.notes)
    ordinary = route(eurasia, "Almaty", "Urumqi", modes="road", optimize="time",
                     depart="2025-12-08T12:00").best  # fmt: skip
    assert best.time_h > ordinary.time_h + 24


def test_ereentsav_opens_only_by_day_during_naadam_2020(eurasia: Network) -> None:
    from steppe.routing._clock import from_hours, to_hours
    from steppe.routing.waits import time_model

    wait = time_model(eurasia)[("border", "ereentsav-solovyevsk", "road", True)]
    evening = to_hours(datetime(2020, 7, 12, 18, 0))
    assert f"{from_hours(wait.exit(evening)[0] - wait.fixed_mean_h):%H:%M}" == "08:00"
    noon = to_hours(datetime(2020, 7, 12, 12, 0))
    assert wait.exit_time(noon) == pytest.approx(noon + wait.fixed_mean_h)
    assert wait.exit_time(to_hours(datetime(2020, 7, 20, 22, 0))) == pytest.approx(
        to_hours(datetime(2020, 7, 20, 22, 0)) + wait.fixed_mean_h
    )


@settings(max_examples=8, deadline=None)
@given(
    st.sampled_from([("Oskemen", "Olgii"), ("Almaty", "Urumqi"), ("Almaty", "Baku")]),
    st.sampled_from(["2025-07-09", "2025-07-13", "2025-12-15T12:00", "2025-10-01", "2025-02-03"]),
)  # fmt: skip
def test_dated_pareto_is_exact(pair: tuple[str, str], depart: str) -> None:
    """The dated front holds the earliest arrival and weakly dominates every timed path.

    References: the time-dependent earliest-arrival search, and the undated front's routes
    timed for the date (any path must be matched or beaten by a route of an exact front).
    """
    net = load_network()
    front = pareto(net, *pair, depart=depart)
    fastest = route(net, *pair, optimize="time", depart=depart).best
    assert front.routes[0].time_h == pytest.approx(fastest.time_h, rel=1e-9)
    vec = [(r.time_h, r.cost_usd, r.co2_kg) for r in front.routes]

    def beats(b: tuple[float, ...], a: tuple[float, ...]) -> bool:
        return all(x <= y * (1 + 1e-9) + 1e-9 for x, y in zip(b, a, strict=True))

    for i, a in enumerate(vec):  # no route of the front is beaten by another on all three
        assert not any(j != i and beats(b, a) and not beats(a, b) for j, b in enumerate(vec))
    old = pareto(net, *pair)  # the undated front, timed leg by leg for the date
    for r in old.routes:
        when = parse_depart(depart)
        assert when is not None
        timed = retime(net, r, when)
        t = (timed.time_h, timed.cost_usd, timed.co2_kg)
        assert any(beats(b, t) for b in vec)
