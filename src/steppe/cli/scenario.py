"""``steppe scenario ...``: list, show, validate and compare scenarios."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from steppe.cli._common import NetworkOption, console, print_json, progress_bar, write_atomic
from steppe.cli._options import (
    AvoidOption,
    CargoOption,
    ClosedTransitOption,
    DepartOption,
    ModesOption,
    OptimizeOption,
    PriceDateOption,
    ServiceOption,
    ValueOption,
    error_message,
    route_options,
)
from steppe.errors import ConfigError
from steppe.network import load_network
from steppe.routing import Objective
from steppe.scenarios import bundled_scenarios, load_scenarios, read_scenario, resolve_scenario
from steppe.scenarios.compare import compare, read_demand

__all__ = ["compare_cmd", "list_", "register", "show", "sweep_cmd", "validate"]

scenario_app = typer.Typer(help="List, check and compare scenarios.", no_args_is_help=True)
JsonOption = Annotated[bool, typer.Option("--json", help="Print JSON.")]


@scenario_app.command("list")
def list_(as_json: JsonOption = False) -> None:
    """List the bundled scenarios."""
    scenarios = bundled_scenarios()
    if as_json:
        print_json([{"name": s.name, "title": s.title, "edits": len(s.spec.edits)}
                    for s in scenarios])  # fmt: skip
        return
    table = Table("name", "title", "edits")
    for s in scenarios:
        table.add_row(s.name, s.title, str(len(s.spec.edits)))
    console.print(table)


@scenario_app.command("show")
def show(name: Annotated[str, typer.Argument(help="Bundled name or scenario file.")],
         as_json: JsonOption = False) -> None:  # fmt: skip
    """Show a scenario: title, description, sources and edits."""
    s = resolve_scenario(name)
    if as_json:
        print_json(s.to_dict())
        return
    console.print(f"[bold]{s.title}[/bold]  ({s.name}, {s.file})")
    console.print(s.spec.description.strip())
    for src in s.spec.sources:
        console.print(f"  source: {src}", highlight=False)
    for i, e in enumerate(s.spec.edits, start=1):
        fields = e.model_dump(mode="json", exclude={"type", "source", "note"},
                              exclude_unset=True)  # fmt: skip
        text = ", ".join(f"{k} = {v}" for k, v in fields.items())
        console.print(f"{i}. {e.type}: {text}", highlight=False)


@scenario_app.command("validate")
def validate(file: Annotated[Path, typer.Argument(help="Scenario TOML file.")],
             network: NetworkOption = None, as_json: JsonOption = False) -> None:  # fmt: skip
    """Check a scenario file and that it applies to the network; exit 1 on problems."""
    s = read_scenario(file)
    out = load_scenarios([file], load_network(network))
    if as_json:
        from steppe.scenarios import describe_changes

        print_json({"ok": True, "file": str(file), "name": s.name, "title": s.title,
                    "edits": len(s.spec.edits), "changes": [c.to_dict() for c in out.changes],
                    "described": describe_changes(out)})  # fmt: skip
        return
    typer.echo(f"ok: {file}: {s.title}: {len(s.spec.edits)} edits, {len(out.changes)} changes")


def _pairs(text: str | None) -> list[tuple[str, str]] | None:
    if not text:
        return None
    pairs = []
    for item in text.split(","):
        a, sep, b = item.partition(":")
        if not sep or not a.strip() or not b.strip():
            raise ConfigError(f"--pairs: {item!r} is not ORIGIN:DESTINATION")
        pairs.append((a.strip(), b.strip()))
    return pairs


# the comparison options `compare` and `sweep` share
CountriesOption = Annotated[str | None, typer.Option(help="Only places in KAZ,MNG,...")]
DemandOption = Annotated[Path | None, typer.Option(help="OD demand CSV origin,destination,weight")]


@scenario_app.command("compare")
def compare_cmd(  # noqa: PLR0917 (typer options)
    names: Annotated[list[str], typer.Argument(help="Bundled names or files (stacked).")],
    pairs: Annotated[str | None, typer.Option(help="Pairs A:B,C:D (node ids).")] = None,
    countries: CountriesOption = None,
    demand: DemandOption = None,
    optimize: OptimizeOption = None,
    modes: ModesOption = None,
    avoid: AvoidOption = None,
    closed_transit: ClosedTransitOption = None,
    cargo: CargoOption = "feu",
    value: ValueOption = None,
    price_date: PriceDateOption = None,
    service: ServiceOption = None,
    depart: DepartOption = None,
    top: Annotated[int, typer.Option(help="Rows of winners and losers to show.")] = 10,
    output: Annotated[Path | None, typer.Option("-o", "--output", help="HTML report.")] = None,
    network: NetworkOption = None,
    as_json: JsonOption = False,
    calibration: Annotated[
        Path | None,
        typer.Option("--calibration", help="Calibration overlay TOML (applied to both sides)."),
    ] = None,
) -> None:
    """Compare scenarios (stacked in order) with the baseline over place pairs."""
    options = route_options(
        optimize=optimize, modes=modes, avoid=avoid, closed_transit=closed_transit, cargo=cargo,
        value=value, price_date=price_date, service=service, depart=depart,
    )  # fmt: skip
    base = load_network(network)
    applied = load_scenarios(names, base)
    if calibration is not None:
        import dataclasses

        from steppe.calibration import apply_calibration, read_calibration

        cal = read_calibration(calibration, base)
        net, cm = apply_calibration(applied.network, cal, applied.cost_model)
        base = apply_calibration(base, cal)[0]
        applied = dataclasses.replace(applied, network=net, cost_model=cm)
    with progress_bar("routing baseline and scenario", as_json=as_json):
        result = compare(
            base, applied, options, pairs=_pairs(pairs),
            countries=[c.strip() for c in countries.split(",")] if countries else None,
            demand=read_demand(demand) if demand else None,
        )  # fmt: skip
    if output is not None:
        from steppe.reports import comparison_html

        write_atomic(output, comparison_html(result, top=top))
    if as_json:
        print_json(result.to_dict(top=top))
        return
    when = "" if options.depart is None else f", leaving {options.depart:%Y-%m-%d %H:%M}"
    console.print(f"[bold]{applied.title}[/bold] vs baseline ({result.objective}{when})")
    if result.price_date:
        console.print(f"  prices of {result.price_date}", highlight=False)
    from steppe.reports.comparison import NAMES, UNITS

    for k, v in result.summary().items():
        if k.startswith("mean_") and k.endswith("_delta"):
            metric = k.removeprefix("mean_").removesuffix("_delta")
            text = "–" if v is None else f"{v:+,.1f} {UNITS.get(metric, metric)}"
            console.print(f"  mean change of {NAMES.get(metric, metric)} per pair: {text}",
                          highlight=False)  # fmt: skip
        else:
            console.print(f"  {k.replace('_', ' ')} (place pairs): {v:,}", highlight=False)

    m = result.metric
    unit = UNITS.get(m, m)
    for title, df in (("gains", result.winners(top)), ("losses", result.losers(top))):
        table = Table("from", "to", f"before ({unit})", f"after ({unit})", "change",
                      "change %", "corridor after", title=title)  # fmt: skip
        for _, r in df.iterrows():
            base = r[f"{m}_base"]
            pct = f"{r[f'{m}_delta'] / base * 100:+.1f} %" if base else "–"
            table.add_row(r["origin_name"], r["destination_name"], f"{base:,.1f}",
                          f"{r[f'{m}_scen']:,.1f}", f"{r[f'{m}_delta']:+,.1f}", pct,
                          str(r["corridor_scen"]))  # fmt: skip
        console.print(table)
    if output is not None:
        console.print(f"report written to {output}")


@scenario_app.command("sweep")
def sweep_cmd(  # noqa: PLR0917 (typer options)
    names: Annotated[
        list[str], typer.Argument(help="Bundled names or files; A+B stacks A and B as one.")
    ],
    countries: CountriesOption = None,
    demand: DemandOption = None,
    optimize: OptimizeOption = None,
    modes: ModesOption = None,
    avoid: AvoidOption = None,
    cargo: CargoOption = "feu",
    price_date: PriceDateOption = None,
    scheduler: Annotated[
        str | None, typer.Option(help="dask.distributed scheduler address, e.g. tcp://host:8786.")
    ] = None,
    workers: Annotated[
        int, typer.Option(min=1, help="Local worker processes when no --scheduler (dist extra).")
    ] = 1,
    output: Annotated[
        Path | None,
        typer.Option("-o", "--output", help="Pair table of every scenario: .csv or .parquet."),
    ] = None,
    network: NetworkOption = None,
    as_json: JsonOption = False,
) -> None:
    """Compare each scenario with the baseline over all place pairs, here or on a cluster."""
    from steppe.scenarios.sweep import sweep, sweep_file_format

    if output is not None:
        try:
            sweep_file_format(output)  # refuse the file name before the work
        except ConfigError as exc:
            raise ConfigError(error_message(exc)) from None
    options = route_options(optimize=optimize, modes=modes, avoid=avoid, cargo=cargo,
                            price_date=price_date)  # fmt: skip
    result = sweep(
        [name.split("+") if "+" in name else name for name in names], load_network(network),
        options, countries=[c.strip() for c in countries.split(",")] if countries else None,
        demand=read_demand(demand) if demand else None, scheduler=scheduler, workers=workers,
    )  # fmt: skip
    if output is not None:
        result.write(output)
    if as_json:
        print_json({**result.to_dict(), "output": str(output) if output else None})
        return
    m = Objective(result.objective).metric
    table = Table("scenario", "pairs changed", "gain", "lose", f"mean {m} change",
                  title=f"scenarios vs baseline ({result.objective})")  # fmt: skip
    for r in result.summary().to_dict(orient="records"):
        table.add_row(str(r["scenario"]), f"{r['changed_pairs']:,}", f"{r['faster_or_cheaper']:,}",
                      f"{r['slower_or_dearer']:,}", f"{r[f'mean_{m}_delta']:+,.2f}")  # fmt: skip
    console.print(table)
    if output is not None:
        console.print(f"pairs of every scenario written to {output}")


def register(app: typer.Typer) -> None:
    """Add ``steppe scenario`` to the root app."""
    app.add_typer(scenario_app, name="scenario")
