// Scenarios: pick a bundled scenario, see what it changes on the map, compare with the baseline.
/* global Chart */
import { $, el, getJSON, postJSON, showStatus, fmt, busy } from "./api.js";
import { drawScenario } from "./map.js";

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
    $("#scenario-desc").textContent = s ? (s.description || "") : "";
  };
  $("#scenario").addEventListener("change", describe);
  describe();
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

async function show() {
  const status = $("#scenario-status");
  const name = $("#scenario").value;
  showStatus(status, "Applying the scenario…");
  await busy($("#scenario-show"), async () => {
    try {
      const out = await getJSON(`/api/scenarios/${encodeURIComponent(name)}`);
      drawScenario(out.geojson);
      const tbody = $("#changes-table tbody");
      tbody.replaceChildren(...out.changes.map((c) => el("tr", {},
        el("td", {}, `${c.kind} ${c.ref}`), el("td", {}, c.field),
        el("td", {}, cell(c.old)), el("td", {}, cell(c.new)))));
      $("#changes-fig").hidden = false;
      showStatus(status, `${out.title}: ${out.changes.length} change${out.changes.length === 1 ? "" : "s"}, drawn in magenta on the map.`);
    } catch (err) { showStatus(status, err); }
  });
}

async function compare() {
  const status = $("#scenario-status");
  const name = $("#scenario").value;
  showStatus(status, "Comparing with the baseline over every city pair…");
  await busy($("#scenario-compare"), async () => {
    try {
      const out = await postJSON("/api/scenarios/compare", { scenario: name });
      renderGains(out);
      renderShares(out);
      showStatus(status, `Compared ${out.title || name} with the baseline.`);
    } catch (err) { showStatus(status, err); }
  });
}

function renderGains(out) {
  const rows = out.top_gains || out.gains || out.pairs || [];
  const fig = $("#gains-fig");
  if (!rows.length) { fig.hidden = true; return; }
  const cols = Object.keys(rows[0]).filter((k) => !["nodes", "route", "geometry"].includes(k));
  $("#gains-table thead").replaceChildren(el("tr", {}, ...cols.map((c) => el("th", { scope: "col" }, c.replaceAll("_", " ")))));
  $("#gains-table tbody").replaceChildren(...rows.slice(0, 20).map((r) => el("tr", {},
    ...cols.map((c) => el("td", { class: typeof r[c] === "number" ? "num" : "" }, cell(r[c]))))));
  $("#gains-unit").textContent = out.unit || "time in hours, cost in USD";
  fig.hidden = false;
}

function renderShares(out) {
  const rows = out.corridor_shares || out.shares || [];
  const fig = $("#shares-fig");
  if (!rows.length) { fig.hidden = true; return; }
  fig.hidden = false;
  const label = (r) => r.corridor || r.name;
  const before = (r) => r.share_before_pct ?? r.before_pct ?? r.before;
  const after = (r) => r.share_after_pct ?? r.after_pct ?? r.after;
  if (sharesChart) sharesChart.destroy();
  sharesChart = new Chart($("#shares-chart"), {
    type: "bar",
    data: {
      labels: rows.map(label),
      datasets: [
        { label: "baseline", data: rows.map(before), backgroundColor: "#9aa6b2" },
        { label: "scenario", data: rows.map(after), backgroundColor: "#c2185b" },
      ],
    },
    options: {
      indexAxis: "y", responsive: true, maintainAspectRatio: false, animation: false,
      scales: { x: { title: { display: true, text: "share of pairs (%)" } } },
    },
  });
}
