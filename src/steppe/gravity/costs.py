"""From changes in transit time (and freight cost) to changes in bilateral trade costs.

Two documented conversions:

``"ad_valorem"`` (default)
    Hummels & Schaur (2013), "Time as a Trade Barrier", *American Economic Review*
    103(7): 2935-59, estimate that each day in transit is equivalent to an
    ad-valorem tariff of 0.6 to 2.1 percent.  With ``a`` that tariff per day,
    ``d`` days in transit and freight cost ``c`` per unit of shipment value ``v``,
    the iceberg cost is ``t = 1 + a d + c / v``; ``t_hat = t' / t`` and the
    gravity cost term changes by ``phi_hat = t_hat^(1-σ)``.
``"elasticity"``
    ``phi_hat = (T' / T)^ε`` with ``ε`` the elasticity of trade with respect to
    transit time, e.g. the distance elasticity of a fitted gravity model when time
    is taken as proportional to distance (the *Advanced Guide* finds about -0.8).
"""

from __future__ import annotations

from typing import Any, Literal

import numpy as np
import pandas as pd

from steppe.errors import ConfigError

__all__ = [
    "HUMMELS_SCHAUR_PER_DAY",
    "aggregate_place_pairs",
    "cost_term_changes",
    "trade_cost_change_from_times",
]

#: Hummels & Schaur (2013): each day in transit ~ 0.6% to 2.1% ad valorem.
HUMMELS_SCHAUR_PER_DAY: tuple[float, float] = (0.006, 0.021)


def aggregate_place_pairs(
    place_pairs: pd.DataFrame,
    *,
    weight_o: str = "weight_o",
    weight_d: str = "weight_d",
) -> pd.DataFrame:
    """Aggregate place-to-place times to country pairs, weighting by ``w_o * w_d``.

    Parameters
    ----------
    place_pairs
        One row per origin-destination place pair with ``iso_o, iso_d,
        baseline_time_h, scenario_time_h`` and the two weights (for example the
        places' populations or GDP).
    weight_o, weight_d
        Weight columns of the origin and the destination place.

    Returns
    -------
    pandas.DataFrame
        ``iso_o, iso_d, baseline_time_h, scenario_time_h``: weighted means.

    Examples
    --------
    >>> pp = pd.DataFrame({"iso_o": ["KAZ", "KAZ"], "iso_d": ["MNG", "MNG"],
    ...                    "baseline_time_h": [100.0, 200.0], "scenario_time_h": [50.0, 200.0],
    ...                    "weight_o": [3.0, 1.0], "weight_d": [1.0, 1.0]})
    >>> aggregate_place_pairs(pp)["scenario_time_h"].tolist()
    [87.5]
    """
    need = ["iso_o", "iso_d", "baseline_time_h", "scenario_time_h", weight_o, weight_d]
    missing = [c for c in need if c not in place_pairs.columns]
    if missing:
        raise ConfigError(f"place pairs lack column(s) {', '.join(missing)}")
    w = place_pairs[weight_o].to_numpy(float) * place_pairs[weight_d].to_numpy(float)
    if (w < 0).any() or not np.isfinite(w).all():
        raise ConfigError("place weights must be finite and >= 0")
    tmp = place_pairs[["iso_o", "iso_d"]].assign(
        w=w,
        b=w * place_pairs["baseline_time_h"].to_numpy(float),
        s=w * place_pairs["scenario_time_h"].to_numpy(float),
    )
    g = tmp.groupby(["iso_o", "iso_d"], as_index=False)[["w", "b", "s"]].sum()
    if (g["w"] <= 0).any():
        raise ConfigError("a country pair has zero total weight")
    return pd.DataFrame(
        {
            "iso_o": g["iso_o"],
            "iso_d": g["iso_d"],
            "baseline_time_h": g["b"] / g["w"],
            "scenario_time_h": g["s"] / g["w"],
        }
    )


FloatArray = np.ndarray[Any, np.dtype[np.float64]]


def cost_term_changes(
    baseline_time_h: FloatArray,
    scenario_time_h: FloatArray,
    *,
    method: Literal["ad_valorem", "elasticity"],
    ad_valorem_per_day: float,
    elasticity: float,
    sigma: float,
    baseline_cost: FloatArray | float = 0.0,
    scenario_cost: FloatArray | float = 0.0,
) -> tuple[FloatArray, FloatArray]:
    """Return ``t_hat`` and ``phi_hat`` for arrays of transit times (the formulas only).

    The array core of :func:`trade_cost_change_from_times`, which checks its input
    first; Monte Carlo draws call this with times checked once.  Costs are per unit
    of shipment value.

    Examples
    --------
    >>> t_hat, phi_hat = cost_term_changes(np.array([240.0]), np.array([120.0]),
    ...     method="ad_valorem", ad_valorem_per_day=0.01, elasticity=0.0, sigma=7.0)
    >>> round(float(t_hat[0]), 6)
    0.954545
    """
    if method == "ad_valorem":
        t_hat: FloatArray = (1 + ad_valorem_per_day * scenario_time_h / 24 + scenario_cost) / (
            1 + ad_valorem_per_day * baseline_time_h / 24 + baseline_cost
        )
        return t_hat, t_hat ** (1.0 - sigma)
    if method == "elasticity":
        phi_hat: FloatArray = (scenario_time_h / baseline_time_h) ** elasticity
        return np.full_like(phi_hat, np.nan), phi_hat
    raise ConfigError(f"method must be 'ad_valorem' or 'elasticity', got {method!r}")


def trade_cost_change_from_times(
    pair_changes: pd.DataFrame,
    *,
    method: Literal["ad_valorem", "elasticity"] = "ad_valorem",
    ad_valorem_per_day: float = 0.0135,
    elasticity: float = -0.8,
    sigma: float = 7.0,
    shipment_value_usd: float | None = None,
) -> pd.DataFrame:
    """Convert changes in transit time between country pairs into trade-cost changes.

    Parameters
    ----------
    pair_changes
        ``iso_o, iso_d, baseline_time_h, scenario_time_h`` and optionally
        ``baseline_cost_usd, scenario_cost_usd`` (freight cost of one shipment).
    method
        ``"ad_valorem"`` (Hummels & Schaur 2013) or ``"elasticity"`` (see module doc).
    ad_valorem_per_day
        Tariff equivalent of one day in transit; default 1.35%, the middle of
        Hummels & Schaur's 0.6-2.1% range.
    elasticity
        Elasticity of trade with respect to transit time (``method="elasticity"``).
    sigma
        Elasticity of substitution; ``phi_hat = t_hat^(1-σ)``.
    shipment_value_usd
        Value of one shipment, needed to turn cost columns into ad-valorem terms.

    Returns
    -------
    pandas.DataFrame
        ``exporter, importer, t_hat, phi_hat`` (``t_hat`` is NaN for the elasticity
        method, which gives the trade-cost term directly).

    Examples
    --------
    >>> pc = pd.DataFrame({"iso_o": ["KAZ"], "iso_d": ["MNG"],
    ...                    "baseline_time_h": [240.0], "scenario_time_h": [120.0]})
    >>> out = trade_cost_change_from_times(pc, ad_valorem_per_day=0.01)
    >>> round(float(out["t_hat"].iloc[0]), 6)
    0.954545
    """
    need = ["iso_o", "iso_d", "baseline_time_h", "scenario_time_h"]
    missing = [c for c in need if c not in pair_changes.columns]
    if missing:
        raise ConfigError(f"pair changes lack column(s) {', '.join(missing)}")
    t0 = pair_changes["baseline_time_h"].to_numpy(float)
    t1 = pair_changes["scenario_time_h"].to_numpy(float)
    if not (np.isfinite(t0).all() and np.isfinite(t1).all()) or (t0 <= 0).any() or (t1 <= 0).any():
        raise ConfigError("transit times must be finite and > 0 hours")
    if sigma <= 1:
        raise ConfigError(f"sigma must be > 1, got {sigma}")
    out = pd.DataFrame(
        {"exporter": pair_changes["iso_o"].to_numpy(), "importer": pair_changes["iso_d"].to_numpy()}
    )
    cost0: FloatArray | float = 0.0
    cost1: FloatArray | float = 0.0
    if method == "ad_valorem":
        if ad_valorem_per_day < 0:
            raise ConfigError("ad_valorem_per_day must be >= 0")
        if {"baseline_cost_usd", "scenario_cost_usd"} <= set(pair_changes.columns):
            if shipment_value_usd is None or shipment_value_usd <= 0:
                raise ConfigError("cost columns need a positive shipment_value_usd")
            cost0 = pair_changes["baseline_cost_usd"].to_numpy(float) / shipment_value_usd
            cost1 = pair_changes["scenario_cost_usd"].to_numpy(float) / shipment_value_usd
    out["t_hat"], out["phi_hat"] = cost_term_changes(
        t0,
        t1,
        method=method,
        ad_valorem_per_day=ad_valorem_per_day,
        elasticity=elasticity,
        sigma=sigma,
        baseline_cost=cost0,
        scenario_cost=cost1,
    )
    return out
