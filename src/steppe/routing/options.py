"""One query object from request to search: :class:`RouteOptions` and :class:`Objective`.

Every routing entry point (:func:`~steppe.routing.route`, :func:`~steppe.routing.pareto`,
:func:`~steppe.routing.reliability`, :func:`~steppe.routing.matrix`,
:func:`steppe.scenarios.compare`, :func:`steppe.gravity.scenario_impact`) takes one
``RouteOptions``, built once by the caller (the CLI, a web request model or Python
code) and passed unchanged to the graph search.  The short keyword form
(``steppe.route(net, "A", "B", avoid=["RUS"])``) is a thin builder over it:
:meth:`RouteOptions.build`.
"""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import date, datetime
from enum import StrEnum
from typing import TYPE_CHECKING, Any

from steppe.emissions.model import EmissionsModel
from steppe.errors import ConfigError
from steppe.network.model import Mode, Node
from steppe.routing.costs import Cargo, CostModel

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from steppe.routing.graph import ExpandedGraph

__all__ = ["ALL_MODES", "GRAPH_FIELDS", "Objective", "RouteOptions"]

ALL_MODES: frozenset[Mode] = frozenset(Mode)


class Objective(StrEnum):
    """What a search minimises; each objective knows its result column and edge weights.

    Examples
    --------
    >>> Objective("time").metric
    'time_h'
    >>> [o.value for o in Objective]
    ['time', 'cost', 'co2', 'distance', 'generalized']
    """

    TIME = "time"
    COST = "cost"
    CO2 = "co2"
    DISTANCE = "distance"
    GENERALIZED = "generalized"

    @property
    def metric(self) -> str:
        """Return the column of a route total or matrix row that this objective minimises."""
        return _METRICS[self]

    def weights(self, graph: ExpandedGraph) -> npt.NDArray[np.float64]:
        """Return the edge weights of an expanded graph for this objective."""
        if self is Objective.TIME:
            return graph.time_h
        if self is Objective.COST:
            return graph.cost_usd
        if self is Objective.CO2:
            return graph.co2_kg
        if self is Objective.DISTANCE:
            return graph.distance_km
        return graph.cost_usd + graph.value_of_time * graph.time_h

    def total(self, totals: Any) -> float:
        """Return this objective's total from a route (or anything with the metric names)."""
        return float(getattr(totals, self.metric))

    @classmethod
    def parse(cls, value: str | Objective, *, parameter: str = "objective") -> Objective:
        """Return the objective named by a string, naming the parameter when unknown."""
        if isinstance(value, Objective):
            return value
        try:
            return cls(str(value).strip().lower())
        except ValueError:
            known = ", ".join(o.value for o in cls)
            raise ConfigError(
                f"{parameter}: unknown objective {value!r}; use one of {known}",
                parameter=parameter,
            ) from None


_METRICS: Mapping[Objective, str] = {
    Objective.TIME: "time_h",
    Objective.COST: "cost_usd",
    Objective.CO2: "co2_kg",
    Objective.DISTANCE: "distance_km",
    Objective.GENERALIZED: "generalized_cost",
}

#: Fields that shape the expanded graph (and so form its cache key).  Fields not listed
#: here (``via``, ``objective``) only steer the search on a graph already built.
GRAPH_FIELDS: tuple[str, ...] = (
    "modes",
    "avoid",
    "closed_transit",
    "cargo",
    "cost_model",
    "emissions",
)


def _modes(value: Iterable[str | Mode] | str | None) -> frozenset[Mode]:
    if value is None:
        return ALL_MODES
    if isinstance(value, frozenset) and value and all(isinstance(m, Mode) for m in value):
        return value
    items = value.split(",") if isinstance(value, str) else list(value)
    out: set[Mode] = set()
    for m in items:
        name = str(m.value if isinstance(m, Mode) else m).strip().lower()
        if not name:
            continue
        try:
            out.add(Mode(name))
        except ValueError:
            known = ", ".join(x.value for x in Mode)
            raise ConfigError(
                f"modes: unknown mode {name!r}; use one of {known}", parameter="modes"
            ) from None
    if not out:
        known = ", ".join(x.value for x in Mode)
        raise ConfigError(
            f"modes: no transport mode allowed; give at least one of {known}", parameter="modes"
        )
    return frozenset(out)


def _countries(value: Iterable[str] | str | None, parameter: str) -> frozenset[str]:
    if not value:
        return frozenset()
    from steppe.countries import resolve_country  # lazily: it loads pycountry

    items = value.split(",") if isinstance(value, str) else list(value)
    out: set[str] = set()
    for a in items:
        if not isinstance(a, str):
            raise ConfigError(
                f"{parameter}: {a!r} is not a country name or code", parameter=parameter
            )
        if a.strip():
            out.add(resolve_country(a.strip()))
    return frozenset(out)


def _via(value: Iterable[str | Node] | str | None) -> tuple[str, ...]:
    if value is None:
        return ()
    items = [value] if isinstance(value, str | Node) else list(value)
    out = []
    for v in items:
        name = v.id if isinstance(v, Node) else v
        if not isinstance(name, str) or not name.strip():
            raise ConfigError(f"via: {v!r} is not a place", parameter="via")
        out.append(name.strip())
    return tuple(out)


@functools.cache
def _default_cost_model() -> CostModel:
    return CostModel()  # immutable, so one default serves every query (it is slow to check)


@functools.cache
def _default_cargo() -> Cargo:
    return Cargo()


def _depart(value: Any) -> datetime | None:
    from steppe.routing._clock import parse_depart

    if value is not None and not isinstance(value, str | date):
        raise ConfigError(f"depart: expected a date, got {value!r}", parameter="depart")
    try:
        return parse_depart(value)
    except ConfigError as exc:
        raise ConfigError(f"depart: {exc}", parameter="depart") from None


@dataclass(frozen=True, slots=True)
class RouteOptions:
    """The options of a routing query, checked once and passed unchanged to the search.

    Frozen and hashable: the fields listed in :data:`GRAPH_FIELDS` are the cache key of
    the prepared (expanded) graph.  Values are normalised on construction, so
    ``RouteOptions(modes="road,rail", avoid=["Russia"], objective="time")`` is the same
    object as ``RouteOptions(modes=frozenset({Mode.ROAD, Mode.RAIL}), avoid=
    frozenset({"RUS"}), objective=Objective.TIME)``; a bad value raises
    :class:`~steppe.errors.ConfigError` whose message starts with the parameter's name.

    Parameters
    ----------
    modes
        Allowed modes (``road``, ``rail``, ``ferry``, ``sea``); ``None`` allows all.
    avoid
        Countries (ISO3, ISO2 or names) whose territory and border posts the route must
        not touch, even at its ends.
    closed_transit
        Countries a route may start or end in but not cross, on top of the network's own
        ``closed_transit`` list.
    via
        Places to pass through, in order (ids, names or aliases).
    objective
        What the search minimises: ``time``, ``cost``, ``co2``, ``distance`` or
        ``generalized`` (money plus the value of time).
    cargo
        The shipment; default one FEU of 20 t.
    cost_model
        Prices, speeds and factors; default :class:`~steppe.routing.CostModel`.
    depart
        Departure date (``"2025-07-10"``, ``"2025-07-10T08:00"``, a date or date-time);
        ``None`` (default) uses the yearly averages of closures, queues and sailings.
        With a date the search is time-dependent (earliest arrival, FIFO) and every wait
        is met at the moment the shipment gets there (``docs/time-model.md``).
    emissions
        The ISO 14083 / GLEC factor choices (ferry vessel class, traction overrides);
        default :class:`~steppe.emissions.EmissionsModel`.  The ``co2`` objective and
        every route's ``co2_kg`` are its well-to-wheel CO2e (``docs/emissions.md``).

    Notes
    -----
    Adding an option is a one-place change: add the field here with a default that
    keeps today's answers, normalise and check it in ``__post_init__`` (raise
    ``ConfigError`` naming the field), add its name to :data:`GRAPH_FIELDS` if it
    changes the expanded graph, and read it where the graph is built
    (``routing/_build.py``) or searched.  The keyword form, the CLI flags
    (``cli/_options.py``) and the web request models (``web/schemas.py``) pick fields
    up by name.  Fields to come, each ``None`` by default (today's behaviour):
    ``price_date`` (tariffs in force on a date), ``service`` (a service type, e.g.
    block train or LCL) and ``calibration`` (an overlay of observed transit times).

    Examples
    --------
    >>> opts = RouteOptions(avoid=["Russia"], objective="time")
    >>> sorted(opts.avoid), opts.objective.metric
    (['RUS'], 'time_h')
    >>> opts == RouteOptions.build(avoid="RUS", optimize="time")
    True
    >>> RouteOptions(cost_model=CostModel(rail_usd_per_km=0.9)).to_dict()["cost_model"]
    {'rail_usd_per_km': 0.9}
    """

    modes: frozenset[Mode] = ALL_MODES
    avoid: frozenset[str] = frozenset()
    closed_transit: frozenset[str] = frozenset()
    via: tuple[str, ...] = ()
    objective: Objective = Objective.GENERALIZED
    cargo: Cargo = field(default_factory=_default_cargo)
    cost_model: CostModel = field(default_factory=_default_cost_model)
    depart: datetime | None = None
    emissions: EmissionsModel = field(default_factory=EmissionsModel)
    # Fields to come (see Notes): price_date, service, calibration.

    def __post_init__(self) -> None:
        cargo: Any = self.cargo
        cost_model: Any = self.cost_model
        norm: dict[str, Any] = {
            "modes": _modes(self.modes),
            "avoid": _countries(self.avoid, "avoid"),
            "closed_transit": _countries(self.closed_transit, "closed_transit"),
            "via": _via(self.via),
            "objective": Objective.parse(self.objective),
            "cargo": _default_cargo() if cargo is None else cargo,
            "cost_model": _default_cost_model() if cost_model is None else cost_model,
            "depart": _depart(self.depart),
        }
        if not isinstance(norm["cargo"], Cargo):
            raise ConfigError(f"cargo: expected a Cargo, got {self.cargo!r}", parameter="cargo")
        if not isinstance(norm["cost_model"], CostModel):
            raise ConfigError(
                f"cost_model: expected a CostModel, got {self.cost_model!r}", parameter="cost_model"
            )
        emissions: Any = self.emissions
        norm["emissions"] = EmissionsModel() if emissions is None else emissions
        if not isinstance(norm["emissions"], EmissionsModel):
            raise ConfigError(
                f"emissions: expected an EmissionsModel, got {self.emissions!r}",
                parameter="emissions",
            )
        for name, value in norm.items():
            object.__setattr__(self, name, value)

    @classmethod
    def build(cls, options: RouteOptions | None = None, /, **kwargs: Any) -> RouteOptions:
        """Return ``options`` (default: all defaults) with the keyword form applied on top.

        This is the one place the keyword form of every entry point turns into
        ``RouteOptions``: keywords are the field names, with ``optimize`` accepted for
        ``objective``; ``None`` leaves a field as it is.

        Raises
        ------
        ConfigError
            An unknown keyword, or a bad value (naming the parameter).

        Examples
        --------
        >>> RouteOptions.build(modes="road", optimize="cost").objective
        <Objective.COST: 'cost'>
        """
        if "optimize" in kwargs:
            if kwargs.get("objective") is not None:
                raise ConfigError("give one of optimize and objective, not both")
            kwargs["objective"] = kwargs.pop("optimize")
        known = {f.name for f in dataclasses.fields(cls)}
        unknown = sorted(set(kwargs) - known)
        if unknown:
            raise ConfigError(
                f"unknown routing option(s): {', '.join(unknown)}; "
                f"known: optimize, {', '.join(sorted(known))}"
            )
        changes = {k: v for k, v in kwargs.items() if v is not None}
        base = options if options is not None else _defaults()
        if not isinstance(base, RouteOptions):
            raise ConfigError(f"options: expected RouteOptions, got {type(base).__name__}")
        return dataclasses.replace(base, **changes) if changes else base

    def replace(self, **changes: Any) -> RouteOptions:
        """Return a copy with some fields changed (checked as on construction)."""
        return dataclasses.replace(self, **changes)

    def graph_key(self) -> tuple[object, ...]:
        """Return the values of the fields that shape the expanded graph (a cache key)."""
        return tuple(getattr(self, name) for name in GRAPH_FIELDS)

    def to_dict(self) -> dict[str, Any]:
        """Return the options as JSON-ready data (the cost model as its changed parameters)."""
        default = CostModel()
        changed = {
            f.name: getattr(self.cost_model, f.name)
            for f in dataclasses.fields(CostModel)
            if not f.name.startswith("_")
            and getattr(self.cost_model, f.name) != getattr(default, f.name)
        }
        return {
            "modes": sorted(m.value for m in self.modes),
            "avoid": sorted(self.avoid),
            "closed_transit": sorted(self.closed_transit),
            "via": list(self.via),
            "objective": self.objective.value,
            "cargo": dataclasses.asdict(self.cargo),
            "cost_model": changed,
            "depart": None if self.depart is None else f"{self.depart:%Y-%m-%dT%H:%M}",
        }


@functools.cache
def _defaults() -> RouteOptions:
    return RouteOptions()
