"""The ``steppe`` command line: a thin layer over the Python API.

Each command group lives in its own module and is registered on the root app here.
Any :class:`~steppe.errors.SteppeError` becomes one line on stderr and exit code 1;
``--debug`` shows the traceback instead.
"""

from __future__ import annotations

import logging
import sys

from steppe.cli._app import app
from steppe.cli._options import error_message
from steppe.errors import DataFileError, SteppeError

__all__ = ["app", "main"]


def main(argv: list[str] | None = None) -> None:
    """Run the CLI, turning steppe errors into one clear line and exit code 1."""
    args = list(sys.argv[1:] if argv is None else argv)
    debug = "--debug" in args
    if debug:
        args.remove("--debug")
        logging.basicConfig(level=logging.DEBUG)
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
