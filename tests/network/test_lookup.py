"""Place lookup: case, diacritics, aliases, qualification by country, suggestions."""

from __future__ import annotations

import pytest

from steppe.errors import AmbiguousPlaceError, UnknownPlaceError
from steppe.network import Network, Node, NodeKind, find_place, search_places
from steppe.network.lookup import fold


@pytest.mark.parametrize("query", ["Zamyn-Uud", "zamiin uud", "ZAMIIN-UUD", "zamyn_uud"])
def test_aliases_case_and_punctuation(small_network: Network, query: str) -> None:
    assert find_place(small_network, query).id == "zamyn_uud"


def test_diacritics_folded(small_network: Network) -> None:
    assert find_place(small_network, "Baki").id == "baku"  # alias Bakı
    assert fold("Öskemen") == "oskemen" and fold("Małaszewicze") == "malaszewicze"


def test_non_latin_alias(small_network: Network) -> None:
    assert find_place(small_network, "Улаанбаатар").id == "ulaanbaatar"


def test_unknown_lists_closest_names(small_network: Network) -> None:
    with pytest.raises(UnknownPlaceError) as info:
        find_place(small_network, "Ulanbator")
    assert "Ulaanbaatar (MNG)" in str(info.value)
    assert isinstance(info.value, LookupError)


def test_unknown_without_close_names(small_network: Network) -> None:
    with pytest.raises(UnknownPlaceError, match=r"unknown place 'Zzyzx'$"):
        find_place(small_network, "Zzyzx")


def _twin(network: Network) -> Network:
    extra = Node("khorgos_kaz", "Khorgos", 44.2, 80.3, "KAZ", NodeKind.BORDER, ("Horgos",))
    other = Node("khorgos_chn", "Khorgos", 44.21, 80.4, "CHN", NodeKind.BORDER, ("Horgos",))
    return network.replace(nodes=(*network.nodes, extra, other))


def test_ambiguous_lists_candidates_with_country(small_network: Network) -> None:
    net = _twin(small_network)
    with pytest.raises(AmbiguousPlaceError) as info:
        find_place(net, "horgos")
    message = str(info.value)
    assert "Khorgos (CHN" in message and "Khorgos (KAZ" in message


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("Khorgos, KAZ", "khorgos_kaz"),
        ("Khorgos (China)", "khorgos_chn"),
        ("horgos, kz", "khorgos_kaz"),
    ],
)
def test_qualified_by_country(small_network: Network, query: str, expected: str) -> None:
    assert find_place(_twin(small_network), query).id == expected


def test_search_prefix_first(small_network: Network) -> None:
    assert [n.id for n in search_places(small_network, "a")][:2] == ["aktau", "almaty"]
    assert [n.id for n in search_places(small_network, "bat")] == ["ulaanbaatar"]
    assert len(search_places(small_network, "", limit=3)) == 3


def test_search_tolerates_typos(small_network: Network) -> None:
    assert "beijing" in [n.id for n in search_places(small_network, "beijng")]
