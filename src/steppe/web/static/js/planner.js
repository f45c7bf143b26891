// Route planner: form, autocomplete, routes list, legs table, Pareto and reliability charts.
/* global Chart */
import { $, el, getJSON, postJSON, showStatus, fmt, busy } from "./api.js";
import { drawRoutes, drawScenario, MODE_COLOURS, onMapClick } from "./map.js";

const state = { answer: null, kind: "shortest", request: null, selected: 0 };
let paretoChart = null;
let relChart = null;

export async function initPlanner() {
  for (const id of ["origin", "destination", "via"]) autocomplete($("#" + id), $(`#${id}-list`));
  $("#cargo").addEventListener("change", () => { $("#tonnes").disabled = $("#cargo").value !== "tonnes"; });
  $("#route-form").addEventListener("submit", (e) => { e.preventDefault(); plan("shortest"); });
  $("#pareto-btn").addEventListener("click", () => plan("pareto"));
  let nextEnd = "origin"; // map clicks set the origin, then the destination, in turn (door to door)
  onMapClick((lat, lon) => {
    $("#" + nextEnd).value = `${lat.toFixed(4)},${lon.toFixed(4)}`;
    nextEnd = nextEnd === "origin" ? "destination" : "origin";
  });
  const countries = await getJSON("/api/countries");
  const box = $("#avoid-list");
  for (const c of countries) {
    box.append(el("label", { title: c.name },
      el("input", { type: "checkbox", name: "avoid", value: c.iso3 }), `${c.name}`));
  }
  const scenarios = await getJSON("/api/scenarios");
  $("#route-scenario").append(...scenarios.map((s) => el("option", { value: s.name }, s.title || s.name)));
}

function autocomplete(input, list) {
  let timer = null;
  input.addEventListener("input", () => {
    clearTimeout(timer);
    timer = setTimeout(async () => {
      const text = input.value.split(";").pop().trim();
      if (text.length < 2) return;
      let places = [];
      try { places = await getJSON("/api/places", { q: text, limit: 10 }); } catch (e) { return; }
      const names = places.map((p) => p.name);
      const prefix = input.id === "via" ? input.value.split(";").slice(0, -1).map((s) => s.trim() + "; ").join("") : "";
      list.replaceChildren(...places.map((p) => {
        const twice = names.filter((n) => n === p.name).length > 1;
        const value = prefix + (twice ? `${p.name}, ${p.country}` : p.name);
        return el("option", { value, label: `${p.name} — ${p.country}, ${p.kind.replace("_", " ")}` });
      }));
    }, 120);
  });
}

function request() {
  const cargoKind = $("#cargo").value;
  const req = {
    origin: $("#origin").value.trim(),
    destination: $("#destination").value.trim(),
    via: $("#via").value.split(";").map((s) => s.trim()).filter(Boolean),
    avoid: [...document.querySelectorAll('input[name="avoid"]:checked')].map((x) => x.value),
    modes: [...document.querySelectorAll('input[name="mode"]:checked')].map((x) => x.value),
    cargo: cargoKind === "tonnes" ? `tonnes:${$("#tonnes").value}` : cargoKind,
  };
  if ($("#price-date").value) req.price_date = $("#price-date").value;
  if ($("#service").value) req.service = $("#service").value;
  if ($("#depart").value) req.depart = $("#depart").value;
  if ($("#route-scenario").value) req.scenario = [$("#route-scenario").value];
  return req;
}

async function plan(kind) {
  const status = $("#route-status");
  const req = request();
  if (!req.origin || !req.destination) { showStatus(status, { message: "Give an origin and a destination." }); return; }
  const button = kind === "pareto" ? $("#pareto-btn") : $("#plan");
  const body = kind === "pareto" ? req
    : { ...req, optimize: $("#optimize").value, alternatives: Number($("#alternatives").value) || 1 };
  showStatus(status, kind === "pareto" ? "Searching the trade-offs…" : "Planning…");
  await busy(button, async () => {
    try {
      const answer = await postJSON(kind === "pareto" ? "/api/pareto" : "/api/route", body);
      Object.assign(state, { answer, kind, request: body, selected: 0 });
      await showScenario(answer.scenario);
      const n = answer.routes.length;
      const when = answer.depart ? `, leaving ${answer.depart.replace("T", " ")}` : "";
      const notes = (answer.notes || []).join(" ");
      const prices = answer.price_date ? ` Prices of ${answer.price_date}, ${answer.service} service.` : "";
      showStatus(status, `${n} route${n === 1 ? "" : "s"} ${kind === "pareto" ? "on the time–cost–CO2 frontier" : "found"}${when}.${notes ? " " + notes : ""}${prices}`);
      render();
      $("#routes-heading").focus();  // keyboard and screen-reader users land on the answer
    } catch (err) {
      showStatus(status, err, (s) => fixPlace(err, s));
    }
  });
}

// Say in words what the scenario of the answer changes, and draw it on the map.
async function showScenario(scenario) {
  const note = $("#route-scenario-note");
  note.hidden = !scenario;
  if (!scenario) { drawScenario(null); return; }
  $("#route-scenario-title").textContent = scenario.title;
  $("#route-scenario-changes").replaceChildren(...scenario.changes.map((c) => el("li", {}, c)));
  const names = state.request.scenario || [];
  try {
    const shapes = await Promise.all(names.map((n) => getJSON(`/api/scenarios/${encodeURIComponent(n)}`)));
    drawScenario({ type: "FeatureCollection", features: shapes.flatMap((x) => x.geojson.features) });
  } catch (e) { drawScenario(null); }
}

function fixPlace(err, suggestion) {
  const name = suggestion.replace(/ \((\w{3})\)$/, ", $1").replace(/ \((\w{3}),.*$/, ", $1");
  for (const id of ["origin", "destination"]) {
    if ($("#" + id).value.trim() === err.message.match(/'([^']+)'/)?.[1]) $("#" + id).value = name;
  }
  $("#plan").focus();
}

function render() {
  $("#route-results").hidden = false;
  renderList();
  select(0);
  $("#pareto-fig").hidden = state.kind !== "pareto";
  if (state.kind === "pareto") renderPareto();
}

function renderList() {
  const list = $("#route-list");
  list.replaceChildren(...state.answer.routes.map((r, i) => el("li", {},
    el("button", { type: "button", "aria-pressed": "false", "data-index": i, onclick: () => select(i) },
      el("span", { class: "idx" }, String(i + 1)),
      el("span", { class: "corr" }, r.corridor || r.places.join(" – ")),
      el("span", { class: "tot" },
        el("b", {}, fmt(r.time_h / 24, 1)), " days · ", el("b", {}, fmt(r.cost_usd)), " USD · ",
        el("b", {}, fmt(r.co2_kg)), " kg CO2e WTW",
        r.co2e_ttw_kg == null ? "" : ` (TTW ${fmt(r.co2e_ttw_kg)})`, " · ", fmt(r.distance_km), " km · ",
        `${r.border_crossings.length} border${r.border_crossings.length === 1 ? "" : "s"}`)))));
}

function select(i) {
  state.selected = i;
  for (const b of document.querySelectorAll("#route-list button")) {
    b.setAttribute("aria-pressed", String(Number(b.dataset.index) === i));
  }
  const r = state.answer.routes[i];
  drawRoutes(state.answer.geojson, i);
  renderLegs(r);
  if (paretoChart) paretoChart.update();
  reliability(i);
}

function renderLegs(r) {
  const tbody = $("#legs-table tbody");
  tbody.replaceChildren(...r.legs.map((leg) => {
    const dot = el("span", { class: "mode-dot", "aria-hidden": "true" });
    dot.style.background = MODE_COLOURS[leg.mode] || "#999";
    return el("tr", { class: leg.kind && leg.kind !== "link" ? "stop" : "" },
      el("td", {}, leg.from), el("td", {}, leg.to), el("td", {}, dot, leg.mode),
      el("td", { title: leg.note || "" }, (leg.kind || "link") + (leg.note ? ` — ${leg.note}` : "")),
      el("td", { class: "num" }, fmt(leg.distance_km)), el("td", { class: "num" }, fmt(leg.time_h, 1)),
      el("td", { class: "num", title: leg.price_ref ? `${leg.price_ref}: ${leg.price_source}` : "" }, fmt(leg.cost_usd)),
      el("td", { class: "num" }, fmt(leg.co2_kg)));
  }));
  tbody.append(el("tr", {},
    el("th", { scope: "row", colspan: "4" }, "Total"),
    el("th", { class: "num" }, fmt(r.distance_km)), el("th", { class: "num" }, fmt(r.time_h, 1)),
    el("th", { class: "num" }, fmt(r.cost_usd)), el("th", { class: "num" }, fmt(r.co2_kg))));
}

function renderPareto() {
  const routes = state.answer.routes;
  const maxCo2 = Math.max(...routes.map((r) => r.co2_kg), 1);
  const data = routes.map((r, i) => ({ x: r.time_h / 24, y: r.cost_usd, r: 5 + 12 * (r.co2_kg / maxCo2), i }));
  if (paretoChart) paretoChart.destroy();
  paretoChart = new Chart($("#pareto-chart"), {
    type: "bubble",
    data: { datasets: [{
      label: "route options", data,
      backgroundColor: (ctx) => (ctx.raw && ctx.raw.i === state.selected ? "rgba(11,92,173,0.85)" : "rgba(27,158,119,0.45)"),
      borderColor: "#1d2733", borderWidth: 1,
    }] },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      plugins: {
        legend: { display: false },
        tooltip: { callbacks: { label: (ctx) => {
          const r = routes[ctx.raw.i];
          return `${ctx.raw.i + 1}. ${r.corridor}: ${fmt(ctx.raw.x, 1)} days, ${fmt(r.cost_usd)} USD, ${fmt(r.co2_kg)} kg CO2e`;
        } } },
      },
      scales: {
        x: { title: { display: true, text: "time (days)" } },
        y: { title: { display: true, text: "cost (USD)" } },
      },
      onClick: (evt, elements) => { if (elements.length) select(data[elements[0].index].i); },
    },
  });
}

async function reliability(i) {
  const fig = $("#rel-fig");
  const body = { ...state.request, route_index: i, pareto: state.kind === "pareto", draws: 1000 };
  if (state.kind === "pareto") { delete body.optimize; delete body.alternatives; }
  let rel = null;
  try { rel = await postJSON("/api/reliability", body); } catch (e) {
    fig.hidden = true;
    return;
  }
  if (state.selected !== i) return;
  const points = reliabilityCurve(rel);
  if (!points.length) { fig.hidden = true; return; }
  fig.hidden = false;
  const q = { p50: rel.median_days, p90: rel.p90_days };
  $("#rel-summary").textContent = q.p50 !== undefined
    ? `— median ${fmt(q.p50, 1)} days, 90 % within ${fmt(q.p90, 1)} days` : "";
  if (relChart) relChart.destroy();
  relChart = new Chart($("#rel-chart"), {
    type: "line",
    data: { datasets: [{ label: "P(arrived by day)", data: points, borderColor: "#0b5cad",
      backgroundColor: "rgba(11,92,173,0.15)", fill: true, stepped: true, pointRadius: 0 }] },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false, parsing: false,
      plugins: { legend: { display: false } },
      scales: {
        x: { type: "linear", title: { display: true, text: "days after departure" } },
        y: { min: 0, max: 1, title: { display: true, text: "probability of arrival" } },
      },
    },
  });
}

// The arrival curve from ReliabilityResult.to_dict()["distribution"] rows {day, cdf}.
export function reliabilityCurve(rel) {
  const rows = rel.distribution || rel.by_day || [];
  if (Array.isArray(rows) && rows.length) {
    // "day" d counts whole days from departure: cdf is the share arrived by the end of it.
    return [{ x: rows[0].day, y: 0 }, ...rows.map((r) => ({ x: r.day + 1, y: r.cdf }))];
  }
  return [];
}
