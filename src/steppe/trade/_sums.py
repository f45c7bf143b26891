"""Sum the pieces chosen to answer each request: simple SQL reads, the matching in Python.

For each request, one plain ``SELECT`` (no join, no window) reads the stored totals, or
the commodity rows grouped to the level asked for, of the chosen datasets, reporters,
flow and years; the filters are constants, so DuckDB reads only the row groups that can
hold them and plans the statement in a millisecond or two.  Python then keeps the rows of
the chosen pieces, the coarsest commodity level of each piece (so a total is never added to
its breakdown) and sums them exactly (``Decimal``) by period, currency and source.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass
from decimal import Decimal
from typing import TYPE_CHECKING, Any

from steppe.trade._schema import sql_literal

if TYPE_CHECKING:
    from steppe.trade._query import Request

__all__ = ["ALL", "WORLD", "Chosen", "DatasetInfo", "Piece", "collect", "sql_in", "sums_sql"]

ALL = "*"
WORLD = "WLD"
Piece = tuple[str, str, str, str, int, int]  # reporter, partner, flow, freq, year, month
Chosen = list[tuple[str, Piece]]  # the dataset answering each piece


@dataclass(frozen=True, slots=True)
class DatasetInfo:
    """What the sums need of a dataset: its source, its currency, whether it is symmetric."""

    source: str | None
    currency: str | None
    symmetric: bool


def sql_in(column: str, values: list[str]) -> str:
    """``column IN (...)`` with the values as literals."""
    return f"{column} IN ({', '.join(sql_literal(v) for v in values)})"


def _lvl(column: str) -> str:
    return f"CASE WHEN {column} = 'TOTAL' THEN 0 ELSE length({column}) END"


def sums_sql(req: int, q: Request, chosen: Chosen, info: dict[str, DatasetInfo]) -> str:
    """The ``SELECT`` reading the rows request ``req`` may sum.

    Columns: ``req, dataset, reporter, partner, freq, year, month, currency, lvl, code,
    value`` (``currency`` NULL where the dataset's applies).
    """
    datasets = sorted({d for d, _ in chosen})
    reporters = sorted({p[0] for _, p in chosen})
    partners = sorted({p[1] for _, p in chosen})
    years = sorted({p[4] for _, p in chosen})
    flow = sql_literal(q.flow)
    within = f"year BETWEEN {years[0]} AND {years[-1]}"
    any_partner = ALL in partners or (q.by_partner and q.partner == WORLD)
    if not q.level:
        table = "totals_all" if WORLD in (q.partner, q.reporter) else "totals"
        return (
            f"SELECT {req}, dataset, reporter, partner, freq, year, month, currency, 0, "
            f"NULL, value FROM {table} WHERE {sql_in('dataset', datasets)} AND "
            f"{sql_in('reporter', reporters)} AND flow = {flow} AND {within}"
            + ("" if any_partner else f" AND {sql_in('partner', partners)}")
        )
    cols = f"{_lvl('commodity')} AS lvl, left(commodity, {int(q.level)}) AS code, value"
    branches = [
        f"SELECT dataset, reporter, partner, year, month, currency, {cols} FROM flows "
        f"WHERE {sql_in('dataset', datasets)} AND flow = {flow} AND "
        f"{sql_in('reporter', reporters)} AND {within}"
        + ("" if any_partner else f" AND {sql_in('partner', partners)}")
    ]
    symmetric = [d for d in datasets if info[d].symmetric]
    if q.flow == "import" and symmetric:  # the partners' exports, read the other way round
        branches.append(
            f"SELECT dataset, partner, reporter, year, month, currency, {cols} FROM flows "
            f"WHERE {sql_in('dataset', symmetric)} AND flow = 'export' AND "
            f"{sql_in('partner', reporters)} AND {within}"
            + ("" if any_partner else f" AND {sql_in('reporter', partners)}")
        )
    return (
        f"SELECT {req}, dataset, reporter, partner, CASE WHEN month = 0 THEN 'A' ELSE 'M' END, "
        "year, month, currency, lvl, code, sum(value::DECIMAL(18, 3)) "
        f"FROM ({' UNION ALL '.join(branches)}) "
        f"WHERE reporter <> partner AND lvl >= {int(q.level)} GROUP BY ALL"
    )


def _matcher(q: Request, chosen: Chosen) -> Callable[[tuple[Any, ...]], bool]:
    """Whether a row (dataset, reporter, partner, freq, year, month) is a chosen piece.

    A piece of partner ``*`` takes every partner; asking for partner ``WLD`` by partner,
    a piece takes the world total and every partner the dataset lists.
    """
    pieces = {(d, r, p, fr, y, m) for d, (r, p, _, fr, y, m) in chosen}
    wide = (ALL, WORLD) if q.by_partner and q.partner == WORLD else (ALL,)

    def match(row: tuple[Any, ...]) -> bool:
        dataset, reporter, partner, freq, year, month = row
        if (dataset, reporter, partner, freq, year, month) in pieces:
            return True
        return any((dataset, reporter, w, freq, year, month) in pieces for w in wide)

    return match


def collect(
    q: Request, chosen: Chosen, rows: list[tuple[Any, ...]], info: dict[str, DatasetInfo]
) -> list[tuple[Any, ...]]:
    """Sum request ``q``'s rows (from :func:`sums_sql`) over its chosen pieces.

    Returns
    -------
    list of tuple
        ``year, month, currency, source, [partner,] [code,] value`` sorted as listed.
    """
    match = _matcher(q, chosen)
    kept = [r for r in rows if match((r[1], r[2], r[3], r[4], int(r[5]), int(r[6])))]
    if q.level:  # each piece from its coarsest level at least q.level digits fine
        top: dict[tuple[Any, ...], int] = {}
        for r in kept:
            piece = (r[1], r[2], r[3], r[5], r[6])
            top[piece] = min(top.get(piece, r[8]), r[8])
        kept = [r for r in kept if r[8] == top[(r[1], r[2], r[3], r[5], r[6])]]
    sums: dict[tuple[Any, ...], Decimal] = defaultdict(Decimal)
    for _, dataset, _, partner, _, year, month, currency, _, code, value in kept:
        ds = info[dataset]
        key: tuple[Any, ...] = (int(year), int(month), currency or ds.currency, ds.source)
        key += (partner,) if q.by_partner else ()
        key += (code,) if q.level else ()
        sums[key] += Decimal(value)
    ordered = sorted(sums.items(), key=lambda kv: [(v is None, v) for v in kv[0]])
    return [(*key, float(total)) for key, total in ordered]
