// The driver page's service worker: keeps the page, its scripts and catalogues so a phone that lost the
// network can still open its stop list (the stops themselves are kept in localStorage by driver.js).
// Network first, cache as the fallback; API calls are never cached here.

const CACHE = "kapida-driver-v2";
const SHELL = [
  "/driver",
  "/static/app.css",
  "/static/js/api.js",
  "/static/js/driver.js",
  "/static/js/i18n.js",
  "/static/js/page.js",
  "/static/js/queue.js",
  "/i18n/tr.json",
  "/i18n/en.json",
];

self.addEventListener("install", (event) => {
  event.waitUntil(caches.open(CACHE).then((cache) => cache.addAll(SHELL)).then(() => self.skipWaiting()));
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    caches.keys()
      .then((names) => Promise.all(names.filter((n) => n !== CACHE).map((n) => caches.delete(n))))
      .then(() => self.clients.claim()),
  );
});

self.addEventListener("fetch", (event) => {
  const url = new URL(event.request.url);
  if (event.request.method !== "GET" || url.origin !== self.location.origin || url.pathname.startsWith("/api/")) {
    return;
  }
  event.respondWith(
    fetch(event.request)
      .then((response) => {
        if (response.ok) {
          const copy = response.clone();
          caches.open(CACHE).then((cache) => cache.put(url.pathname === "/driver" ? "/driver" : event.request, copy));
        }
        return response;
      })
      .catch(() => caches.match(url.pathname === "/driver" ? "/driver" : event.request)),
  );
});
