"""Loader for UN Comtrade CSV exports (the current data API and bulk files).

Required columns: ``reporterISO``, ``partnerISO``, ``flowCode``, ``cmdCode``,
``primaryValue`` and the period, as ``refYear`` (with ``refMonth`` for monthly data) or as
``period`` (``2023`` or ``202304``).  Used when present: ``freqCode`` (A/M),
``classificationCode`` (H0..H6, default ``HS``), ``netWgt`` (kg), ``qty`` with
``qtyUnitAbbr``, and the breakdown columns ``partner2ISO``, ``customsCode``, ``motCode``.

Only totals over the breakdowns are kept (``partner2ISO`` W00, ``customsCode`` C00,
``motCode`` 0) so nothing is counted twice.  Flows X, M, RX, RM become export, import,
re-export, re-import; other flow codes (DX, FM, ...) are subsets of these and are skipped.
Partner ``W00`` (World) is a total: not stored, it marks the reporter's data as listing every
partner.  Values are in US dollars.
"""

from __future__ import annotations

import logging
from pathlib import Path

import pandas as pd

from steppe.errors import Problem
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

__all__ = ["COMTRADE_REQUIRED", "read_comtrade"]

logger = logging.getLogger(__name__)

COMTRADE_REQUIRED = ("reporterISO", "partnerISO", "flowCode", "cmdCode", "primaryValue")
_FLOWS = {"X": "export", "M": "import", "RX": "re-export", "RM": "re-import"}
_TOTALS = {"partner2ISO": {"W00", ""}, "customsCode": {"C00", ""}, "motCode": {"0", ""}}


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
        for i in parts[parts[0].isna()].index[:20]:
            problems.append(Problem(file, "period must be YYYY or YYYYMM", i + 2, "period"))
        year = pd.to_numeric(parts[0], errors="coerce")
        month = pd.to_numeric(parts[1], errors="coerce").fillna(0)
    else:
        raise_if(
            [Problem(file, "missing required column 'refYear' (or 'period')", None, "refYear")]
        )
    if "freqCode" in raw:
        annual = raw["freqCode"].str.upper() == "A"
        month = month.where(~annual, 0)
    return year, month


def read_comtrade(path: Path) -> Staged:
    """Read a UN Comtrade CSV export.

    Parameters
    ----------
    path
        The CSV file.

    Returns
    -------
    Staged
        Normalised rows in USD and their coverage.

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
    file = str(path)
    raw = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="utf-8-sig")
    raw = raw.apply(lambda c: c.str.strip())
    check_columns(raw, COMTRADE_REQUIRED, file)
    keep = pd.Series(True, index=raw.index)
    for column, totals in _TOTALS.items():
        if column in raw:
            keep &= raw[column].isin(totals)
    flow = raw["flowCode"].str.upper().map(_FLOWS)
    skipped = int((keep & flow.isna()).sum())
    if skipped:
        logger.info("%s: skipped %d rows with other flow codes (subsets of X/M)", file, skipped)
    keep &= flow.notna()
    data = raw[keep]
    problems: list[Problem] = []
    year, month = _period(data, file, problems)
    value = check_numeric(data, "primaryValue", file, problems)
    weight = (
        check_numeric(data, "netWgt", file, problems, required=False)
        if "netWgt" in data
        else pd.Series(float("nan"), index=data.index)
    )
    check_countries(data["reporterISO"], "reporterISO", file, problems)
    check_countries(data["partnerISO"], "partnerISO", file, problems, allow=["W00"])
    raise_if(problems)
    commodity = data["cmdCode"].str.upper()
    classification = data.get("classificationCode", pd.Series("HS", index=data.index))
    rows = pd.DataFrame(
        {
            "reporter": data["reporterISO"],
            "partner": data["partnerISO"],
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
        format="comtrade",
        source_file=path.name,
        rows=rows[~world].reset_index(drop=True),
        coverage=coverage_from_rows(rows, world),
        world=split_world(rows, world),
        attribution="UN Comtrade (comtradeplus.un.org), user extract",
    )
