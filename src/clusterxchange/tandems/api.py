"""Tandems API: the same domain actions and permissions as the web pages (login required; the
public sees topics only)."""

from datetime import date

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import get_object_or_404
from ninja import Field, Router, Schema, Status

from clusterxchange.core.concurrency import if_match, with_etag
from clusterxchange.core.domain import require
from clusterxchange.programmes.models import PartnerCluster, Programme, ReportingPeriod
from clusterxchange.tandems import domain
from clusterxchange.tandems.models import (
    CapabilityAssessment,
    OutcomeKind,
    ReviewStatus,
    SessionMode,
    StrategyReview,
    Tandem,
    TandemRole,
    TandemSession,
    TandemStatus,
    Topic,
)
from clusterxchange.tandems.rules import own_partners, programmes_of, visible_reviews, visible_tandems
from clusterxchange.tandems.suggestions import suggest_partners

router = Router(tags=["tandems"])


class TopicOut(Schema):
    code: str
    name: str
    is_excite_topic: bool


class ParticipantIO(Schema):
    partner_id: int = Field(..., description="Partner cluster id")
    role: TandemRole


class TandemSessionOut(Schema):
    id: int
    title: str
    mode: str
    location: str
    video_link: str = Field(
        ..., description="The link of a virtual session: the one given, else the programme's room"
    )
    date: date
    agenda: str
    status: str
    attendees: list[str]
    notes: str


class OutcomeOut(Schema):
    id: int
    partner_id: int
    kind: str
    service: str
    description: str
    launched_on: date | None


class TandemOut(Schema):
    id: int
    programme: str
    topic: str
    title: str
    goals: str
    start_date: date
    end_date: date
    status: str
    participants: list[ParticipantIO]
    sessions: list[TandemSessionOut]
    outcomes: list[OutcomeOut]


class TandemIn(Schema):
    programme: str = Field(..., description="Programme slug")
    topic: str = Field(..., description="Topic code")
    title: str = Field(..., min_length=1, max_length=200)
    goals: str = Field(..., min_length=1)
    start_date: date
    end_date: date
    status: TandemStatus = TandemStatus.PLANNED
    participants: list[ParticipantIO] = Field(..., min_length=1)


class TandemPatch(Schema):
    title: str | None = Field(None, min_length=1, max_length=200)
    goals: str | None = None
    start_date: date | None = None
    end_date: date | None = None
    status: TandemStatus | None = None


class TandemSessionIn(Schema):
    title: str = Field(..., min_length=1, max_length=200)
    mode: SessionMode
    location: str = ""
    video_link: str = Field("", max_length=500, description="http(s) only; empty for the programme's room")
    date: date
    agenda: str = ""


class SessionLogIn(Schema):
    held: bool
    attendees: list[str] = []
    notes: str = ""


class OutcomeIn(Schema):
    partner_id: int
    kind: OutcomeKind
    service: str = Field(..., min_length=1, max_length=200)
    description: str = Field(..., min_length=1)
    launched_on: date | None = None


class RatingIn(Schema):
    topic: str = Field(..., description="Topic code")
    level: int = Field(..., ge=1, le=5)
    wants_to_learn: bool = False
    can_teach: bool = False
    comment: str = ""


class AssessmentIn(Schema):
    partner_id: int
    period_id: int
    ratings: list[RatingIn]


class CapabilityAssessmentOut(Schema):
    partner_id: int
    cluster: str
    topic: str
    period: str
    level: int
    wants_to_learn: bool
    can_teach: bool


class PartnerSuggestionOut(Schema):
    topic: str
    learner_id: int
    learner: str
    learner_level: int
    mentor_id: int
    mentor: str
    mentor_level: int
    reason: str


class ReviewOut(Schema):
    id: int
    reviewed_id: int
    reviewed: str
    reviewer_clusters: list[int]
    reviewers: list[str]
    strategy_title: str
    review_date: date
    findings: str
    recommendations: str
    status: str


class ReviewIn(Schema):
    reviewed_id: int
    reviewer_cluster_ids: list[int]
    reviewers: str = Field(..., min_length=1)
    strategy_title: str = Field(..., min_length=1, max_length=200)
    review_date: date
    findings: str = ""
    recommendations: str = ""
    status: ReviewStatus = ReviewStatus.DRAFT


class ReviewPatch(Schema):
    reviewer_cluster_ids: list[int] | None = None
    reviewers: str | None = None
    strategy_title: str | None = None
    review_date: date | None = None
    findings: str | None = None
    recommendations: str | None = None
    status: ReviewStatus | None = None


def tandem_out(tandem: Tandem) -> dict:
    return {
        "id": tandem.pk,
        "programme": tandem.programme.slug,
        "topic": tandem.topic.code,
        "title": tandem.title,
        "goals": tandem.goals,
        "start_date": tandem.start_date,
        "end_date": tandem.end_date,
        "status": tandem.status,
        "participants": [{"partner_id": p.partner_id, "role": p.role} for p in tandem.participants.all()],
        "sessions": [session_out(s) for s in tandem.sessions.all()],
        "outcomes": [
            {
                "id": o.pk,
                "partner_id": o.partner_id,
                "kind": o.kind,
                "service": o.service,
                "description": o.description,
                "launched_on": o.launched_on,
            }
            for o in tandem.outcomes.all()
        ],
    }


def session_out(session: TandemSession) -> dict:
    return {
        "id": session.pk,
        "title": session.title,
        "mode": session.mode,
        "location": session.location,
        "video_link": session.video_url,
        "date": session.date,
        "agenda": session.agenda,
        "status": session.status,
        "attendees": session.attendee_list,
        "notes": session.notes,
    }


def review_out(review: StrategyReview) -> dict:
    return {
        "id": review.pk,
        "reviewed_id": review.reviewed_id,
        "reviewed": review.reviewed.cluster.name,
        "reviewer_clusters": [p.pk for p in review.reviewer_clusters.all()],
        "reviewers": review.reviewer_list,
        "strategy_title": review.strategy_title,
        "review_date": review.review_date,
        "findings": review.findings,
        "recommendations": review.recommendations,
        "status": review.status,
    }


def _section(request) -> None:
    if not request.user.has_perm("tandems"):
        raise PermissionDenied("Tandems are for partner cluster staff and coordinators.")


def _tandem(request, tandem_id: int, permission: str) -> Tandem:
    tandem = get_object_or_404(Tandem.objects.select_related("programme", "topic"), pk=tandem_id)
    require(request.user, permission, tandem, message="You may not see or change this tandem.")
    return tandem


@router.get("/topics", response=list[TopicOut], auth=None, summary="The learning topics")
def list_topics(request):
    return list(Topic.objects.all())


@router.get("/", response=list[TandemOut], summary="Tandems of your cluster (all, for coordinators)")
def list_tandems(request):
    _section(request)
    return [tandem_out(t) for t in visible_tandems(request.user).prefetch_related("sessions", "outcomes")]


@router.post("/", response={201: TandemOut})
def create_tandem(request, payload: TandemIn):
    _section(request)
    programme = get_object_or_404(Programme, slug=payload.programme)
    topic = get_object_or_404(Topic, code=payload.topic)
    partners = PartnerCluster.objects.in_bulk([p.partner_id for p in payload.participants])
    unknown = sorted({p.partner_id for p in payload.participants} - set(partners))
    if unknown:
        raise ValidationError({"participants": [f"Unknown partner cluster id(s): {unknown}"]})
    participations = [
        domain.Participation(partner=partners[p.partner_id], role=p.role) for p in payload.participants
    ]
    fields = payload.dict(include={"title", "goals", "start_date", "end_date", "status"})
    tandem = domain.create_tandem(request.user, programme, topic, fields, participations)
    return Status(201, tandem_out(tandem))


@router.get("/{int:tandem_id}", response=TandemOut)
def get_tandem(request, tandem_id: int, response: HttpResponse):
    return tandem_out(with_etag(response, _tandem(request, tandem_id, "tandems.view_tandem")))


@router.patch("/{int:tandem_id}", response=TandemOut)
def update_tandem(request, tandem_id: int, payload: TandemPatch, response: HttpResponse):
    tandem = _tandem(request, tandem_id, "tandems.change_tandem")
    tandem = domain.update_tandem(
        request.user, tandem, payload.dict(exclude_unset=True), expected_version=if_match(request)
    )
    return tandem_out(with_etag(response, tandem))


@router.post("/{int:tandem_id}/sessions", response={201: TandemSessionOut})
def plan_session(request, tandem_id: int, payload: TandemSessionIn):
    tandem = _tandem(request, tandem_id, "tandems.change_tandem")
    return Status(201, session_out(domain.plan_session(request.user, tandem, payload.dict())))


@router.post("/sessions/{int:session_id}/log", response=TandemSessionOut)
def log_session(request, session_id: int, payload: SessionLogIn):
    session = get_object_or_404(TandemSession.objects.select_related("tandem"), pk=session_id)
    _tandem(request, session.tandem_id, "tandems.change_tandem")
    session = domain.log_session(
        request.user, session, held=payload.held, attendees="\n".join(payload.attendees), notes=payload.notes
    )
    return session_out(session)


@router.post("/{int:tandem_id}/outcomes", response={201: OutcomeOut})
def record_outcome(request, tandem_id: int, payload: OutcomeIn):
    tandem = _tandem(request, tandem_id, "tandems.change_tandem")
    partner = get_object_or_404(PartnerCluster, pk=payload.partner_id)
    outcome = domain.record_outcome(request.user, tandem, partner, payload.dict(exclude={"partner_id"}))
    return Status(
        201,
        {
            "id": outcome.pk,
            "partner_id": outcome.partner_id,
            "kind": outcome.kind,
            "service": outcome.service,
            "description": outcome.description,
            "launched_on": outcome.launched_on,
        },
    )


@router.get("/assessments", response=list[CapabilityAssessmentOut], summary="Self-assessments, every period")
def list_assessments(request):
    if not request.user.has_perm("tandems.view_capabilityassessment"):
        raise PermissionDenied("Self-assessments are for partner cluster staff and coordinators.")
    assessments = CapabilityAssessment.objects.filter(partner__programme__in=programmes_of(request.user))
    return [
        {
            "partner_id": a.partner_id,
            "cluster": a.partner.cluster.name,
            "topic": a.topic.code,
            "period": a.period.name,
            "level": a.level,
            "wants_to_learn": a.wants_to_learn,
            "can_teach": a.can_teach,
        }
        for a in assessments.select_related("partner__cluster", "topic", "period")
    ]


@router.post("/assessments", response=list[CapabilityAssessmentOut])
def assess(request, payload: AssessmentIn):
    partner = get_object_or_404(PartnerCluster.objects.select_related("cluster"), pk=payload.partner_id)
    period = get_object_or_404(ReportingPeriod, pk=payload.period_id)
    topics = {t.code: t for t in Topic.objects.all()}
    unknown = sorted({r.topic for r in payload.ratings} - set(topics))
    if unknown:
        raise ValidationError({"ratings": [f"Unknown topic(s): {', '.join(unknown)}"]})
    ratings = [domain.Rating(topic=topics[r.topic], **r.dict(exclude={"topic"})) for r in payload.ratings]
    saved = domain.assess_capabilities(request.user, partner, period, ratings)
    return [
        {
            "partner_id": a.partner_id,
            "cluster": partner.cluster.name,
            "topic": a.topic.code,
            "period": period.name,
            "level": a.level,
            "wants_to_learn": a.wants_to_learn,
            "can_teach": a.can_teach,
        }
        for a in saved
    ]


@router.get(
    "/suggestions", response=list[PartnerSuggestionOut], summary="Tandem partner suggestions, explained"
)
def partner_suggestions(request, programme: str | None = None):
    _section(request)
    programmes = programmes_of(request.user)
    chosen = programmes.filter(slug=programme).first() if programme else programmes.first()
    if chosen is None:
        return []
    mine = {p.pk for p in own_partners(request.user, chosen)}
    return [
        {
            "topic": s.topic.code,
            "learner_id": s.learner.pk,
            "learner": s.learner.cluster.name,
            "learner_level": s.learner_level,
            "mentor_id": s.mentor.pk,
            "mentor": s.mentor.cluster.name,
            "mentor_level": s.mentor_level,
            "reason": s.reason,
        }
        for s in suggest_partners(chosen)
        if s.learner.pk in mine or s.mentor.pk in mine
    ]


@router.get("/strategy-reviews", response=list[ReviewOut])
def list_reviews(request):
    _section(request)
    return [review_out(r) for r in visible_reviews(request.user)]


@router.post("/strategy-reviews", response={201: ReviewOut})
def create_review(request, payload: ReviewIn):
    _section(request)
    reviewed = get_object_or_404(PartnerCluster, pk=payload.reviewed_id)
    reviewers = list(PartnerCluster.objects.filter(pk__in=payload.reviewer_cluster_ids))
    fields = payload.dict(exclude={"reviewed_id", "reviewer_cluster_ids"})
    return Status(201, review_out(domain.create_review(request.user, reviewed, reviewers, fields)))


@router.get("/strategy-reviews/{int:review_id}", response=ReviewOut)
def get_review(request, review_id: int, response: HttpResponse):
    review = get_object_or_404(StrategyReview.objects.select_related("reviewed__cluster"), pk=review_id)
    require(request.user, "tandems.view_strategyreview", review, message="You may not see this review.")
    return review_out(with_etag(response, review))


@router.patch("/strategy-reviews/{int:review_id}", response=ReviewOut)
def update_review(request, review_id: int, payload: ReviewPatch, response: HttpResponse):
    review = get_object_or_404(StrategyReview.objects.select_related("reviewed__cluster"), pk=review_id)
    data = payload.dict(exclude_unset=True)
    ids = data.pop("reviewer_cluster_ids", None)
    reviewers = list(PartnerCluster.objects.filter(pk__in=ids)) if ids is not None else None
    review = domain.update_review(request.user, review, data, reviewers, expected_version=if_match(request))
    return review_out(with_etag(response, review))
