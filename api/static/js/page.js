// What every page shares: the catalogue, the language switch, the signed-in user and sign-out, messages.

import { clearSession, put, session } from "./api.js";
import { applyTranslations, currentLang, loadCatalogue, setLang, t } from "./i18n.js";

export const HOME_BY_ROLE = {
  dispatcher: "/dispatcher",
  admin: "/dispatcher",
  driver: "/driver",
  manager: "/manager",
  caseworker: "/manager",
};

/**
 * Load the catalogue, translate the page, wire the header; send people without a session (or with a
 * role not in `roles`) to the sign-in page. Returns the session (null on the sign-in page).
 */
export async function startPage({ roles = null } = {}) {
  const current = session();
  if (roles && (!current || !roles.includes(current.role))) {
    window.location.replace("/");
    return new Promise(() => {}); // the page is being left
  }
  await loadCatalogue();
  applyTranslations();
  document.documentElement.dataset.translated = currentLang(); // the page's texts are in place
  const lang = document.getElementById("lang");
  if (lang) {
    lang.value = currentLang();
    lang.addEventListener("change", async () => {
      setLang(lang.value);
      // kept on the account too, so API messages, reports and other devices follow the choice
      if (current) await put("/api/users/me/language", { language: lang.value }).catch(() => {});
      window.location.reload();
    });
  }
  const who = document.getElementById("who");
  if (who && current) who.textContent = t("header.signed_in_as", { user: current.username });
  document.getElementById("logout")?.addEventListener("click", () => {
    clearSession();
    window.location.assign("/");
  });
  return current;
}

/** An element with attributes and children (text children become text nodes; never parsed as HTML). */
export function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === "class") node.className = value;
    else if (name === "dataset") Object.assign(node.dataset, value);
    else if (name.startsWith("on")) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? "" : value);
  }
  for (const child of children.flat()) {
    if (child === null || child === undefined || child === false) continue;
    node.append(child instanceof Node ? child : document.createTextNode(String(child)));
  }
  return node;
}

const OK_SHOWN_MS = 6000;
let hideTimer = null;

/** Show a short message in the page's status line (`kind`: info, ok, busy, error); errors and work in progress stay. */
export function notify(text, kind = "info") {
  const box = document.getElementById("status");
  if (!box) return;
  clearTimeout(hideTimer);
  box.textContent = text;
  box.dataset.kind = kind;
  box.hidden = !text;
  if (text && kind !== "error" && kind !== "busy") hideTimer = setTimeout(() => { box.hidden = true; }, OK_SHOWN_MS);
}

/** The catalogue's text for an API error: its detail when it has one, else a generic message. */
export function errorText(error) {
  if (error?.status === 0) return t("error.offline");
  if (error?.status === 401) return t("error.session_expired");
  if (error?.status === 403) return t("error.forbidden");
  return error?.detail ? t("error.with_detail", { detail: error.detail }) : t("error.generic");
}

/** Text from the catalogue for an enumerated value (`prefix.value`), or the raw value when unknown. */
export function label(prefix, value, fallback = value) {
  const key = `${prefix}.${value}`;
  const text = t(key);
  return text === key ? fallback : text;
}
