"""Fuzzing network folders with the corruptions that once passed silently.

Each generated corruption (a repeated or renamed header, a row shifted by an extra or a
missing cell, an impossible magnitude, a value of the wrong kind) must end in a
``NetworkFileError`` naming the corrupted file and its row or column: never a traceback,
never an "ok".  ``STEPPE_FUZZ_EXAMPLES`` raises the number of cases (default 150).
"""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steppe.errors import NetworkFileError
from steppe.network import read_network

SMALL = Path(__file__).parents[1] / "data" / "network" / "small"
EXAMPLES = int(os.environ.get("STEPPE_FUZZ_EXAMPLES", "150"))
NUMERIC = {
    "nodes.csv": ["lat", "lon"],
    "links.csv": ["length_km", "speed_kmh", "duration_h", "headway_h", "cost_usd", "co2_kg"],
    "borders.csv": ["road_ab_median_h", "rail_ba_median_h", "road_fee_usd", "rail_fee_usd"],
    "transfers.csv": ["time_h", "cost_usd"],
}
IMPOSSIBLE = ["1e308", "-1e308", "1e400", "-1e5", "9e9", "nan", "inf", "-inf"]
NOT_NUMBERS = ["true", "abc", "5 km", "1,5", "0x10", "--1", "1e", "∞"]


def _rows(path: Path) -> list[list[str]]:
    return [line.split(",") for line in path.read_text(encoding="utf-8").splitlines()]


def _write(path: Path, rows: list[list[str]]) -> None:
    path.write_text("\n".join(",".join(r) for r in rows) + "\n", encoding="utf-8")


@st.composite
def corruption(draw: st.DrawFn) -> tuple[str, str, int, int, str]:
    table = draw(st.sampled_from(sorted(NUMERIC)))
    kind = draw(
        st.sampled_from(
            ["duplicate_header", "unknown_header", "extra_cell", "missing_cell", "magnitude",
             "not_a_number"]
        )
    )  # fmt: skip
    text = draw(
        st.sampled_from(IMPOSSIBLE)
        if kind == "magnitude"
        else st.sampled_from(NOT_NUMBERS)
        if kind == "not_a_number"
        else st.from_regex(r"[a-z_]{1,12}", fullmatch=True)
    )
    return table, kind, draw(st.integers(0, 50)), draw(st.integers(0, 50)), text


def corrupt(folder: Path, table: str, kind: str, i: int, j: int, text: str) -> tuple[int, str]:
    """Apply one corruption; return the (row, column) it must be reported at (0/'' = any)."""
    path = folder / table
    rows = _rows(path)
    header, body = rows[0], rows[1:]
    r = 1 + i % len(body)
    if kind == "duplicate_header":
        a, b = j % len(header), (j + 1 + i % (len(header) - 1)) % len(header)
        header[a] = header[b]
        _write(path, rows)
        return 1, header[b]
    if kind == "unknown_header":
        k = j % len(header)
        header[k] = "x_" + text  # never a real column name
        _write(path, rows)
        return 1, header[k]
    if kind == "extra_cell":
        rows[r].insert(j % (len(rows[r]) + 1), text)
        _write(path, rows)
        return r + 1, ""
    if kind == "missing_cell":
        del rows[r][j % len(rows[r])]
        _write(path, rows)
        return r + 1, ""
    column = NUMERIC[table][j % len(NUMERIC[table])]
    rows[r][header.index(column)] = text
    _write(path, rows)
    return r + 1, column


@settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(corruption())
def test_corruption_is_reported_where_it_is(case: tuple[str, str, int, int, str]) -> None:
    table = case[0]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "net"
        shutil.copytree(SMALL, folder)
        row, column = corrupt(folder, *case)
        try:
            read_network(folder)
        except NetworkFileError as exc:
            here = [p for p in exc.problems if p.severity == "error" and p.file.endswith(table)]
            assert any(p.row == row and (not column or p.column in (column, None)) for p in here), (
                case,
                [str(p) for p in exc.problems],
            )
        else:
            raise AssertionError(f"silently accepted: {case}")
