"""Pieces of the design system (docs/interface.md)."""

import pytest
from django.template import Context, Template

from tests.exchanges.conftest import xworld  # noqa: F401 - the exchanges world


@pytest.mark.parametrize(
    ("value", "tone"),
    [("validated", "ok"), ("pending", "waiting"), ("declined", "stopped"), ("something_new", "neutral")],
)
def test_a_status_badge_has_the_tone_of_its_value_and_keeps_the_words(value, tone):
    html = Template("{% load cx_ui %}{% status_badge value label %}").render(
        Context({"value": value, "label": "<Label>"})
    )
    assert html == f'<span class="badge badge-{tone}">&lt;Label&gt;</span>'


@pytest.mark.django_db
def test_the_exchanges_list_shows_states_as_badges(xworld):  # noqa: F811
    xworld.new_exchange(state="validated")
    body = xworld.client("visitor").get("/exchanges/").content.decode()
    assert '<span class="badge badge-ok">' in body
