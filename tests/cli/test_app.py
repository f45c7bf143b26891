"""Lazy command registration: a fast ``--help`` that still lists every command truly."""

from __future__ import annotations

import importlib
import subprocess
import sys

import pytest
import typer

from steppe.cli._app import COMMANDS

HEAVY = ("pandas", "scipy", "duckdb", "pydantic", "numpy", "pyarrow")


def _loaded_after(code: str) -> list[str]:
    probe = f"{code}\nimport sys\nprint(' '.join(m for m in {HEAVY!r} if m in sys.modules))"
    done = subprocess.run(
        [sys.executable, "-c", probe], capture_output=True, text=True, check=False
    )
    return done.stdout.split()


def test_import_cli_loads_no_heavy_module() -> None:
    assert _loaded_after("import steppe.cli") == []


@pytest.mark.parametrize("args", [["--help"], ["--version"]])
def test_help_and_version_load_no_heavy_module(args: list[str]) -> None:
    code = (
        "import contextlib, io\nfrom steppe.cli import main\n"
        f"with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        f"    main({args!r})"
    )
    assert _loaded_after(code) == []


def test_command_table_matches_the_commands() -> None:
    real: dict[str, str] = {}
    for module_name in dict.fromkeys(module for module, _ in COMMANDS.values()):
        holder = typer.Typer()
        importlib.import_module(module_name).register(holder)
        for name, command in typer.main.get_group(holder).commands.items():
            assert COMMANDS[name][0] == module_name
            real[name] = (command.short_help or command.help or "").split("\n\n")[0].strip()
    assert real == {name: text for name, (_, text) in COMMANDS.items()}


def test_command_help_is_the_real_one(capsys: pytest.CaptureFixture[str]) -> None:
    from steppe.cli import main

    with pytest.raises(SystemExit):
        main(["route", "--help"])
    out = capsys.readouterr().out
    assert "--alternatives" in out and "ORIGIN to DESTINATION" in out
