"""The demo loader: the EXCITE partners, ~200 members, one login per role; loading twice adds nothing."""

import os

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse

from clusterxchange.accounts.models import User
from clusterxchange.core.demo import load_demo
from clusterxchange.core.models import OutgoingEmail
from clusterxchange.directory.models import Opportunity, Organisation, Person
from clusterxchange.events.demo import SSD_SLUG
from clusterxchange.events.models import Event
from clusterxchange.followup.reminders import sent_for_events
from clusterxchange.messaging.models import GroupMessage
from clusterxchange.programmes.models import PartnerCluster, Programme
from clusterxchange.reporting.measures import Scope, kpi_values


@pytest.mark.django_db
def test_demo_loads_once_and_is_idempotent():
    first = load_demo()
    counts = (
        Organisation.objects.count(),
        Person.objects.count(),
        Opportunity.objects.count(),
        User.objects.count(),
    )
    assert 190 <= counts[0] <= 230
    partners = {p.cluster.name: p for p in PartnerCluster.objects.select_related("cluster")}
    assert set(partners) == {
        "Silicon Saxony",
        "Pôle SCS",
        "GAIA",
        "Mazovia Cluster ICT",
        "Business Hive Vilnius",
        "Cluster for Digital Transformation and Innovations",
    }
    # Both calls work in English and their partners' languages, with a public text in each.
    for programme in Programme.objects.all():
        assert programme.languages == ["en", "de", "fr", "es", "pl", "lt", "bg"]
        assert sorted(programme.texts.exclude(description="").values_list("language", flat=True)) == sorted(
            programme.languages
        )
    assert partners["Silicon Saxony"].is_coordinator
    assert partners["Silicon Saxony"].cluster.city == "Dresden"
    assert partners["Pôle SCS"].cluster.city == "Sophia Antipolis"
    countries = set(Organisation.objects.values_list("country", flat=True))
    assert countries == {"DE", "FR", "ES", "PL", "LT", "BG"}
    assert Organisation.objects.filter(is_sme=True).count() > 80
    assert len(first.logins) >= 4  # the exchanges part adds a host and a visitor
    _silicon_saxony_day_history_and_follow_up()
    _role_history()
    _interests()
    second = load_demo()
    assert (
        Organisation.objects.count(),
        Person.objects.count(),
        Opportunity.objects.count(),
        User.objects.count(),
    ) == counts
    assert second.logins == first.logins


def _interests():
    """Both participant logins find expressions of interest on their Interests page: one waiting for
    the SME member's answer, one of theirs accepted (with the other side's contact address)."""
    from clusterxchange.directory.models import OpportunityInterest, RequestStatus

    accepted = OpportunityInterest.objects.get(status=RequestStatus.APPROVED)
    sme_member = User.objects.get(email="member.sme@excite.example")
    client = Client()
    client.force_login(sme_member)
    sent = client.get(reverse("join:interests") + "?tab=sent").content.decode()
    assert accepted.opportunity.title in sent
    assert accepted.opportunity.organisation.email in sent
    sme = sme_member.memberships.get().organisation
    waiting = OpportunityInterest.objects.filter(status=RequestStatus.PENDING, opportunity__organisation=sme)
    received = client.get(reverse("join:interests")).content.decode()
    assert waiting.first().organisation.name in received


def _silicon_saxony_day_history_and_follow_up():
    """#17 point 9: the Silicon Saxony Day shows a sent message and reminders in its history (the
    coordinator's Group messages page); follow-up answers feed the dashboard's two KPIs."""
    event = Event.objects.get(slug=SSD_SLUG)
    message = GroupMessage.objects.get(audience=f"event_participants:{event.pk}")
    assert message.status == GroupMessage.Status.SENT and message.queued > 0
    rows = {row.kind: row.count for row in sent_for_events([event])}
    assert rows["agenda"] > 50 and rows["meeting_soon"] > 5, rows
    assert not OutgoingEmail.objects.filter(
        status=OutgoingEmail.Status.QUEUED
    ).exists()  # the demo sends none
    coordinator = User.objects.get(email="coordinator@excite.example")
    client = Client()
    client.force_login(coordinator)
    page = client.get(reverse("messaging:list")).content.decode()
    assert message.subject in page and 'id="reminders"' in page and "Agenda the day before" in page
    values = {item.kpi.measure: item.value for item in kpi_values(event.programme, Scope())}
    assert values["agreements-reached"] > 0 and values["follow-ups-answered"] > 0, values


@pytest.mark.django_db
def test_demo_command_without_serving(capsys, settings, monkeypatch):
    monkeypatch.delenv("SITE_URL", raising=False)  # both put back as they were after the test
    settings.SITE_URL = "http://127.0.0.1:8000"
    call_command("demo", no_serve=True, port=8765)
    output = capsys.readouterr().out
    assert "http://127.0.0.1:8765/" in output
    # The links of the demo's emails open the port served (the worker reads the environment).
    assert settings.SITE_URL == os.environ["SITE_URL"] == "http://127.0.0.1:8765"
    assert "coordinator@excite.example" in output
    assert "excite-demo-2026" in output


def _role_history():
    """Every role of the demo has the entry its giving writes (accounts.domain.assign_role), so the
    members pages show a history: a partner manager sees who appointed them and the members they
    gave roles to; a plain member sees no history."""
    from clusterxchange.accounts.models import Membership
    from clusterxchange.core.models import AuditEntry
    from clusterxchange.programmes.models import ProgrammeRole

    given = set(
        AuditEntry.objects.filter(action="accounts.role.assign").values_list(
            "object_type", "object_id", "subject"
        )
    )
    missing = [
        m
        for m in Membership.objects.all()
        if ("directory.organisation", str(m.organisation_id), m.user_id) not in given
    ] + [
        r
        for r in ProgrammeRole.objects.all()
        if ("programmes.programme", str(r.programme_id), r.user_id) not in given
    ]
    assert missing == []
    manager = User.objects.get(email="manager.scs@excite.example")
    member = User.objects.get(email="member.sme@excite.example")
    for viewer, organisation, names in (
        (manager, Organisation.objects.get(name="Pôle SCS"), ["Katrin Vogel", "Claire Martin"]),
        (manager, member.memberships.get().organisation, ["Claire Martin", "Julien Bernard"]),
    ):
        client = Client()
        client.force_login(viewer)
        page = client.get(reverse("accounts:organisation_members", args=[organisation.slug])).content.decode()
        history = page.split('id="history-title"', 1)[1]
        assert all(name in history for name in names), (organisation, names)
    client = Client()
    client.force_login(member)
    page = client.get(
        reverse("accounts:organisation_members", args=[member.memberships.get().organisation.slug])
    )
    assert 'id="history-title"' not in page.content.decode()
