"""Texts rendered in the reader's language, not the writer's.

A notification is written while the actor's language is active, but each recipient reads it in
their own. `later(gettext_lazy("… %(name)s …"), name=…)` keeps the message and its values and
interpolates them each time it is turned into a string, in the language active then; values may be
lazy texts too (a choice's label). `language_of(user)` is the language to write to someone in.
"""

from collections.abc import Callable
from dataclasses import dataclass

from django.utils.functional import lazy
from django.utils.translation import get_language

from clusterxchange.core.placeholders import fill


def _interpolate(message, params: dict) -> str:
    return str(message) % {name: str(value) for name, value in params.items()}


_lazy_interpolate = lazy(_interpolate, str)


def later(message, **params):
    """`message % params`, translated and interpolated when rendered (see the module's docstring)."""
    return _lazy_interpolate(message, params)


lowered = lazy(lambda text: str(text).lower(), str)
lowered.__doc__ = "A lazy text in lower case, e.g. a choice's label inside a sentence."


# Notification texts a programme may edit per language -------------------------------------------
#
# A notification declares its shipped text once with `editable(key, …)` (subject and body with
# `{placeholder}`s, translated by the catalogues) and renders it with `editable_part(key, part,
# programme_id, **values)`: a lazy text that, in the language active when it is turned into a string,
# takes the programme's own wording for that language when it has one (looked up through the function
# registered by the app that stores them: messaging), else the shipped one, and fills the placeholders.


@dataclass(frozen=True)
class EditableText:
    key: str
    label: str
    subject: str
    body: str
    placeholders: tuple[str, ...]
    required: tuple[str, ...] = ()


EDITABLE: dict[str, EditableText] = {}
_custom_lookup: list[Callable[[int | None, str, str], tuple[str, str] | None]] = []


def editable(key: str, label, subject, body, placeholders: tuple[str, ...], required: tuple[str, ...] = ()):
    EDITABLE[key] = EditableText(key, label, subject, body, placeholders, required)
    return EDITABLE[key]


def register_custom_lookup(lookup: Callable[[int | None, str, str], tuple[str, str] | None]) -> None:
    """`lookup(programme_id, key, language)` returns the programme's (subject, body) or None."""
    _custom_lookup[:] = [lookup]


def current_text(key: str, programme_id: int | None) -> tuple[str, str]:
    """(subject, body) of `key` in the active language: the programme's wording, else the shipped one."""
    text = EDITABLE[key]
    custom = _custom_lookup[0](programme_id, key, get_language()) if _custom_lookup else None
    return custom or (str(text.subject), str(text.body))


def _part(key: str, part: str, programme_id: int | None, values: dict) -> str:
    subject, body = current_text(key, programme_id)
    return fill(subject if part == "subject" else body, {name: str(value) for name, value in values.items()})


_lazy_part = lazy(_part, str)


def editable_part(key: str, part: str, programme_id: int | None, **values):
    """The `part` ("subject" or "body") of the editable text `key`, rendered lazily (see above)."""
    return _lazy_part(key, part, programme_id, values)
