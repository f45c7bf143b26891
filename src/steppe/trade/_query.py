"""Plan and run one aggregate query: which dataset answers which reporter-period, then sum.

A query names a reporter and a partner (a country, a group or ``*`` for every partner), a
flow and a period.  Groups are expanded to their members for each month or year; each
(reporter, partner, flow, month-or-year) must be covered by a dataset, or the query is
refused.  Monthly data answer any period; yearly data answer whole years only.  Where
several datasets cover the same piece, the one loaded last answers it, so nothing is
counted twice.
"""

from __future__ import annotations

import itertools

import pandas as pd

from steppe.errors import TradeDataError
from steppe.trade._schema import sql_literal
from steppe.trade.groups import group_members, is_group
from steppe.trade.periods import Period
from steppe.trade.store import TradeStore

__all__ = ["aggregate", "covered_plan"]

ALL = "*"


def _members(code: str, year: int, month: int | None) -> tuple[str, ...]:
    if code == ALL:
        return (ALL,)
    return group_members(code, year, month) if is_group(code) else (code,)


def _plan(reporter: str, partner: str, flow: str, period: Period, freq: str) -> pd.DataFrame:
    units: list[tuple[int, int]] = period.months if freq == "M" else [(y, 0) for y in period.years]
    rows = [
        (r, p, flow, freq, y, m)
        for y, m in units
        for r, p in itertools.product(
            _members(reporter, y, m or None), _members(partner, y, m or None)
        )
        if r != p
    ]
    return pd.DataFrame(rows, columns=["reporter", "partner", "flow", "freq", "year", "month"])


def _choose(store: TradeStore, plan: pd.DataFrame) -> pd.DataFrame:
    """Attach to each plan row the last-loaded dataset covering it (NaN where none does)."""
    con = store.connection
    con.register("_plan", plan.assign(_order=range(len(plan))))
    try:
        return con.execute(
            """
            SELECT p.reporter, p.partner, p.flow, p.freq, p.year, p.month,
                   arg_max(c.dataset, d.seq) AS dataset
            FROM _plan p
            LEFT JOIN coverage c
              ON c.reporter = p.reporter AND c.flow = p.flow AND c.freq = p.freq
             AND c.year = p.year AND c.month = p.month
             AND (c.partner = '*' OR c.partner = p.partner)
            LEFT JOIN datasets d ON d.dataset = c.dataset
            GROUP BY p._order, p.reporter, p.partner, p.flow, p.freq, p.year, p.month
            ORDER BY p._order
            """
        ).df()
    finally:
        con.unregister("_plan")


def _describe(store: TradeStore, reporter: str, flow: str) -> str:
    cov = store.sql(
        "SELECT freq, min(year::INTEGER * 100 + month) AS lo, "
        "max(year::INTEGER * 100 + month) AS hi "
        "FROM coverage WHERE reporter = ? AND flow = ? GROUP BY freq",
        [reporter, flow],
    )
    if cov.empty:
        return f"there are no {flow} data reported by {reporter}"
    parts = []
    for freq, lo_, hi_ in zip(cov["freq"], cov["lo"], cov["hi"], strict=True):
        lo, hi = int(lo_), int(hi_)
        if freq == "A":
            parts.append(f"years {lo // 100}..{hi // 100}")
        else:
            parts.append(f"months {lo // 100}-{lo % 100:02d}..{hi // 100}-{hi % 100:02d}")
    return f"{reporter}'s {flow} data cover " + " and ".join(parts)


def covered_plan(
    store: TradeStore, reporter: str, partner: str, flow: str, period: Period
) -> pd.DataFrame:
    """Return the plan for a query with a dataset for every row, or refuse it."""
    tries = ["M", "A"] if period.is_whole_years else ["M"]
    missing = pd.DataFrame()
    for freq in tries:
        plan = _choose(store, _plan(reporter, partner, flow, period, freq))
        if plan.empty:
            raise TradeDataError(
                f"{reporter} and {partner} have no members to trade in {period}", file="trade store"
            )
        if plan["dataset"].notna().all():
            return plan
        if missing.empty or plan["dataset"].isna().sum() < missing["dataset"].isna().sum():
            missing = plan
    gap = missing[missing["dataset"].isna()].iloc[0]
    when = f"{gap.year}" if gap.freq == "A" else f"{gap.year}-{gap.month:02d}"
    with_whom = "all partners" if gap.partner == ALL else gap.partner
    raise TradeDataError(
        f"the data do not fully cover {period} for {reporter} {flow}s ({with_whom}): "
        f"nothing for {gap.reporter} in {when}; {_describe(store, gap.reporter, flow)}. "
        "Refusing to sum part of the period.",
        file="trade store",
    )


def aggregate(
    store: TradeStore,
    reporter: str,
    partner: str,
    flow: str,
    period: Period,
    *,
    level: int = 0,
    by_partner: bool = False,
) -> tuple[pd.DataFrame, list[str]]:
    """Sum one flow over a period, refusing a period the data do not fully cover.

    Parameters
    ----------
    store
        The trade store.
    reporter, partner
        ISO3 codes or group codes; ``partner`` may be ``"*"`` (every partner).
    flow
        ``export``, ``import``, ``re-export`` or ``re-import``.
    period
        The period.
    level
        0 for totals; 2, 4 or 6 for HS chapters, headings or subheadings (the rows are
        summed to that many digits, from the coarsest level at least that fine).
    by_partner
        Keep partners apart (for shares).

    Returns
    -------
    (DataFrame, list of str)
        Rows of ``year, month, currency, [partner,] [code,] value`` and the datasets used.
    """
    plan = covered_plan(store, reporter, partner, flow, period)
    con = store.connection
    con.register("_plan", plan)
    try:
        if level:
            out = con.execute(_detail_sql(store, plan, flow, level, by_partner)).df()
        else:
            out = con.execute(_totals_sql(by_partner)).df()
    finally:
        con.unregister("_plan")
    return out, sorted(plan["dataset"].unique())


_JOIN = """JOIN _plan p
      ON f.dataset = p.dataset AND f.reporter = p.reporter AND f.flow = p.flow
     AND f.freq = p.freq AND f.year = p.year AND f.month = p.month
    WHERE (p.partner = '*' OR f.partner = p.partner)"""


def _totals_sql(by_partner: bool) -> str:
    """Sum the stored totals of the planned pieces (level 0)."""
    keys = "f.year, f.month, f.currency" + (", f.partner" if by_partner else "")
    return f"""
        SELECT {keys}, sum(f.value)::DOUBLE AS value
        FROM totals f {_JOIN}
        GROUP BY ALL ORDER BY ALL
    """


def _in(column: str, values: list[str]) -> str:
    return f"{column} IN ({', '.join(sql_literal(v) for v in values)})"


def _detail_sql(
    store: TradeStore, plan: pd.DataFrame, flow: str, level: int, by_partner: bool
) -> str:
    """Sum the commodity rows of the planned pieces at ``level`` digits.

    The filters are written as constants so DuckDB reads only the row groups of the
    reporters, partners, datasets and years asked for; the join with the plan then picks
    exactly the planned pieces.  A symmetric dataset's imports are its exports read the
    other way round (as in the ``flows_all`` view).
    """
    datasets = sorted(plan["dataset"].unique())
    reporters = sorted(plan["reporter"].unique())
    partners = sorted(plan["partner"].unique())
    years = f"year BETWEEN {int(plan['year'].min())} AND {int(plan['year'].max())}"
    cols = "freq, year, month, commodity, value, currency"
    branches = [
        f"SELECT dataset, reporter, partner, flow, {cols} FROM flows "
        f"WHERE {_in('dataset', datasets)} AND flow = {sql_literal(flow)} "
        f"AND {_in('reporter', reporters)} AND {years}"
        + ("" if ALL in partners else f" AND {_in('partner', partners)}")
    ]
    symmetric = sorted(
        store.connection.execute(
            f"SELECT dataset FROM datasets WHERE is_symmetric AND {_in('dataset', datasets)}"
        ).fetchall()
    )
    if flow == "import" and symmetric:
        branches.append(
            f"SELECT dataset, partner AS reporter, reporter AS partner, 'import' AS flow, {cols} "
            f"FROM flows WHERE {_in('dataset', [d for (d,) in symmetric])} AND flow = 'export' "
            f"AND {_in('partner', reporters)} AND {years}"
            + ("" if ALL in partners else f" AND {_in('reporter', partners)}")
        )
    keys = "year, month, currency" + (", partner" if by_partner else "")
    return f"""
        WITH sel AS (
            SELECT f.*, CASE WHEN f.commodity = 'TOTAL' THEN 0
                             ELSE length(f.commodity) END AS lvl
            FROM ({" UNION ALL ".join(branches)}) f {_JOIN} AND f.reporter <> f.partner
        ), by_level AS (
            SELECT dataset, reporter, partner, flow, year, month, currency, lvl,
                   left(commodity, {int(level)}) AS code, sum(value) AS value
            FROM sel WHERE lvl >= {int(level)} GROUP BY ALL
        ), lv AS (
            SELECT *, min(lvl) OVER (PARTITION BY dataset, reporter, partner, flow, year,
                                     month) AS top
            FROM by_level
        )
        SELECT {keys}, code, sum(value)::DOUBLE AS value
        FROM lv WHERE lvl = top GROUP BY ALL ORDER BY ALL
    """
