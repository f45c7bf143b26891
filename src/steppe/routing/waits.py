"""Wait functions of the arrival time at border crossings, ports, terminals and ferries.

Each place with rows in ``calendars.csv`` or ``capacities.csv`` gets one :class:`Wait`
per mode and direction.  Arriving at time ``t`` (hours since 1970), a shipment

1. waits until no closure applies (:func:`steppe.routing._clock.next_open`);
2. joins the queue: the expected wait of an M/D/c queue (Erlang C for M/M/c, halved:
   exact for one server by Pollaczek–Khinchine) or of a fluid queue from the capacity and
   the demand of the month, interpolated between mid-months;
3. loses the expected time of a weather suspension (chance of arriving in one x half its
   length);
4. spends the mean of a fixed dwell: a sourced direction-specific dwell (which replaces
   the border's survey dwell), a port dwell by Little's law, or the fitted wait of a ship
   that sails when full (which replaces half the headway).

Every step is non-decreasing in ``t`` (queues and suspensions change by less than an hour
per hour), so the search that uses them is FIFO.  Without a date, the router uses the
average over a year of the same function (:func:`average_waits`).  The full model is in
``docs/time-model.md``.
"""

from __future__ import annotations

import math
import weakref
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Final

import numpy as np
import numpy.typing as npt

from steppe.network.calendars import Closure, QueueSpec
from steppe.network.model import Mode, Network
from steppe.routing._clock import MonthlyCurve, from_hours, next_open, next_open_many, to_hours

__all__ = [
    "Wait",
    "WaitKey",
    "average_waits",
    "erlang_c",
    "fluid_waits",
    "mdc_wait_h",
    "time_model",
]

Z90: Final = 1.2815515655446004
FloatArray = npt.NDArray[np.float64]
WaitKey = tuple[str, str, str, bool]
"""``(kind, ref, mode, forward)``: kind ``border``/``link``/``node``; nodes use ``forward=True``."""
REFERENCE_YEAR: Final = 2025


def erlang_c(arrivals: float, service_rate: float, servers: int) -> float:
    """Return the chance that an arrival waits in an M/M/c queue (Erlang C).

    Examples
    --------
    >>> round(erlang_c(0.5, 1.0, 1), 3)
    0.5
    """
    a = arrivals / service_rate
    rho = a / servers
    if rho >= 1:
        return 1.0
    term, total = 1.0, 1.0
    for k in range(1, servers):
        term *= a / k
        total += term
    top = term * a / servers / (1 - rho)
    return top / (total + top)


def mdc_wait_h(demand_per_day: float, capacity_per_day: float, servers: int = 1) -> float:
    """Return the expected wait in queue (hours) of an M/D/c queue, as half of M/M/c.

    For one server this is the Pollaczek–Khinchine M/D/1 result
    ``Wq = rho / (2 mu (1 - rho))``.

    Examples
    --------
    >>> round(mdc_wait_h(12.0, 24.0), 3)  # rho 0.5, one hour per service: 0.5 h
    0.5
    """
    if demand_per_day <= 0:
        return 0.0
    mu = capacity_per_day / servers
    p_wait = erlang_c(demand_per_day, mu, servers)
    wq_mmc_days = p_wait / (servers * mu - demand_per_day)
    return 0.5 * wq_mmc_days * 24.0


def fluid_waits(demand_per_day: Sequence[float], capacity_per_day: float) -> list[float]:
    """Return the mean wait (hours) by month of a fluid queue that repeats every year.

    The backlog grows by ``demand - capacity`` a day while positive and drains at the
    capacity; a shipment waits ``backlog / capacity``.  The year is run until the backlog
    at its start repeats (stable when mean demand is below capacity).
    """
    days = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31]
    backlog = 0.0
    means = [0.0] * 12
    for _ in range(50):
        start = backlog
        for m in range(12):
            total = 0.0
            for _ in range(days[m]):
                backlog = max(0.0, backlog + demand_per_day[m] - capacity_per_day)
                total += backlog / capacity_per_day * 24.0
            means[m] = total / days[m]
        if abs(backlog - start) < 1e-9:
            break
    return means


def _lognormal_mean(median: float, p90: float) -> tuple[float, float]:
    sigma = math.log(p90 / median) / Z90 if p90 > median else 0.0
    return median * math.exp(sigma * sigma / 2), sigma


@dataclass(frozen=True)
class Wait:
    """The wait function of one place, mode and direction (see the module docstring)."""

    label: str
    closures: tuple[Closure, ...] = ()
    queue: MonthlyCurve | None = None
    queue_p_wait: MonthlyCurve | None = None
    queue_spec: QueueSpec | None = None
    weather: tuple[Closure, ...] = ()
    fixed: QueueSpec | None = None
    replaces_dwell: bool = False
    replaces_headway: bool = False
    _weather_p: tuple[MonthlyCurve, ...] = field(default=(), repr=False)
    _fixed: float = field(default=0.0, repr=False)

    def __post_init__(self) -> None:
        curves = []
        for w in self.weather:
            values = [
                w.days_per_month / _days_in(m) if m in w.months else 0.0 for m in range(1, 13)
            ]
            curves.append(MonthlyCurve(values))
        object.__setattr__(self, "_weather_p", tuple(curves))
        object.__setattr__(self, "_fixed", self.fixed_mean_h)

    @property
    def fixed_mean_h(self) -> float:
        """Return the mean of the fixed dwell part (0 without one)."""
        f = self.fixed
        if f is None:
            return 0.0
        if f.model == "dwell":  # a border dwell: the router charges medians, as for borders.csv
            return f.wait_median_h or 0.0
        if f.model == "little" and f.stock and f.demand_per_day:
            return f.stock / f.demand_per_day[0] * 24.0
        median = f.wait_median_h or 0.0
        return _lognormal_mean(median, f.wait_p90_h or median)[0] if median else 0.0

    def exit_time(self, t: float) -> float:
        """Return when a shipment arriving at ``t`` may go on (the search's fast path)."""
        t1 = next_open(self.closures, t)[0] if self.closures else t
        extra = self.queue.at(t1) if self.queue is not None else 0.0
        for w, p in zip(self.weather, self._weather_p, strict=True):
            extra += p.at(t1) * w.event_days * 12.0
        return t1 + extra + self._fixed

    def exit(self, t: float) -> tuple[float, list[str]]:
        """Return when a shipment arriving at ``t`` may go on, and why it waited."""
        notes: list[str] = []
        t1, met = next_open(self.closures, t) if self.closures else (t, None)
        if met is not None:
            until = from_hours(t1)
            when = (
                f"{until:%Y-%m-%d}"
                if until.hour == until.minute == 0
                else f"{until:%Y-%m-%d %H:%M}"
            )
            notes.append(f"{self.label} closed for {met.reason} until {when}")
        extra = 0.0
        if self.queue is not None:
            q = self.queue.at(t1)
            extra += q
            if q >= 0.05 and self.queue_spec is not None:
                notes.append(f"{self.queue_spec.reason}: {q:.1f} h expected in {from_hours(t1):%B}")
        for w, p in zip(self.weather, self._weather_p, strict=True):
            delay = p.at(t1) * w.event_days * 24.0 / 2.0
            if delay > 0:
                extra += delay
                notes.append(f"{w.reason}: {delay:.1f} h expected in {from_hours(t1):%B}")
        fixed = self.fixed_mean_h
        if fixed > 0 and self.fixed is not None:
            notes.append(f"{self.fixed.reason}: {fixed:.1f} h")
        return t1 + extra + fixed, notes

    def exit_many(self, t: FloatArray, rng: np.random.Generator | None = None) -> FloatArray:
        """Return exit times for many arrivals; with ``rng``, draw instead of taking means."""
        out = next_open_many(self.closures, t) if self.closures else np.array(t, dtype=float)
        n = len(out)
        if self.queue is not None:
            mean = self.queue.at_many(out)
            if rng is None or self.queue_p_wait is None:
                out = out + mean
            else:
                p = np.clip(self.queue_p_wait.at_many(out), 1e-12, 1.0)
                waits = rng.random(n) < p
                out = out + np.where(waits, rng.exponential(1.0, n) * mean / p, 0.0)
        for w, curve in zip(self.weather, self._weather_p, strict=True):
            p = curve.at_many(out)
            if rng is None:
                out = out + p * w.event_days * 24.0 / 2.0
            else:
                hit = rng.random(n) < p
                out = out + np.where(hit, rng.uniform(0.0, w.event_days * 24.0, n), 0.0)
        f = self.fixed
        if f is not None:
            if rng is None or (f.model == "dwell" and not f.wait_median_h):
                out = out + self.fixed_mean_h
            elif f.model == "little":
                sigma = math.log(1.5) / Z90  # p90 = 1.5 x median, the format's default
                mid = self.fixed_mean_h / math.exp(sigma * sigma / 2)
                out = out + rng.lognormal(math.log(mid), sigma, n)
            else:
                mid = f.wait_median_h or 0.0
                sigma = _lognormal_mean(mid, f.wait_p90_h or mid)[1]
                out = out + rng.lognormal(math.log(mid), sigma, n)
        return out

    def average_h(self) -> float:
        """Return the mean wait over the reference year for an arrival at a random time."""
        start = to_hours(from_hours(0).replace(year=REFERENCE_YEAR))
        t = start + np.arange(0.0, 365 * 24.0, 3.0)
        return float(np.mean(self.exit_many(t) - t))


def _days_in(month: int) -> int:
    return [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31][month - 1]


def _directions(direction: str) -> tuple[bool, ...]:
    return {"ab": (True,), "ba": (False,), "both": (True, False), "out": (True,)}[direction]


def _build(network: Network) -> dict[WaitKey, Wait]:
    names = {
        "border": {b.id: b.name or b.id for b in network.borders},
        "node": {n.id: n.name for n in network.nodes},
        "link": {lk.id: lk.id for lk in network.links},
    }
    modes_of: dict[tuple[str, str], set[str]] = {}
    for b in network.borders:
        modes_of[("border", b.id)] = {d.mode.value for d in b.dwell}
    for lk in network.links:
        modes_of[("link", lk.id)] = {lk.mode.value}
    closures: dict[WaitKey, list[Closure]] = {}
    weather: dict[WaitKey, list[Closure]] = {}
    queues: dict[WaitKey, list[QueueSpec]] = {}

    for c in network.calendars:
        if c.applies_to == "node":
            modes = {c.mode.value} if c.mode else {m.value for m in Mode}
        else:
            modes = {c.mode.value} if c.mode else modes_of.get((c.applies_to, c.ref), set())
        for mode in modes:
            for fwd in (True, False) if c.applies_to != "node" else (True,):
                table = weather if c.rule == "weather" else closures
                table.setdefault((c.applies_to, c.ref, mode, fwd), []).append(c)
    for q in network.queues:
        for fwd in _directions(q.direction):
            queues.setdefault((q.applies_to, q.ref, q.mode.value, fwd), []).append(q)
    out: dict[WaitKey, Wait] = {}
    for key in {**closures, **weather, **queues}:
        kind, ref = key[0], key[1]
        label = names[kind].get(ref, ref)
        if kind == "border":
            label = label.split(" (")[0]
        queue = p_wait = None
        spec = fixed = None
        for q in queues.get(key, []):
            if q.model in ("mdc", "fluid") and q.capacity_per_day:
                spec = q
                if q.model == "mdc":
                    values = [
                        mdc_wait_h(d, q.capacity_per_day, q.servers) for d in q.demand_per_day
                    ]
                    mu = q.capacity_per_day / q.servers
                    probs = [erlang_c(d, mu, q.servers) for d in q.demand_per_day]
                    p_wait = MonthlyCurve(probs)
                else:
                    values = fluid_waits(q.demand_per_day, q.capacity_per_day)
                queue = MonthlyCurve(values)
            else:
                fixed = q
        out[key] = Wait(
            label=label,
            closures=tuple(closures.get(key, [])),
            queue=queue,
            queue_p_wait=p_wait,
            queue_spec=spec,
            weather=tuple(weather.get(key, [])),
            fixed=fixed,
            replaces_dwell=fixed is not None and fixed.model == "dwell",
            replaces_headway=fixed is not None and fixed.model == "sail_when_full",
        )
    return out


_MODELS: dict[
    int, tuple[weakref.ref[Network], dict[WaitKey, Wait], dict[WaitKey, tuple[float, bool]]]
] = {}


def time_model(network: Network) -> dict[WaitKey, Wait]:
    """Return the wait functions of a network, keyed by (kind, ref, mode, forward); cached."""
    hit = _MODELS.get(id(network))
    if hit is not None and hit[0]() is network:
        return hit[1]
    waits = _build(network)
    averages = {
        k: (w.average_h(), w.replaces_dwell or w.replaces_headway) for k, w in waits.items()
    }
    _MODELS[id(network)] = (weakref.ref(network), waits, averages)
    for k in [k for k, v in _MODELS.items() if v[0]() is None]:
        del _MODELS[k]
    return waits


def average_waits(network: Network) -> dict[WaitKey, tuple[float, bool]]:
    """Return the mean wait (hours) of every wait function over a year; cached per network.

    The flag says whether the wait replaces the border's survey dwell or the link's half
    headway (a sourced dwell, a ship that sails when full) rather than adding to it.
    """
    time_model(network)
    return _MODELS[id(network)][2]
