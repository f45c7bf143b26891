// Trade: turnover series, growth, composition and mirror gaps for a pair; scenario impact.
/* global Chart */
import { $, el, getJSON, showStatus, fmt, busy, sourceLine } from "./api.js";
import { runJob } from "./jobs.js";
import { scenarioFields } from "./uploads.js";

let seriesChart = null;
const M = 1e6;

export async function initTrade(countries) {
  $("#country-list").replaceChildren(...countries.map((c) => el("option", { value: c.name, label: c.iso3 })));
  $("#trade-form").addEventListener("submit", (e) => { e.preventDefault(); show(); });
  $("#impact-form").addEventListener("submit", (e) => { e.preventDefault(); impact(); });
}

export async function show() {
  const status = $("#trade-status");
  const reporter = $("#reporter").value.trim();
  const partner = $("#partner").value.trim();
  const start = $("#start").value;
  const end = $("#end").value;
  showStatus(status, "Loading trade statistics…");
  await busy($("#trade-show"), async () => {
    try {
      const series = await getJSON("/api/trade/series", { reporter, partner, start, end });
      renderSeries(series);
      $("#trade-results").hidden = false;
      showStatus(status, "");
      const last = series.rows.length ? series.rows[series.rows.length - 1].period : end;
      const missing = [];
      await Promise.all([
        getJSON("/api/trade/composition", { reporter, partner, period: last })
          .then(renderComposition, (err) => missing.push(["#comp-fig", "composition by goods", err])),
        getJSON("/api/trade/mirror", { a: reporter, b: partner, period: last })
          .then(renderMirror, (err) => missing.push(["#mirror-fig", "mirror statistics", err])),
      ]);
      showMissing(missing, last);
    } catch (err) {
      clearSeries();  // no chart of the previous question under the error
      showStatus(status, err);
    }
  });
}

function clearSeries() {
  if (seriesChart) { seriesChart.destroy(); seriesChart = null; }
  $("#trade-results").hidden = true;
  $("#trade-missing").hidden = true;
  for (const sel of ["#series-table", "#comp-table", "#mirror-table"]) $(sel + " tbody").replaceChildren();
}

// What the data cannot show for the period: one quiet note (with the reasons folded away)
// instead of a refusal in each figure.
function showMissing(missing, period) {
  const note = $("#trade-missing");
  note.replaceChildren();
  note.hidden = !missing.length;
  for (const [sel] of missing) $(sel).hidden = true;
  if (!missing.length) return;
  const why = el("details", {}, el("summary", {}, "Why"),
    el("ul", {}, ...missing.map(([, what, err]) => el("li", {}, `${what}: ${err.message}`))));
  note.append(`Not shown for ${period}: ${missing.map(([, what]) => what).join(" and ")} — `
    + "the trade data loaded do not hold them for this pair. ", why);
}

function renderSeries(s) {
  $("#series-title").textContent = `${s.reporter}–${s.partner} trade by ${s.frequency === "monthly" ? "month" : "year"}, as reported by ${s.reporter}`;
  $("#series-unit").textContent = `${s.currency} million`;
  const rows = s.rows;
  $("#series-table tbody").replaceChildren(...rows.map((r) => el("tr", {},
    el("td", {}, r.period), el("td", { class: "num" }, fmt(r.exports / M, 1)),
    el("td", { class: "num" }, fmt(r.imports / M, 1)), el("td", { class: "num" }, fmt(r.turnover / M, 1)),
    el("td", { class: "num" }, fmt(r.growth_pct, 1)))));
  if (seriesChart) seriesChart.destroy();
  seriesChart = new Chart($("#series-chart"), {
    data: {
      labels: rows.map((r) => r.period),
      datasets: [
        { type: "bar", label: `exports of ${s.reporter}`, data: rows.map((r) => r.exports / M), backgroundColor: "#1b9e77", stack: "t" },
        { type: "bar", label: `imports of ${s.reporter}`, data: rows.map((r) => r.imports / M), backgroundColor: "#d95f02", stack: "t" },
        { type: "line", label: "turnover", data: rows.map((r) => r.turnover / M), borderColor: "#13293d", pointRadius: 3 },
      ],
    },
    options: {
      responsive: true, maintainAspectRatio: false, animation: false,
      scales: { y: { stacked: true, title: { display: true, text: `${s.currency} million` } }, x: { stacked: true } },
    },
  });
  sourceLine(document.querySelector('[data-sources="series"]'), s.sources);
}

function renderComposition(c) {
  $("#comp-period").textContent = c.period;
  $("#comp-unit").textContent = `${c.currency} million, % of flow`;
  $("#comp-table tbody").replaceChildren(...c.rows.map((r) => el("tr", {},
    el("td", {}, r.flow), el("td", { title: r.label || "" }, `${r.code} ${truncate(r.label || "", 42)}`),
    el("td", { class: "num" }, fmt(r.value / M, 2)), el("td", { class: "num" }, fmt(r.share_pct, 1)))));
  $("#comp-fig").hidden = false;
  sourceLine(document.querySelector('[data-sources="composition"]'), c.sources);
}

function renderMirror(m) {
  $("#mirror-period").textContent = m.period;
  $("#mirror-unit").textContent = `${m.currency} million`;
  $("#mirror-table tbody").replaceChildren(...m.directions.map((r) => el("tr", {},
    el("td", {}, `${r.exporter} → ${r.importer}`),
    el("td", { class: "num" }, fmt(r.exports_reported / M, 1)),
    el("td", { class: "num" }, fmt(r.imports_reported / M, 1)),
    el("td", { class: "num" }, fmt(r.gap / M, 1)), el("td", { class: "num" }, fmt(r.gap_pct, 1)))));
  $("#mirror-fig").hidden = false;
  sourceLine(document.querySelector('[data-sources="mirror"]'), m.sources || ["cepii", "kz_bns"]);
}

function truncate(s, n) { return s.length > n ? s.slice(0, n - 1) + "…" : s; }

async function impact() {
  const status = $("#impact-status");
  showStatus(status, "Estimating the impact (general equilibrium, Monte Carlo)…");
  await busy($("#impact-run"), async () => {
    try {
      const out = await runJob({
        kind: "impact", ...scenarioFields($("#impact-scenario").value),
        draws: Number($("#impact-draws").value) || 0,
      }, $("#impact-progress"));
      const rows = out.focus || [];
      $("#impact-table tbody").replaceChildren(...rows.map((r) => el("tr", {},
        el("td", {}, r.flow), el("td", { class: "num" }, fmt(r.change_pct, 2)),
        el("td", { class: "num" }, fmt(r.p05, 2)), el("td", { class: "num" }, fmt(r.p95, 2)))));
      $("#impact-fig").hidden = false;
      showStatus(status, "");
    } catch (err) { showStatus(status, err); }
  });
}
