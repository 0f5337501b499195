// The offline register's service worker (households/offline.py renders it).
// It keeps the app shell: the page and the files it loads. The register
// itself lives in IndexedDB, written by the page; API calls always go to the
// network, so nothing here can answer with stale data.
"use strict";

const VERSION = "{{ version }}";
const CACHE = "ntm-offline-" + VERSION;
const PAGE = {{ page|safe }};
const SHELL = {{ shell|safe }};

async function cachePage(cache) {
  // Only the page itself: a redirect to the sign-in page must not be kept
  // as the register.
  const response = await fetch(PAGE, { credentials: "same-origin" });
  if (response.ok && !response.redirected) {
    await cache.put(PAGE, response);
  }
}

self.addEventListener("install", (event) => {
  event.waitUntil(
    (async () => {
      const cache = await caches.open(CACHE);
      await cache.addAll(SHELL);
      await cachePage(cache);
      await self.skipWaiting();
    })(),
  );
});

self.addEventListener("activate", (event) => {
  event.waitUntil(
    (async () => {
      const names = await caches.keys();
      await Promise.all(
        names
          .filter((name) => name.startsWith("ntm-offline-") && name !== CACHE)
          .map((name) => caches.delete(name)),
      );
      await self.clients.claim();
    })(),
  );
});

// A village's network may be there but too weak to carry a page: after this
// long the kept page is shown, and the network's answer, if it comes, is
// kept for the next visit.
const PATIENCE_MS = 4000;

async function pageFirstFromNetwork(request) {
  const cache = await caches.open(CACHE);
  const fromNetwork = fetch(request).then(async (response) => {
    if (response.ok && !response.redirected) {
      await cache.put(PAGE, response.clone());
    }
    return response;
  });
  const kept = await cache.match(PAGE);
  if (!kept) return fromNetwork;
  const late = new Promise((resolve) => setTimeout(() => resolve(kept), PATIENCE_MS));
  // A server error is no better than no network.
  const answered = fromNetwork.then((response) => (response.ok ? response : kept));
  return Promise.race([answered.catch(() => kept), late]);
}

async function fileFromCache(request) {
  const kept = await caches.match(request, { ignoreSearch: true });
  return kept || fetch(request);
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (url.pathname === PAGE && request.mode === "navigate") {
    event.respondWith(pageFirstFromNetwork(request));
  } else if (SHELL.includes(url.pathname)) {
    event.respondWith(fileFromCache(request));
  }
});
