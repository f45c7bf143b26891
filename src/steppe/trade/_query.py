"""Plan and run aggregate queries: which dataset answers which reporter-period, then sum.

A query names a reporter and a partner (a country, a group or ``*`` for every partner), a
flow and a period.  Groups are expanded to their members for each month or year; each
(reporter, partner, flow, month-or-year) must be covered by a dataset, or the query is
refused.  Monthly data answer any period; yearly data answer whole years only.  Where
several datasets cover the same piece, the one loaded last answers it, so nothing is
counted twice.

Several queries (say exports and imports, this year and the year before) run as ONE DuckDB
statement: the plans of every query and every way to answer it (monthly, then yearly data)
go in as list parameters; CTEs choose the datasets, keep the first fully covered plan of
each query and sum it; the statement returns the sums and, per plan, what is missing.
"""

from __future__ import annotations

import itertools
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import Any

import pandas as pd

from steppe.errors import TradeDataError
from steppe.trade._schema import sql_literal
from steppe.trade.groups import group_members, is_group
from steppe.trade.periods import Period
from steppe.trade.sources import SourceRule, preference_order
from steppe.trade.store import TradeStore

__all__ = ["WORLD", "Answer", "Request", "SourceRule", "aggregate", "aggregate_many"]

ALL = "*"
WORLD = "WLD"
_PLAN_COLUMNS = ("req", "att", "ord", "reporter", "partner", "flow", "freq", "year", "month")


@dataclass(frozen=True, slots=True)
class Request:
    """One flow summed over a period (see :func:`aggregate` for the fields)."""

    reporter: str
    partner: str
    flow: str
    period: Period
    level: int = 0
    by_partner: bool = False


@dataclass(frozen=True, slots=True)
class Answer:
    """The sums for a :class:`Request`, or why it was refused (``refusal`` is then set).

    The refusal is built only when it is raised (its message needs one more query).
    """

    rows: pd.DataFrame
    datasets: list[str]
    refusal: Callable[[], TradeDataError] | None = None

    @property
    def refused(self) -> bool:
        """Whether the data do not answer the request."""
        return self.refusal is not None

    def get(self) -> tuple[pd.DataFrame, list[str]]:
        """Return the rows and the datasets used, or raise the refusal."""
        if self.refusal is not None:
            raise self.refusal()
        return self.rows, self.datasets


def _members(code: str, year: int, month: int | None) -> tuple[str, ...]:
    if code == ALL:
        return (ALL,)
    return group_members(code, year, month) if is_group(code) else (code,)


def _plan(q: Request, freq: str) -> list[tuple[str, str, str, str, int, int]]:
    period = q.period
    units: list[tuple[int, int]] = period.months if freq == "M" else [(y, 0) for y in period.years]
    return [
        (r, p, q.flow, freq, y, m)
        for y, m in units
        for r, p in itertools.product(
            _members(q.reporter, y, m or None), _members(q.partner, y, m or None)
        )
        if r != p
    ]


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


_STATEMENT = """
WITH plan AS (
    SELECT unnest($1) AS req, unnest($2) AS att, unnest($3) AS ord, unnest($4) AS reporter,
           unnest($5) AS partner, unnest($6) AS flow, unnest($7) AS freq, unnest($8) AS year,
           unnest($9) AS month
), chosen AS MATERIALIZED (
    SELECT p.req, p.att, p.ord, p.reporter, p.partner, p.flow, p.freq, p.year, p.month,
           arg_max(c.dataset, coalesce(1000 - list_position($10::VARCHAR[], d.dataset), 0)::BIGINT
                   * 1000000000 + d.seq) AS dataset
    FROM plan p
    LEFT JOIN coverage c
      ON c.reporter = p.reporter AND c.flow = p.flow AND c.freq = p.freq
     AND c.year = p.year AND c.month = p.month
     AND (c.partner = '*' OR c.partner = p.partner)
    LEFT JOIN datasets d ON d.dataset = c.dataset
    GROUP BY ALL
), status AS MATERIALIZED (
    SELECT req, att, count(*) FILTER (WHERE dataset IS NULL) AS missing,
           arg_min([reporter, partner, freq, year::VARCHAR, month::VARCHAR], ord)
               FILTER (WHERE dataset IS NULL) AS gap,
           list(DISTINCT dataset ORDER BY dataset) FILTER (WHERE dataset IS NOT NULL) AS used
    FROM chosen GROUP BY req, att
), answered AS MATERIALIZED (
    SELECT c.* FROM chosen c
    JOIN (SELECT req, min(att) AS att FROM status WHERE missing = 0 GROUP BY req) a
    USING (req, att)
)
"""

_JOIN = """JOIN answered p
      ON f.dataset = p.dataset AND f.reporter = p.reporter AND f.flow = p.flow
     AND f.freq = p.freq AND f.year = p.year AND f.month = p.month
    JOIN datasets ds ON ds.dataset = f.dataset
    WHERE p.req = {req} AND ({partner})"""
_PARTNER = "p.partner = '*' OR f.partner = p.partner"


def _totals_sql(req: int, q: Request) -> str:
    """Sum the stored totals of request ``req``'s plan (level 0).

    Partner ``WLD`` asks for the reporter's world total; with ``by_partner`` it also
    brings every partner the chosen dataset lists for the same pieces (for shares).
    """
    keys = "f.year, f.month, f.currency, ds.source" + (", f.partner" if q.by_partner else "")
    partner = _PARTNER + (" OR p.partner = 'WLD'" if q.by_partner and q.partner == WORLD else "")
    table = "totals_all" if WORLD in (q.partner, q.reporter) else "totals"
    return f"""
        SELECT 'sum' AS kind, {req} AS req, {keys}, sum(f.value)::DOUBLE AS value
        FROM {table} f {_JOIN.format(req=req, partner=partner)}
        GROUP BY ALL
    """


def _in(column: str, values: list[str]) -> str:
    return f"{column} IN ({', '.join(sql_literal(v) for v in values)})"


def _detail_sql(req: int, q: Request, plan: list[tuple[str, str, str, str, int, int]]) -> str:
    """Sum the commodity rows of request ``req``'s plan at ``q.level`` digits.

    The filters are written as constants so DuckDB reads only the row groups of the
    reporters, partners and years asked for; the join with the plan then picks exactly
    the planned pieces.  A symmetric dataset's imports are its exports read the other way
    round (as in the ``flows_all`` view).
    """
    reporters = sorted({r for r, *_ in plan})
    partners = sorted({p for _, p, *_ in plan})
    years = sorted({y for *_, y, _ in plan})
    within = f"year BETWEEN {years[0]} AND {years[-1]}"
    cols = (
        "CASE WHEN month = 0 THEN 'A' ELSE 'M' END AS freq, year, month, commodity, value, currency"
    )
    branches = [
        f"SELECT dataset, reporter, partner, flow, {cols} FROM flows "
        f"WHERE flow = {sql_literal(q.flow)} AND {_in('reporter', reporters)} AND {within}"
        + ("" if ALL in partners else f" AND {_in('partner', partners)}")
    ]
    if q.flow == "import":
        branches.append(
            f"SELECT dataset, partner AS reporter, reporter AS partner, 'import' AS flow, {cols} "
            "FROM flows WHERE dataset IN (SELECT dataset FROM datasets WHERE is_symmetric) "
            f"AND flow = 'export' AND {_in('partner', reporters)} AND {within}"
            + ("" if ALL in partners else f" AND {_in('reporter', partners)}")
        )
    level = int(q.level)
    keys = "year, month, currency, source" + (", partner" if q.by_partner else "")
    return f"""
        SELECT 'sum' AS kind, {req} AS req, {keys}, code, sum(value)::DOUBLE AS value
        FROM (
            SELECT *, min(lvl) OVER (PARTITION BY dataset, reporter, partner, flow, year,
                                     month) AS top
            FROM (
                SELECT dataset, reporter, partner, flow, year, month, currency, source, lvl,
                       left(commodity, {level}) AS code,
                       sum(value::DECIMAL(18, 3)) AS value
                FROM (
                    SELECT f.* REPLACE (coalesce(f.currency, ds.currency) AS currency),
                           ds.source, CASE WHEN f.commodity = 'TOTAL' THEN 0
                                     ELSE length(f.commodity) END AS lvl
                    FROM ({" UNION ALL ".join(branches)}) f
                    {_JOIN.format(req=req, partner=_PARTNER)}
                      AND f.reporter <> f.partner
                ) WHERE lvl >= {level} GROUP BY ALL
            )
        ) WHERE lvl = top GROUP BY ALL
    """


def _refusal(store: TradeStore, q: Request, gap: list[str]) -> TradeDataError:
    reporter, partner, freq, year, month = gap
    when = year if freq == "A" else f"{year}-{int(month):02d}"
    with_whom = "all partners" if partner == ALL else partner
    return TradeDataError(
        f"the data do not fully cover {q.period} for {q.reporter} {q.flow}s ({with_whom}): "
        f"nothing for {reporter} in {when}; {_describe(store, reporter, q.flow)}. "
        "Refusing to sum part of the period. To get the data: steppe trade fetch "
        f"--reporter {reporter} --partner {'all' if partner == ALL else partner} "
        f"--period {q.period.label} (UN Comtrade, with your subscription key in "
        "COMTRADE_API_KEY), or load a file with steppe trade load.",
        file="trade store",
    )


def aggregate_many(
    store: TradeStore, requests: list[Request], *, rule: SourceRule | None = None
) -> list[Answer]:
    """Answer several requests with one DuckDB statement (see :func:`aggregate`).

    Each answer carries its rows and datasets, or the refusal :func:`aggregate` would
    raise (nothing is raised here).  ``rule`` may prefer some sources over the latest
    loaded dataset.
    """
    plans: list[list[list[tuple[str, str, str, str, int, int]]]] = []
    params: list[list[Any]] = [[] for _ in _PLAN_COLUMNS]
    for i, q in enumerate(requests):
        tries = ["M", "A"] if q.period.is_whole_years else ["M"]
        plans.append([_plan(q, freq) for freq in tries])
        for att, plan in enumerate(plans[-1]):
            for n, row in enumerate(plan):
                for column, value in zip(params, (i, att, n, *row), strict=True):
                    column.append(value)
    sums = [
        _detail_sql(i, q, [row for plan in plans[i] for row in plan])
        if q.level
        else _totals_sql(i, q)
        for i, q in enumerate(requests)
        if any(plans[i])
    ]
    out = pd.DataFrame(columns=["kind", "req", "att", "missing", "gap", "used"])
    if sums:
        order = ["kind", "req", "att", "year", "month", "currency", "source"]
        order += ["partner"] if any(q.by_partner for q in requests) else []
        order += ["code"] if any(q.level for q in requests) else []
        statement = (
            _STATEMENT
            + "SELECT 'status' AS kind, req, att, missing, gap, used FROM status UNION ALL BY NAME "
            + " UNION ALL BY NAME ".join(sums)
            + f" ORDER BY {', '.join(order)}, value"
        )
        prefer = (
            preference_order(rule, store.sql("SELECT dataset, format, source FROM datasets"))
            if rule is not None and rule.prefer
            else []
        )
        out = store.connection.execute(statement, [*params, prefer]).df()
    return [_answer(store, q, i, plans[i], out) for i, q in enumerate(requests)]


def _answer(
    store: TradeStore,
    q: Request,
    req: int,
    plans: list[list[tuple[str, str, str, str, int, int]]],
    out: pd.DataFrame,
) -> Answer:
    """Pick request ``req``'s answer from the statement's rows.

    The plans are tried in order (monthly data, then yearly): the first fully covered one
    answers; none is: refuse, naming the first gap of the plan that misses least.
    """
    mine = out[out["req"] == req]
    status = mine[mine["kind"] == "status"]
    found: dict[int, tuple[int, list[str]]] = {  # missing, then the gap or the datasets
        int(att): (int(missing), [*map(str, gap if missing else used)])
        for att, missing, gap, used in zip(
            status["att"], status["missing"], status["gap"], status["used"], strict=True
        )
    }
    best: tuple[int, list[str]] = (0, [])
    for att, plan in enumerate(plans):
        if not plan:
            return Answer(pd.DataFrame(), [], partial(_no_members, q))
        missing, listed = found[att]
        if missing == 0:
            keys = ["year", "month", "currency", "source"]
            keys += ["partner"] if q.by_partner else []
            keys += ["code"] if q.level else []
            rows = mine.loc[mine["kind"] == "sum", [*keys, "value"]].reset_index(drop=True)
            rows = rows.astype({"year": "int16", "month": "int8", "value": "float64"})
            return Answer(rows, sorted(listed))
        if not best[1] or missing < best[0]:
            best = (missing, listed)
    return Answer(pd.DataFrame(), [], partial(_refusal, store, q, best[1]))


def _no_members(q: Request) -> TradeDataError:
    return TradeDataError(
        f"{q.reporter} and {q.partner} have no members to trade in {q.period}", file="trade store"
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
    rule: SourceRule | None = None,
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
    rule
        Which sources to prefer (default: the dataset loaded last).

    Returns
    -------
    (DataFrame, list of str)
        Rows of ``year, month, currency, source, [partner,] [code,] value`` and the
        datasets used.
    """
    request = Request(reporter, partner, flow, period, level, by_partner)
    return aggregate_many(store, [request], rule=rule)[0].get()
