// The published figures for managers: a month or a year per programme and district, printable and as CSV
// (GET /api/reports/monthly|yearly).

import { get, request, withQuery } from "./api.js";
import { currentLang, fmtNumber, t } from "./i18n.js";
import { el, errorText, notify, startPage } from "./page.js";

const $ = (id) => document.getElementById(id);
const COLUMNS = [
  "period", "programme", "district", "applications_received", "applications_assessed", "approved",
  "rejected", "households_served", "people_served", "delivered", "unit",
];
const NUMERIC = new Set(COLUMNS.slice(3, 10));

function chosen() {
  const year = Number($("report-year").value);
  const month = $("report-month").value;
  return { path: month ? "/api/reports/monthly" : "/api/reports/yearly", params: { year, month } };
}

function cell(column, row) {
  const value = row[column];
  if (column === "programme") return t(`programme.${value}`);
  if (column === "unit") return t(`report.unit.${value}`);
  if (column === "district" && !value) return t("report.all_districts");
  return NUMERIC.has(column) ? fmtNumber(value) : value;
}

async function show() {
  const { path, params } = chosen();
  $("report-title").textContent = `${t("reports.heading")} — ${params.month ? `${params.year}-${String(params.month).padStart(2, "0")}` : params.year}`;
  try {
    const rows = await get(withQuery(path, params));
    $("report-empty").hidden = rows.length > 0;
    $("report-table").tBodies[0].replaceChildren(...rows.map((row) => el("tr", { class: row.district ? "" : "total" },
      ...COLUMNS.map((column) => el("td", { class: NUMERIC.has(column) ? "num" : "" }, cell(column, row))))));
  } catch (error) {
    notify(errorText(error), "error");
  }
}

async function downloadCsv() {
  const { path, params } = chosen();
  try {
    const response = await request(withQuery(path, { ...params, format: "csv", lang: currentLang() }), { raw: true });
    const link = el("a", { href: URL.createObjectURL(await response.blob()), download: `kapida-${params.year}${params.month ? `-${params.month}` : ""}.csv` });
    link.click();
    URL.revokeObjectURL(link.href);
  } catch (error) {
    notify(errorText(error), "error");
  }
}

async function main() {
  await startPage({ roles: ["manager", "admin", "dispatcher"] });
  const today = new Date();
  $("report-year").value = today.getFullYear();
  for (let month = 1; month <= 12; month += 1) $("report-month").append(el("option", { value: month }, String(month)));
  $("report-month").value = today.getMonth() + 1;
  $("report-table").tHead.rows[0].replaceChildren(...COLUMNS.map((column) => el("th", { class: NUMERIC.has(column) ? "num" : "" }, t(`report.${column}`))));
  $("report-form").addEventListener("submit", (event) => { event.preventDefault(); show(); });
  $("report-print").addEventListener("click", () => window.print());
  $("report-csv").addEventListener("click", downloadCsv);
  await show();
}

main();
