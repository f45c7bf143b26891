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
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any, Literal

import numpy as np
import pandas as pd

from steppe.errors import ConfigError
from steppe.gravity._hat_algebra import conditional_resistances, full_endowment_prices

__all__ = ["GEBaseline", "GEResult", "GESolution", "solve_ge", "solve_ge_arrays"]

logger = logging.getLogger(__name__)

FloatArray = np.ndarray[Any, np.dtype[np.float64]]


@dataclass(frozen=True, slots=True)
class GEBaseline:
    """A square baseline trade matrix: rows export, columns import, domestic on the diagonal.

    The arrays every solve needs (outputs, expenditures, import shares, the row of
    each country) are computed once here, so that many counterfactuals on one
    baseline (Monte Carlo draws, sweeps) share them.
    """

    countries: tuple[str, ...]
    flows: FloatArray
    #: ``Y_i``: row sums of ``flows``.
    output: FloatArray = field(init=False, repr=False, compare=False)
    #: ``E_j``: column sums of ``flows``.
    expenditure: FloatArray = field(init=False, repr=False, compare=False)
    #: ``λ_ij = X_ij / E_j``.
    import_shares: FloatArray = field(init=False, repr=False, compare=False)
    #: Row (and column) of each country.
    positions: dict[str, int] = field(init=False, repr=False, compare=False)
    _cache: dict[str, Any] = field(init=False, repr=False, compare=False, default_factory=dict)

    def __post_init__(self) -> None:
        flows = np.asarray(self.flows, dtype=float)
        n = len(self.countries)
        if flows.shape != (n, n):
            raise ConfigError(
                f"flows: need a {n} x {n} matrix for {n} countries, got shape {flows.shape}",
                parameter="flows",
            )
        e = flows.sum(axis=0)
        with np.errstate(divide="ignore", invalid="ignore"):
            lam = flows / e[None, :]
        object.__setattr__(self, "flows", flows)
        object.__setattr__(self, "output", flows.sum(axis=1))
        object.__setattr__(self, "expenditure", e)
        object.__setattr__(self, "import_shares", lam)
        object.__setattr__(self, "positions", {c: k for k, c in enumerate(self.countries)})

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

    def pair_names(self) -> tuple[pd.api.extensions.ExtensionArray, ...]:
        """Return the exporter and importer columns of the all-pairs table (built once).

        Examples
        --------
        >>> base = GEBaseline(("A", "B"), np.array([[8.0, 2.0], [1.0, 9.0]]))
        >>> [list(c) for c in base.pair_names()]
        [['A', 'A', 'B', 'B'], ['A', 'B', 'A', 'B']]
        """
        names = self._cache.get("pair_names")
        if names is None:
            countries = np.array(self.countries, dtype=object)
            n = len(countries)
            names = (
                pd.Series(np.repeat(countries, n)).array,
                pd.Series(np.tile(countries, n)).array,
            )
            self._cache["pair_names"] = names
        return names

    def index(self, country: str) -> int:
        """Return the row of a country."""
        try:
            return self.positions[country]
        except KeyError:
            raise ConfigError(f"country {country!r} is not in the baseline") from None


@dataclass(frozen=True, slots=True)
class GESolution:
    """A counterfactual as arrays in the baseline's country order (changes as ratios).

    ``output_hat`` is ``Ŷ`` (the factory-gate price change ``p̂`` in the full GE, 1 in
    the conditional one), ``expenditure_hat`` ``Ê``, ``omr_hat`` the change of the
    outward resistance term ``Π^(1-σ)``, ``imr_hat`` that of ``P^(1-σ)``, and
    ``flows_new`` the counterfactual flows ``X'``.
    """

    kind: str
    reference: int
    sigma: float
    iterations: int
    output_hat: FloatArray
    expenditure_hat: FloatArray
    omr_hat: FloatArray
    imr_hat: FloatArray
    flows_new: FloatArray

    def price_index_hat(self) -> FloatArray:
        """Return ``P̂``, the change of each importer's price index."""
        out: FloatArray = self.imr_hat ** (1.0 / (1.0 - self.sigma))
        return out

    def real_gdp_hat(self) -> FloatArray:
        """Return ``Ŷ / P̂``, the change of real GDP (welfare)."""
        out: FloatArray = self.output_hat / self.price_index_hat()
        return out

    def exports_new(self) -> FloatArray:
        """Return each country's counterfactual international exports."""
        x = self.flows_new
        out: FloatArray = x.sum(axis=1) - np.diag(x)
        return out


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
    pos = base.positions
    try:
        rows = [pos[c] for c in shock["exporter"]]
        cols = [pos[c] for c in shock["importer"]]
    except KeyError as exc:
        raise ConfigError(f"shock names country {exc.args[0]!r}, not in the baseline") from None
    phi_hat[rows, cols] = values
    return phi_hat


def solve_ge_arrays(
    baseline: GEBaseline,
    phi_hat: FloatArray,
    *,
    kind: Literal["conditional", "full"] = "full",
    reference: str | None = None,
    sigma: float = 7.0,
    deficits: Literal["world_share", "ratio"] = "world_share",
    tol: float = 1e-10,
    max_iter: int = 100_000,
) -> GESolution:
    """Solve a counterfactual given as a matrix of trade-cost changes; return arrays.

    The array core of :func:`solve_ge`, for callers that solve many counterfactuals
    on one baseline (Monte Carlo draws): no tables are built.

    Parameters
    ----------
    baseline
        Baseline flows with positive domestic flows.
    phi_hat
        ``n x n`` change of the trade-cost term ``t^(1-σ)`` of every pair, in the
        baseline's country order (1 for unchanged pairs).
    kind, reference, sigma, deficits, tol, max_iter
        As for :func:`solve_ge`.

    Returns
    -------
    GESolution

    Examples
    --------
    >>> base = GEBaseline(("A", "B"), np.array([[8.0, 2.0], [1.0, 9.0]]))
    >>> sol = solve_ge_arrays(base, np.array([[1.0, 1.5], [1.5, 1.0]]), reference="A")
    >>> bool(sol.flows_new[0, 1] > 2.0)
    True
    """
    if sigma <= 1:
        raise ConfigError(f"sigma: must be > 1, got {sigma}", parameter="sigma")
    if kind not in ("conditional", "full"):
        raise ConfigError(f"kind: must be 'conditional' or 'full', got {kind!r}", parameter="kind")
    if deficits not in ("world_share", "ratio"):
        raise ConfigError(
            f"deficits: must be 'world_share' or 'ratio', got {deficits!r}", parameter="deficits"
        )
    n = len(baseline.countries)
    phi_hat = np.asarray(phi_hat, dtype=float)
    if phi_hat.shape != (n, n):
        raise ConfigError(
            f"phi_hat: need a {n} x {n} matrix, got shape {phi_hat.shape}", parameter="phi_hat"
        )
    if not (np.isfinite(phi_hat).all() and (phi_hat > 0).all()):
        raise ConfigError("phi_hat: trade-cost changes must be finite and > 0", parameter="phi_hat")
    ref = baseline.index(reference if reference is not None else baseline.countries[0])
    lam_phi = baseline.import_shares * phi_hat
    x_phi = baseline.flows * phi_hat
    if kind == "conditional":
        omr_hat, imr_hat, its = conditional_resistances(
            lam_phi, x_phi / baseline.output[:, None], ref, tol=tol, max_iter=max_iter
        )
        y_hat = e_hat = np.ones(n)
    else:
        y_hat, e_hat, imr_hat, its = full_endowment_prices(
            lam_phi, x_phi, baseline.output, baseline.expenditure, sigma, ref,
            deficits=deficits, tol=tol, max_iter=max_iter,
        )  # fmt: skip
        omr_hat = y_hat**sigma  # Ŷ / OMR̂ = p̂^(1-σ)
    x_new = x_phi * (y_hat / omr_hat)[:, None] * (e_hat / imr_hat)[None, :]
    logger.debug("%s GE converged in %d iterations", kind, its)
    return GESolution(
        kind=kind,
        reference=ref,
        sigma=sigma,
        iterations=its,
        output_hat=y_hat,
        expenditure_hat=e_hat,
        omr_hat=omr_hat,
        imr_hat=imr_hat,
        flows_new=x_new,
    )


@dataclass(frozen=True)
class GEResult:
    """Counterfactual changes, per country and per pair (changes in percent).

    ``countries`` columns: ``country, exports_base, exports_new, exports_change_pct,
    output_change_pct, factory_price_change_pct, omr_change_pct, imr_change_pct,
    real_gdp_change_pct``.  ``pairs`` columns: ``exporter, importer, trade_base,
    trade_new, trade_change_pct``.  Both tables are built from ``solution`` the first
    time they are read.
    """

    kind: str
    reference: str
    sigma: float
    iterations: int
    baseline: GEBaseline = field(repr=False)
    solution: GESolution = field(repr=False)

    @cached_property
    def countries(self) -> pd.DataFrame:
        """One row per country."""
        sol, x = self.solution, self.baseline.flows
        exp_base = x.sum(axis=1) - np.diag(x)
        exp_new = sol.exports_new()
        with np.errstate(divide="ignore", invalid="ignore"):
            return pd.DataFrame(
                {
                    "country": self.baseline.countries,
                    "exports_base": exp_base,
                    "exports_new": exp_new,
                    "exports_change_pct": 100.0 * (exp_new / exp_base - 1.0),
                    "output_change_pct": 100.0 * (sol.output_hat - 1.0),
                    "factory_price_change_pct": 100.0 * (sol.output_hat - 1.0),
                    "omr_change_pct": 100.0 * (sol.omr_hat ** (1.0 / (1.0 - sol.sigma)) - 1.0),
                    "imr_change_pct": 100.0 * (sol.price_index_hat() - 1.0),
                    "real_gdp_change_pct": 100.0 * (sol.real_gdp_hat() - 1.0),
                }
            )

    @cached_property
    def pairs(self) -> pd.DataFrame:
        """One row per ordered pair of countries, exporters in the outer order."""
        x, x_new = self.baseline.flows, self.solution.flows_new
        exporter, importer = self.baseline.pair_names()
        with np.errstate(divide="ignore", invalid="ignore"):
            return pd.DataFrame(
                {
                    "exporter": exporter,
                    "importer": importer,
                    "trade_base": x.ravel(),
                    "trade_new": x_new.ravel(),
                    "trade_change_pct": 100.0 * (x_new / x - 1.0).ravel(),
                }
            )

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
        n = len(self.baseline.countries)
        return self.pairs.iloc[self.baseline.index(exporter) * n + self.baseline.index(importer)]


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
        raise ConfigError(f"sigma: must be > 1, got {sigma}", parameter="sigma")
    solution = solve_ge_arrays(
        baseline,
        _phi_hat_matrix(baseline, shock, sigma),
        kind=kind,
        reference=reference,
        sigma=sigma,
        deficits=deficits,
        tol=tol,
        max_iter=max_iter,
    )
    return GEResult(
        kind=kind,
        reference=baseline.countries[solution.reference],
        sigma=sigma,
        iterations=solution.iterations,
        baseline=baseline,
        solution=solution,
    )
