"""One deadline for a whole solve, passed through every phase.

The time limit is a promise to the caller (the CLI writes its output, the event page shows the
agenda): from the start to the answer, at most the limit plus a second.  Every phase
(compilation, checks, bounds, encoding, search, explanation) therefore asks the same
:class:`Deadline` how much time is left, and native SAT calls made in the parent process go
through :func:`solve_within`, which stops them with a conflict budget and a look at the clock
between slices of conflicts.
"""

from __future__ import annotations

import time

from pysat.solvers import Solver

FINISHING_RESERVE = 0.3
"""Seconds kept back from the search for what follows it (table assignment, verification,
writing the answer), so that the whole answer is ready by the limit plus well under a second."""
FINISHING_PER_MEETING = 2e-5
"""More reserve per meeting: on a loaded machine, assigning tables, verifying and writing
20,000 meetings took about 0.4 s."""
FINISHING_PER_COMPILE = 2.0
"""And at least this many times what compiling the event took: on a shared machine everything
slows down alike, and compiling costs about what finishing does (both walk every meeting), so
this measures the finishing cost at the current load (at load 14 on 2 cores, finishing 10,000
meetings took over 2 s, five times the quiet figure)."""
SLICE_CONFLICTS = 2000
"""Conflicts between two looks at the clock (about 0.05 s on a pigeonhole formula of 132
variables, a fraction of a second on the largest real events)."""


class TimeLimitReached(Exception):
    """Raised by :meth:`Deadline.check` inside a phase; ``phase`` names it for the answer."""

    def __init__(self, phase: str) -> None:
        super().__init__(f"the time limit was reached during {phase}")
        self.phase = phase


class Deadline:
    """A point in time (monotonic clock) fixed when the solve starts."""

    def __init__(self, seconds: float) -> None:
        self.started = time.monotonic()
        self.at = self.started + max(0.0, seconds)
        self.finishing = FINISHING_RESERVE

    def reserve(self, seconds: float) -> None:
        """Keep at least ``seconds`` after the search for finishing (see ``search_end``)."""
        self.finishing = max(self.finishing, seconds)

    def measured_compile(self, seconds: float) -> None:
        self.reserve(FINISHING_PER_COMPILE * seconds)

    @property
    def limit(self) -> float:
        return self.at - self.started

    def elapsed(self) -> float:
        return time.monotonic() - self.started

    def remaining(self) -> float:
        return max(0.0, self.at - time.monotonic())

    def expired(self) -> bool:
        return time.monotonic() >= self.at

    def check(self, phase: str) -> None:
        """Raise :class:`TimeLimitReached` if the time is up (called between units of work)."""
        if self.expired():
            raise TimeLimitReached(phase)

    def fraction(self, share: float) -> float:
        """The monotonic time after ``share`` of what is left (a phase's own budget)."""
        now = time.monotonic()
        return now + max(0.0, self.at - now) * share

    def search_end(self, meetings: int = 0) -> float:
        """When the search must stop to leave time for the answer (at most half the limit)."""
        reserve = max(self.finishing, FINISHING_PER_MEETING * meetings)
        return max(time.monotonic(), self.at - min(reserve, 0.5 * self.limit))


def solve_within(
    solver: Solver,
    until: float,
    assumptions: list[int] | None = None,
    conflicts: int | None = None,
) -> bool | None:
    """``solver.solve`` that returns ``None`` (unknown) once ``conflicts`` are spent or the
    monotonic time ``until`` is reached; ``True``/``False`` as usual otherwise.

    The call is cut into slices of :data:`SLICE_CONFLICTS` conflicts with a look at the clock
    between them: python-sat cannot interrupt CaDiCaL (``interrupt()`` from a timer thread never
    returned on a pigeonhole formula here), but it honours conflict budgets, and an incremental
    solver keeps what it learnt from one slice to the next.
    """
    spent = 0
    while time.monotonic() < until:
        step = SLICE_CONFLICTS if conflicts is None else min(SLICE_CONFLICTS, conflicts - spent)
        if step <= 0:
            return None
        solver.conf_budget(step)
        outcome = solver.solve_limited(assumptions=assumptions or [])
        if outcome is not None:
            return outcome
        spent += step
    return None
