"""Monte Carlo reliability of a route."""

from __future__ import annotations

import math

import numpy as np
import pytest

from steppe.errors import ConfigError
from steppe.network.model import Network
from steppe.routing import reliability, route


def test_same_seed_same_result_and_fixed_route_has_no_spread(net: Network) -> None:
    r = route(net, "almaty", "aktau", optimize="time").best  # no border, no ferry
    rel = reliability(net, r, draws=200, within_days=r.time_h / 24)
    assert rel.median_h == pytest.approx(r.time_h) and rel.p90_h == pytest.approx(r.time_h)
    assert rel.prob_within == 1.0
    best = route(net, "xian", "tbilisi", optimize="cost").best
    a, b = reliability(net, best, seed=3), reliability(net, best, seed=3)
    assert a.to_dict() == b.to_dict()


def test_lognormal_dwell_matches_its_median_and_p90(net: Network) -> None:
    r = route(net, "xian", "almaty", optimize="time", modes="road").best
    fixed = sum(leg.time_h for leg in r.legs if leg.kind != "border")
    rel = reliability(net, r, draws=200_000, seed=1)
    # one road border, forward: median 10 h, p90 50 h
    assert rel.median_h - fixed == pytest.approx(10.0, rel=0.02)
    assert rel.p90_h - fixed == pytest.approx(50.0, rel=0.03)


def test_ferry_wait_is_uniform_over_the_headway(net: Network) -> None:
    r = route(net, "aktau", "baku").best
    rel = reliability(net, r, draws=100_000, seed=2)
    fixed = sum(leg.time_h for leg in r.legs if leg.kind != "wait")
    assert rel.mean_h - fixed == pytest.approx(36.0, rel=0.02)
    assert rel.p90_h - fixed == pytest.approx(0.9 * 72, rel=0.02)


def test_distribution_and_probability(net: Network) -> None:
    best = route(net, "xian", "tbilisi", optimize="cost").best
    rel = reliability(net, best, draws=1000, within_days=10)
    assert rel.distribution["count"].sum() == 1000
    assert rel.distribution["cdf"].iloc[-1] == pytest.approx(1.0)
    assert np.all(np.diff(rel.distribution["cdf"]) >= 0)
    assert rel.prob_within is not None and 0 <= rel.prob_within <= 1
    later = reliability(net, best, draws=1000, within_days=12).prob_within
    assert later is not None and later >= rel.prob_within
    assert not math.isnan(rel.mean_h)
    with pytest.raises(ConfigError):
        reliability(net, best, draws=0)
