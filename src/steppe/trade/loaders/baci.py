"""Loader for CEPII BACI files (``t, i, j, k, v, q``).

BACI gives one reconciled value per exporter ``i``, importer ``j``, year ``t`` and HS
6-digit product ``k``: ``v`` in thousand US dollars (FOB) and ``q`` in metric tonnes.
Country codes are BACI's numeric codes, translated with the country-code file published
with each release (``country_codes_V*.csv``, columns ``country_code`` and
``country_iso3`` or ``iso_3digit_alpha``), found next to the data file or given explicitly.
Each row is stored once as an export of ``i`` to ``j``; the store reads it also as the
import of ``j`` from ``i`` (BACI has one figure for both sides, so mirror gaps are zero).
"""

from __future__ import annotations

import re
from pathlib import Path

import numpy as np
import pandas as pd

from steppe.countries import is_iso3
from steppe.errors import Problem, TradeDataError
from steppe.trade._schema import Staged, check_columns, check_numeric, raise_if

__all__ = ["BACI_COLUMNS", "find_country_codes", "read_baci"]

BACI_COLUMNS = ("t", "i", "j", "k", "v", "q")
_HS_VERSION = {"92": "H0", "96": "H1", "02": "H2", "07": "H3", "12": "H4", "17": "H5", "22": "H6"}
BACI_ATTRIBUTION = "CEPII BACI (Gaulier and Zignago 2010), Etalab Licence Ouverte 2.0"


def find_country_codes(path: Path) -> Path | None:
    """Return the BACI country-code file next to ``path``, if there is exactly one."""
    found = sorted(path.parent.glob("country_codes*.csv"))
    return found[-1] if found else None


def _read_codes(path: Path) -> dict[int, str]:
    file = str(path)
    codes = pd.read_csv(path, dtype=str, keep_default_na=False, encoding="latin-1")
    iso_col = next((c for c in ("country_iso3", "iso_3digit_alpha") if c in codes), None)
    check_columns(codes, ["country_code", iso_col or "country_iso3"], file)
    problems: list[Problem] = []
    number = check_numeric(codes, "country_code", file, problems)
    raise_if(problems)
    return dict(zip(number.astype(int), codes[str(iso_col)].str.strip(), strict=True))


def _slow_check(path: Path, file: str) -> list[Problem]:
    """Re-read every cell as text to locate the cells that are not numbers."""
    raw = pd.read_csv(path, dtype=str, keep_default_na=False)
    problems: list[Problem] = []
    for column in ("t", "i", "j", "k", "v"):
        check_numeric(raw, column, file, problems)
    check_numeric(raw, "q", file, problems, required=False)
    return problems


def read_baci(path: Path, *, country_codes: Path | None = None) -> Staged:
    """Read a BACI CSV file and its country-code file.

    Parameters
    ----------
    path
        The BACI data file, e.g. ``BACI_HS17_Y2022_V202401.csv``.
    country_codes
        The release's country-code file; default: ``country_codes*.csv`` beside ``path``.

    Returns
    -------
    Staged
        Export rows in USD (``v`` x 1000) with quantities in tonnes; coverage: every
        country, both flows, every partner, for each year present.

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
    head = pd.read_csv(path, nrows=0)
    check_columns(head, BACI_COLUMNS, file)
    codes_path = country_codes or find_country_codes(path)
    if codes_path is None:
        raise TradeDataError(
            "BACI needs its country-code file (country_codes_V*.csv) next to the data file "
            "or given with --country-codes",
            file=file,
        )
    codes = _read_codes(codes_path)
    try:
        data = pd.read_csv(
            path,
            usecols=list(BACI_COLUMNS),
            dtype={"t": "int16", "i": "int32", "j": "int32", "k": "int64", "v": "float64"},
            na_values={"q": ["NA", "", "           NA"]},
            keep_default_na=False,
        )
        data["q"] = pd.to_numeric(data["q"], errors="raise")
    except (ValueError, TypeError):
        problems = _slow_check(path, file)
        raise_if(problems or [Problem(file, "cannot read the file as BACI numbers")])
        raise
    problems = []
    for column in ("i", "j"):
        unknown = ~data[column].isin([c for c, iso in codes.items() if is_iso3(iso)])
        for r in np.flatnonzero(unknown.to_numpy())[:20]:
            problems.append(
                Problem(
                    file, f"unknown country code {data[column].to_numpy()[r]}", int(r) + 2, column
                )
            )
    if data["v"].isna().any():
        for r in np.flatnonzero(data["v"].isna().to_numpy())[:20]:
            problems.append(Problem(file, "missing value", int(r) + 2, "v"))
    dup = data.duplicated(["t", "i", "j", "k"])
    for r in np.flatnonzero(dup.to_numpy())[:20]:
        problems.append(
            Problem(file, "duplicate of an earlier row (same t, i, j, k)", int(r) + 2, "k")
        )
    raise_if(problems)
    iso = pd.Series(codes)
    version = re.search(r"HS(\d\d)", path.name)
    rows = pd.DataFrame(
        {
            "reporter": pd.Categorical(data["i"].map(iso)),
            "partner": pd.Categorical(data["j"].map(iso)),
            "year": data["t"],
            "commodity": pd.Categorical(data["k"].astype("string").str.zfill(6)),
            "value": data["v"] * 1000.0,
            "quantity": data["q"],
        }
    )
    years = sorted(int(y) for y in data["t"].unique())
    countries = {
        "export": sorted(set(rows["reporter"].unique())),
        "import": sorted(set(rows["partner"].unique())),
    }
    coverage = pd.DataFrame(
        [(c, "*", f, "A", y, 0) for y in years for f, cs in countries.items() for c in cs],
        columns=["reporter", "partner", "flow", "freq", "year", "month"],
    )
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
    )
