"""Composition, mirror gaps and partner shares.

* composition: a reporter's exports to and imports from a partner by HS section, chapter
  or heading, each with its share of the flow's total over the same rows;
* mirror: A's exports to B as A reports them against B's imports from A as B reports
  them, and the reverse; gap = imports - exports, relative gap = gap / exports x 100;
* shares: each partner's share of a country's exports, imports and turnover.
"""

from __future__ import annotations

import pandas as pd

from steppe.countries import country_name, resolve_country
from steppe.errors import ConfigError, TradeDataError
from steppe.trade._query import Request, aggregate, aggregate_many
from steppe.trade.hs import LEVEL_DIGITS, hs_sections, to_level
from steppe.trade.periods import Period, parse_period
from steppe.trade.rates import RateTable, convert_values
from steppe.trade.results import CompositionResult, MirrorResult, PeriodTotals, SharesResult
from steppe.trade.stats import _one_currency, flow_values, resolve_code
from steppe.trade.store import TradeStore

__all__ = ["composition", "mirror", "shares"]


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

    Returns
    -------
    CompositionResult
        Rows ``flow, code, label, value, share_pct``; shares of the flow's total.

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
    parts, used = [], set()
    flows = ("export", "import")
    answers = aggregate_many(
        store, [Request(r, p, flow, when, level=LEVEL_DIGITS[level]) for flow in flows]
    )
    for flow, answer in zip(flows, answers, strict=True):
        frame, datasets = answer.get()
        used.update(datasets)
        parts.append(convert_values(frame, currency, rates).assign(flow=flow))
    rows = pd.concat(parts, ignore_index=True)
    if rows.empty:
        detail = (
            "no 4-digit HS headings (--level chapter or section may work)"
            if level == "heading"
            else "no commodity detail (totals only)"
        )
        raise TradeDataError(f"the data for {r}-{p} in {when} have {detail}", file="trade store")
    cur = _one_currency(rows, f"{r}-{p} trade")
    rows["code"] = to_level(rows["code"], level)
    table = rows.groupby(["flow", "code"], as_index=False).agg(value=("value", "sum"))
    table = table.sort_values(["flow", "value"], ascending=[True, False])
    out = []
    for name, group in table.groupby("flow", sort=True):
        head = group.head(top)
        rest = float(group.iloc[top:]["value"].sum())
        if rest:
            head = pd.concat(
                [head, pd.DataFrame({"flow": [name], "code": ["other"], "value": [rest]})]
            )
        head["share_pct"] = head["value"] / group["value"].sum() * 100.0
        out.append(head)
    result = pd.concat(out, ignore_index=True)
    titles = hs_sections().drop_duplicates("section").set_index("section")["section_title"]
    result["label"] = result["code"].map(titles) if level == "section" else None
    result = result[["flow", "code", "label", "value", "share_pct"]]
    return CompositionResult(r, p, when.label, level, cur, result, tuple(sorted(used)))


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
    currency: str | None = None,
    rates: RateTable | None = None,
) -> SharesResult:
    """Return each partner's share of a country's exports, imports and turnover.

    Parameters
    ----------
    store
        The trade store.
    country
        The country (its own reports, covering every partner, are needed).
    period
        The period.
    top
        Keep the largest ``top`` partners by turnover (shares stay shares of the total).
    currency, rates
        Optional conversion.

    Returns
    -------
    SharesResult
        One row per partner, largest turnover first, and the totals.

    Examples
    --------
    >>> with TradeStore() as store:
    ...     s = shares(store, "KAZ", "2023")
    >>> s.table.partner.iloc[:2].tolist()
    ['CHN', 'RUS']
    """
    c, when = resolve_country(country), _period(period)
    frames, used = {}, set()
    for flow in ("export", "import"):
        frame, datasets = aggregate(store, c, "*", flow, when, by_partner=True)
        frames[flow] = convert_values(frame, currency, rates)
        used.update(datasets)
    cur = _one_currency(pd.concat(frames.values()), f"{c} trade")
    table = pd.DataFrame(
        {
            "exports": frames["export"].groupby("partner")["value"].sum(),
            "imports": frames["import"].groupby("partner")["value"].sum(),
        }
    ).fillna(0.0)
    table["turnover"] = table["exports"] + table["imports"]
    totals = table.sum()
    for col in ("exports", "imports", "turnover"):
        table[f"{col}_share_pct"] = table[col] / totals[col] * 100.0 if totals[col] else None
    table = table.sort_values("turnover", ascending=False).reset_index(names="partner")
    table.insert(1, "name", table["partner"].map(country_name))
    if top:
        table = table.head(top)
    sums = PeriodTotals(
        when.label,
        round(float(totals["exports"]), 3),
        round(float(totals["imports"]), 3),
        round(float(totals["turnover"]), 3),
    )
    return SharesResult(c, when.label, cur, table, sums, tuple(sorted(used)))
