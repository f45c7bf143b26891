"""Loader for Eurostat Comext bulk files (``full_v2_YYYYMM.dat``, ``full_v2_YYYY52.dat``).

Columns (comma-separated; older releases name the value ``VALUE_IN_EUROS``): ``REPORTER``
and ``PARTNER`` (ISO 3166 alpha-2, with Eurostat's ``EL`` for Greece and ``XI`` for
Northern Ireland), ``TRADE_TYPE`` (I intra-EU, E extra-EU), ``PRODUCT_NC`` (CN8 code or
``TOTAL``), ``FLOW`` (1 import, 2 export), ``STAT_PROCEDURE``, ``PERIOD`` (``YYYYMM``, or
``YYYY52`` for the year), ``VALUE_EUR`` and ``QUANTITY_KG``.  Rows are split by statistical
procedure (and by ``SUPP_UNIT``); they are summed per reporter, partner, flow, period and
product.  Partners that are no country (``QP`` high seas, ``QQ``/``QR``/``QS``/``QU``/``QV``/
``QW``/``QX``/``QY``/``QZ`` stores, not determined, secret) are kept under their own codes
(``Q`` + letter), labelled.  Values in euros.
"""

from __future__ import annotations

from pathlib import Path

import pandas as pd
import pycountry

from steppe.errors import Problem
from steppe.trade._schema import (
    Staged,
    check_columns,
    check_duplicates,
    check_numeric,
    coverage_from_rows,
    raise_if,
)
from steppe.trade.loaders._read import read_table

__all__ = ["COMEXT_REQUIRED", "read_comext"]

COMEXT_REQUIRED = ("REPORTER", "PARTNER", "PRODUCT_NC", "FLOW", "PERIOD")
_VALUE = ("VALUE_EUR", "VALUE_IN_EUROS")
_QUANTITY = ("QUANTITY_KG", "QUANTITY_IN_KG")
_EUROSTAT_ALPHA2 = {"EL": "GRC", "UK": "GBR", "XI": "GBR", "XK": "XKX"}
# Eurostat's partner codes that are no country (GEONOM "Q" codes)
Q_CODES = {
    "QP": "High seas",
    "QQ": "Stores and provisions (intra-EU)",
    "QR": "Stores and provisions (extra-EU)",
    "QS": "Stores and provisions within the framework of trade with third countries",
    "QU": "Countries and territories not specified",
    "QV": "Countries and territories not specified (intra-EU)",
    "QW": "Countries and territories not specified (extra-EU)",
    "QX": "Countries and territories not specified for commercial or military reasons",
    "QY": "Secret countries (intra-EU)",
    "QZ": "Secret countries (extra-EU)",
}
ATTRIBUTION = "Eurostat Comext (ec.europa.eu/eurostat), reused with attribution"


def _iso3(code: str) -> str | None:
    if code in _EUROSTAT_ALPHA2:
        return _EUROSTAT_ALPHA2[code]
    if code in Q_CODES:
        return "X" + code
    country = pycountry.countries.get(alpha_2=code) if len(code) == 2 else None
    return country.alpha_3 if country is not None else None


def read_comext(path: Path) -> Staged:
    """Read a Comext bulk file.

    Parameters
    ----------
    path
        The ``.dat``/``.csv`` file (``.gz``/``.zip`` too).

    Returns
    -------
    Staged
        Rows in EUR by CN8 product (``classification`` CN); coverage: the partners listed
        for each reporter, flow and period.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "full_v2_202401.dat"
    >>> _ = f.write_text(
    ...     "REPORTER,PARTNER,TRADE_TYPE,PRODUCT_NC,FLOW,STAT_PROCEDURE,PERIOD,VALUE_EUR\\n"
    ...     "DE,KZ,E,84314980,2,1,202401,1500\\n"
    ... )
    >>> read_comext(f).rows[["reporter", "partner", "flow", "value"]].values.tolist()
    [['DEU', 'KAZ', 'export', 1500.0]]
    """
    file = str(path)
    raw = read_table(path)
    check_columns(raw, COMEXT_REQUIRED, file)
    value_col = next((c for c in _VALUE if c in raw), None)
    check_columns(raw, [value_col or _VALUE[0]], file)
    problems: list[Problem] = []
    codes: dict[str, dict[str, str | None]] = {}
    for column in ("REPORTER", "PARTNER"):
        mapping = {c: _iso3(c.upper()) for c in raw[column].unique()}
        codes[column] = mapping
        unknown = raw[column].map(mapping).isna()
        problems.extend(
            Problem(file, f"unknown country code {raw.loc[i, column]!r}", int(i) + 2, column)
            for i in unknown[unknown].index[:20]
        )
    flow = raw["FLOW"].map({"1": "import", "2": "export"})
    problems.extend(
        Problem(
            file,
            f"FLOW must be 1 (import) or 2 (export): {raw.loc[i, 'FLOW']!r}",
            int(i) + 2,
            "FLOW",
        )
        for i in flow[flow.isna()].index[:20]
    )
    period = raw["PERIOD"].str.extract(r"^((?:19|20)\d{2})(0[1-9]|1[0-2]|52)$")
    problems.extend(
        Problem(
            file, f"PERIOD must be YYYYMM or YYYY52: {raw.loc[i, 'PERIOD']!r}", int(i) + 2, "PERIOD"
        )
        for i in period[period[0].isna()].index[:20]
    )
    product = raw["PRODUCT_NC"].str.upper()
    bad = ~product.str.fullmatch(r"TOTAL|\d{2}|\d{4}|\d{6}|\d{8}")
    problems.extend(
        Problem(file, f"not a CN code: {raw.loc[i, 'PRODUCT_NC']!r}", int(i) + 2, "PRODUCT_NC")
        for i in bad[bad].index[:20]
    )
    value = check_numeric(raw, str(value_col), file, problems)
    problems.extend(
        Problem(file, "negative trade value", int(i) + 2, str(value_col))
        for i in value[value < 0].index[:20]
    )
    qty_col = next((c for c in _QUANTITY if c in raw), None)
    quantity = (
        check_numeric(raw, qty_col, file, problems, required=False)
        if qty_col
        else pd.Series(float("nan"), index=raw.index)
    )
    raise_if(problems)
    month = period[1].astype("int64")
    month = month.where(month != 52, 0)
    rows = pd.DataFrame(
        {
            "reporter": raw["REPORTER"].map(codes["REPORTER"]),
            "partner": raw["PARTNER"].map(codes["PARTNER"]),
            "flow": flow,
            "freq": month.map(lambda m: "M" if m else "A"),
            "year": period[0].astype("int64"),
            "month": month,
            "classification": product.map(lambda p: "TOTAL" if p == "TOTAL" else "CN"),
            "commodity": product,
            "value": value,
            "quantity": quantity,
        }
    )
    rows = rows[rows.reporter != rows.partner]  # Northern Ireland (XI) with the UK
    key = ["reporter", "partner", "flow", "freq", "year", "month", "classification", "commodity"]
    summed = rows.groupby(key, as_index=False).agg(
        value=("value", "sum"), quantity=("quantity", lambda q: q.sum(min_count=1))
    )
    summed["currency"] = "EUR"
    summed["unit"] = summed["quantity"].map(lambda q: None if pd.isna(q) else "kg")
    check_duplicates(summed, key, file, problems, "PRODUCT_NC")
    none = pd.Series(False, index=summed.index)
    labels = {"X" + q: name for q, name in Q_CODES.items() if "X" + q in set(summed.partner)}
    return Staged(
        format="comext",
        source_file=path.name,
        rows=summed,
        coverage=coverage_from_rows(summed, none),
        attribution=ATTRIBUTION,
        read=len(raw),
        dropped={"rows summed over statistical procedures": len(raw) - len(summed)},
        labels=labels,
    )
