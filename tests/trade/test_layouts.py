"""Every layout users download, on a small fixture in the publisher's exact format."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from steppe.errors import TradeDataError
from steppe.trade import series, shares, turnover
from steppe.trade.codes import label
from steppe.trade.loaders.detect import FORMATS, LOADERS, detect_format, read_trade_file
from steppe.trade.store import TradeStore

DATA = Path(__file__).parent.parent / "data" / "trade"
BACI = DATA / "baci_V202501" / "BACI_HS22_Y2023_V202501.csv"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("comtrade_api_kaz_mng_2024m.json", "comtrade-json"),
        ("comtrade_kaz_partners_world_2023.csv", "comtrade"),
        ("comtrade_web_kaz_2023_cp1252.csv", "comtrade"),
        ("comtrade_web_kaz_2023_utf8sig.csv", "comtrade"),
        ("comtrade_bulk_C_A_496_2022_H6.txt.gz", "comtrade-bulk"),
        ("comtrade_bulk_C_A_496_2022_H6.zip", "comtrade-bulk"),
        ("comtrade_legacy_kaz_2016_latin1.csv", "comtrade-legacy"),
        ("comext_full_v2_202401_sample.dat", "comext"),
        ("baci_V202501/BACI_HS22_Y2023_V202501.csv", "baci"),
        ("tidy_kaz_mng_2024m.parquet", "tidy-parquet"),
        ("tidy_kaz_mng_monthly.csv", "tidy"),
    ],
)
def test_each_layout_is_detected_and_loads(name: str, fmt: str) -> None:
    assert detect_format(DATA / name) == fmt
    with TradeStore(embedded=False) as store:
        store.load(DATA / name)
        assert store.datasets().loc[0, "format"] == fmt


def test_registry_is_the_one_list() -> None:
    assert tuple(LOADERS) == FORMATS
    with pytest.raises(TradeDataError) as info:
        detect_format(DATA / "corridor_facts_trade.csv")
    for name in LOADERS:  # the message lists every layout recognised
        assert name in str(info.value)


def test_api_json_answers_january_august() -> None:
    with TradeStore(embedded=False) as store:
        store.load(DATA / "comtrade_api_kaz_mng_2024m.json")
        t = turnover(store, "KAZ", "MNG", "2024-01..2024-08")
        assert t.current.exports == 104_300_000
        assert t.current.imports == 11_900_000
        assert t.publishers == ("UN Comtrade",)


def test_website_export_encodings_give_the_same_rows() -> None:
    a = read_trade_file(DATA / "comtrade_web_kaz_2023_cp1252.csv")
    b = read_trade_file(DATA / "comtrade_web_kaz_2023_utf8sig.csv")
    assert a.rows.equals(b.rows)
    assert set(a.rows.partner) == {"TUR", "CIV", "S19"}  # 490 Other Asia, nes kept
    assert float(a.world.value.iloc[0]) == 78_695_000_000


def test_bulk_keeps_totals_only_and_maps_numbers() -> None:
    gz = read_trade_file(DATA / "comtrade_bulk_C_A_496_2022_H6.txt.gz")
    zp = read_trade_file(DATA / "comtrade_bulk_C_A_496_2022_H6.zip")
    assert gz.rows.equals(zp.rows)
    imports = gz.rows[gz.rows.flow == "import"].set_index("partner").value
    assert imports.to_dict() == {"KAZ": 140_000_000, "USA": 210_000_000}  # 842 is the USA
    assert "S19" in set(gz.rows.partner)
    assert gz.dropped == {
        "breakdown by partner2Code": 1,
        "breakdown by motCode": 1,
        "other flow codes (subsets of X/M)": 1,
    }
    with TradeStore(embedded=False) as store:
        store.load(DATA / "comtrade_bulk_C_A_496_2022_H6.txt.gz")
        s = shares(store, "MNG", "2022").table.set_index("partner")
        assert round(s.loc["CHN"].exports_share_pct, 1) == 82.4  # of the World row


def test_legacy_export_latin1() -> None:
    staged = read_trade_file(DATA / "comtrade_legacy_kaz_2016_latin1.csv")
    assert set(staged.rows.partner) == {"MNG", "CIV"}
    assert float(staged.world.value.iloc[0]) == 36_775_000_000


def test_comext_sums_procedures_and_maps_eurostat_codes() -> None:
    staged = read_trade_file(DATA / "comext_full_v2_202401_sample.dat")
    rows = staged.rows.set_index(["reporter", "partner", "flow", "commodity"]).value
    assert rows[("DEU", "KAZ", "export", "84314980")] == 1_750_000  # procedures 1 + 2
    assert ("GRC", "KAZ", "export", "20089999") in rows.index  # EL is Greece
    assert staged.labels == {
        "XQX": "Countries and territories not specified for commercial or military reasons"
    }
    with TradeStore(embedded=False) as store:
        store.load(DATA / "comext_full_v2_202401_sample.dat")
        t = turnover(store, "DEU", "KAZ", "2024-01")
        assert (t.current.exports, t.current.imports, t.currency) == (2_650_000, 85_000_000, "EUR")


def test_baci_release_keeps_other_asia_and_labels_it(tmp_path: Path) -> None:
    staged = read_trade_file(BACI)
    assert "S19" in set(staged.rows.reporter) | set(staged.rows.partner)
    assert staged.labels == {"S19": "Other Asia, nes"}
    assert label("S19") == "Other Asia, nes"
    with TradeStore(embedded=False) as store:
        store.load(BACI)
        t = turnover(store, "KAZ", "S19", "2023")  # imports from Other Asia: BACI's mirror
        assert t.current.imports == 8_800_000
        assert store.sql("SELECT label FROM labels WHERE code = 'S19'").label.tolist() == [
            "Other Asia, nes"
        ]
    # a product missing from the release's product list is refused with its row
    for f in BACI.parent.iterdir():
        shutil.copy(f, tmp_path / f.name)
    bad = tmp_path / BACI.name
    bad.write_text(BACI.read_text() + "2023,398,496,999999,1.0,1.0\n")
    with pytest.raises(TradeDataError) as info:
        read_trade_file(bad)
    assert (info.value.problems[0].row, info.value.problems[0].column) == (11, "k")


def test_parquet_tidy_world_row() -> None:
    with TradeStore(embedded=False) as store:
        store.load(DATA / "tidy_kaz_mng_2024m.parquet")
        s = series(store, "KAZ", "MNG", "2024-01", "2024-01")
        assert s.table.exports.tolist() == [9_800_000]
        assert shares(store, "KAZ", "2024-01").totals.exports == 6_400_000_000
