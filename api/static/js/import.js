// Importing an office's list: upload → column mapping (pre-filled) → dry run (row by row) → import,
// with latitude/longitude fields for the households the map data could not place; and caseload export.

import { ApiError, request, session } from "./api.js";
import { fmtDate, fmtNumber, t } from "./i18n.js";
import { createMap } from "./map.js";
import { el, errorText, label, notify, startPage } from "./page.js";

const $ = (id) => document.getElementById(id);
const IGNORE = "-";
const state = {
  file: null, sheet: "", headers: [], fields: [], report: null, placements: {}, view: null, row: null, marker: null,
};

/** POST a multipart form with the session's token; JSON back, or an ApiError with the server's detail. */
async function upload(path, form) {
  const headers = { Accept: "application/json", Authorization: `Bearer ${session()?.token || ""}` };
  let response;
  try {
    response = await fetch(path, { method: "POST", headers, body: form });
  } catch (error) {
    throw new ApiError(0, String(error));
  }
  const body = await response.json().catch(() => ({}));
  if (!response.ok) {
    const detail = Array.isArray(body.detail) ? body.detail.map((d) => d.msg).join("; ") : body.detail;
    throw new ApiError(response.status, detail || response.statusText);
  }
  return body;
}

function baseForm() {
  const form = new FormData();
  form.append("file", state.file);
  form.append("sheet", state.sheet);
  return form;
}

function chosenMapping() {
  const mapping = {};
  for (const select of document.querySelectorAll("#mapping-table select")) {
    mapping[select.dataset.header] = select.value;
  }
  return mapping;
}

/** Positions typed or picked so far; kept across checks, since a placed row's fields leave the table. */
function chosenPlacements() {
  const placements = state.placements;
  for (const row of document.querySelectorAll("#plan-table tr[data-first-row]")) {
    const lat = row.querySelector("input[name=lat]")?.value.replace(",", ".");
    const lon = row.querySelector("input[name=lon]")?.value.replace(",", ".");
    if (lat && lon) placements[row.dataset.firstRow] = [Number(lat), Number(lon)];
  }
  return placements;
}

async function readFile(event) {
  event.preventDefault();
  state.file = $("file").files[0] || null;
  state.sheet = $("sheet").value.trim();
  if (!state.file) return notify(t("import.no_file"), "error");
  try {
    const found = await upload("/api/imports/households/mapping", baseForm());
    Object.assign(state, { headers: found.headers, fields: found.fields, report: null, placements: {} });
    showMapping(found);
    $("plan-card").hidden = true;
  } catch (error) {
    notify(errorText(error), "error");
  }
}

function showMapping(found) {
  const info = [found.source, found.sheet, found.encoding, found.delimiter === "\t" ? "TAB" : found.delimiter];
  $("file-info").textContent = t("import.file_info", {
    file: info.filter(Boolean).join(" · "), rows: fmtNumber(found.sample.length),
  });
  const body = $("mapping-table").querySelector("tbody");
  body.replaceChildren(...found.headers.map((header, index) => {
    const select = el("select", { dataset: { header }, "aria-label": header },
      el("option", { value: IGNORE }, t("import.ignore")),
      found.fields.map((field) => el("option", { value: field }, label("import.field", field))));
    select.value = found.suggestion[header] || IGNORE;
    const example = found.sample.map((row) => row[index]).filter((v) => v).slice(0, 2).join(" | ");
    return el("tr", {}, el("td", {}, header), el("td", {}, select), el("td", { class: "muted small" }, example));
  }));
  $("mapping-card").hidden = false;
}

async function check(commit = false) {
  if (!state.file) return notify(t("import.no_file"), "error");
  const form = baseForm();
  form.append("mapping", JSON.stringify(chosenMapping()));
  form.append("placements", JSON.stringify(chosenPlacements()));
  notify(t(commit ? "import.importing" : "import.checking"), "busy");
  for (const button of ["check", "recheck", "run"]) $(button).disabled = true;
  try {
    const path = commit ? "/api/imports/households" : "/api/imports/households/dry-run";
    state.report = await upload(path, form);
    showReport(state.report);
    notify(t(commit ? "import.done" : "import.checked"), "ok");
  } catch (error) {
    notify(errorText(error), "error");
  } finally {
    for (const button of ["check", "recheck", "run"]) $(button).disabled = false;
  }
}

function programmesText(programmes) {
  return programmes.map((p) => {
    const start = p.start ? ` ${fmtDate(p.start)}` : "";
    const step = p.step ? ` (${label("import.step", p.step)})` : "";
    return `${label("programme", p.programme)}${start}${step}`;
  }).join(", ");
}

function locationCell(entry) {
  if (entry.status === "to_place") {
    const field = (name) => el("input", {
      name, class: "coordinate", inputmode: "decimal", placeholder: t(`import.${name}`), "aria-label": t(`import.${name}`),
    });
    const pick = el("button", { type: "button", class: "secondary small", onclick: (e) => choosePlace(e.target.closest("tr")) },
      t("import.place_on_map"));
    return el("td", {}, field("lat"), field("lon"), pick);
  }
  const how = entry.placed_by ? label("import.placed", entry.placed_by) : "–";
  return el("td", { class: "small" }, [how, entry.placed_at].filter(Boolean).join(": "));
}

function showReport(report) {
  const rows = report.households.map((entry) => {
    const status = entry.result || entry.status;
    const problems = [
      ...entry.problems.map((p) => `${t("import.row", { row: p.row })} ${p.field}: ${p.message}`),
      ...entry.warnings,
    ];
    return el("tr", { dataset: { firstRow: entry.first_row, status } },
      el("td", {}, entry.rows.join(", ")),
      el("td", {}, label("import.status", status)),
      el("td", {}, entry.name, el("br"), el("span", { class: "muted small" }, entry.national_id)),
      el("td", {}, [entry.neighbourhood, entry.district].filter(Boolean).join(", ")),
      locationCell(entry),
      el("td", { class: "small" }, programmesText(entry.programmes)),
      el("td", { class: "small" }, problems.join(" · ")));
  });
  $("plan-table").querySelector("tbody").replaceChildren(...rows);
  const totals = Object.entries(report.totals).map(([k, n]) => `${label("import.status", k)}: ${fmtNumber(n)}`);
  $("totals").textContent = t("import.totals", { text: totals.join(" · ") });
  const toPlace = report.households.some((h) => h.status === "to_place");
  $("placing").hidden = !toPlace;
  if (toPlace) showPlacingMap();
  $("run").hidden = report.committed;
  $("plan-card").hidden = false;
}

/** The street map under the table: a click puts the chosen row's household there (fills its fields). */
async function showPlacingMap() {
  if (state.view) return state.view.map.invalidateSize();
  const config = await request("/page-config.json", { token: "" });
  state.view = await createMap($("place-map"), config);
  state.view.map.on("click", (event) => {
    if (!state.row) return notify(t("import.choose_row_first"), "info");
    const { lat, lng } = event.latlng;
    state.row.querySelector("input[name=lat]").value = lat.toFixed(6);
    state.row.querySelector("input[name=lon]").value = lng.toFixed(6);
    state.marker?.remove();
    state.marker = window.L.circleMarker([lat, lng], { radius: 8, color: "#c5221f", weight: 3 }).addTo(state.view.map);
  });
}

function choosePlace(row) {
  for (const other of document.querySelectorAll("#plan-table tr.placing")) other.classList.remove("placing");
  state.row = row;
  row.classList.add("placing");
  $("placing-now").textContent = t("import.placing_row", { row: row.dataset.firstRow });
  $("place-map").scrollIntoView({ block: "center" });
}

async function runImport() {
  const ready = state.report?.households.filter((h) => ["create", "add"].includes(h.status)).length || 0;
  if (!window.confirm(t("import.run_confirm", { count: fmtNumber(ready) }))) return;
  await check(true);
}

async function download(format) {
  const path = `/api/exports/caseload?format=${format}${format === "csv" ? "&delimiter=%3B" : ""}`;
  try {
    const response = await fetch(path, { headers: { Authorization: `Bearer ${session()?.token || ""}` } });
    if (!response.ok) throw new ApiError(response.status, (await response.json().catch(() => ({}))).detail);
    const name = /filename="([^"]+)"/.exec(response.headers.get("Content-Disposition") || "")?.[1] || `kapida.${format}`;
    const link = el("a", { href: URL.createObjectURL(await response.blob()), download: name });
    document.body.append(link);
    link.click();
    link.remove();
  } catch (error) {
    notify(errorText(error), "error");
  }
}

async function main() {
  await startPage({ roles: ["caseworker", "manager", "admin"] });
  $("file-form").addEventListener("submit", readFile);
  $("check").addEventListener("click", () => check(false));
  $("recheck").addEventListener("click", () => check(false));
  $("run").addEventListener("click", runImport);
  $("export-xlsx").addEventListener("click", () => download("xlsx"));
  $("export-csv").addEventListener("click", () => download("csv"));
}

main();
