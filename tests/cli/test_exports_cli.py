"""``steppe matrix -o skims.omx|.parquet`` and ``steppe network export --format gpkg``."""

from __future__ import annotations

import json
from pathlib import Path

import h5py
import pyarrow.parquet as pq
import pyogrio
import pytest

from steppe.cli import main

SMALL = str(Path(__file__).parents[1] / "data" / "network" / "small")


def run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
    out, err = capsys.readouterr()
    return info.value.code or 0, out, err  # type: ignore[return-value]


def test_matrix_writes_omx_and_parquet_with_metadata(capsys, tmp_path: Path) -> None:
    args = ["matrix", "--network", SMALL, "--metric", "time", "--json"]
    code, out, _ = run([*args, "-o", str(tmp_path / "skims.omx")], capsys)
    assert code == 0 and json.loads(out)["output"].endswith("skims.omx")
    with h5py.File(tmp_path / "skims.omx", "r") as f:
        n = len(f["lookup/zone"])
        assert f.attrs["SHAPE"].tolist() == [n, n] and n > 2
        assert f.attrs["steppe.metric"] == "time_h" and f.attrs["steppe.network"] == SMALL
    code, _, _ = run([*args, "-o", str(tmp_path / "m.parquet")], capsys)
    meta = pq.read_schema(tmp_path / "m.parquet").metadata
    assert code == 0 and meta[b"steppe.unit"] == b"h" and meta[b"steppe.scenario"] == b""


def test_matrix_refuses_an_unknown_suffix_before_routing(capsys, tmp_path: Path) -> None:
    code, _, err = run(["matrix", "--network", SMALL, "-o", str(tmp_path / "m.xlsx")], capsys)
    assert code == 1 and ".omx" in err and not (tmp_path / "m.xlsx").exists()


def test_network_export_gpkg(capsys, tmp_path: Path) -> None:
    target = tmp_path / "net.gpkg"
    code, out, _ = run(["network", "export", "--format", "gpkg", "-o", str(target),
                        "--network", SMALL, "--json"], capsys)  # fmt: skip
    body = json.loads(out)
    assert code == 0 and body["format"] == "gpkg"
    layers = dict(pyogrio.list_layers(target).tolist())
    assert layers == {"nodes": "Point", "links": "LineString", "borders": "LineString",
                      "transfers": "Point"}  # fmt: skip
    assert pyogrio.read_info(target, layer="links")["features"] == body["links"]
