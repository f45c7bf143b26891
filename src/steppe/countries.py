"""Country names and ISO 3166 codes.

steppe names countries by ISO 3166-1 alpha-3 codes (``KAZ``, ``MNG``, ``CHN``, ``RUS``).
This module turns what a user types ("Kazakhstan", "kz", "398", "Russia") into that code
and back into a readable name, using the ISO 3166 list of the ``pycountry`` package plus
a few everyday names ISO does not use ("Russia", "Turkey", "UK", ...).
"""

from __future__ import annotations

import difflib
import functools
import unicodedata

import pycountry

from steppe.errors import UnknownPlaceError

__all__ = ["country_name", "is_iso3", "iso3_from_numeric", "resolve_country"]

# Everyday names and codes that ISO 3166 does not list as names of the country.
_ALIASES: dict[str, str] = {
    "russia": "RUS",
    "turkey": "TUR",
    "turkiye": "TUR",
    "uk": "GBR",
    "great britain": "GBR",
    "britain": "GBR",
    "england": "GBR",
    "usa": "USA",
    "us": "USA",
    "america": "USA",
    "united states of america": "USA",
    "czech republic": "CZE",
    "holland": "NLD",
    "kyrgyzstan": "KGZ",
    "kirghizia": "KGZ",
    "iran": "IRN",
    "south korea": "KOR",
    "korea": "KOR",
    "north korea": "PRK",
    "vietnam": "VNM",
    "laos": "LAO",
    "moldova": "MDA",
    "syria": "SYR",
    "taiwan": "TWN",
    "tanzania": "TZA",
    "venezuela": "VEN",
    "bolivia": "BOL",
    "china, people's republic of": "CHN",
    "prc": "CHN",
    "macedonia": "MKD",
    "ivory coast": "CIV",
    "cape verde": "CPV",
    "swaziland": "SWZ",
    "burma": "MMR",
    "east timor": "TLS",
    "vatican": "VAT",
    "palestine": "PSE",
    "kosovo": "XKX",
}

# Codes in common use that ISO 3166 leaves user-assigned (Kosovo in Comtrade, Eurostat, IMF).
_EXTRA_NAMES: dict[str, str] = {"XKX": "Kosovo"}


def _key(text: str) -> str:
    """Return a comparison key: lower case, accents removed, spaces collapsed."""
    decomposed = unicodedata.normalize("NFKD", text)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().replace("_", " ").split())


@functools.cache
def _index() -> dict[str, str]:
    """Map every known name and code (as a key) to its alpha-3 code; built on first use."""
    index: dict[str, str] = {}
    for country in pycountry.countries:
        iso3 = str(country.alpha_3)
        for attr in ("alpha_3", "alpha_2", "numeric", "name", "official_name", "common_name"):
            value = getattr(country, attr, None)
            if value:
                index.setdefault(_key(str(value)), iso3)
    for code, name in _EXTRA_NAMES.items():
        index.setdefault(_key(code), code)
        index.setdefault(_key(name), code)
    for alias, iso3 in _ALIASES.items():
        index.setdefault(_key(alias), iso3)
    return index


@functools.cache
def _names() -> dict[str, str]:
    """Map alpha-3 codes to short readable names."""
    names = {
        str(c.alpha_3): str(getattr(c, "common_name", None) or c.name) for c in pycountry.countries
    }
    names.update(_EXTRA_NAMES)
    names["RUS"] = "Russia"
    return names


def is_iso3(code: str) -> bool:
    """Return whether ``code`` is a known ISO 3166 alpha-3 code (upper case, exact).

    Examples
    --------
    >>> is_iso3("KAZ"), is_iso3("kaz"), is_iso3("XYZ")
    (True, False, False)
    """
    return code in _names()


def resolve_country(text: str) -> str:
    """Return the ISO 3166 alpha-3 code of a country given by name or code.

    Accepts alpha-3 and alpha-2 codes and numeric codes in any case, the ISO short,
    official and common names, and a few everyday names ("Russia", "Turkey", "UK").
    Accents, case and repeated spaces are ignored.

    Parameters
    ----------
    text
        What the user typed.

    Returns
    -------
    str
        The alpha-3 code, e.g. ``"KAZ"``.

    Raises
    ------
    UnknownPlaceError
        No country matches; the message suggests the closest names.

    Examples
    --------
    >>> resolve_country("Kazakhstan"), resolve_country("mn"), resolve_country("Russia")
    ('KAZ', 'MNG', 'RUS')
    >>> resolve_country("156")
    'CHN'
    """
    key = _key(str(text))
    index = _index()
    if key in index:
        return index[key]
    if key.isdigit() and key.zfill(3) in index:
        return index[key.zfill(3)]
    names = _names()
    close = difflib.get_close_matches(key, list(index), n=6, cutoff=0.75)
    suggestions = list(dict.fromkeys(f"{names[index[k]]} ({index[k]})" for k in close))[:3]
    raise UnknownPlaceError(str(text), suggestions, what="country")


def country_name(iso3: str) -> str:
    """Return the short English name of a country given its alpha-3 code.

    Parameters
    ----------
    iso3
        An ISO 3166 alpha-3 code (any case).

    Returns
    -------
    str
        The ISO common name where there is one ("Iran", "South Korea"), else the ISO name;
        "Russia" for RUS.

    Raises
    ------
    UnknownPlaceError
        The code is not an alpha-3 code.

    Examples
    --------
    >>> country_name("MNG")
    'Mongolia'
    """
    code = str(iso3).strip().upper()
    names = _names()
    if code not in names:
        raise UnknownPlaceError(str(iso3), [], what="country code")
    return names[code]


def iso3_from_numeric(code: int | str) -> str:
    """Return the alpha-3 code of an ISO 3166 numeric code (``398`` -> ``"KAZ"``).

    Parameters
    ----------
    code
        The numeric code, as an int or a string with or without leading zeros.

    Returns
    -------
    str
        The alpha-3 code.

    Raises
    ------
    UnknownPlaceError
        No country has this numeric code.

    Examples
    --------
    >>> iso3_from_numeric(496)
    'MNG'
    """
    text = str(code).strip()
    if text.isdigit():
        country = pycountry.countries.get(numeric=text.zfill(3))
        if country is not None:
            return str(country.alpha_3)
    raise UnknownPlaceError(str(code), [], what="numeric country code")
