"""The cost model and cargo."""

from __future__ import annotations

import pytest

from steppe.errors import ConfigError
from steppe.network.model import Mode
from steppe.routing import Cargo, CostModel


def test_defaults_follow_their_sources() -> None:
    cm = CostModel()
    assert cm.usd_per_km(Mode.ROAD, ("KAZ",)) == pytest.approx(1493 / 500)  # CPMM CP06
    assert cm.usd_per_km(Mode.RAIL, ("MNG",)) == pytest.approx(440 / 500)  # CPMM CP10
    assert cm.usd_per_km(Mode.RAIL, ("KAZ", "MNG")) == pytest.approx((883 + 440) / 1000)
    assert cm.usd_per_km(Mode.ROAD, ("DEU",)) == 1.9  # EU estimate, now per member state
    assert cm.usd_per_km(Mode.RAIL, ("GEO",)) == 1.8
    assert cm.usd_per_km(Mode.ROAD, ("RUS",)) == cm.road_usd_per_km == 2.0
    # ETRR 2019 Table 9 (road, rail, inland waterway as the ferry proxy); Atmosphere 2022 (sea)
    assert [cm.kgco2e_per_tkm(m) for m in (Mode.ROAD, Mode.RAIL, Mode.FERRY, Mode.SEA)] == [
        0.0903,
        0.0113,
        0.0386,
        0.0035,
    ]
    # Regulation (EC) No 561/2006 Art. 6 and the AETR: 9 h of driving a day
    assert cm.road_driving_hours_per_day == 9.0
    assert cm.elapsed_h(Mode.ROAD, 4.5) == pytest.approx(12.0)
    assert cm.elapsed_h(Mode.SEA, 4.5) == 4.5
    # Hummels & Schaur (2013): 0.6 % of the value per day
    assert cm.value_of_time(Cargo(value_usd=100_000)) == pytest.approx(100_000 * 0.006 / 24)
    assert cm.value_of_time(Cargo()) == pytest.approx(2500 * 20 * 0.006 / 24)


def test_replace_and_from_mapping() -> None:
    cm = CostModel().replace(road_usd_per_km=4.0, value_of_time_usd_per_h=10.0)
    assert cm.road_usd_per_km == 4.0 and cm.value_of_time(Cargo()) == 10.0
    assert CostModel() == CostModel() and hash(CostModel()) == hash(CostModel())
    m = CostModel.from_mapping({"usd_per_km_by_country": {"road": {"CHN": 1.0, "KAZ": 5.0}}})
    assert m.usd_per_km(Mode.ROAD, ("CHN",)) == 1.0 and m.usd_per_km(Mode.ROAD, ("KAZ",)) == 5.0
    assert m.usd_per_km(Mode.ROAD, ("MNG",)) == pytest.approx(1455 / 500)  # merged, not wiped
    bare = CostModel.from_mapping({"usd_per_km_by_country": []})
    assert bare.usd_per_km(Mode.ROAD, ("KAZ",)) == bare.road_usd_per_km
    with pytest.raises(ConfigError, match=r"unknown cost model parameter.*road_usd_per_mile"):
        CostModel.from_mapping({"road_usd_per_mile": 1.0})
    with pytest.raises(ConfigError, match="must be a number"):
        CostModel().replace(rail_usd_per_km=-1)
    with pytest.raises(ConfigError):
        CostModel().replace(p90_median_ratio=0.5)


@pytest.mark.parametrize(
    ("text", "unit", "tonnes"),
    [
        ("feu", "feu", 20.0),
        ("TEU", "teu", 10.0),
        ("tonnes:12", "tonnes", 12.0),
        ("feu:24", "feu", 24.0),
    ],
)
def test_cargo_parse(text: str, unit: str, tonnes: float) -> None:
    cargo = Cargo.parse(text)
    assert (cargo.unit, cargo.tonnes) == (unit, tonnes)


@pytest.mark.parametrize("text", ["pallet", "tonnes", "tonnes:x", "tonnes:-3"])
def test_cargo_parse_errors(text: str) -> None:
    with pytest.raises(ConfigError):
        Cargo.parse(text)


def test_feu_equivalents() -> None:
    cm = CostModel()
    assert cm.feu_equivalents(Cargo()) == 1.0
    assert cm.feu_equivalents(Cargo.parse("teu")) == 0.5
    assert cm.feu_equivalents(Cargo.parse("tonnes:30")) == 1.5


def test_rates_by_mode_are_the_cost_model_parameters() -> None:
    from steppe.network.model import Mode
    from steppe.routing.costs import ModeRates

    cm = CostModel(road_usd_per_km=2.5, sea_speed_kmh=28.0, road_driving_hours_per_day=18)
    assert set(cm.rates) == set(Mode)
    assert cm.rates[Mode.ROAD] == ModeRates(2.5, cm.road_kgco2e_per_tkm, cm.road_speed_kmh, 18)
    assert cm.speed_kmh(Mode.SEA) == 28.0
    assert cm.elapsed_h(Mode.ROAD, 9.0) == 12.0 and cm.elapsed_h(Mode.SEA, 9.0) == 9.0
    assert cm.replace(rail_usd_per_km=0.5).rates[Mode.RAIL].usd_per_km == 0.5


def test_modes_carry_their_behaviour() -> None:
    from steppe.network.model import Mode
    from steppe.scenarios.spec import DWELL_FIELDS

    assert {m for m in Mode if m.scheduled} == {Mode.FERRY, Mode.SEA}
    assert {m for m in Mode if m.has_gauge} == {Mode.RAIL}
    assert set(DWELL_FIELDS) == {c for m in Mode for c in m.dwell_columns}
    assert Mode.SEA.dwell_columns == ()
