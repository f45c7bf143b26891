"""Comparison: monotonicity properties, usage shares, demand weights and JSON."""

from __future__ import annotations

import io
import json
from collections.abc import Callable

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steppe.errors import ScenarioError
from steppe.network import Network
from steppe.routing import RouteOptions
from steppe.scenarios import Scenario, apply_scenario
from steppe.scenarios.compare import compare, read_demand

Make = Callable[[str], Scenario]


def _close_link(link_id: str) -> str:
    return f'[[edits]]\ntype = "change_link"\nid = "{link_id}"\nstatus = "closed"\n'


@pytest.mark.slow
@pytest.mark.parametrize("objective", ["time", "cost", "generalized"])
def test_closing_never_improves(small: Network, scenario: Make, objective: str) -> None:
    for link in small.links:
        c = compare(small, apply_scenario(small, scenario(_close_link(link.id))),
                    optimize=objective)  # fmt: skip
        delta = c.pairs[f"{c.metric}_delta"].dropna()
        assert (delta >= -1e-9).all(), link.id
        assert not (~c.pairs["reachable_base"] & c.pairs["reachable_scen"]).any()


def test_closing_border_never_improves(small: Network, scenario: Make) -> None:
    s = scenario('[[edits]]\ntype = "change_border"\nid = "zamyn_uud-erenhot"\nregime = "closed"\n')
    c = compare(small, apply_scenario(small, s), optimize="time")
    assert (c.pairs["time_h_delta"].dropna() >= 0).all()
    assert c.summary()["no_longer_reachable"] > 0  # UB-Beijing has no other way


@pytest.mark.slow
@settings(max_examples=20, deadline=None)
@given(
    # links within a country, or joining the two posts of a border crossing
    ends=st.sampled_from(
        [
            ("ulaanbaatar", "zamyn_uud"),
            ("beijing", "erenhot"),
            ("aktau", "almaty"),
            ("zamyn_uud", "erenhot"),
            ("erenhot", "zamyn_uud"),
            ("almaty", "aktau"),
        ]
    ),
    km=st.floats(5, 3000),
    speed=st.floats(10, 120),
)
def test_adding_a_link_never_worsens(small: Network, ends: tuple[str, str], km: float,
                                     speed: float) -> None:  # fmt: skip
    from steppe.scenarios import parse_scenario

    na, nb = ends
    s = parse_scenario(
        'format_version = 1\ntitle = "t"\n[[edits]]\ntype = "add_link"\nid = "new-road"\n'
        f'a = "{na}"\nb = "{nb}"\nmode = "road"\nlength_km = {km}\nspeed_kmh = {speed}\n'
    )
    c = compare(small, apply_scenario(small, s), optimize="time")
    assert (c.pairs["time_h_delta"].dropna() <= 1e-9).all()
    assert not (c.pairs["reachable_base"] & ~c.pairs["reachable_scen"]).any()


def test_faster_border_exact_delta(small: Network, scenario: Make) -> None:
    # UB -> Beijing by road goes through Zamyn-Uud (a -> b); with driver rest rail is
    # faster, so the road is asked for explicitly.
    s = scenario('[[edits]]\ntype = "change_border"\nid = "zamyn_uud-erenhot"\n'
                 "road_ab_median_h = 0.5\nroad_ba_median_h = 0.5\n")  # fmt: skip
    c = compare(small, apply_scenario(small, s), pairs=[("ulaanbaatar", "beijing")],
                optimize="time", modes="road")  # fmt: skip
    row = c.pairs.iloc[0]
    assert row["time_h_delta"] == pytest.approx(0.5 - 2.0)
    assert not row["route_changed"]


def test_usage_shares_and_demand(small: Network, scenario: Make) -> None:
    s = scenario(_close_link("ub-zu-rail"))  # the fastest UB-Beijing route is by rail
    demand = read_demand(io.StringIO(
        "origin,destination,weight\nulaanbaatar,beijing,3\nbeijing,ulaanbaatar,1\n"))  # fmt: skip
    c = compare(small, apply_scenario(small, s), demand=demand, optimize="time")
    assert c.pairs["weight"].sum() == 4
    for table in (c.corridors, c.borders):
        assert np.isclose(table["share_base"].sum(), 1.0)
        assert np.isclose(table["share_scen"].sum(), 1.0)
    assert set(c.borders["border"]) == {"zamyn_uud-erenhot"}
    ub = c.accessibility.set_index("place").loc["ulaanbaatar"]
    assert ub["delta"] > 0
    json.dumps(c.to_dict())


def test_countries_filter(small: Network, scenario: Make) -> None:
    c = compare(small, apply_scenario(small, scenario(_close_link("ub-zu-road"))),
                countries=["MNG", "CHN"])  # fmt: skip
    assert set(c.pairs["origin"]) == {"ulaanbaatar", "beijing"}


@pytest.mark.parametrize(
    ("text", "needle"),
    [
        ("origin,destination\na,b\n", "required column"),
        ("origin,destination,weight\na,b,x\n", "not a number"),
    ],
)
def test_bad_demand(text: str, needle: str) -> None:
    with pytest.raises(ScenarioError, match=needle):
        read_demand(io.StringIO(text))


def test_compare_takes_the_routing_options(small: Network, scenario: Make) -> None:
    s = scenario('[[edits]]\ntype = "change_border"\nid = "zamyn_uud-erenhot"\n'
                 "road_ab_median_h = 0.5\nroad_ba_median_h = 0.5\n")  # fmt: skip
    applied = apply_scenario(small, s)
    opts = RouteOptions(modes="road", objective="time")
    c = compare(small, applied, opts, pairs=[("ulaanbaatar", "beijing")])
    assert c.objective == "time"
    assert c.pairs.iloc[0]["time_h_delta"] == pytest.approx(0.5 - 2.0)
    avoided = compare(small, applied, avoid=["CHN"])
    countries = {small.nodes_by_id[p].country for p in avoided.pairs["origin"]}
    assert "CHN" not in countries
    assert avoided.objective == "generalized"
