"""The sourced parameters of an appraisal and their uncertainty, frozen and checked.

Every default cites its source here and in ``docs/appraisal.md``; a user overrides any of
them through :class:`AppraisalSettings`.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal, get_args

import numpy as np
import numpy.typing as npt

from steppe.errors import ConfigError

__all__ = [
    "CO2_PRICE_HIGH",
    "CO2_PRICE_LOW",
    "COST_OVERRUN",
    "DEMAND_SPREAD",
    "AppraisalSettings",
    "ReferenceClass",
    "co2_price",
]

ReferenceClass = Literal["road", "rail", "fixed_link"]

# Actual ÷ estimated construction cost, mean and standard deviation, by project type:
# Flyvbjerg, Holm & Buhl (2003), "How common and how large are cost overruns in transport
# infrastructure projects?", Transport Reviews 23(1): 71-88, 258 projects in 20 nations:
# roads +20 % (SD 30), rail +45 % (SD 38), fixed links (bridges, tunnels) +34 % (SD 62).
COST_OVERRUN: dict[str, tuple[float, float]] = {
    "road": (1.20, 0.30),
    "rail": (1.45, 0.38),
    "fixed_link": (1.34, 0.62),
}
# Spread of actual ÷ forecast traffic: Flyvbjerg, Skamris Holm & Buhl (2005), "How
# (in)accurate are demand forecasts in public works projects?", Journal of the American
# Planning Association 71(2): 131-146: road projects, SD 44 %.  Applied as a spread around
# steppe's own demand (mean 1), not as the promoters' bias, since steppe's demand is not a
# promoter's forecast.
DEMAND_SPREAD = 0.44
# USD per tonne CO2e: the High-Level Commission on Carbon Prices (2017), adopted by the
# World Bank's 2017 guidance note on the shadow price of carbon: 40-80 in 2020, 50-100 in
# 2030; linear between, held at the 2030 values after (steppe's choice, conservative).
CO2_PRICE_LOW = ((2020, 40.0), (2030, 50.0))
CO2_PRICE_HIGH = ((2020, 80.0), (2030, 100.0))


def co2_price(years: npt.ArrayLike, *, level: float = 0.5) -> npt.NDArray[np.float64]:
    """Return the shadow price of CO2 (USD per tonne) in calendar years.

    ``level`` 0 is the commission's low path, 1 the high path, 0.5 the midpoint.

    Examples
    --------
    >>> [float(x) for x in co2_price([2020, 2025, 2040])]
    [60.0, 67.5, 75.0]
    """
    y = np.clip(np.asarray(years, dtype=float), 2020.0, 2030.0)
    (y0, lo0), (y1, lo1) = CO2_PRICE_LOW
    (_, hi0), (_, hi1) = CO2_PRICE_HIGH
    low = lo0 + (lo1 - lo0) * (y - y0) / (y1 - y0)
    high = hi0 + (hi1 - hi0) * (y - y0) / (y1 - y0)
    return np.asarray(low + level * (high - low), dtype=float)


@dataclass(frozen=True, slots=True)
class AppraisalSettings:
    """What an appraisal assumes: money, time, growth and uncertainty.

    Parameters
    ----------
    capex_usd
        Investment cost as estimated, USD, spread evenly over the construction years.
    opex_usd_per_year
        Operation and maintenance cost per year of operation, USD.
    years
        Appraisal period in years, construction included.
    discount
        Real discount rate, in (0, 1); ADB's guidelines use 9 % (6 % for some sectors).
    construction_years
        Years of construction before the project opens (benefits start after them).
    start_year
        Calendar year of the first construction year (for the CO2 price path).
    demand_growth
        Yearly growth of the base-year tonnes.
    induced_elasticity
        Elasticity of tonnes with respect to generalized cost for induced traffic, valued
        by the rule of half; 0 (default) counts no induced traffic.
    co2_price_level
        Where on the commission's low-high path the central CO2 price lies (0..1).
    reference_class
        ``road``, ``rail`` or ``fixed_link``: which cost-overrun distribution the Monte
        Carlo draws.
    draws
        Monte Carlo draws (0: the central case only).
    seed
        Seed of the draws.
    """

    capex_usd: float
    opex_usd_per_year: float = 0.0
    years: int = 30
    discount: float = 0.09
    construction_years: int = 3
    start_year: int = 2025
    demand_growth: float = 0.0
    induced_elasticity: float = 0.0
    co2_price_level: float = 0.5
    reference_class: ReferenceClass = "road"
    draws: int = 1000
    seed: int = 0

    def __post_init__(self) -> None:
        checks = [
            (self.capex_usd > 0 and np.isfinite(self.capex_usd), "capex_usd", "a positive number"),
            (self.opex_usd_per_year >= 0 and np.isfinite(self.opex_usd_per_year),
             "opex_usd_per_year", "a number >= 0"),
            (0 < self.discount < 1, "discount", "in (0, 1), e.g. 0.09"),
            (1 <= self.years <= 100, "years", "between 1 and 100"),
            (0 <= self.construction_years < self.years, "construction_years",
             "between 0 and years - 1"),
            (-0.5 < self.demand_growth < 0.5, "demand_growth", "in (-0.5, 0.5)"),
            (-10 <= self.induced_elasticity <= 0, "induced_elasticity",
             "between -10 and 0 (tonnes fall as generalized cost rises)"),
            (0 <= self.co2_price_level <= 1, "co2_price_level", "in [0, 1]"),
            (self.reference_class in get_args(ReferenceClass), "reference_class",
             "road, rail or fixed_link"),
            (0 <= self.draws <= 100_000, "draws", "between 0 and 100,000"),
        ]  # fmt: skip
        for ok, name, rule in checks:
            if not ok:
                raise ConfigError(f"{name} = {getattr(self, name)!r} must be {rule}")
