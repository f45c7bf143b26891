// steppe corridor planner: tabs, footer sources, and the start of each panel.
import { $, el, getJSON } from "./js/api.js";
import { initMap, invalidate } from "./js/map.js";
import { initPlanner } from "./js/planner.js";
import { initScenarios } from "./js/scenarios.js";
import { initTrade, show as showTrade } from "./js/trade.js";

let tradeShown = false;  // Kazakhstan–Mongolia is shown the first time the tab opens

function initTabs() {
  const tabs = [...document.querySelectorAll('[role="tab"]')];
  const activate = (tab, focus) => {
    for (const t of tabs) {
      const on = t === tab;
      t.setAttribute("aria-selected", String(on));
      t.tabIndex = on ? 0 : -1;
      $("#" + t.getAttribute("aria-controls")).hidden = !on;
    }
    if (focus) tab.focus();
    invalidate();
    if (tab.id === "tab-trade" && !tradeShown) { tradeShown = true; showTrade(); }
  };
  tabs.forEach((tab, i) => {
    tab.addEventListener("click", () => activate(tab, false));
    tab.addEventListener("keydown", (e) => {
      const step = { ArrowRight: 1, ArrowLeft: -1 }[e.key];
      if (step) { e.preventDefault(); activate(tabs[(i + step + tabs.length) % tabs.length], true); }
      if (e.key === "Home") { e.preventDefault(); activate(tabs[0], true); }
      if (e.key === "End") { e.preventDefault(); activate(tabs[tabs.length - 1], true); }
    });
  });
}

async function initFooter() {
  const sources = await getJSON("/api/sources");
  const list = $("#source-list");
  list.replaceChildren();
  sources.forEach((s, i) => {
    if (i) list.append(" · ");
    list.append(el("a", { href: s.url, title: `${s.what} (${s.licence})` }, s.name));
  });
}

async function main() {
  initTabs();
  const info = await getJSON("/api/network/info");
  $("#network-label").textContent = `network: ${info.name} (${info.nodes} places, ${info.links} links)`;
  const countries = await getJSON("/api/countries");
  await Promise.all([initMap(), initPlanner(), initScenarios(), initTrade(countries), initFooter()]);
  document.body.dataset.ready = "true";
}

main().catch((err) => {
  document.body.dataset.ready = "error";
  console.error(err);
});
