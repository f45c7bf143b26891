"""Find places by name: case-insensitive, diacritics folded, aliases and ids included.

``Ust-Kamenogorsk``, ``Öskemen`` and ``oskemen`` all find the same node.  A name shared
by places in different countries is ambiguous and must be qualified (``"Khorgos, KAZ"``
or ``"Khorgos (China)"``) or given by id.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Mapping, Sequence
from types import MappingProxyType

from steppe.errors import AmbiguousPlaceError, UnknownPlaceError
from steppe.network.model import Network, Node, NodeKind

__all__ = ["build_place_index", "find_place", "fold", "search_places"]

# When one name matches several nodes of one country, the first kind here wins.
_KIND_PRIORITY = (
    NodeKind.CITY,
    NodeKind.DRY_PORT,
    NodeKind.RAIL_TERMINAL,
    NodeKind.SEA_PORT,
    NodeKind.GAUGE_CHANGE,
    NodeKind.BORDER,
)
_QUALIFIED = re.compile(r"^(?P<name>.+?)\s*(?:,\s*(?P<c1>[^,()]+)|\((?P<c2>[^()]+)\))\s*$")


def fold(text: str) -> str:
    """Return a lookup key: lower case, accents removed, punctuation as single spaces.

    Examples
    --------
    >>> fold("Öskemen"), fold("Zamyn-Uud"), fold("Xi'an")
    ('oskemen', 'zamyn uud', 'xian')
    """
    decomposed = unicodedata.normalize(
        "NFKD", text.replace("ı", "i").replace("ł", "l").replace("Ł", "L")
    )
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch)).casefold()
    plain = plain.replace("'", "").replace("’", "").replace("ʼ", "")
    return " ".join(re.sub(r"[^0-9a-z]+", " ", plain).split())


def _keys(node: Node) -> set[str]:
    return {fold(node.id), fold(node.name), *(fold(a) for a in node.aliases)}


def build_place_index(network: Network) -> Mapping[str, tuple[Node, ...]]:
    """Return the nodes under each folded name, alias and id, in network order.

    Use :attr:`Network.place_index`, which caches this per network.
    """
    index: dict[str, list[Node]] = {}
    for node in network.nodes:
        for key in _keys(node):
            index.setdefault(key, []).append(node)
    return MappingProxyType({k: tuple(v) for k, v in index.items()})


def _index(network: Network) -> Mapping[str, tuple[Node, ...]]:
    return network.place_index


def _pick(query: str, nodes: Sequence[Node]) -> Node:
    countries = {n.country for n in nodes}
    if len(countries) > 1:
        raise AmbiguousPlaceError(
            query,
            [
                f"{n.name} ({n.country}, {n.kind}, id {n.id})"
                for n in sorted(nodes, key=lambda n: n.id)
            ],
        )
    return min(nodes, key=lambda n: (_KIND_PRIORITY.index(n.kind), n.id))


def find_place(network: Network, query: str | Node) -> Node:
    """Return the node a user means by a name, alias or id.

    Parameters
    ----------
    network
        The network to look in.
    query
        A node id, a name or alias in any case and with or without diacritics, optionally
        qualified by country as ``"Name, KAZ"`` or ``"Name (Kazakhstan)"``; or a Node.

    Returns
    -------
    Node

    Raises
    ------
    UnknownPlaceError
        Nothing matches; the message lists the closest names.
    AmbiguousPlaceError
        Places in several countries match; the message lists them with their countries.

    Examples
    --------
    >>> import steppe
    >>> net = steppe.load_network()
    >>> find_place(net, "Ust-Kamenogorsk").id
    'oskemen'
    """
    if isinstance(query, Node):
        return network.node(query.id)
    text = str(query).strip()
    if text in network.nodes_by_id:
        return network.nodes_by_id[text]
    index = _index(network)
    nodes = index.get(fold(text))
    if nodes:
        return _pick(text, nodes)
    match = _QUALIFIED.match(text)
    if match:
        from steppe.countries import resolve_country

        name = match.group("name")
        country = resolve_country((match.group("c1") or match.group("c2")).strip())
        hits = [n for n in index.get(fold(name), ()) if n.country == country]
        if hits:
            return _pick(text, hits)
    raise UnknownPlaceError(text, _suggest(network, text))


def _suggest(network: Network, text: str, n: int = 5) -> list[str]:
    index = _index(network)
    close = difflib.get_close_matches(fold(text), list(index), n=n * 2, cutoff=0.6)
    out = dict.fromkeys(f"{node.name} ({node.country})" for k in close for node in index[k])
    return list(out)[:n]


def search_places(network: Network, query: str = "", *, limit: int = 20) -> list[Node]:
    """Return places whose name, alias or id matches a partial query, best first.

    Prefix matches come first, then substring matches, then close spellings; an empty
    query lists every place by name.

    Examples
    --------
    >>> import steppe
    >>> [n.id for n in search_places(steppe.load_network(), "ulaanb")][:1]
    ['ulaanbaatar']
    """
    key = fold(query)
    if not key:
        return sorted(network.nodes, key=lambda n: fold(n.name))[:limit]
    scored: dict[str, tuple[int, str]] = {}
    for node in network.nodes:
        keys = _keys(node)
        if any(k.startswith(key) for k in keys):
            rank = 0
        elif any(key in k for k in keys):
            rank = 1
        else:
            continue
        scored[node.id] = (rank, fold(node.name))
    if len(scored) < limit:
        index = _index(network)
        for k in difflib.get_close_matches(key, list(index), n=limit, cutoff=0.7):
            for node in index[k]:
                scored.setdefault(node.id, (2, fold(node.name)))
    ranked = sorted(scored, key=lambda i: (*scored[i], i))
    return [network.nodes_by_id[i] for i in ranked[:limit]]
