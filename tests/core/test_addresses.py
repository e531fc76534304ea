"""Addresses are found whatever their case, through the expression indexes on their lower case
(`core.addresses.address_in`): Django's `iexact` (UPPER(column) on PostgreSQL, LIKE on SQLite) could
use no index, so each look-up read the whole table (benchmarks/privacy/bench_address_lookups.py)."""

from datetime import timedelta
from types import SimpleNamespace

import pytest
from django.db import connection, transaction
from django.utils import timezone

from clusterxchange.accounts.domain import account_for
from clusterxchange.accounts.models import Invitation, User
from clusterxchange.core.addresses import address_in
from clusterxchange.messaging.domain import unsubscribe_footer, unsubscribe_link
from clusterxchange.privacy import subjects
from tests.conftest import make_user

pytestmark = pytest.mark.django_db

PERSON = SimpleNamespace(email="Amelie.Durand@Alpha.example", user_id=None)


def _plan(queryset) -> str:
    """The plan of `queryset`; on PostgreSQL with sequential scans off, so that a table of a few rows
    shows whether the index can serve the query at all."""
    if connection.vendor != "postgresql":
        return queryset.explain()
    with transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("SET LOCAL enable_seqscan = off")
        return queryset.explain()


LOOKUPS = {
    "user_email_lower": lambda: User.objects.filter(
        pk__in=User.objects.filter(address_in("email", ["X@Example.org"])).values("pk")
    ),
    "invitation_email_lower": lambda: subjects.invitations_of(PERSON),
    "recipient_address_lower": lambda: subjects.message_recipients_of(PERSON, subjects.addresses_of(PERSON)),
    "outgoing_email_recipient_lower": lambda: subjects.emails_to({"amelie.durand@alpha.example"}),
}


@pytest.mark.parametrize("index", LOOKUPS)
def test_the_lookup_uses_the_index_on_the_lower_case_address(index):
    assert index in _plan(LOOKUPS[index]())


def test_accounts_invitations_and_recipients_are_found_whatever_the_case(world):
    user = make_user("amelie.durand@alpha.example")
    assert account_for("  AMELIE.Durand@alpha.EXAMPLE ") == user
    user_link = unsubscribe_link(user.pk, "reminders").rsplit(":", 2)[0]  # the signed part, not its time
    assert user_link in unsubscribe_footer("Amelie.Durand@Alpha.Example", "reminders")
    invitation = Invitation.objects.create(
        email="AMELIE.DURAND@alpha.example",
        role_kind="coordinator",
        programme=world.programme,
        expires_at=timezone.now() + timedelta(days=7),
    )
    assert list(subjects.invitations_of(PERSON)) == [invitation]
    assert list(subjects.invitations_of(SimpleNamespace(email="other@alpha.example", user_id=None))) == []
