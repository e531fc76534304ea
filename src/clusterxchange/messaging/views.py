"""Message pages: thin — parse, check permission, call the domain, render."""

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Count, Q
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import translation
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from clusterxchange.core.domain import COORDINATORS_ONLY, require
from clusterxchange.core.forms import attempt
from clusterxchange.core.models import OutgoingEmail
from clusterxchange.core.pagination import paginate
from clusterxchange.core.texts import EDITABLE
from clusterxchange.core.workers import waits_for_a_worker
from clusterxchange.events.rules import organised_events
from clusterxchange.followup.reminders import sent_for_events
from clusterxchange.messaging import domain
from clusterxchange.messaging.forms import MessageForm, NotificationTextForm
from clusterxchange.messaging.models import MailKind, NotificationText
from clusterxchange.messaging.rules import undelivered_emails, visible_messages
from clusterxchange.programmes.models import Programme


def delivery_counts(message) -> dict[str, int]:
    return message.recipients.aggregate(
        sent=Count("pk", filter=Q(email__status=OutgoingEmail.Status.SENT)),
        waiting=Count("pk", filter=Q(email__status=OutgoingEmail.Status.QUEUED)),
        failed=Count("pk", filter=Q(email__status=OutgoingEmail.Status.FAILED)),
    )


REMINDER_EVENTS = 50  # the newest events the history lists reminders for


@login_required
def message_list(request):
    require(request.user, "messaging.send_message")
    messages_sent = (
        visible_messages(request.user)
        .select_related("sender", "programme")
        .annotate(failed=Count("recipients", filter=Q(recipients__email__status=OutgoingEmail.Status.FAILED)))
        .order_by("-created_at", "-pk")
    )
    context = {
        "page": paginate(request, messages_sent),
        # The reminders the platform sent about the events the user organises (one query per event).
        "reminders": sent_for_events(
            organised_events(request.user).order_by("-start_date")[:REMINDER_EVENTS]
        ),
    }
    return render(request, "messaging/list.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def compose(request):
    require(request.user, "messaging.send_message")
    initial = {"audience": request.GET.get("audience", "")}
    form = MessageForm(request.POST or None, initial=initial, sender=request.user)
    preview = None
    if request.method == "POST" and form.is_valid():
        fields = (form.cleaned_data["audience"], form.cleaned_data["subject"], form.cleaned_data["body"])
        if "send" in request.POST:
            outcome = attempt(
                request,
                lambda: domain.send_message(request.user, *fields),
                success=_("The message is being sent."),
                form=form,
            )
            if outcome:
                return redirect("messaging:detail", pk=outcome.result.pk)
        else:
            outcome = attempt(request, lambda: domain.preview(request.user, *fields), form=form)
            preview = outcome.result
    return render(
        request,
        "messaging/compose.html",
        {
            "form": form,
            "preview": preview,
            "placeholders": {str(g.label): g.placeholders for g, _t in form.audiences},
        },
    )


def _message(request, pk):
    message = get_object_or_404(visible_messages(request.user).select_related("sender", "programme"), pk=pk)
    return message


@login_required
def detail(request, pk):
    message = _message(request, pk)
    recipients = message.recipients.select_related("email").order_by("address")
    state = request.GET.get("state", "")
    if state in OutgoingEmail.Status.values:
        recipients = recipients.filter(email__status=state)
    context = {
        "message": message,
        "counts": delivery_counts(message),
        "page": paginate(request, recipients, per_page=50),
        "state": state,
        "states": OutgoingEmail.Status.choices,
        "waiting_for_worker": message.status == message.Status.QUEUED and waits_for_a_worker(),
    }
    return render(request, "messaging/detail.html", context)


@login_required
def status(request, pk):
    message = _message(request, pk)
    context = {
        "message": message,
        "counts": delivery_counts(message),
        "waiting_for_worker": message.status == message.Status.QUEUED and waits_for_a_worker(),
    }
    return render(request, "messaging/_status.html", context)


@login_required
def undelivered(request):
    """Emails that finally failed outside group messages (system notifications), with the reason: those
    of the programmes the user coordinates (all of them for a superuser)."""
    require(request.user, "messaging.view_undelivered")
    failed = undelivered_emails(request.user).select_related("programme").order_by("-created_at", "-pk")
    return render(request, "messaging/undelivered.html", {"page": paginate(request, failed)})


@require_http_methods(["GET", "POST"])
def unsubscribe(request, token):
    """Anyone with the link (no login: it comes from an email); a changed link gets a clear page."""
    outcome = attempt(request, lambda: domain.read_unsubscribe_token(token))
    if not outcome:
        return render(request, "messaging/unsubscribe.html", {"invalid": True}, status=400)
    user, kind = outcome.result
    if request.method == "POST":
        again = request.POST.get("action") == "resubscribe"
        attempt(
            request,
            lambda: (domain.resubscribe if again else domain.unsubscribe)(token),
            success=_("You will receive these messages again.")
            if again
            else _("Done: you will receive no more of these messages."),
        )
        return redirect("messaging:unsubscribe", token=token)
    context = {"kind": MailKind(kind), "unsubscribed": domain.is_unsubscribed(user, kind), "token": token}
    return render(request, "messaging/unsubscribe.html", context)


def _coordinated(request):
    programmes = Programme.objects.filter(roles__user=request.user, roles__role="coordinator").distinct()
    if not programmes:
        raise PermissionDenied(COORDINATORS_ONLY)
    return programmes


@login_required
def texts(request):
    """The editable notification texts of a programme the user coordinates, per language."""
    programmes = _coordinated(request)
    programme = programmes.filter(slug=request.GET.get("programme", "")).first() or programmes.first()
    custom = set(NotificationText.objects.filter(programme=programme).values_list("key", "language"))
    rows = [
        (text, [(code, name, (text.key, code) in custom) for code, name in settings.LANGUAGES])
        for text in EDITABLE.values()
    ]
    context = {"programme": programme, "programmes": programmes, "rows": rows}
    return render(request, "messaging/texts.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def text_edit(request, programme, key, language):
    programme = get_object_or_404(_coordinated(request), slug=programme)
    text = EDITABLE.get(key)
    if text is None or language not in dict(settings.LANGUAGES):
        raise Http404
    row = NotificationText.objects.filter(programme=programme, key=key, language=language).first()
    with translation.override(language):
        shipped = text.shipped()
    initial = (
        {"subject": row.subject, "body": row.body}
        if row
        else dict(zip(("subject", "body"), shipped, strict=True))
    )
    form = NotificationTextForm(request.POST or None, initial=initial)
    preview = None
    back = reverse("messaging:texts") + f"?programme={programme.slug}"
    if request.method == "POST" and request.POST.get("action") == "reset":
        if attempt(
            request,
            lambda: domain.reset_notification_text(request.user, programme, key, language),
            success=_("The shipped text is used again."),
        ):
            return redirect(back)
    elif request.method == "POST" and form.is_valid():
        subject, body = form.cleaned_data["subject"], form.cleaned_data["body"]
        if request.POST.get("action") == "save":
            if attempt(
                request,
                lambda: domain.save_notification_text(request.user, programme, key, language, subject, body),
                success=_("The text was saved."),
                form=form,
            ):
                return redirect(back)
        else:
            preview = attempt(
                request,
                lambda: domain.preview_notification_text(request.user, programme, key, subject, body),
                form=form,
            ).result
    context = {
        "programme": programme,
        "text": text,
        "language": dict(settings.LANGUAGES)[language],
        "customised": row is not None,
        "shipped": shipped,
        "form": form,
        "preview": preview,
    }
    return render(request, "messaging/text_edit.html", context)
