"""Tests of steppe.countries against the ISO 3166 list."""

from __future__ import annotations

import pycountry
import pytest
from hypothesis import given
from hypothesis import strategies as st

from steppe.countries import country_name, is_iso3, iso3_from_numeric, resolve_country
from steppe.errors import UnknownPlaceError

ALL = sorted(pycountry.countries, key=lambda c: c.alpha_3)


@pytest.mark.parametrize(
    ("text", "iso3"),
    [
        ("Kazakhstan", "KAZ"),
        ("kazakhstan", "KAZ"),
        ("KZ", "KAZ"),
        ("kaz", "KAZ"),
        ("Mongolia", "MNG"),
        ("Russia", "RUS"),
        ("Russian Federation", "RUS"),
        ("China", "CHN"),
        ("156", "CHN"),
        ("Türkiye", "TUR"),
        ("  united   kingdom ", "GBR"),
        ("Republic of Kazakhstan", "KAZ"),
        ("Iran", "IRN"),
        ("Kyrgyzstan", "KGZ"),
    ],
)
def test_resolve_country_known(text: str, iso3: str) -> None:
    assert resolve_country(text) == iso3


@given(st.sampled_from(ALL))
def test_every_iso_country_resolves_by_each_code_and_name(country: object) -> None:
    iso3 = country.alpha_3  # type: ignore[attr-defined]
    assert resolve_country(country.alpha_2) == iso3  # type: ignore[attr-defined]
    assert resolve_country(iso3.lower()) == iso3
    assert resolve_country(country.numeric) == iso3  # type: ignore[attr-defined]
    assert resolve_country(country_name(iso3)) == iso3
    assert iso3_from_numeric(int(country.numeric)) == iso3  # type: ignore[attr-defined]
    assert is_iso3(iso3)


def test_unknown_country_suggests() -> None:
    with pytest.raises(UnknownPlaceError) as info:
        resolve_country("Kazakstan")
    assert "KAZ" in str(info.value)
    assert "unknown country" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_country_name() -> None:
    assert country_name("mng") == "Mongolia"
    assert country_name("RUS") == "Russia"
    with pytest.raises(UnknownPlaceError):
        country_name("XYZ")
    with pytest.raises(UnknownPlaceError):
        iso3_from_numeric(999)
