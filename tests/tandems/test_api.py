"""Tandems API: the same permissions as the pages (token auth), and the same refusals."""

import pytest

from clusterxchange.accounts.models import ApiToken
from clusterxchange.tandems.models import TandemSession
from tests.tandems.conftest import ROLES

SECTION = {"coordinator", "manager", "staff", "other_manager"}
CLUSTER_A = {"coordinator", "manager", "staff"}


def api(tw, role):
    from django.test import Client

    user = tw.users[role]
    if user is None:
        return Client()
    _token, secret = ApiToken.issue(user, "test")
    return Client(headers={"Authorization": f"Bearer {secret}"})


def expected(role, allowed: set[str], ok: int = 200) -> int:
    if role in allowed:
        return ok
    return 401 if role == "anonymous" else 403


@pytest.mark.parametrize("role", ROLES)
def test_read_matrix(tw, role):
    client = api(tw, role)
    assert client.get("/api/tandems/topics").status_code == 200
    assert len(client.get("/api/tandems/topics").json()) >= 8
    listing = client.get("/api/tandems/")
    assert listing.status_code == expected(role, SECTION)
    if listing.status_code == 200:
        assert [t["title"] for t in listing.json()] == (["Cyber tandem"] if role in CLUSTER_A else [])
    assert client.get(f"/api/tandems/{tw.tandem.pk}").status_code == expected(role, CLUSTER_A)
    assert client.get("/api/tandems/assessments").status_code == expected(role, SECTION)
    assert client.get("/api/tandems/suggestions").status_code == expected(role, SECTION)
    reviews = client.get("/api/tandems/strategy-reviews")
    assert reviews.status_code == expected(role, SECTION)
    assert client.get(f"/api/tandems/strategy-reviews/{tw.review.pk}").status_code == expected(
        role, CLUSTER_A
    )


@pytest.mark.parametrize("role", ROLES)
def test_plan_session_matrix(tw, role):
    response = api(tw, role).post(
        f"/api/tandems/{tw.tandem.pk}/sessions",
        {"title": "API session", "mode": "virtual", "date": "2023-04-04"},
        content_type="application/json",
    )
    assert response.status_code == expected(role, CLUSTER_A, 201), response.content
    assert TandemSession.objects.filter(title="API session").exists() is (role in CLUSTER_A)


@pytest.mark.parametrize("role", ROLES)
def test_log_session_and_outcome_matrix(tw, role):
    client = api(tw, role)
    log = client.post(
        f"/api/tandems/sessions/{tw.session.pk}/log",
        {"held": True, "attendees": ["Anna", "Carla"], "notes": "ok"},
        content_type="application/json",
    )
    assert log.status_code == expected(role, CLUSTER_A)
    outcome = client.post(
        f"/api/tandems/{tw.tandem.pk}/outcomes",
        {"partner_id": tw.partner_a.pk, "kind": "improved", "service": "S", "description": "D"},
        content_type="application/json",
    )
    assert outcome.status_code == expected(role, CLUSTER_A, 201)


@pytest.mark.parametrize("role", ROLES)
def test_assess_matrix(tw, role):
    response = api(tw, role).post(
        "/api/tandems/assessments",
        {
            "partner_id": tw.partner_a.pk,
            "period_id": tw.period_1.pk,
            "ratings": [{"topic": "cybersecurity", "level": 2, "wants_to_learn": True}],
        },
        content_type="application/json",
    )
    assert response.status_code == expected(role, CLUSTER_A)


@pytest.mark.parametrize("role", ROLES)
def test_create_tandem_matrix(tw, role):
    response = api(tw, role).post(
        "/api/tandems/",
        {
            "programme": "test",
            "topic": "cluster-branding",
            "title": "API tandem",
            "goals": "Goals",
            "start_date": "2024-01-01",
            "end_date": "2024-05-01",
            "participants": [
                {"partner_id": tw.partner_a.pk, "role": "learner"},
                {"partner_id": tw.partner_b.pk, "role": "mentor"},
            ],
        },
        content_type="application/json",
    )
    # B's manager may create it too: B takes part
    assert response.status_code == expected(role, SECTION, 201), response.content


@pytest.mark.parametrize("role", ROLES)
def test_update_review_matrix(tw, role):
    response = api(tw, role).patch(
        f"/api/tandems/strategy-reviews/{tw.review.pk}", {"findings": "New"}, content_type="application/json"
    )
    assert response.status_code == expected(role, {"coordinator"})


def test_bad_input_gives_clear_errors(tw):
    client = api(tw, "manager")
    itself = client.post(
        "/api/tandems/",
        {
            "programme": "test",
            "topic": "cybersecurity",
            "title": "Alone",
            "goals": "G",
            "start_date": "2024-01-01",
            "end_date": "2024-05-01",
            "participants": [
                {"partner_id": tw.partner_a.pk, "role": "mentor"},
                {"partner_id": tw.partner_a.pk, "role": "learner"},
            ],
        },
        content_type="application/json",
    )
    assert itself.status_code == 422
    assert "cannot form a tandem with itself" in itself.content.decode()
    outside = client.post(
        f"/api/tandems/{tw.tandem.pk}/sessions",
        {"title": "Late", "mode": "virtual", "date": "2025-01-01"},
        content_type="application/json",
    )
    assert outside.status_code == 422
    assert "within the tandem's dates" in outside.content.decode()
    unknown = client.post(
        "/api/tandems/assessments",
        {
            "partner_id": tw.partner_a.pk,
            "period_id": tw.period_1.pk,
            "ratings": [{"topic": "knitting", "level": 3}],
        },
        content_type="application/json",
    )
    assert unknown.status_code == 422
    assert "knitting" in unknown.content.decode()
    level = client.post(
        "/api/tandems/assessments",
        {
            "partner_id": tw.partner_a.pk,
            "period_id": tw.period_1.pk,
            "ratings": [{"topic": "cybersecurity", "level": 7}],
        },
        content_type="application/json",
    )
    assert level.status_code == 422
