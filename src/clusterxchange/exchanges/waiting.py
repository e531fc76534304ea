"""What an exchange waits for from one person now: the steps that are theirs in its present state.

The lifecycle (``TRANSITIONS``, ``STEPS``) says who *may* act; this says what the exchange *waits
for*: the forward move of its state (withdrawing, declining, returning and cancelling are always open
and wait for nobody), and inside a state the steps without which it cannot move on: a host to ask or
to answer, the grant to approve, the agreement to write and to sign, the host's confirmation. Each
step is asked with the same rules the pages and the domain use, so the list cannot offer what the
exchange page would refuse."""

from collections import defaultdict

from django.utils.translation import gettext_lazy as _

from clusterxchange.exchanges.domain import AGREEMENT_FIELDS, parties_of
from clusterxchange.exchanges.lifecycle import available_transitions, open_steps
from clusterxchange.exchanges.models import (
    CLOSED_STATES,
    AgreementSignature,
    Exchange,
    ExchangeState,
    HostRequest,
)
from clusterxchange.exchanges.rules import visible_exchanges

# The forward transitions, each with what it asks of the person it waits for.
FORWARD = {
    "submit": _("Submit the application"),
    "validate": _("Validate or decline the application"),
    "start": _("Mark the stay as started"),
    "submit_report": _("Submit the report"),
    "validate_report": _("Validate or return the report"),
    "record_payment": _("Record the payment"),
    "certify": _("Issue the certificate"),
}
ASK_HOST = _("Ask a host")
ANSWER_HOST_REQUEST = _("Answer the request to host")
APPROVE_GRANT = _("Approve the grant")
WRITE_AGREEMENT = _("Write the agreement")
SIGN_AGREEMENT = _("Sign the agreement")
CONFIRM_STAY = _("Confirm the stay as host")

# Every step above in the order an exchange asks for them.
IN_ORDER = (
    FORWARD["submit"],
    FORWARD["validate"],
    ASK_HOST,
    ANSWER_HOST_REQUEST,
    APPROVE_GRANT,
    WRITE_AGREEMENT,
    SIGN_AGREEMENT,
    FORWARD["start"],
    CONFIRM_STAY,
    FORWARD["submit_report"],
    FORWARD["validate_report"],
    FORWARD["record_payment"],
    FORWARD["certify"],
)
FINISHED_STATES = CLOSED_STATES | {ExchangeState.CERTIFIED}


def waiting_steps(user, exchange: Exchange, pending=None, signed=None) -> list[str]:
    """What `exchange` waits for from `user` now, in the order the steps are taken. `pending` (its
    pending host requests) and `signed` (the parties that signed) are read when not given."""
    if pending is None:
        pending = list(exchange.host_requests.filter(status=HostRequest.Status.PENDING))
    waiting = [FORWARD[t.name] for t in available_transitions(user, exchange) if t.name in FORWARD]
    steps = open_steps(user, exchange)
    if "ask_host" in steps and not pending:
        waiting.append(ASK_HOST)
    if any(user.has_perm("exchanges.respond_host_request", r) for r in pending):
        waiting.append(ANSWER_HOST_REQUEST)
    if "approve_grant" in steps and not exchange.grant_approved:
        waiting.append(APPROVE_GRANT)
    written = all(getattr(exchange, name).strip() for name in AGREEMENT_FIELDS)
    if "write_agreement" in steps and not written:
        waiting.append(WRITE_AGREEMENT)
    if exchange.state == ExchangeState.MATCHED and written and exchange.grant_approved:
        if signed is None:
            signed = set(exchange.signatures.values_list("party", flat=True))
        if set(parties_of(user, exchange)) - signed:
            waiting.append(SIGN_AGREEMENT)
    if "confirm_stay" in steps and exchange.host_confirmed_at is None:
        waiting.append(CONFIRM_STAY)
    return waiting


# What the rules, the dates and the list read of an exchange: loading only these keeps a list of a
# thousand open exchanges in a few queries and a fraction of the time of whole rows.
FIELDS_READ = (
    "reference",
    "state",
    "programme_id",
    "start_date",
    "end_date",
    "grant_approved_at",
    "host_confirmed_at",
    *AGREEMENT_FIELDS,
    "visitor_organisation__name",
    "host_organisation__name",
    "visitor_partner__cluster_id",
    "host_partner__cluster_id",
)


def exchanges_waiting_for(user) -> list[tuple[Exchange, list[str]]]:
    """The open exchanges the user sees that wait for them, each with its steps, soonest stay first.
    A fixed number of queries: the exchanges with their partners, pending host requests, signatures."""
    candidates = list(
        visible_exchanges(user)
        .exclude(state__in=FINISHED_STATES)
        .select_related("visitor_organisation", "host_organisation", "visitor_partner", "host_partner")
        .only(*FIELDS_READ)
        .order_by("start_date", "pk")
    )
    ids = [exchange.pk for exchange in candidates]
    pending: dict[int, list[HostRequest]] = defaultdict(list)
    for host_request in HostRequest.objects.filter(
        exchange_id__in=ids, status=HostRequest.Status.PENDING
    ).only("exchange_id", "host_organisation_id", "status"):
        pending[host_request.exchange_id].append(host_request)
    signed: dict[int, set[str]] = defaultdict(set)
    for exchange_id, party in AgreementSignature.objects.filter(
        exchange_id__in=ids, exchange__state=ExchangeState.MATCHED
    ).values_list("exchange_id", "party"):
        signed[exchange_id].add(party)
    found = (
        (exchange, waiting_steps(user, exchange, pending[exchange.pk], signed[exchange.pk]))
        for exchange in candidates
    )
    return [(exchange, steps) for exchange, steps in found if steps]
