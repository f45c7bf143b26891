// The Pareto view: time against cost (log scale) as an SVG people can read and reach by keyboard.
//
// Near-identical options (within TOLERANCE of each other's time and cost; their corridor
// names differ by a port or a crossing) are drawn as one labelled point; each point is focusable, named for screen readers,
// and the arrow keys move between points in order of time.
import { el, fmt } from "./api.js";

export const TOLERANCE = 0.05;  // relative difference in time and in cost within which options group
const SVG = "http://www.w3.org/2000/svg";
const LETTERS = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";

function svg(tag, attrs = {}, text) {
  const node = document.createElementNS(SVG, tag);
  for (const [k, v] of Object.entries(attrs)) node.setAttribute(k, v);
  if (text !== undefined) node.textContent = text;
  return node;
}

const near = (a, b) => Math.abs(a - b) <= TOLERANCE * Math.max(Math.abs(a), Math.abs(b));

// Group route indices: options within TOLERANCE of the group's first (fastest) option on both
// time and cost are one group, whatever their corridor labels (these differ by a port or a
// crossing).  Groups come out in order of time; each gets a letter and a combined name.
export function groupRoutes(routes) {
  const order = routes.map((r, i) => i).sort((a, b) => routes[a].time_h - routes[b].time_h);
  const groups = [];
  for (const i of order) {
    const r = routes[i];
    const g = groups.find((x) => near(routes[x.members[0]].time_h, r.time_h)
      && near(routes[x.members[0]].cost_usd, r.cost_usd));
    if (g) g.members.push(i); else groups.push({ members: [i] });
  }
  groups.forEach((g, k) => {
    const rs = g.members.map((i) => routes[i]);
    const range = (f) => [Math.min(...rs.map(f)), Math.max(...rs.map(f))];
    Object.assign(g, {
      letter: k < LETTERS.length ? LETTERS[k] : `${LETTERS[k % LETTERS.length]}${Math.floor(k / LETTERS.length) + 1}`,
      corridor: mergeNames(rs.map((r) => r.corridor || r.places.join(" – "))),
      days: range((r) => r.time_h / 24), usd: range((r) => r.cost_usd), co2: range((r) => r.co2_kg),
    });
    // the group's point: its cheapest option, the one Enter shows
    g.best = g.members.reduce((a, b) => (routes[b].cost_usd < routes[a].cost_usd ? b : a));
  });
  return groups;
}

// One name for near-identical corridor names: the shared start and end, and the parts that
// differ in braces: "via Gishtkuprik – Türkmenbaşy – Alat – Poti – {Varna | Constanța}".
export function mergeNames(names) {
  const distinct = [...new Set(names)];
  if (distinct.length === 1) return distinct[0];
  const parts = distinct.map((n) => n.split(" – "));
  const shortest = Math.min(...parts.map((p) => p.length));
  let head = 0;
  while (head < shortest && parts.every((p) => p[head] === parts[0][head])) head++;
  let tail = 0;
  while (tail < shortest - head && parts.every((p) => p[p.length - 1 - tail] === parts[0][parts[0].length - 1 - tail])) tail++;
  const middles = [...new Set(parts.map((p) => p.slice(head, p.length - tail).join(" – ") || "direct"))];
  const shown = middles.length > 3 ? [...middles.slice(0, 3), `${middles.length - 3} more`] : middles;
  const out = [...parts[0].slice(0, head), `{${shown.join(" | ")}}`, ...parts[0].slice(parts[0].length - tail)];
  return out.join(" – ");
}

const span = ([lo, hi], d, unit) => (fmt(lo, d) === fmt(hi, d) ? `${fmt(lo, d)} ${unit}` : `${fmt(lo, d)}–${fmt(hi, d)} ${unit}`);

export function describeGroup(g) {
  const n = g.members.length;
  const what = n === 1 ? "1 option" : `${n} near-identical options`;
  return `${g.letter}: ${g.corridor.replace(/^via /, "via ")} — ${what}, ${span(g.days, 1, "days")}, `
    + `${span(g.usd, 0, "USD")}, ${span(g.co2, 0, "kg CO2e")}`;
}

// Ticks of a log axis: 1-2-5 steps, or every integer multiple when the range is short.
export function logTicks(lo, hi) {
  const ticks = [];
  for (const steps of [[1, 2, 5], [1, 2, 3, 4, 5, 6, 7, 8, 9]]) {
    ticks.length = 0;
    for (let e = Math.floor(Math.log10(lo)); e <= Math.ceil(Math.log10(hi)); e++) {
      for (const s of steps) { const v = s * 10 ** e; if (v >= lo && v <= hi) ticks.push(v); }
    }
    if (ticks.length >= 3) break;
  }
  return ticks;
}

function linearTicks(lo, hi, n = 6) {
  const raw = (hi - lo) / n;
  const mag = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 5, 10].map((s) => s * mag).find((s) => s >= raw);
  const out = [];
  for (let v = Math.ceil(lo / step) * step; v <= hi; v += step) out.push(v);
  return out;
}

const shortUsd = (v) => (v >= 1000 ? `${fmt(v / 1000, v % 1000 ? 1 : 0)}k` : fmt(v));

// Draw the view into `box` (an empty element) and the group list into `list`; onPick(i)
// shows route i.  Returns { highlight(i) } to mark the group of the selected route.
export function drawPareto(box, list, routes, onPick) {
  const groups = groupRoutes(routes);
  const width = Math.max(box.clientWidth || 420, 280);
  const height = 270;
  const m = { l: 58, r: 14, t: 12, b: 40 };
  const days = routes.map((r) => r.time_h / 24);
  const usd = routes.map((r) => r.cost_usd);
  const co2max = Math.max(...routes.map((r) => r.co2_kg), 1);
  const [d0, d1] = [Math.min(...days), Math.max(...days)];
  const pad = Math.max((d1 - d0) * 0.06, 0.5);
  const [x0, x1] = [Math.max(d0 - pad, 0), d1 + pad];
  const [y0, y1] = [Math.min(...usd) / 1.12, Math.max(...usd) * 1.12];
  const X = (v) => m.l + ((v - x0) / (x1 - x0)) * (width - m.l - m.r);
  const Y = (v) => height - m.b - ((Math.log10(v) - Math.log10(y0)) / (Math.log10(y1) - Math.log10(y0))) * (height - m.t - m.b);

  const root = svg("svg", {
    id: "pareto-svg", viewBox: `0 0 ${width} ${height}`, width, height, role: "group",
    "aria-label": `Trade-offs: ${routes.length} options in ${groups.length} groups, time against cost. `
      + "Arrow keys move between groups, Enter shows the cheapest option of a group.",
  });
  const axes = svg("g", { class: "axes", "aria-hidden": "true" });
  const yAxis = svg("g", { class: "axis y", "data-scale": "log" });
  for (const v of logTicks(y0, y1)) {
    yAxis.append(svg("line", { x1: m.l, x2: width - m.r, y1: Y(v), y2: Y(v), class: "grid" }));
    yAxis.append(svg("text", { x: m.l - 6, y: Y(v) + 4, "text-anchor": "end", class: "tick" }, shortUsd(v)));
  }
  yAxis.append(svg("text", { x: 12, y: (height - m.b + m.t) / 2, class: "label", transform: `rotate(-90 12 ${(height - m.b + m.t) / 2})`, "text-anchor": "middle" }, "cost, USD (log scale)"));
  const xAxis = svg("g", { class: "axis x", "data-scale": "linear" });
  for (const v of linearTicks(x0, x1)) {
    xAxis.append(svg("line", { x1: X(v), x2: X(v), y1: m.t, y2: height - m.b, class: "grid" }));
    xAxis.append(svg("text", { x: X(v), y: height - m.b + 15, "text-anchor": "middle", class: "tick" }, fmt(v, Number.isInteger(v) ? 0 : 1)));
  }
  xAxis.append(svg("text", { x: (m.l + width - m.r) / 2, y: height - 6, "text-anchor": "middle", class: "label" }, "time, days"));
  axes.append(yAxis, xAxis);
  root.append(axes);

  // Labels go right, left, above or below their point, wherever they overlap no other
  // label or point; a label with no room is left out (the point keeps its name for
  // tooltips and screen readers, and the list below names every group).
  const taken = groups.map((g) => {
    const b = routes[g.best];
    const r = 4 + 9 * Math.sqrt(b.co2_kg / co2max);
    return { x0: X(b.time_h / 24) - r, y0: Y(b.cost_usd) - r, x1: X(b.time_h / 24) + r, y1: Y(b.cost_usd) + r };
  });
  function labelSpot(cx, cy, r, text) {
    const w = text.length * 7 + 2;
    const h = 11;
    const spots = [
      { x: cx + r + 3, y: cy + 4, anchor: "start", box: [cx + r + 2, cy - 6, cx + r + 3 + w, cy + 5] },
      { x: cx - r - 3, y: cy + 4, anchor: "end", box: [cx - r - 3 - w, cy - 6, cx - r - 2, cy + 5] },
      { x: cx, y: cy - r - 3, anchor: "middle", box: [cx - w / 2, cy - r - 3 - h, cx + w / 2, cy - r - 2] },
      { x: cx, y: cy + r + 12, anchor: "middle", box: [cx - w / 2, cy + r + 1, cx + w / 2, cy + r + 13] },
    ];
    const own = (q) => Math.abs((q.x0 + q.x1) / 2 - cx) < 0.01 && Math.abs((q.y0 + q.y1) / 2 - cy) < 0.01;
    for (const s of spots) {
      const [x0, y0, x1, y1] = s.box;
      if (x0 < m.l || x1 > width || y0 < 0 || y1 > height - m.b) continue;
      if (taken.some((q) => !own(q) && x0 < q.x1 && q.x0 < x1 && y0 < q.y1 && q.y0 < y1)) continue;
      taken.push({ x0, y0, x1, y1 });
      return s;
    }
    return null;
  }

  const points = groups.map((g) => {
    const best = routes[g.best];
    const r = 4 + 9 * Math.sqrt(best.co2_kg / co2max);
    const cx = X(best.time_h / 24);
    const cy = Y(best.cost_usd);
    const pt = svg("g", {
      class: "pt", role: "button", tabindex: "-1", "data-group": g.letter,
      "data-members": g.members.join(" "), "aria-label": describeGroup(g),
    });
    pt.append(svg("title", {}, describeGroup(g)));
    if (g.members.length > 1) {
      // the spread of the group, faint, under its point
      const xs = g.members.map((i) => X(routes[i].time_h / 24));
      const ys = g.members.map((i) => Y(routes[i].cost_usd));
      pt.append(svg("rect", { class: "spread", x: Math.min(...xs) - 3, y: Math.min(...ys) - 3,
        width: Math.max(...xs) - Math.min(...xs) + 6, height: Math.max(...ys) - Math.min(...ys) + 6, rx: 3 }));
    }
    pt.append(svg("circle", { cx, cy, r, class: "dot" }));
    const label = g.members.length > 1 ? `${g.letter} ×${g.members.length}` : g.letter;
    const spot = labelSpot(cx, cy, r, label);
    if (spot) pt.append(svg("text", { x: spot.x, y: spot.y, "text-anchor": spot.anchor, class: "plabel" }, label));
    pt.addEventListener("click", () => pick(g));
    pt.addEventListener("keydown", (e) => key(e, g));
    root.append(pt);
    return pt;
  });

  function focusGroup(k) {
    const j = (k + groups.length) % groups.length;
    points.forEach((p, n) => p.setAttribute("tabindex", n === j ? "0" : "-1"));
    points[j].focus();
  }
  function pick(g) {
    onPick(g.best);
    focusGroupNoMove(groups.indexOf(g));
  }
  function focusGroupNoMove(k) { points.forEach((p, n) => p.setAttribute("tabindex", n === k ? "0" : "-1")); }
  function key(e, g) {
    const k = groups.indexOf(g);
    const step = { ArrowRight: 1, ArrowDown: 1, ArrowLeft: -1, ArrowUp: -1 }[e.key];
    if (step) { e.preventDefault(); focusGroup(k + step); }
    else if (e.key === "Home") { e.preventDefault(); focusGroup(0); }
    else if (e.key === "End") { e.preventDefault(); focusGroup(groups.length - 1); }
    else if (e.key === "Enter" || e.key === " ") { e.preventDefault(); pick(g); points[k].focus(); }
  }

  box.replaceChildren(root);
  list.replaceChildren(...groups.map((g) => el("li", {},
    el("button", { type: "button", "data-group": g.letter, onclick: () => pick(g) },
      el("b", {}, g.letter), " ", describeGroup(g).slice(3)))));
  focusGroupNoMove(0);

  return {
    groups,
    highlight(i) {
      const k = groups.findIndex((g) => g.members.includes(i));
      points.forEach((p, n) => p.classList.toggle("selected", n === k));
      for (const b of list.querySelectorAll("button")) b.setAttribute("aria-pressed", String(b.dataset.group === (groups[k] || {}).letter));
      if (k >= 0) focusGroupNoMove(k);
    },
  };
}
