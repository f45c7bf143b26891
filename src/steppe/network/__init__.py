"""The multimodal network: model, files, validation and place lookup."""

from steppe.network.geojson import network_from_geojson, network_to_geojson, read_geojson
from steppe.network.io import check_folder, load_network, read_network, write_network
from steppe.network.lookup import find_place, search_places
from steppe.network.model import (
    Border,
    BorderRegime,
    Direction,
    Dwell,
    Link,
    LinkStatus,
    Mode,
    Network,
    NetworkMeta,
    Node,
    NodeKind,
    Transfer,
)
from steppe.network.validate import check_network, validate_network

__all__ = [
    "Border",
    "BorderRegime",
    "Direction",
    "Dwell",
    "Link",
    "LinkStatus",
    "Mode",
    "Network",
    "NetworkMeta",
    "Node",
    "NodeKind",
    "Transfer",
    "check_folder",
    "check_network",
    "find_place",
    "load_network",
    "network_from_geojson",
    "network_to_geojson",
    "read_geojson",
    "read_network",
    "search_places",
    "validate_network",
    "write_network",
]
