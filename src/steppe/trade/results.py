"""Results of trade statistics: frozen dataclasses holding tables, with ``to_dict()`` for JSON."""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Any

import pandas as pd

__all__ = [
    "CompositionResult",
    "MirrorResult",
    "PeriodTotals",
    "SeriesResult",
    "SharesResult",
    "TurnoverResult",
]


def _clean(value: Any) -> Any:
    """JSON-friendly scalar: NaN becomes None, numpy numbers become Python numbers."""
    if isinstance(value, float) and math.isnan(value):
        return None
    if hasattr(value, "item"):
        return _clean(value.item())
    return value


def _records(table: pd.DataFrame) -> list[dict[str, Any]]:
    return [{str(k): _clean(v) for k, v in row.items()} for row in table.to_dict(orient="records")]


@dataclass(frozen=True, slots=True)
class PeriodTotals:
    """Exports, imports and turnover of a reporter with a partner over one period."""

    period: str
    exports: float
    imports: float
    turnover: float

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"period", "exports", "imports", "turnover"}``."""
        return {
            "period": self.period,
            "exports": self.exports,
            "imports": self.imports,
            "turnover": self.turnover,
        }


@dataclass(frozen=True, slots=True)
class TurnoverResult:
    """Turnover for a period, the same period a year earlier and the growth in percent.

    ``previous`` is None (and ``growth_pct`` None) when the data do not cover the earlier
    period; ``note`` then says so.
    """

    reporter: str
    partner: str
    current: PeriodTotals
    currency: str
    previous: PeriodTotals | None
    growth_pct: float | None
    sources: tuple[str, ...]
    note: str = ""
    publishers: tuple[str, ...] = ()

    @property
    def turnover(self) -> float:
        """Exports plus imports in the period."""
        return self.current.turnover

    def to_dict(self) -> dict[str, Any]:
        """Return the documented JSON object (see docs/trade.md)."""
        return {
            "reporter": self.reporter,
            "partner": self.partner,
            "period": self.current.period,
            "currency": self.currency,
            "exports": self.current.exports,
            "imports": self.current.imports,
            "turnover": self.current.turnover,
            "previous": self.previous.to_dict() if self.previous else None,
            "growth_pct": self.growth_pct,
            "sources": list(self.sources),
            "publishers": list(self.publishers),
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class SeriesResult:
    """Exports, imports and turnover by year or month, with growth on the step before.

    ``table`` columns: ``period, exports, imports, turnover, growth_pct, source`` (the
    publisher whose data answered the period); ``note`` says when the series mixes them.
    """

    reporter: str
    partner: str
    frequency: str
    currency: str
    table: pd.DataFrame
    sources: tuple[str, ...]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"reporter", "partner", "frequency", "currency", "rows": [...]}``."""
        return {
            "reporter": self.reporter,
            "partner": self.partner,
            "frequency": self.frequency,
            "currency": self.currency,
            "rows": _records(self.table),
            "sources": list(self.sources),
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class CompositionResult:
    """Top commodities by flow; ``table``: ``flow, code, label, value, share_pct``."""

    reporter: str
    partner: str
    period: str
    level: str
    currency: str
    table: pd.DataFrame
    sources: tuple[str, ...]
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"reporter", "partner", "period", "level", "currency", "rows": [...]}``."""
        return {
            "reporter": self.reporter,
            "partner": self.partner,
            "period": self.period,
            "level": self.level,
            "currency": self.currency,
            "rows": _records(self.table),
            "sources": list(self.sources),
            "note": self.note,
        }


@dataclass(frozen=True, slots=True)
class MirrorResult:
    """Mirror comparison; ``table`` has one row per direction.

    Columns: ``exporter, importer, exports_reported, imports_reported, gap, gap_pct,
    note``; ``gap`` = imports reported by the importer - exports reported by the exporter,
    ``gap_pct`` = gap / exports reported x 100.  Imports are usually valued CIF (with
    freight and insurance) and exports FOB, so a gap of a few percent is expected.
    """

    a: str
    b: str
    period: str
    currency: str
    table: pd.DataFrame

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"a", "b", "period", "currency", "directions": [...]}``."""
        return {
            "a": self.a,
            "b": self.b,
            "period": self.period,
            "currency": self.currency,
            "directions": _records(self.table),
            "caveat": "imports are usually valued CIF, exports FOB",
        }


@dataclass(frozen=True, slots=True)
class SharesResult:
    """Partner shares of a country's trade.

    ``table`` columns: ``partner, name, exports, imports, turnover, exports_share_pct,
    imports_share_pct, turnover_share_pct``, largest turnover first, then ``rest`` (what the
    listed partners leave of the world total); ``totals`` the denominators, ``basis`` what
    they are (``world total`` or ``listed partners only``), ``publishers`` the sources.
    """

    country: str
    period: str
    currency: str
    table: pd.DataFrame
    totals: PeriodTotals
    sources: tuple[str, ...]
    basis: str = "world total"
    publishers: tuple[str, ...] = ()
    note: str = ""

    def to_dict(self) -> dict[str, Any]:
        """Return ``{"country", "period", "currency", "basis", "totals", "partners": [...]}``."""
        return {
            "country": self.country,
            "period": self.period,
            "currency": self.currency,
            "basis": self.basis,
            "totals": self.totals.to_dict(),
            "partners": _records(self.table),
            "sources": list(self.sources),
            "publishers": list(self.publishers),
            "note": self.note,
        }
