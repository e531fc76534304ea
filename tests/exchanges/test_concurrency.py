"""Visitor and host write the same Commitment to Quality agreement at once; the visitor edits the
application in two tabs: the second save is refused, keeps its input, and the first one's text stays."""

from django.urls import reverse

from tests.concurrency import assert_refused_keeping_input, two_editors


def test_second_agreement_save_is_refused(xworld):
    exchange = xworld.new_exchange(state="matched")
    detail = reverse("exchanges:detail", args=[exchange.reference])
    first, second, refused = two_editors(
        xworld.client("visitor"),
        xworld.client("host"),
        detail,
        reverse("exchanges:agreement", args=[exchange.reference]),
        field="agreement_goals",
        form_name="agreement_form",
        extra={"agreement_objectives": "Two pilots", "agreement_agenda": "Day 1: lab tour"},
    )
    assert first.status_code == 302, first.context and first.context["agreement_form"].errors
    assert_refused_keeping_input(second, refused)
    exchange.refresh_from_db()
    assert exchange.agreement_goals == "Saved first"


def test_second_application_save_is_refused(xworld):
    exchange = xworld.new_exchange(state="draft")
    url = reverse("exchanges:edit", args=[exchange.reference])
    first, second, refused = two_editors(
        xworld.client("visitor"), xworld.client("visitor"), url, field="motivation"
    )
    assert first.status_code == 302, first.context and first.context["form"].errors
    assert_refused_keeping_input(second, refused)
    exchange.refresh_from_db()
    assert exchange.motivation == "Saved first"
