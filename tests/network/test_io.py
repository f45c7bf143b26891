"""Reading, writing and round trips of network folders."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steppe.errors import NetworkFileError
from steppe.network import (
    Mode,
    Network,
    network_from_geojson,
    network_to_geojson,
    read_geojson,
    read_network,
    write_network,
)


def test_reads_every_table(small_network: Network) -> None:
    assert len(small_network.nodes) == 7
    assert len(small_network.links) == 9
    assert small_network.borders[0].dwell_for(Mode.RAIL, forward=True) is not None
    ferry = small_network.links_by_id["ak-bk-ferry"]
    assert (
        ferry.mode is Mode.FERRY and ferry.headway_h == 72.0 and ferry.countries == ("KAZ", "AZE")
    )
    road = small_network.links_by_id["ub-zu-road"]
    assert road.geometry is not None and road.geometry[0] == (47.90771, 106.88324)


def test_missing_p90_defaults_to_one_and_a_half_median(small_network: Network) -> None:
    dwell = small_network.borders[0].dwell_for(Mode.RAIL, forward=False)
    assert dwell is not None and dwell.p90_h == pytest.approx(1.5 * dwell.median_h)


def test_csv_round_trip_is_lossless(small_network: Network, tmp_path: Path) -> None:
    out = write_network(small_network, tmp_path / "copy")
    assert read_network(out) == small_network


def test_csv_geojson_csv_round_trip(small_network: Network, tmp_path: Path) -> None:
    text = json.dumps(network_to_geojson(small_network))
    back = network_from_geojson(json.loads(text))
    assert back == small_network
    path = tmp_path / "net.geojson"
    path.write_text(text)
    assert read_geojson(path) == small_network
    assert read_network(write_network(back, tmp_path / "again")) == small_network


def test_geojson_draws_links_along_their_geometry(small_network: Network) -> None:
    fc = network_to_geojson(small_network)
    links = {
        f["properties"]["id"]: f
        for f in fc["features"]
        if f["properties"]["feature_type"] == "link"
    }
    assert len(links["ub-zu-road"]["geometry"]["coordinates"]) == 3
    assert links["ub-zu-road"]["geometry"]["coordinates"][0] == [106.88324, 47.90771]


def test_write_refuses_to_overwrite(small_network: Network, tmp_path: Path) -> None:
    out = write_network(small_network, tmp_path / "n")
    with pytest.raises(NetworkFileError, match="already exists"):
        write_network(small_network, out)
    write_network(small_network, out, overwrite=True)
    assert read_network(out) == small_network


def test_failed_write_leaves_nothing(small_network: Network, tmp_path: Path) -> None:
    broken = small_network.replace(nodes=(*small_network.nodes, object()))
    with pytest.raises(AttributeError):
        write_network(broken, tmp_path / "half")
    assert list(tmp_path.iterdir()) == []


def test_not_a_folder(tmp_path: Path) -> None:
    with pytest.raises(NetworkFileError, match="is not a folder"):
        read_network(tmp_path / "nope")


def test_bad_toml_and_version(small_copy: Path) -> None:
    (small_copy / "network.toml").write_text("format_version = 7\n")
    with pytest.raises(NetworkFileError, match="format_version 7 is not supported"):
        read_network(small_copy)
    (small_copy / "network.toml").write_text("format_version = [\n")
    with pytest.raises(NetworkFileError, match="not valid TOML"):
        read_network(small_copy)


def test_not_utf8(small_copy: Path) -> None:
    (small_copy / "nodes.csv").write_bytes(b"id,name\n\xff\xfe\n")
    with pytest.raises(NetworkFileError, match="not UTF-8"):
        read_network(small_copy)


def test_closed_transit_round_trips(small_network: Network, tmp_path: Path) -> None:
    net = small_network.replace(closed_transit=("CHN",))
    assert read_network(write_network(net, tmp_path / "c")).closed_transit == ("CHN",)
    assert network_from_geojson(network_to_geojson(net)).closed_transit == ("CHN",)
