"""Email notifications about an exchange, each in its recipient's language, sent after the change is
committed."""

from django.conf import settings
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _

from clusterxchange.accounts.language import preferred_language
from clusterxchange.accounts.models import User
from clusterxchange.core.mail import send_in_languages


def _members(organisation_ids, cluster_ids=()) -> list[tuple[str, str]]:
    """(email, language) of the active members of the organisations and managers of the clusters."""
    users = (
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__organisation_id__in=organisation_ids)
            | Q(memberships__organisation_id__in=cluster_ids, memberships__role="manager")
        )
        .only("email", "language")
        .distinct()
    )
    return sorted((user.email, preferred_language(user)) for user in users)


def parties(exchange) -> list[tuple[str, str]]:
    """Members of both organisations and managers of both partnerships."""
    organisation_ids = [exchange.visitor_organisation_id]
    if exchange.host_organisation_id:
        organisation_ids.append(exchange.host_organisation_id)
    cluster_ids = [exchange.visitor_partner.cluster_id]
    if exchange.host_partner_id:
        cluster_ids.append(exchange.host_partner.cluster_id)
    return _members(organisation_ids, cluster_ids)


def members_of(organisation) -> list[tuple[str, str]]:
    return _members([organisation.pk])


def notify(exchange, headline, comment: str = "", recipients: list[tuple[str, str]] | None = None) -> int:
    """Email the parties (or `recipients`, (email, language) pairs), each in their language;
    `headline` may be a lazy text (`core.texts.later`)."""
    recipients = recipients if recipients is not None else parties(exchange)
    link = f"{settings.SITE_URL.rstrip('/')}{exchange.get_absolute_url()}"

    def render() -> tuple[str, str]:
        lines = [
            str(headline),
            "",
            _("Exchange %(reference)s: %(visitor)s → %(host)s, %(start)s – %(end)s.")
            % {
                "reference": exchange.reference,
                "visitor": exchange.visitor_organisation,
                "host": exchange.host_organisation or _("host to be found"),
                "start": date_format(exchange.start_date, "SHORT_DATE_FORMAT"),
                "end": date_format(exchange.end_date, "SHORT_DATE_FORMAT"),
            },
        ]
        if comment:
            lines += ["", comment]
        lines += ["", link]
        return f"[{settings.SITE_NAME}] {exchange.reference}: {headline}", "\n".join(lines)

    return send_in_languages(recipients, render)


def managers_of(cluster_id: int) -> list[tuple[str, str]]:
    """(email, language) of the managers of a partner cluster."""
    return _members([], [cluster_id])
