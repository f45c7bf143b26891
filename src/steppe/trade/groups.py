"""Country groups (EU, EU27, EAEU) as member lists with dates, never as data rows.

A group is expanded to its members for each month or year of a query, so a
figure for a group is always the sum of its members' figures and nothing is counted
twice.  A country counts as a member for a month (or a year) when it is a member on the
last day of that month (or year): the United Kingdom, which left the EU on 2020-02-01,
counts for January 2020 but not for the year 2020; Croatia, which joined on 2013-07-01,
counts from July 2013 and for the year 2013.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass
from datetime import date

__all__ = ["GROUPS", "CountryGroup", "Membership", "group_members", "is_group"]


@dataclass(frozen=True, slots=True)
class Membership:
    """One country's membership of a group, from ``start`` to ``end`` inclusive (open if None)."""

    iso3: str
    start: date | None = None
    end: date | None = None

    def on(self, day: date) -> bool:
        """Return whether the country is a member on ``day``."""
        return (self.start is None or self.start <= day) and (self.end is None or day <= self.end)


@dataclass(frozen=True, slots=True)
class CountryGroup:
    """A named group of countries and the source of its membership dates."""

    code: str
    name: str
    members: tuple[Membership, ...]
    source: str


def _m(iso3: str, start: str | None = None, end: str | None = None) -> Membership:
    return Membership(
        iso3,
        date.fromisoformat(start) if start else None,
        date.fromisoformat(end) if end else None,
    )


_EU_DATES = {
    "BEL": "1958-01-01",
    "DEU": "1958-01-01",
    "FRA": "1958-01-01",
    "ITA": "1958-01-01",
    "LUX": "1958-01-01",
    "NLD": "1958-01-01",
    "DNK": "1973-01-01",
    "IRL": "1973-01-01",
    "GRC": "1981-01-01",
    "ESP": "1986-01-01",
    "PRT": "1986-01-01",
    "AUT": "1995-01-01",
    "FIN": "1995-01-01",
    "SWE": "1995-01-01",
    "CYP": "2004-05-01",
    "CZE": "2004-05-01",
    "EST": "2004-05-01",
    "HUN": "2004-05-01",
    "LVA": "2004-05-01",
    "LTU": "2004-05-01",
    "MLT": "2004-05-01",
    "POL": "2004-05-01",
    "SVK": "2004-05-01",
    "SVN": "2004-05-01",
    "BGR": "2007-01-01",
    "ROU": "2007-01-01",
    "HRV": "2013-07-01",
}

GROUPS: dict[str, CountryGroup] = {
    "EU": CountryGroup(
        "EU",
        "European Union (changing composition)",
        (
            *(_m(iso3, start) for iso3, start in _EU_DATES.items()),
            _m("GBR", "1973-01-01", "2020-01-31"),
        ),
        "EU accession treaties; UK withdrawal 2020-02-01 (Eurostat 'EU' changing composition)",
    ),
    "EU27": CountryGroup(
        "EU27",
        "European Union, the 27 member states since 2020-02-01 (Eurostat EU27_2020)",
        tuple(_m(iso3) for iso3 in _EU_DATES),
        "Eurostat EU27_2020: the same 27 countries at every date (fixed composition)",
    ),
    "EAEU": CountryGroup(
        "EAEU",
        "Eurasian Economic Union",
        (
            _m("BLR", "2015-01-01"),
            _m("KAZ", "2015-01-01"),
            _m("RUS", "2015-01-01"),
            _m("ARM", "2015-01-02"),
            _m("KGZ", "2015-08-12"),
        ),
        "Treaty on the EAEU (in force 2015-01-01); accession of Armenia and Kyrgyzstan",
    ),
}


def is_group(code: str) -> bool:
    """Return whether ``code`` names a country group (``EU``, ``EU27``, ``EAEU``).

    Examples
    --------
    >>> is_group("EU27"), is_group("KAZ")
    (True, False)
    """
    return code.upper() in GROUPS


def group_members(code: str, year: int, month: int | None = None) -> tuple[str, ...]:
    """Return the members of a group for one month, or for one year if ``month`` is None.

    Parameters
    ----------
    code
        The group code, e.g. ``"EU"``.
    year, month
        The month (or the year) asked about; membership is taken on its last day.

    Returns
    -------
    tuple of str
        The alpha-3 codes of the members, sorted.

    Examples
    --------
    >>> "GBR" in group_members("EU", 2020, 1), "GBR" in group_members("EU", 2020, 2)
    (True, False)
    >>> len(group_members("EU27", 2019))
    27
    """
    group = GROUPS[code.upper()]
    last = (
        date(year, 12, 31)
        if month is None
        else date(year, month, calendar.monthrange(year, month)[1])
    )
    return tuple(sorted(m.iso3 for m in group.members if m.on(last)))
