"""The store's physical layout: BACI read by DuckDB, stored totals, pruned detail queries.

References: pandas on the same CSV (an independent reader), and the ``flows_all`` view
(the definition of the mirrored import side) for the stored totals.
"""

from __future__ import annotations

from pathlib import Path

import duckdb
import pandas as pd
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from steppe.errors import TradeDataError
from steppe.trade.compare import composition
from steppe.trade.loaders.detect import read_trade_file
from steppe.trade.stats import turnover
from steppe.trade.store import TradeStore

DATA = Path(__file__).parent.parent / "data" / "trade"
BACI = DATA / "BACI_HS17_Y2022_V202401_sample.csv"
HEAD = "t,i,j,k,v,q\n"


def _baci(tmp_path: Path, body: str) -> Path:
    (tmp_path / "country_codes_V1.csv").write_text((DATA / "country_codes_V202401.csv").read_text())
    path = tmp_path / "BACI_HS17_Y2022_bad.csv"
    path.write_text(HEAD + body, encoding="utf-8")
    return path


BAD_BACI = [
    ("2022,496,156,270112,1.0,2\n2022,496,156,,2.0,2\n", [(3, "k", "missing value")]),
    ("2022,496,156,270112,,2\n", [(2, "v", "missing value")]),
    ("2022,496,156,270112,1.0,lots\n", [(2, "q", "not a number: 'lots'")]),
    (  # k 510211, not 1: product codes are now checked to be 6-digit HS codes
        "2022,496,156,270112,1.0,2\n2022,496,398,510211,1,1\n2022,496,156,270112,3.0,2\n",
        [(4, "k", "duplicate of an earlier row (same t, i, j, k)")],
    ),
    (
        "2022,496,156,270112,x,2\n2022,496,156,270113,1,2\n2022,7x,156,270114,y,2\n",
        [(4, "i", "not a number: '7x'"), (2, "v", "not a number: 'x'"), (4, "v", "y")],
    ),
    (
        "2022,496,999,270112,1.0,2\n2022,1,156,270113,1,2\n",
        [(3, "i", "unknown country code 1"), (2, "j", "unknown country code 999")],
    ),
    ("2022,496,156,270112,1.0,2\n1900,496,156,270113,1,2\n", [(3, "t", "year out of")]),
    ("2022,496,156,270112,-1.0,2\n", [(2, "v", "negative trade value")]),
    ("2022,496,156,270112,1.0,-2\n", [(2, "q", "negative quantity")]),
    ("2022,496,156,1234567,1.0,2\n", [(2, "k", "not a 6-digit HS code")]),
]


@pytest.mark.parametrize(("body", "expected"), BAD_BACI)
def test_baci_problems_name_row_and_column(
    tmp_path: Path, body: str, expected: list[tuple[int, str, str]]
) -> None:
    path = _baci(tmp_path, body)
    with pytest.raises(TradeDataError) as info:
        read_trade_file(path)
    got = [(p.row, p.column, p.message) for p in info.value.problems]
    assert [(r, c) for r, c, _ in got] == [(r, c) for r, c, _ in expected]
    for (_, _, message), (_, _, words) in zip(got, expected, strict=True):
        assert words in message
    assert all(p.file == str(path) for p in info.value.problems)


@pytest.mark.parametrize(("body", "expected"), BAD_BACI)
def test_the_store_names_the_same_baci_problems(
    tmp_path: Path, body: str, expected: list[tuple[int, str, str]]
) -> None:
    """Loading into a store (one insert, checks in it) names what reading the file names."""
    path = _baci(tmp_path, body)
    with TradeStore(tmp_path / "s.duckdb", embedded=False) as store:
        with pytest.raises(TradeDataError) as info:
            store.load(path)
        assert store.sql("SELECT count(*) AS n FROM flows").n.iloc[0] == 0
        assert store.sql("SELECT table_name FROM duckdb_tables() WHERE temporary").empty
    got = [(p.row, p.column, p.message) for p in info.value.problems]
    assert [(r, c) for r, c, _ in got] == [(r, c) for r, c, _ in expected]
    for (_, _, message), (_, _, words) in zip(got, expected, strict=True):
        assert words in message


def test_a_product_the_release_does_not_list_is_refused(tmp_path: Path) -> None:
    path = _baci(tmp_path, "2022,496,156,270112,1.0,2\n2022,496,156,270113,1.0,2\n")
    (tmp_path / "product_codes_HS17_V1.csv").write_text("code,description\n270112,coal\n")
    with TradeStore(embedded=False) as store, pytest.raises(TradeDataError) as info:
        store.load(path)
    assert [(p.row, p.column) for p in info.value.problems] == [(3, "k")]
    assert "product 270113 is not listed in product_codes_HS17_V1.csv" in str(info.value)


def test_bad_baci_leaves_the_store_as_it_was(tmp_path: Path) -> None:
    with TradeStore(tmp_path / "s.duckdb", embedded=False) as store:
        store.load(BACI, dataset="b")
        before = store.sql("SELECT * FROM flows ORDER BY ALL")
        with pytest.raises(TradeDataError):
            store.load(
                _baci(tmp_path, "2022,496,156,10121,1,1\n2022,496,156,10121,2,2\n"), dataset="b"
            )
        pd.testing.assert_frame_equal(store.sql("SELECT * FROM flows ORDER BY ALL"), before)
        temp = store.sql("SELECT table_name FROM duckdb_tables() WHERE temporary")
        assert temp.empty


def test_baci_store_matches_pandas(tmp_path: Path) -> None:
    raw = pd.read_csv(BACI)
    with TradeStore(tmp_path / "s.duckdb", embedded=False) as store:
        store.load(BACI)
        for a, b in ((496, 156), (398, 496), (156, 398)):
            iso = {496: "MNG", 156: "CHN", 398: "KAZ"}
            r = turnover(store, iso[a], iso[b], "2022")
            exports = raw[(raw.i == a) & (raw.j == b)].v.sum() * 1000
            imports = raw[(raw.i == b) & (raw.j == a)].v.sum() * 1000
            assert (r.current.exports, r.current.imports) == (exports, imports)
        c = composition(store, "MNG", "CHN", "2022", level="chapter").table
        assert c[c.flow == "export"].set_index("code").value.to_dict() == {
            "27": 9000500.0,
            "26": 4000250.0,
        }


def test_totals_equal_the_view_and_are_rebuilt(tmp_path: Path) -> None:
    view = """SELECT dataset, reporter, partner, flow, year, month, currency,
                     sum(value) AS value FROM flows_all
              WHERE reporter <> partner AND (commodity = 'TOTAL' OR dataset LIKE 'BACI%')
              GROUP BY ALL ORDER BY ALL"""
    stored = """SELECT dataset, reporter, partner, flow, year, month, currency, value
                FROM totals WHERE dataset LIKE 'BACI%' OR dataset LIKE 'kz%'
                ORDER BY ALL"""
    with TradeStore(tmp_path / "s.duckdb") as store:
        store.load(BACI)
        expected = store.sql(view)
        got = store.sql(stored)
        expected = expected[expected.dataset.str.match("BACI|kz")].reset_index(drop=True)
        pd.testing.assert_frame_equal(got, expected, check_dtype=False)
    # the store's own connection is read-only now (writers swap in a new file): age the
    # file through a plain DuckDB connection
    with duckdb.connect(str(tmp_path / "s.duckdb")) as con:
        con.execute("DELETE FROM totals")
    with TradeStore(tmp_path / "s.duckdb") as again:  # an older store without totals
        pd.testing.assert_frame_equal(again.sql(stored), got)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from([398, 496, 156, 643]),
            st.sampled_from([398, 496, 156, 643]),
            st.integers(10001, 999999),
            st.integers(0, 10**6),
        ),
        min_size=1,
        max_size=40,
        unique_by=lambda r: (r[0], r[1], r[2]),
    )
)
def test_random_baci_turnover_matches_pandas(rows: list[tuple[int, int, int, int]]) -> None:
    import tempfile

    # both countries report both flows (else the period is not covered, and refused)
    # (product 010000, not 1: BACI products are now checked to be 6-digit HS codes)
    rows = [r for r in rows if r[0] != r[1]] + [(398, 496, 10000, 5), (496, 398, 10000, 7)]
    with tempfile.TemporaryDirectory() as tmp:
        body = "".join(f"2022,{i},{j},{k},{v / 1000},1\n" for i, j, k, v in rows)
        path = _baci(Path(tmp), body)
        raw = pd.read_csv(path)
        with TradeStore(embedded=False) as store:
            store.load(path)
            r = turnover(store, "KAZ", "MNG", "2022")
        e = round(float(raw[(raw.i == 398) & (raw.j == 496)].v.sum()) * 1000, 3)
        m = round(float(raw[(raw.i == 496) & (raw.j == 398)].v.sum()) * 1000, 3)
        assert r.current.exports == pytest.approx(e, abs=1e-3)
        assert r.current.imports == pytest.approx(m, abs=1e-3)


@pytest.mark.slow
@settings(max_examples=10, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(
    st.lists(
        st.tuples(
            st.sampled_from([10, 20, 30, 40]),
            st.sampled_from([10, 20, 30, 40]),
            st.integers(10000, 999999),  # 6-digit HS codes (others are now refused)
        ),
        min_size=1,
        max_size=60,
        unique_by=lambda r: r,
    )
)
def test_baci_rows_are_stored_in_the_sort_order(rows: list[tuple[int, int, int]]) -> None:
    """Sorted on integer codes, the rows land in ISO3 order (codes ordered unlike ISO3)."""
    import tempfile

    iso = {10: "RUS", 20: "CHN", 30: "MNG", 40: "KAZ"}
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        codes = "country_code,country_iso3\n" + "".join(f"{c},{s}\n" for c, s in iso.items())
        (folder / "country_codes_V1.csv").write_text(codes)
        path = folder / "BACI_HS17_Y2022_order.csv"
        path.write_text(HEAD + "".join(f"2022,{i},{j},{k},1.5,2\n" for i, j, k in rows))
        with TradeStore(embedded=False) as store:
            store.load(path)
            got = store.sql(
                "SELECT reporter, partner, year::INTEGER AS year, commodity FROM flows "
                "ORDER BY rowid"
            )
    expected = (
        pd.DataFrame(
            {
                "reporter": [iso[i] for i, _, _ in rows],
                "partner": [iso[j] for _, j, _ in rows],
                "year": 2022,
                "commodity": [f"{k:06d}" for _, _, k in rows],
            }
        )
        .sort_values(["reporter", "partner", "year", "commodity"])
        .reset_index(drop=True)
    )
    pd.testing.assert_frame_equal(got, expected, check_dtype=False)


def test_store_path_expands_the_home_folder() -> None:
    from pathlib import Path

    from steppe.trade import TradeStore

    assert TradeStore("~/steppe-test.duckdb").path == Path.home() / "steppe-test.duckdb"
