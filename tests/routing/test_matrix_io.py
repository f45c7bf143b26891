"""OMX and Parquet matrices, read back with openmatrix (the reference OMX reader, on
PyTables), h5py and pyarrow and checked cell by cell against the in-memory result."""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import numpy as np
import pyarrow.parquet as pq
import pytest

import steppe
from steppe.errors import ConfigError
from steppe.routing.matrix_io import UNITS, MatrixInfo, write_matrix

PLACES = ["almaty", "baku", "ulaanbaatar", "tianjin"]


@pytest.fixture(scope="module")
def result() -> steppe.routing.MatrixResult:
    return steppe.routing.matrix(steppe.load_network(), PLACES, PLACES, objective="cost")


def test_omx_holds_every_metric_by_origin_and_destination(result, tmp_path: Path) -> None:
    info = MatrixInfo(scenario="titr-2030", network="eurasia", created="2026-12-01T00:00:00Z")
    path = write_matrix(result, tmp_path / "skims.omx", info=info)
    with h5py.File(path, "r") as f:
        assert f.attrs["OMX_VERSION"] == b"0.2"
        assert f.attrs["SHAPE"].tolist() == [4, 4]
        zones = [z.decode() for z in f["lookup/zone"][:]]
        assert sorted(zones) == sorted(PLACES)
        assert [z.decode() for z in f["lookup/origin"][:]] == zones
        assert set(f["data"]) == set(UNITS)
        cells = {m: f[f"data/{m}"][:] for m in UNITS}
        assert f["data/co2_kg"].attrs["unit"] == UNITS["co2_kg"]
        assert f.attrs["steppe.scenario"] == "titr-2030"
        assert f.attrs["steppe.metric"] == "cost_usd" and f.attrs["steppe.unit"] == "USD"
    for row in result.table.itertuples(index=False):
        i, j = zones.index(row.origin), zones.index(row.destination)
        for m in UNITS:
            want = getattr(row, m)
            assert cells[m][i, j] == pytest.approx(want, nan_ok=True)
    assert np.isnan(np.diag(cells["time_h"])).all()  # a place to itself is not routed


def test_parquet_carries_metric_unit_scenario_date_and_version(result, tmp_path: Path) -> None:
    info = MatrixInfo(scenario="a+b", network="eurasia", created="2026-12-01T00:00:00Z")
    path = write_matrix(result, tmp_path / "m.parquet", info=info)
    meta = {k.decode(): v.decode() for k, v in pq.read_schema(path).metadata.items()}
    assert meta["steppe.metric"] == "cost_usd" and meta["steppe.unit"] == "USD"
    assert meta["steppe.scenario"] == "a+b" and meta["steppe.created"] == info.created
    assert meta["steppe.version"] == steppe.__version__
    assert meta["steppe.price_date"] == result.price_date
    assert json.loads(meta["steppe.units"])["time_h"] == "h"
    back = pq.read_table(path).to_pandas()
    assert back["cost_usd"].tolist() == pytest.approx(result.table["cost_usd"].tolist())
    wide = write_matrix(result, tmp_path / "w.parquet", wide="time_h")
    meta = pq.read_schema(wide).metadata
    assert meta[b"steppe.metric"] == b"time_h" and meta[b"steppe.unit"] == b"h"
    table = pq.read_table(wide).to_pandas().set_index("origin")
    assert table.loc["almaty", "baku"] == pytest.approx(
        result.table.set_index(["origin", "destination"]).loc[("almaty", "baku"), "time_h"]
    )


def test_an_unknown_suffix_is_refused_before_writing(result, tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match=r"\.omx"):
        write_matrix(result, tmp_path / "m.xlsx")
    assert list(tmp_path.iterdir()) == []


def test_openmatrix_reads_the_file(result, tmp_path: Path) -> None:
    import openmatrix

    path = write_matrix(result, tmp_path / "skims.omx")
    f = openmatrix.open_file(str(path))
    try:
        assert tuple(int(n) for n in f.shape()) == (4, 4)
        assert sorted(f.list_matrices()) == sorted(UNITS)
        zone = {k.decode(): v for k, v in f.mapping("zone").items()}
        names = [n.decode() for n in f.mapping("origin_name")]
        time = np.array(f["time_h"])
        assert f["time_h"].attrs.unit == "h"
    finally:
        f.close()
    assert sorted(zone) == sorted(PLACES) and "Ulaanbaatar" in names
    for row in result.table.itertuples(index=False):
        want = row.time_h
        assert time[zone[row.origin], zone[row.destination]] == pytest.approx(want)
