"""Event pages for registration questions, participant types and the import of participants and
requests (issue #18 points 7 and 8): thin — parse, check permission, call `questions` / `imports`."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.core.domain import require
from clusterxchange.core.forms import attempt, attempt_form
from clusterxchange.core.tabular import TableError, read_table, stash_upload, take_stashed_upload
from clusterxchange.core.workers import waits_for_a_worker
from clusterxchange.events import imports, questions
from clusterxchange.events.forms import AllowedPairsForm, AnswersForm, ParticipantTypeForm, QuestionForm
from clusterxchange.events.models import Event, EventImport, ParticipantType, RegistrationQuestion
from clusterxchange.events.rules import registration_of


def _event(request, slug: str, permission: str = "events.change_event") -> Event:
    event = get_object_or_404(Event.objects.select_related("programme", "host_cluster"), slug=slug)
    if not request.user.has_perm("events.view_event", event):
        raise Http404
    require(request.user, permission, event)
    return event


@login_required
@require_http_methods(["GET", "POST"])
def setup(request, slug):
    """The organiser's page: the questions (add, remove), the participant types and the rule."""
    event = _event(request, slug)
    form = QuestionForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        added = attempt(
            request,
            lambda: questions.add_question(request.user, event, form.domain_fields()),
            success=_("The question was added."),
            form=form,
        )
        if added:
            return redirect("events:questions", slug=event.slug)
    types = list(event.participant_types.all())
    return render(
        request,
        "events/questions.html",
        {
            "event": event,
            "form": form,
            "questions": event.questions.all(),
            "types": types,
            "type_form": ParticipantTypeForm(),
            "pairs_form": AllowedPairsForm(types=types, allowed=questions.allowed_pairs(event.pk)),
        },
    )


@login_required
@require_POST
def question_remove(request, slug, pk):
    event = _event(request, slug)
    question = get_object_or_404(RegistrationQuestion, event=event, pk=pk)
    attempt(
        request,
        lambda: questions.remove_question(request.user, question),
        success=_("The question was removed."),
    )
    return redirect("events:questions", slug=event.slug)


@login_required
@require_POST
def type_add(request, slug):
    event = _event(request, slug)
    form = ParticipantTypeForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: questions.add_participant_type(request.user, event, form.cleaned_data["name"]),
        success=_("The participant type was added: say below whom it may meet."),
        invalid=_("Give the participant type a name."),
    )
    return redirect("events:questions", slug=event.slug)


@login_required
@require_POST
def type_remove(request, slug, pk):
    event = _event(request, slug)
    participant_type = get_object_or_404(ParticipantType, event=event, pk=pk)
    attempt(
        request,
        lambda: questions.remove_participant_type(request.user, participant_type),
        success=_("The participant type was removed."),
    )
    return redirect("events:questions", slug=event.slug)


@login_required
@require_POST
def type_pairs(request, slug):
    event = _event(request, slug)
    form = AllowedPairsForm(
        request.POST, types=list(event.participant_types.all()), allowed=questions.allowed_pairs(event.pk)
    )
    if form.is_valid():
        attempt(
            request,
            lambda: questions.set_allowed_pairs(request.user, event, form.chosen_pairs()),
            success=_("Who may meet whom was saved."),
        )
    return redirect("events:questions", slug=event.slug)


@login_required
@require_http_methods(["GET", "POST"])
def answers(request, slug):
    """The participant's own answers and type, editable while registration is open."""
    event = _event(request, slug, "events.view_event")
    registration = registration_of(request.user, event)
    if registration is None:
        raise PermissionDenied(_("You are not registered for this event."))
    form = AnswersForm(request.POST or None, event=event, registration=registration)
    if request.method == "POST":
        if not event.registration_open:
            messages.error(request, _("Registration is closed: your answers can no longer be changed."))
        elif form.is_valid():

            def save():
                return questions.set_details(
                    request.user,
                    registration,
                    form.answers(),
                    form.cleaned_data.get("participant_type"),
                    change_type="participant_type" in form.fields,
                )

            if attempt(request, save, success=_("Your answers were saved."), form=form):
                return redirect(event)
    return render(request, "events/answers.html", {"event": event, "form": form})


class ImportForm(forms.Form):
    KIND_CHOICES = [
        (imports.PARTICIPANTS, gettext_lazy("Participants")),
        (imports.REQUESTS, gettext_lazy("Meeting requests (import the participants first)")),
    ]

    kind = forms.ChoiceField(choices=KIND_CHOICES, label=gettext_lazy("What the file holds"))
    file = forms.FileField(
        label=gettext_lazy("CSV or XLSX file"), help_text=gettext_lazy("At most 5 MB and 10,000 rows.")
    )


class MappingForm(forms.Form):
    """For each of our fields, the file's column that holds it."""

    def __init__(self, *args, targets, headers, initial_mapping, **kwargs):
        super().__init__(*args, **kwargs)
        choices = [("", _("– not in the file –"))] + [(header, header) for header in headers]
        for target in targets:
            self.fields[target.name] = forms.ChoiceField(
                choices=choices,
                required=False,
                label=f"{target.label}{' *' if target.required else ''}",
                initial=initial_mapping.get(target.name, ""),
            )


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request, slug):
    """Upload → map the columns → the rows checked (imports.check: every invalid row) → confirm → the
    import runs in the background (its page shows how far it got), all rows or none."""
    event = _event(request, slug)
    token = request.POST.get("token", "")
    kind = request.POST.get("kind", imports.PARTICIPANTS)
    if kind not in {imports.PARTICIPANTS, imports.REQUESTS}:
        kind = imports.PARTICIPANTS
    context = {"event": event, "kind": kind, "report": None, "mapping_form": None}
    upload_form = ImportForm(
        None if token else request.POST or None, None if token else request.FILES or None
    )
    if request.method == "POST" and not token and upload_form.is_valid():
        upload = upload_form.cleaned_data["file"]
        content = upload.read()
        try:
            table = read_table(upload.name, content)
        except TableError as exc:
            upload_form.add_error("file", str(exc))
        else:
            targets = imports.targets_for(event, kind)
            context["mapping_form"] = MappingForm(
                targets=targets,
                headers=table.headers,
                initial_mapping=imports.guess_mapping(targets, table.headers),
            )
            context["stash_token"] = stash_upload(request, upload.name, content)
            context["rows"] = len(table.rows)
    elif request.method == "POST" and token:
        stashed = take_stashed_upload(request, token)
        if stashed is None:
            messages.error(request, _("The checked file has expired; upload it again."))
            return redirect("events:import", slug=event.slug)
        name, content = stashed
        table = read_table(name, content)
        targets = imports.targets_for(event, kind)
        mapping_form = MappingForm(request.POST, targets=targets, headers=table.headers, initial_mapping={})
        context["mapping_form"] = mapping_form
        context["stash_token"] = stash_upload(request, name, content)
        context["rows"] = len(table.rows)
        if mapping_form.is_valid():
            mapping = {key: value for key, value in mapping_form.cleaned_data.items() if value}
            mapped = attempt(request, lambda: imports.map_columns(table, targets, mapping), form=mapping_form)
            if mapped and request.POST.get("confirm") == "1":
                started = attempt(
                    request, lambda: imports.start_import(request.user, event, kind, mapped.result)
                )
                if started:
                    report, job = started.result
                    if job is not None:
                        take_stashed_upload(request, context["stash_token"])
                        return redirect("events:import_job", slug=event.slug, pk=job.pk)
                    context["report"] = report
            elif mapped:
                context["report"] = imports.check(request.user, event, kind, mapped.result)
            if context["report"] is not None:
                context["confirm_fields"] = {
                    "token": context["stash_token"],
                    "kind": kind,
                    **{field.html_name: field.value() or "" for field in mapping_form},
                }
    context["upload_form"] = upload_form
    return render(request, "events/import.html", context)


@login_required
def import_job(request, slug, pk):
    """An import's progress (the fragment polls itself with htmx until the task is done), then what it
    imported or the rows that stopped it."""
    event = _event(request, slug)
    job = get_object_or_404(EventImport, event=event, pk=pk)
    context = {
        "event": event,
        "job": job,
        "waiting_for_worker": job.status == EventImport.Status.QUEUED and waits_for_a_worker(),
    }
    if request.htmx:
        return render(request, "events/_import_job.html", context)
    return render(request, "events/import_job.html", context)
