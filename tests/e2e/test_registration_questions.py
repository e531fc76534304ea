"""Answering the event's registration questions in a browser, on a 390 px phone: a required answer
left out is shown at its question and nothing is saved; answered, the registration holds the answers
and the participant can change them (issue #18 points 7 and 11)."""

from datetime import date

import pytest
from playwright.sync_api import expect

from tests.e2e.test_event_day import _event_day, _login

pytestmark = pytest.mark.browser


def test_a_participant_answers_the_registration_questions_on_a_phone(live_server, reference_data, browser):
    from clusterxchange.accounts.models import User
    from clusterxchange.directory.models import ClusterMembership, Organisation
    from clusterxchange.events import questions
    from clusterxchange.events.models import Registration
    from tests.conftest import make_org, make_user

    event, _first, _second = _event_day(date(2031, 6, 20))
    organiser = User.objects.get(email="organiser@test.example")
    sector = questions.add_question(
        organiser,
        event,
        {"text": "Your sector?", "kind": "single", "options": "Energy\nHealth", "required": True},
    )
    questions.add_question(organiser, event, {"text": "Join the dinner?", "kind": "yes_no", "required": True})
    buyer = questions.add_participant_type(organiser, event, "Buyer")
    cluster = Organisation.objects.get(name="Silicon Cluster")
    delta = make_org("Delta Drones", "DE", city="Leipzig")
    ClusterMembership.objects.create(cluster=cluster, member=delta)
    make_user("dora@test.example", delta)

    context, page = _login(browser, live_server, "dora@test.example", 390)
    page.goto(f"{live_server.url}/events/{event.slug}/register/")
    page.get_by_label("Health").check()
    page.get_by_role("button", name="Register").click()
    expect(page.locator("main form")).to_contain_text("This field is required.")
    assert not Registration.objects.filter(event=event, organisation=delta).exists()
    page.get_by_label("Health").check()
    page.get_by_label("Yes", exact=True).check()
    page.get_by_label("You take part as").select_option(label="Buyer")
    page.get_by_role("button", name="Register").click()
    expect(page.get_by_text("You are registered: your place is confirmed.")).to_be_visible()
    registration = Registration.objects.get(event=event, organisation=delta)
    assert registration.participant_type == buyer
    assert registration.answers.get(question=sector).value == "Health"
    width = page.evaluate("document.documentElement.scrollWidth")
    assert width <= 390, width

    page.get_by_role("button", name="My answers").click()
    page.get_by_label("Energy").check()
    page.get_by_role("button", name="Save").click()
    expect(page.get_by_text("Your answers were saved.")).to_be_visible()
    assert registration.answers.get(question=sector).value == "Energy"
    context.close()
