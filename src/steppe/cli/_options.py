"""The routing options every command shares, declared once, and the one builder of
:class:`~steppe.routing.RouteOptions` from them.

A command lists the option types it offers (``modes: ModesOption = None``) and passes
the values to :func:`route_options`; adding a routing option means one type here, one
keyword of :func:`route_options`, and the parameter in each command that offers it.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

if TYPE_CHECKING:
    from steppe.network.model import Network
    from steppe.routing import CostModel, RouteOptions

__all__ = [
    "FLAGS",
    "AvoidOption",
    "CalibrationOption",
    "CargoOption",
    "ClosedTransitOption",
    "DepartOption",
    "ModesOption",
    "OptimizeOption",
    "ScenarioOption",
    "ValueOption",
    "ViaOption",
    "error_message",
    "route_options",
    "split",
    "with_scenarios",
]

ViaOption = Annotated[
    list[str] | None, typer.Option("--via", help="Pass through this place (repeat, in order).")
]
ModesOption = Annotated[
    str | None, typer.Option("--modes", help="Allowed modes, e.g. road,rail,ferry,sea.")
]
AvoidOption = Annotated[
    list[str] | None, typer.Option("--avoid", help="Countries to avoid: RUS,IR or names.")
]
ClosedTransitOption = Annotated[
    list[str] | None,
    typer.Option("--closed-transit", help="Countries routes may start or end in but not cross."),
]
OptimizeOption = Annotated[
    str | None,
    typer.Option("--optimize", help="time, cost, co2, distance or generalized (default)."),
]
CargoOption = Annotated[str, typer.Option("--cargo", help="feu, teu or tonnes:N.")]
ValueOption = Annotated[
    float | None, typer.Option("--value", help="Cargo value in USD (value of time).")
]
DepartOption = Annotated[
    str | None,
    typer.Option(
        "--depart",
        help="Departure date, e.g. 2025-07-10: closures, queues and sailings on that date "
        "(default: yearly averages).",
    ),
]
ScenarioOption = Annotated[
    list[str] | None,
    typer.Option("--scenario", help="Scenario name or file to apply (repeat to stack)."),
]

CalibrationOption = Annotated[
    Path | None,
    typer.Option("--calibration", help="Calibration overlay TOML (applied after scenarios)."),
]


#: The flag of each library parameter, for error messages (``modes: ...`` -> ``--modes: ...``).
FLAGS: dict[str, str] = {
    "alternatives": "--alternatives",
    "avoid": "--avoid",
    "cargo": "--cargo",
    "closed_transit": "--closed-transit",
    "depart": "--depart",
    "draws": "--draws",
    "gdp": "--gdp",
    "modes": "--modes",
    "objective": "--optimize",
    "path": "--output",
    "store": "--trade-store",
    "trade_data": "--trade-data",
    "via": "--via",
    "within_days": "--within",
    "year": "--year",
}


def error_message(exc: Exception) -> str:
    """Return an error's message with the library's parameter names as CLI flags."""
    from steppe.errors import ConfigError

    return exc.renamed(FLAGS) if isinstance(exc, ConfigError) else str(exc)


def split(values: list[str] | None) -> list[str]:
    """Return the items of repeated, comma-separated option values."""
    return [v.strip() for item in values or [] for v in item.split(",") if v.strip()]


def route_options(
    *,
    via: list[str] | None = None,
    modes: str | None = None,
    avoid: list[str] | None = None,
    closed_transit: list[str] | None = None,
    optimize: str | None = None,
    cargo: str = "feu",
    value: float | None = None,
    cost_model: CostModel | None = None,
    depart: str | None = None,
) -> RouteOptions:
    """Build the routing options of a command from its flags, once."""
    from steppe.routing import Cargo, RouteOptions

    return RouteOptions.build(
        via=split(via),
        modes=modes,
        avoid=split(avoid),
        closed_transit=split(closed_transit),
        optimize=optimize,
        cargo=Cargo.parse(cargo, value_usd=value),
        cost_model=cost_model,
        depart=depart,
    )


def with_scenarios(
    net: Network, scenarios: list[str] | None, calibration: Path | None = None
) -> tuple[Network, CostModel | None]:
    """Apply ``--scenario`` names or files (stacked), then a ``--calibration`` overlay.

    The overlay is a network transform applied at the edge (see
    :func:`steppe.calibration.apply_calibration`), so every routing entry point sees the
    calibrated network through the options it already takes.
    """
    model: CostModel | None = None
    if scenarios:
        from steppe.scenarios import load_scenarios

        applied = load_scenarios(split(scenarios), net)
        net, model = applied.network, applied.cost_model
    if calibration is not None:
        from steppe.calibration import apply_calibration, read_calibration

        net, model = apply_calibration(net, read_calibration(calibration, net), model)
    return net, model
