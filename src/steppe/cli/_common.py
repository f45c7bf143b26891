"""Shared CLI plumbing: output helpers and options every command group uses."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Any

import typer
from rich.console import Console

__all__ = ["NetworkOption", "console", "err_console", "print_json", "write_atomic"]

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


def print_json(obj: Any) -> None:
    """Print an object as indented JSON on stdout (no colour, no wrapping)."""
    sys.stdout.write(json.dumps(obj, indent=2, ensure_ascii=False, default=str) + "\n")


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
