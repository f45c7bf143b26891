"""Places, countries, the network and basemap as GeoJSON, and the data sources.

All read-only, all from the Python API (``steppe.network``) or files shipped in the package.
"""

from __future__ import annotations

from importlib import resources
from typing import Annotated, Any

from fastapi import APIRouter, Depends, Query
from fastapi.responses import FileResponse, PlainTextResponse

from steppe.countries import country_name
from steppe.network import network_to_geojson, search_places
from steppe.web._context import WebContext, context
from steppe.web.errors import NotAvailableError
from steppe.web.schemas import Country, ErrorBody, Place, Source

__all__ = ["SOURCES", "router"]

router = APIRouter(prefix="/api", tags=["network"])
Ctx = Annotated[WebContext, Depends(context)]

# The attributions shown in the page footer; the full list is src/steppe/data/SOURCES.md.
SOURCES: tuple[dict[str, str], ...] = (
    {
        "id": "osm",
        "name": "OpenStreetMap contributors",
        "what": (
            "road and rail link lengths and shapes; the road graph of the first and last mile"
        ),
        "licence": "ODbL 1.0",
        "url": "https://www.openstreetmap.org/copyright",
    },
    {
        "id": "geonames",
        "name": "GeoNames",
        "what": "place names, coordinates and populations; towns beyond the network",
        "licence": "CC BY 4.0",
        "url": "https://www.geonames.org/",
    },
    {
        "id": "naturalearth",
        "name": "Natural Earth",
        "what": "country polygons of the basemap",
        "licence": "public domain",
        "url": "https://www.naturalearthdata.com/",
    },
    {
        "id": "carec",
        "name": "CAREC CPMM",
        "what": (
            "CAREC Corridor Performance Measurement and Monitoring: border crossing times "
            "and costs, speeds, haulage rates"
        ),
        "licence": "ADB terms",
        "url": "https://www.carecprogram.org/?page_id=1511",
    },
    {
        "id": "kzstat",
        "name": "Kazakhstan statistics bureau",
        "what": "Bureau of National Statistics of Kazakhstan: trade by partner",
        "licence": "use with reference to the source",
        "url": "https://stat.gov.kz/",
    },
    {
        "id": "eurostat",
        "name": "Eurostat Comext",
        "what": "EU exports to Kazakhstan (EUR)",
        "licence": "reuse with attribution",
        "url": "https://ec.europa.eu/eurostat/comext/",
    },
    {
        "id": "cepii",
        "name": "CEPII Gravity and BACI",
        "what": (
            "gravity covariates (Head, Mayer & Ries 2010) and mirror trade flows; the "
            "baseline of the trade impact"
        ),
        "licence": "Etalab Licence Ouverte 2.0",
        "url": "https://www.cepii.fr/",
    },
    {
        "id": "unlocode",
        "name": "UN/LOCODE",
        "what": "location codes of ports and terminals",
        "licence": "PDDL 1.0",
        "url": "https://unece.org/trade/uncefact/unlocode",
    },
    {
        "id": "agtpa",
        "name": "Yotov et al. (2016)",
        "what": "An Advanced Guide to Trade Policy Analysis: structural gravity reference data",
        "licence": "CC BY 4.0",
        "url": "https://www.wto.org/english/res_e/booksp_e/advancedwtounctad2016_e.pdf",
    },
    {
        "id": "searoute",
        "name": "Eurostat SeaRoute (searoute)",
        "what": "sea and ferry lanes, and the lengths of sea and ferry links",
        "licence": "Apache-2.0",
        "url": "https://github.com/eurostat/searoute",
    },
    {
        "id": "wpi",
        "name": "NGA World Port Index",
        "what": "Caspian port positions",
        "licence": "public domain",
        "url": "https://msi.nga.mil/Publications/WPI",
    },
    {
        "id": "erai",
        "name": "Eurasian Rail Alliance Index (ERAI)",
        "what": "1520 mm rail transit through-rates by month",
        "licence": "published figures, cited",
        "url": "https://index1520.com/en/index/",
    },
    {
        "id": "drewry",
        "name": "Drewry World Container Index",
        "what": "sea freight per FEU by month, as reported in the press",
        "licence": "published figures, cited",
        "url": "https://www.drewry.co.uk/supply-chain-advisors/supply-chain-expertise/world-container-index-assessed-by-drewry",
    },
    {
        "id": "ecb",
        "name": "European Central Bank",
        "what": "euro reference exchange rates: tariffs and trade converted to USD",
        "licence": "reuse with attribution to the ECB",
        "url": "https://www.ecb.europa.eu/stats/policy_and_exchange_rates/euro_reference_exchange_rates/html/index.en.html",
    },
    {
        "id": "mongolbank",
        "name": "Bank of Mongolia",
        "what": "MNT exchange rates of the Erenhot shuttle tariffs",
        "licence": "published figures, cited",
        "url": "https://www.mongolbank.mn/",
    },
    {
        "id": "wco",
        "name": "World Customs Organization HS 2022",
        "what": "HS chapters and sections of the trade composition",
        "licence": "reference",
        "url": "https://www.wcoomd.org/en/topics/nomenclature.aspx",
    },
    {
        "id": "iso3166",
        "name": "ISO 3166 (pycountry)",
        "what": "country codes and names",
        "licence": "LGPL-2.1 (package)",
        "url": "https://www.iso.org/iso-3166-country-codes.html",
    },
    {
        "id": "glec",
        "name": "Smart Freight Centre GLEC Framework v3.0",
        "what": "ISO 14083 emission factors per tonne-km and at hubs",
        "licence": "published values, cited",
        "url": "https://www.smartfreightcentre.org/en/our-programs/global-logistics-emissions-council/",
    },
    {
        "id": "owid",
        "name": "Ember and Energy Institute via Our World in Data",
        "what": "carbon intensity of electricity, for electric rail",
        "licence": "CC BY 4.0",
        "url": "https://ourworldindata.org/grapher/carbon-intensity-electricity",
    },
)

NOT_FOUND: dict[int | str, dict[str, Any]] = {404: {"model": ErrorBody}}


def _data_file(*parts: str) -> Any:
    return resources.files("steppe").joinpath("data", *parts)


@router.get("/places", response_model=list[Place], summary="Autocomplete places")
def places(
    ctx: Ctx,
    q: Annotated[str, Query(max_length=100, description="Part of a name, alias or id.")] = "",
    limit: Annotated[int, Query(ge=1, le=1000)] = 10,
) -> list[dict[str, Any]]:
    """Return network places whose name, alias or id matches ``q``, best first."""
    found = search_places(ctx.network, q, limit=min(limit, ctx.limits.max_places))
    return [n.to_dict() for n in found]


@router.get("/countries", response_model=list[Country], summary="Countries on the network")
def countries(ctx: Ctx) -> list[dict[str, str]]:
    """Return the countries that have places on the network, with their names."""
    return [{"iso3": c, "name": country_name(c)} for c in ctx.network.countries]


@router.get("/network", summary="The network as GeoJSON")
def network(ctx: Ctx) -> dict[str, Any]:
    """Return nodes, links, border crossings and transfers as a GeoJSON FeatureCollection."""
    return ctx.cached("network_geojson", lambda: network_to_geojson(ctx.network))


@router.get("/network/info", summary="Name and size of the network")
def network_info(ctx: Ctx) -> dict[str, Any]:
    """Return the network's name, description, licence, sources and counts."""
    meta = ctx.network.meta
    return {
        "name": meta.name,
        "description": meta.description,
        "license": meta.license,
        "sources": list(meta.sources),
        "label": ctx.network_label,
        "nodes": len(ctx.network.nodes),
        "links": len(ctx.network.links),
        "borders": len(ctx.network.borders),
        "countries": list(ctx.network.countries),
    }


@router.get(
    "/basemap",
    summary="Country polygons (Natural Earth)",
    responses=NOT_FOUND,
    response_class=FileResponse,
)
def basemap() -> FileResponse:
    """Return the Natural Earth country polygons shipped with steppe (GeoJSON)."""
    path = _data_file("basemap", "countries.geojson")
    if not path.is_file():
        raise NotAvailableError("the basemap file is missing from this installation")
    return FileResponse(str(path), media_type="application/geo+json")


@router.get(
    "/basemap/world",
    summary="World country polygons outside the detailed basemap (Natural Earth 1:110m)",
    responses=NOT_FOUND,
    response_class=FileResponse,
)
def basemap_world() -> FileResponse:
    """Return the 1:110m country polygons of the rest of the world (GeoJSON).

    The box of ``/api/basemap`` (lon 0..125, lat 28..62) is cut out, so the page draws
    this layer beneath the detailed one and sea routes around Africa and India run past land.
    """
    path = _data_file("basemap", "world_110m.geojson")
    if not path.is_file():
        raise NotAvailableError("the world basemap file is missing from this installation")
    return FileResponse(str(path), media_type="application/geo+json")


@router.get("/limits", summary="The server's limits")
def limits(ctx: Ctx) -> dict[str, dict[str, Any]]:
    """Return every cap and time limit of this server, with its value and meaning.

    The same values bound the OpenAPI document's request fields.
    """
    return ctx.limits.to_dict()


@router.get("/sources", response_model=list[Source], summary="Data sources and licences")
def sources() -> list[dict[str, str]]:
    """Return the data sources steppe uses, with their licences and links."""
    return list(SOURCES)


@router.get("/sources.md", response_class=PlainTextResponse, summary="SOURCES.md")
def sources_md() -> str:
    """Return the full list of sources shipped with the package (``data/SOURCES.md``)."""
    path = _data_file("SOURCES.md")
    if not path.is_file():
        return "\n".join(f"- {s['name']}: {s['what']} ({s['licence']}) {s['url']}" for s in SOURCES)
    return str(path.read_text(encoding="utf-8"))
