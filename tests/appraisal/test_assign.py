"""Assignment against a brute-force reference, and the path-size logit."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest

import steppe
from steppe.appraisal import assign, path_size_logit
from steppe.errors import ConfigError
from steppe.network import Network


def test_all_or_nothing_equals_routing_each_pair(net: Network) -> None:
    od = pd.DataFrame(
        {"origin": ["almaty", "ulaanbaatar", "oskemen", "astana"],
         "destination": ["baku", "tianjin", "olgii", "moscow"],
         "tonnes": [1000.0, 2000.0, 300.0, 50.0]}
    )  # fmt: skip
    a = assign(net, od, coverage=1.0)
    assert a.assigned_share == 1.0
    ref: dict[str, float] = {}
    for o, d, t in od.itertuples(index=False):
        best = steppe.route(net, o, d, optimize="generalized").best
        for leg in best.legs:
            if leg.kind == "link":
                ref[leg.ref] = ref.get(leg.ref, 0.0) + t
    got = a.links.set_index("link")["tonnes"].to_dict()
    assert got == pytest.approx(ref)
    per_day = a.links["feu_per_day"] * 20.0 * 365.0
    np.testing.assert_allclose(per_day, a.links["tonnes"])


def test_coverage_routes_the_largest_pairs_first(net: Network) -> None:
    od = pd.DataFrame({"origin": ["almaty", "almaty"], "destination": ["baku", "tashkent"],
                       "tonnes": [900.0, 100.0]})  # fmt: skip
    a = assign(net, od, coverage=0.9)
    assert a.assigned_share == pytest.approx(0.9)
    assert set(a.routes["destination"]) == {"baku"}


def test_path_size_logit_by_hand(net: Network) -> None:
    alts = list(steppe.route(net, "Almaty", "Baku", alternatives=3).routes)
    shares = path_size_logit(alts, theta=4.0)
    use: dict[str, int] = {}
    for r in alts:
        for link in set(r.link_ids):
            use[link] = use.get(link, 0) + 1
    best = min(r.generalized_cost for r in alts)
    weights = []
    for r in alts:
        km = {leg.ref: 0.0 for leg in r.legs if leg.kind == "link"}
        for leg in r.legs:
            if leg.kind == "link":
                km[leg.ref] += leg.distance_km
        total = sum(km.values())
        ps = sum(v / total / use[k] for k, v in km.items())
        weights.append(ps * math.exp(-4.0 * (r.generalized_cost - best) / best))
    np.testing.assert_allclose(shares, np.array(weights) / sum(weights), rtol=1e-12)


def test_logit_splits_tonnes_and_keeps_them(net: Network) -> None:
    od = pd.DataFrame({"origin": ["almaty"], "destination": ["baku"], "tonnes": [1000.0]})
    a = assign(net, od, theta=2.0, alternatives=3)
    assert a.routes["tonnes"].sum() == pytest.approx(1000.0)
    assert a.routes["share"].between(0, 1).all()


@pytest.mark.parametrize("theta", [0.0, -1.0, float("nan")])
def test_bad_theta_is_refused(net: Network, theta: float) -> None:
    od = pd.DataFrame({"origin": ["almaty"], "destination": ["baku"], "tonnes": [1.0]})
    with pytest.raises(ConfigError, match="theta"):
        assign(net, od, theta=theta)


def test_routing_options_apply_and_unroutable_pairs_are_reported(net: Network) -> None:
    od = pd.DataFrame({"origin": ["almaty", "astana"], "destination": ["baku", "moscow"],
                       "tonnes": [100.0, 50.0]})  # fmt: skip
    a = assign(net, od, avoid=["RUS"], coverage=1.0)
    assert a.unrouted["destination"].tolist() == ["moscow"]
    assert a.assigned_share == pytest.approx(100.0 / 150.0)
    links, nodes = net.links_by_id, net.nodes_by_id
    for x in a.links["link"]:
        link = links[x]
        touched = {*link.countries, nodes[link.a].country, nodes[link.b].country}
        assert "RUS" not in touched
