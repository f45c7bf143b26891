"""Each loader on its fixture, and every bad-file case: one message naming file, row, column."""

from __future__ import annotations

from pathlib import Path

import pytest

from steppe.errors import ConfigError, TradeDataError
from steppe.trade.loaders.detect import detect_format, read_trade_file
from steppe.trade.store import TradeStore

DATA = Path(__file__).parent.parent / "data" / "trade"
TIDY = "reporter,partner,flow,period,value\n"


@pytest.mark.parametrize(
    ("name", "fmt"),
    [
        ("comtrade_mng_kaz_2023.csv", "comtrade"),
        ("BACI_HS17_Y2022_V202401_sample.csv", "baci"),
        ("tidy_kaz_mng_monthly.csv", "tidy"),
    ],
)
def test_detect(name: str, fmt: str) -> None:
    assert detect_format(DATA / name) == fmt


def test_comtrade_filters_breakdowns_and_subflows() -> None:
    staged = read_trade_file(DATA / "comtrade_mng_kaz_2023.csv")
    assert len(staged.rows) == 8  # 10 rows - motCode 3 - DX
    assert set(staged.rows.flow) == {"export", "import"}
    assert staged.rows.loc[staged.rows.commodity == "27", "quantity"].tolist() == [150000000.0]


def test_baci_units_and_codes() -> None:
    staged = read_trade_file(DATA / "BACI_HS17_Y2022_V202401_sample.csv")
    first = staged.rows.iloc[0]
    assert (first.reporter, first.partner, first.commodity, first.value) == (
        "MNG",
        "CHN",
        "270112",
        9000500.0,
    )
    assert staged.constants["classification"] == "H5"
    assert staged.constants["unit"] == "t"


def _write(tmp_path: Path, text: str, name: str = "bad.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "row", "column", "words"),
    [
        (TIDY + "KAZ,MNG,export,2023,abc\n", 2, "value", "not a number"),
        (TIDY + "KAZ,MNG,export,2023,1\nKAZ,XXX,export,2023,2\n", 3, "partner", "unknown country"),
        (TIDY + "KAZ,MNG,export,2023,1\nKAZ,MNG,export,2023,2\n", 3, "partner", "duplicate"),
        (TIDY + "KAZ,MNG,sideways,2023,1\n", 2, "flow", "flow must be"),
        (TIDY + "KAZ,MNG,export,23,1\n", 2, "period", "period"),
        (TIDY + "KAZ,MNG,export,2023,\n", 2, "value", "missing value"),
        ("reporter,partner,flow,value\nKAZ,MNG,export,1\n", None, "period", "missing required"),
    ],
)
def test_bad_tidy_files(
    tmp_path: Path, text: str, row: int | None, column: str, words: str
) -> None:
    path = _write(tmp_path, text)
    with pytest.raises(TradeDataError) as info:
        read_trade_file(path, format="tidy")
    problem = info.value.problems[0]
    assert (problem.file, problem.row, problem.column) == (str(path), row, column)
    assert words in problem.message


def test_bad_comtrade_and_baci(tmp_path: Path) -> None:
    comtrade = (
        (DATA / "comtrade_mng_kaz_2023.csv")
        .read_text()
        .replace(",KAZ,Kazakhstan", ",QQQ,Kazakhstan", 1)
    )
    with pytest.raises(TradeDataError) as info:
        read_trade_file(_write(tmp_path, comtrade))
    assert (info.value.problems[0].row, info.value.problems[0].column) == (2, "partnerISO")
    (tmp_path / "country_codes_V1.csv").write_text((DATA / "country_codes_V202401.csv").read_text())
    baci = _write(tmp_path, "t,i,j,k,v,q\n2022,496,156,270112,1.0,2\n2022,496,156,270112,x,2\n")
    with pytest.raises(TradeDataError) as info:
        read_trade_file(baci)
    assert (info.value.problems[0].row, info.value.problems[0].column) == (3, "v")
    baci = _write(tmp_path, "t,i,j,k,v,q\n2022,496,999,270112,1.0,2\n", "b2.csv")
    with pytest.raises(TradeDataError, match="unknown country code 999"):
        read_trade_file(baci)
    lone = tmp_path / "alone"
    lone.mkdir()
    with pytest.raises(TradeDataError, match="country-code file"):
        read_trade_file(_write(lone, "t,i,j,k,v,q\n2022,496,156,1,1,1\n"))


def test_wrong_format_and_unknown_format(tmp_path: Path) -> None:
    with pytest.raises(TradeDataError, match="unknown trade file format"):
        read_trade_file(_write(tmp_path, "a,b\n1,2\n"))
    with pytest.raises(ConfigError):
        read_trade_file(DATA / "tidy_kaz_mng_monthly.csv", format="nope")
    with pytest.raises(TradeDataError, match="missing required column"):
        read_trade_file(DATA / "tidy_kaz_mng_monthly.csv", format="baci")


def test_load_is_all_or_nothing(tmp_path: Path) -> None:
    with TradeStore(tmp_path / "s.duckdb", embedded=False) as store:
        store.load(DATA / "tidy_kaz_mng_monthly.csv", dataset="mine")
        bad = _write(tmp_path, TIDY + "KAZ,MNG,export,2023,1\nKAZ,MNG,export,2023,oops\n")
        with pytest.raises(TradeDataError):
            store.load(bad, dataset="mine")
        assert store.sql("SELECT count(*) AS n FROM flows").n.iloc[0] == 6
    with TradeStore(tmp_path / "s.duckdb", embedded=False) as again:  # persisted
        assert list(again.datasets().dataset) == ["mine"]
