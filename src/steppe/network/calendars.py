"""Calendars and capacities of a network: when places close, and how long their queues are.

Two optional tables of a network folder (``docs/network-format.md``):

* ``calendars.csv`` — dated closures (``closed``), closures every year (``annual``),
  weekly closures (``weekly``), daily opening hours (``hours``) and weather suspensions
  (``weather``) of a border crossing, node or link;
* ``capacities.csv`` — a queue model per border crossing, node or link, by mode and
  direction: an M/D/c queue (``mdc``) or a fluid queue (``fluid``) from a capacity and
  a demand by month, a dwell by Little's law (``little``), a sourced direction-specific
  dwell (``dwell``) and the wait for a ship that sails when full (``sail_when_full``).

This module parses and checks the rows; :mod:`steppe.routing.waits` turns them into wait
functions of the arrival time.
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Collection, Mapping, Sequence
from dataclasses import dataclass
from datetime import date, datetime
from typing import TYPE_CHECKING, Literal, get_args

from steppe.errors import Problem
from steppe.network.model import Mode

if TYPE_CHECKING:
    from steppe.network._tables import RowParser
    from steppe.network.model import Network

__all__ = [
    "CALENDAR_COLUMNS",
    "CAPACITY_COLUMNS",
    "Closure",
    "QueueSpec",
    "check_time_tables",
    "closure_to_row",
    "parse_closure",
    "parse_queue",
    "queue_to_row",
]

AppliesTo = Literal["border", "node", "link"]
Rule = Literal["closed", "annual", "weekly", "hours", "weather"]
QueueModel = Literal["mdc", "fluid", "little", "dwell", "sail_when_full"]
WEEKDAYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")

CALENDAR_COLUMNS = (
    "id", "applies_to", "ref", "mode", "rule", "start", "end", "weekdays", "months",
    "days_per_month", "event_days", "reason", "source",
)  # fmt: skip
CAPACITY_COLUMNS = (
    "id", "applies_to", "ref", "mode", "direction", "model", "capacity_per_day", "servers",
    "demand_per_day", "stock", "wait_median_h", "wait_p90_h", "unit", "reason", "source",
)  # fmt: skip
REQUIRED_CALENDAR = ("id", "applies_to", "ref", "rule", "reason", "source")
REQUIRED_CAPACITY = ("id", "applies_to", "ref", "model", "source")

_MD = re.compile(r"^(\d\d)-(\d\d)$")
_HM = re.compile(r"^(\d\d):(\d\d)$")


@dataclass(frozen=True, slots=True)
class Closure:
    """A time when a border crossing, node or link cannot be used (or is slowed by weather).

    ``start`` and ``end`` are, by ``rule``: ISO dates or date-times for ``closed``
    (inclusive days), ``MM-DD`` for ``annual`` (may wrap over the new year), ``HH:MM``
    opening and closing times for ``hours``; ``weekdays`` are the closed days of a
    ``weekly`` rule; a ``weather`` rule suspends traffic ``days_per_month`` days a month
    in ``months``, in events of ``event_days`` days.
    """

    id: str
    applies_to: AppliesTo
    ref: str
    mode: Mode | None
    rule: Rule
    start: str = ""
    end: str = ""
    weekdays: tuple[int, ...] = ()
    months: tuple[int, ...] = ()
    days_per_month: float = 0.0
    event_days: float = 0.0
    reason: str = ""
    source: str = ""


@dataclass(frozen=True, slots=True)
class QueueSpec:
    """The queue or dwell of a border crossing, node or link for one mode and direction.

    ``direction`` is ``ab``/``ba``/``both`` for borders and links (``a`` to ``b`` as in
    their tables) and ``out`` (departures by ``mode``) for nodes.  ``demand_per_day`` has
    one value per month (January first).
    """

    id: str
    applies_to: AppliesTo
    ref: str
    mode: Mode
    direction: str
    model: QueueModel
    capacity_per_day: float | None = None
    servers: int = 1
    demand_per_day: tuple[float, ...] = ()
    stock: float | None = None
    wait_median_h: float | None = None
    wait_p90_h: float | None = None
    unit: str = ""
    reason: str = ""
    source: str = ""

    @property
    def utilisation(self) -> tuple[float, ...]:
        """Return demand / capacity by month (empty without a capacity)."""
        if not self.capacity_per_day or not self.demand_per_day:
            return ()
        return tuple(d / self.capacity_per_day for d in self.demand_per_day)


def _check_date(p: RowParser, column: str, rule: str) -> str:
    raw = p.text(column)
    if not raw:
        p._add(column, f"a {rule} rule needs a {column}")
        return ""
    try:
        if rule == "closed":
            (datetime.fromisoformat(raw) if "T" in raw else date.fromisoformat(raw))
        elif rule == "annual":
            m = _MD.match(raw)
            if not m:
                raise ValueError
            date(2024, int(m[1]), int(m[2]))  # 2024 is a leap year: 02-29 is allowed
        else:
            m = _HM.match(raw)
            if not m or int(m[1]) > 24 or int(m[2]) > 59 or (int(m[1]) == 24 and int(m[2])):
                raise ValueError  # 24:00 is the end of a day, 24:30 is no time
    except ValueError:
        form = {"closed": "YYYY-MM-DD", "annual": "MM-DD", "hours": "HH:MM"}[rule]
        p._add(column, f"{raw!r} is not a valid {form}")
        return ""
    return raw


def _ints(p: RowParser, column: str, lo: int, hi: int) -> tuple[int, ...]:
    out = []
    for raw in p.text(column).split("|"):
        part = raw.strip()
        if not part:
            continue
        try:
            value = int(part)
        except ValueError:
            p._add(column, f"{part!r} is not an integer")
            continue
        if not lo <= value <= hi:
            p._add(column, f"{value} is out of range [{lo}, {hi}]")
            continue
        out.append(value)
    return tuple(out)


def parse_closure(p: RowParser) -> Closure | None:
    """Parse a ``calendars.csv`` row; ``None`` if it is unusable (problems are recorded)."""
    n = len(p.problems)
    cid = p.slug("id")
    applies = p.text("applies_to", required=True)
    if applies and applies not in get_args(AppliesTo):
        p._add("applies_to", f"unknown value {applies!r}; expected one of border, node, link")
    ref = p.text("ref", required=True)
    mode = p.choice("mode", Mode, None) if p.text("mode") else None
    rule = p.text("rule", required=True)
    start = end = ""
    weekdays: tuple[int, ...] = ()
    months: tuple[int, ...] = ()
    per_month = event = 0.0
    if rule and rule not in get_args(Rule):
        p._add("rule", f"unknown rule {rule!r}; expected one of {', '.join(get_args(Rule))}")
    elif rule in ("closed", "annual", "hours"):
        start, end = _check_date(p, "start", rule), _check_date(p, "end", rule)
        if (
            start
            and end
            and rule == "closed"
            and _closed_bounds(start, end)[1] <= (_closed_bounds(start, end)[0])
        ):
            p._add("end", f"the closure ends ({end}) before it starts ({start})")
        if (
            start
            and end
            and rule == "hours"
            and _hm_minutes(start) % 1440 == _hm_minutes(end) % 1440
        ):
            p._add("end", "opening and closing times are equal; leave the row out if always open")
    elif rule == "weekly":
        names = [w.strip().lower()[:3] for w in p.text("weekdays").split("|") if w.strip()]
        bad = [w for w in names if w not in WEEKDAYS]
        if bad or not names:
            p._add("weekdays", f"expected days such as sat|sun, got {p.text('weekdays')!r}")
        weekdays = tuple(sorted({WEEKDAYS.index(w) for w in names if w in WEEKDAYS}))
        if len(weekdays) == 7:
            p._add("weekdays", "closed every day of the week; use regime closed instead")
    elif rule == "weather":
        months = _ints(p, "months", 1, 12)
        if not months:
            p._add("months", "a weather rule needs months, e.g. 11|12|1|2|3")
        per_month = p.number("days_per_month", required=True, positive=True, hi=28) or 0.0
        event = p.number("event_days", required=True, positive=True, hi=28) or 0.0
    reason, source = p.text("reason", required=True), p.text("source", required=True)
    if len(p.problems) > n:
        return None
    return Closure(
        cid, applies, ref, mode, rule, start, end, weekdays, months,  # type: ignore[arg-type]
        per_month, event, reason, source,
    )  # fmt: skip


def _hm_minutes(text: str) -> int:
    h, m = text.split(":")
    return int(h) * 60 + int(m)


def _closed_bounds(start: str, end: str) -> tuple[datetime, datetime]:
    """Return the [from, until) datetimes of a ``closed`` rule (whole days when dates)."""
    a = datetime.fromisoformat(start)
    b = datetime.fromisoformat(end)
    if "T" not in end:
        b = datetime.fromordinal(b.toordinal() + 1)
    return a, b


def parse_queue(p: RowParser) -> QueueSpec | None:
    """Parse a ``capacities.csv`` row; ``None`` if it is unusable (problems are recorded)."""
    n = len(p.problems)
    qid = p.slug("id")
    applies = p.text("applies_to", required=True)
    if applies and applies not in get_args(AppliesTo):
        p._add("applies_to", f"unknown value {applies!r}; expected one of border, node, link")
    ref = p.text("ref", required=True)
    mode = p.choice("mode", Mode)
    direction = p.text("direction") or ("out" if applies == "node" else "both")
    allowed = ("out",) if applies == "node" else ("ab", "ba", "both")
    if direction not in allowed:
        p._add("direction", f"unknown direction {direction!r}; expected {' or '.join(allowed)}")
    model = p.text("model", required=True)
    capacity = p.number("capacity_per_day", positive=True)
    servers = p.integer("servers") or 1
    if servers < 1:
        p._add("servers", f"must be at least 1, got {servers}")
    demand: list[float] = []
    for part in p.text("demand_per_day").split("|"):
        if not part.strip():
            continue
        try:
            value = float(part)
        except ValueError:
            p._add("demand_per_day", f"{part.strip()!r} is not a number")
            continue
        if not value >= 0:
            p._add("demand_per_day", f"must not be negative, got {part.strip()}")
        demand.append(value)
    if len(demand) not in (0, 1, 12):
        p._add("demand_per_day", f"give 1 or 12 monthly values, got {len(demand)}")
    months = tuple(demand * 12) if len(demand) == 1 else tuple(demand)
    stock = p.number("stock", positive=True)
    median = p.number("wait_median_h", positive=True)
    p90 = p.number("wait_p90_h", positive=True)
    if model and model not in get_args(QueueModel):
        p._add(
            "model", f"unknown model {model!r}; expected one of {', '.join(get_args(QueueModel))}"
        )
    elif model in ("mdc", "fluid"):
        if capacity is None and not p.text("capacity_per_day"):
            p._add("capacity_per_day", f"a {model} queue needs a capacity")
        if not demand:
            p._add("demand_per_day", f"a {model} queue needs a demand")
        if capacity and len(months) == 12:
            rho = [d / capacity for d in months]
            if model == "mdc" and max(rho) >= 1:
                month = rho.index(max(rho)) + 1
                p._add(
                    "demand_per_day",
                    f"the queue cannot be stable: demand/capacity is {max(rho):.2f} in month "
                    f"{month} (an mdc queue needs < 1; use model fluid for months over capacity)",
                )
            if model == "fluid" and sum(rho) / 12 >= 1:
                p._add(
                    "demand_per_day",
                    f"the queue cannot be stable: mean demand/capacity over the year is "
                    f"{sum(rho) / 12:.2f} (a fluid queue needs < 1 over the year)",
                )
    elif model == "little":
        if stock is None and not p.text("stock"):
            p._add("stock", "a little dwell needs a stock (number waiting)")
        if not demand or (demand and min(demand) <= 0):
            p._add("demand_per_day", "a little dwell needs a throughput > 0 per day")
    elif model in ("dwell", "sail_when_full"):
        if median is None and not p.text("wait_median_h"):
            p._add("wait_median_h", f"a {model} row needs a median")
        if median is not None and p90 is not None and p90 < median:
            p._add("wait_p90_h", f"p90 {p90} is below the median {median}")
    unit, reason, source = p.text("unit"), p.text("reason"), p.text("source", required=True)
    if len(p.problems) > n or mode is None:
        return None
    return QueueSpec(
        qid, applies, ref, mode, direction, model, capacity, servers,  # type: ignore[arg-type]
        months, stock, median, p90, unit, reason, source,
    )  # fmt: skip


def check_time_tables(
    network: Network, *, rows: Mapping[str, Sequence[int]] | None = None
) -> list[Problem]:
    """Return problems of the calendars and capacities that need the whole network.

    Every ``ref`` must name a border, node or link of the network (by ``applies_to``),
    ids must be unique, and a queue must apply to a mode that can use its place.
    """
    problems: list[Problem] = []
    borders = {b.id: b for b in network.borders}
    ids: dict[str, Collection[str]] = {
        "border": borders,
        "node": network.nodes_by_id,
        "link": network.links_by_id,
    }

    def row(table: str, i: int) -> int:
        return rows[table][i] if rows is not None and table in rows else i + 2

    tables: tuple[tuple[str, Sequence[Closure | QueueSpec]], ...] = (
        ("calendars.csv", network.calendars),
        ("capacities.csv", network.queues),
    )
    for table, items in tables:
        counts = Counter(x.id for x in items)
        for i, x in enumerate(items):
            if counts[x.id] > 1:
                problems.append(Problem(table, f"duplicate id {x.id!r}", row(table, i), "id"))
            if x.ref not in ids[x.applies_to]:
                problems.append(
                    Problem(table, f"unknown {x.applies_to} {x.ref!r}", row(table, i), "ref")
                )
    for i, q in enumerate(network.queues):
        if q.applies_to == "border" and q.ref in borders:
            modes = {d.mode for d in borders[q.ref].dwell}
            if q.mode not in modes:
                problems.append(
                    Problem(
                        "capacities.csv",
                        f"border {q.ref!r} has no {q.mode} dwell, so {q.mode} cannot cross it",
                        row("capacities.csv", i),
                        "mode",
                    )
                )
    return problems


def _fmt(value: float | int | None) -> str:
    return "" if value is None else repr(value)


def closure_to_row(c: Closure) -> dict[str, str]:
    """Return the ``calendars.csv`` cells of a closure."""
    return {
        "id": c.id, "applies_to": c.applies_to, "ref": c.ref,
        "mode": c.mode.value if c.mode else "", "rule": c.rule, "start": c.start, "end": c.end,
        "weekdays": "|".join(WEEKDAYS[d] for d in c.weekdays),
        "months": "|".join(str(m) for m in c.months),
        "days_per_month": _fmt(c.days_per_month) if c.rule == "weather" else "",
        "event_days": _fmt(c.event_days) if c.rule == "weather" else "",
        "reason": c.reason, "source": c.source,
    }  # fmt: skip


def queue_to_row(q: QueueSpec) -> dict[str, str]:
    """Return the ``capacities.csv`` cells of a queue."""
    demand = q.demand_per_day
    same = bool(demand) and all(d == demand[0] for d in demand)
    return {
        "id": q.id, "applies_to": q.applies_to, "ref": q.ref, "mode": q.mode.value,
        "direction": q.direction, "model": q.model, "capacity_per_day": _fmt(q.capacity_per_day),
        "servers": str(q.servers),
        "demand_per_day": _fmt(demand[0]) if same else "|".join(repr(d) for d in demand),
        "stock": _fmt(q.stock), "wait_median_h": _fmt(q.wait_median_h),
        "wait_p90_h": _fmt(q.wait_p90_h), "unit": q.unit, "reason": q.reason,
        "source": q.source,
    }  # fmt: skip
