"""Corridor labels: dwell crossings, gauge changes and ports, capped."""

from __future__ import annotations

import pytest

from steppe.network.io import load_network
from steppe.network.model import Network
from steppe.routing import route
from steppe.routing.corridor import MAX_LABEL_PLACES
from steppe.routing.result import Route


@pytest.fixture(scope="module")
def embedded() -> Network:
    return load_network()


def _named(r: Route) -> list[str]:
    return r.corridor.removeprefix("via ").split(" – ")


def _ports(r: Route) -> list[str]:
    names = [(leg.from_name, leg.to_name) for leg in r.legs if leg.mode in ("ferry", "sea")]
    return [n for pair in names for n in pair]


def test_zero_dwell_crossings_are_not_named(net: Network) -> None:
    r = route(net, "xian", "tbilisi", optimize="cost").best
    # Baku/Tbilisi has zero dwell in the test network; Alashankou/Dostyk has 30 h
    assert "Baku / Tbilisi" in r.border_crossings
    assert r.corridor == "via Dostyk – Aktau – Baku"


def test_middle_corridor_label_is_capped_and_keeps_ports(embedded: Network) -> None:
    # alternatives=4 since issue 14 (see test_alternatives): the Middle Corridor ranks fourth
    result = route(embedded, "Ulaanbaatar", "Duisburg", avoid=["RUS"], alternatives=4)
    middle = next(r for r in result.routes if "AZE" in r.countries)
    assert len(middle.border_crossings) > MAX_LABEL_PLACES  # the label has to choose
    named = _named(middle)
    assert len(named) == MAX_LABEL_PLACES
    assert set(_ports(middle)) <= set(named)  # the Caspian ferry ports
    dwell = {leg.to_name: leg.time_h for leg in middle.legs if leg.kind == "border"}
    gauge = {
        leg.from_name: leg.time_h
        for leg in middle.legs
        if leg.kind == "transfer" and leg.ref.count("rail:") == 2
    }
    assert all(dwell[n] > 0 for n in named if n in dwell and n not in gauge)
    weight = {n: max(dwell.get(n, 0.0), gauge.get(n, 0.0)) for n in {*dwell, *gauge}}
    left_out = [w for n, w in weight.items() if n not in named and w > 0]
    kept = [weight[n] for n in named if n in weight]
    assert left_out and max(left_out) <= min(kept)  # the largest dwell is what is named


@pytest.mark.parametrize(
    ("origin", "destination"),
    [
        ("Ulaanbaatar", "Duisburg"),
        ("Xian", "Istanbul"),
        ("Almaty", "Hamburg"),
        ("Tashkent", "Baku"),
    ],
)
def test_labels_name_route_places_in_order_with_every_port(
    embedded: Network, origin: str, destination: str
) -> None:
    for r in route(embedded, origin, destination, alternatives=3).routes:
        named = _named(r)
        ports = set(_ports(r))
        assert len(named) <= max(MAX_LABEL_PLACES, len(ports))
        assert ports <= set(named)
        positions = [r.places.index(n) for n in named]
        assert positions == sorted(positions)
