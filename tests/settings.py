"""Test settings: production settings with test-only values (no secret here is real)."""

import os
import tempfile

os.environ.setdefault("SECRET_KEY", "test-only-insecure-key-0123456789abcdefghijklmnopqrstuvwxyz")
os.environ.setdefault("DEBUG", "0")
# The cities' index takes seconds to build: built once per machine, not in each run's data folder.
os.environ.setdefault("PLACES_DIR", os.path.join(tempfile.gettempdir(), "clusterxchange-test-places"))
os.environ.setdefault("CLUSTERXCHANGE_DATA_DIR", tempfile.mkdtemp(prefix="clusterxchange-test-"))
os.environ.setdefault("SECURE_SSL_REDIRECT", "0")
os.environ.setdefault("STATIC_MANIFEST", "0")
os.environ.setdefault("WHITENOISE_USE_FINDERS", "1")
os.environ.setdefault("EMAIL_BACKEND", "django.core.mail.backends.locmem.EmailBackend")
os.environ.setdefault("TASK_BACKEND", "django_tasks.backends.immediate.ImmediateBackend")

from clusterxchange.settings import *  # noqa: F403

PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
# Browser tests talk to the live server over plain http.
SESSION_COOKIE_SECURE = False
CSRF_COOKIE_SECURE = False
# Each test logs in many times from one address; the throttling test turns limits back on.
ACCOUNT_RATE_LIMITS = False
