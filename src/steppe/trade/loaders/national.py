"""Loaders for the national and Eurostat tables shipped with steppe.

* Kazakhstan Bureau of National Statistics (BNS), "Main indicators of foreign trade by
  country": yearly exports and imports of Kazakhstan with each partner, thousand USD.
  Aggregate rows (world, continents, EU, EAEU, CIS) are dropped: groups are defined by
  membership (:mod:`steppe.trade.groups`), never stored as rows.
* Eurostat Comext, monthly exports of each EU member state to one partner, EUR.  Aggregate
  reporters (EU27, EU, euro area) are dropped.  Comext leaves out zero flows, so a member's
  missing month counts as zero for the months it was an EU member.
"""

from __future__ import annotations

import re
from datetime import date
from pathlib import Path

import pandas as pd

from steppe.countries import resolve_country
from steppe.errors import Problem, TradeDataError, UnknownPlaceError
from steppe.trade._schema import (
    Staged,
    check_columns,
    check_countries,
    check_duplicates,
    check_numeric,
    raise_if,
)
from steppe.trade.groups import GROUPS
from steppe.trade.loaders._read import read_table

__all__ = ["BNS_COLUMNS", "EUROSTAT_COLUMNS", "read_bns", "read_eurostat"]

BNS_COLUMNS = ("year", "partner_ru", "iso3", "is_aggregate", "export_kusd", "import_kusd")
EUROSTAT_COLUMNS = ("period", "reporter", "partner", "flow", "value_eur")

BNS_ATTRIBUTION = (
    "Bureau of National Statistics of the Republic of Kazakhstan (stat.gov.kz), "
    "'Main indicators of foreign trade by country', 2019-2023 editions"
)
EUROSTAT_ATTRIBUTION = "Eurostat Comext (ec.europa.eu/eurostat), reused with attribution"

_AGGREGATE = re.compile(r"^(euro area|european union|eu\d*\b|eu$)", re.IGNORECASE)


def read_bns(path: Path) -> Staged:
    """Read a BNS partner table (``year, partner_ru, iso3, is_aggregate, export_kusd, ...``).

    Parameters
    ----------
    path
        The CSV file.

    Returns
    -------
    Staged
        Yearly export and import rows of KAZ in USD; coverage: every partner, every year.

    Examples
    --------
    >>> from steppe.trade.embedded import embedded_path
    >>> staged = read_bns(embedded_path("kz_bns_trade_by_partner_2018_2023.csv"))
    >>> sorted(staged.rows.flow.unique())
    ['export', 'import']
    """
    file = str(path)
    raw = read_table(path)
    check_columns(raw, BNS_COLUMNS, file)
    problems: list[Problem] = []
    years = check_numeric(raw, "year", file, problems)
    flag = raw["is_aggregate"].str.strip().str.lower()
    bad_flag = ~flag.isin(["true", "false"])
    problems.extend(
        Problem(file, "is_aggregate must be True or False", int(i) + 2, "is_aggregate")
        for i in bad_flag[bad_flag].index[:20]
    )
    keep = flag == "false"
    problems.extend(
        Problem(
            file,
            f"year must be a whole year 1990..2100: {raw.loc[i, 'year']!r}",
            int(i) + 2,
            "year",
        )
        for i in years[~(years.between(1990, 2100) & (years % 1 == 0)) & years.notna()].index[:20]
    )
    exports = check_numeric(raw, "export_kusd", file, problems, required=False)
    imports = check_numeric(raw, "import_kusd", file, problems, required=False)
    for column, values in (("export_kusd", exports), ("import_kusd", imports)):
        problems.extend(
            Problem(file, f"negative trade value {raw.loc[i, column]!r}", int(i) + 2, column)
            for i in values[values < 0].index[:20]
        )
    iso3 = raw["iso3"].str.strip()
    check_countries(iso3[keep], "iso3", file, problems)
    check_duplicates(
        pd.DataFrame({"y": years, "p": iso3})[keep], ["y", "p"], file, problems, "iso3"
    )
    raise_if(problems)
    parts = []
    for flow, values in (("export", exports), ("import", imports)):
        # BNS leaves a cell blank when there was no trade in that direction: zero, not unknown.
        parts.append(
            pd.DataFrame(
                {
                    "partner": iso3[keep],
                    "flow": flow,
                    "year": years[keep].astype("int64"),
                    "value": values[keep].fillna(0.0) * 1000.0,
                }
            )
        )
    rows = pd.concat(parts, ignore_index=True)
    years_seen = sorted(rows["year"].unique())
    coverage = pd.DataFrame(
        [("KAZ", "*", f, "A", int(y), 0) for y in years_seen for f in ("export", "import")],
        columns=["reporter", "partner", "flow", "freq", "year", "month"],
    )
    return Staged(
        format="kz-bns",
        source_file=path.name,
        rows=rows,
        coverage=coverage,
        attribution=BNS_ATTRIBUTION,
        constants={
            "reporter": "KAZ",
            "freq": "A",
            "month": 0,
            "classification": "TOTAL",
            "commodity": "TOTAL",
            "currency": "USD",
        },
        read=len(raw),
        dropped={"aggregate rows (groups are expanded, never stored)": int((~keep).sum())},
    )


def _eurostat_country(name: str) -> str:
    """Resolve a Comext reporter label such as "France (incl. Saint Barthélemy ...)"."""
    try:
        return resolve_country(name)
    except UnknownPlaceError:
        return resolve_country(re.sub(r"\s*\(.*\)\s*$", "", name))


def read_eurostat(path: Path) -> Staged:
    """Read a Comext monthly extract (``period, reporter, partner, flow, value_eur``).

    Parameters
    ----------
    path
        The CSV file; ``period`` is ``YYYY-MM``; reporters and partners are English names.

    Returns
    -------
    Staged
        Monthly rows in EUR; coverage: each member state, for every month of the file in
        which it was an EU member, for the partners and flows the file holds.

    Examples
    --------
    >>> from steppe.trade.embedded import embedded_path
    >>> staged = read_eurostat(embedded_path("eurostat_eu_exports_to_kaz_monthly_2019_2024.csv"))
    >>> sorted(staged.rows.partner.unique()), "EU27" in set(staged.rows.reporter)
    (['KAZ'], False)
    """
    file = str(path)
    raw = read_table(path)
    check_columns(raw, EUROSTAT_COLUMNS, file)
    problems: list[Problem] = []
    keep = ~raw["reporter"].str.strip().str.match(_AGGREGATE)
    data = raw[keep]
    value = check_numeric(data, "value_eur", file, problems)
    for i in value[value < 0].index[:20]:
        problems.append(Problem(file, "negative trade value", int(i) + 2, "value_eur"))
    period = data["period"].str.strip()
    ym = period.str.extract(r"^((?:19|20)\d{2})-(0[1-9]|1[0-2])$")
    for i in ym[ym[0].isna()].index[:20]:
        problems.append(
            Problem(file, f"period must be YYYY-MM, not {period[i]!r}", i + 2, "period")
        )
    codes: dict[str, dict[str, str]] = {"reporter": {}, "partner": {}}
    for column, mapping in codes.items():
        for name in data[column].unique():
            try:
                mapping[name] = _eurostat_country(name)
            except UnknownPlaceError as exc:
                i = int(data.index[data[column] == name][0])
                problems.append(Problem(file, str(exc), i + 2, column))
    flow = data["flow"].str.strip().str.lower()
    for i in flow[~flow.isin(["export", "import"])].index[:20]:
        problems.append(Problem(file, f"flow must be export or import: {flow[i]!r}", i + 2, "flow"))
    raise_if(problems)
    rows = pd.DataFrame(
        {
            "reporter": data["reporter"].map(codes["reporter"]),
            "partner": data["partner"].map(codes["partner"]),
            "flow": flow,
            "year": ym[0].astype("int64"),
            "month": ym[1].astype("int64"),
            "value": value,
        }
    )
    check_duplicates(
        rows, ["reporter", "partner", "flow", "year", "month"], file, problems, "period"
    )
    raise_if(problems)
    if rows.empty:
        raise TradeDataError("the file holds no member state's rows (only aggregates)", file=file)
    months = sorted({(int(y), int(m)) for y, m in zip(rows.year, rows.month, strict=True)})
    span = pd.period_range(
        f"{months[0][0]}-{months[0][1]:02d}", f"{months[-1][0]}-{months[-1][1]:02d}", freq="M"
    )
    eu = {m.iso3: m for m in GROUPS["EU"].members}
    cov = []
    for (reporter, partner, fl), _ in rows.groupby(["reporter", "partner", "flow"]):
        member = eu.get(str(reporter))
        for p in span:
            if member is None or member.on(date(p.year, p.month, p.days_in_month)):
                cov.append((reporter, partner, fl, "M", p.year, p.month))
    coverage = pd.DataFrame(cov, columns=["reporter", "partner", "flow", "freq", "year", "month"])
    return Staged(
        format="eurostat",
        source_file=path.name,
        rows=rows.reset_index(drop=True),
        coverage=coverage,
        attribution=EUROSTAT_ATTRIBUTION,
        constants={"freq": "M", "classification": "TOTAL", "commodity": "TOTAL", "currency": "EUR"},
        read=len(raw),
        dropped={"EU aggregates (groups are expanded, never stored)": int((~keep).sum())},
    )
