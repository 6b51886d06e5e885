// Drivers' reports survive a dead network: each is kept in localStorage with its idempotency key and
// sent when the network returns (the `online` event, or every few seconds). The key also goes in the
// `Idempotency-Key` header: the API answers a repeated key with the first answer, so sending twice is harmless.

import { request } from "./api.js";

const QUEUE_KEY = "kapida.report-queue";
const RETRY_EVERY_MS = 15000;

/** Status codes after which trying again cannot help: the report is dropped and remembered as refused. */
const FINAL_REFUSALS = new Set([400, 403, 404, 409, 422]);

export function pending() {
  try {
    return JSON.parse(localStorage.getItem(QUEUE_KEY)) || [];
  } catch {
    return [];
  }
}

function save(items) {
  localStorage.setItem(QUEUE_KEY, JSON.stringify(items));
}

export function newIdempotencyKey() {
  return crypto.randomUUID ? crypto.randomUUID() : `${Date.now()}-${Math.random().toString(16).slice(2)}`;
}

/** Queue a report (`body` must carry its `idempotency_key`) and try to send everything queued. */
export function enqueue(url, body, meta = {}) {
  save([...pending(), { url, body, meta, queued_at: new Date().toISOString() }]);
  return flush();
}

let flushing = null;
const listeners = new Set();

/** Called with {sent, refused, pending} after each flush. */
export function onChange(listener) {
  listeners.add(listener);
}

/** Send queued reports in order; stops at the first network failure so order is kept. */
export function flush() {
  if (!flushing) {
    flushing = send().finally(() => {
      flushing = null;
    });
  }
  return flushing;
}

async function send() {
  const sent = [];
  const refused = [];
  for (const item of pending()) {
    try {
      // The header makes the whole request exactly-once on the server, whatever the route.
      const headers = { "Idempotency-Key": item.body.idempotency_key };
      await request(item.url, { method: "POST", body: item.body, headers });
      sent.push(item);
    } catch (error) {
      if (FINAL_REFUSALS.has(error.status)) {
        refused.push({ ...item, error: error.detail || String(error.status) });
      } else {
        break; // offline, server error or expired session: keep it and try again later
      }
    }
    const done = new Set([...sent, ...refused].map((i) => i.body.idempotency_key));
    save(pending().filter((i) => !done.has(i.body.idempotency_key)));
  }
  const result = { sent, refused, pending: pending() };
  for (const listener of listeners) listener(result);
  return result;
}

/** Flush when the browser says the network is back, and on a timer in case it does not say. */
export function startRetrying() {
  window.addEventListener("online", () => flush());
  setInterval(() => {
    if (pending().length) flush();
  }, RETRY_EVERY_MS);
}
