"""Event pages: thin — parse, check permission, call the domain, render."""

from datetime import date
from pathlib import Path

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, F, Prefetch, Q
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.templatetags.static import static
from django.urls import reverse
from django.utils import timezone
from django.utils.http import url_has_allowed_host_and_scheme
from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.core.domain import require
from clusterxchange.core.files import table_download
from clusterxchange.core.forms import active_filters, attempt, attempt_form, save_form
from clusterxchange.core.list_place import back_to_list
from clusterxchange.core.pagination import paginate, querystring_without_page
from clusterxchange.core.roles import roles_of
from clusterxchange.core.texts import sentence
from clusterxchange.core.workers import waits_for_a_worker
from clusterxchange.directory.models import Opportunity, Organisation
from clusterxchange.directory.rules import clusters_to_act_for
from clusterxchange.events import (
    agendas,
    attendance,
    charts,
    hybrid,
    meeting_order,
    on_behalf,
    questions,
    schedule_reasons,
    scheduling,
)
from clusterxchange.events.domain import matchmaking, organising, registering, timetable
from clusterxchange.events.filters import ParticipantFilter, RegistrationFilter
from clusterxchange.events.forms import (
    AvailabilityForm,
    DecisionForm,
    EventForm,
    FeedbackForm,
    LearningsForm,
    MeetingOrderForm,
    MeetingVideoForm,
    ProgrammeItemForm,
    RegistrationForm,
    RequestForm,
    SessionForm,
    TableAssignForm,
    TableCountForm,
)
from clusterxchange.events.models import (
    Event,
    Meeting,
    MeetingFeedback,
    MeetingRequest,
    ProgrammeItem,
    Registration,
    RegistrationQuestion,
    SchedulingRun,
    Session,
    Slot,
    Table,
    lost_run_reason,
)
from clusterxchange.events.rules import organised_programme, registration_of, visible_events
from clusterxchange.events.statistics import event_statistics
from clusterxchange.events.suggestions import suggestions_for
from clusterxchange.events.timing import feedback_too_early_at


def _get_event(request, slug: str, permission: str = "events.view_event", refusal: str = "") -> Event:
    """The event `slug` if the user may see it (else 404) and has `permission` on it (else 403, with
    `refusal` as the reason the error page gives, else the permission's own: core.domain.require)."""
    event = get_object_or_404(Event.objects.select_related("programme", "host_cluster"), slug=slug)
    if not request.user.has_perm("events.view_event", event):
        raise Http404
    if permission != "events.view_event":
        require(request.user, permission, event, message=refusal or None)
    return event


def _own_registration(request, event: Event) -> Registration:
    registration = registration_of(request.user, event)
    if registration is None:
        raise PermissionDenied(_("You are not registered for this event."))
    return registration


# Events ------------------------------------------------------------------------------------------


def event_list(request):
    today = timezone.localdate()
    events = (
        visible_events(request.user)
        .select_related("host_cluster")
        .annotate(participants=Count("registrations", filter=Q(registrations__status="validated")))
    )
    kind = request.GET.get("kind", "")
    if kind:
        events = events.filter(kind=kind)
    return render(
        request,
        "events/list.html",
        {
            "upcoming": events.filter(end_date__gte=today).order_by("start_date"),
            "past": paginate(request, events.filter(end_date__lt=today).order_by("-start_date")),
            "querystring": querystring_without_page(request),
            "kind": kind,
            "kinds": Event._meta.get_field("kind").choices,
            "can_add": request.user.has_perm("events.add_event"),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_create(request):
    require(request.user, "events.add_event")
    programme = organised_programme(request.user)
    if programme is None:
        raise PermissionDenied(_("You are not part of a programme."))
    form = EventForm(request.POST or None, host_clusters=clusters_to_act_for(request.user))
    return save_form(
        request,
        form,
        lambda form: organising.create_event(request.user, programme, form.domain_fields()),
        _("The event was created."),
        "events/event_form.html",
    )


@login_required
@require_http_methods(["GET", "POST"])
def event_edit(request, slug):
    event = _get_event(request, slug, "events.change_event")
    form = EventForm(
        request.POST or None,
        instance=Event.objects.get(pk=event.pk),
        host_clusters=clusters_to_act_for(request.user),
    )
    return save_form(
        request,
        form,
        lambda form: (
            organising.update_event(
                request.user, event, form.domain_fields(), expected_version=form.expected_version
            )
            or event
        ),
        _("Your changes were saved."),
        "events/event_form.html",
        {"event": event},
    )


def event_detail(request, slug):
    event = _get_event(request, slug)
    is_organiser = request.user.has_perm("events.change_event", event)
    registration = registration_of(request.user, event)
    delegation = (
        event.registrations.filter(status=Registration.Status.VALIDATED)
        .select_related("organisation", "partner__cluster", "person")
        .order_by("partner__cluster__name", "organisation__name")
    )
    item_form = None
    if is_organiser:
        with timezone.override(event.tz):
            item_form = ProgrammeItemForm()
    with timezone.override(event.tz):
        return render(
            request,
            "events/detail.html",
            {
                "event": event,
                "items": event.programme_items.all(),
                # A trade show has thousands of participants: the page lists them 100 at a time.
                "delegation": paginate(request, delegation, per_page=100),
                "querystring": querystring_without_page(request),
                "show_names": request.user.is_authenticated,
                # Names of people who withdrew their public listing: programme members only.
                "show_unlisted_names": request.user.has_perm("directory.view_contact_details"),
                "registration": registration,
                "has_questions": registration is not None
                and (event.questions.exists() or event.participant_types.exists()),
                "is_organiser": is_organiser,
                # The event day's staff (not organisers) get the two pages they work on.
                "is_day_staff": not is_organiser and request.user.has_perm("events.check_in", event),
                "can_register": request.user.has_perm("events.register", event) and event.registration_open,
                "needs_organisation": not roles_of(request.user).is_programme_member,
                "places_taken": registering.places_taken(event),
                "item_form": item_form,
                "can_use_marketplace": request.user.has_perm("events.use_marketplace", event),
                "testimonials": MeetingFeedback.objects.filter(meeting__event=event, publish_consent=True)
                .exclude(testimonial="")
                .select_related("registration__organisation")[:6],
            },
        )


@login_required
@require_POST
def item_add(request, slug):
    event = _get_event(request, slug, "events.change_event")
    with timezone.override(event.tz):
        form = ProgrammeItemForm(request.POST)
        attempt_form(
            request,
            form,
            lambda: organising.add_programme_item(request.user, event, form.domain_fields()),
            success=_("The programme item was added."),
        )
    return redirect(event)


@login_required
@require_POST
def item_remove(request, slug, pk):
    event = _get_event(request, slug, "events.change_event")
    organising.remove_programme_item(request.user, get_object_or_404(ProgrammeItem, event=event, pk=pk))
    messages.success(request, _("The programme item was removed."))
    return redirect(event)


# Registration ------------------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def register(request, slug):
    event = _get_event(request, slug)
    if not request.user.has_perm("events.register", event):
        if event.published and not roles_of(request.user).is_programme_member:
            messages.info(request, _("To register for an event, join your organisation first."))
            return redirect("join:welcome")
        require(request.user, "events.register", event)
    existing = registration_of(request.user, event)
    if existing is not None:
        messages.info(
            request, _("You are already registered (%(status)s).") % {"status": existing.get_status_display()}
        )
        return redirect(event)
    organisations = Organisation.objects.filter(pk__in=roles_of(request.user).organisation_ids).order_by(
        "name"
    )
    form = RegistrationForm(request.POST or None, organisations=organisations, event=event)
    if request.method == "POST" and form.is_valid():
        registered = attempt(
            request,
            lambda: registering.register(
                request.user,
                event,
                form.cleaned_data["organisation"],
                role=form.cleaned_data["role"],
                profile=form.cleaned_data["profile"],
                opportunities=form.cleaned_data["opportunities"],
                answers=form.answers(),
                participant_type=form.cleaned_data.get("participant_type"),
            ),
            success=_registered_message,
            form=form,
        )
        if registered:
            return redirect(event)
    return render(request, "events/register.html", {"event": event, "form": form})


def _registered_message(registration: Registration) -> str:
    """What the new registrant is told: whether their place is confirmed, waits for the organiser or
    waits for a free place (not the status's bare name, "You are registered: Registered.")."""
    if registration.status == Registration.Status.VALIDATED:
        return _("You are registered: your place is confirmed.")
    if registration.status == Registration.Status.WAITING:
        return _("The event is full: you are on the waiting list and move up when a place frees.")
    return _(
        "You are registered. The organiser validates each registration: you will receive an email with the decision."
    )


@login_required
@require_POST
def registration_cancel(request, slug, pk):
    event = _get_event(request, slug)
    registration = get_object_or_404(Registration, event=event, pk=pk)
    require(request.user, "events.change_registration", registration)
    attempt(
        request,
        lambda: registering.cancel_registration(request.user, registration),
        success=_("The registration was cancelled."),
    )
    return redirect(event)


@login_required
def registrations(request, slug):
    """The organiser's list: filters by status, participant type and a question's answer; the
    answers and the type are columns of the page and of the export."""
    event = _get_event(request, slug, "events.view_registrations")
    registration_filter = RegistrationFilter(
        request.GET,
        queryset=event.registrations.select_related(
            "organisation", "partner__cluster", "person", "user", "participant_type"
        ).order_by("status", "organisation__name", "pk"),
        event=event,
    )
    queryset = registration_filter.qs
    event_questions = list(event.questions.all())
    export_format = request.GET.get("export")
    if export_format in {"csv", "xlsx"}:
        headers = [
            "organisation",
            "country",
            "person",
            "role",
            "participant_type",
            "partner",
            "status",
            "support_eur",
            "registered",
        ] + [q.text for q in event_questions]
        registrations_list = list(queryset)
        answers = questions.answers_by_registration(registrations_list)
        rows = (
            [
                r.organisation.name,
                str(r.organisation.country),
                str(r.person or r.user or ""),
                r.get_role_display(),
                r.participant_type.name if r.participant_type_id else "",
                r.partner.cluster.name if r.partner else "",
                r.get_status_display(),
                r.support_eur if r.support_eur is not None else "",
                r.created_at.date().isoformat(),
            ]
            + [_answer_text(answers.get(r.pk, {}).get(q.pk)) for q in event_questions]
            for r in registrations_list
        )
        return table_download("registrations", export_format, headers, rows)
    page = paginate(request, queryset, per_page=50)
    answers = questions.answers_by_registration([r.pk for r in page])
    for registration in page:
        registration.answer_list = [
            (q, _answer_text(answers.get(registration.pk, {}).get(q.pk))) for q in event_questions
        ]
    return render(
        request,
        "events/registrations.html",
        {
            "event": event,
            "page": page,
            "querystring": querystring_without_page(request),
            "filter": registration_filter,
            "active_filters": active_filters(registration_filter.form, request.GET),
            "registered": registration_filter.queryset.count(),
            "decision_form": DecisionForm(),
            "questions": event_questions,
            "shows_answers": bool(event_questions) or "type" in registration_filter.filters,
        },
    )


def _answer_text(answer) -> str:
    """An answer as a person reads it: choices joined by "; ", yes/no in the reader's language."""
    if answer is None:
        return ""
    if answer.question.kind == RegistrationQuestion.Kind.YES_NO:
        return _("Yes") if answer.value == questions.YES else _("No")
    return "; ".join(answer.values)


@login_required
@require_POST
def registration_decide(request, slug, pk):
    event = _get_event(request, slug, "events.view_registrations")
    registration = get_object_or_404(Registration, event=event, pk=pk)
    form = DecisionForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: registering.decide_registration(
                request.user,
                registration,
                form.cleaned_data["decision"] == "validate",
                form.cleaned_data["reason"],
            ),
            success=(
                _("The registration of %(name)s is validated.")
                if form.cleaned_data["decision"] == "validate"
                else _("The registration of %(name)s is rejected.")
            )
            % {"name": registration.organisation},
        )
    return back_to_list(
        request, reverse("events:registrations", args=[event.slug]), f"registration-{registration.pk}"
    )


@login_required
@require_POST
def registration_exchange(request, slug, pk):
    event = _get_event(request, slug, "events.view_registrations")
    registration = get_object_or_404(Registration, event=event, pk=pk)
    attempt(
        request,
        lambda: registering.link_exchange(request.user, registration, request.POST.get("reference", "")),
        success=_("The trip of %(name)s was updated.") % {"name": registration.organisation},
    )
    return back_to_list(
        request, reverse("events:registrations", args=[event.slug]), f"registration-{registration.pk}"
    )


# Marketplace -------------------------------------------------------------------------------------


@login_required
def marketplace(request, slug):
    event = _get_event(
        request,
        slug,
        "events.use_marketplace",
        refusal=_("The marketplace is open to the event's validated participants and its organisers."),
    )
    own = registration_of(request.user, event)
    queryset = (
        event.registrations.filter(status=Registration.Status.VALIDATED)
        .select_related("organisation", "person")
        .prefetch_related(
            "organisation__ecosystems",
            Prefetch("opportunities", queryset=Opportunity.objects.select_related("type")),
        )
        .order_by("organisation__name")
    )
    filterset = ParticipantFilter(request.GET, queryset=queryset)
    contacted = {}
    if own is not None:
        for meeting_request in MeetingRequest.objects.filter(
            Q(requester=own) | Q(recipient=own), status__in=matchmaking.OPEN_REQUESTS
        ):
            other = (
                meeting_request.recipient_id
                if meeting_request.requester_id == own.pk
                else meeting_request.requester_id
            )
            contacted[other] = meeting_request
    page = paginate(request, filterset.qs)
    can_request = own is not None and own.status == Registration.Status.VALIDATED
    return render(
        request,
        "events/marketplace.html",
        {
            "event": event,
            "filter": filterset,
            "active_filters": active_filters(filterset.form, request.GET),
            "page": page,
            "querystring": querystring_without_page(request),
            "own": own,
            "contacted": contacted,
            "can_request": can_request,
            "suggestions": suggestions_for(own) if can_request and not request.GET else [],
            "request_form": RequestForm(),
        },
    )


@login_required
def requests_page(request, slug):
    event = _get_event(request, slug, "events.use_marketplace")
    own = _own_registration(request, event)
    related = ("requester__organisation", "recipient__organisation")
    with timezone.override(event.tz):
        return render(
            request,
            "events/requests.html",
            {
                "event": event,
                "own": own,
                "incoming": own.received_requests.select_related(*related),
                "outgoing": own.sent_requests.select_related(*related),
                "meeting_count": matchmaking.active_meeting_count(own),
            },
        )


@login_required
@require_POST
def request_create(request, slug):
    event = _get_event(request, slug, "events.request_meeting")
    own = _own_registration(request, event)
    form = RequestForm(request.POST)
    if not form.is_valid():
        messages.error(request, _("The request could not be read."))
        return redirect("events:marketplace", slug=event.slug)
    recipient = get_object_or_404(Registration, event=event, pk=form.cleaned_data["recipient"])
    attempt(
        request,
        lambda: matchmaking.request_meeting(
            request.user,
            own,
            recipient,
            form.cleaned_data["message"],
            form.cleaned_data["must_meet"],
            suggested=form.cleaned_data["suggested"],
        ),
        success=sentence(_("Your request was sent to %(name)s."), name=recipient.display_name),
    )
    target = request.POST.get("next", "")
    if not url_has_allowed_host_and_scheme(target, allowed_hosts={request.get_host()}):
        target = reverse("events:requests", args=[event.slug])
    return redirect(target)


def _request_of(request, event, pk) -> MeetingRequest:
    return get_object_or_404(
        MeetingRequest.objects.select_related("requester", "recipient", "event"), event=event, pk=pk
    )


@login_required
@require_POST
def request_respond(request, slug, pk):
    event = _get_event(request, slug, "events.use_marketplace")
    meeting_request = _request_of(request, event, pk)
    require(request.user, "events.change_registration", meeting_request.recipient)
    accept = request.POST.get("answer") == "accept"
    attempt(
        request,
        lambda: matchmaking.respond(request.user, meeting_request, accept),
        success=_("You accepted the meeting.") if accept else _("You declined the meeting."),
    )
    return redirect("events:requests", slug=event.slug)


@login_required
@require_POST
def request_cancel(request, slug, pk):
    event = _get_event(request, slug, "events.use_marketplace")
    meeting_request = _request_of(request, event, pk)
    attempt(
        request,
        lambda: matchmaking.cancel_request(request.user, meeting_request),
        success=_("The request was cancelled."),
    )
    if request.POST.get("next") == "schedule" and request.user.has_perm("events.schedule", event):
        return redirect("events:schedule", slug=event.slug)
    return redirect("events:requests", slug=event.slug)


@login_required
@require_http_methods(["GET", "POST"])
def availability(request, slug):
    event = _get_event(request, slug)
    own = _own_registration(request, event)
    form = AvailabilityForm(
        request.POST or None,
        event=event,
        initial={"unavailable_sessions": own.unavailable_sessions.all(), "meeting_cap": own.meeting_cap},
    )

    def save(form):
        registering.set_availability(
            request.user, own, form.cleaned_data["unavailable_sessions"], form.cleaned_data["meeting_cap"]
        )
        return reverse("events:requests", args=[event.slug])

    return save_form(
        request,
        form,
        save,
        _("Your availability was saved."),
        "events/availability.html",
        {"event": event, "own": own},
    )


# Scheduling --------------------------------------------------------------------------------------


@login_required
def schedule(request, slug):
    event = _get_event(request, slug, "events.schedule")
    meetings = event.meetings.filter(status=Meeting.Status.ACTIVE).select_related(
        "slot", "table", "first__organisation", "second__organisation"
    )
    run = event.scheduling_runs.first()
    slot_load = charts.slot_load(event)
    unscheduled = list(meetings.filter(slot__isnull=True).order_by("pk"))
    scheduled = list(meetings.filter(slot__isnull=False).order_by("slot__starts_at", "table__number"))
    notes = schedule_reasons.notes(event, unscheduled + scheduled)
    with timezone.override(event.tz):
        return render(
            request,
            "events/schedule.html",
            {
                "event": event,
                "slot_load": slot_load,
                "busiest": max((load.meetings for load in slot_load), default=0) or 1,
                "sessions": event.sessions.annotate(slot_count=Count("slots")),
                "tables": event.tables.select_related("owner__organisation"),
                "session_form": SessionForm(initial={"date": event.start_date}),
                "table_form": TableCountForm(initial={"count": event.tables.count() or 10}),
                "assign_form": TableAssignForm(event=event),
                "orders": meeting_order.orders_of(event),
                "order_form": MeetingOrderForm(event=event),
                "run": run,
                **run_context(event, run),
                "unscheduled": [(m, notes.get(m.pk, "")) for m in unscheduled],
                "scheduled": [(m, notes.get(m.pk, "")) for m in scheduled],
                "counts": {
                    "meetings": len(unscheduled) + len(scheduled),
                    "scheduled": len(scheduled),
                    "locked": meetings.filter(locked=True).count(),
                    "changed": meetings.exclude(slot_id=None)
                    .exclude(Q(slot_id=F("published_slot_id")) & Q(table_id=F("published_table_id")))
                    .count(),
                },
            },
        )


@login_required
@require_POST
def session_add(request, slug):
    event = _get_event(request, slug, "events.schedule")
    form = SessionForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: timetable.add_session(request.user, event, form.domain_fields()),
        success=_("The session was added."),
    )
    return redirect("events:schedule", slug=event.slug)


@login_required
@require_POST
def meeting_order_add(request, slug):
    event = _get_event(request, slug, "events.schedule")
    form = MeetingOrderForm(request.POST, event=event)
    attempt_form(
        request,
        form,
        lambda: meeting_order.order_meetings(
            request.user, event, form.cleaned_data["first"], form.cleaned_data["then"]
        ),
        success=_("The order is saved: the scheduler places the second meeting later."),
    )
    return redirect(reverse("events:schedule", args=[event.slug]) + "#order-title")


@login_required
@require_POST
def meeting_order_remove(request, slug, pk):
    event = _get_event(request, slug, "events.schedule")
    attempt(
        request,
        lambda: meeting_order.remove_order(request.user, event, pk),
        success=_("The order was removed."),
    )
    return redirect(reverse("events:schedule", args=[event.slug]) + "#order-title")


@login_required
@require_POST
def session_remove(request, slug, pk):
    event = _get_event(request, slug, "events.schedule")
    attempt(
        request,
        lambda: timetable.remove_session(request.user, get_object_or_404(Session, event=event, pk=pk)),
        success=_("The session was removed."),
    )
    return redirect("events:schedule", slug=event.slug)


@login_required
@require_POST
def tables(request, slug):
    event = _get_event(request, slug, "events.schedule")
    form = TableCountForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: timetable.set_table_count(request.user, event, form.cleaned_data["count"]),
        success=_("The tables were saved."),
        invalid=_("An event needs at least one table."),
    )
    return redirect("events:schedule", slug=event.slug)


@login_required
@require_POST
def table_assign(request, slug):
    event = _get_event(request, slug, "events.schedule")
    form = TableAssignForm(request.POST, event=event)
    if form.is_valid():
        attempt(
            request,
            lambda: timetable.assign_table(
                request.user,
                form.cleaned_data["table"],
                form.cleaned_data["owner"],
                form.cleaned_data["label"],
            ),
            success=_("The table was saved."),
        )
    return redirect("events:schedule", slug=event.slug)


@login_required
@require_POST
def run_start(request, slug):
    event = _get_event(request, slug, "events.schedule")
    attempt(request, lambda: scheduling.start_run(request.user, event))
    return redirect("events:schedule", slug=event.slug)


@login_required
def run_status(request, slug, pk):
    event = _get_event(request, slug, "events.schedule")
    run = get_object_or_404(SchedulingRun, event=event, pk=pk)
    response = render(request, "events/_run.html", {"event": event, "run": run, **run_context(event, run)})
    if run.finished and request.htmx:
        response["HX-Refresh"] = "true"  # the page reloads itself to show the new schedule
    return response


def run_context(event, run) -> dict:
    """Whether a queued run waits for a task worker that is not running (the page says so), and
    the run's reasons (or why it was lost) in the reader's language."""
    return {
        "waiting_for_worker": run is not None
        and run.status == run.Status.QUEUED
        and not run.lost
        and waits_for_a_worker(),
        "run_reasons": schedule_reasons.described(event, run.reasons) if run is not None else [],
        "lost_run_reason": lost_run_reason() if run is not None and run.lost else "",
    }


@login_required
@require_POST
def meeting_lock(request, slug, pk):
    event = _get_event(request, slug, "events.schedule")
    meeting = get_object_or_404(Meeting, event=event, pk=pk)
    attempt(request, lambda: timetable.lock_meeting(request.user, meeting, request.POST.get("locked") == "1"))
    return redirect(reverse("events:schedule", args=[event.slug]) + "#scheduled")


@login_required
@require_POST
def publish(request, slug):
    event = _get_event(request, slug, "events.schedule")
    final = request.POST.get("final") == "1"
    attempt(
        request,
        lambda: timetable.publish_agenda(request.user, event, final),
        success=lambda notified: (
            ngettext(
                "The agenda is published; %(count)d participant whose agenda changed was notified.",
                "The agenda is published; %(count)d participants whose agenda changed were notified.",
                notified,
            )
            % {"count": notified}
        ),
    )
    return redirect("events:schedule", slug=event.slug)


@login_required
def grid(request, slug):
    """The table plan: organisers move meetings and export it; the event staff see it to mark
    attendance."""
    event = _get_event(request, slug, "events.view_grid")
    organiser = request.user.has_perm("events.schedule", event)
    export_format = request.GET.get("export")
    if export_format in {"csv", "xlsx"}:
        if not organiser:
            raise PermissionDenied(_("Only the event's organisers may export the meeting grid."))
        return table_download(
            f"meetings-{event.slug}"[:60], export_format, agendas.EXPORT_HEADERS, agendas.export_rows(event)
        )
    try:
        day = date.fromisoformat(request.GET.get("day", ""))
    except ValueError:
        day = None
    page = int(request.GET["page"]) if request.GET.get("page", "").isdigit() else 1
    plan = agendas.grid(event, day=day, page=page)
    moving, targets = None, set()
    if organiser and request.GET.get("move", "").isdigit():
        moving = (
            event.meetings.filter(pk=request.GET["move"], status=Meeting.Status.ACTIVE)
            .select_related("slot", "table", "first__organisation", "second__organisation")
            .first()
        )
        if moving is not None:
            targets = on_behalf.move_targets(moving, plan.slots, plan.tables, plan.cells)
    rows = [
        (
            slot,
            [
                (table, plan.cells.get((slot.pk, table.pk)), (slot.pk, table.pk) in targets)
                for table in plan.tables
            ],
        )
        for slot in plan.slots
    ]
    with timezone.override(event.tz):
        return render(
            request,
            "events/grid.html",
            {
                "event": event,
                "plan": plan,
                "tables": plan.tables,
                "rows": rows,
                "moving": moving,
                "organiser": organiser,
                "sheets": plan.sheets(),
                "here": f"?day={plan.day.isoformat() if plan.day else ''}&page={plan.page}",
                **attendance.grid_marks(event),
            },
        )


def _back_to_grid(request, event: Event, meeting: Meeting | None = None) -> HttpResponse:
    """Back to the grid page the organiser was on (its day and page of tables come in the POST)."""
    query = "&".join(
        f"{key}={request.POST[key]}"
        for key in ("day", "page")
        if request.POST.get(key, "").replace("-", "").isdigit()
    )
    anchor = f"#meeting-{meeting.pk}" if meeting is not None else ""
    return redirect(reverse("events:grid", args=[event.slug]) + (f"?{query}" if query else "") + anchor)


@login_required
@require_POST
def meeting_move(request, slug, pk):
    """Move a meeting to a free slot and table (the grid's drag-and-drop and its "Move here" buttons)."""
    event = _get_event(request, slug, "events.schedule")
    meeting = get_object_or_404(Meeting, event=event, pk=pk)
    slot = get_object_or_404(Slot, session__event=event, pk=request.POST.get("slot") or 0)
    table = get_object_or_404(Table, event=event, pk=request.POST.get("table") or 0)
    with timezone.override(event.tz):
        attempt(
            request,
            lambda: on_behalf.move_meeting(request.user, meeting, slot, table),
            success=lambda moved: (
                _("%(meeting)s moved to %(table)s at %(time)s.")
                % {
                    "meeting": moved,
                    "table": moved.table,
                    "time": timezone.localtime(moved.slot.starts_at).strftime("%H:%M"),
                }
            ),
        )
    return _back_to_grid(request, event, meeting)


@login_required
@require_POST
def meeting_cancel(request, slug, pk):
    """Cancel a meeting for its participants (both are emailed)."""
    event = _get_event(request, slug, "events.act_for_participants")
    meeting = get_object_or_404(Meeting, event=event, pk=pk)
    attempt(
        request,
        lambda: on_behalf.cancel_meeting(request.user, meeting, request.POST.get("reason", "")),
        success=lambda cancelled: (
            _("%(meeting)s is cancelled; both were told by email.") % {"meeting": cancelled}
        ),
    )
    registration = request.POST.get("registration", "")
    if registration.isdigit():
        return redirect(reverse("events:agenda", args=[event.slug]) + f"?registration={registration}")
    return _back_to_grid(request, event)


# Agendas -----------------------------------------------------------------------------------------


def _agenda_registration(request, event) -> tuple[Registration, bool]:
    """The participant's own registration, or (for the organiser) the one named in ?registration=."""
    wanted = request.GET.get("registration")
    if wanted and request.user.has_perm("events.schedule", event):
        return get_object_or_404(Registration, event=event, pk=wanted), False
    return _own_registration(request, event), True


@login_required
def agenda(request, slug):
    event = _get_event(request, slug)
    registration, own = _agenda_registration(request, event)
    published = not (not own and request.GET.get("current"))
    rows = agendas.agenda_rows(registration, published=published)
    feedback = {}
    if own:
        feedback = {f.meeting_id: f for f in MeetingFeedback.objects.filter(registration=registration)}
    calendar_url = request.build_absolute_uri(
        reverse("events:calendar", args=[event.slug, registration.calendar_token])
    )
    with timezone.override(event.tz):
        return render(
            request,
            "events/agenda.html",
            {
                "event": event,
                "registration": registration,
                "rows": [
                    (row, feedback.get(row.meeting.pk), feedback_too_early_at(row.starts_at, event.tz))
                    for row in rows
                ],
                "own": own,
                "timeline": charts.agenda_timeline(event, rows),
                "calendar_url": calendar_url,
                "feedback_open": own and event.start_date <= timezone.localdate(),
                "feedback_form": FeedbackForm(),
                "suffix": f"?registration={registration.pk}" if not own else "",
                "updated_at": timezone.now(),
            },
        )


def agenda_manifest(request, slug):
    """The web app manifest that makes a participant's agenda installable on a phone's home screen.
    The event's title is public once it is published (organisers fetch it with their session)."""
    event = _get_event(request, slug)
    start = reverse("events:agenda", args=[event.slug])
    icons = [
        {"src": static(f"events/icons/agenda-{size}.png"), "sizes": f"{size}x{size}", "type": "image/png"}
        for size in (192, 512)
    ]
    manifest = {
        "name": f"{event.title} · {_('My agenda')}",
        "short_name": _("Agenda"),
        "description": _("Your meetings at %(event)s, readable offline.") % {"event": event.title},
        "lang": get_language(),
        "start_url": start,
        "scope": start,
        "display": "standalone",
        "background_color": "#ffffff",
        "theme_color": "#0172ad",
        "icons": icons + [{**icon, "purpose": "maskable"} for icon in icons],
    }
    return JsonResponse(
        manifest, content_type="application/manifest+json", json_dumps_params={"ensure_ascii": False}
    )


SERVICE_WORKER = Path(__file__).parent / "static" / "events" / "agenda-sw.js"


def agenda_service_worker(request):
    """The agenda's service worker, from the app's static files but served under /events/: a worker
    controls only the pages under its own address, and the agenda pages are under /events/."""
    response = HttpResponse(SERVICE_WORKER.read_bytes(), content_type="text/javascript; charset=utf-8")
    response["Cache-Control"] = "no-cache"
    return response


@login_required
def agenda_pdf(request, slug):
    event = _get_event(request, slug)
    registration, _own = _agenda_registration(request, event)
    pdf = agendas.agenda_pdf(registration, agendas.agenda_rows(registration))
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="agenda-{event.slug}.pdf"'
    return response


def calendar(request, slug, token):
    """The subscribable iCalendar feed: the secret token in the address is the authorisation."""
    registration = get_object_or_404(
        Registration.objects.select_related("event", "organisation"),
        event__slug=slug,
        calendar_token=token,
        status=Registration.Status.VALIDATED,
    )
    content = agendas.agenda_ical(
        registration, agendas.agenda_rows(registration), request.build_absolute_uri("/")
    )
    response = HttpResponse(content, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = f'inline; filename="{slug}.ics"'
    response["Cache-Control"] = "private, max-age=300"
    return response


@login_required
@require_POST
def meeting_video(request, slug, pk):
    """A party (or an organiser) sets the meeting on site or online, with the video link."""
    event = _get_event(request, slug)
    meeting = get_object_or_404(Meeting, event=event, pk=pk)
    require(request.user, "events.change_meeting_video", meeting)
    form = MeetingVideoForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: hybrid.set_meeting_video(
            request.user, meeting, form.cleaned_data["online"], form.cleaned_data["video_link"]
        ),
        success=lambda _meeting: (
            _("Saved: the meeting is online.")
            if form.cleaned_data["online"]
            else _("Saved: the meeting is on site.")
        ),
    )
    back = reverse("events:agenda", args=[event.slug])
    wanted = request.POST.get("registration")
    if wanted and wanted.isdigit() and request.user.has_perm("events.schedule", event):
        back += f"?registration={wanted}"
    return redirect(back)


@login_required
@require_POST
def feedback(request, slug, pk):
    event = _get_event(request, slug)
    own = _own_registration(request, event)
    meeting = get_object_or_404(Meeting, event=event, pk=pk)
    form = FeedbackForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: matchmaking.record_feedback(request.user, meeting, own, form.domain_fields()),
        success=_("Thank you for your feedback."),
    )
    return redirect("events:agenda", slug=event.slug)


@login_required
def statistics(request, slug):
    event = _get_event(request, slug, "events.view_statistics")
    return render(request, "events/statistics.html", {"event": event, "stats": event_statistics(event)})


@login_required
@require_http_methods(["GET", "POST"])
def learnings(request, slug):
    event = _get_event(request, slug)
    is_organiser = request.user.has_perm("events.change_event", event)
    own = registration_of(request.user, event)
    if own is None and not is_organiser:
        raise PermissionDenied(_("Only the event's participants and organisers may see its learnings."))
    form = None
    if own is not None:
        form = LearningsForm(
            request.POST or None, initial={"learnings": own.learnings, "actions": own.actions}
        )
        if (
            request.method == "POST"
            and form.is_valid()
            and attempt(
                request,
                lambda: registering.record_learnings(
                    request.user, own, form.cleaned_data["learnings"], form.cleaned_data["actions"]
                ),
                success=_("Your learnings were saved."),
                form=form,
            )
        ):
            return redirect("events:learnings", slug=event.slug)
    elif request.method == "POST":
        raise PermissionDenied(_("Only the event's participants write learnings."))
    attendees = None
    if is_organiser:
        attendees = event.registrations.filter(status=Registration.Status.VALIDATED).select_related(
            "organisation", "person", "partner__cluster"
        )
    return render(
        request, "events/learnings.html", {"event": event, "form": form, "attendees": attendees, "own": own}
    )
