"""Formatting of published ranges and model values for the report's tables."""

from __future__ import annotations

from steppe.calibration.register import Observation

__all__ = ["fmt_published", "fmt_value"]


def fmt_value(value: float | None) -> str:
    """Return a value with three significant digits, thousands as whole numbers.

    Examples
    --------
    >>> fmt_value(13548.8), fmt_value(14.13), fmt_value(None)
    ('13,549', '14.1', '—')
    """
    if value is None:
        return "—"
    return f"{value:,.0f}" if abs(value) >= 1000 else f"{value:.3g}"


def fmt_published(obs: Observation) -> str:
    """Return the published range as ``a–b unit``, ``a unit``, ``≥ a unit`` or ``≤ b unit``."""
    lo, hi = obs.low, obs.high
    if lo is not None and hi is not None:
        text = fmt_value(lo) if lo == hi else f"{fmt_value(lo)}–{fmt_value(hi)}"
    elif lo is not None:
        text = f"≥ {fmt_value(lo)}"
    else:
        text = f"≤ {fmt_value(hi)}"
    return f"{text} {obs.unit}"
