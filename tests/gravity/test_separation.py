"""Separation: ppmlhdfe's published test datasets, checked against their known answers.

The datasets (tests/data/gravity/separation, see its README) carry a ``separated``
column with the answer ppmlhdfe gives.  The estimate on the remaining rows is checked
against an independent estimator: statsmodels' GLM Poisson with explicit dummies on
the non-separated subsample, which is ppmlhdfe's answer by construction.
"""

from __future__ import annotations

import json
import warnings
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from steppe.errors import SeparationError
from steppe.gravity.estimate import fit_gravity
from steppe.gravity.separation import Separation, find_separation

DATA = Path(__file__).parents[1] / "data" / "gravity" / "separation"
DATASETS = sorted(p.stem for p in DATA.glob("*.csv"))


def _load(name: str) -> tuple[pd.DataFrame, str, list[str], list[str]]:
    d = pd.read_csv(DATA / f"{name}.csv")
    xs = [c for c in d.columns if c.startswith("x")]
    fes = [c for c in d.columns if c.startswith("id")]
    formula = "y ~ " + (" + ".join(xs) if xs else "1")
    if fes:
        formula += " | " + " + ".join(fes)
    return d, formula, xs, fes


def _glm_fitted(d: pd.DataFrame, xs: list[str], fes: list[str]) -> np.ndarray:
    import statsmodels.api as sm
    from statsmodels.tools.sm_exceptions import PerfectSeparationWarning, SingularMatrixWarning

    parts = [pd.DataFrame({"const": np.ones(len(d))}, index=d.index), d[xs].astype(float)]
    for fe in fes:
        parts.append(pd.get_dummies(d[fe].astype(str), prefix=fe, drop_first=True, dtype=float))
    design = pd.concat(parts, axis=1)
    with warnings.catch_warnings():
        # collinear columns (a regressor constant once separated rows are gone) leave
        # the parameters non-unique; the fitted values, compared here, are unique
        warnings.simplefilter("ignore", SingularMatrixWarning)
        # statsmodels calls an exact fit (mu == y everywhere, dataset 03) "perfect
        # separation"; there is none left here, as the fitted values show
        warnings.simplefilter("ignore", PerfectSeparationWarning)
        glm = sm.GLM(d["y"], design, family=sm.families.Poisson()).fit(tol=1e-13, maxiter=1000)
    return np.asarray(glm.fittedvalues, dtype=float)


def test_all_expected_datasets_are_present() -> None:
    assert len(DATASETS) >= 12


@pytest.mark.parametrize("name", DATASETS)
def test_separated_rows_match_ppmlhdfe(name: str) -> None:
    d, formula, _, _ = _load(name)
    found = find_separation(d, formula)
    assert list(found.rows) == list(d.index[d["separated"] == 1])


@pytest.mark.parametrize("name", DATASETS)
def test_estimate_matches_glm_on_the_non_separated_rows(name: str) -> None:
    d, formula, xs, fes = _load(name)
    fit = fit_gravity(d, formula)
    assert fit.n_separated == int(d["separated"].sum())
    rest = d[d["separated"] == 0]
    reference = pd.Series(_glm_fitted(rest, xs, fes), index=rest.index)
    # pyfixest drops fixed-effect singletons, whose fitted value is their own flow
    np.testing.assert_allclose(
        fit.fitted.to_numpy(), reference.loc[fit.fitted.index].to_numpy(), rtol=1e-5, atol=1e-7
    )


def test_coefficients_match_glm_where_identified() -> None:
    import statsmodels.api as sm

    d, formula, _, _ = _load("18")
    fit = fit_gravity(d, formula)
    assert fit.omitted == ("x2",)  # x2 = 2*x1 - 6 once the separated rows are gone
    rest = d[d["separated"] == 0]
    glm = sm.GLM(rest["y"], sm.add_constant(rest[["x1", "x3"]]), family=sm.families.Poisson()).fit(
        tol=1e-13
    )
    for term in ("x1", "x3"):
        assert fit.coef(term) == pytest.approx(glm.params[term], abs=1e-6)
    assert fit.coef("Intercept") == pytest.approx(glm.params["const"], abs=1e-6)


def test_fixed_effect_separation_names_the_group() -> None:
    d, formula, _, _ = _load("04")
    found = find_separation(d, formula)
    counts = found.counts()
    assert counts["fe"] > 0
    assert counts["fe"] + counts["simplex"] == int(d["separated"].sum())
    frame = found.to_frame()
    assert set(frame["method"]) == {"fe", "simplex"}
    assert frame.loc[frame["method"] == "fe", "detail"].str.match(r"id[12]=\d+").all()


def test_pyfixest_alone_fails_where_steppe_does_not() -> None:
    # the regression this module fixes: demeaning with the iterative rectifier's
    # 1e8 weights fails on fixed-effect separation
    import pyfixest as pf

    d, formula, _, _ = _load("02")
    with warnings.catch_warnings(), pytest.raises(Exception, match=r"[Dd]emean"):
        warnings.simplefilter("ignore")
        pf.fepois(formula, data=d, separation_check=["fe", "ir"])
    assert fit_gravity(d, formula).separated == (2,)


def test_separation_can_be_switched_off() -> None:
    d, formula, _, _ = _load("10")
    with pytest.raises(SeparationError):
        fit_gravity(d, formula, separation_check=False)


def test_row_labels_follow_the_input_index() -> None:
    d, formula, _, _ = _load("05")
    d.index = [f"r{i}" for i in range(len(d))]
    assert fit_gravity(d, formula).separated == ("r3",)


def test_all_zero_flows_are_not_identified() -> None:
    d = pd.DataFrame({"y": [0.0, 0.0, 0.0], "x": [1.0, 2.0, 3.0]})
    with pytest.raises(SeparationError, match="not identified"):
        find_separation(d, "y ~ x")


def test_negative_flows_are_refused() -> None:
    d = pd.DataFrame({"y": [1.0, -1.0, 2.0], "x": [1.0, 2.0, 3.0]})
    with pytest.raises(SeparationError, match="non-negative"):
        fit_gravity(d, "y ~ x")


def test_summary_and_json() -> None:
    assert Separation().summary() == "no separated observations"
    d, formula, _, _ = _load("01")
    out = json.loads(json.dumps(fit_gravity(d, formula).to_dict()))
    assert out["separated_by"] == {"fe": 0, "simplex": 2}
    assert [r["row"] for r in out["separated"]] == [0, 1]
    assert out["omitted"] == ["x2"]
