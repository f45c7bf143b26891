"""GeoNames towns and coordinates as route ends: lookup, folding, refusals."""

from __future__ import annotations

import pytest

from steppe.door.places import (
    OutsideCoverageError,
    find_town,
    parse_coordinate,
    point_from,
    towns,
)
from steppe.errors import AmbiguousPlaceError, ConfigError, SteppeError, UnknownPlaceError


def test_coordinates_parse() -> None:
    assert parse_coordinate("46.1,100.7") == (46.1, 100.7)
    assert parse_coordinate(" 46.1 , 100.7 ") == (46.1, 100.7)
    assert parse_coordinate("46 100") == (46.0, 100.0)
    assert parse_coordinate("Zaysan") is None
    assert parse_coordinate("Khorgos, KAZ") is None


@pytest.mark.parametrize("text", ["10.0,100.0", "46.1,130", "-46.1,100.7", "100.7,46.1"])
def test_outside_region_refused(text: str) -> None:
    with pytest.raises(OutsideCoverageError, match="outside the covered region") as info:
        parse_coordinate(text)
    assert isinstance(info.value, ConfigError)
    assert isinstance(info.value, SteppeError)


def test_point_gets_country_of_nearest_town() -> None:
    point = point_from("46.1,100.7")
    assert point is not None
    assert point.country == "MNG"
    assert "km" in point.near
    assert point.id == "point:46.10000,100.70000"


@pytest.mark.parametrize("name", ["Zaysan", "zaysan", "ZAYSAN", "  Zaysan ", "Zaysan, KAZ"])
def test_town_lookup_folds_case_and_space(name: str) -> None:
    town = find_town(name)
    assert town.label == "Zaysan"
    assert town.country == "KAZ"
    assert town.geonameid == 1517060


def test_diacritics_are_folded() -> None:
    assert find_town("Olgii").geonameid == find_town("Ölgii").geonameid


def test_ambiguous_name_lists_candidates_with_country() -> None:
    with pytest.raises(AmbiguousPlaceError) as info:
        find_town("Ivanovka")
    message = str(info.value)
    assert "Ivanovka" in message
    assert "(RUS" in message or "(KAZ" in message
    assert len(info.value.candidates) >= 2


def test_qualified_name_resolves_ambiguity() -> None:
    t = towns()
    hits = t.index["ivanovka"]
    country = t.country[hits[0]]
    if sum(t.country[i] == country for i in hits) == 1:
        assert find_town(f"Ivanovka, {country}").country == country


def test_unknown_town_suggests() -> None:
    with pytest.raises(UnknownPlaceError, match="did you mean") as info:
        find_town("Zaysann")
    assert any("Zaysan" in s for s in info.value.suggestions)


def test_towns_cover_region() -> None:
    t = towns()
    assert len(t) > 30_000
    assert t.lat.min() >= 28 and t.lat.max() <= 62
    assert t.lon.min() >= 0 and t.lon.max() <= 125
