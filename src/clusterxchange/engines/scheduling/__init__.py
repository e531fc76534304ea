"""B2B meeting scheduler: a pure-Python engine (no Django) for brokerage-event agendas.

Entry points: :func:`solve_exact` (every meeting placed, fewest breaks under a fairness bound),
:func:`solve_oversubscribed` (most important meetings first), :func:`reschedule` (after a
published schedule changed) and :func:`verify` (independent checker).  See docs/scheduler.md.
"""

from .errors import InputError, Reason
from .exact import solve_exact
from .model import Day, Instance, Meeting, Participant, Placement, Schedule, Session, Table
from .oversubscribed import solve_oversubscribed
from .rescheduling import reschedule
from .verifier import VerificationReport, verify

__all__ = [
    "Day",
    "InputError",
    "Instance",
    "Meeting",
    "Participant",
    "Placement",
    "Reason",
    "Schedule",
    "Session",
    "Table",
    "VerificationReport",
    "reschedule",
    "solve_exact",
    "solve_oversubscribed",
    "verify",
]
