"""``steppe trade fetch`` against recorded Comtrade API answers: no network in tests."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import httpx
import pytest

from steppe.errors import ConfigError, TradeDataError
from steppe.trade import turnover
from steppe.trade.fetch import ComtradeQuery, FetchError, fetch_comtrade
from steppe.trade.store import TradeStore

API = Path(__file__).parent.parent / "data" / "trade" / "comtrade_api"


def _recorded() -> list[dict[str, Any]]:
    records: list[dict[str, Any]] = []
    for name in ("C_M_HS_398_2024-01_2024-08.json", "C_M_HS_398_2023-01_2023-08.json"):
        records.extend(json.loads((API / name).read_text())["data"])
    return records


class Api:
    """A stand-in for the API: answers from the recorded records, counts calls."""

    def __init__(self, *, fail: list[int] | None = None) -> None:
        self.calls: list[httpx.Request] = []
        self.fail = list(fail or [])
        self.records = _recorded()

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.calls.append(request)
        if self.fail:
            status = self.fail.pop(0)
            body = API / ("429_rate_limit.json" if status == 429 else "401_invalid_key.json")
            return httpx.Response(status, headers={"Retry-After": "1"}, content=body.read_bytes())
        q = request.url.params
        periods = set(q["period"].split(","))
        partners = set(q["partnerCode"].split(",")) if "partnerCode" in q else None
        data = [
            r
            for r in self.records
            if str(r["period"]) in periods
            and r["flowCode"] in q["flowCode"].split(",")
            and (partners is None or str(r["partnerCode"]) in partners)
            and str(r["reporterCode"]) == q["reporterCode"]
        ]
        limit = int(q["maxRecords"])
        body = {"elapsedTime": "0.1 secs", "count": len(data), "data": data[:limit], "error": ""}
        return httpx.Response(200, json=body)


def _fetch(tmp_path: Path, api: Api, period: str, **kw: Any) -> Path:
    query = ComtradeQuery("KAZ", period, partners=("MNG",))
    return fetch_comtrade(
        query,
        key="test-key",
        out=tmp_path / f"{period.replace('..', '_')}.json",
        cache=tmp_path / "cache",
        transport=httpx.MockTransport(api),
        sleep=lambda s: None,
        **kw,
    )


def test_fetch_fills_the_store_and_answers_january_august(tmp_path: Path) -> None:
    api = Api()
    now = _fetch(tmp_path, api, "2024-01..2024-08")
    before = _fetch(tmp_path, api, "2023-01..2023-08")
    request = api.calls[0]
    assert request.url.path == "/data/v1/get/C/M/HS"
    assert request.url.params["period"] == ",".join(f"2024{m:02d}" for m in range(1, 9))
    assert request.url.params["partnerCode"] == "496,0"
    assert request.headers["Ocp-Apim-Subscription-Key"] == "test-key"
    assert "test-key" not in str(request.url)
    with TradeStore(embedded=False) as store:
        store.load(now)
        store.load(before)
        t = turnover(store, "KAZ", "MNG", "2024-01..2024-08")
    assert (t.current.exports, t.current.imports) == (104_300_000, 11_900_000)
    assert t.previous is not None
    assert round(t.growth_pct or 0, 1) == 25.0
    assert t.publishers == ("UN Comtrade",)


def test_cache_answers_again_without_a_call(tmp_path: Path) -> None:
    api = Api()
    _fetch(tmp_path, api, "2024-01..2024-08")
    _fetch(tmp_path, api, "2024-01..2024-08")
    assert len(api.calls) == 1
    cached = list((tmp_path / "cache").glob("*.json"))
    assert len(cached) == 1
    assert "test-key" not in cached[0].read_text()


def test_rate_limit_is_retried_then_given_up(tmp_path: Path) -> None:
    waits: list[float] = []
    api = Api(fail=[429, 429])
    query = ComtradeQuery("KAZ", "2024-01..2024-08", partners=("MNG",))
    fetch_comtrade(
        query,
        key="k",
        out=tmp_path / "a.json",
        transport=httpx.MockTransport(api),
        sleep=waits.append,
    )
    assert waits == [1.0, 1.0]  # the API's Retry-After
    assert len(api.calls) == 3
    with pytest.raises(FetchError, match="HTTP 429"):
        fetch_comtrade(
            query,
            key="k",
            out=tmp_path / "b.json",
            retries=2,
            transport=httpx.MockTransport(Api(fail=[429, 429, 429])),
            sleep=lambda s: None,
        )


def test_truncated_answers_are_split_by_period(tmp_path: Path) -> None:
    api = Api()
    path = _fetch(tmp_path, api, "2024-01..2024-08", max_records=10)  # 32 records in all
    assert len(json.loads(path.read_text())["data"]) == 32
    sizes = [len(c.url.params["period"].split(",")) for c in api.calls]
    assert sizes == [8, 4, 2, 2, 4, 2, 2]  # halves until each answer is whole


def test_key_missing_or_refused_says_how_to_get_one(tmp_path: Path) -> None:
    query = ComtradeQuery("KAZ", "2024", partners=("MNG",))
    with pytest.raises(ConfigError, match="COMTRADE_API_KEY"):
        fetch_comtrade(query, key=None, out=tmp_path / "x.json")
    with pytest.raises(ConfigError, match="refused the key"):
        fetch_comtrade(
            query,
            key="bad",
            out=tmp_path / "x.json",
            transport=httpx.MockTransport(Api(fail=[401])),
        )


def test_nothing_reported_is_a_clear_error(tmp_path: Path) -> None:
    with pytest.raises(FetchError, match="no M data for KAZ"):
        _fetch(tmp_path, Api(), "2022-01..2022-03")


def test_refusal_says_how_to_get_the_data() -> None:
    with TradeStore(embedded=False) as store, pytest.raises(TradeDataError) as info:
        turnover(store, "KAZ", "MNG", "2024-01..2024-08")
    assert "steppe trade fetch --reporter KAZ --partner MNG --period 2024-01..2024-08" in str(
        info.value
    )


def test_query_checks() -> None:
    assert ComtradeQuery("KAZ", "2019..2023").periods() == ["2019", "2020", "2021", "2022", "2023"]
    assert ComtradeQuery("KAZ", "2023", level="heading").params(["2023"])["cmdCode"] == "AG4"
    with pytest.raises(ConfigError):
        ComtradeQuery("KAZ", "2024-01", frequency="A")
    with pytest.raises(ConfigError):
        ComtradeQuery("KAZ", "2024", level="digits")
