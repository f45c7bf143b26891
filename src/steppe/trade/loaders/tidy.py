"""Loader for a plain tidy CSV: ``reporter, partner, flow, period, value[, ...]``.

Required columns: ``reporter``, ``partner`` (ISO 3166 alpha-3 codes, or names steppe can
resolve), ``flow`` (export, import, re-export, re-import), ``period`` (``2023`` for a year or
``2023-04`` for a month) and ``value``.  Optional: ``commodity`` (an HS code or ``TOTAL``,
the default), ``classification`` (default ``HS``), ``currency`` (default ``USD``),
``quantity`` and ``unit``.  A row with partner ``WLD`` (or ``World``) is a world total: it is
not stored, and it tells steppe the file lists every partner of that reporter, flow and period.
"""

from __future__ import annotations

import difflib
from pathlib import Path

import pandas as pd

from steppe.countries import resolve_country
from steppe.errors import MissingExtraError, Problem, TradeDataError, UnknownPlaceError
from steppe.trade._schema import (
    FLOWS,
    Staged,
    check_columns,
    check_duplicates,
    check_numeric,
    coverage_from_rows,
    raise_if,
    split_world,
)
from steppe.trade.loaders._read import check_header, read_table

__all__ = ["OPTIONAL_COLUMNS", "TIDY_COLUMNS", "read_tidy", "read_tidy_parquet"]

TIDY_COLUMNS = ("reporter", "partner", "flow", "period", "value")
OPTIONAL_COLUMNS = ("commodity", "classification", "currency", "quantity", "unit")
_WORLD = {"WLD", "WORLD", "W00"}


def _codes(column: pd.Series, name: str, file: str, problems: list[Problem]) -> pd.Series:
    mapping: dict[str, str] = {}
    for text in column.unique():
        if text.upper() in _WORLD:
            if name == "reporter":  # the World reports nothing; it is a partner's total
                i = int(column.index[column == text][0])
                problems.append(
                    Problem(file, f"the reporter must be a country, not {text!r}", i + 2, name)
                )
            mapping[text] = "WLD"
            continue
        try:
            mapping[text] = resolve_country(text)
        except UnknownPlaceError:
            i = int(column.index[column == text][0])
            problems.append(Problem(file, f"unknown country code {text!r}", i + 2, name))
    return column.map(mapping)


def read_tidy(path: Path) -> Staged:
    """Read a tidy trade CSV.

    Parameters
    ----------
    path
        The CSV file (see the module docstring for its columns).

    Returns
    -------
    Staged
        The normalised rows and their coverage.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "t.csv"
    >>> _ = f.write_text("reporter,partner,flow,period,value\\nKAZ,MNG,export,2023,5\\n")
    >>> read_tidy(f).rows[["reporter", "partner", "year", "value"]].values.tolist()
    [['KAZ', 'MNG', 2023, 5.0]]
    """
    return _normalise(read_table(path), str(path), path.name, "tidy")


def read_tidy_parquet(path: Path) -> Staged:
    """Read a tidy trade table stored as Parquet (the columns of :func:`read_tidy`).

    Parameters
    ----------
    path
        The ``.parquet`` file (needs the ``io`` extra: pyarrow).

    Returns
    -------
    Staged
        As :func:`read_tidy`; rows in messages count from 2 as in the CSV form.
    """
    try:
        import pyarrow.parquet as pq
    except ImportError as e:  # pragma: no cover - the io extra is in the test environment
        raise MissingExtraError("pyarrow", "io") from e
    try:
        table = pq.read_table(path)
    except Exception as e:  # pyarrow raises many types for a bad file
        raise TradeDataError(f"cannot read as Parquet: {e}", file=str(path)) from e
    names = [str(n).strip() for n in table.column_names]
    frame = table.to_pandas()
    frame.columns = names
    raw = frame.apply(lambda c: c.map(lambda v: "" if pd.isna(v) else str(v).strip()))
    check_header(names, str(path))
    return _normalise(raw.astype(object), str(path), path.name, "tidy-parquet")


def _normalise(raw: pd.DataFrame, file: str, name: str, fmt: str) -> Staged:
    raw.columns = [c.strip().lower() for c in raw.columns]
    check_columns(raw, TIDY_COLUMNS, file)
    known = (*TIDY_COLUMNS, *OPTIONAL_COLUMNS)
    unknown = [c for c in raw.columns if c not in known]
    raise_if(
        [
            Problem(
                file,
                f"unknown column {c!r}"
                + (
                    f" (did you mean {close[0]!r}?)"
                    if (close := difflib.get_close_matches(c, known, n=1))
                    else ""
                )
                + f"; a tidy file has {', '.join(known)}",
                1,
                c,
            )
            for c in unknown
        ]
    )
    problems: list[Problem] = []
    reporter = _codes(raw["reporter"], "reporter", file, problems)
    partner = _codes(raw["partner"], "partner", file, problems)
    flow = raw["flow"].str.lower()
    for i in flow[~flow.isin(FLOWS)].index[:20]:
        problems.append(Problem(file, f"flow must be one of {', '.join(FLOWS)}", i + 2, "flow"))
    ym = raw["period"].str.extract(r"^((?:19|20)\d{2})(?:-(0[1-9]|1[0-2]))?$")
    for i in ym[ym[0].isna()].index[:20]:
        problems.append(Problem(file, "period must be YYYY or YYYY-MM, 1900-2099", i + 2, "period"))
    value = check_numeric(raw, "value", file, problems)
    for i in value[value < 0].index[:20]:
        problems.append(
            Problem(file, f"negative trade value {raw.loc[i, 'value']!r}", i + 2, "value")
        )
    if "currency" in raw:
        cur = raw["currency"].str.upper()
        bad = ~cur.str.fullmatch(r"[A-Z]{3}")
        problems.extend(
            Problem(
                file,
                f"currency must be a 3-letter code: {raw.loc[i, 'currency']!r}",
                i + 2,
                "currency",
            )
            for i in bad[bad].index[:20]
        )
    if "commodity" in raw:
        com = raw["commodity"].str.upper()
        bad = ~com.str.fullmatch(r"TOTAL|\d{2}|\d{4}|\d{6}|\d{8,10}")
        problems.extend(
            Problem(
                file,
                f"commodity must be TOTAL or an HS code: {raw.loc[i, 'commodity']!r}",
                i + 2,
                "commodity",
            )
            for i in bad[bad].index[:20]
        )
    quantity = (
        check_numeric(raw, "quantity", file, problems, required=False)
        if "quantity" in raw
        else pd.Series(float("nan"), index=raw.index)
    )
    raise_if(problems)
    month = ym[1].fillna("0").astype("int64")
    rows = pd.DataFrame(
        {
            "reporter": reporter,
            "partner": partner,
            "flow": flow,
            "freq": month.map(lambda m: "M" if m else "A"),
            "year": ym[0].astype("int64"),
            "month": month,
            "classification": raw.get("classification", pd.Series("HS", index=raw.index)),
            "commodity": raw.get("commodity", pd.Series("TOTAL", index=raw.index)).str.upper(),
            "value": value,
            "currency": raw.get("currency", pd.Series("USD", index=raw.index)).str.upper(),
            "quantity": quantity,
            "unit": raw.get("unit", pd.Series("", index=raw.index)).replace("", None),
        }
    )
    rows.loc[rows.commodity == "TOTAL", "classification"] = "TOTAL"
    key = ["reporter", "partner", "flow", "year", "month", "classification", "commodity"]
    check_duplicates(rows, key, file, problems, "partner")
    raise_if(problems)
    world = rows.partner == "WLD"
    return Staged(
        format=fmt,
        source_file=name,
        rows=rows[~world].reset_index(drop=True),
        coverage=coverage_from_rows(rows, world),
        world=split_world(rows, world),
        read=len(raw),
    )
