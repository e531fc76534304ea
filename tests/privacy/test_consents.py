"""Consent history and how the directory respects the listing consent."""

from django.urls import reverse

from clusterxchange.directory import domain as directory
from clusterxchange.events.models import MeetingFeedback
from clusterxchange.exchanges.models import Exchange
from clusterxchange.privacy import consents, domain
from clusterxchange.privacy.models import ConsentRecord, Purpose


def test_withdrawing_the_listing_hides_the_person_from_the_public(pworld):
    person, public = pworld.person, pworld.client("anonymous")
    assert "Durand" in public.get(reverse("directory:people")).content.decode()
    domain.set_listing_consent(pworld.users["self"], person, False)
    person.refresh_from_db()
    assert person.listed is False
    assert "Durand" not in public.get(reverse("directory:people")).content.decode()
    assert "Durand" not in public.get(pworld.base.org_a1.get_absolute_url()).content.decode()
    assert public.get(reverse("directory:person", args=[person.pk])).status_code == 403
    assert public.get(f"/api/people/{person.pk}").status_code == 403
    record = consents.current(person, Purpose.DIRECTORY_LISTING)
    assert (record.given, record.source, record.recorded_by) == (False, "self", pworld.users["self"])
    assert record.version == consents.TEXT_VERSION and "public directory" in record.text


def test_history_keeps_every_decision_newest_first(pworld):
    for given in (False, True, False):
        domain.set_listing_consent(pworld.users["coordinator"], pworld.person, given)
    history = list(consents.history(pworld.person).filter(purpose=Purpose.DIRECTORY_LISTING))
    assert [record.given for record in history] == [False, True, False]
    assert {record.source for record in history} == {"on_behalf"}


def test_directory_edit_records_the_listing_change(pworld):
    directory.update_person(pworld.users["owner"], pworld.person, {"listed": False})
    record = ConsentRecord.objects.get(person=pworld.person)
    assert (record.given, record.source, record.recorded_by) == (False, "on_behalf", pworld.users["owner"])
    directory.update_person(pworld.users["owner"], pworld.person, {"position": "CTO"})
    assert ConsentRecord.objects.filter(person=pworld.person).count() == 1


def test_testimonial_consents_are_listed_and_withdrawn(pworld):
    items = domain.testimonials_of(pworld.person)
    assert {(item["kind"], item["consent"]) for item in items} == {("exchange", True), ("feedback", True)}
    feedback = MeetingFeedback.objects.get(registration=pworld.registration)
    domain.set_testimonial_consent(pworld.users["self"], pworld.person, "exchange", pworld.paid.pk, False)
    domain.set_testimonial_consent(pworld.users["self"], pworld.person, "feedback", feedback.pk, False)
    assert Exchange.objects.get(pk=pworld.paid.pk).testimonial_consent is False
    assert MeetingFeedback.objects.get(pk=feedback.pk).publish_consent is False
    subjects = set(
        ConsentRecord.objects.filter(purpose=Purpose.TESTIMONIAL, given=False).values_list(
            "subject", flat=True
        )
    )
    assert subjects == {f"exchange {pworld.paid.reference}", f"meeting feedback {feedback.pk}"}


def test_event_page_shows_names_of_listed_people_only_to_non_members(pworld):
    event = pworld.registration.event
    url = reverse("events:detail", args=[event.slug])
    pworld.person.listed = False
    pworld.person.save()
    from tests.conftest import make_user

    stranger = make_user("stranger@example.org")  # logged in, no membership
    client = pworld.client("anonymous")
    client.force_login(stranger)
    assert "Durand" not in client.get(url).content.decode()
    assert "Durand" in pworld.client("outsider").get(url).content.decode()


def test_news_testimonials_are_listed_withdrawn_and_erased(pworld, django_capture_on_commit_callbacks):
    from django.utils import timezone

    from clusterxchange.news.models import Testimonial

    testimonial = Testimonial.objects.create(
        programme=pworld.base.programme,
        author=pworld.users["self"],
        author_name="Amélie Durand",
        text="The exchange changed our company",
        consent_text="May be published",
        consent_given_at=timezone.now(),
    )
    items = {item["kind"]: item for item in domain.testimonials_of(pworld.person)}
    assert items["news"]["consent"] is True and items["news"]["text"] == "The exchange changed our company"
    domain.set_testimonial_consent(pworld.users["self"], pworld.person, "news", testimonial.pk, False)
    testimonial.refresh_from_db()
    assert testimonial.status == "withdrawn" and testimonial.consent_withdrawn_at is not None
    with django_capture_on_commit_callbacks(execute=True):
        domain.erase_person(pworld.users["coordinator"], pworld.person)
    assert not Testimonial.objects.filter(pk=testimonial.pk).exists()


def test_the_privacy_page_words_the_recorded_changes_and_pages_them(pworld):
    for given in (False, True, False):
        domain.set_listing_consent(pworld.users["coordinator"], pworld.person, given)
    directory.update_person(pworld.users["owner"], pworld.person, {"position": "CTO"})
    url = reverse("privacy:person", args=[pworld.person.pk])
    page = pworld.client("coordinator").get(url).content.decode()
    changes = page.split("Changes recorded", 1)[1]
    assert "Consent to the directory listing: withdrawn" in changes and "Profile changed" in changes
    assert "privacy.consent.listing" not in changes and "directory.person.update" not in changes
    # Each list pages by its own parameter: the access log's page does not move the changes.
    assert 'aria-label="Pages"' not in changes
    assert pworld.client("coordinator").get(url, {"accesses": "2", "changes": "9"}).status_code == 200
