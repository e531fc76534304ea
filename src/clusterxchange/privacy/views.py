"""Privacy pages: "My data" for everybody logged in, a person's privacy page for coordinators
(and the person), data exports, consents, erasure requests and erasure."""

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from clusterxchange.core.domain import require
from clusterxchange.core.forms import attempt, attempt_form
from clusterxchange.core.list_place import back_to_list
from clusterxchange.core.models import AuditEntry
from clusterxchange.core.pagination import paginate, querystring_without_page
from clusterxchange.directory.models import Person
from clusterxchange.privacy import consents, domain
from clusterxchange.privacy.access import log_access
from clusterxchange.privacy.models import ErasureRequest, PersonalDataAccess, Purpose


class ErasureRequestForm(forms.Form):
    message = forms.CharField(
        label=gettext_lazy("Message to the coordinator (optional)"), required=False, widget=forms.Textarea
    )


class EraseForm(forms.Form):
    confirm = forms.BooleanField(
        label=gettext_lazy("I understand that this cannot be undone."), required=True
    )
    reason = forms.CharField(label=gettext_lazy("Reason (e.g. the person's request)"), required=False)


class RefuseForm(forms.Form):
    reason = forms.CharField(label=gettext_lazy("Reason for the refusal"), widget=forms.Textarea)


# The recorded changes of a person as their privacy page words them (the audit keeps the codes).
CHANGE_LABELS = {
    "directory.person.create": gettext_lazy("Profile created"),
    "directory.person.update": gettext_lazy("Profile changed"),
    "directory.person.delete": gettext_lazy("Profile deleted"),
    "directory.person.link": gettext_lazy("Linked to a user account"),
    "directory.person.unlink": gettext_lazy("Unlinked from the user account"),
    "privacy.consent.listing": gettext_lazy("Consent to the directory listing"),
    "privacy.consent.testimonial": gettext_lazy("Consent to publish a testimonial"),
    "privacy.erasure.request": gettext_lazy("Erasure requested"),
    "privacy.erasure.refuse": gettext_lazy("Erasure refused"),
    "privacy.export": gettext_lazy("Data exported"),
}
CONSENT_LABELS = {"given": gettext_lazy("given"), "withdrawn": gettext_lazy("withdrawn")}


def _changes(request, person):
    """The page of the person's recorded changes asked for, each with its label and consent decision."""
    entries = AuditEntry.objects.filter(object_type="directory.person", object_id=str(person.pk))
    page = paginate(request, entries.select_related("actor"), param="changes")
    for entry in page:
        entry.label = CHANGE_LABELS.get(entry.action, entry.action)
        entry.decision = CONSENT_LABELS.get(entry.to_state, entry.to_state)
    return page


def _person(request, pk, permission: str) -> Person:
    person = get_object_or_404(Person.objects.select_related("organisation", "user"), pk=pk)
    require(request.user, permission, person)
    return person


def _context(request, person) -> dict:
    is_self = person.user_id == request.user.pk
    listing = consents.current(person, Purpose.DIRECTORY_LISTING)
    return {
        "person": person,
        "is_self": is_self,
        "erased": domain.is_erased(person),
        "listing_consent": listing,
        "listing_text": consents.consent_text(Purpose.DIRECTORY_LISTING),
        "testimonial_text": consents.consent_text(Purpose.TESTIMONIAL),
        "testimonials": domain.testimonials_of(person),
        "consent_history": consents.history(person)[:100],
        "accesses": paginate(
            request,
            PersonalDataAccess.objects.filter(person=person).select_related("actor"),
            param="accesses",
        ),
        "accesses_query": querystring_without_page(request, "accesses"),
        "audit_entries": _changes(request, person),
        "audit_query": querystring_without_page(request, "changes"),
        "erasure_requests": ErasureRequest.objects.filter(person=person).select_related("decided_by"),
        "open_request": ErasureRequest.objects.filter(
            person=person, status=ErasureRequest.Status.OPEN
        ).first(),
        "can_erase": request.user.has_perm("privacy.erase_person", person) and not is_self,
        "can_request_erasure": request.user.has_perm("privacy.request_erasure", person),
        "blockers": domain.erasure_blockers(person),
        "request_form": ErasureRequestForm(),
    }


@login_required
def my_data(request):
    person = Person.objects.select_related("organisation", "user").filter(user=request.user).first()
    if person is None:
        return render(request, "privacy/my_data.html", {"person": None})
    return render(request, "privacy/my_data.html", _context(request, person))


@login_required
def person_privacy(request, pk):
    person = _person(request, pk, "privacy.view_person_data")
    log_access(request.user, person, PersonalDataAccess.Kind.PRIVACY_PAGE)
    return render(request, "privacy/person.html", _context(request, person))


@login_required
def export(request, pk):
    person = _person(request, pk, "privacy.export_person")
    with_files = request.GET.get("files") == "1"
    name, content = domain.export_person(request.user, person, with_files=with_files)
    response = HttpResponse(content, content_type="application/zip" if with_files else "application/json")
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    response["Cache-Control"] = "private, no-store"
    return response


def _back(request, person):
    if person.user_id == request.user.pk:
        return redirect("privacy:me")
    return redirect("privacy:person", person.pk)


@login_required
@require_POST
def consent(request, pk):
    person = _person(request, pk, "privacy.change_consent")
    given = request.POST.get("given") == "1"

    def record_consent():
        if request.POST.get("purpose") == Purpose.DIRECTORY_LISTING:
            return domain.set_listing_consent(request.user, person, given)
        testimonial_id = request.POST.get("id", "")
        return domain.set_testimonial_consent(
            request.user,
            person,
            request.POST.get("kind", ""),
            int(testimonial_id) if testimonial_id.isdecimal() else 0,  # no testimonial has the id 0
            given,
        )

    attempt(
        request,
        record_consent,
        success=_("Your decision was recorded.") if given else _("The consent was withdrawn."),
    )
    return _back(request, person)


@login_required
@require_POST
def request_erasure(request, pk):
    person = _person(request, pk, "privacy.request_erasure")
    form = ErasureRequestForm(request.POST)
    if form.is_valid():
        attempt(
            request,
            lambda: domain.request_erasure(request.user, person, form.cleaned_data["message"]),
            success=_("Your request was sent to the programme coordinators."),
        )
    return redirect("privacy:me")


@login_required
@require_http_methods(["GET", "POST"])
def erase(request, pk):
    person = _person(request, pk, "privacy.erase_person")
    form = EraseForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        erased = attempt(
            request,
            lambda: domain.erase_person(request.user, person, reason=form.cleaned_data["reason"]),
            success=lambda result: (
                _("The person's data was erased (%(files)s files deleted).")
                % {"files": len(result.files_deleted)}
            ),
            form=form,
        )
        if erased:
            return redirect("privacy:person", person.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "privacy/erase.html",
        {"person": person, "form": form, "blockers": domain.erasure_blockers(person)},
        status=status,
    )


@login_required
def erasure_requests(request):
    require(request.user, "privacy.erase_person", None)
    requests = ErasureRequest.objects.select_related("person__organisation", "requested_by", "decided_by")
    return render(
        request,
        "privacy/requests.html",
        {
            "open": requests.filter(status=ErasureRequest.Status.OPEN),
            "decided": paginate(request, requests.exclude(status="open").order_by("-decided_at", "-pk")),
        },
    )


@login_required
@require_POST
def refuse(request, pk):
    erasure_request = get_object_or_404(ErasureRequest.objects.select_related("person"), pk=pk)
    require(request.user, "privacy.erase_person", erasure_request.person)
    form = RefuseForm(request.POST)
    attempt_form(
        request,
        form,
        lambda: domain.refuse_erasure(request.user, erasure_request, form.cleaned_data["reason"]),
        success=_("The request was refused; the reason is recorded."),
        invalid=_("Give the reason for the refusal."),
    )
    return back_to_list(request, reverse("privacy:requests"))
