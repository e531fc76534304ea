// Input typed into a form is not lost when the session expired meanwhile: the page sends the person to
// log in, and after logging in (any number of account pages: password, code, second factor) they come
// back to the same form with what they typed filled in again, and a note that says so.
//
// On submit, a form's fields (never passwords, files or the CSRF token) are kept in this tab's
// sessionStorage. Account pages mark the kept input as "through login". The first other page loaded
// restores it when it is the same address and the input went through login; any other page drops it.
(() => {
  const KEY = "cx-kept-input";
  const SKIPPED = new Set(["csrfmiddlewaretoken", "password", "password1", "password2", "code"]);
  const isAccountPage = /^(\/[a-z]{2})?\/accounts\//.test(window.location.pathname);

  function read() {
    try {
      return JSON.parse(window.sessionStorage.getItem(KEY) || "null");
    } catch {
      return null;
    }
  }

  function keep(form) {
    const fields = [];
    for (const element of form.elements) {
      if (!element.name || SKIPPED.has(element.name) || element.disabled) continue;
      if (["password", "file", "submit", "button"].includes(element.type)) continue;
      if ((element.type === "checkbox" || element.type === "radio") && !element.checked) continue;
      if (element.tagName === "SELECT" && element.multiple) {
        for (const option of element.selectedOptions) fields.push([element.name, option.value]);
      } else {
        fields.push([element.name, element.value]);
      }
    }
    const entry = { path: window.location.pathname, action: form.action, fields, throughLogin: false };
    window.sessionStorage.setItem(KEY, JSON.stringify(entry));
  }

  function restore(entry) {
    const form = [...document.querySelectorAll("form[method=post]")].find((f) => f.action === entry.action);
    if (!form) return;
    const values = new Map();
    for (const [name, value] of entry.fields) values.set(name, [...(values.get(name) || []), value]);
    for (const element of form.elements) {
      const kept = values.get(element.name);
      if (!kept || SKIPPED.has(element.name) || element.type === "file" || element.type === "password") continue;
      if (element.type === "checkbox" || element.type === "radio") {
        element.checked = kept.includes(element.value);
      } else if (element.tagName === "SELECT" && element.multiple) {
        for (const option of element.options) option.selected = kept.includes(option.value);
      } else {
        element.value = kept[0];
      }
    }
    const note = document.createElement("p");
    note.setAttribute("role", "status");
    note.className = "message message-info kept-input";
    note.textContent = document.body.dataset.keptInputNote || "";
    form.before(note);
  }

  document.addEventListener("DOMContentLoaded", () => {
    const entry = read();
    if (entry) {
      if (isAccountPage) {
        entry.throughLogin = true;
        window.sessionStorage.setItem(KEY, JSON.stringify(entry));
      } else {
        window.sessionStorage.removeItem(KEY);
        if (entry.throughLogin && entry.path === window.location.pathname) restore(entry);
      }
    }
    if (isAccountPage) return; // the login form itself is never kept
    document.addEventListener("submit", (event) => {
      const form = event.target;
      if (form instanceof HTMLFormElement && form.method === "post") keep(form);
    });
  });
})();
