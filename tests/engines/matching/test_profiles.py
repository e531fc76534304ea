import pytest

from clusterxchange.engines.matching import (
    Opportunity,
    OrganisationProfile,
    OrganisationType,
    training_course_profile,
)
from clusterxchange.engines.matching.profiles import MAX_TEXT_CHARACTERS


def test_values_are_normalised():
    profile = OrganisationProfile(
        id=" 42 ",
        organisation_type="SME",
        country="de",
        languages=["German", "de", "EN"],
        ecosystems=["electronics", "Electronics"],
        keywords=["", "sensors", "sensors"],
    )
    assert profile.id == "42"
    assert profile.name == "42"
    assert profile.country == "DE"
    assert profile.languages == ("de", "en")
    assert profile.ecosystems == ("Electronics",)
    assert profile.keywords == ("sensors",)


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        ({"id": ""}, "non-empty id"),
        ({"id": "1", "organisation_type": "alien"}, "unknown organisation type 'alien'"),
        ({"id": "1", "languages": "de"}, "list of strings"),
        ({"id": "1", "keywords": [3]}, "must contain strings"),
        ({"id": "1", "opportunities": ["text"]}, "Opportunity objects"),
    ],
)
def test_bad_profiles_raise_clear_value_errors(fields, message):
    with pytest.raises(ValueError, match=message):
        OrganisationProfile(**fields)


def test_bad_opportunities_raise_clear_value_errors():
    with pytest.raises(ValueError, match="unknown opportunity kind 'marketing'"):
        Opportunity("marketing", "offer", "x")
    with pytest.raises(ValueError, match="unknown direction 'give'"):
        Opportunity("business", "give", "x")


def test_very_long_texts_are_truncated():
    profile = OrganisationProfile(id="1", description="word " * 50_000)
    assert len(profile.description) <= MAX_TEXT_CHARACTERS


def test_owner_is_the_parent_organisation_when_given():
    assert OrganisationProfile(id="staff", parent_id="cluster").owner_id == "cluster"
    assert OrganisationProfile(id="cluster").owner_id == "cluster"


def test_training_course_profile_offers_its_syllabus():
    course = training_course_profile(
        "c1", "Cluster branding", "Build a cluster brand", ("branding",), ("en",)
    )
    assert course.organisation_type == OrganisationType.TRAINING_COURSE
    assert course.opportunities[0].full_text.startswith("Cluster branding")
