"""The exchange lifecycle: which action moves an exchange from which states to which, and who may.

    draft → submitted → validated → matched → agreement signed → in progress → report submitted
          → report validated → paid → certified
    plus: declined (from submitted), withdrawn (by the visitor, before the stay), cancelled (by the
    partnership, with a reason, before the report).

Matching (a host accepts a request) and signing (the last of the agreement's signatures) change
the state as part of their own actions in `domain.py`.
"""

from dataclasses import dataclass

import rules
from django.utils.translation import gettext_lazy as _

from clusterxchange.exchanges.models import ExchangeState as S
from clusterxchange.exchanges.rules import is_host, is_visitor, partnership
from clusterxchange.exchanges.timing import too_early


@dataclass(frozen=True)
class Transition:
    name: str
    label: str
    sources: frozenset[str]
    target: str
    allowed: rules.Predicate
    who: str
    needs_reason: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition("submit", _("Submit"), frozenset({S.DRAFT}), S.SUBMITTED, is_visitor, _("the visitor")),
        Transition(
            "validate",
            _("Validate"),
            frozenset({S.SUBMITTED}),
            S.VALIDATED,
            partnership,
            _("the partnership"),
        ),
        Transition(
            "decline",
            _("Decline"),
            frozenset({S.SUBMITTED}),
            S.DECLINED,
            partnership,
            _("the partnership"),
            needs_reason=True,
        ),
        Transition(
            "start",
            _("Mark as started"),
            frozenset({S.AGREEMENT_SIGNED}),
            S.IN_PROGRESS,
            is_visitor | is_host | partnership,
            _("the visitor, the host or the partnership"),
        ),
        Transition(
            "submit_report",
            _("Submit the report"),
            frozenset({S.IN_PROGRESS}),
            S.REPORT_SUBMITTED,
            is_visitor,
            _("the visitor"),
        ),
        Transition(
            "return_report",
            _("Return the report"),
            frozenset({S.REPORT_SUBMITTED}),
            S.IN_PROGRESS,
            partnership,
            _("the partnership"),
            needs_reason=True,
        ),
        Transition(
            "validate_report",
            _("Validate the report"),
            frozenset({S.REPORT_SUBMITTED}),
            S.REPORT_VALIDATED,
            partnership,
            _("the partnership"),
        ),
        Transition(
            "record_payment",
            _("Record the payment"),
            frozenset({S.REPORT_VALIDATED}),
            S.PAID,
            partnership,
            _("the partnership"),
        ),
        Transition(
            "certify",
            _("Issue the certificate"),
            frozenset({S.PAID}),
            S.CERTIFIED,
            partnership,
            _("the partnership"),
        ),
        Transition(
            "withdraw",
            _("Withdraw"),
            frozenset({S.DRAFT, S.SUBMITTED, S.VALIDATED, S.MATCHED, S.AGREEMENT_SIGNED}),
            S.WITHDRAWN,
            is_visitor,
            _("the visitor"),
        ),
        Transition(
            "cancel",
            _("Cancel"),
            frozenset({S.VALIDATED, S.MATCHED, S.AGREEMENT_SIGNED, S.IN_PROGRESS}),
            S.CANCELLED,
            partnership,
            _("the partnership"),
            needs_reason=True,
        ),
    ]
}


def available_transitions(user, exchange) -> list[Transition]:
    """The actions this user may take on the exchange now (its state and its dates allow them)."""
    return [t for t in _allowed_in_state(user, exchange) if not too_early(t.name, exchange)]


def waiting_transitions(user, exchange) -> list[tuple[Transition, str]]:
    """The actions this user could take in this state but not yet, each with the reason (its date)."""
    waiting = ((t, too_early(t.name, exchange)) for t in _allowed_in_state(user, exchange))
    return [(t, reason) for t, reason in waiting if reason]


def _allowed_in_state(user, exchange) -> list[Transition]:
    return [t for t in TRANSITIONS.values() if exchange.state in t.sources and t.allowed(user, exchange)]
