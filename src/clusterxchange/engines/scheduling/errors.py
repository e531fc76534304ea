"""Errors a person can act on, raised for bad input instead of tracebacks, and the reasons the
engine gives in words."""

from __future__ import annotations

from collections.abc import Iterable


class Reason(str):
    """A reason in the engine's English words that also says what it is about, so that an
    application can say it in its own language with its own names: ``code`` names the kind of
    reason, ``meetings``, ``participants`` and ``slots`` hold identifiers as in the instance,
    ``figures`` the numbers (or names) the text quotes.  It is a ``str``, so the CLI, the JSON
    output and the tests read it as before."""

    code: str
    meetings: tuple
    participants: tuple
    slots: tuple
    figures: dict

    def __new__(
        cls,
        text: str,
        code: str,
        meetings: Iterable = (),
        participants: Iterable = (),
        slots: Iterable = (),
        **figures: object,
    ) -> Reason:
        reason = super().__new__(cls, text)
        reason.code = code
        reason.meetings = tuple(meetings)
        reason.participants = tuple(participants)
        reason.slots = tuple(slots)
        reason.figures = figures
        return reason

    def __reduce__(self):
        return (_rebuild, (str(self), self.code, self.meetings, self.participants, self.slots, self.figures))


def _rebuild(
    text: str, code: str, meetings: tuple, participants: tuple, slots: tuple, figures: dict
) -> Reason:
    return Reason(text, code, meetings, participants, slots, **figures)


class InputError(ValueError):
    """Bad instance or schedule input; the message names the file line or the field.  For
    contradictory constraints, ``reasons`` lists each contradiction as a :class:`Reason`."""

    def __init__(self, message: str, reasons: Iterable[Reason] = ()) -> None:
        super().__init__(message)
        self.reasons = list(reasons)
