// The language switcher in the header submits itself when a language is picked;
// without JavaScript its button does the same.
document.addEventListener("DOMContentLoaded", () => {
  for (const form of document.querySelectorAll("form.language-switch")) {
    const select = form.querySelector("select");
    const button = form.querySelector("button[type=submit]");
    if (!select) continue;
    if (button) button.hidden = true;
    select.addEventListener("change", () => form.requestSubmit());
  }
});
