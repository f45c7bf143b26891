"""Periods of trade statistics: a year, a quarter, a month or a range of either.

A :class:`Period` is a closed range of calendar months.  Written forms:

``2023``
    one year;
``2023-Q2``
    one quarter;
``2024-03``
    one month;
``2024-01..2024-08``
    a range of months;
``2019..2023``
    a range of years.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from steppe.errors import ConfigError

__all__ = ["Period", "parse_period"]

_YEAR = re.compile(r"^(\d{4})$")
_MONTH = re.compile(r"^(\d{4})-(\d{2})$")
_QUARTER = re.compile(r"^(\d{4})-?[Qq]([1-4])$")


@dataclass(frozen=True, slots=True, order=True)
class Period:
    """A closed range of calendar months, ``start`` to ``end`` as ``(year, month)``.

    ``label`` is how the period was written; ``whole_years`` says it was given in years
    (so yearly data can answer it).
    """

    start: tuple[int, int]
    end: tuple[int, int]
    label: str
    whole_years: bool = False

    @property
    def months(self) -> list[tuple[int, int]]:
        """Every ``(year, month)`` in the period, in order."""
        out: list[tuple[int, int]] = []
        y, m = self.start
        while (y, m) <= self.end:
            out.append((y, m))
            y, m = (y + 1, 1) if m == 12 else (y, m + 1)
        return out

    @property
    def years(self) -> list[int]:
        """Every calendar year the period touches."""
        return list(range(self.start[0], self.end[0] + 1))

    @property
    def is_whole_years(self) -> bool:
        """Whether the period is a run of complete calendar years."""
        return self.start[1] == 1 and self.end[1] == 12

    def shifted(self, years: int) -> Period:
        """Return the same months ``years`` later (negative: earlier).

        Examples
        --------
        >>> parse_period("2024-01..2024-08").shifted(-1).label
        '2023-01..2023-08'
        """
        start = (self.start[0] + years, self.start[1])
        end = (self.end[0] + years, self.end[1])
        return Period(start, end, _label(start, end, self.whole_years), self.whole_years)

    def __str__(self) -> str:
        return self.label


def _label(start: tuple[int, int], end: tuple[int, int], whole_years: bool) -> str:
    if whole_years:
        return str(start[0]) if start[0] == end[0] else f"{start[0]}..{end[0]}"
    first, last = f"{start[0]}-{start[1]:02d}", f"{end[0]}-{end[1]:02d}"
    if end[1] - start[1] == 2 and start[0] == end[0] and start[1] % 3 == 1:
        return f"{start[0]}-Q{(start[1] + 2) // 3}"
    return first if start == end else f"{first}..{last}"


def _one(text: str) -> Period:
    if match := _YEAR.match(text):
        y = int(match[1])
        return Period((y, 1), (y, 12), text, True)
    if match := _QUARTER.match(text):
        y, q = int(match[1]), int(match[2])
        return Period((y, 3 * q - 2), (y, 3 * q), f"{y}-Q{q}")
    if match := _MONTH.match(text):
        y, m = int(match[1]), int(match[2])
        if 1 <= m <= 12:
            return Period((y, m), (y, m), f"{y}-{m:02d}")
    raise ConfigError(
        f"cannot read period {text!r}: use 2023, 2023-Q2, 2024-03, 2024-01..2024-08 or 2019..2023"
    )


def parse_period(text: str) -> Period:
    """Read a period written as ``2023``, ``2023-Q2``, ``2024-03``, ``A..B``.

    Parameters
    ----------
    text
        The period as written; a range joins two single periods with ``..`` and runs
        from the first month of the first to the last month of the second.

    Returns
    -------
    Period
        The closed range of months.

    Raises
    ------
    ConfigError
        The text is not a period, or a range ends before it starts.

    Examples
    --------
    >>> p = parse_period("2024-01..2024-08")
    >>> p.start, p.end, len(p.months)
    ((2024, 1), (2024, 8), 8)
    >>> parse_period("2023-Q2").months
    [(2023, 4), (2023, 5), (2023, 6)]
    >>> parse_period("2019..2023").whole_years
    True
    """
    text = str(text).strip()
    if ".." not in text:
        return _one(text)
    left, _, right = text.partition("..")
    first, last = _one(left.strip()), _one(right.strip())
    if last.end < first.start:
        raise ConfigError(f"period {text!r} ends before it starts")
    whole = first.whole_years and last.whole_years
    return Period(first.start, last.end, _label(first.start, last.end, whole), whole)
