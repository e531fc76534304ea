"""Texts rendered in the reader's language, not the writer's.

A notification is written while the actor's language is active, but each recipient reads it in
their own. `later(gettext_lazy("… %(name)s …"), name=…)` keeps the message and its values and
interpolates them each time it is turned into a string, in the language active then; values may be
lazy texts too (a choice's label). `language_of(user)` is the language to write to someone in.
"""

from django.utils.functional import lazy


def _interpolate(message, params: dict) -> str:
    return str(message) % {name: str(value) for name, value in params.items()}


_lazy_interpolate = lazy(_interpolate, str)


def later(message, **params):
    """`message % params`, translated and interpolated when rendered (see the module's docstring)."""
    return _lazy_interpolate(message, params)


lowered = lazy(lambda text: str(text).lower(), str)
lowered.__doc__ = "A lazy text in lower case, e.g. a choice's label inside a sentence."
