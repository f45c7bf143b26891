"""The steppe trade commands, through steppe.cli.main."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from steppe.cli import main

DATA = Path(__file__).parent.parent / "data" / "trade"


def _run(args: list[str], capsys: pytest.CaptureFixture[str]) -> tuple[int, str, str]:
    with pytest.raises(SystemExit) as info:
        main(args)
        raise SystemExit(0)
    out = capsys.readouterr()
    return int(info.value.code or 0), out.out, out.err


def test_turnover_json_in_default_store(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    code, out, _ = _run(
        ["trade", "turnover", "Kazakhstan", "Mongolia", "--period", "2023", "--json"], capsys
    )
    assert code == 0
    data = json.loads(out)
    assert set(data) >= {
        "reporter",
        "partner",
        "period",
        "currency",
        "exports",
        "imports",
        "turnover",
        "previous",
        "growth_pct",
    }
    assert data["turnover"] == 132992119.52
    assert (tmp_path / "xdg" / "steppe" / "trade.duckdb").exists()  # XDG_DATA_HOME, not home


@pytest.mark.slow
def test_load_and_query_commands(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    store = str(tmp_path / "t.duckdb")
    assert (
        _run(["trade", "load", str(DATA / "comtrade_mng_kaz_2023.csv"), "--store", store], capsys)[
            0
        ]
        == 0
    )
    code, out, _ = _run(
        [
            "trade",
            "composition",
            "MNG",
            "KAZ",
            "--period",
            "2023",
            "--level",
            "chapter",
            "--store",
            store,
            "--json",
        ],
        capsys,
    )
    assert code == 0 and json.loads(out)["rows"][0]["code"] == "51"
    code, out, _ = _run(
        ["trade", "mirror", "KAZ", "MNG", "--period", "2023", "--store", store], capsys
    )
    assert code == 0 and "CIF" in out
    for args in (
        ["series", "KAZ", "MNG", "--from", "2019", "--to", "2023"],
        ["shares", "KAZ", "--period", "2023"],
        ["sources"],
    ):
        assert _run(["trade", *args, "--store", store], capsys)[0] == 0


@pytest.mark.parametrize(
    ("args", "words"),
    [
        (["turnover", "KAZ", "MNG", "--period", "2023-Q1"], "do not fully cover"),
        (["turnover", "KAZ", "Narnia", "--period", "2023"], "unknown country"),
        (["turnover", "KAZ", "MNG", "--period", "2023-13"], "cannot read period"),
        (["load", "missing.csv"], "no such file"),
    ],
)
def test_errors_are_one_line(
    capsys: pytest.CaptureFixture[str], args: list[str], words: str
) -> None:
    code, _, err = _run(["trade", *args], capsys)
    assert code == 1
    assert words in err and "Traceback" not in err
