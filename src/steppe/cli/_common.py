"""Shared CLI plumbing: output helpers and options every command group uses."""

from __future__ import annotations

import json
import math
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

__all__ = [
    "NetworkOption",
    "console",
    "err_console",
    "print_json",
    "progress_bar",
    "show_progress",
    "write_atomic",
]

console = Console()
err_console = Console(stderr=True)

NetworkOption = Annotated[
    Path | None,
    typer.Option(
        "--network",
        help="Network folder (nodes.csv, links.csv, ...); default: the embedded network.",
        exists=False,
    ),
]


def _finite(obj: Any) -> Any:
    """Replace NaN and infinities by None: JSON has no such numbers."""
    if isinstance(obj, float):
        return obj if math.isfinite(obj) else None
    if isinstance(obj, dict):
        return {k: _finite(v) for k, v in obj.items()}
    if isinstance(obj, list | tuple):
        return [_finite(v) for v in obj]
    return obj


def print_json(obj: Any) -> None:
    """Print an object as indented, strictly valid JSON on stdout (NaN becomes null)."""
    text = json.dumps(_finite(obj), indent=2, ensure_ascii=False, default=str, allow_nan=False)
    sys.stdout.write(text + "\n")


def write_atomic(path: Path, data: bytes | str) -> None:
    """Write a file all at once: to a temporary sibling, then renamed into place."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(f".{path.name}.tmp")
    if isinstance(data, str):
        tmp.write_text(data, encoding="utf-8")
    else:
        tmp.write_bytes(data)
    tmp.replace(path)


def show_progress(as_json: bool) -> bool:
    """Whether to draw progress: for a person at a terminal, never under ``--json`` or a pipe."""
    return not as_json and console.is_terminal and err_console.is_terminal


@contextmanager
def progress_bar(description: str, *, as_json: bool, fractions: bool = True) -> Iterator[None]:
    """Draw a progress bar on stderr while the ``with`` block runs a long job.

    The bar is fed by :func:`steppe._progress.report_progress` in the library's loops; it
    spins with the elapsed time until the first fraction arrives (and throughout when
    ``fractions`` is false, for jobs whose steps repeat). Nothing is drawn under ``--json``
    or when stdout or stderr is not a terminal, and the bar disappears when done.
    """
    if not show_progress(as_json):
        yield
        return
    from rich.progress import (
        BarColumn,
        Progress,
        SpinnerColumn,
        TaskProgressColumn,
        TextColumn,
        TimeElapsedColumn,
    )

    from steppe._progress import progress_scope

    columns = (SpinnerColumn(), TextColumn("{task.description}"), BarColumn(),
               TaskProgressColumn(), TimeElapsedColumn())  # fmt: skip
    with Progress(*columns, console=err_console, transient=True) as bar:
        task = bar.add_task(description, total=None)
        if not fractions:
            yield
            return

        def listen(fraction: float) -> None:
            bar.update(task, total=1.0, completed=fraction)

        with progress_scope(listen):
            yield
