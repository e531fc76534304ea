"""The set-up API: the same permissions as the pages, by role; bad input refused with nothing saved."""

import json
from decimal import Decimal

import pytest

from clusterxchange.accounts.models import ApiToken
from clusterxchange.core.models import AuditEntry
from clusterxchange.programmes.models import GrantRuleSet, Programme
from tests.exchanges.conftest import xworld  # noqa: F401 - the exchanges world
from tests.programmes.conftest import ROLES

READERS = {"coordinator", "partner_manager", "other_partner_manager", "superuser"}
EDITORS = {"coordinator", "superuser"}
CREATORS = {"coordinator", "other_coordinator", "superuser"}


def call(pw, role, method, path, body=None):
    headers = {}
    if pw.users[role] is not None:
        headers["HTTP_AUTHORIZATION"] = f"Bearer {ApiToken.issue(pw.users[role], 'test')[1]}"
    from django.test import Client

    data = json.dumps(body) if body is not None else None
    return Client().generic(
        method, f"/api/programmes{path}", data=data, content_type="application/json", **headers
    )


def expected(role, allowed, ok=200):
    if role == "anonymous":
        return 401
    return ok if role in allowed else 403


@pytest.mark.parametrize("role", ROLES)
def test_read_operations(pw, role):
    slug = pw.programme.slug
    for path in (
        "",
        "/partners",
        "/grant-rules",
        "/periods",
        "/eligible-countries",
        "/kpi-targets",
        "/texts",
    ):
        response = call(pw, role, "GET", f"/{slug}{path}" if path else f"/{slug}")
        assert response.status_code == expected(role, READERS), (path, role)


@pytest.mark.parametrize("role", ROLES)
def test_write_operations(pw, role):
    slug = pw.programme.slug
    partner = pw.programme.partners.first()
    period = pw.programme.periods.first()
    kpi = pw.programme.kpi_targets.first()
    writes = [
        ("PATCH", f"/{slug}", {"languages": ["en", "de"]}),
        ("PUT", f"/{slug}/texts/en", {"description": "Open to all clusters"}),
        ("PATCH", f"/{slug}/partners/{partner.pk}", {"grant_budget_eur": "1000"}),
        ("PATCH", f"/{slug}/periods/{period.pk}", {"name": "First period"}),
        ("PATCH", f"/{slug}/kpi-targets/{kpi.pk}", {"published": True}),
        ("PUT", f"/{slug}/eligible-countries", {"countries": ["FR", "ES", "IT"]}),
    ]
    for method, path, body in writes:
        assert call(pw, role, method, path, body).status_code == expected(role, EDITORS), (path, role)


@pytest.mark.parametrize("role", ROLES)
def test_create(pw, role):
    body = {
        "name": "New",
        "acronym": f"N{ROLES.index(role)}",
        "start_date": "2030-01-01",
        "end_date": "2031-01-01",
    }
    response = call(pw, role, "POST", "", body)
    assert response.status_code == expected(role, CREATORS, ok=201)
    assert Programme.objects.filter(acronym=body["acronym"]).exists() == (role in CREATORS)


@pytest.mark.parametrize("role", ["coordinator", "partner_manager", "other_partner_manager"])
def test_fields_each_role_sees(pw, role):
    data = call(pw, role, "GET", f"/{pw.programme.slug}").json()
    assert set(data) == {
        "slug",
        "acronym",
        "name",
        "start_date",
        "end_date",
        "default_language",
        "languages",
        "website",
        "contact_email",
        "grant_budget_eur",
        "booking_reminder_days",
        "follow_up_months",
        "video_link_template",
        "steps",
    }
    assert data["languages"] == ["en"]
    assert {step["key"] for step in data["steps"]} == {
        "general",
        "texts",
        "periods",
        "countries",
        "partners",
        "rules",
        "kpis",
    }
    rules = call(pw, role, "GET", f"/{pw.programme.slug}/grant-rules").json()
    assert rules["caps"] == {"FR": "1100.00", "ES": "900.00"}


def test_token_scoped_to_another_area_cannot_reach_the_set_up(pw):
    token = ApiToken.issue(pw.users["coordinator"], "events only", scopes=("events:write",))[1]
    from django.test import Client

    response = Client().get(f"/api/programmes/{pw.programme.slug}", HTTP_AUTHORIZATION=f"Bearer {token}")
    assert response.status_code in {401, 403}
    token = ApiToken.issue(pw.users["coordinator"], "set-up", scopes=("programmes:read",))[1]
    assert (
        Client().get(f"/api/programmes/{pw.programme.slug}", HTTP_AUTHORIZATION=f"Bearer {token}").status_code
        == 200
    )


def test_bad_rules_are_refused_and_nothing_saved(pw):
    before = list(GrantRuleSet.objects.filter(programme=pw.programme).values())
    body = {
        "min_working_days": 3,
        "max_stay_months": 1,
        "full_rate_min_working_days": 30,
        "full_rate_min_distance_km": "200",
        "halving_factor": "0.5",
        "caps": {"FR": "1000"},
    }
    response = call(pw, "coordinator", "PUT", f"/{pw.programme.slug}/grant-rules", body)
    assert response.status_code == 422
    text = json.dumps(response.json())
    assert "missing: Spain (ES)" in text and "no stay could reach it" in text
    assert list(GrantRuleSet.objects.filter(programme=pw.programme).values()) == before


def test_bad_programme_is_refused(pw):
    body = {"name": "Backwards", "acronym": "BACK", "start_date": "2031-01-01", "end_date": "2030-01-01"}
    response = call(pw, "superuser", "POST", "", body)
    assert response.status_code == 422
    assert "cannot be before the start date" in json.dumps(response.json())
    assert not Programme.objects.filter(acronym="BACK").exists()


def test_a_change_saved_since_the_read_answers_412(pw):
    read = call(pw, "coordinator", "GET", f"/{pw.programme.slug}")
    etag = read["ETag"]
    from django.test import Client

    token = ApiToken.issue(pw.users["coordinator"], "test")[1]

    def patch(name):
        return Client().patch(
            f"/api/programmes/{pw.programme.slug}",
            data=json.dumps({"name": name}),
            content_type="application/json",
            HTTP_AUTHORIZATION=f"Bearer {token}",
            HTTP_IF_MATCH=etag,
        )

    first = patch("First")
    assert first.status_code == 200 and first["ETag"] != etag
    assert patch("Second").status_code == 412
    assert Programme.objects.get(pk=pw.programme.pk).name == "First"


# Removing, the history, the grant preview --------------------------------------------------------


@pytest.mark.parametrize("role", ROLES)
def test_remove_operations(pw, role):
    slug = pw.programme.slug
    removals = [
        ("periods", pw.programme.periods, pw.programme.periods.first()),
        ("partners", pw.programme.partners, pw.programme.partners.last()),  # cluster B: no records
        ("kpi-targets", pw.programme.kpi_targets, pw.programme.kpi_targets.first()),
    ]
    for path, related, item in removals:
        before = AuditEntry.objects.count()
        response = call(pw, role, "DELETE", f"/{slug}/{path}/{item.pk}")
        assert response.status_code == expected(role, EDITORS, ok=204), (path, role)
        assert related.filter(pk=item.pk).exists() == (role not in EDITORS)
        assert AuditEntry.objects.count() == before + (role in EDITORS)


def test_a_partner_with_records_is_kept_with_the_reason(xworld, pw):  # noqa: F811 - fixture imported above
    xworld.new_exchange()  # the visitor's partnership is cluster A's
    partner = pw.programme.partners.get(cluster=pw.w.cluster_a)
    response = call(pw, "coordinator", "DELETE", f"/{pw.programme.slug}/partners/{partner.pk}")
    assert response.status_code == 409
    assert "cannot be removed" in response.json()["detail"]
    assert pw.programme.partners.filter(pk=partner.pk).exists()


@pytest.mark.parametrize("role", ROLES)
def test_history_by_role(pw, role):
    call(
        pw,
        "coordinator",
        "PATCH",
        f"/{pw.programme.slug}/kpi-targets/{pw.programme.kpi_targets.first().pk}",
        {"published": True},
    )
    response = call(pw, role, "GET", f"/{pw.programme.slug}/history")
    assert response.status_code == expected(role, READERS), role
    if role in READERS:
        data = response.json()
        assert data["count"] == 1 and data["page"] == 1
        (entry,) = data["results"]
        assert set(entry) == {"at", "action", "actor", "item", "changes"}
        assert entry["action"] == "kpi.update" and entry["item"] == "Exchanges: 40"
        assert entry["actor"] == "plain.coordinator@test.example"
        assert entry["changes"] == {"published": ["False", "True"]}


STAY = {"visitor_country": "FR", "host_country": "ES", "start": "2026-06-15", "end": "2026-06-17"}
TYPED_RULES = {
    "min_working_days": 3,
    "max_stay_months": 1,
    "full_rate_min_working_days": 5,
    "full_rate_min_distance_km": "200",
    "halving_factor": "0.5",
    "caps": {"FR": "1100", "ES": "900"},
}


@pytest.mark.parametrize("role", ROLES)
def test_preview_by_role(pw, role):
    body = {"stay": {**STAY, "distance_km": 150}, "rules": TYPED_RULES}
    response = call(pw, role, "POST", f"/{pw.programme.slug}/grant-rules/preview", body)
    assert response.status_code == expected(role, EDITORS), role


def test_preview_gives_the_engines_grant_and_saves_nothing(pw):
    before = list(GrantRuleSet.objects.filter(programme=pw.programme).values())
    path = f"/{pw.programme.slug}/grant-rules/preview"
    # Three working days, 150 km: below both full-rate thresholds, the ES lump sum halved once.
    typed = call(
        pw, "coordinator", "POST", path, {"stay": {**STAY, "distance_km": 150}, "rules": TYPED_RULES}
    )
    data = typed.json()
    assert typed.status_code == 200 and data["eligible"] is True
    assert data["grant_eur"] == "450.00" and data["working_days"] == 3 and data["reasons"] == []
    assert data["applied_rules"]
    full = {**STAY, "end": "2026-06-19", "distance_km": 600}
    cheaper = {**TYPED_RULES, "caps": {"FR": "1100", "ES": "700"}}
    data = call(pw, "coordinator", "POST", path, {"stay": full, "rules": cheaper}).json()
    assert data["grant_eur"] == "700.00"
    assert call(pw, "coordinator", "POST", path, {"stay": full}).json()["grant_eur"] == "900.00"  # saved
    assert list(GrantRuleSet.objects.filter(programme=pw.programme).values()) == before


def test_preview_refuses_bad_rules_and_a_backwards_stay(pw):
    path = f"/{pw.programme.slug}/grant-rules/preview"
    gap = {**TYPED_RULES, "caps": {"FR": "1100"}}
    response = call(pw, "coordinator", "POST", path, {"stay": {**STAY, "distance_km": 150}, "rules": gap})
    assert response.status_code == 422 and "missing: Spain (ES)" in json.dumps(response.json())
    backwards = {**STAY, "start": "2026-06-17", "end": "2026-06-15", "distance_km": 150}
    response = call(pw, "coordinator", "POST", path, {"stay": backwards})
    assert response.status_code == 422 and "cannot be before the first day" in json.dumps(response.json())
    outside = {**STAY, "host_country": "DE", "distance_km": 150}  # like the page: eligible countries only
    response = call(pw, "coordinator", "POST", path, {"stay": outside})
    assert response.status_code == 422 and "host_country" in json.dumps(response.json())
    too_short = {**STAY, "end": "2026-06-15", "distance_km": 150}  # one working day: below the minimum
    data = call(pw, "coordinator", "POST", path, {"stay": too_short}).json()
    assert data["eligible"] is False and data["reasons"] and Decimal(data["grant_eur"]) == 0
