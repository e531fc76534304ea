"""Who reads which field of the directory's records (see directory/audiences.py).

An organisation's turnover, balance sheet, exact staff count and VAT number (unless it chooses to show
it), and its people's contact details, reach only its own people, the managers of its partner cluster
and the coordinators. Programme members also see the organisation's contact email and phone; the
public sees the rest, with the size class instead of the figures.
"""

from clusterxchange.directory.audiences import EVERYONE, MEMBERS, OWN_SIDE, Audience, Declaration, Viewer

ORGANISATION = Declaration(
    model="directory.Organisation",
    fields={
        **dict.fromkeys(
            (
                "slug",
                "name",
                "org_type",
                "type",
                "country",
                "region",
                "city",
                "latitude",
                "longitude",
                "coordinates_from_city",
                "website",
                "description",
                "keywords",
                "ecosystems",
                "sectors",
                "clusters",
                "is_sme",
                "size_class",
                "member_count",
                "esca_label",
                "updated_at",
            ),
            EVERYONE,
        ),
        "email": MEMBERS,
        "phone": MEMBERS,
        "vat_number": OWN_SIDE,
        "show_vat_number": OWN_SIDE,
        "staff_count": OWN_SIDE,
        "turnover_eur": OWN_SIDE,
        "balance_sheet_eur": OWN_SIDE,
    },
    public_when={"vat_number": "show_vat_number"},
)

PERSON = Declaration(
    model="directory.Person",
    fields={
        **dict.fromkeys(("id", "first_name", "last_name", "position", "organisation", "languages"), EVERYONE),
        "email": OWN_SIDE,
        "phone": OWN_SIDE,
    },
)


def organisation_audiences(viewer: Viewer, organisation) -> frozenset[Audience]:
    return viewer.audiences_for_organisation(organisation.pk)


def person_audiences(viewer: Viewer, person) -> frozenset[Audience]:
    """A person is read as their organisation is; someone reads their own record as its member."""
    audiences = viewer.audiences_for_organisation(person.organisation_id)
    if person.user_id is not None and person.user_id == getattr(viewer.user, "pk", None):
        audiences = audiences | {Audience.ORGANISATION_MEMBER}
    return audiences


def readable_organisation_fields(user, organisation) -> frozenset[str]:
    viewer = Viewer.of(user)
    return ORGANISATION.readable(organisation_audiences(viewer, organisation), organisation)


def may_read_contacts(user, person) -> bool:
    return PERSON.may_read("email", person_audiences(Viewer.of(user), person))


def with_contact_flags(user, people) -> list:
    """The people, each with `contacts_readable` (whether `user` reads their email and phone)."""
    viewer = Viewer.of(user)
    people = list(people)
    for person in people:
        person.contacts_readable = PERSON.may_read("email", person_audiences(viewer, person))
    return people


def reads_some_contacts(user) -> bool:
    """Whether a list of people needs contact columns for `user` (they read some people's)."""
    return Viewer.of(user).may_read_any(PERSON, ["email"])
