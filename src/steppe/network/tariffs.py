"""Dated price tables of a network folder: tariffs, sea index series, exchange rates, link states.

Four optional CSV files sit beside the network tables (``docs/network-format.md``):

* ``tariffs.csv`` — through-rates per corridor section and service, border shuttles;
* ``sea_rates.csv`` — a monthly freight index series per sea lane (same columns);
* ``fx_rates.csv`` — USD per unit of each other currency, by month;
* ``link_status.csv`` — dated link states (Suez open or closed, say).

Every row has a source and a validity period in months (``YYYY-MM``, inclusive).  Rows
are read with the same ``file:row:column: message`` problems as the other tables;
:func:`check_price_tables` checks what single rows cannot show: unknown link, border and
node ids, overlapping validity periods, and amounts in a currency with no rate for a month.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from enum import StrEnum
from typing import TypeVar

from steppe.errors import Problem
from steppe.network._tables import RowParser
from steppe.network.model import LinkStatus, Mode, Network

__all__ = [
    "FX_COLUMNS",
    "LINK_STATUS_COLUMNS",
    "PRICE_FILES",
    "TARIFF_COLUMNS",
    "FxRate",
    "LinkState",
    "PriceTables",
    "Tariff",
    "TariffUnit",
    "check_price_tables",
    "month_range",
    "parse_fx",
    "parse_link_state",
    "parse_month",
    "parse_tariff",
    "price_rows",
]

TARIFF_COLUMNS = (
    "id",
    "name",
    "applies_to",
    "service",
    "unit",
    "amount",
    "currency",
    "valid_from",
    "valid_to",
    "direction",
    "source",
)
FX_COLUMNS = ("month", "currency", "usd_per_unit", "source")
LINK_STATUS_COLUMNS = ("link", "status", "valid_from", "valid_to", "source")
PRICE_FILES: Mapping[str, tuple[str, ...]] = {
    "tariffs.csv": TARIFF_COLUMNS,
    "sea_rates.csv": TARIFF_COLUMNS,
    "fx_rates.csv": FX_COLUMNS,
    "link_status.csv": LINK_STATUS_COLUMNS,
}
REQUIRED: Mapping[str, tuple[str, ...]] = {
    "tariffs.csv": ("id", "applies_to", "unit", "amount", "currency", "valid_from", "valid_to",
                    "source"),
    "sea_rates.csv": ("id", "applies_to", "unit", "amount", "currency", "valid_from", "valid_to",
                      "source"),
    "fx_rates.csv": FX_COLUMNS,
    "link_status.csv": ("link", "status", "valid_from", "source"),
}  # fmt: skip

_MONTH = re.compile(r"^(\d{4})-(0[1-9]|1[0-2])$")
_CURRENCY = re.compile(r"^[A-Z]{3}$")
SERVICES = ("any", "block", "wagon", "express", "truck")
T = TypeVar("T")


class TariffUnit(StrEnum):
    """What a tariff amount is charged for."""

    FEU = "feu"
    TEU = "teu"
    TONNE = "tonne"
    TRUCK = "truck"
    WAGON = "wagon"
    FEU_KM = "feu_km"


def parse_month(text: str) -> str | None:
    """Return ``YYYY-MM`` if the text is a month in that form, else ``None``.

    Examples
    --------
    >>> parse_month("2024-07"), parse_month("2024-13")
    ('2024-07', None)
    """
    text = text.strip()
    return text if _MONTH.match(text) else None


def month_range(first: str, last: str) -> list[str]:
    """Return every month from ``first`` to ``last`` inclusive.

    Examples
    --------
    >>> month_range("2023-11", "2024-02")
    ['2023-11', '2023-12', '2024-01', '2024-02']
    """
    y, m = int(first[:4]), int(first[5:])
    out = []
    while f"{y:04d}-{m:02d}" <= last:
        out.append(f"{y:04d}-{m:02d}")
        y, m = (y + 1, 1) if m == 12 else (y, m + 1)
    return out


@dataclass(frozen=True, slots=True)
class Tariff:
    """One dated price row: an amount for a unit of cargo on a section, link or border.

    ``applies_to`` is ``link:ID``, ``border:ID``, ``transfer:NODE:FROM>TO`` or
    ``path:A>B>...`` (the shortest path between the places, in order, on the modes of
    ``path_modes``); ``direction`` is ``both`` or ``forward`` (along the path, from a to b).
    Rows with the same ``applies_to``, service and direction but different ids and
    overlapping periods are components that add up (a shuttle's haul plus its transloading).
    """

    id: str
    name: str
    applies_to: str
    service: str
    unit: TariffUnit
    amount: float
    currency: str
    valid_from: str
    valid_to: str
    direction: str = "both"
    source: str = ""
    file: str = "tariffs.csv"

    def covers(self, month: str) -> bool:
        """Return whether the row is valid in a month."""
        return self.valid_from <= month <= self.valid_to

    @property
    def estimate(self) -> bool:
        """Return whether the row is marked as an estimate."""
        return self.source.lower().startswith("estimate")


@dataclass(frozen=True, slots=True)
class FxRate:
    """US dollars per unit of a currency, for one month."""

    month: str
    currency: str
    usd_per_unit: float
    source: str = ""


@dataclass(frozen=True, slots=True)
class LinkState:
    """The status of a link over a period; an empty ``valid_to`` means until further notice."""

    link: str
    status: LinkStatus
    valid_from: str
    valid_to: str = "9999-12"
    source: str = ""

    def covers(self, month: str) -> bool:
        """Return whether the state holds in a month."""
        return self.valid_from <= month <= self.valid_to


@dataclass(frozen=True, slots=True)
class PriceTables:
    """The dated price tables of a network; empty when the folder has none."""

    tariffs: tuple[Tariff, ...] = ()
    fx: tuple[FxRate, ...] = ()
    link_states: tuple[LinkState, ...] = ()
    _rates: dict[tuple[str, str], float] = field(
        init=False, repr=False, compare=False, hash=False, default_factory=dict
    )

    def __post_init__(self) -> None:
        object.__setattr__(self, "_rates", {(r.month, r.currency): r.usd_per_unit for r in self.fx})

    @property
    def empty(self) -> bool:
        """Return whether there are no tariffs at all."""
        return not self.tariffs

    def span(self) -> tuple[str, str] | None:
        """Return the first and last month any tariff row covers, or ``None``."""
        if not self.tariffs:
            return None
        return min(t.valid_from for t in self.tariffs), max(t.valid_to for t in self.tariffs)

    def latest(self) -> str | None:
        """Return the latest month that every tariff file covers (the default price date)."""
        ends: dict[str, str] = {}
        for t in self.tariffs:
            ends[t.file] = max(ends.get(t.file, t.valid_to), t.valid_to)
        return min(ends.values()) if ends else None

    def usd_per_unit(self, currency: str, month: str) -> float | None:
        """Return USD per unit of a currency in a month, or ``None`` when unknown."""
        if currency == "USD":
            return 1.0
        return self._rates.get((month, currency))


def parse_tariff(p: RowParser) -> Tariff | None:
    """Parse a ``tariffs.csv`` or ``sea_rates.csv`` row; ``None`` if a cell is unusable."""
    n = len(p.problems)
    tid, applies = p.slug("id"), p.text("applies_to", required=True)
    if applies and not re.match(r"^(link|border|transfer|path):\S+$", applies):
        p._add("applies_to", f"{applies!r} must be link:ID, border:ID, transfer:NODE:FROM>TO "
               "or path:A>B>...")  # fmt: skip
    service = (p.text("service") or "any").lower()
    if service not in SERVICES:
        p._add("service", f"unknown service {service!r}; expected one of {', '.join(SERVICES)}")
    unit = p.choice("unit", TariffUnit)
    amount = p.number("amount", required=True, nonneg=True)
    currency = p.text("currency", required=True).upper()
    if currency and not _CURRENCY.match(currency):
        p._add("currency", f"{currency!r} is not an ISO 4217 currency code")
    first, last = _months(p, "valid_from", "valid_to", required_to=True)
    direction = (p.text("direction") or "both").lower()
    if direction not in ("both", "forward"):
        p._add("direction", f"unknown value {direction!r}; expected both or forward")
    source = p.text("source", required=True)
    if len(p.problems) > n or unit is None or amount is None or first is None or last is None:
        return None
    return Tariff(tid, p.text("name"), applies, service, unit, amount, currency, first, last,
                  direction, source, p.file)  # fmt: skip


def _months(
    p: RowParser, from_col: str, to_col: str, *, required_to: bool
) -> tuple[str | None, str | None]:
    out: list[str | None] = []
    for col, required in ((from_col, True), (to_col, required_to)):
        raw = p.text(col, required=required)
        month = parse_month(raw) if raw else ("9999-12" if not required else None)
        if raw and month is None:
            p._add(col, f"{raw!r} is not a month (YYYY-MM)")
        out.append(month)
    first, last = out
    if first and last and last < first:
        p._add(to_col, f"{last} is before {from_col} {first}")
        return None, None
    return first, last


def parse_fx(p: RowParser) -> FxRate | None:
    """Parse an ``fx_rates.csv`` row."""
    n = len(p.problems)
    raw = p.text("month", required=True)
    month = parse_month(raw)
    if raw and month is None:
        p._add("month", f"{raw!r} is not a month (YYYY-MM)")
    currency = p.text("currency", required=True).upper()
    if currency and not _CURRENCY.match(currency):
        p._add("currency", f"{currency!r} is not an ISO 4217 currency code")
    rate = p.number("usd_per_unit", required=True, positive=True)
    source = p.text("source", required=True)
    if len(p.problems) > n or month is None or rate is None:
        return None
    return FxRate(month, currency, rate, source)


def parse_link_state(p: RowParser) -> LinkState | None:
    """Parse a ``link_status.csv`` row."""
    n = len(p.problems)
    link, status = p.text("link", required=True), p.choice("status", LinkStatus)
    first, last = _months(p, "valid_from", "valid_to", required_to=False)
    source = p.text("source", required=True)
    if len(p.problems) > n or status is None or first is None or last is None:
        return None
    return LinkState(link, status, first, last, source)


def _overlaps(
    items: Sequence[T], key: Callable[[T], object], span: Callable[[T], tuple[str, str]]
) -> list[tuple[int, int]]:
    """Return pairs (i, j), i < j, of items with the same key and overlapping periods."""
    groups: dict[object, list[int]] = {}
    for i, item in enumerate(items):
        groups.setdefault(key(item), []).append(i)
    pairs = []
    for idx in groups.values():
        for a, i in enumerate(idx):
            for j in idx[a + 1 :]:
                (f1, t1), (f2, t2) = span(items[i]), span(items[j])
                if f1 <= t2 and f2 <= t1:
                    pairs.append((i, j))
    return pairs


def check_price_tables(
    tables: PriceTables, network: Network, rows: Mapping[str, Sequence[int]] | None = None
) -> list[Problem]:
    """Return the problems of the price tables that single rows cannot show.

    Unknown link, border and node ids, overlapping validity periods of one item
    (same ``applies_to``, service, direction and ``id`` stem — components must differ in
    name), duplicate ids, and amounts in a currency with no rate for a month they cover.

    Examples
    --------
    >>> import steppe
    >>> net = steppe.load_network()
    >>> [p for p in check_price_tables(net.prices, net) if p.severity == "error"]
    []
    """
    problems: list[Problem] = []
    by_file: dict[str, list[int]] = {}
    for i, t in enumerate(tables.tariffs):
        by_file.setdefault(t.file, []).append(i)

    def row(file: str, index: int) -> int:
        return rows[file][index] if rows and file in rows else index + 2

    def add(file: str, index: int, column: str, message: str) -> None:
        problems.append(Problem(file, message, row(file, index), column))

    links, nodes = network.links_by_id, network.nodes_by_id
    borders = {b.id for b in network.borders}
    seen: dict[str, int] = {}
    for file, idx in by_file.items():
        for k, i in enumerate(idx):
            t = tables.tariffs[i]
            if t.id in seen:
                add(file, k, "id", f"duplicate id {t.id!r}")
            seen[t.id] = i
            kind, _, ref = t.applies_to.partition(":")
            if kind == "link" and ref not in links:
                add(file, k, "applies_to", f"unknown link {ref!r}")
            elif kind == "border" and ref not in borders:
                add(file, k, "applies_to", f"unknown border {ref!r}")
            elif kind == "transfer":
                node, _, change = ref.partition(":")
                if node not in nodes:
                    add(file, k, "applies_to", f"unknown node {node!r}")
                if not re.match(r"^[a-z]+>[a-z]+$", change) or not all(
                    m in set(Mode) for m in change.split(">")
                ):
                    add(file, k, "applies_to", f"bad transfer {change!r}; use MODE>MODE")
            elif kind == "path":
                for place in ref.split(">"):
                    if place not in nodes:
                        add(file, k, "applies_to", f"unknown node {place!r} in path")
            missing = [
                m for m in month_range(t.valid_from, min(t.valid_to, "2100-12"))
                if tables.usd_per_unit(t.currency, m) is None
            ]  # fmt: skip
            if missing:
                span = missing[0] if len(missing) == 1 else f"{missing[0]}..{missing[-1]}"
                add(file, k, "currency", f"no {t.currency} rate in fx_rates.csv for {span}")
        local = [tables.tariffs[i] for i in idx]
        for a, b in _overlaps(
            local,
            lambda t: (t.applies_to, t.service, t.direction, t.name or t.id),
            lambda t: (t.valid_from, t.valid_to),
        ):
            t = local[b]
            add(file, b, "valid_from", f"validity {t.valid_from}..{t.valid_to} overlaps "
                f"row {row(file, a)} ({local[a].id}) for {t.applies_to}")  # fmt: skip
    fx = tables.fx
    for _, b in _overlaps(fx, lambda r: (r.month, r.currency), lambda r: (r.month, r.month)):
        message = f"second {fx[b].currency} rate for {fx[b].month}"
        problems.append(Problem("fx_rates.csv", message, row("fx_rates.csv", b), "month"))
    states = tables.link_states
    for i, s in enumerate(states):
        if s.link not in links:
            problems.append(Problem("link_status.csv", f"unknown link {s.link!r}",
                                    row("link_status.csv", i), "link"))  # fmt: skip
    for a, b in _overlaps(states, lambda s: s.link, lambda s: (s.valid_from, s.valid_to)):
        problems.append(Problem("link_status.csv", f"period overlaps row "
                                f"{row('link_status.csv', a)} for link {states[b].link!r}",
                                row("link_status.csv", b), "valid_from"))  # fmt: skip
    return problems


def price_rows(tables: PriceTables, file: str) -> list[dict[str, str]]:
    """Return the CSV cells of one price file, for writing a network folder."""
    if file == "fx_rates.csv":
        return [{"month": r.month, "currency": r.currency, "usd_per_unit": repr(r.usd_per_unit),
                 "source": r.source} for r in tables.fx]  # fmt: skip
    if file == "link_status.csv":
        return [{"link": s.link, "status": s.status.value, "valid_from": s.valid_from,
                 "valid_to": "" if s.valid_to == "9999-12" else s.valid_to, "source": s.source}
                for s in tables.link_states]  # fmt: skip
    return [
        {"id": t.id, "name": t.name, "applies_to": t.applies_to, "service": t.service,
         "unit": t.unit.value, "amount": repr(t.amount), "currency": t.currency,
         "valid_from": t.valid_from, "valid_to": t.valid_to, "direction": t.direction,
         "source": t.source}
        for t in tables.tariffs if t.file == file
    ]  # fmt: skip
