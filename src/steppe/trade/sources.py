"""Which publisher's data answer a query, and whether a series may mix publishers.

Every dataset in the store has a ``source``: the publisher its format comes from (UN
Comtrade, CEPII BACI, Kazakhstan BNS, Eurostat Comext, or "user file").  Where several
datasets cover the same reporter, flow and period, the one loaded last answers, unless a
:class:`SourceRule` prefers a source.  Statistics say which source answered each period,
and a rule with ``mix="refuse"`` refuses a series or a growth rate that would compare one
publisher's figures with another's.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Literal

import pandas as pd

from steppe.errors import ConfigError, TradeDataError

__all__ = ["SourceRule", "check_mix", "preference_order"]

Mix = Literal["allow", "refuse"]


@dataclass(frozen=True, slots=True)
class SourceRule:
    """How to choose among sources, and whether a series may mix them.

    Parameters
    ----------
    prefer
        Sources in order of preference, each matching a dataset by its name, its format
        (``comtrade``, ``baci``, ``kz-bns``, ...) or a word of its source (``Comtrade``,
        ``BNS``); datasets matching none come after, the latest loaded first.
    mix
        ``allow`` (the default): a series may combine sources and says which answered each
        period; ``refuse``: such a series or growth rate is refused.

    Examples
    --------
    >>> SourceRule(prefer=("comtrade",), mix="refuse").mix
    'refuse'
    """

    prefer: tuple[str, ...] = ()
    mix: Mix = "allow"

    def __post_init__(self) -> None:
        if self.mix not in ("allow", "refuse"):
            raise ConfigError(f"mix must be 'allow' or 'refuse', not {self.mix!r}")
        if isinstance(self.prefer, str):
            raise ConfigError("prefer must be a sequence of sources, not one string")


def _matches(term: str, dataset: str, fmt: str, source: str) -> bool:
    t = term.strip().lower()
    return t in (dataset.lower(), fmt.lower(), source.lower()) or t in source.lower().split()


def preference_order(rule: SourceRule | None, datasets: pd.DataFrame) -> list[str]:
    """Return the dataset names the rule prefers, most preferred first.

    Parameters
    ----------
    rule
        The rule (``None``: no preference).
    datasets
        The store's ``datasets`` table (``dataset, format, source``).

    Returns
    -------
    list of str
        Names of the datasets matching a preferred source, in preference order.

    Raises
    ------
    ConfigError
        A preferred source matches no dataset in the store.
    """
    if rule is None or not rule.prefer:
        return []
    order: list[str] = []
    for term in rule.prefer:
        hits = [
            str(d)
            for d, f, s in zip(
                datasets["dataset"], datasets["format"], datasets["source"], strict=True
            )
            if _matches(term, str(d), str(f), str(s or ""))
        ]
        if not hits:
            known = sorted({str(s) for s in datasets["source"] if s} | set(datasets["format"]))
            raise ConfigError(
                f"prefer: no dataset in the store comes from {term!r}; sources and formats "
                f"held: {', '.join(known)}"
            )
        order.extend(h for h in hits if h not in order)
    return order


def check_mix(rule: SourceRule | None, sources: Iterable[str], what: str) -> str:
    """Return a note naming the sources a result mixes, or refuse the mix if the rule says so.

    Parameters
    ----------
    rule
        The rule (``None``: allow).
    sources
        The source of each part of the result.
    what
        What the result is, for the message.

    Returns
    -------
    str
        ``""`` for one source, else a note such as ``"mixes sources: CEPII BACI, UN Comtrade"``.

    Raises
    ------
    TradeDataError
        The result mixes sources and ``rule.mix`` is ``refuse``.

    Examples
    --------
    >>> check_mix(None, ["UN Comtrade", "Kazakhstan BNS"], "KAZ-MNG growth")
    'KAZ-MNG growth mixes sources: Kazakhstan BNS, UN Comtrade'
    """
    distinct = sorted({s for s in sources if s})
    if len(distinct) <= 1:
        return ""
    note = f"{what} mixes sources: {', '.join(distinct)}"
    if rule is not None and rule.mix == "refuse":
        raise TradeDataError(
            f"{note}; refusing to compare them (prefer one source with --prefer, "
            "or allow the mix with --mix allow)",
            file="trade store",
        )
    return note
