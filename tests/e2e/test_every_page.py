"""Every page works at 390 px (a phone) and at 1280 px (a laptop), in English and in the shipped language
with the most text: a browser sweep over every page a role can open (the authorization sweep's tables, tests/security/pages.py), each page once, by the first role
that can open it, asserting the page does not scroll sideways (a wide table scrolls inside its own box),
and saving a screenshot of each to SWEEP_SCREENSHOTS (default: a temporary folder, printed)."""

import os
import re
from pathlib import Path

import polib
import pytest
from django.conf import settings
from django.urls import translate_url
from playwright.sync_api import Error as PlaywrightError

from tests.e2e.test_accessibility import _log_in
from tests.security.conftest import ew, nw, sworld, tw, xworld  # noqa: F401 - the sweep's world
from tests.security.pages import ROLES_IN_ORDER, pages_by_first_role

pytestmark = pytest.mark.browser

WIDTHS = (390, 1280)
WIDEST = """() => {
  const limit = document.documentElement.clientWidth;
  const wide = [...document.querySelectorAll("body *")].filter(e => e.getBoundingClientRect().right > limit + 1);
  const leaves = wide.filter(e => !wide.some(other => other !== e && e.contains(other)));
  return leaves.slice(0, 3).map(e => e.tagName.toLowerCase() + (e.className ? "." + String(e.className).split(" ").join(".") : "")
    + " (" + Math.round(e.getBoundingClientRect().right) + "px)");
}"""


def longest_language() -> str:
    """The shipped language whose catalogue has the most text: where a layout breaks first."""

    def length(code):
        catalogue = polib.pofile(str(Path(settings.LOCALE_PATHS[0]) / code / "LC_MESSAGES" / "django.po"))
        return sum(len(entry.msgstr or entry.msgstr_plural.get(0, "")) for entry in catalogue)

    return max((code for code, _name in settings.LANGUAGES if code != settings.LANGUAGE_CODE), key=length)


@pytest.mark.parametrize("language", [settings.LANGUAGE_CODE, longest_language()])
def test_every_page_fits_a_phone_and_a_laptop(
    language, live_server, reference_data, request, browser, tmp_path_factory
):
    from clusterxchange.tandems.reference import load_topics

    load_topics()  # migration data, flushed by the live-server tests before this one
    s = request.getfixturevalue("sworld")
    shots = Path(os.environ.get("SWEEP_SCREENSHOTS") or tmp_path_factory.mktemp("pages")) / language
    shots.mkdir(parents=True, exist_ok=True)
    print(f"screenshots in {shots}")
    pages = pages_by_first_role(s)
    problems, visited = [], 0
    for role in ROLES_IN_ORDER:
        mine = [(name, url) for who, name, url in pages if who == role]
        if not mine:
            continue
        context = browser.new_context(locale="en-GB", viewport={"width": WIDTHS[0], "height": 844})
        page = context.new_page()
        page.set_default_timeout(15_000)
        if s.users[role] is not None:
            _log_in(page, live_server, s.users[role])
        for width in WIDTHS:
            page.set_viewport_size({"width": width, "height": 844 if width < 1000 else 900})
            for name, url in mine:
                try:
                    response = page.goto(live_server.url + translate_url(url, language))
                except PlaywrightError as error:  # a download (export, PDF) is not a page
                    if "Download is starting" in str(error):
                        continue
                    raise
                if response is None or "text/html" not in (response.headers.get("content-type") or ""):
                    continue
                visited += 1
                if response.status != 200:
                    problems.append(f"{role} {url}: status {response.status}")
                    continue
                overflow = page.evaluate(
                    "document.documentElement.scrollWidth - document.documentElement.clientWidth"
                )
                if overflow > 1:
                    culprits = ", ".join(page.evaluate(WIDEST))
                    problems.append(f"{width}px {role} {url}: {overflow}px too wide ({culprits})")
                slug = re.sub(r"[^a-z0-9]+", "-", f"{name} {url}".lower()).strip("-")[:90]
                page.screenshot(path=shots / f"{width}-{role}-{slug}.png")
        context.close()
    assert visited > 100, f"only {visited} pages visited: is the URL list empty?"
    assert not problems, f"{len(problems)} pages do not fit:\n" + "\n".join(problems)
