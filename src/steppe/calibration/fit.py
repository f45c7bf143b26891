"""Fit a few interpretable factors to the ``fit`` rows, regularised towards the defaults.

Each fit row's model figure is a sum of parts, one per factor key (rail line-haul time,
rail border dwell, ferry wait, rail price, ...), and each part scales linearly with its
factor.  With the routes held fixed, the factors minimise

    sum over rows of (log model_i(f) - log published_i)^2  +  ridge^2 * sum over k of (log f_k)^2

(:func:`scipy.optimize.least_squares`, log factors bounded to [-3, 3]); a bound on one
side of a range counts only when the model is on the wrong side.  Then every row is
routed again with the new factors and the fit repeated until the routes and the factors
stop changing.  The ridge term pulls every factor towards 1.0, the sourced default.
"""

from __future__ import annotations

import logging
import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

import numpy as np

from steppe.calibration.measure import Measured, measure
from steppe.calibration.overlay import Calibration
from steppe.calibration.register import Observation, Observations
from steppe.calibration.report import GroupStats, network_resolver, summarize
from steppe.errors import ConfigError, ConvergenceError
from steppe.network.model import Network
from steppe.routing.costs import CostModel

__all__ = ["FitResult", "Parameter", "fit_calibration"]

logger = logging.getLogger(__name__)

LOG_BOUND = 3.0


@dataclass(frozen=True, slots=True)
class Parameter:
    """One fitted factor: its key, value, the fit rows that inform it, a standard error."""

    key: str
    factor: float
    n_rows: int
    log_se: float | None

    def to_dict(self) -> dict[str, Any]:
        """Return the parameter as JSON-ready data."""
        se = None if self.log_se is None else round(self.log_se, 4)
        return {"key": self.key, "factor": round(self.factor, 4), "n_rows": self.n_rows,
                "log_se": se}  # fmt: skip


@dataclass(frozen=True, slots=True)
class FitResult:
    """The outcome of a fit: the overlay, its parameters and the error before and after.

    ``before`` and ``after`` map ``(role, quantity)`` to statistics; the ``check`` rows
    are out of sample.  ``unidentified`` are keys that only ``check`` rows touch: no fit
    row informs them, so they stay at 1.0.
    """

    calibration: Calibration
    parameters: tuple[Parameter, ...]
    unidentified: tuple[str, ...]
    before: dict[tuple[str, str], GroupStats]
    after: dict[tuple[str, str], GroupStats]
    rounds: int
    ridge: float
    skipped: tuple[str, ...] = ()

    def to_dict(self) -> dict[str, Any]:
        """Return the fit as JSON-ready data."""

        def table(d: dict[tuple[str, str], GroupStats]) -> list[dict[str, Any]]:
            return [{"role": r, "quantity": q, **s.to_dict()} for (r, q), s in sorted(d.items())]

        return {
            "parameters": [p.to_dict() for p in self.parameters],
            "unidentified": list(self.unidentified),
            "before": table(self.before),
            "after": table(self.after),
            "rounds": self.rounds,
            "ridge": self.ridge,
            "skipped": list(self.skipped),
        }


def _targets(obs: Observation) -> tuple[float | None, float | None, float]:
    s = obs.scale
    lo = obs.low * s if obs.low is not None else None
    hi = obs.high * s if obs.high is not None else None
    return lo, hi, obs.reference * s


def _solve(
    rows: Sequence[Measured], keys: list[str], x0: np.ndarray, factors: dict[str, float],
    ridge: float,
) -> tuple[np.ndarray, Any]:  # fmt: skip
    from scipy.optimize import least_squares

    index = {k: j for j, k in enumerate(keys)}
    base = np.zeros((len(rows), len(keys)))
    rest = np.zeros(len(rows))
    for i, m in enumerate(rows):
        for k, v in m.parts.items():
            if k in index:
                base[i, index[k]] += v / factors.get(k, 1.0)
            else:
                rest[i] += v
    targets = [_targets(m.obs) for m in rows]

    def residuals(x: np.ndarray) -> np.ndarray:
        model = base @ np.exp(x) + rest
        out = np.empty(len(rows) + len(keys))
        for i, (lo, hi, ref) in enumerate(targets):
            lm = math.log(max(model[i], 1e-12))
            if lo is not None and hi is not None:
                out[i] = lm - math.log(ref)
            elif lo is not None:
                out[i] = min(0.0, lm - math.log(lo))
            else:
                out[i] = max(0.0, lm - math.log(hi if hi is not None else math.inf))
        out[len(rows) :] = ridge * x
        return out

    sol = least_squares(residuals, x0, bounds=(-LOG_BOUND, LOG_BOUND), method="trf",
                        x_scale=1.0, max_nfev=5000, ftol=1e-12, xtol=1e-12, gtol=1e-12)  # fmt: skip
    return sol.x, sol


def _stats(rows: Sequence[Measured]) -> dict[tuple[str, str], GroupStats]:
    out = {}
    for role in ("fit", "check"):
        for q in ("time", "price"):
            s = summarize([m for m in rows if m.obs.role == role and m.obs.quantity == q])
            if s is not None:
                out[(role, q)] = s
    return out


def fit_calibration(
    network: Network,
    observations: Observations,
    *,
    scenarios: Sequence[str] = (),
    cost_model: CostModel | None = None,
    ridge: float = 0.5,
    max_rounds: int = 6,
    title: str = "",
) -> FitResult:
    """Fit factors to the ``fit`` rows and measure the ``check`` rows before and after.

    Parameters
    ----------
    network
        The network (with ``scenarios`` applied first, as in the report).
    observations
        A register; only ``fit`` rows of time and price inform the factors.
    ridge
        Weight of the pull of each log factor towards 0 (factor 1.0), in the units of a
        row's log error: 0.5 means a factor of e (2.7x) costs as much as a row 0.5 off.
    max_rounds
        Re-routing rounds before the fit is declared not converged.

    Returns
    -------
    FitResult

    Raises
    ------
    ConvergenceError
        If the optimiser fails, a factor runs into its bound (the rows cannot be met
        by a factor between 0.05 and 20), or the routes keep changing; the message names
        the parameters and rows.
    ConfigError
        If no fit row of time or price can be routed.
    """
    if not ridge >= 0:
        raise ConfigError(f"ridge must be >= 0, got {ridge!r}")
    # volumes are compared with the assignment (calibration.volumes), not fitted
    observations = Observations(tuple(o for o in observations if o.quantity != "volume"),
                                observations.file)  # fmt: skip
    fit_obs = [o for o in observations if o.role == "fit" and o.quantity in ("time", "price")]
    factors: dict[str, float] = {}
    resolve0 = network_resolver(network, scenarios=scenarios, cost_model=cost_model)
    first = measure(observations, resolve0)
    skipped = tuple(m.obs.id for m in first if m.error)
    # a row whose model figure is 0 (no leg of its component on the route) cannot be fitted
    skipped += tuple(
        m.obs.id for m in first if not m.error and not m.parts and m.obs.quantity != "distance"
    )
    usable = {m.obs.id for m in first if not m.error and m.parts}
    fit_obs = [o for o in fit_obs if o.id in usable]
    if not fit_obs:
        raise ConfigError("no fit row of time or price could be routed: nothing to fit")
    all_keys = sorted({k for m in first if not m.error for k in m.parts})
    prev_links: dict[str, tuple[str, ...]] = {}
    rows: tuple[Measured, ...] = tuple(m for m in first if m.obs in fit_obs)
    keys: list[str] = []
    for rnd in range(1, max_rounds + 1):
        keys = sorted({k for m in rows for k in m.parts})
        x0 = np.array([math.log(factors.get(k, 1.0)) for k in keys])
        x, sol = _solve(rows, keys, x0, factors, ridge)
        if sol.status <= 0:
            raise ConvergenceError(f"the fit did not converge: {sol.message} "
                                   f"(parameters {', '.join(keys)})")  # fmt: skip
        at_bound = [k for k, v in zip(keys, x, strict=True) if abs(v) >= LOG_BOUND - 1e-6]
        if at_bound:
            raise ConvergenceError(
                f"parameter(s) {', '.join(at_bound)} ran into the bound "
                f"(factor {math.exp(-LOG_BOUND):.2f}..{math.exp(LOG_BOUND):.0f}): the fit rows "
                "cannot be met by these factors; check the rows that use them or raise --ridge"
            )
        new = {k: float(math.exp(v)) for k, v in zip(keys, x, strict=True)}
        moved = max((abs(math.log(new[k] / factors.get(k, 1.0))) for k in keys), default=0.0)
        factors = new
        cal = Calibration(factors, title=title or "fitted calibration")
        rows = measure(fit_obs, network_resolver(network, scenarios=scenarios, calibration=cal,
                                                 cost_model=cost_model))  # fmt: skip
        links = {m.obs.id: m.link_ids for m in rows}
        changed = [i for i in links if prev_links.get(i) != links[i]]
        logger.debug("fit round %d: moved %.4f, %d routes changed", rnd, moved, len(changed))
        if moved < 1e-3 and not changed:
            break
        prev_links = links
    else:
        raise ConvergenceError(
            f"the fit did not settle in {max_rounds} rounds: routes of "
            f"{', '.join(changed[:8]) or 'no row'} keep changing and factors still moved by "
            f"{moved:.3g} (log); parameters {', '.join(keys)}"
        )
    se = _standard_errors(sol)
    n_rows = {k: sum(1 for m in rows if m.parts.get(k)) for k in keys}
    params = tuple(
        Parameter(k, factors[k], n_rows[k], se[j] if se is not None else None)
        for j, k in enumerate(keys)
    )
    calibration = Calibration(dict(factors), title=title or "fitted calibration",
                              description=f"fitted to {observations.file}")  # fmt: skip
    resolve = network_resolver(network, scenarios=scenarios, calibration=calibration,
                               cost_model=cost_model)  # fmt: skip
    after = measure(observations, resolve)
    return FitResult(
        calibration=calibration,
        parameters=params,
        unidentified=tuple(k for k in all_keys if k not in keys),
        before=_stats(first),
        after=_stats(after),
        rounds=rnd,
        ridge=ridge,
        skipped=skipped,
    )


def _standard_errors(sol: Any) -> list[float] | None:
    """Return approximate standard errors of the log factors from the Jacobian."""
    jac = np.asarray(sol.jac)
    n = len(sol.x)
    m = jac.shape[0] - n
    if m <= n:
        return None
    resid = np.asarray(sol.fun)[:m]
    s2 = float(resid @ resid) / (m - n)
    try:
        cov = np.linalg.inv(jac.T @ jac) * s2
    except np.linalg.LinAlgError:
        return None
    return [math.sqrt(max(v, 0.0)) for v in np.diag(cov)]
