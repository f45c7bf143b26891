"""The root Typer app and the lazy registration of every command group.

``steppe --help`` and ``steppe --version`` must not pay for pandas, scipy or pydantic,
so command modules are imported on first use: :data:`COMMANDS` maps each command name
to the module that registers it and to the one-line help shown in ``steppe --help``
(a test checks that these lines equal the commands' own docstrings).
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Annotated, Any

import typer
from typer.core import TyperCommand, TyperGroup

if TYPE_CHECKING:  # recent Typer vendors Click, and TyperGroup is typed with its classes
    from typer import _click as click

__all__ = ["COMMANDS", "LazyGroup", "app", "plain_flags", "root"]

# command name -> (module whose ``register(app)`` defines it, first line of its help);
# in the order ``steppe --help`` lists them (commands, then groups, as Typer does).
COMMANDS: dict[str, tuple[str, str]] = {
    "appraise": (
        "steppe.cli.appraise",
        "Appraise SCENARIO as a project: NPV, BCR and EIRR with Monte Carlo bands.",
    ),
    "assign": (
        "steppe.cli.appraise",
        "Assign freight demand to routes: tonnes and FEU per day on links and borders.",
    ),
    "impact": (
        "steppe.cli.impact",
        "Estimate what SCENARIO does to Kazakhstan–Mongolia trade, exports and real GDP.",
    ),
    "places": ("steppe.cli.network", "Find places on the network by name, alias or id."),
    "route": (
        "steppe.cli.route",
        "Find how a shipment should go from ORIGIN to DESTINATION: days, USD, kg CO2.",
    ),
    "matrix": (
        "steppe.cli.route",
        "Write time, cost, CO2 and distance between places to a CSV, Parquet or OMX file.",
    ),
    "serve": (
        "steppe.cli.serve",
        "Open the corridor planner: routes, scenarios and trade on a map, offline.",
    ),
    "calibrate": (
        "steppe.cli.calibrate",
        "Measure steppe against published shipments (the register or your own), and fit.",
    ),
    "gravity": ("steppe.cli.gravity", "Structural gravity: PPML fits and GE counterfactuals."),
    "network": ("steppe.cli.network", "Inspect, validate and export networks."),
    "scenario": ("steppe.cli.scenario", "List, check and compare scenarios."),
    "trade": (
        "steppe.cli.trade",
        "Trade statistics: turnover, series, composition, mirror gaps, shares.",
    ),
}


def plain_flags(command: click.Command) -> None:
    """Show on/off options in help as ``--json``, not ``--json <bool>``, here and below.

    Typer labels every option with its type; an on/off flag takes no value, so the label
    only misleads. Its help option is made (and kept) here to be labelled the same way.
    """
    ctx = type(command).context_class(command)
    for param in [*command.params, command.get_help_option(ctx)]:
        if param is not None and getattr(param, "is_flag", False):
            param.metavar = ""
    for sub in getattr(command, "commands", {}).values():
        plain_flags(sub)


class LazyGroup(TyperGroup):
    """A root group that imports a command's module only when the command is used.

    While the root help is being written, commands not yet imported are shown from
    :data:`COMMANDS` without importing them.
    """

    _listing = False

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        plain_flags(self)

    def list_commands(self, ctx: click.Context) -> list[str]:
        """Name every command, imported or not, in help order."""
        extra = [name for name in super().list_commands(ctx) if name not in COMMANDS]
        return [*COMMANDS, *extra]

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        """Return the command *cmd_name*, importing its module on first use."""
        if cmd_name in self.commands or cmd_name not in COMMANDS:
            return super().get_command(ctx, cmd_name)
        module_name, short_help = COMMANDS[cmd_name]
        if self._listing:
            return TyperCommand(cmd_name, help=short_help)
        self.load(module_name)
        return super().get_command(ctx, cmd_name)

    def load(self, module_name: str) -> None:
        """Import *module_name* and add every command it registers to this group."""
        holder = typer.Typer()
        importlib.import_module(module_name).register(holder)
        for name, command in typer.main.get_group(holder).commands.items():
            plain_flags(command)
            self.add_command(command, name)

    def format_help(self, ctx: click.Context, formatter: click.HelpFormatter) -> None:
        """Write the root help without importing the command modules."""
        self._listing = True
        try:
            super().format_help(ctx, formatter)
        finally:
            self._listing = False


app = typer.Typer(
    name="steppe",
    cls=LazyGroup,
    help="Plan and evaluate freight corridors across Eurasia. Add --debug for tracebacks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)


def _print_version(value: bool) -> None:
    if value:
        from steppe import __version__

        typer.echo(f"steppe {__version__}")
        raise typer.Exit()


@app.callback()
def root(
    version: Annotated[
        bool,
        typer.Option(
            "--version", callback=_print_version, is_eager=True, help="Print the version and exit."
        ),
    ] = False,
) -> None:
    """Plan and evaluate freight corridors across Eurasia. Add --debug for tracebacks."""
