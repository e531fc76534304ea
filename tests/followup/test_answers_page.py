"""An event's follow-up answers: its organisers (the coordinator, the host cluster's manager) see what
its meetings led to, with the figures the KPIs count by the same rules; participants and others do
not; nobody sees who answered."""

from datetime import timedelta
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from clusterxchange.events.models import Meeting
from clusterxchange.followup.models import Outcome, Survey
from clusterxchange.reporting.measures import event_follow_up

pytestmark = pytest.mark.django_db


@pytest.fixture
def answers(world, fw):
    """Four surveys about the two meetings: both parties of the first say "commercial" (one
    agreement), one of the second says "none", one is unanswered."""
    first, second = Meeting.objects.filter(event=fw.event).order_by("pk")
    now = timezone.now()
    later = now + timedelta(days=60)

    def survey(meeting, user, **answer):
        return Survey.objects.create(
            programme=fw.event.programme, user=user, meeting=meeting, expires_at=later, **answer
        )

    survey(
        first,
        world.users["owner"],
        answered_at=now,
        outcome=Outcome.COMMERCIAL,
        value_eur=Decimal("40000"),
        recommend=True,
    )
    survey(
        first,
        world.users["outsider"],
        answered_at=now,
        outcome=Outcome.COMMERCIAL,
        value_eur=Decimal("2500"),
        recommend=True,
    )
    survey(second, fw.delta, answered_at=now, outcome=Outcome.NONE, recommend=False)
    survey(second, world.users["owner"])
    return fw


def url(fw):
    return reverse("reporting:event_follow_up", args=[fw.event.programme.slug, fw.event.slug])


def test_the_figures_count_by_the_kpis_rules(answers):
    follow_up = event_follow_up(answers.event)
    assert (follow_up.asked, follow_up.answered, follow_up.agreements) == (4, 3, 1)
    assert (follow_up.value_eur, follow_up.recommend) == (Decimal("42500"), 2)


@pytest.mark.parametrize(
    ("role", "status"),
    [
        ("coordinator", 200),
        ("manager", 200),
        ("owner", 403),
        ("same_cluster", 403),
        ("outsider", 403),
        ("anonymous", 302),
    ],
)
def test_only_the_events_organisers_see_the_answers(world, answers, role, status):
    response = world.client(role).get(url(answers))
    assert response.status_code == status
    if status != 200:
        return
    page = response.content.decode()
    assert "Alpha Sensors – Gamma Robotics" in page and "A commercial agreement" in page
    assert "No agreement" in page and "<dd>42,500</dd>" in page and "40000.00" in page and "None" not in page
    for user in (world.users["owner"], world.users["outsider"], answers.delta):  # never who answered
        assert user.email not in page
    assert 'id="follow-up-figures"' in page
    # The programme-wide lists only for those who may open them (a partner manager lists its own partner's).
    assert ("All agreements reached in the programme" in page) == (role == "coordinator")


def test_the_event_page_links_its_organisers_to_the_answers(world, answers):
    assert url(answers) in world.client("manager").get(answers.event.get_absolute_url()).content.decode()
    assert url(answers) not in world.client("owner").get(answers.event.get_absolute_url()).content.decode()
