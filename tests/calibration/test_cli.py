"""``steppe calibrate``: exit codes, every problem listed, an overlay that route accepts."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steppe.cli import main
from tests.calibration.conftest import SMALL


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    try:
        main(args)
        code = 0
    except SystemExit as exc:
        code = int(exc.code or 0)
    out = capsys.readouterr()
    return code, out.out, out.err


def test_report_json_and_html(tmp_path: Path, capsys) -> None:
    html = tmp_path / "r.html"
    code, out, _ = run(["calibrate", "report", "--json", "-o", str(html)], capsys)
    assert code == 0
    data = json.loads(out)
    roles = {(s["role"], s["quantity"]) for s in data["summary"]}
    assert ("fit", "time") in roles and ("check", "time") in roles
    text = html.read_text(encoding="utf-8")
    assert "<svg" in text and "http://" not in text.split("<table")[0].replace(
        'xmlns="http://', "")  # fmt: skip


def test_bad_file_lists_every_problem_and_exits_1(tmp_path: Path, capsys, write_csv) -> None:
    path = write_csv([{"id": "a", "destination": "atlantis"}, {"id": "b", "period": "soon"}])
    code, _, err = run(["calibrate", "report", str(path), "--network", str(SMALL)], capsys)
    assert code == 1
    assert f"{path}:2:destination:" in err and f"{path}:3:period:" in err


def test_fit_writes_an_overlay_that_route_and_report_accept(tmp_path: Path, capsys,
                                                            write_csv) -> None:  # fmt: skip
    from tests.calibration.test_fit import _synthetic

    small = __import__("steppe").read_network(SMALL)
    obs = _synthetic(small, write_csv)
    overlay = tmp_path / "overlay.toml"
    code, out, err = run(["calibrate", "fit", obs.file, "-o", str(overlay), "--network",
                          str(SMALL), "--ridge", "0.0001"], capsys)  # fmt: skip
    assert code == 0, err
    assert "time.border.rail" in overlay.read_text(encoding="utf-8")
    code, out, err = run(["route", "ulaanbaatar", "beijing", "--modes", "rail", "--network",
                          str(SMALL), "--calibration", str(overlay), "--json"], capsys)  # fmt: skip
    assert code == 0, err
    code, out, err = run(["calibrate", "report", obs.file, "--network", str(SMALL),
                          "--calibration", str(overlay), "--markdown"], capsys)  # fmt: skip
    assert code == 0 and "| check | time |" in out


def test_bad_overlay_is_refused(tmp_path: Path, capsys) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text('format_version = 1\n[factors]\n"time.nothing.rail" = 2\n"price.border" = -1\n',
                   encoding="utf-8")  # fmt: skip
    code, _, err = run(["route", "ulaanbaatar", "beijing", "--network", str(SMALL),
                        "--calibration", str(bad)], capsys)  # fmt: skip
    assert code == 1
    assert "time.nothing.rail" in err and "price.border" in err


def test_report_with_a_scenario_lists_rows_it_cannot_route(capsys) -> None:
    code, out, _ = run(["calibrate", "report", "--scenario", "russia-transit-closed"], capsys)
    assert code == 0
    assert "could not be routed" in out and "erai_index_time_2024" in out
