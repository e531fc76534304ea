"""The public programme site and the news pages: what they show, what they hide, how many queries."""

import xml.etree.ElementTree as ET
from datetime import date, timedelta

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import timezone

from clusterxchange.directory.models import ClusterMembership
from clusterxchange.events.models import Event
from clusterxchange.news import domain
from clusterxchange.programmes.models import EligibleCountry, GrantRuleSet, PartnerCluster
from tests.conftest import make_org

ATOM = "{http://www.w3.org/2005/Atom}"


def _event(nw, title, start, kind="mission", published=True):
    return Event.objects.create(
        programme=nw.world.programme,
        kind=kind,
        title=title,
        slug=title.lower().replace(" ", "-"),
        host_cluster=nw.world.cluster_a,
        city="Nice",
        country="FR",
        start_date=start,
        end_date=start + timedelta(days=2),
        published=published,
    )


@pytest.mark.date_sensitive
def test_about_page_shows_the_programme_and_only_public_records(nw):
    today = timezone.localdate()
    _event(nw, "Mission to Nice", today + timedelta(days=30))
    _event(nw, "Secret mission", today + timedelta(days=40), published=False)
    _event(nw, "Matchmaking session", today + timedelta(days=50), kind="b2b")
    _event(nw, "Old study visit", today - timedelta(days=300), kind="study_visit")
    EligibleCountry.objects.create(programme=nw.world.programme, country="FR")
    page = nw.client("anonymous").get(reverse("site:about", args=["test"])).content.decode()
    assert "<h1>Test programme</h1>" in page
    assert "Mission to Nice" in page and "Old study visit" in page
    assert "Secret mission" not in page and "Matchmaking session" not in page
    assert "Sixty exchanges" in page
    assert "Partner A draft" not in page and "Programme draft" not in page
    assert "Approved words" in page
    assert "Pending words" not in page and "Private words" not in page
    assert "Cluster A" in page and "Cluster B" in page
    assert "open to organisations from 1 countries" in page or "from 1 countries" in page
    assert reverse("training:catalogue") in page
    assert f'href="{reverse("news:programme_feed", args=["test"])}"' in page


def test_about_page_shows_only_published_kpi_figures(nw):
    from clusterxchange.programmes.models import KpiTarget

    programme = nw.world.programme
    today = timezone.localdate()
    _event(nw, "Mission one", today - timedelta(days=30))
    _event(nw, "Mission two", today - timedelta(days=60))
    _event(nw, "Unpublished mission", today - timedelta(days=90), published=False)
    KpiTarget.objects.create(
        programme=programme,
        code="missions",
        measure="missions",
        name="Company missions",
        target=8,
        published=True,
    )
    KpiTarget.objects.create(
        programme=programme,
        code="tandems",
        measure="tandems",
        name="Learning tandems",
        target=4,
        published=False,
    )
    page = nw.client("anonymous").get(reverse("site:about", args=["test"])).content.decode()
    assert "Results so far" in page
    assert '<span class="stat">2</span> Company missions' in page
    assert "target 8" in page
    assert "Learning tandems" not in page


def test_partners_page_has_profiles_and_a_map(nw):
    page = nw.client("anonymous").get(reverse("site:partners", args=["test"])).content.decode()
    assert "<svg" in page
    assert 'data-country="FR"' in page and 'data-country="ES"' in page
    assert 'href="#partner-cluster-a-fr"' in page
    assert 'id="partner-cluster-a-fr"' in page
    assert nw.world.cluster_a.get_absolute_url() in page
    assert "Coordinator" in page


def test_take_part_page_reads_the_programme_rules(nw):
    programme = nw.world.programme
    for code in ("FR", "ES", "IS"):
        EligibleCountry.objects.create(programme=programme, country=code)
    rules = GrantRuleSet.objects.create(
        programme=programme, min_working_days=4, visitor_types=["sme"], host_types=["sme", "public_authority"]
    )
    rules.country_caps.create(country="FR", amount_eur=1234)
    page = nw.client("anonymous").get(reverse("site:take_part", args=["test"])).content.decode()
    assert "from 4 working days" in page
    assert "Iceland" in page and "3 countries take part." in page
    assert "Public authority" in page  # host only
    assert "Scaling-up support organisation" not in page  # not allowed by these rules
    assert "1,234" in page or "1234" in page
    assert 'data-country="IS"' in page


def test_home_page_shows_the_latest_news_and_testimonials(nw):
    page = nw.client("anonymous").get(reverse("home")).content.decode()
    assert "Sixty exchanges" in page
    assert "Approved words" in page and "Pending words" not in page
    assert reverse("site:about", args=["test"]) in page
    assert 'type="application/atom+xml"' in page


def test_article_page_renders_sanitised_markdown(nw):
    domain.update_article(
        nw.user("coordinator"),
        nw.published,
        {
            "body_markdown": "# Results\n\n[Call](https://example.eu) <img src=x onerror=alert(1)><script>bad()</script>"
        },
    )
    page = nw.client("anonymous").get(nw.published.get_absolute_url()).content.decode()
    assert "<h2>Results</h2>" in page
    assert 'href="https://example.eu"' in page
    assert "onerror" not in page and "bad()" not in page
    assert page.count("<h1") == 1


def test_testimonial_withdrawal_removes_it_from_every_public_page(nw):
    client = nw.client("anonymous")
    urls = [reverse("news:testimonials"), reverse("site:about", args=["test"]), reverse("home")]
    assert all("Approved words" in client.get(url).content.decode() for url in urls)
    nw.client("owner").post(reverse("news:testimonial_withdraw", args=[nw.approved.pk]))
    assert all("Approved words" not in client.get(url).content.decode() for url in urls)


@pytest.mark.date_sensitive
def test_scheduled_article_is_hidden_until_its_date(nw):
    domain.publish_article(nw.user("coordinator"), nw.programme_draft, at=timezone.now() + timedelta(days=1))
    client = nw.client("anonymous")
    assert "Programme draft" not in client.get(reverse("news:list")).content.decode()
    assert client.get(nw.programme_draft.get_absolute_url()).status_code == 404
    assert "Programme draft" not in client.get(reverse("news:feed")).content.decode()


@pytest.mark.date_sensitive
def test_feed_is_valid_atom_with_only_published_entries(nw):
    response = nw.client("anonymous").get(reverse("news:feed"))
    assert response["Content-Type"].startswith("application/atom+xml")
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.tag == f"{ATOM}feed"
    assert root.find(f"{ATOM}title").text == "Programme news"
    assert root.find(f"{ATOM}id").text and root.find(f"{ATOM}updated").text
    entries = root.findall(f"{ATOM}entry")
    assert [entry.find(f"{ATOM}title").text for entry in entries] == ["Sixty exchanges"]
    entry = entries[0]
    link = entry.find(f"{ATOM}link").attrib["href"]
    assert link.endswith(nw.published.get_absolute_url())
    assert entry.find(f"{ATOM}id").text
    assert entry.find(f"{ATOM}published").text.startswith(str(timezone.now().year))
    assert "<strong>60</strong>" in entry.find(f"{ATOM}summary").text
    assert entry.find(f"{ATOM}author/{ATOM}name").text == "Test programme"


@pytest.mark.date_sensitive
def test_programme_feed(nw):
    response = nw.client("anonymous").get(reverse("news:programme_feed", args=["test"]))
    root = ET.fromstring(response.content)  # noqa: S314
    assert root.find(f"{ATOM}title").text == "Test programme news"
    assert len(root.findall(f"{ATOM}entry")) == 1
    assert nw.client("anonymous").get(reverse("news:programme_feed", args=["nope"])).status_code == 404


def _count(client, url):
    with CaptureQueriesContext(connection) as queries:
        response = client.get(url)
    assert response.status_code == 200
    return len(queries)


def _more(nw, number):
    coordinator = nw.user("coordinator")
    today = timezone.localdate()
    for index in range(number):
        article = domain.create_draft_article(
            coordinator, nw.world.programme, title=f"Extra {index}", body_markdown="x", summary="s"
        )
        domain.publish_article(coordinator, article)
        testimonial = domain.submit_testimonial(
            nw.user("owner"),
            nw.world.programme,
            text=f"More {index}",
            author_name="A",
            consent=True,
            organisation=nw.world.org_a1,
        )
        domain.approve_testimonial(coordinator, testimonial)
        _event(nw, f"Mission {index}", today + timedelta(days=10 + index))
        _event(nw, f"Past {index}", date(2023, 1, 1) + timedelta(days=index))
        # Partner clusters with everything the partner cards and the map show.
        cluster = make_org(
            f"Extra cluster {index}",
            ("DE", "IT", "PL", "AT", "BE", "NL", "SE", "PT")[index % 8],
            "cluster",
            city="Town",
            description="A cluster.",
            website="https://example.org",
            esca_label="gold" if index % 2 else "",
            member_count=None if index % 3 else 40,
        )
        ClusterMembership.objects.create(cluster=cluster, member=nw.world.org_a1)
        PartnerCluster.objects.create(programme=nw.world.programme, cluster=cluster)


@pytest.mark.parametrize(
    "url",
    [
        reverse("news:list"),
        reverse("news:testimonials"),
        reverse("news:feed"),
        reverse("home"),
        reverse("site:about", args=["test"]),
        reverse("site:partners", args=["test"]),
        reverse("site:events", args=["test"]),
        reverse("site:take_part", args=["test"]),
    ],
)
def test_public_pages_make_the_same_number_of_queries_whatever_the_rows(nw, url):
    from clusterxchange.programmes.models import KpiTarget

    for code in ("missions", "exchanges", "countries-reached"):
        KpiTarget.objects.create(
            programme=nw.world.programme, code=code, measure=code, name=code, target=10, published=True
        )
    client = nw.client("anonymous")
    client.get(url)  # warm caches (map shapes, content types)
    few = _count(client, url)
    _more(nw, 8)
    assert _count(client, url) == few
    if url == reverse("site:partners", args=["test"]):
        page = client.get(url).content.decode()
        assert page.count('<article id="partner-') == 10 and 'data-country="PL"' in page
    # The about page adds one query per published KPI (3 here); every page one for the programme's texts.
    assert few <= 17


@pytest.mark.parametrize("url_name", ["news:manage", "news:moderation"])
def test_editor_pages_make_the_same_number_of_queries_whatever_the_rows(nw, url_name):
    client = nw.client("coordinator")
    few = _count(client, reverse(url_name))
    _more(nw, 8)
    for index in range(5):
        domain.submit_testimonial(
            nw.user("owner"), nw.world.programme, text=f"Pending {index}", author_name="A", consent=True
        )
    assert _count(client, reverse(url_name)) == few
