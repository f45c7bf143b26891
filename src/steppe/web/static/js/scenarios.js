// Scenarios: pick a bundled scenario, see what it changes on the map, compare with the baseline.
/* global Chart */
import { $, el, getJSON, postJSON, showStatus, fmt, busy } from "./api.js";
import { runJob } from "./jobs.js";
import { drawScenario } from "./map.js";
import { UPLOADED, scenarioFields, setUpload } from "./uploads.js";

let scenarios = [];
let sharesChart = null;

export async function initScenarios() {
  try { scenarios = await getJSON("/api/scenarios"); } catch (err) {
    showStatus($("#scenario-status"), err);
    return [];
  }
  const options = scenarios.map((s) => el("option", { value: s.name }, s.title || s.name));
  $("#scenario").replaceChildren(...options);
  $("#impact-scenario").replaceChildren(...options.map((o) => o.cloneNode(true)));
  const describe = () => {
    const s = scenarios.find((x) => x.name === $("#scenario").value);
    $("#scenario-desc").textContent = s ? (s.description || "")
      : $("#scenario").value === UPLOADED ? "The scenario file you uploaded." : "";
  };
  $("#scenario").addEventListener("change", describe);
  describe();
  $("#scenario-file").addEventListener("change", () => uploadFile(describe));
  $("#scenario-form").addEventListener("submit", (e) => { e.preventDefault(); show(); });
  $("#scenario-compare").addEventListener("click", compare);
  return scenarios;
}

function cell(v) {
  if (v === null || v === undefined) return "–";
  if (typeof v === "number") return fmt(v, Number.isInteger(v) ? 0 : 2);
  if (typeof v === "object") return JSON.stringify(v);
  return String(v);
}

// What a scenario <select> value changes: GET a bundled one, POST the uploaded text.
export function scenarioShapes(value) {
  if (value === UPLOADED) return postJSON("/api/scenarios/upload", scenarioFields(value));
  return getJSON(`/api/scenarios/${encodeURIComponent(value)}`);
}

function renderChanges(out) {
  drawScenario(out.geojson);
  $("#changes-words").replaceChildren(...(out.words || []).map((w) => el("li", {}, w)));
  const tbody = $("#changes-table tbody");
  tbody.replaceChildren(...out.changes.map((c) => el("tr", {},
    el("td", {}, `${c.kind} ${c.ref}`), el("td", {}, c.field),
    el("td", {}, cell(c.old)), el("td", {}, cell(c.new)))));
  $("#changes-fig").hidden = false;
  return `${out.title}: ${out.changes.length} change${out.changes.length === 1 ? "" : "s"}, drawn in magenta on the map.`;
}

async function show() {
  const status = $("#scenario-status");
  showStatus(status, "Applying the scenario…");
  await busy($("#scenario-show"), async () => {
    try {
      showStatus(status, renderChanges(await scenarioShapes($("#scenario").value)));
    } catch (err) { showStatus(status, err); }
  });
}

// Read a scenario file, have the server check and apply it, offer it in every scenario list.
async function uploadFile(describe) {
  const input = $("#scenario-file");
  const status = $("#scenario-status");
  const file = input.files && input.files[0];
  if (!file) return;
  showStatus(status, `Checking ${file.name}…`);
  try {
    const text = await file.text();
    const out = await postJSON("/api/scenarios/upload", { scenario_toml: text });
    setUpload(text, out.title);
    $("#scenario").value = UPLOADED;
    describe();
    showStatus(status, `Uploaded ${file.name}. ` + renderChanges(out)
      + " It is offered in the route planner and the trade impact too.");
  } catch (err) {
    $("#changes-fig").hidden = true;
    showStatus(status, problems(err, file.name));
  }
}

// A refused upload: the message and every problem the server listed.
function problems(err, name) {
  const list = err.problems && err.problems.length > 1 ? " " + err.problems.join("; ") : "";
  return { message: `${name} is not a scenario steppe can use: ${err.message}${list}` };
}

async function compare() {
  const status = $("#scenario-status");
  const name = $("#scenario").value;
  showStatus(status, "Comparing with the baseline over every city pair…");
  await busy($("#scenario-compare"), async () => {
    try {
      const out = await runJob({ kind: "compare", ...scenarioFields(name) }, $("#scenario-progress"));
      renderGains(out);
      renderShares(out);
      showStatus(status, `Compared ${(out.scenario && out.scenario.title) || "the scenario"} with the baseline over ${fmt(out.summary.pairs)} place pairs (objective: ${out.objective}).`);
      renderChanges(await scenarioShapes(name));  // what changed, in words and on the map
    } catch (err) { showStatus(status, err); }
  });
}

const UNITS = { time_h: "hours", cost_usd: "USD", co2_kg: "kg CO2e", distance_km: "km", generalized_cost: "USD (generalised)" };

function renderGains(out) {
  const rows = out.winners || [];
  const fig = $("#gains-fig");
  fig.hidden = false;
  const m = out.metric || "time_h";
  const unit = UNITS[m] || m;
  $("#gains-unit").textContent = `${unit}; ${out.summary ? fmt(out.summary.faster_or_cheaper) + " of " + fmt(out.summary.pairs) + " pairs gain" : ""}`;
  $("#gains-table thead").replaceChildren(el("tr", {},
    el("th", { scope: "col" }, "From"), el("th", { scope: "col" }, "To"),
    el("th", { scope: "col", class: "num" }, `Before (${unit})`), el("th", { scope: "col", class: "num" }, `After (${unit})`),
    el("th", { scope: "col", class: "num" }, "Change"), el("th", { scope: "col" }, "Corridor after")));
  if (!rows.length) {
    $("#gains-table tbody").replaceChildren(el("tr", {}, el("td", { colspan: "6" }, "No pair gains from this scenario.")));
    return;
  }
  $("#gains-table tbody").replaceChildren(...rows.map((r) => el("tr", {},
    el("td", {}, r.origin_name), el("td", {}, r.destination_name),
    el("td", { class: "num" }, fmt(r[`${m}_base`], 1)), el("td", { class: "num" }, fmt(r[`${m}_scen`], 1)),
    el("td", { class: "num" }, fmt(r[`${m}_delta`], 1)), el("td", {}, r.corridor_scen || ""))));
}

function renderShares(out) {
  const all = out.corridors || [];
  const fig = $("#shares-fig");
  if (!all.length) { fig.hidden = true; return; }
  fig.hidden = false;
  // the corridors that move most, then the largest ones, at most ten
  const rows = [...all].sort((a, b) => Math.abs(b.share_delta) - Math.abs(a.share_delta)
    || Math.max(b.share_base, b.share_scen) - Math.max(a.share_base, a.share_scen)).slice(0, 10);
  if (sharesChart) sharesChart.destroy();
  sharesChart = new Chart($("#shares-chart"), {
    type: "bar",
    data: {
      labels: rows.map((r) => r.corridor.replace(/^via /, "")),
      datasets: [
        { label: "baseline", data: rows.map((r) => 100 * r.share_base), backgroundColor: "#9aa6b2" },
        { label: "scenario", data: rows.map((r) => 100 * r.share_scen), backgroundColor: "#c2185b" },
      ],
    },
    options: {
      indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
      scales: {
        x: { title: { display: true, text: "share of place pairs routed through the corridor (%)" } },
        y: { ticks: { autoSkip: false, font: { size: 10 }, callback(v) { const t = this.getLabelForValue(v); return t.length > 32 ? t.slice(0, 31) + "…" : t; } } },
      },
    },
  });
}
