"""Wait functions: queues against closed forms and simulation, closures, FIFO."""

from __future__ import annotations

import math
from datetime import datetime

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steppe.network import load_network
from steppe.network.calendars import Closure, QueueSpec
from steppe.network.model import Mode
from steppe.routing._clock import MonthlyCurve, from_hours, next_open, next_open_many, to_hours
from steppe.routing.waits import Wait, erlang_c, fluid_waits, mdc_wait_h, time_model


def test_md1_wait_is_pollaczek_khinchine() -> None:
    for lam, mu in ((4.65, 7.0), (10.7, 14.0), (1.0, 2.0)):
        rho = lam / mu
        assert mdc_wait_h(lam, mu) == pytest.approx(rho / (2 * mu * (1 - rho)) * 24.0)


def test_erlang_c_and_mmc_wait_against_textbook_values() -> None:
    # M/M/2 with lambda = 1 and mu = 1 per server: P(wait) = 1/3, Wq = 1/3 (Erlang C).
    assert erlang_c(1.0, 1.0, 2) == pytest.approx(1 / 3)
    assert mdc_wait_h(1.0, 2.0, 2) == pytest.approx(0.5 * (1 / 3) / (2 - 1) * 24.0)
    assert erlang_c(0.5, 1.0, 1) == pytest.approx(0.5)  # M/M/1: P(wait) = rho


def test_md1_wait_matches_a_simulated_queue() -> None:
    """Lindley's recursion for a single server with Poisson arrivals and fixed service."""
    rng = np.random.default_rng(1)
    lam, mu = 5.0, 7.0  # per day
    gaps = rng.exponential(1 / lam, 200_000)
    w = np.zeros(len(gaps))
    for i in range(1, len(gaps)):
        w[i] = max(0.0, w[i - 1] + 1 / mu - gaps[i])
    assert w[1000:].mean() * 24 == pytest.approx(mdc_wait_h(lam, mu), rel=0.05)


def test_fluid_queue_grows_over_capacity_and_drains() -> None:
    demand = [10.0, 10.0] + [4.0] * 10
    waits = fluid_waits(demand, 8.0)
    assert waits[0] > 0 and waits[1] > waits[0]  # backlog builds in January-February
    assert waits[5] == 0.0  # ... and is gone by June
    assert fluid_waits([4.0] * 12, 8.0) == [0.0] * 12


def _closure(rule: str, start: str = "", end: str = "", **kw: object) -> Closure:
    return Closure("c", "border", "b", Mode.ROAD, rule, start, end, reason="test", **kw)  # type: ignore[arg-type]


def test_closures_wait_until_open() -> None:
    naadam = _closure("annual", "07-11", "07-15")
    t = to_hours(datetime(2025, 7, 12, 9))
    assert from_hours(next_open([naadam], t)[0]) == datetime(2025, 7, 16)
    new_year = _closure("annual", "12-29", "01-08")  # wraps over the new year
    assert from_hours(next_open([new_year], to_hours(datetime(2026, 1, 3)))[0]) == datetime(
        2026, 1, 9
    )
    weekend = _closure("weekly", weekdays=(5, 6))
    saturday = to_hours(datetime(2025, 7, 12, 10))
    assert from_hours(next_open([weekend], saturday)[0]) == datetime(2025, 7, 14)
    hours = _closure("hours", "09:00", "18:00")
    assert from_hours(next_open([hours], to_hours(datetime(2025, 7, 14, 20)))[0]) == datetime(
        2025, 7, 15, 9
    )
    # back to back: a dated closure right after an annual one
    extra = _closure("closed", "2025-07-16", "2025-07-17")
    assert from_hours(next_open([naadam, extra], t)[0]) == datetime(2025, 7, 18)


def _wait(draw: st.DrawFn) -> Wait:
    closures = []
    for _ in range(draw(st.integers(0, 3))):
        rule = draw(st.sampled_from(["annual", "closed", "weekly", "hours"]))
        if rule == "annual":
            m, d = draw(st.integers(1, 12)), draw(st.integers(1, 28))
            closures.append(_closure(rule, f"{m:02d}-{d:02d}", f"{m:02d}-{min(28, d + 3):02d}"))
        elif rule == "closed":
            d = draw(st.integers(1, 20))
            closures.append(_closure(rule, f"2025-03-{d:02d}", f"2025-03-{d + 5:02d}"))
        elif rule == "weekly":
            closures.append(_closure(rule, weekdays=(draw(st.integers(0, 6)),)))
        else:
            closures.append(_closure(rule, "08:00", "20:00"))
    months = draw(st.lists(st.floats(0, 300), min_size=12, max_size=12))
    weather = _closure("weather", months=(1, 2, 12), days_per_month=5.0, event_days=5.0)
    return Wait("test", tuple(closures), queue=MonthlyCurve(months), weather=(weather,))


@st.composite
def waits(draw: st.DrawFn) -> Wait:
    return _wait(draw)


@settings(max_examples=60, deadline=None)
@given(waits(), st.floats(0, 2 * 8760), st.floats(0, 2000))
def test_waits_are_fifo(wait: Wait, offset: float, later: float) -> None:
    """Arriving later never lets a shipment leave earlier."""
    t = to_hours(datetime(2025, 1, 1)) + offset
    assert wait.exit_time(t) <= wait.exit_time(t + later) + 1e-6
    assert wait.exit_time(t) >= t


@settings(max_examples=30, deadline=None)
@given(waits(), st.lists(st.floats(0, 2 * 8760), min_size=1, max_size=20))
def test_scalar_and_vectorised_waits_agree(wait: Wait, offsets: list[float]) -> None:
    t = to_hours(datetime(2025, 1, 1)) + np.asarray(offsets)
    many = wait.exit_many(t)
    one = np.array([wait.exit_time(float(x)) for x in t])
    assert np.allclose(many, one, atol=1e-6)
    assert np.allclose(
        next_open_many(wait.closures, t), [next_open(wait.closures, x)[0] for x in t]
    )


def test_sail_when_full_draws_match_the_fitted_distribution() -> None:
    spec = QueueSpec("s", "link", "l", Mode.FERRY, "both", "sail_when_full",
                     wait_median_h=74.4, wait_p90_h=183.6)  # fmt: skip
    wait = Wait("ferry", fixed=spec, replaces_headway=True)
    draws = wait.exit_many(np.zeros(40_000), np.random.default_rng(3))
    assert np.median(draws) == pytest.approx(74.4, rel=0.03)
    assert np.quantile(draws, 0.9) == pytest.approx(183.6, rel=0.04)
    sigma = math.log(183.6 / 74.4) / 1.2815515655446004
    assert wait.exit_time(0.0) == pytest.approx(74.4 * math.exp(sigma**2 / 2))  # the mean


def test_queue_draws_have_the_model_mean() -> None:
    net = load_network()
    wait = time_model(net)[("border", "zamyn_uud-erenhot", "rail", False)]
    t = np.full(100_000, to_hours(datetime(2025, 7, 1)))
    drawn = wait.exit_many(t, np.random.default_rng(0)) - t
    assert drawn.mean() == pytest.approx(mdc_wait_h(4.65, 7.0), rel=0.03)
