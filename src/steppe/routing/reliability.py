"""Transit-time reliability of a route by Monte Carlo simulation.

Moving times and transfers are taken as fixed.  Each draw follows the route leg by leg
in time, so that every wait is drawn at the moment the shipment gets there:

* a border dwell is log-normal with the crossing's median and 90th percentile
  (``sigma = ln(p90 / median) / z_0.9``) — a sourced direction-specific dwell of
  ``capacities.csv`` in place of the survey figure where there is one;
* a wait for a scheduled departure is uniform between zero and the headway (its mean is
  the half headway the router charges); a ship that sails when full draws its fitted wait;
* at places with calendars and capacities (:mod:`steppe.routing.waits`) the draw also
  waits out closures, joins the queue (waits with the Erlang-C chance, exponential given
  a wait) and meets weather suspensions (uniform over the event when it arrives in one).

With a departure date every draw leaves then; without one, each draw leaves at a random
time of the reference year, so closures and seasons count as often as they occur.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING, Any

import numpy as np
import numpy.typing as npt

from steppe._deadline import check_deadline
from steppe.errors import ConfigError
from steppe.network.model import Border, Mode, Network
from steppe.routing._clock import parse_depart, to_hours
from steppe.routing.costs import CostModel
from steppe.routing.options import RouteOptions
from steppe.routing.result import Leg, Route
from steppe.routing.waits import REFERENCE_YEAR, Wait, time_model

if TYPE_CHECKING:
    import pandas as pd

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
    depart: str | None = None
    """The departure date the draws leave on; ``None``: random times of the year."""

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
        } | ({"depart": self.depart} if self.depart else {})


def _start_times(
    route: Route, draws: int, rng: np.random.Generator, depart: str | date | None
) -> np.ndarray:
    moment = parse_depart(depart) or (parse_depart(route.depart) if route.depart else None)
    if moment is not None:
        return np.full(draws, to_hours(moment))
    year0 = to_hours(date(REFERENCE_YEAR, 1, 1))
    return year0 + rng.uniform(0.0, 365 * 24.0, draws)


def _lognormal(
    rng: np.random.Generator, median: float, p90: float, ratio: float, draws: int
) -> np.ndarray:
    if median <= 0:
        return np.zeros(draws)
    if p90 <= median:
        p90 = median * ratio
    sigma = math.log(p90 / median) / Z90
    return np.asarray(rng.lognormal(math.log(median), sigma, draws), dtype=np.float64)


def simulate(
    network: Network,
    route: Route,
    draws: int,
    seed: int,
    cost_model: CostModel,
    *,
    depart: str | date | None = None,
) -> npt.NDArray[np.float64]:
    """Return ``draws`` simulated total times of a route, in hours.

    ``depart`` (a date, date-time or ISO string) fixes the departure; otherwise the
    route's own departure if it is dated, else a random time of the reference year.
    """
    rng = np.random.default_rng(seed)
    waits = time_model(network)
    t0 = _start_times(route, draws, rng, depart)
    t = t0.copy()
    borders = {b.id: b for b in network.borders}
    for leg in route.legs:
        check_deadline()
        if leg.kind == "border":
            t = _border(leg, borders, waits, rng, t, ratio=cost_model.p90_median_ratio)
        elif leg.kind == "wait":
            t = _wait(leg, network, waits, rng, t)
        else:
            t = t + leg.time_h
    return np.asarray(t - t0, dtype=np.float64)


def _border(
    leg: Leg,
    borders: dict[str, Border],
    waits: dict[tuple[str, str, str, bool], Wait],
    rng: np.random.Generator,
    t: npt.NDArray[np.float64],
    *,
    ratio: float,
) -> npt.NDArray[np.float64]:
    border = borders.get(leg.ref)
    if border is None:
        return t + leg.time_h
    forward = leg.from_id == border.a
    wait = waits.get(("border", border.id, leg.mode, forward))
    if wait is not None:  # closures and the queue first, as the search times them
        t = wait.exit_many(t, rng)
    if wait is None or not wait.replaces_dwell:
        dwell = border.dwell_for(Mode(leg.mode), forward=forward)
        if dwell is None:
            return t + leg.time_h
        t = t + _lognormal(rng, dwell.median_h, dwell.p90_h, ratio, len(t))
    return t


def _wait(
    leg: Leg,
    network: Network,
    waits: dict[tuple[str, str, str, bool], Wait],
    rng: np.random.Generator,
    t: np.ndarray,
) -> np.ndarray:
    link = network.links_by_id.get(leg.ref)
    if link is None:  # a port or terminal dwell: "node:mode"
        node, _, mode = leg.ref.partition(":")
        wait = waits.get(("node", node, mode, True))
        return wait.exit_many(t, rng) if wait is not None else t + leg.time_h
    wait = waits.get(("link", link.id, link.mode.value, leg.from_id == link.a))
    if wait is None or not wait.replaces_headway:
        t = t + (rng.uniform(0.0, link.headway_h, len(t)) if link.headway_h else leg.time_h)
    return wait.exit_many(t, rng) if wait is not None else t


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
        cost model supplies the p90/median ratio used where a crossing has no usable p90,
        and their ``depart`` (default: the route's own departure if it was found for a
        date, else a random time of the year per draw) the departure of every draw.

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
        raise ConfigError(f"draws: must be at least 1, got {draws}", parameter="draws")
    if within_days is not None and within_days < 0:
        raise ConfigError(f"within_days: must be >= 0, got {within_days}", parameter="within_days")
    opts = RouteOptions.build(options, **keywords)
    depart = opts.depart
    times = simulate(network, route, draws, seed, opts.cost_model, depart=depart)
    days = np.floor(times / 24.0).astype(np.int64)
    lo, hi = int(days.min()), int(days.max())
    counts = np.bincount(days - lo, minlength=hi - lo + 1)
    import pandas as pd  # here, not at import: a plain route on the command line needs none

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
        depart=_depart_label(depart, route),
    )


def _depart_label(depart: str | date | None, route: Route) -> str | None:
    moment = parse_depart(depart)
    if moment is not None:
        return f"{moment:%Y-%m-%dT%H:%M}"
    return route.depart or None
