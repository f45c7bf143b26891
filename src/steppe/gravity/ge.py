"""General-equilibrium counterfactuals of the one-sector structural gravity model.

The model is Anderson & van Wincoop (2003) as operationalised in chapter 2 of
Yotov et al. (2016), *An Advanced Guide to Trade Policy Analysis*:

    X_ij = (Y_i E_j / Y) (t_ij / (Π_i P_j))^(1-σ),   Y_i = p_i Q_i,   E_j = φ_j Y_j.

It is solved in changes ("exact hat algebra", Dekle, Eaton & Kortum 2007) from a
baseline flow matrix ``X`` (domestic flows on the diagonal) and a change in the
trade-cost term ``phi_hat_ij = (t'_ij / t_ij)^(1-σ)``.  With ``λ_ij = X_ij / E_j``:

* conditional GE (outputs and expenditures fixed): the multilateral resistances
  solve ``OMR̂_i = Σ_j (X_ij/Y_i) phi_hat_ij / P̂_j^(1-σ)`` and
  ``P̂_j^(1-σ) = Σ_i λ_ij phi_hat_ij / OMR̂_i`` (a biproportional fit);
* full endowment GE: factory-gate prices solve
  ``p̂_i^σ = Σ_j X_ij phi_hat_ij p̂_j / P̂_j^(1-σ) / Y_i`` with
  ``P̂_j^(1-σ) = Σ_i λ_ij phi_hat_ij p̂_i^(1-σ)`` and ``Ŷ = Ê = p̂`` (φ_j fixed).

Both are normalised so that the inward resistance of the reference country is
unchanged (the book's ``χ_R = 0``).  Welfare is real GDP ``Y_i / P_i``.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any, Literal

import numpy as np
import pandas as pd

from steppe._deadline import check_deadline
from steppe.errors import ConfigError, ConvergenceError

__all__ = ["GEBaseline", "GEResult", "solve_ge"]

logger = logging.getLogger(__name__)

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True, slots=True)
class GEBaseline:
    """A square baseline trade matrix: rows export, columns import, domestic on the diagonal."""

    countries: tuple[str, ...]
    flows: FloatArray

    @classmethod
    def from_frame(
        cls,
        df: pd.DataFrame,
        *,
        exporter: str = "exporter",
        importer: str = "importer",
        value: str = "trade",
    ) -> GEBaseline:
        """Build a baseline from a long table; missing pairs count as zero flows.

        Examples
        --------
        >>> d = pd.DataFrame({"exporter": list("AABB"), "importer": list("ABAB"),
        ...                   "trade": [5.0, 1.0, 2.0, 7.0]})
        >>> GEBaseline.from_frame(d).flows.tolist()
        [[5.0, 1.0], [2.0, 7.0]]
        """
        for col in (exporter, importer, value):
            if col not in df.columns:
                raise ConfigError(f"baseline table lacks column {col!r}")
        countries = tuple(sorted(set(df[exporter]) | set(df[importer])))
        wide = (
            df.pivot_table(index=exporter, columns=importer, values=value, aggfunc="sum")
            .reindex(index=list(countries), columns=list(countries))
            .fillna(0.0)
        )
        flows = wide.to_numpy(dtype=float)
        if (flows < 0).any() or not np.isfinite(flows).all():
            raise ConfigError("baseline flows must be finite and >= 0")
        if (np.diag(flows) <= 0).any():
            bad = [c for c, v in zip(countries, np.diag(flows), strict=True) if v <= 0]
            raise ConfigError(f"GE needs positive domestic flows; missing for {', '.join(bad)}")
        return cls(countries=countries, flows=flows)

    def index(self, country: str) -> int:
        """Return the row of a country."""
        try:
            return self.countries.index(country)
        except ValueError:
            raise ConfigError(f"country {country!r} is not in the baseline") from None


@dataclass(frozen=True, slots=True)
class GEResult:
    """Counterfactual changes, per country and per pair (changes in percent).

    ``countries`` columns: ``country, exports_base, exports_new, exports_change_pct,
    output_change_pct, factory_price_change_pct, omr_change_pct, imr_change_pct,
    real_gdp_change_pct``.  ``pairs`` columns: ``exporter, importer, trade_base,
    trade_new, trade_change_pct``.
    """

    kind: str
    reference: str
    sigma: float
    iterations: int
    countries: pd.DataFrame
    pairs: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """Return a JSON-ready dict."""
        return {
            "kind": self.kind,
            "reference": self.reference,
            "sigma": self.sigma,
            "iterations": self.iterations,
            "countries": self.countries.to_dict(orient="records"),
        }

    def pair(self, exporter: str, importer: str) -> pd.Series:
        """Return the row of one pair."""
        p = self.pairs
        return p[(p["exporter"] == exporter) & (p["importer"] == importer)].iloc[0]


def _phi_hat_matrix(base: GEBaseline, shock: pd.DataFrame, sigma: float) -> FloatArray:
    n = len(base.countries)
    phi_hat = np.ones((n, n))
    if shock.empty:
        return phi_hat
    if "phi_hat" in shock.columns:
        values = shock["phi_hat"].to_numpy(dtype=float)
    elif "t_hat" in shock.columns:
        values = shock["t_hat"].to_numpy(dtype=float) ** (1.0 - sigma)
    else:
        raise ConfigError("shock needs a 'phi_hat' or a 't_hat' column")
    if not (np.isfinite(values).all() and (values > 0).all()):
        raise ConfigError("trade-cost changes must be finite and > 0")
    pos = {c: k for k, c in enumerate(base.countries)}
    try:
        rows = [pos[c] for c in shock["exporter"]]
        cols = [pos[c] for c in shock["importer"]]
    except KeyError as exc:
        raise ConfigError(f"shock names country {exc.args[0]!r}, not in the baseline") from None
    phi_hat[rows, cols] = values
    return phi_hat


def _conditional(
    x: FloatArray, phi_hat: FloatArray, ref: int, tol: float, max_iter: int
) -> tuple[FloatArray, FloatArray, int]:
    y, e = x.sum(axis=1), x.sum(axis=0)
    s_out, lam = x / y[:, None], x / e[None, :]
    inv_omr = np.ones(len(y))  # 1 / OMR̂
    inv_imr = np.ones(len(y))  # 1 / P̂^(1-σ)
    for it in range(1, max_iter + 1):
        check_deadline()
        inv_imr_new = 1.0 / ((lam * phi_hat) * inv_omr[:, None]).sum(axis=0)
        inv_omr_new = 1.0 / ((s_out * phi_hat) * inv_imr_new[None, :]).sum(axis=1)
        scale = inv_imr_new[ref]
        inv_imr_new, inv_omr_new = inv_imr_new / scale, inv_omr_new * scale
        step = max(
            np.max(np.abs(np.log(inv_imr_new / inv_imr))),
            np.max(np.abs(np.log(inv_omr_new / inv_omr))),
        )
        inv_omr, inv_imr = inv_omr_new, inv_imr_new
        if step < tol:
            return 1.0 / inv_omr, 1.0 / inv_imr, it
    raise ConvergenceError(f"conditional GE did not converge in {max_iter} iterations")


def _full(  # noqa: PLR0917
    x: FloatArray,
    phi_hat: FloatArray,
    sigma: float,
    ref: int,
    tol: float,
    max_iter: int,
    deficits: str,
) -> tuple[FloatArray, FloatArray, FloatArray, int]:
    y, e = x.sum(axis=1), x.sum(axis=0)
    lam = x / e[None, :]
    xphi = x * phi_hat
    deficit = e - y

    def e_hat_of(p: FloatArray) -> FloatArray:
        if deficits == "ratio":
            return p
        out: FloatArray = (p * y + deficit * float(p @ y) / float(y.sum())) / e
        return out

    p_hat = np.ones(len(y))
    for it in range(1, max_iter + 1):
        check_deadline()
        imr = (lam * phi_hat * (p_hat ** (1.0 - sigma))[:, None]).sum(axis=0)  # P̂^(1-σ)
        p_new = ((xphi @ (e_hat_of(p_hat) / imr)) / y) ** (1.0 / sigma)
        p_new /= ((lam[:, ref] * phi_hat[:, ref] * p_new ** (1.0 - sigma)).sum()) ** (
            1.0 / (1.0 - sigma)
        )
        step = np.max(np.abs(np.log(p_new / p_hat)))
        p_hat = p_new
        if not np.isfinite(step):
            break
        if step < tol:
            imr = (lam * phi_hat * (p_hat ** (1.0 - sigma))[:, None]).sum(axis=0)
            return p_hat, e_hat_of(p_hat), np.asarray(imr, dtype=float), it
    raise ConvergenceError(f"full-endowment GE did not converge in {max_iter} iterations")


def solve_ge(
    baseline: GEBaseline,
    shock: pd.DataFrame,
    *,
    kind: Literal["conditional", "full"] = "full",
    reference: str | None = None,
    sigma: float = 7.0,
    deficits: Literal["world_share", "ratio"] = "world_share",
    tol: float = 1e-10,
    max_iter: int = 100_000,
) -> GEResult:
    """Solve a counterfactual of the structural gravity model in changes.

    Parameters
    ----------
    baseline
        Baseline flows with positive domestic flows.
    shock
        Changed pairs: ``exporter``, ``importer`` and either ``phi_hat`` (change of
        the trade-cost term ``t^(1-σ)``, e.g. ``exp(β Δx)``) or ``t_hat`` (change of
        the iceberg cost ``t``).  Pairs not listed are unchanged.
    kind
        ``"conditional"`` (outputs and expenditures fixed) or ``"full"`` (full
        endowment: factory-gate prices, output and expenditure adjust).
    reference
        Country whose inward multilateral resistance is the numéraire; default the
        first country in alphabetical order.
    sigma
        Elasticity of substitution (the book uses 7; trade elasticity ``σ - 1``).
    deficits
        How trade imbalances ``D_j = E_j - Y_j`` carry over in the full GE:
        ``"world_share"`` keeps each ``D_j`` fixed as a share of world output, a
        consistent equilibrium (Dekle, Eaton & Kortum 2007); ``"ratio"`` keeps
        ``E_j / Y_j`` fixed as the *Advanced Guide* does, which clears import
        markets exactly but export markets only approximately when trade is
        unbalanced (see docs/gravity.md).
    tol, max_iter
        Stop when no log change exceeds ``tol``; raise after ``max_iter`` iterations.

    Returns
    -------
    GEResult
        Per-country and per-pair changes.

    Raises
    ------
    ConvergenceError
        The fixed point did not converge.

    Examples
    --------
    >>> from steppe.gravity.data import load_dataset
    >>> base = GEBaseline.from_frame(load_dataset("gegravity-30"))
    >>> res = solve_ge(base, pd.DataFrame({"exporter": ["CAN"], "importer": ["USA"],
    ...                                    "phi_hat": [1.5]}), reference="USA")
    >>> bool(res.pair("CAN", "USA")["trade_change_pct"] > 0)
    True
    """
    if sigma <= 1:
        raise ConfigError(f"sigma must be > 1, got {sigma}")
    if kind not in ("conditional", "full"):
        raise ConfigError(f"kind must be 'conditional' or 'full', got {kind!r}")
    ref_name = reference if reference is not None else baseline.countries[0]
    ref = baseline.index(ref_name)
    x = baseline.flows
    phi_hat = _phi_hat_matrix(baseline, shock, sigma)
    y = x.sum(axis=1)
    if kind == "conditional":
        omr_hat, imr_hat, its = _conditional(x, phi_hat, ref, tol, max_iter)
        y_hat = np.ones(len(y))
        e_hat = np.ones(len(y))
    else:
        if deficits not in ("world_share", "ratio"):
            raise ConfigError(f"deficits must be 'world_share' or 'ratio', got {deficits!r}")
        y_hat, e_hat, imr_hat, its = _full(x, phi_hat, sigma, ref, tol, max_iter, deficits)
        omr_hat = y_hat**sigma  # Ŷ / OMR̂ = p̂^(1-σ)
    x_new = x * phi_hat * (y_hat / omr_hat)[:, None] * (e_hat / imr_hat)[None, :]
    logger.debug("%s GE converged in %d iterations", kind, its)
    off = ~np.eye(len(y), dtype=bool)
    exp_base = np.where(off, x, 0.0).sum(axis=1)
    exp_new = np.where(off, x_new, 0.0).sum(axis=1)
    price_index = imr_hat ** (1.0 / (1.0 - sigma))  # P̂
    with np.errstate(divide="ignore", invalid="ignore"):
        countries = pd.DataFrame(
            {
                "country": baseline.countries,
                "exports_base": exp_base,
                "exports_new": exp_new,
                "exports_change_pct": 100.0 * (exp_new / exp_base - 1.0),
                "output_change_pct": 100.0 * (y_hat - 1.0),
                "factory_price_change_pct": 100.0 * (y_hat - 1.0),
                "omr_change_pct": 100.0 * (omr_hat ** (1.0 / (1.0 - sigma)) - 1.0),
                "imr_change_pct": 100.0 * (price_index - 1.0),
                "real_gdp_change_pct": 100.0 * (y_hat / price_index - 1.0),
            }
        )
        n = len(baseline.countries)
        pairs = pd.DataFrame(
            {
                "exporter": np.repeat(baseline.countries, n),
                "importer": np.tile(baseline.countries, n),
                "trade_base": x.ravel(),
                "trade_new": x_new.ravel(),
                "trade_change_pct": 100.0 * (x_new / x - 1.0).ravel(),
            }
        )
    return GEResult(
        kind=kind,
        reference=ref_name,
        sigma=sigma,
        iterations=its,
        countries=countries,
        pairs=pairs,
    )
