"""Tandem domain rules: refusals with clear reasons, nothing half-written, audit entries, history."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from clusterxchange.core.models import AuditEntry
from clusterxchange.programmes.models import PartnerCluster, Programme, ReportingPeriod
from clusterxchange.tandems import domain
from clusterxchange.tandems.domain import Participation, Rating
from clusterxchange.tandems.models import CapabilityAssessment, StrategyReview, Tandem, TandemSession
from tests.tandems.conftest import topic

FIELDS = {
    "title": "New tandem",
    "goals": "Learn.",
    "start_date": date(2024, 1, 1),
    "end_date": date(2024, 6, 30),
    "status": "planned",
}


def messages(exc) -> str:
    return " ".join(exc.value.messages)


def test_a_cluster_cannot_form_a_tandem_with_itself(tw):
    before = Tandem.objects.count()
    with pytest.raises(ValidationError) as exc:
        domain.create_tandem(
            tw.user("manager"),
            tw.world.programme,
            topic("cybersecurity"),
            FIELDS,
            [Participation(tw.partner_a, "mentor"), Participation(tw.partner_a, "learner")],
        )
    assert "cannot form a tandem with itself" in messages(exc)
    assert Tandem.objects.count() == before


@pytest.mark.parametrize(
    ("roles", "message"),
    [
        (["mentor"], "at least two partner clusters"),
        (["learner", "learner"], "a mentor and a learner"),
        (["mentor", "mentor"], "a mentor and a learner"),
    ],
)
def test_tandem_needs_two_clusters_and_someone_who_learns(tw, roles, message):
    partners = [tw.partner_a, tw.partner_b]
    with pytest.raises(ValidationError) as exc:
        domain.create_tandem(
            tw.user("manager"),
            tw.world.programme,
            topic("cybersecurity"),
            FIELDS,
            [Participation(partners[i], role) for i, role in enumerate(roles)],
        )
    assert message in messages(exc)


def test_end_before_start_is_refused(tw):
    with pytest.raises(ValidationError) as exc:
        domain.create_tandem(
            tw.user("coordinator"),
            tw.world.programme,
            topic("cybersecurity"),
            {**FIELDS, "end_date": date(2023, 12, 1)},
            [Participation(tw.partner_a, "mutual"), Participation(tw.partner_b, "mutual")],
        )
    assert "end date cannot be before the start date" in messages(exc)


def test_staff_create_tandems_of_their_own_cluster_only(tw):
    with pytest.raises(PermissionDenied):
        domain.create_tandem(
            tw.user("manager"),
            tw.world.programme,
            topic("cybersecurity"),
            FIELDS,
            [Participation(tw.partner_b, "mentor"), Participation(tw.partner_c, "learner")],
        )
    with pytest.raises(PermissionDenied):
        domain.create_tandem(
            tw.user("same_cluster"),
            tw.world.programme,
            topic("cybersecurity"),
            FIELDS,
            [Participation(tw.partner_a, "mentor"), Participation(tw.partner_b, "learner")],
        )
    tandem = domain.create_tandem(
        tw.user("staff"),
        tw.world.programme,
        topic("cluster-branding"),
        FIELDS,
        [Participation(tw.partner_a, "learner"), Participation(tw.partner_b, "mentor")],
    )
    assert tandem.created_by == tw.users["staff"]
    assert AuditEntry.objects.filter(action="tandems.tandem.create", object_id=str(tandem.pk)).exists()


def test_partners_of_another_programme_are_refused(tw):
    other = Programme.objects.create(
        name="Other", acronym="OTH", slug="other", start_date=date(2022, 1, 1), end_date=date(2030, 1, 1)
    )
    stranger = PartnerCluster.objects.create(programme=other, cluster=tw.world.cluster_b)
    with pytest.raises(ValidationError) as exc:
        domain.create_tandem(
            tw.user("coordinator"),
            tw.world.programme,
            topic("cybersecurity"),
            FIELDS,
            [Participation(tw.partner_a, "mentor"), Participation(stranger, "learner")],
        )
    assert "partner of the programme" in messages(exc)


@pytest.mark.parametrize("day", [date(2022, 12, 31), date(2024, 1, 1)])
def test_sessions_outside_the_tandem_dates_are_refused(tw, day):
    with pytest.raises(ValidationError) as exc:
        domain.plan_session(
            tw.user("staff"),
            tw.tandem,
            {"title": "Out", "mode": "virtual", "date": day, "location": "", "agenda": ""},
        )
    assert "within the tandem's dates (01.01.2023 – 31.12.2023)" in messages(exc)
    assert not TandemSession.objects.filter(title="Out").exists()


def test_sessions_on_the_first_and_last_day_are_fine(tw):
    for day in (date(2023, 1, 1), date(2023, 12, 31)):
        domain.plan_session(
            tw.user("staff"),
            tw.tandem,
            {"title": f"On {day}", "mode": "virtual", "date": day, "location": "", "agenda": ""},
        )
    assert tw.tandem.sessions.count() == 3


def test_on_site_sessions_need_a_location(tw):
    with pytest.raises(ValidationError) as exc:
        domain.plan_session(
            tw.user("staff"),
            tw.tandem,
            {"title": "Visit", "mode": "on_site", "date": date(2023, 3, 1), "location": ""},
        )
    assert "location" in exc.value.message_dict


def test_changing_the_dates_may_not_strand_a_session(tw):
    with pytest.raises(ValidationError) as exc:
        domain.update_tandem(tw.user("staff"), tw.tandem, {"start_date": date(2023, 3, 1)})
    assert "1 session(s) would fall outside the new dates" in messages(exc)
    tw.tandem.refresh_from_db()
    assert tw.tandem.start_date == date(2023, 1, 1)


def test_outsiders_cannot_change_a_tandem(tw):
    for role in ("other_manager", "same_cluster", "outsider"):
        with pytest.raises(PermissionDenied):
            domain.update_tandem(tw.user(role), tw.tandem, {"status": "completed"})


@pytest.mark.date_sensitive
def test_logging_a_session(tw):
    with pytest.raises(ValidationError) as exc:
        domain.log_session(tw.user("staff"), tw.session, held=True, attendees="  ")
    assert "attended" in messages(exc)
    session = domain.log_session(
        tw.user("staff"), tw.session, held=True, attendees="Anna\nCarla", notes="Fine."
    )
    assert session.status == "held"
    assert session.attendee_list == ["Anna", "Carla"]
    assert AuditEntry.objects.filter(action="tandems.session.log", to_state="held").exists()


@pytest.mark.date_sensitive
def test_future_sessions_cannot_be_logged_as_held(tw):
    today = timezone.localdate()
    domain.update_tandem(tw.user("coordinator"), tw.tandem, {"end_date": today + timedelta(days=30)})
    future = domain.plan_session(
        tw.user("staff"),
        tw.tandem,
        {"title": "Soon", "mode": "virtual", "date": today + timedelta(days=5), "location": "", "agenda": ""},
    )
    with pytest.raises(ValidationError):
        domain.log_session(tw.user("staff"), future, held=True, attendees="Anna")
    cancelled = domain.log_session(tw.user("staff"), future, held=False)
    assert cancelled.status == "cancelled"


def test_outcomes_belong_to_a_cluster_of_the_tandem(tw):
    fields = {"kind": "new", "service": "Audit", "description": "An audit.", "launched_on": date(2023, 9, 1)}
    with pytest.raises(ValidationError) as exc:
        domain.record_outcome(tw.user("coordinator"), tw.tandem, tw.partner_b, fields)
    assert "cluster of the tandem" in messages(exc)
    outcome = domain.record_outcome(tw.user("staff"), tw.tandem, tw.partner_a, fields)
    assert outcome.get_kind_display() == "New service"


def test_self_assessment_keeps_history_per_period(tw):
    cyber = topic("cybersecurity")
    domain.assess_capabilities(
        tw.user("staff"), tw.partner_a, tw.period_1, [Rating(cyber, 2, wants_to_learn=True)]
    )
    domain.assess_capabilities(tw.user("staff"), tw.partner_a, tw.period_2, [Rating(cyber, 3)])
    domain.assess_capabilities(
        tw.user("staff"), tw.partner_a, tw.period_2, [Rating(cyber, 4, can_teach=True)]
    )
    history = CapabilityAssessment.objects.filter(partner=tw.partner_a, topic=cyber).order_by(
        "period__start_date"
    )
    assert [(a.period.name, a.level) for a in history] == [("P1", 2), ("P2", 4)]
    current = domain.current_assessments(tw.world.programme)[(tw.partner_a.pk, cyber.pk)]
    assert (current.level, current.can_teach) == (4, True)


def test_self_assessment_refuses_bad_levels_and_foreign_periods(tw):
    with pytest.raises(ValidationError):
        domain.assess_capabilities(
            tw.user("staff"), tw.partner_a, tw.period_1, [Rating(topic("cybersecurity"), 6)]
        )
    other = Programme.objects.create(
        name="Other", acronym="OTH", slug="other", start_date=date(2022, 1, 1), end_date=date(2030, 1, 1)
    )
    foreign = ReportingPeriod.objects.create(
        programme=other, name="X", start_date=date(2022, 1, 1), end_date=date(2022, 6, 30)
    )
    with pytest.raises(ValidationError):
        domain.assess_capabilities(
            tw.user("staff"), tw.partner_a, foreign, [Rating(topic("cybersecurity"), 3)]
        )
    with pytest.raises(PermissionDenied):
        domain.assess_capabilities(
            tw.user("other_manager"), tw.partner_a, tw.period_1, [Rating(topic("cybersecurity"), 3)]
        )
    assert not CapabilityAssessment.objects.filter(partner=tw.partner_a).exists()


def test_strategy_review_rules(tw):
    fields = {
        "strategy_title": "S",
        "reviewers": "R",
        "review_date": date(2023, 1, 1),
        "findings": "",
        "recommendations": "",
        "status": "draft",
    }
    with pytest.raises(ValidationError) as exc:
        domain.create_review(tw.user("coordinator"), tw.partner_a, [tw.partner_a], fields)
    assert "cannot review its own strategy" in messages(exc)
    with pytest.raises(ValidationError):
        domain.create_review(tw.user("coordinator"), tw.partner_a, [], fields)
    with pytest.raises(ValidationError) as exc:
        domain.create_review(
            tw.user("coordinator"), tw.partner_b, [tw.partner_c], {**fields, "status": "completed"}
        )
    assert "findings and its recommendations" in messages(exc)
    with pytest.raises(PermissionDenied):
        domain.create_review(tw.user("manager"), tw.partner_b, [tw.partner_c], fields)
    review = domain.create_review(tw.user("manager"), tw.partner_b, [tw.partner_a], fields)
    assert StrategyReview.objects.filter(pk=review.pk).exists()
    # the reviewed cluster sees but does not edit a review of its strategy
    with pytest.raises(PermissionDenied):
        domain.update_review(tw.user("other_manager"), review, {"findings": "Mine."})
    assert tw.users["other_manager"].has_perm("tandems.view_strategyreview", review)
