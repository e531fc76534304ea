// The main menu (base.html). Without JavaScript every group is a <details> that opens on click and the
// menu is shown whole; with it: one group open at a time, a click elsewhere or Escape closes it, and on
// a small screen the menu folds into its Menu button (unfolded again when the window grows).
document.addEventListener("DOMContentLoaded", () => {
  const menu = document.querySelector("details.site-menu");
  if (!menu) return;
  const groups = [...menu.querySelectorAll("details.menu-group")];
  const wide = window.matchMedia("(min-width: 1024px)");
  const closeGroups = (except) => groups.forEach((group) => { if (group !== except) group.open = false; });
  groups.forEach((group) => group.addEventListener("toggle", () => { if (group.open && wide.matches) closeGroups(group); }));
  document.addEventListener("click", (event) => { if (wide.matches && !menu.contains(event.target)) closeGroups(); });
  document.addEventListener("keydown", (event) => {
    if (event.key !== "Escape") return;
    const open = groups.find((group) => group.open);
    if (open) { open.open = false; open.querySelector("summary").focus(); }
  });
  wide.addEventListener("change", () => { menu.open = wide.matches; closeGroups(); });
});
