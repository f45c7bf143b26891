"""Scenario values of the wrong type are refused, never coerced; names never mean local files."""

from __future__ import annotations

from pathlib import Path

import pytest

from steppe.errors import ScenarioError
from steppe.scenarios import parse_scenario, resolve_scenario

HEAD = 'format_version = 1\ntitle = "test"\n'
ADD_LINK = (
    '[[edits]]\ntype = "add_link"\nid = "new"\na = "ulaanbaatar"\nb = "zamyn_uud"\n'
    'mode = "road"\nlength_km = {length}\nspeed_kmh = {speed}\n'
)


@pytest.mark.parametrize(
    ("length", "speed", "column"),
    [
        ("5", "true", "speed_kmh"),
        ('"5"', "60", "length_km"),
        ("5", '"60"', "speed_kmh"),
        ("true", "60", "length_km"),
        ("5", "[60]", "speed_kmh"),
    ],
)
def test_wrong_types_are_refused_with_their_field(length, speed, column):
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(HEAD + ADD_LINK.format(length=length, speed=speed), file="s.toml")
    assert [(p.file, p.row, p.column) for p in exc.value.problems] == [("s.toml", 1, column)]


def test_integers_are_numbers():
    s = parse_scenario(HEAD + ADD_LINK.format(length="5", speed="60"))
    edit = s.spec.edits[0]
    assert edit.length_km == 5.0 and isinstance(edit.length_km, float)


@pytest.mark.parametrize(
    "text",
    [
        HEAD + "x = " + "[" * 3000 + "]" * 3000 + "\n",
        HEAD + "x = " + "{a = " * 3000 + "1" + "}" * 3000 + "\n",
        HEAD
        + "[[edits]]\n"
        + 'type = "cost_model"\nparameters = '
        + "{a = " * 400
        + "1"
        + "}" * 400
        + "\n",
        "format_version = 1\ntitle = 1979-05-27\n",
    ],
)
def test_deep_nesting_and_dates_are_one_error(text):
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(text, file="deep.toml")
    assert exc.value.problems and all(p.file == "deep.toml" for p in exc.value.problems)


def test_a_bare_name_never_reads_the_working_directory(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    fake = HEAD + '[[edits]]\ntype = "close_transit"\ncountries = ["KAZ"]\n'
    Path("titr-2030").write_text(fake, encoding="utf-8")
    Path("not-bundled").write_text(fake, encoding="utf-8")
    assert resolve_scenario("titr-2030").file == "titr-2030.toml"  # the bundled one
    assert resolve_scenario("titr-2030").spec.title != "test"
    with pytest.raises(ScenarioError, match="no bundled scenario of this name"):
        resolve_scenario("not-bundled")
    Path("mine.toml").write_text(fake, encoding="utf-8")
    assert resolve_scenario("mine.toml").spec.title == "test"  # an explicit file path
    assert resolve_scenario(Path("not-bundled")).spec.title == "test"


@pytest.mark.parametrize("name", ["../titr-2030", "titr-2030/../titr-2030", "x" * 5000])
def test_odd_names_are_refused_briefly(name):
    from steppe.scenarios import bundled_scenario

    with pytest.raises(ScenarioError) as exc:
        bundled_scenario(name)
    assert len(str(exc.value)) < 1000


@pytest.mark.parametrize(
    ("length", "speed", "column"),
    [
        ("9007199254740993", "60", "length_km"),  # found by the fuzzer: 2**53 + 1 km
        ("5", "1e308", "speed_kmh"),
        ("40076", "60", "length_km"),  # longer than the equator
        ("5", "501", "speed_kmh"),  # faster than any freight service
    ],
)
def test_impossible_magnitudes_are_refused_with_their_field(length, speed, column):
    with pytest.raises(ScenarioError) as exc:
        parse_scenario(HEAD + ADD_LINK.format(length=length, speed=speed), file="s.toml")
    assert [(p.file, p.column) for p in exc.value.problems] == [("s.toml", column)]
