"""`runserver` (and so `clusterxchange demo`) without Django's static files handler when WhiteNoise serves
them: that handler answers a path such as `/static/..%2fsecret_key.txt` with a 500
(SuspiciousFileOperation escapes it); WhiteNoise serves only the files it knows and passes anything else
on to a plain 404."""

from django.conf import settings
from django.contrib.staticfiles.management.commands.runserver import Command as StaticfilesRunserver


class Command(StaticfilesRunserver):
    def get_handler(self, *args, **options):
        if settings.WHITENOISE_USE_FINDERS:
            options["use_static_handler"] = False
        return super().get_handler(*args, **options)
