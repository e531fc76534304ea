"""The programme's public name, in the reader's language, where its people read the programme's name
(members pages, budgets, reports; set-up pages and the admin keep the official name they edit), with
no query per programme."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from clusterxchange.programmes.models import Programme, ProgrammeText

pytestmark = pytest.mark.django_db

PAGES = {
    "members": ("accounts:members", False),
    "programme_members": ("accounts:programme_members", True),
    "budget": ("exchanges:budget", False),
    "reporting": ("reporting:report", True),
}
# Who opens each page (their own permission tests are the apps'): 200 or not.
SEES = {
    "coordinator": {"members", "programme_members", "budget", "reporting"},
    "manager": {"members", "programme_members", "budget", "reporting"},
    "owner": set(),
    "outsider": set(),
}


@pytest.fixture
def named(world):
    programme = world.programme
    programme.languages = ["en", "de"]
    programme.save()
    ProgrammeText.objects.update_or_create(
        programme=programme, language="en", defaults={"name": "Cluster Trips"}
    )
    ProgrammeText.objects.update_or_create(
        programme=programme, language="de", defaults={"name": "Clusterreisen"}
    )
    return programme


@pytest.mark.parametrize("role", list(SEES))
@pytest.mark.parametrize("page", list(PAGES))
def test_pages_show_the_public_name_in_the_readers_language(world, named, role, page):
    name, with_slug = PAGES[page]
    for language, shown in (("en", "Cluster Trips"), ("de", "Clusterreisen")):
        with translation.override(language):
            url = reverse(name, args=[named.slug] if with_slug else [])
        response = world.client(role).get(url)
        text = response.content.decode()
        if page in SEES[role]:
            assert response.status_code == 200, (page, role, response.status_code)
            assert shown in text, (page, language)
            assert named.name not in text.replace(f"{named.name} (", ""), (page, language)
        else:
            assert shown not in text


def test_the_members_page_reads_the_names_without_a_query_per_programme(world, named):
    client = world.client("coordinator")
    url = reverse("accounts:members")
    client.get(url)
    with CaptureQueriesContext(connection) as one:
        client.get(url)
    for n in range(3):
        other = Programme.objects.create(
            name=f"Other {n}",
            acronym=f"O{n}",
            slug=f"other-{n}",
            start_date=named.start_date,
            end_date=named.end_date,
        )
        ProgrammeText.objects.create(programme=other, language="en", name=f"Other public {n}")
        world.users["coordinator"].programme_roles.create(programme=other, role="coordinator")
    with CaptureQueriesContext(connection) as four:
        response = client.get(url)
    assert "Other public 2" in response.content.decode()
    assert len(four) == len(one)
