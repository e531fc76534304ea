"""Engine reasons read in the reader's language, the names they list included ("spricht Englisch und
Französisch", not "spricht English and French")."""

from django.utils import translation

from clusterxchange.core.engine_messages import engine_message
from clusterxchange.engines.matching.explanations import (
    MEETS_CRITERIA,
    Reason,
    ecosystem_reason,
    language_reason,
)
from clusterxchange.engines.matching.profiles import OrganisationProfile


def _profile(identifier: str, languages=(), ecosystems=()) -> OrganisationProfile:
    return OrganisationProfile(id=identifier, name=identifier, languages=languages, ecosystems=ecosystems)


def test_shared_languages_are_named_in_the_readers_language():
    reason = language_reason(_profile("a", ("en", "fr")), _profile("b", ("en", "fr", "de")), 0.1)
    assert reason.text == "speaks English and French"  # the engine's own English, for the API
    with translation.override("de"):
        assert engine_message(reason) == "spricht Englisch und Französisch"
    with translation.override("fr"):
        text = engine_message(reason)
    assert "anglais" in text.lower() and "français" in text.lower() and "English" not in text


def test_language_names_in_a_sentence_take_the_readers_capitals():
    """Bulgarian, Spanish, French, Lithuanian and Polish write a language's name in lower case inside a
    sentence; the marketplace said "говори Английски" and "habla Inglés" (walk3). German keeps its
    capital."""
    reason = language_reason(_profile("a", ("en", "fr")), _profile("b", ("en", "fr")), 0.1)
    expected = {
        "bg": "говори английски и френски",
        "es": "habla inglés y francés",
        "fr": "parle anglais et français",
        "de": "spricht Englisch und Französisch",
    }
    for language, text in expected.items():
        with translation.override(language):
            assert engine_message(reason) == text, language
    for language in ("lt", "pl"):
        with translation.override(language):
            words = engine_message(reason).split()
        assert all(word == word.lower() for word in words[1:]), (language, words)


def test_shared_ecosystems_are_named_in_the_readers_language():
    reason = ecosystem_reason(
        _profile("a", ecosystems=("Digital", "Health")), _profile("b", ecosystems=("Digital", "Health")), 0.1
    )
    with translation.override("de"):
        text = engine_message(reason)
    assert "Digital" in text and "Gesundheit" in text and " und " in text and "Health" not in text


def test_the_matching_use_is_named_in_the_readers_language():
    """A suggestion without a shared feature named its use in English on every page ("event meeting")."""
    reason = Reason("", MEETS_CRITERIA, {"use": "event meeting"})
    assert engine_message(reason).endswith("meet the event meeting criteria")
    for language in ("de", "fr", "es", "pl", "lt", "bg"):
        with translation.override(language):
            assert "event meeting" not in engine_message(reason)
