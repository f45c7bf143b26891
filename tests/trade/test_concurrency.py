"""The store file under several processes: readers never wait, writers queue, failures leave
no trace."""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import threading
import time
from pathlib import Path

import pytest

from steppe.errors import TradeDataError
from steppe.trade._files import StoreBusyError, locked
from steppe.trade.store import TradeStore

DATA = Path(__file__).parent.parent / "data" / "trade"
TIDY = DATA / "tidy_kaz_mng_monthly.csv"


def _digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


def test_readers_are_not_blocked_by_a_writer(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with TradeStore(path, embedded=False) as store:
        store.load(TIDY)
    with locked(path, timeout=1), TradeStore(path, embedded=False) as reader:  # a load under way
        assert list(reader.datasets().dataset) == ["tidy_kaz_mng_monthly"]


def test_a_second_writer_waits_then_times_out_with_a_clear_message(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with TradeStore(path, embedded=False) as store:
        store.load(TIDY)
    before = _digest(path)
    second = TradeStore(path, embedded=False, lock_timeout=0.2)
    with (
        locked(path, timeout=1),
        second,
        pytest.raises(StoreBusyError, match="another steppe process is writing"),
    ):
        second.load(DATA / "comtrade_mng_kaz_2023.csv")
    assert _digest(path) == before


def test_a_second_writer_goes_once_the_first_is_done(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with TradeStore(path, embedded=False) as store:
        store.load(TIDY)
    held = threading.Event()

    def first() -> None:
        with locked(path, timeout=1):
            held.set()
            time.sleep(0.3)

    thread = threading.Thread(target=first)
    thread.start()
    held.wait()
    with TradeStore(path, embedded=False, lock_timeout=10) as second:
        second.load(DATA / "comtrade_mng_kaz_2023.csv")
        assert len(second.datasets()) == 2
    thread.join()


def test_an_open_reader_sees_a_later_load(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with TradeStore(path, embedded=False) as reader, TradeStore(path, embedded=False) as writer:
        writer.load(TIDY)
        assert len(reader.datasets()) == 1
        writer.load(DATA / "comtrade_mng_kaz_2023.csv")
        assert len(reader.datasets()) == 2


def test_a_failed_load_leaves_the_file_as_it_was(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    bad = tmp_path / "bad.csv"
    bad.write_text("reporter,partner,flow,period,value\nKAZ,MNG,export,2023,1,9\n")
    with TradeStore(path, embedded=False) as store:
        store.load(TIDY)
        before = _digest(path)
        with pytest.raises(TradeDataError, match="row has 6 cells"):
            store.load(bad)
    assert _digest(path) == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["bad.csv", "s.duckdb", "s.duckdb.lock"]


def test_another_process_loads_while_this_one_reads(tmp_path: Path) -> None:
    path = tmp_path / "s.duckdb"
    with TradeStore(path, embedded=False) as reader:
        reader.load(TIDY)
        assert len(reader.datasets()) == 1  # an open read connection
        other = DATA / "comtrade_mng_kaz_2023.csv"
        code = (
            "from steppe.trade.store import TradeStore;"
            f"TradeStore({str(path)!r}, embedded=False).load({str(other)!r})"
        )
        env = {**os.environ, "PYTHONPATH": str(Path(__file__).parents[2] / "src")}
        done = subprocess.run(
            [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=False
        )
        assert done.returncode == 0, done.stderr
        assert len(reader.datasets()) == 2
