"""Discounting: present values, NPV, benefit–cost ratio and economic internal rate of return.

The conventions are those of the ADB and World Bank economic analysis guidelines: flows are
yearly, year 0 is the first year of construction and is not discounted, and a flow in year
``t`` is worth ``flow / (1 + r) ** t`` today.  The EIRR is the discount rate at which the
net present value of the net flows (benefits − costs) is zero.
"""

from __future__ import annotations

import math

import numpy as np
import numpy.typing as npt
from scipy.optimize import brentq

from steppe.errors import ConfigError

__all__ = ["bcr", "discount_factors", "eirr", "npv", "present_value"]

FloatArray = npt.NDArray[np.float64]

# The EIRR is searched on (-99 %, +1,000 %): wider than any transport project's return.
_EIRR_LOW, _EIRR_HIGH = -0.99, 10.0


def _check_rate(rate: float, name: str = "discount") -> None:
    if not (0.0 < rate < 1.0):
        raise ConfigError(f"{name} rate {rate!r} must lie in (0, 1), e.g. 0.09 for 9 %")


def discount_factors(years: int, rate: float) -> FloatArray:
    """Return ``1 / (1 + rate) ** t`` for ``t = 0 .. years - 1``.

    Examples
    --------
    >>> [round(float(x), 4) for x in discount_factors(3, 0.10)]
    [1.0, 0.9091, 0.8264]
    """
    _check_rate(rate)
    if years < 1:
        raise ConfigError(f"years {years!r} must be at least 1")
    return np.asarray((1.0 + rate) ** -np.arange(years, dtype=float), dtype=float)


def present_value(flows: npt.ArrayLike, rate: float) -> float:
    """Return the present value at year 0 of yearly flows (the first flow is year 0).

    Examples
    --------
    >>> round(present_value([0.0, 110.0], 0.10), 6)
    100.0
    """
    arr = np.asarray(flows, dtype=float)
    return float(arr @ discount_factors(len(arr), rate))


def npv(benefits: npt.ArrayLike, costs: npt.ArrayLike, rate: float) -> float:
    """Return the net present value of yearly benefits minus yearly costs.

    Examples
    --------
    >>> round(npv([0.0, 60.0, 60.0], [100.0, 0.0, 0.0], 0.10), 2)
    4.13
    """
    b, c = np.asarray(benefits, dtype=float), np.asarray(costs, dtype=float)
    if b.shape != c.shape:
        raise ConfigError(f"benefits ({b.shape[0]} years) and costs ({c.shape[0]}) differ")
    return present_value(b - c, rate)


def bcr(benefits: npt.ArrayLike, costs: npt.ArrayLike, rate: float) -> float:
    """Return the benefit–cost ratio: present value of benefits over that of costs.

    Examples
    --------
    >>> round(bcr([0.0, 60.0, 60.0], [100.0, 0.0, 0.0], 0.10), 4)
    1.0413
    """
    pv_costs = present_value(costs, rate)
    if pv_costs <= 0:
        raise ConfigError("the present value of costs must be positive to form a ratio")
    return present_value(benefits, rate) / pv_costs


def _npv_at(net: FloatArray, rate: float) -> float:
    return float(net @ (1.0 + rate) ** -np.arange(len(net), dtype=float))


def eirr(net_flows: npt.ArrayLike) -> float:
    """Return the economic internal rate of return of yearly net flows, or NaN.

    The root of ``NPV(r) = 0`` on (-99 %, 1,000 %) by Brent's method.  NaN when the net
    flows never change sign (no rate makes them break even) or when the NPV has no sign
    change on that interval.  With more than one sign change in the flows the rate may
    not be unique; the root nearest to zero from the search interval's grid is returned.

    Examples
    --------
    >>> round(eirr([-100.0, 60.0, 60.0]), 4)
    0.1307
    >>> import math
    >>> math.isnan(eirr([10.0, 10.0]))
    True
    """
    net = np.asarray(net_flows, dtype=float)
    if not np.all(np.isfinite(net)):
        raise ConfigError("net flows must be finite numbers")
    if not (np.any(net > 0) and np.any(net < 0)):
        return math.nan
    # A grid finds every bracket with a sign change; keep the one nearest to zero.
    grid = np.concatenate(
        [np.linspace(_EIRR_LOW, 0.0, 100)[:-1], np.geomspace(1e-6, _EIRR_HIGH, 200)]
    )
    values = ((1.0 + grid[:, None]) ** -np.arange(len(net), dtype=float)[None, :]) @ net
    brackets = np.flatnonzero(np.sign(values[:-1]) * np.sign(values[1:]) < 0)
    if brackets.size == 0:
        exact = np.flatnonzero(values == 0.0)
        return float(grid[exact[0]]) if exact.size else math.nan
    best = min(brackets, key=lambda i: abs(grid[i]))
    root = brentq(lambda r: _npv_at(net, r), grid[best], grid[best + 1], xtol=1e-12)
    return float(root)
