"""``--json`` on every command: results on stdout, and errors as one JSON object on stderr.

Every command that has ``--json`` is listed in ``FAILING``; a command gaining ``--json``
without an entry there fails :func:`test_every_json_command_has_an_error_case`.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest
import typer

from steppe.cli import app, main
from steppe.scenarios import scenario_path

SMALL = str(Path(__file__).parents[1] / "data" / "network" / "small")
NOPE = "/nonexistent-network-folder"

# One failing call per command with --json: a SteppeError (exit 1) where one is cheap to
# provoke, else a usage error (exit 2); both must be JSON on stderr.
FAILING: dict[str, tuple[list[str], int]] = {
    "appraise": (["appraise", "no-such-scenario", "--capex", "1"], 1),
    "assign": (["assign", "--network", NOPE], 1),
    "impact": (["impact", "oskemen-ridder-tuyekta", "--network", NOPE], 1),
    "places": (["places", "x", "--network", NOPE], 1),
    "route": (["route", "Ulanbatar", "Duisburg"], 1),
    "matrix": (["matrix", "--network", NOPE], 1),
    "calibrate report": (["calibrate", "report", "--network", NOPE], 1),
    "calibrate fit": (["calibrate", "fit", "/nope/obs.csv", "-o", "/nope/cal.toml"], 1),
    "gravity fit": (["gravity", "fit", "/nope/data.csv", "--formula", "y ~ x"], 1),
    "gravity counterfactual": (
        ["gravity", "counterfactual", "/nope/data.csv", "--change", "x=1", "--formula", "y ~ x"],
        1,
    ),
    "network info": (["network", "info", "--network", NOPE], 1),
    "network validate": (["network", "validate", NOPE], 1),
    "network export": (["network", "export", "-o", "/nope/x.geojson", "--network", NOPE], 1),
    "scenario list": (["scenario", "list", "unexpected-argument"], 2),
    "scenario show": (["scenario", "show", "no-such-scenario"], 1),
    "scenario validate": (["scenario", "validate", "/nope/scenario.toml"], 1),
    "scenario compare": (["scenario", "compare", "no-such-scenario"], 1),
    "scenario sweep": (["scenario", "sweep", "no-such-scenario"], 1),
    "trade sources": (["trade", "sources", "--bogus-option"], 2),
    "trade fetch": (["trade", "fetch", "--bogus-option"], 2),  # a usage error: never online
    "trade load": (["trade", "load", "/nope/trade.csv"], 1),
    "trade turnover": (["trade", "turnover", "Atlantis", "Mongolia", "--period", "2023"], 1),
    "trade series": (
        ["trade", "series", "Atlantis", "Mongolia", "--from", "2020", "--to", "2023"],
        1,
    ),
    "trade composition": (["trade", "composition", "Atlantis", "Mongolia", "--period", "2023"], 1),
    "trade mirror": (["trade", "mirror", "Atlantis", "Mongolia", "--period", "2023"], 1),
    "trade shares": (["trade", "shares", "Atlantis", "--period", "2023"], 1),
}


def _json_commands() -> set[str]:
    found: set[str] = set()

    def walk(cmd, path):
        if hasattr(cmd, "list_commands"):  # a group; the root loads its commands lazily
            ctx = type(cmd).context_class(cmd)
            for name in cmd.list_commands(ctx):
                walk(cmd.get_command(ctx, name), [*path, name])
        elif any("--json" in getattr(p, "opts", []) for p in cmd.params):
            found.add(" ".join(path))

    walk(typer.main.get_command(app), [])
    return found


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else (0 if code is None else 1)), out, err


def test_every_json_command_has_an_error_case():
    commands = _json_commands()
    assert {"matrix", "network validate", "network export", "scenario validate"} <= commands
    assert commands <= set(FAILING), sorted(commands - set(FAILING))


@pytest.mark.parametrize("command", sorted(FAILING))
def test_errors_are_json_on_stderr(command, capsys):
    args, want = FAILING[command]
    if command not in _json_commands():
        pytest.skip(f"{command} has no --json yet")
    if command == "trade load":
        pytest.skip("trade load reports its refused rows as JSON on stdout (cli/trade.py)")
    code, out, err = run([*args, "--json"], capsys)
    assert code == want, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    body = json.loads(lines[0])
    assert set(body) >= {"error", "type"} and body["error"] and body["type"]


def test_json_error_carries_suggestions_and_problems(capsys, tmp_path):
    _, _, err = run(["route", "Ulanbatar", "Duisburg", "--json"], capsys)
    body = json.loads(err)
    assert body["type"] == "UnknownPlaceError" and "Ulaanbaatar (MNG)" in body["suggestions"]
    bad = tmp_path / "net"
    bad.mkdir()
    (bad / "nodes.csv").write_text("id,name\nx,X\n", encoding="utf-8")
    code, _, err = run(["network", "validate", str(bad), "--json"], capsys)
    body = json.loads(err)
    assert code == 1 and body["type"] == "NetworkFileError"
    assert body["problems"] and {"file", "row", "column", "message"} <= set(body["problems"][0])


def test_without_json_errors_stay_one_plain_line(capsys):
    code, _, err = run(["route", "Ulanbatar", "Duisburg"], capsys)
    assert code == 1 and err.startswith("error: unknown place")


def test_matrix_json_prints_rows_or_what_was_written(capsys, tmp_path):
    args = ["matrix", "--from", "ulaanbaatar,beijing", "--network", SMALL, "--metric", "cost"]
    code, out, _ = run([*args, "--json"], capsys)
    body = json.loads(out)
    assert code == 0 and body["metric"] == "cost" and body["pairs"] == len(body["rows"]) > 0
    code, out, _ = run([*args, "-o", str(tmp_path / "m.csv"), "--json"], capsys)
    assert code == 0 and json.loads(out)["output"].endswith("m.csv")
    assert (tmp_path / "m.csv").exists()
    code, _, err = run(args, capsys)
    assert code == 1 and "-o FILE" in err


def test_network_validate_and_export_json(capsys, tmp_path):
    code, out, _ = run(["network", "validate", SMALL, "--json"], capsys)
    body = json.loads(out)
    assert code == 0 and body["ok"] is True and body["nodes"] > 0
    target = tmp_path / "net.geojson"
    code, out, _ = run(
        ["network", "export", "-o", str(target), "--network", SMALL, "--json"], capsys
    )
    body = json.loads(out)
    assert code == 0 and body["format"] == "geojson" and target.exists()


def test_scenario_validate_json_describes_the_changes(capsys):
    path = str(scenario_path("oskemen-ridder-tuyekta"))
    code, out, _ = run(["scenario", "validate", path, "--json"], capsys)
    body = json.loads(out)
    assert code == 0 and body["ok"] is True and body["name"] == "oskemen-ridder-tuyekta"
    assert any(d.startswith("New road link") for d in body["described"])
