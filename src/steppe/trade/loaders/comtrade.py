"""Loaders for UN Comtrade files: the API's CSV and JSON, website exports and bulk files.

Four layouts, one normalisation:

* ``comtrade``: the Comtrade+ API CSV and the website's CSV export (columns
  ``reporterISO``, ``partnerISO``, ``flowCode``, ``cmdCode``, ``primaryValue``, ``refYear``
  [``refMonth``] or ``period``, ...), in any encoding the site writes (UTF-8 with or
  without a byte-order mark, cp1252, latin-1);
* ``comtrade-json``: the API's JSON answer, ``{"count": n, "data": [{...}, ...]}``;
* ``comtrade-bulk``: the bulk files, tab-separated, countries as numbers
  (``reporterCode``, ``partnerCode``; M49 with Comtrade's own numbers), ``.gz`` or ``.zip``;
* ``comtrade-legacy``: the classic website export (``Reporter ISO``, ``Partner ISO``,
  ``Trade Flow Code`` 1-4, ``Commodity Code``, ``Trade Value (US$)``).

Used when present: ``freqCode`` (A/M), ``classificationCode`` (H0..H6, default ``HS``),
``netWgt`` (kg) and the breakdown columns ``partner2ISO``/``partner2Code``, ``customsCode``,
``motCode``.  Only totals over the breakdowns are kept (second partner World, customs C00,
mode 0), so nothing is counted twice.  Flows X, M, RX, RM become export, import, re-export,
re-import; other flow codes (DX, FM, ...) are subsets of these and are left out (counted in
the load report).  Partner World (``W00``, code 0) is the reporter's world total: kept as
the denominator of shares, never as a partner.  Areas that are no country (490 "Other
Asia, nes", 899 "Areas, nes", ...) are kept under their own codes (:mod:`steppe.trade.codes`).
Values are in US dollars.
"""

from __future__ import annotations

import json
import logging
import re
from pathlib import Path

import pandas as pd

from steppe.errors import Problem, TradeDataError
from steppe.trade._schema import (
    Staged,
    check_columns,
    check_countries,
    check_duplicates,
    check_numeric,
    coverage_from_rows,
    raise_if,
    split_world,
)
from steppe.trade.codes import NON_ISO, from_m49
from steppe.trade.loaders._read import open_bytes, read_table

__all__ = [
    "BULK_REQUIRED",
    "COMTRADE_REQUIRED",
    "LEGACY_REQUIRED",
    "normalise_comtrade",
    "read_comtrade",
    "read_comtrade_bulk",
    "read_comtrade_json",
    "read_comtrade_legacy",
]

logger = logging.getLogger(__name__)

COMTRADE_REQUIRED = ("reporterISO", "partnerISO", "flowCode", "cmdCode", "primaryValue")
BULK_REQUIRED = ("reporterCode", "partnerCode", "flowCode", "cmdCode", "primaryValue")
LEGACY_REQUIRED = ("Reporter ISO", "Partner ISO", "Trade Flow Code", "Commodity Code")
_FLOWS = {"X": "export", "M": "import", "RX": "re-export", "RM": "re-import"}
_LEGACY_FLOWS = {"1": "M", "2": "X", "3": "RX", "4": "RM"}
_TOTALS = {
    "partner2ISO": {"W00", "WLD", ""},
    "partner2Code": {"0", ""},
    "customsCode": {"C00", ""},
    "motCode": {"0", ""},
}
_WORLD = {"W00", "WLD"}
ATTRIBUTION = "UN Comtrade (comtradeplus.un.org), user extract"


def _period(raw: pd.DataFrame, file: str, problems: list[Problem]) -> tuple[pd.Series, pd.Series]:
    """Return (year, month) columns; month 0 for yearly data."""
    if "refYear" in raw:
        year = check_numeric(raw, "refYear", file, problems)
        month = (
            check_numeric(raw, "refMonth", file, problems, required=False).fillna(0)
            if "refMonth" in raw
            else pd.Series(0.0, index=raw.index)
        )
        month = month.where(month.between(1, 12), 0)  # Comtrade writes 52 for a year
    elif "period" in raw:
        parts = raw["period"].str.extract(r"^(\d{4})(\d{2})?$")
        bad = parts[0].isna() | ~pd.to_numeric(parts[1], errors="coerce").fillna(1).between(1, 12)
        for i in bad[bad].index[:20]:
            problems.append(Problem(file, "period must be YYYY or YYYYMM", int(i) + 2, "period"))
        year = pd.to_numeric(parts[0], errors="coerce")
        month = pd.to_numeric(parts[1], errors="coerce").fillna(0)
    else:
        raise_if(
            [Problem(file, "missing required column 'refYear' (or 'period')", None, "refYear")]
        )
    bad_year = ~year.between(1900, 2100) & year.notna()
    for i in bad_year[bad_year].index[:20]:
        col = "refYear" if "refYear" in raw else "period"
        problems.append(Problem(file, "year out of range 1900..2100", int(i) + 2, col))
    if "freqCode" in raw:
        annual = raw["freqCode"].str.upper() == "A"
        month = month.where(~annual, 0)
    return year, month


def _partner_codes(data: pd.DataFrame, column: str, code_column: str) -> pd.Series:
    """ISO3 codes, with the non-country areas under their own codes (by their numbers)."""
    codes = data[column].str.upper()
    if code_column in data:
        numbers = pd.to_numeric(data[code_column], errors="coerce")
        for number, (code, _) in NON_ISO.items():
            codes = codes.mask(numbers == number, code)
        codes = codes.mask(numbers == 0, "W00")
    return codes


def normalise_comtrade(raw: pd.DataFrame, file: str, *, fmt: str, name: str) -> Staged:
    """Normalise Comtrade rows in the API's column names (see the module docstring).

    Parameters
    ----------
    raw
        Text cells, index = spreadsheet row - 2.
    file
        The file, for messages.
    fmt
        The layout name to record.
    name
        The file name to record.

    Returns
    -------
    Staged
        Rows in USD, the world totals and the coverage.
    """
    check_columns(raw, COMTRADE_REQUIRED, file)
    read = len(raw)
    keep = pd.Series(True, index=raw.index)
    dropped: dict[str, int] = {}
    for column, totals in _TOTALS.items():
        if column in raw:
            part = ~raw[column].isin(totals)
            dropped[f"breakdown by {column}"] = int((keep & part).sum())
            keep &= ~part
    flow = raw["flowCode"].str.upper().map(_FLOWS)
    other = keep & flow.isna()
    dropped["other flow codes (subsets of X/M)"] = int(other.sum())
    keep &= flow.notna()
    data = raw[keep]
    problems: list[Problem] = []
    year, month = _period(data, file, problems)
    value = check_numeric(data, "primaryValue", file, problems)
    negative = value < 0
    problems.extend(
        Problem(
            file, f"negative trade value {raw.loc[i, 'primaryValue']!r}", int(i) + 2, "primaryValue"
        )
        for i in negative[negative].index[:20]
    )
    weight = (
        check_numeric(data, "netWgt", file, problems, required=False)
        if "netWgt" in data
        else pd.Series(float("nan"), index=data.index)
    )
    reporter = _partner_codes(data, "reporterISO", "reporterCode")
    partner = _partner_codes(data, "partnerISO", "partnerCode")
    non_iso = [code for code, _ in NON_ISO.values()]
    check_countries(reporter, "reporterISO", file, problems, allow=non_iso)
    check_countries(partner, "partnerISO", file, problems, allow=[*non_iso, *_WORLD])
    commodity = data["cmdCode"].str.upper()
    bad_cmd = ~commodity.str.fullmatch(r"TOTAL|\d{2}|\d{4}|\d{6}|\d{8,10}")
    problems.extend(
        Problem(file, f"not an HS code: {commodity[i]!r}", int(i) + 2, "cmdCode")
        for i in bad_cmd[bad_cmd].index[:20]
    )
    raise_if(problems)
    classification = data.get("classificationCode", pd.Series("HS", index=data.index))
    rows = pd.DataFrame(
        {
            "reporter": reporter,
            "partner": partner.replace({"WLD": "W00"}),
            "flow": flow[keep],
            "freq": month.map(lambda m: "M" if m else "A"),
            "year": year.astype("int64"),
            "month": month.astype("int64"),
            "classification": classification.where(commodity != "TOTAL", "TOTAL"),
            "commodity": commodity,
            "value": value,
            "currency": "USD",
            "quantity": weight,
            "unit": weight.map(lambda w: None if pd.isna(w) else "kg"),
        }
    )
    key = ["reporter", "partner", "flow", "year", "month", "classification", "commodity"]
    check_duplicates(rows, key, file, problems, "cmdCode")
    raise_if(problems)
    world = rows.partner == "W00"
    return Staged(
        format=fmt,
        source_file=name,
        rows=rows[~world].reset_index(drop=True),
        coverage=coverage_from_rows(rows, world),
        world=split_world(rows, world),
        attribution=ATTRIBUTION,
        read=read,
        dropped={k: v for k, v in dropped.items() if v},
    )


def read_comtrade(path: Path) -> Staged:
    """Read a Comtrade+ API CSV or website CSV export (any of its encodings).

    Parameters
    ----------
    path
        The CSV file (``.gz``/``.zip`` too).

    Returns
    -------
    Staged
        Normalised rows in USD, the world totals and the coverage.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "c.csv"
    >>> _ = f.write_text(
    ...     "refYear,reporterISO,partnerISO,flowCode,cmdCode,primaryValue\\n"
    ...     "2023,MNG,KAZ,M,TOTAL,9000\\n"
    ... )
    >>> read_comtrade(f).rows[["reporter", "flow", "value"]].values.tolist()
    [['MNG', 'import', 9000.0]]
    """
    return normalise_comtrade(read_table(path), str(path), fmt="comtrade", name=path.name)


def _cell(value: object) -> str:
    if value is None:
        return ""
    if isinstance(value, bool):
        return str(value)
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def read_comtrade_json(path: Path) -> Staged:
    """Read the Comtrade API's JSON answer (``{"count": ..., "data": [...]}``).

    Parameters
    ----------
    path
        The ``.json`` file (``.gz`` too), as the API returns it.

    Returns
    -------
    Staged
        As :func:`read_comtrade`; row numbers in messages count the records from 2.
    """
    file = str(path)
    try:
        doc = json.loads(open_bytes(path).decode("utf-8-sig"))
    except (UnicodeDecodeError, json.JSONDecodeError) as e:
        raise TradeDataError(f"not a JSON document: {e}", file=file) from e
    if not isinstance(doc, dict) or not isinstance(doc.get("data"), list):
        raise TradeDataError("expected the API's object with a 'data' list", file=file)
    if doc.get("error"):
        raise TradeDataError(f"the API answered with an error: {doc['error']}", file=file)
    records = doc["data"]
    bad = [i for i, r in enumerate(records) if not isinstance(r, dict)]
    if bad:
        raise TradeDataError([Problem(file, "a record is not an object", i + 2) for i in bad[:20]])
    if not records:
        raise TradeDataError("the answer holds no records (count 0)", file=file)
    columns = list(dict.fromkeys(k for r in records for k in r))
    raw = pd.DataFrame(
        [[_cell(r.get(c)).strip() for c in columns] for r in records], columns=columns, dtype=object
    )
    return normalise_comtrade(raw, file, fmt="comtrade-json", name=path.name)


def read_comtrade_bulk(path: Path) -> Staged:
    """Read a Comtrade bulk file: tab-separated, countries as numbers, often ``.gz``/``.zip``.

    Parameters
    ----------
    path
        The bulk file (``.txt``, ``.tsv``, ``.gz`` or ``.zip``).

    Returns
    -------
    Staged
        As :func:`read_comtrade`.  A number that is neither a country (M49 or one of
        Comtrade's own) nor a known area is refused with its row.
    """
    file = str(path)
    raw = read_table(path)
    check_columns(raw, BULK_REQUIRED, file)
    problems: list[Problem] = []
    for column in ("reporterCode", "partnerCode"):
        numbers = pd.to_numeric(raw[column], errors="coerce")
        iso = numbers.map(lambda n: None if pd.isna(n) else ("W00" if n == 0 else from_m49(n)))
        unknown = iso.isna()
        problems.extend(
            Problem(file, f"unknown country number {raw.loc[i, column]!r}", int(i) + 2, column)
            for i in unknown[unknown].index[:20]
        )
        raw[column.replace("Code", "ISO")] = iso
    raise_if(problems)
    return normalise_comtrade(raw, file, fmt="comtrade-bulk", name=path.name)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9]", "", name.lower())


_LEGACY = {
    "year": "refYear",
    "period": "period",
    "tradeflowcode": "flowCode",
    "reporteriso": "reporterISO",
    "reportercode": "reporterCode",
    "partneriso": "partnerISO",
    "partnercode": "partnerCode",
    "2ndpartneriso": "partner2ISO",
    "customsproccode": "customsCode",
    "modeoftransportcode": "motCode",
    "commoditycode": "cmdCode",
    "classification": "classificationCode",
    "netweightkg": "netWgt",
    "tradevalueus": "primaryValue",
}


def read_comtrade_legacy(path: Path) -> Staged:
    """Read the classic Comtrade website export (``Reporter ISO``, ``Trade Value (US$)``, ...).

    Parameters
    ----------
    path
        The CSV file, in any of the site's encodings.

    Returns
    -------
    Staged
        As :func:`read_comtrade`.
    """
    file = str(path)
    raw = read_table(path)
    renames = {c: _LEGACY[_key(c)] for c in raw.columns if _key(c) in _LEGACY}
    raw = raw.rename(columns=renames)
    if "refYear" in raw and "period" in raw:
        raw = raw.drop(columns="refYear")  # the period says the month of monthly data
    check_columns(raw, ("reporterISO", "partnerISO", "flowCode", "cmdCode", "primaryValue"), file)
    codes = raw["flowCode"].map(_LEGACY_FLOWS)
    raw["flowCode"] = codes.fillna("other " + raw["flowCode"])
    return normalise_comtrade(raw, file, fmt="comtrade-legacy", name=path.name)
