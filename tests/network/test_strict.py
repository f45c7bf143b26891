"""Corruptions that used to pass silently are each one located error, never an 'ok'."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from steppe.cli import main
from steppe.errors import NetworkFileError
from steppe.network import check_folder, read_network

SMALL = Path(__file__).parents[1] / "data" / "network" / "small"


@pytest.fixture
def folder(tmp_path: Path) -> Path:
    out = tmp_path / "net"
    shutil.copytree(SMALL, out)
    return out


def _edit(path: Path, old: str, new: str, count: int = 1) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text
    path.write_text(text.replace(old, new, count), encoding="utf-8")


def _errors(folder: Path) -> list[str]:
    return [str(p) for p in check_folder(folder) if p.severity == "error"]


def test_renaming_status_to_cost_usd_is_a_duplicate_column(folder, capsys):
    _edit(folder / "links.csv", ",status,", ",cost_usd,")
    errors = _errors(folder)
    assert any(e.endswith("links.csv:1:cost_usd: column appears more than once") for e in errors)
    with pytest.raises(SystemExit) as exc:
        main(["network", "validate", str(folder)])
    assert exc.value.code == 1
    assert "column appears more than once" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("old", "new", "where", "message"),
    [
        (",status,", ",statsu,", "links.csv:1:statsu", "unknown column"),
        (",status,", ",,", "links.csv:1", "a column has no name"),
    ],
)
def test_unknown_or_empty_headers_are_errors(folder, old, new, where, message):
    _edit(folder / "links.csv", old, new)
    assert any(where in e and message in e for e in _errors(folder))


def test_row_with_an_extra_leading_cell_is_refused(folder):
    _edit(folder / "links.csv", "\nub-zu-rail,", "\nx,ub-zu-rail,")
    errors = _errors(folder)
    assert any("links.csv:2: row has more cells (19) than the header (18)" in e for e in errors)


def test_row_with_a_missing_cell_is_refused(folder):
    _edit(folder / "links.csv", "\nub-zu-rail,ulaanbaatar,", "\nub-zu-rail,")
    assert any("links.csv:2: row has fewer cells" in e for e in _errors(folder))


@pytest.mark.parametrize(
    ("old", "new", "column"),
    [
        ("open,both,,", "open,both,1e308,", "headway_h"),
        (",710.0,40.0,", ",710.0,1e9,", "speed_kmh"),
        (",710.0,40.0,", ",1e12,40.0,", "length_km"),
        (",710.0,40.0,", ",-710.0,40.0,", "length_km"),
        (",1520,open", ",15200000,open", "gauge_mm"),
    ],
)
def test_impossible_magnitudes_are_located(folder, old, new, column):
    _edit(folder / "links.csv", old, new)
    with pytest.raises(NetworkFileError) as exc:
        read_network(folder)
    assert any(p.file.endswith("links.csv") and p.row == 2 and p.column == column
               for p in exc.value.problems)  # fmt: skip


def test_negative_transfer_time_is_refused(folder):
    lines = (folder / "transfers.csv").read_text(encoding="utf-8").splitlines()
    header = lines[0].split(",")
    cells = lines[1].split(",")
    cells[header.index("time_h")] = "-3"
    lines[1] = ",".join(cells)
    (folder / "transfers.csv").write_text("\n".join(lines) + "\n", encoding="utf-8")
    assert any("transfers.csv:2:time_h: must not be negative" in e for e in _errors(folder))


@pytest.mark.parametrize(
    ("toml", "column"),
    [
        ("format_version = true\n", "format_version"),
        ("format_version = 1\nname = 5\n", "name"),
        ('format_version = 1\nsources = "x"\n', "sources"),
        ("format_version = 1\nx = " + "[" * 5000 + "]" * 5000 + "\n", None),
    ],
)
def test_network_toml_values_are_strict(folder, toml, column):
    (folder / "network.toml").write_text(toml, encoding="utf-8")
    with pytest.raises(NetworkFileError) as exc:
        read_network(folder)
    problems = [p for p in exc.value.problems if p.severity == "error"]
    assert problems and all(p.file.endswith("network.toml") for p in problems)
    assert column is None or problems[0].column == column
