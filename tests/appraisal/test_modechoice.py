"""The mode logit against hand calculations and its properties."""

from __future__ import annotations

import math

import numpy as np
import pandas as pd
import pytest
from hypothesis import given
from hypothesis import strategies as st

from steppe.appraisal import assign
from steppe.appraisal.modechoice import ModeChoice, mode_shares
from steppe.errors import ConfigError
from steppe.network import Network

NAMES = ("road", "rail", "multimodal")


def test_shares_by_hand() -> None:
    # beta 2: weights 100^-2, 200^-2, 400^-2 -> 16 : 4 : 1
    s = mode_shares(np.array([[100.0, 200.0, 400.0]]), 2.0, NAMES)
    np.testing.assert_allclose(s[0], np.array([16.0, 4.0, 1.0]) / 21.0)


def test_duplicate_multimodal_route_is_dropped() -> None:
    s = mode_shares(np.array([[100.0, 300.0, 100.00001]]), 1.0, NAMES)
    np.testing.assert_allclose(s[0], [0.75, 0.25, 0.0])


@given(st.lists(st.floats(10.0, 1e5), min_size=3, max_size=3), st.floats(0.1, 20.0))
def test_shares_sum_to_one_and_keep_ratios(costs: list[float], beta: float) -> None:
    c = np.array([costs[0], costs[1], costs[2] * 1.5 + 1e3])
    s = mode_shares(c[None, :], beta, NAMES)[0]
    assert s.sum() == pytest.approx(1.0)
    # independence of irrelevant alternatives: road/rail odds depend only on their costs
    assert s[0] / s[1] == pytest.approx((c[0] / c[1]) ** -beta, rel=1e-9)


def test_unavailable_everywhere_gives_zero_shares() -> None:
    s = mode_shares(np.array([[np.nan, np.inf, np.nan]]), 1.0, NAMES)
    assert s.tolist() == [[0.0, 0.0, 0.0]]


def test_bad_beta_is_refused() -> None:
    with pytest.raises(ConfigError, match="mode_beta"):
        ModeChoice(0.0)
    with pytest.raises(ConfigError, match="alternatives"):
        ModeChoice(1.0, ("boat",))


def test_assign_splits_tonnes_over_modes(net: Network) -> None:
    od = pd.DataFrame({"origin": ["almaty"], "destination": ["tashkent"], "tonnes": [1000.0]})
    a = assign(net, od, coverage=1.0, mode_beta=4.0)
    modes = a.modes.set_index("mode")["tonnes"]
    assert modes.sum() == pytest.approx(1000.0)
    r = a.routes.set_index("mode")
    assert {"road", "rail"} <= set(r.index)
    # the shares follow from the alternatives' own costs: C^-beta, normalised
    w = r["generalized_cost"].to_numpy() ** -4.0
    np.testing.assert_allclose(r["share"].to_numpy(), w / w.sum())
    assert not math.isnan(r.loc["road", "generalized_cost"])
