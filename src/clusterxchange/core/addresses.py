"""Email addresses found whatever their case, through an index.

Django's `iexact` compares `UPPER(column)` with the value on PostgreSQL and uses `LIKE` on SQLite: no
plain index serves either, so each such lookup reads the whole table. `address_in` compares
`LOWER(column)` with the lower-case addresses instead, which an expression index on the column's
`Lower` serves on both databases (`models.Index(Lower("email"), name=…)`, as on `accounts.User`,
`accounts.Invitation`, `messaging.MessageRecipient` and `core.OutgoingEmail`; see
benchmarks/privacy/bench_address_lookups.py). The addresses are lowered in Python: for the ASCII
addresses people use this is SQL's LOWER (SQLite's LOWER, like its LIKE, folds ASCII letters only).
"""

from collections.abc import Iterable

from django.db.models import Q
from django.db.models.functions import Lower
from django.db.models.lookups import In


def lowered(addresses: Iterable[str]) -> list[str]:
    """The addresses trimmed and in lower case, each once, in order."""
    return sorted({address.strip().lower() for address in addresses if address and address.strip()})


def address_in(field: str, addresses: Iterable[str]) -> Q:
    """`field` (a relation's too: `user__email`) is one of `addresses`, whatever the case."""
    return Q(In(Lower(field), lowered(addresses)))
