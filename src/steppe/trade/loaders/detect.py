"""The registry of trade file layouts, :data:`LOADERS`, and reading a file in its layout.

Each :class:`Layout` says who publishes it, which header cells identify it and how to read
it.  :func:`detect_format` tries them in the registry's order (a JSON or Parquet file by its
suffix); a file matching none gets a message listing every layout and what it needs.
"""

from __future__ import annotations

import importlib
import re
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import duckdb

from steppe.errors import ConfigError, TradeDataError
from steppe.trade._schema import Staged
from steppe.trade.loaders._read import read_header

__all__ = ["FORMATS", "LOADERS", "Layout", "ReadOptions", "detect_format", "read_trade_file"]


@dataclass(frozen=True, slots=True)
class ReadOptions:
    """What some layouts need besides the file: BACI's code file and the store's connection."""

    country_codes: Path | None = None
    connection: duckdb.DuckDBPyConnection | None = None


@dataclass(frozen=True, slots=True)
class Layout:
    """One file layout: its publisher, the header cells that identify it, its reader.

    ``columns`` are compared lower-cased without spaces or punctuation, so ``Reporter ISO``
    and ``reporterISO`` are the same cell; ``suffix`` (``.json``, ``.parquet``) identifies a
    layout by the file's kind instead.
    """

    description: str
    columns: tuple[str, ...]
    read: Callable[[Path, ReadOptions], Staged]
    suffix: str = ""


def _lazy(module: str, name: str) -> Callable[[Path], Staged]:
    """A reader imported on first use (most need pandas; BACI loads without it)."""

    def read(path: Path) -> Staged:
        reader: Callable[[Path], Staged] = getattr(
            importlib.import_module(f"steppe.trade.loaders.{module}"), name
        )
        return reader(path)

    return read


def _read_baci(path: Path, options: ReadOptions) -> Staged:
    from steppe.trade.loaders.baci import read_baci

    return read_baci(path, country_codes=options.country_codes, connection=options.connection)


def _key(name: str) -> str:
    return re.sub(r"[^a-z0-9_]", "", name.lower())


# In detection order: a layout whose columns include another's comes first.
LOADERS: dict[str, Layout] = {
    "baci": Layout(
        "CEPII BACI release (t, i, j, k, v, q) with its country_codes_V*.csv",
        ("t", "i", "j", "k", "v", "q"),
        _read_baci,
    ),
    "comtrade-json": Layout(
        "UN Comtrade API answer in JSON ({'data': [...]})",
        (),
        lambda p, o: _lazy("comtrade", "read_comtrade_json")(p),
        suffix=".json",
    ),
    "tidy-parquet": Layout(
        "tidy table in Parquet (reporter, partner, flow, period, value)",
        (),
        lambda p, o: _lazy("tidy", "read_tidy_parquet")(p),
        suffix=".parquet",
    ),
    "comtrade": Layout(
        "UN Comtrade+ API CSV or website export (reporterISO, partnerISO, flowCode, cmdCode, "
        "primaryValue, refYear/period)",
        ("reporteriso", "partneriso", "flowcode", "primaryvalue"),
        lambda p, o: _lazy("comtrade", "read_comtrade")(p),
    ),
    "comtrade-bulk": Layout(
        "UN Comtrade bulk file, tab-separated, numeric codes (reporterCode, partnerCode, "
        "flowCode, cmdCode, primaryValue), .gz or .zip",
        ("reportercode", "partnercode", "flowcode", "primaryvalue"),
        lambda p, o: _lazy("comtrade", "read_comtrade_bulk")(p),
    ),
    "comtrade-legacy": Layout(
        "classic Comtrade website export (Reporter ISO, Partner ISO, Trade Flow Code, "
        "Commodity Code, Trade Value (US$))",
        ("reporteriso", "partneriso", "tradeflowcode", "commoditycode"),
        lambda p, o: _lazy("comtrade", "read_comtrade_legacy")(p),
    ),
    "comext": Layout(
        "Eurostat Comext bulk file (REPORTER, PARTNER, PRODUCT_NC, FLOW, PERIOD, VALUE_EUR)",
        ("reporter", "partner", "product_nc", "flow", "period"),
        lambda p, o: _lazy("comext", "read_comext")(p),
    ),
    "kz-bns": Layout(
        "Kazakhstan BNS partner table (year, partner_ru, iso3, is_aggregate, export_kusd, "
        "import_kusd)",
        ("year", "partner_ru", "iso3", "is_aggregate", "export_kusd", "import_kusd"),
        lambda p, o: _lazy("national", "read_bns")(p),
    ),
    "eurostat": Layout(
        "Eurostat monthly extract (period, reporter, partner, flow, value_eur)",
        ("period", "reporter", "partner", "flow", "value_eur"),
        lambda p, o: _lazy("national", "read_eurostat")(p),
    ),
    "tidy": Layout(
        "tidy CSV (reporter, partner, flow, period, value[, commodity, currency, ...])",
        ("reporter", "partner", "flow", "period", "value"),
        lambda p, o: _lazy("tidy", "read_tidy")(p),
    ),
}
FORMATS: tuple[str, ...] = tuple(LOADERS)


def _recognised() -> str:
    return "; ".join(f"{name}: {layout.description}" for name, layout in LOADERS.items())


def _suffix(path: Path) -> str:
    suffixes = [s.lower() for s in path.suffixes if s.lower() not in (".gz", ".zip")]
    return suffixes[-1] if suffixes else ""


def detect_format(path: Path) -> str:
    """Return the layout of a trade file, judged from its kind and its header row.

    Parameters
    ----------
    path
        A trade file.

    Returns
    -------
    str
        A key of :data:`LOADERS`.

    Raises
    ------
    TradeDataError
        The file matches no layout; the message lists every layout and what it needs.

    Examples
    --------
    >>> from steppe.trade.embedded import embedded_path
    >>> detect_format(embedded_path("kz_bns_trade_by_partner_2018_2023.csv"))
    'kz-bns'
    """
    kind = _suffix(path)
    for name, layout in LOADERS.items():
        if layout.suffix and kind == layout.suffix:
            return name
    header = read_header(path)
    cells = {_key(c) for c in header}
    for name, layout in LOADERS.items():
        if layout.columns and set(layout.columns) <= cells:
            return name
    shown = ", ".join(header[:12]) + (", ..." if len(header) > 12 else "")
    raise TradeDataError(
        f"unknown trade file format (columns: {shown or 'none'}); recognised layouts: "
        f"{_recognised()}; or give --format",
        file=str(path),
    )


def read_trade_file(
    path: Path,
    *,
    format: str | None = None,
    country_codes: Path | None = None,
    connection: duckdb.DuckDBPyConnection | None = None,
) -> Staged:
    """Read a trade file in a given layout, or in the layout it shows.

    Parameters
    ----------
    path
        The file.
    format
        A key of :data:`LOADERS`; default: detected.
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
    if format is not None and format not in LOADERS:
        raise ConfigError(f"unknown format {format!r}; choose one of {', '.join(FORMATS)}")
    fmt = format or detect_format(path)
    try:
        return LOADERS[fmt].read(path, ReadOptions(country_codes, connection))
    except (ValueError, KeyError, IndexError, TypeError, OverflowError) as e:
        if isinstance(e, TradeDataError | ConfigError):
            raise
        raise TradeDataError(
            f"cannot read as {fmt}: {type(e).__name__}: {e}", file=str(path)
        ) from e
