"""Directory actions: validation with clear field errors, nothing half-saved, an audit entry each."""

import pytest
from django.core.exceptions import PermissionDenied, ValidationError

from clusterxchange.core.models import AuditEntry, Ecosystem
from clusterxchange.directory import domain
from clusterxchange.directory.models import ClusterMembership, Organisation


def valid_fields(**overrides):
    return {"name": "Epsilon Labs", "org_type": "sme", "country": "PL", "city": "Warszawa", **overrides}


def test_manager_creates_member_of_own_cluster_with_audit(world):
    manager = world.users["manager"]
    org = domain.create_organisation(
        manager, valid_fields(), ecosystems=[Ecosystem.objects.get(code="digital")], cluster=world.cluster_a
    )
    assert ClusterMembership.objects.filter(cluster=world.cluster_a, member=org).exists()
    assert org.slug == "epsilon-labs-pl"
    entry = AuditEntry.objects.get(action="directory.organisation.create", object_id=str(org.pk))
    assert entry.actor == manager


def test_outsider_cannot_create(world):
    with pytest.raises(PermissionDenied):
        domain.create_organisation(world.users["outsider"], valid_fields())
    assert not Organisation.objects.filter(name="Epsilon Labs").exists()


def test_manager_cannot_add_to_another_cluster(world):
    with pytest.raises(PermissionDenied):
        domain.create_organisation(world.users["manager"], valid_fields(), cluster=world.cluster_b)
    assert not Organisation.objects.filter(name="Epsilon Labs").exists()


@pytest.mark.parametrize(
    ("overrides", "field", "message"),
    [
        ({"country": "XX"}, "country", "not a valid choice"),
        ({"email": "not-an-email"}, "email", "valid email"),
        ({"staff_count": -3}, "staff_count", "greater than or equal to 0"),
        ({"name": "alpha sensors", "country": "FR"}, "__all__", "already exists in this country"),
        ({"vat_number": "FR123"}, "__all__", "VAT number already exists"),
        ({"latitude": 95, "longitude": 10}, "latitude", "less than or equal to 90"),
        ({"website": "javascript:alert(1)"}, "website", "valid URL"),
    ],
)
def test_bad_input_is_refused_with_a_field_error(world, overrides, field, message):
    world.org_a1.vat_number = "FR123"
    world.org_a1.save()
    before = Organisation.objects.count()
    with pytest.raises(ValidationError) as error:
        domain.create_organisation(world.users["coordinator"], valid_fields(**overrides))
    assert field in error.value.message_dict
    assert any(message in text for text in error.value.message_dict[field])
    assert Organisation.objects.count() == before


def test_update_records_what_changed(world):
    organisation = domain.update_organisation(world.users["owner"], world.org_a1, {"city": "Antibes"})
    entry = AuditEntry.objects.get(action="directory.organisation.update")
    assert entry.changes == {  # with the coordinates the new city filled (there were none)
        "city": ["Nice", "Antibes"],
        "latitude": ["None", str(organisation.latitude)],
        "longitude": ["None", str(organisation.longitude)],
        "coordinates_from_city": ["False", "True"],
    }


def test_failed_update_leaves_the_record_unchanged(world):
    with pytest.raises(ValidationError):
        domain.update_organisation(world.users["owner"], world.org_a1, {"city": "Antibes", "email": "broken"})
    world.org_a1.refresh_from_db()
    assert world.org_a1.city == "Nice"
    assert not AuditEntry.objects.filter(action="directory.organisation.update").exists()


def test_same_cluster_member_cannot_edit_a_colleague_organisation(world):
    with pytest.raises(PermissionDenied):
        domain.update_organisation(world.users["same_cluster"], world.org_a1, {"city": "Antibes"})


def test_person_can_edit_own_record_without_organisation_rights(world):
    outsider = world.users["outsider"]
    world.person_a1.user = outsider
    world.person_a1.save()
    domain.update_person(outsider, world.person_a1, {"position": "Founder"})
    world.person_a1.refresh_from_db()
    assert world.person_a1.position == "Founder"


def test_opportunity_status_change_is_audited(world):
    domain.update_opportunity(world.users["owner"], world.draft_a1, {"status": "published"})
    entry = AuditEntry.objects.get(action="directory.opportunity.update")
    assert (entry.from_state, entry.to_state) == ("draft", "published")
