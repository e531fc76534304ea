"""PDF documents of an exchange: the Commitment to Quality agreement and the certificate.

The HTML is rendered from templates under `templates/exchanges/pdf/` and turned into PDF by
WeasyPrint; no network access (a fetcher that refuses every URL), fonts from the system.
"""

from django.conf import settings
from django.template.loader import render_to_string
from django.utils import timezone

from clusterxchange.exchanges import agreement, domain
from clusterxchange.exchanges.models import AgreementSignature, Exchange


def _no_fetch(url: str, *args, **kwargs):
    raise ValueError(f"external resources are not loaded in documents: {url}")


def to_pdf(html: str) -> bytes:
    from weasyprint import HTML  # noqa: PLC0415 — heavy (Pango): loaded only to make a PDF

    return HTML(string=html, url_fetcher=_no_fetch).write_pdf()


def agreement_html(exchange: Exchange) -> str:
    signatures = {signature.party: signature for signature in exchange.signatures.select_related("signed_by")}
    parties = [
        (AgreementSignature.Party(party).label, signatures.get(party))
        for party in domain.required_parties(exchange)
    ]
    return render_to_string(
        "exchanges/pdf/agreement.html",
        {
            "exchange": exchange,
            "parties": parties,
            "document_sha256": agreement.document_sha256(exchange),
            "site_name": settings.SITE_NAME,
            "generated_at": timezone.now(),
        },
    )


def agreement_pdf(exchange: Exchange) -> bytes:
    return to_pdf(agreement_html(exchange))


def certificate_html(exchange: Exchange, verification_url: str) -> str:
    return render_to_string(
        "exchanges/pdf/certificate.html",
        {
            "exchange": exchange,
            "visitor": " — ".join(
                str(name) for name in (exchange.visitor_organisation.name, exchange.visitor_person) if name
            ),
            "verification_url": verification_url,
            "site_name": settings.SITE_NAME,
        },
    )


def certificate_pdf(exchange: Exchange, verification_url: str) -> bytes:
    return to_pdf(certificate_html(exchange, verification_url))
