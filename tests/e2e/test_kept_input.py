"""A session that ended while someone filled a form: after logging in again, they are back on the form with
what they typed, and a note says nothing was saved yet."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from clusterxchange.directory.models import Organisation

pytestmark = pytest.mark.browser

PASSWORD = "correct-horse-battery"  # tests/conftest.make_user


def log_in(page, live_server, email):
    page.goto(f"{live_server.url}/accounts/login/")
    page.get_by_label("Email").fill(email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(re.compile(r"^(?!.*/accounts/login/).*$"))


def test_input_typed_before_the_session_ended_comes_back_after_login(
    live_server, reference_data, world, page
):
    owner = world.users["owner"]
    edit = live_server.url + reverse("directory:organisation_edit", args=[world.org_a1.slug])
    log_in(page, live_server, owner.email)
    page.goto(edit)
    page.fill("#id_description", "A long description typed for a while")
    page.fill("#id_city", "Nantes")
    page.context.clear_cookies(name=settings.SESSION_COOKIE_NAME)  # the session ends meanwhile
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_url(re.compile(r".*/accounts/login/.*"))
    page.get_by_label("Email").fill(owner.email)
    page.get_by_label("Password").fill(PASSWORD)
    page.get_by_role("button", name="Sign In").click()
    page.wait_for_url(edit)
    assert page.input_value("#id_description") == "A long description typed for a while"
    assert page.input_value("#id_city") == "Nantes"
    assert "nothing was saved" in page.locator(".kept-input").inner_text()
    assert Organisation.objects.get(pk=world.org_a1.pk).city != "Nantes"
    page.locator("main form[method=post] button[type=submit]").last.click()
    page.wait_for_url(re.compile(r"^(?!.*/edit/).*$"))
    assert Organisation.objects.get(pk=world.org_a1.pk).city == "Nantes"
    page.goto(edit)  # kept input is used once
    assert page.locator(".kept-input").count() == 0
