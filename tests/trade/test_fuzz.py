"""Fuzzing every trade layout: each corrupted file gives a located SteppeError or a correct
result, never a traceback and never silently wrong data (issue 17)."""

from __future__ import annotations

import os
import shutil
import tempfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steppe.countries import is_iso3
from steppe.errors import SteppeError, TradeDataError
from steppe.trade.codes import non_iso_code
from steppe.trade.loaders.detect import read_trade_file

DATA = Path(__file__).parent.parent / "data" / "trade"
EXAMPLES = int(os.environ.get("STEPPE_FUZZ_EXAMPLES", "60"))

LAYOUTS = {
    "comtrade": "comtrade_kaz_partners_world_2023.csv",
    "comtrade-bulk": "comtrade_bulk_C_A_496_2022_H6.txt.gz",
    "comtrade-legacy": "comtrade_legacy_kaz_2016_latin1.csv",
    "comtrade-json": "comtrade_api_kaz_mng_2024m.json",
    "comext": "comext_full_v2_202401_sample.dat",
    "baci": "baci_V202501/BACI_HS22_Y2023_V202501.csv",
    "kz-bns": "../../../src/steppe/data/trade/kz_bns_trade_by_partner_2018_2023.csv",
    "eurostat": "../../../src/steppe/data/trade/eurostat_eu_exports_to_kaz_monthly_2019_2024.csv",
    "tidy": "tidy_kaz_mng_monthly.csv",
}
JUNK = st.sampled_from(
    [
        "",
        "-1",
        "-0.5",
        "0000-1",
        "1e400",
        "nan",
        "abc",
        "TOTAL",
        "W00",
        "S19",
        "999",
        "KAZ",
        "2023",
        "202413",
        "1,5",
        '"',
        "\t",
        "Ω",
        "NA",
        " 12 ",
        "13",
        "0",
    ]
)


def _text(path: Path) -> str:
    import gzip

    data = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
    for enc in ("utf-8-sig", "latin-1"):
        try:
            text = data.decode(enc)
        except UnicodeDecodeError:
            continue
        # the first 40 lines: Hypothesis refuses to print examples of over 30 kB
        return "\n".join(text.splitlines()[:40]) + "\n" if path.suffix != ".json" else text
    raise AssertionError(path)


@st.composite
def corrupted(draw: st.DrawFn, text: str) -> str:
    lines = text.splitlines()
    sep = "\t" if "\t" in lines[0] else ","
    kind = draw(
        st.sampled_from(
            [
                "cell",
                "extra",
                "drop",
                "header",
                "dup-header",
                "case-header",
                "dup-row",
                "truncate",
                "blank",
                "lines",
            ]
        )
    )
    n = draw(st.integers(1, max(1, len(lines) - 1)))
    if kind == "truncate":
        return "\n".join(lines[: draw(st.integers(0, len(lines)))])
    if kind == "blank":
        return ""
    if kind == "dup-row" and len(lines) > 1:
        return "\n".join([*lines, lines[n]])
    if kind == "lines":
        return "\n".join(draw(st.permutations(lines)))
    row = 0 if kind.endswith("header") else min(n, len(lines) - 1)
    cells = lines[row].split(sep)
    i = draw(st.integers(0, len(cells) - 1))
    if kind == "cell":
        cells[i] = draw(JUNK)
    elif kind == "extra":
        cells.insert(i, draw(JUNK))
    elif kind == "drop":
        del cells[i]
    elif kind == "header":
        cells[i] = draw(st.sampled_from(["curency", "value2", "", "REPORTER", "x"]))
    elif kind == "dup-header":
        cells[i] = cells[(i + 1) % len(cells)]
    elif kind == "case-header":
        cells.append(cells[i].upper() if cells[i] != cells[i].upper() else cells[i].lower())
    lines[row] = sep.join(cells)
    return "\n".join(lines) + "\n"


@st.composite
def corrupted_json(draw: st.DrawFn, text: str) -> str:
    import json

    doc = json.loads(text)
    records = doc["data"]
    i = draw(st.integers(0, len(records) - 1))
    key = draw(st.sampled_from(sorted(records[i])))
    choice = draw(st.sampled_from(["value", "delete", "type", "doc"]))
    if choice == "value":
        records[i][key] = draw(JUNK)
    elif choice == "delete":
        del records[i][key]
    elif choice == "type":
        records[i][key] = draw(st.sampled_from([None, [], {}, True, -5, 1e308]))
    else:
        return draw(st.sampled_from(["", "[]", "{}", '{"data": 5}', '{"data": [1]}', "{"]))
    return json.dumps(doc)


def _check_result(staged: object) -> None:
    rows = staged.rows  # type: ignore[attr-defined]
    if not hasattr(rows, "columns"):
        rows = rows.df()
    constants = staged.constants  # type: ignore[attr-defined]
    for column in ("reporter", "partner"):
        codes = set(rows[column]) if column in rows else {constants.get(column, "KAZ")}
        for code in codes:
            assert isinstance(code, str) and (
                is_iso3(code) or non_iso_code(code) or code.startswith("X")
            ), code
    assert (rows["value"] >= 0).all() and rows["value"].notna().all()
    if "year" in rows:
        assert rows["year"].between(1900, 2100).all()
    if "month" in rows:
        assert rows["month"].between(0, 12).all()


@pytest.mark.slow
@pytest.mark.parametrize("layout", sorted(LAYOUTS))
def test_fuzz_layout(layout: str) -> None:
    source = (DATA / LAYOUTS[layout]).resolve()
    text = _text(source)
    strategy = corrupted_json(text) if layout == "comtrade-json" else corrupted(text)

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        suppress_health_check=[HealthCheck.too_slow, HealthCheck.filter_too_much],
    )
    @given(strategy)
    def run(body: str) -> None:
        with tempfile.TemporaryDirectory() as tmp:
            folder = Path(tmp)
            if layout == "baci":
                for f in source.parent.iterdir():
                    shutil.copy(f, folder / f.name)
            name = source.name.removesuffix(".gz")
            path = folder / name
            path.write_text(body, encoding="utf-8")
            try:
                staged = read_trade_file(path, format=layout)
            except TradeDataError as e:
                assert e.problems and all(p.file for p in e.problems)
                assert str(e).startswith(str(path)) or str(e).startswith(str(folder)), str(e)
                return
            except SteppeError:
                return
            _check_result(staged)

    run()
