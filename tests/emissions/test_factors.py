"""The shipped factor tables: cited, consistent, and equal to the published values."""

from __future__ import annotations

import pytest

from steppe.emissions import factors as factors_mod
from steppe.emissions.factors import factor_table
from steppe.errors import ConfigError, DataFileError


def test_every_factor_is_cited_and_consistent() -> None:
    table = factor_table()
    assert table.factors
    for f in table.factors.values():
        assert f.source.strip(), f.factor_id
        assert f.wtw > 0
        if f.kind == "leg":
            assert f.unit == "g_co2e_per_tkm"
            assert f.ttw is not None and f.wtt is not None
            # published tables round WTT, TTW and WTW separately
            assert f.wtt + f.ttw == pytest.approx(f.wtw, abs=0.15)
        else:
            assert f.ttw is None  # GLEC hub defaults are totals only
    for row in table.grid.values():
        assert row.electrified_share is None or row.share_source
        assert row.grid_g_per_kwh is None or row.grid_source
    for value, source in table.parameters.values():
        assert value > 0 and source


@pytest.mark.parametrize(
    ("factor_id", "wtt", "ttw", "wtw"),
    [
        # GLEC Framework v3.0, Module 2: Table 4, 5, 9 and 14 (values read from the document)
        ("rail_container_diesel", 6.4, 21.2, 27.6),
        ("rail_container_electric_eu2020", 6.4, 0.0, 6.4),
        ("road_artic44_container_europe", 19, 65, 84),
        ("road_artic44_average_mixed_europe", 20, 64, 84),
        ("road_artic44_heavy_europe", 17, 55, 72),
        ("rail_average_mixed_diesel", 7.0, 23.2, 30.2),
        ("rail_average_mixed_electric_eu2020", 7.0, 0.0, 7.0),
        ("ferry_ropax_10k_20k_gt_vlsfo", 19.2, 110.6, 129.7),
        ("ferry_ropax_5k_10k_gt_vlsfo", 30.0, 173.0, 202.9),
    ],
)
def test_published_values(factor_id: str, wtt: float, ttw: float, wtw: float) -> None:
    f = factor_table().factor(factor_id)
    assert (f.wtt, f.ttw, f.wtw) == (wtt, ttw, wtw)
    assert "GLEC Framework v3.0" in f.source


def test_derived_rows_follow_their_stated_method() -> None:
    t = factor_table()
    europe, asia = (
        t.factor("road_artic44_container_europe"),
        t.factor("road_artic44_container_asia"),
    )
    assert asia.source.startswith("derived:")
    for a, b in ((asia.wtt, europe.wtt), (asia.ttw, europe.ttw), (asia.wtw, europe.wtw)):
        assert a == pytest.approx(1.22 * float(b or 0), abs=0.005)
    sea = t.factor("sea_container_asia_north_europe")
    assert (sea.wtt, sea.ttw, sea.wtw) == pytest.approx((6.8 / 10, 43.1 / 10, 49.9 / 10))
    assert t.parameter("eu_electricity_g_per_kwh") == pytest.approx(97 * 3.6)  # g/MJ -> g/kWh


def test_hub_values() -> None:
    t = factor_table()
    assert t.factor("hub_transshipment").wtw == 0.6
    assert t.factor("hub_maritime_container_terminal").unit == "kg_co2e_per_container"


def test_unknown_factor_is_a_config_error() -> None:
    with pytest.raises(ConfigError, match="unknown emission factor"):
        factor_table().factor("nope")


def test_a_malformed_table_names_file_row_and_column(monkeypatch: pytest.MonkeyPatch) -> None:
    real = factors_mod._rows

    def bad(name: str) -> list[dict[str, str]]:
        rows = real(name)
        if name == "factors.csv":
            rows[0] = {**rows[0], "wtw": "lots", "source": ""}
        return rows

    factors_mod.factor_table.cache_clear()
    monkeypatch.setattr(factors_mod, "_rows", bad)
    try:
        with pytest.raises(DataFileError) as info:
            factors_mod.factor_table()
        text = info.value.report()
        assert "emissions/factors.csv:2:wtw" in text
    finally:
        factors_mod.factor_table.cache_clear()
