"""Optimistic concurrency: two people edit the same record, the second save is refused.

An editable record has `updated_at` (auto_now). Its *version* is that time in whole microseconds
since the epoch, as a string. An edit form carries the version it was loaded with (hidden field,
`VersionedFormMixin`); an API update sends it in `If-Match` (the record's ETag). The domain update
calls `check_version(instance, expected)` first, inside its transaction: the row is locked
(`select_for_update`), its current version compared, and a `StaleEdit` (a field-less
ValidationError) raised when someone saved in between. Views show that error above the form and
keep the user's input; the API answers 412 Precondition Failed (`api/main.py`).

`expected=None` means "no version was sent": the update goes through (the admin, the CLI and
older API clients); pages always send one.
"""

from datetime import UTC, datetime, timedelta

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, ValidationError
from django.db import transaction
from django.utils import formats, timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)
MICROSECOND = timedelta(microseconds=1)


def version_of(instance) -> str:
    """The version of a saved record: its `updated_at` in microseconds since the epoch."""
    return _microseconds(instance.updated_at)


def _microseconds(stamp: datetime | None) -> str:
    return str((stamp - EPOCH) // MICROSECOND) if stamp else ""


def etag_of(instance) -> str:
    return f'"{version_of(instance)}"'


class StaleEdit(ValidationError):
    """Someone else saved the record after it was loaded for this edit."""

    def __init__(self, current_updated_at):
        self.current_updated_at = current_updated_at
        when = formats.time_format(timezone.localtime(current_updated_at), "H:i")
        super().__init__(
            {
                NON_FIELD_ERRORS: [
                    ValidationError(
                        _(
                            "Someone else changed this record at %(time)s; reload to see their changes "
                            "— your input is kept below."
                        ),
                        code="stale",
                        params={"time": when},
                    )
                ]
            }
        )


def check_version(instance, expected: str | None) -> None:
    """Inside the update's transaction: lock the record's row and refuse with `StaleEdit` unless
    its version is still `expected`. Nothing is checked when `expected` is None or empty."""
    if not expected:
        return
    if not transaction.get_connection().in_atomic_block:
        raise RuntimeError("check_version must run inside the update's transaction")
    model = type(instance)
    current = (
        model._default_manager.select_for_update().values_list("updated_at", flat=True).get(pk=instance.pk)
    )
    if current is None or _microseconds(current) != str(expected).strip().strip('"'):
        raise StaleEdit(current or timezone.now())


def if_match(request) -> str | None:
    """The version an API client sent in `If-Match` (an ETag from a previous read), or None."""
    header = request.headers.get("If-Match", "").strip()
    if not header or header == "*":
        return None
    return header.removeprefix("W/").strip('"')


class VersionedFormMixin(forms.Form):
    """A hidden `version` field with the version of the instance the form was loaded for.

    After a refused save the bound form keeps the old version, so submitting the same input again
    is refused again until the page is reloaded."""

    version = forms.CharField(widget=forms.HiddenInput, required=False, label=gettext_lazy("Version"))

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        instance = getattr(self, "instance", None)  # a ModelForm's; a plain form sets `initial` itself
        if instance is not None and instance.pk and not self.is_bound:
            self.initial["version"] = version_of(instance)

    @property
    def expected_version(self) -> str | None:
        return (self.cleaned_data.get("version") or None) if hasattr(self, "cleaned_data") else None


def with_etag(response, instance):
    """Put the record's ETag on an API response (ninja's temporal `response: HttpResponse`) and
    return the record, so a read hands the client the version that its next update sends back."""
    response["ETag"] = etag_of(instance)
    return instance
