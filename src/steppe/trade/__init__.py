"""Trade statistics: a DuckDB store of trade flows, loaders and statistics."""

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
