"""Read and check an observations register: published shipments, one row each.

Every problem of a file — an unknown place, an impossible range, a missing source, an
unparseable date — is collected and reported at once as an
:class:`~steppe.errors.ObservationsError` with ``file:row:column: message`` lines.  The
columns are documented in ``src/steppe/data/observations/README.md``.
"""

from __future__ import annotations

import csv
import datetime as dt
import math
import re
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from steppe.calibration._schema import (
    COLUMNS,
    COMPONENTS,
    DIRECTIONS,
    QUANTITIES,
    REQUIRED,
    SERVICES,
    UNITS,
    Component,
    Quantity,
)
from steppe.errors import ObservationsError, Problem
from steppe.network.model import Mode, Network, Node

__all__ = ["Observation", "Observations", "parse_period", "read_observations", "register_path"]

_ID = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
_ISO3 = re.compile(r"^[A-Z]{3}$")
_DATE = re.compile(r"^(\d{4})(?:-(\d{2}))?(?:-(\d{2}))?$")
_COORD = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*[ ;]\s*(-?\d+(?:\.\d+)?)\s*$")
#: A coordinate place is snapped to the nearest node within this distance.
SNAP_KM = 50.0


@dataclass(frozen=True, slots=True)
class Observation:
    """One published observation of a shipment, service, crossing or distance.

    ``low`` and ``high`` are in ``unit`` as published; either may be ``None`` for "more
    than" or "up to".  ``period`` is the first and last day the figure is about.
    """

    id: str
    quantity: Quantity
    origin: str
    destination: str
    via: tuple[str, ...]
    modes: tuple[str, ...]
    avoid: tuple[str, ...]
    scenario: str
    corridor: str
    service: str
    component: Component
    low: float | None
    high: float | None
    unit: str
    currency_year: int | None
    period: tuple[dt.date, dt.date]
    source_title: str
    source_url: str
    source_date: tuple[dt.date, dt.date]
    sets_default: bool
    role: str
    note: str = ""
    row: int = 0
    direction: str = ""

    @property
    def scale(self) -> float:
        """Return the factor from ``unit`` to steppe's unit (hours, USD, km)."""
        return UNITS[self.unit][1]

    @property
    def cargo(self) -> str:
        """Return the cargo the figure is for: ``feu``, ``teu`` or ``tonnes`` (one tonne)."""
        return UNITS[self.unit][2]

    @property
    def reference(self) -> float:
        """Return the central published value: the bounds' geometric mean, or the one bound."""
        if self.low is not None and self.high is not None:
            return math.sqrt(self.low * self.high) if self.low > 0 else self.high
        return float(self.low if self.low is not None else self.high)  # type: ignore[arg-type]

    @property
    def mode_label(self) -> str:
        """Return the allowed modes joined with ``+`` (the report's mode group)."""
        return "+".join(self.modes)


@dataclass(frozen=True, slots=True)
class Observations:
    """A checked register: the observations and the file they came from."""

    rows: tuple[Observation, ...]
    file: str

    def __iter__(self) -> Iterator[Observation]:
        return iter(self.rows)

    def __len__(self) -> int:
        return len(self.rows)

    def with_role(self, role: str) -> tuple[Observation, ...]:
        """Return the rows of one role (``fit`` or ``check``)."""
        return tuple(o for o in self.rows if o.role == role)


def register_path() -> Path:
    """Return the path of the register shipped with steppe.

    Examples
    --------
    >>> register_path().name
    'observations.csv'
    """
    return Path(str(resources.files("steppe.data") / "observations" / "observations.csv"))


def parse_period(text: str) -> tuple[dt.date, dt.date]:
    """Return the first and last day of ``YYYY``, ``YYYY-MM``, ``YYYY-MM-DD`` or ``A..B``.

    Raises
    ------
    ValueError
        If the text is none of these or the period ends before it starts.

    Examples
    --------
    >>> parse_period("2023-07..2024-07")
    (datetime.date(2023, 7, 1), datetime.date(2024, 7, 31))
    """
    first, sep, last = text.strip().partition("..")
    start = _date_range(first)[0]
    end = _date_range(last if sep else first)[1]
    if end < start:
        raise ValueError(f"period {text!r} ends before it starts")
    return start, end


def _date_range(text: str) -> tuple[dt.date, dt.date]:
    m = _DATE.match(text.strip())
    if not m:
        raise ValueError(f"cannot read date {text!r}; use YYYY, YYYY-MM or YYYY-MM-DD")
    year, month, day = int(m[1]), m[2], m[3]
    if month is None:
        return dt.date(year, 1, 1), dt.date(year, 12, 31)
    if day is None:
        start = dt.date(year, int(month), 1)
        nxt = dt.date(year + (start.month == 12), start.month % 12 + 1, 1)
        return start, nxt - dt.timedelta(days=1)
    d = dt.date(year, int(month), int(day))
    return d, d


def _split(text: str) -> tuple[str, ...]:
    return tuple(p.strip() for p in text.split(",") if p.strip())


class _Checker:
    """Collects the problems of one file, row by row."""

    def __init__(self, file: str, places: Callable[[str], Mapping[str, Node] | None]) -> None:
        self.file = file
        self.places = places
        self.problems: list[Problem] = []

    def add(self, row: int, column: str | None, message: str) -> None:
        self.problems.append(Problem(self.file, message, row, column))

    def number(self, row: int, column: str, text: str) -> float | None:
        if not text.strip():
            return None
        try:
            value = float(text)
        except ValueError:
            self.add(row, column, f"{text!r} is not a number")
            return None
        if not math.isfinite(value) or value < 0:
            self.add(row, column, f"{text!r} must be a finite number >= 0")
            return None
        return value

    def place(self, row: int, column: str, text: str, nodes: Mapping[str, Node]) -> str:
        text = text.strip()
        if text in nodes:
            return text
        m = _COORD.match(text)
        if m:
            lat, lon = float(m[1]), float(m[2])
            node, km = _nearest(nodes, lat, lon)
            if km <= SNAP_KM:
                return node
            self.add(row, column, f"no network place within {SNAP_KM:g} km of {lat}, {lon} "
                                  f"(nearest: {node}, {km:.0f} km)")  # fmt: skip
            return ""
        self.add(row, column, f"unknown place {text!r}: use a network place id or 'lat lon'")
        return ""


def _nearest(nodes: Mapping[str, Node], lat: float, lon: float) -> tuple[str, float]:
    best, best_km = "", math.inf
    for n in nodes.values():
        p1, p2 = math.radians(lat), math.radians(n.lat)
        dlon = math.radians(n.lon - lon)
        c = math.sin(p1) * math.sin(p2) + math.cos(p1) * math.cos(p2) * math.cos(dlon)
        km = 6371.0 * math.acos(max(-1.0, min(1.0, c)))
        if km < best_km:
            best, best_km = n.id, km
    return best, best_km


def _row(ck: _Checker, n: int, rec: dict[str, str], seen: set[str]) -> Observation | None:
    before = len(ck.problems)
    for col in REQUIRED:
        if not rec.get(col, "").strip():
            what = "source" if col.startswith("source") else col
            ck.add(n, col, f"missing {what}")
    rid = rec.get("id", "").strip()
    if rid and not _ID.match(rid):
        ck.add(n, "id", f"id {rid!r} must be lower-case letters, digits, '_' or '-'")
    if rid in seen:
        ck.add(n, "id", f"duplicate id {rid!r}")
    seen.add(rid)
    quantity = rec.get("quantity", "").strip()
    if quantity and quantity not in QUANTITIES:
        ck.add(n, "quantity", f"unknown quantity {quantity!r}; use {', '.join(QUANTITIES)}")
    unit = rec.get("unit", "").strip()
    if unit and unit not in UNITS:
        ck.add(n, "unit", f"unknown unit {unit!r}; use one of {', '.join(UNITS)}")
    elif unit and quantity in QUANTITIES and UNITS[unit][0] != quantity:
        ck.add(n, "unit", f"unit {unit!r} is not a unit of {quantity}")
    component = rec.get("component", "").strip()
    if component and component not in COMPONENTS:
        ck.add(n, "component", f"unknown component {component!r}; use {', '.join(COMPONENTS)}")
    service = rec.get("service", "").strip() or "any"
    if service not in SERVICES:
        ck.add(n, "service", f"unknown service {service!r}; use {', '.join(SERVICES)}")
    modes = _split(rec.get("modes", ""))
    known_modes = {m.value for m in Mode}
    for m in modes:
        if m not in known_modes:
            ck.add(n, "modes", f"unknown mode {m!r}; use {', '.join(sorted(known_modes))}")
    avoid = _split(rec.get("avoid", ""))
    for c in avoid:
        if not _ISO3.match(c):
            ck.add(n, "avoid", f"{c!r} is not an ISO 3166 alpha-3 code")
    low = ck.number(n, "low", rec.get("low", ""))
    high = ck.number(n, "high", rec.get("high", ""))
    if not rec.get("low", "").strip() and not rec.get("high", "").strip():
        ck.add(n, "low", "give low, high or both (a point value as low = high)")
    if low is not None and high is not None and low > high:
        ck.add(n, "high", f"impossible range: low {low:g} > high {high:g}")
    if (low == 0 or high == 0) and quantity in ("time", "distance"):
        ck.add(n, "low" if low == 0 else "high", f"a {quantity} of 0 cannot be compared by ratio")
    cy_text = rec.get("currency_year", "").strip()
    currency_year = None
    if quantity == "price" and not cy_text:
        ck.add(n, "currency_year", "a price needs the year of its currency (e.g. 2024)")
    elif cy_text:
        if re.fullmatch(r"\d{4}", cy_text):
            currency_year = int(cy_text)
        else:
            ck.add(n, "currency_year", f"cannot read year {cy_text!r}")
    period = _period(ck, n, "period", rec.get("period", ""))
    source_date = _period(ck, n, "source_date", rec.get("source_date", ""))
    role = rec.get("role", "").strip()
    if role and role not in ("fit", "check"):
        ck.add(n, "role", f"role must be fit or check, got {role!r}")
    sets_default = rec.get("sets_default", "").strip().lower()
    if sets_default not in ("", "yes", "no"):
        ck.add(n, "sets_default", f"sets_default must be yes, no or empty, got {sets_default!r}")
    direction = (rec.get("direction") or "").strip()
    if direction not in DIRECTIONS:
        ck.add(n, "direction", f"direction must be empty (origin to destination) or 'both', "
                               f"got {direction!r}")  # fmt: skip
    scenario = rec.get("scenario", "").strip()
    nodes = ck.places(scenario)
    places: list[str] = []
    if nodes is None:
        ck.add(n, "scenario", f"unknown or invalid scenario {scenario!r}")
    else:
        cols = [("origin", rec.get("origin", "")), ("destination", rec.get("destination", ""))]
        cols += [("via", v) for v in rec.get("via", "").split(";") if v.strip()]
        for col, text in cols:
            if text.strip():
                places.append(ck.place(n, col, text, nodes))
        if len(places) >= 2 and places[0] and places[0] == places[1]:
            ck.add(n, "destination", "origin and destination are the same place")
    if len(ck.problems) > before or period is None or source_date is None:
        return None
    return Observation(
        id=rid, quantity=quantity, origin=places[0], destination=places[1],  # type: ignore[arg-type]
        via=tuple(places[2:]), modes=modes, avoid=avoid, scenario=scenario,
        corridor=rec.get("corridor", "").strip() or "unspecified", service=service,
        component=component, low=low, high=high, unit=unit,  # type: ignore[arg-type]
        currency_year=currency_year, period=period, source_title=rec["source_title"].strip(),
        source_url=rec.get("source_url", "").strip(), source_date=source_date,
        sets_default=sets_default == "yes", role=role, note=rec.get("note", "").strip(), row=n,
        direction=direction,
    )  # fmt: skip


def _period(ck: _Checker, n: int, column: str, text: str) -> tuple[dt.date, dt.date] | None:
    if not text.strip():
        return None
    try:
        return parse_period(text)
    except ValueError as exc:
        ck.add(n, column, str(exc))
        return None


def read_observations(
    path: str | Path | None = None,
    network: Network | None = None,
    *,
    scenario_network: Callable[[str], Network] | None = None,
) -> Observations:
    """Read and check an observations CSV against a network.

    Parameters
    ----------
    path
        The CSV file; default the register shipped with steppe.
    network
        The network whose place ids the rows name; default the embedded network.
    scenario_network
        Returns the network of a row's ``scenario`` (places a scenario adds are valid
        there); default applies the bundled scenario or scenario file of that name.

    Returns
    -------
    Observations

    Raises
    ------
    ObservationsError
        Listing every problem as ``file:row:column: message``.

    Examples
    --------
    >>> reg = read_observations()
    >>> len(reg) >= 80
    True
    """
    from steppe.network.io import load_network

    path = Path(path) if path is not None else register_path()
    net = network if network is not None else load_network()
    name = str(path)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except OSError as exc:
        raise ObservationsError(f"cannot read {name}: {exc.strerror or exc}", file=name) from exc
    reader = csv.DictReader(text.splitlines())
    header = reader.fieldnames or []
    missing = [c for c in REQUIRED if c not in header]
    if missing:
        raise ObservationsError([Problem(name, f"missing column {c!r}", 1, c) for c in missing])
    unknown = [c for c in header if c not in COLUMNS]
    cache: dict[str, Mapping[str, Node] | None] = {"": net.nodes_by_id}

    def places(scenario: str) -> Mapping[str, Node] | None:
        if scenario not in cache:
            try:
                edited = (scenario_network or _scenario_network(net))(scenario)
                cache[scenario] = edited.nodes_by_id
            except Exception:
                cache[scenario] = None
        return cache[scenario]

    ck = _Checker(name, places)
    for c in unknown:
        ck.add(1, c, f"unknown column {c!r}; known: {', '.join(COLUMNS)}")
    rows: list[Observation] = []
    seen: set[str] = set()
    for n, rec in enumerate(reader, start=2):
        obs = _row(ck, n, {k: v or "" for k, v in rec.items() if k is not None}, seen)
        if obs is not None:
            rows.append(obs)
    if not rows and not ck.problems:
        ck.add(1, None, "the file has no observations")
    if ck.problems:
        raise ObservationsError(ck.problems)
    return Observations(rows=tuple(rows), file=name)


def _scenario_network(network: Network) -> Callable[[str], Network]:
    def apply(name: str) -> Network:
        from steppe.scenarios import load_scenarios

        return load_scenarios([name], network).network

    return apply
