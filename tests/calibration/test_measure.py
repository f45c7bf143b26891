"""Matching rows to router options, and the report on the shipped register."""

from __future__ import annotations

import math

import pytest

from steppe.calibration import calibration_report, read_observations
from steppe.calibration.measure import log_error, measure_one, route_options
from steppe.network.model import Mode
from steppe.routing import CostModel, Objective, route


def test_row_options_match_modes_avoid_cargo_and_objective(small, write_csv) -> None:
    reg = read_observations(write_csv([
        {"id": "t", "modes": "rail,road", "avoid": "KAZ", "via": "zamyn_uud"},
        {"id": "p", "quantity": "price", "unit": "USD/TEU", "currency_year": "2024"},
        {"id": "w", "quantity": "price", "unit": "USD/tonne", "currency_year": "2024"},
        {"id": "d", "quantity": "distance", "unit": "km", "low": "1500", "high": "1600"},
    ]), small)  # fmt: skip
    opts = {o.id: route_options(o) for o in reg}
    assert opts["t"].modes == {Mode.RAIL, Mode.ROAD} and opts["t"].avoid == {"KAZ"}
    assert opts["t"].via == ("zamyn_uud",) and opts["t"].objective is Objective.TIME
    assert opts["p"].cargo.unit == "teu" and opts["w"].cargo.tonnes == 1.0
    assert opts["d"].objective is Objective.DISTANCE
    model = CostModel(rail_usd_per_km=2.0)
    assert route_options(reg.rows[0], model).cost_model is model


def test_model_value_is_the_route_or_its_component(small, write_csv) -> None:
    reg = read_observations(write_csv([
        {"id": "total"},
        {"id": "border", "origin": "zamyn_uud", "destination": "erenhot", "component": "border",
         "unit": "h", "low": "10", "high": "10"},
    ]), small)  # fmt: skip
    r = route(small, "ulaanbaatar", "beijing", modes="rail", optimize="time").best
    total = measure_one(reg.rows[0], small, CostModel())
    assert total.model == pytest.approx(r.time_days)
    assert sum(total.parts.values()) == pytest.approx(r.time_h)
    border = measure_one(reg.rows[1], small, CostModel())
    assert border.model == pytest.approx(10.0) and border.inside and border.ratio == 1.0


def test_log_error_of_ranges_and_bounds(small, write_csv) -> None:
    reg = read_observations(write_csv([
        {"id": "r", "low": "4", "high": "9"}, {"id": "lo", "low": "10", "high": ""},
        {"id": "hi", "low": "", "high": "2"},
    ]), small)  # fmt: skip
    r, lo, hi = reg.rows
    assert log_error(r, 6.0) == pytest.approx(0.0)
    assert log_error(lo, 20.0) == 0.0 and log_error(lo, 5.0) == pytest.approx(-math.log(2))
    assert log_error(hi, 1.0) == 0.0 and log_error(hi, 4.0) == pytest.approx(math.log(2))


def test_report_on_the_register_routes_every_row(eurasia) -> None:
    rep = calibration_report(eurasia, read_observations(None, eurasia))
    assert not rep.failed, [(m.obs.id, m.error) for m in rep.failed]
    for key in (("fit", "time"), ("check", "time"), ("fit", "price"), ("check", "distance")):
        assert rep.stat(*key) is not None, key
    assert {"mode", "corridor", "component"} == set(rep.groups)
    data = rep.to_dict()
    assert len(data["rows"]) == len(rep.rows)


def test_a_two_way_average_is_the_mean_of_both_directions(eurasia, write_csv) -> None:
    rows = [
        {"id": k, "origin": a, "destination": b, "modes": "rail", "component": "border",
         "unit": "h", "low": "50", "high": "50", "direction": d}
        for k, a, b, d in (("out", "dostyk", "alashankou", ""),
                           ("in", "alashankou", "dostyk", ""),
                           ("both", "dostyk", "alashankou", "both"))
    ]  # fmt: skip
    out, inward, both = (
        measure_one(o, eurasia, CostModel()) for o in read_observations(write_csv(rows), eurasia)
    )
    assert out.model is not None and inward.model is not None
    assert out.model != pytest.approx(inward.model)  # the crossing's dwell has a direction
    assert both.model == pytest.approx((out.model + inward.model) / 2)
    assert sum(both.parts.values()) == pytest.approx(both.model)


def test_direction_must_be_empty_or_both(small, write_csv) -> None:
    from steppe.errors import ObservationsError

    with pytest.raises(ObservationsError, match=r":2:direction: .*'inbound'"):
        read_observations(write_csv([{"id": "x", "direction": "inbound"}]), small)
