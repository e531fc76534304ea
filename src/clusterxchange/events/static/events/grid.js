// Meeting grid (templates/events/grid.html): drag a meeting onto a free cell to move it there. The
// drop posts the page's move form, so the server decides (and says why when it refuses). Without a
// mouse, or on a touch screen, the "Move" link and the "Move here" buttons do the same.
(function () {
  "use strict";
  const form = document.getElementById("grid-move-form");
  if (!form) return;
  let dragged = null;
  document.addEventListener("dragstart", function (event) {
    const cell = event.target.closest && event.target.closest("td[data-meeting]");
    if (!cell) return;
    dragged = cell.dataset.meeting;
    event.dataTransfer.effectAllowed = "move";
    event.dataTransfer.setData("text/plain", dragged);
    cell.classList.add("dragging");
  });
  document.addEventListener("dragend", function (event) {
    const cell = event.target.closest && event.target.closest("td[data-meeting]");
    if (cell) cell.classList.remove("dragging");
  });
  function target(event) {
    return event.target.closest && event.target.closest("td[data-drop]");
  }
  document.addEventListener("dragover", function (event) {
    const cell = target(event);
    if (!cell || !dragged) return;
    event.preventDefault();
    event.dataTransfer.dropEffect = "move";
    cell.classList.add("drop-over");
  });
  document.addEventListener("dragleave", function (event) {
    const cell = target(event);
    if (cell) cell.classList.remove("drop-over");
  });
  document.addEventListener("drop", function (event) {
    const cell = target(event);
    const meeting = dragged || event.dataTransfer.getData("text/plain");
    if (!cell || !meeting) return;
    event.preventDefault();
    form.action = form.dataset.moveUrl.replace("/0/move/", "/" + meeting + "/move/");
    form.elements.slot.value = cell.dataset.slot;
    form.elements.table.value = cell.dataset.table;
    form.submit();
  });
})();
