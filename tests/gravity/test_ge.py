"""The fast GE solver against the book's published results, a GEPPML reference, properties."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from steppe.errors import ConfigError, ConvergenceError
from steppe.gravity.ge import GEBaseline, _phi_hat_matrix, solve_ge, solve_ge_arrays
from steppe.gravity.geppml_reference import geppml_full

# "Trade without borders" (Yotov et al. 2016, ch. 2, application 1; sigma = 7, reference DEU
# renamed ZZZ).  Values from the R replication of the book, pachadotdev/tradepolicy,
# _freeze/02-general-equilibrium/execute-results/html.json (tables behind Figures 6 and 7):
# % change of international exports (conditional, full), factory-gate price, real GDP.
PUBLISHED = {
    "ZZZ": (133.3884682418705, 190.7961199741184, 24.36149230232745, 24.36149230232745),
    "ARG": (65.524101609352, 118.1201521846502, 32.1522097201747, 48.98525105793352),
    "AUS": (229.559083728267, 300.2246068434678, 21.35733721260036, 28.60991113049349),
    "AUT": (59.21184249944773, 111.2237386580753, 32.96110910863823, 49.08699086175234),
    "USA": (359.9806164697441, 440.9551392931494, 10.97280489284234, None),
}


def test_conditional_ge_reproduces_the_book(agtpa_fitted_baseline, no_border_shock) -> None:
    res = solve_ge(agtpa_fitted_baseline, no_border_shock, kind="conditional", reference="ZZZ")
    got = res.countries.set_index("country")
    for iso, (xi_cdl, _, _, _) in PUBLISHED.items():
        assert got.loc[iso, "exports_change_pct"] == pytest.approx(xi_cdl, abs=1e-3)


def test_full_ge_is_close_to_the_book(agtpa_fitted_baseline, no_border_shock) -> None:
    # The book iterates PPML until prices change by < 1e-5 (R) or 0.01 (Stata) and keeps
    # E/Y fixed; we solve the exact fixed point with imbalances as a share of world output.
    res = solve_ge(agtpa_fitted_baseline, no_border_shock, kind="full", reference="ZZZ")
    got = res.countries.set_index("country")
    for iso, (_, xi_full, price, rgdp) in PUBLISHED.items():
        assert got.loc[iso, "exports_change_pct"] == pytest.approx(xi_full, rel=1e-2)
        assert got.loc[iso, "factory_price_change_pct"] == pytest.approx(price, abs=0.1)
        if rgdp is not None:
            assert got.loc[iso, "real_gdp_change_pct"] == pytest.approx(rgdp, abs=0.1)
    assert got.loc["ZZZ", "imr_change_pct"] == pytest.approx(0.0, abs=1e-9)


def test_full_ge_clears_every_market(agtpa_fitted_baseline, no_border_shock) -> None:
    res = solve_ge(agtpa_fitted_baseline, no_border_shock, kind="full", reference="ZZZ")
    n = len(agtpa_fitted_baseline.countries)
    new = res.pairs["trade_new"].to_numpy().reshape(n, n)
    p_hat = 1 + res.countries["output_change_pct"].to_numpy() / 100
    x = agtpa_fitted_baseline.flows
    np.testing.assert_allclose(new.sum(axis=1), x.sum(axis=1) * p_hat, rtol=1e-8)
    assert new.sum() == pytest.approx((x.sum(axis=1) * p_hat).sum(), rel=1e-9)


def _nafta(base: GEBaseline, factor: float) -> pd.DataFrame:
    trio = ["CAN", "MEX", "USA"]
    rows = [(o, d) for o in trio for d in trio if o != d]
    return pd.DataFrame(rows, columns=["exporter", "importer"]).assign(phi_hat=factor)


def test_fast_solver_equals_the_slow_geppml_reference(ge30: GEBaseline) -> None:
    shock = _nafta(ge30, 1.3)
    fast = solve_ge(ge30, shock, kind="full", reference="USA").countries
    slow = geppml_full(ge30, shock, reference="USA")
    np.testing.assert_allclose(
        fast["factory_price_change_pct"], slow["factory_price_change_pct"], atol=1e-3
    )
    np.testing.assert_allclose(fast["real_gdp_change_pct"], slow["real_gdp_change_pct"], atol=1e-3)


@pytest.mark.parametrize("kind", ["conditional", "full"])
def test_zero_shock_changes_nothing(ge30: GEBaseline, kind: str) -> None:
    res = solve_ge(ge30, _nafta(ge30, 1.0), kind=kind, reference="USA")
    assert res.pairs["trade_change_pct"].abs().max() < 1e-8
    assert res.countries["real_gdp_change_pct"].abs().max() < 1e-8


def _symmetric_baseline(n: int, seed: int) -> GEBaseline:
    rng = np.random.default_rng(seed)
    a = rng.uniform(1, 10, (n, n))
    flows = a + a.T + np.diag(rng.uniform(50, 100, n))
    return GEBaseline(countries=tuple(f"C{i:02d}" for i in range(n)), flows=flows)


@settings(max_examples=25, deadline=None)
@given(n=st.integers(3, 12), seed=st.integers(0, 10_000), factor=st.floats(0.3, 3.0))
def test_symmetric_shock_gives_symmetric_results(n: int, seed: int, factor: float) -> None:
    base = _symmetric_baseline(n, seed)
    shock = pd.DataFrame(
        {"exporter": ["C00", "C01"], "importer": ["C01", "C00"], "phi_hat": [factor, factor]}
    )
    res = solve_ge(base, shock, kind="full", reference="C02")
    new = res.pairs["trade_new"].to_numpy().reshape(n, n)
    np.testing.assert_allclose(new, new.T, rtol=1e-7)
    # and a trade-cost cut raises the pair's trade
    if factor > 1.01:
        assert res.pair("C00", "C01")["trade_change_pct"] > 0


def test_real_gdp_does_not_depend_on_the_reference(ge30: GEBaseline) -> None:
    a = solve_ge(ge30, _nafta(ge30, 1.3), reference="USA").countries["real_gdp_change_pct"]
    b = solve_ge(ge30, _nafta(ge30, 1.3), reference="JPN").countries["real_gdp_change_pct"]
    np.testing.assert_allclose(a, b, atol=1e-8)


def test_non_convergence_raises(ge30: GEBaseline) -> None:
    with pytest.raises(ConvergenceError):
        solve_ge(ge30, _nafta(ge30, 5.0), max_iter=2, reference="USA")
    with pytest.raises(ConvergenceError):
        solve_ge(ge30, _nafta(ge30, 5.0), kind="conditional", max_iter=2, reference="USA")


def test_bad_input_is_a_config_error(ge30: GEBaseline) -> None:
    with pytest.raises(ConfigError):
        solve_ge(ge30, pd.DataFrame({"exporter": ["XXX"], "importer": ["USA"], "phi_hat": [2.0]}))
    with pytest.raises(ConfigError):
        solve_ge(ge30, _nafta(ge30, 1.1), sigma=1.0)
    with pytest.raises(ConfigError):
        GEBaseline.from_frame(pd.DataFrame({"exporter": ["A"], "importer": ["B"], "trade": [1.0]}))


def test_t_hat_is_converted_with_sigma(ge30: GEBaseline) -> None:
    t = _nafta(ge30, 1.0).drop(columns="phi_hat").assign(t_hat=0.95)
    p = _nafta(ge30, 0.95 ** (1 - 7.0))
    a = solve_ge(ge30, t, reference="USA", sigma=7.0).countries["real_gdp_change_pct"]
    b = solve_ge(ge30, p, reference="USA", sigma=7.0).countries["real_gdp_change_pct"]
    np.testing.assert_allclose(a, b, atol=1e-10)


# An independent fixed point in levels, written here with nothing but numpy: demand
# X'_ij = λ_ij φ̂_ij p_i^(1-σ) E'_j / Σ_k λ_kj φ̂_kj p_k^(1-σ); prices move towards sales
# proportional to output (equal to it when imbalances are a share of world output; the
# "ratio" rule only clears markets up to a common factor) and are rescaled so that the
# reference country's price index is unchanged.
def _levels_full(x: np.ndarray, phi: np.ndarray, sigma: float, ref: int, deficits: str):
    y, e = x.sum(axis=1), x.sum(axis=0)
    p = np.ones(len(y))
    for _ in range(100_000):
        out = p * y
        spend = out + (e - y) * out.sum() / y.sum() if deficits == "world_share" else e / y * out
        demand = (x / e) * phi * (p ** (1 - sigma))[:, None]
        price_index = demand.sum(axis=0) ** (1 / (1 - sigma))
        flows = demand / demand.sum(axis=0) * spend
        excess = flows.sum(axis=1) / out
        if np.ptp(np.log(excess)) < 1e-13 and abs(price_index[ref] - 1) < 1e-13:
            break
        p = p * excess ** (1 / sigma)
        p = p / (((x[:, ref] / e[ref]) * phi[:, ref] * p ** (1 - sigma)).sum()) ** (1 / (1 - sigma))
    else:
        raise AssertionError("reference fixed point did not converge")
    if deficits == "world_share":
        np.testing.assert_allclose(excess, 1.0, rtol=1e-12)  # markets clear
    return p, price_index, flows


# The conditional GE is a biproportional (RAS) fit of X φ̂ to the baseline row and column sums.
def _ras(x: np.ndarray, phi: np.ndarray):
    m = x * phi
    r, c = np.ones(len(x)), np.ones(len(x))
    for _ in range(200_000):
        r = x.sum(axis=1) / (m @ c)
        c_new = x.sum(axis=0) / (r @ m)
        if np.max(np.abs(c_new / c - 1)) < 1e-14:
            return m * r[:, None] * c_new[None, :], c_new
        c = c_new
    raise AssertionError("RAS did not converge")


def _random_problem(n: int, seed: int) -> tuple[GEBaseline, np.ndarray]:
    rng = np.random.default_rng(seed)
    flows = rng.lognormal(0, 1.5, (n, n)) + np.diag(rng.uniform(20, 200, n))
    flows[(rng.uniform(size=(n, n)) < 0.2) & ~np.eye(n, dtype=bool)] = (
        0.0  # some pairs do not trade
    )
    flows[np.arange(n), (np.arange(n) + 1) % n] += 1.0  # a ring: every country trades
    phi = np.where(rng.uniform(size=(n, n)) < 0.4, rng.lognormal(0, 0.4, (n, n)), 1.0)
    base = GEBaseline(countries=tuple(f"C{i:02d}" for i in range(n)), flows=flows)
    return base, phi


@settings(max_examples=30, deadline=None)
@given(
    n=st.integers(2, 14),
    seed=st.integers(0, 10_000),
    sigma=st.floats(2.0, 10.0),
    deficits=st.sampled_from(["world_share", "ratio"]),
)
def test_array_solver_equals_a_bare_numpy_fixed_point(
    n: int, seed: int, sigma: float, deficits: str
) -> None:
    base, phi = _random_problem(n, seed)
    ref = seed % n
    sol = solve_ge_arrays(
        base, phi, kind="full", reference=base.countries[ref], sigma=sigma, deficits=deficits
    )
    p, price_index, flows = _levels_full(base.flows, phi, sigma, ref, deficits)
    # both stop at a log step of 1e-10 or less; the distance to the fixed point is larger
    np.testing.assert_allclose(sol.output_hat, p, rtol=1e-7)
    np.testing.assert_allclose(sol.price_index_hat(), price_index, rtol=1e-7)
    np.testing.assert_allclose(sol.real_gdp_hat(), p / price_index, rtol=1e-7)
    np.testing.assert_allclose(sol.flows_new, flows, rtol=1e-7, atol=1e-7 * flows.max())
    cond = solve_ge_arrays(base, phi, kind="conditional", reference=base.countries[ref])
    flows_c, col_scale = _ras(base.flows, phi)
    np.testing.assert_allclose(cond.flows_new, flows_c, rtol=1e-7, atol=1e-7 * flows_c.max())
    np.testing.assert_allclose(cond.imr_hat, col_scale[ref] / col_scale, rtol=1e-7)


def test_solve_ge_tables_are_the_array_solution(ge30: GEBaseline) -> None:
    res = solve_ge(ge30, _nafta(ge30, 1.3), reference="USA")
    n = len(ge30.countries)
    again = solve_ge_arrays(ge30, _phi_hat_matrix(ge30, _nafta(ge30, 1.3), 7.0), reference="USA")
    np.testing.assert_array_equal(res.pairs["trade_new"].to_numpy().reshape(n, n), again.flows_new)
    can_usa = res.pair("CAN", "USA")
    assert (can_usa["exporter"], can_usa["importer"]) == ("CAN", "USA")
    assert can_usa["trade_new"] == again.flows_new[ge30.index("CAN"), ge30.index("USA")]


def test_bad_arrays_are_config_errors(ge30: GEBaseline) -> None:
    n = len(ge30.countries)
    with pytest.raises(ConfigError, match=r"phi_hat: need a 30 x 30 matrix"):
        solve_ge_arrays(ge30, np.ones((n, n - 1)))
    bad = np.ones((n, n))
    bad[0, 1] = -1.0
    with pytest.raises(ConfigError, match=r"phi_hat: trade-cost changes must be finite and > 0"):
        solve_ge_arrays(ge30, bad)
    with pytest.raises(ConfigError, match=r"flows: need a 2 x 2 matrix"):
        GEBaseline(countries=("A", "B"), flows=np.ones((3, 3)))
