"""The user's language: chosen with the switcher, stored on the user, applied to every page after login.

Pages under `i18n_patterns` carry the language in their prefix (`/de/…`, `/fr/…`); the default
language has no prefix. An unprefixed page requested by a logged-in user who chose a language is
rendered in that language (and its links then carry the prefix), so the choice follows the user
from one browser to another. An explicit prefix always wins.
"""

from django.conf import settings
from django.utils import translation
from django.views.i18n import set_language as django_set_language

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
UNTRANSLATED_PREFIXES = ("/api/", "/health/", "/i18n/")


def preferred_language(user) -> str:
    """The language to use for the user (pages, documents): their choice, else the site's default."""
    language = getattr(user, "language", "") or ""
    return language if language in LANGUAGE_CODES else settings.LANGUAGE_CODE


class UserLanguageMiddleware:
    """After AuthenticationMiddleware: applies a logged-in user's stored language to unprefixed pages."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            user is not None
            and user.is_authenticated
            and user.language in LANGUAGE_CODES
            and user.language != getattr(request, "LANGUAGE_CODE", None)
            and not request.path_info.startswith(UNTRANSLATED_PREFIXES)
            and translation.get_language_from_path(request.path_info) is None
        ):
            translation.activate(user.language)
            request.LANGUAGE_CODE = user.language
        return self.get_response(request)


def set_language(request):
    """Django's `set_language` (cookie, redirect to `next` in the new language), remembered on the user."""
    response = django_set_language(request)
    language = request.POST.get("language", "")
    user = request.user
    if (
        request.method == "POST"
        and user.is_authenticated
        and language in LANGUAGE_CODES
        and user.language != language
    ):
        user.language = language
        user.save(update_fields=["language"])
    return response


def remember_language_on_login(sender, request, user, **kwargs):
    """A user who has not chosen a language yet keeps the one they logged in with (e.g. from /de/…)."""
    if request is None or user.language:
        return
    language = getattr(request, "LANGUAGE_CODE", settings.LANGUAGE_CODE)
    if language in LANGUAGE_CODES and language != settings.LANGUAGE_CODE:
        user.language = language
        user.save(update_fields=["language"])
