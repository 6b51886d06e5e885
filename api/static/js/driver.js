// The driver's phone: today's stops in driving order, one tap to report each door, reports queued while
// the network is down, navigation links, the route as GPX and a printable route sheet.

import { get, request, session, withQuery } from "./api.js";
import { fmtClock, fmtDate, fmtNumber, istanbulIso, t, todayIso } from "./i18n.js";
import { el, errorText, label, notify, startPage } from "./page.js";
import { enqueue, flush, newIdempotencyKey, onChange, pending, startRetrying } from "./queue.js";

const STOPS_CACHE = "kapida.driver.stops";
const LOCAL_OUTCOMES = "kapida.driver.local-outcomes";
const REFRESH_EVERY_MS = 60000;
const FINAL = new Set(["delivered", "dropped_off", "no_show"]);

// A dispatcher may open a van's page (`/driver?vehicle=<id>`) to print its sheet or enter phoned-in reports.
const state = { day: todayIso(), stops: [], failing: null, vehicle: new URLSearchParams(window.location.search).get("vehicle") };
const $ = (id) => document.getElementById(id);

function readJson(key, fallback) {
  try {
    return JSON.parse(localStorage.getItem(key)) ?? fallback;
  } catch {
    return fallback;
  }
}

/** The stop's URL path; keys such as `<enrolment>/dinner` keep their slash. */
function reportUrl(stop) {
  const key = stop.key.split("/").map(encodeURIComponent).join("/");
  return `/api/plans/${stop.plan_id}/stops/${key}/report`;
}

function stopKind(stop) {
  if (stop.kind) return stop.kind;
  if (stop.key.endsWith("/pickup")) return "pickup";
  if (stop.key.endsWith("/dropoff")) return "dropoff";
  return "delivery";
}

/** What the driver may report at a stop, by its kind (the domain refuses anything else). */
const ACTIONS = {
  delivery: [["delivered", "ok", "driver.delivered"]],
  pickup: [["picked_up", "ok", "driver.picked_up"], ["no_show", "warn", "driver.no_show"]],
  dropoff: [["dropped_off", "ok", "driver.dropped_off"]],
};

/** The outcome to show: this phone's own report (until the server has it), else the server's. */
function outcomeOf(stop) {
  const local = readJson(LOCAL_OUTCOMES, {})[`${stop.plan_id}|${stop.key}`];
  if (local && (stop.outcome === "planned" || stop.outcome === "dispatched" || local.at > (stop.reported_at || ""))) {
    return { outcome: local.outcome, reason: local.reason, pending: local.pending };
  }
  return { outcome: stop.outcome || "planned", reason: stop.failure_reason, pending: false };
}

async function loadStops() {
  try {
    const answer = await get(withQuery("/api/driver/stops", { date: state.day, vehicle_id: state.vehicle }));
    state.stops = Array.isArray(answer) ? answer : answer.stops || [];
    localStorage.setItem(STOPS_CACHE, JSON.stringify({ day: state.day, vehicle: state.vehicle, stops: state.stops }));
    notify("");
  } catch (error) {
    const cached = readJson(STOPS_CACHE, null);
    if (cached?.day === state.day && cached?.vehicle === state.vehicle) {
      state.stops = cached.stops;
      notify(t("driver.showing_saved"), "info");
    } else {
      notify(errorText(error), "error");
    }
  }
  render();
}

function needsTags(stop) {
  const needs = Array.isArray(stop.needs) ? stop.needs : String(stop.needs || "").split(",").filter(Boolean);
  return needs.map((need) => el("span", { class: `tag need-${need}` }, label("need", need)));
}

function quantityText(stop) {
  return `${fmtNumber(stop.quantity ?? 0)} ${label("unit", stop.unit, stop.unit || "")}`;
}

function navigationLinks(stop) {
  const at = `${stop.lat},${stop.lon}`;
  const door = stop.lat != null && stop.lon != null; // none once the household's data was erased
  return [
    door ? el("a", { class: "nav-link", href: `geo:${at}?q=${at}` }, t("driver.navigate")) : null,
    door ? el("a", {
      class: "nav-link", href: `https://www.google.com/maps/dir/?api=1&destination=${at}`, target: "_blank", rel: "noopener",
    }, t("driver.open_map")) : null,
    stop.phone ? el("a", { class: "nav-link", href: `tel:${stop.phone.replace(/\s+/g, "")}` }, t("driver.call")) : null,
  ];
}

function stopCard(stop, index) {
  const { outcome, reason, pending: waiting } = outcomeOf(stop);
  const kind = stopKind(stop);
  const done = FINAL.has(outcome);
  const badge = outcome === "planned" || outcome === "dispatched"
    ? null
    : el("span", { class: `badge outcome-${outcome}` },
      label("outcome", outcome), reason ? ` · ${label("failure", reason)}` : "", waiting ? ` · ${t("driver.not_sent")}` : "");
  const actions = done ? [] : [
    ...ACTIONS[kind].map(([value, style, key]) =>
      el("button", { type: "button", class: `big ${style}`, dataset: { outcome: value }, onclick: () => report(stop, value) }, t(key))),
    el("button", { type: "button", class: "big danger", dataset: { outcome: "failed" }, onclick: () => askFailure(stop) }, t("driver.failed")),
  ];
  return el(
    "li",
    { class: `stop outcome-${outcome}`, dataset: { key: stop.key, outcome } },
    el("div", { class: "stop-head" },
      el("span", { class: "seq" }, String(index + 1)),
      el("span", { class: "eta" }, fmtClock(stop.eta_s)),
      kind !== "delivery" ? el("span", { class: "kind" }, label("kind", kind)) : null,
      badge),
    el("div", { class: "name" }, stop.name || stop.key),
    el("div", { class: "address" }, stop.address || ""),
    el("div", { class: "qty" }, quantityText(stop), ...needsTags(stop)),
    el("div", { class: "links" }, ...navigationLinks(stop)),
    actions.length ? el("div", { class: "actions" }, ...actions) : null,
  );
}

function render() {
  const stops = state.stops;
  $("no-stops").hidden = stops.length > 0;
  $("stop-list").replaceChildren(...stops.map(stopCard));
  const done = stops.filter((s) => FINAL.has(outcomeOf(s).outcome)).length;
  const failed = stops.filter((s) => outcomeOf(s).outcome === "failed").length;
  $("driver-counts").textContent = t("driver.counts", {
    total: fmtNumber(stops.length), done: fmtNumber(done), failed: fmtNumber(failed),
    open: fmtNumber(stops.length - done - failed),
  });
  renderSheet(stops);
  renderQueue();
}

function renderSheet(stops) {
  $("sheet-date").textContent = fmtDate(state.day);
  // a sheet printed by a dispatcher leaves the driver's name to be written in by hand
  $("sheet-driver").textContent = session()?.role === "driver" ? session().username : "";
  $("sheet-body").replaceChildren(...stops.map((stop, i) => el(
    "tr", {},
    el("td", {}, String(i + 1)),
    el("td", {}, fmtClock(stop.eta_s)),
    el("td", {}, stop.name || "", stop.phone ? el("div", { class: "small" }, stop.phone) : null),
    el("td", {}, stop.address || ""),
    el("td", {}, quantityText(stop)),
    el("td", {}, needsTags(stop).map((n) => `${n.textContent} `).join("")),
    el("td", { class: "box" }, t("sheet.outcome_boxes")),
    el("td", { class: "box" }),
  )));
}

function renderQueue() {
  const count = pending().length;
  const online = navigator.onLine;
  $("network-state").dataset.online = String(online);
  $("net-label").textContent = t(online ? "driver.online" : "driver.offline");
  $("pending-count").hidden = count === 0;
  $("pending-count").textContent = t("driver.pending", { count: fmtNumber(count) });
}

function remember(stop, outcome, reason, waiting) {
  const local = readJson(LOCAL_OUTCOMES, {});
  local[`${stop.plan_id}|${stop.key}`] = { outcome, reason, at: istanbulIso(), pending: waiting };
  localStorage.setItem(LOCAL_OUTCOMES, JSON.stringify(local));
}

async function report(stop, outcome, reason = null, note = "") {
  const body = { outcome, at: istanbulIso(), idempotency_key: newIdempotencyKey(), receiver: "", note };
  if (reason) body.reason = reason;
  remember(stop, outcome, reason, true);
  render();
  await enqueue(reportUrl(stop), body, { key: stop.key, plan_id: stop.plan_id });
}

function askFailure(stop) {
  state.failing = stop;
  const form = $("fail-form");
  form.reset();
  $("fail-stop-name").textContent = `${stop.name || stop.key} · ${stop.address || ""}`;
  $("fail-dialog").showModal();
}

function wire() {
  $("fail-dialog").addEventListener("close", () => {
    const dialog = $("fail-dialog");
    const stop = state.failing;
    state.failing = null;
    if (dialog.returnValue !== "confirm" || !stop) return;
    const form = $("fail-form");
    report(stop, "failed", form.reason.value, form.note.value.trim());
  });
  $("refresh-button").addEventListener("click", () => flush().then(loadStops));
  $("print-button").addEventListener("click", () => window.print());
  $("gpx-button").addEventListener("click", downloadGpx);
  window.addEventListener("online", renderQueue);
  window.addEventListener("offline", renderQueue);
  onChange(({ sent, refused }) => {
    const local = readJson(LOCAL_OUTCOMES, {});
    for (const item of sent) {
      const entry = local[`${item.meta.plan_id}|${item.meta.key}`];
      if (entry) entry.pending = false;
    }
    for (const item of refused) delete local[`${item.meta.plan_id}|${item.meta.key}`];
    localStorage.setItem(LOCAL_OUTCOMES, JSON.stringify(local));
    if (refused.length) notify(t("driver.refused", { detail: refused.map((r) => r.error).join("; ") }), "error");
    render();
  });
}

async function downloadGpx() {
  try {
    const response = await request(withQuery("/api/driver/route.gpx", { date: state.day, vehicle_id: state.vehicle }), { raw: true });
    const url = URL.createObjectURL(await response.blob());
    const link = el("a", { href: url, download: `kapida-rota-${state.day}.gpx` });
    document.body.append(link);
    link.click();
    link.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  } catch (error) {
    notify(errorText(error), "error");
  }
}

/** Let the page open without a network next time (see /static/sw.js). */
function keepPageOffline() {
  if ("serviceWorker" in navigator) {
    navigator.serviceWorker.register("/static/sw.js", { scope: "/driver" }).catch((error) => console.warn(error));
  }
}

async function main() {
  keepPageOffline();
  const current = await startPage({ roles: ["driver", "dispatcher", "admin"] });
  if (current.role !== "driver" && !state.vehicle) {
    window.location.replace("/dispatcher");
    return;
  }
  $("who").textContent = t("driver.subtitle", { user: current.username, date: fmtDate(state.day) });
  document.title = `${t("driver.title")} · ${fmtDate(state.day)}`;
  wire();
  await loadStops();
  startRetrying();
  flush();
  setInterval(() => {
    if (navigator.onLine && !document.querySelector("dialog[open]")) flush().then(loadStops);
  }, REFRESH_EVERY_MS);
}

main();
