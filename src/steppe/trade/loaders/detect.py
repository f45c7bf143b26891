"""Recognise a trade file's format from its columns and read it with the right loader."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Literal, get_args

import duckdb
import pandas as pd

from steppe.errors import ConfigError, TradeDataError
from steppe.trade._schema import Staged
from steppe.trade.loaders.baci import BACI_COLUMNS, read_baci
from steppe.trade.loaders.comtrade import read_comtrade
from steppe.trade.loaders.national import BNS_COLUMNS, EUROSTAT_COLUMNS, read_bns, read_eurostat
from steppe.trade.loaders.tidy import TIDY_COLUMNS, read_tidy

__all__ = ["FORMATS", "Format", "detect_format", "read_trade_file"]

Format = Literal["comtrade", "baci", "kz-bns", "eurostat", "tidy"]
FORMATS: tuple[str, ...] = get_args(Format)


def detect_format(path: Path) -> Format:
    """Return the format of a trade file, judged from its header row.

    Parameters
    ----------
    path
        A CSV file.

    Returns
    -------
    str
        One of ``comtrade``, ``baci``, ``kz-bns``, ``eurostat``, ``tidy``.

    Raises
    ------
    TradeDataError
        The columns match no known format; the message lists what each format needs.

    Examples
    --------
    >>> from steppe.trade.embedded import embedded_path
    >>> detect_format(embedded_path("kz_bns_trade_by_partner_2018_2023.csv"))
    'kz-bns'
    """
    try:
        columns = set(pd.read_csv(path, nrows=0, encoding="utf-8-sig").columns)
    except (OSError, UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise TradeDataError(f"cannot read as CSV: {e}", file=str(path)) from e
    lower = {c.strip().lower() for c in columns}
    if set(BACI_COLUMNS) <= columns:
        return "baci"
    if {"reporteriso", "flowcode", "primaryvalue"} <= lower:
        return "comtrade"
    if set(BNS_COLUMNS) <= columns:
        return "kz-bns"
    if set(EUROSTAT_COLUMNS) <= columns:
        return "eurostat"
    if set(TIDY_COLUMNS) <= lower:
        return "tidy"
    raise TradeDataError(
        "unknown trade file format (columns: "
        + ", ".join(sorted(columns))
        + "); expected Comtrade (reporterISO, partnerISO, flowCode, cmdCode, primaryValue, "
        "refYear or period), BACI (t, i, j, k, v, q), tidy (reporter, partner, flow, period, "
        "value), or give --format",
        file=str(path),
    )


def read_trade_file(
    path: Path,
    *,
    format: str | None = None,
    country_codes: Path | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> Staged:
    """Read a trade file in a given format, or in the format its columns show.

    Parameters
    ----------
    path
        The file.
    format
        ``comtrade``, ``baci``, ``kz-bns``, ``eurostat`` or ``tidy``; default: detected.
    country_codes
        BACI only: the country-code file.
    connection
        BACI only: the DuckDB connection to read the file into (the store's); the rows
        then stay in DuckDB (see :func:`steppe.trade.loaders.baci.read_baci`).

    Returns
    -------
    Staged
        The normalised rows and their coverage, not yet stored.

    Examples
    --------
    >>> from steppe.trade.embedded import embedded_path
    >>> read_trade_file(embedded_path("kz_bns_trade_by_partner_2018_2023.csv")).format
    'kz-bns'
    """
    path = Path(path)
    if not path.is_file():
        raise TradeDataError("no such file", file=str(path))
    if format is not None and format not in FORMATS:
        raise ConfigError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    fmt = format or detect_format(path)
    readers: dict[str, Callable[[Path], Staged]] = {
        "comtrade": read_comtrade,
        "baci": lambda p: read_baci(p, country_codes=country_codes, connection=connection),
        "kz-bns": read_bns,
        "eurostat": read_eurostat,
        "tidy": read_tidy,
    }
    try:
        return readers[fmt](path)
    except (UnicodeDecodeError, pd.errors.ParserError, pd.errors.EmptyDataError) as e:
        raise TradeDataError(f"cannot read as a {fmt} CSV file: {e}", file=str(path)) from e
