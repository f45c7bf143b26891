"""Trade endpoints against steppe.trade on the embedded data."""

from __future__ import annotations

import pytest

from steppe.trade.compare import composition
from steppe.trade.stats import series, turnover
from steppe.trade.store import TradeStore


@pytest.fixture(scope="module")
def store():
    with TradeStore() as s:
        yield s


def test_turnover_default_is_kazakhstan_mongolia(client, store):
    got = client.get("/api/trade/turnover").json()
    assert got == turnover(store, "KAZ", "MNG", "2023").to_dict()
    # BNS: KAZ-MNG turnover 2023 was 133.0 million USD, +27.7 % on 2022
    assert got["turnover"] / 1e6 == pytest.approx(133.0, abs=0.05)
    assert got["growth_pct"] == pytest.approx(27.7, abs=0.05)


def test_series_matches_python_api(client, store):
    got = client.get(
        "/api/trade/series",
        params={"reporter": "Kazakhstan", "partner": "Mongolia", "start": "2019", "end": "2023"},
    ).json()
    want = series(store, "Kazakhstan", "Mongolia", "2019", "2023").to_dict()
    assert got["rows"] == want["rows"]
    assert [r["period"] for r in got["rows"]] == ["2019", "2020", "2021", "2022", "2023"]


def test_composition_error_or_answer_matches_python_api(client, store):
    res = client.get("/api/trade/composition", params={"period": "2023"})
    try:
        want = composition(store, "KAZ", "MNG", "2023").to_dict()
    except Exception as exc:  # the embedded data may have no commodity detail
        assert res.status_code == 422
        assert res.json()["error"]["message"] == str(exc)
    else:
        assert res.json() == want


def test_shares_and_mirror_answer_in_json(client):
    res = client.get("/api/trade/shares", params={"country": "KAZ", "period": "2023", "top": 5})
    assert res.status_code == 200 and len(res.json()["partners"]) <= 5
    res = client.get("/api/trade/mirror", params={"period": "2023"})
    assert res.status_code in (200, 422)
    assert ("directions" in res.json()) or res.json()["error"]["type"] == "TradeDataError"


@pytest.mark.parametrize(
    ("params", "kind"),
    [
        ({"reporter": "Atlantis"}, "UnknownPlaceError"),
        ({"period": "1900"}, "TradeDataError"),
        ({"period": "2023; DROP TABLE flows"}, "ValidationError"),
        ({"currency": "dollars"}, "ValidationError"),
    ],
)
def test_trade_errors(client, params, kind):
    res = client.get("/api/trade/turnover", params=params)
    assert 400 <= res.status_code < 500, res.text
    assert res.json()["error"]["type"] == kind
