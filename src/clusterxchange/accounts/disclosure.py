"""Who reads which field of a role holder on the members pages and the memberships API (see
directory/audiences.py).

The names, roles and since-when of an organisation's people with an account are read by whoever may
open its members list (its people, its partner cluster's managers, the coordinators); their account
email only by its own side, as a person record's email (directory/disclosure.py): on a programme's
members page a manager of another partner sees the names of this partner's managers, not their emails.
A coordinator's email is read by everyone who may open the programme's members page.
"""

from clusterxchange.directory.audiences import MEMBERS, OWN_SIDE, Audience, Declaration, Viewer

MEMBERSHIP = Declaration(
    model="accounts.Membership",
    fields={
        **dict.fromkeys(("id", "name", "organisation", "role", "since"), MEMBERS),
        "email": OWN_SIDE,
    },
)

COORDINATOR_ROLE = Declaration(
    model="programmes.ProgrammeRole",
    fields=dict.fromkeys(("id", "name", "email", "programme", "since"), MEMBERS),
)


def membership_audiences(viewer: Viewer, organisation_id: int) -> frozenset[Audience]:
    return viewer.audiences_for_organisation(organisation_id)


def may_read_member_emails(user, organisation_id: int) -> bool:
    if getattr(user, "is_superuser", False) and user.is_active:
        return True
    return MEMBERSHIP.may_read("email", membership_audiences(Viewer.of(user), organisation_id))
