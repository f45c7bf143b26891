"""Trade statistics: a DuckDB store of trade flows, loaders and statistics.

The names below are imported on first use, so ``import steppe.trade.store`` (all that
``steppe trade load`` needs) does not import pandas.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from steppe.trade.compare import composition, mirror, shares
    from steppe.trade.periods import Period, parse_period
    from steppe.trade.results import (
        CompositionResult,
        MirrorResult,
        PeriodTotals,
        SeriesResult,
        SharesResult,
        TurnoverResult,
    )
    from steppe.trade.sources import SourceRule
    from steppe.trade.stats import series, turnover
    from steppe.trade.store import TradeStore

__all__ = [
    "CompositionResult",
    "MirrorResult",
    "Period",
    "PeriodTotals",
    "SeriesResult",
    "SharesResult",
    "SourceRule",
    "TradeStore",
    "TurnoverResult",
    "composition",
    "mirror",
    "parse_period",
    "series",
    "shares",
    "turnover",
]

_HOME = {
    "CompositionResult": "results",
    "MirrorResult": "results",
    "Period": "periods",
    "PeriodTotals": "results",
    "SeriesResult": "results",
    "SharesResult": "results",
    "SourceRule": "sources",
    "TradeStore": "store",
    "TurnoverResult": "results",
    "composition": "compare",
    "mirror": "compare",
    "parse_period": "periods",
    "series": "stats",
    "shares": "compare",
    "turnover": "stats",
}


def __getattr__(name: str) -> Any:
    if name not in _HOME:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    value = getattr(importlib.import_module(f"steppe.trade.{_HOME[name]}"), name)
    globals()[name] = value
    return value


def __dir__() -> list[str]:
    return sorted(__all__)
