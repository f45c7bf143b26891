"""``steppe trade ...``: load trade files and answer turnover, series, composition, mirror
and share questions.  The store is ``--store PATH`` or ``$XDG_DATA_HOME/steppe/trade.duckdb``
(default ``~/.local/share/steppe/trade.duckdb``).
"""

from __future__ import annotations

import math
import os
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any

import typer
from rich.table import Table

from steppe.cli._common import console, print_json, show_progress

if TYPE_CHECKING:
    import pandas as pd

__all__ = [
    "composition_cmd",
    "default_cache_path",
    "default_store_path",
    "fetch_cmd",
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
PreferOption = Annotated[
    list[str] | None,
    typer.Option("--prefer", help="Prefer this source (comtrade, baci, kz-bns, ...); repeatable."),
]
MixOption = Annotated[
    str, typer.Option("--mix", help="allow: label a result mixing sources; refuse: refuse it.")
]


def _rule(prefer: list[str] | None, mix: str) -> Any:
    from steppe.trade.sources import SourceRule

    return SourceRule(prefer=tuple(prefer or ()), mix=mix)  # type: ignore[arg-type]


def default_cache_path() -> Path:
    """Return ``$XDG_CACHE_HOME/steppe/comtrade`` (default ``~/.cache/...``)."""
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "steppe" / "comtrade"


def default_store_path() -> Path:
    """Return ``$XDG_DATA_HOME/steppe/trade.duckdb`` (default ``~/.local/share/...``)."""
    base = os.environ.get("XDG_DATA_HOME") or str(Path.home() / ".local" / "share")
    return Path(base) / "steppe" / "trade.duckdb"


def _store(path: Path | None) -> Any:
    from steppe.errors import ConfigError
    from steppe.trade.store import TradeStore

    where = path or default_store_path()
    try:
        where.parent.mkdir(parents=True, exist_ok=True)
    except OSError as exc:
        raise ConfigError(
            f"--store: cannot create the folder of {where}: {exc.strerror or exc}"
        ) from exc
    return TradeStore(where)


def _missing(value: Any) -> bool:
    """None or NaN (pandas is imported only by the commands that make tables of it)."""
    return value is None or (isinstance(value, float) and math.isnan(value))


def _money(value: Any) -> str:
    return "" if _missing(value) else f"{float(value):,.0f}"


def _pct(value: Any) -> str:
    return "" if _missing(value) else f"{float(value):+.1f}%"


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
                cells.append("" if _missing(v) else f"{float(v):.1f}%")
            else:
                cells.append("" if _missing(v) else str(v))
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
def load_cmd(  # noqa: PLR0917
    file: Path,
    format: Annotated[
        str | None,
        typer.Option("--format", help="A layout (steppe trade load --help lists them)."),
    ] = None,
    dataset: Annotated[
        str | None, typer.Option("--dataset", help="Name to store it under.")
    ] = None,
    country_codes: Annotated[
        Path | None, typer.Option("--country-codes", help="BACI country-code file.")
    ] = None,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Load a trade file into the store (all or nothing); its layout is detected.

    Layouts: comtrade (API CSV, website export), comtrade-json, comtrade-bulk (tab, .gz,
    .zip), comtrade-legacy, baci, comext, kz-bns, eurostat, tidy, tidy-parquet.
    """
    if json:
        _load_json(file, format, dataset, country_codes, store)
        return
    with _store(store) as s:
        if show_progress(json):
            from rich.progress import Progress, SpinnerColumn, TextColumn, TimeElapsedColumn

            columns = (SpinnerColumn(), TextColumn("{task.description}"), TimeElapsedColumn())
            with Progress(*columns, console=console, transient=True) as bar:
                task = bar.add_task(f"reading {file.name}", total=None)
                steps = {"read": f"reading and checking {file.name}", "store": "storing"}

                def step(name: str) -> None:
                    bar.update(task, description=steps.get(name, name))

                report = s.load_file(
                    file,
                    format=format,
                    dataset=dataset,
                    country_codes=country_codes,
                    progress=step,
                )
        else:
            report = s.load_file(file, format=format, dataset=dataset, country_codes=country_codes)
    if json:
        print_json(report.to_dict())
        return
    left = "; ".join(f"{n:,} {why}" for why, n in report.left_out.items())
    console.print(
        f"loaded {report.rows_kept:,} rows ({report.format}, {report.source}) from {file} "
        f"as dataset {report.dataset!r}; read {report.rows_read:,}"
        + (f"; world totals {report.world_rows:,}" if report.world_rows else "")
        + (f"; left out: {left}" if left else "")
    )


def _load_json(
    file: Path, format: str | None, dataset: str | None, codes: Path | None, store: Path | None
) -> None:
    """``load --json``: the report on stdout, or the refusal on stderr (exit 1).

    The refusal is the JSON error of every command (``error``, ``type``, ``problems``)
    with the rows refused counted by reason.
    """
    import json as jsonlib
    import sys

    from steppe.errors import DataFileError

    try:
        with _store(store) as s:
            report = s.load_file(file, format=format, dataset=dataset, country_codes=codes)
    except DataFileError as e:
        from steppe.cli import error_json

        reasons: dict[str, int] = {}
        for p in e.problems:
            reason = p.message.split(":")[0].split("'")[0].strip()
            reasons[reason] = reasons.get(reason, 0) + 1
        body = {**error_json(e), "file": str(file), "rows_kept": 0,
                "rows_refused_by_reason": reasons}  # fmt: skip
        sys.stderr.write(jsonlib.dumps(body, ensure_ascii=False) + "\n")
        raise typer.Exit(1) from e
    print_json(report.to_dict())


@sub.command("fetch")
def fetch_cmd(  # noqa: PLR0917
    reporter: Annotated[str, typer.Option("--reporter", help="Reporting country.")],
    period: PeriodOption,
    partner: Annotated[
        list[str] | None,
        typer.Option("--partner", help="Partner country (repeatable); default: all partners."),
    ] = None,
    level: Annotated[
        str, typer.Option("--level", help="total|chapter|heading|subheading (HS 0/2/4/6).")
    ] = "total",
    freq: Annotated[
        str | None, typer.Option("--freq", help="A or M; default: M for months, A for years.")
    ] = None,
    key: Annotated[
        str | None,
        typer.Option("--key", envvar="COMTRADE_API_KEY", help="Comtrade subscription key."),
    ] = None,
    cache: Annotated[
        Path | None, typer.Option("--cache", help="Answer cache (default ~/.cache/steppe).")
    ] = None,
    dataset: Annotated[
        str | None, typer.Option("--dataset", help="Name to store it under.")
    ] = None,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Fetch UN Comtrade data with your own key (COMTRADE_API_KEY) into the store.

    Example: steppe trade fetch --reporter KAZ --partner MNG --period 2024-01..2024-08
    """
    from steppe.trade.fetch import ComtradeQuery, fetch_comtrade

    partners = tuple(p for p in (partner or []) if p.lower() != "all")
    query = ComtradeQuery(
        reporter,
        period,
        partners=partners,
        level=level,
        frequency=freq,  # type: ignore[arg-type]
    )
    where = cache or default_cache_path()
    name = dataset or (
        f"comtrade_{query.reporter}_{'-'.join(query.partners) or 'all'}_{query.freq}_"
        f"{query.periods()[0]}_{query.periods()[-1]}_{query.level}"
    )
    out = where / "extracts" / f"{name}.json"
    if show_progress(json):
        from rich.progress import Progress

        with Progress(console=console, transient=True) as bar:
            task = bar.add_task("fetching from UN Comtrade", total=None)

            def moved(done: int, total: int) -> None:
                bar.update(task, completed=done, total=total)

            fetch_comtrade(query, key=key, out=out, cache=where / "answers", progress=moved)
    else:
        fetch_comtrade(query, key=key, out=out, cache=where / "answers")
    with _store(store) as s:
        report = s.load_file(out, format="comtrade-json", dataset=name)
    if json:
        print_json(report.to_dict())
    else:
        console.print(
            f"fetched {report.rows_read:,} records for {query.reporter} {query.period}; "
            f"stored {report.rows_kept:,} rows as dataset {report.dataset!r}"
        )


@sub.command("turnover")
def turnover_cmd(  # noqa: PLR0917
    reporter: str,
    partner: str,
    period: PeriodOption,
    currency: CurrencyOption = None,
    prefer: PreferOption = None,
    mix: MixOption = "allow",
    fetch: Annotated[
        bool,
        typer.Option("--fetch", help="First fetch both periods from UN Comtrade (needs a key)."),
    ] = False,
    key: Annotated[
        str | None,
        typer.Option("--key", envvar="COMTRADE_API_KEY", help="Comtrade subscription key."),
    ] = None,
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Exports + imports of REPORTER with PARTNER, a year earlier, and the growth."""
    from steppe.trade.stats import turnover

    if fetch:
        _fetch_both(reporter, partner, period, key, store)
    with _store(store) as s:
        result = turnover(s, reporter, partner, period, currency=currency, rule=_rule(prefer, mix))
    if json:
        print_json(result.to_dict())
        return
    d = result.to_dict()
    rows = [d] + ([d["previous"]] if d["previous"] else [])
    import pandas as pd

    frame = pd.DataFrame(rows)[["period", "exports", "imports", "turnover"]]
    _table(
        frame,
        f"{d['reporter']}-{d['partner']} trade, {d['currency']}",
        {"exports", "imports", "turnover"},
        set(),
    )
    console.print(
        f"growth: {_pct(d['growth_pct'])} {d['note']}  sources: {', '.join(d['sources'])}"
        f" ({', '.join(d['publishers'])})"
    )


def _fetch_both(
    reporter: str, partner: str, period: str, key: str | None, store: Path | None
) -> None:
    """Fetch a period and the same period a year earlier (for growth) into the store."""
    from steppe.errors import TradeDataError
    from steppe.trade.fetch import ComtradeQuery, fetch_comtrade
    from steppe.trade.periods import parse_period

    now = parse_period(period)
    where = default_cache_path()
    with _store(store) as s:
        for when, required in ((now, True), (now.shifted(-1), False)):
            query = ComtradeQuery(reporter, when.label, partners=(partner,))
            name = f"comtrade_{query.reporter}_{query.partners[0]}_{query.freq}_{when.label}"
            out = where / "extracts" / f"{name.replace('..', '_')}.json"
            try:
                fetch_comtrade(query, key=key, out=out, cache=where / "answers")
            except TradeDataError:
                if required:
                    raise
                continue
            s.load_file(out, format="comtrade-json", dataset=name)


@sub.command("series")
def series_cmd(  # noqa: PLR0917
    reporter: str,
    partner: str,
    start: Annotated[str, typer.Option("--from", help="First year or month.")],
    end: Annotated[str, typer.Option("--to", help="Last year or month.")],
    currency: CurrencyOption = None,
    prefer: PreferOption = None,
    mix: MixOption = "allow",
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Exports, imports and turnover by year or month, with growth and each row's source."""
    from steppe.trade.stats import series

    with _store(store) as s:
        result = series(
            s, reporter, partner, start, end, currency=currency, rule=_rule(prefer, mix)
        )
    if json:
        print_json(result.to_dict())
    else:
        _table(
            result.table,
            f"{result.reporter}-{result.partner} trade, {result.currency}",
            {"exports", "imports", "turnover"},
            {"growth_pct"},
        )
        if result.note:
            console.print(f"note: {result.note}")


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
    basis: Annotated[
        str,
        typer.Option(
            "--basis", help="world: shares of the World total; listed: of the partners listed."
        ),
    ] = "world",
    currency: CurrencyOption = None,
    prefer: PreferOption = None,
    mix: MixOption = "allow",
    store: StoreOption = None,
    json: JsonOption = False,
) -> None:
    """Each partner's share of COUNTRY's exports, imports and turnover (of the World total)."""
    from steppe.trade.compare import shares

    with _store(store) as s:
        result = shares(
            s,
            country,
            period,
            top=top,
            basis=basis,  # type: ignore[arg-type]
            currency=currency,
            rule=_rule(prefer, mix),
        )
    if json:
        print_json(result.to_dict())
    else:
        _table(
            result.table,
            f"Partners of {result.country} {result.period}, {result.currency}, "
            f"shares of the {result.basis}",
            {"exports", "imports", "turnover"},
            {"exports_share_pct", "imports_share_pct", "turnover_share_pct"},
        )


def register(app: typer.Typer) -> None:
    """Add the ``trade`` command group to the root app."""
    app.add_typer(sub, name="trade")
