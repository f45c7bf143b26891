"""The equilibrium solver against a two-link network solved by hand, and queue feedback."""

from __future__ import annotations

import itertools

import numpy as np
import pandas as pd
import pytest
from scipy.optimize import brentq

from steppe.appraisal import assign
from steppe.appraisal.equilibrium import mdc_wait_extended_h, solve_equilibrium
from steppe.errors import ConfigError
from steppe.network import Network
from steppe.routing.waits import mdc_wait_h

FREE = np.array([10.0, 15.0])
CAP = np.array([2.0, 4.0])
DEMAND = 8.0


def bpr(x: np.ndarray) -> np.ndarray:
    """The BPR link cost t0 (1 + 0.15 (x / c)^4)."""
    return FREE * (1.0 + 0.15 * (x / CAP) ** 4)


def aon(c: np.ndarray) -> np.ndarray:
    return np.array([DEMAND, 0.0]) if c[0] <= c[1] else np.array([0.0, DEMAND])


def hand_solution() -> float:
    """Flow on link 1 where both links cost the same (both are used at this demand)."""
    return float(brentq(lambda x: bpr(np.array([x, DEMAND - x])) @ [1, -1], 0.0, DEMAND))


@pytest.mark.parametrize("method", ["frank-wolfe", "msa"])
def test_two_parallel_links_reach_the_hand_equilibrium(method: str) -> None:
    r = solve_equilibrium(aon, bpr, 2, method=method, tolerance=1e-6, max_iterations=5000)  # type: ignore[arg-type]
    assert r.converged
    x1 = hand_solution()
    assert r.flows[0] == pytest.approx(x1, rel=1e-3)
    assert r.flows.sum() == pytest.approx(DEMAND)
    c = bpr(r.flows)
    assert c[0] == pytest.approx(c[1], rel=1e-3)  # Wardrop: used routes cost the same


def test_not_converging_is_said() -> None:
    r = solve_equilibrium(aon, bpr, 2, method="msa", tolerance=1e-9, max_iterations=3)
    assert not r.converged
    assert r.iterations == 3
    assert "did NOT converge" in r.describe()


def test_bad_settings_are_refused() -> None:
    with pytest.raises(ConfigError, match="tolerance"):
        solve_equilibrium(aon, bpr, 2, tolerance=0.0)
    with pytest.raises(ConfigError, match="max_iterations"):
        solve_equilibrium(aon, bpr, 2, max_iterations=0)


def test_extended_wait_matches_mdc_below_the_knee_and_keeps_rising() -> None:
    for lam in (1.0, 5.0, 10.0, 13.0):
        assert mdc_wait_extended_h(lam, 14.0) == pytest.approx(mdc_wait_h(lam, 14.0))
    waits = [mdc_wait_extended_h(lam, 14.0) for lam in np.linspace(13.0, 30.0, 50)]
    assert all(b > a for a, b in itertools.pairwise(waits))


def test_queue_feedback_moves_freight_off_an_overloaded_crossing(net: Network) -> None:
    # ~5 Mt a year Almaty -> Urumqi: about 14 trains a day on the Altynkol exchange (8/day)
    od = pd.DataFrame({"origin": ["almaty"], "destination": ["urumqi"], "tonnes": [5.0e6]})
    free = assign(net, od, coverage=1.0, modes="rail")
    eq = assign(net, od, coverage=1.0, modes="rail", capacity=True, tolerance=1e-4,
                max_iterations=200)  # fmt: skip
    assert "converged" in eq.convergence and "NOT" not in eq.convergence
    q = eq.queues.set_index("queue")
    free_borders = free.borders.set_index("border")["tonnes"]
    eq_borders = eq.borders.set_index("border")["tonnes"]
    # all or nothing puts everything on one exchange; the equilibrium splits it
    assert free_borders.max() == pytest.approx(5.0e6)
    assert eq_borders.max() < 5.0e6
    assert eq_borders.sum() == pytest.approx(5.0e6)
    assert q.loc["altynkol-rail-outbound", "wait_h"] < 1e3


THETA = 0.5


def logit_load(c: np.ndarray) -> np.ndarray:
    """Logit split of the demand over the two links at costs ``c``."""
    p1 = 1.0 / (1.0 + np.exp(THETA * (c[0] - c[1])))
    return np.array([DEMAND * p1, DEMAND * (1.0 - p1)])


@pytest.mark.parametrize("method", ["msa", "sra"])
def test_logit_loading_reaches_the_hand_stochastic_equilibrium(method: str) -> None:
    # the fixed point x1 = D / (1 + exp(theta (c1(x1) - c2(D - x1)))), solved by brentq
    def excess(x1: float) -> float:
        return float(logit_load(bpr(np.array([x1, DEMAND - x1])))[0] - x1)

    x1 = float(brentq(excess, 0.0, DEMAND))
    r = solve_equilibrium(logit_load, bpr, 2, method=method, tolerance=1e-7,  # type: ignore[arg-type]
                          max_iterations=20_000)  # fmt: skip
    assert r.converged
    assert r.flows[0] == pytest.approx(x1, rel=1e-3)


def test_mode_logit_with_queues_converges_on_the_network(net: Network) -> None:
    od = pd.DataFrame({"origin": ["almaty", "almaty"], "destination": ["urumqi", "tashkent"],
                       "tonnes": [5.0e6, 1000.0]})  # fmt: skip
    a = assign(net, od, coverage=1.0, mode_beta=3.0, capacity=True, max_iterations=200)
    assert a.convergence.startswith("sra converged"), a.convergence
    assert a.modes["tonnes"].sum() == pytest.approx(5.001e6)
