"""A newcomer's first pages on a phone (390 px), by role and in a second language: no error in the
browser console (a missing favicon was one on every first visit), every picture with a text, every
field with a label, nothing wider than the screen, and a field's button on one line beside it (the
check-in button broke into two lines). A compact sibling of test_every_page's sweep."""

import pytest
from django.urls import translate_url
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.test_accessibility import _log_in
from tests.security.conftest import ew, nw, sworld, tw, xworld  # noqa: F401 - the sweep's world
from tests.security.pages import ROLES_IN_ORDER, pages_by_first_role

pytestmark = pytest.mark.browser

PER_ROLE = 4
ALWAYS = ("home", "events:checkin", "directory:opportunity", "invitations:list")
PROBLEMS = """() => {
  const found = [];
  const html = document.documentElement;
  if (html.scrollWidth > html.clientWidth + 1) found.push("wider than the screen");
  for (const img of document.querySelectorAll("img:not([alt])")) found.push("picture without alt: " + img.src);
  for (const f of document.querySelectorAll("input, select, textarea")) {
    if (["hidden", "submit", "button", "reset", "image"].includes((f.type || "").toLowerCase())) continue;
    if (f.closest("label") || f.getAttribute("aria-label") || f.getAttribute("aria-labelledby") || f.title) continue;
    if (f.id && document.querySelector('label[for="' + CSS.escape(f.id) + '"]')) continue;
    found.push("field without label: " + (f.name || f.id));
  }
  for (const b of document.querySelectorAll('[role="group"] > button')) {
    const line = parseFloat(getComputedStyle(b).lineHeight) || 24;
    if (b.offsetParent && b.getBoundingClientRect().height > 2.2 * line) found.push("button on two lines: " + b.textContent.trim());
  }
  return found;
}"""


def test_key_pages_work_on_a_phone_for_each_role(live_server, reference_data, request, browser):
    from clusterxchange.tandems.reference import load_topics

    load_topics()  # migration data, flushed by the live-server tests before this one
    s = request.getfixturevalue("sworld")
    pages = pages_by_first_role(s)
    problems, visited = [], 0
    for role in ROLES_IN_ORDER:
        mine = [(name, url) for who, name, url in pages if who == role]
        chosen = mine[:PER_ROLE] + [(name, url) for name, url in mine[PER_ROLE:] if name in ALWAYS]
        context = browser.new_context(locale="en-GB", viewport={"width": 390, "height": 844})
        page = context.new_page()
        page.set_default_timeout(15_000)
        errors = []
        page.on(
            "console",
            lambda message, errors=errors: errors.append(message.text) if message.type == "error" else None,
        )
        page.on("pageerror", lambda error, errors=errors: errors.append(str(error)))
        if s.users[role] is not None:
            _log_in(page, live_server, s.users[role])
        for language in ("en", "fr"):
            for _name, url in chosen:
                errors.clear()
                try:
                    response = page.goto(live_server.url + translate_url(url, language))
                except PlaywrightError as error:  # a download is not a page
                    if "Download is starting" in str(error):
                        continue
                    raise
                if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                    continue
                page.wait_for_load_state("load")
                visited += 1
                found = page.evaluate(PROBLEMS) + [f"console: {text}" for text in errors]
                if response.status != 200:
                    found.append(f"status {response.status}")
                problems += [f"{role} {language} {url}: {problem}" for problem in found]
        context.close()
    assert visited > 30, f"only {visited} pages visited"
    assert not problems, "\n".join(problems)
