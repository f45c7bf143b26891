"""``steppe network ...`` and ``steppe places``: inspect, validate and export networks."""

from __future__ import annotations

import json
from enum import StrEnum
from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from steppe.cli._common import NetworkOption, console, print_json, write_atomic
from steppe.errors import NetworkFileError
from steppe.network import (
    load_network,
    network_to_geojson,
    read_network,
    search_places,
    write_network,
)
from steppe.network.io import check_folder
from steppe.network.summary import network_summary

__all__ = ["ExportFormat", "export", "info", "places", "register", "validate"]

network_app = typer.Typer(help="Inspect, validate and export networks.", no_args_is_help=True)


class ExportFormat(StrEnum):
    """What ``network export`` writes."""

    GEOJSON = "geojson"
    GPKG = "gpkg"
    CSV = "csv"


@network_app.command("info")
def info(
    network: NetworkOption = None,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Show counts of nodes, links by mode, border crossings and countries."""
    summary = network_summary(load_network(network))
    if as_json:
        print_json(summary)
        return
    by_country = summary.pop("by_country")
    table = Table(title=f"network {summary['name']}", show_header=False)
    for key, value in summary.items():
        if isinstance(value, dict):
            text = ", ".join(f"{k} {v}" for k, v in value.items())
        elif isinstance(value, list):
            text = " ".join(value)
        else:
            text = str(value)
        table.add_row(key.replace("_", " "), text)
    console.print(table)
    columns = ["nodes", *(m for m in next(iter(by_country.values()), {}) if m != "nodes")]
    counts = Table(title="nodes and links by country (a link counts in every country it crosses)")
    counts.add_column("country")
    for col in columns:
        counts.add_column(col if col == "nodes" else f"{col} links", justify="right")
    for country, row in by_country.items():
        counts.add_row(country, *(str(row[c]) for c in columns))
    console.print(counts)


@network_app.command("validate")
def validate(
    folder: Annotated[Path, typer.Argument(help="Network folder to check.")],
    as_json: Annotated[
        bool, typer.Option("--json", help="Print JSON; problems go to stderr as a JSON error.")
    ] = False,
) -> None:
    """Check a network folder; print every problem as file:row:column: message."""
    problems = check_folder(folder)
    errors = [p for p in problems if p.severity == "error"]
    if as_json:
        if errors:
            raise NetworkFileError(problems)
        net = read_network(folder, validate=False)
        print_json({
            "ok": True, "folder": str(folder), "nodes": len(net.nodes), "links": len(net.links),
            "borders": len(net.borders), "transfers": len(net.transfers),
            "warnings": [str(p) for p in problems],
        })  # fmt: skip
        return
    for p in problems:
        typer.echo(str(p) if p.severity == "error" else f"{p} (warning)", err=True)
    if errors:
        typer.echo(f"{len(errors)} errors in {folder}", err=True)
        raise typer.Exit(1)
    net = read_network(folder, validate=False)
    typer.echo(
        f"ok: {folder}: {len(net.nodes)} nodes, {len(net.links)} links, "
        f"{len(net.borders)} border crossings, {len(net.transfers)} transfers"
    )


@network_app.command("export")
def export(
    output: Annotated[
        Path, typer.Option("-o", "--output", help="File (geojson, gpkg) or folder (csv).")
    ],
    fmt: Annotated[ExportFormat, typer.Option("--format", help="Output format.")] = (
        ExportFormat.GEOJSON
    ),
    network: NetworkOption = None,
    overwrite: Annotated[bool, typer.Option(help="Replace an existing output.")] = False,
    as_json: Annotated[
        bool, typer.Option("--json", help="Print what was written as JSON.")
    ] = False,
) -> None:
    """Write the network as GeoJSON, a GeoPackage (a layer per feature type) or CSV."""
    net = load_network(network)
    if output.exists() and not overwrite:
        raise NetworkFileError(
            f"{output} already exists; add --overwrite to replace it", file=str(output)
        )
    if fmt is ExportFormat.GEOJSON:
        write_atomic(output, json.dumps(network_to_geojson(net), ensure_ascii=False))
    elif fmt is ExportFormat.GPKG:
        from steppe.network.gpkg import write_gpkg

        write_gpkg(net, output)
    else:
        write_network(net, output, overwrite=overwrite)
    if as_json:
        print_json({"output": str(output), "format": fmt.value, "nodes": len(net.nodes),
                    "links": len(net.links), "borders": len(net.borders),
                    "transfers": len(net.transfers)})  # fmt: skip
        return
    typer.echo(f"wrote {output}")


def places(
    query: Annotated[str, typer.Argument(help="Part of a name, alias or id.")] = "",
    network: NetworkOption = None,
    limit: Annotated[int, typer.Option(min=1, help="Most places to list.")] = 20,
    as_json: Annotated[bool, typer.Option("--json", help="Print JSON.")] = False,
) -> None:
    """Find places on the network by name, alias or id."""
    found = search_places(load_network(network), query, limit=limit)
    if as_json:
        print_json([n.to_dict() for n in found])
        return
    table = Table("id", "name", "country", "kind", "aliases")
    for n in found:
        table.add_row(n.id, n.name, n.country, n.kind.value, ", ".join(n.aliases))
    console.print(table)


def register(app: typer.Typer) -> None:
    """Add ``network`` and ``places`` to the root app."""
    app.add_typer(network_app, name="network")
    app.command("places")(places)
