"""Each corruption issue 17 found accepted silently or ending in a traceback: now one
``file:row:column`` error."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from steppe.errors import TradeDataError
from steppe.trade.loaders.detect import read_trade_file

DATA = Path(__file__).parent.parent / "data" / "trade"
TIDY = "reporter,partner,flow,period,value\n"
BACI = DATA / "baci_V202501"


def _problem(path: Path, fmt: str | None = None) -> tuple[int | None, str | None, str]:
    with pytest.raises(TradeDataError) as info:
        read_trade_file(path, format=fmt)
    p = info.value.problems[0]
    assert p.file == str(path)
    return p.row, p.column, p.message


def _write(tmp_path: Path, text: str, name: str = "f.csv") -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


@pytest.mark.parametrize(
    ("text", "row", "column", "words"),
    [
        # one extra leading cell: pandas used to take it as an index and shift the row
        (TIDY + "x,KAZ,MNG,export,2023,5\n", 2, None, "row has 6 cells"),
        (TIDY + "KAZ,MNG,export,2023\n", 2, None, "cells missing"),
        (
            "reporter,partner,flow,period,value,value\nKAZ,MNG,export,2023,5,6\n",
            1,
            "value",
            "repeats",
        ),
        (
            "reporter,partner,flow,period,value,Value\nKAZ,MNG,export,2023,5,6\n",
            1,
            "Value",
            "clashes once lower-cased",
        ),
        (
            "reporter,partner,flow,period,value,curency\nKAZ,MNG,export,2023,5,EUR\n",
            1,
            "curency",
            "did you mean 'currency'",
        ),
        (TIDY + "KAZ,MNG,export,2023,-5\n", 2, "value", "negative"),
        (TIDY + "KAZ,MNG,export,2023,5\nWorld,MNG,export,2023,5\n", 3, "reporter", "a country"),
        (
            "reporter,partner,flow,period,value,commodity\nKAZ,MNG,export,2023,5,0000-1\n",
            2,
            "commodity",
            "HS code",
        ),
        (
            "reporter,partner,flow,period,value,currency\nKAZ,MNG,export,2023,5,euro\n",
            2,
            "currency",
            "3-letter",
        ),
        (TIDY, None, None, "no data rows"),
    ],
)
def test_tidy_corruptions(
    tmp_path: Path, text: str, row: int | None, column: str | None, words: str
) -> None:
    got_row, got_column, message = _problem(_write(tmp_path, text), "tidy")
    assert (got_row, got_column) == (row, column)
    assert words in message


@pytest.mark.parametrize(
    ("line", "row", "column", "words"),
    [
        ("2023,496,156,0000-1,1.0,1.0", 11, "k", "not a number"),
        ("2023,496,156,-1,1.0,1.0", 11, "k", "6-digit HS code"),
        ("2023,496,156,270112,-1.0,1.0", 11, "v", "negative"),
        ("2023,496,156,270112,1.0,-3", 11, "q", "negative"),
        ("1,2023,496,156,270111,1.0,1.0", 11, None, "row has 7 cells"),
    ],
)
def test_baci_corruptions(
    tmp_path: Path, line: str, row: int, column: str | None, words: str
) -> None:
    for f in BACI.iterdir():
        shutil.copy(f, tmp_path / f.name)
    data = tmp_path / "BACI_HS22_Y2023_V202501.csv"
    data.write_text(data.read_text() + line + "\n")
    got_row, got_column, message = _problem(data)
    assert (got_row, got_column) == (row, column)
    assert words in message


def test_baci_duplicate_columns(tmp_path: Path) -> None:
    for f in BACI.iterdir():
        shutil.copy(f, tmp_path / f.name)
    data = tmp_path / "BACI_HS22_Y2023_V202501.csv"
    data.write_text("t,i,j,k,v,q,q\n2023,496,156,270112,1.0,1.0,2\n")
    assert _problem(data)[:2] == (1, "q")


def test_header_only_eurostat(tmp_path: Path) -> None:
    path = _write(tmp_path, "period,reporter,partner,flow,value_eur\n")
    assert "no data rows" in _problem(path, "eurostat")[2]


def test_comtrade_negative_and_shifted(tmp_path: Path) -> None:
    text = (DATA / "comtrade_kaz_partners_world_2023.csv").read_text()
    lines = text.splitlines()
    lines[2] = lines[2].replace(",15660305000,0,False,True", ",-15660305000,0,False,True")
    row, column, message = _problem(_write(tmp_path, "\n".join(lines) + "\n"))
    assert (row, column) == (3, "primaryValue") and "negative" in message
    lines = text.splitlines()
    lines[4] = "C," + lines[4]
    assert _problem(_write(tmp_path, "\n".join(lines) + "\n", "g.csv"))[0] == 5


def test_empty_and_undecodable_files(tmp_path: Path) -> None:
    assert "empty" in _problem(_write(tmp_path, ""), "tidy")[2]
    path = tmp_path / "bin.csv"
    path.write_bytes(b"reporter,partner,flow,period,value\n\x81\x8d\x8f,MNG,export,2023,1\n")
    # cp1252 leaves these bytes undefined; latin-1 reads them: an unknown country, located
    assert _problem(path, "tidy")[:2] == (2, "reporter")
