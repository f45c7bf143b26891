"""The normalised trade table, its coverage table and the checks every loader shares."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Literal

import duckdb
import pandas as pd

from steppe.countries import is_iso3
from steppe.errors import Problem, TradeDataError

__all__ = [
    "COLUMNS",
    "COVERAGE_COLUMNS",
    "DDL",
    "FLOWS",
    "SORT_KEY",
    "SOURCES",
    "TOTALS_SQL",
    "WORLD_FROM_PARTNERS_SQL",
    "Flow",
    "Staged",
    "check_columns",
    "check_countries",
    "check_duplicates",
    "check_numeric",
    "coverage_from_rows",
    "raise_if",
    "split_world",
    "sql_literal",
]

Flow = Literal["export", "import", "re-export", "re-import"]
FLOWS: tuple[str, ...] = ("export", "import", "re-export", "re-import")

# reporter, partner: ISO3; freq 'A' (year, month 0) or 'M'; commodity 'TOTAL' or an HS code.
COLUMNS: tuple[str, ...] = (
    "reporter",
    "partner",
    "flow",
    "freq",
    "year",
    "month",
    "classification",
    "commodity",
    "value",
    "currency",
    "quantity",
    "unit",
    "source_file",
)
# partner '*' means the reporter's data list every partner for that flow and period.
COVERAGE_COLUMNS: tuple[str, ...] = ("reporter", "partner", "flow", "freq", "year", "month")

DDL = """
CREATE TABLE IF NOT EXISTS flows (
    dataset VARCHAR NOT NULL, reporter VARCHAR NOT NULL, partner VARCHAR NOT NULL,
    flow VARCHAR NOT NULL, freq VARCHAR NOT NULL, year SMALLINT NOT NULL, month TINYINT NOT NULL,
    classification VARCHAR NOT NULL, commodity VARCHAR NOT NULL, value DECIMAL(18, 3) NOT NULL,
    currency VARCHAR NOT NULL, quantity DOUBLE, unit VARCHAR, source_file VARCHAR NOT NULL);
CREATE TABLE IF NOT EXISTS coverage (
    dataset VARCHAR NOT NULL, reporter VARCHAR NOT NULL, partner VARCHAR NOT NULL,
    flow VARCHAR NOT NULL, freq VARCHAR NOT NULL, year SMALLINT NOT NULL,
    month TINYINT NOT NULL);
CREATE TABLE IF NOT EXISTS totals (
    dataset VARCHAR NOT NULL, reporter VARCHAR NOT NULL, partner VARCHAR NOT NULL,
    flow VARCHAR NOT NULL, freq VARCHAR NOT NULL, year SMALLINT NOT NULL, month TINYINT NOT NULL,
    currency VARCHAR NOT NULL, value DECIMAL(38, 3) NOT NULL);
CREATE TABLE IF NOT EXISTS datasets (
    dataset VARCHAR PRIMARY KEY, format VARCHAR NOT NULL, source_file VARCHAR NOT NULL,
    rows BIGINT NOT NULL, is_symmetric BOOLEAN NOT NULL, attribution VARCHAR NOT NULL,
    seq BIGINT NOT NULL);
ALTER TABLE datasets ADD COLUMN IF NOT EXISTS source VARCHAR;
CREATE TABLE IF NOT EXISTS world (
    dataset VARCHAR NOT NULL, reporter VARCHAR NOT NULL, flow VARCHAR NOT NULL,
    freq VARCHAR NOT NULL, year SMALLINT NOT NULL, month TINYINT NOT NULL,
    currency VARCHAR NOT NULL, value DECIMAL(38, 3) NOT NULL);
CREATE TABLE IF NOT EXISTS labels (
    dataset VARCHAR NOT NULL, code VARCHAR NOT NULL, label VARCHAR NOT NULL);
CREATE OR REPLACE VIEW totals_all AS
    SELECT * FROM totals
    UNION ALL
    SELECT dataset, reporter, 'WLD' AS partner, flow, freq, year, month, currency, value
    FROM world;
CREATE OR REPLACE VIEW flows_all AS
    SELECT * FROM flows
    UNION ALL
    SELECT f.dataset, f.partner AS reporter, f.reporter AS partner, 'import' AS flow, f.freq,
           f.year, f.month, f.classification, f.commodity, f.value, f.currency, f.quantity,
           f.unit, f.source_file
    FROM flows f JOIN datasets d ON f.dataset = d.dataset
    WHERE d.is_symmetric AND f.flow = 'export';
"""

# positions in ``INSERT INTO flows SELECT dataset, <COLUMNS>``: reporter, partner, flow,
# year, month, commodity.  Each dataset is written in this order (see store.py).
SORT_KEY = "2, 3, 4, 6, 7, 9"

# A dataset's totals per reporter, partner, flow, period and currency: the sum of the rows
# at the coarsest commodity level present (TOTAL rows if any, else the chapters, ...), so
# a TOTAL row and its breakdown are never added together.  Read through ``flows_all``, so
# a symmetric dataset's exports give the partners' imports too.  Parameter: the dataset.
TOTALS_SQL = """
INSERT INTO totals
WITH by_level AS (
    SELECT dataset, reporter, partner, flow, freq, year, month, currency,
           CASE WHEN commodity = 'TOTAL' THEN 0 ELSE length(commodity) END AS lvl,
           sum(value) AS value
    FROM flows_all WHERE dataset = $1 AND reporter <> partner
    GROUP BY ALL
), ranked AS (
    SELECT *, min(lvl) OVER (PARTITION BY dataset, reporter, partner, flow, year, month) AS top
    FROM by_level
)
SELECT dataset, reporter, partner, flow, freq, year, month, currency, value
FROM ranked WHERE lvl = top
ORDER BY reporter, partner, flow, year, month
"""

# A dataset that lists every partner of a reporter (coverage partner '*') knows the
# reporter's world total: the sum over its partners.  Parameter: the dataset.
WORLD_FROM_PARTNERS_SQL = """
INSERT INTO world
SELECT t.dataset, t.reporter, t.flow, t.freq, t.year, t.month, t.currency, sum(t.value)
FROM totals t SEMI JOIN coverage c
  ON c.dataset = t.dataset AND c.reporter = t.reporter AND c.flow = t.flow
 AND c.freq = t.freq AND c.year = t.year AND c.month = t.month AND c.partner = '*'
WHERE t.dataset = $1
GROUP BY ALL
"""

# The publisher each format's data come from (a series never mixes them silently).
SOURCES: dict[str, str] = {
    "comtrade": "UN Comtrade",
    "comtrade-bulk": "UN Comtrade",
    "comtrade-json": "UN Comtrade",
    "comtrade-web": "UN Comtrade",
    "comtrade-api": "UN Comtrade",
    "baci": "CEPII BACI",
    "kz-bns": "Kazakhstan BNS",
    "eurostat": "Eurostat Comext",
    "comext": "Eurostat Comext",
    "tidy": "user file",
    "tidy-parquet": "user file",
}


@dataclass(frozen=True, slots=True)
class Staged:
    """What a loader read: normalised rows and the coverage they establish.

    ``rows`` holds the columns of :data:`COLUMNS`; a column the same on every row may be
    left out and given in ``constants`` instead (saves memory on large files).  A loader
    reading a large file straight into the store's DuckDB connection gives ``rows`` as a
    relation on that connection, backed by the temporary tables named in ``temporary``
    (the store drops them once the rows are stored).  ``presorted`` says the rows already
    come in the store's order (:data:`SORT_KEY`), so the store need not sort them again.
    ``world`` holds the file's world-total rows (``reporter, flow, freq, year, month,
    currency, value``): the denominators of shares, never partners.  ``source`` names the
    publisher (default from :data:`SOURCES`); ``read`` counts the data rows in the file and
    ``dropped`` the rows left out on purpose, by reason (breakdowns, sub-flows, aggregates);
    ``labels`` names the codes that are no ISO country (``S19``: "Other Asia, nes").
    """

    format: str
    source_file: str
    rows: pd.DataFrame | duckdb.DuckDBPyRelation
    coverage: pd.DataFrame
    symmetric: bool = False
    attribution: str = "user file"
    notes: tuple[str, ...] = field(default=())
    constants: dict[str, str | int] = field(default_factory=dict)
    temporary: tuple[str, ...] = field(default=())
    presorted: bool = False
    world: pd.DataFrame | None = None
    source: str = ""
    read: int = 0
    dropped: dict[str, int] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)


def sql_literal(value: str | int) -> str:
    """Return ``value`` as a SQL literal (strings quoted, quotes doubled).

    Constants written into a query (rather than bound as parameters) let DuckDB skip row
    groups by their min/max statistics.

    Examples
    --------
    >>> sql_literal("O'Hare"), sql_literal(2022)
    ("'O''Hare'", '2022')
    """
    if isinstance(value, int):
        return str(int(value))
    return "'" + str(value).replace("'", "''") + "'"


def raise_if(problems: list[Problem]) -> None:
    """Raise one :class:`TradeDataError` carrying every problem, if there are any."""
    if problems:
        raise TradeDataError(problems)


def check_columns(frame: pd.DataFrame, required: Iterable[str], file: str) -> None:
    """Raise if a required column is missing, naming every missing column."""
    missing = [c for c in required if c not in frame.columns]
    raise_if(
        [Problem(file=file, column=c, message=f"missing required column {c!r}") for c in missing]
    )


def _rows(mask: pd.Series) -> list[int]:
    """Spreadsheet row numbers (header is row 1) of the True entries of a mask."""
    return [int(i) + 2 for i in mask[mask].index[:20]]


def check_numeric(
    frame: pd.DataFrame,
    column: str,
    file: str,
    problems: list[Problem],
    *,
    required: bool = True,
) -> pd.Series:
    """Return a column as floats, recording each non-numeric (or missing, if required) cell."""
    raw = frame[column]
    text = raw.astype("string").str.strip()
    blank = text.isna() | text.isin(["", "NA", "NaN", "nan"])
    values = pd.to_numeric(text.where(~blank), errors="coerce")
    bad = values.isna() & ~blank
    problems.extend(
        Problem(file, f"not a number: {raw.loc[r - 2]!r}", r, column) for r in _rows(bad)
    )
    if required:
        problems.extend(Problem(file, "missing value", r, column) for r in _rows(blank))
    return values.astype("float64")


def check_countries(
    codes: pd.Series, column: str, file: str, problems: list[Problem], *, allow: Iterable[str] = ()
) -> None:
    """Record every cell that is not an ISO 3166 alpha-3 code (or one of ``allow``)."""
    allowed = set(allow)
    unique = pd.Series(codes.unique())
    bad_codes = {c for c in unique if not (isinstance(c, str) and (is_iso3(c) or c in allowed))}
    if bad_codes:
        bad = codes.isin(bad_codes) | codes.isna()
        problems.extend(
            Problem(file, f"unknown country code {codes.loc[r - 2]!r}", r, column)
            for r in _rows(bad)
        )


def check_duplicates(
    frame: pd.DataFrame, key: list[str], file: str, problems: list[Problem], column: str
) -> None:
    """Record every row whose key repeats an earlier row's."""
    dup = frame.duplicated(key, keep="first")
    problems.extend(
        Problem(file, f"duplicate of an earlier row (same {', '.join(key)})", r, column)
        for r in _rows(dup)
    )


def coverage_from_rows(rows: pd.DataFrame, world: pd.Series) -> pd.DataFrame:
    """Derive coverage from the rows of a file: each partner listed, and ``WLD`` for a world row.

    A world-total row for a reporter, flow and period gives the reporter's world total
    (partner ``WLD``); it does NOT say that every partner is listed (an extract of a few
    partners plus World is the usual Comtrade download), so shares are taken of that total.
    """
    key = ["reporter", "flow", "freq", "year", "month"]
    listed = rows.loc[~world, [*key, "partner"]]
    total = rows.loc[world, key].assign(partner="WLD")
    out = pd.concat([listed, total], ignore_index=True).drop_duplicates()
    return out[list(COVERAGE_COLUMNS)].reset_index(drop=True)


def split_world(rows: pd.DataFrame, world: pd.Series) -> pd.DataFrame:
    """Return the world totals among ``rows`` (``world`` marks them), for :attr:`Staged.world`.

    Only the all-commodity total, or else the coarsest commodity level, is summed, as for
    the partners' totals.
    """
    w = rows.loc[world].copy()
    if w.empty:
        return pd.DataFrame(
            columns=["reporter", "flow", "freq", "year", "month", "currency", "value"]
        )
    w["lvl"] = w["commodity"].map(lambda c: 0 if c == "TOTAL" else len(str(c)))
    key = ["reporter", "flow", "freq", "year", "month"]
    w = w[w["lvl"] == w.groupby(key)["lvl"].transform("min")]
    return w.groupby([*key, "currency"], as_index=False).agg(value=("value", "sum"))
