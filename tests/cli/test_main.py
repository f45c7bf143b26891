"""The CLI turns steppe errors into one line and exit 1; --debug shows the traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from steppe.cli import main
from steppe.errors import NetworkFileError
from tests.conftest import RunCli


def test_user_error_is_one_line_and_exit_1(run_cli: RunCli, tmp_path: Path) -> None:
    code, _, err = run_cli(["network", "info", "--network", str(tmp_path / "nope")])
    assert code == 1
    assert err.strip().splitlines() == [
        f"error: {tmp_path / 'nope'}: {tmp_path / 'nope'} is not a folder"
    ]
    assert "Traceback" not in err


def test_debug_shows_the_exception(tmp_path: Path) -> None:
    with pytest.raises(NetworkFileError):
        main(["--debug", "network", "info", "--network", str(tmp_path / "nope")])


def test_usage_error_exit_2(run_cli: RunCli) -> None:
    code, _, err = run_cli(["network", "info", "--bogus"])
    assert code == 2 and "No such option" in err


def test_help_lists_commands(run_cli: RunCli) -> None:
    code, out, _ = run_cli(["--help"])
    assert code == 0 and "network" in out and "places" in out


def test_version(run_cli: RunCli) -> None:
    import steppe

    code, out, _ = run_cli(["--version"])
    assert code == 0 and out.strip() == f"steppe {steppe.__version__}"
