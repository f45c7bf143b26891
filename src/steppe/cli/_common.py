"""Shared CLI plumbing: output helpers and options every command group uses."""

from __future__ import annotations

import json
import math
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
