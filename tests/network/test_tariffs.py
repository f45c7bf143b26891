"""Reading and checking the dated price tables of a network folder."""

from __future__ import annotations

from pathlib import Path

import pytest

from steppe.errors import NetworkFileError
from steppe.network import load_network, read_network, write_network
from steppe.network.tariffs import TARIFF_COLUMNS, month_range

HEADER = ",".join(TARIFF_COLUMNS)


def _write(folder: Path, name: str, *rows: str, header: str = HEADER) -> None:
    (folder / name).write_text("\n".join([header, *rows]) + "\n", encoding="utf-8")


FX = "month,currency,usd_per_unit,source"


def _problems(folder: Path) -> list[str]:
    with pytest.raises(NetworkFileError) as err:
        read_network(folder)
    return [str(p) for p in err.value.problems if p.severity == "error"]


def test_embedded_tables_are_sourced_dated_and_clean() -> None:
    net = load_network()
    prices = net.prices
    assert len(prices.tariffs) > 50 and prices.fx and prices.link_states
    assert all(t.source and t.valid_from <= t.valid_to for t in prices.tariffs)
    assert prices.span() == ("2017-06", "2024-12")
    assert prices.latest() == "2024-11"  # the sea index ends there, the tariffs in 2024-12
    erai = [t for t in prices.tariffs if t.id == "erai-dostyk-2024-07"]
    assert erai[0].amount == 3289 and "index1520.com" in erai[0].source


def test_small_folder_with_tariffs_reads_and_round_trips(small_copy: Path, tmp_path: Path) -> None:
    shuttle = "border:zamyn_uud-erenhot,truck,truck,1000,EUR,2024-01,2024-02,both,test"
    _write(small_copy, "tariffs.csv", f"zu-shuttle,haul,{shuttle}",
           "ub-er,x,path:ulaanbaatar>erenhot,block,feu,900,USD,2024-01,2024-12,both,t")  # fmt: skip
    _write(small_copy, "fx_rates.csv", "2024-01,EUR,1.09,test", "2024-02,EUR,1.08,test",
           header=FX)  # fmt: skip
    net = read_network(small_copy)
    assert [t.id for t in net.prices.tariffs] == ["zu-shuttle", "ub-er"]
    assert net.prices.usd_per_unit("EUR", "2024-02") == 1.08
    assert read_network(write_network(net, tmp_path / "copy")) == net


def test_overlapping_periods_are_refused_with_row_and_column(small_copy: Path) -> None:
    _write(small_copy, "tariffs.csv",
           "a,through,path:ulaanbaatar>erenhot,block,feu,900,USD,2024-01,2024-06,both,test",
           "b,through,path:ulaanbaatar>erenhot,block,feu,950,USD,2024-06,2024-12,both,test",
           "c,part,path:ulaanbaatar>erenhot,block,feu,10,USD,2024-06,2024-12,both,t")  # fmt: skip
    problems = _problems(small_copy)
    assert len(problems) == 1
    assert problems[0].endswith(
        "tariffs.csv:3:valid_from: validity 2024-06..2024-12 overlaps row 2 (a) "
        "for path:ulaanbaatar>erenhot"
    )


def test_missing_currency_and_missing_rate_are_refused(small_copy: Path) -> None:
    _write(small_copy, "tariffs.csv",
           "a,x,link:zu-er-rail,block,feu,900,,2024-01,2024-01,both,test",
           "b,y,link:zu-er-rail,block,feu,900,CHF,2024-01,2024-03,both,test")  # fmt: skip
    _write(small_copy, "fx_rates.csv", "2024-01,CHF,1.15,test", header=FX)
    problems = _problems(small_copy)
    assert any(p.endswith("tariffs.csv:2:currency: is empty") for p in problems)
    assert any(p.endswith("tariffs.csv:3:currency: no CHF rate in fx_rates.csv for "
                          "2024-02..2024-03") for p in problems)  # fmt: skip


def test_unknown_ids_bad_months_and_services_are_refused(small_copy: Path) -> None:
    _write(small_copy, "tariffs.csv",
           "a,x,link:nowhere,block,feu,1,USD,2024-01,2024-01,both,test",
           "b,x,border:nowhere,truck,truck,1,USD,2024-01,2024-01,both,test",
           "c,x,path:ulaanbaatar>atlantis,block,feu,1,USD,2024-01,2024-01,both,test",
           "d,x,link:zu-er-rail,block,feu,1,USD,2024-13,2024-01,both,test",
           "e,x,link:zu-er-rail,balloon,feu,1,USD,2024-01,2024-01,both,test",
           "f,x,link:zu-er-rail,block,feu,1,USD,2024-05,2024-01,both,test")  # fmt: skip
    _write(small_copy, "link_status.csv", "zu-er-rail,closed,2024-01,,test", "x,open,2024-01,,t",
           header="link,status,valid_from,valid_to,source")  # fmt: skip
    text = "\n".join(_problems(small_copy))
    for expected in (
        "tariffs.csv:2:applies_to: unknown link 'nowhere'",
        "tariffs.csv:3:applies_to: unknown border 'nowhere'",
        "tariffs.csv:4:applies_to: unknown node 'atlantis' in path",
        "tariffs.csv:5:valid_from: '2024-13' is not a month (YYYY-MM)",
        "tariffs.csv:6:service: unknown service 'balloon'",
        "tariffs.csv:7:valid_to: 2024-01 is before valid_from 2024-05",
        "link_status.csv:3:link: unknown link 'x'",
    ):
        assert expected in text


def test_month_range_crosses_years() -> None:
    assert month_range("2023-12", "2024-01") == ["2023-12", "2024-01"]
    assert month_range("2024-02", "2024-01") == []
