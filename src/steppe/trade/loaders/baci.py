"""Loader for CEPII BACI files (``t, i, j, k, v, q``).

BACI gives one reconciled value per exporter ``i``, importer ``j``, year ``t`` and HS
6-digit product ``k``: ``v`` in thousand US dollars (FOB) and ``q`` in metric tonnes.
Country codes are BACI's numeric codes, translated with the country-code file published
with each release (``country_codes_V*.csv``, columns ``country_code`` and
``country_iso3`` or ``iso_3digit_alpha``), found next to the data file or given explicitly.
Each row is stored once as an export of ``i`` to ``j``; the store reads it also as the
import of ``j`` from ``i`` (BACI has one figure for both sides, so mirror gaps are zero).

A BACI release has tens of millions of rows, so the file is parsed and checked by DuckDB
(:mod:`steppe.trade.loaders._baci_checks`), never row by row in Python.
"""

from __future__ import annotations

import re
from pathlib import Path

import duckdb
import pandas as pd

from steppe.countries import is_iso3
from steppe.errors import Problem, TradeDataError
from steppe.trade._schema import Staged, check_columns, check_numeric, raise_if, sql_literal
from steppe.trade.loaders._baci_checks import RAW, diagnose_text, find_problems
from steppe.trade.loaders._read import check_header, read_header, read_table

__all__ = [
    "BACI_COLUMNS",
    "csv_source",
    "find_country_codes",
    "find_product_codes",
    "read_baci",
    "read_country_codes",
]

BACI_COLUMNS = ("t", "i", "j", "k", "v", "q")
_TYPES = {"t": "INTEGER", "i": "INTEGER", "j": "INTEGER", "k": "BIGINT", "v": "DOUBLE"}
_HS_VERSION = {"92": "H0", "96": "H1", "02": "H2", "07": "H3", "12": "H4", "17": "H5", "22": "H6"}
BACI_ATTRIBUTION = "CEPII BACI (Gaulier and Zignago 2010), Etalab Licence Ouverte 2.0"
CODES = "_baci_codes"


def find_country_codes(path: Path) -> Path | None:
    """Return the BACI country-code file next to ``path``, if there is exactly one."""
    found = sorted(path.parent.glob("country_codes*.csv"))
    return found[-1] if found else None


def read_country_codes(path: Path) -> tuple[dict[int, str], dict[str, str]]:
    """Read a release's country-code file: number -> code, and code -> the release's name.

    Every code is kept, including those that are no ISO country (490 "Other Asia, nes",
    ``S19``); a number without a code gets ``X`` + the number.
    """
    file = str(path)
    codes = read_table(path)
    iso_col = next((c for c in ("country_iso3", "iso_3digit_alpha") if c in codes), None)
    name_col = next((c for c in ("country_name", "country_name_full") if c in codes), None)
    check_columns(codes, ["country_code", iso_col or "country_iso3"], file)
    problems: list[Problem] = []
    number = check_numeric(codes, "country_code", file, problems)
    raise_if(problems)
    iso = codes[str(iso_col)].str.upper()
    iso = iso.mask(iso == "", "X" + codes["country_code"])
    numbers = dict(zip(number.astype(int), iso, strict=True))
    names = codes[name_col] if name_col else iso
    labels = {c: n for c, n in zip(iso, names, strict=True) if not is_iso3(c)}
    return numbers, labels


def find_product_codes(path: Path) -> Path | None:
    """Return the BACI product-code file next to ``path`` (``product_codes_HS17_V*.csv``)."""
    version = re.search(r"(HS\d\d)", path.name)
    pattern = f"product_codes_{version[1]}_*.csv" if version else "product_codes*.csv"
    found = sorted(path.parent.glob(pattern))
    return found[-1] if found else None


def csv_source(path: Path, header: list[str], *, text: bool) -> str:
    """Return a DuckDB ``read_csv`` call for a BACI file: typed columns, or all text."""
    types = {c: "VARCHAR" if text else _TYPES.get(c, "VARCHAR") for c in header}
    columns = ", ".join(f"{sql_literal(c)}: {sql_literal(t)}" for c, t in types.items())
    return (
        f"read_csv({sql_literal(str(path))}, header = true, delim = ',', quote = '\"', "
        f"auto_detect = false, columns = {{{columns}}})"
    )


def _stage(con: duckdb.DuckDBPyConnection, path: Path, codes: dict[int, str]) -> None:
    """Read and check the file into the temporary table ``RAW``, or raise every problem."""
    file = str(path)
    header = read_header(path)
    valid = pd.DataFrame(list(codes.items()), columns=["code", "iso"]).astype({"code": "int32"})
    # the codes' places in ISO3 order: rows sorted on these integers are sorted by ISO3
    valid["rank"] = valid["iso"].rank(method="dense").astype("int32")
    con.register("_baci_codes_df", valid)
    try:
        con.execute(f"CREATE OR REPLACE TEMP TABLE {CODES} AS SELECT * FROM _baci_codes_df")
    finally:
        con.unregister("_baci_codes_df")
    cols = ", ".join(f'"{c}"' for c in BACI_COLUMNS)
    try:
        con.execute(
            f"CREATE OR REPLACE TEMP TABLE {RAW} AS "
            f"SELECT {cols} FROM {csv_source(path, header, text=False)}"
        )
    except duckdb.Error as e:  # a cell is not a number: find every such cell, with its row
        read_table(path, delimiter=",")  # first: a row with too many or too few cells
        try:
            problems = diagnose_text(con, csv_source(path, header, text=True), file)
        except duckdb.Error as again:
            raise TradeDataError(f"cannot read the file as CSV: {again}", file=file) from e
        raise_if(problems or [Problem(file, f"cannot read the file as BACI numbers: {e}")])
        raise TradeDataError(f"cannot read the file as BACI numbers: {e}", file=file) from e
    found = find_problems(con, file, codes=CODES)
    if found is None:  # a missing value or a bad quantity: locate them in the text
        try:
            found = diagnose_text(con, csv_source(path, header, text=True), file)
        except duckdb.Error as e:
            raise TradeDataError(f"cannot read the file as CSV: {e}", file=file) from e
    raise_if(found)


def _check_products(con: duckdb.DuckDBPyConnection, products: Path, file: str) -> None:
    """Refuse a product code that the release's product-code file does not list."""
    table = read_table(products)
    check_columns(table, ["code"], str(products))
    listed = pd.DataFrame({"code": pd.to_numeric(table["code"], errors="coerce")}).dropna()
    con.register("_baci_products_df", listed.astype("int64"))
    try:
        rows = con.execute(
            f"SELECT rowid + 2, k FROM {RAW} ANTI JOIN _baci_products_df p ON k = p.code "
            "ORDER BY rowid LIMIT 20"
        ).fetchall()
    finally:
        con.unregister("_baci_products_df")
    raise_if(
        [
            Problem(file, f"product {int(k):06d} is not listed in {products.name}", int(r), "k")
            for r, k in rows
        ]
    )


def _rows_sql(*, ordered: bool) -> str:
    """The rows in file order, or (``ordered=False``) in the store's order.

    The store's order (reporter, partner, year, commodity) is reached by sorting on
    integers: the ISO3 ranks of the codes, the year and the HS code (a 6-digit code padded
    with zeros sorts as its number).  The strings are made after the sort, so it carries
    only numbers and the two country codes.
    """
    order = "r.rowid" if ordered else "a.rank, b.rank, r.t, r.k"
    return (
        "SELECT reporter, partner, t AS year, lpad(k::VARCHAR, 6, '0') AS commodity, "
        "v * 1000.0 AS value, TRY_CAST(nullif(trim(q), 'NA') AS DOUBLE) AS quantity "
        "FROM (SELECT a.iso AS reporter, b.iso AS partner, r.t, r.k, r.v, r.q "
        f"FROM {RAW} r JOIN {CODES} a ON r.i = a.code JOIN {CODES} b ON r.j = b.code "
        f"ORDER BY {order})"
    )


def _coverage(con: duckdb.DuckDBPyConnection) -> pd.DataFrame:
    return con.execute(
        f"""
        WITH years AS (SELECT DISTINCT t FROM {RAW}),
        sides AS (SELECT DISTINCT i AS code, 'export' AS flow FROM {RAW}
                  UNION SELECT DISTINCT j, 'import' FROM {RAW})
        SELECT c.iso AS reporter, '*' AS partner, s.flow, 'A' AS freq, y.t::INTEGER AS year,
               0 AS month
        FROM years y, sides s JOIN {CODES} c ON s.code = c.code
        ORDER BY year, flow, reporter
        """
    ).df()


def read_baci(
    path: Path,
    *,
    country_codes: Path | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> Staged:
    """Read a BACI CSV file and its country-code file.

    Parameters
    ----------
    path
        The BACI data file, e.g. ``BACI_HS17_Y2022_V202401.csv``.
    country_codes
        The release's country-code file; default: ``country_codes*.csv`` beside ``path``.
    connection
        A DuckDB connection to stage the rows in (the store's); the rows are then returned
        as a relation on it.  Default: a private in-memory database, rows as a DataFrame.

    Returns
    -------
    Staged
        Export rows in USD (``v`` x 1000) with quantities in tonnes; coverage: every
        country, both flows, every partner, for each year present.

    Raises
    ------
    TradeDataError
        Every cell that is not a number or is missing, every unknown country code and
        every repeated ``t, i, j, k`` (up to 20 of each per column), with its row.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> d = pathlib.Path(tempfile.mkdtemp())
    >>> codes = "country_code,country_iso3\\n398,KAZ\\n496,MNG\\n"
    >>> _ = (d / "country_codes_V1.csv").write_text(codes)
    >>> _ = (d / "b.csv").write_text("t,i,j,k,v,q\\n2022,398,496,270112,1.5,20\\n")
    >>> read_baci(d / "b.csv").rows[["reporter", "partner", "value"]].values.tolist()
    [['KAZ', 'MNG', 1500.0]]
    """
    file = str(path)
    header = read_header(path)
    check_header(header, file)
    check_columns(pd.DataFrame(columns=header), BACI_COLUMNS, file)
    codes_path = country_codes or find_country_codes(path)
    if codes_path is None:
        raise TradeDataError(
            "BACI needs its country-code file (country_codes_V*.csv) next to the data file "
            "or given with --country-codes",
            file=file,
        )
    codes, labels = read_country_codes(codes_path)
    products = find_product_codes(path)
    con = connection or duckdb.connect()
    try:
        _stage(con, path, codes)
        con_rows = int(con.execute(f"SELECT count(*) FROM {RAW}").fetchall()[0][0])
        if products is not None:
            _check_products(con, products, file)
        coverage = _coverage(con)
        if connection is None:
            rows: pd.DataFrame | duckdb.DuckDBPyRelation = con.execute(_rows_sql(ordered=True)).df()
        else:
            rows = con.sql(_rows_sql(ordered=False))
    except BaseException:
        con.execute(f"DROP TABLE IF EXISTS {RAW}; DROP TABLE IF EXISTS {CODES}")
        raise
    finally:
        if connection is None:
            con.close()
    version = re.search(r"HS(\d\d)", path.name)
    return Staged(
        format="baci",
        source_file=path.name,
        rows=rows,
        coverage=coverage,
        symmetric=True,
        attribution=BACI_ATTRIBUTION,
        constants={
            "flow": "export",
            "freq": "A",
            "month": 0,
            "classification": _HS_VERSION.get(version[1], "HS") if version else "HS",
            "currency": "USD",
            "unit": "t",
        },
        temporary=(RAW, CODES) if connection is not None else (),
        presorted=connection is not None,
        labels=labels,
        read=con_rows,
    )
