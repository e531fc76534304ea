"""Project-wide pages that need no app: health, the 500 page. (The home page is site.public.home.)"""

import sys

from django.db import DatabaseError, InterfaceError, OperationalError, connection
from django.http import HttpResponse, JsonResponse
from django.template import loader
from django.utils.translation import gettext
from django.views.decorators.cache import never_cache

from clusterxchange.core.errors import generic_server_error


@never_cache
def health(request):
    """Liveness and database reachability, for load balancers and monitoring."""
    try:
        with connection.cursor() as cursor:
            cursor.execute("SELECT 1")
        return JsonResponse({"status": "ok"})
    except Exception:
        return JsonResponse({"status": "error", "database": "unreachable"}, status=503)


def database_unreachable(error: BaseException | None) -> bool:
    """Whether `error` says the database cannot be reached rather than that the code is wrong.

    Django wraps the driver's errors in its own classes, but not all of them: the driver's own error
    escapes when a server-side cursor is closed on a dropped connection (a queryset iterated with
    `.iterator()` while the database shuts down), so both families are recognised. A plain
    DatabaseError (no more specific kind) is what the driver raises when a connection died in the
    middle of a reply."""
    driver = connection.Database
    families = (
        (OperationalError, InterfaceError, DatabaseError),
        (driver.OperationalError, driver.InterfaceError, driver.DatabaseError),
    )
    return any(
        isinstance(error, operational | interface) or type(error) is plain
        for operational, interface, plain in families
    )


def server_error(request):
    """The 500 handler. An unreachable database (refused or dropped connection, SQLite locked) is
    a 503 with Retry-After and a friendly page (JSON for the API), never a traceback; anything
    else is the site's 500 page. The 503 page renders without context processors (they query the
    database)."""
    if not database_unreachable(sys.exc_info()[1]):
        return generic_server_error(request)
    request_id = getattr(request, "request_id", "")
    if request.path.startswith("/api/"):
        message = gettext("The service is temporarily unavailable; try again shortly.")
        response = JsonResponse({"detail": message, "request_id": request_id}, status=503)
    else:
        body = loader.get_template("core/unavailable.html").render({"request_id": request_id})
        response = HttpResponse(body, status=503)
    response["Retry-After"] = "30"
    return response
