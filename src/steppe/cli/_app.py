"""The root Typer app and the registration of every command group."""

from __future__ import annotations

from typing import Annotated

import typer

__all__ = ["app", "root"]

app = typer.Typer(
    name="steppe",
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


# Command groups register themselves here, one import each (keep sorted).
from steppe.cli import appraise as _appraise  # noqa: E402
from steppe.cli import calibrate as _calibrate  # noqa: E402
from steppe.cli import gravity as _gravity  # noqa: E402
from steppe.cli import impact as _impact  # noqa: E402
from steppe.cli import network as _network  # noqa: E402
from steppe.cli import route as _route  # noqa: E402
from steppe.cli import scenario as _scenario  # noqa: E402
from steppe.cli import serve as _serve  # noqa: E402
from steppe.cli import trade as _trade  # noqa: E402

_appraise.register(app)
_calibrate.register(app)
_gravity.register(app)
_impact.register(app)
_network.register(app)
_route.register(app)
_scenario.register(app)
_serve.register(app)
_trade.register(app)
