"""Currency conversion from a documented table of annual average exchange rates.

Values stay in the source currency; they are converted only when a query asks for a
currency, at the annual average rate of the year of each value (also for monthly data).
The shipped table (``data/trade/eur_usd_rates.csv``) holds the ECB's annual average
EUR/USD reference rates; pass another table (same columns) to use other rates.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pandas as pd

from steppe.errors import ConfigError, Problem, TradeDataError
from steppe.trade.embedded import embedded_path

__all__ = ["RateTable", "convert_values", "load_rates"]


@dataclass(frozen=True, slots=True)
class RateTable:
    """Annual average rates: ``rate`` units of ``quote`` per unit of ``base``, by year."""

    rates: pd.DataFrame
    source: str

    def rate(self, year: int, source: str, target: str) -> float:
        """Return how many ``target`` one ``source`` buys on average in ``year``.

        Examples
        --------
        >>> load_rates().rate(2023, "EUR", "USD")
        1.0813
        """
        if source == target:
            return 1.0
        r = self.rates
        direct = r[(r.year == year) & (r.base == source) & (r.quote == target)]
        if len(direct):
            return float(direct.rate.iloc[0])
        inverse = r[(r.year == year) & (r.base == target) & (r.quote == source)]
        if len(inverse):
            return 1.0 / float(inverse.rate.iloc[0])
        raise ConfigError(
            f"no {source}->{target} rate for {year} in {self.source}; "
            f"years available: {', '.join(map(str, sorted(set(r.year))))}"
        )


def load_rates(path: Path | None = None) -> RateTable:
    """Read a rate table (``year, base, quote, rate``; ``#`` lines are comments).

    Parameters
    ----------
    path
        The CSV file; default: the shipped ECB EUR/USD annual averages.

    Returns
    -------
    RateTable
        The rates.

    Examples
    --------
    >>> load_rates().rate(2019, "USD", "EUR") == 1 / 1.1195
    True
    """
    path = path or embedded_path("eur_usd_rates.csv")
    table = pd.read_csv(path, comment="#")
    missing = [c for c in ("year", "base", "quote", "rate") if c not in table]
    if missing:
        raise TradeDataError(
            [Problem(str(path), f"missing required column {c!r}", None, c) for c in missing]
        )
    return RateTable(table, str(path.name))


def convert_values(
    frame: pd.DataFrame, target: str | None, rates: RateTable | None = None
) -> pd.DataFrame:
    """Convert ``value`` (with ``year`` and ``currency`` columns) into ``target``.

    Parameters
    ----------
    frame
        Rows with ``year``, ``currency`` and ``value``.
    target
        The currency to convert to; ``None`` leaves values as they are.
    rates
        The rate table; default: :func:`load_rates`.

    Returns
    -------
    DataFrame
        A copy with converted ``value`` and ``currency``.

    Examples
    --------
    >>> df = pd.DataFrame({"year": [2023], "currency": ["EUR"], "value": [100.0]})
    >>> float(convert_values(df, "USD").value.iloc[0])
    108.13
    """
    if target is None or frame.empty:
        return frame
    table = rates or load_rates()
    out = frame.copy()
    factor = [
        table.rate(int(y), str(c), target)
        for y, c in zip(out["year"], out["currency"], strict=True)
    ]
    out["value"] = out["value"] * factor
    out["currency"] = target
    return out
