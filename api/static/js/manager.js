// The manager's overview: caseload by programme and district, decisions per month, daily service figures
// and today's failed doors. Chart.js comes from /static/vendor (npm at install time) as `window.Chart`.

import { get, session, withQuery } from "./api.js";
import { fmtClock, fmtDate, fmtMonth, fmtNumber, fmtPercent, parseDate, t, todayIso } from "./i18n.js";
import { el, errorText, label, notify, startPage } from "./page.js";

const Chart = window.Chart;
const PROGRAMMES = ["hot_meal", "milk", "food_parcel", "gluten_free", "accessible_transport"];
const COLOURS = { hot_meal: "#d62728", milk: "#1f77b4", food_parcel: "#ff7f0e", gluten_free: "#2ca02c", accessible_transport: "#9467bd" };
const charts = {};
const TREND_MONTHS = 12;
const $ = (id) => document.getElementById(id);

function daysAgo(iso, days) {
  const d = new Date(`${iso}T12:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return d.toISOString().slice(0, 10);
}

function drawChart(id, config) {
  charts[id]?.destroy();
  const numbers = { ticks: { precision: 0, callback: (v) => fmtNumber(v) }, beginAtZero: true };
  config.options = {
    responsive: true,
    maintainAspectRatio: false,
    locale: "tr-TR",
    animation: false,
    plugins: { legend: { position: "bottom" } },
    ...config.options,
  };
  config.options.scales = { y: { ...numbers, ...(config.options.scales?.y || {}) }, x: config.options.scales?.x || {} };
  charts[id] = new Chart($(id), config);
}

function sumBy(rows, keyOf, fields) {
  const groups = new Map();
  for (const row of rows) {
    const key = keyOf(row);
    const group = groups.get(key) || Object.fromEntries(fields.map((f) => [f, 0]));
    for (const f of fields) group[f] += row[f] || 0;
    groups.set(key, group);
  }
  return groups;
}

async function showCaseload(on, programme) {
  const rows = await get(withQuery("/api/caseload", { on, programme }));
  const byProgDistrict = sumBy(rows, (r) => `${r.programme}|${r.district}`, ["active", "suspended", "pending"]);
  const longest = new Map();
  for (const r of rows) {
    const key = `${r.programme}|${r.district}`;
    longest.set(key, Math.max(longest.get(key) || 0, r.longest_wait_days || 0));
  }
  const districts = [...new Set(rows.map((r) => r.district))].sort((a, b) => a.localeCompare(b, "tr"));
  const programmes = PROGRAMMES.filter((p) => rows.some((r) => r.programme === p));
  drawChart("caseload-chart", {
    type: "bar",
    data: {
      labels: districts,
      datasets: programmes.map((p) => ({
        label: label("programme", p),
        backgroundColor: COLOURS[p],
        maxBarThickness: 64,
        data: districts.map((d) => byProgDistrict.get(`${p}|${d}`)?.active || 0),
      })),
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true, title: { display: true, text: t("caseload.active_households") } } } },
  });
  const body = [...byProgDistrict.entries()]
    .sort(([a], [b]) => a.localeCompare(b, "tr"))
    .map(([key, v]) => {
      const [p, d] = key.split("|");
      return el("tr", {},
        el("td", {}, label("programme", p)), el("td", {}, d),
        el("td", { class: "num" }, fmtNumber(v.active)), el("td", { class: "num" }, fmtNumber(v.suspended)),
        el("td", { class: "num" }, fmtNumber(v.pending)),
        el("td", { class: "num" }, t("caseload.days", { days: fmtNumber(longest.get(key) || 0) })));
    });
  $("caseload-table").tBodies[0].replaceChildren(...body);
  const totals = sumBy(rows, () => "all", ["active", "suspended", "pending"]).get("all") || { active: 0, suspended: 0, pending: 0 };
  return totals;
}

/** The last day of each of the `months` months up to `on` (and `on` itself for the current month). */
function monthEnds(on, months) {
  const [y, m] = on.split("-").map(Number);
  const days = [];
  for (let back = months - 1; back >= 1; back -= 1) {
    const end = new Date(Date.UTC(y, m - back, 0)); // day 0 of the next month: the month's last day
    days.push(end.toISOString().slice(0, 10));
  }
  return [...days, on];
}

/** Active households per programme at each month's end: the caseload over time. */
async function showTrend(on, programme) {
  const days = monthEnds(on, TREND_MONTHS);
  const answers = await Promise.all(days.map((day) => get(withQuery("/api/caseload", { on: day, programme }))));
  const programmes = PROGRAMMES.filter((p) => answers.some((rows) => rows.some((r) => r.programme === p)));
  drawChart("trend-chart", {
    type: "line",
    data: {
      labels: days.map((d) => fmtMonth(d.slice(0, 7))),
      datasets: programmes.map((p) => ({
        label: label("programme", p), borderColor: COLOURS[p], backgroundColor: COLOURS[p], tension: 0,
        data: answers.map((rows) => rows.filter((r) => r.programme === p).reduce((n, r) => n + r.active, 0)),
      })),
    },
  });
}

async function showDecisions(programme) {
  const rows = await get(withQuery("/api/caseload/decisions", { programme }));
  const byMonth = sumBy(rows, (r) => r.month, ["approved", "rejected", "withdrawn"]);
  const months = [...byMonth.keys()].sort();
  const series = [["approved", "#137333"], ["rejected", "#c5221f"], ["withdrawn", "#80868b"]];
  drawChart("decisions-chart", {
    type: "line",
    data: {
      labels: months.map(fmtMonth),
      datasets: series.map(([field, colour]) => ({
        label: t(`decision.${field}`), borderColor: colour, backgroundColor: colour, tension: 0,
        data: months.map((m) => byMonth.get(m)[field]),
      })),
    },
  });
}

async function showStatistics(from, to, programme) {
  let rows = await get(withQuery("/api/reports/daily", { from, to }));
  if (programme) rows = rows.filter((r) => r.programme === programme);
  $("stats-empty").hidden = rows.length > 0;
  $("stats-table").hidden = rows.length === 0;
  $("stats-table").tBodies[0].replaceChildren(...rows.map((r) => el("tr", {},
    el("td", {}, fmtDate(r.day)), el("td", {}, label("programme", r.programme)),
    el("td", { class: "num" }, fmtNumber(r.stops)), el("td", { class: "num" }, fmtNumber(r.delivered)),
    el("td", { class: "num" }, fmtNumber(r.failed)), el("td", { class: "num" }, fmtNumber(r.unserved)),
    el("td", { class: "num" }, fmtNumber(r.quantity_delivered)),
    el("td", { class: "num" }, r.stops ? fmtPercent(r.delivered / r.stops) : "–"))));
  const byDay = sumBy(rows, (r) => r.day, ["delivered", "failed", "unserved"]);
  const days = [...byDay.keys()].sort();
  drawChart("service-chart", {
    type: "bar",
    data: {
      labels: days.map(fmtDate),
      datasets: [["delivered", "#137333"], ["failed", "#c5221f"], ["unserved", "#80868b"]].map(([f, c]) => ({
        label: t(`stats.${f}`), backgroundColor: c, maxBarThickness: 48, data: days.map((d) => byDay.get(d)[f]),
      })),
    },
    options: { scales: { x: { stacked: true }, y: { stacked: true } } },
  });
  return sumBy(rows, () => "all", ["stops", "delivered", "failed"]).get("all") || { stops: 0, delivered: 0, failed: 0 };
}

async function showFailed(day) {
  const rows = await get(withQuery("/api/reports/failed", { date: day }));
  $("failed-empty").hidden = rows.length > 0;
  $("failed-table").hidden = rows.length === 0;
  $("failed-table").tBodies[0].replaceChildren(...rows.map((r) => el("tr", {},
    el("td", {}, fmtClock(r.eta_s)), el("td", {}, r.name || ""), el("td", {}, r.address || ""),
    el("td", {}, label("failure", r.failure_reason || r.reason)),
    el("td", {}, historyLink(r.household_id)))));
  return rows.length;
}

/** A link to the household's audit trail (`/manager/history/{id}`), which only managers may read. */
function historyLink(householdId) {
  if (session()?.role !== "manager" || !householdId) return null;
  return el("a", { href: `/manager/history/${householdId}`, class: "history-link" }, t("manager.history_link"));
}

function kpi(value, key) {
  return el("div", { class: "kpi" }, el("strong", {}, value), el("span", {}, t(key)));
}

async function refresh(event) {
  event?.preventDefault();
  const [on, from, to] = ["caseload-on", "stats-from", "stats-to"].map((id) => parseDate($(id).value));
  const programme = $("programme-filter").value;
  if (!on || !from || !to) {
    notify(t("error.bad_date"), "error");
    return;
  }
  try {
    const settled = await Promise.allSettled([
      showCaseload(on, programme), showDecisions(programme), showTrend(on, programme),
      showStatistics(from, to, programme), showFailed(todayIso()),
    ]);
    const refused = settled.find((s) => s.status === "rejected");
    const [caseload, , , stats, failed] = settled.map((s) => (s.status === "fulfilled" ? s.value : null));
    const rate = stats?.stops ? fmtPercent(stats.delivered / stats.stops) : "–";
    const count = (value) => (value === null || value === undefined ? "–" : fmtNumber(value));
    $("kpis").replaceChildren(
      kpi(count(caseload?.active), "kpi.active"), kpi(count(caseload?.pending), "kpi.pending"),
      kpi(count(stats?.delivered), "kpi.delivered"), kpi(rate, "kpi.rate"), kpi(count(failed), "kpi.failed_today"),
    );
    if (refused) throw refused.reason;
    notify("");
  } catch (error) {
    notify(errorText(error), "error");
  }
}

async function main() {
  await startPage({ roles: ["manager", "admin", "dispatcher", "caseworker"] });
  const today = todayIso();
  $("caseload-on").value = fmtDate(today);
  $("stats-to").value = fmtDate(today);
  $("stats-from").value = fmtDate(daysAgo(today, 29));
  $("filters").addEventListener("submit", refresh);
  await refresh();
}

main();
