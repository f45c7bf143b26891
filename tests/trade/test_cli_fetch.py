"""``steppe trade fetch``, ``turnover --fetch`` and ``load --json`` through the CLI."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from steppe.cli import main
from steppe.trade import fetch as fetch_module
from tests.trade.test_fetch import Api

DATA = Path(__file__).parent.parent / "data" / "trade"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(info.value.code or 0), out.out, out.err


@pytest.fixture
def api(monkeypatch: pytest.MonkeyPatch) -> Api:
    """The recorded API in place of the network."""
    fake = Api()

    def client(transport: Any) -> httpx.Client:
        return httpx.Client(transport=httpx.MockTransport(fake))

    monkeypatch.setattr(fetch_module, "_client", client)
    return fake


def test_fetch_then_turnover(api: Api, capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    store = str(tmp_path / "s.duckdb")
    args = ["trade", "fetch", "--reporter", "KAZ", "--partner", "MNG"]
    code, out, err = _run(
        [*args, "--period", "2024-01..2024-08", "--key", "k", "--store", store, "--json"], capsys
    )
    assert code == 0, err
    assert json.loads(out)["source"] == "UN Comtrade"
    code, out, _ = _run(
        [
            "trade",
            "turnover",
            "KAZ",
            "MNG",
            "--period",
            "2024-01..2024-08",
            "--store",
            store,
            "--json",
        ],
        capsys,
    )
    assert json.loads(out)["turnover"] == 116_200_000


def test_turnover_with_fetch_is_one_command(
    api: Api, capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMTRADE_API_KEY", "from-env")
    code, out, err = _run(
        [
            "trade",
            "turnover",
            "KAZ",
            "MNG",
            "--period",
            "2024-01..2024-08",
            "--fetch",
            "--store",
            str(tmp_path / "s.duckdb"),
            "--json",
        ],
        capsys,
    )
    assert code == 0, err
    data = json.loads(out)
    assert (data["turnover"], round(data["growth_pct"], 1)) == (116_200_000, 25.0)
    assert api.calls[0].headers["Ocp-Apim-Subscription-Key"] == "from-env"


def test_fetch_without_key_says_how(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("COMTRADE_API_KEY", raising=False)
    code, _, err = _run(
        [
            "trade",
            "fetch",
            "--reporter",
            "KAZ",
            "--period",
            "2024",
            "--store",
            str(tmp_path / "s.duckdb"),
        ],
        capsys,
    )
    assert code == 1
    assert "COMTRADE_API_KEY" in err and "Traceback" not in err


def test_load_json_reports_rows(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    store = str(tmp_path / "s.duckdb")
    code, out, _ = _run(
        ["trade", "load", str(DATA / "comtrade_mng_kaz_2023.csv"), "--store", store, "--json"],
        capsys,
    )
    data = json.loads(out)
    assert code == 0
    assert (data["rows_read"], data["rows_kept"]) == (10, 8)
    assert data["rows_left_out_by_reason"] == {
        "breakdown by motCode": 1,
        "other flow codes (subsets of X/M)": 1,
    }
    bad = tmp_path / "bad.csv"
    bad.write_text(
        "reporter,partner,flow,period,value\nKAZ,MNG,export,2023,-5\nKAZ,XXX,export,2023,1\n"
    )
    code, out, err = _run(["trade", "load", str(bad), "--store", store, "--json"], capsys)
    data = json.loads(err)  # under --json a refusal is JSON on stderr, stdout stays empty
    assert code == 1 and out == ""
    assert data["rows_refused_by_reason"] == {"unknown country code": 1, "negative trade value": 1}
    assert {(p["row"], p["column"]) for p in data["problems"]} == {(2, "value"), (3, "partner")}
