// Route planner: form, autocomplete, routes list, legs table, Pareto and reliability charts.
/* global Chart */
import { $, el, getJSON, postJSON, showStatus, fmt, busy } from "./api.js";
import { drawRoutes, drawScenario, MODE_COLOURS, onMapClick } from "./map.js";
import { drawPareto } from "./pareto.js";
import { scenarioShapes } from "./scenarios.js";
import { scenarioFields } from "./uploads.js";

const state = { answer: null, kind: "shortest", request: null, selected: 0 };
let paretoView = null;
let relChart = null;
let relSeq = 0;  // answers to an older selection are dropped

export async function initPlanner() {
  for (const id of ["origin", "destination", "via"]) autocomplete($("#" + id), $(`#${id}-list`));
  $("#cargo").addEventListener("change", () => { $("#tonnes").disabled = $("#cargo").value !== "tonnes"; });
  $("#route-form").addEventListener("submit", (e) => { e.preventDefault(); plan("shortest"); });
  $("#pareto-btn").addEventListener("click", () => plan("pareto"));
  $("#within-form").addEventListener("submit", (e) => { e.preventDefault(); reliability(state.selected); });
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
  return { ...req, ...scenarioFields($("#route-scenario").value, true) };
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
  const value = $("#route-scenario").value;
  try {
    drawScenario((await scenarioShapes(value)).geojson);
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
  $("#within-days").value = "";
  select(0);
  $("#pareto-fig").hidden = state.kind !== "pareto";
  paretoView = state.kind === "pareto"
    ? drawPareto($("#pareto-box"), $("#pareto-groups"), state.answer.routes, (i) => select(i)) : null;
  if (paretoView) paretoView.highlight(state.selected);
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
  if (paretoView) paretoView.highlight(i);
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

// The arrival-time distribution of route i and, with "arrive within N days", its on-time
// probability (the same 1,000 draws: the seed is fixed).
async function reliability(i) {
  const fig = $("#rel-fig");
  const seq = ++relSeq;
  const body = { ...state.request, route_index: i, pareto: state.kind === "pareto", draws: 1000 };
  if (state.kind === "pareto") { delete body.optimize; delete body.alternatives; }
  const within = Number($("#within-days").value);
  if (within > 0) body.within_days = within;
  let rel = null;
  try { rel = await postJSON("/api/reliability", body); } catch (e) {
    if (seq !== relSeq) return;
    if (within > 0) { showStatus($("#within-out"), e); return; }
    fig.hidden = true;
    return;
  }
  if (state.selected !== i || seq !== relSeq) return;
  renderWithin(rel);
  const points = reliabilityCurve(rel);
  if (!points.length) { fig.hidden = true; return; }
  fig.hidden = false;
  const q = { p50: rel.median_days, p90: rel.p90_days };
  $("#rel-summary").textContent = q.p50 !== undefined
    ? `— median ${fmt(q.p50, 1)} days, 90 % within ${fmt(q.p90, 1)} days` : "";
  if (relChart) relChart.destroy();
  const datasets = [{ label: "P(arrived by day)", data: points, borderColor: "#0b5cad",
    backgroundColor: "rgba(11,92,173,0.15)", fill: true, stepped: true, pointRadius: 0 }];
  if (rel.within_days) {
    datasets.push({ label: `within ${rel.within_days} days`, data: [{ x: rel.within_days, y: 0 }, { x: rel.within_days, y: 1 }],
      borderColor: "#c2185b", borderDash: [5, 4], pointRadius: 0, fill: false });
  }
  relChart = new Chart($("#rel-chart"), {
    type: "line",
    data: { datasets },
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

// "Arrive within N days": the share of draws that arrive in time, in words.
function renderWithin(rel) {
  const out = $("#within-out");
  out.classList.remove("error");
  if (!rel.within_days) {
    if (!$("#within-days").value) $("#within-days").value = String(Math.ceil(rel.p90_days));
    out.textContent = `90 % of ${fmt(rel.draws)} draws arrive within ${fmt(rel.p90_days, 1)} days; change the days and press Check.`;
    return;
  }
  const p = rel.prob_within;
  out.textContent = `${fmt(100 * p, 0)} % chance of arriving within ${fmt(rel.within_days, 0)} days`
    + ` (median ${fmt(rel.median_days, 1)} days; ${fmt(rel.draws)} draws).`;
  out.dataset.probability = String(p);
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
