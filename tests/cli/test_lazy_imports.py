"""What each command imports: start-up stays fast because heavy modules load on first use.

Each case runs in a fresh interpreter and lists the heavy modules loaded by the end
(no timing: the latency itself is measured by ``benchmarks/bench_cli.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

SRC = str(Path(__file__).parents[2] / "src")
HEAVY = ("typer", "rich", "pandas", "scipy", "numpy", "pydantic", "pyarrow")

PROBE = """
import contextlib, io, json, sys
from steppe.cli import main
with contextlib.redirect_stdout(io.StringIO()), contextlib.redirect_stderr(io.StringIO()):
    try:
        main(sys.argv[2:])
    except SystemExit:
        pass
heavy = set(sys.argv[1].split(","))
print(json.dumps(sorted({m.split(".")[0] for m in sys.modules} & heavy)))
"""


def _loaded(*args: str) -> set[str]:
    env = {**os.environ, "PYTHONPATH": SRC}
    argv = [sys.executable, "-c", PROBE, ",".join(HEAVY), *args]
    out = subprocess.run(argv, capture_output=True, text=True, env=env, check=True)
    return set(json.loads(out.stdout.strip().splitlines()[-1]))


@pytest.mark.parametrize(
    ("args", "absent"),
    [
        (["--version"], set(HEAVY)),
        (["--help"], {"pandas", "scipy", "numpy", "pyarrow"}),
        (["route", "--help"], {"pandas", "scipy", "numpy", "pyarrow"}),
        (["route", "Almaty", "Baku"], {"pandas", "pyarrow"}),
        (["route", "Almaty", "Baku", "--json"], {"pandas", "pyarrow"}),
    ],
)
def test_heavy_modules_load_only_when_needed(args: list[str], absent: set[str]) -> None:
    loaded = _loaded(*args)
    assert not loaded & absent, sorted(loaded & absent)
    if args[0] == "route" and "--help" not in args:
        assert {"numpy", "scipy"} <= loaded  # the route really ran (its Dijkstra is scipy's)
