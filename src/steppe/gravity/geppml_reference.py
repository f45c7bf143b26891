"""A slow reference for the full-endowment GE: PPML re-estimated every round (GEPPML).

This follows the iterative procedure of the *Advanced Guide* (Yotov et al. 2016,
chapter 2, box "full endowment general equilibrium"): each round solves the
conditional equilibrium by a PPML with exporter and importer fixed effects and
the counterfactual trade costs as offset, reads the multilateral resistances off
the fixed effects (importer effect of the reference country normalised to 0) and
updates factory-gate prices, until they stop changing.  It exists to test the
fast solver in :mod:`steppe.gravity.ge`; it is far slower and needs all baseline
flows positive.  Trade imbalances are held as a share of world output, as in
``solve_ge(..., deficits="world_share")``.
"""

from __future__ import annotations

import warnings

import numpy as np
import pandas as pd

from steppe.errors import ConfigError, ConvergenceError
from steppe.gravity.ge import GEBaseline, _phi_hat_matrix

__all__ = ["geppml_full"]


def geppml_full(
    baseline: GEBaseline,
    shock: pd.DataFrame,
    *,
    reference: str,
    sigma: float = 7.0,
    tol: float = 1e-8,
    max_iter: int = 200,
) -> pd.DataFrame:
    """Solve the full-endowment counterfactual by iterated PPML.

    Parameters
    ----------
    baseline, shock, reference, sigma
        As for :func:`steppe.gravity.ge.solve_ge`.
    tol, max_iter
        Stop when no log price change exceeds ``tol``.

    Returns
    -------
    pandas.DataFrame
        ``country, factory_price_change_pct, real_gdp_change_pct`` and the
        counterfactual flows in ``attrs["flows"]``.

    Examples
    --------
    >>> from steppe.gravity.data import load_dataset
    >>> base = GEBaseline.from_frame(load_dataset("gegravity-30"))
    >>> out = geppml_full(base, pd.DataFrame(columns=["exporter", "importer", "phi_hat"]),
    ...                   reference="USA")
    >>> float(out["real_gdp_change_pct"].abs().max()) < 1e-6
    True
    """
    import pyfixest as pf

    x = baseline.flows
    if (x <= 0).any():
        raise ConfigError("the GEPPML reference needs every baseline flow > 0")
    n = len(baseline.countries)
    ref = baseline.index(reference)
    phi_hat = _phi_hat_matrix(baseline, shock, sigma)
    y, e = x.sum(axis=1), x.sum(axis=0)
    deficit = e - y
    names = np.array(baseline.countries)
    frame = pd.DataFrame(
        {
            "exporter": np.repeat(names, n),
            "importer": np.tile(names, n),
            "off": np.log(x * phi_hat).ravel(),
        }
    )
    p = np.ones(n)
    for _ in range(max_iter):
        y_new = p * y
        e_new = p * y + deficit * (p @ y) / y.sum()
        e_hat = e_new / e
        frame["dep"] = np.outer(y_new, e_new).ravel() / y_new.sum()
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            fit = pf.fepois(
                "dep ~ 1 | exporter + importer",
                data=frame,
                offset="off",
                iwls_tol=1e-12,
                iwls_maxiter=200,
            )
        if not fit.convergence:
            raise ConvergenceError("a GEPPML round did not converge")
        flows = np.asarray(fit.predict(type="response"), dtype=float).reshape(n, n)
        # fitted flows are x * phi_hat * exp(pi_i + chi_j): read exp(chi_j) off the
        # reference exporter's row (pyfixest's own normalisation of the effects is arbitrary)
        exp_chi = flows[ref] / (x[ref] * phi_hat[ref])
        imr_hat = (e_hat / exp_chi) * (exp_chi[ref] / e_hat[ref])  # P̂^(1-σ), P̂_ref = 1
        y_over_omr = flows.sum(axis=1) / (x * phi_hat * (e_hat / imr_hat)[None, :]).sum(axis=1)
        p_next = (p / y_over_omr) ** (1.0 / sigma)
        step = float(np.max(np.abs(np.log(p_next / p))))
        p = p_next
        if step < tol:
            break
    else:
        raise ConvergenceError(f"GEPPML did not converge in {max_iter} rounds")
    imr_hat = (e_hat / exp_chi) * (exp_chi[ref] / e_hat[ref])
    price = imr_hat ** (1.0 / (1.0 - sigma))
    out = pd.DataFrame(
        {
            "country": names,
            "factory_price_change_pct": 100.0 * (p - 1.0),
            "real_gdp_change_pct": 100.0 * (p / price - 1.0),
        }
    )
    out.attrs["flows"] = flows
    return out
