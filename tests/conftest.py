"""Shared fixtures: a small world of two clusters and one user per role, and a fixed clock.

Every test runs at a fixed instant (``RUN_AT``, time still ticks from there) so that no test depends on
the day it is run: a stay built for "next Monday" must not meet a public holiday one week and not the
next. Choose another instant with ``@pytest.mark.run_at("2026-12-07T09:00:00+01:00")``; tests that share
the clock with another process (browser, subprocesses, a live server) keep the real clock with
``@pytest.mark.real_clock``. A test marked ``@pytest.mark.date_sensitive`` runs once more at each of
``RUN_DATES`` (a holiday week, a month end, a year end, both daylight-saving changes), so that a
scenario built from "today" is tried on the days where such scenarios break (tests/core/test_run_dates.py).

Roles used by the permission matrices:
- coordinator: programme coordinator;
- manager: manages cluster A (Pôle-like, FR);
- owner: member of org A1 (a member of cluster A) — the "owner" of A1's profile;
- same_cluster: member of org A2, also in cluster A;
- outsider: member of org B1 in cluster B;
- anonymous.
"""

import os
from dataclasses import dataclass
from datetime import date, datetime

import pytest
import time_machine
from django.test import Client

from clusterxchange.accounts.models import Membership, User
from clusterxchange.core.models import Ecosystem, NaceCode, OpportunityType
from clusterxchange.directory.locating import prepare_city_index
from clusterxchange.directory.models import ClusterMembership, Opportunity, Organisation, Person
from clusterxchange.programmes.models import PartnerCluster, Programme, ProgrammeRole

# A quiet Wednesday: no public holiday in the countries of the test worlds within three weeks.
RUN_AT = datetime.fromisoformat("2026-06-10T10:00:00+02:00")

# The instants where dates built from "today" break: a public holiday inside next week, the evening
# when the programme's date and the UTC date differ, the ends of a month and a year, and the nights when
# the clocks change (Europe/Brussels, the programmes' default time zone).
RUN_DATES = {
    "holiday-week": "2026-12-07T09:00:00+01:00",
    "month-end": "2027-02-28T23:30:00+01:00",
    "new-month-utc-eve": "2027-03-01T00:30:00+01:00",
    "year-end": "2026-12-31T23:30:00+01:00",
    "spring-dst": "2027-03-28T01:30:00+01:00",
    "autumn-dst": "2026-10-25T02:30:00+01:00",
}

ROLES = ["coordinator", "manager", "owner", "same_cluster", "outsider", "anonymous"]


@dataclass
class World:
    programme: Programme
    cluster_a: Organisation
    cluster_b: Organisation
    org_a1: Organisation
    org_a2: Organisation
    org_b1: Organisation
    person_a1: Person
    hidden_person_a1: Person
    opportunity_a1: Opportunity
    draft_a1: Opportunity
    users: dict[str, User | None]

    def client(self, role: str) -> Client:
        client = Client()
        user = self.users[role]
        if user is not None:
            client.force_login(user)
        return client


@pytest.fixture(scope="session", autouse=True)
def city_index():
    """The index of GeoNames' cities in PLACES_DIR (kept between runs, tests/settings.py), built
    before the tests as deployment (`build_city_index`) or the job `locate-organisations` builds it:
    no save builds it (tests/directory/test_locating.py, `no_city_index`)."""
    return prepare_city_index()[0]


def make_org(name: str, country: str, org_type: str = "sme", **fields) -> Organisation:
    from django.utils.text import slugify

    org = Organisation(
        name=name, country=country, org_type=org_type, slug=slugify(f"{name}-{country}"), **fields
    )
    org.save()
    return org


def make_user(email: str, organisation: Organisation | None = None, role: str = "member") -> User:
    user = User.objects.create_user(email=email, password="correct-horse-battery")
    if organisation is not None:
        Membership.objects.create(user=user, organisation=organisation, role=role)
    return user


@pytest.fixture
def world(db) -> World:
    electronics = Ecosystem.objects.get(code="electronics")
    cluster_a = make_org(
        "Cluster A", "FR", "cluster", city="Sophia Antipolis", latitude=43.6163, longitude=7.0552
    )
    cluster_b = make_org("Cluster B", "ES", "cluster", city="Bilbao", latitude=43.263, longitude=-2.935)
    org_a1 = make_org(
        "Alpha Sensors",
        "FR",
        city="Nice",
        description="Printed sensors on foil",
        keywords="printed electronics",
        staff_count=20,
        turnover_eur=2_000_000,
        email="hello@alpha.example",
        phone="+33 1 23",
    )
    org_a1.ecosystems.add(electronics)
    org_a1.sectors.add(NaceCode.objects.get(code="26"))
    org_a2 = make_org("Beta Software", "FR", city="Marseille", description="Cloud data platforms")
    org_b1 = make_org("Gamma Robotics", "ES", city="Bilbao", description="Industrial robots")
    for cluster, member in ((cluster_a, org_a1), (cluster_a, org_a2), (cluster_b, org_b1)):
        ClusterMembership.objects.create(cluster=cluster, member=member)
    programme = Programme.objects.create(
        name="Test programme",
        acronym="TEST",
        slug="test",
        start_date=date(2022, 1, 1),
        end_date=date(2030, 1, 1),
    )
    PartnerCluster.objects.create(programme=programme, cluster=cluster_a, is_coordinator=True)
    PartnerCluster.objects.create(programme=programme, cluster=cluster_b)
    coordinator = make_user("coordinator@test.example")
    coordinator.is_staff = True
    coordinator.save()
    ProgrammeRole.objects.create(programme=programme, user=coordinator)
    users = {
        "coordinator": coordinator,
        "manager": make_user("manager@test.example", cluster_a, "manager"),
        "owner": make_user("owner@test.example", org_a1),
        "same_cluster": make_user("colleague@test.example", org_a2),
        "outsider": make_user("outsider@test.example", org_b1),
        "anonymous": None,
    }
    person_a1 = Person.objects.create(
        first_name="Amélie",
        last_name="Durand",
        email="amelie@alpha.example",
        phone="+33 6 00",
        position="CEO",
        organisation=org_a1,
    )
    hidden = Person.objects.create(
        first_name="Hidden",
        last_name="Person",
        email="hidden@alpha.example",
        organisation=org_a1,
        listed=False,
    )
    offer = OpportunityType.objects.get(code="technology-offer")
    opportunity = Opportunity.objects.create(
        organisation=org_a1,
        type=offer,
        title="Printed sensors",
        description="We print sensors.",
        status="published",
    )
    draft = Opportunity.objects.create(
        organisation=org_a1, type=offer, title="Secret draft", description="Not yet.", status="draft"
    )
    return World(
        programme, cluster_a, cluster_b, org_a1, org_a2, org_b1, person_a1, hidden, opportunity, draft, users
    )


# Encoding a demo's texts with the sentence model takes tens of seconds on a busy machine: tests and
# the processes they start rank lexically unless marked ``semantic`` (fixture sentence_model).
os.environ.setdefault("CLUSTERXCHANGE_MATCHING_SEMANTIC", "off")


def pytest_generate_tests(metafunc):
    if metafunc.definition.get_closest_marker("date_sensitive"):
        metafunc.parametrize("run_date", [None, *RUN_DATES.values()], ids=["run-at", *RUN_DATES])


@pytest.fixture
def run_date() -> str | None:
    """The instant of a ``date_sensitive`` test's run (None: ``RUN_AT`` or the ``run_at`` mark)."""
    return None


@pytest.fixture(autouse=True)
def fixed_clock(request, run_date):
    """Freeze the start of each test at ``RUN_AT``, its ``run_at`` mark or its ``run_date``."""
    if request.node.get_closest_marker("real_clock") or request.node.get_closest_marker("browser"):
        yield None
        return
    mark = request.node.get_closest_marker("run_at")
    instant = datetime.fromisoformat(run_date or (mark.args[0] if mark else RUN_AT.isoformat()))
    with time_machine.travel(instant, tick=True) as traveller:
        yield traveller


@pytest.fixture(autouse=True)
def empty_cache():
    """The database is rolled back after each test; what was cached about it goes too."""
    from django.core.cache import cache

    cache.clear()


@pytest.fixture(scope="session")
def sentence_model_store(tmp_path_factory):
    """The real multilingual sentence model (a test dependency), its vectors kept for the whole run."""
    from clusterxchange.engines.matching.semantic import EmbeddingStore, UniversalSentenceEncoder

    return EmbeddingStore(
        UniversalSentenceEncoder(), tmp_path_factory.mktemp("embeddings") / "vectors.sqlite"
    )


@pytest.fixture(autouse=True)
def sentence_model(request):
    """Partner suggestions rank lexically in tests (and in the processes they start: see
    SEMANTIC_SWITCH below), fast and the same everywhere; a test marked ``semantic`` ranks with the
    real model, as a site with it installed does."""
    from clusterxchange.engines.matching import semantic

    if request.node.get_closest_marker("semantic"):
        model_store = request.getfixturevalue("sentence_model_store")
        semantic.set_default_store(model_store, f"semantic ranking on ({model_store.encoder.name})")
    else:
        semantic.reset_default_store()
    yield
    semantic.reset_default_store()


@pytest.fixture(autouse=True)
def english():
    """Each test starts in the default language (a request in another language leaves it active)."""
    from django.utils import translation

    translation.activate("en")
    yield
    translation.deactivate()


def _restores_the_whole_database(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    return bool(marker and marker.kwargs.get("serialized_rollback"))


def _is_transactional(item: pytest.Item) -> bool:
    marker = item.get_closest_marker("django_db")
    fixtures = getattr(item, "fixturenames", ())
    return bool(
        (marker and (marker.kwargs.get("transaction") or marker.kwargs.get("reset_sequences")))
        or "transactional_db" in fixtures
        or "live_server" in fixtures
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    """Run the tests that restore the whole database (``serialized_rollback``) first among the
    transactional tests, whatever files were chosen.

    A transactional test without it flushes the database afterwards and post_migrate re-creates the
    content types and permissions under new ids; a serialized restore after it then inserts the
    original rows beside them (unique (app_label, model) violated on PostgreSQL). A serialized test's
    own flush does not re-create them, so the serialized tests can follow each other. pytest-django
    (tryfirst) has already put the plain database tests first, then the transactional ones."""
    restoring = [item for item in items if _restores_the_whole_database(item)]
    if not restoring:
        return
    rest = [item for item in items if not _restores_the_whole_database(item)]
    first_transactional = next(
        (index for index, item in enumerate(rest) if _is_transactional(item)), len(rest)
    )
    items[:] = rest[:first_transactional] + restoring + rest[first_transactional:]


@pytest.fixture
def latest_schema_after():
    """For a test that migrates an app back to test a data migration: afterwards every app is
    migrated to its latest state again. Migrating to one migration leaves the later ones (and other
    apps' migrations that depend on them) unapplied, and the tests after it found tables missing."""
    yield
    from django.db import connection
    from django.db.migrations.executor import MigrationExecutor

    executor = MigrationExecutor(connection)
    executor.loader.build_graph()
    executor.migrate(executor.loader.graph.leaf_nodes())
