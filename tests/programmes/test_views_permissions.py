"""Who may open and use each set-up page, by role (see conftest.py for the roles)."""

import pytest
from django.urls import reverse

from clusterxchange.core.models import AuditEntry
from clusterxchange.programmes.models import Programme
from tests.programmes.conftest import ROLES

EVERYONE = dict.fromkeys(ROLES, 200) | {"anonymous": "login"}
CREATORS = dict.fromkeys(ROLES, 403) | {
    "anonymous": "login",
    "coordinator": 200,
    "other_coordinator": 200,
    "superuser": 200,
}
READERS = dict.fromkeys(ROLES, 403) | {
    "anonymous": "login",
    "coordinator": 200,
    "partner_manager": 200,
    "other_partner_manager": 200,
    "superuser": 200,
}
EDITORS = dict.fromkeys(ROLES, 403) | {"anonymous": "login", "coordinator": 200, "superuser": 200}


def pages(pw):
    slug = pw.programme.slug
    period = pw.programme.periods.first()
    partner = pw.programme.partners.first()
    kpi = pw.programme.kpi_targets.first()
    return [
        ("programmes:list", {}, EVERYONE),
        ("programmes:create", {}, CREATORS),
        ("programmes:overview", {"slug": slug}, READERS),
        ("programmes:edit", {"slug": slug}, EDITORS),
        ("programmes:copy", {"slug": slug}, EDITORS),
        ("programmes:texts", {"slug": slug}, EDITORS),
        ("programmes:periods", {"slug": slug}, EDITORS),
        ("programmes:period_edit", {"slug": slug, "pk": period.pk}, EDITORS),
        ("programmes:countries", {"slug": slug}, EDITORS),
        ("programmes:partners", {"slug": slug}, EDITORS),
        ("programmes:cluster_search", {"slug": slug}, EDITORS),
        ("programmes:partner_edit", {"slug": slug, "pk": partner.pk}, EDITORS),
        ("programmes:rules", {"slug": slug}, EDITORS),
        ("programmes:kpis", {"slug": slug}, EDITORS),
        ("programmes:kpi_edit", {"slug": slug, "pk": kpi.pk}, EDITORS),
    ]


def outcome(response):
    if response.status_code == 302 and "/accounts/login/" in response["Location"]:
        return "login"
    return response.status_code


@pytest.mark.parametrize("role", ROLES)
def test_page_access(pw, role):
    client = pw.client(role)
    for name, kwargs, expected in pages(pw):
        response = client.get(reverse(name, kwargs=kwargs))
        assert outcome(response) == expected[role], (name, role)


ACTIONS = [
    ("programmes:period_remove", lambda pw: {"pk": pw.programme.periods.first().pk}),
    ("programmes:partner_remove", lambda pw: {"pk": pw.programme.partners.last().pk}),
    ("programmes:kpi_remove", lambda pw: {"pk": pw.programme.kpi_targets.first().pk}),
]


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("name", "kwargs"), ACTIONS)
def test_remove_actions(pw, role, name, kwargs):
    url = reverse(name, kwargs={"slug": pw.programme.slug, **kwargs(pw)})
    before = AuditEntry.objects.count()
    response = pw.client(role).post(url)
    if EDITORS[role] == 200:
        assert response.status_code == 302
        assert AuditEntry.objects.count() == before + 1
    else:
        assert outcome(response) == EDITORS[role]
        assert AuditEntry.objects.count() == before


@pytest.mark.parametrize("role", ROLES)
def test_preview_access(pw, role):
    response = pw.client(role).post(
        reverse("programmes:rules_preview", kwargs={"slug": pw.programme.slug}), {}
    )
    assert outcome(response) == EDITORS[role]


@pytest.mark.parametrize("role", ROLES)
def test_create_by_role(pw, role):
    data = {
        "name": "Next call",
        "acronym": f"NEXT-{role}",
        "start_date": "2027-01-01",
        "end_date": "2028-12-31",
        "default_language": "fr",
        "languages": ["fr", "en"],
        "grant_budget_eur": "0",
    }
    response = pw.client(role).post(reverse("programmes:create"), data)
    created = Programme.objects.filter(acronym=f"NEXT-{role}").first()
    if CREATORS[role] == 200:
        assert response.status_code == 302, response.content.decode()[:3000]
        assert created is not None
        assert created.roles.filter(user=pw.users[role], role="coordinator").exists()
    else:
        assert outcome(response) == CREATORS[role]
        assert created is None


FIELDS_OF_OVERVIEW = ["Set-up steps", "Grant budget (EUR)", "History", "Total grant budget (EUR)"]


@pytest.mark.parametrize("role", ["coordinator", "superuser", "partner_manager", "other_partner_manager"])
def test_fields_each_role_sees_on_the_overview(pw, role):
    pw.programme.partners.update(grant_budget_eur=12345)
    page = (
        pw.client(role)
        .get(reverse("programmes:overview", kwargs={"slug": pw.programme.slug}))
        .content.decode()
    )
    for text in FIELDS_OF_OVERVIEW:
        assert text in page
    assert "12,345" in page  # grouped in the reader's language
    edit_link = reverse("programmes:edit", kwargs={"slug": pw.programme.slug})
    copy_link = reverse("programmes:copy", kwargs={"slug": pw.programme.slug})
    if role.endswith("partner_manager"):
        assert edit_link not in page and copy_link not in page
        assert "read-only" in page
    else:
        assert edit_link in page and copy_link in page


def test_list_shows_only_the_programmes_a_role_may_read(pw):
    def listed(role):
        page = pw.client(role).get(reverse("programmes:list")).content.decode()
        return {acronym for acronym in ("TEST", "OTHER") if f">{acronym}<" in page}

    assert listed("coordinator") == {"TEST"}
    assert listed("other_coordinator") == {"OTHER"}
    assert listed("partner_manager") == {"TEST"}
    assert listed("other_partner_manager") == {"TEST"}
    assert listed("other_programme_manager") == {"OTHER"}
    assert listed("superuser") == {"TEST", "OTHER"}
    assert listed("member") == set()
    assert listed("outsider") == set()
