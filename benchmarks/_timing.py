"""Shared timing helpers: interleaved runs, medians, and the machine's load."""

from __future__ import annotations

import os
import statistics
import time
from collections.abc import Callable

__all__ = ["interleaved", "load_note", "median_ms"]


def interleaved(
    sides: dict[str, Callable[[], object]], rounds: int = 7, warmup: int = 1
) -> dict[str, list[float]]:
    """Time every side once per round, in turn, and return each side's wall times (s).

    Interleaving spreads the machine's load changes over all sides alike.
    """
    for fn in sides.values():
        for _ in range(warmup):
            fn()
    times: dict[str, list[float]] = {name: [] for name in sides}
    for _ in range(rounds):
        for name, fn in sides.items():
            t = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - t)
    return times


def median_ms(times: list[float]) -> float:
    """Median of *times* (seconds), in milliseconds."""
    return statistics.median(times) * 1e3


def load_note() -> str:
    """One sentence on the machine: CPUs and load average while the benchmark ran."""
    one, five, _ = os.getloadavg()
    return f"{os.cpu_count()} CPUs, load average {one:.1f} (1 min) / {five:.1f} (5 min)"
