"""What an exchange waits for from one person now: the steps that are theirs in its present state.

The lifecycle (``TRANSITIONS``, ``STEPS``) says who *may* act; this says what the exchange *waits
for*: the forward move of its state (withdrawing, declining, returning and cancelling are always open
and wait for nobody), and inside a state the steps without which it cannot move on: a host to ask or
to answer, the grant to approve, the agreement to write and to sign, the host's confirmation. Each
step is asked with the same rules the pages and the domain use, so the list cannot offer what the
exchange page would refuse."""

from django.db.models import Prefetch
from django.utils.translation import gettext_lazy as _

from clusterxchange.exchanges.domain import AGREEMENT_FIELDS, parties_of
from clusterxchange.exchanges.lifecycle import available_transitions, open_steps
from clusterxchange.exchanges.models import CLOSED_STATES, Exchange, ExchangeState, HostRequest
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


def waiting_steps(user, exchange: Exchange) -> list[str]:
    """What `exchange` waits for from `user` now, in the order the steps are taken."""
    waiting = [FORWARD[t.name] for t in available_transitions(user, exchange) if t.name in FORWARD]
    steps = open_steps(user, exchange)
    pending = [r for r in exchange.host_requests.all() if r.status == HostRequest.Status.PENDING]
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
        signed = {signature.party for signature in exchange.signatures.all()}
        if set(parties_of(user, exchange)) - signed:
            waiting.append(SIGN_AGREEMENT)
    if "confirm_stay" in steps and exchange.host_confirmed_at is None:
        waiting.append(CONFIRM_STAY)
    return waiting


def exchanges_waiting_for(user) -> list[tuple[Exchange, list[str]]]:
    """The open exchanges the user sees that wait for them, each with its steps, soonest stay first.
    A fixed number of queries: the exchanges with their partners, host requests and signatures."""
    candidates = (
        visible_exchanges(user)
        .exclude(state__in=FINISHED_STATES)
        .select_related(
            "programme", "visitor_organisation", "host_organisation", "visitor_partner", "host_partner"
        )
        .prefetch_related(
            Prefetch("host_requests", queryset=HostRequest.objects.order_by("pk")), "signatures"
        )
        .order_by("start_date", "pk")
    )
    found = ((exchange, waiting_steps(user, exchange)) for exchange in candidates)
    return [(exchange, steps) for exchange, steps in found if steps]
