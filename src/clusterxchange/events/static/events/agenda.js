/* The participant's agenda on a phone: registers the service worker that keeps the last agenda for
   offline reading, stores this page and the files it uses at once (the first visit is not yet
   controlled by the worker), and says when the page shown is the saved copy. */
"use strict";

(function () {
  const note = document.getElementById("agenda-offline");
  if (!note) return;
  function show() {
    note.hidden = navigator.onLine;
  }
  window.addEventListener("online", show);
  window.addEventListener("offline", show);
  show();
  if (!("serviceWorker" in navigator) || !window.caches || !navigator.onLine) return;
  navigator.serviceWorker
    .register(note.dataset.worker, { scope: note.dataset.scope })
    .then(() => caches.open(note.dataset.cache))
    .then((cache) => {
      const files = Array.from(document.querySelectorAll("link[rel=stylesheet], script[src]"), (el) => el.href || el.src);
      return cache.addAll([window.location.pathname, ...files.filter((url) => new URL(url).origin === window.location.origin)]);
    })
    .then(() => document.documentElement.setAttribute("data-agenda-saved", "1"))
    .catch(() => {});
})();
