"""The FastAPI application: JSON API, OpenAPI docs at ``/docs``, and the offline page at ``/``.

Build it with :func:`create_app`; nothing happens at import.  The page and its assets
(Leaflet, Chart.js, the Natural Earth basemap) are served from the package, and the
Content-Security-Policy forbids the page from loading anything from elsewhere.

Around the routes, outermost first: the ``Host`` check (against DNS rebinding), the body
size cap (before parsing), gzip, and the security and cache headers.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.openapi.utils import get_openapi
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles
from starlette.middleware.gzip import GZipMiddleware

from steppe.network.model import Network
from steppe.web._context import WebContext
from steppe.web._middleware import BodyLimit, HostCheck, ResponseHeaders
from steppe.web.errors import install_error_handlers
from steppe.web.limits import SCHEMA_BOUNDS, Limits
from steppe.web.schemas import ErrorBody

__all__ = ["COMMON_ERRORS", "LOOPBACK_HOSTS", "create_app", "static_dir"]

logger = logging.getLogger(__name__)

LOOPBACK_HOSTS = ("127.0.0.1", "localhost", "[::1]")
# Answers any operation may give, before its handler runs.
COMMON_ERRORS: dict[int | str, dict[str, Any]] = {
    400: {"model": ErrorBody, "description": "The body is not JSON, or the Host is not allowed."},
    413: {"model": ErrorBody, "description": "The request body is over max_body_bytes."},
}
"""``Host`` values allowed by default: a server on loopback, reached by its own address."""


def static_dir() -> Path:
    """Return the folder of the page's files (``steppe/web/static``)."""
    return Path(str(resources.files("steppe").joinpath("web", "static")))


def create_app(
    network: Network | None = None,
    *,
    trade_store: Any = None,
    limits: Limits | None = None,
    cors_origins: Sequence[str] = (),
    network_label: str | None = None,
    allowed_hosts: Sequence[str] = LOOPBACK_HOSTS,
    jobs_dir: str | Path | None = None,
) -> FastAPI:
    """Build the web app over a network and a trade store.

    Parameters
    ----------
    network
        The network to route on; ``None`` loads the embedded Eurasian network.
    trade_store
        A :class:`steppe.trade.TradeStore`; ``None`` opens the embedded trade data on
        first use.
    limits
        Caps on the work of one request; default :class:`Limits`.
    cors_origins
        Origins allowed to call the API from other pages; none by default (closed).
    network_label
        Shown in the page header; defaults to the network's name.
    allowed_hosts
        ``Host`` header values answered (others get 400), e.g. ``planner.example.org``;
        ``*.example.org`` allows subdomains, ``*`` any host.  Loopback names by default.
    jobs_dir
        Folder of background job records, shared by a server's worker processes; a
        private temporary folder by default.

    Returns
    -------
    FastAPI

    Examples
    --------
    >>> from fastapi.testclient import TestClient
    >>> import steppe
    >>> client = TestClient(create_app(steppe.load_network()), base_url="http://localhost")
    >>> client.get("/api/places", params={"q": "ulaanb"}).json()[0]["id"]
    'ulaanbaatar'
    """
    from steppe import __version__
    from steppe.web import impact_api, jobs_api, meta_api, routes_api, scenarios_api, trade_api

    if network is None:
        from steppe.network import load_network

        network = load_network()
    ctx = WebContext(
        network,
        limits=limits or Limits(),
        trade_store=trade_store,
        network_label=network_label or network.meta.name,
        jobs_dir=jobs_dir,
    )

    app = FastAPI(
        responses=COMMON_ERRORS,
        docs_url=None,
        redoc_url=None,
        title="steppe corridor planner",
        version=__version__,
        description=(
            "Routes, scenarios and trade statistics for freight corridors across Eurasia. "
            "Units: km, hours, USD, kg CO2e; trade values in USD. Errors are "
            '`{"error": {"type", "message"}}` with a 4xx status (5xx: busy or timed out). '
            "The server's caps are at `/api/limits`."
        ),
    )
    app.state.steppe = ctx
    install_error_handlers(app)
    for module in (meta_api, routes_api, scenarios_api, trade_api, impact_api, jobs_api):
        app.include_router(module.router)
    _bound_openapi(app, ctx.limits)
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
        )

    # add_middleware wraps: the last added runs first.
    app.add_middleware(ResponseHeaders)
    app.add_middleware(GZipMiddleware, minimum_size=1000)
    app.add_middleware(BodyLimit, max_bytes=ctx.limits.max_body_bytes)
    app.add_middleware(HostCheck, allowed=tuple(allowed_hosts))

    static = static_dir()
    app.mount("/static", StaticFiles(directory=static), name="static")

    @app.get("/", include_in_schema=False)
    def index() -> FileResponse:
        return FileResponse(static / "index.html", media_type="text/html")

    @app.get("/docs", include_in_schema=False)
    def docs() -> HTMLResponse:
        return get_swagger_ui_html(
            openapi_url="/openapi.json",
            title="steppe API",
            swagger_js_url="/static/vendor/swagger-ui/swagger-ui-bundle.js",
            swagger_css_url="/static/vendor/swagger-ui/swagger-ui.css",
            swagger_favicon_url="/static/vendor/swagger-ui/favicon-32x32.png",
        )

    logger.info("web app over network %s (%d nodes)", network.meta.name, len(network.nodes))
    return app


def _bound_openapi(app: FastAPI, limits: Limits) -> None:
    """Make the OpenAPI document state the app's limits (``limits.SCHEMA_BOUNDS``)."""

    def openapi() -> dict[str, Any]:
        if app.openapi_schema is None:
            schema = get_openapi(
                title=app.title,
                version=app.version,
                description=app.description,
                routes=app.routes,
            )
            models = schema.get("components", {}).get("schemas", {})
            for (model, name), (limit, keyword) in SCHEMA_BOUNDS.items():
                prop = models.get(model, {}).get("properties", {}).get(name)
                if prop is None:
                    continue
                value = getattr(limits, limit)
                for target in [prop, *prop.get("anyOf", [])]:
                    if target.get("type") in ("integer", "number", "array"):
                        target[keyword] = value
            _enumerate_scenarios(schema)
            app.openapi_schema = schema
        return app.openapi_schema

    app.openapi = openapi  # type: ignore[method-assign]


def _enumerate_scenarios(schema: dict[str, Any]) -> None:
    """Make the OpenAPI document list the bundled scenario names where a name is asked for."""
    from steppe.scenarios import scenario_names

    names = list(scenario_names())
    models = schema.get("components", {}).get("schemas", {})
    for model in ("CompareRequest", "CompareJob", "ImpactRequest", "ImpactJob"):
        prop = models.get(model, {}).get("properties", {}).get("scenario")
        if prop is None:
            continue
        for target in [prop, *prop.get("anyOf", [])]:
            if target.get("type") == "string":
                target["enum"] = names
    get = schema.get("paths", {}).get("/api/scenarios/{name}", {}).get("get", {})
    for param in get.get("parameters", []):
        if param.get("name") == "name":
            param["schema"]["enum"] = names
