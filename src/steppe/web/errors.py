"""Turn every error into a JSON answer a person can read: ``{"error": {"type", "message"}}``.

The mapping (also in ``docs/web.md``):

==========================================  ======  ==========================================
error                                       status  extra fields
==========================================  ======  ==========================================
request body or query fails the schema      422     ``problems``: one line per bad field
``UnknownPlaceError``                       404     ``query``, ``suggestions``
``AmbiguousPlaceError``                     422     ``query``, ``candidates``
``NoRouteError``                            404
``ConfigError`` (bad option, over a limit)  422
``DataFileError`` (scenario, trade data)    422     ``problems``: ``file:row:column: message``
``UnknownJobError``                         404
``MissingExtraError``, missing data file    501
``TooManyJobsError``                        429     header ``Retry-After``
``BusyError`` (a work queue is full)        503     header ``Retry-After``
``RequestTimeoutError`` (stopped)           503
request body over ``max_body_bytes``        413
``Host`` header not allowed                 400
unknown URL / wrong method                  404 / 405
anything else                               500     (details only in the server log)
==========================================  ======  ==========================================
"""

from __future__ import annotations

import logging
from typing import Any, cast

from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import JSONResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from steppe._deadline import DeadlineExceededError
from steppe.errors import (
    AmbiguousPlaceError,
    ConfigError,
    DataFileError,
    MissingExtraError,
    NoRouteError,
    SteppeError,
    UnknownPlaceError,
)
from steppe.web.jobs import UnknownJobError
from steppe.web.limits import BusyError, TooManyJobsError

__all__ = ["NotAvailableError", "error_body", "install_error_handlers", "status_for"]

logger = logging.getLogger(__name__)


class NotAvailableError(SteppeError):
    """A part of the API whose data file is missing from this installation."""


def status_for(exc: SteppeError) -> int:
    """Return the HTTP status code for a steppe error (see the module docstring).

    Examples
    --------
    >>> status_for(NoRouteError("no route"))
    404
    """
    if isinstance(exc, UnknownPlaceError | NoRouteError | UnknownJobError):
        return 404
    if isinstance(exc, AmbiguousPlaceError | ConfigError | DataFileError):
        return 422
    if isinstance(exc, MissingExtraError | NotAvailableError):
        return 501
    if isinstance(exc, TooManyJobsError):
        return 429
    if isinstance(exc, BusyError | DeadlineExceededError):
        return 503
    return 400


def error_body(exc: SteppeError) -> dict[str, Any]:
    """Return the JSON body for a steppe error.

    Examples
    --------
    >>> error_body(ConfigError("cargo must be feu, teu or tonnes:N"))["error"]["type"]
    'ConfigError'
    """
    err: dict[str, Any] = {"type": type(exc).__name__, "message": str(exc)}
    if isinstance(exc, ConfigError) and exc.parameter is not None:
        from steppe.web.schemas import REQUEST_FIELDS

        names = {exc.parameter: REQUEST_FIELDS.get(exc.parameter, exc.parameter)}
        err["message"] = exc.renamed(names)
        err["field"] = names[exc.parameter]
    if isinstance(exc, UnknownPlaceError):
        err["query"] = exc.query
        err["suggestions"] = list(exc.suggestions)
    elif isinstance(exc, AmbiguousPlaceError):
        err["query"] = exc.query
        err["candidates"] = list(exc.candidates)
    elif isinstance(exc, DataFileError):
        err["problems"] = [str(p) for p in exc.problems]
    return {"error": err}


def _validation_lines(exc: RequestValidationError) -> list[str]:
    lines = []
    for e in exc.errors():
        loc = [str(p) for p in e.get("loc", ()) if p not in ("body", "query", "path")]
        where = ".".join(loc) or "request"
        lines.append(f"{where}: {e.get('msg', 'invalid')}")
    return lines


def install_error_handlers(app: FastAPI) -> None:
    """Register the handlers that give every error the same JSON shape."""

    async def steppe_error(_: Request, exc: Exception) -> JSONResponse:
        exc = cast(SteppeError, exc)  # registered for SteppeError only
        status = status_for(exc)
        logger.info("%s -> %d: %s", type(exc).__name__, status, exc)
        headers = {"Retry-After": str(exc.retry_after)} if isinstance(exc, BusyError) else None
        return JSONResponse(error_body(exc), status_code=status, headers=headers)

    async def validation_error(_: Request, exc: Exception) -> JSONResponse:
        lines = _validation_lines(cast(RequestValidationError, exc))
        body = {
            "error": {
                "type": "ValidationError",
                "message": "invalid request: " + "; ".join(lines),
                "problems": lines,
            }
        }
        return JSONResponse(body, status_code=422)

    async def http_error(_: Request, exc: Exception) -> JSONResponse:
        exc = cast(StarletteHTTPException, exc)
        message = {404: "no such page or API endpoint", 405: "method not allowed here"}.get(
            exc.status_code, str(exc.detail)
        )
        body = {"error": {"type": "HTTPError", "message": message}}
        return JSONResponse(body, status_code=exc.status_code, headers=exc.headers)

    async def internal_error(_: Request, exc: Exception) -> JSONResponse:
        logger.exception("internal error", exc_info=exc)
        body = {
            "error": {
                "type": "InternalError",
                "message": "internal error; the details are in the server log",
            }
        }
        return JSONResponse(body, status_code=500)

    app.add_exception_handler(SteppeError, steppe_error)
    app.add_exception_handler(RequestValidationError, validation_error)
    app.add_exception_handler(StarletteHTTPException, http_error)
    app.add_exception_handler(Exception, internal_error)
