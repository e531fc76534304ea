"""Structured logs: request id, user id, path, status and duration per request; JSON format."""

import json
import logging
import logging.config

import pytest
from django.db import OperationalError, connection
from django.http import HttpResponse
from django.test import RequestFactory
from django.urls import path
from django.utils.functional import SimpleLazyObject

from clusterxchange.core.logs import RequestContextFilter, RequestLogMiddleware, logging_config
from clusterxchange.core.views import server_error


@pytest.mark.django_db
def test_every_request_gets_an_id_and_one_log_line(world, caplog):
    caplog.set_level(logging.INFO, logger="clusterxchange.request")
    response = world.client("owner").get("/directory/", HTTP_X_REQUEST_ID="proxy-id-12345")
    assert response.status_code == 200
    assert response["X-Request-ID"] == "proxy-id-12345"
    [record] = [r for r in caplog.records if r.name == "clusterxchange.request"]
    assert (record.method, record.path, record.status) == ("GET", "/directory/", 200)
    assert record.user_id == str(world.users["owner"].pk)
    assert record.duration_ms > 0


@pytest.mark.django_db
def test_an_insane_incoming_request_id_is_replaced(client):
    response = client.get("/health/", HTTP_X_REQUEST_ID="bad id\nwith newline")
    assert len(response["X-Request-ID"]) == 32
    assert response["X-Request-ID"] != "bad id\nwith newline"


def test_json_format_writes_one_object_per_line_with_the_request_fields():
    config = logging_config("json", "INFO")
    formatter = logging.config.dictConfigClass(config).configure_custom(config["formatters"]["chosen"])
    record = logging.LogRecord("clusterxchange.request", logging.INFO, __file__, 1, "GET /x 200", (), None)
    record.status, record.path, record.duration_ms, record.user_id = 200, "/x", 12.5, "7"
    RequestContextFilter().filter(record)
    line = json.loads(formatter.format(record))
    assert line["level"] == "INFO"
    assert line["logger"] == "clusterxchange.request"
    assert line["message"] == "GET /x 200"
    assert (line["status"], line["path"], line["duration_ms"], line["user_id"]) == (200, "/x", 12.5, "7")
    assert "request_id" in line and "time" in line


def test_plain_format_is_the_default():
    assert "json" not in str(logging_config("plain", "INFO")["formatters"]["chosen"])


def test_an_unreachable_database_is_a_503_page_without_traceback():
    request = RequestFactory().get("/directory/")
    request.request_id = "abc123abc123"
    try:
        raise OperationalError("connection refused")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert response["Retry-After"] == "30"
    body = response.content.decode()
    assert "Temporarily unavailable" in body and "abc123abc123" in body
    assert "Traceback" not in body and "connection refused" not in body


def test_the_api_gets_a_json_503_and_other_errors_stay_500():
    request = RequestFactory().get("/api/directory/organisations")
    try:
        raise OperationalError("server closed the connection unexpectedly")
    except OperationalError:
        response = server_error(request)
    assert response.status_code == 503
    assert "temporarily unavailable" in json.loads(response.content)["detail"]
    try:
        raise ValueError("bug")
    except ValueError:
        assert server_error(request).status_code == 500


def test_the_drivers_own_error_is_a_503_too():
    """Django does not wrap the error raised when a server-side cursor is closed on a connection the
    database server dropped (seen in the database restart test: a 500 while PostgreSQL stopped)."""
    request = RequestFactory().get("/directory/")
    driver_error = connection.Database.OperationalError
    try:
        raise driver_error("consuming input failed: server closed the connection unexpectedly")
    except driver_error:
        response = server_error(request)
    assert response.status_code == 503
    assert "Temporarily unavailable" in response.content.decode()
    try:
        raise connection.Database.IntegrityError("a bug, not an outage")
    except connection.Database.IntegrityError:
        assert server_error(request).status_code == 500


def test_lines_logged_during_the_request_carry_its_id_and_the_loaded_users_id(world, caplog):
    owner = world.users["owner"]
    view_logger = logging.getLogger("clusterxchange.test_view")
    handler_filter = RequestContextFilter()

    def view(request):
        view_logger.warning("before the user is loaded")
        assert request.user.is_authenticated  # loads it, as any view using the user does
        view_logger.warning("after")
        return HttpResponse("ok")

    caplog.set_level(logging.INFO)
    caplog.handler.addFilter(handler_filter)
    try:
        request = RequestFactory().get("/x", HTTP_X_REQUEST_ID="req-id-123456")
        request.user = SimpleLazyObject(lambda: owner)
        RequestLogMiddleware(view)(request)
    finally:
        caplog.handler.removeFilter(handler_filter)
    lines = {r.getMessage(): r for r in caplog.records if r.name == "clusterxchange.test_view"}
    assert {r.request_id for r in lines.values()} == {"req-id-123456"}
    assert lines["before the user is loaded"].user_id == ""
    assert lines["after"].user_id == str(owner.pk)
    record = logging.LogRecord("x", logging.INFO, __file__, 1, "outside", (), None)
    handler_filter.filter(record)
    assert (record.request_id, record.user_id) == ("", "")  # nothing leaks past the request


# Expected refusals are one line; unexpected errors keep their traceback ---------------------------


def _boom(request):
    raise RuntimeError("an unexpected bug")


def _refused(request):
    from django.core.exceptions import PermissionDenied

    raise PermissionDenied("not yours")


def _conflict(request):
    return HttpResponse("The exchange's state does not allow this.", status=409)


urlpatterns = [path("boom/", _boom), path("refused/", _refused), path("conflict/", _conflict)]


def _request_records(caplog, status: int) -> list[logging.LogRecord]:
    return [r for r in caplog.records if r.name == "django.request" and r.status_code == status]


@pytest.mark.django_db
def test_expected_refusals_are_logged_on_one_line_without_traceback(world, caplog):
    caplog.set_level(logging.INFO)
    owner = world.client("owner")
    assert owner.get("/reporting/").status_code == 403  # a participant has no reporting
    assert owner.get("/reporting/test/").status_code == 404  # a programme that is not theirs
    for status in (403, 404):
        [record] = _request_records(caplog, status)
        assert record.exc_info is None and record.exc_text is None
        assert "\n" not in caplog.handler.format(record)
    assert "Traceback" not in caplog.text


@pytest.mark.django_db
@pytest.mark.urls("tests.core.test_logs")
def test_a_conflict_is_one_line_and_an_unexpected_error_keeps_its_traceback(caplog):
    from django.test import Client

    caplog.set_level(logging.INFO)
    client = Client(raise_request_exception=False)
    assert client.get("/refused/").status_code == 403
    assert client.get("/conflict/").status_code == 409
    assert client.get("/boom/").status_code == 500
    assert _request_records(caplog, 403)[0].exc_info is None
    assert _request_records(caplog, 409)[0].exc_info is None
    [error] = _request_records(caplog, 500)
    assert error.exc_info is not None and error.exc_info[0] is RuntimeError
    assert "Traceback" in caplog.handler.format(error) and "an unexpected bug" in caplog.text


def test_django_records_are_printed_once_by_the_root_handler():
    """Django's own console handler (DEBUG only) would print each of its records a second time."""
    config = logging_config("plain", "INFO")
    assert config["loggers"]["django"] == {"handlers": [], "propagate": True}
    assert logging.getLogger("django").handlers == []
