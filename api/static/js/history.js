// One record's audit trail for managers: who did what, when, and why (GET /api/reports/audit/{id}).

import { get } from "./api.js";
import { fmtDate, fmtTime } from "./i18n.js";
import { el, errorText, label, notify, startPage } from "./page.js";

const $ = (id) => document.getElementById(id);

async function main() {
  await startPage({ roles: ["manager"] });
  const id = decodeURIComponent(window.location.pathname.split("/").pop());
  $("record-id").textContent = id;
  try {
    const entries = await get(`/api/reports/audit/${encodeURIComponent(id)}`);
    $("history-empty").hidden = entries.length > 0;
    $("history-table").tBodies[0].replaceChildren(...entries.map((entry) => el("tr", {},
      el("td", { class: "num" }, String(entry.version)),
      el("td", {}, `${fmtDate(entry.recorded_at)} ${fmtTime(entry.recorded_at)}`),
      el("td", {}, label("event", entry.event.split(".").pop(), entry.event)),
      el("td", {}, entry.actor ? `${entry.actor} (${label("role", entry.role, entry.role)})` : ""),
      el("td", {}, entry.reason || ""))));
  } catch (error) {
    notify(errorText(error), "error");
  }
}

main();
