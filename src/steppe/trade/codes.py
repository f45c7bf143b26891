"""Country codes as trade publishers write them: M49 numbers, ISO3 letters, and the rest.

UN Comtrade and CEPII BACI number countries with UN M49 codes, with a few codes of their
own (842 for the USA, 251 for France, 699 for India, 757 for Switzerland, 579 for Norway)
and areas that are no country: 490 "Other Asia, nes" (ISO3-like code ``S19`` in both
publishers' files), 899 "Areas, nes", 837 "Bunkers", and so on.  Those are real partners in
every release and are kept, each under a code of its own and with its publisher's label,
never dropped and never mistaken for a country.
"""

from __future__ import annotations

from functools import cache

import pycountry

__all__ = ["COMTRADE_NUMERIC", "NON_ISO", "from_m49", "label", "non_iso_code"]

# publisher-specific numbers for ISO countries (Comtrade reference table "partnerAreas")
COMTRADE_NUMERIC: dict[int, str] = {842: "USA", 251: "FRA", 699: "IND", 757: "CHE", 579: "NOR"}

# areas that are no ISO country: number -> (code stored, label)
NON_ISO: dict[int, tuple[str, str]] = {
    490: ("S19", "Other Asia, nes"),
    899: ("X899", "Areas, nes"),
    837: ("X837", "Bunkers"),
    838: ("X838", "Free zones"),
    839: ("X839", "Special categories"),
    568: ("X568", "Other Europe, nes"),
    577: ("X577", "Other Africa, nes"),
    527: ("X527", "Oceania, nes"),
    636: ("X636", "Rest of America, nes"),
    637: ("X637", "North America and Central America, nes"),
    697: ("X697", "Europe EFTA, nes"),
    492: ("X492", "Europe, nes"),
    473: ("X473", "LAIA, nes"),
    536: ("X536", "Neutral zone"),
    290: ("X290", "Northern Africa, nes"),
}
_BY_CODE = {code: name for code, name in NON_ISO.values()}


def non_iso_code(code: str) -> bool:
    """Return whether ``code`` is one of the non-country partner codes steppe keeps.

    Examples
    --------
    >>> non_iso_code("S19"), non_iso_code("KAZ")
    (True, False)
    """
    return code in _BY_CODE


@cache
def _numeric() -> dict[int, str]:
    table = {int(c.numeric): c.alpha_3 for c in pycountry.countries}
    table.update(COMTRADE_NUMERIC)
    table.update({n: code for n, (code, _) in NON_ISO.items()})
    return table


def from_m49(number: int) -> str | None:
    """Return the code steppe stores for a publisher's country number (``None``: unknown).

    Examples
    --------
    >>> from_m49(398), from_m49(842), from_m49(490), from_m49(1234)
    ('KAZ', 'USA', 'S19', None)
    """
    return _numeric().get(int(number))


def label(code: str) -> str:
    """Return a readable name for a stored country code, including the non-ISO areas.

    Examples
    --------
    >>> label("S19"), label("MNG")
    ('Other Asia, nes', 'Mongolia')
    """
    from steppe.countries import country_name, is_iso3

    if code in _BY_CODE:
        return _BY_CODE[code]
    if code == "WLD":
        return "World"
    return country_name(code) if is_iso3(code) else code
