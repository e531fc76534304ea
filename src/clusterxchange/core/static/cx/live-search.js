// Lists that filter as one types (htmx with hx-push-url: the directory, the training catalogue) must
// not swallow the click that leaves the page. An answer that lands after a click on a result (the
// typing's delayed request, or the one the search field's "change" sends when the click takes the
// focus away) would push its address into the history, and a history change while the browser is
// loading the next page cancels that navigation: the click seemed lost.
//
// So once the person follows a link or submits a page form, this page's history-changing requests
// still in flight are aborted, new ones are not sent, and late answers are neither shown nor pushed.
// Typing again means they stayed (a link that downloads a file leaves the page where it is); a page
// restored from the back-forward cache starts afresh.
(() => {
  let leaving = false;
  const inFlight = new Set();

  function changesHistory(element) {
    const owner = element && element.closest && element.closest("[hx-push-url],[hx-replace-url]");
    if (!owner) return false;
    const push = owner.getAttribute("hx-push-url");
    const replace = owner.getAttribute("hx-replace-url");
    return (push !== null && push !== "false") || (replace !== null && replace !== "false");
  }

  function leave() {
    leaving = true;
    for (const element of inFlight) window.htmx.trigger(element, "htmx:abort");
    inFlight.clear();
  }

  function followsLink(event) {
    if (event.defaultPrevented || event.button !== 0) return false;
    if (event.metaKey || event.ctrlKey || event.shiftKey || event.altKey) return false;
    const link = event.target.closest && event.target.closest("a[href]");
    if (!link || link.hasAttribute("download") || link.hasAttribute("hx-get")) return false;
    if (link.target && link.target !== "_self") return false;
    const to = new URL(link.href, window.location.href);
    const here = new URL(window.location.href);
    // An anchor on this same page scrolls, it does not leave.
    return !(to.hash && to.origin === here.origin && to.pathname === here.pathname && to.search === here.search);
  }

  // Bubbling on window: every other handler has had its say (a prevented click does not leave).
  window.addEventListener("click", (event) => {
    if (followsLink(event)) leave();
  });
  window.addEventListener("submit", (event) => {
    const form = event.target;
    if (event.defaultPrevented || !form || form.hasAttribute("hx-get") || form.hasAttribute("hx-post")) return;
    leave();
  });
  document.addEventListener("input", () => {
    leaving = false;
  });
  window.addEventListener("pageshow", () => {
    leaving = false;
  });

  document.addEventListener("htmx:beforeRequest", (event) => {
    const element = event.detail.elt;
    if (!changesHistory(element)) return;
    if (leaving) {
      event.preventDefault();
      return;
    }
    inFlight.add(element);
  });
  document.addEventListener("htmx:afterRequest", (event) => {
    inFlight.delete(event.detail.elt);
  });
  document.addEventListener("htmx:beforeSwap", (event) => {
    if (leaving && changesHistory(event.detail.elt)) event.detail.shouldSwap = false;
  });
})();
