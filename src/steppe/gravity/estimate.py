"""Structural gravity by PPML with high-dimensional fixed effects (pyfixest underneath).

:func:`fit_gravity` calls ``pyfixest.fepois`` with both separation checks on
(``"fe"`` and the iterative rectifier ``"ir"``, as in ppmlhdfe) and then checks
what pyfixest does not: it raises :class:`~steppe.errors.ConvergenceError` when the
IRLS loop stopped without converging (pyfixest only sets a flag), and
:class:`~steppe.errors.SeparationError` when the separation check itself gave up
or a zero flow is still fitted at (numerically) zero, i.e. separated without being
reported.  Separated observations that *were* detected are dropped, counted and
listed in the result.
"""

from __future__ import annotations

import logging
import re
import warnings
from dataclasses import dataclass, field
from typing import Any

import numpy as np
import pandas as pd

from steppe.errors import ConfigError, ConvergenceError, SeparationError

__all__ = ["GravityFit", "fit_gravity"]

logger = logging.getLogger(__name__)

_SEPARATION_REMOVED = re.compile(r"(\d+) observations removed because of separation")
_SEPARATION_GAVE_UP = "separation check: maximum number of iterations"


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
        be zero); ``separated`` lists their row labels.
    converged
        Always ``True`` (a fit that did not converge raises).
    deviance
        Poisson deviance at the solution.
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

    Returns
    -------
    GravityFit
        Coefficients, standard errors, fixed effects and diagnostics.

    Raises
    ------
    ConvergenceError
        The IRLS loop did not converge within ``max_iter`` iterations.
    SeparationError
        The separation check did not finish, or a zero flow is fitted at zero
        without having been reported as separated.

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
    kwargs: dict[str, Any] = {
        "vcov": vcov_arg,
        "separation_check": ["fe", "ir"],
        "iwls_maxiter": max_iter,
        "iwls_tol": tol,
    }
    if offset is not None:
        kwargs["offset"] = offset
    if not small_sample:
        kwargs["ssc"] = pf.ssc(k_adj=False, G_adj=False)
    labels = data.index
    frame = data.reset_index(drop=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        try:
            model = pf.fepois(formula, data=frame, **kwargs)
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"cannot fit {formula!r}: {exc}") from exc
        except Exception as exc:  # pyfixest's own error classes are not public API
            if "onvergence" in type(exc).__name__:
                raise ConvergenceError(f"PPML did not converge: {exc}") from exc
            raise
    n_reported = 0
    for w in caught:
        msg = str(w.message)
        if _SEPARATION_GAVE_UP in msg:
            raise SeparationError(
                "the iterative-rectifier separation check did not converge: separated "
                "observations may remain; drop zero flows of always-zero groups or simplify "
                "the fixed effects"
            )
        if m := _SEPARATION_REMOVED.search(msg):
            n_reported = int(m.group(1))
        else:
            logger.debug("pyfixest warning: %s", msg)
    if not getattr(model, "convergence", False):
        raise ConvergenceError(
            f"PPML did not converge in {max_iter} IRLS iterations (tol={tol}); "
            "raise max_iter or rescale the flows"
        )
    coefs = model.tidy().reset_index()
    coefs.columns = ["term", "estimate", "std_error", "statistic", "p_value", "ci_low", "ci_high"]
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
    dropped = labels.difference(labels[used])
    columns = [c for c in frame.columns if re.search(rf"\b{re.escape(str(c))}\b", formula)]
    missing = frame[columns].isna().any(axis=1).to_numpy()
    separated = tuple(lab for lab in dropped if not missing[labels.get_loc(lab)])
    if len(separated) > n_reported:
        logger.info(
            "%d observations dropped by pyfixest (all-zero fixed-effect groups or singletons) "
            "are reported as separated",
            len(separated) - n_reported,
        )
    vc = pd.DataFrame(
        np.asarray(model._vcov), index=coefs["term"].to_list(), columns=coefs["term"].to_list()
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
        n_separated=len(separated),
        separated=separated,
        converged=True,
        deviance=float(np.asarray(model.deviance).ravel()[0]),
    )
