"""ASGI middleware of the app: the request body cap, and the response headers.

:class:`BodyLimit` refuses a body over the cap before anything parses it: at once when
``Content-Length`` says so, and while reading when a chunked body grows past it, so a
200 MB body costs the server at most the cap in memory.  :class:`ResponseHeaders` adds the
security headers and caching: the page's assets and the basemap change only with a
release, so browsers may keep them for a day; API answers are not cached.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from starlette.types import ASGIApp, Message, Receive, Scope, Send

__all__ = ["BodyLimit", "HostCheck", "ResponseHeaders"]

_CSP = (
    "default-src 'self'; img-src 'self' data:; style-src 'self' 'unsafe-inline'; "
    "script-src 'self'; connect-src 'self'; frame-ancestors 'none'; base-uri 'none'"
)
# Swagger UI (vendored) starts itself with an inline script.
_DOCS_CSP = _CSP.replace("script-src 'self'", "script-src 'self' 'unsafe-inline'")
_CACHED_PREFIXES = ("/static/", "/api/basemap", "/api/sources.md")
_CACHE_CONTROL = "public, max-age=86400"


def _error(status: int, kind: str, message: str) -> tuple[dict[str, Any], bytes]:
    body = json.dumps({"error": {"type": kind, "message": message}}).encode()
    start = {
        "type": "http.response.start",
        "status": status,
        "headers": [
            (b"content-type", b"application/json"),
            (b"content-length", str(len(body)).encode()),
            (b"connection", b"close"),
        ],
    }
    return start, body


class HostCheck:
    """Answer 400 to a request whose ``Host`` header is not an allowed name (DNS rebinding).

    Parameters
    ----------
    app
        The wrapped ASGI app.
    allowed
        Host names (without port); ``*.example.org`` allows its subdomains, ``*`` any.
    """

    def __init__(self, app: ASGIApp, *, allowed: Sequence[str]) -> None:
        self.app = app
        self.any = "*" in allowed
        self.names = frozenset(h.lower() for h in allowed if not h.startswith("*"))
        self.suffixes = tuple(h[1:].lower() for h in allowed if h.startswith("*."))

    def allows(self, host: str) -> bool:
        """Return whether a ``Host`` header value (with or without port) is allowed."""
        name = host.lower()
        # "[::1]:8000" keeps its brackets; "localhost:8000" loses its port.
        name = name.split("]", 1)[0] + "]" if name.startswith("[") else name.split(":", 1)[0]
        return (
            self.any or name in self.names or (bool(self.suffixes) and name.endswith(self.suffixes))
        )

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] not in ("http", "websocket") or self.any:
            await self.app(scope, receive, send)
            return
        host = next((v.decode("latin-1") for k, v in scope["headers"] if k == b"host"), "")
        if self.allows(host):
            await self.app(scope, receive, send)
            return
        start, body = _error(
            400,
            "HostNotAllowed",
            "this server does not answer requests for that host name; "
            "its operator can allow it with --allowed-host",
        )
        await send(start)
        await send({"type": "http.response.body", "body": body})


class BodyLimit:
    """Answer 413 to a request whose body is over ``max_bytes``, before it is parsed.

    Parameters
    ----------
    app
        The wrapped ASGI app.
    max_bytes
        Largest body accepted.
    """

    def __init__(self, app: ASGIApp, *, max_bytes: int) -> None:
        self.app = app
        self.max_bytes = max_bytes

    async def _refuse(self, send: Send) -> None:
        start, body = _error(
            413,
            "RequestTooLarge",
            f"the request body is over the limit of {self.max_bytes} bytes",
        )
        await send(start)
        await send({"type": "http.response.body", "body": body})

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        for name, value in scope["headers"]:
            if name == b"content-length":
                try:
                    declared = int(value)
                except ValueError:
                    declared = self.max_bytes + 1
                if declared > self.max_bytes:
                    await self._refuse(send)
                    return
                # The server reads no more than Content-Length bytes.
                await self.app(scope, receive, send)
                return
        # No Content-Length (a chunked body): read it here, counting, up to the cap.
        chunks: list[Message] = []
        received = 0
        while True:
            message = await receive()
            chunks.append(message)
            if message["type"] != "http.request":
                break
            received += len(message.get("body", b""))
            if received > self.max_bytes:
                await self._refuse(send)
                return
            if not message.get("more_body", False):
                break

        async def replay() -> Message:
            return chunks.pop(0) if chunks else await receive()

        await self.app(scope, replay, send)


class ResponseHeaders:
    """Add security headers to every answer, and cache headers to static files.

    Parameters
    ----------
    app
        The wrapped ASGI app.
    """

    def __init__(self, app: ASGIApp) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        path: str = scope["path"]
        csp = _DOCS_CSP if path == "/docs" else _CSP
        cache = _CACHE_CONTROL if path.startswith(_CACHED_PREFIXES) else "no-store"

        async def send_with_headers(message: Message) -> None:
            if message["type"] == "http.response.start":
                headers = [
                    (k, v)
                    for k, v in message.get("headers", [])
                    if k.lower() not in (b"cache-control", b"content-security-policy")
                ]
                headers += [
                    (b"x-content-type-options", b"nosniff"),
                    (b"content-security-policy", csp.encode()),
                    (b"cache-control", cache.encode()),
                ]
                message = {**message, "headers": headers}
            await send(message)

        await self.app(scope, receive, send_with_headers)
