"""The trade and welfare impact of changes in transit time between country pairs.

Chain: country-pair time changes -> trade-cost changes (:mod:`steppe.gravity.costs`)
-> full-endowment GE counterfactual (:mod:`steppe.gravity.ge`) on a baseline trade
matrix, with Monte Carlo bands over the uncertain parameters.  The draws run in
this process, or on a dask.distributed cluster when a scheduler address is given;
both use the same per-draw function.
"""

from __future__ import annotations

import functools
import logging
from dataclasses import dataclass, field
from typing import Any, Literal

import numpy as np
import pandas as pd

from steppe._distributed import map_tasks
from steppe.errors import ConfigError
from steppe.gravity.costs import (
    HUMMELS_SCHAUR_PER_DAY,
    cost_term_changes,
    trade_cost_change_from_times,
)
from steppe.gravity.data import add_domestic_flows, load_dataset
from steppe.gravity.ge import GEBaseline, solve_ge_arrays

__all__ = ["ImpactResult", "default_baseline", "default_reference", "impact_of_pair_changes"]

logger = logging.getLogger(__name__)

FOCUS = ("KAZ", "MNG")


@dataclass(frozen=True, slots=True)
class ImpactResult:
    """Impact of a set of pair changes, central values with Monte Carlo bands.

    ``focus`` has one row per flow (``KAZ->MNG``, ``MNG->KAZ``, ``KAZ<->MNG``) with
    ``trade_base, change_pct, p05, p95``; ``countries`` one row per country with
    ``exports_change_pct, exports_p05, exports_p95, real_gdp_change_pct,
    real_gdp_p05, real_gdp_p95``.  ``pair_shocks`` is the trade-cost change used
    for the central estimate.
    """

    focus: pd.DataFrame
    countries: pd.DataFrame
    pair_shocks: pd.DataFrame
    draws: int
    settings: dict[str, Any] = field(default_factory=dict)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        moved = self.countries.loc[self.countries["real_gdp_change_pct"].abs() > 1e-9]
        return {
            "settings": self.settings,
            "draws": self.draws,
            "focus": self.focus.to_dict(orient="records"),
            "pair_shocks": self.pair_shocks.to_dict(orient="records"),
            "countries": moved.to_dict(orient="records"),
        }


def default_baseline() -> GEBaseline:
    """Return the embedded HMR 2006 baseline (166 countries) with constructed domestic flows.

    Examples
    --------
    >>> len(default_baseline().countries)
    166
    """
    return GEBaseline.from_frame(add_domestic_flows(load_dataset("hmr-2006")))


def default_reference(base: GEBaseline) -> str:
    """Return the numéraire: the USA if present, else the country with the largest output.

    Examples
    --------
    >>> default_reference(default_baseline())
    'USA'
    """
    if "USA" in base.countries:
        return "USA"
    output = base.flows.sum(axis=1)
    return str(base.countries[int(np.argmax(output))])


def _distance_elasticity() -> tuple[float, float]:
    from steppe.gravity.estimate import fit_gravity

    hmr = load_dataset("hmr-2006")
    fit = fit_gravity(
        hmr,
        "trade ~ ln_dist + contig + comlang_off + rta | exporter + importer",
        fixed_effects=False,
    )
    return fit.coef("ln_dist"), fit.se("ln_dist")


@dataclass(frozen=True, slots=True)
class _DrawSetup:
    """What every Monte Carlo draw shares: the baseline (with its precomputed arrays),
    the changed pairs' transit times (checked once) and where the pairs sit in the
    trade-cost matrix."""

    baseline_time_h: np.ndarray[Any, np.dtype[np.float64]]
    scenario_time_h: np.ndarray[Any, np.dtype[np.float64]]
    baseline: GEBaseline
    rows: np.ndarray[Any, np.dtype[np.intp]]
    cols: np.ndarray[Any, np.dtype[np.intp]]
    method: Literal["ad_valorem", "elasticity"]
    reference: str

    @classmethod
    def of(
        cls,
        pairs: pd.DataFrame,
        baseline: GEBaseline,
        method: Literal["ad_valorem", "elasticity"],
        reference: str,
    ) -> _DrawSetup:
        pos = baseline.positions
        try:
            rows = np.array([pos[c] for c in pairs["iso_o"]], dtype=np.intp)
            cols = np.array([pos[c] for c in pairs["iso_d"]], dtype=np.intp)
        except KeyError as exc:
            raise ConfigError(
                f"pair_changes: country {exc.args[0]!r} is not in the trade baseline",
                parameter="pair_changes",
            ) from None
        return cls(
            pairs["baseline_time_h"].to_numpy(float),
            pairs["scenario_time_h"].to_numpy(float),
            baseline,
            rows,
            cols,
            method,
            reference,
        )


def _one_draw(params: dict[str, float], setup: _DrawSetup) -> dict[str, Any]:
    _, changes = cost_term_changes(
        setup.baseline_time_h,
        setup.scenario_time_h,
        method=setup.method,
        ad_valorem_per_day=params["per_day"],
        elasticity=params["elasticity"],
        sigma=params["sigma"],
    )
    base = setup.baseline
    phi_hat = np.ones_like(base.flows)
    phi_hat[setup.rows, setup.cols] = changes
    sol = solve_ge_arrays(
        base, phi_hat, kind="full", reference=setup.reference, sigma=params["sigma"]
    )
    k, m = base.index(FOCUS[0]), base.index(FOCUS[1])
    x = base.flows
    exports_base = x.sum(axis=1) - np.diag(x)
    with np.errstate(divide="ignore", invalid="ignore"):
        exports = 100.0 * (sol.exports_new() / exports_base - 1.0)
    return {
        "km": sol.flows_new[k, m],
        "mk": sol.flows_new[m, k],
        "exports": exports,
        "real_gdp": 100.0 * (sol.real_gdp_hat() - 1.0),
    }


def impact_of_pair_changes(
    pair_changes: pd.DataFrame,
    *,
    baseline_trade: GEBaseline | None = None,
    method: Literal["ad_valorem", "elasticity"] = "ad_valorem",
    ad_valorem_per_day: float = 0.0135,
    per_day_range: tuple[float, float] = HUMMELS_SCHAUR_PER_DAY,
    elasticity: float | None = None,
    elasticity_se: float | None = None,
    sigma: float = 7.0,
    sigma_range: tuple[float, float] = (5.0, 9.0),
    reference: str | None = None,
    draws: int = 100,
    seed: int = 0,
    scheduler: str | None = None,
) -> ImpactResult:
    """Compute the trade and welfare impact of transit-time changes between countries.

    Parameters
    ----------
    pair_changes
        ``iso_o, iso_d, baseline_time_h, scenario_time_h`` per changed country pair.
    baseline_trade
        Baseline flows with domestic flows; default :func:`default_baseline`.
    method
        ``"ad_valorem"`` (Hummels & Schaur 2013) or ``"elasticity"``.
    ad_valorem_per_day, per_day_range
        Central value and Monte Carlo range (uniform) of the tariff equivalent of
        one day in transit.
    elasticity, elasticity_se
        Elasticity of trade with respect to transit time and its standard error;
        by default the distance elasticity estimated by PPML on the HMR 2006 data
        (time taken as proportional to distance); drawn from a normal distribution.
    sigma, sigma_range
        Central value and Monte Carlo range (uniform) of the elasticity of
        substitution (the *Advanced Guide* uses 7).
    reference
        Numéraire country for the GE (its price index is held fixed); by default the
        USA when the baseline has it, else the country with the largest output.
    draws, seed
        Number of Monte Carlo draws (0: central estimate only) and RNG seed.
    scheduler
        Address of a dask.distributed scheduler (``tcp://host:8786``) to run the
        draws on; ``None`` runs them here.

    Returns
    -------
    ImpactResult
        Kazakhstan-Mongolia trade changes and each country's exports and real GDP.

    Examples
    --------
    >>> pc = pd.DataFrame({"iso_o": ["KAZ", "MNG"], "iso_d": ["MNG", "KAZ"],
    ...                    "baseline_time_h": [240.0, 240.0], "scenario_time_h": [120.0, 120.0]})
    >>> res = impact_of_pair_changes(pc, draws=0)
    >>> bool(res.focus.set_index("flow").loc["KAZ->MNG", "change_pct"] > 0)
    True
    """
    if draws < 0:
        raise ConfigError("draws must be >= 0")
    base = baseline_trade if baseline_trade is not None else default_baseline()
    for iso in FOCUS:
        base.index(iso)
    if method == "elasticity" and elasticity is None:
        elasticity, elasticity_se = _distance_elasticity()
    eps = float(elasticity if elasticity is not None else 0.0)
    eps_se = float(elasticity_se or 0.0)
    central = {"per_day": ad_valorem_per_day, "elasticity": eps, "sigma": sigma}
    rng = np.random.default_rng(seed)
    params = [
        {
            "per_day": float(rng.uniform(*per_day_range)),
            "elasticity": float(rng.normal(eps, eps_se)) if eps_se > 0 else eps,
            "sigma": float(rng.uniform(*sigma_range)),
        }
        for _ in range(draws)
    ]
    reference = reference or default_reference(base)
    base.index(reference)
    # checks the pairs (columns, times > 0) once; the draws reuse them as arrays
    shocks = trade_cost_change_from_times(
        pair_changes,
        method=method,
        ad_valorem_per_day=ad_valorem_per_day,
        elasticity=eps,
        sigma=sigma,
    )
    setup = _DrawSetup.of(pair_changes, base, method, reference)
    out0 = _one_draw(central, setup)
    results = map_tasks(functools.partial(_one_draw, setup=setup), params, scheduler=scheduler)
    k, m = base.index(FOCUS[0]), base.index(FOCUS[1])
    xb = base.flows
    bases = {"KAZ->MNG": xb[k, m], "MNG->KAZ": xb[m, k], "KAZ<->MNG": xb[k, m] + xb[m, k]}

    def pct(r: dict[str, Any], flow: str) -> float:
        value = {"KAZ->MNG": r["km"], "MNG->KAZ": r["mk"], "KAZ<->MNG": r["km"] + r["mk"]}[flow]
        return float(100.0 * (value / bases[flow] - 1.0)) if bases[flow] > 0 else float("nan")

    rows = []
    for flow in bases:  # noqa: PLC0206
        sample = np.array([pct(r, flow) for r in results]) if results else np.array([np.nan])
        rows.append(
            {
                "flow": flow,
                "trade_base": float(bases[flow]),
                "change_pct": pct(out0, flow),
                "p05": float(np.nanpercentile(sample, 5)) if results else float("nan"),
                "p95": float(np.nanpercentile(sample, 95)) if results else float("nan"),
            }
        )
    countries = pd.DataFrame(
        {
            "country": base.countries,
            "exports_change_pct": out0["exports"],
            "real_gdp_change_pct": out0["real_gdp"],
        }
    )
    for key, col in (("exports", "exports"), ("real_gdp", "real_gdp")):
        if results:
            stack = np.vstack([r[key] for r in results])
            countries[f"{col}_p05"] = np.percentile(stack, 5, axis=0)
            countries[f"{col}_p95"] = np.percentile(stack, 95, axis=0)
        else:
            countries[f"{col}_p05"] = np.nan
            countries[f"{col}_p95"] = np.nan
    settings = {
        "method": method,
        "ad_valorem_per_day": ad_valorem_per_day,
        "per_day_range": list(per_day_range),
        "elasticity": eps,
        "elasticity_se": eps_se,
        "sigma": sigma,
        "sigma_range": list(sigma_range),
        "reference": reference,
        "seed": seed,
        "scheduler": scheduler,
    }
    return ImpactResult(
        focus=pd.DataFrame(rows),
        countries=countries,
        pair_shocks=shocks,
        draws=draws,
        settings=settings,
    )
