"""Field-level disclosure: which fields of a record each audience may read, declared once per model.

A *declaration* (`Declaration`) maps every field that leaves the server (page, API response, export,
personal data export) to the audiences that may read it. An audience is relative to the record: the
same manager is the *partner manager* of an organisation in the cluster they manage and only a
*programme member* for any other. Each app says, per model, how a viewer's audiences for one record
are found (`Viewer.audiences_for_organisation`, or an app function built on it).

Interfaces never decide field by field: they ask `declaration.apply(data, audiences, obj)` (a dict
with the fields the audience may not read set to None) or `declaration.readable(audiences, obj)`.

Performance: a `Viewer` is built once per user and request and answers from sets it loaded once (the
user's roles and, for a manager, the ids of the organisations in the clusters they manage), so a list
of any length costs no query per row.
"""

import logging
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from clusterxchange.core.memo import cached_on_object
from clusterxchange.core.roles import roles_of
from clusterxchange.directory.models import ClusterMembership

logger = logging.getLogger("clusterxchange.disclosure")


class Audience(StrEnum):
    PUBLIC = "public"
    PROGRAMME_MEMBER = "programme member"
    ORGANISATION_MEMBER = "organisation member"
    PARTNER_MANAGER = "partner manager"
    COORDINATOR = "coordinator"


EVERYONE = frozenset(Audience)
MEMBERS = EVERYONE - {Audience.PUBLIC}
# The organisation's own people, its partner manager and the coordinators.
OWN_SIDE = frozenset({Audience.ORGANISATION_MEMBER, Audience.PARTNER_MANAGER, Audience.COORDINATOR})


@dataclass(frozen=True)
class Declaration:
    """Who reads which field of one model. `public_when` opens a field to everyone on the records whose
    named boolean attribute is true (the organisation's own choice, e.g. to show its VAT number)."""

    model: str
    fields: Mapping[str, frozenset[Audience]]
    public_when: Mapping[str, str] = field(default_factory=dict)

    def readable(self, audiences: Iterable[Audience], obj=None) -> frozenset[str]:
        audiences = frozenset(audiences)
        return frozenset(
            name
            for name, allowed in self.fields.items()
            if audiences & allowed or (obj is not None and self._opened(name, obj))
        )

    def may_read(self, name: str, audiences: Iterable[Audience], obj=None) -> bool:
        return bool(frozenset(audiences) & self.fields[name]) or (obj is not None and self._opened(name, obj))

    def _opened(self, name: str, obj) -> bool:
        attribute = self.public_when.get(name)
        return attribute is not None and bool(getattr(obj, attribute, False))

    def apply(self, data: dict, audiences: Iterable[Audience], obj=None) -> dict:
        """`data` with every declared field the audience may not read set to None."""
        readable = self.readable(audiences, obj)
        return {
            key: value if key not in self.fields or key in readable else None for key, value in data.items()
        }

    def restricted(self) -> frozenset[str]:
        """The fields that not everyone may read."""
        return frozenset(name for name, allowed in self.fields.items() if allowed != EVERYONE)

    def describe(self, name: str) -> str:
        """For API schemas: who reads this field."""
        allowed = self.fields[name]
        if allowed == EVERYONE:
            return "Public."
        who = ", ".join(audience.value for audience in Audience if audience in allowed)
        opened = " (public when the organisation chooses to show it)" if name in self.public_when else ""
        return f"Only for: {who}{opened}; null for everyone else."


class Viewer:
    """One user's audiences, computed from sets loaded once (no query per record)."""

    def __init__(self, user):
        self.user = user
        self.roles = roles_of(user)

    @classmethod
    def of(cls, user) -> "Viewer":
        if user is None or not user.is_authenticated:
            return cls(user)
        return _viewer_of(user)

    @cached_property
    def partner_organisation_ids(self) -> frozenset[int]:
        """The clusters this user manages and their member organisations."""
        managed = self.roles.managed_cluster_ids
        members: set[int] = set()
        if managed:
            members = set(
                ClusterMembership.objects.filter(cluster_id__in=managed).values_list("member_id", flat=True)
            )
        return frozenset(managed | members)

    def base_audiences(self) -> set[Audience]:
        audiences = {Audience.PUBLIC}
        if self.roles.is_programme_member:
            audiences.add(Audience.PROGRAMME_MEMBER)
        if self.roles.is_coordinator:
            audiences.add(Audience.COORDINATOR)
        return audiences

    def audiences_for_organisation(self, organisation_id: int | None) -> frozenset[Audience]:
        audiences = self.base_audiences()
        if organisation_id in self.roles.organisation_ids:
            audiences.add(Audience.ORGANISATION_MEMBER)
        if organisation_id in self.partner_organisation_ids:
            audiences.add(Audience.PARTNER_MANAGER)
        return frozenset(audiences)

    def may_read_any(self, declaration: Declaration, fields: Iterable[str]) -> bool:
        """Whether this user reads these fields on at least some records (an export's columns)."""
        best = self.base_audiences()
        if self.roles.organisation_ids:
            best.add(Audience.ORGANISATION_MEMBER)
        if self.roles.managed_cluster_ids:
            best.add(Audience.PARTNER_MANAGER)
        return all(declaration.may_read(name, best) for name in fields)


@cached_on_object
def _viewer_of(user) -> Viewer:
    return Viewer(user)


def withheld(declaration: Declaration, viewer: Viewer, columns: Iterable[str]) -> list[str]:
    """The columns this viewer reads on no record (empty in an export). A field a record may open to
    everyone (`public_when`) is not among them."""
    return [
        name
        for name in columns
        if name in declaration.fields
        and name not in declaration.public_when
        and not viewer.may_read_any(declaration, [name])
    ]


def log_refusal(user, what: str, fields: Iterable[str]) -> None:
    """An asked-for field that was withheld or refused: one line in the log."""
    who = getattr(user, "email", "") or "anonymous"
    logger.info("disclosure: %s withheld from %s: %s", what, who, ", ".join(sorted(fields)))
