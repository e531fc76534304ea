"""Event-day pages: check-in (badge QR code or name), badges, absent participants, attendance of
meetings. Thin like `views.py`: parse, check permission, call `attendance`, render.

The check-in page is made for a phone: htmx posts a scanned or typed code, or a name's "Check in"
button, and swaps in the answer; the counts refresh themselves every few seconds.
"""

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Prefetch
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.core.domain import require
from clusterxchange.core.forms import attempt, attempt_form
from clusterxchange.directory.models import Organisation, Person
from clusterxchange.events import agendas, attendance, badges, on_behalf
from clusterxchange.events.forms import StaffForm
from clusterxchange.events.models import Event, Meeting, Registration
from clusterxchange.events.rules import registration_of

COUNTS_REFRESH_SECONDS = 5
# Up to this many participants, "act for participants" lists them all; above, each side is found by
# name (a list of every participant of a 2,000-person event would weigh hundreds of kilobytes).
BOOK_LISTS_ALL = 60


def _event(request, slug: str, permission: str) -> Event:
    event = get_object_or_404(Event.objects.select_related("programme", "host_cluster"), slug=slug)
    if not request.user.has_perm("events.view_event", event):
        raise Http404
    require(request.user, permission, event)
    return event


def _checked_in_message(registration: Registration) -> str:
    return _("%(name)s (%(organisation)s) is checked in at %(time)s.") % {
        "name": registration.person_name or registration.organisation.name,
        "organisation": registration.organisation.name,
        "time": timezone.localtime(registration.checked_in_at, registration.event.tz).strftime("%H:%M"),
    }


def _answer(request, event: Event, outcome):
    """After a check-in: the result panel for htmx (messages, counts), else back to the page."""
    if request.htmx:
        return render(
            request,
            "events/checkin/_result.html",
            {"event": event, "counts": attendance.counts(event), "outcome": outcome},
        )
    return redirect("events:checkin", slug=event.slug)


# Check-in ----------------------------------------------------------------------------------------


@login_required
def checkin(request, slug):
    event = _event(request, slug, "events.check_in")
    query = request.GET.get("q", "").strip()
    found = attendance.search(event, query) if query else []
    context = {
        "event": event,
        "query": query,
        "found": found,
        "counts": attendance.counts(event),
        "refresh": COUNTS_REFRESH_SECONDS,
    }
    with timezone.override(event.tz):
        if request.htmx and request.htmx.target == "checkin-found":
            return render(request, "events/checkin/_found.html", context)
        organiser = request.user.has_perm("events.change_event", event)
        context.update(
            organiser=organiser,
            staff=attendance.staff_of(event) if organiser else [],
            staff_form=StaffForm() if organiser else None,
        )
        return render(request, "events/checkin/page.html", context)


@login_required
@require_POST
def staff_add(request, slug):
    event = _event(request, slug, "events.change_event")
    form = StaffForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: attendance.add_staff(request.user, event, form.cleaned_data["email"]),
        success=lambda user: (
            _("%(email)s is on the staff of the event day; they were told by email.") % {"email": user.email}
        ),
    )
    return redirect(reverse("events:checkin", args=[event.slug]) + "#staff")


@login_required
@require_POST
def staff_remove(request, slug, pk):
    event = _event(request, slug, "events.change_event")
    user = get_object_or_404(get_user_model(), pk=pk)
    attempt(
        request,
        lambda: attendance.remove_staff(request.user, event, user),
        success=_("%(email)s is no longer on the staff.") % {"email": user.email},
    )
    return redirect(reverse("events:checkin", args=[event.slug]) + "#staff")


@login_required
def checkin_counts(request, slug):
    event = _event(request, slug, "events.check_in")
    return render(
        request,
        "events/checkin/_counts.html",
        {"event": event, "counts": attendance.counts(event), "refresh": COUNTS_REFRESH_SECONDS},
    )


@login_required
@require_POST
def checkin_code(request, slug):
    event = _event(request, slug, "events.check_in")
    outcome = attempt(
        request,
        lambda: attendance.check_in_code(request.user, event, request.POST.get("code", "")),
        success=_checked_in_message,
    )
    return _answer(request, event, outcome)


@login_required
@require_POST
def checkin_person(request, slug, pk):
    event = _event(request, slug, "events.check_in")
    registration = get_object_or_404(Registration, event=event, pk=pk)
    outcome = attempt(
        request, lambda: attendance.check_in(request.user, event, registration), success=_checked_in_message
    )
    return _answer(request, event, outcome)


@login_required
@require_POST
def checkin_undo(request, slug, pk):
    event = _event(request, slug, "events.check_in")
    registration = get_object_or_404(Registration, event=event, pk=pk)
    outcome = attempt(
        request,
        lambda: attendance.undo_check_in(request.user, event, registration),
        success=_("The check-in of %(name)s was taken back.")
        % {"name": registration.person_name or registration.organisation.name},
    )
    return _answer(request, event, outcome)


# Badges ------------------------------------------------------------------------------------------


def _pdf(content: bytes, name: str) -> HttpResponse:
    response = HttpResponse(content, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


@login_required
def badges_pdf(request, slug):
    """Every validated participant's badge, eight to an A4 page, for the organisers to print."""
    event = _event(request, slug, "events.check_in")
    return _pdf(badges.badges_pdf(event, badges.badge_registrations(event)), f"badges-{event.slug}"[:60])


@login_required
def badge_pdf(request, slug):
    """The participant's own badge (an organiser may ask for anyone's with ?registration=)."""
    event = get_object_or_404(Event, slug=slug)
    if not request.user.has_perm("events.view_event", event):
        raise Http404
    wanted = request.GET.get("registration")
    if wanted:
        registration = get_object_or_404(Registration, event=event, pk=wanted)
    else:
        registration = registration_of(request.user, event)
    if registration is None or not request.user.has_perm("events.view_badge", registration):
        raise PermissionDenied(_("You are not registered for this event."))
    if registration.status not in badges.BADGE_STATUSES:
        raise PermissionDenied(_("A badge is issued once the registration is validated."))
    return _pdf(badges.badges_pdf(event, [registration]), f"badge-{event.slug}"[:60])


# Absent participants -----------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def absent(request, slug):
    event = _event(request, slug, "events.release_absent")
    if request.method == "POST":
        chosen = Registration.objects.filter(event=event, pk__in=request.POST.getlist("registrations"))
        attempt(
            request,
            lambda: attendance.release_absent(request.user, event, chosen),
            success=lambda released: (
                ngettext(
                    "%(count)d meeting was released; the partners were told by email.",
                    "%(count)d meetings were released; the partners were told by email.",
                    released,
                )
                % {"count": released}
            ),
        )
        return redirect("events:absent", slug=event.slug)
    return render(
        request,
        "events/checkin/absent.html",
        {"event": event, "absent": attendance.absent(event), "counts": attendance.counts(event)},
    )


# Attendance --------------------------------------------------------------------------------------


@login_required
@require_POST
def meeting_attendance(request, slug, pk):
    event = _event(request, slug, "events.mark_attendance")
    meeting = get_object_or_404(Meeting, event=event, pk=pk)
    attempt(
        request,
        lambda: attendance.mark_attendance(request.user, meeting, request.POST.get("attendance", "")),
        success=lambda marked: (
            _("%(meeting)s: %(attendance)s.")
            % {"meeting": marked, "attendance": marked.get_attendance_display()}
        ),
    )
    return redirect(
        reverse("events:grid", args=[event.slug]) + _grid_page_of(meeting) + f"#meeting-{meeting.pk}"
    )


def _grid_page_of(meeting: Meeting) -> str:
    """The query of the grid page (day, page of tables) that shows the meeting."""
    meeting = Meeting.objects.select_related("slot__session", "table").get(pk=meeting.pk)
    if meeting.slot is None or meeting.table is None:
        return ""
    page = (meeting.table.number - 1) // agendas.GRID_TABLES_PER_PAGE + 1
    return f"?day={meeting.slot.session.date.isoformat()}&page={page}"


@login_required
@require_POST
def report_no_show(request, slug, pk):
    event = get_object_or_404(Event, slug=slug)
    if not request.user.has_perm("events.view_event", event):
        raise Http404
    own = registration_of(request.user, event)
    if own is None:
        raise PermissionDenied(_("You are not registered for this event."))
    meeting = get_object_or_404(Meeting, event=event, pk=pk)
    attempt(
        request,
        lambda: attendance.report_no_show(request.user, meeting, own),
        success=_("Thank you: the meeting is recorded as not held."),
    )
    return redirect("events:agenda", slug=event.slug)


# Acting for participants -------------------------------------------------------------------------


@login_required
@require_http_methods(["GET", "POST"])
def book(request, slug):
    """The organiser sends a meeting request for a participant (the other answers as usual), or books
    the meeting between two participants at once; both are emailed, the audit names the organiser."""
    event = _event(request, slug, "events.act_for_participants")
    participants = event.registrations.filter(status=Registration.Status.VALIDATED).select_related(
        "organisation", "person"
    )
    if request.method == "POST":
        chosen = participants.in_bulk([pk for pk in request.POST.getlist("participants") if pk.isdigit()])
        ids = [int(pk) for pk in request.POST.getlist("participants") if pk.isdigit()]
        if len(ids) != 2 or len(chosen) != 2:
            messages.error(request, _("Choose two participants of this event."))
        elif request.POST.get("mode") == "request":
            attempt(
                request,
                lambda: on_behalf.request_meeting(
                    request.user, event, chosen[ids[0]], chosen[ids[1]], request.POST.get("message", "")
                ),
                success=lambda sent: (
                    _("The request of %(requester)s to %(recipient)s is sent (%(status)s).")
                    % {
                        "requester": sent.requester.display_name,
                        "recipient": sent.recipient.display_name,
                        "status": sent.get_status_display(),
                    }
                ),
            )
        else:
            attempt(
                request,
                lambda: on_behalf.book_meeting(
                    request.user, event, chosen[ids[0]], chosen[ids[1]], request.POST.get("message", "")
                ),
                success=lambda meeting: (
                    _("The meeting %(meeting)s is booked; both were told by email.") % {"meeting": meeting}
                ),
            )
        return redirect("events:book", slug=event.slug)
    total = participants.count()
    everyone = list(participants.order_by("organisation__name", "pk")) if total <= BOOK_LISTS_ALL else []
    sides = []
    for side in ("first", "second"):
        text = request.GET.get(side, "").strip()[:100]
        shown, more = everyone, False
        if text:
            shown = list(attendance.search(event, text, attendance.SEARCH_LIMIT + 1, validated_only=True))
            more, shown = len(shown) > attendance.SEARCH_LIMIT, shown[: attendance.SEARCH_LIMIT]
        sides.append({"name": side, "query": text, "participants": shown, "more": more})
    return render(
        request,
        "events/book.html",
        {"event": event, "sides": sides, "total": total, "lists_all": total <= BOOK_LISTS_ALL},
    )


@login_required
@require_http_methods(["GET", "POST"])
def register_for(request, slug):
    """The organiser registers an organisation (and one of its people) for the event: find it by name,
    then register. The organisation's people are listed by name only."""
    event = _event(request, slug, "events.act_for_participants")
    if request.method == "POST":
        organisation = get_object_or_404(Organisation, pk=request.POST.get("organisation") or 0)
        person_id = request.POST.get("person", "")
        person = get_object_or_404(Person, pk=person_id) if person_id.isdigit() else None
        done = attempt(
            request,
            lambda: on_behalf.register_participant(
                request.user, event, organisation, person=person, role=request.POST.get("role", "")
            ),
            success=lambda registration: (
                _("%(name)s is registered (%(status)s); they were told by email.")
                % {"name": on_behalf.name_of(registration), "status": registration.get_status_display()}
            ),
        )
        if done:
            return redirect("events:registrations", slug=event.slug)
        return redirect(reverse("events:register_for", args=[event.slug]) + f"?q={organisation.name[:60]}")
    text = request.GET.get("q", "").strip()[:100]
    found = []
    if len(text) >= 2:
        found = list(
            Organisation.objects.filter(name__icontains=text)
            .order_by("name")
            .prefetch_related(
                Prefetch(
                    "people", queryset=Person.objects.only("pk", "first_name", "last_name", "organisation_id")
                )
            )[: on_behalf.SEARCH_LIMIT]
        )
    return render(
        request,
        "events/register_for.html",
        {"event": event, "q": text, "found": found, "roles": Registration.Role.choices},
    )
