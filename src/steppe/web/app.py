"""The FastAPI application: JSON API, OpenAPI docs at ``/docs``, and the offline page at ``/``.

Build it with :func:`create_app`; nothing happens at import.  The page and its assets
(Leaflet, Chart.js, the Natural Earth basemap) are served from the package, and the
Content-Security-Policy forbids the page from loading anything from elsewhere.
"""

from __future__ import annotations

import logging
from collections.abc import Awaitable, Callable, Sequence
from importlib import resources
from pathlib import Path
from typing import Any

from fastapi import FastAPI, Request, Response
from fastapi.openapi.docs import get_swagger_ui_html
from fastapi.responses import FileResponse, HTMLResponse
from fastapi.staticfiles import StaticFiles

from steppe.network.model import Network
from steppe.web._context import WebContext
from steppe.web.errors import install_error_handlers
from steppe.web.limits import Limits

__all__ = ["create_app", "static_dir"]

logger = logging.getLogger(__name__)

_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# Swagger UI (vendored) starts itself with an inline script.
_DOCS_CSP = _CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")


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

    Returns
    -------
    FastAPI

    Examples
    --------
    >>> from fastapi.testclient import TestClient
    >>> import steppe
    >>> client = TestClient(create_app(steppe.load_network()))
    >>> client.get("/api/places", params={"q": "ulaanb"}).json()[0]["id"]
    'ulaanbaatar'
    """
    from steppe import __version__
    from steppe.web import impact_api, meta_api, routes_api, scenarios_api, trade_api

    if network is None:
        from steppe.network import load_network

        network = load_network()
    app = FastAPI(
        docs_url=None,
        redoc_url=None,
        title="steppe corridor planner",
        version=__version__,
        description=(
            "Routes, scenarios and trade statistics for freight corridors across Eurasia. "
            "Units: km, hours, USD, kg CO2e; trade in thousand USD. Errors are "
            '`{"error": {"type", "message"}}` with a 4xx status (5xx: busy or timed out).'
        ),
    )
    app.state.steppe = WebContext(
        network,
        limits=limits or Limits(),
        trade_store=trade_store,
        network_label=network_label or network.meta.name,
    )
    install_error_handlers(app)
    for module in (meta_api, routes_api, scenarios_api, trade_api, impact_api):
        app.include_router(module.router)
    if cors_origins:
        from fastapi.middleware.cors import CORSMiddleware

        app.add_middleware(
            CORSMiddleware,
            allow_origins=list(cors_origins),
            allow_methods=["GET", "POST"],
            allow_headers=["Content-Type"],
        )

    @app.middleware("http")
    async def security_headers(
        request: Request, call_next: Callable[[Request], Awaitable[Response]]
    ) -> Response:
        response = await call_next(request)
        response.headers["X-Content-Type-Options"] = "nosniff"
        docs = request.url.path == "/docs"
        response.headers["Content-Security-Policy"] = _DOCS_CSP if docs else _CSP
        return response

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
