"""Tandem pages: thin — parse, check permission, call the domain, render."""

from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.shortcuts import get_object_or_404, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clusterxchange.core.domain import REFUSALS, require
from clusterxchange.core.forms import refusal_on_form, save_form
from clusterxchange.core.roles import roles_of
from clusterxchange.programmes.models import PartnerCluster
from clusterxchange.tandems import domain
from clusterxchange.tandems.forms import (
    AssessmentForm,
    OutcomeForm,
    ReviewForm,
    SessionForm,
    SessionLogForm,
    TandemForm,
)
from clusterxchange.tandems.models import (
    CapabilityAssessment,
    CapabilityLevel,
    StrategyReview,
    Tandem,
    TandemSession,
    Topic,
)
from clusterxchange.tandems.rules import (
    own_partners,
    programmes_of,
    visible_reviews,
    visible_tandems,
)
from clusterxchange.tandems.suggestions import suggest_partners


def _require_section(user) -> None:
    """Tandems are for partner cluster staff and coordinators only."""
    require(user, "tandems")


def _programme(request):
    programmes = programmes_of(request.user)
    slug = request.GET.get("programme") or request.POST.get("programme")
    programme = programmes.filter(slug=slug).first() if slug else programmes.order_by("-start_date").first()
    if programme is None:
        raise PermissionDenied(REFUSALS["tandems"])
    return programme


@login_required
def tandem_list(request):
    _require_section(request.user)
    tandems = visible_tandems(request.user)
    topic = request.GET.get("topic")
    if topic:
        tandems = tandems.filter(topic__code=topic)
    status = request.GET.get("status")
    if status:
        tandems = tandems.filter(status=status)
    return render(
        request,
        "tandems/list.html",
        {
            "tandems": tandems,
            "topics": Topic.objects.all(),
            "can_add": request.user.has_perm("tandems.add_tandem"),
            "selected_topic": topic or "",
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def tandem_create(request):
    require(request.user, "tandems.add_tandem")
    programme = _programme(request)
    partners = PartnerCluster.objects.filter(programme=programme)
    form = TandemForm(request.POST or None, partners=partners)
    return save_form(
        request,
        form,
        lambda f: refusal_on_form(
            lambda: domain.create_tandem(
                request.user, programme, f.cleaned_data["topic"], f.domain_fields(), f.participations()
            )
        ),
        _("The tandem was created."),
        "tandems/tandem_form.html",
        {"programme": programme, "hidden_inputs": {"programme": programme.slug}},
    )


def _tandem(request, pk, permission="tandems.view_tandem") -> Tandem:
    tandem = get_object_or_404(Tandem.objects.select_related("topic", "programme"), pk=pk)
    require(request.user, permission, tandem)
    return tandem


@login_required
def tandem_detail(request, pk):
    tandem = _tandem(request, pk)
    return render(
        request,
        "tandems/detail.html",
        {
            "tandem": tandem,
            "participants": tandem.participants.select_related("partner__cluster"),
            "sessions": tandem.sessions.all(),
            "outcomes": tandem.outcomes.select_related("partner__cluster"),
            "can_edit": request.user.has_perm("tandems.change_tandem", tandem),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def tandem_edit(request, pk):
    tandem = _tandem(request, pk, "tandems.change_tandem")
    form = TandemForm(request.POST or None, instance=Tandem.objects.get(pk=pk), with_participants=False)
    return save_form(
        request,
        form,
        lambda f: domain.update_tandem(
            request.user, tandem, f.domain_fields(), expected_version=f.expected_version
        ),
        _("Your changes were saved."),
        "tandems/tandem_form.html",
        {"tandem": tandem},
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_create(request, pk):
    tandem = _tandem(request, pk, "tandems.change_tandem")
    form = SessionForm(request.POST or None, instance=TandemSession(tandem=tandem))
    return save_form(
        request,
        form,
        lambda f: domain.plan_session(request.user, tandem, f.domain_fields()),
        _("The session was planned."),
        "tandems/session_form.html",
        {"tandem": tandem},
        redirect_to=tandem,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_edit(request, pk):
    session = get_object_or_404(TandemSession.objects.select_related("tandem"), pk=pk)
    tandem = _tandem(request, session.tandem_id, "tandems.change_tandem")
    form = SessionForm(
        request.POST or None, instance=TandemSession.objects.select_related("tandem").get(pk=pk)
    )
    return save_form(
        request,
        form,
        lambda f: domain.update_session(request.user, session, f.domain_fields()),
        _("Your changes were saved."),
        "tandems/session_form.html",
        {"tandem": tandem, "session": session},
        redirect_to=tandem,
    )


@login_required
@require_http_methods(["GET", "POST"])
def session_log(request, pk):
    session = get_object_or_404(TandemSession.objects.select_related("tandem"), pk=pk)
    tandem = _tandem(request, session.tandem_id, "tandems.change_tandem")
    form = SessionLogForm(
        request.POST or None, initial={"attendees": session.attendees, "notes": session.notes}
    )
    return save_form(
        request,
        form,
        lambda f: domain.log_session(request.user, session, **f.cleaned_data),
        _("The session log was saved."),
        "tandems/session_log.html",
        {"tandem": tandem, "session": session},
        redirect_to=tandem,
    )


@login_required
@require_http_methods(["GET", "POST"])
def outcome_create(request, pk):
    tandem = _tandem(request, pk, "tandems.change_tandem")
    partners = PartnerCluster.objects.filter(tandem_participations__tandem=tandem)
    form = OutcomeForm(request.POST or None, partners=partners)
    return save_form(
        request,
        form,
        lambda f: domain.record_outcome(request.user, tandem, f.cleaned_data["partner"], f.domain_fields()),
        _("The outcome was recorded."),
        "tandems/outcome_form.html",
        {"tandem": tandem},
        redirect_to=tandem,
    )


@login_required
def capabilities(request):
    """Every partner's latest self-assessment per topic, the scale, and partner suggestions."""
    require(request.user, "tandems.view_capabilityassessment")
    programme = _programme(request)
    partners = list(PartnerCluster.objects.filter(programme=programme).select_related("cluster"))
    topics = list(Topic.objects.all())
    latest = domain.current_assessments(programme)
    mine = {p.pk for p in own_partners(request.user, programme)}
    rows = [
        {
            "partner": partner,
            "can_assess": partner.pk in mine,
            "cells": [latest.get((partner.pk, topic.pk)) for topic in topics],
        }
        for partner in partners
    ]
    suggestions = [
        s
        for s in suggest_partners(programme)
        if roles_of(request.user).is_coordinator or s.learner.pk in mine or s.mentor.pk in mine
    ]
    return render(
        request,
        "tandems/capabilities.html",
        {
            "programme": programme,
            "topics": topics,
            "rows": rows,
            "scale": CapabilityLevel.choices,
            "suggestions": suggestions,
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def assess(request, partner_pk):
    partner = get_object_or_404(PartnerCluster.objects.select_related("cluster", "programme"), pk=partner_pk)
    require(request.user, "tandems.assess_capability", partner)
    periods = partner.programme.periods.all()
    topics = Topic.objects.all()
    period_id = request.GET.get("period") or request.POST.get("period")
    period = periods.filter(pk=period_id).first() if period_id and period_id.isdigit() else periods.last()
    initial = {"period": period}
    if period is not None:
        for a in CapabilityAssessment.objects.filter(partner=partner, period=period):
            initial |= {
                f"level_{a.topic_id}": a.level,
                f"learn_{a.topic_id}": a.wants_to_learn,
                f"teach_{a.topic_id}": a.can_teach,
            }
    form = AssessmentForm(request.POST or None, initial=initial, periods=periods, topics=topics)
    return save_form(
        request,
        form,
        lambda f: domain.assess_capabilities(request.user, partner, f.cleaned_data["period"], f.ratings()),
        _("The self-assessment was saved."),
        "tandems/assess.html",
        {
            "partner": partner,
            "scale": CapabilityLevel.choices,
            "history": CapabilityAssessment.objects.filter(partner=partner).select_related("topic", "period"),
        },
        redirect_to="tandems:capabilities",
    )


@login_required
def review_list(request):
    _require_section(request.user)
    return render(
        request,
        "tandems/review_list.html",
        {
            "reviews": visible_reviews(request.user),
            "can_add": request.user.has_perm("tandems.add_strategyreview"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_create(request):
    require(request.user, "tandems.add_strategyreview")
    programme = _programme(request)
    form = ReviewForm(request.POST or None, partners=PartnerCluster.objects.filter(programme=programme))
    return save_form(
        request,
        form,
        lambda f: refusal_on_form(
            lambda: domain.create_review(
                request.user,
                f.cleaned_data["reviewed"],
                list(f.cleaned_data["reviewer_clusters"]),
                f.domain_fields(),
            )
        ),
        _("The strategy review was saved."),
        "tandems/review_form.html",
    )


def _review(request, pk, permission) -> StrategyReview:
    review = get_object_or_404(StrategyReview.objects.select_related("reviewed__cluster"), pk=pk)
    require(request.user, permission, review)
    return review


@login_required
def review_detail(request, pk):
    review = _review(request, pk, "tandems.view_strategyreview")
    return render(
        request,
        "tandems/review_detail.html",
        {"review": review, "can_edit": request.user.has_perm("tandems.change_strategyreview", review)},
    )


@login_required
@require_http_methods(["GET", "POST"])
def review_edit(request, pk):
    review = _review(request, pk, "tandems.change_strategyreview")
    form = ReviewForm(
        request.POST or None,
        instance=StrategyReview.objects.get(pk=pk),
        partners=PartnerCluster.objects.filter(programme_id=review.programme_id),
        editing=True,
    )
    return save_form(
        request,
        form,
        lambda f: refusal_on_form(
            lambda: domain.update_review(
                request.user,
                review,
                f.domain_fields(),
                list(f.cleaned_data["reviewer_clusters"]),
                expected_version=f.expected_version,
            )
        ),
        _("Your changes were saved."),
        "tandems/review_form.html",
        {"review": review},
    )
