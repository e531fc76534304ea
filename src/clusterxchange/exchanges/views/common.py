"""Helpers shared by the exchange pages: finding an exchange the user may see, their programmes, PDF answers."""

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterxchange.core.roles import roles_of
from clusterxchange.exchanges.models import (
    Exchange,
)
from clusterxchange.exchanges.rules import (
    visible_exchanges,
)
from clusterxchange.programmes.models import Programme

HOST_PAGE_SIZE = 20


def get_exchange(request, reference: str) -> Exchange:
    exchange = get_object_or_404(
        visible_exchanges(request.user).select_related(
            "programme",
            "visitor_organisation",
            "visitor_person",
            "visitor_partner__cluster",
            "host_organisation",
            "host_partner__cluster",
            "grant_approved_by",
        ),
        reference=reference,
    )
    if not request.user.has_perm("exchanges.view_exchange", exchange):  # the rule has the last word
        raise Http404
    return exchange


def user_programmes(user):
    """Programmes in which one of the user's organisations (or the organisation itself) is a partner
    and that have not ended: a new application or host profile is for a programme still running."""
    roles = roles_of(user)
    ids = roles.organisation_ids | roles.cluster_ids
    return (
        Programme.objects.filter(partners__cluster_id__in=ids, end_date__gte=timezone.localdate())
        .distinct()
        .order_by("-start_date")
    )


def pdf_response(pdf: bytes, filename: str) -> HttpResponse:
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    response["X-Content-Type-Options"] = "nosniff"
    return response


def to_next_steps(request, message):
    """Someone without an organisation is sent to the next steps (join one), not to a refusal; a
    coordinator (who has a role without an organisation) is refused as before."""
    if roles_of(request.user).is_programme_member:
        raise PermissionDenied(
            _(
                "Your role is in the programme, not in an organisation: only people of an organisation may do this."
            )
        )
    messages.info(request, message)
    return redirect("join:welcome")
