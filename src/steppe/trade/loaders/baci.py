"""Loader for CEPII BACI files (``t, i, j, k, v, q``).

BACI gives one reconciled value per exporter ``i``, importer ``j``, year ``t`` and HS
6-digit product ``k``: ``v`` in thousand US dollars (FOB) and ``q`` in metric tonnes.
Country codes are BACI's numeric codes, translated with the country-code file published
with each release (``country_codes_V*.csv``, columns ``country_code`` and
``country_iso3`` or ``iso_3digit_alpha``), found next to the data file or given explicitly.
Each row is stored once as an export of ``i`` to ``j``; the store reads it also as the
import of ``j`` from ``i`` (BACI has one figure for both sides, so mirror gaps are zero).

A BACI release has tens of millions of rows, so the file is parsed and checked by DuckDB,
never row by row in Python.  Loading into a store, the rows go from DuckDB's CSV reader
straight into the store's table in one query (:func:`direct_rows`): a row that breaks a
rule (a missing or non-numeric cell, an unknown country, a year or product out of range, a
negative value) fails that query; one aggregate query over the stored rows then counts
repeated keys, lists the products (checked against the release's product-code file) and
finds the coverage.  Only when something fails is the file read again
to name every bad cell with its row (:mod:`steppe.trade.loaders._baci_checks`).
"""

from __future__ import annotations

import re
from pathlib import Path
from typing import TYPE_CHECKING, NoReturn

import duckdb

from steppe.countries import is_iso3
from steppe.errors import Problem, TradeDataError
from steppe.trade._schema import CoverageRow, DirectRows, Staged, raise_if, sql_literal
from steppe.trade.loaders._baci_checks import RAW, diagnose_text, find_problems
from steppe.trade.loaders._read import check_header, read_cells, read_header, read_table

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "BACI_COLUMNS",
    "csv_source",
    "direct_rows",
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
PRODUCTS = "_baci_products"


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
    header, numbers, cells = read_cells(path)
    iso_col = next((c for c in ("country_iso3", "iso_3digit_alpha") if c in header), None)
    name_col = next((c for c in ("country_name", "country_name_full") if c in header), None)
    missing = [c for c in ("country_code", iso_col or "country_iso3") if c not in header]
    raise_if([Problem(file, f"missing required column {c!r}", column=c) for c in missing])
    at = {c: header.index(c) for c in header}
    numbers_of: dict[int, str] = {}
    names: dict[str, str] = {}
    bad: list[Problem] = []
    blank: list[Problem] = []
    for row, line in zip(numbers, cells, strict=True):
        raw = line[at["country_code"]].strip()
        try:
            number = int(float(raw))
        except (ValueError, OverflowError):
            if raw in ("", "NA", "NaN", "nan"):
                blank.append(Problem(file, "missing value", row, "country_code"))
            else:
                bad.append(Problem(file, f"not a number: {raw!r}", row, "country_code"))
            continue
        iso = line[at[str(iso_col)]].strip().upper() or f"X{raw}"
        numbers_of[number] = iso
        names[iso] = line[at[name_col]].strip() if name_col else iso
    raise_if(bad[:20] + blank[:20])
    labels = {c: n for c, n in names.items() if not is_iso3(c)}
    return numbers_of, labels


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


def _make_codes(con: duckdb.DuckDBPyConnection, codes: dict[int, str]) -> None:
    """Write the country codes into the temporary table ``CODES`` (``code, iso, rank``).

    ``rank`` is each code's place in ISO3 order: rows sorted on these integers are sorted
    by ISO3.
    """
    ranks = {iso: n for n, iso in enumerate(sorted(set(codes.values())), start=1)}
    con.execute(f"CREATE OR REPLACE TEMP TABLE {CODES} (code INTEGER, iso VARCHAR, rank INTEGER)")
    if codes:
        values = ", ".join(f"({int(c)}, {sql_literal(i)}, {ranks[i]})" for c, i in codes.items())
        con.execute(f"INSERT INTO {CODES} VALUES {values}")


def _product_list(products: Path) -> set[int]:
    """The product codes a release's product-code file lists."""
    header, _, cells = read_cells(products)
    if "code" not in header:
        raise_if([Problem(str(products), "missing required column 'code'", column="code")])
    at = header.index("code")
    listed: set[int] = set()
    for line in cells:
        try:
            listed.add(int(float(line[at].strip())))
        except (ValueError, OverflowError):
            continue
    return listed


def _make_products(con: duckdb.DuckDBPyConnection, products: Path) -> None:
    """Write the product codes a release lists into the temporary table ``PRODUCTS``."""
    con.execute(
        f"CREATE OR REPLACE TEMP TABLE {PRODUCTS} AS SELECT unnest($1::BIGINT[]) AS code",
        [sorted(_product_list(products))],
    )


def _stage(con: duckdb.DuckDBPyConnection, path: Path) -> None:
    """Read and check the file into the temporary table ``RAW``, or raise every problem.

    The country codes must be in ``CODES`` already.
    """
    file = str(path)
    header = read_header(path)
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
    _make_products(con, products)
    rows = con.execute(
        f"SELECT rowid + 2, k FROM {RAW} ANTI JOIN {PRODUCTS} p ON k = p.code "
        "ORDER BY rowid LIMIT 20"
    ).fetchall()
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


def _lookup(values: dict[int, str] | dict[int, int]) -> str:
    """A SQL list literal whose element ``code + 1`` is the value of ``code`` (else NULL)."""
    cells = ["NULL"] * (max(values, default=0) + 1)
    for code, value in values.items():
        if code >= 0:
            cells[code] = sql_literal(value)
    return f"[{', '.join(cells)}]"


def _direct_query(path: Path, header: list[str], codes: dict[int, str]) -> str:
    """The store's rows straight from the file, in the store's order (see module doc).

    A row breaking a rule gets NULL in a NOT NULL column (or raises, for a negative
    quantity), which fails the insert.  Country codes are looked up by position in a list
    (a code's ISO3 code, and its rank in ISO3 order for the sort), which costs less than
    a join; the rows are sorted on integers and the strings made after the sort.
    """
    ranks = {iso: n for n, iso in enumerate(sorted(set(codes.values())), start=1)}
    iso = _lookup(codes)
    rank = _lookup({c: ranks[i] for c, i in codes.items()})
    known = "CASE WHEN {c} >= 0 THEN {table}[{c} + 1] END"
    return (
        f"SELECT {known.format(c='i', table=iso)} AS reporter, "
        f"{known.format(c='j', table=iso)} AS partner, year, "
        "CASE WHEN product THEN lpad(k::VARCHAR, 6, '0') END AS commodity, value, quantity "
        "FROM (SELECT r.i, r.j, r.k, "
        "CASE WHEN r.t BETWEEN 1988 AND 2100 THEN r.t END AS year, "
        "r.k BETWEEN 10000 AND 999999 AS product, "
        "CASE WHEN r.v >= 0 AND NOT isnan(r.v) THEN r.v * 1000.0 END AS value, "
        "CASE WHEN r.q < 0 THEN error('negative quantity') ELSE r.q END AS quantity "
        "FROM (SELECT t, i, j, k, v, CAST(nullif(nullif(trim(q), 'NA'), '') AS DOUBLE) AS q "
        f"FROM {csv_source(path, header, text=False)}) r "
        f"ORDER BY {known.format(c='r.i', table=rank)}, {known.format(c='r.j', table=rank)}, "
        "r.t, r.k)"
    )


def _verify(
    con: duckdb.DuckDBPyConnection, dataset: str, *, listed: set[int] | None
) -> list[CoverageRow] | None:
    """Check the stored rows and find the coverage, in one aggregate query.

    Counts repeated keys and, if the release lists its products (``listed``), checks the
    distinct product codes against that list (a few thousand, in Python, rather than a
    join per row).
    """
    n, keys, exporters, importers, years, products = con.execute(
        "SELECT count(*), count(DISTINCT hash(reporter, partner, year, commodity)), "
        "list(DISTINCT reporter), list(DISTINCT partner), list(DISTINCT year), "
        f"{'list(DISTINCT commodity)' if listed is not None else 'NULL'} "
        "FROM flows WHERE dataset = ?",
        [dataset],
    ).fetchall()[0]
    if listed is not None and any(int(k) not in listed for k in products or ()):
        return None
    if keys < n:  # a repeated key, or (rarely) two keys with one hash: count exactly
        repeated = con.execute(
            "SELECT count(*) - count(DISTINCT (reporter, partner, year, commodity)) "
            "FROM flows WHERE dataset = ?",
            [dataset],
        ).fetchall()[0][0]
        if repeated:
            return None
    return [
        (code, "*", flow, "A", int(year), 0)
        for year in sorted(years)
        for flow, codes in (("export", exporters), ("import", importers))
        for code in sorted(codes)
    ]


def _explain(
    con: duckdb.DuckDBPyConnection,
    error: Exception | None,
    *,
    path: Path,
    codes: dict[int, str],
    products: Path | None,
) -> NoReturn:
    """Read the file again, checking each rule in turn, and raise every bad cell."""
    file = str(path)
    try:
        _make_codes(con, codes)
        _stage(con, path)
        if products is not None:
            _check_products(con, products, file)
    finally:
        con.execute(f"DROP TABLE IF EXISTS {RAW}")
    if error is not None:
        raise TradeDataError(f"cannot store the data: {error}", file=file)
    raise TradeDataError(
        "rows repeat the same exporter, importer, year and product once the country codes "
        "are translated (two numbers of the country-code file share an ISO3 code)",
        file=file,
    )


def direct_rows(
    path: Path, header: list[str], codes: dict[int, str], products: Path | None
) -> DirectRows:
    """Return the store's one-query load of a BACI file (see the module doc).

    The country codes are written into the query; the product codes, if the release
    lists them, are checked after the insert (:func:`_verify`).
    """

    listed = _product_list(products) if products is not None else None

    def verify(con: duckdb.DuckDBPyConnection, dataset: str) -> list[CoverageRow] | None:
        return _verify(con, dataset, listed=listed)

    def explain(con: duckdb.DuckDBPyConnection, error: Exception | None) -> NoReturn:
        _explain(con, error, path=path, codes=codes, products=products)

    return DirectRows(
        _direct_query(path, header, codes),
        verify,
        explain,
        temporary=(CODES, PRODUCTS, RAW),
    )


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
    missing = [c for c in BACI_COLUMNS if c not in header]
    raise_if([Problem(file, f"missing required column {c!r}", column=c) for c in missing])
    codes_path = country_codes or find_country_codes(path)
    if codes_path is None:
        raise TradeDataError(
            "BACI needs its country-code file (country_codes_V*.csv) next to the data file "
            "or given with --country-codes",
            file=file,
        )
    codes, labels = read_country_codes(codes_path)
    products = find_product_codes(path)
    rows: pd.DataFrame | DirectRows
    coverage: pd.DataFrame | None = None
    read = 0
    if connection is not None:  # the store inserts the rows straight from the file
        rows = direct_rows(path, header, codes, products)
    else:
        con = duckdb.connect()
        try:
            _make_codes(con, codes)
            _stage(con, path)
            read = int(con.execute(f"SELECT count(*) FROM {RAW}").fetchall()[0][0])
            if products is not None:
                _check_products(con, products, file)
            coverage = _coverage(con)
            rows = con.execute(_rows_sql(ordered=True)).df()
        finally:
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
        presorted=connection is not None,
        labels=labels,
        read=read,
    )
