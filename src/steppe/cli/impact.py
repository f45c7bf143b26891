"""``steppe impact``: what a scenario does to trade and real GDP."""

from __future__ import annotations

import math
from enum import StrEnum
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.table import Table

from steppe.cli._common import NetworkOption, console, print_json, progress_bar, write_atomic
from steppe.cli._options import (
    AvoidOption,
    CargoOption,
    ClosedTransitOption,
    ModesOption,
    OptimizeOption,
    PriceDateOption,
    ServiceOption,
    ValueOption,
    route_options,
)
from steppe.errors import ConfigError

__all__ = ["Method", "ReporterSideChoice", "impact", "register"]


class Method(StrEnum):
    """How a change in transit time becomes a change in trade costs."""

    AD_VALOREM = "ad_valorem"
    ELASTICITY = "elasticity"


class ReporterSideChoice(StrEnum):
    """Whose report of a pair a trade-store baseline uses."""

    EXPORTER = "exporter"
    IMPORTER = "importer"
    MIRROR_MAX = "mirror-max"


def impact(  # noqa: PLR0917 (typer options)
    scenario: Annotated[
        list[str], typer.Argument(help="Bundled name(s) or TOML file(s), stacked.")
    ],
    network: NetworkOption = None,
    trade_data: Annotated[
        Path | None,
        typer.Option(help="Baseline trade CSV: exporter, importer, trade, with domestic flows."),
    ] = None,
    trade_store: Annotated[
        bool,
        typer.Option(
            "--trade-store", help="Baseline from one year of the trade store (see --year, --gdp)."
        ),
    ] = False,
    store: Annotated[
        Path | None,
        typer.Option("--store", help="Trade store file (default as for `steppe trade`)."),
    ] = None,
    year: Annotated[int | None, typer.Option(help="Year of the trade-store baseline.")] = None,
    gdp_file: Annotated[
        Path | None,
        typer.Option(
            "--gdp", help="GDP CSV (iso3, gdp in million USD of --year); built in for 2006."
        ),
    ] = None,
    reporter_side: Annotated[
        ReporterSideChoice, typer.Option(help="Whose report of a pair the store baseline uses.")
    ] = ReporterSideChoice.EXPORTER,
    method: Annotated[Method, typer.Option(help="Time to trade-cost conversion.")] = (
        Method.AD_VALOREM
    ),
    per_day: Annotated[
        float, typer.Option(help="Ad-valorem equivalent of one day in transit (0.0135 = 1.35%).")
    ] = 0.0135,
    elasticity: Annotated[
        float | None, typer.Option(help="Trade elasticity to transit time (method elasticity).")
    ] = None,
    sigma: Annotated[float, typer.Option(help="Elasticity of substitution.")] = 7.0,
    reference: Annotated[
        str | None,
        typer.Option(help="Numéraire country (ISO3); default USA, else the largest economy."),
    ] = None,
    draws: Annotated[int, typer.Option(min=0, help="Monte Carlo draws for the bands.")] = 100,
    seed: Annotated[int, typer.Option(help="Random seed.")] = 0,
    scheduler: Annotated[
        str | None, typer.Option(help="dask.distributed scheduler address, e.g. tcp://host:8786.")
    ] = None,
    optimize: OptimizeOption = None,
    modes: ModesOption = None,
    avoid: AvoidOption = None,
    closed_transit: ClosedTransitOption = None,
    cargo: CargoOption = "feu",
    value: ValueOption = None,
    price_date: PriceDateOption = None,
    service: ServiceOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="Write an HTML report.")] = (
        None
    ),
) -> None:
    """Estimate what SCENARIO does to Kazakhstan–Mongolia trade, exports and real GDP."""
    from steppe.cli.trade import default_store_path
    from steppe.gravity.scenario_impact import impact_baseline, scenario_impact
    from steppe.network import load_network

    if trade_store and year is None:
        raise ConfigError("--trade-store needs --year YYYY")
    if not trade_store and (year is not None or gdp_file is not None or store is not None):
        raise ConfigError("--year, --gdp and --store go with --trade-store")
    baseline = impact_baseline(
        trade_data=trade_data,
        store=(store or default_store_path()) if trade_store else None,
        year=year,
        gdp=gdp_file,
        reporter_side=reporter_side.value,
    )
    options = route_options(
        optimize=optimize, modes=modes, avoid=avoid, closed_transit=closed_transit, cargo=cargo,
        value=value, price_date=price_date, service=service,
    )  # fmt: skip
    with progress_bar(f"shortest paths, then {draws} draws", as_json=as_json):
        result = scenario_impact(
            scenario, load_network(network), options, baseline_trade=baseline,
            method=method.value, ad_valorem_per_day=per_day, elasticity=elasticity, sigma=sigma,
            reference=reference, draws=draws, seed=seed, scheduler=scheduler,
        )  # fmt: skip
    if output is not None:
        from steppe.reports import impact_html

        write_atomic(output, impact_html(result))
    if as_json:
        print_json(result.to_dict())
        return
    focus = Table(title=f"{result.title}: Kazakhstan–Mongolia trade")
    base_year = str(year) if trade_store else "given" if trade_data is not None else "2006"
    for col in ("flow", f"baseline, USD mn ({base_year})", "change %", "5–95% band"):
        focus.add_column(col)
    for r in result.impact.focus.itertuples():
        focus.add_row(str(r.flow), f"{r.trade_base:,.1f}", f"{r.change_pct:+.3f}",
                      _band(r.p05, r.p95, 3))  # fmt: skip
    console.print(focus)
    c = result.impact.countries
    c = c.reindex(c["real_gdp_change_pct"].abs().sort_values(ascending=False).index).head(10)
    gdp = Table(title="largest real GDP changes")
    for col in ("country", "exports %", "real GDP %", "5–95% band"):
        gdp.add_column(col)
    for r in c.itertuples():
        gdp.add_row(str(r.country), f"{r.exports_change_pct:+.4f}", f"{r.real_gdp_change_pct:+.4f}",
                    _band(r.real_gdp_p05, r.real_gdp_p95, 4))  # fmt: skip
    console.print(gdp)
    if output is not None:
        console.print(f"report: {output}")


def _band(lo: Any, hi: Any, digits: int) -> str:
    """Format a 5–95 % band; without Monte Carlo draws there is none."""
    lo, hi = float(lo), float(hi)
    if math.isnan(lo) or math.isnan(hi):
        return "– (no draws)"
    return f"{lo:+.{digits}f} … {hi:+.{digits}f}"


def register(app: typer.Typer) -> None:
    """Add ``impact`` to the root app."""
    app.command("impact")(impact)
