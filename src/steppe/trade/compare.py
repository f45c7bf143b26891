"""Composition, mirror gaps and partner shares.

* composition: a reporter's exports to and imports from a partner by HS section, chapter
  or heading, each with its share of the flow's total over the same rows;
* mirror: A's exports to B as A reports them against B's imports from A as B reports
  them, and the reverse; gap = imports - exports, relative gap = gap / exports x 100;
* shares: each partner's share of a country's exports, imports and turnover.
"""

from __future__ import annotations

import functools
import math
from typing import Any, Literal

import pandas as pd

from steppe.countries import resolve_country
from steppe.errors import ConfigError, TradeDataError
from steppe.trade._query import WORLD, Request, aggregate_many
from steppe.trade.codes import label as code_label
from steppe.trade.hs import LEVEL_DIGITS, hs_sections
from steppe.trade.periods import Period, parse_period
from steppe.trade.rates import RateTable, convert_values, load_rates
from steppe.trade.results import CompositionResult, MirrorResult, PeriodTotals, SharesResult
from steppe.trade.sources import SourceRule, check_mix
from steppe.trade.stats import _one_currency, _only_currency, flow_values, resolve_code
from steppe.trade.store import TradeStore

__all__ = ["Basis", "composition", "mirror", "shares"]

Basis = Literal["world", "listed"]


def _period(period: str | Period) -> Period:
    return period if isinstance(period, Period) else parse_period(period)


def composition(
    store: TradeStore,
    reporter: str,
    partner: str,
    period: str | Period,
    *,
    level: str = "section",
    top: int = 10,
    currency: str | None = None,
    rates: RateTable | None = None,
    rule: SourceRule | None = None,
) -> CompositionResult:
    """Return the top commodities of a reporter's exports to and imports from a partner.

    Parameters
    ----------
    store
        The trade store.
    reporter, partner
        Countries or groups.
    period
        The period.
    level
        ``section`` (21 HS sections), ``chapter`` (2 digits) or ``heading`` (4 digits).
    top
        How many commodities to list per flow (the rest are summed as ``other``).
    currency, rates
        Optional conversion.
    rule
        Which sources to prefer.

    Returns
    -------
    CompositionResult
        Rows ``flow, code, label, value, share_pct``; shares of the flow's total (the
        total row of the data where there is one), with ``not detailed`` for the part of
        it the data do not break down at this level.

    Raises
    ------
    TradeDataError
        The data for the period have no commodity detail, or do not cover it.

    Examples
    --------
    >>> import pathlib
    >>> with TradeStore(embedded=False) as store:
    ...     _ = store.load(pathlib.Path("tests/data/trade/comtrade_mng_kaz_2023.csv"))
    ...     c = composition(store, "MNG", "KAZ", "2023", level="chapter")
    >>> c.table[c.table.flow == "import"].code.iloc[0]
    '27'
    """
    if level not in LEVEL_DIGITS:
        raise ConfigError(f"unknown level {level!r}; choose section, chapter or heading")
    r, p, when = resolve_code(reporter), resolve_code(partner), _period(period)
    flows = ("export", "import")
    requests = [Request(r, p, flow, when, level=LEVEL_DIGITS[level]) for flow in flows]
    requests += [Request(r, p, flow, when) for flow in flows]
    answers = aggregate_many(store, requests, rule=rule)
    used: set[str] = set()
    flow_total: dict[str, float] = {}
    rows: list[tuple[str, str, str, str, float]] = []  # flow, code, currency, source, value
    for flow, answer, total in zip(flows, answers[:2], answers[2:], strict=True):
        records = answer.get_records()  # raises the refusal
        used.update(answer.datasets)
        for _, _, cur_, source, code, value in _converted(records, currency, rates):
            rows.append((flow, code, cur_, source, value))
        if not total.refused:
            converted = _converted(total.get_records(), currency, rates)
            flow_total[flow] = math.fsum(v for *_, v in converted)
    if not rows:
        detail = (
            "no 4-digit HS headings (--level chapter or section may work)"
            if level == "heading"
            else "no commodity detail (totals only)"
        )
        raise TradeDataError(f"the data for {r}-{p} in {when} have {detail}", file="trade store")
    cur = _only_currency({c for _, _, c, _, _ in rows}, f"{r}-{p} trade")
    note = check_mix(rule, [s for *_, s, _ in rows], f"{r}-{p} composition")
    sections = _sections() if level == "section" else {}
    by_code: dict[str, dict[str, list[float]]] = {f: {} for f in flows}
    for flow, code, _, _, value in rows:
        key = sections.get(code, "unknown") if level == "section" else code
        by_code[flow].setdefault(key, []).append(value)
    out: list[tuple[str, str, float]] = []  # flow, code, value
    shares: list[float] = []
    for flow in flows:
        if not by_code[flow]:
            continue
        summed = sorted(
            ((code, math.fsum(v)) for code, v in by_code[flow].items()),
            key=lambda cv: (-cv[1], cv[0]),
        )
        head = summed[:top]
        rest = math.fsum(v for _, v in summed[top:])
        if rest:
            head.append(("other", rest))
        # shares of the flow's total (the TOTAL row where the data have one): commodities
        # the data do not detail at this level are the row 'not detailed', never spread
        detailed = math.fsum(v for _, v in summed)
        whole = max(flow_total.get(flow, detailed), detailed)
        if whole - detailed > 0.5:
            head.append(("not detailed", whole - detailed))
        out += [(flow, code, value) for code, value in head]
        shares += [value / whole * 100.0 if whole else float("nan") for _, value in head]
    titles = _section_titles() if level == "section" else {}
    result = pd.DataFrame(
        {
            "flow": [f for f, _, _ in out],
            "code": [c for _, c, _ in out],
            "label": [titles.get(c, float("nan")) for _, c, _ in out]
            if level == "section"
            else None,
            "value": [v for *_, v in out],
            "share_pct": shares,
        }
    )
    return CompositionResult(r, p, when.label, level, cur, result, tuple(sorted(used)), note)


def _converted(
    records: list[tuple[Any, ...]], currency: str | None, rates: RateTable | None
) -> list[tuple[Any, ...]]:
    """Records ``(year, month, currency, ..., value)`` converted to ``currency``, if given."""
    if currency is None or not records:
        return records
    table = rates or load_rates()
    return [
        (r[0], r[1], currency, *r[3:-1], r[-1] * table.rate(int(r[0]), str(r[2]), currency))
        for r in records
    ]


@functools.cache
def _sections() -> dict[str, str]:
    """HS chapter -> section."""
    table = hs_sections()
    return dict(zip(table["chapter"], table["section"], strict=True))


@functools.cache
def _section_titles() -> dict[str, str]:
    """HS section -> its title."""
    table = hs_sections().drop_duplicates("section")
    return dict(zip(table["section"], table["section_title"], strict=True))


def _side(
    store: TradeStore,
    reporter: str,
    partner: str,
    flow: str,
    when: Period,
    *,
    currency: str | None,
    rates: RateTable | None,
) -> tuple[float | None, str | None, str]:
    try:
        frame, _ = flow_values(store, reporter, partner, flow, when, currency=currency, rates=rates)
    except TradeDataError as e:
        return None, None, str(e).removeprefix("trade store: ")
    return round(float(frame["value"].sum()), 3), _one_currency(frame, reporter), ""


def mirror(
    store: TradeStore,
    a: str,
    b: str,
    period: str | Period,
    *,
    currency: str | None = None,
    rates: RateTable | None = None,
) -> MirrorResult:
    """Compare what A reports exporting to B with what B reports importing from A, both ways.

    Parameters
    ----------
    store
        The trade store.
    a, b
        Countries or groups.
    period
        The period.
    currency, rates
        Convert both sides to this currency (needed when they report in different ones).

    Returns
    -------
    MirrorResult
        One row per direction; a side the data do not cover is empty and its note says why.

    Raises
    ------
    TradeDataError
        Neither direction can be compared.

    Examples
    --------
    >>> with TradeStore() as store:
    ...     m = mirror(store, "EU27", "KAZ", "2023", currency="USD")
    >>> m.table.exporter.iloc[0], bool(m.table.gap_pct.iloc[0] < 0)
    ('EU27', True)
    """
    x, y, when = resolve_code(a), resolve_code(b), _period(period)
    rows: list[dict[str, object]] = []
    currencies: set[str] = set()
    for exporter, importer in ((x, y), (y, x)):
        exp, c1, n1 = _side(
            store, exporter, importer, "export", when, currency=currency, rates=rates
        )
        imp, c2, n2 = _side(
            store, importer, exporter, "import", when, currency=currency, rates=rates
        )
        currencies.update(c for c in (c1, c2) if c)
        gap = imp - exp if exp is not None and imp is not None else None
        rows.append(
            {
                "exporter": exporter,
                "importer": importer,
                "exports_reported": exp,
                "imports_reported": imp,
                "gap": gap,
                "gap_pct": gap / exp * 100.0 if gap is not None and exp else None,
                "note": "; ".join(n for n in (n1, n2) if n),
            }
        )
    table = pd.DataFrame(rows)
    if table["gap"].isna().all():
        raise TradeDataError(
            f"cannot compare {x} and {y} in {when}: " + " / ".join(table["note"]),
            file="trade store",
        )
    if len(currencies) > 1:
        raise ConfigError(
            f"{x} and {y} report in {' and '.join(sorted(currencies))}; "
            "ask for one currency (currency='USD', or --currency USD)"
        )
    return MirrorResult(x, y, when.label, currencies.pop(), table)


def shares(
    store: TradeStore,
    country: str,
    period: str | Period,
    *,
    top: int | None = None,
    basis: Basis = "world",
    currency: str | None = None,
    rates: RateTable | None = None,
    rule: SourceRule | None = None,
) -> SharesResult:
    """Return each partner's share of a country's exports, imports and turnover.

    Shares are of the country's world total: the World row of a file that has one
    (Comtrade's ``W00``, a tidy file's ``WLD``), or the sum over every partner of data that
    list them all (national tables, BACI).  The partners listed are those of the same
    dataset; what they leave out is the row ``rest of world``.  ``basis="listed"`` divides
    by the sum of the listed partners instead, and says so.

    Parameters
    ----------
    store
        The trade store.
    country
        The country (its own reports are needed).
    period
        The period.
    top
        Keep the largest ``top`` partners by turnover (shares stay shares of the total).
    basis
        ``world`` (the default): shares of the world total; ``listed``: shares of the sum
        of the partners the data list (labelled so in the result).
    currency, rates
        Optional conversion.
    rule
        Which sources to prefer.

    Returns
    -------
    SharesResult
        One row per partner, largest turnover first, and the totals (the world totals, or
        the listed partners' sums with ``basis="listed"``).

    Raises
    ------
    TradeDataError
        The data hold no world total for the country and period (and ``basis`` is
        ``world``): the message says which file would give it.

    Examples
    --------
    >>> with TradeStore() as store:
    ...     s = shares(store, "KAZ", "2023")
    >>> s.table.partner.iloc[:2].tolist(), s.basis
    (['CHN', 'RUS'], 'world total')
    """
    if basis not in ("world", "listed"):
        raise ConfigError(f"basis must be 'world' or 'listed', not {basis!r}")
    c, when = resolve_country(country), _period(period)
    frames, used = {}, set()
    sources: set[str] = set()
    answers = aggregate_many(
        store,
        [Request(c, WORLD, flow, when, by_partner=True) for flow in ("export", "import")],
        rule=rule,
    )
    missing = []
    for flow, answer in zip(("export", "import"), answers, strict=True):
        if answer.refused:
            why = str(answer.refusal()).removeprefix("trade store: ") if answer.refusal else ""
            missing.append((flow, why))
            frames[flow] = pd.DataFrame(
                {
                    "partner": pd.Series(dtype=object),
                    "value": pd.Series(dtype=float),
                    "currency": pd.Series(dtype=object),
                    "source": pd.Series(dtype=object),
                }
            )
            continue
        frame, datasets = answer.get()
        frames[flow] = convert_values(frame, currency, rates)
        sources.update(frame["source"])
        used.update(datasets)
    if len(missing) == 2:
        raise TradeDataError(
            f"no world total of {c}'s trade in {when}: load a file with {c}'s World row (a "
            "Comtrade extract with partner 'World', or a tidy file with partner WLD), one "
            "listing every partner (BACI, a national table), or fetch it: steppe trade fetch "
            f"--reporter {c} --partner all --period {when.label}; {missing[0][1]}",
            file="trade store",
        )
    cur = _one_currency(pd.concat(frames.values()), f"{c} trade")
    note = check_mix(rule, sources, f"{c}'s partner shares")
    if missing:
        note = "; ".join(
            [n for n in (note,) if n]
            + [f"no {f} shares: no world total of {c}'s {f}s" for f, _ in missing]
        )
    by = {
        f: fr[fr["partner"] != WORLD].groupby("partner")["value"].sum() for f, fr in frames.items()
    }
    world = {f: float(fr.loc[fr["partner"] == WORLD, "value"].sum()) for f, fr in frames.items()}
    table = pd.DataFrame({"exports": by["export"], "imports": by["import"]}).fillna(0.0)
    table["turnover"] = table["exports"] + table["imports"]
    listed = table.sum()
    for flow, _ in missing:
        world[flow] = float("nan")
    if basis == "world":
        totals = {"exports": world["export"], "imports": world["import"]}
        totals["turnover"] = totals["exports"] + totals["imports"]
    else:
        totals = {k: float(listed[k]) for k in ("exports", "imports", "turnover")}
    for col in ("exports", "imports", "turnover"):
        table[f"{col}_share_pct"] = table[col] / totals[col] * 100.0 if totals[col] else None
    table = table.sort_values("turnover", ascending=False).reset_index(names="partner")
    held = store.sql("SELECT DISTINCT code, label FROM labels")
    named = dict(zip(held["code"], held["label"], strict=True))
    table.insert(1, "name", table["partner"].map(lambda code: named.get(code) or code_label(code)))
    if top:
        table = table.head(top)
    rest = {k: totals[k] - float(listed[k]) for k in totals}
    if basis == "world" and any(abs(v) > 0.5 for v in rest.values()):
        row = {"partner": "rest", "name": "rest of world (partners not listed)", **rest}
        for col in ("exports", "imports", "turnover"):
            row[f"{col}_share_pct"] = rest[col] / totals[col] * 100.0 if totals[col] else None
        table = pd.concat([table, pd.DataFrame([row])], ignore_index=True)
    sums = PeriodTotals(
        when.label,
        round(totals["exports"], 3),
        round(totals["imports"], 3),
        round(totals["turnover"], 3),
    )
    label = "world total" if basis == "world" else "listed partners only"
    return SharesResult(
        c, when.label, cur, table, sums, tuple(sorted(used)), label, tuple(sorted(sources)), note
    )
