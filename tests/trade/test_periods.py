"""The period parser."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steppe.errors import ConfigError
from steppe.trade.periods import parse_period


@pytest.mark.parametrize(
    ("text", "start", "end", "n"),
    [
        ("2023", (2023, 1), (2023, 12), 12),
        ("2023-Q2", (2023, 4), (2023, 6), 3),
        ("2024-03", (2024, 3), (2024, 3), 1),
        ("2024-01..2024-08", (2024, 1), (2024, 8), 8),
        ("2019..2023", (2019, 1), (2023, 12), 60),
    ],
)
def test_forms(text: str, start: tuple[int, int], end: tuple[int, int], n: int) -> None:
    p = parse_period(text)
    assert (p.start, p.end, len(p.months), p.label) == (start, end, n, text)


@pytest.mark.parametrize("bad", ["", "23", "2023-13", "2023-Q5", "2024..2023", "x..2023"])
def test_bad(bad: str) -> None:
    with pytest.raises(ConfigError):
        parse_period(bad)


@given(st.integers(1990, 2050), st.integers(1, 12), st.integers(0, 30))
def test_shift_keeps_length(year: int, month: int, extra: int) -> None:
    start = parse_period(f"{year}-{month:02d}")
    last = start.months[0]
    for _ in range(extra):
        last = (last[0] + 1, 1) if last[1] == 12 else (last[0], last[1] + 1)
    p = parse_period(f"{year}-{month:02d}..{last[0]}-{last[1]:02d}")
    assert len(p.shifted(-1).months) == len(p.months) == extra + 1
    assert parse_period(p.shifted(-1).label) == p.shifted(-1)
