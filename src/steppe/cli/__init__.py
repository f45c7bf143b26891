"""The ``steppe`` command line: a thin layer over the Python API.

Each command group lives in its own module and is registered on the root app here.
Any :class:`~steppe.errors.SteppeError` becomes one line on stderr and exit code 1;
``--debug`` shows the traceback instead.  Under ``--json`` that line is a JSON object,
``{"error": message, "type": class name}`` (with ``problems`` or ``suggestions`` where the
error has them), and usage errors are JSON too (exit code 2).
"""

from __future__ import annotations

import json
import logging
import sys
from typing import TYPE_CHECKING, Any

from steppe.errors import DataFileError, SteppeError

if TYPE_CHECKING:
    from steppe.cli._app import app

__all__ = ["app", "error_json", "main"]


def __getattr__(name: str) -> Any:
    if name == "app":  # Typer is imported when the app is first needed, not for --version
        from steppe.cli._app import app

        return app
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")


def error_json(exc: BaseException) -> dict[str, Any]:
    """Return an error as the JSON object ``--json`` prints on stderr.

    Parameters
    ----------
    exc
        A steppe error, or a usage error of the command line.

    Returns
    -------
    dict
        ``error`` (the one-line message) and ``type`` (the class name), with
        ``problems`` (file, row, column, message, severity) for bad input files and
        ``suggestions`` or ``candidates`` for place names.
    """
    message = exc.format_message() if hasattr(exc, "format_message") else str(exc)
    out: dict[str, Any] = {"error": message, "type": type(exc).__name__}
    if isinstance(exc, DataFileError):
        out["problems"] = [
            {"file": p.file, "row": p.row, "column": p.column, "message": p.message,
             "severity": p.severity}
            for p in exc.problems
        ]  # fmt: skip
    for key in ("suggestions", "candidates"):
        if getattr(exc, key, None):
            out[key] = list(getattr(exc, key))
    return out


def _json_main(args: list[str], debug: bool) -> None:
    """Run the CLI for ``--json``: every error, usage errors too, is JSON on stderr."""
    import typer

    from steppe.cli._app import app

    try:
        code = app(args=args, prog_name="steppe", standalone_mode=False)
    except SteppeError as exc:
        if debug:
            raise
        _json_error(error_json(exc), 1)
    except typer.Abort:
        _json_error({"error": "aborted", "type": "Abort"}, 1)
    except Exception as exc:
        # click's usage errors (typer vendors click, so match them by what they carry)
        if not (
            hasattr(exc, "format_message") and isinstance(getattr(exc, "exit_code", None), int)
        ):
            raise
        _json_error(error_json(exc), exc.exit_code)  # type: ignore[attr-defined]
    sys.exit(code if isinstance(code, int) else 0)


def _json_error(body: dict[str, Any], code: int) -> None:
    sys.stderr.write(json.dumps(body, ensure_ascii=False) + "\n")
    sys.exit(code)


def main(argv: list[str] | None = None) -> None:
    """Run the CLI, turning steppe errors into one clear line and exit code 1."""
    args = list(sys.argv[1:] if argv is None else argv)
    if args == ["--version"]:  # answered without importing Typer and rich
        from steppe import __version__

        sys.stdout.write(f"steppe {__version__}\n")
        sys.exit(0)
    debug = "--debug" in args
    if debug:
        args.remove("--debug")
        logging.basicConfig(level=logging.DEBUG)
    if "--json" in args:
        _json_main(args, debug)
    from steppe.cli._app import app
    from steppe.cli._options import error_message

    try:
        app(args=args, prog_name="steppe")  # standalone: click reports usage errors, exit 2
    except SteppeError as exc:
        if debug:
            raise
        if isinstance(exc, DataFileError) and len(exc.problems) > 1:
            sys.stderr.write(exc.report() + "\n")
        else:
            sys.stderr.write(f"error: {error_message(exc)}\n")
        sys.exit(1)
