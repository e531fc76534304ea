"""Email notifications about an exchange, each in its recipient's language, sent after the change is
committed."""

from django.conf import settings
from django.db.models import Q
from django.utils.formats import date_format
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from clusterxchange.accounts.language import preferred_language
from clusterxchange.accounts.models import User
from clusterxchange.core.mail import send_in_languages
from clusterxchange.core.site_address import site_link
from clusterxchange.core.texts import EditableText, editable

# The texts of the notifications sent about an exchange, which a programme may reword per language
# (Admin › Notification texts, core.texts.editable). Each is sent by `notify` below.
STATE_CHANGED = editable("exchanges.state_changed", gettext_lazy("%(action)s: now “%(state)s”"))
HOST_ASKED = editable("exchanges.host_asked", gettext_lazy("%(visitor)s asks you to host an exchange"))
HOST_DECLINED = editable("exchanges.host_declined", gettext_lazy("%(host)s declined your request"))
HOST_ACCEPTED = editable(
    "exchanges.host_accepted", gettext_lazy("%(host)s accepted: the exchange is matched")
)
GRANT_APPROVED = editable("exchanges.grant_approved", gettext_lazy("Grant of %(amount)s approved"))
SIGNATURES_WITHDRAWN = editable(
    "exchanges.signatures_withdrawn",
    gettext_lazy(
        "The agreement was changed: its earlier signatures no longer count and it must be signed again"
    ),
)
AGREEMENT_SIGNED = editable(
    "exchanges.agreement_signed", gettext_lazy("The Commitment to Quality agreement is signed by all parties")
)
HOST_CONFIRMED = editable(
    "exchanges.host_confirmed", gettext_lazy("The host confirmed that the exchange took place")
)


def _members(programme, organisation_ids, cluster_ids=()) -> list[tuple[str, str]]:
    """(email, language) of the active members of the organisations and managers of the clusters; the
    language is each one's choice, else the programme's default."""
    users = (
        User.objects.filter(is_active=True)
        .filter(
            Q(memberships__organisation_id__in=organisation_ids)
            | Q(memberships__organisation_id__in=cluster_ids, memberships__role="manager")
        )
        .only("email", "language")
        .distinct()
    )
    return sorted((user.email, preferred_language(user, programme)) for user in users)


def parties(exchange) -> list[tuple[str, str]]:
    """Members of both organisations and managers of both partnerships."""
    organisation_ids = [exchange.visitor_organisation_id]
    if exchange.host_organisation_id:
        organisation_ids.append(exchange.host_organisation_id)
    cluster_ids = [exchange.visitor_partner.cluster_id]
    if exchange.host_partner_id:
        cluster_ids.append(exchange.host_partner.cluster_id)
    return _members(exchange.programme, organisation_ids, cluster_ids)


def members_of(exchange, organisation) -> list[tuple[str, str]]:
    """(email, language) of the organisation's members, to write to about `exchange`."""
    return _members(exchange.programme, [organisation.pk])


def notify(
    exchange,
    text: EditableText,
    values: dict | None = None,
    comment: str = "",
    recipients: list[tuple[str, str]] | None = None,
) -> int:
    """Email the parties (or `recipients`, (email, language) pairs), each in their language, the
    notification `text` (the programme's wording, else the shipped one) filled with `values`, then
    the sender's own `comment` if any."""
    headline, body = text.parts(exchange.programme_id, **(values or {}))
    recipients = recipients if recipients is not None else parties(exchange)
    link = site_link(exchange.get_absolute_url())

    def render() -> tuple[str, str]:
        lines = [
            str(headline),
            "",
            *([str(body), ""] if str(body) else []),
            _("Exchange %(reference)s: %(visitor)s → %(host)s, %(start)s – %(end)s.")
            % {
                "reference": exchange.reference,
                "visitor": exchange.visitor_organisation,
                "host": exchange.host_organisation or _("host to be found"),
                "start": date_format(exchange.start_date, "DATE_FORMAT"),
                "end": date_format(exchange.end_date, "DATE_FORMAT"),
            },
        ]
        if comment:
            lines += ["", comment]
        lines += ["", link]
        return f"[{settings.SITE_NAME}] {exchange.reference}: {headline}", "\n".join(lines)

    return send_in_languages(recipients, render, programme_id=exchange.programme_id)


def managers_of(exchange, cluster_id: int) -> list[tuple[str, str]]:
    """(email, language) of the managers of a partner cluster, to write to about `exchange`."""
    return _members(exchange.programme, [], [cluster_id])
