"""Errors a person can act on, raised for bad input instead of tracebacks."""


class InputError(ValueError):
    """Bad instance or schedule input; the message names the file line or the field."""
