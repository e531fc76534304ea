"""Every exchange email reaches each party in their own language, whatever the actor's language."""

import pytest
from django.core import mail
from django.utils import translation
from django.utils.formats import date_format
from django.utils.translation import gettext

from clusterxchange.exchanges import domain
from clusterxchange.exchanges.models import ExchangeState

pytestmark = pytest.mark.django_db


def test_a_transition_is_announced_to_each_party_in_their_language(
    xworld, django_capture_on_commit_callbacks
):
    users = xworld.users
    users["visitor"].language = "de"
    users["visitor"].save(update_fields=["language"])
    users["host"].language = "fr"
    users["host"].save(update_fields=["language"])
    exchange = xworld.new_exchange(state="submitted")
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        domain.perform(users["visitor_partnership"], exchange, "validate")
    by_address = {message.to[0]: message for message in mail.outbox}
    for address, language in (
        ("owner@test.example", "de"),
        ("manager@test.example", "en"),
    ):
        with translation.override(language):
            headline = gettext("%(action)s: now “%(state)s”") % {
                "action": gettext("Validate"),
                "state": ExchangeState("validated").label,
            }
            start = date_format(exchange.start_date, "DATE_FORMAT")
        assert by_address[address].subject.endswith(headline), (address, by_address[address].subject)
        assert start in by_address[address].body
    assert by_address["owner@test.example"].subject != by_address["manager@test.example"].subject


def test_a_host_request_reaches_the_hosts_members_in_their_language(
    xworld, django_capture_on_commit_callbacks
):
    users = xworld.users
    users["host"].language = "fr"
    users["host"].save(update_fields=["language"])
    exchange = xworld.new_exchange(state="validated")
    mail.outbox.clear()
    with translation.override("de"), django_capture_on_commit_callbacks(execute=True):
        domain.request_host(users["visitor"], exchange, xworld.base.org_b1, "Bonjour")
    with translation.override("fr"):
        french = gettext("%(visitor)s asks you to host an exchange") % {
            "visitor": exchange.visitor_organisation
        }
    assert [m.subject.endswith(french) for m in mail.outbox if m.to == ["outsider@test.example"]] == [True]


def test_a_party_without_a_chosen_language_reads_the_programmes_default(
    xworld, django_capture_on_commit_callbacks
):
    users = xworld.users
    programme = xworld.base.programme
    programme.default_language = "de"
    programme.save(update_fields=["default_language"])
    users["host"].language = "fr"
    users["host"].save(update_fields=["language"])
    exchange = xworld.new_exchange(state="submitted")
    mail.outbox.clear()
    with translation.override("en"), django_capture_on_commit_callbacks(execute=True):
        domain.perform(users["visitor_partnership"], exchange, "validate")
        domain.request_host(users["visitor"], exchange, xworld.base.org_b1, "Bonjour")
    with translation.override("fr"):
        french = gettext("%(visitor)s asks you to host an exchange") % {
            "visitor": exchange.visitor_organisation
        }
    assert [m.subject.endswith(french) for m in mail.outbox if m.to == ["outsider@test.example"]] == [True]
    with translation.override("de"):
        german = gettext("%(action)s: now “%(state)s”") % {
            "action": gettext("Validate"),
            "state": ExchangeState("validated").label,
        }
    assert users["visitor"].language == ""
    assert [m.subject.endswith(german) for m in mail.outbox if m.to == ["owner@test.example"]] == [True]
