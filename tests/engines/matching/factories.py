"""Small builders for matching-engine tests."""

from __future__ import annotations

from clusterxchange.engines.matching import Opportunity, OrganisationProfile


def profile(profile_id: str, **fields) -> OrganisationProfile:
    """A profile with sensible defaults; `offers`/`requests` are lists of (kind, text)."""
    offers = fields.pop("offers", [])
    requests = fields.pop("requests", [])
    opportunities = tuple(
        [Opportunity(kind, "offer", text) for kind, text in offers]
        + [Opportunity(kind, "request", text) for kind, text in requests]
    )
    defaults = {
        "name": f"Organisation {profile_id}",
        "organisation_type": "sme",
        "country": "DE",
        "languages": ("en",),
    }
    return OrganisationProfile(id=profile_id, opportunities=opportunities, **{**defaults, **fields})


def electronics_set() -> list[OrganisationProfile]:
    """A visitor needing power-electronics tests, a good host, and distractors."""
    return [
        profile(
            "visitor",
            country="DE",
            languages=("de", "en"),
            ecosystems=("Electronics",),
            nace_codes=("C26.1",),
            requests=[
                (
                    "technology",
                    "We are looking for testing of our power-electronic modules before certification",
                )
            ],
        ),
        profile(
            "lab",
            organisation_type="research_organisation",
            country="FR",
            languages=("fr", "German"),
            ecosystems=("electronics", "Digital"),
            nace_codes=("C26",),
            description="Test laboratory with EMC chambers",
            offers=[
                ("technology", "We offer power electronics testing and reliability qualification of modules")
            ],
        ),
        profile(
            "hotel-software",
            country="ES",
            languages=("es",),
            ecosystems=("Tourism",),
            offers=[("technology", "Booking engine software for hotels")],
        ),
        profile(
            "other-requester",
            country="PL",
            languages=("pl", "en"),
            ecosystems=("Electronics",),
            requests=[("technology", "testing of power electronics modules")],
        ),
        profile(
            "cluster",
            organisation_type="cluster_organisation",
            country="AT",
            languages=("de",),
            ecosystems=("Electronics",),
            description="Cluster of electronics companies in Styria",
        ),
    ]
