"""Web addresses people type in (only http and https), and video meeting links.

An online meeting (an event's B2B meeting, a virtual tandem session) gets its video link from one of
two places: a link a party gives, or the programme's video link template filled with the meeting's own
room name. Room names are 128 random bits in lowercase hex: unguessable, and unchanged by video
servers that lowercase room names (Jitsi Meet does).
"""

import secrets

from django import forms
from django.core.validators import URLValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

ROOM_PLACEHOLDER = "{room}"

http_url = URLValidator(
    schemes=["http", "https"], message=_("Enter a web address that starts with http:// or https://.")
)


def https_urls(db_field, **kwargs):
    """Form fields for model fields (a form's ``Meta.formfield_callback``); a URL typed without a
    scheme is taken as https."""
    if isinstance(db_field, models.URLField):
        kwargs.setdefault("assume_scheme", "https")
    return db_field.formfield(**kwargs)


#: An admin's ``formfield_overrides`` with the same rule: the admin builds its forms itself.
ADMIN_HTTPS_URLS = {models.URLField: {"assume_scheme": "https"}}


def new_room() -> str:
    """A fresh room name for one meeting."""
    return f"cx{secrets.token_hex(16)}"


def room_link(template: str, room: str) -> str:
    """The video link of `room` from a programme's template: the template with `{room}` replaced, or
    the room appended as the last path segment (a Jitsi Meet server's address, e.g.
    https://meet.jit.si). Empty when the programme has no template."""
    template = template.strip()
    if not template or not room:
        return ""
    if ROOM_PLACEHOLDER in template:
        return template.replace(ROOM_PLACEHOLDER, room)
    return f"{template.rstrip('/')}/{room}"


def validate_link_template(value: str) -> None:
    """A template is an http(s) address once its room is filled in."""
    http_url(room_link(value, new_room()))


class HttpLinkField(forms.CharField):
    """A form field for a link a person gives: http:// or https:// only, with one clear error
    otherwise (Django's URLField also takes ftp:// and says only "Enter a valid URL")."""

    default_validators = [http_url]

    def __init__(self, **kwargs):
        kwargs.setdefault("max_length", 500)
        kwargs.setdefault("widget", forms.TextInput(attrs={"inputmode": "url", "autocomplete": "url"}))
        super().__init__(**kwargs)
