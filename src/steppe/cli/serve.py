"""``steppe serve``: run the corridor planner web app with uvicorn, in one or more processes."""

from __future__ import annotations

import errno
import json
import logging
import os
import socket
import sys
import tempfile
import threading
import webbrowser
from typing import Annotated, Any

import typer

from steppe.cli._common import NetworkOption, err_console
from steppe.errors import ConfigError, MissingExtraError

__all__ = ["check_port", "register", "serve"]

logger = logging.getLogger(__name__)

_LOOPBACK = ("127.0.0.1", "localhost", "::1")


def check_port(host: str, port: int) -> None:
    """Fail with one clear line if ``host:port`` cannot be listened on.

    Parameters
    ----------
    host
        Address to listen on.
    port
        Port to listen on.

    Raises
    ------
    ConfigError
        If the port is taken (saying how to pick another) or the address is unusable.
    """
    try:
        family = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)[0][0]
        with socket.create_server((host, port), family=family):
            pass
    except OSError as exc:
        if exc.errno == errno.EADDRINUSE:
            raise ConfigError(
                f"port {port} is already in use on {host}: use another one, "
                f"e.g. `make run PORT={port + 1 if port < 65535 else 8001}` "
                f"or `steppe serve --port {port + 1 if port < 65535 else 8001}`"
            ) from exc
        raise ConfigError(f"cannot listen on {host}:{port}: {exc}") from exc


def _announce_when_ready(
    host: str,
    port: int,
    url: str,
    open_browser: bool,
    stop: threading.Event,
    *,
    as_json: bool = False,
) -> None:
    """Print the URL (and open it) once the server accepts connections.

    With ``as_json`` the announcement is one JSON line on stdout, for scripts that wait for
    it: ``{"ready": true, "url": ..., "docs": ...}``.
    """
    probe = "127.0.0.1" if host in ("0.0.0.0", "::") else host
    while not stop.wait(0.1):
        try:
            with socket.create_connection((probe, port), timeout=0.5):
                pass
        except OSError:
            continue
        if as_json:
            sys.stdout.write(json.dumps({"ready": True, "url": url, "docs": f"{url}docs"}) + "\n")
            sys.stdout.flush()
        else:
            err_console.print(
                f"steppe corridor planner ready on {url} (API docs {url}docs); Ctrl+C to stop",
                soft_wrap=True,
            )
        if open_browser:
            webbrowser.open(url)
        return


def _has_display() -> bool:
    """Whether a browser window could appear (not on a headless server)."""
    return sys.platform in ("darwin", "win32") or bool(
        os.environ.get("DISPLAY") or os.environ.get("WAYLAND_DISPLAY")
    )


def serve(  # noqa: PLR0917 (typer maps parameters to options)
    host: Annotated[str, typer.Option(help="Address to listen on (loopback by default).")] = (
        "127.0.0.1"
    ),
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on.")] = 8000,
    network: NetworkOption = None,
    open_browser: Annotated[
        bool,
        typer.Option(
            "--open/--no-open",
            help="Open the page in the default browser (only where there is a display).",
        ),
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
    as_json: Annotated[
        bool,
        typer.Option(
            "--json",
            help="Say when ready as one JSON line on stdout; errors as JSON on stderr; "
            "uvicorn logs warnings only.",
        ),
    ] = False,
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

    check_port(host, port)  # before loading anything: a taken port is one clear line
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
    if not as_json:
        err_console.print(
            f"starting the steppe corridor planner on {url}, {processes} worker "
            f"process{'es' if processes > 1 else ''} ...",
            soft_wrap=True,
        )
    log_level = "warning" if as_json else "info"  # stderr stays for errors under --json
    stop = threading.Event()
    threading.Thread(
        target=_announce_when_ready,
        args=(host, port, url, open_browser and _has_display(), stop),
        kwargs={"as_json": as_json},
        daemon=True,
    ).start()
    try:
        if processes == 1:
            app = create_app(
                net,
                limits=limits,
                network_label=str(network) if network else None,
                allowed_hosts=hosts,
            )
            uvicorn.run(app, host=host, port=port, log_level=log_level, access_log=access_log)
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
                log_level=log_level,
                access_log=access_log,
            )
    except OSError as exc:  # address in use, permission denied
        raise ConfigError(f"cannot listen on {host}:{port}: {exc}") from exc
    finally:
        stop.set()


def register(app: typer.Typer) -> None:
    """Add ``serve`` to the root app."""
    app.command("serve")(serve)
