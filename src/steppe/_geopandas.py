"""GeoDataFrames of steppe's results, for GIS work in Python (the ``geo`` extra).

geopandas is imported only here and only when a ``to_geopandas()`` method is called;
without it the call raises :class:`~steppe.errors.MissingExtraError` naming the extra.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from steppe.errors import MissingExtraError

if TYPE_CHECKING:
    import geopandas as gpd

    from steppe.routing.result import RouteResult
    from steppe.scenarios.compare import Comparison

__all__ = ["CRS", "comparison_frame", "features_frame", "import_geopandas", "route_frame"]

CRS = "EPSG:4326"  # WGS 84 longitude/latitude, as every coordinate in steppe


def import_geopandas() -> Any:
    """Return the geopandas module, or say which extra installs it."""
    try:
        import geopandas
    except ImportError as exc:
        raise MissingExtraError("geopandas", "geo") from exc
    return geopandas


def features_frame(
    features: list[dict[str, Any]], columns: list[str] | None = None
) -> gpd.GeoDataFrame:
    """Return GeoJSON features as a GeoDataFrame in WGS 84, one row per feature.

    ``columns`` names the property columns of an empty layer (geopandas cannot tell them
    from no features).
    """
    gpd = import_geopandas()
    from shapely.geometry import shape

    rows = [f["properties"] for f in features]
    names = list(dict.fromkeys(k for row in rows for k in row)) or list(columns or [])
    geometry = [shape(f["geometry"]) for f in features]
    return gpd.GeoDataFrame(
        {k: [row.get(k) for row in rows] for k in names}, geometry=geometry, crs=CRS
    )


def route_frame(result: RouteResult) -> gpd.GeoDataFrame:
    """Return the legs of every route: a line per moving leg, a point per border or transfer.

    Columns are those of a leg in ``Route.to_dict`` plus ``route`` (0 is the best).
    """
    return features_frame(result.to_geojson()["features"])


def comparison_frame(comparison: Comparison) -> gpd.GeoDataFrame:
    """Return the compared pairs as straight origin–destination lines with their changes.

    Columns are those of :attr:`Comparison.pairs`; the geometry joins the two places.
    """
    gpd = import_geopandas()
    from shapely.geometry import LineString

    nodes = comparison.scenario.network.nodes_by_id
    pairs = comparison.pairs.reset_index(drop=True)
    lines = [
        LineString([(nodes[o].lon, nodes[o].lat), (nodes[d].lon, nodes[d].lat)])
        for o, d in zip(pairs["origin"], pairs["destination"], strict=True)
    ]
    return gpd.GeoDataFrame(pairs, geometry=lines, crs=CRS)
