"""One statement for several queries gives what the queries give one at a time.

Reference: :func:`aggregate` run once per request (each its own statement).
"""

from __future__ import annotations

import pandas as pd
import pytest

from steppe.errors import TradeDataError
from steppe.trade._query import Request, aggregate, aggregate_many
from steppe.trade.periods import parse_period
from steppe.trade.store import TradeStore

REQUESTS = [
    Request("KAZ", "MNG", "export", parse_period("2023")),
    Request("MNG", "KAZ", "import", parse_period("2023"), level=2),
    Request("EU27", "KAZ", "export", parse_period("2023-Q2")),
    Request("KAZ", "*", "import", parse_period("2022..2023"), by_partner=True),
    Request("MNG", "CHN", "import", parse_period("2022"), level=4),
    Request("KAZ", "MNG", "export", parse_period("2017")),  # not covered
    Request("KAZ", "KAZ", "export", parse_period("2023")),  # no members
]


def _one(store: TradeStore, q: Request) -> tuple[pd.DataFrame, list[str]] | str:
    try:
        return aggregate(
            store, q.reporter, q.partner, q.flow, q.period, level=q.level, by_partner=q.by_partner
        )
    except TradeDataError as e:
        return str(e)


def test_many_requests_in_one_statement_equal_one_at_a_time(loaded: TradeStore) -> None:
    answers = aggregate_many(loaded, REQUESTS)
    for q, answer in zip(REQUESTS, answers, strict=True):
        alone = _one(loaded, q)
        if isinstance(alone, str):
            assert answer.refused
            with pytest.raises(TradeDataError) as info:
                answer.get()
            assert str(info.value) == alone
        else:
            rows, used = answer.get()
            pd.testing.assert_frame_equal(rows, alone[0])
            assert used == alone[1]
    assert sum(a.refused for a in answers) == 2
    assert not answers[0].get()[0].empty


def test_refusals_name_the_gap(loaded: TradeStore) -> None:
    (answer,) = aggregate_many(loaded, [REQUESTS[-2]])
    with pytest.raises(TradeDataError, match="nothing for KAZ in 2017"):
        answer.get()
