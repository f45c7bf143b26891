// The Leaflet map: Natural Earth basemap (no tile server), the network, routes, scenarios.
/* global L */
import { getJSON, el, fmt } from "./api.js";

export const MODE_COLOURS = { road: "#d95f02", rail: "#1b9e77", ferry: "#7570b3", sea: "#1f78b4" };
const BORDER_COLOUR = "#c0392b";
const TRANSFER_COLOUR = "#f1c40f";

let map = null;
let routeLayer = null;
let scenarioLayer = null;

export async function initMap() {
  map = L.map("map", { zoomSnap: 0.25, worldCopyJump: false, preferCanvas: false, attributionControl: true });
  map.attributionControl.setPrefix('<a href="https://leafletjs.com">Leaflet</a>');
  map.on("click", (e) => { for (const h of clickHandlers) h(e.latlng.lat, e.latlng.lng); });
  map.fitBounds([[33, 2], [60, 122]]);
  map.createPane("network").style.zIndex = 410;
  map.createPane("scenario").style.zIndex = 420;
  map.createPane("routes").style.zIndex = 430;
  map.createPane("stops").style.zIndex = 640;
  routeLayer = L.layerGroup().addTo(map);
  scenarioLayer = L.layerGroup().addTo(map);
  addLegend();
  const [world, basemap, network] = await Promise.all([
    getJSON("/api/basemap/world"), getJSON("/api/basemap"), getJSON("/api/network"),
  ]);
  drawBasemap([world, basemap]);
  L.geoJSON(network, {
    pane: "network",
    attribution: 'network: <a href="https://www.openstreetmap.org/copyright">© OpenStreetMap contributors</a> (ODbL), <a href="https://www.geonames.org/">GeoNames</a> (CC BY), <a href="https://www.carecprogram.org/?page_id=1511">CAREC CPMM</a>',
    filter: (f) => f.properties.feature_type === "link" || f.properties.feature_type === "node",
    style: (f) => ({
      color: MODE_COLOURS[f.properties.mode] || "#888", weight: 1.2, opacity: 0.35,
      dashArray: f.properties.status && f.properties.status !== "open" ? "3 4" : null,
    }),
    pointToLayer: (f, latlng) => L.circleMarker(latlng, {
      pane: "network", radius: f.properties.kind === "city" ? 2.5 : 1.8, weight: 0.5,
      color: "#555", fillColor: "#fff", fillOpacity: 0.9,
    }).bindTooltip(`${f.properties.name} (${f.properties.country})`),
  }).addTo(map);
  return map;
}

// The box the detailed 1:50m basemap covers; the 1:110m world layer has it cut out.
const CLIP = { w: 0, e: 125, s: 28, n: 62 };
const LAND = { color: "#f6f3ea", fillColor: "#f6f3ea", fillOpacity: 1, weight: 0.8 };
const COAST = { color: "#a9a394", weight: 0.8, interactive: false };

// A segment along the clip box is a cut, not a coast or a border: leave it out.
function onClipEdge([x0, y0], [x1, y1]) {
  return (x0 === x1 && (x0 === CLIP.w || x0 === CLIP.e)) || (y0 === y1 && (y0 === CLIP.s || y0 === CLIP.n));
}

function outlines(geojson) {
  const runs = [];
  for (const f of geojson.features) {
    const g = f.geometry;
    const polys = g.type === "MultiPolygon" ? g.coordinates : [g.coordinates];
    for (const ring of polys.flat()) {
      let run = [];
      for (let i = 1; i < ring.length; i++) {
        if (onClipEdge(ring[i - 1], ring[i])) {
          if (run.length > 1) runs.push(run);
          run = [];
          continue;
        }
        if (!run.length) run.push([ring[i - 1][1], ring[i - 1][0]]);
        run.push([ring[i][1], ring[i][0]]);
      }
      if (run.length > 1) runs.push(run);
    }
  }
  return runs;
}

// Land fills first (the world beneath the detailed layer), then every outline on top, so
// the seam between the two layers along the clip box does not show.
function drawBasemap(layers) {
  for (const gj of layers) {
    L.geoJSON(gj, {
      attribution: '<a href="https://www.naturalearthdata.com/">Natural Earth</a>',
      style: LAND,
      onEachFeature: (f, layer) => layer.bindTooltip(f.properties.name || "", { sticky: true, opacity: 0.8 }),
    }).addTo(map);
  }
  for (const gj of layers) L.polyline(outlines(gj), COAST).addTo(map);
}

function addLegend() {
  const legend = L.control({ position: "bottomleft" });
  legend.onAdd = () => {
    const box = el("div", { class: "legend", role: "note", "aria-label": "Map legend" });
    for (const [mode, colour] of Object.entries(MODE_COLOURS)) {
      const i = el("i"); i.style.background = colour;
      box.append(i, mode, el("br"));
    }
    const b = el("i", { class: "pt" }); b.style.background = BORDER_COLOUR;
    const t = el("i", { class: "pt" }); t.style.background = TRANSFER_COLOUR;
    box.append(b, "border crossing", el("br"), t, "transfer / gauge change");
    return box;
  };
  legend.addTo(map);
}

// Draw the routes of an answer: the selected one bold, the others faint.
export function drawRoutes(geojson, selected = 0) {
  routeLayer.clearLayers();
  if (!geojson) return;
  const feats = geojson.features || [];
  const order = [...feats].sort((a, b) => (a.properties.route === selected) - (b.properties.route === selected));
  const bounds = [];
  for (const f of order) {
    const p = f.properties;
    const isSel = p.route === selected;
    if (f.geometry.type === "LineString") {
      const latlngs = f.geometry.coordinates.map(([lon, lat]) => [lat, lon]);
      if (isSel) bounds.push(...latlngs);
      if (isSel) L.polyline(latlngs, { pane: "routes", color: "#fff", weight: 8, opacity: 0.9 }).addTo(routeLayer);
      L.polyline(latlngs, {
        pane: "routes", color: MODE_COLOURS[p.mode] || "#333", weight: isSel ? 5 : 3,
        opacity: isSel ? 1 : 0.35, dashArray: isSel ? null : "6 6",
      }).bindTooltip(`${p.from} → ${p.to}: ${p.mode}, ${fmt(p.distance_km)} km, ${fmt(p.time_h, 1)} h`)
        .addTo(routeLayer);
    } else if (f.geometry.type === "Point" && isSel) {
      const [lon, lat] = f.geometry.coordinates;
      const border = p.kind === "border";
      L.circleMarker([lat, lon], {
        pane: "stops", radius: border ? 7 : 6, weight: 2, color: "#fff",
        fillColor: border ? BORDER_COLOUR : TRANSFER_COLOUR, fillOpacity: 1,
      }).bindTooltip(`${border ? "Border crossing" : "Transfer"}: ${p.from}${p.to !== p.from ? " → " + p.to : ""} — ${fmt(p.time_h, 1)} h, ${fmt(p.cost_usd)} USD`)
        .addTo(routeLayer);
    }
  }
  if (bounds.length) map.fitBounds(bounds, { padding: [30, 30], maxZoom: 7 });
}

// Draw what a scenario changes (dashed magenta), or clear it with null.
export function drawScenario(geojson) {
  scenarioLayer.clearLayers();
  if (!geojson || !geojson.features || !geojson.features.length) return;
  const layer = L.geoJSON(geojson, {
    pane: "scenario",
    style: () => ({ color: "#c2185b", weight: 6, opacity: 0.85, dashArray: "8 6" }),
    pointToLayer: (f, latlng) => L.circleMarker(latlng, {
      pane: "scenario", radius: 8, color: "#c2185b", weight: 3, fillColor: "#fff", fillOpacity: 1,
    }),
    onEachFeature: (f, l) => {
      const p = f.properties;
      l.bindTooltip(`${p.feature_type} ${p.name || p.id || p.node}`);
    },
  }).addTo(scenarioLayer);
  map.fitBounds(layer.getBounds(), { padding: [60, 60], maxZoom: 6 });
}

// The page position of a point on the map (used by the browser tests).
export function pagePoint(lat, lon) {
  const p = map.latLngToContainerPoint([lat, lon]);
  const box = map.getContainer().getBoundingClientRect();
  return [box.left + p.x, box.top + p.y];
}

// Call handler(lat, lon) when the map is clicked (the planner sets an origin or destination).
const clickHandlers = [];
export function onMapClick(handler) { clickHandlers.push(handler); }

export function invalidate() { if (map) map.invalidateSize(); }
