"""Transit-time reliability of a route by Monte Carlo simulation.

Moving times and transfers are taken as fixed.  Each border dwell is drawn from a
log-normal distribution with the crossing's median and 90th percentile
(``sigma = ln(p90 / median) / z_0.9``); each wait for a scheduled departure is uniform
between zero and the headway (its mean is the half headway the router charges).
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import numpy as np
import pandas as pd

from steppe.errors import ConfigError
from steppe.network.model import Mode, Network
from steppe.routing.costs import CostModel
from steppe.routing.options import RouteOptions
from steppe.routing.result import Route

__all__ = ["ReliabilityResult", "reliability", "simulate"]

Z90 = 1.2815515655446004  # 90th percentile of the standard normal


@dataclass(frozen=True, slots=True)
class ReliabilityResult:
    """The simulated distribution of a route's door-to-door time.

    ``distribution`` has one row per whole day: ``day`` (arrival within that day,
    counting from 0), ``count``, ``share`` and ``cdf`` (share arrived by the end of it).
    """

    draws: int
    seed: int
    median_h: float
    p90_h: float
    mean_h: float
    within_days: float | None
    prob_within: float | None
    distribution: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """Return the result as a JSON-ready dict."""
        return {
            "draws": self.draws,
            "seed": self.seed,
            "median_h": round(self.median_h, 3),
            "p90_h": round(self.p90_h, 3),
            "mean_h": round(self.mean_h, 3),
            "median_days": round(self.median_h / 24, 3),
            "p90_days": round(self.p90_h / 24, 3),
            "within_days": self.within_days,
            "prob_within": self.prob_within,
            "distribution": self.distribution.to_dict(orient="records"),
        }


def simulate(
    network: Network, route: Route, draws: int, seed: int, cost_model: CostModel
) -> np.ndarray:
    """Return ``draws`` simulated total times of a route, in hours."""
    rng = np.random.default_rng(seed)
    total = np.zeros(draws)
    fixed = 0.0
    for leg in route.legs:
        if leg.kind == "border":
            border = next((b for b in network.borders if b.id == leg.ref), None)
            dwell = (
                border.dwell_for(Mode(leg.mode), forward=leg.from_id == border.a)
                if border is not None
                else None
            )
            median = dwell.median_h if dwell else leg.time_h
            p90 = dwell.p90_h if dwell else 0.0
            if p90 <= median:
                p90 = median * cost_model.p90_median_ratio
            if median <= 0:
                continue
            sigma = math.log(p90 / median) / Z90
            total += rng.lognormal(math.log(median), sigma, draws)
        elif leg.kind == "wait":
            link = network.links_by_id.get(leg.ref)
            headway = link.headway_h if link is not None and link.headway_h else None
            if headway is None:
                fixed += leg.time_h
            else:
                total += rng.uniform(0.0, headway, draws)
        else:
            fixed += leg.time_h
    return total + fixed


def reliability(
    network: Network,
    route: Route,
    options: RouteOptions | None = None,
    *,
    draws: int = 1000,
    seed: int = 0,
    within_days: float | None = None,
    **keywords: Any,
) -> ReliabilityResult:
    """Simulate a route's transit time: median, 90th percentile, chance of arriving in time.

    Parameters
    ----------
    network
        The network the route was found on (for border dwell spreads and headways).
    route
        A route from :func:`steppe.routing.route` or :func:`steppe.routing.pareto`.
    draws
        Number of Monte Carlo draws.
    seed
        Seed of the random generator; the same seed gives the same result.
    within_days
        Deadline for ``prob_within``, in days.
    options, **keywords
        The options the route was found with, as for :func:`steppe.routing.route`; their
        cost model supplies the p90/median ratio used where a crossing has no usable p90.

    Returns
    -------
    ReliabilityResult

    Examples
    --------
    >>> import steppe
    >>> net = steppe.load_network()
    >>> best = steppe.route(net, "Almaty", "Baku").best
    >>> rel = steppe.reliability(net, best, within_days=20)
    >>> rel.p90_h >= rel.median_h
    True
    """
    if draws < 1:
        raise ConfigError(f"draws: must be at least 1, got {draws}")
    if within_days is not None and within_days < 0:
        raise ConfigError(f"within_days: must be >= 0, got {within_days}")
    opts = RouteOptions.build(options, **keywords)
    times = simulate(network, route, draws, seed, opts.cost_model)
    days = np.floor(times / 24.0).astype(np.int64)
    lo, hi = int(days.min()), int(days.max())
    counts = np.bincount(days - lo, minlength=hi - lo + 1)
    table = pd.DataFrame({"day": np.arange(lo, hi + 1), "count": counts})
    table["share"] = table["count"] / draws
    table["cdf"] = table["count"].cumsum() / draws
    prob = None if within_days is None else float(np.mean(times <= within_days * 24.0))
    return ReliabilityResult(
        draws=draws,
        seed=seed,
        median_h=float(np.median(times)),
        p90_h=float(np.quantile(times, 0.9)),
        mean_h=float(times.mean()),
        within_days=within_days,
        prob_within=prob,
        distribution=table,
    )
