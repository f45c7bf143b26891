"""``steppe serve``: run the corridor planner web app with uvicorn, in one or more processes."""

from __future__ import annotations

import logging
import os
import tempfile
import threading
import webbrowser
from typing import Annotated, Any

import typer

from steppe.cli._common import NetworkOption, err_console
from steppe.errors import ConfigError, MissingExtraError

__all__ = ["register", "serve"]

logger = logging.getLogger(__name__)

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def serve(  # noqa: PLR0917 (typer maps parameters to options)
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    network: NetworkOption = None,
    open_browser: Annotated[
        bool, typer.Option("--open/--no-open", help="Open the page in the default browser.")
    ] = True,
    workers: Annotated[
        int,
        typer.Option(
            min=0,
            max=64,
            help="Worker processes; 0 = one per CPU core. Each reads the network once.",
        ),
    ] = 1,
    allowed_host: Annotated[
        list[str] | None,
        typer.Option(
            "--allowed-host",
            help="A Host header to answer (repeat for several; '*.example.org' for "
            "subdomains). Default: loopback names only, against DNS rebinding.",
        ),
    ] = None,
    timeout: Annotated[
        float | None,
        typer.Option(min=0.1, help="Seconds after which a request's computation stops (30)."),
    ] = None,
    access_log: Annotated[
        bool, typer.Option("--access-log/--no-access-log", help="Log every request.")
    ] = True,
) -> None:
    """Open the corridor planner: routes, scenarios and trade on a map, offline."""
    try:
        import uvicorn

        from steppe.web import create_app
        from steppe.web._serve import ENVIRONMENT_VARIABLE, ServeConfig
    except ImportError as exc:
        name = getattr(exc, "name", None) or "fastapi"
        raise MissingExtraError(
            name if name in ("fastapi", "uvicorn") else "fastapi", "web"
        ) from exc
    from steppe.network import load_network
    from steppe.web.limits import Limits

    hosts = tuple(allowed_host or ("127.0.0.1", "localhost", "[::1]"))
    overrides: dict[str, Any] = {} if timeout is None else {"timeout_s": timeout}
    limits = Limits(**overrides)  # checks the values before any process starts
    net = load_network(network)  # reports a bad folder once, before forking
    processes = workers or os.cpu_count() or 1
    url = f"http://{'127.0.0.1' if host in ('0.0.0.0', '::') else host}:{port}/"
    if host not in _LOOPBACK:
        err_console.print(f"[yellow]listening on {host}: other machines can reach the app[/]")
        if allowed_host is None:
            err_console.print(
                "[yellow]only requests addressed to 127.0.0.1 or localhost are answered; "
                "add --allowed-host NAME for the name clients use[/]"
            )
    err_console.print(
        f"steppe corridor planner on {url} (API docs {url}docs), {processes} worker "
        f"process{'es' if processes > 1 else ''}; Ctrl+C to stop"
    )
    if open_browser:
        threading.Timer(1.0, webbrowser.open, args=(url,)).start()
    try:
        if processes == 1:
            app = create_app(
                net,
                limits=limits,
                network_label=str(network) if network else None,
                allowed_hosts=hosts,
            )
            uvicorn.run(app, host=host, port=port, log_level="info", access_log=access_log)
            return
        with tempfile.TemporaryDirectory(prefix="steppe-jobs-") as jobs_dir:
            config = ServeConfig(
                network=str(network) if network else None,
                allowed_hosts=hosts,
                jobs_dir=jobs_dir,
                limits=overrides,
            )
            os.environ[ENVIRONMENT_VARIABLE] = config.to_json()
            uvicorn.run(
                "steppe.web._serve:app_from_environment",
                factory=True,
                workers=processes,
                host=host,
                port=port,
                log_level="info",
                access_log=access_log,
            )
    except OSError as exc:  # address in use, permission denied
        raise ConfigError(f"cannot listen on {host}:{port}: {exc}") from exc


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the root app."""
    app.command("serve")(serve)
