"""The strict Content-Security-Policy holds on the main pages: a real browser loads them anonymously
and as a coordinator (the role that sees the most, admin included) and reports no violation."""

from datetime import date

import pytest

pytestmark = pytest.mark.browser

PUBLIC_PAGES = [
    "/",
    "/directory/",
    "/directory/clusters/",
    "/directory/opportunities/",
    "/directory/people/",
    "/events/",
    "/training/",
    "/accounts/password/reset/",
    "/api/docs",
    "/news/",
    "/programme/",
    "/programme/test/",
    "/programme/test/partners/",
    "/accounts/login/",
]
COORDINATOR_PAGES = [
    "/",
    "/directory/organisations/{slug}/",
    "/directory/organisations/{slug}/edit/",
    "/directory/organisations/new/",
    "/directory/import/",
    "/events/new/",
    "/exchanges/",
    "/exchanges/new/",
    "/exchanges/budget/",
    "/tandems/",
    "/tandems/capabilities/",
    "/news/manage/",
    "/news/new/",
    "/training/records/",
    "/reporting/test/",
    "/reporting/test/report/",
    "/accounts/me/",
    "/accounts/tokens/",
    "/accounts/2fa/",
    "/accounts/2fa/totp/activate/",
    "/admin/",
    "/admin/directory/organisation/",
    "/admin/directory/organisation/{pk}/change/",
]
# Violations are reported twice: on the console, and as events that this script collects.
LISTENER = (
    "window.__cspViolations = [];"
    "document.addEventListener('securitypolicyviolation',"
    " e => window.__cspViolations.push(e.violatedDirective + ' ' + e.blockedURI));"
)


def _visit(page, base_url: str, paths: list[str], found: list) -> None:
    for path in paths:
        response = page.goto(base_url + path)
        assert response is not None and response.status == 200, (path, response and response.status)
        page.wait_for_load_state("networkidle")
        found.extend((path, text) for text in page.evaluate("() => window.__cspViolations"))


def test_main_pages_have_no_csp_violation(live_server, reference_data, browser):
    from clusterxchange.programmes.models import PartnerCluster, Programme, ProgrammeRole
    from tests.conftest import make_org, make_user

    cluster = make_org("Cluster A", "FR", "cluster", city="Nice")
    alpha = make_org("Alpha Sensors", "FR", city="Nice", description="Printed sensors")
    programme = Programme.objects.create(
        name="Test programme",
        acronym="TEST",
        slug="test",
        start_date=date(2022, 1, 1),
        end_date=date(2030, 1, 1),
    )
    PartnerCluster.objects.create(programme=programme, cluster=cluster, is_coordinator=True)
    coordinator = make_user("coordinator@test.example")
    coordinator.is_staff = coordinator.is_superuser = True
    coordinator.save()
    ProgrammeRole.objects.create(programme=programme, user=coordinator)

    context = browser.new_context(locale="en-GB")
    context.add_init_script(LISTENER)
    page = context.new_page()
    page.set_default_timeout(30_000)  # the shared CI machine can be slow
    found: list = []
    page.on(
        "console",
        lambda message: "Content Security Policy" in message.text and found.append((page.url, message.text)),
    )
    _visit(page, live_server.url, PUBLIC_PAGES, found)
    page.get_by_label("Email").fill("coordinator@test.example")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(f"{live_server.url}/")
    _visit(
        page,
        live_server.url,
        [path.format(slug=alpha.slug, pk=alpha.pk) for path in COORDINATOR_PAGES],
        found,
    )
    # The authenticator-app set-up page (QR code as a data: image) comes after the password again.
    page.goto(f"{live_server.url}/accounts/2fa/totp/activate/")
    page.get_by_label("Password").fill("correct-horse-battery")
    page.get_by_role("button", name="Confirm").click()
    page.wait_for_url(f"{live_server.url}/accounts/2fa/totp/activate/")
    assert page.locator("img[src^='data:']").count() == 1
    found.extend(
        ("/accounts/2fa/totp/activate/", text) for text in page.evaluate("() => window.__cspViolations")
    )
    assert found == []

    # The detector itself works: an inline script added to the page is refused and reported.
    page.evaluate(
        "() => { const s = document.createElement('script'); s.textContent = 'window.ran = 1';"
        " document.body.appendChild(s); }"
    )
    page.wait_for_function("() => window.__cspViolations.length > 0")
    assert page.evaluate("() => window.ran") is None
    assert any("Content Security Policy" in text for _url, text in found)
    context.close()
