"""Reference names (NACE sectors, industrial ecosystems, languages) in the reader's language wherever a
person reads them: the organisation page (the dashboard's ecosystem table: tests/reporting/test_views.py).
The catalogues had them, yet the walk of the German demo saw the NACE names in English. The API stays
English, as all of it does."""

from django.utils import translation

from clusterxchange.core.models import NaceCode


def german(nace: NaceCode) -> str:
    with translation.override("de"):
        return nace.display_name


def test_the_catalogue_has_the_german_name_the_tests_expect(db):
    nace = NaceCode.objects.get(code="26")
    assert german(nace) != nace.name and german(nace)


def test_the_organisation_page_in_german_names_its_sectors_in_german(world):
    nace = NaceCode.objects.get(code="26")
    with translation.override("de"):
        url = world.org_a1.get_absolute_url()
    assert url.startswith("/de/")
    page = world.client("outsider").get(url).content.decode()
    assert german(nace) in page and nace.name not in page


def test_the_api_keeps_the_english_reference_names(world):
    """The API is English (accounts/language.py): its reference lists are the stored names."""
    rows = world.client("anonymous").get("/api/reference/nace", HTTP_ACCEPT_LANGUAGE="de").json()
    assert {row["code"]: row["name"] for row in rows}["26"] == NaceCode.objects.get(code="26").name
