"""Checks of a BACI file in DuckDB: every bad cell with its row, without Python loops.

The file is first read with typed columns into the temporary table :data:`RAW`, whose
``rowid`` follows the file's order (so the spreadsheet row is ``rowid + 2``, the header
being row 1).  One aggregate pass counts each kind of problem; only the kinds that occur
are then located, at most :data:`LIMIT` rows per kind and column.  A cell DuckDB cannot
read as a number stops the typed read; the file is then read again as text and every such
cell is found (:func:`diagnose_text`).
"""

from __future__ import annotations

import duckdb

from steppe.errors import Problem

__all__ = ["LIMIT", "RAW", "diagnose_text", "find_problems"]

RAW = "_baci_raw"
TEXT = "_baci_text"
LIMIT = 20
_REQUIRED = ("t", "i", "j", "k", "v")
_BLANK = "({c} IS NULL OR trim({c}) IN ('', 'NA', 'NaN', 'nan'))"


# values no BACI release can hold: years, 6-digit HS codes, negative values and tonnes
_RANGES = {
    "t": "t NOT BETWEEN 1988 AND 2100",
    "k": "k NOT BETWEEN 10000 AND 999999",
    "v": "v < 0",
    "q": "TRY_CAST(nullif(trim(q), 'NA') AS DOUBLE) < 0",
}
_RANGE_TEXT = {
    "t": "year out of range 1988..2100",
    "k": "not a 6-digit HS code",
    "v": "negative trade value",
    "q": "negative quantity",
}


def _not_number(c: str) -> str:
    return f"(NOT {_BLANK.format(c=c)} AND TRY_CAST(trim({c}) AS DOUBLE) IS NULL)"


def _located(
    con: duckdb.DuckDBPyConnection, table: str, where: str, value: str = "NULL"
) -> list[tuple[int, object]]:
    rows = con.execute(
        f"SELECT rowid + 2, {value} FROM {table} WHERE {where} ORDER BY rowid LIMIT {LIMIT}"
    ).fetchall()
    return [(int(r), v) for r, v in rows]


def find_problems(con: duckdb.DuckDBPyConnection, file: str, *, codes: str) -> list[Problem] | None:
    """Return the problems of the typed rows in :data:`RAW`.

    Returns ``None`` when a value is missing or a quantity is not a number: those are
    reported from the text of the file (:func:`diagnose_text`), as the typed read loses it.

    Parameters
    ----------
    con
        The connection holding :data:`RAW` and the table ``codes`` (``code``, ``iso``) of
        known country codes.
    file
        The file name for the messages.
    codes
        The name of the country-code table.

    Returns
    -------
    list of Problem, or None
        Unknown country codes and repeated ``t, i, j, k`` (empty if the file is sound).
    """
    missing = [f"count(*) FILTER (WHERE {c} IS NULL)" for c in _REQUIRED]
    counts = con.execute(
        f"""
        SELECT {", ".join(missing)},
               count(*) FILTER (WHERE isnan(v)),
               count(*) FILTER (WHERE {_not_number("q")}),
               count(*) FILTER (WHERE i NOT IN (SELECT code FROM {codes})),
               count(*) FILTER (WHERE j NOT IN (SELECT code FROM {codes})),
               count(*) FILTER (WHERE {_RANGES["t"]}), count(*) FILTER (WHERE {_RANGES["k"]}),
               count(*) FILTER (WHERE {_RANGES["v"]}),
               count(*) FILTER (WHERE {_RANGES["q"]})
        FROM {RAW}
        """
    ).fetchall()[0]
    if any(counts[:7]):
        return None
    problems: list[Problem] = []
    for column, count in zip(_RANGES, counts[9:13], strict=True):
        if count:
            problems.extend(
                Problem(file, f"{_RANGE_TEXT[column]}: {value!r}", row, column)
                for row, value in _located(con, RAW, _RANGES[column], column)
            )
    for column, count in (("i", counts[7]), ("j", counts[8])):
        if count:
            where = f"{column} NOT IN (SELECT code FROM {codes})"
            problems.extend(
                Problem(file, f"unknown country code {value}", row, column)
                for row, value in _located(con, RAW, where, column)
            )
    repeated = con.execute(
        f"SELECT t, i, j, k FROM {RAW} GROUP BY ALL HAVING count(*) > 1 LIMIT {LIMIT}"
    ).fetchall()
    if repeated:
        keys = ", ".join(f"({t}, {i}, {j}, {k})" for t, i, j, k in repeated)
        rows = con.execute(
            f"""
            SELECT row FROM (
                SELECT r.rowid + 2 AS row,
                       row_number() OVER (PARTITION BY r.t, r.i, r.j, r.k ORDER BY r.rowid) AS n
                FROM {RAW} r SEMI JOIN (VALUES {keys}) d(t, i, j, k)
                  ON r.t = d.t AND r.i = d.i AND r.j = d.j AND r.k = d.k)
            WHERE n > 1 ORDER BY row LIMIT {LIMIT}
            """
        ).fetchall()
        problems.extend(
            Problem(file, "duplicate of an earlier row (same t, i, j, k)", int(r), "k")
            for (r,) in rows
        )
    return problems


def diagnose_text(con: duckdb.DuckDBPyConnection, source: str, file: str) -> list[Problem]:
    """Read the file as text and return every cell that is not a number or is missing.

    Parameters
    ----------
    con
        A DuckDB connection.
    source
        A ``read_csv`` call reading every column as text.
    file
        The file name for the messages.

    Returns
    -------
    list of Problem
        Per column ``t, i, j, k, v``: cells that are not numbers, then missing cells;
        for ``q`` (optional): cells that are not numbers.
    """
    con.execute(f"CREATE OR REPLACE TEMP TABLE {TEXT} AS SELECT t, i, j, k, v, q FROM {source}")
    problems: list[Problem] = []
    try:
        for column in (*_REQUIRED, "q"):
            bad = _not_number(column)
            problems.extend(
                Problem(file, f"not a number: {value!r}", row, column)
                for row, value in _located(con, TEXT, bad, column)
            )
            if column != "q":
                problems.extend(
                    Problem(file, "missing value", row, column)
                    for row, _ in _located(con, TEXT, _BLANK.format(c=column))
                )
    finally:
        con.execute(f"DROP TABLE IF EXISTS {TEXT}")
    return problems
