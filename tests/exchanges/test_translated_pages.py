"""The exchange flow in German and French: application, detail with the grant preview, documents."""

import html

import pytest
from django.urls import reverse
from django.utils import translation

from clusterxchange.exchanges import documents, domain
from tests.exchanges import test_views
from tests.exchanges.test_views import pdf_text

pytestmark = pytest.mark.django_db


def test_application_form_in_german_and_french(xworld):
    client = xworld.client("visitor")
    german = html.unescape(client.get("/de/exchanges/new/").content.decode())
    assert "Für einen Austausch bewerben" in german and "Als Entwurf speichern" in german
    assert "Besuchende Organisation" in german
    french = html.unescape(client.get("/fr/exchanges/new/").content.decode())
    assert "Postuler pour un échange" in french and "Enregistrer comme brouillon" in french


def test_exchange_list_and_detail_in_german(xworld):
    exchange = xworld.new_exchange(state="validated")
    client = xworld.client("visitor")
    listing = html.unescape(client.get("/de/exchanges/").content.decode())
    assert "Meine Bewerbungen" in listing and "Von der Partnerschaft bestätigt" in listing
    detail = html.unescape(client.get(f"/de/exchanges/{exchange.reference}/").content.decode())
    assert f"Austausch {exchange.reference}" in detail and "Gastgeber finden" in detail


def test_grant_preview_reasons_are_translated(xworld):
    """The engine's reasons (English templates) are shown in the page's language."""
    exchange = xworld.new_exchange(state="matched", host_organisation=xworld.base.org_a2)  # same country
    client = xworld.client("visitor")
    english = html.unescape(client.get(exchange.get_absolute_url()).content.decode())
    assert "The host must be in another country than the visitor (both are in FR)." in english
    german = html.unescape(client.get(f"/de/exchanges/{exchange.reference}/").content.decode())
    assert "Nicht förderfähig:" in german
    assert (
        "Die Gastgeberorganisation muss in einem anderen Land als der Besucher sein (beide sind in FR)."
        in german
    )
    french = html.unescape(client.get(f"/fr/exchanges/{exchange.reference}/").content.decode())
    assert "L'organisation d'accueil doit se trouver dans un autre pays que le visiteur" in french


def test_grant_rules_applied_are_translated(xworld):
    exchange = xworld.new_exchange(state="matched")
    text = html.unescape(
        xworld.client("visitor").get(f"/fr/exchanges/{exchange.reference}/").content.decode()
    )
    assert "Forfait pour le pays d'accueil ES\u00a0: 1\u202f000,00\u00a0€." in text


def test_approved_grant_rules_are_shown_in_the_readers_language(xworld):
    """The rules applied are kept with their code and figures at approval, not as English text."""
    exchange = domain.approve_grant(xworld.users["visitor_partnership"], xworld.new_exchange(state="matched"))
    assert exchange.grant_rules_applied[0]["code"] and exchange.grant_rules_applied[0]["message"]
    client = xworld.client("visitor")
    french = html.unescape(client.get(f"/fr/exchanges/{exchange.reference}/").content.decode())
    assert "Forfait pour le pays d'accueil ES\u00a0: 1\u202f000,00\u00a0€." in french
    with translation.override("de"):
        agreement = documents.agreement_html(exchange)
    assert "Lump sum for host country" not in agreement and "ES" in agreement
    api = client.get(f"/api/exchanges/{exchange.reference}").json()
    assert "Lump sum for host country ES: EUR 1000.00." in api["grant"]["rules_applied"]


def test_host_search_in_french(xworld):
    exchange = xworld.new_exchange(state="validated")
    text = html.unescape(
        xworld.client("visitor").get(f"/fr/exchanges/{exchange.reference}/hosts/").content.decode()
    )
    assert "Organisations d'accueil éligibles" in text and "Retour à l'échange" in text


certified = test_views.certified  # the certified exchange of the view tests


def test_documents_in_the_participants_language(xworld, certified):
    with translation.override("de"):
        certificate = documents.certificate_html(certified, "http://testserver/de/exchanges/verify/X/")
        agreement = documents.agreement_html(certified)
    assert '<html lang="de">' in certificate and '<html lang="de">' in agreement
    assert (
        "Zertifikat eines ClusterXchange-Austauschs" in certificate
        and "Hiermit wird bestätigt, dass" in certificate
    )
    assert "„Commitment to Quality“-Vereinbarung" in agreement and "Parteien" in agreement
    with translation.override("fr"):
        certificate = documents.certificate_html(certified, "http://testserver/fr/exchanges/verify/X/")
    assert "Certificat d'un échange ClusterXchange" in certificate


def test_a_participant_with_a_stored_language_gets_the_certificate_in_it(xworld, certified):
    visitor = xworld.users["visitor"]
    visitor.language = "fr"
    visitor.save()
    client = xworld.client("visitor")
    response = client.get(reverse("exchanges:certificate_pdf", args=[certified.reference]), follow=True)
    assert response.redirect_chain[0][0] == f"/fr/exchanges/{certified.reference}/certificate.pdf"
    assert response.status_code == 200 and response.content.startswith(b"%PDF")
    text = pdf_text(response.content)
    assert "Certificat d'un échange ClusterXchange" in text


def test_certificate_verification_in_german(client, certified):
    text = html.unescape(client.get("/de/exchanges/verify/0123456789ABCDEF/").content.decode())
    assert "Gültiges Zertifikat" in text and "Alpha Sensors" in text


@pytest.mark.parametrize(
    ("language", "certifies", "dates"),
    [
        ("de", "Hiermit wird bestätigt, dass", "im Programm"),
        ("fr", "Nous certifions que", "dans le cadre du programme"),
        ("es", "Se certifica que", "en el programa"),
        ("pl", "Niniejszym zaświadcza się, że", "w ramach programu"),
        ("lt", "Patvirtinama, kad", "pagal programą"),
        ("bg", "С настоящото се удостоверява, че", "по програма"),
    ],
)
def test_the_certificate_is_one_translated_text(xworld, certified, language, certifies, dates):
    """The certificate's lines are one text for the translator, with the names in their places."""
    with translation.override(language):
        certificate = html.unescape(documents.certificate_html(certified, "http://testserver/verify/X/"))
    assert certifies in certificate and dates in certificate
    assert f'<p class="big">{certified.visitor_organisation.name}' in certificate
    for english in (
        "completed an exchange at",
        "This certifies that",
        "Check this certificate at",
        "within the",
    ):
        assert english not in certificate
    assert "http://testserver/verify/X/" in certificate
