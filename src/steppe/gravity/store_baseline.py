"""A GE baseline trade matrix built from the trade store (the user's own BACI or Comtrade data).

One year's total bilateral flows are read from the store's ``totals`` table (the sum at the
coarsest commodity level each file has: its ``TOTAL`` rows, else its chapters, ...), converted
to USD, scaled to million USD, and completed with domestic flows
``X_ii = max(GDP_i - exports_i, floor_share * GDP_i)`` (:func:`add_domestic_flows`).

Which report of a pair is used (``reporter_side``):

``exporter`` (default)
    The exporter's reported exports (FOB).  A country that reports no exports at all that
    year is read from its partners' reported imports instead (logged).
``importer``
    The importer's reported imports (CIF, usually a few percent higher), with the same
    fallback to the partners' reported exports.
``mirror-max``
    The larger of the two reports where both exist, else the one there is.

BACI has one reconciled figure per pair (stored as the exporter's export and read as the
importer's import), so the three give the same matrix.  Where several datasets hold the
same reporter, partner and flow for the year, the one loaded last among those covering the
whole year answers (as for every trade query: a file you load overrides the embedded data);
monthly data count only when all twelve months are covered.
"""

from __future__ import annotations

import logging
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from steppe.countries import is_iso3
from steppe.errors import ConfigError, DataFileError, Problem, TradeDataError
from steppe.gravity.data import add_domestic_flows, load_dataset
from steppe.trade.rates import RateTable, convert_values
from steppe.trade.store import TradeStore

__all__ = ["FOCUS_COUNTRIES", "ReporterSide", "baseline_from_store", "read_gdp_table"]

logger = logging.getLogger(__name__)

ReporterSide = Literal["exporter", "importer", "mirror-max"]
SIDES: tuple[str, ...] = ("exporter", "importer", "mirror-max")
FOCUS_COUNTRIES: tuple[str, ...] = ("KAZ", "MNG")
HMR_YEAR = 2006

# The year's total of each reporter, partner and flow, from the dataset that answers it as
# every trade query does: the one loaded last among those covering the whole year for that
# reporter, flow and partner (annual data, or monthly data covering all twelve months).
# A covering dataset without a row for the pair reports zero trade.  Parameter: the year.
_FULL_YEAR_SQL = """
WITH pieces AS (
    SELECT dataset, reporter, partner, flow, freq, currency, year, sum(value)::DOUBLE AS value
    FROM totals
    WHERE year = $1 AND flow IN ('export', 'import') AND reporter <> partner
    GROUP BY ALL
), keys AS (
    SELECT DISTINCT reporter, partner, flow FROM pieces
), covered AS (
    SELECT k.reporter, k.partner, k.flow, c.dataset, d.seq
    FROM keys k
    JOIN coverage c
      ON c.reporter = k.reporter AND c.flow = k.flow AND c.year = $1
     AND c.partner IN ('*', k.partner)
    JOIN datasets d ON d.dataset = c.dataset
    GROUP BY ALL
    HAVING bool_or(c.freq = 'A') OR count(DISTINCT c.month) FILTER (WHERE c.freq = 'M') = 12
), chosen AS (
    SELECT reporter, partner, flow, arg_max(dataset, seq) AS dataset
    FROM covered GROUP BY ALL
)
SELECT p.*, c.dataset IS NOT NULL AS answered
FROM pieces p
LEFT JOIN chosen c USING (reporter, partner, flow)
WHERE c.dataset IS NULL OR c.dataset = p.dataset
"""


def read_gdp_table(source: str | Path | pd.DataFrame) -> pd.Series:
    """Read GDP by country (``iso3``, ``gdp`` in million USD) from a CSV file or a table.

    Parameters
    ----------
    source
        A CSV path or a DataFrame with columns ``iso3`` and ``gdp``.

    Returns
    -------
    pandas.Series
        GDP in million USD indexed by ISO3 code.

    Raises
    ------
    DataFileError
        Every missing column, unknown code, duplicate or non-positive GDP, with its row.

    Examples
    --------
    >>> read_gdp_table(pd.DataFrame({"iso3": ["KAZ"], "gdp": [225000.0]})).to_dict()
    {'KAZ': 225000.0}
    """
    if isinstance(source, pd.DataFrame):
        df, file = source, "<gdp table>"
    else:
        file = str(source)
        if not Path(source).is_file():
            raise DataFileError("no such GDP file", file=file)
        try:
            df = pd.read_csv(source, dtype={"iso3": str}, comment="#")
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
            raise DataFileError(f"cannot read CSV: {exc}", file=file) from exc
    missing = [c for c in ("iso3", "gdp") if c not in df.columns]
    if missing:
        raise DataFileError(
            [Problem(file=file, column=c, message="required column is missing") for c in missing]
        )
    problems: list[Problem] = []
    codes = df["iso3"].astype("string").str.strip().str.upper()
    gdp = pd.to_numeric(df["gdp"], errors="coerce")
    for i, (code, value) in enumerate(zip(codes, gdp, strict=True)):
        row = i + 2
        if pd.isna(code) or not is_iso3(str(code)):
            problems.append(Problem(file, f"unknown ISO3 code {df['iso3'].iloc[i]!r}", row, "iso3"))
        if not np.isfinite(value) or value <= 0:
            problems.append(
                Problem(file, f"gdp must be a number > 0, got {df['gdp'].iloc[i]!r}", row, "gdp")
            )
    for dup in np.flatnonzero(codes.duplicated().to_numpy()):
        problems.append(Problem(file, f"duplicate country {codes.iloc[dup]}", int(dup) + 2, "iso3"))
    if problems:
        raise DataFileError(problems)
    return pd.Series(gdp.to_numpy(dtype=float), index=codes.astype(str).to_numpy(), name="gdp")


def _hmr_gdp() -> pd.Series:
    hmr = load_dataset("hmr-2006")
    return hmr.groupby("exporter")["gdp_o"].first().astype(float).rename("gdp")


def _year_flows(store: TradeStore, year: int, rates: RateTable | None) -> pd.DataFrame:
    """The year's totals, one row per reporter, partner and flow, in USD."""
    pieces = store.sql(_FULL_YEAR_SQL, [year])
    if pieces.empty:
        years = store.sql("SELECT DISTINCT year FROM totals ORDER BY year")["year"].tolist()
        held = ", ".join(map(str, years)) if years else "none"
        raise TradeDataError(
            f"the trade store has no trade flows for {year} (years held: {held}); "
            "load that year's BACI or Comtrade file with `steppe trade load`",
            file="trade store",
        )
    partial = ~pieces["answered"]
    if partial.any():
        logger.info(
            "%d reporter-partner-flow totals cover part of %d only (monthly data); left out",
            int(partial.sum()),
            year,
        )
    pieces = pieces.loc[~partial]
    pieces = convert_values(pieces, "USD", rates)
    return pieces[["reporter", "partner", "flow", "value"]].reset_index(drop=True)


def _pick_side(flows: pd.DataFrame, side: str) -> pd.DataFrame:
    """One USD value per exporter-importer pair from the reports of ``side``."""
    keys = ["exporter", "importer"]
    exp = flows.loc[flows["flow"] == "export"].rename(
        columns={"reporter": "exporter", "partner": "importer"}
    )[[*keys, "value"]]
    imp = flows.loc[flows["flow"] == "import"].rename(
        columns={"reporter": "importer", "partner": "exporter"}
    )[[*keys, "value"]]
    if side == "mirror-max":
        both = exp.merge(imp, on=keys, how="outer", suffixes=("_x", "_m"))
        return both.assign(value=both[["value_x", "value_m"]].max(axis=1))[[*keys, "value"]]
    own, other, who = (exp, imp, "exporter") if side == "exporter" else (imp, exp, "importer")
    silent = other.loc[~other[who].isin(set(own[who]))]
    if not silent.empty:
        names = sorted(set(silent[who]))
        logger.info(
            "%d countries report no %ss in the store; their flows come from their partners' "
            "reports: %s",
            len(names),
            "export" if side == "exporter" else "import",
            ", ".join(names),
        )
    return pd.concat([own, silent], ignore_index=True)


def baseline_from_store(
    store: TradeStore,
    year: int,
    *,
    gdp: str | Path | pd.DataFrame | None = None,
    reporter_side: ReporterSide = "exporter",
    floor_share: float = 0.1,
    rates: RateTable | None = None,
) -> pd.DataFrame:
    """Build a baseline trade matrix with domestic flows from one year of the trade store.

    Parameters
    ----------
    store
        The trade store.
    year
        The year.
    gdp
        GDP of that year by country: a CSV path or table with ``iso3`` and ``gdp`` in
        million USD.  Default: the embedded HMR 2006 GDP, for 2006 only.
    reporter_side
        Whose report of a pair is used: ``exporter`` (default), ``importer`` or
        ``mirror-max`` (see the module docstring).
    floor_share
        Lowest domestic flow as a share of GDP (see :func:`add_domestic_flows`).
    rates
        Exchange rates for data not in USD; default the shipped ECB EUR/USD table.

    Returns
    -------
    pandas.DataFrame
        ``exporter``, ``importer``, ``trade`` (million USD), ``domestic`` (bool), one row
        per pair with trade, plus one domestic row per country.  Countries without GDP are
        dropped (logged); their codes are in ``attrs["dropped_countries"]``.

    Raises
    ------
    TradeDataError
        The store has no flows for ``year``, or none involving KAZ or MNG.
    ConfigError
        No GDP given for a year other than 2006, or a bad option.

    Examples
    --------
    >>> import tempfile, pathlib
    >>> f = pathlib.Path(tempfile.mkdtemp()) / "mine.csv"
    >>> _ = f.write_text("reporter,partner,flow,period,value\\n"
    ...                  "KAZ,MNG,export,2006,50000000\\nMNG,KAZ,export,2006,20000000\\n")
    >>> with TradeStore(embedded=False) as store:
    ...     _ = store.load(f)
    ...     df = baseline_from_store(store, 2006)
    >>> df.loc[~df["domestic"], "trade"].tolist()
    [50.0, 20.0]
    """
    if reporter_side not in SIDES:
        raise ConfigError(f"reporter_side must be one of {', '.join(SIDES)}, got {reporter_side!r}")
    if gdp is None:
        if year != HMR_YEAR:
            raise ConfigError(
                f"steppe ships GDP for {HMR_YEAR} only (HMR 2010 data); for {year} pass a GDP "
                f"file with --gdp FILE (CSV columns iso3, gdp in million USD of {year})"
            )
        gdp_by = _hmr_gdp()
    else:
        gdp_by = read_gdp_table(gdp)
    pairs = _pick_side(_year_flows(store, year, rates), reporter_side)
    pairs = pairs.assign(trade=pairs["value"] / 1e6)[["exporter", "importer", "trade"]]
    countries = set(pairs["exporter"]) | set(pairs["importer"])
    absent = [c for c in FOCUS_COUNTRIES if c not in countries]
    if absent:
        raise TradeDataError(
            f"the trade store has no {year} flows of {' or '.join(absent)}; the impact "
            "focuses on Kazakhstan and Mongolia, so their trade must be in the data",
            file="trade store",
        )
    dropped = sorted(countries - set(gdp_by.index))
    if dropped:
        logger.info(
            "%d countries without %d GDP left out of the baseline: %s",
            len(dropped),
            year,
            ", ".join(dropped),
        )
    no_gdp = [c for c in FOCUS_COUNTRIES if c in dropped]
    if no_gdp:
        raise ConfigError(f"no {year} GDP for {' or '.join(no_gdp)}; add it to the GDP file")
    kept = sorted(countries - set(dropped))
    pairs = pairs.loc[pairs["exporter"].isin(kept) & pairs["importer"].isin(kept)]
    own = pd.DataFrame({"exporter": kept, "importer": kept, "trade": 0.0})
    table = pd.concat([pairs, own], ignore_index=True)
    table["gdp_o"] = table["exporter"].map(gdp_by)
    out = add_domestic_flows(table, gdp="gdp_o", floor_share=floor_share)
    out = out.sort_values(["exporter", "importer"], ignore_index=True)
    out.attrs["dropped_countries"] = dropped
    return out
