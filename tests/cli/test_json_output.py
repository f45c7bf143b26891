"""``--json`` on every command: results on stdout, and errors as one JSON object on stderr.

The commands are found by walking the lazy command table (``list_commands`` and
``get_command``), so a new command is checked without being listed here: it must have
``--json``, an entry in ``FAILING`` (a call that fails with a steppe error, exit 1) and
answer a usage error under ``--json`` with JSON on stderr (exit 2).
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

# One failing call per command: a SteppeError, exit 1, JSON on stderr. `scenario list`
# takes no input that could be wrong, so only its command line can be (a usage error, 2).
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
    "serve": (["serve", "--network", NOPE, "--no-open", "--port", "8000"], 1),
    "trade sources": (["trade", "sources", "--store", "/dev/null/trade.duckdb"], 1),
    # a bad period is refused before anything goes online
    "trade fetch": (["trade", "fetch", "--reporter", "KAZ", "--period", "bogus"], 1),
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


def _commands() -> dict[str, bool]:
    """Every command of the lazy table, by path, and whether it has ``--json``."""
    found: dict[str, bool] = {}

    def walk(cmd, path):
        if hasattr(cmd, "list_commands"):  # a group; the root loads its commands lazily
            ctx = type(cmd).context_class(cmd)
            for name in cmd.list_commands(ctx):
                walk(cmd.get_command(ctx, name), [*path, name])
        else:
            found[" ".join(path)] = any("--json" in getattr(p, "opts", []) for p in cmd.params)

    walk(typer.main.get_command(app), [])
    return found


def _json_commands() -> set[str]:
    return {name for name, has_json in _commands().items() if has_json}


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else (0 if code is None else 1)), out, err


def test_every_command_has_json_and_an_error_case():
    commands = _commands()
    assert len(commands) >= 26 and "route" in commands and "trade load" in commands
    assert [name for name, has_json in commands.items() if not has_json] == []
    assert set(commands) == set(FAILING)


@pytest.mark.parametrize("command", sorted(FAILING))
def test_errors_are_json_on_stderr(command, capsys):
    args, want = FAILING[command]
    assert want == 1 or command == "scenario list"
    code, out, err = run([*args, "--json"], capsys)
    assert code == want, err
    assert out == ""
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    body = json.loads(lines[0])
    assert set(body) >= {"error", "type"} and body["error"] and body["type"]


@pytest.mark.parametrize("command", sorted(FAILING))
def test_usage_errors_are_json_on_stderr(command, capsys):
    code, out, err = run([*command.split(), "--no-such-option", "--json"], capsys)
    assert code == 2 and out == ""
    body = json.loads(err)
    assert "--no-such-option" in body["error"] and body["type"] == "NoSuchOption"


def test_trade_load_refusal_counts_rows_by_reason_on_stderr(capsys, tmp_path):
    bad = tmp_path / "trade.csv"
    bad.write_text("reporter,partner,period,flow,value\nKAZ,MNG,2023,export,abc\n", "utf-8")
    code, out, err = run(
        ["trade", "load", str(bad), "--format", "tidy", "--store", str(tmp_path / "s.duckdb"),
         "--json"], capsys)  # fmt: skip
    assert code == 1 and out == ""
    body = json.loads(err)
    assert body["type"] == "TradeDataError" and body["rows_kept"] == 0
    assert sum(body["rows_refused_by_reason"].values()) == len(body["problems"]) >= 1


def test_help_shows_flags_without_a_type(capsys):
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "--version" in out and "<bool>" not in out
    code, out, _ = run(["network", "export", "--help"], capsys)
    assert code == 0 and "--json" in out and "<bool>" not in out


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
