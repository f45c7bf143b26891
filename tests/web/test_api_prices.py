"""Price date and service through the web API: fields in, price sources out, 422 when bad."""

from __future__ import annotations


def test_route_answer_names_the_price_month_and_each_legs_price(client):
    body = {"origin": "Shanghai", "destination": "Rotterdam", "modes": ["sea"],
            "price_date": "2024-01"}  # fmt: skip
    got = client.post("/api/route", json=body).json()
    assert (got["price_date"], got["service"]) == ("2024-01", "block")
    (leg,) = [leg for leg in got["routes"][0]["legs"] if leg["kind"] == "link"]
    assert leg["cost_usd"] == 4406 and leg["price_ref"] == "wci-shanghai-rotterdam-cape-2024-01"
    assert "Drewry" in leg["price_source"] or "WCI" in leg["price_source"]


def test_matrix_answer_names_the_price_month(client):
    body = {"origins": ["Shanghai"], "destinations": ["Rotterdam"], "modes": ["sea"],
            "price_date": "2023-09"}  # fmt: skip
    got = client.post("/api/matrix", json=body).json()
    # the WCI rate of the month (1,299 USD) plus port customs on landing (issue 15)
    route = {"origin": "Shanghai", "destination": "Rotterdam", "modes": ["sea"],
             "price_date": "2023-09"}  # fmt: skip
    best = client.post("/api/route", json=route).json()["routes"][0]
    sea = sum(leg["cost_usd"] for leg in best["legs"] if leg["kind"] == "link")
    assert sea == 1299
    assert got["price_date"] == "2023-09"
    assert abs(got["rows"][0]["cost_usd"] - best["cost_usd"]) < 0.01


def test_out_of_span_dates_and_unknown_services_are_422(client):
    body = {"origin": "Almaty", "destination": "Baku", "price_date": "2031-05"}
    res = client.post("/api/route", json=body)
    assert res.status_code == 422
    assert "2017-06 to 2024-12" in res.json()["error"]["message"]
    res = client.post("/api/route", json={"origin": "Almaty", "destination": "Baku",
                                          "service": "balloon"})  # fmt: skip
    assert res.status_code == 422
