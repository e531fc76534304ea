"""Optimistic concurrency (core.concurrency): two people edit the same record, the second save is
refused with a clear message and keeps its input; the first one's data stays. Directory pages and
API here; the other apps' edit pages in their own test folders (test_concurrency.py)."""

import threading

import pytest
from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.urls import reverse

from clusterxchange.core.concurrency import StaleEdit, check_version, etag_of, version_of
from clusterxchange.directory import domain
from clusterxchange.directory.models import Opportunity, Organisation, Person
from tests.concurrency import STALE, assert_refused_keeping_input, form_data, two_editors


def test_a_version_is_the_update_time_in_microseconds(world):
    org = world.org_a1
    assert version_of(org) == str(int(org.updated_at.timestamp() * 1_000_000))
    assert etag_of(org) == f'"{version_of(org)}"'


def test_the_check_locks_and_compares(world):
    with transaction.atomic():
        check_version(world.org_a1, version_of(world.org_a1))
        check_version(world.org_a1, None)  # no version sent: no check
        with pytest.raises(StaleEdit) as refused:
            check_version(world.org_a1, "123")
    assert isinstance(refused.value, ValidationError)
    assert STALE in refused.value.messages[0]


@pytest.mark.parametrize(
    ("kind", "field"),
    [("organisation", "description"), ("person", "position"), ("opportunity", "description")],
)
def test_second_web_save_is_refused_and_the_first_kept(world, kind, field):
    record = {"organisation": world.org_a1, "person": world.person_a1, "opportunity": world.opportunity_a1}[
        kind
    ]
    url = {
        "organisation": reverse("directory:organisation_edit", args=[world.org_a1.slug]),
        "person": reverse("directory:person_edit", args=[world.person_a1.pk]),
        "opportunity": reverse("directory:opportunity_edit", args=[world.opportunity_a1.pk]),
    }[kind]
    first, second, refused_value = two_editors(
        world.client("owner"), world.client("manager"), url, field=field
    )
    assert first.status_code == 302
    assert_refused_keeping_input(second, refused_value)
    record.refresh_from_db()
    assert getattr(record, field) == "Saved first"
    # Submitting the same stale form again is refused again; after a reload the save goes through.
    assert STALE in world.client("manager").post(url, second.context["form"].data).content.decode()
    again = world.client("manager").get(url)
    assert again.context["form"].initial["version"] == version_of(type(record).objects.get(pk=record.pk))
    data = form_data(again)
    data[field] = "Saved after reload"
    assert world.client("manager").post(url, data).status_code == 302
    record.refresh_from_db()
    assert getattr(record, field) == "Saved after reload"


def test_api_update_with_a_stale_etag_is_refused_with_412(world):
    owner, manager = world.client("owner"), world.client("manager")
    url = f"/api/organisations/{world.org_a1.slug}"
    etag = owner.get(url)["ETag"]
    assert etag == etag_of(world.org_a1)
    saved = owner.patch(
        url, {"description": "Saved first"}, content_type="application/json", headers={"If-Match": etag}
    )
    assert saved.status_code == 200, saved.content
    assert saved["ETag"] != etag
    refused = manager.patch(
        url, {"description": "Overwrite"}, content_type="application/json", headers={"If-Match": etag}
    )
    assert refused.status_code == 412
    assert STALE in refused.json()["detail"]
    world.org_a1.refresh_from_db()
    assert world.org_a1.description == "Saved first"
    # Without If-Match an update is not checked (older clients); with the fresh ETag it goes through.
    fresh = manager.patch(
        url, {"description": "Third"}, content_type="application/json", headers={"If-Match": saved["ETag"]}
    )
    assert fresh.status_code == 200


@pytest.mark.parametrize("kind", ["person", "opportunity"])
def test_api_stale_updates_of_people_and_opportunities(world, kind):
    record = world.person_a1 if kind == "person" else world.opportunity_a1
    url = f"/api/{'people' if kind == 'person' else 'opportunities'}/{record.pk}"
    field = "position" if kind == "person" else "title"
    owner = world.client("owner")
    etag = owner.get(url)["ETag"]
    assert (
        owner.patch(
            url, {field: "First"}, content_type="application/json", headers={"If-Match": etag}
        ).status_code
        == 200
    )
    assert (
        owner.patch(
            url, {field: "Second"}, content_type="application/json", headers={"If-Match": etag}
        ).status_code
        == 412
    )
    record.refresh_from_db()
    assert getattr(record, field) == "First"


WRITERS = 8


@pytest.mark.postgres
@pytest.mark.skipif(
    connection.vendor != "postgresql",
    reason="SQLite's in-memory test database raises 'table is locked' instead of waiting; CI runs this on PostgreSQL.",
)
@pytest.mark.django_db(transaction=True)
def test_concurrent_writers_exactly_one_wins_per_version(request):
    from clusterxchange.core.reference import load_reference_data

    load_reference_data()
    world = request.getfixturevalue("world")
    users = [world.users["owner"], world.users["manager"], world.users["coordinator"]]
    for round_number in range(3):
        org = Organisation.objects.get(pk=world.org_a1.pk)
        version = version_of(org)
        barrier = threading.Barrier(WRITERS)
        outcomes: list[str] = []

        def write(
            index: int, version=version, barrier=barrier, outcomes=outcomes, round_number=round_number
        ) -> None:
            try:
                barrier.wait(timeout=20)
                domain.update_organisation(
                    users[index % len(users)],
                    Organisation.objects.get(pk=world.org_a1.pk),
                    {"description": f"round {round_number} writer {index}"},
                    expected_version=version,
                )
                outcomes.append("saved")
            except StaleEdit:
                outcomes.append("refused")
            finally:
                connection.close()

        threads = [threading.Thread(target=write, args=(index,)) for index in range(WRITERS)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        assert sorted(outcomes) == ["refused"] * (WRITERS - 1) + ["saved"]
        org.refresh_from_db()
        assert org.description.startswith(f"round {round_number} writer ")
        assert version_of(org) != version


def test_models_of_the_edit_forms_carry_updated_at():
    for model in (Organisation, Person, Opportunity):
        assert model._meta.get_field("updated_at").auto_now
