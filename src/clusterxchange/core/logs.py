"""Structured request logs: one line per request with its id, user, path, status and duration.

`RequestLogMiddleware` gives every request an id (the proxy's `X-Request-ID` when it is sane, or
a new one), returns it in the `X-Request-ID` header, and logs one line (`GET /path 200`) on the
`clusterxchange.request` logger. `RequestContextFilter` adds the current request's id, and its
user's id once the user is loaded, to every log record written while the request runs (also from
the ORM, mail, tasks' enqueueing),
so that `LOG_FORMAT=json` (python-json-logger) gives one JSON object per line with those fields.

Expected refusals (401, 403, 404, 405, 409: a visitor asking for what is not theirs, not there, or
not allowed in its state) are part of normal use: Django logs them with the exception's traceback,
which `ExpectedRefusalFilter` drops so that each is one line. Errors the site did not expect (500)
keep their traceback. Django's own console handler is removed (its records reach the root handler
anyway), so that no line is printed twice.
"""

import logging
import re
import time
import uuid
from contextvars import ContextVar

from django.utils.functional import empty

logger = logging.getLogger("clusterxchange.request")

_request_id: ContextVar[str] = ContextVar("request_id", default="")
_request: ContextVar[object | None] = ContextVar("request", default=None)
SANE_ID = re.compile(r"^[A-Za-z0-9._-]{8,64}$")
EXPECTED_REFUSALS = frozenset({401, 403, 404, 405, 409})


class RequestContextFilter(logging.Filter):
    def filter(self, record: logging.LogRecord) -> bool:
        if not hasattr(record, "request_id"):
            record.request_id = _request_id.get()
        if not hasattr(record, "user_id"):
            record.user_id = _user_id_of(_request.get())
        return True


class ExpectedRefusalFilter(logging.Filter):
    """One line for an expected refusal: its traceback says nothing the status does not."""

    def filter(self, record: logging.LogRecord) -> bool:
        if getattr(record, "status_code", None) in EXPECTED_REFUSALS:
            record.exc_info = None
            record.exc_text = None
        return True


def _user_id_of(request) -> str:
    user = getattr(request, "user", None)  # none outside a request, and before authentication
    # Only a user already loaded by the view: the log line must not query the database.
    if user is None or getattr(user, "_wrapped", None) is empty:
        return ""
    return str(user.pk) if getattr(user, "is_authenticated", False) else ""


class RequestLogMiddleware:
    def __init__(self, get_response):
        self.get_response = get_response

    def __call__(self, request):
        incoming = request.headers.get("X-Request-ID", "")
        request_id = incoming if SANE_ID.match(incoming) else uuid.uuid4().hex
        request.request_id = request_id
        token = _request_id.set(request_id)
        request_token = _request.set(request)
        started = time.perf_counter()
        try:
            response = self.get_response(request)
            response["X-Request-ID"] = request_id
            logger.info(
                "%s %s %s",
                request.method,
                request.path,
                response.status_code,
                extra={
                    "method": request.method,
                    "path": request.path,
                    "status": response.status_code,
                    "duration_ms": round((time.perf_counter() - started) * 1000, 1),
                    "user_id": _user_id_of(request),
                },
            )
            return response
        finally:
            _request_id.reset(token)
            _request.reset(request_token)


def logging_config(log_format: str, level: str) -> dict:
    """The LOGGING setting: `plain` text lines, or `json` (one object per line)."""
    formatters = {
        "plain": {"format": "%(asctime)s %(levelname)s %(name)s [%(request_id)s] %(message)s"},
        "json": {
            "()": "pythonjsonlogger.json.JsonFormatter",
            "fmt": "%(asctime)s %(levelname)s %(name)s %(message)s %(request_id)s %(user_id)s",
            "rename_fields": {"asctime": "time", "levelname": "level", "name": "logger"},
        },
    }
    return {
        "version": 1,
        "disable_existing_loggers": False,
        "filters": {
            "request": {"()": "clusterxchange.core.logs.RequestContextFilter"},
            "expected_refusals": {"()": "clusterxchange.core.logs.ExpectedRefusalFilter"},
        },
        "formatters": {"chosen": formatters["json" if log_format == "json" else "plain"]},
        "handlers": {
            "console": {"class": "logging.StreamHandler", "formatter": "chosen", "filters": ["request"]}
        },
        "root": {"handlers": ["console"], "level": level},
        "loggers": {
            "django.db.backends": {"level": "WARNING"},
            "django": {"handlers": [], "propagate": True},
            "django.request": {"filters": ["expected_refusals"]},
        },
    }
