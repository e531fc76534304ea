"""Email notifications about an exchange, sent after the change is committed."""

from django.conf import settings
from django.utils.translation import gettext as _

from clusterxchange.accounts.models import User
from clusterxchange.core.mail import send_after_commit


def parties_emails(exchange) -> list[str]:
    """Members of both organisations and managers of both partnerships."""
    organisation_ids = [exchange.visitor_organisation_id]
    if exchange.host_organisation_id:
        organisation_ids.append(exchange.host_organisation_id)
    cluster_ids = [exchange.visitor_partner.cluster_id]
    if exchange.host_partner_id:
        cluster_ids.append(exchange.host_partner.cluster_id)
    users = (
        User.objects.filter(is_active=True)
        .filter(models_q(organisation_ids, cluster_ids))
        .values_list("email", flat=True)
        .distinct()
    )
    return sorted(users)


def models_q(organisation_ids, cluster_ids):
    from django.db.models import Q

    return Q(memberships__organisation_id__in=organisation_ids) | Q(
        memberships__organisation_id__in=cluster_ids, memberships__role="manager"
    )


def notify(exchange, headline: str, comment: str = "", recipients: list[str] | None = None) -> None:
    recipients = recipients if recipients is not None else parties_emails(exchange)
    if not recipients:
        return
    subject = f"[{settings.SITE_NAME}] {exchange.reference}: {headline}"
    lines = [
        headline,
        "",
        _("Exchange %(reference)s: %(visitor)s → %(host)s, %(start)s – %(end)s.")
        % {
            "reference": exchange.reference,
            "visitor": exchange.visitor_organisation,
            "host": exchange.host_organisation or _("host to be found"),
            "start": exchange.start_date.isoformat(),
            "end": exchange.end_date.isoformat(),
        },
    ]
    if comment:
        lines += ["", comment]
    lines += ["", f"{settings.SITE_URL.rstrip('/')}{exchange.get_absolute_url()}"]
    body = "\n".join(lines)
    messages = [(subject, body, settings.DEFAULT_FROM_EMAIL, [address]) for address in recipients]
    send_after_commit(messages)
