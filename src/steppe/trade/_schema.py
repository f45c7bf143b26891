"""The normalised trade table, its coverage table and the checks every loader shares.

Schema version 2 (this one) stores per trade row only what varies from row to row; what a
dataset has the same on every row (the source file, and where it is constant the currency,
the classification and the unit) is one row of ``datasets``.  ``freq`` is not stored: a
row of month 0 is yearly (``A``), any other monthly (``M``).  Values are ``DOUBLE``, as the
file gives them, so storing a row casts nothing; sums cast each value to ``DECIMAL(18, 3)``
first, so totals are exact sums of the values rounded to 3 decimals, as in version 1.  The
``flows_all`` view shows every row with all its columns (the dataset's constants filled in)
and, for a symmetric dataset, its exports read as the partners' imports.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Literal, NoReturn

from steppe.countries import is_iso3
from steppe.errors import Problem, TradeDataError

if TYPE_CHECKING:
    import duckdb
    import pandas as pd

__all__ = [
    "COLUMNS",
    "COVERAGE_COLUMNS",
    "DATASET_CONSTANTS",
    "FLOWS",
    "FLOW_COLUMNS",
    "MIGRATE_V1_SQL",
    "SCHEMA_VERSION",
    "SORT_KEY",
    "SOURCES",
    "TABLES_DDL",
    "TOTALS_SQL",
    "VIEWS_DDL",
    "WORLD_FROM_PARTNERS_SQL",
    "DirectRows",
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
SCHEMA_VERSION = 2

# The columns a loader gives (in rows, or as constants in Staged.constants).
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
# The columns stored per row in ``flows`` (after ``dataset``), in table order.
FLOW_COLUMNS: tuple[str, ...] = (
    "reporter",
    "partner",
    "flow",
    "year",
    "month",
    "commodity",
    "value",
    "quantity",
    "classification",
    "currency",
    "unit",
)
# Stored once per dataset when every row has the same; per row (and NULL in ``datasets``)
# otherwise.  A row's NULL means "the dataset's".
DATASET_CONSTANTS: tuple[str, ...] = ("classification", "currency", "unit")
# partner '*' means the reporter's data list every partner for that flow and period.
COVERAGE_COLUMNS: tuple[str, ...] = ("reporter", "partner", "flow", "freq", "year", "month")

TABLES_DDL = """
CREATE TABLE IF NOT EXISTS flows (
    dataset VARCHAR NOT NULL, reporter VARCHAR NOT NULL, partner VARCHAR NOT NULL,
    flow VARCHAR NOT NULL, year SMALLINT NOT NULL, month TINYINT NOT NULL,
    commodity VARCHAR NOT NULL, value DOUBLE NOT NULL, quantity DOUBLE,
    classification VARCHAR, currency VARCHAR, unit VARCHAR);
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
ALTER TABLE datasets ADD COLUMN IF NOT EXISTS classification VARCHAR;
ALTER TABLE datasets ADD COLUMN IF NOT EXISTS currency VARCHAR;
ALTER TABLE datasets ADD COLUMN IF NOT EXISTS unit VARCHAR;
CREATE TABLE IF NOT EXISTS world (
    dataset VARCHAR NOT NULL, reporter VARCHAR NOT NULL, flow VARCHAR NOT NULL,
    freq VARCHAR NOT NULL, year SMALLINT NOT NULL, month TINYINT NOT NULL,
    currency VARCHAR NOT NULL, value DECIMAL(38, 3) NOT NULL);
CREATE TABLE IF NOT EXISTS labels (
    dataset VARCHAR NOT NULL, code VARCHAR NOT NULL, label VARCHAR NOT NULL);
"""

VIEWS_DDL = """
CREATE OR REPLACE VIEW totals_all AS
    SELECT * FROM totals
    UNION ALL
    SELECT dataset, reporter, 'WLD' AS partner, flow, freq, year, month, currency, value
    FROM world;
CREATE OR REPLACE VIEW flows_all AS
    WITH f AS (
        SELECT f.dataset, f.reporter, f.partner, f.flow,
               CASE WHEN f.month = 0 THEN 'A' ELSE 'M' END AS freq, f.year, f.month,
               coalesce(f.classification, d.classification) AS classification, f.commodity,
               f.value, coalesce(f.currency, d.currency) AS currency, f.quantity,
               coalesce(f.unit, d.unit) AS unit, d.source_file, d.is_symmetric
        FROM flows f JOIN datasets d ON f.dataset = d.dataset
    )
    SELECT * EXCLUDE (is_symmetric) FROM f
    UNION ALL
    SELECT dataset, partner AS reporter, reporter AS partner, 'import' AS flow, freq, year,
           month, classification, commodity, value, currency, quantity, unit, source_file
    FROM f WHERE is_symmetric AND flow = 'export';
"""

# A version-1 store (every column on every row, values DECIMAL): its rows moved into the
# version-2 table, per-row columns kept as they were.
MIGRATE_V1_SQL = """
DROP VIEW IF EXISTS flows_all;
DROP VIEW IF EXISTS totals_all;
ALTER TABLE flows RENAME TO flows_v1;
CREATE TABLE flows (
    dataset VARCHAR NOT NULL, reporter VARCHAR NOT NULL, partner VARCHAR NOT NULL,
    flow VARCHAR NOT NULL, year SMALLINT NOT NULL, month TINYINT NOT NULL,
    commodity VARCHAR NOT NULL, value DOUBLE NOT NULL, quantity DOUBLE,
    classification VARCHAR, currency VARCHAR, unit VARCHAR);
INSERT INTO flows
    SELECT dataset, reporter, partner, flow, year, month, commodity, value::DOUBLE, quantity,
           classification, currency, unit
    FROM flows_v1 ORDER BY rowid;
DROP TABLE flows_v1;
"""

# positions in ``INSERT INTO flows SELECT dataset, <FLOW_COLUMNS>``: reporter, partner,
# flow, year, month, commodity.  Each dataset is written in this order (see store.py).
SORT_KEY = "2, 3, 4, 5, 6, 7"

# A dataset's totals per reporter, partner, flow, period and currency: the sum of the rows
# at the coarsest commodity level present (TOTAL rows if any, else the chapters, ...), so
# a TOTAL row and its breakdown are never added together.  A symmetric dataset's exports
# give the partners' imports too.  Each value is cast to DECIMAL(18, 3) as it is summed
# (exact sums, as in schema version 1).  Parameter: the dataset.
TOTALS_SQL = """
INSERT INTO totals
WITH ds AS (SELECT currency, is_symmetric FROM datasets WHERE dataset = $1),
own AS (
    SELECT reporter, partner, flow, year, month,
           coalesce(currency, (SELECT currency FROM ds)) AS currency,
           CASE WHEN commodity = 'TOTAL' THEN 0 ELSE length(commodity) END AS lvl,
           sum(value::DECIMAL(18, 3)) AS value
    FROM flows WHERE dataset = $1 AND reporter <> partner
    GROUP BY ALL
), by_level AS (
    SELECT reporter, partner, flow, year, month, currency, lvl, sum(value) AS value
    FROM (
        SELECT * FROM own
        UNION ALL
        SELECT partner, reporter, 'import', year, month, currency, lvl, value
        FROM own WHERE flow = 'export' AND (SELECT is_symmetric FROM ds)
    )
    GROUP BY ALL
), ranked AS (
    SELECT *, min(lvl) OVER (PARTITION BY reporter, partner, flow, year, month) AS top
    FROM by_level
)
SELECT $1, reporter, partner, flow, CASE WHEN month = 0 THEN 'A' ELSE 'M' END, year, month,
       currency, value
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


CoverageRow = tuple[str, str, str, str, int, int]


@dataclass(frozen=True, slots=True)
class DirectRows:
    """Rows a loader has the store insert straight from the file, in one query.

    For files too large to pass through Python (BACI): ``query`` selects the columns of
    :data:`FLOW_COLUMNS` (a column the same on every row may be left out and given in
    :attr:`Staged.constants`), in the store's order, on the store's connection.  Checks
    that can fail a row (a bad code, a missing value, a year out of range) are written
    into the query so that such a row fails the insert; what needs all the rows
    (duplicates) is checked by ``verify`` after the insert, in one aggregate query that
    also returns the coverage.  When either fails, the store rolls back and calls
    ``explain``, which reads the file again to name every bad cell and raises.

    ``verify(connection, dataset)`` returns the coverage rows (as :data:`COVERAGE_COLUMNS`),
    or ``None`` when the stored rows break a rule.  ``explain(connection, error)`` raises a
    :class:`~steppe.errors.TradeDataError`.  ``temporary`` names the temporary tables the
    query reads (the store drops them).
    """

    query: str
    verify: Callable[[duckdb.DuckDBPyConnection, str], list[CoverageRow] | None]
    explain: Callable[[duckdb.DuckDBPyConnection, Exception | None], NoReturn]
    temporary: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Staged:
    """What a loader read: normalised rows and the coverage they establish.

    ``rows`` holds the columns of :data:`COLUMNS`; a column the same on every row may be
    left out and given in ``constants`` instead.  A loader reading a large file gives
    ``rows`` as :class:`DirectRows` (the store inserts them straight from the file; its
    ``coverage`` is then found by ``verify``).  ``presorted`` says the rows already come in
    the store's order (:data:`SORT_KEY`), so the store need not sort them again.
    ``world`` holds the file's world-total rows (``reporter, flow, freq, year, month,
    currency, value``): the denominators of shares, never partners.  ``source`` names the
    publisher (default from :data:`SOURCES`); ``read`` counts the data rows in the file and
    ``dropped`` the rows left out on purpose, by reason (breakdowns, sub-flows, aggregates);
    ``labels`` names the codes that are no ISO country (``S19``: "Other Asia, nes").
    """

    format: str
    source_file: str
    rows: pd.DataFrame | DirectRows
    coverage: pd.DataFrame | None
    symmetric: bool = False
    attribution: str = "user file"
    notes: tuple[str, ...] = field(default=())
    constants: dict[str, str | int] = field(default_factory=dict)
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
    import pandas as pd

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
    import pandas as pd

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
    import pandas as pd

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
    import pandas as pd

    w = rows.loc[world].copy()
    if w.empty:
        return pd.DataFrame(
            columns=["reporter", "flow", "freq", "year", "month", "currency", "value"]
        )
    w["lvl"] = w["commodity"].map(lambda c: 0 if c == "TOTAL" else len(str(c)))
    key = ["reporter", "flow", "freq", "year", "month"]
    w = w[w["lvl"] == w.groupby(key)["lvl"].transform("min")]
    return w.groupby([*key, "currency"], as_index=False).agg(value=("value", "sum"))
