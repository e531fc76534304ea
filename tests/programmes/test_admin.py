"""Programme set-up in the admin: coordinators manage only their own programmes; exchanges are read-only."""

from datetime import date
from decimal import Decimal

import pytest

from clusterxchange.programmes.models import GrantRuleSet, Programme, ProgrammeRole, ReportingPeriod
from tests.conftest import ROLES, make_user


@pytest.fixture
def other(world):
    """Another programme with its own coordinator (staff), who must not see TEST."""
    programme = Programme.objects.create(
        name="Other", acronym="OTHER", slug="other", start_date=date(2023, 1, 1), end_date=date(2025, 1, 1)
    )
    coordinator = make_user("other.coordinator@test.example")
    coordinator.is_staff = True
    coordinator.save()
    ProgrammeRole.objects.create(programme=programme, user=coordinator)
    rules = GrantRuleSet.objects.create(programme=world.programme, visitor_types=["sme"], host_types=["sme"])
    return programme, coordinator, rules


def client_for(world, user):
    from django.test import Client

    client = Client()
    client.force_login(user)
    return client


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(
    "url",
    [
        "/admin/programmes/programme/",
        "/admin/programmes/programme/{programme}/change/",
        "/admin/programmes/grantruleset/",
        "/admin/exchanges/exchange/",
    ],
)
def test_only_coordinators_reach_the_programme_admin(world, other, role, url):
    response = world.client(role).get(url.format(programme=world.programme.pk))
    if role == "coordinator":
        assert response.status_code == 200
    else:
        assert response.status_code == 302
        assert "/admin/login/" in response["Location"]


def test_non_staff_coordinator_cannot_enter(world):
    coordinator = world.users["coordinator"]
    coordinator.is_staff = False
    coordinator.save()
    response = world.client("coordinator").get("/admin/programmes/programme/")
    assert response.status_code == 302


def test_coordinator_of_another_programme_neither_sees_nor_edits(world, other):
    programme, coordinator, rules = other
    client = client_for(world, coordinator)
    listing = client.get("/admin/programmes/programme/").content.decode()
    assert "OTHER" in listing and "TEST" not in listing
    assert client.get(f"/admin/programmes/programme/{world.programme.pk}/change/").status_code in {
        302,
        403,
        404,
    }
    response = client.post(f"/admin/programmes/programme/{world.programme.pk}/change/", {"name": "Hijacked"})
    assert response.status_code in {302, 403, 404}
    world.programme.refresh_from_db()
    assert world.programme.name == "Test programme"
    assert "TEST" not in client.get("/admin/programmes/grantruleset/").content.decode()
    assert client.get(f"/admin/programmes/grantruleset/{rules.pk}/change/").status_code in {302, 403, 404}
    assert client.get("/admin/programmes/programme/add/").status_code == 403
    # The other programme's own page works.
    assert client.get(f"/admin/programmes/programme/{programme.pk}/change/").status_code == 200


def test_coordinator_sets_up_the_programme(world, other):
    client = world.client("coordinator")
    page = client.get(f"/admin/programmes/programme/{world.programme.pk}/change/")
    content = page.content.decode()
    for label in ("grant budget", "Reporting periods", "KPIs", "Counted as", "Eligible countries"):
        assert label.lower() in content.lower()
    partners = list(world.programme.partners.all())
    data = {
        "name": "Test programme",
        "acronym": "TEST",
        "slug": "test",
        "description": "",
        "start_date": "2022-01-01",
        "end_date": "2030-01-01",
        "website": "",
        "grant_budget_eur": "120000",
        "contact_email": "",
        "partners-TOTAL_FORMS": str(len(partners)),
        "partners-INITIAL_FORMS": str(len(partners)),
        "periods-TOTAL_FORMS": "1",
        "periods-INITIAL_FORMS": "0",
        "periods-0-name": "1st period",
        "periods-0-start_date": "2022-02-01",
        "periods-0-end_date": "2022-09-30",
        "kpi_targets-TOTAL_FORMS": "1",
        "kpi_targets-INITIAL_FORMS": "0",
        "kpi_targets-0-code": "exchange-participants",
        "kpi_targets-0-name": "Participants in exchanges",
        "kpi_targets-0-measure": "exchange-participants",
        "kpi_targets-0-target": "96",
        "kpi_targets-0-position": "1",
        "kpi_targets-0-published": "on",
        "eligible_countries-TOTAL_FORMS": "1",
        "eligible_countries-INITIAL_FORMS": "0",
        "eligible_countries-0-country": "FR",
        "default_language": "en",
        "booking_reminder_days": "3",
        "follow_up_months": "3",
        "roles-TOTAL_FORMS": "1",
        "roles-INITIAL_FORMS": "1",
        "roles-0-id": str(world.programme.roles.get().pk),
        "roles-0-programme": str(world.programme.pk),
    }
    for index, partner in enumerate(partners):
        data |= {
            f"partners-{index}-id": str(partner.pk),
            f"partners-{index}-programme": str(world.programme.pk),
            f"partners-{index}-cluster": str(partner.cluster_id),
            f"partners-{index}-grant_budget_eur": "20000",
        }
        if partner.is_coordinator:
            data[f"partners-{index}-is_coordinator"] = "on"
    response = client.post(f"/admin/programmes/programme/{world.programme.pk}/change/", data)
    assert response.status_code == 302, response.content.decode()[:3000]
    world.programme.refresh_from_db()
    assert world.programme.grant_budget_eur == Decimal("120000")
    assert set(world.programme.partners.values_list("grant_budget_eur", flat=True)) == {Decimal("20000")}
    assert ReportingPeriod.objects.get(programme=world.programme).name == "1st period"
    kpi = world.programme.kpi_targets.get()
    assert (kpi.target, kpi.measure, kpi.published) == (96, "exchange-participants", True)

    rules = other[2]
    response = client.post(
        f"/admin/programmes/grantruleset/{rules.pk}/change/",
        {
            "min_working_days": "3",
            "max_stay_months": "1",
            "daily_rate_eur": "",
            "full_rate_min_working_days": "5",
            "full_rate_min_distance_km": "200",
            "halving_factor": "0.50",
            "visit_once": "on",
            "visitor_types": ["sme", "cluster"],
            "host_types": ["sme", "large_company"],
            "country_caps-TOTAL_FORMS": "1",
            "country_caps-INITIAL_FORMS": "0",
            "country_caps-0-country": "ES",
            "country_caps-0-amount_eur": "780",
        },
    )
    assert response.status_code == 302, response.content.decode()[:3000]
    rules.refresh_from_db()
    assert rules.visitor_types == ["sme", "cluster"]
    assert rules.country_caps.get().amount_eur == Decimal("780")


def test_exchanges_are_read_only_in_the_admin(world):
    from clusterxchange.exchanges.models import Exchange

    exchange = Exchange.objects.create(
        programme=world.programme,
        visitor_organisation=world.org_a1,
        visitor_partner=world.programme.partners.get(cluster=world.cluster_a),
        motivation="Learn",
        start_date=date(2030, 3, 4),
        end_date=date(2030, 3, 8),
    )
    client = world.client("coordinator")
    page = client.get(f"/admin/exchanges/exchange/{exchange.pk}/change/")
    assert page.status_code == 200
    assert exchange.reference in page.content.decode()
    assert 'name="state"' not in page.content.decode()
    client.post(f"/admin/exchanges/exchange/{exchange.pk}/change/", {"state": "paid"})
    exchange.refresh_from_db()
    assert exchange.state == "draft"
    assert client.get("/admin/exchanges/exchange/add/").status_code == 403
    assert client.get(f"/admin/exchanges/exchange/{exchange.pk}/delete/").status_code == 403
    stranger = make_user("stranger@test.example")
    stranger.is_staff = True
    stranger.save()
    response = client_for(world, stranger).get(f"/admin/exchanges/exchange/{exchange.pk}/change/")
    assert response.status_code in {302, 403}
