// A table that scrolls inside its own box (site.css: .table-scroll, every table on a phone) must be
// reachable from the keyboard: a box that overflows gets tabindex="0" so arrow keys can scroll it.
(() => {
  const mark = () => {
    for (const box of document.querySelectorAll("main .table-scroll, main table")) {
      const scrolls = box.scrollWidth > box.clientWidth + 1 && getComputedStyle(box).overflowX !== "visible";
      if (scrolls && !box.hasAttribute("tabindex")) box.setAttribute("tabindex", "0");
      if (!scrolls && box.getAttribute("tabindex") === "0") box.removeAttribute("tabindex");
    }
  };
  document.addEventListener("DOMContentLoaded", mark);
  window.addEventListener("resize", mark);
  document.addEventListener("htmx:afterSwap", mark);
})();
