"""calendars.csv and capacities.csv: the embedded tables, round trips and every bad row."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from steppe.errors import NetworkFileError
from steppe.network import load_network, read_network, write_network
from steppe.network.calendars import CALENDAR_COLUMNS, CAPACITY_COLUMNS


@pytest.fixture(scope="module")
def folder(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return write_network(load_network(), tmp_path_factory.mktemp("net") / "eurasia")


def test_embedded_tables_are_read_and_every_row_is_sourced() -> None:
    net = load_network()
    assert len(net.calendars) >= 15 and len(net.queues) >= 8
    for row in (*net.calendars, *net.queues):
        assert row.source and ("http" in row.source or row.source.startswith("estimate")), row.id
    naadam = [c for c in net.calendars if c.ref == "tsagaannuur-tashanta" and c.reason == "Naadam"]
    assert {c.rule for c in naadam} == {"annual", "closed"}


def test_round_trip_keeps_every_row(folder: Path) -> None:
    net = load_network()
    again = read_network(folder)
    assert again.calendars == net.calendars
    assert again.queues == net.queues


def _edit(folder: Path, tmp_path: Path, table: str, row: dict[str, str]) -> Path:
    """Copy the folder and append one row to a table."""
    import shutil

    dest = tmp_path / "n"
    shutil.copytree(folder, dest)
    columns = CALENDAR_COLUMNS if table == "calendars.csv" else CAPACITY_COLUMNS
    with (dest / table).open("a", encoding="utf-8", newline="") as fh:
        csv.DictWriter(fh, fieldnames=list(columns), lineterminator="\n").writerow(row)
    return dest


def _row_number(folder: Path, table: str) -> int:
    with (folder / table).open(encoding="utf-8") as fh:
        return sum(1 for _ in csv.DictReader(fh)) + 1  # header is row 1


CLOSURE = {
    "id": "x", "applies_to": "border", "ref": "tsagaannuur-tashanta", "mode": "road",
    "rule": "closed", "start": "2025-07-20", "end": "2025-07-22", "reason": "test",
    "source": "estimate: test",
}  # fmt: skip
QUEUE = {
    "id": "q", "applies_to": "border", "ref": "altynkol-khorgos", "mode": "rail",
    "direction": "ba", "model": "mdc", "capacity_per_day": "8", "servers": "1",
    "demand_per_day": "4", "source": "estimate: test",
}  # fmt: skip


@pytest.mark.parametrize(
    ("table", "change", "column", "message"),
    [
        ("calendars.csv", {"end": "2025-07-19"}, "end", "ends (2025-07-19) before it starts"),
        ("calendars.csv", {"start": "2025-02-30"}, "start", "is not a valid YYYY-MM-DD"),
        ("calendars.csv", {"rule": "annual", "start": "13-01", "end": "07-15"}, "start", "MM-DD"),
        ("calendars.csv", {"rule": "weekly", "weekdays": "caturday"}, "weekdays", "sat|sun"),
        ("calendars.csv", {"rule": "monthly"}, "rule", "unknown rule"),
        ("calendars.csv", {"ref": "nowhere"}, "ref", "unknown border 'nowhere'"),
        ("calendars.csv", {"rule": "weather", "months": "13"}, "months", "out of range"),
        ("calendars.csv", {"rule": "hours", "start": "24:30", "end": "08:00"}, "start", "HH:MM"),
        ("calendars.csv", {"rule": "hours", "start": "00:00", "end": "24:00"}, "end", "equal"),
        (
            "calendars.csv",
            {"start": "2025-07-20T17:00", "end": "2025-07-20T08:00"},
            "end",
            "ends (2025-07-20T08:00) before it starts",
        ),
        (
            "calendars.csv",
            {"rule": "weekly", "weekdays": "mon|tue|wed|thu|fri|sat|sun"},
            "weekdays",
            "closed every day",
        ),
        ("capacities.csv", {"capacity_per_day": "0"}, "capacity_per_day", "must be positive"),
        ("capacities.csv", {"demand_per_day": "9"}, "demand_per_day", "cannot be stable"),
        (
            "capacities.csv",
            {"model": "fluid", "demand_per_day": "|".join(["9"] * 12)},
            "demand_per_day",
            "mean demand/capacity over the year is 1.12",
        ),
        ("capacities.csv", {"demand_per_day": "1|2"}, "demand_per_day", "1 or 12 monthly"),
        ("capacities.csv", {"direction": "up"}, "direction", "unknown direction"),
        ("capacities.csv", {"mode": "sea"}, "mode", "has no sea dwell"),
        ("capacities.csv", {"model": "sail_when_full"}, "wait_median_h", "needs a median"),
    ],
)
def test_bad_rows_name_file_row_and_column(
    folder: Path, tmp_path: Path, table: str, change: dict[str, str], column: str, message: str
) -> None:
    base = CLOSURE if table == "calendars.csv" else QUEUE
    dest = _edit(folder, tmp_path, table, {**base, **change})
    with pytest.raises(NetworkFileError) as info:
        read_network(dest)
    row = _row_number(dest, table)
    expected = f"{table}:{row}:{column}: "
    lines = info.value.report().splitlines()
    assert any(expected in line and message in line for line in lines), lines


def test_a_fluid_queue_may_be_over_capacity_in_some_months(folder: Path, tmp_path: Path) -> None:
    demand = "|".join(["10"] * 2 + ["4"] * 10)  # over capacity in January and February
    row = {**QUEUE, "model": "fluid", "demand_per_day": demand}
    net = read_network(_edit(folder, tmp_path, "capacities.csv", row))
    assert net.queues[-1].utilisation[0] == pytest.approx(1.25)


def test_holidays_announced_for_every_kaz_chn_road_post_close_every_one() -> None:
    net = load_network()
    posts = {"bakhty-baketu", "dostyk-alashankou", "kalzhat-dulata", "maikapchagai-jeminay_port"}
    for day in ("05-01", "05-07", "05-09"):  # NUR.KZ 2024: all but the Khorgos ICBC
        closed = {c.ref for c in net.calendars if c.rule == "annual" and c.start == day}
        assert posts <= closed, day
    dec = {c.ref for c in net.calendars if c.rule == "closed" and c.start == "2025-12-16"}
    assert posts | {"nur_zholy-khorgos"} <= dec
    assert all(c.mode is not None and c.mode.value == "road"
               for c in net.calendars if c.ref in posts)  # fmt: skip
