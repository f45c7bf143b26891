"""Column schemas of the network folder tables and the parsing of one row into a model object.

Parsing never stops at the first bad cell: every problem is collected as a
:class:`~steppe.errors.Problem` with file, row and column, and the caller raises them
together.  The documented format is in ``docs/network-format.md``.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum
from typing import TypeVar

from steppe.errors import Problem
from steppe.network.model import (
    Border,
    BorderRegime,
    Direction,
    Dwell,
    Link,
    LinkStatus,
    Mode,
    Node,
    NodeKind,
    Transfer,
)

__all__ = [
    "BORDER_COLUMNS",
    "GAUGE_RANGE_MM",
    "LINK_COLUMNS",
    "MAX_CO2_KG",
    "MAX_HOURS",
    "MAX_LENGTH_KM",
    "MAX_SPEED_KMH",
    "MAX_USD",
    "NODE_COLUMNS",
    "REQUIRED",
    "TRANSFER_COLUMNS",
    "RowParser",
    "border_to_row",
    "link_to_row",
    "node_to_row",
    "parse_border",
    "parse_link",
    "parse_node",
    "parse_transfer",
    "transfer_to_row",
]

NODE_COLUMNS = (
    "id",
    "name",
    "lat",
    "lon",
    "country",
    "kind",
    "aliases",
    "geonameid",
    "unlocode",
    "source",
)
LINK_COLUMNS = (
    "id",
    "a",
    "b",
    "mode",
    "length_km",
    "speed_kmh",
    "duration_h",
    "gauge_mm",
    "status",
    "direction",
    "headway_h",
    "capacity",
    "cost_usd",
    "co2_kg",
    "countries",
    "geometry",
    "length_source",
    "source",
)
_DWELL_COLUMNS = tuple(
    f"{mode}_{d}_{stat}_h"
    for mode in ("road", "rail")
    for d in ("ab", "ba")
    for stat in ("median", "p90")
)
BORDER_COLUMNS = (
    "id",
    "name",
    "a",
    "b",
    "regime",
    *_DWELL_COLUMNS,
    "road_fee_usd",
    "rail_fee_usd",
    "source",
)
TRANSFER_COLUMNS = ("node", "from_mode", "to_mode", "time_h", "cost_usd", "source")

REQUIRED: Mapping[str, tuple[str, ...]] = {
    "nodes.csv": ("id", "name", "lat", "lon", "country", "kind", "source"),
    "links.csv": ("id", "a", "b", "mode", "length_km", "source"),
    "borders.csv": ("id", "a", "b", "source"),
    "transfers.csv": ("node", "from_mode", "to_mode", "time_h", "cost_usd", "source"),
}

_SLUG = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
# Plausibility bounds: a value beyond them is a typo or a unit mistake, never data.
MAX_LENGTH_KM = 40_075.0  # Earth's equatorial circumference (WGS 84): no leg is longer
MAX_SPEED_KMH = 500.0  # above any freight service (high-speed rail runs at 300-350)
MAX_HOURS = 8_760.0  # one year: no single wait, dwell, leg or headway is longer
MAX_USD = 10_000_000.0  # estimate: 100x the dearest sea leg per FEU in the network
MAX_CO2_KG = 10_000_000.0  # estimate: as MAX_USD, for kg CO2e per FEU
GAUGE_RANGE_MM = (300, 3_000)  # narrowest to widest railway gauge ever built, with margin
# A p90 missing where a median is given: 1.5 x the median (see docs/routing.md).
P90_DEFAULT_FACTOR = 1.5
E = TypeVar("E", bound=StrEnum)


@dataclass
class RowParser:
    """Parse the cells of one CSV row, collecting problems instead of raising."""

    file: str
    row: int
    cells: Mapping[str, str | None]
    problems: list[Problem]

    def _add(self, column: str, message: str) -> None:
        self.problems.append(Problem(self.file, message, self.row, column))

    def text(self, column: str, *, required: bool = False) -> str:
        value = (self.cells.get(column) or "").strip()
        if required and not value:
            self._add(column, "is empty")
        return value

    def slug(self, column: str) -> str:
        value = self.text(column, required=True)
        if value and not _SLUG.match(value):
            self._add(column, f"{value!r} is not a slug (lowercase letters, digits, _ and -)")
        return value

    def number(
        self,
        column: str,
        *,
        required: bool = False,
        positive: bool = False,
        nonneg: bool = False,
        lo: float | None = None,
        hi: float | None = None,
    ) -> float | None:
        raw = self.text(column, required=required)
        if not raw:
            return None
        try:
            value = float(raw)
        except ValueError:
            self._add(column, f"{raw!r} is not a number")
            return None
        if not math.isfinite(value):
            self._add(column, f"{raw!r} is not a finite number")
        elif positive and value <= 0:
            self._add(column, f"must be positive, got {raw}")
        elif nonneg and value < 0:
            self._add(column, f"must not be negative, got {raw}")
        elif lo is not None and (value < lo or (hi is not None and value > hi)):
            self._add(column, f"{raw} is out of range [{lo}, {hi}]")
        elif hi is not None and value > hi:
            self._add(column, f"{raw} is over the plausible maximum {hi:g}")
        else:
            return value
        return None

    def integer(self, column: str, *, lo: int | None = None, hi: int | None = None) -> int | None:
        raw = self.text(column)
        if not raw:
            return None
        try:
            value = int(raw)
        except ValueError:
            self._add(column, f"{raw!r} is not an integer")
            return None
        if (lo is not None and value < lo) or (hi is not None and value > hi):
            self._add(column, f"{raw} is out of range [{lo}, {hi}]")
            return None
        return value

    def choice(self, column: str, enum: type[E], default: E | None = None) -> E | None:
        raw = self.text(column, required=default is None)
        if not raw:
            return default
        try:
            return enum(raw.lower())
        except ValueError:
            allowed = ", ".join(e.value for e in enum)
            self._add(column, f"unknown value {raw!r}; expected one of {allowed}")
            return None

    def country(self, column: str, is_country: Callable[[str], bool]) -> str:
        raw = self.text(column, required=True)
        if raw and not is_country(raw):
            self._add(column, f"{raw!r} is not an ISO 3166 alpha-3 country code")
        return raw


def _split(value: str) -> tuple[str, ...]:
    return tuple(s.strip() for s in value.split("|") if s.strip())


def parse_node(p: RowParser, is_country: Callable[[str], bool]) -> Node | None:
    """Parse a ``nodes.csv`` row; ``None`` if a required cell is unusable."""
    n = len(p.problems)
    node_id, name = p.slug("id"), p.text("name", required=True)
    lat = p.number("lat", required=True, lo=-90, hi=90)
    lon = p.number("lon", required=True, lo=-180, hi=180)
    country = p.country("country", is_country)
    kind = p.choice("kind", NodeKind)
    geonameid, source = p.integer("geonameid", lo=1), p.text("source", required=True)
    if len(p.problems) > n or lat is None or lon is None or kind is None:
        return None
    return Node(
        node_id,
        name,
        lat,
        lon,
        country,
        kind,
        _split(p.text("aliases")),
        geonameid,
        p.text("unlocode") or None,
        source,
    )


def _parse_geometry(p: RowParser) -> tuple[tuple[float, float], ...] | None:
    raw = p.text("geometry")
    if not raw:
        return None
    points = []
    for pair in raw.split(";"):
        try:
            lat_s, lon_s = pair.split()
            lat, lon = float(lat_s), float(lon_s)
        except ValueError:
            p._add("geometry", f"bad point {pair!r}; expected 'lat lon;lat lon;...'")
            return None
        if not (-90 <= lat <= 90 and -180 <= lon <= 180):
            p._add("geometry", f"point {pair!r} is out of range")
            return None
        points.append((lat, lon))
    if len(points) < 2:
        p._add("geometry", "a polyline needs at least two points")
        return None
    return tuple(points)


def parse_link(p: RowParser, is_country: Callable[[str], bool]) -> Link | None:
    """Parse a ``links.csv`` row; ``None`` if a required cell is unusable."""
    n = len(p.problems)
    link_id, a, b = p.slug("id"), p.text("a", required=True), p.text("b", required=True)
    mode = p.choice("mode", Mode)
    length = p.number("length_km", required=True, positive=True, hi=MAX_LENGTH_KM)
    speed = p.number("speed_kmh", positive=True, hi=MAX_SPEED_KMH)
    duration = p.number("duration_h", positive=True, hi=MAX_HOURS)
    gauge = p.integer("gauge_mm", lo=GAUGE_RANGE_MM[0], hi=GAUGE_RANGE_MM[1])
    status = p.choice("status", LinkStatus, LinkStatus.OPEN)
    direction = p.choice("direction", Direction, Direction.BOTH)
    headway = p.number("headway_h", positive=True, hi=MAX_HOURS)
    capacity = p.number("capacity", positive=True)
    cost = p.number("cost_usd", nonneg=True, hi=MAX_USD)
    co2 = p.number("co2_kg", nonneg=True, hi=MAX_CO2_KG)
    countries = _split(p.text("countries"))
    for c in countries:
        if not is_country(c):
            p._add("countries", f"{c!r} is not an ISO 3166 alpha-3 country code")
    geometry = _parse_geometry(p)
    source = p.text("source", required=True)
    if mode is not None:
        if mode is Mode.RAIL and gauge is None:
            p._add("gauge_mm", "a rail link needs a gauge")
        if mode is not Mode.RAIL and gauge is not None:
            p._add("gauge_mm", f"only rail links have a gauge, this one is {mode}")
        if (
            speed is None
            and duration is None
            and not p.text("speed_kmh")
            and not p.text("duration_h")
        ):
            p._add("speed_kmh", "needs speed_kmh or duration_h")
    if len(p.problems) > n or mode is None or length is None or status is None or direction is None:
        return None
    return Link(
        link_id,
        a,
        b,
        mode,
        length,
        speed,
        duration,
        gauge,
        status,
        direction,
        headway,
        capacity,
        cost,
        co2,
        countries,
        geometry,
        source,
        length_source=p.text("length_source"),
    )


def parse_border(p: RowParser) -> Border | None:
    """Parse a ``borders.csv`` row; ``None`` if a required cell is unusable."""
    n = len(p.problems)
    border_id, a, b = p.slug("id"), p.text("a", required=True), p.text("b", required=True)
    regime = p.choice("regime", BorderRegime, BorderRegime.INTERNATIONAL)
    dwell = []
    for mode in (Mode.ROAD, Mode.RAIL):
        fee = p.number(f"{mode}_fee_usd", nonneg=True, hi=MAX_USD) or 0.0
        for d in ("ab", "ba"):
            median = p.number(f"{mode}_{d}_median_h", nonneg=True, hi=MAX_HOURS)
            p90 = p.number(f"{mode}_{d}_p90_h", nonneg=True, hi=MAX_HOURS)
            if median is None:
                if p90 is not None:
                    p._add(f"{mode}_{d}_p90_h", "a p90 needs a median")
                continue
            if p90 is None:
                p90 = median * P90_DEFAULT_FACTOR
            elif p90 < median:
                p._add(f"{mode}_{d}_p90_h", f"p90 {p90} is below the median {median}")
            dwell.append(Dwell(mode, d == "ab", median, p90, fee))
    source = p.text("source", required=True)
    if len(p.problems) > n or regime is None:
        return None
    return Border(border_id, a, b, regime, tuple(dwell), p.text("name"), source)


def parse_transfer(p: RowParser) -> Transfer | None:
    """Parse a ``transfers.csv`` row; ``None`` if a required cell is unusable."""
    n = len(p.problems)
    node = p.text("node", required=True)
    from_mode, to_mode = p.choice("from_mode", Mode), p.choice("to_mode", Mode)
    time_h = p.number("time_h", required=True, nonneg=True, hi=MAX_HOURS)
    cost = p.number("cost_usd", required=True, nonneg=True, hi=MAX_USD)
    source = p.text("source", required=True)
    if (
        len(p.problems) > n
        or from_mode is None
        or to_mode is None
        or time_h is None
        or cost is None
    ):
        return None
    return Transfer(node, from_mode, to_mode, time_h, cost, source)


def _fmt(value: float | int | None) -> str:
    if value is None:
        return ""
    return repr(value)  # shortest text that reads back to the same float: lossless


def node_to_row(n: Node) -> dict[str, str]:
    """Return the ``nodes.csv`` cells of a node."""
    return {
        "id": n.id,
        "name": n.name,
        "lat": _fmt(n.lat),
        "lon": _fmt(n.lon),
        "country": n.country,
        "kind": n.kind.value,
        "aliases": "|".join(n.aliases),
        "geonameid": _fmt(n.geonameid),
        "unlocode": n.unlocode or "",
        "source": n.source,
    }


def link_to_row(lk: Link) -> dict[str, str]:
    """Return the ``links.csv`` cells of a link."""
    geometry = ";".join(f"{lat!r} {lon!r}" for lat, lon in lk.geometry) if lk.geometry else ""
    return {
        "id": lk.id,
        "a": lk.a,
        "b": lk.b,
        "mode": lk.mode.value,
        "length_km": _fmt(lk.length_km),
        "speed_kmh": _fmt(lk.speed_kmh),
        "duration_h": _fmt(lk.duration_h),
        "gauge_mm": _fmt(lk.gauge_mm),
        "status": lk.status.value,
        "direction": lk.direction.value,
        "headway_h": _fmt(lk.headway_h),
        "capacity": _fmt(lk.capacity),
        "cost_usd": _fmt(lk.cost_usd),
        "co2_kg": _fmt(lk.co2_kg),
        "countries": "|".join(lk.countries),
        "geometry": geometry,
        "length_source": lk.length_source,
        "source": lk.source,
    }


def border_to_row(b: Border) -> dict[str, str]:
    """Return the ``borders.csv`` cells of a border crossing."""
    row = {"id": b.id, "name": b.name, "a": b.a, "b": b.b, "regime": b.regime.value}
    row.update(dict.fromkeys(_DWELL_COLUMNS, ""))
    row.update({"road_fee_usd": "", "rail_fee_usd": ""})
    for d in b.dwell:
        key = f"{d.mode}_{'ab' if d.forward else 'ba'}"
        row[f"{key}_median_h"], row[f"{key}_p90_h"] = _fmt(d.median_h), _fmt(d.p90_h)
        if d.fee_usd:
            row[f"{d.mode}_fee_usd"] = _fmt(d.fee_usd)
    row["source"] = b.source
    return row


def transfer_to_row(t: Transfer) -> dict[str, str]:
    """Return the ``transfers.csv`` cells of a transfer."""
    return {
        "node": t.node,
        "from_mode": t.from_mode.value,
        "to_mode": t.to_mode.value,
        "time_h": _fmt(t.time_h),
        "cost_usd": _fmt(t.cost_usd),
        "source": t.source,
    }
