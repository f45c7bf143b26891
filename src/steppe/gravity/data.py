"""Embedded gravity datasets and the loading of user trade tables.

Four datasets ship with steppe (see ``src/steppe/data/SOURCES.md``):

``agtpa-2006``
    The chapter-2 "trade without borders" cross-section of Yotov, Piermartini,
    Monteiro & Larch (2016), *An Advanced Guide to Trade Policy Analysis*: 69
    countries, 2006, manufacturing flows in million USD including domestic flows.
    Germany is renamed ``ZZZ`` as in the book.
``agtpa-panel``
    The book's 69-country panel, 1986-2006, with RTA dummies and their lags.
``hmr-2006``
    Head, Mayer & Ries (2010) CEPII gravity data for 2006: 166 countries,
    international flows only (million USD, zeros included), GDP, distance.
    Legacy CEPII codes are mapped to ISO 3166 alpha-3 (``ROM`` -> ``ROU``,
    ``ZAR`` -> ``COD``, ``YUG`` -> ``SRB``, the 2006 Serbia and Montenegro).
``gegravity-30``
    The 30-country 2006 sample of the ``gegravity`` package, with domestic flows.
"""

from __future__ import annotations

import logging
from importlib import resources
from pathlib import Path
from typing import Literal

import numpy as np
import pandas as pd

from steppe.errors import ConfigError, DataFileError, Problem

__all__ = [
    "DATASETS",
    "HMR_LEGACY_CODES",
    "DatasetName",
    "add_domestic_flows",
    "load_dataset",
    "read_trade_table",
]

logger = logging.getLogger(__name__)

DatasetName = Literal["agtpa-2006", "agtpa-panel", "hmr-2006", "gegravity-30"]

DATASETS: dict[str, str] = {
    "agtpa-2006": "agtpa_trade_without_border_2006.csv.gz",
    "agtpa-panel": "agtpa_panel_69c_1986_2006.csv.gz",
    "hmr-2006": "hmr2010_gravity_zeros_166c_2006.csv.gz",
    "gegravity-30": "gegravity_sample_30c_2006.csv",
}

HMR_LEGACY_CODES: dict[str, str] = {"ROM": "ROU", "ZAR": "COD", "YUG": "SRB"}


def load_dataset(name: str) -> pd.DataFrame:
    """Load an embedded gravity dataset by name.

    Parameters
    ----------
    name
        One of ``agtpa-2006``, ``agtpa-panel``, ``hmr-2006``, ``gegravity-30``.

    Returns
    -------
    pandas.DataFrame
        The table; ``hmr-2006`` gets ``exporter``/``importer`` ISO3 columns and
        ``trade`` (million USD, international only; see :func:`add_domestic_flows`).

    Examples
    --------
    >>> df = load_dataset("agtpa-2006")
    >>> int(df["exporter"].nunique())
    69
    """
    if name not in DATASETS:
        raise ConfigError(f"unknown dataset {name!r}; choose one of {', '.join(DATASETS)}")
    ref = resources.files("steppe").joinpath("data", "gravity", DATASETS[name])
    with resources.as_file(ref) as path:
        df = pd.read_csv(path)
    if name == "hmr-2006":
        df = df.rename(columns={"iso_o": "exporter", "iso_d": "importer", "flow": "trade"})
        for col in ("exporter", "importer"):
            df[col] = df[col].replace(HMR_LEGACY_CODES)
        df["ln_dist"] = np.log(df["distw"])
    logger.debug("loaded %s: %d rows", name, len(df))
    return df


def read_trade_table(
    source: str | Path, *, required: tuple[str, ...] = ("exporter", "importer", "trade")
) -> pd.DataFrame:
    """Read a trade table from an embedded dataset name or a CSV file.

    Parameters
    ----------
    source
        A dataset name (see :data:`DATASETS`) or the path of a CSV file.
    required
        Columns that must be present; numeric-looking ones are checked for
        missing and negative values.

    Returns
    -------
    pandas.DataFrame
        The table, unchanged.

    Examples
    --------
    >>> read_trade_table("gegravity-30").shape[0]
    900
    """
    if str(source) in DATASETS:
        df = load_dataset(str(source))
        file = str(source)
    else:
        path = Path(source)
        file = str(path)
        if not path.is_file():
            raise DataFileError(
                f"no such file (nor embedded dataset: {', '.join(DATASETS)})", file=file
            )
        try:
            df = pd.read_csv(path)
        except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as exc:
            raise DataFileError(f"cannot read CSV: {exc}", file=file) from exc
    problems = [
        Problem(file=file, column=col, message="required column is missing")
        for col in required
        if col not in df.columns
    ]
    if not problems and "trade" in required:
        trade = pd.to_numeric(df["trade"], errors="coerce")
        for idx in np.flatnonzero(trade.isna().to_numpy() | (trade < 0).to_numpy())[:20]:
            problems.append(
                Problem(
                    file=file,
                    row=int(idx) + 2,
                    column="trade",
                    message=f"trade must be a number >= 0, got {df['trade'].iloc[idx]!r}",
                )
            )
    if problems:
        raise DataFileError(problems)
    return df


def add_domestic_flows(
    df: pd.DataFrame,
    *,
    gdp: str = "gdp_o",
    floor_share: float = 0.1,
) -> pd.DataFrame:
    """Append domestic flows ``X_ii = max(GDP_i - exports_i, floor_share * GDP_i)``.

    Structural gravity needs each country's sales to itself, which international
    trade data such as HMR (2010) lack.  GDP minus total exports is a common
    stand-in for domestic sales of domestic output; entrepôts (Singapore, Hong
    Kong, Malaysia, Liberia, Congo) export more than their GDP, hence the floor.

    Parameters
    ----------
    df
        International flows with ``exporter``, ``importer``, ``trade`` and a GDP
        column of the exporter in the same unit as ``trade``.
    gdp
        Name of the exporter GDP column.
    floor_share
        Lowest domestic flow as a share of GDP.

    Returns
    -------
    pandas.DataFrame
        ``exporter``, ``importer``, ``trade``, ``domestic`` (bool), one row per
        pair including the new domestic rows.

    Examples
    --------
    >>> full = add_domestic_flows(load_dataset("hmr-2006"))
    >>> bool(full.loc[full["domestic"], "trade"].gt(0).all())
    True
    """
    if not 0 < floor_share < 1:
        raise ConfigError(f"floor_share must be in (0, 1), got {floor_share}")
    intl = df.loc[df["exporter"] != df["importer"], ["exporter", "importer", "trade"]].copy()
    exports = intl.groupby("exporter")["trade"].sum()
    gdp_by = df.groupby("exporter")[gdp].first()
    domestic_value = np.maximum(
        gdp_by - exports.reindex(gdp_by.index, fill_value=0.0), floor_share * gdp_by
    )
    floored = (gdp_by - exports.reindex(gdp_by.index, fill_value=0.0)) < floor_share * gdp_by
    if floored.any():
        logger.info(
            "domestic flow floored at %.0f%% of GDP for %s",
            100 * floor_share,
            ", ".join(gdp_by.index[floored]),
        )
    dom = pd.DataFrame(
        {
            "exporter": gdp_by.index,
            "importer": gdp_by.index,
            "trade": np.asarray(domestic_value, dtype=float),
        }
    )
    intl["domestic"] = False
    dom["domestic"] = True
    return pd.concat([intl, dom], ignore_index=True)
