"""Volume rows: published tonnages against the baseline assignment."""

from __future__ import annotations

import dataclasses

import pandas as pd
import pytest

import steppe
from steppe.calibration import calibration_report, read_observations
from steppe.calibration.report import network_resolver
from steppe.calibration.volumes import measure_volumes, volume_links
from steppe.network import Network


@pytest.fixture(scope="module")
def net() -> Network:
    return steppe.load_network()


@pytest.fixture(scope="module")
def volume_rows(net: Network) -> list:
    return [o for o in read_observations(network=net) if o.quantity == "volume"]


def test_register_has_sourced_volume_rows(volume_rows: list) -> None:
    ids = {o.id for o in volume_rows}
    assert {"titr_caspian_ports_2024", "naushki_sukhbaatar_2023", "dostyk_rail_2024_4m",
            "altynkol_rail_2024_4m", "erenhot_rail_2020_to_aug"} <= ids  # fmt: skip
    for o in volume_rows:
        assert o.source_url.startswith("http") and o.unit in ("t", "Mt")


def test_volume_links_join_the_rows_places(net: Network, volume_rows: list) -> None:
    for o in volume_rows:
        ids = volume_links(o, net.links)
        assert ids, o.id
        places = {o.origin, o.destination, *o.via}
        for lid in ids:
            link = net.links_by_id[lid]
            assert {link.a, link.b} <= places and link.mode.value in o.modes


def test_model_is_the_routed_tonnes_over_the_period(net: Network, volume_rows: list) -> None:
    # one pair whose best route crosses the Caspian: its tonnes, by routing it directly
    od = pd.DataFrame({"origin": ["aktau"], "destination": ["baku"], "tonnes": [36_500.0]})
    best = steppe.route(net, "aktau", "baku", optimize="generalized").best
    row = next(o for o in volume_rows if o.id == "titr_cargo_2024_11m")  # 11 months
    on_ferry = any(leg.ref in volume_links(row, net.links) for leg in best.legs)
    (m,) = measure_volumes([row], network_resolver(net), demand=od)
    days = (row.period[1] - row.period[0]).days + 1
    expected = 36_500.0 * days / 365.0 / 1e6 if on_ferry else 0.0
    assert m.model == pytest.approx(expected)
    assert m.ratio == pytest.approx(expected / 4.1)


def test_a_row_with_no_link_says_so(net: Network, volume_rows: list) -> None:
    row = dataclasses.replace(volume_rows[0], modes=("sea",))
    (m,) = measure_volumes([row], network_resolver(net), demand=pd.DataFrame(
        {"origin": ["aktau"], "destination": ["baku"], "tonnes": [1.0]}))  # fmt: skip
    assert m.model is None and "no link" in m.error


def test_report_shows_volumes_by_role(net: Network) -> None:
    rep = calibration_report(net, read_observations(network=net))
    volumes = [m for m in rep.rows if m.obs.quantity == "volume"]
    assert volumes and all(m.model is not None for m in volumes)
    assert any(k[1] == "volume" for k in rep.summary)
    from steppe.calibration.markdown import report_markdown

    assert "Published volumes against the baseline assignment" in report_markdown(rep)


def test_a_volume_in_a_time_unit_is_refused_with_row_and_column(small, write_csv) -> None:  # type: ignore[no-untyped-def]
    from steppe.calibration import read_observations as read
    from steppe.errors import ObservationsError

    path = write_csv([{"id": "ok_volume", "quantity": "volume", "unit": "Mt"},
                      {"id": "bad_volume", "quantity": "volume", "unit": "d"}])  # fmt: skip
    with pytest.raises(ObservationsError) as info:
        read(path, small)
    lines = info.value.report().splitlines()
    assert any(ln.startswith(f"{path}:3:unit: ") and "not a unit of volume" in ln
               for ln in lines), lines  # fmt: skip
    assert not any(":2:" in ln for ln in lines)
