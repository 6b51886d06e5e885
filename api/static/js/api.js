// Talking to Kapıda's API: the signed-in session (kept in localStorage) and JSON requests with its token.

import { currentLang } from "./i18n.js";

const SESSION_KEY = "kapida.session";

export function session() {
  try {
    return JSON.parse(localStorage.getItem(SESSION_KEY)) || null;
  } catch {
    return null;
  }
}

export function saveSession(value) {
  localStorage.setItem(SESSION_KEY, JSON.stringify(value));
}

export function clearSession() {
  localStorage.removeItem(SESSION_KEY);
}

/**
 * The token was refused (expired or the account deactivated): office pages go back to sign-in; a driver's
 * page stays, so the list and the queued reports remain in view until the driver signs in again.
 */
function expired() {
  if (session()?.role === "driver" || window.location.pathname === "/") return;
  clearSession();
  window.location.assign("/");
}

/** An HTTP error with the API's `detail` message (a network failure has status 0). */
export class ApiError extends Error {
  constructor(status, detail) {
    super(detail || `HTTP ${status}`);
    this.status = status;
    this.detail = detail;
  }
}

/** The API's message: a text for domain refusals and (translated) validation errors alike. */
function detailText(detail) {
  if (Array.isArray(detail)) {
    return detail.map((d) => [d.loc?.slice(1).join("."), d.msg].filter(Boolean).join(": ")).join("; ");
  }
  return typeof detail === "string" ? detail : "";
}

/** Send a request; parses JSON (or returns the Response when `raw`); throws ApiError on failure. */
export async function request(path, { method = "GET", body, raw = false, token, headers: extra = {} } = {}) {
  // The account's language decides the API's messages; before sign-in, the page's language does.
  const headers = { ...extra, Accept: raw ? "*/*" : "application/json", "Accept-Language": currentLang() };
  const bearer = token ?? session()?.token;
  if (bearer) headers.Authorization = `Bearer ${bearer}`;
  if (body !== undefined) headers["Content-Type"] = "application/json";
  let response;
  try {
    response = await fetch(path, { method, headers, body: body === undefined ? undefined : JSON.stringify(body) });
  } catch (error) {
    throw new ApiError(0, String(error));
  }
  if (response.status === 401 && bearer) expired();
  if (!response.ok) {
    let detail = "";
    try {
      detail = detailText((await response.json()).detail);
    } catch {
      detail = response.statusText;
    }
    throw new ApiError(response.status, detail);
  }
  if (raw) return response;
  if (response.status === 204) return null;
  const text = await response.text();
  return text ? JSON.parse(text) : null;
}

export const get = (path) => request(path);
export const post = (path, body = {}) => request(path, { method: "POST", body });
export const put = (path, body = {}) => request(path, { method: "PUT", body });

/** `path?name=value&...`, leaving out empty values. */
export function withQuery(path, params) {
  const query = new URLSearchParams();
  for (const [name, value] of Object.entries(params)) {
    if (value !== undefined && value !== null && value !== "") query.set(name, value);
  }
  const text = query.toString();
  return text ? `${path}?${text}` : path;
}
