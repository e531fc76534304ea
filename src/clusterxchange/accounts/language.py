"""The user's language: chosen with the switcher, stored on the user, applied to every page after login.

Pages under `i18n_patterns` carry the language in their prefix (`/de/…`, `/fr/…`); the default
language has no prefix. A logged-in user who chose a language and opens an unprefixed page is sent
to the same page in their language, so the choice follows the user from one browser to another
(and applies right after login). An explicit prefix always wins.
"""

from urllib.parse import urlsplit

from django.conf import settings
from django.http import HttpResponseRedirect
from django.urls import is_valid_path
from django.utils import translation
from django.views.i18n import set_language as django_set_language

from clusterxchange.programmes.models import Programme

LANGUAGE_CODES = {code for code, _name in settings.LANGUAGES}
UNTRANSLATED_PREFIXES = ("/api/", "/health/", "/i18n/")


def preferred_language(user, programme=None) -> str:
    """The language to use for the user: their choice, else the default language of `programme` (an
    email about a programme is written in the programme's language to someone who chose none), else
    the site's default."""
    language = getattr(user, "language", "") or ""
    if language in LANGUAGE_CODES:
        return language
    default = getattr(programme, "default_language", "") or ""
    return default if default in LANGUAGE_CODES else settings.LANGUAGE_CODE


def programme_of_email(programme_id: int | None):
    """The programme whose default language an email takes (`preferred_language`): the one it is
    about, else the current programme (the one the site opens on) for an email about no programme,
    such as an account's roles or joining an organisation."""
    if programme_id is not None:
        return Programme.objects.filter(pk=programme_id).first()
    return Programme.objects.current()


def guest_language(person, programme) -> str:
    """The language of an email to a guest (a person record without an account): among the site's
    languages the person record lists, the programme's default if it is one of them, else the first
    in the site's order; without any, the programme's default."""
    spoken = {language.code for language in person.languages.all()}
    if programme.default_language in spoken:
        return programme.default_language
    return next((code for code, _name in settings.LANGUAGES if code in spoken), programme.default_language)


class UserLanguageMiddleware:
    """After AuthenticationMiddleware: sends a logged-in user who chose a language from an unprefixed
    page (the default language) to the same page in their language. Only GET and HEAD are redirected;
    URLs resolve per language, so the page cannot simply be rendered in another language in place."""

    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        user = getattr(request, "user", None)
        if (
            request.method in {"GET", "HEAD"}
            and user is not None
            and user.is_authenticated
            and user.language in LANGUAGE_CODES
            and user.language != settings.LANGUAGE_CODE
            and not request.path_info.startswith(UNTRANSLATED_PREFIXES)
            and translation.get_language_from_path(request.path_info) is None
        ):
            urlconf = getattr(request, "urlconf", None)
            language_path = f"/{user.language}{request.path_info}"
            with translation.override(user.language):
                valid = is_valid_path(language_path, urlconf)
            if valid:
                return HttpResponseRedirect(
                    request.get_full_path().replace(request.path_info, language_path, 1)
                )
        return self.get_response(request)


def set_language(request):
    """Django's `set_language` (cookie, redirect to `next` in the new language), remembered on the user.

    This address has no language prefix, so Django would resolve `next` in the default language and
    leave `/fr/…` untranslated; `next` is resolved in the language of its own prefix instead.
    """
    next_url = request.POST.get("next", request.GET.get("next", ""))
    language_of_next = translation.get_language_from_path(urlsplit(next_url).path)
    if language_of_next:
        translation.activate(language_of_next)
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
