"""What the expanded graph allows: borders, regimes, gauges, statuses, closed transit."""

from __future__ import annotations

import dataclasses

import pytest

from steppe.errors import ConfigError, NoRouteError
from steppe.network.model import BorderRegime, LinkStatus, Mode, Network
from steppe.routing import route


def _with_border(net: Network, **changes: object) -> Network:
    borders = tuple(
        dataclasses.replace(b, **changes) if b.id == "alashankou-dostyk" else b  # type: ignore[arg-type]
        for b in net.borders
    )
    return net.replace(borders=borders)


def test_closed_border_cannot_be_crossed(net: Network) -> None:
    closed = _with_border(net, regime=BorderRegime.CLOSED)
    with pytest.raises(NoRouteError):
        route(closed, "xian", "almaty")


def test_bilateral_border_only_for_its_two_countries(net: Network) -> None:
    bilateral = _with_border(net, regime=BorderRegime.BILATERAL)
    assert route(bilateral, "xian", "almaty").best.countries == ("CHN", "KAZ")
    with pytest.raises(NoRouteError):
        route(bilateral, "xian", "tbilisi")


def test_a_mode_without_dwell_cannot_cross(net: Network) -> None:
    rail_only = _with_border(
        net, dwell=tuple(d for d in net.borders[0].dwell if d.mode is Mode.RAIL)
    )
    r = route(rail_only, "xian", "almaty", modes="road,rail").best
    assert all(leg.mode == "rail" for leg in r.legs if leg.from_id == "alashankou")
    with pytest.raises(NoRouteError, match="using only road"):
        route(rail_only, "xian", "almaty", modes="road")


def test_gauge_break_needs_a_transfer(net: Network) -> None:
    no_gauge_change = net.replace(
        transfers=tuple(
            t for t in net.transfers if not (t.node == "dostyk" and t.from_mode is t.to_mode)
        )
    )
    with pytest.raises(NoRouteError):
        route(no_gauge_change, "xian", "almaty", modes="rail")
    r = route(net, "xian", "almaty", modes="rail").best
    gauge = [leg for leg in r.legs if leg.kind == "transfer"]
    assert len(gauge) == 1 and gauge[0].ref == "dostyk:rail:1435>rail:1520"


def test_under_repair_is_usable_and_closed_is_not(net: Network) -> None:
    def set_status(status: LinkStatus) -> Network:
        return net.replace(
            links=tuple(
                dataclasses.replace(lk, status=status) if lk.id == "almaty-ridder-road" else lk
                for lk in net.links
            )
        )

    assert route(set_status(LinkStatus.UNDER_REPAIR), "almaty", "ridder").best.distance_km == 1100
    with pytest.raises(NoRouteError):
        route(set_status(LinkStatus.CLOSED), "almaty", "ridder")


def test_closed_transit_country(net: Network) -> None:
    closed = net.replace(closed_transit=("RUS",))
    assert "RUS" not in route(closed, "xian", "tbilisi", optimize="time").best.countries
    assert route(closed, "almaty", "moscow").best.countries[-1] == "RUS"
    with pytest.raises(NoRouteError, match="closed to transit"):
        route(closed, "xian", "tbilisi", modes="road,rail")
    with pytest.raises(ConfigError, match="closed to transit"):
        route(closed, "xian", "tbilisi", via=["moscow"])
