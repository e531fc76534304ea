"""An organisation's coordinates from its city (GeoNames' cities, offline) when nobody typed them."""

import html
import importlib
import math
import shutil
import time
from datetime import date, timedelta

import pytest
from django.apps import apps
from django.core.exceptions import ValidationError
from django.urls import reverse

from clusterxchange.core import periodic
from clusterxchange.core.models import AuditEntry
from clusterxchange.directory import domain
from clusterxchange.directory.imports import import_organisations
from clusterxchange.directory.locating import city_coordinates
from clusterxchange.directory.models import Organisation
from clusterxchange.engines import places
from clusterxchange.engines.grants.distance import geodesic_km
from clusterxchange.engines.grants.parties import Coordinates
from clusterxchange.engines.places import normalise
from clusterxchange.exchanges import grants
from tests.conftest import make_org
from tests.directory.test_imports import HEADER, csv_table

# Centres from the EU's and GeoNames' maps, to within a few km.
KNOWN = {
    ("Dresden", "DE"): (51.05, 13.74),
    ("Nice", "FR"): (43.70, 7.27),
    ("Vilnius", "LT"): (54.69, 25.28),
    ("Bilbao", "ES"): (43.26, -2.93),
    ("Warszawa", "PL"): (52.23, 21.01),
    ("Plovdiv", "BG"): (42.15, 24.75),
    ("Sofia", "BG"): (42.70, 23.32),
    ("Varna", "BG"): (43.21, 27.91),
}


def km_between(first, second) -> float:
    return geodesic_km(Coordinates(*first), Coordinates(*second))


@pytest.mark.parametrize(("city", "country"), list(KNOWN))
def test_a_known_city_has_its_centre(city, country):
    found = city_coordinates(city, country)
    assert found is not None
    assert km_between(found, KNOWN[city, country]) < 5


@pytest.mark.parametrize(
    ("typed", "country", "meant"),
    [
        ("DRESDEN", "de", ("Dresden", "DE")),
        ("  nice ", "FR", ("Nice", "FR")),
        ("Warsaw", "PL", ("Warszawa", "PL")),  # the English name (GeoNames' alternate names)
        ("warszawa", "PL", ("Warszawa", "PL")),
        ("Wilno", "LT", ("Vilnius", "LT")),  # the Polish name
        ("Bilbo", "ES", ("Bilbao", "ES")),  # the Basque name
        ("Пловдив", "BG", ("Plovdiv", "BG")),  # typed in Cyrillic: transliterated (Streamlined System)
        ("София", "BG", ("Sofia", "BG")),  # "-ия" ending the word is "-ia"
        ("ВАРНА", "bg", ("Varna", "BG")),
        ("  гр. София ", "BG", None),  # "town of": not a place's name
        ("Plovdiv", "bg", ("Plovdiv", "BG")),
    ],
)
def test_case_accents_and_other_names(typed, country, meant):
    found = city_coordinates(typed, country)
    if meant is None:
        assert found is None
    else:
        assert found is not None and km_between(found, KNOWN[meant]) < 5


def test_accents_saint_and_hyphens_compare_alike():
    assert normalise("St.-Étienne") == normalise("saint etienne") == normalise("SAINT-ÉTIENNE")
    assert normalise("Kraków") == normalise("krakow")
    assert normalise("Łódź") == "lodz"
    saint_etienne = city_coordinates("St Etienne", "FR")
    assert saint_etienne is not None and km_between(saint_etienne, (45.43, 4.39)) < 5
    assert city_coordinates("Munchen", "DE") == city_coordinates("München", "DE") is not None


def test_cyrillic_is_transliterated_by_the_bulgarian_official_system():
    assert normalise("Стара Загора") == "stara zagora"
    assert normalise("Търговище") == "targovishte"  # ъ is a, щ is sht
    assert normalise("Благоевград") == normalise("Blagoevgrad")
    assert normalise("Ямбол") == "yambol"
    assert normalise("Київ") == "kiyiv"  # Ukrainian letters too


def test_the_most_populous_place_of_a_name_in_the_country_wins():
    frankfurt = city_coordinates("Frankfurt", "DE")  # am Main, not an der Oder
    assert frankfurt is not None and km_between(frankfurt, (50.11, 8.68)) < 10


def test_unknown_city_wrong_country_or_nothing_gives_none():
    assert city_coordinates("Nowhere-on-Sea", "GB") is None
    assert city_coordinates("Dresden", "PL") is None
    assert city_coordinates("", "DE") is None
    assert city_coordinates("Dresden", "") is None


def new_organisation(world, **fields) -> Organisation:
    values = {"name": "Epsilon Labs", "org_type": "sme", "country": "DE", "city": "Dresden", **fields}
    return domain.create_organisation(world.users["coordinator"], values)


def test_a_new_organisation_gets_its_citys_centre_and_says_so(world):
    organisation = new_organisation(world)
    organisation.refresh_from_db()
    assert km_between((organisation.latitude, organisation.longitude), KNOWN["Dresden", "DE"]) < 5
    assert organisation.coordinates_from_city


def test_typed_coordinates_win(world):
    organisation = new_organisation(world, latitude=51.1, longitude=13.9)
    assert (organisation.latitude, organisation.longitude, organisation.coordinates_from_city) == (
        51.1,
        13.9,
        False,
    )
    coordinator = world.users["coordinator"]
    organisation = domain.update_organisation(coordinator, organisation, {"city": "Leipzig"})
    assert (organisation.latitude, organisation.longitude) == (51.1, 13.9)  # typed: kept


def test_an_unknown_city_stays_without_coordinates_and_saves(world):
    organisation = new_organisation(world, city="Nirgendwo an der Spree")
    organisation.refresh_from_db()
    assert (organisation.latitude, organisation.longitude, organisation.coordinates_from_city) == (
        None,
        None,
        False,
    )


def test_city_coordinates_follow_the_city_until_someone_corrects_them(world):
    coordinator = world.users["coordinator"]
    organisation = new_organisation(world)
    organisation = domain.update_organisation(coordinator, organisation, {"city": "Bautzen"})
    assert km_between((organisation.latitude, organisation.longitude), (51.18, 14.42)) < 5
    assert organisation.coordinates_from_city
    organisation = domain.update_organisation(
        coordinator, organisation, {"latitude": 51.2, "longitude": 14.5}
    )
    assert not organisation.coordinates_from_city
    organisation = domain.update_organisation(coordinator, organisation, {"city": "Görlitz"})
    assert (organisation.latitude, organisation.longitude) == (51.2, 14.5)
    organisation = domain.update_organisation(
        coordinator, organisation, {"latitude": None, "longitude": None}
    )
    assert km_between((organisation.latitude, organisation.longitude), (51.15, 14.99)) < 5  # Görlitz
    assert organisation.coordinates_from_city
    organisation = domain.update_organisation(coordinator, organisation, {"city": "Atlantis"})
    assert (organisation.latitude, organisation.longitude) == (None, None)  # not the old city's centre


def test_half_typed_coordinates_are_still_refused(world):
    with pytest.raises(ValidationError) as error:
        new_organisation(world, latitude=51.1)
    assert "Give both latitude and longitude" in str(error.value)


def test_the_grant_distance_needs_no_typed_coordinates(world):
    visitor = new_organisation(world, name="Visitor GmbH", city="Dresden", country="DE")
    host = new_organisation(world, name="Hôte SAS", city="Nice", country="FR")
    start = date(2027, 3, 1)
    assessment = grants.assess(world.programme, visitor, host, start, start + timedelta(days=4))
    assert assessment.distance_km is not None
    assert math.isclose(
        assessment.distance_km, km_between(KNOWN["Dresden", "DE"], KNOWN["Nice", "FR"]), rel_tol=0.01
    )


def test_imported_organisations_get_their_citys_centre(world):
    table = csv_table(HEADER + "Zeta GmbH,SME,de,Dresden,,12,,,\nEta SAS,sme,FR,Atlantis,,40,,,\n")
    report = import_organisations(world.users["coordinator"], table, dry_run=False)
    assert report.created == 2, report.errors
    zeta = Organisation.objects.get(name="Zeta GmbH")
    assert km_between((zeta.latitude, zeta.longitude), KNOWN["Dresden", "DE"]) < 5
    assert Organisation.objects.get(name="Eta SAS").latitude is None


def test_the_form_says_where_the_coordinates_come_from_in_the_readers_language(world, client):
    located = new_organisation(world, name="Zeta GmbH")
    unlocated = new_organisation(world, name="Eta GmbH", city="Atlantis")
    client.force_login(world.users["coordinator"])
    edit = reverse("directory:organisation_edit", args=[located.slug])
    edit_unlocated = reverse("directory:organisation_edit", args=[unlocated.slug])
    english = html.unescape(client.get(edit).content.decode())
    assert "These are the centre of the city; correct them if needed." in english
    german = html.unescape(client.get(f"/de{edit}").content.decode())
    assert "Dies ist das Stadtzentrum; korrigieren Sie die Werte bei Bedarf." in german
    french = html.unescape(client.get(f"/fr{edit_unlocated}").content.decode())
    assert "Laissées vides, elles sont prises au centre de la ville quand la ville est connue." in french


def test_the_migration_fills_existing_organisations_from_their_city(world):
    migration = importlib.import_module(
        "clusterxchange.directory.migrations.0008_organisation_coordinates_from_city"
    )
    typed = make_org("Typed GmbH", "DE", city="Dresden", latitude=51.1, longitude=13.9)
    unknown = make_org("Nowhere GmbH", "DE", city="Atlantis")
    known = make_org("Known GmbH", "DE", city="Dresden")
    migration.fill_from_cities(apps, None)
    for organisation in (typed, unknown, known):
        organisation.refresh_from_db()
    assert (typed.latitude, typed.longitude, typed.coordinates_from_city) == (51.1, 13.9, False)
    assert (unknown.latitude, unknown.coordinates_from_city) == (None, False)
    assert known.coordinates_from_city
    assert km_between((known.latitude, known.longitude), KNOWN["Dresden", "DE"]) < 5


@pytest.fixture
def no_city_index(settings, tmp_path):
    """A machine where nobody built the cities' index (PLACES_DIR empty)."""
    settings.PLACES_DIR = tmp_path / "places"
    return settings.PLACES_DIR


def test_a_save_before_the_index_exists_neither_builds_it_nor_waits(world, no_city_index, client):
    """Building the index takes 6-19 s and about 375 MB: no save (here a web request) does it."""
    client.force_login(world.users["coordinator"])
    started = time.monotonic()
    response = client.post(
        reverse("directory:organisation_create"),
        {"name": "Epsilon Labs", "org_type": "sme", "country": "DE", "city": "Dresden"},
    )
    assert response.status_code == 302, response.content.decode()[:2000]
    organisation = Organisation.objects.get(name="Epsilon Labs")
    updated = domain.update_organisation(world.users["coordinator"], organisation, {"city": "Leipzig"})
    assert time.monotonic() - started < 3
    assert not no_city_index.exists() or not any(no_city_index.iterdir())
    assert (updated.latitude, updated.longitude, updated.coordinates_from_city) == (None, None, False)


def test_the_periodic_job_builds_the_index_then_fills_the_coordinates(
    world, city_index, no_city_index, monkeypatch
):
    builds = []

    def build(index):
        builds.append(index.path)
        index.path.parent.mkdir(parents=True, exist_ok=True)
        shutil.copy(city_index, index.path)  # the session's real build (tests/conftest.py)

    monkeypatch.setattr(places.CityIndex, "build", build)
    waiting = new_organisation(world, name="Zeta GmbH")
    unknown = new_organisation(world, name="Eta GmbH", city="Atlantis")
    typed = new_organisation(world, name="Theta GmbH", latitude=51.1, longitude=13.9)
    assert "locate-organisations" in {job.name for job in periodic.configured_jobs()}
    assert "locate-organisations" in periodic.enqueue_due()  # due at the workers' first start
    assert builds == [no_city_index / city_index.name]
    for organisation in (waiting, unknown, typed):
        organisation.refresh_from_db()
    assert km_between((waiting.latitude, waiting.longitude), KNOWN["Dresden", "DE"]) < 5
    assert waiting.coordinates_from_city
    assert (unknown.latitude, unknown.coordinates_from_city) == (None, False)
    assert (typed.latitude, typed.longitude, typed.coordinates_from_city) == (51.1, 13.9, False)
    entry = AuditEntry.objects.get(action="directory.organisation.locate", object_id=str(waiting.pk))
    assert entry.actor is None
    assert entry.changes == {
        "latitude": ["None", str(waiting.latitude)],
        "longitude": ["None", str(waiting.longitude)],
        "coordinates_from_city": ["None", "True"],
    }
    assert domain.locate_organisations() == 0  # built once; nothing left to fill
    assert len(builds) == 1


def test_an_edit_of_the_city_audits_the_coordinates_it_filled(world):
    coordinator = world.users["coordinator"]
    organisation = new_organisation(world)
    before = (organisation.latitude, organisation.longitude)
    organisation = domain.update_organisation(coordinator, organisation, {"city": "Bautzen"})
    entry = AuditEntry.objects.filter(action="directory.organisation.update").latest("pk")
    assert entry.changes == {
        "city": ["Dresden", "Bautzen"],
        "latitude": [str(before[0]), str(organisation.latitude)],
        "longitude": [str(before[1]), str(organisation.longitude)],
    }
