"""``steppe serve``: run the corridor planner web app with uvicorn."""

from __future__ import annotations

import logging
import threading
import webbrowser
from typing import Annotated

import typer

from steppe.cli._common import NetworkOption, err_console
from steppe.errors import ConfigError, MissingExtraError

__all__ = ["register", "serve"]

logger = logging.getLogger(__name__)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    network: NetworkOption = None,
    open_browser: Annotated[
        bool, typer.Option("--open/--no-open", help="Open the page in the default browser.")
    ] = True,
) -> None:
    """Open the corridor planner: routes, scenarios and trade on a map, offline."""
    try:
        import uvicorn

        from steppe.web import create_app
    except ImportError as exc:
        name = getattr(exc, "name", None) or "fastapi"
        raise MissingExtraError(
            name if name in ("fastapi", "uvicorn") else "fastapi", "web"
        ) from exc
    from steppe.network import load_network

    net = load_network(network)
    app = create_app(net, network_label=str(network) if network else None)
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    if host not in ("127.0.0.1", "localhost", "::1"):
        err_console.print(f"[yellow]listening on {host}: other machines can reach the app[/]")
    err_console.print(f"steppe corridor planner on {url} (API docs {url}docs); Ctrl+C to stop")
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    try:
        uvicorn.run(app, host=host, port=port, log_level="info")
    except OSError as exc:  # address in use, permission denied
        raise ConfigError(f"cannot listen on {host}:{port}: {exc}") from exc


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the root app."""
    app.command("serve")(serve)
