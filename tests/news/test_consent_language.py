"""A testimonial's consent is kept in the language it was given in, and shown with that language marked
(`lang`) on a page in another language, so that screen readers and translators read it right."""

from django.urls import reverse
from django.utils import translation

from clusterxchange.news import domain


def page(nw, language):
    with translation.override(language):
        url = reverse("news:my_testimonials")
    return nw.client("owner").get(url).content.decode()


def test_the_consent_given_in_english_is_marked_english_on_the_german_page(nw):
    assert nw.pending.consent_language == "en"
    consent = nw.pending.consent_text
    assert f'<p lang="en"><small>{consent}</small></p>' in page(nw, "de")
    assert f"<p><small>{consent}</small></p>" in page(nw, "en")


def test_a_consent_given_in_german_is_kept_in_german(nw):
    with translation.override("de"):
        testimonial = domain.submit_testimonial(
            nw.world.users["owner"],
            nw.world.programme,
            text="Sehr gut",
            author_name="Amélie Durand",
            author_position="CEO",
            organisation=nw.world.org_a1,
            consent=True,
        )
    assert testimonial.consent_language == "de" and testimonial.consent_text != nw.pending.consent_text
    assert f'<p lang="de"><small>{testimonial.consent_text}</small></p>' in page(nw, "fr")
