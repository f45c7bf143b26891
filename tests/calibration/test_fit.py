"""The fit recovers known factors on a small synthetic network, and refuses what it cannot fit."""

from __future__ import annotations

import pytest

from steppe.calibration import Calibration, apply_calibration, fit_calibration, read_observations
from steppe.errors import ConfigError, ConvergenceError
from steppe.routing import CostModel, route

# Issue 13: MNG's CPMM per-km rate contains border and gauge-change costs, so on this
# network those fees are not charged and a transfer price factor could not be seen; the
# synthetic truth and the fit charge every fee, as the cost model did before.
FEES = CostModel(border_costs_in_rates=())

TRUE = {
    "time.line_haul.rail": 1.5,
    "time.border.rail": 2.0,
    "time.transfer": 0.5,
    "time.line_haul.road": 0.8,
    "time.border.road": 1.25,
    "price.line_haul.rail": 0.4,
    "price.transfer": 2.0,
}

# (id, origin, destination, modes, component, quantity)
ROWS = [
    ("rail_ub_bj", "ulaanbaatar", "beijing", "rail", "total", "time"),
    ("rail_ub_zu", "ulaanbaatar", "zamyn_uud", "rail", "total", "time"),
    ("rail_border_s", "zamyn_uud", "erenhot", "rail", "border", "time"),
    ("rail_border_n", "erenhot", "zamyn_uud", "rail", "border", "time"),
    ("rail_al_ak", "almaty", "aktau", "rail", "total", "time"),
    ("road_ub_bj", "ulaanbaatar", "beijing", "road", "total", "time"),
    ("road_ub_zu", "ulaanbaatar", "zamyn_uud", "road", "total", "time"),
    ("price_al_ak", "almaty", "aktau", "rail", "total", "price"),
    ("price_ub_bj", "ulaanbaatar", "beijing", "rail", "total", "price"),
    ("price_border", "zamyn_uud", "erenhot", "rail", "border", "price"),
    ("check_bj_ub", "beijing", "ulaanbaatar", "rail", "total", "time"),
    ("check_bj_ub_road", "beijing", "ulaanbaatar", "road", "total", "time"),
]


def _synthetic(small, write_csv, factors=TRUE):
    net, cm = apply_calibration(small, Calibration(factors), FEES)
    rows = []
    for rid, o, d, modes, comp, q in ROWS:
        legs = route(net, o, d, modes=modes, optimize="time", cost_model=cm).best.legs
        kinds = {"total": None, "border": "border"}[comp]
        value = sum((leg.time_h if q == "time" else leg.cost_usd) for leg in legs
                    if kinds is None or leg.kind == kinds)  # fmt: skip
        rows.append({
            "id": rid, "origin": o, "destination": d, "modes": modes, "component": comp,
            "quantity": q, "unit": "h" if q == "time" else "USD/FEU",
            "currency_year": "2024" if q == "price" else "", "low": f"{value:.6f}",
            "high": f"{value:.6f}", "role": "check" if rid.startswith("check") else "fit",
        })  # fmt: skip
    return read_observations(write_csv(rows), small)


def test_fit_recovers_the_true_factors(small, write_csv) -> None:
    obs = _synthetic(small, write_csv)
    res = fit_calibration(small, obs, ridge=1e-4, cost_model=FEES)
    got = {p.key: p.factor for p in res.parameters}
    for key, value in TRUE.items():
        assert got[key] == pytest.approx(value, rel=2e-3), key
    assert res.after[("check", "time")].median_abs_log_error < 1e-3
    assert res.before[("check", "time")].median_abs_log_error > 0.05


def test_ridge_pulls_towards_the_defaults(small, write_csv) -> None:
    obs = _synthetic(small, write_csv)
    loose = {
        p.key: p.factor for p in fit_calibration(small, obs, ridge=1e-4, cost_model=FEES).parameters
    }
    tight = {
        p.key: p.factor for p in fit_calibration(small, obs, ridge=5.0, cost_model=FEES).parameters
    }
    for key in TRUE:
        assert abs(tight[key] - 1.0) < abs(loose[key] - 1.0), key


def test_parameters_only_check_rows_touch_are_unidentified(small, write_csv) -> None:
    obs = _synthetic(small, write_csv)
    rows = [o for o in obs if not o.id.startswith("road")]
    from steppe.calibration import Observations

    res = fit_calibration(small, Observations(tuple(rows), obs.file), ridge=1e-4, cost_model=FEES)
    assert "time.line_haul.road" in res.unidentified
    assert "time.line_haul.road" not in {p.key for p in res.parameters}


def test_a_factor_at_its_bound_is_refused(small, write_csv) -> None:
    obs = _synthetic(small, write_csv, {"price.line_haul.rail": 1e-4})
    with pytest.raises(ConvergenceError, match=r"price\.line_haul\.rail"):
        fit_calibration(small, obs, ridge=1e-4, cost_model=FEES)


def test_nothing_to_fit_is_refused(small, write_csv) -> None:
    obs = read_observations(write_csv([{"role": "check"}]), small)
    with pytest.raises(ConfigError, match="nothing to fit"):
        fit_calibration(small, obs)
