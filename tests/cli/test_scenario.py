"""``steppe scenario`` commands: exit codes, JSON output and error lines."""

from __future__ import annotations

import json
from pathlib import Path

from tests.conftest import RunCli

DATA = Path(__file__).parents[1] / "data"
SMALL = str(DATA / "network" / "small")
ALL = str(DATA / "scenarios" / "all-edits.toml")


def test_list_json(run_cli: RunCli) -> None:
    code, out, _ = run_cli(["scenario", "list", "--json"])
    assert code == 0
    names = {s["name"] for s in json.loads(out)}
    assert {"oskemen-ridder-tuyekta", "oskemen-ridder-tuyekta-repaired", "titr-2030",
            "russia-transit-closed", "zamiin-uud-2021"} <= names  # fmt: skip


def test_show(run_cli: RunCli) -> None:
    code, out, _ = run_cli(["scenario", "show", "zamiin-uud-2021", "--json"])
    assert code == 0
    assert json.loads(out)["edits"][0]["road_ab_median_h"] == 6.29


def test_show_prints_plain_values(run_cli: RunCli) -> None:
    code, out, _ = run_cli(["scenario", "show", "oskemen-ridder-tuyekta"])
    assert code == 0
    assert "kind = border_crossing" in out and "mode = road" in out
    assert "<NodeKind" not in out and "<Mode" not in out


def test_validate_ok_and_bad(tmp_path: Path, run_cli: RunCli) -> None:
    code, out, _ = run_cli(["scenario", "validate", ALL, "--network", SMALL])
    assert code == 0 and "ok:" in out
    bad = tmp_path / "bad.toml"
    bad.write_text('format_version = 1\ntitle = "t"\n[[edits]]\ntype = "change_link"\n'
                   'id = "nope"\nspeed_kmh = 3\n', encoding="utf-8")  # fmt: skip
    code, _, err = run_cli(["scenario", "validate", str(bad), "--network", SMALL])
    assert code == 1
    assert err.strip() == f"error: {bad}:1:id: edit 1 (change_link): unknown link 'nope'"
    assert "Traceback" not in err


def test_unknown_name(run_cli: RunCli) -> None:
    code, _, err = run_cli(["scenario", "show", "atlantis"])
    assert code == 1 and "no bundled scenario" in err


def test_compare_json_and_report(tmp_path: Path, run_cli: RunCli) -> None:
    report = tmp_path / "out" / "report.html"
    args = ["scenario", "compare", ALL, "--network", SMALL, "--json"]
    args += ["--pairs", "aktau:baku,almaty:baku", "-o", str(report)]
    code, out, _ = run_cli(args)
    assert code == 0
    data = json.loads(out)
    assert data["summary"]["pairs"] == 2
    assert data["winners"][0]["origin"] == "aktau"
    assert report.read_text(encoding="utf-8").startswith("<!DOCTYPE html>")


def test_compare_bad_pairs(run_cli: RunCli) -> None:
    code, _, err = run_cli(["scenario", "compare", ALL, "--network", SMALL, "--pairs", "aktau"])
    assert code == 1 and "ORIGIN:DESTINATION" in err


def test_route_with_scenario(run_cli: RunCli) -> None:
    args = ["route", "Oskemen", "Olgii", "--modes", "road", "--optimize", "time", "--json"]
    code, out, _ = run_cli(args)
    base = json.loads(out)["routes"][0]
    code2, out2, _ = run_cli([*args, "--scenario", "oskemen-ridder-tuyekta"])
    new = json.loads(out2)["routes"][0]
    assert code == code2 == 0
    assert "ridder_kz_post" in new["nodes"] and "ridder_kz_post" not in base["nodes"]
    assert new["time_h"] < base["time_h"]
