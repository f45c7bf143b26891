"""Progress bars: drawn only for a person at a terminal, fed by rising fractions."""

from __future__ import annotations

import io

import pandas as pd
import pytest
from rich.console import Console

import steppe
from steppe._progress import progress_part, progress_scope, report_progress
from steppe.appraisal import assign
from steppe.cli import _common, main
from steppe.scenarios import load_scenarios
from steppe.scenarios.compare import compare

PAIRS = [("ulaanbaatar", "beijing"), ("almaty", "baku"), ("oskemen", "olgii")]


@pytest.fixture(scope="module")
def eurasia() -> steppe.Network:
    return steppe.load_network()


def _terminal(monkeypatch: pytest.MonkeyPatch) -> io.StringIO:
    """Make both CLI consoles terminals that write to one buffer."""
    screen = io.StringIO()
    fake = Console(file=screen, force_terminal=True, width=100)
    monkeypatch.setattr(_common, "console", fake)
    monkeypatch.setattr(_common, "err_console", fake)
    return screen


def test_a_terminal_gets_a_bar_and_json_does_not(monkeypatch):
    screen = _terminal(monkeypatch)
    with _common.progress_bar("routing pairs", as_json=False):
        report_progress(1, 2)
    assert "routing pairs" in screen.getvalue()
    screen.truncate(0)
    with _common.progress_bar("routing pairs", as_json=True):
        report_progress(1, 2)
    assert screen.getvalue() == ""


def test_a_run_without_a_terminal_prints_no_bar(capsys):
    with pytest.raises(SystemExit) as info:
        main(["scenario", "compare", "zamiin-uud-2021", "--pairs",
              "ulaanbaatar:beijing,beijing:ulaanbaatar"])  # fmt: skip
    out, err = capsys.readouterr()
    assert info.value.code in (0, None)
    assert "vs baseline" in out
    assert err == "" and "routing baseline" not in out and "\r" not in out


def _rising(seen: list[float]) -> None:
    assert seen, "no progress was reported"
    assert seen == sorted(seen) and seen[0] >= 0.0 and seen[-1] == 1.0


def test_compare_reports_rising_fractions(eurasia):
    seen: list[float] = []
    with progress_scope(seen.append):
        compare(eurasia, load_scenarios(["zamiin-uud-2021"], eurasia), pairs=PAIRS)
    _rising(seen)
    assert seen == [0.5, 1.0]  # one half per side


def test_assign_reports_each_tree_group(eurasia):
    od = pd.DataFrame({"origin": [o for o, _ in PAIRS], "destination": [d for _, d in PAIRS],
                       "tonnes": [3.0, 2.0, 1.0]})  # fmt: skip
    seen: list[float] = []
    with progress_scope(seen.append), progress_part(0.0, 1.0):
        assign(eurasia, od, coverage=1.0)
    _rising(seen)  # one report per group of origins loaded on shortest-path trees


def test_impact_draws_report_rising_fractions(eurasia):
    from steppe.gravity.scenario_impact import scenario_impact

    seen: list[float] = []
    with progress_scope(seen.append):
        scenario_impact(["oskemen-ridder-tuyekta-repaired"], eurasia, draws=4, seed=1)
    _rising(seen)
    assert len(seen) == 4
