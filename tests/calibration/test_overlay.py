"""Calibration overlays: reading, checking, writing and transforming a network."""

from __future__ import annotations

from pathlib import Path

import pytest

from steppe.calibration import Calibration, apply_calibration, read_calibration, write_calibration
from steppe.calibration.overlay import calibration_from_mapping
from steppe.errors import CalibrationError
from steppe.network.model import Mode
from steppe.routing import CostModel, route


def test_round_trip(tmp_path: Path, small) -> None:
    cal = Calibration({"time.line_haul.rail": 1.25, "price.border.rail": 0.5}, title="t")
    path = tmp_path / "o.toml"
    write_calibration(cal, path, fit={"rows": 3, "unidentified": ["x"]})
    back = read_calibration(path, small)
    assert dict(back.factors) == dict(cal.factors) and back.title == "t"


def test_every_bad_key_is_reported(small) -> None:
    data = {
        "format_version": 2,
        "colour": "red",
        "factors": {"time.nothing": 2, "time.border.bus": 1.0, "price.border.rail": -1,
                    "time.border.rail.no-such-border": 2.0, "time.line_haul.rail.XYZ": 2.0},
    }  # fmt: skip
    with pytest.raises(CalibrationError) as info:
        calibration_from_mapping(data, small, file="o.toml")
    text = info.value.report()
    for part in ("format_version", "colour", "time.nothing", "unknown mode 'bus'", "> 0",
                 "no-such-border", "'XYZ'"):  # fmt: skip
        assert part in text, part


def test_factors_scale_the_right_items(small) -> None:
    base = route(small, "ulaanbaatar", "beijing", modes="rail", optimize="time").best
    cal = Calibration({"time.line_haul.rail": 2.0, "time.border.rail": 3.0,
                       "price.line_haul.rail": 0.5, "time.ferry_wait.ferry": 2.0})  # fmt: skip
    net, cm = apply_calibration(small, cal, CostModel())
    new = route(net, "ulaanbaatar", "beijing", modes="rail", optimize="time",
                cost_model=cm).best  # fmt: skip

    def total(r, kind: str, what: str) -> float:
        return sum(getattr(leg, what) for leg in r.legs if leg.kind == kind)

    assert total(new, "link", "time_h") == pytest.approx(2 * total(base, "link", "time_h"))
    assert total(new, "border", "time_h") == pytest.approx(3 * total(base, "border", "time_h"))
    assert total(new, "link", "cost_usd") == pytest.approx(0.5 * total(base, "link", "cost_usd"))
    assert total(new, "transfer", "time_h") == pytest.approx(total(base, "transfer", "time_h"))
    ferry = next(lk for lk in net.links if lk.mode is Mode.FERRY)
    assert ferry.headway_h == pytest.approx(2 * small.links_by_id[ferry.id].headway_h)
    assert small.links_by_id["ub-zu-rail"].speed_kmh == 40.0  # the input is untouched


def test_country_factor_applies_to_links_in_that_country(small) -> None:
    cal = Calibration({"time.line_haul.rail.MNG": 2.0})
    net, _ = apply_calibration(small, cal)
    assert net.links_by_id["ub-zu-rail"].speed_kmh == pytest.approx(20.0)
    assert net.links_by_id["er-bj-rail"].speed_kmh == pytest.approx(50.0)
