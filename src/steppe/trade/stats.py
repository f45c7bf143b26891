"""Turnover and series between a reporter and a partner, from the reporter's own data.

Turnover = exports + imports, both as reported by the reporter.  Re-exports and
re-imports are parts of exports and imports and are never added to them.  Growth =
(this period / same period a year earlier - 1) x 100.
"""

from __future__ import annotations

import math
import re

import pandas as pd

from steppe.countries import resolve_country
from steppe.errors import ConfigError, TradeDataError
from steppe.trade._query import Answer, Request, aggregate, aggregate_many
from steppe.trade.codes import non_iso_code
from steppe.trade.groups import is_group
from steppe.trade.periods import Period, parse_period
from steppe.trade.rates import RateTable, convert_values, load_rates
from steppe.trade.results import PeriodTotals, SeriesResult, TurnoverResult
from steppe.trade.sources import SourceRule, check_mix
from steppe.trade.store import TradeStore

__all__ = ["flow_values", "resolve_code", "series", "turnover"]

FLOWS_SUMMED = ("export", "import")  # turnover = exports + imports


def resolve_code(text: str) -> str:
    """Return a group code (``EU``, ``EU27``, ``EAEU``), ``WLD`` or a country's ISO3 code.

    ``WLD`` (or ``World``) as a partner asks for the reporter's world total.

    Examples
    --------
    >>> resolve_code("eu27"), resolve_code("Mongolia"), resolve_code("world")
    ('EU27', 'MNG', 'WLD')
    """
    code = text.strip().upper()
    if code in ("WLD", "WORLD", "W00"):
        return "WLD"
    if non_iso_code(code) or re.fullmatch(r"X(\d{3}|Q[A-Z])", code):
        return code  # an area that is no country ("S19": Other Asia, nes)
    return text.upper() if is_group(text) else resolve_country(text)


def _one_currency(frame: pd.DataFrame, what: str) -> str:
    return _only_currency(set(frame["currency"]), what)


def _only_currency(found: set[str], what: str) -> str:
    currencies = sorted(found)
    if len(currencies) > 1:
        raise ConfigError(
            f"{what} mixes values in {' and '.join(currencies)}; ask for one currency "
            "(currency='USD', or --currency USD)"
        )
    return currencies[0] if currencies else "USD"


def flow_values(
    store: TradeStore,
    reporter: str,
    partner: str,
    flow: str,
    period: Period,
    *,
    currency: str | None = None,
    rates: RateTable | None = None,
    rule: SourceRule | None = None,
) -> tuple[pd.DataFrame, list[str]]:
    """Return one flow by year and month (converted if asked), and the datasets used.

    Examples
    --------
    >>> with TradeStore() as store:
    ...     rows, used = flow_values(store, "KAZ", "MNG", "export", parse_period("2023"))
    >>> float(rows.value.sum())
    124277181.79
    """
    frame, used = aggregate(store, reporter, partner, flow, period, rule=rule)
    return convert_values(frame, currency, rates), used


def _summed(
    answer: Answer, currency: str | None, rates: RateTable | None
) -> tuple[float, set[str], set[str]]:
    """Sum an answer's records (converted if asked): the value, its currencies, sources."""
    records = answer.get_records()  # year, month, currency, source, value
    if currency is not None and records:
        table = rates or load_rates()
        records = [
            (y, m, currency, s, v * table.rate(int(y), str(c), currency))
            for y, m, c, s, v in records
        ]
    total = math.fsum(float(v) for *_, v in records)
    return total, {str(c) for _, _, c, _, _ in records}, {str(s) for *_, s, _ in records}


def _totals(
    answers: list[Answer],
    period: Period,
    what: str,
    *,
    currency: str | None,
    rates: RateTable | None,
) -> tuple[PeriodTotals, str, list[str], set[str]]:
    """Exports and imports (``answers``, in that order) summed, in one currency."""
    e, cur_e, src_e = _summed(answers[0], currency, rates)
    i, cur_i, src_i = _summed(answers[1], currency, rates)
    cur = _only_currency(cur_e | cur_i, what)
    # the store keeps 3 decimals; rounding removes float noise from the sums
    e, i = round(e, 3), round(i, 3)
    totals = PeriodTotals(period.label, e, i, round(e + i, 3))
    return totals, cur, sorted({*answers[0].datasets, *answers[1].datasets}), src_e | src_i


def _growth(now: float, before: float) -> float | None:
    return (now / before - 1.0) * 100.0 if before else None


def turnover(
    store: TradeStore,
    reporter: str,
    partner: str,
    period: str | Period,
    *,
    currency: str | None = None,
    rates: RateTable | None = None,
    rule: SourceRule | None = None,
) -> TurnoverResult:
    """Return the turnover of a reporter with a partner, a year earlier, and the growth.

    Parameters
    ----------
    store
        The trade store.
    reporter, partner
        Countries (name or code) or groups (``EU``, ``EU27``, ``EAEU``).
    period
        A year, quarter, month or range (``2024-01..2024-08``).
    currency
        Convert to this currency (from the rate table); default: the source currency.
    rates
        The rate table for conversions; default: the shipped ECB annual averages.
    rule
        Which sources to prefer, and whether growth may compare two sources (default:
        allowed, and ``note`` says so).

    Returns
    -------
    TurnoverResult
        Exports, imports, turnover, the previous year's figures and the growth.

    Raises
    ------
    TradeDataError
        The data do not fully cover the period for the reporter: nothing is summed.

    Examples
    --------
    >>> with TradeStore() as store:
    ...     result = turnover(store, "Kazakhstan", "Mongolia", "2023")
    >>> round(result.turnover / 1e6, 1), round(result.growth_pct, 1)
    (133.0, 27.7)
    """
    r, p = resolve_code(reporter), resolve_code(partner)
    now = period if isinstance(period, Period) else parse_period(period)
    before = now.shifted(-1)
    # this period and the one a year earlier, both flows: one query
    answers = aggregate_many(
        store,
        [Request(r, p, flow, when) for when in (now, before) for flow in FLOWS_SUMMED],
        rule=rule,
    )
    what = f"{r}-{p} trade"
    current, cur, used, sources = _totals(answers[:2], now, what, currency=currency, rates=rates)
    mixed = check_mix(rule, sources, f"{r}-{p} turnover in {now.label}")
    previous: PeriodTotals | None = None
    note = ""
    try:
        if answers[2].refused or answers[3].refused:  # without building the message
            raise TradeDataError("not covered", file="trade store")
        previous, _, used_before, sources_before = _totals(
            answers[2:], before, what, currency=currency, rates=rates
        )
        used = sorted({*used, *used_before})
    except TradeDataError:
        note = f"no growth: the data do not cover {before.label}"
    else:
        if sources_before != sources:
            mixed = check_mix(rule, sources | sources_before, f"growth on {before.label}")
        sources |= sources_before
    growth = _growth(current.turnover, previous.turnover) if previous else None
    note = "; ".join(n for n in (note, mixed) if n)
    return TurnoverResult(
        r, p, current, cur, previous, growth, tuple(used), note, tuple(sorted(sources))
    )


def series(
    store: TradeStore,
    reporter: str,
    partner: str,
    start: str,
    end: str,
    *,
    currency: str | None = None,
    rates: RateTable | None = None,
    rule: SourceRule | None = None,
) -> SeriesResult:
    """Return exports, imports and turnover by year (or by month) from ``start`` to ``end``.

    Parameters
    ----------
    store
        The trade store.
    reporter, partner
        Countries or groups.
    start, end
        Two years (a yearly series) or two months (a monthly series).
    currency, rates
        Optional conversion, as for :func:`turnover`.
    rule
        Which sources to prefer, and whether the series may mix them (default: allowed,
        each row's ``source`` says which answered it and ``note`` says it is mixed).

    Returns
    -------
    SeriesResult
        One row per year or month with the growth on the step before and its source.

    Examples
    --------
    >>> with TradeStore() as store:
    ...     s = series(store, "KAZ", "MNG", "2019", "2023")
    >>> s.table.period.tolist()
    ['2019', '2020', '2021', '2022', '2023']
    """
    r, p = resolve_code(reporter), resolve_code(partner)
    first, last = parse_period(start), parse_period(end)
    months_ok = first.start == first.end or first.whole_years
    if first.whole_years != last.whole_years or not months_ok:
        raise ConfigError("give two years (2019, 2023) or two months (2023-01, 2024-08)")
    span = parse_period(f"{first.label}..{last.label}")
    monthly = not first.whole_years
    parts = {
        f: flow_values(store, r, p, f, span, currency=currency, rates=rates, rule=rule)
        for f in ("export", "import")
    }
    cur = _one_currency(pd.concat([parts[f][0] for f in parts]), f"{r}-{p} trade")
    units = [f"{y}-{m:02d}" for y, m in span.months] if monthly else [str(y) for y in span.years]
    table = pd.DataFrame({"period": units})
    for flow, column in (("export", "exports"), ("import", "imports")):
        frame = parts[flow][0]
        key = (
            frame.year.astype(str) + "-" + frame.month.map("{:02d}".format)
            if monthly
            else frame.year.astype(str)
        )
        sums = frame.groupby(key)["value"].sum()
        table[column] = table["period"].map(sums).fillna(0.0)
    table["turnover"] = table["exports"] + table["imports"]
    table["growth_pct"] = (table["turnover"] / table["turnover"].shift(1) - 1.0) * 100.0
    both = pd.concat([parts[f][0] for f in parts])
    if not both.empty:
        both_key = (
            both.year.astype(str) + "-" + both.month.map("{:02d}".format)
            if monthly
            else both.year.astype(str)
        )
        by_period = both.groupby(both_key)["source"].agg(lambda s: " + ".join(sorted(set(s))))
        table["source"] = table["period"].map(by_period).fillna("")
    else:
        table["source"] = ""
    note = check_mix(rule, both.get("source", []), f"the {r}-{p} series")
    used = tuple(sorted({*parts["export"][1], *parts["import"][1]}))
    return SeriesResult(r, p, "month" if monthly else "year", cur, table, used, note)
