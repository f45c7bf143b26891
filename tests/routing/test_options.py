"""RouteOptions: one checked, hashable query object that every entry point accepts."""

from __future__ import annotations

import dataclasses

import pytest

from steppe.errors import ConfigError, NoRouteError, UnknownPlaceError
from steppe.network.model import Mode, Network
from steppe.routing import (
    Cargo,
    CostModel,
    Objective,
    RouteOptions,
    matrix,
    pareto,
    reliability,
    route,
)
from steppe.routing._build import _CACHE
from steppe.routing.options import GRAPH_FIELDS


def test_values_are_normalised_so_equal_queries_are_equal_and_hash_alike() -> None:
    a = RouteOptions(modes="road,rail", avoid=["Russia", "ir"], objective="time")
    b = RouteOptions(
        modes=frozenset({Mode.RAIL, Mode.ROAD}),
        avoid=frozenset({"RUS", "IRN"}),
        objective=Objective.TIME,
    )
    assert a == b
    assert hash(a) == hash(b)
    assert {a: 1}[b] == 1
    assert RouteOptions() == RouteOptions(modes=None, cargo=None, cost_model=None)


def test_options_are_frozen() -> None:
    opts = RouteOptions()
    with pytest.raises(dataclasses.FrozenInstanceError):
        opts.avoid = frozenset({"RUS"})  # type: ignore[misc]


@pytest.mark.parametrize(
    ("kwargs", "parameter"),
    [
        ({"modes": "road,plane"}, "modes"),
        ({"modes": ""}, "modes"),
        ({"objective": "fastest"}, "objective"),
        ({"via": [""]}, "via"),
        ({"cargo": "feu"}, "cargo"),
        ({"cost_model": {"road_usd_per_km": 2}}, "cost_model"),
    ],
)
def test_a_bad_value_names_its_parameter(kwargs: dict[str, object], parameter: str) -> None:
    with pytest.raises(ConfigError, match=rf"^{parameter}: "):
        RouteOptions(**kwargs)  # type: ignore[arg-type]


def test_an_unknown_country_is_an_unknown_place() -> None:
    with pytest.raises(UnknownPlaceError):
        RouteOptions(avoid=["Atlantis"])


def test_build_applies_the_keyword_form_on_top_of_options() -> None:
    base = RouteOptions(avoid=["RUS"], objective="cost")
    built = RouteOptions.build(base, optimize="time", modes="rail")
    assert built == RouteOptions(avoid=["RUS"], objective="time", modes="rail")
    assert RouteOptions.build(base) is base
    assert RouteOptions.build(base, modes=None) is base
    with pytest.raises(ConfigError, match="unknown routing option"):
        RouteOptions.build(avoids=["RUS"])
    with pytest.raises(ConfigError, match="optimize and objective"):
        RouteOptions.build(optimize="time", objective="cost")


def test_graph_key_keeps_only_the_fields_that_shape_the_graph() -> None:
    opts = RouteOptions(via=["Baku"], objective="time", avoid=["RUS"], cargo=Cargo.parse("teu"))
    key = opts.graph_key()
    assert key == tuple(getattr(opts, name) for name in GRAPH_FIELDS)
    assert "via" not in GRAPH_FIELDS and "objective" not in GRAPH_FIELDS
    assert key == RouteOptions(via=["Almaty"], avoid=["RUS"], cargo=Cargo.parse("teu")).graph_key()
    assert key != RouteOptions(avoid=["RUS"]).graph_key()


def test_objective_knows_its_metric_and_weights(net: Network) -> None:
    best = route(net, "xian", "tbilisi").best
    assert Objective.GENERALIZED.total(best) == best.generalized_cost
    assert {o.metric for o in Objective} == {
        "time_h", "cost_usd", "co2_kg", "distance_km", "generalized_cost",
    }  # fmt: skip
    for o in Objective:
        r = route(net, "xian", "tbilisi", optimize=o.value).best
        for other in Objective:
            assert o.total(r) <= o.total(route(net, "xian", "tbilisi", optimize=other).best) + 1e-6


def test_options_and_keyword_form_give_the_same_answer(net: Network) -> None:
    opts = RouteOptions(avoid=["RUS"], objective="time", modes="rail,ferry,road")
    keywords = {"avoid": ["RUS"], "optimize": "time", "modes": "rail,ferry,road"}
    assert route(net, "xian", "tbilisi", opts).to_dict() == (
        route(net, "xian", "tbilisi", **keywords).to_dict()
    )
    assert pareto(net, "xian", "tbilisi", opts).to_dict() == (
        pareto(net, "xian", "tbilisi", **keywords).to_dict()
    )
    m1 = matrix(net, ["xian"], ["tbilisi"], opts).table
    m2 = matrix(net, ["xian"], ["tbilisi"], **keywords).table
    assert m1.equals(m2)
    best = route(net, "xian", "tbilisi", opts).best
    assert m1["time_h"].iloc[0] == pytest.approx(best.time_h)
    slow = CostModel(p90_median_ratio=3.0)
    assert reliability(net, best, opts.replace(cost_model=slow)).to_dict() == (
        reliability(net, best, cost_model=slow).to_dict()
    )


def test_the_same_options_reuse_the_cached_graph(net: Network) -> None:
    opts = RouteOptions(avoid=["IRN"], cargo=Cargo.parse("tonnes:7"))
    route(net, "xian", "tbilisi", opts)
    before = len(_CACHE.items)
    route(net, "xian", "tbilisi", opts.replace(objective="time"))
    matrix(net, ["xian"], ["tbilisi"], opts)
    assert len(_CACHE.items) == before


def test_avoid_rules_are_the_same_for_route_and_matrix(net: Network) -> None:
    opts = RouteOptions(avoid=["RUS"])
    with pytest.raises(ConfigError, match=r"^avoid: .*Moscow.*must avoid"):
        route(net, "Moscow", "tbilisi", opts)
    with pytest.raises(ConfigError, match=r"^avoid: .*Moscow.*must avoid"):
        matrix(net, ["Moscow"], ["tbilisi"], opts)
    assert "RUS" not in set(
        matrix(net, None, ["tbilisi"], opts)
        .table["origin"]
        .map(lambda x: net.nodes_by_id[x].country)
    )


def test_closed_transit_keeps_ends_open_but_blocks_crossing(net: Network) -> None:
    assert route(net, "xian", "tbilisi", optimize="time").best.countries[2] == "AZE"
    r = route(net, "xian", "tbilisi", optimize="time", closed_transit=["Azerbaijan"]).best
    assert r.countries == ("CHN", "KAZ", "RUS", "GEO")
    with pytest.raises(NoRouteError, match="every route transits KAZ"):
        route(net, "xian", "tbilisi", closed_transit=["KAZ"])
    assert route(net, "xian", "almaty", closed_transit=["KAZ", "CHN"]).best.countries == (
        "CHN", "KAZ",
    )  # fmt: skip
    with pytest.raises(ConfigError, match=r"^via: .*closed to transit"):
        route(net, "xian", "tbilisi", via=["almaty"], closed_transit=["KAZ"])
