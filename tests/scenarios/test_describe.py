"""A scenario's changes in words: lengths, speeds, waits and what opened or closed."""

from __future__ import annotations

import pytest

import steppe
from steppe.scenarios import apply_scenario, bundled_scenario, describe_changes


@pytest.fixture(scope="module")
def net():
    return steppe.load_network()


def test_new_road_is_described_with_length_speed_and_names(net):
    words = describe_changes(apply_scenario(net, bundled_scenario("oskemen-ridder-tuyekta")))
    # 151 km: the scenario's Russian section as measured in issue 15 (it was 313 km, back-solved
    # from the official 837 km total)
    assert (
        "New road link Ridder–Altai border post (RU, planned) – Tuyekta: 151 km at 45 km/h" in words
    )
    assert any(w.startswith("New road link Ridder –") and "(under repair)" in w for w in words)
    assert any(w.startswith("New border crossing") for w in words)
    assert not any("_" in w for w in words)  # names, not ids


def test_changed_values_say_before_and_after(net):
    words = describe_changes(apply_scenario(net, bundled_scenario("titr-2030")))
    assert any("a sailing every 42 h instead of 84 h" in w for w in words)
    assert any(
        w.startswith("Transfer rail → ferry at Aktau: time 12 h instead of 24 h") for w in words
    )
    assert any("Dostyk → Alashankou median dwell" in w for w in words)
    assert not any("p90" in w for w in words)


def test_closed_transit(net):
    words = describe_changes(apply_scenario(net, bundled_scenario("russia-transit-closed")))
    assert words == ["Transit through Russia closed"]
