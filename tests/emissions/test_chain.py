"""The chain calculation, and the worked example of docs/emissions.md reproduced."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from steppe.emissions import EmissionsModel, hub_emissions, leg_emissions
from steppe.emissions.chain import ChainEmissions
from steppe.errors import ConfigError

DOC = Path(__file__).parents[2] / "docs" / "emissions.md"


def worked_example() -> ChainEmissions:
    """Almaty -> Aktau (rail) -> Alat/Baku (ferry) -> Tbilisi (rail), one FEU of 20 t."""
    m = EmissionsModel()
    legs = (
        leg_emissions(m, "rail", 3000.0, 20.0, ("KAZ",)),
        leg_emissions(m, "ferry", 523.0, 20.0, ("KAZ", "AZE")),
        leg_emissions(m, "rail", 500.0, 20.0, ("AZE",)),
        leg_emissions(m, "rail", 100.0, 20.0, ("GEO",)),
    )
    hubs = (
        hub_emissions(m, "port", tonnes=20.0, containers=1.0, node="aktau"),
        hub_emissions(m, "port", tonnes=20.0, containers=1.0, node="alat"),
    )
    return ChainEmissions(legs, hubs)


def test_worked_example_by_hand() -> None:
    chain = worked_example()
    # by hand: tonne-km x g/t-km / 1000, plus 2 x 10.7 kg per container at the ports
    wtw = (60_000 * 27.6 + 10_460 * 129.7 + 10_000 * 27.6 + 2_000 * 27.6) / 1000 + 2 * 10.7
    ttw = (60_000 * 21.2 + 10_460 * 110.6 + 10_000 * 21.2 + 2_000 * 21.2) / 1000
    assert chain.wtw_kg == pytest.approx(wtw)
    assert chain.ttw_kg == pytest.approx(ttw)
    assert round(chain.wtw_kg, 3) == 3365.262
    assert round(chain.ttw_kg, 3) == 2683.276


def test_worked_example_matches_the_docs() -> None:
    text = DOC.read_text(encoding="utf-8")
    chain = worked_example()
    totals = re.search(r"\*\*Total WTW = ([\d,.]+) kg CO2e; TTW = ([\d,.]+) kg CO2e\*\*", text)
    assert totals, "the worked example's total line is missing from docs/emissions.md"
    assert float(totals.group(1).replace(",", "")) == round(chain.wtw_kg, 3)
    assert float(totals.group(2).replace(",", "")) == round(chain.ttw_kg, 3)
    for leg in chain.legs:
        assert f"{leg.wtw_kg:,.3f}" in text
    assert "10.700" in text


def test_to_dict_carries_factors_and_sources() -> None:
    out = worked_example().to_dict()
    assert out["wtw_kg"] == 3365.262
    ferry = out["legs"][1]
    assert ferry["factor_ids"] == ["ferry_ropax_10k_20k_gt_vlsfo"]
    assert "Table 14" in ferry["sources"][0]
    assert out["hubs"][0]["ttw_kg"] is None
    assert out["hubs"][0]["factor_ids"] == ["hub_maritime_container_terminal"]


def test_transshipment_hubs_count_tonnes() -> None:
    h = hub_emissions(EmissionsModel(), "transshipment", tonnes=20.0, containers=1.0)
    assert h.wtw_kg == pytest.approx(12.0)


def test_negative_activity_is_refused() -> None:
    with pytest.raises(ConfigError):
        leg_emissions(EmissionsModel(), "rail", -1.0, 20.0)


@given(
    km=st.floats(0, 10_000),
    tonnes=st.floats(0.1, 100),
    mode=st.sampled_from(["road", "rail", "ferry", "sea"]),
)
def test_emissions_are_linear_and_wtw_covers_ttw(km: float, tonnes: float, mode: str) -> None:
    m = EmissionsModel()
    one = leg_emissions(m, mode, km, tonnes, ("KAZ",))
    two = leg_emissions(m, mode, 2 * km, tonnes, ("KAZ",))
    assert two.wtw_kg == pytest.approx(2 * one.wtw_kg)
    assert one.wtw_kg >= one.ttw_kg >= 0
