"""Find the observations a Poisson model cannot fit: separation, as ppmlhdfe finds it.

A Poisson pseudo-maximum-likelihood estimate does not exist when some zero
observations can be fitted exactly at zero by sending a linear combination of the
regressors and fixed effects to minus infinity (Santos Silva & Tenreyro 2010;
Correia, Guimarães & Zylkin 2019, "Verifying the existence of maximum likelihood
estimates for generalized linear models", arXiv:1903.01633).  Those observations are
*separated*: dropping them leaves every other estimate unchanged and makes the
estimate exist.  Formally, with ``A = [X, D]`` (regressors and fixed-effect dummies),
an observation ``i`` is separated when some direction ``z = A g`` has ``z = 0`` on
every positive observation, ``z >= 0`` on every zero one, and ``z_i > 0``.

Two checks run, in this order:

``fe``
    A fixed-effect level whose observations are all zero (an exporter that never
    exports): its rows are separated by that dummy alone.  Repeated until nothing
    changes, because dropping rows can empty another level.
``simplex``
    The linear programme of the paper's section 3 (as ppmlhdfe's ``simplex``
    method, here over the regressors *and* the fixed-effect dummies at once):
    maximise ``sum(s_i)`` over zero observations subject to ``A_P g = 0``,
    ``A_0 g >= s``, ``0 <= s <= 1``.  The set of separated observations is a cone's
    support, so the optimum is integral: ``s_i = 1`` exactly on the separated rows.
    Solved by HiGHS (``scipy.optimize.linprog``) on sparse matrices, so no weighted
    demeaning with weights of 1e8 is needed (which is what made the iterative
    rectifier fail with "Demeaning failed" on the ppmlhdfe test sets).

The linear-programme answer is then checked as a certificate: ``z = A g`` is
recomputed and must be (numerically) zero on the positive observations.
"""

from __future__ import annotations

import logging
import warnings
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from steppe.errors import ConfigError, SeparationError

__all__ = ["Separation", "find_separation"]

logger = logging.getLogger(__name__)

_CERT_TOL = 1e-6


@dataclass(frozen=True, slots=True)
class Separation:
    """Observations dropped because the Poisson model separates them.

    Attributes
    ----------
    rows
        Row labels of the separated observations, in input order.
    reasons
        One reason per row: ``"fe:<factor>=<level>"`` (the level's flows are all
        zero) or ``"simplex"`` (separated by a combination of regressors and
        fixed effects, found by the linear programme).
    """

    rows: tuple[Any, ...] = ()
    reasons: tuple[str, ...] = ()

    def __len__(self) -> int:
        return len(self.rows)

    def counts(self) -> dict[str, int]:
        """Return how many rows each method dropped (``fe`` and ``simplex``)."""
        out = {"fe": 0, "simplex": 0}
        for reason in self.reasons:
            out[reason.split(":", 1)[0]] += 1
        return out

    def to_frame(self) -> pd.DataFrame:
        """Return one row per separated observation: ``row, method, detail``."""
        methods = [r.split(":", 1)[0] for r in self.reasons]
        details = [r.split(":", 1)[1] if ":" in r else "" for r in self.reasons]
        return pd.DataFrame({"row": list(self.rows), "method": methods, "detail": details})

    def summary(self) -> str:
        """Return one line: how many rows were dropped, by which method."""
        if not self.rows:
            return "no separated observations"
        c = self.counts()
        return (
            f"{len(self.rows)} separated observations dropped "
            f"({c['fe']} in all-zero fixed-effect groups, {c['simplex']} by the "
            "regressors and fixed effects jointly)"
        )


def _design(
    data: pd.DataFrame, formula: str, offset: str | None
) -> tuple[np.ndarray, np.ndarray, np.ndarray, list[str], np.ndarray]:
    """Return ``y, X, FE codes, FE names, kept positions`` as pyfixest builds them."""
    from pyfixest.estimation.formula.model_matrix import create_model_matrix
    from pyfixest.estimation.formula.parse import Formula

    main, _, fes = formula.partition("|")
    spec = Formula(_second_stage=main.strip(), _fixed_effects=fes.strip() or None)
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # pandas deprecations raised inside pyfixest
            mm = create_model_matrix(spec, data.reset_index(drop=True), offset=offset)
    except Exception as exc:  # formulaic's errors are not one public class
        raise ConfigError(f"cannot read formula {formula!r}: {exc}") from exc
    y = mm.dependent.to_numpy(dtype=float).ravel()
    x = mm.independent.to_numpy(dtype=float)
    kept = mm.dependent.index.to_numpy()
    fe = mm.fixed_effects
    if fe is None:
        return y, x, np.zeros((len(y), 0), dtype=np.int64), [], kept
    names = [str(c).removeprefix("__fixed_effect__(").removesuffix(")") for c in fe.columns]
    return y, x, fe.to_numpy(dtype=np.int64), names, kept


def _fe_pass(
    y: np.ndarray, codes: np.ndarray, names: list[str], levels: list[np.ndarray]
) -> dict[int, str]:
    """Drop rows of all-zero fixed-effect levels until nothing changes."""
    alive = np.ones(len(y), dtype=bool)
    reasons: dict[int, str] = {}
    changed = True
    while changed:
        changed = False
        for j, name in enumerate(names):
            col = codes[:, j]
            total = np.bincount(col[alive], weights=y[alive], minlength=int(col.max()) + 1)
            seen = np.bincount(col[alive], minlength=len(total)) > 0
            dead = seen & (total <= 0)
            hit = alive & dead[col]
            if hit.any():
                for i in np.flatnonzero(hit):
                    reasons[int(i)] = f"fe:{name}={levels[j][col[i]]}"
                alive &= ~hit
                changed = True
    return reasons


def _lp_pass(y: np.ndarray, x: np.ndarray, codes: np.ndarray) -> np.ndarray:
    """Return positions (within ``y``) separated by regressors and fixed effects."""
    import scipy.sparse as sp
    from scipy.optimize import linprog

    zero = y == 0
    n, n0 = len(y), int(zero.sum())
    if n0 == 0:
        return np.zeros(0, dtype=np.int64)
    blocks = []
    if x.shape[1]:
        scale = np.abs(x).max(axis=0)
        scale[scale == 0] = 1.0
        blocks.append(sp.csr_matrix(x / scale))
    for j in range(codes.shape[1]):
        _, col = np.unique(codes[:, j], return_inverse=True)
        blocks.append(sp.csr_matrix((np.ones(n), (np.arange(n), col)), shape=(n, col.max() + 1)))
    if not blocks:
        return np.zeros(0, dtype=np.int64)
    a = sp.hstack(blocks, format="csr")
    p = a.shape[1]
    a_pos, a_zero = a[~zero], a[zero]
    a_eq = sp.hstack([a_pos, sp.csr_matrix((a_pos.shape[0], n0))], format="csr")
    a_ub = sp.hstack([-a_zero, sp.identity(n0, format="csr")], format="csr")
    cost = np.concatenate([np.zeros(p), -np.ones(n0)])
    bounds = [(None, None)] * p + [(0.0, 1.0)] * n0
    res = linprog(
        cost,
        A_ub=a_ub,
        b_ub=np.zeros(n0),
        A_eq=a_eq if a_eq.shape[0] else None,
        b_eq=np.zeros(a_eq.shape[0]) if a_eq.shape[0] else None,
        bounds=bounds,
        method="highs",
    )
    if res.status != 0:
        raise SeparationError(
            f"the separation check (linear programme) did not finish: {res.message}"
        )
    s = res.x[p:]
    flagged = np.flatnonzero(zero)[s > 0.5]
    if flagged.size:
        z = a @ res.x[:p]
        leak = float(np.max(np.abs(z[~zero]))) if (~zero).any() else 0.0
        # z >= s = 1 on the flagged rows; a true certificate is zero on the positive
        # rows up to the solver's feasibility tolerance (1e-7), relative to its scale
        if leak > _CERT_TOL * max(1.0, float(np.median(z[flagged]))):
            raise SeparationError(
                "the separation check found a direction that is not an exact certificate "
                f"(|z| = {leak:.2e} on positive flows); the regressors are nearly collinear "
                "on the positive flows: rescale or drop a regressor"
            )
    return np.asarray(flagged, dtype=np.int64)


def find_separation(data: pd.DataFrame, formula: str, *, offset: str | None = None) -> Separation:
    """Find the observations separated by the fixed effects or the regressors.

    Parameters
    ----------
    data
        The estimation data (rows with missing values in the formula's columns
        are ignored, as the estimator ignores them).
    formula
        pyfixest formula, ``trade ~ ln_dist + contig | exporter + importer``.
    offset
        Offset column, if any (it does not affect separation, only the sample).

    Returns
    -------
    Separation
        The separated rows, labelled as in ``data``, with the reason for each.

    Raises
    ------
    SeparationError
        The dependent variable is negative, no positive observation is left, or
        the check could not certify its answer.

    Examples
    --------
    >>> import pandas as pd
    >>> d = pd.DataFrame({"y": [0, 0, 1, 2, 3, 1], "x": [1, 2, 0, 0, 1, 2],
    ...                   "g": ["a", "a", "b", "b", "c", "c"]})
    >>> found = find_separation(d, "y ~ x | g")
    >>> found.rows, found.reasons
    ((0, 1), ('fe:g=a', 'fe:g=a'))
    """
    y, x, codes, names, kept = _design(data, formula, offset)
    if (y < 0).any():
        raise SeparationError("PPML needs a non-negative dependent variable; some values are < 0")
    if not (y > 0).any():
        raise SeparationError(
            "the model is not identified: every observation of the dependent variable is zero"
        )
    frame = data.reset_index(drop=True).iloc[kept]
    levels: list[np.ndarray] = []
    for j, name in enumerate(names):
        # map pyfixest's integer codes back to the data's values for the report
        raw = frame[name].to_numpy() if name in frame.columns else codes[:, j]
        lookup = np.empty(int(codes[:, j].max()) + 1, dtype=object)
        lookup[codes[:, j]] = raw
        levels.append(lookup)
    reasons = _fe_pass(y, codes, names, levels)
    alive = np.ones(len(y), dtype=bool)
    alive[list(reasons)] = False
    if alive.any() and (y[alive] == 0).any():
        rest = np.flatnonzero(alive)
        for i in rest[_lp_pass(y[rest], x[rest], codes[rest])]:
            reasons[int(i)] = "simplex"
    positions = sorted(reasons)
    labels = data.index[kept[positions]] if positions else data.index[:0]
    logger.debug("separation: %d rows", len(positions))
    return Separation(rows=tuple(labels), reasons=tuple(reasons[i] for i in positions))
