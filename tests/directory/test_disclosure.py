"""Field-level disclosure in the directory: the declaration, the VAT choice, `?fields=`, exports."""

import csv
import io
import logging
from decimal import Decimal

import pytest
from django.test import Client

from clusterxchange.accounts.models import ApiToken
from clusterxchange.directory.audiences import EVERYONE, Audience
from clusterxchange.directory.disclosure import ORGANISATION, PERSON
from clusterxchange.directory.sme import size_class

pytestmark = pytest.mark.django_db


def _api(user=None) -> dict:
    return {"HTTP_AUTHORIZATION": f"Bearer {ApiToken.issue(user, 'test')[1]}"} if user else {}


def test_the_public_reads_the_size_class_not_the_figures(world):
    body = Client().get(f"/api/organisations/{world.org_a1.slug}").json()
    assert body["size_class"] == "small"
    assert body["staff_count"] is None and body["turnover_eur"] is None and body["vat_number"] is None
    assert body["email"] is None  # organisation contacts: programme members


@pytest.mark.parametrize(
    ("role", "reads_figures"),
    [("owner", True), ("manager", True), ("coordinator", True), ("same_cluster", False), ("outsider", False)],
)
def test_who_reads_the_figures(world, role, reads_figures):
    body = Client().get(f"/api/organisations/{world.org_a1.slug}", **_api(world.users[role])).json()
    assert (body["staff_count"] == 20) is reads_figures
    assert (body["turnover_eur"] is not None) is reads_figures
    assert body["email"] == "hello@alpha.example"


def test_an_organisation_may_show_its_vat_number(world):
    world.org_a1.vat_number = "FR12345678901"
    world.org_a1.save()
    assert Client().get(f"/api/organisations/{world.org_a1.slug}").json()["vat_number"] is None
    world.org_a1.show_vat_number = True
    world.org_a1.save()
    body = Client().get(f"/api/organisations/{world.org_a1.slug}").json()
    assert body["vat_number"] == "FR12345678901"
    assert body["turnover_eur"] is None
    page = Client().get(world.org_a1.get_absolute_url()).content.decode()
    assert "FR12345678901" in page


def test_asking_for_fields_one_may_not_read_is_refused_with_the_reason_and_logged(world, caplog):
    url = f"/api/organisations/{world.org_a1.slug}?fields=name,turnover_eur,vat_number"
    with caplog.at_level(logging.INFO, logger="clusterxchange.disclosure"):
        response = Client().get(url)
    assert response.status_code == 403
    assert "turnover_eur, vat_number" in response.json()["detail"]
    assert "turnover_eur, vat_number" in caplog.text
    assert Client().get(url, **_api(world.users["owner"])).status_code == 200
    assert Client().get(f"/api/organisations/{world.org_a1.slug}?fields=name,size_class").status_code == 200
    assert Client().get(f"/api/organisations/{world.org_a1.slug}?fields=secret").status_code == 422


def test_person_contacts_reach_only_the_organisation_side(world):
    url = f"/api/people/{world.person_a1.pk}"
    assert Client().get(url, **_api(world.users["outsider"])).json()["email"] is None
    assert Client().get(url, **_api(world.users["manager"])).json()["email"] == "amelie@alpha.example"
    refused = Client().get(url + "?fields=email", **_api(world.users["outsider"]))
    assert refused.status_code == 403


def _csv(response) -> list[dict]:
    return list(csv.DictReader(io.StringIO(response.content.decode("utf-8-sig"))))


def test_an_export_is_reduced_per_row_and_names_the_withheld_columns(world, caplog):
    world.org_a1.vat_number = "FR12345678901"
    world.org_a1.turnover_eur = Decimal(2_000_000)
    world.org_a1.save()
    with caplog.at_level(logging.INFO, logger="clusterxchange.disclosure"):
        anonymous = Client().get("/directory/?export=csv")
    rows = {row["name"]: row for row in _csv(anonymous)}
    assert rows["Alpha Sensors"]["turnover_eur"] == "" and rows["Alpha Sensors"]["email"] == ""
    assert anonymous["X-Withheld-Columns"] == "email, phone, staff_count, turnover_eur, balance_sheet_eur"
    assert "organisations export columns withheld from anonymous" in caplog.text
    manager = Client()
    manager.force_login(world.users["manager"])  # manages cluster A: Alpha Sensors, not Gamma Robotics
    rows = {row["name"]: row for row in _csv(manager.get("/directory/?export=csv"))}
    assert rows["Alpha Sensors"]["vat_number"] == "FR12345678901"
    assert rows["Alpha Sensors"]["turnover_eur"] == "2000000"
    assert rows["Gamma Robotics"]["staff_count"] == ""


def test_the_declarations_cover_every_exported_column():
    from clusterxchange.directory.columns import ORGANISATION_COLUMNS, PERSON_COLUMNS

    assert set(ORGANISATION_COLUMNS) <= set(ORGANISATION.fields)
    assert set(PERSON_COLUMNS) <= set(PERSON.fields)
    assert ORGANISATION.fields["name"] == EVERYONE
    assert not ORGANISATION.may_read("turnover_eur", {Audience.PUBLIC, Audience.PROGRAMME_MEMBER})


@pytest.mark.parametrize(
    ("staff", "turnover", "balance", "expected"),
    [
        (5, 1_000_000, None, "micro"),
        (5, 5_000_000, 1_000_000, "micro"),
        (40, 9_000_000, None, "small"),
        (100, None, None, "medium"),
        (100, 60_000_000, 50_000_000, "large"),
        (300, None, None, "large"),
        (None, 1, 1, ""),
    ],
)
def test_size_class(staff, turnover, balance, expected):
    as_decimal = [None if value is None else Decimal(value) for value in (turnover, balance)]
    assert size_class(staff, *as_decimal) == expected
