"""Shared fixtures: the small hand-made test network, a scratch copy of it, and ``run_cli``."""

from __future__ import annotations

import shutil
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import NamedTuple

import pytest

from steppe.cli import main
from steppe.network import Network, read_network

DATA = Path(__file__).parent / "data"
SMALL = DATA / "network" / "small"


@pytest.fixture(scope="session")
def small_network_dir() -> Path:
    return SMALL


@pytest.fixture(scope="session")
def small_network() -> Network:
    return read_network(SMALL)


@pytest.fixture
def small_copy(tmp_path: Path) -> Path:
    """A writable copy of the small network folder."""
    dest = tmp_path / "small"
    shutil.copytree(SMALL, dest)
    return dest


class CliResult(NamedTuple):
    """What one run of the ``steppe`` command line gave: exit code, stdout, stderr."""

    code: int
    out: str
    err: str


RunCli = Callable[[Sequence[str | Path]], CliResult]


@pytest.fixture
def run_cli(capsys: pytest.CaptureFixture[str]) -> RunCli:
    """Return a function that runs ``steppe ARGS`` in-process and returns a CliResult."""

    def run(args: Sequence[str | Path]) -> CliResult:
        try:
            main([str(a) for a in args])
            code = 0
        except SystemExit as exc:
            code = exc.code if isinstance(exc.code, int) else (0 if exc.code is None else 1)
        out, err = capsys.readouterr()
        return CliResult(code, out, err)

    return run
