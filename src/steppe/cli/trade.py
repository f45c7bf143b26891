"""``steppe trade ...``: load trade files and answer turnover, series, composition, mirror
and share questions.  The store is ``--store PATH`` or ``$XDG_DATA_HOME/steppe/trade.duckdb``
(default ``~/.local/share/steppe/trade.duckdb``).
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Annotated, Any

import pandas as pd
import typer
from rich.table import Table

from steppe.cli._common import console, print_json

__all__ = [
    "composition_cmd",
    "default_store_path",
    "load_cmd",
    "mirror_cmd",
    "register",
    "series_cmd",
    "shares_cmd",
    "sources_cmd",
    "turnover_cmd",
]

sub = typer.Typer(
    help="Trade statistics: turnover, series, composition, mirror gaps, shares.",
    no_args_is_help=True,
)

StoreOption = Annotated[Path | None, typer.Option("--store", help="DuckDB store file.")]
JsonOption = Annotated[bool, typer.Option("--json", help="Print a JSON object.")]
PeriodOption = Annotated[str, typer.Option("--period", help="2023, 2023-Q2, 2024-01..2024-08")]
CurrencyOption = Annotated[
    str | None, typer.Option("--currency", help="Convert to this currency (ECB annual rates).")
]


def default_store_path() -> Path:
    """Return ``$XDG_DATA_HOME/steppe/trade.duckdb`` (default ``~/.local/share/...``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "steppe" / "trade.duckdb"


def _store(path: Path | None) -> Any:
    from steppe.trade.store import TradeStore

    return TradeStore(path or default_store_path())


def _money(value: Any) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):,.0f}"


def _pct(value: Any) -> str:
    return "" if value is None or pd.isna(value) else f"{float(value):+.1f}%"


def _table(frame: pd.DataFrame, title: str, money: set[str], pct: set[str]) -> None:
    table = Table(title=title)
    for col in frame.columns:
        table.add_column(col, justify="right" if col in money | pct else "left")
    for row in frame.itertuples(index=False):
        cells = []
        for col, v in zip(frame.columns, row, strict=True):
            if col in money:
                cells.append(_money(v))
            elif col in pct:
                cells.append("" if v is None or pd.isna(v) else f"{float(v):.1f}%")
            else:
                cells.append("" if v is None or (isinstance(v, float) and pd.isna(v)) else str(v))
        table.add_row(*cells)
    console.print(table)


@sub.command("sources")
def sources_cmd(store: StoreOption = None, json: JsonOption = False) -> None:
    """List the datasets in the store with their attributions and periods."""
    with _store(store) as s:
        frame = s.datasets()
    if json:
        print_json(frame.to_dict(orient="records"))
    else:
        _table(frame, "Trade datasets", {"rows"}, set())


@sub.command("load")
def load_cmd(
    file: Path,
    format: Annotated[
        str | None, typer.Option("--format", help="comtrade|baci|kz-bns|eurostat|tidy")
    ] = None,
    dataset: Annotated[
        str | None, typer.Option("--dataset", help="Name to store it under.")
    ] = None,
    country_codes: Annotated[
        Path | None, typer.Option("--country-codes", help="BACI country-code file.")
    ] = None,
    store: StoreOption = None,
) -> None:
    """Load a trade file into the store (all or nothing)."""
    with _store(store) as s:
        name = s.load(file, format=format, dataset=dataset, country_codes=country_codes)
        rows = int(s.datasets().set_index("dataset").loc[name, "rows"])
    console.print(f"loaded {rows:,} rows from {file} as dataset {name!r}")


@sub.command("turnover")
def turnover_cmd(  # noqa: PLR0917
    reporter: str,
    partner: str,
    period: PeriodOption,
    currency: CurrencyOption = None,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Exports + imports of REPORTER with PARTNER, a year earlier, and the growth."""
    from steppe.trade.stats import turnover

    with _store(store) as s:
        result = turnover(s, reporter, partner, period, currency=currency)
    if json:
        print_json(result.to_dict())
        return
    d = result.to_dict()
    rows = [d] + ([d["previous"]] if d["previous"] else [])
    frame = pd.DataFrame(rows)[["period", "exports", "imports", "turnover"]]
    _table(
        frame,
        f"{d['reporter']}-{d['partner']} trade, {d['currency']}",
        {"exports", "imports", "turnover"},
        set(),
    )
    console.print(
        f"growth: {_pct(d['growth_pct'])} {d['note']}  sources: {', '.join(d['sources'])}"
    )


@sub.command("series")
def series_cmd(  # noqa: PLR0917
    reporter: str,
    partner: str,
    start: Annotated[str, typer.Option("--from", help="First year or month.")],
    end: Annotated[str, typer.Option("--to", help="Last year or month.")],
    currency: CurrencyOption = None,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Exports, imports and turnover by year or month, with growth."""
    from steppe.trade.stats import series

    with _store(store) as s:
        result = series(s, reporter, partner, start, end, currency=currency)
    if json:
        print_json(result.to_dict())
    else:
        _table(
            result.table,
            f"{result.reporter}-{result.partner} trade, {result.currency}",
            {"exports", "imports", "turnover"},
            {"growth_pct"},
        )


@sub.command("composition")
def composition_cmd(  # noqa: PLR0917
    reporter: str,
    partner: str,
    period: PeriodOption,
    level: Annotated[str, typer.Option("--level", help="section|chapter|heading")] = "section",
    top: Annotated[int, typer.Option("--top", help="Commodities per flow.")] = 10,
    currency: CurrencyOption = None,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Top commodities of REPORTER's exports to and imports from PARTNER, with shares."""
    from steppe.trade.compare import composition

    with _store(store) as s:
        result = composition(s, reporter, partner, period, level=level, top=top, currency=currency)
    if json:
        print_json(result.to_dict())
    else:
        _table(
            result.table,
            f"{result.reporter}-{result.partner} {result.period}, {result.currency}",
            {"value"},
            {"share_pct"},
        )


@sub.command("mirror")
def mirror_cmd(  # noqa: PLR0917
    a: str,
    b: str,
    period: PeriodOption,
    currency: CurrencyOption = None,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """A's exports to B against B's imports from A, and the reverse (CIF/FOB caveat)."""
    from steppe.trade.compare import mirror

    with _store(store) as s:
        result = mirror(s, a, b, period, currency=currency)
    if json:
        print_json(result.to_dict())
        return
    _table(
        result.table.drop(columns="note"),
        f"Mirror {result.a}-{result.b} {result.period}, {result.currency}",
        {"exports_reported", "imports_reported", "gap"},
        {"gap_pct"},
    )
    for note in result.table["note"]:
        if note:
            console.print(f"note: {note}")
    console.print("Imports are usually valued CIF and exports FOB: a few percent gap is normal.")


@sub.command("shares")
def shares_cmd(  # noqa: PLR0917
    country: str,
    period: PeriodOption,
    top: Annotated[int, typer.Option("--top", help="Partners to list.")] = 15,
    currency: CurrencyOption = None,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Each partner's share of COUNTRY's exports, imports and turnover."""
    from steppe.trade.compare import shares

    with _store(store) as s:
        result = shares(s, country, period, top=top, currency=currency)
    if json:
        print_json(result.to_dict())
    else:
        _table(
            result.table,
            f"Partners of {result.country} {result.period}, {result.currency}",
            {"exports", "imports", "turnover"},
            {"exports_share_pct", "imports_share_pct", "turnover_share_pct"},
        )


def register(app: typer.Typer) -> None:
    """Add the ``trade`` command group to the root app."""
    app.add_typer(sub, name="trade")
