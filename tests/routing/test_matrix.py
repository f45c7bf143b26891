"""OD matrices agree with single routes; outputs."""

from __future__ import annotations

import math

import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings

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
        with_dwell = [leg.ref for leg in best.legs if leg.kind == "border" and leg.time_h > 0]
        ids = [c for c in str(row.border_crossings).split("|") if c]
        assert ids == list(dict.fromkeys(with_dwell)), (row.origin, row.destination)
        assert all(names[i] in best.border_crossings for i in ids)
        checked += bool(ids)
    assert checked >= 3
