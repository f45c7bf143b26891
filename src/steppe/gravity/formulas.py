"""Helpers that build the variables an applied trade economist puts in a gravity model.

Each helper returns a new DataFrame with one column added; none modifies its input.
Column names default to those of the *Advanced Guide* (Yotov et al. 2016).
"""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np
import pandas as pd

from steppe.errors import ConfigError

__all__ = [
    "add_border_dummy",
    "add_fe_ids",
    "add_lags",
    "add_log",
    "add_pair_id",
    "gravity_formula",
]


def _check(df: pd.DataFrame, cols: Sequence[str]) -> None:
    missing = [c for c in cols if c not in df.columns]
    if missing:
        raise ConfigError(f"missing column(s) {', '.join(missing)}; have {', '.join(df.columns)}")


def add_log(df: pd.DataFrame, column: str, *, name: str | None = None) -> pd.DataFrame:
    """Add the natural log of a positive column (``ln_<column>`` by default).

    Examples
    --------
    >>> add_log(pd.DataFrame({"dist": [1.0, np.e]}), "dist")["ln_dist"].tolist()
    [0.0, 1.0]
    """
    _check(df, [column])
    values = pd.to_numeric(df[column], errors="coerce")
    if (values <= 0).any() or values.isna().any():
        raise ConfigError(f"column {column!r} must be > 0 everywhere to take its log")
    return df.assign(**{name or f"ln_{column}": np.log(values)})


def add_border_dummy(
    df: pd.DataFrame,
    *,
    exporter: str = "exporter",
    importer: str = "importer",
    name: str = "INTL_BRDR",
) -> pd.DataFrame:
    """Add the international border dummy: 1 between countries, 0 for domestic flows.

    Examples
    --------
    >>> d = pd.DataFrame({"exporter": ["A", "A"], "importer": ["A", "B"]})
    >>> add_border_dummy(d)["INTL_BRDR"].tolist()
    [0, 1]
    """
    _check(df, [exporter, importer])
    return df.assign(**{name: (df[exporter] != df[importer]).astype(int)})


def add_pair_id(
    df: pd.DataFrame,
    *,
    exporter: str = "exporter",
    importer: str = "importer",
    symmetric: bool = False,
    domestic: str | None = None,
    name: str = "pair",
) -> pd.DataFrame:
    """Add a country-pair identifier for pair fixed effects or clustering.

    Parameters
    ----------
    df
        The data.
    exporter, importer
        Country columns.
    symmetric
        Give i-j and j-i the same id (``"A-B"`` for both).
    domestic
        If given, every domestic pair gets this one id (the *Advanced Guide*'s
        ``pair_id_2``, which makes domestic trade the reference group).
    name
        Name of the new column.

    Examples
    --------
    >>> d = pd.DataFrame({"exporter": ["B", "A", "A"], "importer": ["A", "B", "A"]})
    >>> add_pair_id(d, symmetric=True, domestic="intra")["pair"].tolist()
    ['A-B', 'A-B', 'intra']
    """
    _check(df, [exporter, importer])
    o = df[exporter].astype(str).to_numpy()
    d = df[importer].astype(str).to_numpy()
    if symmetric:
        o, d = np.where(o <= d, o, d), np.where(o <= d, d, o)
    pair = np.char.add(np.char.add(o.astype(str), "-"), d.astype(str)).astype(object)
    if domestic is not None:
        pair[df[exporter].to_numpy() == df[importer].to_numpy()] = domestic
    return df.assign(**{name: pair})


def add_fe_ids(
    df: pd.DataFrame,
    *,
    exporter: str = "exporter",
    importer: str = "importer",
    year: str = "year",
) -> pd.DataFrame:
    """Add exporter-year (``exp_year``) and importer-year (``imp_year``) identifiers.

    Examples
    --------
    >>> d = pd.DataFrame({"exporter": ["A"], "importer": ["B"], "year": [2006]})
    >>> add_fe_ids(d)[["exp_year", "imp_year"]].iloc[0].tolist()
    ['A_2006', 'B_2006']
    """
    _check(df, [exporter, importer, year])
    y = df[year].astype(str)
    return df.assign(
        exp_year=df[exporter].astype(str) + "_" + y, imp_year=df[importer].astype(str) + "_" + y
    )


def add_lags(
    df: pd.DataFrame,
    column: str,
    lags: Sequence[int],
    *,
    exporter: str = "exporter",
    importer: str = "importer",
    year: str = "year",
) -> pd.DataFrame:
    """Add lagged (positive) or lead (negative) copies of a pair-level column.

    The lag is taken in years within each exporter-importer pair, so on a panel
    sampled every four years ``lags=[4, 8]`` gives ``<column>_lag4``, ``_lag8``;
    a lead of 4 is ``<column>_lead4``.  Years without a match get 0 (the usual
    convention for policy dummies before the sample starts).

    Examples
    --------
    >>> d = pd.DataFrame({"exporter": "A", "importer": "B", "year": [2000, 2004],
    ...                   "rta": [0, 1]})
    >>> add_lags(d, "rta", [4])["rta_lag4"].tolist()
    [0.0, 0.0]
    """
    _check(df, [column, exporter, importer, year])
    out = df.copy()
    base = df[[exporter, importer, year, column]]
    for lag in lags:
        if lag == 0:
            raise ConfigError("a lag of 0 is the column itself")
        label = f"{column}_lag{lag}" if lag > 0 else f"{column}_lead{-lag}"
        shifted = base.assign(**{year: base[year] + lag}).rename(columns={column: label})
        merged = df[[exporter, importer, year]].merge(
            shifted, on=[exporter, importer, year], how="left"
        )
        out[label] = merged[label].fillna(0.0).to_numpy(dtype=float)
    return out


def gravity_formula(
    dependent: str, covariates: Sequence[str], fixed_effects: Sequence[str] = ()
) -> str:
    """Build a pyfixest formula ``y ~ x1 + x2 | fe1 + fe2``.

    Examples
    --------
    >>> gravity_formula("trade", ["ln_DIST", "CNTG"], ["exporter", "importer"])
    'trade ~ ln_DIST + CNTG | exporter + importer'
    """
    rhs = " + ".join(covariates) if covariates else "1"
    fml = f"{dependent} ~ {rhs}"
    if fixed_effects:
        fml += " | " + " + ".join(fixed_effects)
    return fml
