// One record's audit trail for managers: who did what, when, why and what changed; a household's
// trail includes its applications, enrolments, trips and stops (GET /api/reports/history/{id}).

import { get, withQuery } from "./api.js";
import { currentLang, fmtDate, fmtTime, has, parseDate, t } from "./i18n.js";
import { el, errorText, label, notify, startPage } from "./page.js";

const $ = (id) => document.getElementById(id);

async function main() {
  await startPage({ roles: ["manager"] });
  const id = decodeURIComponent(window.location.pathname.split("/").pop());
  $("record-id").textContent = id;
  try {
    const entries = await get(`/api/reports/history/${encodeURIComponent(id)}`);
    $("history-empty").hidden = entries.length > 0;
    $("history-table").tBodies[0].replaceChildren(...entries.map((entry) => el("tr", {},
      el("td", {}, `${fmtDate(entry.at)} ${fmtTime(entry.at)}`),
      el("td", {}, `${entry.record} ${entry.record_id.slice(0, 8)} v${entry.version}`),
      el("td", {}, label("event", entry.event.split(".").pop(), entry.event)),
      el("td", {}, entry.actor ? `${entry.actor} (${label("role", entry.role, entry.role)})` : ""),
      el("td", {}, has(`failure.${entry.reason}`) ? t(`failure.${entry.reason}`) : entry.reason || ""),
      el("td", { class: "summary" }, entry.summary))));
    if (entries.length && entries[0].event === "Household.Registered") showWhy(id);
  } catch (error) {
    notify(errorText(error), "error");
  }
}

main();

// For a household: "why was it not served on this day?" (GET /api/reports/why/{id}), worded by the server.
function showWhy(id) {
  $("why-card").hidden = false;
  $("why-date").value = fmtDate(new Date());
  $("why-form").addEventListener("submit", async (event) => {
    event.preventDefault();
    const day = parseDate($("why-date").value);
    if (!day) {
      notify(t("field.date_placeholder"), "error");
      return;
    }
    try {
      const findings = await get(withQuery(`/api/reports/why/${encodeURIComponent(id)}`, { date: day, lang: currentLang() }));
      $("why-answer").replaceChildren(...findings.map((f) => el("li", { class: f.served ? "ok" : "" }, f.text)));
    } catch (error) {
      notify(errorText(error), "error");
    }
  });
}
