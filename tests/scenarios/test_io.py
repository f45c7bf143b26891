"""Every bad scenario file gets its message, naming file, edit and field."""

from __future__ import annotations

from pathlib import Path

import pytest

from steppe.errors import ScenarioError
from steppe.scenarios import parse_scenario, read_scenario

HEAD = 'format_version = 1\ntitle = "t"\n'


def _problems(text: str) -> list[tuple[int | None, str | None, str]]:
    with pytest.raises(ScenarioError) as info:
        parse_scenario(text, file="bad.toml")
    assert all(p.file == "bad.toml" for p in info.value.problems)
    return [(p.row, p.column, p.message) for p in info.value.problems]


@pytest.mark.parametrize(
    ("text", "row", "column", "needle"),
    [
        ("title = \n", None, None, "not valid TOML"),
        (
            'title = "t"\n[[edits]]\ntype = "close_transit"\ncountries = ["RUS"]\n',
            None,
            "format_version",
            "Field required",
        ),
        (
            'format_version = 2\ntitle = "t"\n[[edits]]\ntype = "close_transit"\n'
            'countries = ["RUS"]\n',
            None,
            "format_version",
            "format_version must be 1",
        ),
        (HEAD, None, "edits", "Field required"),
        (HEAD + "edits = []\n", None, "edits", "at least 1"),
        (
            HEAD + 'colour = "red"\n[[edits]]\ntype = "close_transit"\ncountries = ["RUS"]\n',
            None,
            "colour",
            "unknown field",
        ),
        (HEAD + '[[edits]]\ntype = "explode"\n', 1, "type", "unknown edit type 'explode'"),
        (HEAD + '[[edits]]\ncountries = ["RUS"]\n', 1, "type", "has no type"),
        (
            HEAD + '[[edits]]\ntype = "close_transit"\ncountries = ["Russia"]\n',
            1,
            "countries",
            "not an ISO 3166",
        ),
        (
            HEAD + '[[edits]]\ntype = "change_link"\nid = "x"\nspeed = 3\n',
            1,
            "speed",
            "unknown field",
        ),
        (HEAD + '[[edits]]\ntype = "change_link"\nid = "x"\n', 1, None, "changes nothing"),
        (
            HEAD + '[[edits]]\ntype = "change_link"\na = "x"\nspeed_kmh = 3\n',
            1,
            None,
            "by its two ends",
        ),
        (
            HEAD + '[[edits]]\ntype = "change_link"\nid = "x"\nspeed_kmh = "fast"\n',
            1,
            "speed_kmh",
            "valid number",
        ),
        (
            HEAD + '[[edits]]\ntype = "change_link"\nid = "x"\nspeed_kmh = -3\n',
            1,
            "speed_kmh",
            "greater than 0",
        ),
        (
            HEAD + '[[edits]]\ntype = "change_link"\nid = "x"\nstatus = "shut"\n',
            1,
            "status",
            "open",
        ),
        (
            HEAD + '[[edits]]\ntype = "change_link"\nid = "x"\nspeed_kmh = 3\nspeed_scale = 2\n',
            1,
            None,
            "not both",
        ),
        (
            HEAD + '[[edits]]\ntype = "add_link"\nid = "x"\na = "p"\nb = "q"\nmode = "rail"\n'
            "length_km = 5\nspeed_kmh = 50\n",
            1,
            None,
            "gauge_mm",
        ),
        (
            HEAD + '[[edits]]\ntype = "add_link"\nid = "X Y"\na = "p"\nb = "q"\nmode = "road"\n'
            "length_km = 5\nspeed_kmh = 50\n",
            1,
            "id",
            "pattern",
        ),
        (
            HEAD + '[[edits]]\ntype = "add_node"\nid = "x"\nname = "X"\nlat = 91\nlon = 0\n'
            'country = "KAZ"\n',
            1,
            "lat",
            "less than or equal to 90",
        ),
        (
            HEAD + '[[edits]]\ntype = "change_border"\nid = "x"\ndwell_scale = 0.5\n'
            "road_ab_median_h = 1\n",
            1,
            None,
            "not both",
        ),
        (HEAD + '[[edits]]\ntype = "cost_model"\nparameters = {}\n', 1, "parameters", "at least 1"),
    ],
)
def test_bad_file_message(text: str, row: int | None, column: str | None, needle: str) -> None:
    problems = _problems(text)
    assert any(r == row and c == column and needle in m for r, c, m in problems), problems


def test_edit_number_and_type_in_message() -> None:
    text = HEAD + '[[edits]]\ntype = "close_transit"\ncountries = ["RUS"]\n'
    text += '[[edits]]\ntype = "change_link"\nid = "x"\nspeed_kmh = "fast"\n'
    (problem,) = _problems(text)
    assert problem[0] == 2
    assert problem[2].startswith("edit 2 (change_link): ")


def test_all_problems_reported_at_once() -> None:
    text = HEAD + '[[edits]]\ntype = "explode"\n[[edits]]\ntype = "change_link"\nid = "x"\n'
    assert [p[0] for p in _problems(text)] == [1, 2]


def test_read_missing_and_binary(tmp_path: Path) -> None:
    with pytest.raises(ScenarioError, match="file not found"):
        read_scenario(tmp_path / "nope.toml")
    bad = tmp_path / "bad.toml"
    bad.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(ScenarioError, match="not UTF-8"):
        read_scenario(bad)


def test_nothing_is_executed(tmp_path: Path) -> None:
    marker = tmp_path / "marker"
    text = HEAD + f"[[edits]]\ntype = \"__import__('os').system('touch {marker}')\"\n"
    _problems(text)
    assert not marker.exists()
