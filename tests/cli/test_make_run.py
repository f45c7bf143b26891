"""``make run`` and the README's Quick start, claim by claim.

The Quick start promises: ``make run`` installs only what running needs (no test, lint
or benchmark tools), serves the planner on port 8000 (``PORT=`` for another), prints
``steppe corridor planner ready on http://127.0.0.1:8000/`` once the page answers, and a
taken port is one line that says to use ``make run PORT=8001``.
"""

from __future__ import annotations

import os
import re
import shutil
import socket
import subprocess
import threading
from pathlib import Path

import pytest

from steppe.cli.serve import _announce_when_ready, check_port
from steppe.errors import ConfigError

ROOT = Path(__file__).parents[2]


def _quick_start() -> str:
    text = (ROOT / "README.md").read_text(encoding="utf-8")
    section = text.split("## Quick start", 1)[1].split("\n## ", 1)[0]
    return " ".join(section.split())


def _make(*args: str) -> list[str]:
    if shutil.which("make") is None:
        pytest.skip("make is not installed")
    # under `make test` this runs inside make: drop what the outer make passes down, or
    # the dry run prints "Entering/Leaving directory" lines around the commands
    env = {k: v for k, v in os.environ.items() if k not in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL")}
    out = subprocess.run(["make", "--no-print-directory", "-n", "-B", *args], cwd=ROOT,
                         capture_output=True, text=True, check=True, env=env)  # fmt: skip
    return out.stdout.splitlines()


def test_make_run_installs_only_what_running_needs() -> None:
    lines = _make("run")
    installs = [line for line in lines if "pip install" in line]
    assert any('-e ".[all]"' in line for line in installs)
    assert not any("--group" in line for line in installs)  # test, lint and bench tools
    assert lines[-1].endswith("steppe serve --host 127.0.0.1 --port 8000")
    assert _make("run", "PORT=8123")[-1].endswith("--port 8123")
    assert any("--group dev" in line for line in _make("test"))


def test_the_quick_start_says_what_make_run_prints(capsys) -> None:
    said = _quick_start()
    quoted = re.search(r"prints `(steppe corridor planner ready on [^`]+)`", said)
    assert quoted is not None, said
    with socket.create_server(("127.0.0.1", 0)) as server:
        port = server.getsockname()[1]
        _announce_when_ready("127.0.0.1", port, "http://127.0.0.1:8000/", False,
                             threading.Event())  # fmt: skip
    printed = " ".join(capsys.readouterr().err.split())
    assert quoted.group(1) in printed


def test_the_quick_start_says_what_a_taken_port_prints() -> None:
    said = _quick_start()
    assert "If port 8000 is taken it says so in one line: use `make run PORT=8001`" in said
    with socket.create_server(("127.0.0.1", 0)) as taken:
        port = taken.getsockname()[1]
        with pytest.raises(ConfigError) as info:
            check_port("127.0.0.1", port)
    message = str(info.value)
    assert "\n" not in message and f"port {port} is already in use" in message
    assert f"`make run PORT={port + 1}`" in message  # for 8000: PORT=8001
