"""A GE baseline from the trade store: the matrix, the GE on it, and the CLI options."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path

import numpy as np
import pandas as pd
import pytest

from steppe.cli import main
from steppe.errors import ConfigError, DataFileError, TradeDataError
from steppe.gravity.ge import GEBaseline
from steppe.gravity.scenario_impact import scenario_impact
from steppe.gravity.store_baseline import baseline_from_store, read_gdp_table
from steppe.trade.rates import load_rates
from steppe.trade.store import TradeStore

DATA = Path(__file__).parent.parent / "data"
TIDY = DATA / "gravity" / "trade_store_2022.csv"
BACI = DATA / "trade" / "BACI_HS17_Y2022_V202401_sample.csv"
GDP_2022 = {  # million USD, rounded; AFG left out on purpose
    "KAZ": 225496.0,
    "MNG": 17146.0,
    "CHN": 17881782.0,
    "RUS": 2266029.0,
    "DEU": 4082469.0,
    "TUR": 905988.0,
    "UZB": 80392.0,
    "USA": 25462700.0,  # the GE's reference country
}


@pytest.fixture(autouse=True)
def _no_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path / "home"))


@pytest.fixture
def gdp_csv(tmp_path: Path) -> Path:
    path = tmp_path / "gdp_2022.csv"
    pd.DataFrame({"iso3": list(GDP_2022), "gdp": list(GDP_2022.values())}).to_csv(path, index=False)
    return path


@pytest.fixture
def store_file(tmp_path: Path) -> Path:
    """A store file as a user has it: the embedded data first, then their own file."""
    path = tmp_path / "trade.duckdb"
    with TradeStore(path) as store:
        store.load(TIDY)
    return path


@pytest.fixture
def store() -> Iterator[TradeStore]:
    """Only the fixture file, so every flow can be checked against it."""
    with TradeStore(embedded=False) as s:
        s.load(TIDY)
        yield s


def _store_totals(store: TradeStore) -> pd.DataFrame:
    """The store's own 2022 totals in million USD (EUR at the shipped 2022 rate)."""
    t = store.sql("SELECT reporter, partner, flow, currency, value::DOUBLE AS value FROM totals")
    rate = np.where(t["currency"] == "EUR", load_rates().rate(2022, "EUR", "USD"), 1.0)
    return t.assign(value=t["value"] * rate / 1e6)


def _pairs(df: pd.DataFrame) -> dict[tuple[str, str], float]:
    intl = df.loc[~df["domestic"]]
    return {
        (e, i): float(v)
        for e, i, v in zip(intl["exporter"], intl["importer"], intl["trade"], strict=True)
    }


def test_flows_are_the_exporters_reported_totals(store: TradeStore, gdp_csv: Path) -> None:
    df = baseline_from_store(store, 2022, gdp=gdp_csv)
    got = _pairs(df)
    t = _store_totals(store)
    exports = t.loc[(t["flow"] == "export") & (t["partner"] != "AFG")]
    want = {
        (r, p): v
        for r, p, v in zip(exports["reporter"], exports["partner"], exports["value"], strict=True)
    }
    assert got.keys() == want.keys()
    for key, value in want.items():
        assert got[key] == pytest.approx(value, rel=1e-12)
    # spot checks by hand: the chapters summed, EUR converted at 1.0530, million USD
    assert got[("MNG", "CHN")] == pytest.approx(10_000.0, rel=1e-12)
    assert got[("DEU", "KAZ")] == pytest.approx(2_400.0 * 1.0530, rel=1e-12)
    assert got[("KAZ", "MNG")] == pytest.approx(130.0, rel=1e-12)
    assert ("TUR", "UZB") not in got  # TUR reports its exports: no row is a zero
    assert df.attrs["dropped_countries"] == ["AFG"]
    assert "AFG" not in set(df["exporter"]) | set(df["importer"])


def test_domestic_flows_are_gdp_minus_exports_floored(store: TradeStore, gdp_csv: Path) -> None:
    df = baseline_from_store(store, 2022, gdp=gdp_csv)
    exports = df.loc[~df["domestic"]].groupby("exporter")["trade"].sum()
    dom = df.loc[df["domestic"]].set_index("exporter")["trade"]
    assert set(dom.index) == set(GDP_2022)
    for iso, gdp in GDP_2022.items():
        assert dom[iso] == pytest.approx(max(gdp - exports.get(iso, 0.0), 0.1 * gdp), rel=1e-12)
    # Mongolia exports 10,070 of a 17,146 GDP: GDP - exports, above the floor
    assert dom["MNG"] == pytest.approx(17146.0 - 10_070.0)
    floored = baseline_from_store(store, 2022, gdp=gdp_csv, floor_share=0.5)
    assert floored.set_index(["exporter", "importer"]).loc[("MNG", "MNG"), "trade"] == (
        pytest.approx(0.5 * 17146.0)
    )


def test_importer_and_mirror_max_sides(store: TradeStore, gdp_csv: Path) -> None:
    imp = _pairs(baseline_from_store(store, 2022, gdp=gdp_csv, reporter_side="importer"))
    mirror = _pairs(baseline_from_store(store, 2022, gdp=gdp_csv, reporter_side="mirror-max"))
    # UZB reports its imports: taken at its word on the importer side
    assert imp[("RUS", "UZB")] == pytest.approx(6_500.0)
    assert imp[("TUR", "UZB")] == pytest.approx(1_400.0)
    # no one else reports imports: their imports come from the exporters' reports
    assert imp[("KAZ", "CHN")] == pytest.approx(13_200.0)
    assert mirror[("RUS", "UZB")] == pytest.approx(7_000.0)  # max(7,000, 6,500)
    assert mirror[("KAZ", "UZB")] == pytest.approx(2_900.0)  # max(2,900, 2,800)
    assert mirror[("TUR", "UZB")] == pytest.approx(1_400.0)  # only UZB reports it


def test_baci_one_figure_per_pair_on_every_side(tmp_path: Path) -> None:
    gdp = pd.DataFrame({"iso3": ["KAZ", "MNG", "CHN", "RUS"], "gdp": [2e5, 1.7e4, 1.8e7, 2.2e6]})
    with TradeStore(embedded=False) as s:
        s.load(BACI)
        sides = [
            _pairs(baseline_from_store(s, 2022, gdp=gdp, reporter_side=side))
            for side in ("exporter", "importer", "mirror-max")
        ]
    assert sides[0] == sides[1] == sides[2]
    # BACI v is thousand USD: 50,000 + 12,000 thousand = 62 million
    assert sides[0][("KAZ", "MNG")] == pytest.approx(62.0)
    assert sides[0][("MNG", "CHN")] == pytest.approx(13.00075)


@pytest.mark.slow
def test_ge_on_the_store_baseline_raises_kaz_mng_trade(store: TradeStore, gdp_csv: Path) -> None:
    base = GEBaseline.from_frame(baseline_from_store(store, 2022, gdp=gdp_csv))
    res = scenario_impact(["oskemen-ridder-tuyekta-repaired"], baseline_trade=base, draws=0)
    focus = res.impact.focus.set_index("flow")
    assert focus.loc["KAZ->MNG", "trade_base"] == pytest.approx(130.0)
    assert focus.loc["MNG->KAZ", "trade_base"] == pytest.approx(20.0)
    for flow in ("KAZ->MNG", "MNG->KAZ", "KAZ<->MNG"):
        assert focus.loc[flow, "change_pct"] > 0
    assert set(res.impact.countries["country"]) == set(GDP_2022)


def test_refusals(store: TradeStore, gdp_csv: Path, tmp_path: Path) -> None:
    with pytest.raises(TradeDataError, match="no trade flows for 2019"):
        baseline_from_store(store, 2019, gdp=gdp_csv)
    with pytest.raises(ConfigError, match="--gdp FILE"):
        baseline_from_store(store, 2022)
    no_kaz = pd.DataFrame({"iso3": ["MNG", "CHN"], "gdp": [1.0, 2.0]})
    with pytest.raises(ConfigError, match="no 2022 GDP for KAZ"):
        baseline_from_store(store, 2022, gdp=no_kaz)
    with pytest.raises(ConfigError, match="reporter_side"):
        baseline_from_store(store, 2022, gdp=gdp_csv, reporter_side="both")  # type: ignore[arg-type]
    other = tmp_path / "no_mng.csv"
    other.write_text("reporter,partner,flow,period,value\nKAZ,CHN,export,2022,5\n")
    with TradeStore(embedded=False) as s:
        s.load(other)
        with pytest.raises(TradeDataError, match="2022 flows of MNG"):
            baseline_from_store(s, 2022, gdp=gdp_csv)


def test_a_loaded_file_overrides_the_embedded_data(gdp_csv: Path) -> None:
    with TradeStore() as s:  # the embedded BNS table holds KAZ trade with 200 partners in 2022
        bns = _pairs(baseline_from_store(s, 2022, gdp=gdp_csv))
        s.load(BACI)  # covers every partner of its four countries: it alone answers them
        baci = _pairs(baseline_from_store(s, 2022, gdp=gdp_csv))
    assert ("KAZ", "DEU") in bns
    assert {k for k in baci if k[0] == "KAZ"} == {("KAZ", "MNG")}  # 398->496 only
    assert baci[("KAZ", "MNG")] == pytest.approx(62.0)
    assert bns[("KAZ", "MNG")] != pytest.approx(62.0)
    # DEU reports nothing: its flows with KAZ are KAZ's reports (Eurostat's EU exports to KAZ
    # are monthly and cover all twelve months, so they answer DEU->KAZ)
    assert ("DEU", "KAZ") in baci


def test_hmr_gdp_for_2006_only(tmp_path: Path) -> None:
    f = tmp_path / "y2006.csv"
    f.write_text(
        "reporter,partner,flow,period,value\nKAZ,MNG,export,2006,5e7\nMNG,KAZ,export,2006,2e7\n"
    )
    with TradeStore(embedded=False) as s:
        s.load(f)
        df = baseline_from_store(s, 2006)
    dom = df.loc[df["domestic"]].set_index("exporter")["trade"]
    # HMR 2010: KAZ GDP 77,236.9, MNG 2,689.4 million USD in 2006
    assert dom["KAZ"] == pytest.approx(77236.898438 - 50.0, rel=1e-6)
    assert dom["MNG"] == pytest.approx(2689.424805 - 20.0, rel=1e-6)


def test_bad_gdp_file_lists_every_problem(tmp_path: Path) -> None:
    f = tmp_path / "gdp.csv"
    f.write_text("iso3,gdp\nKAZ,225496\nXXX,5\nMNG,-1\nKAZ,3\n")
    with pytest.raises(DataFileError) as info:
        read_gdp_table(f)
    where = {(p.row, p.column) for p in info.value.problems}
    assert where == {(3, "iso3"), (4, "gdp"), (5, "iso3")}


def _cli(args: list[str]) -> int:
    with pytest.raises(SystemExit) as info:
        main(args)
    code = info.value.code
    return int(code) if isinstance(code, int) else 1


@pytest.mark.slow
def test_cli_runs_on_the_store(
    store_file: Path, gdp_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["impact", "oskemen-ridder-tuyekta-repaired", "--draws", "0", "--json"]
    args += ["--trade-store", "--store", str(store_file), "--year", "2022", "--gdp", str(gdp_csv)]
    assert _cli(args) == 0
    out = json.loads(capsys.readouterr().out)
    focus = {r["flow"]: r for r in out["focus"]}
    assert focus["KAZ->MNG"]["trade_base"] == pytest.approx(130.0)
    assert focus["KAZ<->MNG"]["change_pct"] > 0


@pytest.mark.slow
def test_cli_uses_the_default_store(
    tmp_path: Path, gdp_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from steppe.cli.trade import default_store_path

    with TradeStore(default_store_path(), embedded=False) as s:
        s.load(TIDY)
    args = ["impact", "oskemen-ridder-tuyekta-repaired", "--draws", "0", "--json"]
    assert _cli([*args, "--trade-store", "--year", "2022", "--gdp", str(gdp_csv)]) == 0
    focus = {r["flow"]: r for r in json.loads(capsys.readouterr().out)["focus"]}
    assert focus["MNG->KAZ"]["trade_base"] == pytest.approx(20.0)


@pytest.mark.parametrize(
    ("extra", "message"),
    [
        (["--year", "2010", "--gdp", "GDP"], "no trade flows for 2010"),
        (["--year", "2022"], "--gdp FILE"),
        (["--trade-data", "gegravity-30", "--year", "2022"], "not both"),
        ([], "needs --year"),
    ],
)
def test_cli_errors(
    store_file: Path,
    gdp_csv: Path,
    capsys: pytest.CaptureFixture[str],
    extra: list[str],
    message: str,
) -> None:
    extra = [str(gdp_csv) if a == "GDP" else a for a in extra]
    args = ["impact", "oskemen-ridder-tuyekta-repaired", "--draws", "0"]
    assert _cli([*args, "--trade-store", "--store", str(store_file), *extra]) == 1
    captured = capsys.readouterr()
    assert message in captured.err + captured.out
    assert "Traceback" not in captured.err + captured.out


@pytest.mark.slow
def test_cli_without_the_usa_normalises_on_the_largest_economy(
    store_file: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    gdp = tmp_path / "no_usa.csv"
    gdp.write_text("iso3,gdp\nKAZ,225496\nMNG,17146\nCHN,17881782\nRUS,2266029\n")
    args = ["impact", "oskemen-ridder-tuyekta-repaired", "--draws", "0", "--trade-store", "--json"]
    assert _cli([*args, "--store", str(store_file), "--year", "2022", "--gdp", str(gdp)]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["settings"]["reference"] == "CHN"
    focus = {f["flow"]: f["change_pct"] for f in data["focus"]}
    assert focus["KAZ<->MNG"] > 0


@pytest.mark.slow
def test_cli_unknown_reference(
    store_file: Path, gdp_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["impact", "oskemen-ridder-tuyekta-repaired", "--draws", "0", "--trade-store"]
    extra = ["--store", str(store_file), "--year", "2022", "--gdp", str(gdp_csv)]
    assert _cli([*args, *extra, "--reference", "XXX"]) == 1
    assert "XXX" in capsys.readouterr().err


def test_cli_store_options_need_trade_store(
    gdp_csv: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    args = ["impact", "oskemen-ridder-tuyekta-repaired", "--draws", "0", "--year", "2022"]
    assert _cli(args) == 1
    assert "--trade-store" in capsys.readouterr().err
