// The dispatcher's day: plan a round, see it on the map, publish it, move stops, re-plan after a
// breakdown, and follow drivers' reports as they arrive.

import { get, post, request, withQuery } from "./api.js";
import { fmtClock, fmtDate, fmtDecimal, fmtNumber, fmtTime, nowSeconds, parseClock, parseDate, t, todayIso } from "./i18n.js";
import { createMap, drawPlan, planStops, vehicleColours, vehiclePlates } from "./map.js";
import { el, errorText, label, notify, startPage } from "./page.js";

const PROGRESS_EVERY_MS = 4000;
const MOVE_TO_END = 1000; // the API puts a stop at min(position, route length)

const state = {
  view: null,
  plans: [],
  planId: null,
  plan: null,
  colours: new Map(),
  plates: new Map(),
  stops: [],
  geojson: null,
  progressKey: "",
  timer: null,
};

const $ = (id) => document.getElementById(id);

async function loadPlans(selectId = null) {
  const day = parseDate($("plan-date").value);
  if (!day) {
    notify(t("error.bad_date"), "error");
    return;
  }
  state.plans = await get(withQuery("/api/plans", { date: day }));
  const select = $("plan-select");
  select.replaceChildren(
    ...state.plans.map((p) =>
      el("option", { value: p.plan_id }, `${label("programme", p.programme)} · ${label("round", p.round)} · ${label("status", p.status)}`),
    ),
  );
  $("plan-empty").hidden = state.plans.length > 0;
  select.hidden = state.plans.length === 0;
  const chosen = selectId || (state.plans.some((p) => p.plan_id === state.planId) ? state.planId : state.plans[0]?.plan_id);
  if (chosen) {
    select.value = chosen;
    await showPlan(chosen);
  } else {
    clearPlan();
  }
}

function clearPlan() {
  state.planId = state.plan = null;
  for (const id of ["plan-info", "routes-card", "unserved-card", "move-card", "replan-card"]) $(id).hidden = true;
  drawPlan(state.view, null, [], new Map());
}

/** A vehicle's plate (from the plan's map), or the start of its id. */
function vehicleName(vehicleId) {
  return state.plates.get(vehicleId) || String(vehicleId || "").slice(0, 8);
}

function draw() {
  state.stops = planStops(state.plan, state.geojson);
  drawPlan(state.view, state.geojson, state.stops, state.colours, { onStopClick: pickStop, vehicleName });
}

async function showPlan(planId) {
  const [plan, geojson] = await Promise.all([get(`/api/plans/${planId}`), get(`/api/plans/${planId}/geojson`)]);
  state.planId = planId;
  state.plan = plan;
  state.geojson = geojson;
  state.colours = vehicleColours(plan.routes || []);
  state.plates = vehiclePlates(geojson);
  draw();
  renderPlan(plan);
  await refreshProgress(true);
}

function planStatus(plan) {
  return plan.status || state.plans.find((p) => p.plan_id === state.planId)?.status || "planned";
}

function renderPlan(plan) {
  const status = planStatus(plan);
  $("plan-info").hidden = false;
  $("plan-status").textContent = label("status", status);
  $("plan-status").dataset.status = status;
  $("publish-button").hidden = status !== "planned";
  $("close-button").hidden = status !== "published";
  $("routes-card").hidden = false;
  const editable = status !== "closed";
  $("move-card").hidden = !editable;
  $("replan-card").hidden = status !== "published";
  renderRoutes(plan, {});
  renderUnserved(plan);
  fillMoveForm(plan);
}

function routeTotals(route) {
  return {
    stops: route.stops?.length ?? route.stop_count ?? 0,
    km: (route.distance_m ?? 0) / 1000,
    hours: (route.duration_s ?? 0) / 3600,
  };
}

function renderRoutes(plan, progressByVehicle) {
  const rows = (plan.routes || []).map((route) => {
    const totals = routeTotals(route);
    const p = progressByVehicle[route.vehicle_id] || {};
    const swatch = el("i", { class: "swatch" });
    swatch.style.background = state.colours.get(route.vehicle_id);
    return el(
      "tr",
      { dataset: { vehicle: route.vehicle_id } },
      el("td", {}, swatch, vehicleName(route.vehicle_id), el("a", {
        href: `/driver?vehicle=${encodeURIComponent(route.vehicle_id)}`, target: "_blank", class: "sheet-link",
        title: t("dispatcher.sheet_title"),
      }, t("dispatcher.sheet"))),
      el("td", { class: "num" }, fmtNumber(totals.stops)),
      el("td", { class: "num" }, fmtDecimal(totals.km)),
      el("td", { class: "num" }, fmtDecimal(totals.hours)),
      el("td", { class: "num done" }, p.done ?? "–"),
      el("td", { class: "num failed" }, p.failed ?? "–"),
      el("td", { class: "num" }, p.open ?? "–"),
      el("td", { class: "num late" }, p.late ?? "–"),
    );
  });
  $("routes-table").tBodies[0].replaceChildren(...rows);
  const sum = (f) => (plan.routes || []).reduce((n, r) => n + f(r), 0);
  const progress = Object.values(progressByVehicle);
  const total = (k) => (progress.length ? fmtNumber(progress.reduce((n, p) => n + (p[k] || 0), 0)) : "–");
  $("routes-table").tFoot.replaceChildren(
    el(
      "tr",
      {},
      el("th", {}, t("route.total")),
      el("th", { class: "num" }, fmtNumber(sum((r) => routeTotals(r).stops))),
      el("th", { class: "num" }, fmtDecimal(sum((r) => routeTotals(r).km))),
      el("th", { class: "num" }, fmtDecimal(sum((r) => routeTotals(r).hours))),
      el("th", { class: "num" }, total("done")),
      el("th", { class: "num" }, total("failed")),
      el("th", { class: "num" }, total("open")),
      el("th", { class: "num" }, total("late")),
    ),
  );
}

function renderUnserved(plan) {
  const unserved = state.stops.filter((s) => !s.vehicle_id);
  $("unserved-card").hidden = unserved.length === 0;
  $("unserved-count").textContent = fmtNumber(unserved.length);
  $("unserved-list").replaceChildren(
    ...unserved.map((stop) =>
      el(
        "li",
        {},
        el("span", { class: "reason" }, label("reason", stop.reason)),
        el("span", { class: "muted small" }, stopSummary(stop)),
      ),
    ),
  );
}

/** What identifies a stop to a dispatcher: the household when known, else its quantity and key. */
function stopSummary(stop) {
  const what = `${fmtNumber(stop.quantity ?? 0)} ${label("unit", stop.unit, stop.unit || "")}`;
  return stop.name ? `${stop.name} · ${what}` : `${what} · ${String(stop.key).slice(0, 8)}`;
}

function stopOption(stop) {
  const where = stop.vehicle_id ? `${vehicleName(stop.vehicle_id)} #${(stop.seq ?? 0) + 1}` : t("dispatcher.unserved_short");
  return el("option", { value: stop.key }, `${where} · ${stopSummary(stop)}`);
}

function fillMoveForm(plan) {
  $("move-stop").replaceChildren(...state.stops.map(stopOption));
  const vehicles = (plan.routes || []).map((r) => el("option", { value: r.vehicle_id }, vehicleName(r.vehicle_id)));
  $("move-vehicle").replaceChildren(...vehicles);
  $("replan-vehicle").replaceChildren(...vehicles.map((o) => o.cloneNode(true)));
  $("replan-at").value = fmtClock(nowSeconds());
}

function pickStop(stop) {
  if ($("move-card").hidden) return;
  $("move-stop").value = stop.key;
}

async function refreshProgress(force = false) {
  if (!state.planId || !state.plan) return;
  if (planStatus(state.plan) === "planned") {
    $("progress-time").textContent = "";
    return;
  }
  const answer = await get(`/api/plans/${state.planId}/progress`);
  const list = Array.isArray(answer) ? answer : answer.routes || [];
  const byVehicle = Object.fromEntries(list.map((p) => [p.vehicle_id, p]));
  const key = JSON.stringify(list.map((p) => [p.vehicle_id, p.done, p.failed, p.open, p.late]));
  if (key !== state.progressKey && !force) {
    // a driver reported: redraw the stops with their outcomes
    state.plan = await get(`/api/plans/${state.planId}`);
    draw();
    renderUnserved(state.plan);
  }
  state.progressKey = key;
  renderRoutes(state.plan, byVehicle);
  $("progress-time").textContent = t("dispatcher.progress_at", { time: fmtTime(new Date()) });
}

function startPolling() {
  clearInterval(state.timer);
  state.timer = setInterval(() => {
    refreshProgress().catch((error) => notify(errorText(error), "error"));
  }, PROGRESS_EVERY_MS);
}

/** Run a command with the button disabled and the outcome in the status line. */
async function act(button, busyText, work, doneText) {
  button.disabled = true;
  notify(busyText, "busy");
  try {
    await work();
    notify(doneText, "ok");
  } catch (error) {
    notify(errorText(error), "error");
  } finally {
    button.disabled = false;
  }
}

function wire() {
  $("plan-date").addEventListener("change", () => loadPlans().catch((e) => notify(errorText(e), "error")));
  $("plan-select").addEventListener("change", (e) => showPlan(e.target.value).catch((x) => notify(errorText(x), "error")));
  $("plan-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const body = {
      date: parseDate(form.date.value),
      programme: form.programme.value,
      round: form.round.value,
      time_limit_s: Number(form.time_limit_s.value),
    };
    if (!body.date) {
      notify(t("error.bad_date"), "error");
      return;
    }
    act($("plan-button"), t("dispatcher.planning", { seconds: body.time_limit_s }), async () => {
      const answer = await post("/api/plans", body);
      await loadPlans(answer?.plan_id || answer?.id);
    }, t("dispatcher.planned"));
  });
  $("publish-button").addEventListener("click", (event) =>
    act(event.target, t("dispatcher.publishing"), async () => {
      await post(`/api/plans/${state.planId}/publish`);
      await loadPlans(state.planId);
    }, t("dispatcher.published")));
  $("close-button").addEventListener("click", (event) => {
    if (!window.confirm(t("dispatcher.close_confirm"))) return;
    act(event.target, t("dispatcher.working"), async () => {
      await post(`/api/plans/${state.planId}/close`);
      await loadPlans(state.planId);
    }, t("dispatcher.closed"));
  });
  $("move-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    // positions are counted from 1 on screen and from 0 by the API; empty puts the stop last
    const position = form.position.value === "" ? MOVE_TO_END : Math.max(0, Number(form.position.value) - 1);
    const body = { key: form.key.value, to_vehicle: form.to_vehicle.value, position, reason: form.reason.value.trim() };
    act(form.querySelector("button"), t("dispatcher.working"), async () => {
      await post(`/api/plans/${state.planId}/move-stop`, body);
      form.reason.value = "";
      await showPlan(state.planId);
    }, t("dispatcher.moved"));
  });
  $("cancel-stop-button").addEventListener("click", (event) => {
    const form = $("move-form");
    const reason = form.reason.value.trim();
    if (!reason) {
      form.reason.reportValidity();
      return;
    }
    if (!window.confirm(t("dispatcher.cancel_confirm"))) return;
    const body = { kind: "cancel", keys: [form.key.value], reason };
    act(event.target, t("dispatcher.replanning"), async () => {
      await post(`/api/plans/${state.planId}/replan`, body);
      form.reason.value = "";
      await showPlan(state.planId);
    }, t("dispatcher.cancelled"));
  });
  $("replan-form").addEventListener("submit", (event) => {
    event.preventDefault();
    const form = event.target;
    const atS = parseClock(form.at.value);
    if (atS === null) {
      notify(t("error.bad_time"), "error");
      return;
    }
    const body = { kind: "breakdown", vehicle_id: form.vehicle.value, at_s: atS, reason: form.reason.value.trim() };
    act(form.querySelector("button"), t("dispatcher.replanning"), async () => {
      await post(`/api/plans/${state.planId}/replan`, body);
      form.reason.value = "";
      await showPlan(state.planId);
    }, t("dispatcher.replanned"));
  });
}

async function main() {
  await startPage({ roles: ["dispatcher", "admin"] });
  const config = await request("/page-config.json", { token: "" });
  $("plan-date").value = fmtDate(todayIso());
  document.title = `${t("dispatcher.title")} · ${fmtDate(todayIso())}`;
  wire();
  try {
    state.view = await createMap($("map"), config);
    await loadPlans();
  } catch (error) {
    notify(errorText(error), "error");
  }
  startPolling();
}

main();
