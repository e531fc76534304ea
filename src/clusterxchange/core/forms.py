"""How a view calls a domain action: ``attempt`` runs it and turns what it refuses into the page's
message or the form's errors; ``save_form`` does the same for a page with a form and a redirect.

Bad input (ValidationError) goes on the form when there is one, field by field; a refusal (core's
``Refused``: the records' state does not allow the action) and bad input without a form become the
page's error message. PermissionDenied is not caught: it is the 403 page."""

from collections.abc import Callable
from dataclasses import dataclass

from django.contrib import messages
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string

from clusterxchange.core.domain import Refused


def add_errors_to_form(form, error: ValidationError) -> None:
    """Put `error` on `form`: an error about one of the form's fields goes to that field; an error
    about a field the form does not have, and an error about no field at all, go to the form as a
    whole (its non-field errors)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


@dataclass(frozen=True)
class Attempt:
    """What ``attempt`` did: ``done`` (also the truth value) and the action's ``result`` when done;
    ``refused`` when the records' state refused it (not done for bad input: the form shows why)."""

    done: bool
    result: object = None
    refused: bool = False

    def __bool__(self) -> bool:
        return self.done


def attempt(request, action: Callable[[], object], success=None, form=None) -> Attempt:
    """Run ``action()`` (a domain action). Done: add the ``success`` message (a text, or a function of
    the action's result; none when None). Refused or bad input: add the reason as the page's error
    message, or put the bad input on ``form`` (field by field) when a form is given."""
    try:
        result = action()
    except Refused as refusal:
        messages.error(request, str(refusal))
        return Attempt(False, refused=True)
    except ValidationError as error:
        if form is None:
            messages.error(request, " ".join(error.messages))
        else:
            add_errors_to_form(form, error)
    else:
        if success is not None:
            messages.success(request, success(result) if callable(success) else success)
        return Attempt(True, result)
    return Attempt(False)


def refusal_on_form(action: Callable[[], object], field: str | None = None):
    """Run ``action()``; a PermissionDenied it raises about what the user chose on the form (e.g. a
    partner that is not theirs) becomes a ValidationError on ``field`` (or the whole form), so
    ``save_form`` shows it on the form instead of the 403 page."""
    try:
        return action()
    except PermissionDenied as denied:
        raise ValidationError({field: str(denied)} if field else str(denied)) from denied


def form_errors_text(form) -> str:
    """All of ``form``'s errors in one sentence (for a form that has no page of its own to show them)."""
    return " ".join(str(error) for errors in form.errors.values() for error in errors)


def attempt_form(request, form, action: Callable[[], object], success=None, invalid=None) -> Attempt:
    """A small form posted from another page (a button with a few fields): when ``form`` is valid,
    ``attempt(request, action, success)``; otherwise its errors (or the ``invalid`` text) become the
    page's error message and nothing is done. ``action`` and a callable ``success`` run only once the
    form is valid, so they may read ``form.cleaned_data``."""
    if not form.is_valid():
        messages.error(request, invalid or form_errors_text(form))
        return Attempt(False)
    return attempt(request, action, success=success)


def save_form(request, form, save, success, template: str, context: dict | None = None, *, redirect_to=None):
    """On a valid POST, run `save(form)` (a domain action) and redirect to ``redirect_to`` (a model
    instance, a URL or a view name), or to what the action returns when none is given, with the
    `success` message (a text, or a function of the form); the action's ValidationError lands on the
    form and its refusal on the page, which is rendered again with `template` and `context` (as it is
    on a GET)."""
    if request.method == "POST" and form.is_valid():
        outcome = attempt(
            request,
            lambda: save(form),
            success=(lambda _target: success(form)) if callable(success) else success,
            form=form,
        )
        if outcome:
            return redirect(outcome.result if redirect_to is None else redirect_to)
    return render(request, template, {"form": form, **(context or {})})


def active_filters(form, query) -> int:
    """How many fields of the filter `form` the query string sets: the folded filters' summary says
    so, and a phone shows them open when any is set (`includes/filters_fold.html`)."""
    return sum(1 for name in form.fields if any(value.strip() for value in query.getlist(name)))


def live_search_answer(request, results: str, form) -> HttpResponse:
    """The answer to a list's live search (htmx): its `results`, then the folded filters' summary sent
    out of band (`includes/filters_fold_label.html`), so "Filters · active: n" follows what the search
    sets instead of waiting for a reload."""
    label = render_to_string(
        "includes/filters_fold_label.html",
        {"active": active_filters(form, request.GET), "oob": True},
        request,
    )
    return HttpResponse(results + label)
