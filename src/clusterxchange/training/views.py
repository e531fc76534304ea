"""Training pages: thin — parse, check permission, call the domain, render."""

from urllib.parse import urlsplit

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.core.domain import require
from clusterxchange.core.files import file_response
from clusterxchange.core.forms import (
    active_filters,
    attempt,
    attempt_form,
    live_search_answer,
    refusal_on_form,
    save_form,
)
from clusterxchange.core.list_place import back_to_list
from clusterxchange.core.pagination import paginate, querystring_without_page
from clusterxchange.core.tabular import TableError, read_table
from clusterxchange.programmes.models import PartnerCluster
from clusterxchange.training import domain
from clusterxchange.training.calendar import build_calendar, sessions_of
from clusterxchange.training.filters import TrainingFilter
from clusterxchange.training.forms import EntryForm, ImportForm, ModerationForm, RecordForm
from clusterxchange.training.imports import COLUMNS, REQUIRED, import_entries
from clusterxchange.training.models import EntryStatus, TrainingEntry, TrainingRecord
from clusterxchange.training.rules import record_partners, visible_records
from clusterxchange.training.signals import certificate_downloaded
from clusterxchange.training.suggestions import suggest_courses


def _catalogue(request):
    queryset = TrainingEntry.objects.published().prefetch_related("topics", "languages")
    return TrainingFilter(request.GET, queryset=queryset)


def catalogue(request):
    filterset = _catalogue(request)
    entries = filterset.qs
    page = paginate(request, entries)
    now = timezone.now()
    for entry in page:
        entry.next_date = entry.sessions.filter(starts_at__gte=now).order_by("starts_at").first()
    if request.htmx:
        results = render_to_string(
            "training/_results.html",
            {"page": page, "querystring": querystring_without_page(request)},
            request,
        )
        return live_search_answer(request, results, filterset.form)
    return render(
        request,
        "training/catalogue.html",
        {
            "filter": filterset,
            "active_filters": active_filters(filterset.form, request.GET),
            "page": page,
            "querystring": querystring_without_page(request),
            "can_moderate": request.user.has_perm("training.moderate"),
            "can_import": request.user.has_perm("training.import"),
            "pending": TrainingEntry.objects.filter(status=EntryStatus.PENDING).count()
            if request.user.has_perm("training.moderate")
            else 0,
        },
    )


def calendar_feed(request):
    """The dated sessions of the catalogue (the same filters as the page) as an iCalendar file."""
    filterset = _catalogue(request)
    body = build_calendar(
        sessions_of(filterset.qs),
        base_url=f"{request.scheme}://{request.get_host()}",
        name=_("Training for cluster managers"),
        domain=urlsplit(f"//{request.get_host()}").hostname or "clusterxchange",
    )
    response = HttpResponse(body, content_type="text/calendar; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="training.ics"'
    return response


def entry_detail(request, pk):
    entry = get_object_or_404(
        TrainingEntry.objects.prefetch_related("topics", "languages", "sessions"), pk=pk
    )
    if not request.user.has_perm("training.view_trainingentry", entry):
        raise Http404
    return render(
        request,
        "training/entry_detail.html",
        {
            "entry": entry,
            "can_edit": request.user.has_perm("training.change_trainingentry", entry),
            "can_moderate": request.user.has_perm("training.moderate", entry),
            "moderation_form": ModerationForm(),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def entry_create(request):
    require(request.user, "training.add_trainingentry")
    form = EntryForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        submitted = attempt(
            request,
            lambda: domain.submit_entry(request.user, form.domain_fields(), **_entry_relations(form)),
            success=lambda entry: (
                _("The entry was published.")
                if entry.status == EntryStatus.PUBLISHED
                else _("Thank you: the entry will appear once the coordinator has checked it.")
            ),
            form=form,
        )
        if submitted:
            return redirect(submitted.result)
    return render(request, "training/entry_form.html", {"form": form})


def _entry_relations(form) -> dict:
    return {name: form.cleaned_data[name] for name in ("topics", "languages", "sessions")}


@login_required
@require_http_methods(["GET", "POST"])
def entry_edit(request, pk):
    entry = get_object_or_404(TrainingEntry, pk=pk)
    require(request.user, "training.change_trainingentry", entry)
    form = EntryForm(request.POST or None, instance=TrainingEntry.objects.get(pk=pk))
    return save_form(
        request,
        form,
        lambda f: domain.update_entry(
            request.user, entry, f.domain_fields(), **_entry_relations(f), expected_version=f.expected_version
        ),
        _("Your changes were saved."),
        "training/entry_form.html",
        {"entry": entry},
        redirect_to=entry,
    )


@login_required
def moderation(request):
    require(request.user, "training.moderate")
    entries = TrainingEntry.objects.exclude(status=EntryStatus.PUBLISHED).select_related("submitted_by")
    dead = TrainingEntry.objects.published().filter(link_status="dead")
    return render(
        request,
        "training/moderation.html",
        {"entries": entries.order_by("status", "-created_at"), "dead": dead, "form": ModerationForm()},
    )


@login_required
@require_POST
def moderate(request, pk):
    entry = get_object_or_404(TrainingEntry, pk=pk)
    require(request.user, "training.moderate", entry)
    form = ModerationForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: domain.moderate_entry(
            request.user,
            entry,
            publish=form.cleaned_data["decision"] == "publish",
            note=form.cleaned_data["note"],
        ),
        success=lambda _entry: (
            _("“%(title)s” is now %(status)s.")
            % {"title": entry.title, "status": entry.get_status_display().lower()}
        ),
        invalid=_("Choose whether to publish or reject the entry."),
    )
    return back_to_list(request, reverse("training:moderation"), f"entry-{entry.pk}")


@login_required
@require_POST
def check_links(request):
    """Queue the link check and return at once: the page never waits for the remote sites."""
    require(request.user, "training.check_links")
    domain.request_link_check(request.user)
    messages.success(request, _("The links are being checked in the background; dead links will be marked."))
    return redirect("training:moderation")


@login_required
@require_http_methods(["GET", "POST"])
def import_view(request):
    require(request.user, "training.import")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            table = read_table(upload.name, upload.read())
        except TableError as exc:
            form.add_error("file", str(exc))
        else:
            report = import_entries(request.user, table, dry_run=form.cleaned_data["dry_run"])
            if report.ok and not report.dry_run:
                messages.success(
                    request,
                    ngettext(
                        "%(count)d entry was imported.", "%(count)d entries were imported.", report.created
                    )
                    % {"count": report.created},
                )
                return redirect("training:catalogue")
    return render(
        request,
        "training/import.html",
        {"form": form, "report": report, "columns": COLUMNS, "required": REQUIRED},
    )


# Training records ------------------------------------------------------------------------------


@login_required
def record_list(request):
    require(request.user, "training.view_records")
    partners = record_partners(request.user).select_related("cluster", "programme")
    records = visible_records(request.user).select_related("person", "entry", "partner__cluster")
    return render(
        request,
        "training/records.html",
        {"records": records, "partners": partners},
    )


@login_required
@require_http_methods(["GET", "POST"])
def record_create(request):
    require(request.user, "training.view_records")
    partners = record_partners(request.user).select_related("cluster", "programme")
    initial = {"enrolled_on": timezone.localdate()}
    if request.GET.get("entry", "").isdigit():
        initial["entry"] = request.GET["entry"]
    form = RecordForm(request.POST or None, request.FILES or None, partners=partners, initial=initial)
    return save_form(
        request,
        form,
        lambda f: refusal_on_form(
            lambda: domain.enrol(
                request.user,
                f.cleaned_data["partner"],
                f.cleaned_data["person"],
                f.cleaned_data["entry"],
                f.domain_fields(),
                certificate=f.cleaned_data["certificate"],
            ),
            field="partner",
        ),
        _("The training record was saved."),
        "training/record_form.html",
        redirect_to="training:records",
    )


def _record(request, pk) -> TrainingRecord:
    record = get_object_or_404(
        TrainingRecord.objects.select_related("partner__cluster", "person", "entry"), pk=pk
    )
    require(request.user, "training.change_trainingrecord", record)
    return record


@login_required
@require_http_methods(["GET", "POST"])
def record_edit(request, pk):
    record = _record(request, pk)
    form = RecordForm(
        request.POST or None,
        request.FILES or None,
        instance=TrainingRecord.objects.get(pk=pk),
        partners=PartnerCluster.objects.filter(pk=record.partner_id),
        editing=True,
    )
    return save_form(
        request,
        form,
        lambda f: domain.update_record(
            request.user,
            record,
            f.domain_fields(),
            certificate=f.cleaned_data["certificate"],
            expected_version=f.expected_version,
        ),
        _("Your changes were saved."),
        "training/record_form.html",
        {"record": record},
        redirect_to="training:records",
    )


@login_required
def record_certificate(request, pk):
    record = _record(request, pk)
    if not record.certificate:
        raise Http404
    response = file_response(record.certificate)
    certificate_downloaded.send(TrainingRecord, actor=request.user, record=record)
    return response


@login_required
def suggestions(request):
    """Courses for each of the user's partner clusters, from its weakest capabilities."""
    require(request.user, "training.view_records")
    per_partner = [
        (partner, suggest_courses(partner))
        for partner in record_partners(request.user).select_related("cluster", "programme")
    ]
    return render(request, "training/suggestions.html", {"per_partner": per_partner})
