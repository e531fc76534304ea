"""The organiser's registrations list stays usable at a large event: 2,000 registrations are shown 50 a
page, with their count, a search and filters by status, role and country that offer what exists with
counts (issue #20: long pages shortened)."""

import re

import pytest
from django.urls import reverse

from clusterxchange.directory.models import Organisation
from clusterxchange.events.models import Registration
from tests.events.conftest import ew  # noqa: F401 - the event world

pytestmark = pytest.mark.django_db

CROWD = 2000


@pytest.fixture
def crowded(ew):  # noqa: F811
    organisations = Organisation.objects.bulk_create(
        Organisation(
            name=f"Crowd {n:04d}", slug=f"crowd-{n:04d}", country="PL" if n % 4 else "LT", org_type="sme"
        )
        for n in range(CROWD)
    )
    Registration.objects.bulk_create(
        Registration(
            event=ew.event,
            organisation=organisation,
            role="exhibitor" if n % 10 == 0 else "local",
            status="waiting" if n % 5 == 0 else "validated",
        )
        for n, organisation in enumerate(organisations)
    )
    return ew


def _rows(html: str) -> int:
    body = html.split('<table id="registrations"', 1)[1].split("</table>", 1)[0]
    return len(re.findall(r"<tr[\s>]", body.split("<tbody>", 1)[1]))


def test_a_crowded_event_shows_one_page_of_rows_with_the_count(crowded, world):
    url = reverse("events:registrations", args=[crowded.event.slug])
    html = world.client("manager").get(url).content.decode()
    assert _rows(html) == 50
    # 2,002: the crowd and the event world's two participants, with the reader's thousands separator
    assert "2,002 registrations of 2,002" in html
    assert 'rel="next"' in html
    # The status and country choices offer what the event has, with counts.
    assert ">On the waiting list (400)<" in html
    assert ">Lithuania (500)<" in html
    assert "Afghanistan" not in html


def test_the_counts_use_the_readers_thousands_separator(crowded, world):
    """Counts are grouped as the reader's language writes them, ids and form values are not (issue #20)."""
    path = reverse("events:registrations", args=[crowded.event.slug]).removeprefix("/en")
    client = world.client("manager")
    german = client.get(f"/de{path}").content.decode()
    assert "2.002 Anmeldungen von 2.002" in german
    french = client.get(f"/fr{path}").content.decode()
    assert "2\xa0002 inscriptions sur 2\xa0002" in french  # a no-break space, as Django's French formats
    # A registration's id in a link or a form is never grouped.
    assert not re.search(r"registrations/\d+[.,\xa0\u202f]\d", german)


def test_the_list_searches_and_filters(crowded, world):
    url = reverse("events:registrations", args=[crowded.event.slug])
    client = world.client("manager")
    html = client.get(url, {"q": "crowd 0042"}).content.decode()
    assert _rows(html) == 1 and "Crowd 0042" in html
    html = client.get(url, {"status": "waiting", "role": "exhibitor", "country": "LT"}).content.decode()
    assert "100 registrations of 2,002" in html
    html = client.get(url, {"q": "nobody-like-this"}).content.decode()
    assert "No registration matches: change the search or the filters." in html


def test_a_decision_says_what_it_decided(ew, world):  # noqa: F811
    """The message said only 'updated', for approving as for rejecting."""
    url = reverse("events:registration_decide", args=[ew.event.slug, ew.participant.pk])
    client = world.client("manager")
    rejected = client.post(url, {"decision": "reject", "reason": "Full delegation"}, follow=True)
    assert f"The registration of {ew.participant.organisation} is rejected." in rejected.content.decode()
    validated = client.post(url, {"decision": "validate"}, follow=True)
    assert f"The registration of {ew.participant.organisation} is validated." in validated.content.decode()
