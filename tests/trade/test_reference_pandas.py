"""Answers of the store checked against an independent pandas computation on the same file.

The store sums in SQL (schema 2: DOUBLE values, each cast to DECIMAL(18, 3) as it is
summed); pandas reads the CSV itself and filters and sums.  Turnover, growth, composition
and mirror gaps must agree, for a BACI file (symmetric: one figure per flow) and for a tidy
file in which both countries report (mirror gaps are not zero).
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from steppe.trade.compare import composition, mirror
from steppe.trade.stats import turnover
from steppe.trade.store import TradeStore

CODES = {398: "KAZ", 496: "MNG", 156: "CHN", 643: "RUS"}


def _baci_file(folder: Path, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    products = rng.choice(np.arange(10000, 970000), 60, replace=False)
    rows = [
        (t, i, j, int(k), round(float(rng.gamma(1.0, 80.0)), 3), round(float(rng.random()), 3))
        for t in (2021, 2022)
        for i in CODES
        for j in CODES
        if i != j
        for k in products
        if rng.random() < 0.5
    ]
    frame = pd.DataFrame(rows, columns=["t", "i", "j", "k", "v", "q"])
    path = folder / "BACI_HS17_Y2021_V202401_reference.csv"
    frame.to_csv(path, index=False)
    codes = pd.DataFrame({"country_code": list(CODES), "country_iso3": list(CODES.values())})
    codes.to_csv(folder / "country_codes_V202401.csv", index=False)
    return path


def _tidy_file(folder: Path, seed: int) -> Path:
    rng = np.random.default_rng(seed)
    rows = [
        (r, p, flow, year, chapter, round(float(rng.gamma(1.0, 1e6)), 2))
        for r in ("KAZ", "MNG")
        for p in ("KAZ", "MNG", "CHN")
        if r != p
        for flow in ("export", "import")
        for year in (2022, 2023)
        for chapter in ("27", "26", "84", "10")
        if rng.random() < 0.8 or chapter == "27"
    ]
    frame = pd.DataFrame(
        rows, columns=["reporter", "partner", "flow", "period", "commodity", "value"]
    )
    path = folder / "tidy_reference.csv"
    frame.to_csv(path, index=False)
    return path


@pytest.mark.parametrize("seed", [1, 2])
def test_baci_turnover_growth_composition_mirror_match_pandas(tmp_path: Path, seed: int) -> None:
    path = _baci_file(tmp_path, seed)
    raw = pd.read_csv(path)
    raw["usd"] = raw.v * 1000

    def flow(i: int, j: int, t: int) -> float:
        return float(raw[(raw.i == i) & (raw.j == j) & (raw.t == t)].usd.sum())

    with TradeStore(tmp_path / "s.duckdb", embedded=False) as store:
        store.load(path)
        r = turnover(store, "KAZ", "MNG", "2022")
        c = composition(store, "KAZ", "MNG", "2022", level="chapter", top=100).table
        m = mirror(store, "KAZ", "CHN", "2022").table
    now = flow(398, 496, 2022) + flow(496, 398, 2022)
    before = flow(398, 496, 2021) + flow(496, 398, 2021)
    assert r.current.exports == pytest.approx(flow(398, 496, 2022), abs=1e-3)
    assert r.current.imports == pytest.approx(flow(496, 398, 2022), abs=1e-3)
    assert r.previous is not None
    assert r.previous.turnover == pytest.approx(before, abs=1e-3)
    assert r.growth_pct == pytest.approx((now / before - 1) * 100, rel=1e-9)
    sel = raw[(raw.t == 2022) & (raw.i == 398) & (raw.j == 496)]
    chapters = sel.groupby(sel.k.map(lambda k: f"{k:06d}"[:2])).usd.sum()
    got = c[c.flow == "export"].set_index("code").value
    assert got.sort_index().to_dict() == pytest.approx(chapters.sort_index().to_dict(), abs=1e-3)
    kaz_chn = m[(m.exporter == "KAZ") & (m.importer == "CHN")].iloc[0]
    assert kaz_chn.exports_reported == pytest.approx(flow(398, 156, 2022), abs=1e-3)
    assert kaz_chn.imports_reported == pytest.approx(flow(398, 156, 2022), abs=1e-3)
    assert kaz_chn.gap == 0.0


@pytest.mark.parametrize("seed", [3, 4])
def test_tidy_turnover_growth_composition_mirror_match_pandas(tmp_path: Path, seed: int) -> None:
    path = _tidy_file(tmp_path, seed)
    raw = pd.read_csv(path, dtype={"commodity": str})

    def flow(r: str, p: str, f: str, year: int) -> float:
        sel = raw[(raw.reporter == r) & (raw.partner == p) & (raw.flow == f)]
        return float(sel[sel.period == year].value.sum())

    with TradeStore(embedded=False) as store:
        store.load(path)
        r = turnover(store, "KAZ", "MNG", "2023")
        c = composition(store, "MNG", "KAZ", "2023", level="chapter").table
        m = mirror(store, "KAZ", "MNG", "2023").table
    now = flow("KAZ", "MNG", "export", 2023) + flow("KAZ", "MNG", "import", 2023)
    before = flow("KAZ", "MNG", "export", 2022) + flow("KAZ", "MNG", "import", 2022)
    assert r.current.turnover == pytest.approx(now, abs=1e-3)
    assert r.growth_pct == pytest.approx((now / before - 1) * 100, rel=1e-9)
    sel = raw[(raw.reporter == "MNG") & (raw.partner == "KAZ") & (raw.period == 2023)]
    for f in ("export", "import"):
        expected = sel[sel.flow == f].groupby("commodity").value.sum().to_dict()
        got = c[c.flow == f].set_index("code").value.to_dict()
        assert got == pytest.approx(expected, abs=1e-3)
    row = m[(m.exporter == "KAZ") & (m.importer == "MNG")].iloc[0]
    exports = flow("KAZ", "MNG", "export", 2023)
    imports = flow("MNG", "KAZ", "import", 2023)
    assert (row.exports_reported, row.imports_reported) == pytest.approx((exports, imports))
    assert row.gap == pytest.approx(imports - exports, abs=1e-3)
    assert row.gap_pct == pytest.approx((imports / exports - 1) * 100, rel=1e-9)
