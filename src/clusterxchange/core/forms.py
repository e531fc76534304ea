"""Putting a domain action's outcome on a page's form: the views call a domain action with a valid
form's data, and the ValidationError it raises ends up on the form like the form's own errors."""

from django.contrib import messages
from django.core.exceptions import ValidationError
from django.shortcuts import redirect, render


def add_errors_to_form(form, error: ValidationError) -> None:
    """Put `error` on `form`: an error about one of the form's fields goes to that field; an error
    about a field the form does not have, and an error about no field at all, go to the form as a
    whole (its non-field errors)."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error.messages)
        return
    for field, errors in error.message_dict.items():
        form.add_error(field if field in form.fields else None, errors)


def save_form(request, form, save, success, template: str, context: dict | None = None):
    """On a valid POST, run `save(form)` (a domain action) and redirect to what it returns with the
    `success` message (a text, or a function of the form); the action's ValidationError lands on the
    form, which is rendered again with `template` and `context` (as it is on a GET)."""
    if request.method == "POST" and form.is_valid():
        try:
            target = save(form)
        except ValidationError as error:
            add_errors_to_form(form, error)
        else:
            messages.success(request, success(form) if callable(success) else success)
            return redirect(target)
    return render(request, template, {"form": form, **(context or {})})
