"""A store written by schema version 1 (every column on every row, DECIMAL values) is
migrated when it is opened, and answers as it did."""

from __future__ import annotations

from pathlib import Path

import duckdb
import pytest

from steppe.trade.stats import turnover
from steppe.trade.store import TradeStore

# schema version 1, as steppe wrote it before the trade store kept constants per dataset
V1_DDL = """
CREATE TABLE flows (
    dataset VARCHAR NOT NULL, reporter VARCHAR NOT NULL, partner VARCHAR NOT NULL,
    flow VARCHAR NOT NULL, freq VARCHAR NOT NULL, year SMALLINT NOT NULL, month TINYINT NOT NULL,
    classification VARCHAR NOT NULL, commodity VARCHAR NOT NULL, value DECIMAL(18, 3) NOT NULL,
    currency VARCHAR NOT NULL, quantity DOUBLE, unit VARCHAR, source_file VARCHAR NOT NULL);
CREATE TABLE coverage (
    dataset VARCHAR NOT NULL, reporter VARCHAR NOT NULL, partner VARCHAR NOT NULL,
    flow VARCHAR NOT NULL, freq VARCHAR NOT NULL, year SMALLINT NOT NULL,
    month TINYINT NOT NULL);
CREATE TABLE totals (
    dataset VARCHAR NOT NULL, reporter VARCHAR NOT NULL, partner VARCHAR NOT NULL,
    flow VARCHAR NOT NULL, freq VARCHAR NOT NULL, year SMALLINT NOT NULL, month TINYINT NOT NULL,
    currency VARCHAR NOT NULL, value DECIMAL(38, 3) NOT NULL);
CREATE TABLE datasets (
    dataset VARCHAR PRIMARY KEY, format VARCHAR NOT NULL, source_file VARCHAR NOT NULL,
    rows BIGINT NOT NULL, is_symmetric BOOLEAN NOT NULL, attribution VARCHAR NOT NULL,
    seq BIGINT NOT NULL, source VARCHAR);
CREATE TABLE world (
    dataset VARCHAR NOT NULL, reporter VARCHAR NOT NULL, flow VARCHAR NOT NULL,
    freq VARCHAR NOT NULL, year SMALLINT NOT NULL, month TINYINT NOT NULL,
    currency VARCHAR NOT NULL, value DECIMAL(38, 3) NOT NULL);
CREATE TABLE labels (dataset VARCHAR NOT NULL, code VARCHAR NOT NULL, label VARCHAR NOT NULL);
CREATE VIEW flows_all AS SELECT * FROM flows;
"""
ROWS = [  # reporter, partner, flow, year, commodity, value (2023 and 2022)
    ("KAZ", "MNG", "export", 2023, "27", "100.125"),
    ("KAZ", "MNG", "export", 2023, "84", "50.5"),
    ("KAZ", "MNG", "import", 2023, "27", "7.001"),
    ("KAZ", "MNG", "export", 2022, "27", "80"),
    ("KAZ", "MNG", "import", 2022, "27", "20"),
]


def _v1_store(path: Path) -> None:
    with duckdb.connect(str(path)) as con:
        con.execute(V1_DDL)
        for r, p, f, y, c, v in ROWS:
            con.execute(
                "INSERT INTO flows VALUES ('old', ?, ?, ?, 'A', ?, 0, 'H5', ?, ?, 'USD', NULL, "
                "NULL, 'old.csv')",
                [r, p, f, y, c, v],
            )
        for f in ("export", "import"):
            for y in (2022, 2023):
                con.execute(
                    "INSERT INTO coverage VALUES ('old', 'KAZ', 'MNG', ?, 'A', ?, 0)", [f, y]
                )
        con.execute(
            "INSERT INTO datasets VALUES ('old', 'tidy', 'old.csv', 5, false, 'user file', 1, "
            "'user file')"
        )


def test_a_schema_1_store_is_migrated_and_answers_the_same(tmp_path: Path) -> None:
    path = tmp_path / "v1.duckdb"
    _v1_store(path)
    with TradeStore(path, embedded=False) as store:
        r = turnover(store, "KAZ", "MNG", "2023")
        columns = set(
            store.sql(
                "SELECT column_name FROM duckdb_columns() WHERE table_name = 'flows'"
            ).column_name
        )
        shown = store.sql("SELECT freq, classification, currency, source_file FROM flows_all")
    assert (r.current.exports, r.current.imports) == (150.625, 7.001)
    assert r.growth_pct == pytest.approx((157.626 / 100 - 1) * 100)
    assert "freq" not in columns and "source_file" not in columns
    assert set(map(tuple, shown.values.tolist())) == {("A", "H5", "USD", "old.csv")}
    with TradeStore(path, embedded=False) as again:  # opened once more: nothing to do
        assert turnover(again, "KAZ", "MNG", "2023").turnover == 157.626
