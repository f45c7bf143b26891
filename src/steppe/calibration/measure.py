"""Run observations through the router and compare: the instrument ``calibrate report`` uses.

Each row is routed with the options it names (modes, avoided countries, via places, the
cargo its price unit implies, its scenario), fastest route for time and price rows and
shortest for distances.  The model figure is the route total, or the sum of the legs of
the row's component (line haul, border, transfer, port, ferry wait).  The row's date
(``period``) sets the price date of price rows (:func:`route_options`), not a departure.
"""

from __future__ import annotations

import logging
import math
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from steppe._progress import report_progress
from steppe.calibration.overlay import leg_component, leg_key
from steppe.calibration.register import Observation
from steppe.errors import SteppeError
from steppe.network.model import Mode, Network
from steppe.routing import Cargo, CostModel, Objective, RouteOptions, route
from steppe.routing.result import Route

__all__ = [
    "Measured",
    "NetworkFor",
    "log_error",
    "measure",
    "measure_one",
    "model_value",
    "route_options",
]

logger = logging.getLogger(__name__)

#: Per-row routing inputs: a function of the scenario name giving (network, cost model).
NetworkFor = Callable[[str], tuple[Network, CostModel]]


@dataclass(frozen=True, slots=True)
class Measured:
    """One observation against the model.

    ``model`` is in the observation's unit; ``parts`` is the model figure split by
    factor key (``time.line_haul.rail``: value in steppe units), used by the fit.
    ``error`` says why a row could not be routed (it then has no model value).
    """

    obs: Observation
    model: float | None
    ratio: float | None
    log_error: float | None
    inside: bool | None
    parts: dict[str, float] = field(default_factory=dict)
    link_ids: tuple[str, ...] = ()
    corridor: str = ""
    error: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return the row as JSON-ready data."""
        o = self.obs
        return {
            "id": o.id, "role": o.role, "quantity": o.quantity, "component": o.component,
            "corridor": o.corridor, "modes": o.mode_label, "service": o.service,
            "origin": o.origin, "destination": o.destination, "scenario": o.scenario,
            "unit": o.unit, "low": o.low, "high": o.high, "model": self.model,
            "ratio": self.ratio, "log_error": self.log_error, "inside": self.inside,
            "route": self.corridor, "error": self.error, "source": o.source_title,
            "source_url": o.source_url, "period": f"{o.period[0]}..{o.period[1]}",
            "direction": o.direction or "one-way",
        }  # fmt: skip


_SERVICES = {"block_train": "block", "container_train": "block", "express_train": "express"}


def route_options(
    obs: Observation, cost_model: CostModel | None = None, *, span: tuple[str, str] | None = None
) -> RouteOptions:
    """Return the routing options that match an observation.

    Modes, avoided countries and via places as the row gives them; the fastest route
    for time and price (the service as it runs), the shortest for a distance; the cargo
    the price unit implies (one FEU for FEU, truck and wagon prices, one TEU, one tonne).
    A price row is priced at the middle month of its ``period`` when that month lies in
    ``span`` (the months the network's tariffs cover; else at their default month) and,
    for a train, with the rail service it names (``block_train`` and ``container_train``
    book a block train, ``express_train`` the express service).  ``obs.period`` does not
    set a departure.

    Examples
    --------
    >>> from steppe.calibration import read_observations
    >>> obs = read_observations().rows[0]
    >>> opts = route_options(obs)
    >>> opts.objective.value, sorted(m.value for m in opts.modes), sorted(opts.avoid)
    ('time', ['rail'], ['MNG'])
    """
    cargo = {"feu": Cargo(), "teu": Cargo("teu", 10.0), "tonnes": Cargo("tonnes", 1.0)}
    price_date = service = None
    if obs.quantity == "price":
        first, last = obs.period
        mid = first + (last - first) / 2
        month = f"{mid.year:04d}-{mid.month:02d}"
        price_date = month if span is not None and span[0] <= month <= span[1] else None
        service = _SERVICES.get(obs.service)
    return RouteOptions(
        price_date=price_date,
        service=service,
        via=obs.via,
        modes=frozenset(Mode(m) for m in obs.modes),
        avoid=frozenset(obs.avoid),
        objective=Objective.DISTANCE if obs.quantity == "distance" else Objective.TIME,
        cargo=cargo[obs.cargo],
        cost_model=cost_model or CostModel(),
    )


def _leg_value(leg: Any, quantity: str) -> float:
    if quantity == "time":
        return float(leg.time_h)
    if quantity == "price":
        return float(leg.cost_usd)
    return float(leg.distance_km)


def model_value(r: Route, obs: Observation) -> tuple[float, dict[str, float]]:
    """Return the model figure of a route for an observation (steppe units) and its parts."""
    parts: dict[str, float] = defaultdict(float)
    total = 0.0
    for leg in r.legs:
        if obs.component != "total" and leg_component(leg) != obs.component:
            continue
        v = _leg_value(leg, obs.quantity)
        total += v
        if obs.quantity != "distance" and v:
            parts[leg_key(leg, obs.quantity)] += v
    return total, dict(parts)


def log_error(obs: Observation, model: float) -> float:
    """Return log(model / published), 0 on the right side of a one-sided bound.

    Against a range the reference is its geometric middle.

    Examples
    --------
    >>> from types import SimpleNamespace as NS
    >>> round(log_error(NS(low=10.0, high=None, reference=10.0), 5.0), 3)
    -0.693
    >>> log_error(NS(low=10.0, high=None, reference=10.0), 20.0)
    0.0
    """
    if model <= 0:
        return -math.inf
    if obs.low is not None and obs.high is not None:
        return math.log(model / obs.reference)
    if obs.low is not None:
        return min(0.0, math.log(model / obs.low))
    high = obs.high if obs.high is not None else math.inf
    return max(0.0, math.log(model / high))


def _inside(obs: Observation, model: float) -> bool:
    lo = obs.low if obs.low is not None else -math.inf
    hi = obs.high if obs.high is not None else math.inf
    # a point value counts as inside within 0.5 % (rounding of the published figure)
    return lo * 0.995 <= model <= hi * 1.005


def measure_one(obs: Observation, network: Network, cost_model: CostModel) -> Measured:
    """Route one observation and compare it with the published figure."""
    try:
        opts = route_options(obs, cost_model, span=network.prices.span())
        r = route(network, obs.origin, obs.destination, opts).best
        back = (
            route(network, obs.destination, obs.origin, opts).best
            if obs.direction == "both"
            else None
        )
    except SteppeError as exc:
        return Measured(obs, None, None, None, None, error=str(exc))
    value, parts = model_value(r, obs)
    if back is not None:  # a two-way average: the mean of the model's two directions
        value_back, parts_back = model_value(back, obs)
        value = (value + value_back) / 2
        parts = {k: (parts.get(k, 0.0) + parts_back.get(k, 0.0)) / 2
                 for k in parts.keys() | parts_back.keys()}  # fmt: skip
    model = value / obs.scale
    ratio = model / obs.reference if obs.reference > 0 else None
    err = log_error(obs, model)
    return Measured(
        obs, model, ratio, err if math.isfinite(err) else None, _inside(obs, model),
        parts=parts, link_ids=r.link_ids, corridor=r.corridor,
    )  # fmt: skip


def measure(observations: Iterable[Observation], network_for: NetworkFor) -> tuple[Measured, ...]:
    """Measure every observation, in the given order.

    Rows are routed grouped by scenario and options so the router's graph cache is
    reused; the result keeps the input order.
    """
    rows: Sequence[Observation] = tuple(observations)
    order = sorted(range(len(rows)), key=lambda i: (
        rows[i].scenario, rows[i].modes, rows[i].avoid, rows[i].cargo))  # fmt: skip
    out: dict[int, Measured] = {}
    for i in order:
        net, cm = network_for(rows[i].scenario)
        out[i] = measure_one(rows[i], net, cm)
        report_progress(len(out), len(rows))
    return tuple(out[i] for i in range(len(rows)))
