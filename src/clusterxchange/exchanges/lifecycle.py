"""The exchange lifecycle: which action moves an exchange from which states to which, and who may.

    draft → submitted → validated → matched → agreement signed → in progress → report submitted
          → report validated → paid → certified
    plus: declined (from submitted), withdrawn (by the visitor, before the stay), cancelled (by the
    partnership, with a reason, before the report).

Matching (a host accepts a request) and signing (the last of the agreement's signatures) change
the state as part of their own actions in `domain.py`.

Besides the transitions, `STEPS` are the actions that keep the state (edit the application, ask a
host, write the agreement, …): who may (a permission of `rules.py`) and in which states. The domain
refuses by this table and the exchange page shows its buttons from it, so they cannot disagree.
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
    only: str
    needs_reason: bool = False


TRANSITIONS: dict[str, Transition] = {
    t.name: t
    for t in [
        Transition(
            "submit",
            _("Submit"),
            frozenset({S.DRAFT}),
            S.SUBMITTED,
            is_visitor,
            _("Only the visitor can do this."),
        ),
        Transition(
            "validate",
            _("Validate"),
            frozenset({S.SUBMITTED}),
            S.VALIDATED,
            partnership,
            _("Only the partnership can do this."),
        ),
        Transition(
            "decline",
            _("Decline"),
            frozenset({S.SUBMITTED}),
            S.DECLINED,
            partnership,
            _("Only the partnership can do this."),
            needs_reason=True,
        ),
        Transition(
            "start",
            _("Mark as started"),
            frozenset({S.AGREEMENT_SIGNED}),
            S.IN_PROGRESS,
            is_visitor | is_host | partnership,
            _("Only the visitor, the host or the partnership can do this."),
        ),
        Transition(
            "submit_report",
            _("Submit the report"),
            frozenset({S.IN_PROGRESS}),
            S.REPORT_SUBMITTED,
            is_visitor,
            _("Only the visitor can do this."),
        ),
        Transition(
            "return_report",
            _("Return the report"),
            frozenset({S.REPORT_SUBMITTED}),
            S.IN_PROGRESS,
            partnership,
            _("Only the partnership can do this."),
            needs_reason=True,
        ),
        Transition(
            "validate_report",
            _("Validate the report"),
            frozenset({S.REPORT_SUBMITTED}),
            S.REPORT_VALIDATED,
            partnership,
            _("Only the partnership can do this."),
        ),
        Transition(
            "record_payment",
            _("Record the payment"),
            frozenset({S.REPORT_VALIDATED}),
            S.PAID,
            partnership,
            _("Only the partnership can do this."),
        ),
        Transition(
            "certify",
            _("Issue the certificate"),
            frozenset({S.PAID}),
            S.CERTIFIED,
            partnership,
            _("Only the partnership can do this."),
        ),
        Transition(
            "withdraw",
            _("Withdraw"),
            frozenset({S.DRAFT, S.SUBMITTED, S.VALIDATED, S.MATCHED, S.AGREEMENT_SIGNED}),
            S.WITHDRAWN,
            is_visitor,
            _("Only the visitor can do this."),
        ),
        Transition(
            "cancel",
            _("Cancel"),
            frozenset({S.VALIDATED, S.MATCHED, S.AGREEMENT_SIGNED, S.IN_PROGRESS}),
            S.CANCELLED,
            partnership,
            _("Only the partnership can do this."),
            needs_reason=True,
        ),
    ]
}


@dataclass(frozen=True)
class Step:
    """An action that keeps the exchange's state: its permission, the states it is open in, its name
    (quoted whole in the refusal "“<name>” is not possible while the exchange is …") and who may,
    said to others."""

    permission: str
    states: frozenset[str]
    name: str
    only: str


STEPS: dict[str, Step] = {
    "edit_application": Step(
        "exchanges.change_application",
        frozenset({S.DRAFT}),
        _("Edit the application"),
        _("Only the visitor edits the application."),
    ),
    "ask_host": Step(
        "exchanges.request_host",
        frozenset({S.VALIDATED}),
        _("Ask a host"),
        _("Only the visitor asks hosts."),
    ),
    "approve_grant": Step(
        "exchanges.approve_grant",
        frozenset({S.MATCHED}),
        _("Approve the grant"),
        _("Only the visitor's partnership approves the grant."),
    ),
    "write_agreement": Step(
        "exchanges.write_agreement",
        frozenset({S.MATCHED}),
        _("Edit the agreement"),
        _("The visitor and the host write the agreement."),
    ),
    "write_report": Step(
        "exchanges.write_report",
        frozenset({S.IN_PROGRESS}),
        _("Write the report"),
        _("Only the visitor writes the report."),
    ),
    "add_evidence": Step(
        "exchanges.upload_evidence",
        frozenset({S.IN_PROGRESS}),
        _("Add evidence"),
        _("Only the visitor uploads evidence."),
    ),
    "remove_evidence": Step(
        "exchanges.upload_evidence",
        frozenset({S.IN_PROGRESS}),
        _("Remove evidence"),
        _("Only the visitor removes evidence."),
    ),
    "confirm_stay": Step(
        "exchanges.confirm_stay",
        frozenset({S.IN_PROGRESS, S.REPORT_SUBMITTED}),
        _("Confirm the exchange"),
        _("Only the host confirms the exchange."),
    ),
}


def open_steps(user, exchange) -> set[str]:
    """The steps this user may take on the exchange in its present state."""
    return {
        name
        for name, step in STEPS.items()
        if exchange.state in step.states and user.has_perm(step.permission, exchange)
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
