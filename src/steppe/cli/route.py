"""``steppe route`` and ``steppe matrix``: routes, trade-offs and OD matrices from the shell."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from steppe.cli._common import NetworkOption, console, print_json, progress_bar
from steppe.cli._options import (
    AvoidOption,
    CalibrationOption,
    CargoOption,
    ClosedTransitOption,
    DepartOption,
    ModesOption,
    OptimizeOption,
    PriceDateOption,
    ScenarioOption,
    ServiceOption,
    ValueOption,
    ViaOption,
    route_options,
    split,
    with_scenarios,
)
from steppe.errors import ConfigError

if TYPE_CHECKING:  # imported when a command runs: `steppe route --help` needs none of them
    from steppe.routing import RouteResult
    from steppe.routing.reliability import ReliabilityResult
    from steppe.routing.result import Route

__all__ = ["matrix_cmd", "register", "route_cmd"]


def route_cmd(  # noqa: PLR0917 (typer options)
    origin: Annotated[
        str, typer.Argument(help="Origin: network place, GeoNames town or 'lat,lon'.")
    ],
    destination: Annotated[str, typer.Argument(help="Destination (as origin).")],
    via: ViaOption = None,
    modes: ModesOption = None,
    avoid: AvoidOption = None,
    closed_transit: ClosedTransitOption = None,
    optimize: OptimizeOption = None,
    alternatives: Annotated[
        int, typer.Option("--alternatives", help="Up to K routes on different corridors.")
    ] = 1,
    show_pareto: Annotated[
        bool, typer.Option("--pareto", help="All trade-offs of time, cost and CO2.")
    ] = False,
    show_reliability: Annotated[
        bool, typer.Option("--reliability", help="Median and p90 time by Monte Carlo.")
    ] = False,
    within: Annotated[
        float | None, typer.Option("--within", help="Days; chance of arriving in time.")
    ] = None,
    cargo: CargoOption = "feu",
    value: ValueOption = None,
    price_date: PriceDateOption = None,
    service: ServiceOption = None,
    depart: DepartOption = None,
    scenario: ScenarioOption = None,
    network: NetworkOption = None,
    calibration: CalibrationOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
    as_geojson: Annotated[bool, typer.Option("--geojson", help="Print GeoJSON.")] = False,
) -> None:
    """Find how a shipment should go from ORIGIN to DESTINATION: days, USD, kg CO2."""
    if as_json and as_geojson:
        raise ConfigError("choose one of --json and --geojson")
    if show_pareto and alternatives != 1:
        raise ConfigError("--pareto returns every trade-off; it cannot be combined with "
                          "--alternatives")  # fmt: skip
    if show_pareto and optimize is not None:
        raise ConfigError("--pareto does not optimize one objective; drop --optimize")
    from steppe.network.io import load_network
    from steppe.routing import pareto, reliability, route

    net, model = with_scenarios(load_network(network), scenario, calibration)
    options = route_options(
        via=via, modes=modes, avoid=avoid, closed_transit=closed_transit, optimize=optimize,
        cargo=cargo, value=value, cost_model=model, price_date=price_date, service=service,
        depart=depart,
    )  # fmt: skip
    if show_pareto:
        result = pareto(net, origin, destination, options)
    else:
        result = route(net, origin, destination, options, alternatives=alternatives)
    rel: list[ReliabilityResult] = []
    if show_reliability or within is not None:
        rel = [reliability(net, r, options, within_days=within) for r in result.routes]
    if as_geojson:
        print_json(result.to_geojson())
    elif as_json:
        data = result.to_dict()
        for r_dict, r_rel in zip(data["routes"], rel, strict=False):
            r_dict["reliability"] = r_rel.to_dict()
        print_json(data)
    else:
        _print_result(result, rel)


def _print_result(result: RouteResult, rel: list[ReliabilityResult]) -> None:
    what = "Pareto set" if result.kind == "pareto" else f"best by {result.objective}"
    when = f", leaving {result.depart.replace('T', ' ')}" if result.depart else ""
    console.print(f"[bold]{result.origin} → {result.destination}[/bold] ({what}{when})")
    for note in result.notes:
        console.print(f"  {note}", highlight=False)
    console.print(_price_line(result.price_date, result.service), highlight=False)
    if result.kind == "pareto":
        _print_summary(result, rel)
        return
    for i, r in enumerate(result.routes):
        _print_route(i, r, rel[i] if rel else None)


def _print_summary(result: RouteResult, rel: list[ReliabilityResult]) -> None:
    """One row per route: a Pareto set is too long to print leg by leg (use --json)."""
    from rich.table import Table

    table = Table(caption="every option no other beats on time, cost and CO2 at once; "
                  "legs with --json")  # fmt: skip
    cols = ["#", "days", "USD", "kg CO2e WTW", "km", "corridor"]
    if rel:
        cols[5:5] = ["p90 days"]
    for col in cols:
        table.add_column(col, justify="left" if col == "corridor" else "right")
    for i, r in enumerate(result.routes):
        row = [str(i + 1), f"{r.time_days:.1f}", f"{r.cost_usd:,.0f}", f"{r.co2_kg:,.0f}",
               f"{r.distance_km:,.0f}", r.corridor]  # fmt: skip
        if rel:
            row[5:5] = [f"{rel[i].p90_h / 24:.1f}"]
        table.add_row(*row)
    console.print(table)


def _print_route(i: int, r: Route, rel: ReliabilityResult | None) -> None:
    from rich.table import Table

    table = Table(title=f"route {i + 1}: {r.corridor}", title_justify="left")
    numeric = ("km", "hours", "USD", "kg CO2e WTW", "kg CO2e TTW")
    for col in ("from", "to", "mode", "kind", *numeric, "priced by"):
        table.add_column(col, justify="right" if col in numeric else "left")
    co2e = r.leg_co2e()
    for k, leg in enumerate(r.legs):
        ttw = co2e.get(k, (0.0, 0.0))[1]
        table.add_row(
            leg.from_name, leg.to_name, leg.mode, leg.kind, f"{leg.distance_km:,.0f}",
            f"{leg.time_h:,.1f}", f"{leg.cost_usd:,.0f}", f"{leg.co2_kg:,.0f}",
            "–" if ttw is None else f"{ttw:,.0f}", leg.price_ref,
        )  # fmt: skip
    console.print(table)
    ttw_total = f" (TTW {r.emissions.ttw_kg:,.0f})" if r.emissions is not None else ""
    console.print(
        f"  total: {r.time_days:.1f} days, {r.cost_usd:,.0f} USD, "
        f"{r.co2_kg:,.0f} kg CO2e WTW{ttw_total}, "
        f"{r.distance_km:,.0f} km; countries {' → '.join(r.countries)}"
    )
    console.print("  CO2e: ISO 14083 / GLEC v3.0 defaults; --json lists each factor and source")
    console.print(f"  border crossings: {', '.join(r.border_crossings) or 'none'}")
    sources = dict.fromkeys((leg.price_ref, leg.price_source) for leg in r.legs if leg.price_ref)
    if sources:
        console.print("  priced by:", highlight=False)
        for ref, source in sources:
            console.print(f"    {ref}: {source}", highlight=False, soft_wrap=True)
    for leg in r.legs:
        if leg.kind in ("first_mile", "last_mile"):
            what = leg.kind.replace("_", " ")
            console.print(f"  {what} {leg.from_name} → {leg.to_name}: {leg.source}")
    if any(leg.kind in ("first_mile", "last_mile") for leg in r.legs):
        console.print("  the other legs ran on the steppe corridor network")
    if r.depart:
        console.print(
            f"  leaves {r.depart.replace('T', ' ')}, arrives {r.arrive.replace('T', ' ')}"
        )
        for leg in r.legs:
            if leg.note:
                console.print(f"  {leg.start.replace('T', ' ')} {leg.note}", highlight=False)
    if rel is not None:
        chance = (
            f"; P(within {rel.within_days:g} days) = {rel.prob_within:.0%}"
            if rel.prob_within is not None
            else ""
        )
        console.print(
            f"  reliability: median {rel.median_h / 24:.1f} days, "
            f"p90 {rel.p90_h / 24:.1f} days{chance}"
        )


def _price_line(price_date: str | None, service: str | None) -> str:
    if price_date is None:
        return "prices: this network has no dated tariffs (per-km and link prices)"
    return f"prices of {price_date}, {service} service (change with --price-date, --service)"


def matrix_cmd(  # noqa: PLR0917 (typer options)
    output: Annotated[
        Path | None,
        typer.Option(
            "-o",
            "--output",
            help="File: .csv, .parquet (with metadata) or .omx (skims for transport "
            "models); optional with --json.",
        ),
    ] = None,
    origins: Annotated[
        list[str] | None, typer.Option("--from", help="Origins, comma-separated (default all).")
    ] = None,
    destinations: Annotated[
        list[str] | None, typer.Option("--to", help="Destinations (default all).")
    ] = None,
    metric: Annotated[
        str, typer.Option("--metric", help="time, cost, co2 or distance: chooses routes.")
    ] = "time",
    modes: ModesOption = None,
    avoid: AvoidOption = None,
    closed_transit: ClosedTransitOption = None,
    wide: Annotated[
        bool, typer.Option("--wide", help="Write the metric as origin × destination.")
    ] = False,
    points: Annotated[
        Path | None,
        typer.Option(
            "--points",
            help="CSV of origins off the network: a 'place' column "
            "(town or 'lat,lon') or 'lat' and 'lon' columns (door to door).",
        ),
    ] = None,
    cargo: CargoOption = "feu",
    value: ValueOption = None,
    price_date: PriceDateOption = None,
    service: ServiceOption = None,
    depart: DepartOption = None,
    scenario: ScenarioOption = None,
    network: NetworkOption = None,
    calibration: CalibrationOption = None,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON: the rows, or what was written with -o.")
    ] = False,
) -> None:
    """Write time, cost, CO2 and distance between places to a CSV, Parquet or OMX file."""
    if metric not in ("time", "cost", "co2", "distance"):
        raise ConfigError(f"--metric: unknown metric {metric!r}; use time, cost, co2 or distance")
    if output is None and not as_json:
        raise ConfigError("give -o FILE (.csv, .parquet or .omx), or --json to print the matrix")
    from steppe.network.io import load_network
    from steppe.routing import matrix
    from steppe.routing.matrix_io import MatrixInfo, matrix_format, write_matrix

    if output is not None:
        matrix_format(output)  # fail before the work, not after it
    net, model = with_scenarios(load_network(network), scenario, calibration)
    options = route_options(
        modes=modes, avoid=avoid, closed_transit=closed_transit, optimize=metric, cargo=cargo,
        value=value, cost_model=model, price_date=price_date, service=service, depart=depart,
    )  # fmt: skip
    if points is not None:
        from steppe.door.matrix import door_matrix, read_points

        dest = split(destinations)
        if not dest:
            raise ConfigError("--points: give the destinations with --to")
        with progress_bar("door-to-door matrix", as_json=as_json):
            result = door_matrix(net, [*split(origins), *read_points(points)], dest, options)
    else:
        with progress_bar("shortest paths", as_json=as_json):
            result = matrix(net, split(origins) or None, split(destinations) or None, options)
    if output is None:
        table = result.wide(options.objective.metric).reset_index() if wide else result.table
        rows = table.astype(object).where(table.notna(), None).to_dict(orient="records")
        print_json({"metric": metric, "depart": result.depart, "pairs": len(result.table),
                    "rows": rows})  # fmt: skip
        return
    info = MatrixInfo(scenario="+".join(split(scenario)),
                      network=str(network) if network else net.meta.name)  # fmt: skip
    write_matrix(result, output, wide=options.objective.metric if wide else None, info=info)
    if as_json:
        print_json({"output": str(output), "metric": metric, "depart": result.depart,
                    "pairs": len(result.table), "wide": wide})  # fmt: skip
        return
    when = f", leaving {result.depart.replace('T', ' ')}" if result.depart else ""
    console.print(f"wrote {len(result.table)} origin–destination pairs to {output}{when}")
    console.print(_price_line(result.price_date, result.service), highlight=False)


def register(app: typer.Typer) -> None:
    """Add ``steppe route`` and ``steppe matrix`` to the root app."""
    app.command("route")(route_cmd)
    app.command("matrix")(matrix_cmd)
