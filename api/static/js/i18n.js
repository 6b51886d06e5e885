// The UI language: the server serves each language's page texts from its gettext catalogue (/i18n/tr.json,
// /i18n/en.json); Turkish unless the user chose (the choice is kept on the account and in localStorage).
// Numbers, dates and times follow the language (tr-TR: 6.148.000, 21.11.2026, 14:30), Istanbul time.

const LANG_KEY = "kapida.lang";
export const LANGUAGES = ["tr", "en"];
export const TIME_ZONE = "Europe/Istanbul";

let catalogue = {};

export function currentLang() {
  const chosen = localStorage.getItem(LANG_KEY);
  return LANGUAGES.includes(chosen) ? chosen : "tr";
}

/** Whether someone picked a language in this browser (rather than the Turkish default). */
export function hasChosenLang() {
  return LANGUAGES.includes(localStorage.getItem(LANG_KEY));
}

export function setLang(lang) {
  localStorage.setItem(LANG_KEY, LANGUAGES.includes(lang) ? lang : "tr");
}

export async function loadCatalogue(lang = currentLang()) {
  const response = await fetch(`/i18n/${lang}.json`, { cache: "no-cache" });
  catalogue = await response.json();
  document.documentElement.lang = lang;
  useFormats(lang);
  return catalogue;
}

/** The text for `key`, with `{name}` placeholders filled from `params`; the key itself when missing. */
export function t(key, params = {}) {
  const text = catalogue[key];
  if (text === undefined) {
    console.warn(`i18n: missing key ${key}`);
    return key;
  }
  return text.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

/** Whether the catalogue has `key` (for values such as reasons that may come from the server). */
export function has(key) {
  return Object.prototype.hasOwnProperty.call(catalogue, key);
}

const ATTRIBUTES = [
  ["data-i18n-placeholder", "placeholder"],
  ["data-i18n-title", "title"],
  ["data-i18n-aria-label", "aria-label"],
];

/** Fill every `data-i18n` element's text (and the placeholder/title/aria-label variants) under `root`. */
export function applyTranslations(root = document) {
  for (const el of root.querySelectorAll("[data-i18n]")) {
    el.textContent = t(el.dataset.i18n);
  }
  for (const [data, attribute] of ATTRIBUTES) {
    for (const el of root.querySelectorAll(`[${data}]`)) {
      el.setAttribute(attribute, t(el.getAttribute(data)));
    }
  }
}

// The Intl locale of each language: Turkish formats for tr; British ones (21/11/2026, 6,148,000) for en.
const LOCALES = { tr: "tr-TR", en: "en-GB" };
let numberFormat, decimalFormat, dateFormat, clockFormat, percentFormat;

function useFormats(lang) {
  const locale = LOCALES[lang] || LOCALES.tr;
  numberFormat = new Intl.NumberFormat(locale);
  decimalFormat = new Intl.NumberFormat(locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
  dateFormat = new Intl.DateTimeFormat(locale, {
    timeZone: TIME_ZONE, day: "2-digit", month: "2-digit", year: "numeric",
  });
  clockFormat = new Intl.DateTimeFormat(locale, {
    timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit", hourCycle: "h23",
  });
  percentFormat = new Intl.NumberFormat(locale, { style: "percent", maximumFractionDigits: 0 });
}
useFormats("tr");
const isoDayFormat = new Intl.DateTimeFormat("en-CA", {
  timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit",
});

export const fmtNumber = (n) => numberFormat.format(n);
/** A share such as 0.95 as `%95`. */
export const fmtPercent = (share) => percentFormat.format(share);
export const fmtDecimal = (n) => decimalFormat.format(n);

/** `2026-11-21` (or a Date) as `21.11.2026` (tr) or `21/11/2026` (en). */
export function fmtDate(value) {
  if (typeof value === "string" && /^\d{4}-\d{2}-\d{2}$/.test(value)) {
    const [y, m, d] = value.split("-");
    return [d, m, y].join(document.documentElement.lang === "en" ? "/" : ".");
  }
  return dateFormat.format(new Date(value));
}

/** Seconds from local midnight as `14:30`. */
export function fmtClock(seconds) {
  if (seconds === null || seconds === undefined || Number.isNaN(seconds)) return "–";
  const minutes = Math.round(seconds / 60);
  const h = Math.floor(minutes / 60) % 24;
  const m = minutes % 60;
  return `${String(h).padStart(2, "0")}:${String(m).padStart(2, "0")}`;
}

/** A moment (ISO text or Date) as `14:30` in Istanbul. */
export const fmtTime = (value) => clockFormat.format(new Date(value));

/** `2026-11`, as `11.2026`. */
export function fmtMonth(value) {
  const [y, m] = String(value).split("-");
  return m ? [m, y].join(document.documentElement.lang === "en" ? "/" : ".") : String(value);
}

/** Today's date in Istanbul as `YYYY-MM-DD`. */
export const todayIso = () => isoDayFormat.format(new Date());

/** Seconds since midnight, now, in Istanbul. */
export function nowSeconds() {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: TIME_ZONE, hour: "2-digit", minute: "2-digit", second: "2-digit", hourCycle: "h23",
    }).formatToParts(new Date()).map((p) => [p.type, p.value]),
  );
  return Number(parts.hour) * 3600 + Number(parts.minute) * 60 + Number(parts.second);
}

/** Now as ISO 8601 with Istanbul's offset, e.g. `2026-11-21T14:30:05+03:00`. */
export function istanbulIso(moment = new Date()) {
  const parts = Object.fromEntries(
    new Intl.DateTimeFormat("en-GB", {
      timeZone: TIME_ZONE, year: "numeric", month: "2-digit", day: "2-digit", hour: "2-digit",
      minute: "2-digit", second: "2-digit", hourCycle: "h23", timeZoneName: "longOffset",
    }).formatToParts(moment).map((p) => [p.type, p.value]),
  );
  const offset = parts.timeZoneName.replace("GMT", "") || "+00:00";
  return `${parts.year}-${parts.month}-${parts.day}T${parts.hour}:${parts.minute}:${parts.second}${offset}`;
}

/** `21.11.2026` or `21/11/2026` (as typed) to `2026-11-21`; null when it is not a real date. */
export function parseDate(text) {
  const match = /^\s*(\d{1,2})[./](\d{1,2})[./](\d{4})\s*$/.exec(text || "");
  if (!match) return null;
  const [, d, m, y] = match.map(Number);
  const date = new Date(Date.UTC(y, m - 1, d));
  if (date.getUTCFullYear() !== y || date.getUTCMonth() !== m - 1 || date.getUTCDate() !== d) return null;
  return date.toISOString().slice(0, 10);
}

/** `14:30` to seconds from midnight; null when it is not a clock time. */
export function parseClock(text) {
  const match = /^\s*(\d{1,2}):(\d{2})\s*$/.exec(text || "");
  if (!match) return null;
  const [h, m] = [Number(match[1]), Number(match[2])];
  return h < 24 && m < 60 ? h * 3600 + m * 60 : null;
}
