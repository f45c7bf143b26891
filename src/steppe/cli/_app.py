"""The root Typer app and the registration of every command group."""

from __future__ import annotations

import typer

__all__ = ["app"]

app = typer.Typer(
    name="steppe",
    help="Plan and evaluate freight corridors across Eurasia. Add --debug for tracebacks.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)

# Command groups register themselves here, one import each (keep sorted).
from steppe.cli import gravity as _gravity  # noqa: E402
from steppe.cli import impact as _impact  # noqa: E402
from steppe.cli import network as _network  # noqa: E402
from steppe.cli import route as _route  # noqa: E402
from steppe.cli import scenario as _scenario  # noqa: E402
from steppe.cli import serve as _serve  # noqa: E402
from steppe.cli import trade as _trade  # noqa: E402

_gravity.register(app)
_impact.register(app)
_network.register(app)
_route.register(app)
_scenario.register(app)
_serve.register(app)
_trade.register(app)
