"""Texts rendered in the reader's language, not the writer's.

A notification is written while the actor's language is active, but each recipient reads it in
their own. `later(gettext_lazy("… %(name)s …"), name=…)` keeps the message and its values and
interpolates them each time it is turned into a string, in the language active then; values may be
lazy texts too (a choice's label). `language_of(user)` is the language to write to someone in.

`sentence(_("You left %(organisation)s."), organisation=…)` fills a sentence at once. Both end a
sentence once when a name that ends it has its own full stop ("ACME Ltd."): every sentence whose
placeholder may come right before its full stop, in English or in a translation, is filled by one of
them (flash messages, form errors, refusals, emails), never with a bare `%`.
"""

from collections.abc import Callable
from dataclasses import dataclass
from functools import cached_property

from django.utils import translation
from django.utils.functional import Promise, lazy
from django.utils.translation import get_language

from clusterxchange.core.placeholders import PERCENT_PLACEHOLDER, PLACEHOLDER, fill, one_full_stop


def _interpolate(message, params: dict) -> str:
    values = {name: str(value) if isinstance(value, Promise) else value for name, value in params.items()}
    return one_full_stop(str(message), values, PERCENT_PLACEHOLDER) % values


def sentence(message, **values) -> str:
    """`message % values` now, in the active language, ending once ("You left ACME Ltd."; see the
    module's docstring)."""
    return _interpolate(message, values)


_lazy_interpolate = lazy(_interpolate, str)


def later(message, **params):
    """`message % params`, translated and interpolated when rendered (see the module's docstring)."""
    return _lazy_interpolate(message, params)


lowered = lazy(lambda text: str(text).lower(), str)
lowered.__doc__ = "A lazy text in lower case, e.g. a choice's label inside a sentence."


# Notification texts a programme may edit per language -------------------------------------------
#
# Every notification email declares its shipped text once with `editable(key, subject, body)`
# (translated by the catalogues) in its app's `notifications.py` (found by messaging's AppConfig with
# `autodiscover_modules`), and renders it with `text.parts(programme_id, **values)`: lazy texts that,
# in the language active when they are turned into strings, take the programme's own wording for that
# language when it has one (looked up through the function registered by the app that stores them:
# messaging), else the shipped one, and fill the placeholders.
#
# The shipped texts keep the catalogues' `%(name)s` form, so their translations stay as they are; a
# programme's wording and the editor use `{name}` (`braced`). The placeholders are those of the
# shipped English text; the ones of its subject are required unless the declaration names others.


def braced(text) -> str:
    """A catalogue text with `%(name)s` placeholders written as `{name}` (and `%%` as `%`)."""
    return PERCENT_PLACEHOLDER.sub(r"{\1}", str(text)).replace("%%", "%")


@dataclass(frozen=True)
class EditableText:
    key: str
    subject: object  # lazy texts
    body: object = ""
    declared_placeholders: tuple[str, ...] | None = None
    declared_required: tuple[str, ...] | None = None
    label: object = None

    def _english(self) -> tuple[str, str]:
        with translation.override("en"):
            return braced(self.subject), braced(self.body)

    @cached_property
    def placeholders(self) -> tuple[str, ...]:
        if self.declared_placeholders is not None:
            return self.declared_placeholders
        subject, body = self._english()
        return tuple(dict.fromkeys(PLACEHOLDER.findall(f"{subject} {body}")))

    @cached_property
    def required(self) -> tuple[str, ...]:
        if self.declared_required is not None:
            return self.declared_required
        return tuple(dict.fromkeys(PLACEHOLDER.findall(self._english()[0])))

    @property
    def title(self) -> str:
        """What the texts page calls it, in the active language: its label, else its shipped subject."""
        return str(self.label) if self.label else braced(self.subject)

    def shipped(self) -> tuple[str, str]:
        """(subject, body) as shipped, in the active language, with `{name}` placeholders."""
        return braced(self.subject), braced(self.body)

    def parts(self, programme_id: int | None, **values):
        """(subject, body) filled with `values`, as lazy texts rendered in the reader's language."""
        return (
            _lazy_part(self.key, "subject", programme_id, values),
            _lazy_part(self.key, "body", programme_id, values),
        )


EDITABLE: dict[str, EditableText] = {}
_custom_lookup: list[Callable[[int | None, str, str], tuple[str, str] | None]] = []


def editable(
    key: str,
    subject,
    body="",
    *,
    placeholders: tuple[str, ...] | None = None,
    required: tuple[str, ...] | None = None,
    label=None,
) -> EditableText:
    """Declare a notification's shipped text (`gettext_lazy` texts); see the comment above."""
    if key in EDITABLE:
        raise ValueError(f"The notification text {key!r} is declared twice.")
    EDITABLE[key] = EditableText(key, subject, body, placeholders, required, label)
    return EDITABLE[key]


def register_custom_lookup(lookup: Callable[[int | None, str, str], tuple[str, str] | None]) -> None:
    """`lookup(programme_id, key, language)` returns the programme's (subject, body) or None."""
    _custom_lookup[:] = [lookup]


def current_text(key: str, programme_id: int | None) -> tuple[str, str]:
    """(subject, body) of `key` in the active language: the programme's wording, else the shipped one."""
    text = EDITABLE[key]
    custom = _custom_lookup[0](programme_id, key, get_language()) if _custom_lookup else None
    return custom or text.shipped()


def _part(key: str, part: str, programme_id: int | None, values: dict) -> str:
    subject, body = current_text(key, programme_id)
    return fill(subject if part == "subject" else body, {name: str(value) for name, value in values.items()})


_lazy_part = lazy(_part, str)
