"""The data migration accounts 0010 moves the role changes audited on memberships (before the
organisations' role history) onto the organisation, with the person as subject, so the members page
lists them; an entry naming no single organisation and account stays as it was."""

import pytest
from django.db import connection
from django.db.migrations.executor import MigrationExecutor
from django.urls import reverse

from clusterxchange.accounts.models import Membership
from clusterxchange.accounts.rules import role_history
from clusterxchange.core.models import AuditEntry
from clusterxchange.core.reference import load_reference_data

BEFORE, AFTER = ("accounts", "0009_job_details_purged_at"), ("accounts", "0010_role_history_on_organisations")
HISTORY_PAGE = {"coordinator": 200, "manager": 200, "owner": 403, "same_cluster": 403, "outsider": 403}


def _old_entry(membership_id, text: str, action="accounts.role.assign", **fields) -> AuditEntry:
    return AuditEntry.objects.create(
        action=action,
        object_type="accounts.membership",
        object_id=str(membership_id),
        object_repr=text,
        **fields,
    )


def _migrate(target) -> None:
    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate([target])


# serialized_rollback: its flush afterwards then leaves no content types re-created under new ids
# to the next test that restores the serialized database (see pytest_collection_modifyitems).
@pytest.mark.django_db(transaction=True, serialized_rollback=True)
@pytest.mark.usefixtures("latest_schema_after")
def test_old_role_entries_move_onto_the_organisations_history(request):
    load_reference_data()  # a transactional test before this one may have flushed it
    world = request.getfixturevalue("world")
    _migrate(BEFORE)
    owner = world.users["owner"]
    owner.first_name, owner.last_name = "Olga", "van der Berg"
    owner.save()
    membership = Membership.objects.get(user=owner, organisation=world.org_a1)
    kept = _old_entry(membership.pk, str(membership), to_state="member", actor=world.users["manager"])
    # A membership since removed: found from the entry's text (the account reads as its address).
    gone = Membership.objects.create(user=world.users["outsider"], organisation=world.org_a2, role="manager")
    given = _old_entry(gone.pk, str(gone), to_state="manager")
    removed = _old_entry(gone.pk, str(gone), action="accounts.role.remove", from_state="manager")
    gone_pk = gone.pk
    gone.delete()
    unknown = _old_entry(gone_pk + 1000, "Nobody Known – Alpha Sensors (Member)")
    other = AuditEntry.objects.create(
        action="accounts.token.issue", object_type="accounts.membership", object_id="1", object_repr="x"
    )

    _migrate(AFTER)

    kept.refresh_from_db()
    assert (kept.object_type, kept.object_id, kept.subject_id) == (
        "directory.organisation",
        str(world.org_a1.pk),
        owner.pk,
    )
    assert kept.object_repr == world.org_a1.name and kept.to_state == "member"
    for entry in (given, removed):
        entry.refresh_from_db()
        assert (entry.object_type, entry.object_id) == ("directory.organisation", str(world.org_a2.pk))
        assert entry.subject_id == world.users["outsider"].pk
    for entry in (unknown, other):
        before = (entry.object_type, entry.object_id, entry.object_repr, entry.subject_id)
        entry.refresh_from_db()
        assert (entry.object_type, entry.object_id, entry.object_repr, entry.subject_id) == before

    assert kept in role_history(world.org_a1) and {given, removed} <= set(role_history(world.org_a2))
    url = reverse("accounts:organisation_members", args=[world.org_a1.slug])
    for role, status in HISTORY_PAGE.items():
        response = world.client(role).get(url)
        text = response.content.decode()
        shown = status == 200 and "Olga van der Berg" in text.split("history", 1)[-1]
        assert shown == (role in {"coordinator", "manager"}), role
