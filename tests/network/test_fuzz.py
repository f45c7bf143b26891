"""Garbled network folders: the reader accepts them or raises NetworkFileError, never else."""

from __future__ import annotations

import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steppe.errors import NetworkFileError
from steppe.network import read_network

SMALL = Path(__file__).parents[1] / "data" / "network" / "small"
TABLES = ["nodes.csv", "links.csv", "borders.csv", "transfers.csv"]

cell_text = st.one_of(
    st.text(max_size=8),
    st.sampled_from(
        ["", "-1", "0", "nan", "inf", "1e400", "rail", "KAZ", "xx", "1435", "ulaanbaatar", '"', ","]
    ),
)


@st.composite
def mutation(draw: st.DrawFn) -> tuple[str, str, int, int, str]:
    table = draw(st.sampled_from(TABLES))
    action = draw(st.sampled_from(["cell", "drop_column", "duplicate_row", "drop_row", "truncate"]))
    return table, action, draw(st.integers(0, 30)), draw(st.integers(0, 30)), draw(cell_text)


def apply(folder: Path, table: str, action: str, i: int, j: int, text: str) -> None:
    path = folder / table
    lines = path.read_text(encoding="utf-8").splitlines()
    header, rows = lines[0].split(","), lines[1:]
    if action == "drop_column":
        k = i % len(header)
        lines = [",".join(c for n, c in enumerate(line.split(",")) if n != k) for line in lines]
    elif action == "duplicate_row" and rows:
        lines.append(rows[i % len(rows)])
    elif action == "drop_row" and rows:
        del lines[1 + i % len(rows)]
    elif action == "truncate":
        body = "\n".join(lines)
        lines = [body[: i * 7]]
    elif rows:
        r = 1 + i % len(rows)
        cells = lines[r].split(",")
        cells[j % len(cells)] = text.replace("\n", " ")
        lines[r] = ",".join(cells)
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.slow
@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(mutation(), min_size=1, max_size=3))
def test_garbled_folder_is_accepted_or_reported(
    mutations: list[tuple[str, str, int, int, str]],
) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp) / "net"
        shutil.copytree(SMALL, folder)
        for m in mutations:
            apply(folder, *m)
        try:
            read_network(folder)
        except NetworkFileError as exc:
            assert exc.problems
            assert all(p.file.endswith((".csv", ".toml")) for p in exc.problems)
            assert any(
                p.row is not None
                or p.column is not None
                or "missing" in p.message
                or "CSV" in p.message
                for p in exc.problems
            )
