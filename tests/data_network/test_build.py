"""The committed network is exactly what the build script makes from network-src/."""

from __future__ import annotations

import importlib.util
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
FOLDER = ROOT / "src" / "steppe" / "data" / "network" / "eurasia"


def _load_build_module():  # type: ignore[no-untyped-def]
    path = ROOT / "scripts" / "build_network.py"
    spec = importlib.util.spec_from_file_location("build_network", path)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules["build_network"] = module
    spec.loader.exec_module(module)
    return module


@pytest.mark.slow
def test_committed_build_is_up_to_date(tmp_path: Path) -> None:
    build = _load_build_module()
    files = build.build(tmp_path)
    assert sorted(files) == [
        "borders.csv",
        "links.csv",
        "network.toml",
        "nodes.csv",
        "transfers.csv",
    ]
    stale = [
        name for name in files if (tmp_path / name).read_bytes() != (FOLDER / name).read_bytes()
    ]
    assert not stale, f"rerun `python scripts/build_network.py build`: {stale} differ"


def test_great_circle_matches_a_known_distance() -> None:
    build = _load_build_module()
    # London (51.5074, -0.1278) to Paris (48.8566, 2.3522): 343.5 km by haversine
    km = build.great_circle_km(51.5074, -0.1278, 48.8566, 2.3522)
    assert abs(km - 343.5) < 1.0


def test_every_curated_link_has_an_enrichment_row_or_a_length() -> None:
    import pandas as pd

    src = ROOT / "network-src"
    links = pd.read_csv(src / "links.csv", dtype=str, keep_default_na=False)
    osm = pd.read_csv(src / "enrichment" / "link_osm.csv", dtype=str, keep_default_na=False)
    land = links[links["mode"].isin(["road", "rail"]) & (links.length_km == "")]
    missing = sorted(set(land.id) - set(osm.link))
    assert not missing, f"run `python scripts/build_network.py enrich` for {missing}"
