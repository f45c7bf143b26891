"""Plan and run aggregate queries: which dataset answers which reporter-period, then sum.

A query names a reporter and a partner (a country, a group or ``*`` for every partner), a
flow and a period.  Groups are expanded to their members for each month or year; each
(reporter, partner, flow, month-or-year) must be covered by a dataset, or the query is
refused.  Monthly data answer any period; yearly data answer whole years only.  Where
several datasets cover the same piece, the one loaded last answers it, so nothing is
counted twice.

Several queries (say exports and imports, this year and the year before) are answered
together, with two small statements: one reads the coverage rows of the reporters, flows
and years the plans of every query name (each way to answer it: monthly, then yearly
data), from which Python picks, per piece, the dataset that answers it and keeps the first
fully covered plan of each query; the other sums the chosen pieces, the plans given as a
``VALUES`` list.  Both are simple enough for DuckDB to plan in a millisecond or two (one
statement with the choice in CTEs took a hundred to plan), and return a few tuples, not
DataFrames; an :class:`Answer` makes its DataFrame only when asked for it.
"""

from __future__ import annotations

import itertools
from collections import defaultdict
from collections.abc import Callable
from dataclasses import dataclass, field
from functools import partial
from typing import TYPE_CHECKING, Any

from steppe.errors import TradeDataError
from steppe.trade._sums import ALL, WORLD, Chosen, DatasetInfo, Piece, collect, sql_in, sums_sql
from steppe.trade.groups import group_members, is_group
from steppe.trade.periods import Period
from steppe.trade.sources import SourceRule, preference_order
from steppe.trade.store import TradeStore

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["WORLD", "Answer", "Request", "SourceRule", "aggregate", "aggregate_many"]


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

    ``records`` are tuples of ``columns`` (``year, month, currency, source, [partner,]
    [code,] value``); :attr:`rows` gives them as a DataFrame.  The refusal is built only
    when it is raised (its message needs one more query).
    """

    columns: tuple[str, ...]
    records: list[tuple[Any, ...]]
    datasets: list[str]
    refusal: Callable[[], TradeDataError] | None = None
    _frame: list[pd.DataFrame] = field(default_factory=list, repr=False, compare=False)

    @property
    def refused(self) -> bool:
        """Whether the data do not answer the request."""
        return self.refusal is not None

    @property
    def rows(self) -> pd.DataFrame:
        """The records as a DataFrame (made once)."""
        import pandas as pd

        if not self._frame:
            if self.refused:
                self._frame.append(pd.DataFrame())
            else:
                frame = pd.DataFrame(self.records, columns=list(self.columns))
                self._frame.append(
                    frame.astype({"year": "int16", "month": "int8", "value": "float64"})
                )
        return self._frame[0]

    def get(self) -> tuple[pd.DataFrame, list[str]]:
        """Return the rows and the datasets used, or raise the refusal."""
        if self.refusal is not None:
            raise self.refusal()
        return self.rows, self.datasets

    def get_records(self) -> list[tuple[Any, ...]]:
        """Return the records (no DataFrame), or raise the refusal."""
        if self.refusal is not None:
            raise self.refusal()
        return self.records


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
    cov = store.rows(
        "SELECT freq, min(year::INTEGER * 100 + month) AS lo, "
        "max(year::INTEGER * 100 + month) AS hi "
        "FROM coverage WHERE reporter = ? AND flow = ? GROUP BY freq ORDER BY freq",
        [reporter, flow],
    )
    if not cov:
        return f"there are no {flow} data reported by {reporter}"
    parts = []
    for freq, lo_, hi_ in cov:
        lo, hi = int(lo_), int(hi_)
        if freq == "A":
            parts.append(f"years {lo // 100}..{hi // 100}")
        else:
            parts.append(f"months {lo // 100}-{lo % 100:02d}..{hi // 100}-{hi % 100:02d}")
    return f"{reporter}'s {flow} data cover " + " and ".join(parts)


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


def _coverage(
    store: TradeStore, pieces: list[Piece]
) -> dict[tuple[str, str, str, int, int], list[tuple[str, str, int]]]:
    """The coverage rows that may answer ``pieces``: (partner, dataset, seq) by reporter,
    flow, freq, year and month."""
    reporters = sorted({r for r, *_ in pieces})
    flows = sorted({f for _, _, f, *_ in pieces})
    years = [y for *_, y, _ in pieces]
    found: dict[tuple[str, str, str, int, int], list[tuple[str, str, int]]] = defaultdict(list)
    for reporter, partner, flow, freq, year, month, dataset, seq in store.rows(
        "SELECT c.reporter, c.partner, c.flow, c.freq, c.year, c.month, c.dataset, d.seq "
        "FROM coverage c JOIN datasets d ON d.dataset = c.dataset "
        f"WHERE {sql_in('c.reporter', reporters)} AND {sql_in('c.flow', flows)} "
        f"AND c.year BETWEEN {min(years)} AND {max(years)}"
    ):
        found[(reporter, flow, freq, int(year), int(month))].append((partner, dataset, int(seq)))
    return found


@dataclass(frozen=True, slots=True)
class _Status:
    """How one plan fares: pieces without data, the first of them, the datasets chosen."""

    missing: int
    gap: list[str]
    used: list[str]
    chosen: Chosen


def _choose(
    plan: list[Piece],
    coverage: dict[tuple[str, str, str, int, int], list[tuple[str, str, int]]],
    prefer: list[str],
) -> _Status:
    """Pick the dataset answering each piece of a plan: a preferred one (in order of
    preference), else the one loaded last."""

    def weight(dataset: str, seq: int) -> int:
        if dataset in prefer:
            return (1000 - prefer.index(dataset) - 1) * 1_000_000_000 + seq
        return seq

    chosen: Chosen = []
    gaps: list[Piece] = []
    for piece in plan:
        reporter, partner, flow, freq, year, month = piece
        candidates = [
            (weight(dataset, seq), dataset)
            for p, dataset, seq in coverage.get((reporter, flow, freq, year, month), ())
            if p in (ALL, partner)
        ]
        if candidates:
            chosen.append((max(candidates)[1], piece))
        else:
            gaps.append(piece)
    gap = [str(v) for i, v in enumerate(gaps[0]) if i != 2] if gaps else []
    return _Status(len(gaps), gap, sorted({d for d, _ in chosen}), chosen)


def aggregate_many(
    store: TradeStore, requests: list[Request], *, rule: SourceRule | None = None
) -> list[Answer]:
    """Answer several requests together (see :func:`aggregate` and the module doc).

    Each answer carries its rows and datasets, or the refusal :func:`aggregate` would
    raise (nothing is raised here).  ``rule`` may prefer some sources over the latest
    loaded dataset.
    """
    plans: list[list[list[Piece]]] = []
    for q in requests:
        tries = ["M", "A"] if q.period.is_whole_years else ["M"]
        plans.append([_plan(q, freq) for freq in tries])
    pieces = [piece for tries in plans for plan in tries for piece in plan]
    coverage = _coverage(store, pieces) if pieces else {}
    info = {
        d: DatasetInfo(source, currency, bool(symmetric))
        for d, source, currency, symmetric in store.rows(
            "SELECT dataset, source, currency, is_symmetric FROM datasets"
        )
    }
    prefer = (
        preference_order(rule, store.sql("SELECT dataset, format, source FROM datasets"))
        if rule is not None and rule.prefer
        else []
    )
    statuses = [[_choose(plan, coverage, prefer) for plan in tries] for tries in plans]
    answered = {
        i: next(s.chosen for s in tries if s.missing == 0 and s.chosen)
        for i, tries in enumerate(statuses)
        if any(s.missing == 0 and s.chosen for s in tries)
    }
    rows: dict[int, list[tuple[Any, ...]]] = defaultdict(list)
    if answered:
        statement = " UNION ALL ".join(
            sums_sql(i, requests[i], chosen, info) for i, chosen in answered.items()
        )
        for row in store.rows(statement):
            rows[int(row[0])].append(row)
    return [
        _answer(
            store,
            q,
            plans[i],
            statuses[i],
            collect(q, answered[i], rows[i], info) if i in answered else [],
        )
        for i, q in enumerate(requests)
    ]


def _answer(
    store: TradeStore,
    q: Request,
    plans: list[list[Piece]],
    statuses: list[_Status],
    records: list[tuple[Any, ...]],
) -> Answer:
    """Pick the answer to ``q`` (``records``: its sums, if a plan is fully covered).

    The plans are tried in order (monthly data, then yearly): the first fully covered one
    answers; none is: refuse, naming the first gap of the plan that misses least.
    """
    keys = ["year", "month", "currency", "source"]
    keys += ["partner"] if q.by_partner else []
    keys += ["code"] if q.level else []
    columns = (*keys, "value")
    best: tuple[int, list[str]] = (0, [])
    for plan, status in zip(plans, statuses, strict=True):
        if not plan:
            return Answer(columns, [], [], partial(_no_members, q))
        if status.missing == 0:
            return Answer(columns, records, status.used)
        if not best[1] or status.missing < best[0]:
            best = (status.missing, status.gap)
    return Answer(columns, [], [], partial(_refusal, store, q, best[1]))


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
