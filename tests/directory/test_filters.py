"""Directory search and filters return exactly the organisations they should."""

from django.urls import reverse

from clusterxchange.core.models import Ecosystem, NaceCode


def names(response) -> set[str]:
    return {org.name for org in response.context["page"].object_list}


def test_search_words_must_all_appear(world):
    client = world.client("anonymous")
    assert names(client.get(reverse("directory:organisations"), {"q": "printed sensors"})) == {
        "Alpha Sensors"
    }
    assert names(client.get(reverse("directory:organisations"), {"q": "PRINTED robots"})) == set()
    assert names(client.get(reverse("directory:organisations"), {"q": "bilbao"})) == {
        "Cluster B",
        "Gamma Robotics",
    }


def test_filters_by_country_type_ecosystem_sector_cluster(world):
    client = world.client("anonymous")
    url = reverse("directory:organisations")
    assert names(client.get(url, {"country": "ES"})) == {"Cluster B", "Gamma Robotics"}
    assert names(client.get(url, {"org_type": "cluster"})) == {"Cluster A", "Cluster B"}
    assert names(client.get(url, {"ecosystem": "electronics"})) == {"Alpha Sensors"}
    assert names(client.get(url, {"sector": "26"})) == {"Alpha Sensors"}
    assert names(client.get(url, {"sector": "C"})) == {"Alpha Sensors"}  # a section matches its divisions
    assert names(client.get(url, {"cluster": world.cluster_a.slug})) == {"Alpha Sensors", "Beta Software"}
    assert names(client.get(url, {"country": "FR", "org_type": "sme", "q": "cloud"})) == {"Beta Software"}
    assert names(client.get(reverse("directory:clusters"), {"country": "FR"})) == {"Cluster A"}
    assert Ecosystem.objects.count() == 14
    assert NaceCode.objects.filter(level="section").count() == 21


def test_pagination(world):
    from tests.conftest import make_org

    for index in range(30):
        make_org(f"Filler {index:02d}", "IT")
    client = world.client("anonymous")
    first = client.get(reverse("directory:organisations"), {"country": "IT"})
    second = client.get(reverse("directory:organisations"), {"country": "IT", "page": 2})
    assert len(first.context["page"].object_list) == 25
    assert len(second.context["page"].object_list) == 5
    assert names(first).isdisjoint(names(second))
    assert "country=IT&amp;page=2" in first.content.decode()


def test_htmx_request_returns_only_the_results(world):
    response = world.client("anonymous").get(
        reverse("directory:organisations"), {"q": "alpha"}, headers={"HX-Request": "true"}
    )
    assert "<html" not in response.content.decode()
    assert "Alpha Sensors" in response.content.decode()


def test_sme_filter(world):
    client = world.client("anonymous")
    assert names(client.get(reverse("directory:organisations"), {"sme": "yes"})) == {"Alpha Sensors"}
    assert "Alpha Sensors" not in names(client.get(reverse("directory:organisations"), {"sme": "no"}))


def test_list_pages_do_not_query_per_row(world):
    """The number of queries of a list page does not grow with the rows shown (no N+1)."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from clusterxchange.core.models import Ecosystem
    from tests.conftest import make_org

    client = world.client("owner")
    url = reverse("directory:organisations")

    def queries() -> int:
        with CaptureQueriesContext(connection) as captured:
            assert client.get(url).status_code == 200
        return len(captured)

    few = queries()
    digital = Ecosystem.objects.get(code="digital")
    for index in range(20):
        make_org(f"More {index:02d}", "PT").ecosystems.add(digital)
    assert queries() == few
