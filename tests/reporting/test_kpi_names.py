"""A KPI named otherwise than its measure reads in the reader's language where its name is written in it
(KpiTarget.names, set where the KPI targets are set up), else as typed: the public programme site, the KPI
dashboard and the progress report (page and PDF). Found walking the demo in German and French."""

import pytest
from django.urls import reverse
from django.utils import translation

from clusterxchange.core.models import AuditEntry
from clusterxchange.programmes import domain
from clusterxchange.programmes.models import KpiTarget
from tests.exchanges.test_views import pdf_text

GERMAN = "Cluster-Austausche"
FRENCH = "Échanges entre clusters"


@pytest.fixture
def named(rworld):
    """TEST works in English, German and French; its exchanges KPI has a name of its own in each."""
    coordinator = rworld.users["coordinator"]
    domain.update_programme(coordinator, rworld.programme, {"languages": ["en", "de", "fr"]})
    kpi = rworld.programme.kpi_targets.get(code="exchanges")
    domain.update_kpi(coordinator, kpi, {"name": "Cluster exchanges", "names": {"de": GERMAN, "fr": FRENCH}})
    return rworld


def localized(name, *args, language, query=""):
    with translation.override(language):
        return reverse(name, args=args) + (f"?{query}" if query else "")


@pytest.mark.parametrize(("language", "expected"), [("de", GERMAN), ("fr", FRENCH)])
def test_public_site_dashboard_and_report_show_the_name_in_the_readers_language(named, language, expected):
    slug = named.programme.slug
    about = named.client("anonymous").get(localized("site:about", slug, language=language)).content.decode()
    assert expected in about and "Cluster exchanges" not in about
    coordinator = named.client("coordinator")
    for page in ("reporting:dashboard", "reporting:report"):
        html = coordinator.get(localized(page, slug, language=language)).content.decode()
        assert expected in html and "Cluster exchanges" not in html, page
    pdf = coordinator.get(localized("reporting:report_pdf", slug, language=language))
    text = " ".join(pdf_text(pdf.content).split())
    assert expected in text and "Cluster exchanges" not in text


def test_without_a_name_in_the_readers_language_the_typed_name_shows(named):
    """Spanish is not among the names: the name as typed (and English reads it as typed)."""
    kpi = KpiTarget.objects.get(programme=named.programme, code="exchanges")
    with translation.override("es"):
        assert kpi.display_name == "Cluster exchanges"
    with translation.override("en"):
        assert kpi.display_name == "Cluster exchanges"
    with translation.override("de"):
        assert kpi.display_name == GERMAN
    html = named.client("coordinator").get(
        localized("reporting:dashboard", named.programme.slug, language="es")
    )
    assert "Cluster exchanges" in html.content.decode()


def test_a_kpi_named_as_its_measure_without_names_still_reads_as_the_measures_label(rworld):
    kpi = KpiTarget.objects.get(programme=rworld.programme, code="countries-reached")
    assert kpi.names == {}
    with translation.override("de"):
        assert kpi.display_name == "Erreichte Länder"


def test_the_names_are_set_where_the_kpi_targets_are_set_up(named):
    kpi = KpiTarget.objects.get(programme=named.programme, code="exchanges")
    edit = reverse("programmes:kpi_edit", args=[named.programme.slug, kpi.pk])
    client = named.client("coordinator")
    form = client.get(edit).content.decode()
    assert 'name="name_de"' in form and 'name="name_fr"' in form and 'lang="de"' in form
    assert f'value="{GERMAN}"' in form
    data = {
        "code": "exchanges",
        "name": "Cluster exchanges",
        "measure": "exchanges",
        "target": 96,
        "position": 1,
        "published": "on",
        "name_en": "",
        "name_de": "Clusteraustausche",
        "name_fr": "",
    }
    assert client.post(edit, data).status_code == 302
    kpi.refresh_from_db()
    assert kpi.names == {"de": "Clusteraustausche"}
    entry = AuditEntry.objects.filter(action="programmes.kpi.update").latest("id")
    assert entry.changes["names"] == [f"de: {GERMAN}, fr: {FRENCH}", "de: Clusteraustausche"]
    added = client.post(
        reverse("programmes:kpis", args=[named.programme.slug]),
        {**data, "code": "more", "name": "More exchanges", "name_fr": "Plus d'échanges", "name_de": ""},
    )
    assert added.status_code == 302
    assert KpiTarget.objects.get(programme=named.programme, code="more").names == {"fr": "Plus d'échanges"}


def test_a_name_in_an_unknown_language_is_refused(named):
    from django.core.exceptions import ValidationError

    kpi = KpiTarget.objects.get(programme=named.programme, code="exchanges")
    with pytest.raises(ValidationError) as refused:
        domain.update_kpi(named.users["coordinator"], kpi, {"names": {"xx": "Nope"}})
    assert "names" in refused.value.message_dict
    kpi.refresh_from_db()
    assert kpi.names == {"de": GERMAN, "fr": FRENCH}
