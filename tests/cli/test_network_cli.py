"""steppe network info / validate / export and steppe places."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steppe.cli import main
from steppe.network import read_geojson, read_network
from tests.network.test_validate import edit


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = exc.code if isinstance(exc.code, int) else 1
    out, err = capsys.readouterr()
    return code, out, err


def test_info_json(small_network_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["network", "info", "--network", str(small_network_dir), "--json"], capsys)
    info = json.loads(out)
    assert code == 0
    assert info["nodes"] == 7 and info["links_by_mode"] == {"road": 4, "rail": 4, "ferry": 1}
    assert info["border_crossings"] == 1 and info["countries"] == ["AZE", "CHN", "KAZ", "MNG"]


def test_info_table(small_network_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["network", "info", "--network", str(small_network_dir)], capsys)
    assert code == 0 and "border crossings" in out


def test_validate_ok(small_network_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(["network", "validate", str(small_network_dir)], capsys)
    assert code == 0 and out.startswith("ok:") and "(warning)" in err


def test_validate_broken_prints_every_problem(
    small_copy: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    edit(small_copy, "nodes.csv", 3, "lat", "north")
    edit(small_copy, "links.csv", 4, "gauge_mm", "")
    code, _, err = run(["network", "validate", str(small_copy)], capsys)
    assert code == 1
    lines = err.splitlines()
    assert f"{small_copy}/nodes.csv:3:lat: 'north' is not a number" in lines
    assert f"{small_copy}/links.csv:4:gauge_mm: a rail link needs a gauge" in lines
    assert lines[-1] == f"2 errors in {small_copy}"


def test_export_geojson_and_csv(
    small_network_dir: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gj = tmp_path / "n.geojson"
    assert (
        run(["network", "export", "--network", str(small_network_dir), "-o", str(gj)], capsys)[0]
        == 0
    )
    assert read_geojson(gj) == read_network(small_network_dir)
    folder = tmp_path / "csv"
    assert (
        run(
            [
                "network",
                "export",
                "--network",
                str(small_network_dir),
                "--format",
                "csv",
                "-o",
                str(folder),
            ],
            capsys,
        )[0]
        == 0
    )
    assert read_network(folder) == read_network(small_network_dir)
    code, _, err = run(
        ["network", "export", "--network", str(small_network_dir), "-o", str(gj)], capsys
    )
    assert code == 1 and "already exists" in err


def test_places_json(small_network_dir: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["places", "ulaan", "--network", str(small_network_dir), "--json"], capsys)
    assert code == 0 and json.loads(out)[0]["id"] == "ulaanbaatar"
