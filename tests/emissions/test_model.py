"""Which factor applies: regions, traction shares, grid intensities, overrides."""

from __future__ import annotations

import pytest

from steppe.emissions.model import EmissionsModel
from steppe.errors import ConfigError


def test_rail_without_cited_traction_data_is_diesel_and_says_so() -> None:
    i = EmissionsModel().leg_intensity("rail", ("MNG",))
    assert (i.wtt, i.ttw, i.wtw) == pytest.approx((6.4, 21.2, 27.6))
    assert "diesel traction assumed" in i.note
    assert i.load_factor == 0.5 and i.empty_running == 0.17


def test_rail_mixes_traction_by_share_and_grid() -> None:
    # DEU: 62 % electrified (EU average, UIC 2017 via GLEC), 381 g/kWh (Ember 2023)
    electric = 6.4 * 381 / 349.2  # EU-mix default rescaled to Germany's grid, by hand
    i = EmissionsModel().leg_intensity("rail", ("DEU",))
    assert i.wtw == pytest.approx(0.62 * electric + 0.38 * 27.6, rel=1e-3)
    assert i.ttw == pytest.approx(0.38 * 21.2)
    assert "62% electric" in i.note
    assert "rail_container_electric_eu2020" in i.factor_ids


def test_overrides_and_switching_traction_off() -> None:
    full = EmissionsModel(electrified_share=(("KAZ", 1.0),), grid_g_per_kwh=(("KAZ", 500.0),))
    i = full.leg_intensity("rail", ("KAZ",))
    assert i.ttw == 0.0
    assert i.wtw == pytest.approx(6.4 * 500 / 349.2)
    off = EmissionsModel(electric_traction=False).leg_intensity("rail", ("DEU",))
    assert off.wtw == pytest.approx(27.6)


def test_a_link_through_two_countries_averages_them() -> None:
    m = EmissionsModel()
    both = m.leg_intensity("rail", ("DEU", "MNG"))
    one, other = m.leg_intensity("rail", ("DEU",)), m.leg_intensity("rail", ("MNG",))
    assert both.wtw == pytest.approx((one.wtw + other.wtw) / 2)


def test_road_takes_the_asian_uplift_outside_europe() -> None:
    m = EmissionsModel()
    assert m.leg_intensity("road", ("DEU",)).wtw == pytest.approx(84)
    assert m.leg_intensity("road", ("KAZ",)).wtw == pytest.approx(102.48)


def test_ferry_is_a_ropax_factor_not_inland_waterway() -> None:
    i = EmissionsModel().leg_intensity("ferry", ("KAZ", "AZE"))
    assert i.wtw == pytest.approx(129.7)
    assert i.factor_ids == ("ferry_ropax_10k_20k_gt_vlsfo",)
    small = EmissionsModel(ferry="ferry_ropax_5k_10k_gt_vlsfo").leg_intensity("ferry")
    assert small.wtw == pytest.approx(202.9)


@pytest.mark.parametrize(
    "kwargs",
    [
        {"ferry": "rail_container_diesel"},
        {"port_hub": "ferry_ropax_5k_10k_gt_vlsfo"},
        {"rail_diesel": "nope"},
        {"rail_diesel": "rail_container_electric_eu2020"},
        {"electrified_share": (("KAZ", 1.5),)},
        {"grid_g_per_kwh": (("KAZ", -1.0),)},
    ],
)
def test_bad_configuration_is_a_config_error(kwargs: dict[str, object]) -> None:
    with pytest.raises(ConfigError):
        EmissionsModel(**kwargs)  # type: ignore[arg-type]


def test_unknown_mode_and_hub() -> None:
    m = EmissionsModel()
    with pytest.raises(ConfigError, match="no emission factor for mode"):
        m.leg_intensity("air")
    with pytest.raises(ConfigError, match="unknown hub kind"):
        m.hub_factor("warehouse")


def test_load_characteristics_are_a_choice() -> None:
    mixed = EmissionsModel(
        rail_diesel="rail_average_mixed_diesel", rail_electric="rail_average_mixed_electric_eu2020"
    )
    i = mixed.leg_intensity("rail", ("MNG",))
    assert (i.wtw, i.load_factor, i.empty_running) == (pytest.approx(30.2), 0.6, 0.33)
    heavy = EmissionsModel(road_europe="road_artic44_heavy_europe")
    assert heavy.leg_intensity("road", ("POL",)).wtw == pytest.approx(72)
