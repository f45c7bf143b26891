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
  map.createPane("labels").style.zIndex = 450;
  map.getPane("labels").style.pointerEvents = "none";
  map.getPane("labels").setAttribute("aria-hidden", "true");  // the places have tooltips
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
  initLabels(network);
  return map;
}

// Place names: the network's places, most important first (cities, then ports and terminals,
// then crossings; among equals the best connected), each drawn only where it does not
// overlap a name already placed, so more names appear as one zooms in.
const KIND_RANK = { city: 0, sea_port: 1, dry_port: 2, rail_terminal: 2, gauge_change: 3, border_crossing: 4 };
const KIND_MIN_ZOOM = { city: 2, sea_port: 4, dry_port: 5, rail_terminal: 5, gauge_change: 6, border_crossing: 6 };
const LABEL_FONT_PX = 11;
let labelLayer = null;
let places = [];

function initLabels(network) {
  const degree = {};
  for (const f of network.features) {
    const p = f.properties;
    if (p.feature_type === "link") for (const end of [p.a, p.b]) degree[end] = (degree[end] || 0) + 1;
  }
  places = network.features
    .filter((f) => f.properties.feature_type === "node" && f.properties.kind in KIND_RANK)
    .map((f) => ({ name: f.properties.name, kind: f.properties.kind, id: f.properties.id,
      lat: f.geometry.coordinates[1], lon: f.geometry.coordinates[0], degree: degree[f.properties.id] || 0 }))
    .sort((a, b) => KIND_RANK[a.kind] - KIND_RANK[b.kind] || b.degree - a.degree || a.name.localeCompare(b.name));
  labelLayer = L.layerGroup().addTo(map);
  map.on("zoomend moveend", drawLabels);
  drawLabels();
}

// The drawn width of a place's name, in the labels' font (cities are bold).
let measure = null;
function textWidth(p) {
  if (!measure) measure = document.createElement("canvas").getContext("2d");
  const family = getComputedStyle(map.getContainer()).fontFamily;
  measure.font = `${p.kind === "city" ? 600 : 400} ${p.kind === "border_crossing" || p.kind === "gauge_change" ? "italic" : ""} ${LABEL_FONT_PX}px ${family}`.replace(/ +/g, " ");
  return measure.measureText(p.name).width;
}

function drawLabels() {
  labelLayer.clearLayers();
  const zoom = map.getZoom();
  const size = map.getSize();
  const placed = [];
  for (const p of places) {
    if (zoom < KIND_MIN_ZOOM[p.kind]) continue;
    const pt = map.latLngToContainerPoint([p.lat, p.lon]);
    if (pt.x < 0 || pt.y < 0 || pt.x > size.x || pt.y > size.y) continue;
    const w = textWidth(p) + 4;
    const box = { x0: pt.x + 4, y0: pt.y - LABEL_FONT_PX, x1: pt.x + 4 + w, y1: pt.y + 3 };
    if (placed.some((q) => box.x0 < q.x1 && q.x0 < box.x1 && box.y0 < q.y1 && q.y0 < box.y1)) continue;
    placed.push(box);
    L.marker([p.lat, p.lon], {
      pane: "labels", interactive: false, keyboard: false,
      icon: L.divIcon({ className: `place-label ${p.kind}`, html: "", iconSize: null, iconAnchor: [-4, LABEL_FONT_PX] }),
    }).addTo(labelLayer).getElement().textContent = p.name;
  }
  const el = map.getContainer();
  el.dataset.labels = String(placed.length);
}

// The place names drawn now (used by the browser tests).
export function placeLabels() {
  return [...map.getPane("labels").querySelectorAll(".place-label")].map((n) => n.textContent);
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

// Centre the map on a point at a zoom level (used by the browser tests).
export function setView(lat, lon, zoom) { map.setView([lat, lon], zoom, { animate: false }); }

export function invalidate() { if (map) map.invalidateSize(); }
