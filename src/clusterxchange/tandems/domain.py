"""Tandem actions: the only code that changes tandems, self-assessments and strategy reviews.

Each action checks permission, validates (model validation plus the rules below), writes in one
transaction and records an audit entry. Views, the API, the admin and the demo call these.

Rules beyond the models:
- a tandem has at least two different partner clusters of its programme (never a cluster with
  itself), at least one of them a learner or both mutual, and the creator's own cluster among them
  unless the creator coordinates the programme;
- sessions take place within the tandem's dates (changing the dates may not strand a session);
- an outcome belongs to a cluster of the tandem;
- a strategy review is given by other partner clusters of the same programme than the reviewed one.
"""

from collections.abc import Iterable
from dataclasses import dataclass

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterxchange.core import audit
from clusterxchange.core.audit import field_changes
from clusterxchange.core.domain import apply_fields, audited_update, require, snapshot
from clusterxchange.core.roles import roles_of
from clusterxchange.programmes.models import PartnerCluster, ReportingPeriod
from clusterxchange.tandems.models import (
    CapabilityAssessment,
    ReviewStatus,
    SessionStatus,
    StrategyReview,
    Tandem,
    TandemOutcome,
    TandemParticipant,
    TandemRole,
    TandemSession,
    Topic,
)
from clusterxchange.tandems.rules import staff_cluster_ids

TANDEM_FIELDS = ["title", "goals", "start_date", "end_date", "status"]
SESSION_FIELDS = ["title", "mode", "location", "video_link", "date", "agenda"]
OUTCOME_FIELDS = ["kind", "service", "description", "launched_on"]
REVIEW_FIELDS = [
    "strategy_title",
    "reviewers",
    "review_date",
    "findings",
    "recommendations",
    "status",
]


# Self-assessment ---------------------------------------------------------------------------------


@dataclass(frozen=True)
class Rating:
    topic: Topic
    level: int
    wants_to_learn: bool = False
    can_teach: bool = False
    comment: str = ""


@transaction.atomic
def assess_capabilities(
    actor, partner: PartnerCluster, period: ReportingPeriod, ratings: Iterable[Rating]
) -> list[CapabilityAssessment]:
    """Record (or revise) a partner's self-assessment for one period; other periods stay as history."""
    require(actor, "tandems.assess_capability", partner)
    if period.programme_id != partner.programme_id:
        raise ValidationError({"period": _("The period belongs to another programme.")})
    saved = []
    for rating in ratings:
        assessment = CapabilityAssessment.objects.filter(
            partner=partner, topic=rating.topic, period=period
        ).first() or CapabilityAssessment(partner=partner, topic=rating.topic, period=period)
        before = snapshot(assessment, ["level", "wants_to_learn", "can_teach"]) if assessment.pk else {}
        assessment.level = rating.level
        assessment.wants_to_learn = rating.wants_to_learn
        assessment.can_teach = rating.can_teach
        assessment.comment = rating.comment
        assessment.assessed_by = actor if actor.is_authenticated else None
        try:
            assessment.full_clean()
        except ValidationError as exc:
            raise ValidationError(
                {"level": [f"{rating.topic}: {message}" for message in exc.messages]}
            ) from exc
        assessment.save()
        audit.record(
            actor,
            "tandems.capability.assess",
            assessment,
            changes=field_changes(before, snapshot(assessment, ["level", "wants_to_learn", "can_teach"])),
        )
        saved.append(assessment)
    return saved


def current_assessments(programme) -> dict[tuple[int, int], CapabilityAssessment]:
    """{(partner id, topic id): the latest assessment} for every partner of the programme."""
    latest: dict[tuple[int, int], CapabilityAssessment] = {}
    for assessment in (
        CapabilityAssessment.objects.filter(partner__programme=programme)
        .select_related("topic", "period", "partner__cluster")
        .order_by("period__start_date", "pk")
    ):
        latest[(assessment.partner_id, assessment.topic_id)] = assessment
    return latest


# Tandems -----------------------------------------------------------------------------------------


@dataclass(frozen=True)
class Participation:
    partner: PartnerCluster
    role: str


def _check_participants(actor, programme, participations: list[Participation]) -> None:
    partners = [p.partner for p in participations]
    if len({p.pk for p in partners}) != len(partners):
        raise ValidationError(
            {"participants": _("A cluster cannot form a tandem with itself: choose two different clusters.")}
        )
    if len(partners) < 2:
        raise ValidationError({"participants": _("A tandem needs at least two partner clusters.")})
    if any(p.programme_id != programme.pk for p in partners):
        raise ValidationError({"participants": _("Every cluster must be a partner of the programme.")})
    roles = [p.role for p in participations]
    if any(role not in TandemRole.values for role in roles):
        raise ValidationError({"participants": _("Unknown tandem role.")})
    if TandemRole.MUTUAL not in roles and not (TandemRole.MENTOR in roles and TandemRole.LEARNER in roles):
        raise ValidationError(
            {"participants": _("A tandem needs a mentor and a learner, or clusters that learn mutually.")}
        )
    if programme.pk not in _coordinated(actor) and not (
        {p.cluster_id for p in partners} & staff_cluster_ids(actor)
    ):
        raise PermissionDenied(_("Your own cluster must take part in the tandems you create."))


def _coordinated(actor) -> frozenset[int]:

    return roles_of(actor).coordinator_programme_ids


@transaction.atomic
def create_tandem(
    actor, programme, topic: Topic, fields: dict, participations: list[Participation]
) -> Tandem:
    require(actor, "tandems.add_tandem")
    _check_participants(actor, programme, participations)
    tandem = Tandem(programme=programme, topic=topic, created_by=actor if actor.is_authenticated else None)
    apply_fields(tandem, fields, TANDEM_FIELDS)
    tandem.full_clean()
    tandem.save()
    TandemParticipant.objects.bulk_create(
        [TandemParticipant(tandem=tandem, partner=p.partner, role=p.role) for p in participations]
    )
    audit.record(
        actor,
        "tandems.tandem.create",
        tandem,
        to_state=tandem.status,
        comment=", ".join(f"{p.partner.cluster} ({p.role})" for p in participations),
    )
    return tandem


@transaction.atomic
def update_tandem(actor, tandem: Tandem, fields: dict, *, expected_version: str | None = None) -> Tandem:
    require(actor, "tandems.change_tandem", tandem)
    with audited_update(
        actor,
        tandem,
        fields,
        TANDEM_FIELDS,
        action="tandems.tandem.update",
        expected_version=expected_version,
        state="status",
    ):
        tandem.full_clean()
        outside = tandem.sessions.exclude(date__range=(tandem.start_date, tandem.end_date))
        if outside.exists():
            raise ValidationError(
                {
                    "start_date": _("%(count)d session(s) would fall outside the new dates; move them first.")
                    % {"count": outside.count()}
                }
            )
    return tandem


@transaction.atomic
def plan_session(actor, tandem: Tandem, fields: dict) -> TandemSession:
    require(actor, "tandems.change_tandem", tandem)
    session = TandemSession(tandem=tandem)
    apply_fields(session, fields, SESSION_FIELDS)
    session.full_clean()
    session.save()
    audit.record(actor, "tandems.session.plan", session, to_state=session.status)
    return session


@transaction.atomic
def update_session(actor, session: TandemSession, fields: dict) -> TandemSession:
    require(actor, "tandems.change_tandem", session.tandem)
    before = snapshot(session, list(fields))
    apply_fields(session, fields, SESSION_FIELDS)
    session.full_clean()
    session.save()
    audit.record(
        actor,
        "tandems.session.update",
        session,
        changes=field_changes(before, snapshot(session, list(fields))),
    )
    return session


@transaction.atomic
def log_session(
    actor, session: TandemSession, *, held: bool, attendees: str = "", notes: str = ""
) -> TandemSession:
    """Record that a session was held (with its attendees and notes) or that it was cancelled."""
    require(actor, "tandems.change_tandem", session.tandem)
    from_state = session.status
    if held:
        if session.date > timezone.localdate():
            raise ValidationError({"date": _("A session in the future cannot be logged as held yet.")})
        if not attendees.strip():
            raise ValidationError({"attendees": _("List who attended the session.")})
    session.status = SessionStatus.HELD if held else SessionStatus.CANCELLED
    session.attendees = attendees
    session.notes = notes
    session.logged_at = timezone.now()
    session.full_clean()
    session.save()
    audit.record(actor, "tandems.session.log", session, from_state=from_state, to_state=session.status)
    return session


@transaction.atomic
def record_outcome(actor, tandem: Tandem, partner: PartnerCluster, fields: dict) -> TandemOutcome:
    require(actor, "tandems.change_tandem", tandem)
    if not tandem.participants.filter(partner=partner).exists():
        raise ValidationError({"partner": _("The outcome must belong to a cluster of the tandem.")})
    outcome = TandemOutcome(tandem=tandem, partner=partner)
    apply_fields(outcome, fields, OUTCOME_FIELDS)
    outcome.full_clean()
    outcome.save()
    audit.record(actor, "tandems.outcome.create", outcome, comment=str(partner.cluster))
    return outcome


# Strategy reviews --------------------------------------------------------------------------------


def _check_reviewers(actor, reviewed: PartnerCluster, reviewer_clusters: list[PartnerCluster]) -> None:
    if not reviewer_clusters:
        raise ValidationError({"reviewer_clusters": _("Choose at least one reviewing cluster.")})
    if any(p.pk == reviewed.pk for p in reviewer_clusters):
        raise ValidationError({"reviewer_clusters": _("A cluster cannot review its own strategy.")})
    if any(p.programme_id != reviewed.programme_id for p in reviewer_clusters):
        raise ValidationError({"reviewer_clusters": _("Reviewers must be partners of the same programme.")})
    if reviewed.programme_id not in _coordinated(actor) and not (
        {p.cluster_id for p in reviewer_clusters} & staff_cluster_ids(actor)
    ):
        raise PermissionDenied(_("Your own cluster must be among the reviewers."))


@transaction.atomic
def create_review(
    actor, reviewed: PartnerCluster, reviewer_clusters: list[PartnerCluster], fields: dict
) -> StrategyReview:
    require(actor, "tandems.add_strategyreview")
    _check_reviewers(actor, reviewed, reviewer_clusters)
    review = StrategyReview(programme_id=reviewed.programme_id, reviewed=reviewed)
    apply_fields(review, fields, REVIEW_FIELDS)
    _check_complete(review)
    review.full_clean()
    review.save()
    review.reviewer_clusters.set(reviewer_clusters)
    audit.record(actor, "tandems.review.create", review, to_state=review.status)
    return review


@transaction.atomic
def update_review(
    actor,
    review: StrategyReview,
    fields: dict,
    reviewer_clusters: list[PartnerCluster] | None = None,
    *,
    expected_version: str | None = None,
) -> StrategyReview:
    require(actor, "tandems.change_strategyreview", review)
    with audited_update(
        actor,
        review,
        fields,
        REVIEW_FIELDS,
        action="tandems.review.update",
        expected_version=expected_version,
        state="status",
    ):
        if reviewer_clusters is not None:
            _check_reviewers(actor, review.reviewed, reviewer_clusters)
        _check_complete(review)
        review.full_clean()
    if reviewer_clusters is not None:
        review.reviewer_clusters.set(reviewer_clusters)
    return review


def _check_complete(review: StrategyReview) -> None:
    if review.status == ReviewStatus.COMPLETED and not (
        review.findings.strip() and review.recommendations.strip()
    ):
        raise ValidationError({"status": _("A completed review needs its findings and its recommendations.")})
