"""Directory actions: the only code that changes directory records.

Each action checks permission, validates the whole record (model validation and constraints),
writes in one transaction and records an audit entry. Views, the API, the importer and the demo
all call these.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import ProtectedError
from django.utils import timezone
from django.utils.translation import gettext as _

from clusterxchange.core import audit
from clusterxchange.core.domain import apply_fields, audited_update, require, unique_slug
from clusterxchange.directory.locating import (
    city_centre,
    fill_coordinates,
    location_of,
    prepare_city_index,
)
from clusterxchange.directory.models import ClusterMembership, Opportunity, Organisation, Person
from clusterxchange.directory.signals import listing_changed

ORGANISATION_FIELDS = [
    "name",
    "org_type",
    "country",
    "region",
    "city",
    "latitude",
    "longitude",
    "website",
    "email",
    "phone",
    "vat_number",
    "show_vat_number",
    "description",
    "keywords",
    "staff_count",
    "turnover_eur",
    "balance_sheet_eur",
    "member_count",
    "esca_label",
]
# What `fill_coordinates` sets from the city: an edit's audit entry lists them beside the city.
DERIVED_LOCATION_FIELDS = ["latitude", "longitude", "coordinates_from_city"]
PERSON_FIELDS = ["first_name", "last_name", "email", "phone", "position", "listed"]
OPPORTUNITY_FIELDS = ["type", "title", "description", "keywords", "status", "expires_on"]


def organisation_slug(name: str, country: str, exclude_pk: int | None = None) -> str:
    return unique_slug(
        Organisation.objects, f"{name}-{country}", fallback="organisation", exclude_pk=exclude_pk
    )


@transaction.atomic
def create_organisation(
    actor,
    fields: dict,
    *,
    ecosystems: Iterable = (),
    sectors: Iterable = (),
    cluster: Organisation | None = None,
    check_permission: bool = True,
) -> Organisation:
    """Create an organisation; a cluster manager's new organisation becomes a member of their cluster."""
    if check_permission:
        require(actor, "directory.add_organisation")
        if cluster is not None:
            require(actor, "directory.change_organisation", cluster)
    organisation = Organisation()
    apply_fields(organisation, fields, ORGANISATION_FIELDS)
    organisation.slug = organisation_slug(organisation.name, str(organisation.country))
    fill_coordinates(organisation)
    organisation.full_clean()
    organisation.save()
    organisation.ecosystems.set(ecosystems)
    organisation.sectors.set(sectors)
    if cluster is not None:
        ClusterMembership.objects.create(cluster=cluster, member=organisation)
    audit.record(actor, "directory.organisation.create", organisation)
    return organisation


@transaction.atomic
def update_organisation(
    actor,
    organisation: Organisation,
    fields: dict,
    *,
    ecosystems: Iterable | None = None,
    sectors: Iterable | None = None,
    expected_version: str | None = None,
) -> Organisation:
    require(actor, "directory.change_organisation", organisation)
    stored_location = location_of(organisation)
    with audited_update(
        actor,
        organisation,
        fields,
        ORGANISATION_FIELDS,
        action="directory.organisation.update",
        expected_version=expected_version,
        derived=DERIVED_LOCATION_FIELDS,
    ):
        fill_coordinates(organisation, stored_location)
        organisation.full_clean(exclude=["slug"])
    if ecosystems is not None:
        organisation.ecosystems.set(ecosystems)
    if sectors is not None:
        organisation.sectors.set(sectors)
    return organisation


def locate_organisations() -> int:
    """The periodic job `locate-organisations`: build the cities' index if it is missing, then give
    each organisation with a city and no coordinates its city's centre (those saved before the index
    existed; a city still unknown stays without); returns how many were located. A system action: no
    permission, audited without an actor. An organisation edited meanwhile is left to its edit."""
    prepare_city_index()
    located = 0
    unlocated = Organisation.objects.filter(latitude__isnull=True, longitude__isnull=True).exclude(city="")
    for organisation in unlocated.exclude(country="").only("pk", "name", "city", "country").iterator():
        found = city_centre(organisation.city, str(organisation.country))
        if found is None:
            continue
        with transaction.atomic():
            updated = Organisation.objects.filter(
                pk=organisation.pk,
                latitude__isnull=True,
                longitude__isnull=True,
                city=organisation.city,
                country=organisation.country,
            ).update(latitude=found[0], longitude=found[1], coordinates_from_city=True)
            if updated:
                audit.record(
                    None,
                    "directory.organisation.locate",
                    organisation,
                    changes=audit.field_changes(
                        dict.fromkeys(DERIVED_LOCATION_FIELDS),
                        dict(zip(DERIVED_LOCATION_FIELDS, (*found, True), strict=True)),
                    ),
                )
                located += updated
    return located


@transaction.atomic
def delete_organisation(actor, organisation: Organisation) -> None:
    require(actor, "directory.delete_organisation", organisation)
    audit.record(actor, "directory.organisation.delete", organisation)
    try:
        organisation.delete()
    except ProtectedError as error:
        kinds = sorted({str(obj._meta.verbose_name_plural) for obj in error.protected_objects})
        raise ValidationError(
            _("“%(name)s” cannot be deleted while it has %(kinds)s; close or reassign them first.")
            % {"name": organisation.name, "kinds": ", ".join(kinds)},
            code="protected",
        ) from error


@transaction.atomic
def add_cluster_member(
    actor, cluster: Organisation, member: Organisation, since=None, *, check_permission: bool = True
) -> ClusterMembership:
    """`member` joins `cluster`. Without `check_permission`, the caller has checked another permission:
    the member's consent (`joining.decide_cluster_request`)."""
    if check_permission:
        require(actor, "directory.change_organisation", cluster)
    membership = ClusterMembership(cluster=cluster, member=member, since=since)
    membership.full_clean()
    membership.save()
    audit.record(actor, "directory.cluster.add_member", cluster, comment=str(member))
    return membership


@transaction.atomic
def create_person(actor, organisation: Organisation, fields: dict, *, languages: Iterable = ()) -> Person:
    require(actor, "directory.add_person", organisation)
    person = Person(organisation=organisation)
    apply_fields(person, fields, PERSON_FIELDS)
    person.full_clean()
    person.save()
    person.languages.set(languages)
    audit.record(actor, "directory.person.create", person)
    listing_changed.send(Person, actor=actor, person=person, listed=person.listed)
    return person


@transaction.atomic
def update_person(
    actor,
    person: Person,
    fields: dict,
    *,
    languages: Iterable | None = None,
    expected_version: str | None = None,
) -> Person:
    require(actor, "directory.change_person", person)
    was_listed = person.listed
    with audited_update(
        actor,
        person,
        fields,
        PERSON_FIELDS,
        action="directory.person.update",
        expected_version=expected_version,
    ):
        person.full_clean()
    if languages is not None:
        person.languages.set(languages)
    if person.listed != was_listed:
        listing_changed.send(Person, actor=actor, person=person, listed=person.listed)
    return person


@transaction.atomic
def delete_person(actor, person: Person) -> None:
    require(actor, "directory.delete_person", person)
    audit.record(actor, "directory.person.delete", person)
    person.delete()


@transaction.atomic
def create_opportunity(
    actor, organisation: Organisation, fields: dict, *, ecosystems: Iterable = ()
) -> Opportunity:
    require(actor, "directory.add_opportunity", organisation)
    opportunity = Opportunity(organisation=organisation, created_by=actor if actor.is_authenticated else None)
    apply_fields(opportunity, fields, OPPORTUNITY_FIELDS)
    opportunity.full_clean()
    opportunity.save()
    opportunity.ecosystems.set(ecosystems)
    audit.record(actor, "directory.opportunity.create", opportunity, to_state=opportunity.status)
    return opportunity


@transaction.atomic
def update_opportunity(
    actor,
    opportunity: Opportunity,
    fields: dict,
    *,
    ecosystems: Iterable | None = None,
    expected_version: str | None = None,
) -> Opportunity:
    require(actor, "directory.change_opportunity", opportunity)
    with audited_update(
        actor,
        opportunity,
        fields,
        OPPORTUNITY_FIELDS,
        action="directory.opportunity.update",
        expected_version=expected_version,
        state="status",
    ):
        opportunity.full_clean()
    if ecosystems is not None:
        opportunity.ecosystems.set(ecosystems)
    return opportunity


@transaction.atomic
def delete_opportunity(actor, opportunity: Opportunity) -> None:
    require(actor, "directory.delete_opportunity", opportunity)
    audit.record(actor, "directory.opportunity.delete", opportunity)
    opportunity.delete()
    # The organisation's profile changed: its stamp tells the matching index to refresh it.
    Organisation.objects.filter(pk=opportunity.organisation_id).update(updated_at=timezone.now())
