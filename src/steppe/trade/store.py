"""The trade store: one normalised DuckDB table of trade flows and what each file covers.

The store holds these tables: ``flows`` (one row per reporter, partner, flow, period and
commodity, values in the source currency; what is the same on every row of a dataset is
kept once, in ``datasets``; the ``flows_all`` view shows every column), ``totals`` (each
dataset's total per reporter, partner, flow and period, computed when it is loaded,
including the import side that symmetric datasets such as BACI imply), ``coverage``
(which reporter, flow, period and partners each dataset fully reports), ``world`` (world
totals), ``labels`` (names of codes that are no country) and ``datasets`` (one row per
loaded file).  A store written by an earlier version (schema 1: every column on every
row) is migrated when it is first opened.  Country groups are never rows: they are
expanded to members at query time (:mod:`steppe.trade.groups`).

Each dataset's rows are written sorted by reporter, partner, flow and period, so a query
for one pair reads only the few row groups whose min/max statistics can hold it.

The embedded data (Kazakhstan BNS partner table, Eurostat EU exports to Kazakhstan) are
loaded into the store on first use unless ``embedded=False``.
"""

from __future__ import annotations

import contextlib
import logging
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from types import TracebackType
from typing import TYPE_CHECKING, Any

import duckdb

from steppe.errors import ConfigError, TradeDataError
from steppe.trade._files import file_id, locked, swapped_copy
from steppe.trade._schema import (
    COVERAGE_COLUMNS,
    DATASET_CONSTANTS,
    FLOW_COLUMNS,
    MIGRATE_V1_SQL,
    SORT_KEY,
    SOURCES,
    TABLES_DDL,
    TOTALS_SQL,
    VIEWS_DDL,
    WORLD_FROM_PARTNERS_SQL,
    DirectRows,
    Staged,
)
from steppe.trade.embedded import EMBEDDED_DATASETS, embedded_path
from steppe.trade.loaders.detect import read_trade_file

if TYPE_CHECKING:
    import pandas as pd

__all__ = ["LoadReport", "TradeStore"]

logger = logging.getLogger(__name__)

_WORLD_COLUMNS = ("reporter", "flow", "freq", "year", "month", "currency", "value")
_TEMPORARY = ("_staged_rows", "_staged_cov", "_staged_world")


@dataclass(frozen=True, slots=True)
class LoadReport:
    """What a load did: rows read from the file, rows stored, rows left out and why.

    ``rows_kept`` counts stored rows (world-total rows are kept apart, as denominators);
    ``left_out`` maps each reason a row was not stored (a breakdown, a sub-flow, an
    aggregate) to its count.  A file with any bad row is refused whole, never in part.
    """

    dataset: str
    format: str
    source: str
    file: str
    rows_read: int
    rows_kept: int
    world_rows: int
    left_out: dict[str, int]

    def to_dict(self) -> dict[str, Any]:
        """Return the report as a JSON-ready dict."""
        return {
            "dataset": self.dataset,
            "format": self.format,
            "source": self.source,
            "file": self.file,
            "rows_read": self.rows_read,
            "rows_kept": self.rows_kept,
            "world_rows": self.world_rows,
            "rows_left_out_by_reason": dict(self.left_out),
            "rows_refused": 0,
        }


def _load_memory(path: Path) -> int:
    """The memory (MB) a load of ``path`` into a store file may use before DuckDB spills.

    Twice the file's size, at least 64 MB: enough to sort and check a file in a few passes
    over disk, so a load's memory stays close to that of reading the file at all (issue 18:
    within 30 % of DuckDB's own ``CREATE TABLE AS``), whatever the file's size.
    """
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    return max(64, 2 * size // 2**20)


def _stem(path: Path) -> str:
    """The file name without its extensions (``a.txt.gz`` -> ``a``)."""
    name = path.name
    for suffix in (".gz", ".zip"):
        name = name.removesuffix(suffix)
    return Path(name).stem


class _RefusedError(Exception):
    """The stored rows of a direct load broke a rule (the loader explains which)."""


def _row_select(staged: Staged) -> tuple[list[str], list[Any], dict[str, Any]]:
    """The select list that gives a loader's rows the columns of ``flows``.

    Returns the expressions (after ``dataset``), their parameters, and the dataset's
    constants: a column of :data:`DATASET_CONSTANTS` given in ``staged.constants``, or
    the same on every row of a DataFrame, goes to ``datasets`` once, and NULL per row.
    """
    rows = staged.rows
    constants: dict[str, Any] = {}
    if isinstance(rows, DirectRows):
        varying = set(FLOW_COLUMNS) - set(staged.constants)
    else:
        varying = {str(c) for c in rows.columns}
        for col in DATASET_CONSTANTS:  # the same on every row: once, in datasets
            if col in varying and len(rows) and rows[col].nunique(dropna=False) == 1:
                varying.remove(col)
                value = rows[col].iloc[0]
                constants[col] = None if value is None or value != value else value  # noqa: PLR0124
    constants.update({c: staged.constants[c] for c in DATASET_CONSTANTS if c in staged.constants})
    select: list[str] = []
    params: list[Any] = []
    for col in FLOW_COLUMNS:
        if col in varying:
            select.append(f'"{col}"')
        elif col in staged.constants and col not in DATASET_CONSTANTS:
            select.append("?")
            params.append(staged.constants[col])
        else:
            select.append("NULL")
    return select, params, constants


class TradeStore:
    """Trade flows in an embedded DuckDB database (a file, or in memory).

    Parameters
    ----------
    path
        The database file; ``None`` keeps everything in memory.  The CLI passes
        ``$XDG_DATA_HOME/steppe/trade.duckdb``.
    embedded
        Load the data shipped with steppe on first use (once per database file).

    Examples
    --------
    >>> store = TradeStore()
    >>> "kz_bns_trade_by_partner_2018_2023" in set(store.datasets().dataset)
    True
    >>> store.close()
    """

    def __init__(
        self, path: Path | str | None = None, *, embedded: bool = True, lock_timeout: float = 60.0
    ) -> None:
        self.path = Path(path).expanduser() if path is not None else None
        self.embedded = embedded
        self.lock_timeout = lock_timeout
        self._con: duckdb.DuckDBPyConnection | None = None
        self._file: tuple[int, int] | None = None

    # -- connection -------------------------------------------------------------------
    @property
    def connection(self) -> duckdb.DuckDBPyConnection:
        """The connection queries read through (created and filled on first use).

        A store file is opened read-only, so any number of processes read it while
        another loads data (see :mod:`steppe.trade._files`); when a load has replaced
        the file, the next query reopens it and sees the new data.
        """
        if self.path is None:
            if self._con is None:
                con = duckdb.connect(":memory:")
                self._setup(con)
                self._con = con
            return self._con
        if self._con is not None and file_id(self.path) != self._file:
            self.close()
        if self._con is not None:
            return self._con
        existing = self._open_read_only() if self.path.is_file() else None
        if existing is not None and not self._needs_setup(existing):
            con = existing
        else:
            if existing is not None:
                existing.close()
            with self._writing():
                pass  # sets the file up
            con = self._open_read_only()
        self._con = con
        self._file = file_id(self.path)
        return con

    def _open_read_only(self) -> duckdb.DuckDBPyConnection:
        try:
            return duckdb.connect(str(self.path), read_only=True)
        except duckdb.Error as e:
            raise ConfigError(f"cannot open the trade store {self.path}: {e}") from e

    def _needs_setup(self, con: duckdb.DuckDBPyConnection) -> bool:
        """Whether a store file lacks tables, columns or (if asked) the embedded data."""
        tables = {t for (t,) in con.execute("SELECT table_name FROM duckdb_tables()").fetchall()}
        if not {"flows", "totals", "coverage", "datasets", "world", "labels"} <= tables:
            return True
        columns = set(
            con.execute(
                "SELECT table_name, column_name FROM duckdb_columns() "
                "WHERE table_name IN ('datasets', 'flows')"
            ).fetchall()
        )
        if ("datasets", "currency") not in columns or ("flows", "freq") in columns:
            return True  # written by an earlier version: migrate
        stale = con.execute(
            "SELECT count(*) FROM (SELECT dataset FROM datasets "
            "EXCEPT SELECT DISTINCT dataset FROM totals)"
        ).fetchall()[0][0]
        if stale:
            return True
        have = {d for (d,) in con.execute("SELECT dataset FROM datasets").fetchall()}
        return self.embedded and not set(EMBEDDED_DATASETS) <= have

    @contextlib.contextmanager
    def _writing(self) -> Iterator[duckdb.DuckDBPyConnection]:
        """A connection to write through: the store's own in memory; for a file, a copy
        that replaces the file when the block ends without error (under the write lock)."""
        if self.path is None:
            yield self.connection
            return
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with locked(self.path, timeout=self.lock_timeout), swapped_copy(self.path) as con:
            self._setup(con)  # a new file gets the embedded data before the user's
            yield con
        self.close()  # the next query opens the new file

    def _setup(self, con: duckdb.DuckDBPyConnection) -> None:
        if ("freq",) in con.execute(
            "SELECT column_name FROM duckdb_columns() WHERE table_name = 'flows'"
        ).fetchall():
            logger.info("migrating the trade store %s to schema 2", self.path or "in memory")
            con.execute(MIGRATE_V1_SQL)
        con.execute(TABLES_DDL)
        con.execute(VIEWS_DDL)
        self._add_missing_totals(con)
        if self.embedded:
            self._load_embedded(con)

    def close(self) -> None:
        """Close the database connection."""
        if self._con is not None:
            self._con.close()
            self._con = None

    def __enter__(self) -> TradeStore:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def sql(self, query: str, params: list[Any] | None = None) -> pd.DataFrame:
        """Run a read query and return its result as a DataFrame."""
        return self.connection.execute(query, params or []).df()

    def rows(self, query: str, params: list[Any] | None = None) -> list[tuple[Any, ...]]:
        """Run a read query and return its rows as tuples (no DataFrame)."""
        return self.connection.execute(query, params or []).fetchall()

    # -- loading ----------------------------------------------------------------------
    def _load_embedded(self, con: duckdb.DuckDBPyConnection) -> None:
        have = {d for (d,) in con.execute("SELECT dataset FROM datasets").fetchall()}
        for name, (file, fmt) in EMBEDDED_DATASETS.items():
            if name not in have:
                logger.info("loading embedded trade data %s", file)
                self._add(con, read_trade_file(embedded_path(file), format=fmt), dataset=name)

    @staticmethod
    def _add_missing_totals(con: duckdb.DuckDBPyConnection) -> None:
        """Compute totals, world totals and sources for datasets stored before they existed."""
        missing = con.execute(
            "SELECT dataset FROM datasets EXCEPT SELECT DISTINCT dataset FROM totals"
        ).fetchall()
        for (name,) in missing:
            con.execute(TOTALS_SQL, [name])
        for fmt, source in SOURCES.items():  # stores written before datasets had a source
            con.execute(
                "UPDATE datasets SET source = ? WHERE source IS NULL AND format = ?", [source, fmt]
            )
        for (name,) in con.execute(
            "SELECT dataset FROM datasets WHERE dataset NOT IN (SELECT dataset FROM world)"
        ).fetchall():
            con.execute(WORLD_FROM_PARTNERS_SQL, [name])

    def load(
        self,
        path: Path | str,
        *,
        format: str | None = None,
        dataset: str | None = None,
        country_codes: Path | None = None,
    ) -> str:
        """Read a trade file and store it, replacing an earlier load of the same dataset.

        The load is all or nothing: the file is read and checked completely before the
        store changes, and the change is one transaction.

        Parameters
        ----------
        path
            The file.
        format
            ``comtrade``, ``baci``, ``kz-bns``, ``eurostat`` or ``tidy``; default: detected
            from the columns.
        dataset
            The name to store it under; default: the file name without extension.
        country_codes
            BACI only: the country-code file (default: ``country_codes*.csv`` beside it).

        Returns
        -------
        str
            The dataset name.

        Raises
        ------
        TradeDataError
            The file is malformed; the error lists each file, row and column at fault.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "mine.csv"
        >>> _ = f.write_text("reporter,partner,flow,period,value\\nMNG,KAZ,import,2023,5\\n")
        >>> with TradeStore(embedded=False) as store:
        ...     store.load(f)
        'mine'
        """
        return self.load_file(
            path, format=format, dataset=dataset, country_codes=country_codes
        ).dataset

    def load_file(
        self,
        path: Path | str,
        *,
        format: str | None = None,
        dataset: str | None = None,
        country_codes: Path | None = None,
        progress: Callable[[str], None] | None = None,
    ) -> LoadReport:
        """Load a file as :meth:`load` does and report rows read, kept and left out.

        ``progress`` is called with the name of each step (``read``, ``store``) as it starts.

        Examples
        --------
        >>> import tempfile, pathlib
        >>> f = pathlib.Path(tempfile.mkdtemp()) / "mine.csv"
        >>> _ = f.write_text("reporter,partner,flow,period,value\\nKAZ,WLD,export,2023,9\\n"
        ...                  "KAZ,MNG,export,2023,5\\n")
        >>> with TradeStore(embedded=False) as store:
        ...     store.load_file(f).to_dict()["rows_kept"]
        1
        """
        path = Path(path)
        name = dataset or _stem(path)
        with self._writing() as con:
            if self.path is not None:  # sort and aggregate out of core, beyond this
                con.execute(f"SET memory_limit = '{_load_memory(path)}MB'")
            if progress is not None:
                progress("read")
            staged = read_trade_file(
                path, format=format, country_codes=country_codes, connection=con
            )
            if progress is not None:
                progress("store")
            kept = self._add(con, staged, dataset=name)
        world = 0 if staged.world is None else len(staged.world)
        return LoadReport(
            name,
            staged.format,
            staged.source or SOURCES.get(staged.format, "user file"),
            str(path),
            staged.read or kept + world + sum(staged.dropped.values()),
            kept,
            world,
            dict(staged.dropped),
        )

    def add(self, staged: Staged, *, dataset: str) -> str:
        """Store rows a loader has read (see :meth:`load`), in one transaction."""
        with self._writing() as con:
            self._add(con, staged, dataset=dataset)
        return dataset

    def _add(self, con: duckdb.DuckDBPyConnection, staged: Staged, *, dataset: str) -> int:
        """Store rows through a write connection; return how many flow rows were stored."""
        direct = staged.rows if isinstance(staged.rows, DirectRows) else None
        select, params, constants = _row_select(staged)
        source = staged.source or SOURCES.get(staged.format, "user file")
        seq = int(con.execute("SELECT coalesce(max(seq), 0) + 1 FROM datasets").fetchall()[0][0])
        if direct is None:
            con.register("_staged_rows", staged.rows)
        if staged.coverage is not None:
            con.register("_staged_cov", staged.coverage[list(COVERAGE_COLUMNS)])
        world = staged.world
        if world is not None and not world.empty:
            con.register("_staged_world", world[list(_WORLD_COLUMNS)])
        else:
            world = None
        con.execute("BEGIN TRANSACTION")
        try:
            for table in ("flows", "totals", "coverage", "datasets", "world", "labels"):
                con.execute(f"DELETE FROM {table} WHERE dataset = ?", [dataset])
            origin = f"({direct.query})" if direct is not None else "_staged_rows"
            order = "" if staged.presorted else f" ORDER BY {SORT_KEY}"
            inserted = con.execute(
                f"INSERT INTO flows SELECT ?, {', '.join(select)} FROM {origin}{order}",
                [dataset, *params],
            ).fetchall()
            rows = int(inserted[0][0])
            if direct is not None:
                coverage = direct.verify(con, dataset)
                if coverage is None:
                    raise _RefusedError
                con.executemany(
                    "INSERT INTO coverage VALUES (?, ?, ?, ?, ?, ?, ?)",
                    [[dataset, *c] for c in coverage],
                )
            else:
                con.execute("INSERT INTO coverage SELECT ?, * FROM _staged_cov", [dataset])
            if world is not None:
                con.execute("INSERT INTO world SELECT ?, * FROM _staged_world", [dataset])
            if staged.labels:
                con.executemany(
                    "INSERT INTO labels VALUES (?, ?, ?)",
                    [[dataset, c, n] for c, n in staged.labels.items()],
                )
            con.execute(
                "INSERT INTO datasets (dataset, format, source_file, rows, is_symmetric, "
                "attribution, seq, source, classification, currency, unit) "
                "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                [
                    dataset,
                    staged.format,
                    staged.source_file,
                    rows,
                    staged.symmetric,
                    staged.attribution,
                    seq,
                    source,
                    *(constants.get(c) for c in DATASET_CONSTANTS),
                ],
            )
            con.execute(TOTALS_SQL, [dataset])
            con.execute(WORLD_FROM_PARTNERS_SQL, [dataset])
            con.execute("COMMIT")
        except (duckdb.Error, _RefusedError) as e:
            con.execute("ROLLBACK")
            if direct is not None:  # name every bad cell (raises)
                direct.explain(con, e if isinstance(e, duckdb.Error) else None)
            raise TradeDataError(f"cannot store the data: {e}", file=staged.source_file) from e
        finally:
            for name in _TEMPORARY:
                with contextlib.suppress(duckdb.Error):
                    con.unregister(name)
            for table in direct.temporary if direct is not None else ():
                con.execute(f"DROP TABLE IF EXISTS {table}")
        logger.info("stored %d rows of %s as %s", rows, staged.source_file, dataset)
        return rows

    # -- what is there ----------------------------------------------------------------
    def datasets(self) -> pd.DataFrame:
        """Return one row per dataset: name, format, file, rows, attribution, periods.

        Examples
        --------
        >>> with TradeStore() as store:
        ...     store.datasets().loc[0, "format"]
        'kz-bns'
        """
        return self.sql(
            """
            SELECT d.dataset, d.format, d.source, d.source_file, d.rows, d.attribution,
                   min(CASE WHEN c.freq = 'A' THEN c.year::VARCHAR
                            ELSE printf('%d-%02d', c.year, c.month) END) AS first_period,
                   max(CASE WHEN c.freq = 'A' THEN c.year::VARCHAR
                            ELSE printf('%d-%02d', c.year, c.month) END) AS last_period,
                   count(DISTINCT c.reporter) AS reporters
            FROM datasets d LEFT JOIN coverage c USING (dataset)
            GROUP BY ALL ORDER BY min(d.seq)
            """
        )
