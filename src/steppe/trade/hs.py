"""Harmonized System (HS) levels: sections, chapters, headings and their labels.

The chapter -> section table (21 WCO sections) ships as ``data/trade/hs_sections.csv``.
"""

from __future__ import annotations

import functools
from typing import Literal

import pandas as pd

from steppe.errors import ConfigError
from steppe.trade.embedded import embedded_path

__all__ = ["LEVEL_DIGITS", "Level", "hs_sections", "to_level"]

Level = Literal["section", "chapter", "heading"]
LEVEL_DIGITS: dict[str, int] = {"section": 2, "chapter": 2, "heading": 4}


@functools.cache
def hs_sections() -> pd.DataFrame:
    """Return the chapter -> section table (``chapter, section, section_title``).

    Examples
    --------
    >>> t = hs_sections()
    >>> t.set_index("chapter").loc["27", "section"], t.section.nunique()
    ('V', 22)
    """
    return pd.read_csv(embedded_path("hs_sections.csv"), comment="#", dtype=str)


def to_level(codes: pd.Series, level: str) -> pd.Series:
    """Return HS codes (at least as fine as ``level``) at ``level``: section, chapter, heading.

    Examples
    --------
    >>> to_level(pd.Series(["2701", "7108"]), "section").tolist()
    ['V', 'XIV']
    """
    if level not in LEVEL_DIGITS:
        raise ConfigError(f"unknown level {level!r}; choose section, chapter or heading")
    cut = codes.str[: LEVEL_DIGITS[level]]
    if level != "section":
        return cut
    table = hs_sections().set_index("chapter")["section"]
    return cut.map(table).fillna("unknown")
