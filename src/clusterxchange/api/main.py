"""The REST API (django-ninja): one router per app, token or session authentication."""

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from ninja import NinjaAPI

from clusterxchange import __version__
from clusterxchange.accounts.api import invitations_router
from clusterxchange.accounts.api import router as accounts_router
from clusterxchange.api.errors import validation_error_payload
from clusterxchange.core.api_auth import BearerToken, SessionCsrfAuth
from clusterxchange.core.concurrency import StaleEdit
from clusterxchange.core.domain import Refused
from clusterxchange.directory.api import reference_router
from clusterxchange.directory.api import router as directory_router
from clusterxchange.events.api import router as events_router
from clusterxchange.events.api_day import router as events_day_router
from clusterxchange.events.api_setup import router as events_setup_router
from clusterxchange.exchanges.api import router as exchanges_router
from clusterxchange.joining.api import router as joining_router
from clusterxchange.messaging.api import router as messaging_router
from clusterxchange.news.api import router as news_router
from clusterxchange.programmes.api import router as programmes_router
from clusterxchange.reporting.api import router as reporting_router
from clusterxchange.tandems.api import router as tandems_router
from clusterxchange.training.api import router as training_router
from clusterxchange.waiting.api import router as waiting_router

api = NinjaAPI(
    title="clusterxchange API",
    version=__version__,
    description=(
        "Directory and programme data of clusterxchange. Authenticate with a personal token "
        "(`Authorization: Bearer cx_…`, created under Account › API tokens) or a browser session. "
        "Read endpoints are public where the web pages are public; contact details and writes need a login. "
        "Reads of an editable record return its `ETag`; send it back in `If-Match` with an update (PATCH) "
        "and a record that someone changed in between is refused with 412 instead of being overwritten."
    ),
    auth=[BearerToken(), SessionCsrfAuth()],
    urls_namespace="api",
)


@api.exception_handler(ValidationError)
def on_validation_error(request, exc: ValidationError):
    return api.create_response(request, validation_error_payload(exc), status=422)


@api.exception_handler(StaleEdit)
def on_stale_edit(request, exc: StaleEdit):
    """An update whose If-Match no longer matches the record (optimistic concurrency)."""
    return api.create_response(request, {"detail": " ".join(exc.messages)}, status=412)


@api.exception_handler(Refused)
def on_refused(request, exc: Refused):
    """The records' state does not allow the action now: 409 with the reasons a person can read."""
    return api.create_response(request, {"detail": str(exc)}, status=409)


@api.exception_handler(PermissionDenied)
def on_permission_denied(request, exc: PermissionDenied):
    return api.create_response(request, {"detail": str(exc) or "Permission denied."}, status=403)


@api.exception_handler(Http404)
def on_not_found(request, exc: Http404):
    return api.create_response(request, {"detail": "Not found."}, status=404)


def _register_routers() -> None:

    api.add_router("/reference", reference_router)
    api.add_router("/", directory_router)
    api.add_router("/", joining_router)
    api.add_router("/tandems", tandems_router)
    api.add_router("/training", training_router)
    api.add_router("/exchanges", exchanges_router)
    api.add_router("/events", events_router)
    api.add_router("/events", events_day_router)
    api.add_router("/events", events_setup_router)
    api.add_router("/reporting", reporting_router)
    api.add_router("/news", news_router)
    api.add_router("/messaging", messaging_router)
    api.add_router("/programmes", programmes_router)
    api.add_router("/", accounts_router)
    api.add_router("/invitations", invitations_router)
    api.add_router("/waiting", waiting_router)


_register_routers()
