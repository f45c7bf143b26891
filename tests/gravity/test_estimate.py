"""PPML estimation against published results of the Advanced Guide (Yotov et al. 2016)."""

from __future__ import annotations

import numpy as np
import pandas as pd
import pytest

from steppe.errors import ConfigError, ConvergenceError, SeparationError
from steppe.gravity.data import load_dataset
from steppe.gravity.estimate import GravityFit, fit_gravity
from steppe.gravity.formulas import add_fe_ids

# Chapter 2, application 1 ("trade without borders"), baseline PPML with exporter and
# importer fixed effects.  Source: the book's Stata log shipped with its replication
# files, pachadotdev/tradepolicy
# 00-application-files/Chapter2/Applications/1_TradeWithoutBorder/Results/TradeWithoutBorder.log
PUBLISHED_CH2 = {
    "ln_DIST": (-0.7912879, 0.0501494),
    "CNTG": (0.6736456, 0.1073719),
    "INTL_BRDR": (-2.47445, 0.1193816),
}


def test_trade_without_borders_coefficients_match_the_book(agtpa_fit: GravityFit) -> None:
    for term, (coef, se) in PUBLISHED_CH2.items():
        assert agtpa_fit.coef(term) == pytest.approx(coef, abs=5e-5)
        # Stata's ppml reports the sandwich without small-sample correction
        assert agtpa_fit.se(term) == pytest.approx(se, abs=5e-4)
    assert agtpa_fit.n_obs == 4761
    assert agtpa_fit.n_separated == 0
    assert set(agtpa_fit.fixed_effects) == {"exporter", "importer"}


@pytest.mark.slow
def test_rta_panel_matches_the_book_table3_column4() -> None:
    # Chapter 1, application 3, Table 3 column (4): PPML with exporter-year, importer-year
    # and pair fixed effects (domestic pairs pooled), 1986-2006 every 4 years, pairs with
    # some trade.  rta = 0.557 in the book; 0.5572 in the R replication of the book
    # (pachadotdev/tradepolicy, _freeze/01-traditional-gravity, fit_endg_rta).
    p = load_dataset("agtpa-panel")
    p = add_fe_ids(p[p["year"].isin(range(1986, 2007, 4))])
    p = p.assign(
        pair_fe=np.where(p["exporter"] == p["importer"], "intra", p["pair_id"].astype(str))
    )
    p = p[p.groupby("pair_id")["trade"].transform("sum") > 0]
    fit = fit_gravity(
        p,
        "trade ~ rta | exp_year + imp_year + pair_fe",
        vcov="cluster:pair_id",
        fixed_effects=False,
    )
    assert fit.coef("rta") == pytest.approx(0.5572, abs=5e-5)
    assert fit.n_obs == 28482


@pytest.mark.slow
def test_matches_an_independent_glm_with_dummies() -> None:
    import statsmodels.api as sm

    g = load_dataset("gegravity-30")
    fit = fit_gravity(g, "trade ~ lndist + contiguity + pta | exporter + importer")
    dummies = pd.get_dummies(g[["exporter", "importer"]], drop_first=True, dtype=float)
    xmat = pd.concat([g[["lndist", "contiguity", "pta"]], dummies], axis=1)
    glm = sm.GLM(g["trade"], sm.add_constant(xmat), family=sm.families.Poisson()).fit(tol=1e-12)
    for term in ("lndist", "contiguity", "pta"):
        assert fit.coef(term) == pytest.approx(glm.params[term], abs=1e-6)


def test_non_convergence_raises(agtpa: pd.DataFrame) -> None:
    with pytest.raises(ConvergenceError):
        fit_gravity(agtpa, "trade ~ ln_DIST + CNTG + INTL_BRDR | exporter + importer", max_iter=2)


def test_separated_observations_are_reported() -> None:
    # group "z" only ever trades zero: its rows are separated by the fixed effect
    d = pd.DataFrame(
        {
            "y": [0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 2.0, 5.0, 1.0, 3.0],
            "x": [0.3, 0.5, 0.1, 0.7, 0.2, 0.9, 0.4, 0.8, 0.6, 0.05],
            "g": ["z", "z", "a", "a", "b", "b", "c", "c", "a", "b"],
        }
    )
    fit = fit_gravity(d, "y ~ x | g")
    assert fit.n_separated == 2
    assert set(fit.separated) == {0, 1}


def test_unreported_separation_raises(monkeypatch: pytest.MonkeyPatch) -> None:
    d = pd.DataFrame(
        {
            "y": [0.0, 0.0, 1.0, 2.0, 3.0, 4.0, 2.0, 5.0, 1.0, 3.0],
            "x": [0.3, 0.5, 0.1, 0.7, 0.2, 0.9, 0.4, 0.8, 0.6, 0.05],
            "g": ["z", "z", "a", "a", "b", "b", "c", "c", "a", "b"],
        }
    )
    # simulate an estimator that keeps a separated zero flow, fitted at (numerically) zero
    import pyfixest

    real = pyfixest.fepois

    def leaky(*args: object, **kwargs: object) -> object:
        model = real(*args, **kwargs)
        mu = np.asarray(model.predict(type="response"), dtype=float)
        mu[0] = 0.0
        model.predict = lambda **_: mu  # type: ignore[method-assign]
        return model

    monkeypatch.setattr(pyfixest, "fepois", leaky)
    d.loc[2, "y"] = 0.0  # a zero inside a group that is not all zero
    with pytest.raises(SeparationError):
        fit_gravity(d, "y ~ x | g")


def test_bad_formula_is_a_config_error(agtpa: pd.DataFrame) -> None:
    with pytest.raises(ConfigError):
        fit_gravity(agtpa, "nosuch ~ ln_DIST | exporter")
    with pytest.raises(ConfigError):
        fit_gravity(agtpa, "trade ~ ln_DIST", vcov="bogus")


def test_to_dict_is_json_ready(agtpa_fit: GravityFit) -> None:
    import json

    out = json.loads(json.dumps(agtpa_fit.to_dict(), default=str))
    assert out["coefficients"][0]["term"] == "ln_DIST"
