// Calls to the steppe JSON API and the small DOM helpers every panel uses.

export class ApiError extends Error {
  constructor(status, body) {
    const err = (body && body.error) || {};
    super(err.message || `request failed (HTTP ${status})`);
    this.status = status;
    this.type = err.type || "HTTPError";
    this.suggestions = err.suggestions || [];
    this.candidates = err.candidates || [];
    this.problems = err.problems || [];
  }
}

export async function getJSON(url, params) {
  const q = params ? "?" + new URLSearchParams(params).toString() : "";
  const res = await fetch(url + q, { headers: { Accept: "application/json" } });
  return unpack(res);
}

export async function postJSON(url, body) {
  const res = await fetch(url, {
    method: "POST",
    headers: { "Content-Type": "application/json", Accept: "application/json" },
    body: JSON.stringify(body),
  });
  return unpack(res);
}

async function unpack(res) {
  let body = null;
  try { body = await res.json(); } catch (e) { body = null; }
  if (!res.ok) throw new ApiError(res.status, body);
  return body;
}

export const $ = (sel, root = document) => root.querySelector(sel);

export function el(tag, attrs = {}, ...children) {
  const node = document.createElement(tag);
  for (const [k, v] of Object.entries(attrs)) {
    if (k === "class") node.className = v;
    else if (k === "text") node.textContent = v;
    else if (k.startsWith("on")) node.addEventListener(k.slice(2), v);
    else if (v !== null && v !== undefined && v !== false) node.setAttribute(k, v === true ? "" : v);
  }
  for (const c of children) node.append(c instanceof Node ? c : document.createTextNode(String(c)));
  return node;
}

// Show a message (or an ApiError with its suggestions) in a status line.
export function showStatus(box, what, onPick) {
  box.replaceChildren();
  box.classList.remove("error");
  if (!what) return;
  if (typeof what === "string") { box.textContent = what; return; }
  box.classList.add("error");
  box.append(what.message || String(what));
  const picks = what.suggestions && what.suggestions.length ? what.suggestions : what.candidates || [];
  if (onPick && picks.length) {
    const span = el("span", { class: "suggest" }, " Try: ");
    for (const s of picks.slice(0, 5)) span.append(el("button", { type: "button", onclick: () => onPick(s) }, s));
    box.append(span);
  }
}

export function fmt(x, digits = 0) {
  if (x === null || x === undefined || Number.isNaN(x)) return "–";
  return Number(x).toLocaleString("en-GB", { minimumFractionDigits: digits, maximumFractionDigits: digits });
}

export async function busy(button, work) {
  button.disabled = true;
  button.setAttribute("aria-busy", "true");
  try { return await work(); } finally { button.disabled = false; button.removeAttribute("aria-busy"); }
}

// Source datasets named by the trade API -> the attribution to link to.
const DATASET_SOURCES = [
  ["kz_bns", "Bureau of National Statistics of Kazakhstan", "https://stat.gov.kz/"],
  ["eurostat", "Eurostat Comext", "https://ec.europa.eu/eurostat/comext/"],
  ["cepii", "CEPII", "https://www.cepii.fr/"],
  ["baci", "CEPII BACI", "https://www.cepii.fr/"],
  ["comtrade", "UN Comtrade", "https://comtradeplus.un.org/"],
];

export function sourceLine(node, datasets) {
  node.replaceChildren("Source: ");
  const seen = new Set();
  for (const d of datasets || []) {
    const hit = DATASET_SOURCES.find(([p]) => d.startsWith(p));
    const [, name, url] = hit || [null, d, "/api/sources.md"];
    if (seen.has(name)) continue;
    if (seen.size) node.append(", ");
    seen.add(name);
    node.append(el("a", { href: url }, name));
  }
  if (!seen.size) node.append(el("a", { href: "/api/sources.md" }, "see all sources"));
  node.append(" (dataset: " + (datasets || []).join(", ") + ").");
}
