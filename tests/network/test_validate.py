"""One test per validation rule: each problem is reported with its file, row and column."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from steppe.errors import NetworkFileError, Problem
from steppe.network import check_folder, read_network


def edit(folder: Path, table: str, row: int, column: str, value: str) -> None:
    """Set one cell; ``row`` counts like a spreadsheet (first data row is 2)."""
    path = folder / table
    with path.open(newline="") as fh:
        rows = list(csv.DictReader(fh))
        fields = list(rows[0])
    rows[row - 2][column] = value
    with path.open("w", newline="") as fh:
        writer = csv.DictWriter(fh, fieldnames=fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def errors(folder: Path) -> list[str]:
    return [
        f"{Path(p.file).name}:{p.row}:{p.column}: {p.message}"
        for p in check_folder(folder)
        if p.severity == "error"
    ]


def the_error(folder: Path) -> str:
    found = errors(folder)
    assert len(found) == 1, found
    return found[0]


def test_clean_fixture_has_no_errors(small_copy: Path) -> None:
    assert errors(small_copy) == []


def test_missing_column(small_copy: Path) -> None:
    text = (small_copy / "links.csv").read_text().replace(",length_km,", ",len,")
    (small_copy / "links.csv").write_text(text)
    found = errors(small_copy)
    assert "links.csv:1:length_km: required column is missing" in found


def test_missing_file(small_copy: Path) -> None:
    (small_copy / "links.csv").unlink()
    assert "links.csv:None:None: file is missing" in errors(small_copy)


def test_duplicate_id(small_copy: Path) -> None:
    edit(small_copy, "nodes.csv", 3, "id", "ulaanbaatar")
    found = errors(small_copy)
    assert "nodes.csv:2:id: duplicate id 'ulaanbaatar'" in found
    assert "nodes.csv:3:id: duplicate id 'ulaanbaatar'" in found


def test_link_to_unknown_node(small_copy: Path) -> None:
    edit(small_copy, "links.csv", 4, "b", "pekin")
    assert the_error(small_copy) == "links.csv:4:b: unknown node 'pekin'"


@pytest.mark.parametrize(
    ("column", "value", "message"),
    [
        ("length_km", "abc", "'abc' is not a number"),
        ("length_km", "-3", "must be positive, got -3"),
        ("length_km", "0", "must be positive, got 0"),
        ("speed_kmh", "0", "must be positive, got 0"),
        ("speed_kmh", "nan", "'nan' is not a finite number"),
    ],
)
def test_bad_numbers(small_copy: Path, column: str, value: str, message: str) -> None:
    edit(small_copy, "links.csv", 2, column, value)
    assert the_error(small_copy) == f"links.csv:2:{column}: {message}"


def test_bad_duration(small_copy: Path) -> None:
    edit(small_copy, "links.csv", 10, "duration_h", "-1")
    assert the_error(small_copy) == "links.csv:10:duration_h: must be positive, got -1"


def test_coordinates_out_of_range(small_copy: Path) -> None:
    edit(small_copy, "nodes.csv", 5, "lat", "91")
    assert the_error(small_copy) == "nodes.csv:5:lat: 91 is out of range [-90, 90]"


def test_unknown_mode(small_copy: Path) -> None:
    edit(small_copy, "links.csv", 3, "mode", "teleport")
    assert the_error(small_copy).startswith("links.csv:3:mode: unknown value 'teleport'")


def test_unknown_country(small_copy: Path) -> None:
    edit(small_copy, "nodes.csv", 2, "country", "MON")
    assert the_error(small_copy) == (
        "nodes.csv:2:country: 'MON' is not an ISO 3166 alpha-3 country code"
    )


def test_rail_without_gauge(small_copy: Path) -> None:
    edit(small_copy, "links.csv", 2, "gauge_mm", "")
    assert the_error(small_copy) == "links.csv:2:gauge_mm: a rail link needs a gauge"


def test_road_with_gauge(small_copy: Path) -> None:
    edit(small_copy, "links.csv", 5, "gauge_mm", "1435")
    assert the_error(small_copy) == (
        "links.csv:5:gauge_mm: only rail links have a gauge, this one is road"
    )


def test_border_within_one_country(small_copy: Path) -> None:
    edit(small_copy, "nodes.csv", 4, "country", "MNG")
    found = errors(small_copy)
    assert "borders.csv:2:b: both sides of border 'zamyn_uud-erenhot' are in MNG" in found


def test_ferry_must_touch_a_port(small_copy: Path) -> None:
    edit(small_copy, "nodes.csv", 8, "kind", "city")
    assert the_error(small_copy) == (
        "links.csv:10:mode: a ferry link must join sea ports; 'baku' is a city"
    )


def test_gauge_break_needs_a_gauge_change(small_copy: Path) -> None:
    text = (
        (small_copy / "transfers.csv").read_text().replace("erenhot,rail,rail,8.0,300.0,test\n", "")
    )
    (small_copy / "transfers.csv").write_text(text)
    assert the_error(small_copy).startswith("nodes.csv:4:id: rail gauges [1435, 1520] meet at")


def test_land_link_across_a_border_needs_a_crossing(small_copy: Path) -> None:
    (small_copy / "borders.csv").write_text(
        (small_copy / "borders.csv").read_text().splitlines()[0] + "\n"
    )
    found = errors(small_copy)
    assert any("crosses from MNG to CHN with no border crossing" in e for e in found)


def test_disconnected_is_a_warning(small_copy: Path) -> None:
    warnings = [p for p in check_folder(small_copy) if p.severity == "warning"]
    assert {p.message for p in warnings} == {
        f"node '{n}' is not connected to the main network" for n in ("almaty", "aktau", "baku")
    }
    read_network(small_copy)  # warnings do not stop reading


def test_every_problem_is_reported_at_once(small_copy: Path) -> None:
    edit(small_copy, "nodes.csv", 2, "lat", "x")
    edit(small_copy, "links.csv", 3, "mode", "boat")
    edit(small_copy, "transfers.csv", 2, "time_h", "-2")
    with pytest.raises(NetworkFileError) as info:
        read_network(small_copy)
    report = info.value.report()
    assert "nodes.csv:2:lat: 'x' is not a number" in report
    assert "links.csv:3:mode: unknown value 'boat'" in report
    assert "transfers.csv:2:time_h: must not be negative, got -2" in report


def test_problem_formats_as_file_row_column() -> None:
    assert str(Problem("a.csv", "bad", 3, "x")) == "a.csv:3:x: bad"
    assert str(Problem("a.csv", "bad")) == "a.csv: bad"
