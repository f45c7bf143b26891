"""Clock arithmetic for dated routing: hours since 1970-01-01, closures, monthly curves.

Times are floats of hours since 1970-01-01 00:00 on the local clock of each place (time
zones are ignored: a day of closure is a calendar day wherever it is).  Every function
here exists in a scalar form (for the time-dependent search) and, where reliability
needs it, a vectorised one; tests check that they agree.
"""

from __future__ import annotations

import bisect
import calendar
import functools
from collections.abc import Sequence
from datetime import date, datetime, timedelta

import numpy as np
import numpy.typing as npt

from steppe.errors import ConfigError
from steppe.network.calendars import Closure

__all__ = [
    "MonthlyCurve",
    "from_hours",
    "next_open",
    "next_open_many",
    "parse_depart",
    "to_hours",
]

EPOCH = datetime(1970, 1, 1)
FloatArray = npt.NDArray[np.float64]


def to_hours(moment: datetime | date) -> float:
    """Return hours since 1970-01-01 of a date (midnight) or naive date-time."""
    if not isinstance(moment, datetime):
        moment = datetime(moment.year, moment.month, moment.day)
    return (moment.replace(tzinfo=None) - EPOCH).total_seconds() / 3600.0


def from_hours(hours: float) -> datetime:
    """Return the date-time of hours since 1970-01-01 (to the minute)."""
    return EPOCH + timedelta(minutes=round(hours * 60.0))


def parse_depart(value: str | date | datetime | None) -> datetime | None:
    """Return a departure as a naive date-time; ``None`` stays ``None``.

    Raises
    ------
    ConfigError
        If a string is not an ISO date (``2025-07-10``) or date-time (``2025-07-10T08:00``).

    Examples
    --------
    >>> parse_depart("2025-07-10")
    datetime.datetime(2025, 7, 10, 0, 0)
    """
    if value is None or isinstance(value, datetime):
        return value.replace(tzinfo=None) if isinstance(value, datetime) else None
    if isinstance(value, date):
        return datetime(value.year, value.month, value.day)
    text = str(value).strip()
    try:
        moment = datetime.fromisoformat(text)
    except ValueError:
        raise ConfigError(
            f"cannot read departure date {text!r}; use YYYY-MM-DD or YYYY-MM-DDTHH:MM"
        ) from None
    if not 1971 <= moment.year <= 2200:
        raise ConfigError(f"departure date {text!r} is out of range (years 1971-2200)")
    return moment.replace(tzinfo=None)


_FIRST_YEAR, _LAST_YEAR = 1900, 2300


@functools.cache
def _year_starts() -> tuple[float, ...]:
    """Return the hours since 1970 of 1 January of every year 1900-2300 (built on first use)."""
    return tuple(to_hours(date(y, 1, 1)) for y in range(_FIRST_YEAR, _LAST_YEAR + 1))


def _year_of(hours: float) -> int:
    starts = _year_starts()
    if starts[0] <= hours < starts[-1]:  # the search's hot path: a bisection in a table
        return _FIRST_YEAR + bisect.bisect_right(starts, hours) - 1
    year = 1970 + int(hours // 8765.82)  # a first guess from the mean year, then exact
    while to_hours(date(year, 1, 1)) > hours:
        year -= 1
    while to_hours(date(year + 1, 1, 1)) <= hours:
        year += 1
    return year


@functools.lru_cache(maxsize=4096)
def _intervals(c: Closure, year: int) -> list[tuple[float, float]]:
    """Return the closed [from, until) intervals of a rule that touch a calendar year."""
    if c.rule == "closed":
        start = datetime.fromisoformat(c.start)
        end = datetime.fromisoformat(c.end)
        if "T" not in c.end:
            end += timedelta(days=1)
        return [(to_hours(start), to_hours(end))]
    if c.rule == "annual":
        (m1, d1), (m2, d2) = (map(int, c.start.split("-")), map(int, c.end.split("-")))
        out = []
        for y in (year - 1, year):
            d1y = min(d1, calendar.monthrange(y, m1)[1])
            wrap = (m2, d2) < (m1, d1)
            y2 = y + 1 if wrap else y
            d2y = min(d2, calendar.monthrange(y2, m2)[1])
            out.append((to_hours(date(y, m1, d1y)), to_hours(date(y2, m2, d2y)) + 24.0))
        return out
    return []


def _closed_until(c: Closure, t: float) -> float | None:
    """Return when a rule reopens if it is closed at ``t``, else ``None``."""
    if c.rule in ("closed", "annual"):
        for a, b in _intervals(c, _year_of(t)):
            if a <= t < b:
                return b
        return None
    if c.rule == "weekly":
        day = int(t // 24.0)
        if (day + 3) % 7 in c.weekdays:  # 1970-01-01 was a Thursday (3)
            return (day + 1) * 24.0
        return None
    if c.rule == "hours":
        open_h = _hm(c.start)
        close_h = _hm(c.end)
        tod = t % 24.0
        day0 = t - tod
        if open_h < close_h:
            if tod < open_h:
                return day0 + open_h
            if tod >= close_h:
                return day0 + 24.0 + open_h
            return None
        if close_h <= tod < open_h:  # open over midnight, closed in the day gap
            return day0 + open_h
        return None
    return None


def _hm(text: str) -> float:
    h, m = text.split(":")
    return int(h) + int(m) / 60.0


def next_open(closures: Sequence[Closure], t: float) -> tuple[float, Closure | None]:
    """Return the first time at or after ``t`` when no closure applies, and the last one met."""
    met: Closure | None = None
    for _ in range(64):
        moved = False
        for c in closures:
            until = _closed_until(c, t)
            if until is not None and until > t:
                t, met, moved = until, c, True
        if not moved:
            return t, met
    return t, met


def next_open_many(closures: Sequence[Closure], t: FloatArray) -> FloatArray:
    """Vectorised :func:`next_open` (times only)."""
    out = np.array(t, dtype=np.float64, copy=True)
    if not closures:
        return out
    for _ in range(64):
        before = out.copy()
        for c in closures:
            if c.rule in ("closed", "annual"):
                years = {_year_of(float(x)) for x in (out.min(), out.max())}
                years |= set(range(min(years), max(years) + 1))
                for y in sorted(years):
                    for a, b in _intervals(c, y):
                        out = np.where((out >= a) & (out < b), b, out)
            elif c.rule == "weekly":
                day = np.floor(out / 24.0)
                closed = np.isin((day + 3) % 7, list(c.weekdays))
                out = np.where(closed, (day + 1) * 24.0, out)
            elif c.rule == "hours":
                for i in range(len(out)):
                    until = _closed_until(c, float(out[i]))
                    if until is not None:
                        out[i] = until
        if np.array_equal(before, out):
            break
    return out


class MonthlyCurve:
    """A quantity given per calendar month, interpolated linearly between mid-months.

    Interpolating (rather than stepping at month ends) keeps waits FIFO: a wait that
    falls by less than one hour per hour never lets a later arrival leave earlier.
    """

    def __init__(self, values: Sequence[float]) -> None:
        if len(values) != 12:
            raise ValueError("a monthly curve needs 12 values")
        self.values = np.asarray(values, dtype=np.float64)
        self.constant = bool(np.all(self.values == self.values[0]))

    def at(self, t: float) -> float:
        """Return the value at time ``t`` (hours since 1970)."""
        if self.constant:
            return float(self.values[0])
        return float(self.at_many(np.array([t]))[0])

    def at_many(self, t: FloatArray) -> FloatArray:
        """Vectorised :meth:`at`."""
        if self.constant:
            return np.full(len(t), float(self.values[0]))
        minutes = np.round(np.asarray(t) * 60.0).astype("datetime64[m]")
        month = minutes.astype("datetime64[M]")
        first = month.astype("datetime64[m]").astype(np.float64) / 60.0
        nxt = (month + 1).astype("datetime64[m]").astype(np.float64) / 60.0
        index = month.astype(np.int64) % 12  # months since 1970-01: January is 0
        pos = index + (np.asarray(t) - first) / (nxt - first) - 0.5
        lo = np.floor(pos).astype(np.int64)
        frac = pos - lo
        return self.values[lo % 12] * (1 - frac) + self.values[(lo + 1) % 12] * frac

    def mean(self) -> float:
        """Return the mean over a year (by month)."""
        return float(self.values.mean())
