"""Structural gravity by PPML with high-dimensional fixed effects (pyfixest underneath).

:func:`fit_gravity` first finds the observations the Poisson model separates
(:func:`steppe.gravity.separation.find_separation`: all-zero fixed-effect groups,
then the linear-programming check over regressors and fixed effects jointly, as
ppmlhdfe does), drops them, lists them with the reason in the result, and fits
``pyfixest.fepois`` on the rest.  It then checks what pyfixest does not: it raises
:class:`~steppe.errors.ConvergenceError` when the IRLS loop stopped without
converging (pyfixest only sets a flag), and :class:`~steppe.errors.SeparationError`
when a zero flow is still fitted at (numerically) zero, i.e. separated without
being reported.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from steppe.errors import ConfigError, ConvergenceError, SeparationError
from steppe.gravity.separation import Separation, find_separation

__all__ = ["GravityFit", "fit_gravity"]

logger = logging.getLogger(__name__)


@dataclass(frozen=True, slots=True)
class GravityFit:
    """A fitted PPML gravity model.

    Attributes
    ----------
    formula
        The pyfixest formula.
    coefficients
        One row per regressor: ``term, estimate, std_error, statistic, p_value,
        ci_low, ci_high``.
    vcov
        Variance-covariance matrix of the coefficients (terms on both axes).
    vcov_type
        What the standard errors are (``hetero``, ``iid`` or ``CRV1:<cluster>``).
    fixed_effects
        Fixed-effect values by factor name (e.g. ``exporter``), as pyfixest
        normalises them; empty when not requested.
    fitted
        Fitted flows on the estimation sample, indexed like the input rows.
    n_obs
        Observations used.
    n_separated
        Observations dropped because they are separated (their fitted value would
        be zero); ``separated`` lists their row labels and ``separation`` says, for
        each, which check found it (``fe:<factor>=<level>`` or ``simplex``).
    converged
        Always ``True`` (a fit that did not converge raises).
    deviance
        Poisson deviance at the solution.
    separation
        The separated rows with their reasons.
    omitted
        Regressors left out because they are collinear on the estimation sample
        (often a regressor that only varied on separated rows).
    """

    formula: str
    coefficients: pd.DataFrame
    vcov: pd.DataFrame
    vcov_type: str
    fixed_effects: dict[str, pd.Series]
    fitted: pd.Series
    n_obs: int
    n_separated: int
    separated: tuple[Any, ...] = field(default=())
    converged: bool = True
    deviance: float = float("nan")
    separation: Separation = field(default_factory=Separation)
    omitted: tuple[str, ...] = ()

    def coef(self, term: str) -> float:
        """Return one estimated coefficient."""
        value: Any = self.coefficients.set_index("term").loc[term, "estimate"]
        return float(value)

    def se(self, term: str) -> float:
        """Return one standard error."""
        value: Any = self.coefficients.set_index("term").loc[term, "std_error"]
        return float(value)

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready summary (coefficients, counts, convergence)."""
        return {
            "formula": self.formula,
            "vcov_type": self.vcov_type,
            "n_obs": self.n_obs,
            "n_separated": self.n_separated,
            "separated_by": self.separation.counts(),
            "separated": self.separation.to_frame().to_dict(orient="records"),
            "omitted": list(self.omitted),
            "converged": self.converged,
            "deviance": self.deviance,
            "coefficients": self.coefficients.to_dict(orient="records"),
            "fixed_effects": {k: len(v) for k, v in self.fixed_effects.items()},
        }


def _vcov_arg(vcov: str | dict[str, str]) -> tuple[str | dict[str, str], str]:
    if isinstance(vcov, dict):
        ((kind, cluster),) = vcov.items()
        return vcov, f"{kind}:{cluster}"
    if vcov in ("hetero", "iid", "HC1"):
        return vcov, vcov
    if vcov.startswith(("cluster:", "CRV1:")):
        cluster = vcov.split(":", 1)[1]
        return {"CRV1": cluster}, f"CRV1:{cluster}"
    raise ConfigError(f"vcov must be 'hetero', 'iid' or 'cluster:<column>', got {vcov!r}")


def fit_gravity(
    data: pd.DataFrame,
    formula: str,
    *,
    vcov: str | dict[str, str] = "hetero",
    offset: str | None = None,
    max_iter: int = 100,
    tol: float = 1e-8,
    fixed_effects: bool = True,
    small_sample: bool = True,
    separation_check: bool = True,
) -> GravityFit:
    """Fit a structural gravity model by PPML with high-dimensional fixed effects.

    Parameters
    ----------
    data
        One row per exporter-importer(-year) with the flow and the covariates.
    formula
        pyfixest formula, ``trade ~ ln_dist + contig | exporter + importer``.
    vcov
        ``"hetero"`` (robust), ``"iid"`` or ``"cluster:<column>"``.
    offset
        Column entering the linear index with coefficient 1 (constrained models).
    max_iter, tol
        IRLS iteration limit and convergence tolerance.
    fixed_effects
        Also extract the fixed-effect values (costs a little time on big panels).
    small_sample
        Apply pyfixest's small-sample correction to the standard errors; ``False``
        gives the plain sandwich of Stata's ``ppml``.
    separation_check
        Find and drop separated observations first (default).  ``False`` skips
        the check; a separated zero flow then raises :class:`SeparationError`.

    Returns
    -------
    GravityFit
        Coefficients, standard errors, fixed effects and diagnostics.

    Raises
    ------
    ConvergenceError
        The IRLS loop did not converge within ``max_iter`` iterations.
    SeparationError
        The model is not identified (no positive flow, negative flows), the
        separation check could not certify its answer, or a zero flow is fitted
        at zero without having been reported as separated.

    Examples
    --------
    >>> from steppe.gravity.data import load_dataset
    >>> fit = fit_gravity(load_dataset("agtpa-2006"),
    ...                   "trade ~ ln_DIST + CNTG + INTL_BRDR | exporter + importer")
    >>> round(fit.coef("ln_DIST"), 4)
    -0.7913
    """
    import pyfixest as pf

    vcov_arg, vcov_type = _vcov_arg(vcov)
    depvar = formula.split("~", 1)[0].strip()
    if depvar not in data.columns:
        raise ConfigError(f"dependent variable {depvar!r} is not a column of the data")
    labels = data.index
    separation = find_separation(data, formula, offset=offset) if separation_check else Separation()
    keep = ~labels.isin(separation.rows) if len(separation) else np.ones(len(labels), dtype=bool)
    frame = data.loc[keep].reset_index(drop=True)
    labels = labels[keep]
    kwargs: dict[str, Any] = {
        "vcov": vcov_arg,
        "separation_check": None,  # done above, and completely
        "iwls_maxiter": max_iter,
        "iwls_tol": tol,
    }
    if offset is not None:
        kwargs["offset"] = offset
    if not small_sample:
        kwargs["ssc"] = pf.ssc(k_adj=False, G_adj=False)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = pf.fepois(formula, data=frame, **kwargs)
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"cannot fit {formula!r}: {exc}") from exc
        except Exception as exc:  # pyfixest's own error classes are not public API
            if "onvergence" in type(exc).__name__:
                raise ConvergenceError(f"PPML did not converge: {exc}") from exc
            if "emean" in str(exc):
                raise SeparationError(
                    f"PPML failed ({exc}) although no separated observations remain; "
                    "the fixed effects may not be identified on this sample"
                ) from exc
            raise
    for w in caught:
        logger.debug("pyfixest warning: %s", w.message)
    if not getattr(model, "convergence", False):
        raise ConvergenceError(
            f"PPML did not converge in {max_iter} IRLS iterations (tol={tol}); "
            "raise max_iter or rescale the flows"
        )
    columns = ["term", "estimate", "std_error", "statistic", "p_value", "ci_low", "ci_high"]
    if len(getattr(model, "_coefnames", ())) == 0:  # fixed effects only
        coefs = pd.DataFrame(
            {c: pd.Series(dtype=object if c == "term" else float) for c in columns}
        )
    else:
        coefs = model.tidy().reset_index()
        coefs.columns = columns
    if not np.isfinite(coefs["estimate"].to_numpy(dtype=float)).all():
        raise ConvergenceError("PPML returned non-finite coefficients")

    used = np.asarray(model._data.index)  # positions of the estimation sample in frame
    fitted = pd.Series(np.asarray(model.predict(type="response"), dtype=float), index=labels[used])
    y = frame[depvar].to_numpy(dtype=float)[used]
    tiny = 1e-12 * max(float(np.mean(y)), 1e-300)
    hidden = int(np.sum((y == 0) & (fitted.to_numpy() < tiny)))
    if hidden:
        raise SeparationError(
            f"{hidden} zero flows are fitted at zero but were not reported as separated"
        )
    omitted = tuple(str(v) for v in (getattr(model, "_collin_vars", None) or ()))
    terms = coefs["term"].to_list()
    vc = pd.DataFrame(
        np.asarray(model._vcov).reshape(len(terms), len(terms)), index=terms, columns=terms
    )
    fes: dict[str, pd.Series] = {}
    if fixed_effects and "|" in formula:
        for key, values in model.fixef().items():
            name = key[2:-1] if key.startswith("C(") else key
            fes[name] = pd.Series(values, dtype=float, name=name)
    return GravityFit(
        formula=formula,
        coefficients=coefs,
        vcov=vc,
        vcov_type=vcov_type,
        fixed_effects=fes,
        fitted=fitted,
        n_obs=int(model._N),
        n_separated=len(separation),
        separated=separation.rows,
        converged=True,
        deviance=float(np.asarray(model.deviance).ravel()[0]),
        separation=separation,
        omitted=omitted,
    )
