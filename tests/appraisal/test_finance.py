"""Discounting against hand calculations and an independent root finder."""

from __future__ import annotations

import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steppe.appraisal import bcr, discount_factors, eirr, npv, present_value
from steppe.errors import ConfigError


def test_npv_and_bcr_by_hand() -> None:
    # 100 now, 60 in each of the next two years at 10 %:
    # NPV = -100 + 60/1.1 + 60/1.21 = -100 + 54.545454 + 49.586777 = 4.132231
    assert npv([0, 60, 60], [100, 0, 0], 0.10) == pytest.approx(4.132231, abs=1e-6)
    assert bcr([0, 60, 60], [100, 0, 0], 0.10) == pytest.approx(1.04132231, abs=1e-8)
    assert present_value([0.0, 0.0, 121.0], 0.10) == pytest.approx(100.0)


def test_eirr_by_hand() -> None:
    # -100 + 60x + 60x^2 = 0 with x = 1/(1+r): x = (-60 + sqrt(3600 + 24000)) / 120
    x = (-60 + math.sqrt(3600 + 24000)) / 120
    assert eirr([-100, 60, 60]) == pytest.approx(1 / x - 1, abs=1e-10)


def test_eirr_without_sign_change_is_nan() -> None:
    assert math.isnan(eirr([10.0, 10.0]))
    assert math.isnan(eirr([-10.0, -1.0]))


def _roots_reference(flows: list[float]) -> list[float]:
    """Every real rate r > -1 with NPV(r) = 0, from the roots of the polynomial in 1/(1+r)."""
    coeffs = flows[::-1]  # numpy wants the highest power first: c_T x^T + ... + c_0
    out = []
    for x in np.roots(coeffs):
        if abs(x.imag) < 1e-9 and x.real > 0:
            out.append(1.0 / x.real - 1.0)
    return out


@settings(max_examples=200, deadline=None)
@given(
    cost=st.floats(1.0, 1e6),
    years=st.integers(2, 30),
    benefit=st.floats(0.01, 1e6),
)
def test_eirr_matches_polynomial_roots(cost: float, years: int, benefit: float) -> None:
    flows = [-cost] + [benefit] * (years - 1)
    r = eirr(flows)
    # Conventional flows (one sign change) have exactly one rate with x > 0 (Descartes).
    ref = [x for x in _roots_reference(flows) if -0.99 < x < 10.0]
    if not ref:
        assert math.isnan(r)
    else:
        assert r == pytest.approx(ref[0], rel=1e-6, abs=1e-8)


@settings(max_examples=100, deadline=None)
@given(st.lists(st.floats(-1e6, 1e6), min_size=2, max_size=25), st.floats(0.001, 0.5))
def test_npv_is_the_discounted_sum(flows: list[float], rate: float) -> None:
    expected = sum(f / (1 + rate) ** t for t, f in enumerate(flows))
    assert present_value(flows, rate) == pytest.approx(expected, rel=1e-9, abs=1e-6)


@pytest.mark.parametrize("rate", [0.0, 1.0, -0.1, 2.0])
def test_rates_outside_0_1_are_refused(rate: float) -> None:
    with pytest.raises(ConfigError, match="discount rate"):
        discount_factors(3, rate)


def test_unequal_streams_are_refused() -> None:
    with pytest.raises(ConfigError, match="differ"):
        npv([1.0, 2.0], [1.0], 0.1)
