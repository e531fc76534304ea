"""Set-up actions: bad input refused with a clear reason and nothing half-saved; every change in the
programme's history; the copy for a new call."""

from datetime import date
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from clusterxchange.core.domain import Refused
from clusterxchange.core.models import AuditEntry
from clusterxchange.directory.models import Organisation
from clusterxchange.programmes import domain
from clusterxchange.programmes.models import (
    CountryCap,
    EligibleCountry,
    GrantRuleSet,
    KpiTarget,
    PartnerCluster,
    Programme,
    ReportingPeriod,
)
from clusterxchange.programmes.steps import setup_steps
from tests.conftest import make_org
from tests.exchanges.conftest import xworld  # noqa: F401 - the exchanges world


def history(programme):
    return list(
        AuditEntry.objects.filter(object_type="programmes.programme", object_id=str(programme.pk)).order_by(
            "id"
        )
    )


def programme_fields(**overrides):
    return {
        "name": "Cluster bridges",
        "acronym": "BRIDGE",
        "start_date": date(2027, 1, 1),
        "end_date": date(2028, 12, 31),
        "default_language": "de",
        **overrides,
    }


def unchanged(programme):
    """A snapshot of everything the set-up holds, to compare before and after a refusal."""
    rules = GrantRuleSet.objects.filter(programme=programme).first()
    return (
        list(Programme.objects.filter(pk=programme.pk).values()),
        list(programme.periods.values()),
        list(programme.partners.values()),
        list(programme.eligible_countries.values()),
        list(GrantRuleSet.objects.filter(programme=programme).values()),
        list(CountryCap.objects.filter(rules=rules).values()),
        list(programme.kpi_targets.values()),
        AuditEntry.objects.count(),
        Organisation.objects.count(),
    )


# Programme ---------------------------------------------------------------------------------------


def test_creator_becomes_coordinator_with_default_rules(pw):
    creator = pw.users["superuser"]
    programme = domain.create_programme(creator, programme_fields())
    assert programme.slug == "bridge"
    assert programme.default_language == "de"
    assert programme.roles.filter(user=creator, role="coordinator").exists()
    assert GrantRuleSet.objects.filter(programme=programme).exists()
    [entry] = history(programme)
    assert entry.action == "programmes.programme.create" and entry.actor == creator
    assert entry.changes["acronym"] == ["None", "BRIDGE"]


@pytest.mark.parametrize(
    ("fields", "field", "message"),
    [
        ({"end_date": date(2026, 1, 1)}, "end_date", "cannot be before the start date"),
        ({"acronym": "test"}, "acronym", "already used by another programme"),
        ({"default_language": "xx"}, "default_language", "is not a valid choice"),
        ({"grant_budget_eur": Decimal("-1")}, "grant_budget_eur", "greater than or equal to 0"),
    ],
)
def test_bad_programme_is_refused(pw, fields, field, message):
    before = Programme.objects.count(), AuditEntry.objects.count()
    with pytest.raises(ValidationError) as error:
        domain.create_programme(pw.users["superuser"], programme_fields(**fields))
    assert message in " ".join(error.value.message_dict[field])
    assert (Programme.objects.count(), AuditEntry.objects.count()) == before


def test_programme_dates_cannot_leave_a_period_outside(pw):
    before = unchanged(pw.programme)
    with pytest.raises(ValidationError, match="Period 1"):
        domain.update_programme(pw.users["coordinator"], pw.programme, {"start_date": date(2023, 1, 1)})
    assert unchanged(Programme.objects.get(pk=pw.programme.pk)) == before


def test_update_is_recorded_with_its_changes(pw):
    domain.update_programme(pw.users["coordinator"], pw.programme, {"name": "Renamed", "acronym": "TEST"})
    entry = history(pw.programme)[-1]
    assert entry.action == "programmes.programme.update"
    assert entry.changes == {"name": ["Test programme", "Renamed"]}


def test_only_permitted_roles_change_the_set_up(pw):
    for role in (
        "other_coordinator",
        "partner_manager",
        "other_partner_manager",
        "other_programme_manager",
        "organisation_admin",
        "member",
        "outsider",
    ):
        with pytest.raises(PermissionDenied):
            domain.update_programme(pw.users[role], pw.programme, {"name": "Hijacked"})
        with pytest.raises(PermissionDenied):
            domain.add_period(
                pw.users[role],
                pw.programme,
                {"name": "X", "start_date": date(2023, 1, 1), "end_date": date(2023, 2, 1)},
            )
    for role in ("partner_manager", "other_programme_manager", "organisation_admin", "member", "outsider"):
        with pytest.raises(PermissionDenied):
            domain.create_programme(pw.users[role], programme_fields())
    assert Programme.objects.get(pk=pw.programme.pk).name == "Test programme"


# Reporting periods -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("start", "end", "message"),
    [
        (date(2021, 6, 1), date(2021, 12, 31), "within the programme"),
        (date(2029, 6, 1), date(2030, 6, 1), "within the programme"),
        (date(2022, 6, 1), date(2023, 5, 31), "overlaps Period 1"),
        (date(2023, 6, 1), date(2023, 1, 1), "cannot be before the start date"),
    ],
)
def test_bad_period_is_refused(pw, start, end, message):
    before = unchanged(pw.programme)
    with pytest.raises(ValidationError, match=message):
        domain.add_period(
            pw.users["coordinator"], pw.programme, {"name": "P2", "start_date": start, "end_date": end}
        )
    assert unchanged(pw.programme) == before


def test_period_with_records_is_kept(pw, monkeypatch):
    period = pw.programme.periods.first()
    monkeypatch.setattr(domain, "_records_of", lambda instance: ["tandem KPIs"])
    with pytest.raises(Refused, match="tandem KPIs"):
        domain.remove_period(pw.users["coordinator"], period)
    assert ReportingPeriod.objects.filter(pk=period.pk).exists()


def test_periods_are_recorded(pw):
    period = domain.add_period(
        pw.users["coordinator"],
        pw.programme,
        {"name": "P2", "start_date": date(2023, 1, 1), "end_date": date(2023, 12, 31)},
    )
    domain.update_period(pw.users["coordinator"], period, {"name": "Period 2"})
    domain.remove_period(pw.users["coordinator"], period)
    actions = [(e.action, e.comment) for e in history(pw.programme)]
    assert [a for a, _ in actions] == [
        "programmes.period.add",
        "programmes.period.update",
        "programmes.period.remove",
    ]
    assert history(pw.programme)[1].changes == {"name": ["P2", "Period 2"]}


# Eligible countries ------------------------------------------------------------------------------


def test_countries_removed_take_their_lump_sum_along(pw):
    domain.set_eligible_countries(pw.users["coordinator"], pw.programme, ["fr", "DE"])
    assert sorted(str(c.country) for c in pw.programme.eligible_countries.all()) == ["DE", "FR"]
    assert sorted(str(c.country) for c in CountryCap.objects.filter(rules__programme=pw.programme)) == ["FR"]
    rules_step = next(step for step in setup_steps(pw.programme) if step.key == "rules")
    assert not rules_step.done and "DE" in rules_step.missing[0]
    assert history(pw.programme)[-1].changes == {"countries": ["ES, FR", "DE, FR"]}


@pytest.mark.parametrize("countries", [[], ["ZZ"]])
def test_bad_countries_are_refused(pw, countries):
    before = unchanged(pw.programme)
    with pytest.raises(ValidationError):
        domain.set_eligible_countries(pw.users["coordinator"], pw.programme, countries)
    assert unchanged(pw.programme) == before


# Partners ----------------------------------------------------------------------------------------


def test_a_partner_must_be_a_cluster(pw):
    before = unchanged(pw.programme)
    with pytest.raises(ValidationError, match="not a cluster organisation"):
        domain.add_partner(pw.users["coordinator"], pw.programme, pw.w.org_a1, {})
    assert unchanged(pw.programme) == before


def test_two_coordinating_partners_are_refused(pw):
    cluster = make_org("Cluster C", "DE", "cluster")
    before = unchanged(pw.programme)
    with pytest.raises(ValidationError, match="Cluster A is already the coordinating partner"):
        domain.add_partner(pw.users["coordinator"], pw.programme, cluster, {"is_coordinator": True})
    partner_b = pw.programme.partners.get(cluster=pw.w.cluster_b)
    with pytest.raises(ValidationError, match="already the coordinating partner"):
        domain.update_partner(pw.users["coordinator"], partner_b, {"is_coordinator": True})
    assert unchanged(pw.programme) == before


def test_same_cluster_twice_and_negative_budget_are_refused(pw):
    before = unchanged(pw.programme)
    with pytest.raises(ValidationError, match="already a partner"):
        domain.add_partner(pw.users["coordinator"], pw.programme, pw.w.cluster_b, {})
    with pytest.raises(ValidationError):
        domain.add_partner(
            pw.users["coordinator"],
            pw.programme,
            make_org("Cluster D", "IT", "cluster"),
            {"grant_budget_eur": Decimal("-5")},
        )
    assert unchanged(pw.programme)[:8] == before[:8]


def test_new_cluster_is_created_with_its_partnership_or_not_at_all(pw):
    coordinator = pw.users["coordinator"]
    partner = domain.add_new_cluster_partner(
        coordinator,
        pw.programme,
        {"name": "Cluster Nord", "country": "DK", "city": "Aarhus", "website": ""},
        {"grant_budget_eur": Decimal("50000")},
    )
    assert partner.cluster.org_type == "cluster" and partner.grant_budget_eur == 50000
    # registered on the spot, without coordinates: the centre of Aarhus (grant distances need them)
    assert (round(partner.cluster.latitude, 1), round(partner.cluster.longitude, 1)) == (56.2, 10.2)
    assert partner.cluster.coordinates_from_city
    before = unchanged(pw.programme)
    with pytest.raises(ValidationError):
        domain.add_new_cluster_partner(
            coordinator,
            pw.programme,
            {"name": "Cluster Süd", "country": "DE", "city": "", "website": ""},
            {"is_coordinator": True},
        )
    assert unchanged(pw.programme) == before  # no orphan organisation left behind


def test_partner_with_records_is_kept(xworld, pw):  # noqa: F811 - fixture imported above
    xworld.new_exchange()  # the visitor's partnership is cluster A's
    partner = pw.programme.partners.get(cluster=pw.w.cluster_a)
    with pytest.raises(Refused, match="cannot be removed"):
        domain.remove_partner(pw.users["coordinator"], partner)
    assert PartnerCluster.objects.filter(pk=partner.pk).exists()


# Grant rules -------------------------------------------------------------------------------------

RULES = {
    "min_working_days": 3,
    "max_stay_months": 1,
    "full_rate_min_working_days": 5,
    "full_rate_min_distance_km": Decimal("200"),
    "halving_factor": Decimal("0.5"),
    "daily_rate_eur": None,
}


@pytest.mark.parametrize(
    ("fields", "caps", "field", "message"),
    [
        ({}, {"FR": Decimal("1000")}, "caps", "missing: Spain (ES)"),
        ({}, {"FR": 1, "ES": 1, "IT": 1}, "caps", "Italy (IT), which is not an eligible country"),
        ({}, {"FR": Decimal("-1"), "ES": 1}, "caps", "cannot be negative"),
        (
            {"full_rate_min_working_days": 30},
            {"FR": 1, "ES": 1},
            "full_rate_min_working_days",
            "no stay could reach it",
        ),
        ({"min_working_days": 40}, {"FR": 1, "ES": 1}, "min_working_days", "above the maximum stay"),
        ({"daily_rate_eur": Decimal("-10")}, {"FR": 1, "ES": 1}, "daily_rate_eur", "cannot be negative"),
        (
            {"full_rate_min_distance_km": Decimal("-1")},
            {"FR": 1, "ES": 1},
            "full_rate_min_distance_km",
            "cannot be negative",
        ),
        ({"halving_factor": Decimal("1.5")}, {"FR": 1, "ES": 1}, "halving_factor", "between 0 and 1"),
        ({"max_stay_months": 0}, {"FR": 1, "ES": 1}, "max_stay_months", "at least one month"),
    ],
)
def test_rules_with_gaps_or_overlaps_are_refused(pw, fields, caps, field, message):
    before = unchanged(pw.programme)
    with pytest.raises(ValidationError) as error:
        domain.update_grant_rules(pw.users["coordinator"], pw.programme, {**RULES, **fields}, caps)
    assert message in " ".join(error.value.message_dict[field])
    assert unchanged(pw.programme) == before


def test_rules_update_is_recorded_with_caps(pw):
    domain.update_grant_rules(
        pw.users["coordinator"],
        pw.programme,
        {**RULES, "daily_rate_eur": Decimal("120")},
        {"FR": Decimal("1100"), "ES": Decimal("950")},
    )
    entry = history(pw.programme)[-1]
    assert entry.action == "programmes.rules.update"
    assert entry.changes["daily_rate_eur"] == ["None", "120"]
    assert entry.changes["cap ES"] == ["900.00", "950"]
    assert "cap FR" not in entry.changes


# KPI targets -------------------------------------------------------------------------------------


def test_kpis_are_checked_and_recorded(pw):
    coordinator = pw.users["coordinator"]
    before = unchanged(pw.programme)
    with pytest.raises(ValidationError):
        domain.add_kpi(
            coordinator,
            pw.programme,
            {"code": "exchanges", "name": "Again", "measure": "exchanges", "target": 1},
        )
    with pytest.raises(ValidationError, match="Choose how this KPI is counted"):
        domain.add_kpi(
            coordinator, pw.programme, {"code": "custom", "name": "Custom", "measure": "", "target": 1}
        )
    assert unchanged(pw.programme) == before
    kpi = domain.add_kpi(
        coordinator,
        pw.programme,
        {"code": "missions", "name": "Missions", "measure": "missions", "target": 4, "published": True},
    )
    domain.update_kpi(coordinator, kpi, {"published": False})
    assert history(pw.programme)[-1].changes == {"published": ["True", "False"]}


# Copy --------------------------------------------------------------------------------------------


def test_copy_for_a_new_call(xworld, pw):  # noqa: F811 - fixture imported above
    xworld.new_exchange()
    source = pw.programme
    GrantRuleSet.objects.filter(programme=source).update(daily_rate_eur=Decimal("150"), max_stay_months=2)
    source.partners.filter(cluster=pw.w.cluster_a).update(grant_budget_eur=Decimal("70000"))
    copy = domain.copy_programme(
        pw.users["coordinator"],
        source,
        {
            "name": "Test programme II",
            "acronym": "TEST2",
            "start_date": date(2030, 2, 1),
            "end_date": date(2031, 12, 31),
        },
    )
    assert copy.roles.filter(user=pw.users["coordinator"]).exists()
    assert sorted(str(c.country) for c in copy.eligible_countries.all()) == ["DE", "ES", "FR", "PL"]
    rules = GrantRuleSet.objects.get(programme=copy)
    assert (rules.daily_rate_eur, rules.max_stay_months) == (Decimal("150"), 2)
    caps = {str(c.country): c.amount_eur for c in rules.country_caps.all()}
    assert caps == {"FR": 1100, "ES": 1000, "DE": 1100, "PL": 800}
    assert rules.visitor_types == ["cluster", "sme", "scaling_up", "research"]
    assert sorted(
        (p.cluster_id, p.is_coordinator, p.grant_budget_eur) for p in copy.partners.all()
    ) == sorted((p.cluster_id, p.is_coordinator, p.grant_budget_eur) for p in source.partners.all())
    assert list(copy.kpi_targets.values_list("code", "target")) == [("exchanges", 40)]
    assert not copy.periods.exists()
    assert not copy.exchanges.exists() and source.exchanges.exists()
    assert history(copy)[0].comment == "Copied from TEST"


def test_copy_needs_a_new_acronym_and_the_right_to_change_the_source(pw):
    fields = {"name": "X", "acronym": "TEST", "start_date": date(2030, 1, 1), "end_date": date(2031, 1, 1)}
    before = Programme.objects.count(), KpiTarget.objects.count(), EligibleCountry.objects.count()
    with pytest.raises(ValidationError, match="already used"):
        domain.copy_programme(pw.users["coordinator"], pw.programme, fields)
    with pytest.raises(PermissionDenied):
        domain.copy_programme(pw.users["other_coordinator"], pw.programme, {**fields, "acronym": "NEW"})
    assert (Programme.objects.count(), KpiTarget.objects.count(), EligibleCountry.objects.count()) == before


def test_overview_names_partner_budgets_above_the_total(pw):
    Programme.objects.filter(pk=pw.programme.pk).update(grant_budget_eur=Decimal("10000"))
    pw.programme.refresh_from_db()
    pw.programme.partners.update(grant_budget_eur=Decimal("6000"))
    partners = next(step for step in setup_steps(pw.programme) if step.key == "partners")
    assert partners.missing == [
        "The partners' grant budgets (€12,000.00) exceed the programme's total (€10,000.00)."
    ]


def test_reminder_and_follow_up_settings_are_set_on_the_programme_page_and_copied(world):
    """The reminders' and surveys' programme settings need no admin: the programme page sets them
    (empty = the default), the API reads them, and a copy for a new call keeps them."""
    client = world.client("coordinator")
    page = reverse("programmes:edit", args=[world.programme.slug])
    form = client.get(page).context["form"]
    assert {"booking_reminder_days", "follow_up_months"} <= set(form.fields)
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update(
        start_date="2022-01-01", end_date="2030-01-01", booking_reminder_days="7", follow_up_months=""
    )
    response = client.post(page, data)
    assert response.status_code == 302, response.context["form"].errors
    world.programme.refresh_from_db()
    assert (world.programme.booking_reminder_days, world.programme.follow_up_months) == (7, 3)
    assert client.get(f"/api/programmes/{world.programme.slug}").json()["booking_reminder_days"] == 7
    copy = domain.copy_programme(
        world.users["coordinator"],
        world.programme,
        {
            "name": "Next call",
            "acronym": "NEXT",
            "start_date": date(2031, 1, 1),
            "end_date": date(2032, 1, 1),
        },
    )
    assert (copy.booking_reminder_days, copy.follow_up_months) == (7, 3)


@pytest.mark.parametrize("template", ["https://meet.jit.si", "https://video.example.org/r/{room}?x=1"])
def test_the_video_link_template_is_set_on_the_programme_page_and_copied(world, template):
    client = world.client("coordinator")
    page = reverse("programmes:edit", args=[world.programme.slug])
    form = client.get(page).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update(start_date="2022-01-01", end_date="2030-01-01", video_link_template=template)
    response = client.post(page, data)
    assert response.status_code == 302, response.context["form"].errors
    world.programme.refresh_from_db()
    assert world.programme.video_link_template == template
    assert client.get(f"/api/programmes/{world.programme.slug}").json()["video_link_template"] == template
    copy = domain.copy_programme(
        world.users["coordinator"],
        world.programme,
        {
            "name": "Next call",
            "acronym": "NEXT",
            "start_date": date(2031, 1, 1),
            "end_date": date(2032, 1, 1),
        },
    )
    assert copy.video_link_template == template


@pytest.mark.parametrize("template", ["ftp://meet.example.org", "javascript:alert(1)//{room}", "meet.jit.si"])
def test_a_video_link_template_that_is_not_http_is_refused(world, template):
    client = world.client("coordinator")
    page = reverse("programmes:edit", args=[world.programme.slug])
    form = client.get(page).context["form"]
    data = {name: value for name, value in form.initial.items() if value is not None and name in form.fields}
    data.update(start_date="2022-01-01", end_date="2030-01-01", video_link_template=template)
    response = client.post(page, data)
    assert response.status_code == 200
    assert "starts with http:// or https://" in str(response.context["form"].errors["video_link_template"])
    patched = client.patch(
        f"/api/programmes/{world.programme.slug}",
        {"video_link_template": template},
        content_type="application/json",
    )
    assert patched.status_code == 422, patched.content
    world.programme.refresh_from_db()
    assert world.programme.video_link_template == ""
