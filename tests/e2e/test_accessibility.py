"""Accessibility: axe-core (vendored from npm, tests/e2e/vendor/axe-core) on the main pages, anonymous and
logged in: no serious or critical violation. axe is injected with `page.evaluate` (no script tag: the
Content-Security-Policy would block it)."""

from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse

from tests.security.conftest import ew, nw, sworld, tw, xworld  # noqa: F401 - the sweep's world

pytestmark = pytest.mark.browser

AXE = (Path(__file__).parent / "vendor" / "axe-core" / "axe.min.js").read_text()
RUN_AXE = """async () => {
  const result = await axe.run(document, {resultTypes: ["violations"]});
  return result.violations.map(v => ({
    id: v.id, impact: v.impact, help: v.help,
    nodes: v.nodes.slice(0, 3).map(n => n.target.join(" ") + " :: " + n.failureSummary.split("\\n").slice(0, 2).join(" ")),
  }));
}"""


def public_pages(s) -> list[str]:
    return [
        reverse("home"),
        reverse("account_login"),
        reverse("directory:organisations"),
        reverse("directory:organisation", args=[s.w.org_a1.slug]),
        reverse("directory:opportunities"),
        reverse("events:list"),
        reverse("events:detail", args=[s.ev.event.slug]),
        reverse("training:catalogue"),
        reverse("news:list"),
        reverse("site:about", args=[s.w.programme.slug]),
        reverse("site:partners", args=[s.w.programme.slug]),
    ]


def member_pages(s) -> list[str]:
    return [
        reverse("exchanges:list"),
        reverse("exchanges:detail", args=[s.matched.reference]),
        reverse("exchanges:create"),
        reverse("events:agenda", args=[s.ev.event.slug]) + f"?registration={s.ev.participant.pk}",
        reverse("events:marketplace", args=[s.ev.event.slug]),
        reverse("accounts:me"),
    ]


def manager_pages(s) -> list[str]:
    return [
        reverse("tandems:list"),
        reverse("tandems:detail", args=[s.t.tandem.pk]),
        reverse("reporting:dashboard", args=[s.w.programme.slug]),
        reverse(
            "reporting:partner",
            args=[s.w.programme.slug, s.w.programme.partners.get(cluster=s.w.cluster_a).pk],
        ),
        reverse("events:schedule", args=[s.ev.event.slug]),
        reverse("exchanges:detail", args=[s.in_progress.reference]),
    ]


def _log_in(page, live_server, user) -> None:
    client = Client()
    client.force_login(user)
    cookie = client.cookies[settings.SESSION_COOKIE_NAME].value
    page.context.add_cookies(
        [{"name": settings.SESSION_COOKIE_NAME, "value": cookie, "url": live_server.url}]
    )


def serious_violations(page, url: str) -> list[str]:
    response = page.goto(url)
    assert response is not None and response.status == 200, (url, response and response.status)
    # Parts loaded after the page (htmx) are checked once they are in, as the reader sees them.
    page.wait_for_function("() => !document.querySelector('.htmx-request, .htmx-swapping, .htmx-settling')")
    page.evaluate(AXE)
    return [
        f"{url}: {v['id']} ({v['impact']}): {v['help']} — " + " | ".join(v["nodes"])
        for v in page.evaluate(RUN_AXE)
        if v["impact"] in {"serious", "critical"}
    ]


@pytest.mark.parametrize(
    ("role", "width"),
    [("anonymous", 1280), ("owner", 1280), ("manager", 1280), ("anonymous", 390), ("manager", 390)],
)
def test_main_pages_have_no_serious_accessibility_violations(
    live_server, reference_data, request, page, role, width
):
    from clusterxchange.tandems.reference import load_topics

    load_topics()  # migration data, flushed by the live-server tests before this one
    s = request.getfixturevalue("sworld")
    page.set_viewport_size({"width": width, "height": 900})  # 390: a phone, with the menu folded
    pages = public_pages(s)
    if role != "anonymous":
        _log_in(page, live_server, s.users[role])
        pages += member_pages(s)
    if role == "manager":
        pages += manager_pages(s)
    problems = []
    for path in pages:
        problems += serious_violations(page, live_server.url + path)
    assert not problems, "\n".join(problems)
