"""Reporting API: KPI values with ISO dates and the dashboard's permissions (token auth)."""

import pytest

from clusterxchange.accounts.models import ApiToken
from tests.reporting.test_views import ROLES


def api(rworld, role):
    from django.test import Client

    user = rworld.users[role]
    if user is None:
        return Client()
    _token, secret = ApiToken.issue(user, "test")
    return Client(headers={"Authorization": f"Bearer {secret}"})


VIEWERS = {"coordinator", "manager", "manager_b"}


def expected(role, allowed, ok=200, refused=404):
    if role in allowed:
        return ok
    return 401 if role == "anonymous" else refused


@pytest.mark.parametrize("role", ROLES)
def test_kpi_api_permission_matrix(rworld, role):
    client = api(rworld, role)
    base = f"/api/reporting/{rworld.programme.slug}/kpis"
    assert client.get(base).status_code == expected(role, VIEWERS)
    assert client.get(f"{base}/periods").status_code == expected(role, VIEWERS)
    own_a = client.get(f"{base}?partner={rworld.partner_a.pk}")
    assert own_a.status_code == (
        403 if role == "manager_b" else expected(role, VIEWERS)
    )  # B may not filter by A
    assert client.get(f"{base}/published").status_code == 200  # public aggregates
    assert client.get("/api/reporting/nope/kpis").status_code == (401 if role == "anonymous" else 404)


def test_kpi_values_with_iso_dates(rworld):
    client = api(rworld, "coordinator")
    body = client.get(f"/api/reporting/{rworld.programme.slug}/kpis?start=2023-07-01&end=2023-12-31").json()
    assert (body["start"], body["end"], body["partner_id"]) == ("2023-07-01", "2023-12-31", None)
    values = {kpi["code"]: kpi["value"] for kpi in body["kpis"]}
    assert values["exchanges"] == 2 and values["sme-exchanges"] == 1 and values["study-visits"] == 1
    periods = client.get(f"/api/reporting/{rworld.programme.slug}/kpis/periods").json()
    assert [(p["period"], p["start"]) for p in periods] == [("P1", "2023-01-01"), ("P2", "2023-07-01")]
    assert [{k["code"]: k["value"] for k in p["kpis"]}["exchanges"] for p in periods] == [1, 2]
    manager = (
        api(rworld, "manager")
        .get(f"/api/reporting/{rworld.programme.slug}/kpis?partner={rworld.partner_a.pk}")
        .json()
    )
    assert {k["code"]: k["value"] for k in manager["kpis"]}["exchanges"] == 2
    bad = client.get(f"/api/reporting/{rworld.programme.slug}/kpis?start=2023-07-01&end=2023-01-01")
    assert bad.status_code == 422


def test_published_kpis_are_aggregates_only(rworld):
    from django.test import Client

    body = Client().get(f"/api/reporting/{rworld.programme.slug}/kpis/published").json()
    assert all(item.pop("definition") and item.pop("planned") == 0 for item in body)
    assert body == [
        {"code": "exchanges", "name": "Exchanges", "value": 3, "target": 4, "percent": 75},
        {"code": "missions", "name": "Company missions", "value": 2, "target": 4, "percent": 50},
    ]
