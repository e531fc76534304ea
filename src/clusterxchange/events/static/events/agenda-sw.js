/* The agenda's service worker (served at /events/agenda-sw.js, scope /events/): a participant's own
   agenda page is fetched from the network when there is one and kept in the cache; without a network
   the last copy is shown, with the "last updated" time it was rendered with. The files the page uses
   (styles, scripts, icons) are kept the same way. Nothing else is cached: other pages, and any page
   with a query (an organiser looking at someone's agenda), always come from the network. */
"use strict";

const CACHE = "cx-agenda-v1";
const AGENDA = /^\/events\/[^/]+\/agenda\/$/;
const FILES = new Set(["style", "script", "image", "font", "manifest"]);

self.addEventListener("install", () => self.skipWaiting());
self.addEventListener("activate", (event) => event.waitUntil(self.clients.claim()));

function networkThenCache(request, key) {
  return fetch(request).then(
    (response) => {
      if (response.ok && !response.redirected && response.type === "basic") {
        const copy = response.clone();
        caches.open(CACHE).then((cache) => cache.put(key, copy));
      }
      return response;
    },
    () => caches.open(CACHE).then((cache) => cache.match(key)).then((kept) => kept || Response.error()),
  );
}

self.addEventListener("fetch", (event) => {
  const request = event.request;
  if (request.method !== "GET") return;
  const url = new URL(request.url);
  if (url.origin !== self.location.origin) return;
  if (request.mode === "navigate" && AGENDA.test(url.pathname) && !url.search) {
    event.respondWith(networkThenCache(request, url.pathname));
  } else if (FILES.has(request.destination)) {
    event.respondWith(networkThenCache(request, request.url));
  }
});
