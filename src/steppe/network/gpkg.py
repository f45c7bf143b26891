"""The network as GIS layers: GeoDataFrames and a GeoPackage, one layer per feature type.

``nodes`` (points), ``links`` (lines, their geometry or a straight line), ``borders``
(lines between the two crossing posts) and ``transfers`` (points at their node), in
WGS 84.  Numeric attributes are numeric fields, empty where the network leaves them out,
and each link also carries what the router charges one FEU (20 t) on it under the default
options, moving ``a`` to ``b``: ``feu_time_h`` (moving time plus the expected wait for a
departure), ``feu_cost_usd`` (the tariff or per-km price, named in ``feu_price_ref``) and
``co2_kg`` (the link's own figure, or the ISO 14083 / GLEC default: ``co2_kg_source``).
A link the router cannot use (closed, or planned and not yet open) has them empty.

Needs the ``geo`` extra (geopandas and pyogrio).
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import TYPE_CHECKING, Any

from steppe._geopandas import features_frame
from steppe.errors import MissingExtraError, NetworkFileError
from steppe.network import _tables as t
from steppe.network.geojson import is_numeric_field, network_to_geojson

if TYPE_CHECKING:
    import geopandas as gpd

    from steppe.network.model import Network

__all__ = ["LAYERS", "link_charges", "network_to_geopandas", "write_gpkg"]

#: Layer name -> (``feature_type`` in the GeoJSON export, the columns of an empty layer).
LAYERS: dict[str, tuple[str, tuple[str, ...]]] = {
    "nodes": ("node", t.NODE_COLUMNS),
    "links": ("link", t.LINK_COLUMNS),
    "borders": ("border", t.BORDER_COLUMNS),
    "transfers": ("transfer", t.TRANSFER_COLUMNS),
}
_INTEGER = frozenset({"geonameid", "gauge_mm"})


def link_charges(network: Network) -> dict[str, dict[str, Any]]:
    """Return what the router charges one FEU on each usable link, from ``a`` to ``b``.

    Parameters
    ----------
    network
        The network.

    Returns
    -------
    dict
        Link id -> ``feu_time_h``, ``feu_cost_usd``, ``feu_price_ref``; links the
        default routing options cannot use are left out.

    Examples
    --------
    >>> import steppe
    >>> charges = link_charges(steppe.load_network())
    >>> all(c["feu_time_h"] > 0 and c["feu_cost_usd"] > 0 for c in charges.values())
    True
    """
    from steppe.routing import RouteOptions
    from steppe.routing._build import expanded_graph
    from steppe.routing.graph import EdgeKind

    g = expanded_graph(network, RouteOptions())
    index = {node_id: k for k, node_id in enumerate(g.node_ids)}
    out: dict[str, dict[str, Any]] = {}
    for e in range(len(g.src)):
        k = int(g.link[e])
        if g.kind[e] != EdgeKind.LINK or k < 0:
            continue
        link = network.links[k]
        if int(g.vertex_node[g.src[e]]) != index[link.a] and link.id in out:
            continue  # keep the a -> b direction where there is one
        basis = g.price_bases[int(g.cost_basis[e])] if len(g.price_bases) else None
        out[link.id] = {
            "feu_time_h": float(g.move_h[e] + g.wait_h[e]),
            "feu_cost_usd": float(g.link_cost[e]),
            "feu_price_ref": "" if basis is None else basis.ref,
        }
    return out


def network_to_geopandas(network: Network) -> dict[str, gpd.GeoDataFrame]:
    """Return the network as four GeoDataFrames: nodes, links, borders and transfers.

    Parameters
    ----------
    network
        The network.

    Returns
    -------
    dict
        Layer name -> GeoDataFrame in WGS 84 (see the module docstring for the fields).

    Examples
    --------
    >>> import steppe
    >>> layers = steppe.load_network().to_geopandas()
    >>> sorted(layers), layers["links"].geom_type.unique().tolist()
    (['borders', 'links', 'nodes', 'transfers'], ['LineString'])
    """
    by_type: dict[str, list[dict[str, Any]]] = {kind: [] for kind, _ in LAYERS.values()}
    for feature in network_to_geojson(network)["features"]:
        props = dict(feature["properties"])
        kind = props.pop("feature_type")
        by_type[kind].append({**feature, "properties": props})
    charges = link_charges(network)
    for feature in by_type["link"]:
        props = feature["properties"]
        props.update(charges.get(props["id"], {"feu_time_h": None, "feu_cost_usd": None,
                                                "feu_price_ref": ""}))  # fmt: skip
    layers: dict[str, gpd.GeoDataFrame] = {}
    for name, (kind, columns) in LAYERS.items():
        frame = features_frame(by_type[kind], [c for c in columns if c != "geometry"])
        for col in frame.columns:
            if col != "geometry" and is_numeric_field(col):
                frame[col] = frame[col].astype("Int64" if col in _INTEGER else "float64")
        layers[name] = frame
    return layers


def write_gpkg(network: Network, path: str | Path) -> Path:
    """Write the network as a GeoPackage with one layer per feature type, all at once.

    The file is written next to ``path`` and renamed into place, so a reader never
    sees half of it. Each layer's metadata names the network, its sources and licence.

    Parameters
    ----------
    network
        The network.
    path
        The ``.gpkg`` file to write (replaced if it exists).

    Returns
    -------
    Path
        The file written.

    Raises
    ------
    MissingExtraError
        Without geopandas or pyogrio (the ``geo`` extra).
    NetworkFileError
        If the file cannot be written.
    """
    try:
        import pyogrio
    except ImportError as exc:
        raise MissingExtraError("pyogrio", "geo") from exc
    path = Path(path)
    layers = network_to_geopandas(network)
    meta = network.meta
    about = {"network": meta.name, "license": meta.license, "sources": "; ".join(meta.sources),
             "crs": "EPSG:4326 (WGS 84 longitude, latitude)"}  # fmt: skip
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp_name = tempfile.mkstemp(prefix=f".{path.stem}.", suffix=".gpkg", dir=path.parent)
    os.close(fd)
    tmp = Path(tmp_name)
    tmp.unlink()  # GDAL makes the file itself
    try:
        for name, frame in layers.items():
            pyogrio.write_dataframe(frame, tmp, layer=name, driver="GPKG",
                                    layer_metadata={**about, "layer": name})  # fmt: skip
        tmp.replace(path)
    except OSError as exc:
        raise NetworkFileError(f"cannot write the GeoPackage: {exc}", file=str(path)) from exc
    finally:
        tmp.unlink(missing_ok=True)
    return path
