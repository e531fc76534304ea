"""With cached counts on, every kind of change to what a search filters on shows at once."""

import re

import pytest

from clusterxchange.core.models import Ecosystem, NaceCode
from clusterxchange.directory.models import ClusterMembership, Organisation
from tests.conftest import make_org


@pytest.fixture
def counting(settings, world):
    settings.CACHED_COUNTS = True
    return world


def shown(client, query: str) -> tuple[int, int]:
    """(the count the search page prints, the rows it lists) — and the API's count must agree."""
    html = client.get(f"/directory/?{query}").content.decode()
    printed = int(re.search(r'<p aria-live="polite">(\d+) organisations?</p>', html).group(1))
    rows = len(re.findall(r'<a href="/directory/organisations/[^"]+/">', html))
    assert client.get(f"/api/organisations?{query}").json()["count"] == printed
    return printed, rows


def test_new_changed_and_deleted_organisations_are_counted_at_once(counting, client):
    assert shown(client, "q=robot") == (1, 1)
    make_org("Delta Robots", "DE")  # a plain save: the admin's way
    assert shown(client, "q=robot") == (2, 2)
    Organisation.objects.get(name="Delta Robots").delete()
    assert shown(client, "q=robot") == (1, 1)
    gamma = Organisation.objects.get(name="Gamma Robotics")
    gamma.country = "PT"
    gamma.save()
    assert shown(client, "q=robot&country=ES") == (0, 0)


def test_ecosystem_sector_and_cluster_links_are_counted_at_once(counting, client):
    gamma = Organisation.objects.get(name="Gamma Robotics")
    assert shown(client, "ecosystem=electronics") == (1, 1)
    gamma.ecosystems.add(Ecosystem.objects.get(code="electronics"))
    assert shown(client, "ecosystem=electronics") == (2, 2)
    gamma.ecosystems.clear()
    assert shown(client, "ecosystem=electronics") == (1, 1)

    assert shown(client, "sector=26") == (1, 1)
    gamma.sectors.add(NaceCode.objects.get(code="26"))
    assert shown(client, "sector=26") == (2, 2)

    assert shown(client, "cluster=cluster-a-fr") == (2, 2)
    ClusterMembership.objects.create(cluster=counting.cluster_a, member=gamma)
    assert shown(client, "cluster=cluster-a-fr") == (3, 3)
    ClusterMembership.objects.filter(member=gamma).delete()
    assert shown(client, "cluster=cluster-a-fr") == (2, 2)


def test_a_new_cluster_is_offered_in_the_filter_at_once(counting, client):
    assert "Cluster C" not in client.get("/directory/").content.decode()
    make_org("Cluster C", "PL", "cluster")
    assert '<option value="cluster-c-pl">Cluster C</option>' in client.get("/directory/").content.decode()
