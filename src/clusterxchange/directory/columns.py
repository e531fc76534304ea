"""The column layout of directory imports and exports: one definition, so an export imports back."""

from clusterxchange.core.tabular import LIST_SEPARATOR

ORGANISATION_COLUMNS = [
    "name",
    "type",
    "country",
    "region",
    "city",
    "latitude",
    "longitude",
    "website",
    "email",
    "phone",
    "vat_number",
    "description",
    "keywords",
    "staff_count",
    "turnover_eur",
    "balance_sheet_eur",
    "ecosystems",
    "sectors",
    "clusters",
    "member_count",
    "esca_label",
]
ORGANISATION_REQUIRED = ["name", "type", "country"]

PERSON_COLUMNS = ["first_name", "last_name", "email", "phone", "position", "organisation", "languages"]
PERSON_REQUIRED = ["first_name", "last_name", "organisation"]


def organisation_row(org, readable: frozenset[str]) -> list:
    """One export row with only the `readable` columns filled (the rest empty); expects ecosystems,
    sectors and clusters prefetched."""
    values = [
        org.name,
        org.org_type,
        str(org.country),
        org.region,
        org.city,
        org.latitude,
        org.longitude,
        org.website,
        org.email,
        org.phone,
        org.vat_number,
        org.description,
        org.keywords,
        org.staff_count,
        org.turnover_eur,
        org.balance_sheet_eur,
        LIST_SEPARATOR.join(e.code for e in org.ecosystems.all()),
        LIST_SEPARATOR.join(s.code for s in org.sectors.all()),
        LIST_SEPARATOR.join(c.slug for c in org.clusters.all()),
        org.member_count,
        org.esca_label,
    ]
    return _only(ORGANISATION_COLUMNS, values, readable)


def _only(columns: list[str], values: list, readable: frozenset[str]) -> list:
    return [value if column in readable else None for column, value in zip(columns, values, strict=True)]


def person_row(person, readable: frozenset[str]) -> list:
    values = [
        person.first_name,
        person.last_name,
        person.email,
        person.phone,
        person.position,
        person.organisation.slug,
        LIST_SEPARATOR.join(lang.code for lang in person.languages.all()),
    ]
    return _only(PERSON_COLUMNS, values, readable)
