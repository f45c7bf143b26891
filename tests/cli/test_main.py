"""The CLI turns steppe errors into one line and exit 1; --debug shows the traceback."""

from __future__ import annotations

from pathlib import Path

import pytest

from steppe.cli import main
from steppe.errors import NetworkFileError


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    code = info.value.code
    return (code if isinstance(code, int) else 1), out, err


def test_user_error_is_one_line_and_exit_1(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, _, err = run(["network", "info", "--network", str(tmp_path / "nope")], capsys)
    assert code == 1
    assert err.strip().splitlines() == [
        f"error: {tmp_path / 'nope'}: {tmp_path / 'nope'} is not a folder"
    ]
    assert "Traceback" not in err


def test_debug_shows_the_exception(tmp_path: Path) -> None:
    with pytest.raises(NetworkFileError):
        main(["--debug", "network", "info", "--network", str(tmp_path / "nope")])


def test_usage_error_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(["network", "info", "--bogus"], capsys)
    assert code == 2 and "No such option" in err


def test_help_lists_commands(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(["--help"], capsys)
    assert code == 0 and "network" in out and "places" in out


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    import steppe

    code, out, _ = run(["--version"], capsys)
    assert code == 0 and out.strip() == f"steppe {steppe.__version__}"
