"""The observations register and the parser's refusals."""

from __future__ import annotations

import csv
from pathlib import Path

import pytest

from steppe.calibration import read_observations
from steppe.calibration._schema import split_role
from steppe.calibration.register import parse_period, register_path
from steppe.errors import ObservationsError


def test_shipped_register_is_sourced_split_by_the_fixed_rule(eurasia) -> None:
    reg = read_observations(None, eurasia)
    assert len(reg) >= 80
    with register_path().open(encoding="utf-8") as f:
        raw = {r["id"]: r for r in csv.DictReader(f)}
    for o in reg:
        assert o.source_title and (o.source_url.startswith(("http", "document:"))), o.id
        assert o.role == split_role(o.id, o.quantity, o.sets_default), o.id
        assert raw[o.id]["role"] == o.role
    roles = {o.role for o in reg}
    assert roles == {"fit", "check"}
    corridors = {o.corridor for o in reg}
    assert {"northern", "middle", "caspian", "sea", "mongolia_china",
            "kazakhstan_mongolia_altai", "china_kazakhstan"} <= corridors  # fmt: skip


def test_official_altai_road_figures_are_check_rows(eurasia) -> None:
    reg = {o.id: o for o in read_observations(None, eurasia)}
    for rid, km in (("ort_new_route_837km", 837), ("ort_existing_route_1604km", 1604)):
        assert reg[rid].role == "check" and reg[rid].low == km and reg[rid].unit == "km"


def test_every_problem_is_reported_at_once_with_file_row_column(small, write_csv) -> None:
    path = write_csv([
        {"id": "ok"},
        {"id": "unknown_place", "destination": "atlantis"},
        {"id": "impossible", "low": "9", "high": "3"},
        {"id": "no_source", "source_title": ""},
        {"id": "bad_date", "period": "spring 2024"},
        {"id": "bad_unit", "unit": "USD/FEU"},
        {"id": "price_no_year", "quantity": "price", "unit": "USD/FEU"},
        {"id": "ok"},
    ])  # fmt: skip
    with pytest.raises(ObservationsError) as info:
        read_observations(path, small)
    lines = info.value.report().splitlines()
    expect = [
        (3, "destination", "unknown place 'atlantis'"),
        (4, "high", "impossible range"),
        (5, "source_title", "missing source"),
        (6, "period", "cannot read date"),
        (7, "unit", "is not a unit of time"),
        (8, "currency_year", "year of its currency"),
        (9, "id", "duplicate id"),
    ]
    for row, col, text in expect:
        assert any(ln.startswith(f"{path}:{row}:{col}: ") and text in ln for ln in lines), (
            row, col, lines)  # fmt: skip
    assert isinstance(info.value, ValueError)


def test_missing_column_and_unreadable_file(tmp_path: Path, small) -> None:
    p = tmp_path / "x.csv"
    p.write_text("id,quantity\nabc,time\n", encoding="utf-8")
    with pytest.raises(ObservationsError, match="missing column"):
        read_observations(p, small)
    with pytest.raises(ObservationsError, match="cannot read"):
        read_observations(tmp_path / "absent.csv", small)


def test_coordinates_snap_to_the_nearest_place_or_are_refused(small, write_csv) -> None:
    ok = read_observations(write_csv([{"origin": "47.9 106.9"}]), small)
    assert ok.rows[0].origin == "ulaanbaatar"
    with pytest.raises(ObservationsError, match="no network place within"):
        read_observations(write_csv([{"origin": "0 0"}], "far.csv"), small)


def test_one_sided_bounds_and_periods() -> None:
    assert parse_period("2024-02") == (parse_period("2024-02-01")[0], parse_period("2024-02-29")[0])
    with pytest.raises(ValueError, match="ends before"):
        parse_period("2024..2023")


def test_unknown_scenario_is_a_row_problem(small, write_csv) -> None:
    with pytest.raises(ObservationsError, match="scenario"):
        read_observations(write_csv([{"scenario": "no-such-scenario"}]), small)
